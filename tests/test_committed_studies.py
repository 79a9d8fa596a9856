"""What the README says about the committed studies, checked against their summaries.

These checks used to sit in the lessons (old notebooks 06 and 08), where a learner who reran a
study with other settings met an ``AssertionError`` mid-lesson. Here they guard the prose
instead: when a study is rerun and a claim no longer holds, a test fails and the README,
``results/`` and lesson 15 must be reworded with the numbers. Each test names the claim it
checks. They read the summaries the way the lessons do, through ``load_study``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from resizer_lab.reports import paired
from resizer_lib.training.studies import load_study

pytestmark = pytest.mark.multibackend

PLAIN = {("learned", "bilinear"), ("learned", "antialiased"), ("muller", "bilinear")}
VIEWS = ("moving", "recalibrated")
RESULTS = Path(__file__).resolve().parents[1] / "results"


def includes_zero(d: dict) -> bool:
    return d["low"] <= 0 <= d["high"]


def test_every_arm_of_a_seed_starts_from_the_same_backbone():
    for name in ("photos_small_cnn_128to64", "photos_small_cnn_128to64_keras_io",
                 "photos_densenet121_300to150_gpu", "photos_densenet121_300to150_gpu_4arms"):
        study = load_study(name)
        for seed in study["config"]["seeds"]:
            checksums = {r["initial_backbone_checksum"] for r in study["runs"] if r["seed"] == seed}
            assert len(checksums) == 1, (name, seed)


def test_cpu_study_small_cnn():
    """README: on photos no gain from the resizer is detected. Its seeds-only t-interval for
    learned − bilinear just excludes zero, but that interval ignores the photos' sampling error;
    the map's bootstrap over photos and seeds at the same setting includes zero
    (``test_factor_map``). So "no gain detected", not "bilinear is better"."""
    cpu = load_study("photos_small_cnn_128to64")["summary"]
    assert all(cpu["arms"][arm]["n"] == 5 for arm in ("bilinear", "learned", "more_layers", "full_res"))
    assert paired(cpu, "learned", "bilinear")["high"] < 0  # over seeds only: see the docstring
    assert includes_zero(paired(cpu, "learned", "more_layers"))  # no better than the same blocks
    assert paired(cpu, "full_res", "bilinear")["high"] < 0  # 128 px is worse than 64 px here


def test_keras_io_recipe_ends_below_adamw_cosine():
    """README: every run with the keras.io recipe (plain SGD) ended below every AdamW + cosine
    run of the same arm: the recipe matters more than the resizer here."""
    cpu = load_study("photos_small_cnn_128to64")["summary"]
    ref = load_study("photos_small_cnn_128to64_keras_io")["summary"]
    for arm in ("bilinear", "learned"):
        assert ref["arms"][arm]["n"] >= 2
        assert max(ref["arms"][arm]["per_seed"].values()) < min(cpu["arms"][arm]["per_seed"].values())


def test_densenet_gpu_study_controls():
    """README: with moving statistics the resizer's DenseNet beats bilinear, but so do the same
    blocks behind a plain resize, and 300 px is no better than 150 px."""
    main = load_study("photos_densenet121_300to150_gpu")["summary"]
    four = load_study("photos_densenet121_300to150_gpu_4arms")["summary"]
    assert paired(main, "learned", "bilinear")["low"] > 0
    assert paired(main, "more_layers", "bilinear")["low"] > 0
    assert includes_zero(paired(main, "learned", "more_layers"))
    assert includes_zero(paired(four, "full_res", "bilinear"))
    blocks = paired(four, "learned", "more_layers")  # the 4-arm study agrees (old notebook 08)
    assert paired(four, "learned", "bilinear")["low"] > 0 and includes_zero(blocks)


def test_densenet_batchnorm_diagnosis():
    """README: stale moving statistics hid what the plain DenseNets had learned; recalibrated,
    learned − bilinear includes zero and 300 px is worse than 150 px."""
    diagnosis = load_study("photos_densenet121_300to150_gpu_batchnorm")
    for r in diagnosis["runs"]:
        gain = r["recalibrated"]["val"]["accuracy"] - r["moving_statistics"]["val"]["accuracy"]
        if r["arm"] in ("bilinear", "full_res"):
            assert gain > 0.10, (r["arm"], r["seed"], gain)
        else:
            assert abs(gain) < 0.02, (r["arm"], r["seed"], gain)
    plain_train = [r["moving_statistics"]["train_probe"]["accuracy"] for r in diagnosis["runs"]
                   if r["arm"] == "bilinear"]
    assert max(plain_train) < 0.6  # inference mode fails on *training* photos: not memorisation

    from resizer_lib.training.stats import paired_difference

    recal = {(r["arm"], r["seed"]): r["recalibrated"]["val"]["accuracy"] for r in diagnosis["runs"]}
    seeds = sorted({s for arm, s in recal if arm == "bilinear"})
    assert len(seeds) >= 3

    def diff(a, b):
        return paired_difference([recal[a, s] for s in seeds], [recal[b, s] for s in seeds])

    assert not diff("learned", "bilinear").excludes_zero()
    assert diff("full_res", "bilinear").high < 0


def _per_photo(study: str):
    for f in load_study(study)["factors"]:
        for c in f["comparisons"]:
            for view in VIEWS:
                if c[view]["available"] and c[view]["per_photo"]["available"]:
                    yield f, c, view


def test_factor_map():
    """README: neither resizer beat a plain resize by more than the sampling error of the photos
    and seeds at any factor; on average the learned resizer came out behind both plain resizes."""
    fmap = load_study("map_small_cnn")
    for f, c, view in _per_photo("map_small_cnn"):
        boot = c[view]["per_photo"]["bootstrap"]
        if (c["a"], c["b"]) in PLAIN:
            assert boot["low"] <= 0 <= boot["high"], (f["factor"], c["a"], c["b"], view)
        if c["a"] == "learned" and c["b"] in ("bilinear", "antialiased") and not fmap["partial"]:
            assert c[view]["seeds_interval"]["mean"] < 0, (f["factor"], c["b"], view)


def test_warm_start():
    """README: inserted into the trained model, MULLER starts where it is and ends level with it;
    the learned resizer (random last convolution) starts near chance and ends behind the
    continued model at both factors, at 2x beyond the photos' and seeds' sampling error."""
    for f in load_study("warm_start_small_cnn")["factors"]:
        acc = f["accuracy"]
        assert abs(acc["muller"]["start"] - acc["bilinear"]["start"]) < 0.005, (f["factor"], acc)
        for arm in ("learned", "more_layers"):
            assert acc[arm]["start"] < acc["bilinear"]["start"] - 0.15, (f["factor"], arm)
    for f, c, view in _per_photo("warm_start_small_cnn"):
        boot = c[view]["per_photo"]["bootstrap"]
        if (c["a"], c["b"]) == ("learned", "bilinear"):
            assert c[view]["seeds_interval"]["mean"] < 0, (f["factor"], view)
            if f["factor"] == 2:
                assert boot["high"] < 0, (view, boot)
        if (c["a"], c["b"]) == ("muller", "bilinear"):
            assert boot["low"] <= 0 <= boot["high"], (f["factor"], view, boot)


def _fair(study: str, a: str, b: str) -> dict:
    for c in load_study("fair_small_cnn_primary")["comparisons"]:
        if (c["a"].split("/")[-2], c["a"].rsplit(":", 1)[1], c["b"].rsplit(":", 1)[1]) == (study, a, b):
            return c
    raise AssertionError(f"no comparison {study}: {a} − {b} in fair_small_cnn_primary")


def test_fair_test():
    """README: inserted at zero into the trained model, the learned resizer ends ahead of the
    continued bilinear model at 2x beyond chance (interval above zero, adjusted p < 0.05); at 8x
    the interval spans zero, and so it does from scratch at 2x with whole-pixel shifts. The
    declared primary family has three comparisons, all finished."""
    fair = load_study("fair_small_cnn_primary")
    assert len(fair["comparisons"]) == 3 and fair["seeds"] == [0, 1, 2, 3, 4]
    two = _fair("warm_start_fair_small_cnn_128to64", "learned_zero", "bilinear")
    assert two["two_way"]["low"] > 0 and two["p_holm"] < 0.05, two
    eight = _fair("warm_start_fair_small_cnn_128to16", "learned_zero", "bilinear")
    assert eight["two_way"]["low"] < 0 < eight["two_way"]["high"], eight
    scratch = _fair("fair_small_cnn_128to64", "learned", "bilinear")  # whole-pixel shifts
    assert scratch["two_way"]["low"] < 0 < scratch["two_way"]["high"], scratch
    assert {c["adjustment"] for c in fair["comparisons"]} == {"Holm"}  # the family is complete


def test_fair_test_secondary_family():
    """results/README.md: the nine secondary comparisons are all finished and Holm-adjusted as one
    family; the headroom control (full_res with small_cnn5 at 128 px against small_cnn on 64 px
    bilinear images) is ahead beyond chance, and it is the only one."""
    family = json.loads((RESULTS / "fair_small_cnn_secondary.json").read_text())["comparisons"]
    assert len(family) == 9 and not any(c.get("pending") for c in family)
    assert {c["adjustment"] for c in family} == {"Holm"}
    names = [(c["a"].split("/")[-2], c["b"].split("/")[-2]) for c in family]
    headroom = family[names.index(("fair_small_cnn5_128", "fair_small_cnn_128to64"))]
    assert headroom["two_way"]["low"] > 0 and headroom["p_holm"] < 0.05, headroom
    others = [c for c in family if c is not headroom]
    assert all(c["p_holm"] >= 0.05 for c in others), [c["p_holm"] for c in others]
