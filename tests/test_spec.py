"""``ResizerSpec``: the resizer's hyper-parameters, declared once and taken by every builder."""

from __future__ import annotations

import pytest

from resizer_lib.models import build_classifier
from resizer_lib.models.resizer import LearnableResizer, build_resizer
from resizer_lib.models.spec import ResizerSpec
from resizer_lib.training import ExperimentConfig

pytestmark = pytest.mark.multibackend


def test_the_defaults_are_the_papers():
    spec = ResizerSpec()
    assert (spec.filters, spec.num_res_blocks, spec.interpolation, spec.antialias) == (16, 1, "bilinear", False)
    assert build_resizer((150, 150), spec).count_params() == 12163


@pytest.mark.parametrize("kwargs, message", [
    ({"filters": 0}, "filters must be an integer >= 1"),
    ({"num_res_blocks": 1.5}, "num_res_blocks must be an integer >= 1"),
    ({"interpolation": "sharpest"}, "Unknown interpolation 'sharpest'"),
    ({"bn_momentum": 1.0}, r"bn_momentum must be a number in \[0, 1\)"),
    ({"bn_momentum": True}, "bn_momentum must be a number"),
], ids=["filters", "blocks", "interpolation", "momentum 1", "momentum bool"])
def test_bad_settings_are_refused_by_the_spec_and_by_every_builder(kwargs, message):
    for make in (lambda: ResizerSpec(**kwargs), lambda: LearnableResizer(8, **kwargs),
                 lambda: build_resizer(8, **kwargs),
                 lambda: build_classifier("tiny_cnn", (16, 16), (8, 8), "learned", **kwargs)):
        with pytest.raises(ValueError, match=message):
            make()


def test_a_spec_and_its_fields_give_the_same_resizer():
    spec = ResizerSpec(filters=3, num_res_blocks=2, bn_momentum=0.9)
    a, b = build_resizer(8, spec), build_resizer(8, filters=3, num_res_blocks=2, bn_momentum=0.9)
    assert a.count_params() == b.count_params()
    assert a.get_layer("resizer").get_config() == b.get_layer("resizer").get_config()
    assert a.get_layer("resizer").spec == spec


def test_spec_and_fields_together_or_unknown_fields_are_refused():
    with pytest.raises(TypeError, match="either spec= or the settings"):
        build_resizer(8, ResizerSpec(), filters=4)
    with pytest.raises(TypeError, match=r"unknown resizer setting\(s\) \['width'\]"):
        build_resizer(8, width=4)


def test_a_study_config_hands_its_settings_to_the_arms():
    config = ExperimentConfig(filters=5, num_res_blocks=2, bn_momentum=0.8)
    assert config.resizer_spec() == ResizerSpec(filters=5, num_res_blocks=2, bn_momentum=0.8)
    assert ExperimentConfig().filters == ResizerSpec.filters


def test_the_command_line_defaults_are_the_specs():
    from resizer_lab.cli import build_parser

    args = build_parser().parse_args(["compare"])
    assert (args.filters, args.res_blocks, args.interpolation) == (
        ResizerSpec.filters, ResizerSpec.num_res_blocks, ResizerSpec.interpolation)
