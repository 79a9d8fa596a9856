"""The committed study summaries, shipped as package data (``study_data/``, copied from
``results/`` by ``make sync``), so a notebook reads them anywhere, Colab included:
``load_study(name)``.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

__all__ = ["SOURCES", "STUDY_DATA", "load_study", "study_names", "study_path", "packaged_copies"]

STUDY_DATA = "study_data"  # the folder inside the package

# packaged name -> its file under results/ (the source of truth in a checkout)
SOURCES = {
    "synthetic_quick": "synthetic_quick.json",
    "photos_small_cnn_128to64": "photos_small_cnn_128to64.json",
    "photos_small_cnn_128to64_keras_io": "photos_small_cnn_128to64_keras_io.json",
    "photos_densenet121_300to150_gpu": "photos_densenet121_300to150_gpu.json",
    "photos_densenet121_300to150_gpu_4arms": "photos_densenet121_300to150_gpu_4arms.json",
    "photos_densenet121_300to150_gpu_batchnorm": "photos_densenet121_300to150_gpu/batchnorm.json",
    "map_small_cnn": "map_small_cnn.json",  # the factor map (map-report), partial until complete
    "warm_start_small_cnn": "warm_start_small_cnn.json",  # the warm start (map-report on its runs)
}


def _folder():
    return resources.files("resizer_lib").joinpath(STUDY_DATA)


def study_names() -> list[str]:
    """The names of the studies shipped with the package, sorted (``load_study`` takes them)."""
    folder = _folder()
    if not folder.is_dir():
        return []
    return sorted(p.name[: -len(".json")] for p in folder.iterdir() if p.name.endswith(".json"))


def study_path(name: str):
    """The packaged file of study ``name`` (a ``Traversable``); ``ValueError`` naming the known
    studies when there is none."""
    if not isinstance(name, str) or not name or "/" in name or "\\" in name or name.startswith("."):
        raise ValueError(f"a study name is a plain name such as 'photos_small_cnn_128to64'; got {name!r}")
    path = _folder().joinpath(f"{name.removesuffix('.json')}.json")
    if not path.is_file():
        known = ", ".join(study_names()) or "none"
        raise ValueError(
            f"no study {name!r} ships with resizer_lib (known: {known}). A study of your own is "
            f"read with json.load(open('<out>/<name>.json'))."
        )
    return path


def load_study(name: str) -> dict:
    """The committed study ``name`` as a dict (the JSON ``compare`` wrote), from the package."""
    path = study_path(name)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:  # a damaged installation, not a user error
        raise ValueError(f"the packaged study {name!r} is not valid JSON ({err}); reinstall resizer_lib") from err


def packaged_copies(results: str | Path, package: str | Path | None = None) -> dict[str, tuple[Path, Path]]:
    """``{name: (source under results/, its copy in the package)}`` for every entry of
    ``SOURCES``: the pairs ``make sync`` copies and ``make lint`` compares (in a checkout)."""
    folder = Path(package) if package is not None else Path(__file__).resolve().parents[1] / STUDY_DATA
    return {name: (Path(results) / rel, folder / f"{name}.json") for name, rel in SOURCES.items()}
