"""Checks for the notebooks' exercises: they say "right" or what is off, never the answer.

    from resizer_lib.course.exercise_checks import check_param_count
    check_param_count(count_8_4, filters=8, num_res_blocks=4)  # prints "✓ right" or a hint

Every check prints one line per part of the answer and returns ``True`` only when every part is
right. The expected answer is computed from the library (``build_resizer(...).count_params()``,
``conv_output_size``, ``sampling.alias_frequency``, ...), so it follows the code, and no message
ever contains it. An answer still at its placeholder (``None`` or ``...``, or a function whose
body is ``...``) gets a friendly "fill in ..." and ``False``.

Every public check runs through one guard (``_guard``, applied at the end of this module), so
*any* wrong answer gets a hint and ``False``, never an exception and never "right": an answer
holding NaN or infinity is refused before the check looks at it, and an exception raised while
checking an answer (a model of the wrong kind, a dict for an array, ...) becomes a hint. Only
wrong arguments *of the check itself* (the ones the notebook passes, such as ``factor=0``)
raise ``ValueError`` (``CheckUsageError``).

Lesson by lesson (the exercise numbers of each lesson's "Exercises" section):

* 00: ``check_output_shape`` (1), ``check_param_count`` (2);
* 01: ``check_line_filter`` (1); 02: ``check_stack_sizes`` (1);
* 03: ``check_activation_memory`` (1); 04: ``check_decode_count`` (1);
* 05: ``check_label_effects`` (1); 06: ``check_moved_statistics`` (1); 07: ``check_momentum_port`` (1), ``check_bias_redundant`` (2);
* 04: ``check_alias`` (1), ``check_response_function`` (2), ``check_vanishing_factor`` (3),
  ``check_surviving_shift`` (4);
* 05: ``check_resizer_by_hand`` (1), ``check_starts_as_bilinear`` (2), ``check_param_count``
  (3), ``check_stem_share`` (4), ``check_grid_gap`` (5);
* 06: ``check_paired_interval`` (4);
* 07: ``check_antialias_gain`` (1), ``check_nearest_offsets`` (2), ``check_same_size_resizer`` (4);
* 08: ``check_convmixer_count`` (1), ``check_influenced_cells`` (2);
* 09: ``check_iou_centre`` (1), ``check_dice`` (4).
"""

from __future__ import annotations

import functools
import inspect
import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

__all__ = [
    "RIGHT",
    "CheckUsageError",
    "check_activation_memory",
    "check_alias",
    "check_antialias_gain",
    "check_bias_redundant",
    "check_convmixer_count",
    "check_decode_count",
    "check_dice",
    "check_grid_gap",
    "check_influenced_cells",
    "check_iou_centre",
    "check_label_effects",
    "check_line_filter",
    "check_momentum_port",
    "check_moved_statistics",
    "check_nearest_offsets",
    "check_output_shape",
    "check_paired_interval",
    "check_param_count",
    "check_resizer_by_hand",
    "check_response_function",
    "check_same_size_resizer",
    "check_stack_sizes",
    "check_starts_as_bilinear",
    "check_stem_share",
    "check_surviving_shift",
    "check_vanishing_factor",
    "is_placeholder",
]

RIGHT = "✓ right"
NOT_YET = "not yet"


# -- the shared pieces ---------------------------------------------------------------------------
def is_placeholder(answer: Any) -> bool:
    """True for an answer not filled in yet: ``None`` or ``...`` (Ellipsis)."""
    return answer is None or answer is Ellipsis


def _say(ok: bool, hint: str, name: str | None = None) -> bool:
    """Print ``✓ right`` or ``not yet: <hint>`` (prefixed by ``name:``), return ``ok``."""
    prefix = f"{name}: " if name else ""
    print(f"{prefix}{RIGHT}" if ok else f"{prefix}{NOT_YET}: {hint}")
    return ok


def _fill(name: str, what: str = "") -> bool:
    """Print the friendly "fill in" line for an answer still at its placeholder."""
    what = what or "your answer (it is still a placeholder)"
    print(f"{name}: fill in {what} first, then run this cell again")
    return False


def _number(answer: Any) -> float | None:
    """``answer`` as a float, or ``None`` when it is not a real number."""
    if isinstance(answer, bool):
        return None
    try:
        value = float(answer)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def _close(a: float, b: float, rel: float, abs_tol: float) -> bool:
    return math.isclose(a, b, rel_tol=rel, abs_tol=abs_tol)


def _compare(answer: Any, expected: float, name: str, what: str = "value", rel: float = 1e-9,
             abs_tol: float = 1e-9, whole: bool = False) -> bool:
    """Compare a number; the hint says larger or smaller, never by how much."""
    if is_placeholder(answer):
        return _fill(name)
    value = _number(answer)
    if value is None:
        return _say(False, f"give a number; got {type(answer).__name__} {answer!r}", name)
    if whole and value != int(value):
        return _say(False, f"a {what} is a whole number; got {answer!r}", name)
    if _close(value, expected, rel, abs_tol):
        return _say(True, "", name)
    side = "larger" if value > expected else "smaller"
    return _say(False, f"your {what} is {side} than the right one", name)


class CheckUsageError(ValueError):
    """A check was called with wrong arguments of its own, not with a wrong answer."""


