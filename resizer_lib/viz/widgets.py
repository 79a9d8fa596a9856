"""The resize explorer: an ipywidgets app to compare interpolations, antialiasing and a learned
resizer on one image, with the difference map and the spectrum.

    from resizer_lib.viz.widgets import enable_colab_widgets, resize_explorer
    enable_colab_widgets()          # no-op outside Google Colab
    resize_explorer(resizer_model)  # the last expression of a cell shows the app

Its figure comes from pure functions (``explorer_result`` -> arrays, ``render`` -> Figure), so
tests and static pages get the same view: ``static_explorer(...)`` draws it without widgets.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from resizer_lib.data.sample_images import SAMPLE_NAMES, load_image_file, load_sample, to_rgb_uint8
from resizer_lib.data.synthetic import SYNTHETIC_CLASS_NAMES, synthetic_image
from resizer_lib.interpolation import interpolations
from resizer_lib.viz.comparison import compare_resizers, model_target_size, plot_comparison

__all__ = ["FILE_OPTION", "ResizeExplorer", "default_image_names", "enable_colab_widgets", "explorer_result",
           "render", "resize_explorer", "resolve_image", "static_explorer"]

FILE_OPTION = "your file (path box)"
SYNTHETIC_PREFIX = "synthetic: "
_SYNTHETIC_SIZE = (192, 192)
_MAX_FILE_SIDE = 1024  # user photos are shrunk to this, to keep the learned resizer quick


def enable_colab_widgets() -> bool:
    """In Google Colab with ipywidgets 8, turn on Colab's custom widget manager, which they need
    there; with Colab's own ipywidgets 7, and outside Colab, do nothing. True when enabled."""
    try:
        from google.colab import output
    except ImportError:
        return False
    if int(widgets.__version__.split(".")[0]) < 8:
        return False  # Colab's own widget manager renders ipywidgets 7
    output.enable_custom_widget_manager()
    return True


@lru_cache(maxsize=len(SYNTHETIC_CLASS_NAMES))
def _synthetic(label: int) -> np.ndarray:
    return synthetic_image(0, _SYNTHETIC_SIZE, label=label)


def default_image_names() -> list[str]:
    """The explorer's default choices: the package photos, then one synthetic image per class."""
    return list(SAMPLE_NAMES) + [f"{SYNTHETIC_PREFIX}{name}" for name in SYNTHETIC_CLASS_NAMES]


def resolve_image(choice: Any, path: str = "", images: Mapping[str, Any] | None = None) -> np.ndarray:
    """The image for a choice: an array (returned as is), a key of ``images``, a package photo
    name, ``"synthetic: <class>"``, ``FILE_OPTION`` (then ``path`` is read) or a file path.
    A value of ``images`` may be an array, or a name or ``pathlib.Path`` resolved like a choice
    when it is picked (so a long list of photos costs nothing until one is shown)."""
    if not isinstance(choice, str):
        return np.asarray(choice)
    if images is not None and choice in images:
        value = images[choice]
        return resolve_image(str(value), path) if isinstance(value, (str, Path)) else np.asarray(value)
    if choice in SAMPLE_NAMES:
        return load_sample(choice)
    if choice.startswith(SYNTHETIC_PREFIX):
        names = [f"{SYNTHETIC_PREFIX}{name}" for name in SYNTHETIC_CLASS_NAMES]
        if choice not in names:
            raise ValueError(f"No synthetic image {choice!r}; choose one of {names}")
        return _synthetic(names.index(choice))
    if choice == FILE_OPTION and not path.strip():
        raise ValueError("Type the path of an image file in the path box")
    if choice == FILE_OPTION or Path(choice).expanduser().is_file():
        return load_image_file(path.strip() if choice == FILE_OPTION else choice, max_side=_MAX_FILE_SIDE)
    names = list(images or ()) + default_image_names()
    raise ValueError(f"Unknown image {choice!r}; choose one of {names} or give a file path")


def explorer_result(image: Any, interpolation: str = "bilinear", size: int = 64, antialias: bool = False,
                    use_learned: bool = False, resizer_model: Any = None) -> dict[str, Any]:
    """The arrays the explorer shows (see ``viz.compare_resizers``) for one image. Naive mode: the
    ``(size, size)`` resize with ``interpolation`` against bilinear. Learned mode: the resizer
    model's output (its own target size; ``size`` is ignored) against the naive one."""
    if use_learned and resizer_model is None:
        raise ValueError("use_learned=True needs a resizer_model (e.g. build_resizer(...))")
    if use_learned:
        return compare_resizers(image, None, interpolation, antialias, resizer_model)
    return compare_resizers(image, size, interpolation, antialias)


def render(image: Any, *settings: Any, figsize: tuple[float, float] = (15.0, 3.4), **named: Any) -> Figure:
    """The explorer's figure: ``plot_comparison`` of ``explorer_result(image, *settings, **named)``
    (the same settings: interpolation, size, antialias, use_learned, resizer_model)."""
    return plot_comparison(explorer_result(image, *settings, **named), figsize=figsize)


def static_explorer(image: Any = "chelsea", interpolation: str = "bilinear", size: int = 64, antialias: bool = False,
                    use_learned: bool | None = None, resizer_model: Any = None,
                    images: Mapping[str, Any] | None = None) -> Figure:
    """The same figure as the widget, without widgets (static HTML, PDFs, no widget frontend).
    ``image``: as ``resolve_image`` takes it; ``use_learned`` defaults to whether a
    ``resizer_model`` is given."""
    learned = resizer_model is not None if use_learned is None else use_learned
    return render(resolve_image(image, images=images), interpolation, size, antialias, learned, resizer_model)


