"""Images per second of the folder pipeline (decode + resize to 300x300, batches of 64).

Compares, on the same files (the real photos by default):

* ``naive``: a per-file loop, ``PIL.Image.open -> convert("RGB") -> resize -> np.asarray``;
* ``scan``: ``resizer_lib.folder.scan_folder``, the up-front validation of every file;
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
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
DEFAULT_FOLDER = REPO.parent / "shared" / "datasets" / "cats_vs_dogs"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    folder = Path(args.folder)
    if not (folder / "train").is_dir():
        print(f"benchmark skipped: no image folder with train/ at {folder} (pass --folder)")
        return 0
    sys.path.insert(0, str(REPO))
    from resizer_lib.data import load_dataset
    from resizer_lib.folder import scan_folder

    size = (args.image_size, args.image_size)
    t0 = time.perf_counter()
    scan = scan_folder(folder, seed=0, num_workers=args.workers)
    scan_s = time.perf_counter() - t0
    paths = scan.splits["train"].paths[: args.limit]
    n = len(paths)
    warm_page_cache(paths)
    rows = [("scan (validate every file, train+val)", _count(scan), scan_s)]
    rows.append(("naive loop: PIL open + resize, one by one", n, naive_loop(paths, size)))
    limit = {"train": n, "val": 1}
    common = dict(
        image_size=size, batch_size=args.batch_size, limit=limit, num_workers=args.workers
    )
    t0 = time.perf_counter()
    load_dataset(folder, backend="numpy", **common)  # scan is cached in-process by now
    rows.append(("resizer_lib numpy path (thread pool)", n + 1, time.perf_counter() - t0))
    rows += tf_rows(folder, n, common)
    print_report(rows, args, n)
    return 0


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


def warm_page_cache(paths: list[str]) -> None:
    """Read every file once so that no method pays for the first disk read."""
    for path in paths:
        Path(path).read_bytes()


def naive_loop(paths: list[str], size: tuple[int, int]) -> float:
    from PIL import Image

    t0 = time.perf_counter()
    for path in paths:
        with Image.open(path) as im:
            np.asarray(im.convert("RGB").resize(size[::-1], Image.BILINEAR))
    return time.perf_counter() - t0


def tf_rows(folder: Path, n: int, common: dict) -> list[tuple[str, int, float]]:
    try:
        import tensorflow  # noqa: F401
    except ImportError:
        return [("tf.data path: skipped (TensorFlow not installed)", 0, float("nan"))]
    from resizer_lib.data import load_dataset

    d = load_dataset(folder, backend="tf", **common)
    rows = []
    for label in (
        "tf.data path, epoch 1 (decode + resize + cache)",
        "tf.data path, epoch 2 (cache)",
    ):
        t0 = time.perf_counter()
        seen = sum(int(x.shape[0]) for x, _ in d.train)
        rows.append((label, seen, time.perf_counter() - t0))
    return rows


def print_report(rows, args, n: int) -> None:
    print(f"Data pipeline benchmark, {datetime.date.today().isoformat()}")
    print(f"CPU: {cpu_model()}, {os.cpu_count()} cores; Python {platform.python_version()}")
    print(f"{n} train images -> {args.image_size}x{args.image_size}, batch {args.batch_size}\n")
    print("| method | images | seconds | images/s |")
    print("| --- | ---: | ---: | ---: |")
    for name, count, seconds in rows:
        rate = count / seconds if seconds and seconds == seconds else float("nan")
        print(f"| {name} | {count} | {seconds:.2f} | {rate:.0f} |")


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