def _check_positive_int(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise CheckUsageError(f"{name} must be a positive whole number; got {value!r}")
    return int(value)


def _array(answer: Any) -> np.ndarray | None:
    """``answer`` as a finite float64 array, or ``None``."""
    try:
        arr = np.asarray(answer, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    return arr if np.isfinite(arr).all() else None


def _call(fn: Any, name: str, *args: Any) -> tuple[bool, Any]:
    """``(True, fn(*args))``, or ``(False, None)`` after printing what went wrong."""
    if is_placeholder(fn):
        return False, _fill(name)
    if not callable(fn):
        return False, _say(False, f"`{name}` must be a function; got {type(fn).__name__}", name)
    try:
        out = fn(*args)
    except Exception as err:  # a learner's function: report, do not raise
        return False, _say(False, f"calling it raised {type(err).__name__}: {err}", name)
    if is_placeholder(out):
        return False, _fill(name, f"the body of `{name}` (it still returns {out!r})")
    return True, out


# -- 00 and 05: the resizer ---------------------------------------------------------------------
def check_output_shape(answer: Any, batch_size: int, target_size: Sequence[int],
                       channels: int = 3, input_size: Sequence[int] = (40, 56)) -> bool:
    """Notebook 00, exercise 1: the shape ``(B, h, w, C)`` a resizer built for ``target_size``
    returns for a batch of ``batch_size`` images. The expected shape is measured by running
    ``build_resizer(target_size)`` on a batch of ``input_size`` zeros."""
    from resizer_lib.models.resizer import build_resizer

    b = _check_positive_int(batch_size, "batch_size")
    c = _check_positive_int(channels, "channels")
    name = "shape"
    if is_placeholder(answer):
        return _fill(name)
    try:
        shape = tuple(int(v) for v in answer)
    except (TypeError, ValueError):
        return _say(False, f"give a tuple of whole numbers such as (1, 2, 3, 4); got {answer!r}", name)
    if len(shape) != 4:
        return _say(False, f"a batch of images has 4 axes (batch, height, width, channels); "
                           f"yours has {len(shape)}", name)
    model = build_resizer(tuple(target_size))
    expected = tuple(int(v) for v in model(np.zeros((b, *input_size, c), "float32")).shape)
    if shape == expected:
        return _say(True, "", name)
    if shape[0] != expected[0]:
        return _say(False, "look at the first axis: the resizer keeps every image of the batch", name)
    if shape[1:3] != expected[1:3]:
        return _say(False, "look at height and width: they come from the resizer, not from the "
                           "input images", name)
    return _say(False, "look at the last axis: the resizer returns an image with as many "
                       "channels as it was given", name)


def check_param_count(answer: Any, filters: int = 16, num_res_blocks: int = 1) -> bool:
    """Notebooks 00 (exercise 2) and 05 (exercise 3): the parameter count of
    ``build_resizer(..., filters=filters, num_res_blocks=num_res_blocks)`` as Keras counts it
    (BatchNorm's moving statistics included), computed with ``count_params()``."""
    from resizer_lib.models.resizer import build_resizer

    f = _check_positive_int(filters, "filters")
    n = _check_positive_int(num_res_blocks, "num_res_blocks")
    name = "count"
    if is_placeholder(answer):
        return _fill(name)
    model = build_resizer((8, 8), filters=f, num_res_blocks=n)
    expected = model.count_params()
    trainable = sum(int(np.prod(w.shape)) for w in model.trainable_weights)
    if _number(answer) == trainable:
        return _say(False, "that is the trainable count: Keras' count_params() also counts "
                           "BatchNorm's moving mean and variance", name)
    return _compare(answer, expected, name, "count", whole=True)


def _random_weights(model: Any, seed: int) -> list[np.ndarray]:
    """Random values for every variable; BatchNorm scales and variances in ``[0.5, 1.5]``."""
    rng = np.random.default_rng(seed)
    return [rng.uniform(0.5, 1.5, v.shape).astype("float32")
            if v.path.endswith(("gamma", "variance")) else
            rng.normal(0.0, 0.1, v.shape).astype("float32") for v in model.weights]


def check_resizer_by_hand(model: Any, num_res_blocks: int, filters: int = 16,
                          seed: int = 0) -> bool:
    """Notebook 05, exercise 1: a functional model written by hand computes what
    ``build_resizer(target, filters=filters, num_res_blocks=num_res_blocks)`` computes.

    The check fills a library resizer with random weights, copies them into ``model`` by layer
    name (as section 3 does) and compares the outputs on random images, in inference and in
    training mode; ``model``'s own weights are put back afterwards. Its target size is read from
    ``model``'s output shape."""
    from resizer_lib.course.anatomy import sublayers
    from resizer_lib.models.resizer import build_resizer

    n = _check_positive_int(num_res_blocks, "num_res_blocks")
    f = _check_positive_int(filters, "filters")
    name = "model"
    if is_placeholder(model):
        return _fill(name, "your model (the result of your function)")
    if not hasattr(model, "get_layer") or not hasattr(model, "output_shape"):
        return _say(False, f"give a Keras model; got {type(model).__name__}", name)
    target = tuple(model.output_shape[1:3])
    if None in target:
        return _say(False, "its output size is not fixed: resize to the target size inside it", name)
    reference = build_resizer(target, filters=f, num_res_blocks=n)
    if model.count_params() != reference.count_params():
        side = "more" if model.count_params() > reference.count_params() else "fewer"
        return _say(False, f"your model has {side} parameters than the resizer with "
                           f"{n} residual block(s)", name)
    reference.set_weights(_random_weights(reference, seed))
    saved = model.get_weights()
    try:
        for source in sublayers(reference):
            if not source.weights:
                continue
            try:
                mine = model.get_layer(source.name)
            except ValueError:
                return _say(False, f"your model has no layer named `{source.name}`: name the "
                                   f"layers as in section 3", name)
            try:
                mine.set_weights(source.get_weights())
            except ValueError:
                return _say(False, f"layer `{source.name}` holds weights of other shapes than "
                                   f"the resizer's layer of that name", name)
        images = np.random.default_rng(seed).uniform(size=(2, 2 * target[0], 2 * target[1], 3))
        images = images.astype("float32")
        for training in (False, True):
            mine_out = np.asarray(model(images, training=training))
            theirs = np.asarray(reference(images, training=training))
            if mine_out.shape != theirs.shape or not np.allclose(mine_out, theirs, atol=1e-4):
                mode = "training" if training else "inference"
                return _say(False, f"same weights, different outputs (in {mode} mode): check "
                                   f"the order of the layers and what each block reads", name)
    finally:
        model.set_weights(saved)
    return _say(True, "", name)


def check_starts_as_bilinear(model: Any, seed: int = 0) -> bool:
    """Notebook 05, exercise 2: ``model`` (a resizer from ``build_resizer``) returns exactly its
    naive resize (``resize_image`` with the resizer's interpolation) on random images."""
    from resizer_lib.course.extract import find_resizer_layer
    from resizer_lib.viz import resize_image

    name = "resizer"
    if is_placeholder(model):
        return _fill(name, "your resizer")
    try:
        layer = find_resizer_layer(model)
    except (ValueError, AttributeError, TypeError):
        return _say(False, "give a resizer built with build_resizer", name)
    target = tuple(model.output_shape[1:3])
    images = np.random.default_rng(seed).uniform(size=(2, 2 * target[0] + 6, 2 * target[1], 3))
    images = images.astype("float32")
    out = np.asarray(model(images, training=False))
    naive = resize_image(images, target, layer.interpolation)
    if np.allclose(out, naive, atol=1e-5):
        return _say(True, "", name)
    correction = out - naive
    if np.allclose(correction, correction.mean(axis=(0, 1, 2)), atol=1e-5):
        return _say(False, "the correction is a constant now: the last convolution still adds "
                           "something that does not depend on the image", name)
    return _say(False, "the output still differs from the naive resize: the correction is not "
                       "zero yet", name)


def _stem_share(side: int, target_size: Sequence[int]) -> float:
    from resizer_lib.course.anatomy import multiply_adds

    macs = multiply_adds(side, target_size)
    return macs["full_resolution"] / macs["total"]


def check_stem_share(answer: Any, target_size: Sequence[int] = (150, 150), share: float = 0.9,
                     resolution: int = 10) -> bool:
    """Notebook 05, exercise 4: the smallest square input side at which the full-resolution stem
    does more than ``share`` of the multiply-adds (``anatomy.multiply_adds``), to within
    ``resolution`` pixels (a scan in steps of 10 is right)."""
    if not 0 < share < 1:
        raise ValueError(f"share must be a fraction in (0, 1), e.g. 0.9; got {share!r}")
    step = _check_positive_int(resolution, "resolution")
    name = "first_side"
    if is_placeholder(answer):
        return _fill(name)
    value = _number(answer)
    if value is None or value != int(value) or value < 1:
        return _say(False, f"give a side in whole pixels; got {answer!r}", name)
    side = int(value)
    exact = next(s for s in range(1, 100_000) if _stem_share(s, target_size) > share)
    if side < exact:
        return _say(False, f"at {side} x {side} the stem does {_stem_share(side, target_size):.1%} "
                           f"of the work: not more than {share:.0%} yet", name)
    if side - exact >= step:
        return _say(False, "the stem passes that share at a smaller side already", name)
    return _say(True, "", name)


def check_grid_gap(answer: Any, in_size: int = 300, out_size: int = 150) -> bool:
    """Notebook 05, exercise 5: the largest distance, in input pixels, between where
    ``align_corners=True`` and half-pixel centres sample (``formulations.source_coordinates``)."""
    from resizer_lib.course.formulations import source_coordinates

    gap = source_coordinates(in_size, out_size, align_corners=True) - source_coordinates(in_size, out_size)
    expected = float(np.abs(gap).max())
    name = "largest_gap"
    value = _number(answer)
    if value is not None and value < 0:
        return _say(False, "a distance is never negative", name)
    return _compare(answer, expected, name, "distance", abs_tol=1e-6)


# -- 01: CNN fundamentals -----------------------------------------------------------------------
def check_stack_sizes(out_size: Any, field: Any, stack: Sequence[tuple[int, int, str]],
                      input_size: int) -> bool:
    """Notebook 01, exercise 1: the output side and receptive field of the last layer of
    ``stack``, a list of ``(kernel_size, stride, padding)`` (a pooling layer counts like a
    convolution), on square ``input_size`` inputs (``conv_output_size``, ``receptive_fields``)."""
    from resizer_lib.course.cnn_basics import conv_output_size, receptive_fields

    n = _check_positive_int(input_size, "input_size")
    if isinstance(stack, (str, bytes)) or not stack or any(len(s) != 3 for s in stack):
        raise ValueError(f"stack must be a non-empty list of (kernel_size, stride, padding); got {stack!r}")
    size = n
    for k, s, padding in stack:
        size = conv_output_size(size, k, s, padding)
    rf = receptive_fields([(k, s) for k, s, _ in stack])[-1][0]
    size_ok = _compare(out_size, size, "out_size", "size", whole=True)
    field_ok = _compare(field, rf, "field", "receptive field", whole=True)
    return size_ok and field_ok


def _line_image(direction: str, size: int = 21) -> np.ndarray:
    img = np.zeros((size, size))
    line = {"/": np.fliplr(np.eye(size)), "\\": np.eye(size)}.get(direction)
    if line is None:
        line = np.zeros((size, size))
        line[(size // 2, slice(None)) if direction == "-" else (slice(None), size // 2)] = 1.0
    return img + line


def check_line_filter(kernel: Any, direction: str = "/") -> bool:
    """Notebook 01, exercise 2: ``kernel`` (``(k, k)`` or ``(k, k, 1, 1)``, ``k`` odd) responds
    most, at the centre of a thin bright line, to a line in ``direction`` (``"/"``: bottom-left to
    top-right, ``"\\\\"``, ``"-"`` or ``"|"``), and (almost) not at all to a flat region."""
    from resizer_lib.course.cnn_basics import conv2d_numpy

    directions = ("/", "\\", "-", "|")
    if direction not in directions:
        raise ValueError(f"direction must be one of {directions}; got {direction!r}")
    name = "filter"
    if is_placeholder(kernel):
        return _fill(name, "your filter")
    w = _array(kernel)
    if w is None or w.ndim not in (2, 4) or w.shape[0] != w.shape[1] or w.shape[0] % 2 == 0 \
            or (w.ndim == 4 and w.shape[2:] != (1, 1)):
        return _say(False, "give a square filter of odd size, shaped (k, k) or (k, k, 1, 1); "
                           f"got shape {getattr(w, 'shape', None)}", name)
    w2 = w.reshape(w.shape[:2])
    size = 3 * w2.shape[0]
    c = size // 2
    responses = {d: conv2d_numpy(_line_image(d, size), w2, padding="same")[c, c] for d in directions}
    best = responses[direction]
    if best <= 0 or any(responses[d] >= best for d in directions if d != direction):
        return _say(False, "on a thin bright line, another direction gets as strong a response "
                           "as yours, or stronger", name)
    flat = conv2d_numpy(np.ones((size, size)), w2, padding="same")[c, c]
    if abs(flat) > 0.1 * best:
        return _say(False, "it also responds to a flat bright region: make its weights sum to "
                           "(nearly) zero", name)
    return _say(True, "", name)


def check_activation_memory(answer: Any, batch_size: int = 32, filters: int = 64,
                            kernel_size: int = 7, strides: int = 2,
                            sides: Sequence[int] = (224, 300)) -> bool:
    """Notebook 01, exercise 3: ``{side: MiB}``, the float32 output of a ``Conv2D(filters,
    kernel_size, strides, "same")`` on a batch of ``side x side x 3`` images
    (``conv_layer_cost(...).bytes_per_image``), in MiB (``2**20`` bytes), to within 1 %."""
    from resizer_lib.course.cnn_basics import conv_layer_cost

    b = _check_positive_int(batch_size, "batch_size")
    if not sides:
        raise ValueError("sides must list at least one image side, e.g. (224, 300)")
    name = "stem_mib"
    if is_placeholder(answer):
        return _fill(name)
    if not isinstance(answer, Mapping):
        return _say(False, f"give a dict {{image side: MiB}}; got {type(answer).__name__}", name)
    ok = True
    for side in sides:
        part = f"{name}[{side}]"
        if side not in answer:
            ok = _say(False, f"no entry for side {side}", part) and ok
            continue
        value = _number(answer[side])
        cost = conv_layer_cost((side, side, 3), filters, kernel_size, strides=strides, padding="same")
        expected = b * cost.bytes_per_image / 2**20
        hints = {2**20 / 1e6: "that looks like megabytes (10^6 bytes); give MiB (2^20 bytes)",
                 1 / 4: "each float32 number takes 4 bytes",
                 1 / b: f"that is one image; give the batch of {b}",
                 4.0: "the stride shrinks each side of the output"}
        hint = next((h for r, h in hints.items() if value is not None
                     and _close(value, expected * r, 0.01, 0.0)), None)
        if hint is not None and value is not None and not _close(value, expected, 0.01, 0.0):
            ok = _say(False, hint, part) and ok
        else:
            ok = _compare(answer[side], expected, part, "size", rel=0.01) and ok
    return ok


# -- 02: pipelines and transfer -------------------------------------------------------------------
def check_decode_count(answer: Any, num_files: int, epochs: int = 3) -> bool:
    """Notebook 02, exercise 1: how many files a pipeline with ``.cache()`` *before* the decoding
    ``map`` decodes over ``epochs`` epochs of ``num_files`` files (the cache holds the paths,
    not the images, so every epoch decodes every file again)."""
    n = _check_positive_int(num_files, "num_files")
    e = _check_positive_int(epochs, "epochs")
    name = "decoded"
    value = _number(answer)
    if value is not None and value == n and e > 1:
        return _say(False, "that is what a cache *after* the decoding map gives: build the "
                           "pipeline with .cache() before the map", name)
    return _compare(answer, e * n, name, "count", whole=True)


def check_moved_statistics(answer: Any, base: Any) -> bool:
    """Notebook 02, exercise 4: how many BatchNorm running statistics (each layer's moving mean
    and moving variance) one training-mode call moves once ``base`` is unfrozen with
    ``keep_batchnorm_frozen=False``: all of them, counted on ``base`` (any model of the same
    architecture, e.g. the pretrained base)."""
    from resizer_lib.models.batchnorm import batchnorm_layers

    layers = batchnorm_layers(base)
    if not layers:
        raise ValueError(f"base {getattr(base, 'name', base)!r} holds no BatchNormalization "
                         f"layer; pass the base model of the exercise")
    expected = 2 * len(layers)  # a moving mean and a moving variance each, frozen or not
    name = "moved"
    value = _number(answer)
    if value == 0:
        return _say(False, "none moved: call the unfrozen copy with training=True, as fit does, "
                           "after unfreeze(..., keep_batchnorm_frozen=False)", name)
    if value is not None and value == len(layers):
        return _say(False, "that is one per BatchNorm layer: each holds two running statistics", name)
    return _compare(answer, expected, name, "count", whole=True)


# -- 05: augmentation ----------------------------------------------------------------------------
LABEL_EFFECTS = {"horizontal flip": "keeps", "quarter turn": "changes",
                 "small rotation": "erases", "brightness": "keeps"}


def check_label_effects(answer: Any) -> bool:
    """Lesson 05, exercise 1: ``{augmentation: "keeps" | "changes" | "erases"}``, what each of
    ``LABEL_EFFECTS``' augmentations does to the class of a synthetic stripe image."""
    name = "effects"
    if is_placeholder(answer):
        return _fill(name)
    if not isinstance(answer, Mapping):
        return _say(False, f"give a dict {{augmentation: 'keeps', 'changes' or 'erases'}}; got "
                           f"{type(answer).__name__}", name)
    ok = True
    for aug, effect in LABEL_EFFECTS.items():
        given = answer.get(aug)
        if given not in ("keeps", "changes", "erases"):
            ok = _say(False, "answer 'keeps', 'changes' or 'erases'", f"{name}[{aug!r}]") and ok
        else:
            ok = _say(given == effect, "measure the stripes before and after it", f"{name}[{aug!r}]") and ok
    return ok


# -- 03: batch normalisation ----------------------------------------------------------------------
def check_momentum_port(keras_momentum: Any, steps_keras: Any, steps_if_copied: Any,
                        torch_momentum: float = 0.03, fraction: float = 0.01) -> bool:
    """Notebook 03, exercise 1: Keras' momentum for PyTorch's ``torch_momentum``
    (``torch_to_keras_momentum``), and ``steps_to_forget`` of it and of the number copied
    unchanged."""
    from resizer_lib.course.normalisation import steps_to_forget, torch_to_keras_momentum

    expected = torch_to_keras_momentum(torch_momentum)
    value = _number(keras_momentum)
    if value is not None and _close(value, torch_momentum, 0.0, 1e-12):
        ok = _say(False, "that is PyTorch's number copied unchanged: the two conventions weigh "
                         "different things", "keras_momentum")
    else:
        ok = _compare(keras_momentum, expected, "keras_momentum", "momentum", abs_tol=1e-9)
    ok = _compare(steps_keras, steps_to_forget(expected, fraction), "steps_keras", "count",
                  whole=True) and ok
    return _compare(steps_if_copied, steps_to_forget(torch_momentum, fraction), "steps_if_copied",
                    "count", whole=True) and ok


def check_bias_redundant(with_bias: Any, without_bias: Any) -> bool:
    """Notebook 03, exercise 3: the training-mode BatchNorm outputs after a convolution with its
    bias and after the same convolution without it agree (to 1e-4) and are not trivial."""
    name = "with_bias, without_bias"
    if is_placeholder(with_bias) or is_placeholder(without_bias):
        return _fill(name, "both outputs")
    a, b = _array(with_bias), _array(without_bias)
    if a is None or b is None or a.shape != b.shape or a.ndim != 4:
        return _say(False, "give two BatchNorm outputs of the same shape (B, H, W, C)", name)
    if np.allclose(a, 0.0) or with_bias is without_bias:
        return _say(False, "compare two different computations on a real batch", name)
    if not np.allclose(a, b, atol=1e-4):
        return _say(False, "the two outputs differ: use the same kernel in both convolutions, "
                           "and training mode for the BatchNorm", name)
    return _say(True, "", name)


# -- 04: sampling and aliasing --------------------------------------------------------------------
def check_alias(alias_at: Any, gain: Any, frequency: float = 0.4, factor: int = 3,
                method: str = "nearest", antialias: bool = False) -> bool:
    """Notebook 04, exercise 1: where a sinusoid of ``frequency`` cycles per input pixel comes
    out after a ``factor``x ``method`` downscale (``sampling.alias_frequency(factor *
    frequency)``, cycles per output pixel) and with which gain (``sampling.resize_response``)."""
    from resizer_lib.course import sampling

    s = _check_positive_int(factor, "factor")
    expected_f = sampling.alias_frequency(s * frequency)
    expected_g = float(sampling.resize_response(method, frequency, s, antialias))
    value = _number(alias_at)
    if value is not None and not _close(value, expected_f, 0, 1e-6):
        if _close(value, s * frequency, 0, 1e-6) and s * frequency > 0.5:
            ok = _say(False, "that is above the output's Nyquist limit (0.5 cycles per output "
                             "pixel): fold it", "alias_at")
        elif _close(value, frequency, 0, 1e-6):
            ok = _say(False, "give it in cycles per *output* pixel: one output pixel spans "
                             "several input pixels", "alias_at")
        else:
            ok = _compare(alias_at, expected_f, "alias_at", "frequency", abs_tol=1e-6)
    else:
        ok = _compare(alias_at, expected_f, "alias_at", "frequency", abs_tol=1e-6)
    return _compare(gain, expected_g, "gain", "gain", rel=1e-3, abs_tol=1e-6) and ok


def check_response_function(fn: Any, method: str = "area", factor: int = 4,
                            antialias: bool = False, name: str = "area_response_4x") -> bool:
    """Notebook 04, exercise 2: ``fn(f)`` (``f`` an array of frequencies in ``[0, 0.5]``)
    returns the gain of a ``factor``x ``method`` downscale at every ``f``, as
    ``sampling.resize_response`` computes it, to within 1e-6."""
    from resizer_lib.course import sampling

    s = _check_positive_int(factor, "factor")
    f = np.linspace(0.0, 0.5, 101)
    expected = sampling.resize_response(method, f, s, antialias)
    called, out = _call(fn, name, f.copy())
    if not called:
        return False
    arr = _array(out)
    if arr is None or arr.shape != f.shape:
        return _say(False, f"return one gain per frequency (an array shaped like f, {f.shape}); "
                           f"got shape {getattr(arr, 'shape', None)}", name)
    if np.allclose(arr, expected, atol=1e-6):
        return _say(True, "", name)
    if np.allclose(np.abs(arr), expected, atol=1e-6):
        return _say(False, "right up to the sign: the gain is the magnitude |H(f)|", name)
    if not np.isclose(arr[0], expected[0], atol=1e-6):
        return _say(False, "look at f = 0 first: what does a mean do to a constant?", name)
    wrong = f[~np.isclose(arr, expected, atol=1e-6)]
    return _say(False, f"right at f = 0, off from f = {wrong[0]:.3f} on", name)


def check_vanishing_factor(answer: Any, frequency: float = 1 / 3, method: str = "bilinear",
                           antialias: bool = True, threshold: float = 1e-6,
                           factors: Sequence[int] = range(2, 13)) -> bool:
    """Notebook 04, exercise 3: the smallest integer factor in ``factors`` at which a
    ``method`` downscale (``antialias``) lets less than ``threshold`` of a sinusoid of
    ``frequency`` through (``sampling.resize_response``)."""
    from resizer_lib.course import sampling

    factors = [_check_positive_int(s, "factors") for s in factors]
    gains = {s: float(sampling.resize_response(method, frequency, s, antialias)) for s in factors}
    passing = [s for s, g in gains.items() if g < threshold]
    if not passing:
        raise ValueError(f"no factor in {factors} erases f={frequency} with {method}; pass other factors")
    name = "smallest_factor"
    if is_placeholder(answer):
        return _fill(name)
    value = _number(answer)
    if value is None or value != int(value):
        return _say(False, f"give a whole factor; got {answer!r}", name)
    s = int(value)
    if s == min(passing):
        return _say(True, "", name)
    if s in gains and gains[s] >= threshold:
        return _say(False, f"at {s}x the gain is still {gains[s]:.3g}", name)
    if s > min(passing):
        return _say(False, "a smaller factor erases it already", name)
    return _say(False, f"look only at the factors from {min(factors)} to {max(factors)}", name)


def check_surviving_shift(fn: Any, slopes: Sequence[float] = (0.0, 0.2, 0.5, 1.0),
                          amplitudes: Sequence[float] = (1.0, 3.0)) -> bool:
    """Notebook 04, exercise 4: ``fn(c, slope)`` returns the mean that survives the pair
    average of a ``+-c`` stripe after a LeakyReLU of ``slope`` (measured here on a stripe
    through ``np.where(x > 0, x, slope * x)``), to within 1e-6."""
    name = "surviving_shift"
    for c in amplitudes:
        for slope in slopes:
            stripe = np.tile([c, -c], 8)
            expected = float(np.where(stripe > 0, stripe, slope * stripe).reshape(-1, 2).mean())
            called, out = _call(fn, name, float(c), float(slope))
            if not called:
                return False
            value = _number(out)
            if value is None:
                return _say(False, f"return a number; got {out!r}", name)
            if _close(value, expected, 0, 1e-6):
                continue
            if _close(value, 2 * expected, 0, 1e-6):
                return _say(False, f"twice the right shift at slope {slope}: average each pair", name)
            if _close(value, -expected, 0, 1e-6):
                return _say(False, f"the sign is off at slope {slope}", name)
            return _say(False, f"off at c = {c}, slope = {slope}", name)
    return _say(True, "", name)


# -- 06 and 08 ------------------------------------------------------------------------------------
def check_paired_interval(half_width: Any, differences: Sequence[float], mean: Any = None,
                          level: float = 0.95) -> bool:
    """Lesson 11, exercise 4: the half width of the ``level`` t-interval of the per-seed paired
    ``differences`` (``training.stats.mean_ci``), to within 1e-9, and their ``mean`` when given.
    With fewer than two seeds there is no interval: it says so and returns ``False`` (the smoke
    profile runs one seed)."""
    from resizer_lib.training.stats import mean_ci

    d = [float(v) for v in differences]
    if not d:
        raise ValueError("differences must hold the per-seed paired differences; got none")
    if len(d) < 2:
        print("half_width: one seed only, so there is no interval to compute; run with more seeds")
        return False
    interval = mean_ci(d, level)
    ok = True if mean is None else _compare(mean, interval.mean, "mean", "mean", abs_tol=1e-9)
    value = _number(half_width)
    z_half = 1.959963984540054 * interval.std / math.sqrt(len(d))
    if value is not None and _close(value, z_half, 1e-6, 1e-12) and len(d) < 30:
        return _say(False, "that uses the normal distribution's 1.96: with so few seeds take "
                           "Student's t with n - 1 degrees of freedom", "half_width")
    half = (interval.high - interval.low) / 2
    return _compare(half_width, half, "half_width", "half width", abs_tol=1e-9) and ok


def check_convmixer_count(answer: Any, width: int = 768, depth: int = 32, kernel_size: int = 7,
                          patch_size: int = 7, num_classes: int = 1000,
                          trainable: bool = False) -> bool:
    """Lesson 12, exercise 1: ConvMixer's parameter count (``convmixer_param_count``: all
    parameters, or only the trainable ones with ``trainable=True``)."""
    from resizer_lib.models.convmixer import convmixer_param_count

    counts = convmixer_param_count(width=width, depth=depth, kernel_size=kernel_size,
                                   patch_size=patch_size, num_classes=num_classes)
    expected, other = ((counts["trainable"], counts["total"]) if trainable
                       else (counts["total"], counts["trainable"]))
    value = _number(answer)
    if value is not None and value == other:
        return _say(False, "that is the trainable count" if not trainable else
                    "that count includes BatchNorm's moving statistics", "count")
    return _compare(answer, expected, "count", "count", whole=True)


def check_influenced_cells(answer: Any, depth: int, kernel_size: int = 3) -> bool:
    """Lesson 12, exercise 2: across how many grid cells one input pixel reaches after
    ``depth`` ConvMixer blocks with ``kernel_size`` depth-wise kernels (``receptive_fields`` of
    ``depth`` stride-1 layers on the patch grid; the point-wise convolutions add nothing)."""
    from resizer_lib.course.cnn_basics import receptive_fields

    n = _check_positive_int(depth, "depth")
    expected = receptive_fields([(kernel_size, 1)] * n)[-1][0]
    return _compare(answer, expected, "cells", "count", whole=True)


# -- 07: visualising resizers ---------------------------------------------------------------------
def check_antialias_gain(aa_gain: Any, size: int = 64, sample: str = "text") -> bool:
    """Notebook 07, exercise 1: ``spectral_gain(antialiased, not antialiased)[1]`` for the
    bilinear resize of scikit-image's ``sample`` photo to ``size x size``."""
    from resizer_lib.data.sample_images import load_sample
    from resizer_lib.viz import resize_image, spectral_gain

    name = "aa_gain"
    if is_placeholder(aa_gain):
        return _fill(name)
    if isinstance(aa_gain, tuple) and len(aa_gain) == 2:
        return _say(False, "spectral_gain returns (frequencies, gains): give the gains", name)
    image = load_sample(sample)
    smooth = resize_image(image, size, "bilinear", antialias=True)
    sharp = resize_image(image, size, "bilinear", antialias=False)
    expected = spectral_gain(smooth, sharp)[1]
    arr = _array(aa_gain)
    if arr is None or arr.shape != expected.shape:
        return _say(False, f"give one gain per frequency ring, shape {expected.shape}; got "
                           f"{getattr(arr, 'shape', None)}", name)
    if np.allclose(arr, expected, atol=1e-4, equal_nan=True):
        return _say(True, "", name)
    if np.allclose(arr, -expected, atol=1e-4, equal_nan=True):
        return _say(False, "that is the opposite ratio: the antialiased resize comes first", name)
    return _say(False, f"not the gain of the {sample!r} photo at {size} x {size} with "
                       f"bilinear interpolation", name)


def check_nearest_offsets(offsets: Any, input_size: Sequence[int], target_size: Sequence[int],
                          pictures: int = 16) -> bool:
    """Notebook 07, exercise 2: ``{class name: sorted offsets}``, the (rounded) mean grey-level
    offsets a ``nearest`` resize from ``input_size`` to ``target_size`` leaves of each class's
    stripes over the first ``pictures`` synthetic pictures (measured with
    ``synthetic_image``)."""
    from resizer_lib.data.synthetic import SYNTHETIC_CLASS_NAMES, synthetic_image
    from resizer_lib.viz import resize_image

    n = _check_positive_int(pictures, "pictures")
    name = "offsets"
    if is_placeholder(offsets):
        return _fill(name)
    size, target = tuple(input_size), tuple(target_size)
    expected: dict[str, set[int]] = {name: set() for name in SYNTHETIC_CLASS_NAMES}
    for i in range(n):
        plain = synthetic_image(i, size, amplitude=0, label=0) / 255.0
        for k, cls in enumerate(SYNTHETIC_CLASS_NAMES):
            striped = synthetic_image(i, size, label=k) / 255.0
            near = resize_image(np.stack([striped, plain]).astype("float32"), target, "nearest")
            expected[cls].add(round(float((255 * (near[0] - near[1])).mean())))
    if not isinstance(offsets, Mapping):
        return _say(False, f"give a dict {{class name: offsets}}; got {type(offsets).__name__}", name)
    ok = True
    for cls, want in expected.items():
        part = f"{name}[{cls!r}]"
        if cls not in offsets:
            ok = _say(False, "no entry for this class", part) and ok
            continue
        try:
            got = {round(float(v)) for v in offsets[cls]}
        except (TypeError, ValueError):
            ok = _say(False, "give the offsets as a list of numbers (grey levels)", part) and ok
            continue
        if got == want:
            ok = _say(True, "", part) and ok
        elif got - want:
            ok = _say(False, "some of your offsets never occur (measure in grey levels, 0..255)",
                      part) and ok
        else:
            ok = _say(False, "some offsets are missing: look at more pictures", part) and ok
    return ok


def check_same_size_resizer(model: Any, trained: Any, input_size: Sequence[int] | None = None) -> bool:
    """Notebook 07, exercise 4: ``model`` is a resizer whose output has the size of its input
    (checked at ``input_size``, default ``trained``'s fixed input size, else twice its output
    size) and holds ``trained``'s weights."""
    from resizer_lib.course.extract import find_resizer_layer

    name = "same_size"
    if is_placeholder(model):
        return _fill(name)
    try:
        find_resizer_layer(model)
    except (ValueError, AttributeError, TypeError):
        return _say(False, "give a resizer built with build_resizer", name)
    size = tuple(input_size) if input_size is not None else tuple(trained.input_shape[1:3])
    size = size if None not in size else (2 * trained.output_shape[1], 2 * trained.output_shape[2])
    out = model(np.zeros((1, *size, 3), "float32"), training=False)
    if tuple(out.shape[1:3]) != size:
        return _say(False, "its output is not the size of its input: build it for the input size", name)
    mine, theirs = model.get_weights(), trained.get_weights()
    if len(mine) != len(theirs) or any(a.shape != b.shape for a, b in zip(mine, theirs, strict=False)):
        return _say(False, "its layers differ from the trained resizer's: build it with the same "
                           "filters, blocks and interpolation", name)
    if not all(np.array_equal(a, b) for a, b in zip(mine, theirs, strict=True)):
        return _say(False, "it does not hold the trained weights yet: copy them in", name)
    return _say(True, "", name)



# -- 13 and 14: segmentation, boxes and AP -------------------------------------------------------
def _centre_boxes(count: int, seed: int) -> np.ndarray:
    """``(count, 4)`` boxes ``(cx, cy, w, h)`` with positive sizes, some pairs overlapping."""
    rng = np.random.default_rng(seed)
    return np.column_stack([rng.uniform(10, 30, (count, 2)), rng.uniform(1, 20, (count, 2))])


def check_iou_centre(fn: Any, count: int = 40) -> bool:
    """Lesson 14, exercise 1: ``fn(a, b)`` gives the IoU of two ``(cx, cy, w, h)`` boxes,
    checked against the corner-box IoU on seeded pairs (some disjoint), to within 1e-9."""
    count = _check_positive_int(count, "count")
    name = "iou_centre"
    a, b = _centre_boxes(count, 0), _centre_boxes(count, 1)
    lo = np.maximum(a[:, :2] - a[:, 2:] / 2, b[:, :2] - b[:, 2:] / 2)
    hi = np.minimum(a[:, :2] + a[:, 2:] / 2, b[:, :2] + b[:, 2:] / 2)
    inter = np.prod(np.clip(hi - lo, 0, None), axis=1)
    expected = inter / (np.prod(a[:, 2:], axis=1) + np.prod(b[:, 2:], axis=1) - inter)
    for i in range(count):
        called, out = _call(fn, name, a[i].copy(), b[i].copy())
        if not called:
            return False
        value = _number(out)
        if value is None:
            return _say(False, f"return one number per pair of boxes; got {out!r}", name)
        if not _close(value, float(expected[i]), 0, 1e-9):
            kind = "disjoint" if expected[i] == 0 else "overlapping"
            return _say(False, f"off on a pair of {kind} boxes (check the half-widths, and clip "
                               f"negative overlaps at zero)", name)
    return _say(True, "", name)


def check_dice(fn: Any, size: int = 24) -> bool:
    """Lesson 13, exercise 2: ``fn(a, b)`` gives the Dice coefficient of two boolean masks,
    checked on seeded masks of several overlaps, to within 1e-9."""
    size = _check_positive_int(size, "size")
    name = "dice"
    rng = np.random.default_rng(9)
    for density in (0.1, 0.5, 0.9):
        a, b = rng.random((size, size)) < density, rng.random((size, size)) < density
        expected = 2 * np.logical_and(a, b).sum() / (a.sum() + b.sum())
        called, out = _call(fn, name, a.copy(), b.copy())
        if not called:
            return False
        value = _number(out)
        if value is None:
            return _say(False, f"return a number; got {out!r}", name)
        iou = np.logical_and(a, b).sum() / np.logical_or(a, b).sum()
        if _close(value, float(iou), 0, 1e-9) and not _close(value, float(expected), 0, 1e-9):
            return _say(False, "that is the IoU: Dice divides twice the overlap by the sum of the sizes", name)
        if not _close(value, float(expected), 0, 1e-9):
            return _say(False, f"off for masks that cover about {density:.0%} of the image", name)
    return _say(True, "", name)


# -- the guard every public check runs through -------------------------------------------------
def _non_finite(value: Any, depth: int = 0) -> bool:
    """True when ``value`` (a number, array, tensor, or a list, tuple or dict of them) holds NaN
    or infinity. Models and functions are not looked into."""
    if depth > 4 or value is None or callable(value) or isinstance(value, (str, bytes, bool)):
        return False
    if isinstance(value, Mapping):
        return any(_non_finite(v, depth + 1) for v in value.values())
    if isinstance(value, (int, np.integer)):
        return False
    if isinstance(value, (float, np.floating)):
        return not math.isfinite(value)
    if isinstance(value, (list, tuple, np.ndarray)) or hasattr(value, "__array__"):
        try:
            arr = np.asarray(value, dtype=np.float64)
        except Exception:  # ragged or mixed: look at the items
            return isinstance(value, (list, tuple)) and any(_non_finite(v, depth + 1) for v in value)
        return bool(arr.size) and not bool(np.isfinite(arr).all())
    return False


def _raised_in(err: BaseException, fn: Any) -> bool:
    """True when ``err`` was raised by a ``raise`` in ``fn``'s own body."""
    tb = err.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    return tb is not None and tb.tb_frame.f_code is fn.__code__


def _guard(check: Any) -> Any:
    """``check`` that turns every wrong answer into a hint: NaN or infinity refused up front, an
    exception while checking reported (not raised), the result always a ``bool``."""
    signature = inspect.signature(check)
    first = next(iter(signature.parameters))

    @functools.wraps(check)
    def guarded(*args: Any, **kwargs: Any) -> bool:
        try:
            bound = signature.bind(*args, **kwargs)
        except TypeError as err:
            raise CheckUsageError(f"{check.__name__}: {err}") from None
        bad = next((n for n, v in bound.arguments.items() if _non_finite(v)), None)
        if bad is not None:
            return _say(False, "it holds NaN or infinity: give finite numbers", bad)
        try:
            result = check(*args, **kwargs)
        except CheckUsageError:
            raise
        except Exception as err:  # raised while checking the learner's answer
            if isinstance(err, ValueError) and _raised_in(err, check):
                raise  # the check's own arguments are wrong
            message = str(err).strip().splitlines()[0][:120] if str(err).strip() else ""
            return _say(False, f"this answer could not be checked ({type(err).__name__}"
                               f"{': ' + message if message else ''}); give what the exercise "
                               f"asks for", first)
        return result is True

    return guarded


for _name in __all__:
    if _name.startswith("check_"):
        globals()[_name] = _guard(globals()[_name])