def _image_options(images: Mapping[str, Any] | Sequence[str] | None) -> list[str]:
    if images is None:
        return default_image_names() + [FILE_OPTION]
    if isinstance(images, str) or not isinstance(images, (Mapping, Sequence)) or not images:
        raise ValueError(f"images must be a non-empty dict {{name: image}} or list of names; got {images!r}")
    if not isinstance(images, Mapping):
        known = default_image_names()
        unknown = [n for n in images if n not in known and not Path(str(n)).is_file()]
        if unknown:
            raise ValueError(f"Unknown image names {unknown}; choose from {known} or file paths")
    return [str(n) for n in images] + [FILE_OPTION]


class ResizeExplorer(widgets.VBox):
    """The explorer app (a ``VBox``); see ``resize_explorer``. ``controls`` holds the widgets by
    name (``"image"``, ``"path"``, ``"interpolation"``, ``"size"``, ``"antialias"``,
    ``"resizer"``); every change re-renders into ``output``. ``result`` holds the arrays last
    shown, ``error`` the last message (or None), ``renders`` counts the renders."""

    def __init__(self, resizer_model: Any = None, images: Mapping[str, Any] | Sequence[str] | None = None,
                 size: int = 64, max_size: int = 512, figsize: tuple[float, float] = (15.0, 3.4),
                 output_height: str = "380px", mode: str | None = None):
        super().__init__()
        if mode not in (None, "naive", "learned"):
            raise ValueError(f"mode must be 'naive', 'learned' or None; got {mode!r}")
        if mode == "learned" and resizer_model is None:
            raise ValueError("mode='learned' needs a resizer_model (e.g. build_resizer(...))")
        self.resizer_model, self.figsize, self.renders = resizer_model, figsize, 0
        self.result: dict[str, Any] | None = None
        self.error: str | None = None
        self._images = dict(images) if isinstance(images, Mapping) else None
        self._cache: dict[tuple[str, str], np.ndarray] = {}
        names, wide, has_model = _image_options(images), widgets.Layout(width="360px"), resizer_model is not None
        target = model_target_size(resizer_model) if has_model else None
        tip = f"learned resizer (output {target})" if has_model else "needs resizer_model=..."
        self.controls = c = {
            "image": widgets.Dropdown(options=names, value="chelsea" if "chelsea" in names else names[0],
                                      description="image", layout=wide),
            "path": widgets.Text(placeholder="path/to/photo.jpg (choose 'your file')", description="path",
                                 continuous_update=False, layout=wide),
            "interpolation": widgets.Dropdown(options=list(interpolations("figure")), value="bilinear",
                                              description="mode", layout=wide),
            "size": widgets.IntSlider(value=size, min=8, max=max(max_size, size), step=1, description="size",
                                      continuous_update=False, layout=wide),
            "antialias": widgets.Checkbox(value=False, description="antialias"),
            "resizer": widgets.ToggleButtons(options=["naive", "learned"], disabled=not has_model,
                                             value=mode or ("learned" if has_model else "naive"),
                                             tooltips=["naive resize vs bilinear", tip]),
        }
        self.status = widgets.HTML(layout=widgets.Layout(min_height="1.6em"))
        self.output = widgets.interactive_output(self._update, self.controls)
        self.output.layout = widgets.Layout(height=output_height, width="100%", overflow="hidden")
        self.children = [widgets.HBox([c["image"], c["path"]]), widgets.HBox([c["interpolation"], c["size"]]),
                         widgets.HBox([c["antialias"], c["resizer"]]), self.status, self.output]

    def _update(self, image, path, interpolation, size, antialias, resizer) -> None:
        from IPython.display import display

        use_learned = resizer == "learned" and self.resizer_model is not None
        self.controls["size"].disabled = use_learned
        self.controls["path"].disabled = image != FILE_OPTION
        key = (image, path if image == FILE_OPTION else "")
        try:
            if key not in self._cache:
                self._cache[key] = to_rgb_uint8(resolve_image(image, path, self._images))
            result = explorer_result(self._cache[key], interpolation, size, antialias, use_learned, self.resizer_model)
        except ValueError as err:
            self.error = str(err)
            self.status.value = f"<span style='color:#b00020'>{html.escape(str(err))}</span>"
            print(err)
            return
        self.error, self.result = None, result
        h, w = result["meta"]["target_size"]
        note = (f"learned resizer output {h}x{w} (fixed by the model; size slider off)" if use_learned
                else f"naive {interpolation} to {h}x{w}")
        self.status.value = f"{html.escape(note)}; max |difference| = {float(np.abs(result['difference']).max()):.4f}"
        fig = plot_comparison(result, figsize=self.figsize)
        self.renders += 1
        display(fig)
        plt.close(fig)  # no figure accumulation: the Output keeps the PNG


def resize_explorer(resizer_model: Any = None, images: Mapping[str, Any] | Sequence[str] | None = None,
                    size: int = 64, **kwargs: Any) -> ResizeExplorer:
    """The explorer app (a ``VBox``; show it as a cell's last expression).

    ``resizer_model``: a resizer ``(B, H, W, 3) -> (B, h, w, 3)`` on ``[0, 1]`` inputs (e.g.
    ``build_resizer(...)`` or ``classifier.get_layer("resizer")``); enables "learned".
    ``images``: ``{name: image}`` (an array, or a photo name or file path loaded when chosen), a
    list of names (package photos, ``"synthetic: <class>"``, file paths), or None for every
    package photo and synthetic class. ``size``: the first naive target side (square).
    ``kwargs``: ``max_size``, ``figsize``, ``output_height``, and ``mode`` (``"naive"`` or
    ``"learned"``: the view it opens on; default learned when a model is given)."""
    return ResizeExplorer(resizer_model=resizer_model, images=images, size=size, **kwargs)
