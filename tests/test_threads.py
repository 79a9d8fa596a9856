"""The thread pool of the data pipeline (``resizer_lib.data.pipeline``)."""

from __future__ import annotations

import os
import threading

import pytest

from resizer_lib.data.pipeline import default_workers, map_threads

pytestmark = pytest.mark.multibackend


def test_results_keep_the_order_of_the_items_on_any_number_of_threads():
    items = list(range(50))
    for workers in (1, 2, 4):
        assert map_threads(lambda x: x * x, items, workers) == [x * x for x in items]
    assert map_threads(str, [], 4) == []


def test_several_threads_are_used_when_asked():
    seen = set()

    def note(x):
        seen.add(threading.get_ident())
        threading.Event().wait(0.01)
        return x

    map_threads(note, list(range(40)), 4)
    assert len(seen) > 1


def test_the_default_is_the_cpu_count_capped_at_eight():
    assert default_workers() == max(1, min(8, os.cpu_count() or 1))
