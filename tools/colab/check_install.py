"""Install the course's wheel the way a notebook's install cell does, and fail if that changes
any package of Colab's runtime.

    python tools/colab/check_install.py PINS WHEEL      # with the Colab environment's python

1. what pip *would* do, asked with the index on, as in Colab (`pip install --dry-run --report`):
   any pinned package it would install again, in another version, fails here with the versions;
2. the install itself, as the install cell runs it (`python -m pip install -q WHEEL`, here with
   pip's index off, so that nothing else can be fetched);
3. every installed package before against after (`pip list`, as `pip freeze --all`): a pinned package changed or any
   package removed or replaced fails; packages added are listed.
Run by tools/colab_stage.sh (`make colab`); the comparisons are tested in tests/test_colab_runtime.py.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def read_pins(path: Path) -> dict[str, str]:
    """``{normalised name: version}`` of a pin file's ``name==version`` lines."""
    pins = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, version = line.split("==", 1)
            pins[normalise(name)] = version.strip()
    return pins


def would_change(report: dict, pins: dict[str, str], installed: dict[str, str]) -> list[str]:
    """From a `pip install --report`: each package pip would install over one already there
    (a pinned one, or any other), with both versions."""
    problems = []
    for item in report.get("install", []):
        name, version = item["metadata"]["name"], item["metadata"]["version"]
        key = normalise(name)
        if key in pins and pins[key] != version:
            problems.append(f"{name}: pinned {pins[key]}, pip would install {version}")
        elif key in installed and installed[key] != version:
            problems.append(f"{name}: installed {installed[key]}, pip would install {version}")
    return problems


def freeze_changes(before: dict[str, str], after: dict[str, str],
                   pins: dict[str, str]) -> tuple[list[str], list[str]]:
    """``(problems, added)``: every pinned package not at its pin after the install, every
    package removed or changed, and (not a problem) the packages added."""
    problems = [f"{name}: pinned {version}, now {after.get(name, 'not installed')}"
                for name, version in pins.items() if after.get(name) != version]
    problems += [f"{name}: {version} before, {after.get(name, 'not installed')} after"
                 for name, version in before.items()
                 if name not in pins and after.get(name) != version]
    added = [f"{name} {version}" for name, version in after.items() if name not in before]
    return problems, added


def _freeze() -> dict[str, str]:
    """``{normalised name: version}`` of every installed package (`pip freeze --all`, read
    through `pip list`, which gives a direct reference's version too)."""
    out = subprocess.run([sys.executable, "-m", "pip", "list", "--format=json"], check=True,
                         capture_output=True, text=True).stdout
    return {normalise(item["name"]): item["version"] for item in json.loads(out)}


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    pins, wheel = read_pins(Path(argv[0])), argv[1]
    before = _freeze()
    unpinned = [f"{n} {v} (installed {before.get(n, 'none')})" for n, v in pins.items()
                if before.get(n) != v]
    if unpinned:
        print("check_install: the environment is not at its pins: " + "; ".join(unpinned),
              file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        report_file = Path(tmp) / "report.json"
        env = {k: v for k, v in os.environ.items() if k != "PIP_NO_INDEX"}
        dry = subprocess.run([sys.executable, "-m", "pip", "install", "--dry-run", "--quiet",
                              "--report", str(report_file), wheel], env=env,
                             capture_output=True, text=True)
        if dry.returncode != 0:
            print(f"check_install: pip install --dry-run failed:\n{dry.stderr[-3000:]}",
                  file=sys.stderr)
            return 1
        report = json.loads(report_file.read_text())
    problems = would_change(report, pins, before)
    if problems:
        print("check_install: installing the course would replace Colab's packages: "
              + "; ".join(problems), file=sys.stderr)
        return 1
    # the install cell's own command (the notebooks' first cell); the index off: nothing fetched
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", wheel], check=True,
                   env={**os.environ, "PIP_NO_INDEX": "1"})
    problems, added = freeze_changes(before, _freeze(), pins)
    if problems:
        print("check_install: installing the course changed Colab's packages: "
              + "; ".join(problems), file=sys.stderr)
        return 1
    print(f"check_install: installing {Path(wheel).name} changed none of the {len(pins)} pinned "
          f"packages nor any other; added: {', '.join(added) or 'nothing'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
