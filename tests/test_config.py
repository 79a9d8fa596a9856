"""``resizer_lib.training.config``: ``ExperimentConfig``, its checks and its fingerprint."""

from __future__ import annotations

import hashlib
import json

import pytest
from test_runner import tiny_config, tiny_data  # noqa: F401

pytestmark = pytest.mark.multibackend


@pytest.mark.parametrize("kw, pattern", [
    (dict(arms=("bilinear", "sharp")), "Unknown arm 'sharp'"),
    (dict(recipe="adam"), "Unknown recipe 'adam'"),
    (dict(epochs=0), "epochs"),
    (dict(seeds=()), "seeds is empty"),
    (dict(image_size=(0, 10)), "image_size"),
])
def test_config_validation(tmp_path, kw, pattern):
    with pytest.raises(ValueError, match=pattern):
        tiny_config(tmp_path, **kw)


def test_run_eagerly_changes_the_fingerprint_only_when_set(tmp_path):
    graph, eager = tiny_config(tmp_path, run_eagerly=False), tiny_config(tmp_path, run_eagerly=True)
    assert graph.fingerprint("d") != eager.fingerprint("d")
    # runs recorded before the field existed keep their fingerprint (they are reused, not retrained)
    skip = {"name", "out_dir", "verbose", "tensorboard", "extra", "seeds", "arms", "run_eagerly"}
    before = {k: v for k, v in graph.to_dict().items() if k not in skip} | {"data": "d"}
    digest = hashlib.sha256(json.dumps(before, sort_keys=True).encode()).hexdigest()[:16]
    assert graph.fingerprint("d") == digest
