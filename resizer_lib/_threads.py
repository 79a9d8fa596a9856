"""The one thread pool: decoding on several threads (Pillow and NumPy release the GIL)."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

__all__ = ["default_workers", "map_threads"]


def default_workers() -> int:
    """Threads for decoding: the CPU count, at most 8."""
    return max(1, min(8, os.cpu_count() or 1))


def map_threads(fn: Callable, items: Sequence, workers: int) -> list:
    """``[fn(x) for x in items]`` on up to ``workers`` threads, results in the items' order."""
    if workers <= 1 or len(items) < 2:
        return [fn(x) for x in items]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(fn, items, chunksize=16))
