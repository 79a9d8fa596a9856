"""Images per second of the folder pipeline (decode + resize to 300x300, batches of 64).

Compares, on the same files (the real photos by default):

* ``naive``: a per-file loop, ``PIL.Image.open -> convert("RGB") -> resize -> np.asarray``;
* ``scan``: ``resizer_lib.data.folder.scan_folder``, the up-front validation of every file;
* ``numpy``: ``load_dataset(backend="numpy")`` decoding into arrays with a thread pool;
* ``tf.data``: ``load_dataset(backend="tf")``, first epoch (decode + resize + cache) and
  second epoch (from the cache).

Run:  .venv/bin/python benchmarks/data_pipeline.py [--folder PATH] [--limit N]
It is a measurement, not a test; paste its table into benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
DEFAULT_FOLDER = REPO.parent / "shared" / "datasets" / "cats_vs_dogs"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.load_before = _load()
    folder = Path(args.folder)
    if not (folder / "train").is_dir():
        print(f"benchmark skipped: no image folder with train/ at {folder} (pass --folder)")
        return 0
    sys.path.insert(0, str(REPO))
    from resizer_lib.data import load_dataset
    from resizer_lib.data.folder import scan_folder

    size = (args.image_size, args.image_size)
    warm_page_cache(folder)
    with Timer() as t:
        scan = scan_folder(folder, seed=0, num_workers=args.workers)
    rows = [("scan (validate every file, train+val)", _count(scan), *t.result)]
    paths = scan.splits["train"].paths[: args.limit]
    n = len(paths)
    with Timer() as t:
        naive_loop(paths, size)
    rows.append(("naive loop: PIL open + resize, one by one", n, *t.result))
    limit = {"train": n, "val": 1}
    common = dict(
        image_size=size, batch_size=args.batch_size, limit=limit,
        options={"num_workers": args.workers},
    )
    with Timer() as t:
        load_dataset(folder, backend="numpy", **common)  # scan is cached in-process by now
    rows.append(("resizer_lib numpy path (thread pool)", n + 1, *t.result))
    rows += tf_rows(folder, common)
    print_report(rows, args, n)
    return 0


class Timer:
    """Wall-clock and process CPU seconds (all threads) of a ``with`` block."""

    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), _cpu_seconds()
        return self

    def __exit__(self, *exc):
        self.result = (time.perf_counter() - self.wall, _cpu_seconds() - self.cpu)


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", default=str(DEFAULT_FOLDER))
    parser.add_argument("--limit", type=int, default=None, help="train images to use (all)")
    parser.add_argument("--image-size", type=int, default=300)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--workers", type=int, default=None, help="threads (CPU count, <= 8)")
    return parser.parse_args(argv)


def _count(scan) -> int:
    return sum(len(s.paths) + sum(s.skipped.values()) for s in scan.splits.values())


def warm_page_cache(folder: Path) -> None:
    """Read every file once so that no method pays for the first disk read."""
    for path in folder.rglob("*"):
        if path.is_file():
            path.read_bytes()


def naive_loop(paths: list[str], size: tuple[int, int]) -> None:
    from PIL import Image

    for path in paths:
        with Image.open(path) as im:
            np.asarray(im.convert("RGB").resize(size[::-1], Image.BILINEAR))


def tf_rows(folder: Path, common: dict) -> list[tuple]:
    try:
        import tensorflow  # noqa: F401
    except ImportError:
        return [("tf.data path: skipped (TensorFlow not installed)", 0, float("nan"), 0.0)]
    from resizer_lib.data import load_dataset

    d = load_dataset(folder, backend="tf", **common)
    rows = []
    for label in (
        "tf.data path, epoch 1 (decode + resize + cache)",
        "tf.data path, epoch 2 (cache)",
    ):
        with Timer() as t:
            seen = sum(int(x.shape[0]) for x, _ in d.train)
        rows.append((label, seen, *t.result))
    return rows


def print_report(rows, args, n: int) -> None:
    print(f"Data pipeline benchmark, {datetime.date.today().isoformat()}")
    print(f"CPU: {cpu_model()}, {os.cpu_count()} cores; Python {platform.python_version()}")
    print(f"load average before: {args.load_before}, after: {_load()}")
    print(f"{n} train images -> {args.image_size}x{args.image_size}, batch {args.batch_size}\n")
    print("| method | images | wall s | images/s | CPU ms / image |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, count, wall, cpu in rows:
        rate = count / wall if wall and wall == wall else float("nan")
        per_image = 1000 * cpu / count if count else float("nan")
        print(f"| {name} | {count} | {wall:.2f} | {rate:.0f} | {per_image:.1f} |")


def _load() -> str:
    try:
        return " ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def cpu_model() -> str:
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
    except OSError:
        return platform.processor() or "unknown"
    for line in out.splitlines():
        if line.startswith("Model name:"):
            return line.split(":", 1)[1].strip()
    return "unknown"


if __name__ == "__main__":
    raise SystemExit(main())
