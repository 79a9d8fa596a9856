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
    skip = {"name", "out_dir", "verbose", "tensorboard", "extra", "seeds", "arms", "run_eagerly",
            "shift", "zero_init"}
    before = {k: v for k, v in graph.to_dict().items() if k not in skip} | {"data": "d"}
    digest = hashlib.sha256(json.dumps(before, sort_keys=True).encode()).hexdigest()[:16]
    assert graph.fingerprint("d") == digest


def _fingerprint_before_the_fair_fields(config: dict, digest: str) -> str:
    """``ExperimentConfig.fingerprint`` as it was before ``shift`` and ``zero_init`` existed."""
    skip = {"name", "out_dir", "verbose", "tensorboard", "extra", "seeds", "arms"}
    if not config.get("run_eagerly"):
        skip.add("run_eagerly")
    d = {k: v for k, v in config.items() if k not in skip} | {"data": digest}
    return hashlib.sha256(json.dumps(d, sort_keys=True).encode()).hexdigest()[:16]


def test_the_committed_studies_keep_their_fingerprints():
    """Every committed study without the fair test's options hashes as before the shift and
    zero-init options existed: its finished runs are reused, nothing retrains. A study of the
    fair test (whole-pixel shifts) hashes differently: the option is part of its identity."""
    from pathlib import Path

    from resizer_lib.training import ExperimentConfig

    studies = [json.loads(p.read_text()) for p in sorted(Path(__file__).parents[1].glob("results/*.json"))]
    configs = [s["config"] for s in studies if "config" in s]
    earlier = [c for c in configs if c.get("shift", "bilinear") == "bilinear" and not c.get("zero_init")]
    assert len(earlier) >= 5 and len(configs) > len(earlier)
    for config in configs:
        new = ExperimentConfig.from_dict(config)
        same = new.fingerprint("digest") == _fingerprint_before_the_fair_fields(config, "digest")
        assert same == (config in earlier), (config.get("name"), new.shift, new.zero_init)


@pytest.mark.parametrize("kw", [dict(shift="whole", augment=True), dict(zero_init=True)])
def test_the_fair_options_change_the_fingerprint_when_set(tmp_path, kw):
    assert tiny_config(tmp_path, **kw).fingerprint("d") != tiny_config(tmp_path).fingerprint("d")


def test_a_whole_pixel_shift_without_augmentation_is_the_same_study(tmp_path):
    plain = tiny_config(tmp_path, augment=False)
    assert tiny_config(tmp_path, augment=False, shift="whole").fingerprint("d") == plain.fingerprint("d")


def test_an_unknown_shift_is_refused(tmp_path):
    with pytest.raises(ValueError, match="Unknown shift 'cubic'"):
        tiny_config(tmp_path, shift="cubic")
