"""Tests of resizer_lib.course.anatomy: stages, layers, multiply-adds and the diagram."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import keras  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.patches import Circle, FancyBboxPatch  # noqa: E402

from resizer_lib.course.anatomy import (  # noqa: E402
    draw_resizer_diagram,
    multiply_adds,
    resizer_stages,
    sublayers,
)
from resizer_lib.models.resizer import build_resizer, resizer_param_count  # noqa: E402

pytestmark = pytest.mark.multibackend


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


@pytest.mark.parametrize("resize_first", [False, True])
def test_stages_have_the_documented_shapes_and_end_at_the_output(resize_first):
    model = build_resizer((10, 12), filters=4, resize_first=resize_first)
    x = np.random.default_rng(0).uniform(size=(2, 21, 25, 3)).astype("float32")
    stages = resizer_stages(model, x)
    full = (2, 10, 12, 4) if resize_first else (2, 21, 25, 4)
    assert [(s.name, s.shape) for s in stages] == [
        ("input", (2, 21, 25, 3)),
        ("naive", (2, 10, 12, 3)),
        ("features", full),
        ("bottleneck", (2, 10, 12, 4)),
        ("refined", (2, 10, 12, 4)),
        ("correction", (2, 10, 12, 3)),
        ("output", (2, 10, 12, 3)),
    ]
    np.testing.assert_allclose(
        stages[-1].value, keras.ops.convert_to_numpy(model(x, training=False)), atol=1e-5
    )
    np.testing.assert_allclose(stages[-1].value, stages[1].value + stages[5].value, atol=1e-6)


def test_stages_need_a_batch():
    with pytest.raises(ValueError, match="batch"):
        resizer_stages(build_resizer(4, filters=2), np.zeros((8, 8, 3)))


def test_sublayers_cover_every_parameter():
    for blocks in (1, 3):
        model = build_resizer(8, filters=4, num_res_blocks=blocks)
        layers = sublayers(model)
        assert len(layers) == 8 + 5 * blocks
        assert sum(layer.count_params() for layer in layers) == resizer_param_count(3, 4, blocks)


def test_multiply_adds():
    macs = multiply_adds((300, 300), (150, 150))
    assert macs["full_resolution"] == 300 * 300 * (49 * 3 * 16 + 16 * 16)
    assert macs["target_resolution"] == 150 * 150 * (3 * 9 * 256 + 49 * 16 * 3)
    assert macs["total"] == macs["full_resolution"] + macs["target_resolution"]
    assert multiply_adds(600, 150)["full_resolution"] == 4 * macs["full_resolution"]
    with pytest.raises(ValueError, match="input_size"):
        multiply_adds(0, 150)


@pytest.mark.parametrize("blocks, boxes", [(1, 10), (3, 12), (5, 10)])
def test_diagram_draws_one_box_per_stage(blocks, boxes):
    fig = draw_resizer_diagram((64, 48), (32, 24), num_res_blocks=blocks)
    ax = fig.axes[0]
    assert sum(isinstance(p, FancyBboxPatch) for p in ax.patches) == boxes  # + naive resize box
    assert sum(isinstance(p, Circle) for p in ax.patches) == 2  # the two skip additions
    texts = " ".join(t.get_text() for t in ax.texts) + ax.get_title()
    assert "B x 64 x 48 x 16" in texts and "B x 32 x 24 x 3" in texts
    assert f"{resizer_param_count(num_res_blocks=blocks):,} parameters" in texts


def test_diagram_rejects_bad_sizes():
    with pytest.raises(ValueError, match="target_size"):
        draw_resizer_diagram((64, 64), (0, 3))
    with pytest.raises(ValueError, match="num_res_blocks"):
        draw_resizer_diagram(num_res_blocks=0)
