"""Rewrite the Colab pins from Colab's published package list, in one command.

    python tools/colab/refresh_pins.py PIP_FREEZE_FILE --date YYYY-MM-DD --python X.Y.Z \
        [--runtime "how Colab names it"] [--add NAME ...]

PIP_FREEZE_FILE is Colab's published list of the runtime's Python packages (its `pip freeze`,
``pip-freeze.txt``); ``--python`` is the runtime's Python version (published beside it). This
writes ``tools/colab/colab-<date>.txt`` with the new versions of every package the current pin
file names (plus ``--add``), removes the older pin file, and regenerates
``resizer_lib/course/colab_runtime.py``, the copy that ``setup()`` reports in Colab. The Colab
stage (``make colab``) then builds its environment from the new pins.
``--check`` only verifies that the generated module matches the pin file.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "tools" / "colab"
MODULE = ROOT / "resizer_lib" / "course" / "colab_runtime.py"
HEADER = """\
# Colab's runtime of {date}: the versions of the packages the course touches, from Colab's
# published package list (its `pip freeze`) of that date. Refresh when Colab moves (a new dated
# file replaces this one):
#   python tools/colab/refresh_pins.py PIP_FREEZE_FILE --date YYYY-MM-DD --python X.Y.Z
# date: {date}
# runtime: {runtime}
# python: {python}
"""
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_WHEEL_VERSION = re.compile(r"/[A-Za-z0-9_.]+?-(\d[^-/]*)-[^/]*\.whl")


def normalise(name: str) -> str:
    """A distribution name as PyPI compares them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def parse_freeze(text: str) -> dict[str, tuple[str, str]]:
    """``{normalised name: (name as written, version)}`` from a `pip freeze` listing. A direct
    reference (``name @ url``) takes the version of the wheel's file name, without a local label
    (``+cuda12``), the release PyPI has; other references are left out."""
    found = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith(("#", "-")):
            continue
        if "==" in line:
            name, version = (part.strip() for part in line.split("==", 1))
        elif " @ " in line:
            name, url = (part.strip() for part in line.split(" @ ", 1))
            match = _WHEEL_VERSION.search(url)
            if not match:
                continue
            version = match.group(1).split("+", 1)[0]
        else:
            continue
        found[normalise(name)] = (name, version)
    return found


def read_pins(path: Path) -> tuple[dict[str, str], dict[str, str]]:
    """``({"date", "runtime", "python"}, {name: version})`` from a pin file."""
    meta, pins = {}, {}
    for line in path.read_text().splitlines():
        head = re.match(r"^# (date|runtime|python): (.+)$", line)
        if head:
            meta[head.group(1)] = head.group(2).strip()
        elif line.strip() and not line.startswith("#"):
            name, version = line.split("==", 1)
            pins[name.strip()] = version.strip()
    missing = {"date", "runtime", "python"} - set(meta)
    if missing:
        raise SystemExit(f"{path}: no '# {sorted(missing)[0]}: ...' line")
    return meta, pins


def current_pin_file() -> Path:
    """The newest ``tools/colab/colab-<date>.txt``."""
    files = sorted(FOLDER.glob("colab-*.txt"))
    if not files:
        raise SystemExit(f"no colab-<date>.txt in {FOLDER}")
    return files[-1]


def render_module(meta: dict[str, str], pins: dict[str, str], source: str) -> str:
    q = json.dumps
    versions = "".join(f"    {q(name)}: {q(version)},\n" for name, version in pins.items())
    return (
        f'"""The Colab runtime this course was tested on (generated from {source} by\n'
        f'tools/colab/refresh_pins.py; do not edit). ``setup()`` reports it in Colab."""\n\n'
        f"DATE = {q(meta['date'])}\n"
        f"RUNTIME = {q(meta['runtime'])}\n"
        f"PYTHON = {q(meta['python'])}\n"
        f"VERSIONS = {{\n{versions}}}\n"
    )


def write_module(path: Path) -> None:
    meta, pins = read_pins(path)
    MODULE.write_text(render_module(meta, pins, f"tools/colab/{path.name}"))


def check() -> int:
    path = current_pin_file()
    meta, pins = read_pins(path)
    expected = render_module(meta, pins, f"tools/colab/{path.name}")
    if not MODULE.is_file() or MODULE.read_text() != expected:
        print(f"{MODULE.relative_to(ROOT)} does not match {path.relative_to(ROOT)}; run "
              f"python tools/colab/refresh_pins.py --regenerate", file=sys.stderr)
        return 1
    return 0


def refresh(freeze: Path, date: str, python: str, runtime: str | None, add: list[str]) -> Path:
    if not _DATE.match(date):
        raise SystemExit(f"--date must be YYYY-MM-DD; got {date!r}")
    if not re.match(r"^3\.\d+\.\d+$", python):
        raise SystemExit(f"--python must be X.Y.Z (e.g. 3.13.5); got {python!r}")
    old = current_pin_file()
    _, old_pins = read_pins(old)
    listed = parse_freeze(freeze.read_text())
    names = list(old_pins) + [n for n in add if normalise(n) not in map(normalise, old_pins)]
    missing = [n for n in names if normalise(n) not in listed]
    if missing:
        raise SystemExit(f"{freeze} lists no {', '.join(missing)}: is it Colab's pip freeze? "
                         f"(a package Colab dropped must be removed from {old.name} by hand)")
    pins = {name: listed[normalise(name)][1] for name in sorted(names, key=normalise)}
    meta = {"date": date, "python": python,
            "runtime": runtime or f"Colab's default runtime on {date}"}
    new = FOLDER / f"colab-{date}.txt"
    new.write_text(HEADER.format(**meta) + "".join(f"{n}=={v}\n" for n, v in pins.items()))
    if old != new:
        old.unlink()
    write_module(new)
    changed = [f"{n} {old_pins.get(n, '-')} -> {v}" for n, v in pins.items() if old_pins.get(n) != v]
    print(f"wrote {new.relative_to(ROOT)} and {MODULE.relative_to(ROOT)}; "
          + ("changed: " + "; ".join(changed) if changed else "no version changed"))
    return new


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("freeze", nargs="?", type=Path, help="Colab's pip-freeze.txt")
    parser.add_argument("--date", help="the runtime's date, YYYY-MM-DD")
    parser.add_argument("--python", help="the runtime's Python version, X.Y.Z")
    parser.add_argument("--runtime", help="how Colab names the runtime (default: Latest on DATE)")
    parser.add_argument("--add", action="append", default=[], help="pin one more package")
    parser.add_argument("--check", action="store_true", help="only check the generated module")
    parser.add_argument("--regenerate", action="store_true",
                        help="only rewrite the generated module from the current pin file")
    args = parser.parse_args(argv)
    if args.check:
        return check()
    if args.regenerate:
        write_module(current_pin_file())
        return 0
    if not (args.freeze and args.date and args.python):
        parser.error("give PIP_FREEZE_FILE, --date and --python (or --check / --regenerate)")
    refresh(args.freeze, args.date, args.python, args.runtime, args.add)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
