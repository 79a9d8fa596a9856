"""The committed study summaries, shipped as package data (``study_data/``, copied from
``results/`` by ``make sync``), so a notebook reads them anywhere, Colab included:
``load_study(name)``.
"""

from __future__ import annotations

import json
from importlib import resources

__all__ = ["load_study", "study_names"]


def _folder():
    return resources.files("resizer_lib").joinpath("study_data")


def study_names() -> list[str]:
    """The names of the studies shipped with the package, sorted (``load_study`` takes them)."""
    folder = _folder()
    if not folder.is_dir():
        return []
    return sorted(p.name.removesuffix(".json") for p in folder.iterdir() if p.name.endswith(".json"))


def load_study(name: str) -> dict:
    """The committed study ``name`` as a dict (the JSON ``compare`` wrote), from the package."""
    if not isinstance(name, str) or not name or "/" in name or "\\" in name or name.startswith("."):
        raise ValueError(f"a study name is a plain name such as 'photos_small_cnn_128to64'; got {name!r}")
    path = _folder().joinpath(f"{name.removesuffix('.json')}.json")
    if not path.is_file():
        raise ValueError(f"no study {name!r} ships with resizer_lib (known: {', '.join(study_names()) or 'none'}). "
                         f"A study of your own is read with json.load(open('<out>/<name>.json')).")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:  # a damaged installation, not a user error
        raise ValueError(f"the packaged study {name!r} is not valid JSON ({err}); reinstall resizer_lib") from err
