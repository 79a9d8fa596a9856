"""``resizer_lib.course.normalisation``: BatchNorm by hand, moving statistics, the stale demo."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from resizer_lib.course.normalisation import (
    StaleDemo,
    batch_statistics,
    batchnorm_forward,
    moving_average_trace,
    moving_statistics,
    predict_with_batch_statistics,
    restore_moving_statistics,
    stale_demo_cnn,
    steps_to_forget,
    torch_to_keras_momentum,
    train_stale_demo,
)
from resizer_lib.models.batchnorm import batchnorm_layers

pytestmark = pytest.mark.multibackend


def features(shape=(6, 5, 4, 3), seed=0):
    rng = np.random.default_rng(seed)
    return (2.0 + 3.0 * rng.standard_normal(shape)).astype("float32")


def built_bn(channels=3, momentum=0.99):
    layer = keras.layers.BatchNormalization(momentum=momentum)
    layer.build((None, 5, 4, channels))
    rng = np.random.default_rng(1)
    layer.gamma.assign(rng.uniform(0.5, 2.0, channels))
    layer.beta.assign(rng.normal(size=channels))
    layer.moving_mean.assign(rng.normal(size=channels))
    layer.moving_variance.assign(rng.uniform(0.5, 3.0, channels))
    return layer


def weights(layer):
    return [keras.ops.convert_to_numpy(v) for v in
            (layer.gamma, layer.beta, layer.moving_mean, layer.moving_variance)]


# -- what BatchNorm computes --------------------------------------------------------------
def test_batch_statistics_are_per_channel_over_every_other_axis_and_biased():
    x = features()
    mean, var = batch_statistics(x)
    assert mean.shape == var.shape == (3,)
    np.testing.assert_allclose(mean, [x[..., c].mean() for c in range(3)], rtol=1e-6)
    np.testing.assert_allclose(var, [x[..., c].var(ddof=0) for c in range(3)], rtol=1e-6)
    assert not np.allclose(var, [x[..., c].var(ddof=1) for c in range(3)], rtol=1e-4)
    mean2, _ = batch_statistics(x.reshape(-1, 3))  # (N, C) works the same way
    np.testing.assert_allclose(mean2, mean)


@pytest.mark.parametrize("shape", [(5,), (2, 3, 4), (0, 4), (1, 2, 3, 4, 5)])
def test_wrong_rank_or_empty_batch_is_refused(shape):
    with pytest.raises(ValueError, match=r"\(N, C\) or \(N, H, W, C\)"):
        batch_statistics(np.zeros(shape))


def test_training_mode_is_the_formula_with_the_batch_statistics():
    layer, x = built_bn(), features()
    gamma, beta, _, _ = weights(layer)
    ours = batchnorm_forward(x, gamma, beta, *batch_statistics(x), epsilon=layer.epsilon)
    keras_out = keras.ops.convert_to_numpy(layer(x, training=True))
    np.testing.assert_allclose(ours, keras_out, atol=1e-5)


def test_inference_mode_is_the_formula_with_the_moving_statistics():
    layer, x = built_bn(), features()
    ours = batchnorm_forward(x, *weights(layer), epsilon=layer.epsilon)
    np.testing.assert_allclose(ours, keras.ops.convert_to_numpy(layer(x, training=False)), atol=1e-5)
    assert not np.allclose(ours, batchnorm_forward(x, *weights(layer)[:2], *batch_statistics(x)), atol=1e-2)


def test_normalised_channels_have_mean_beta_and_std_gamma():
    x = features()
    out = batchnorm_forward(x, [1.0, 2.0, 3.0], [0.0, -1.0, 5.0], *batch_statistics(x), epsilon=1e-9)
    mean, var = batch_statistics(out)
    np.testing.assert_allclose(mean, [0.0, -1.0, 5.0], atol=1e-9)
    np.testing.assert_allclose(np.sqrt(var), [1.0, 2.0, 3.0], rtol=1e-6)


@pytest.mark.parametrize("bad", ["gamma", "beta", "mean", "variance"])
def test_a_parameter_of_the_wrong_channel_count_is_named(bad):
    args = {"gamma": np.ones(3), "beta": np.zeros(3), "mean": np.zeros(3), "variance": np.ones(3)}
    args[bad] = np.ones(4)
    with pytest.raises(ValueError, match=rf"{bad} must have shape \(3,\).*got shape \(4,\)"):
        batchnorm_forward(features(), **args)


def test_negative_variance_and_bad_epsilon_are_refused():
    x, ones, zeros = features(), np.ones(3), np.zeros(3)
    with pytest.raises(ValueError, match="variance must be >= 0"):
        batchnorm_forward(x, ones, zeros, zeros, -ones)
    for eps in (0.0, -1e-3, "1e-3", True):
        with pytest.raises(ValueError, match="epsilon must be a number > 0"):
            batchnorm_forward(x, ones, zeros, zeros, ones, epsilon=eps)


# -- moving statistics and momentum -------------------------------------------------------
def test_the_trace_is_what_a_keras_layer_does_step_by_step():
    layer = keras.layers.BatchNormalization(momentum=0.9)
    batches = [features(seed=s) + s for s in range(5)]
    for batch in batches:
        layer(batch, training=True)
    means = np.stack([batch_statistics(b)[0] for b in batches])  # (5, 3)
    variances = np.stack([batch_statistics(b)[1] for b in batches])
    trace_mean = moving_average_trace(means, 0.9, initial=0.0)
    trace_var = moving_average_trace(variances, 0.9, initial=1.0)
    assert trace_mean.shape == (6, 3)
    np.testing.assert_allclose(trace_mean[-1], keras.ops.convert_to_numpy(layer.moving_mean), rtol=1e-4)
    np.testing.assert_allclose(trace_var[-1], keras.ops.convert_to_numpy(layer.moving_variance), rtol=1e-4)


def test_on_a_constant_input_the_initial_value_decays_as_momentum_to_the_k():
    trace = moving_average_trace(np.full(50, 3.0), 0.99, initial=10.0)
    k = np.arange(51)
    np.testing.assert_allclose(trace, 3.0 + 7.0 * 0.99**k, rtol=1e-12)
    assert moving_average_trace([5.0], 0.0, initial=-1.0).tolist() == [-1.0, 5.0]  # no memory


@pytest.mark.parametrize("momentum", [1.0, 1.5, -0.1, "0.9", None, True])
def test_a_momentum_outside_0_1_is_refused_with_the_convention(momentum):
    with pytest.raises(ValueError, match=r"momentum must be a number in \[0, 1\).*torch_to_keras"):
        moving_average_trace([1.0, 2.0], momentum)
    with pytest.raises(ValueError, match=r"in \[0, 1\)"):
        steps_to_forget(momentum)


def test_empty_or_high_rank_batch_values_are_refused():
    for bad in ([], np.zeros((2, 2, 2))):
        with pytest.raises(ValueError, match="batch_values must be a non-empty"):
            moving_average_trace(bad, 0.9)


def test_steps_to_forget_at_one_percent():
    assert steps_to_forget(0.99) == 459 and steps_to_forget(0.9) == 44
    assert steps_to_forget(0.999) == 4603 and steps_to_forget(0.0) == 1
    for m in (0.5, 0.9, 0.99, 0.999):
        k = steps_to_forget(m)
        assert m**k <= 0.01 < m ** (k - 1)
    assert steps_to_forget(0.9, fraction=0.5) == 7  # 0.9**7 = 0.478, 0.9**6 = 0.531
    for fraction in (0.0, 1.0, 2.0, "0.01"):
        with pytest.raises(ValueError, match=r"fraction must be a number in \(0, 1\)"):
            steps_to_forget(0.9, fraction)


def test_momentum_conventions():
    assert torch_to_keras_momentum(0.1) == 0.9 and torch_to_keras_momentum(0.01) == 0.99
    assert torch_to_keras_momentum(1.0) == 0.0
    for bad in (0.0, 1.1, None, "0.1"):
        with pytest.raises(ValueError, match=r"PyTorch BatchNorm momentum must be a number in \(0, 1\]"):
            torch_to_keras_momentum(bad)


# -- models -------------------------------------------------------------------------------
def bn_model():
    inputs = keras.Input((6, 6, 3))
    x = keras.layers.Conv2D(4, 3, use_bias=False)(inputs)
    x = keras.layers.BatchNormalization()(x)
    x = keras.layers.GlobalAveragePooling2D()(keras.layers.ReLU()(x))
    x = keras.layers.BatchNormalization()(x)
    return keras.Model(inputs, keras.layers.Dense(2, activation="softmax")(x))


def test_batch_statistics_predictions_leave_the_moving_statistics_alone():
    model = bn_model()
    x = features((8, 6, 6, 3))
    before = moving_statistics(model)
    probs = predict_with_batch_statistics(model, x, batch_size=4)
    after = moving_statistics(model)
    assert probs.shape == (8, 2)
    for (m0, v0), (m1, v1) in zip(before, after, strict=True):
        np.testing.assert_array_equal(m0, m1)
        np.testing.assert_array_equal(v0, v1)
    first_half = keras.ops.convert_to_numpy(model(x[:4], training=True))
    np.testing.assert_allclose(probs[:4], first_half, atol=1e-5)
    inference = keras.ops.convert_to_numpy(model(x[:4], training=False))
    assert not np.allclose(first_half, inference, atol=1e-3)  # these stats differ from (0, 1)
    for bad in (np.zeros((0, 6, 6, 3)), np.zeros(3)):
        with pytest.raises(ValueError, match="images must be a non-empty"):
            predict_with_batch_statistics(model, bad)


def test_restore_checks_the_layer_count():
    model = bn_model()
    with pytest.raises(ValueError, match="statistics for 1 BatchNorm layers; the model has 2"):
        restore_moving_statistics(model, moving_statistics(model)[:1])


def test_the_stale_demo_trains_the_model_it_describes():
    demo = train_stale_demo(image_size=8, num_train=16, num_val=8, widths=(4,), epochs=1,
                            batch_size=8, momentum=0.9)
    assert isinstance(demo, StaleDemo)
    assert demo.train[0].shape == (16, 8, 8, 3) and demo.val[0].shape == (8, 8, 8, 3)
    assert demo.train[0].dtype == np.float32 and 0.0 <= demo.train[0].min() <= demo.train[0].max() <= 1.0
    assert demo.settings["steps"] == 2 and len(demo.history["accuracy"]) == 1
    layers = batchnorm_layers(demo.model)
    assert [layer.name for layer in layers] == ["s0_bn", "head_bn"]
    assert {layer.momentum for layer in layers} == {0.9}
    (mean, _), _ = moving_statistics(demo.model)
    assert np.abs(mean).max() > 0  # two training steps moved the statistics off zero
    with pytest.raises(ValueError, match="momentum must be"):
        train_stale_demo(image_size=8, num_train=8, num_val=8, widths=(4,), momentum=1.2)


def test_the_demo_cnn_differs_between_modes_only_by_its_statistics():
    model = stale_demo_cnn((8, 8, 3), 2, widths=(4, 8))
    assert model.output_shape == (None, 2)
    assert not any(isinstance(layer, keras.layers.Dropout) for layer in model.layers)
    assert [layer.name for layer in batchnorm_layers(model)] == ["s0_bn", "s1_bn", "head_bn"]
    x = np.random.default_rng(0).uniform(size=(6, 8, 8, 3)).astype("float32")
    for layer in batchnorm_layers(model):  # one training call makes the moving statistics this batch's
        layer.momentum = 0.0
    trained = keras.ops.convert_to_numpy(model(x, training=True))
    np.testing.assert_allclose(keras.ops.convert_to_numpy(model(x, training=False)), trained, atol=1e-5)
