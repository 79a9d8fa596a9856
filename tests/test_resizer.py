"""The learnable resizer: shapes, the skip connection, gradients, counts, saving, errors."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import keras
import numpy as np
import pytest

from resizer_lib.interpolation import interpolations
from resizer_lib.models.resizer import (
    LearnableResizer,
    build_resizer,
    resizer_param_count,
)

pytestmark = pytest.mark.multibackend


def _images(shape, seed=0):
    return np.random.default_rng(seed).uniform(0, 1, size=shape).astype("float32")


@pytest.mark.parametrize(
    "input_hw, target",
    [pytest.param((64, 64), (32, 32), marks=pytest.mark.slow),  # "slow": TF only in CI (JAX
     pytest.param((40, 60), (30, 20), marks=pytest.mark.slow),  # compiles each new shape)
     ((33, 47), (50, 70)), ((20, 20), (7, 13))],
)
@pytest.mark.parametrize("channels", [1, 3])
def test_output_shape_any_size_ratio_and_channels(input_hw, target, channels):
    model = build_resizer(target, channels=channels, filters=4)
    out = model(_images((2, *input_hw, channels)), training=False)
    assert tuple(out.shape) == (2, *target, channels)


def test_same_model_accepts_different_input_sizes():
    model = build_resizer((16, 24), filters=2)
    for hw in [(32, 32), (48, 20), (16, 24)]:
        assert tuple(model(_images((1, *hw, 3))).shape) == (1, 16, 24, 3)


@pytest.mark.parametrize("filters, blocks", [(16, 1), (1, 1), (5, 3), (32, 2)])
@pytest.mark.parametrize("channels", [1, 3])
def test_param_count_matches_formula(filters, blocks, channels):
    model = build_resizer((16, 16), filters=filters, num_res_blocks=blocks, channels=channels)
    assert model.count_params() == resizer_param_count(channels, filters, blocks)


def test_default_param_count_is_the_papers():
    # keras.io example: 12,163 parameters (7,051,717 - 7,039,554)
    assert build_resizer((150, 150)).count_params() == 12163
    assert resizer_param_count() == 12163


@pytest.mark.parametrize("resize_first", [False, True])
def test_zeroed_residual_gives_the_naive_resize(resize_first):
    model = build_resizer((20, 30), filters=4, num_res_blocks=2, resize_first=resize_first)
    layer = model.get_layer("resizer")
    kernel, bias = layer.out_conv7.get_weights()
    layer.out_conv7.set_weights([np.zeros_like(kernel), np.zeros_like(bias)])
    x = _images((2, 40, 60, 3))
    out = keras.ops.convert_to_numpy(model(x, training=False))
    naive = keras.ops.convert_to_numpy(keras.ops.image.resize(x, (20, 30), interpolation="bilinear"))
    np.testing.assert_allclose(out, naive, atol=1e-6)


def test_residual_blocks_are_chained():
    """Each block must feed the next: with 2 blocks, changing block 0 must change block 1's input."""
    layer = LearnableResizer((8, 8), filters=3, num_res_blocks=2)
    model = keras.Sequential([keras.Input((16, 16, 3)), layer])
    x = _images((1, 16, 16, 3))
    b = layer._resize(layer.stem(keras.ops.convert_to_tensor(x), training=False))
    chained = keras.ops.convert_to_numpy(layer.residual(b, training=False))
    # zero block 0's output conv: the chain now starts from b itself at block 1
    conv_b = layer.res_blocks[0].conv_b
    conv_b.set_weights([np.zeros_like(w) for w in conv_b.get_weights()])
    changed = keras.ops.convert_to_numpy(layer.residual(b, training=False))
    assert not np.allclose(chained, changed)
    assert model.output_shape == (None, 8, 8, 3)


def test_gradients_reach_every_trainable_weight():
    model = build_resizer((12, 12), filters=4, num_res_blocks=2)
    x = _images((2, 24, 24, 3))
    target = _images((2, 12, 12, 3), seed=1)
    grads = _gradients(model, x, target)
    assert len(grads) == len(model.trainable_weights) == 2 + 2 + 2 + 2 * (1 + 2 + 1 + 2) + 1 + 2 + 2
    for w, g in zip(model.trainable_weights, grads, strict=True):
        assert g is not None, w.path
        assert float(np.abs(g).sum()) > 0, f"zero gradient for {w.path}"


def _gradients(model, x, target):
    backend = keras.backend.backend()
    if backend == "tensorflow":
        import tensorflow as tf

        with tf.GradientTape() as tape:
            loss = tf.reduce_mean((model(x, training=True) - target) ** 2)
        return [g.numpy() for g in tape.gradient(loss, model.trainable_weights)]
    if backend == "jax":
        import jax

        trainable = [v.value for v in model.trainable_variables]
        non_trainable = [v.value for v in model.non_trainable_variables]

        def loss_fn(tv):
            y, _ = model.stateless_call(tv, non_trainable, x, training=True)
            return jax.numpy.mean((y - target) ** 2)

        return [np.asarray(g) for g in jax.grad(loss_fn)(trainable)]
    pytest.skip(f"gradient test not written for backend {backend}")


def test_keras_file_round_trip_gives_identical_outputs(tmp_path):
    model = build_resizer((10, 14), filters=3, num_res_blocks=2, channels=1, interpolation="bicubic")
    x = _images((2, 21, 17, 1))
    model(x, training=True)  # move the BN statistics away from their initial values
    path = tmp_path / "resizer.keras"
    model.save(path)
    loaded = keras.saving.load_model(path, safe_mode=True)
    np.testing.assert_array_equal(
        keras.ops.convert_to_numpy(model(x, training=False)),
        keras.ops.convert_to_numpy(loaded(x, training=False)),
    )
    layer = loaded.get_layer("resizer")
    assert isinstance(layer, LearnableResizer)
    assert (layer.target_size, layer.filters, layer.num_res_blocks, layer.channels) == ((10, 14), 3, 2, 1)
    assert layer.interpolation == "bicubic"


@pytest.mark.parametrize("suffix", [".keras", ".weights.h5"])
def test_a_round_trip_keeps_every_weight_of_every_residual_block(tmp_path, suffix):
    """Keras 3.13 and 3.14 save no layer held in a list inside a list: the blocks are layers of their
    own, so every Keras version saves and reloads all of them (each variable, by its path)."""
    keras.utils.set_random_seed(2)
    model = build_resizer((8, 6), filters=3, num_res_blocks=3, bn_momentum=0.5)
    x = _images((2, 15, 13, 3), seed=2)
    model(x, training=True)
    path = tmp_path / f"resizer{suffix}"
    if suffix == ".keras":
        model.save(path)
        loaded = keras.saving.load_model(path)
    else:
        model.save_weights(path)
        keras.utils.set_random_seed(9)  # other initial weights, which the file must replace
        loaded = build_resizer((8, 6), filters=3, num_res_blocks=3, bn_momentum=0.5)
        loaded.load_weights(path)
    saved = {v.path: keras.ops.convert_to_numpy(v) for v in model.weights}
    again = {v.path: keras.ops.convert_to_numpy(v) for v in loaded.weights}
    assert saved.keys() == again.keys() and sum("res2" in p for p in saved) == 10
    assert all(np.array_equal(saved[p], again[p]) for p in saved), [p for p in saved
                                                                    if not np.array_equal(saved[p], again[p])]
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(model(x, training=False)),
                                  keras.ops.convert_to_numpy(loaded(x, training=False)))


@pytest.mark.parametrize("mode", interpolations("training"))
def test_every_trainable_interpolation_builds_and_runs(mode):
    model = build_resizer((9, 11), filters=2, interpolation=mode)
    assert tuple(model(_images((1, 20, 20, 3))).shape) == (1, 9, 11, 3)


def test_area_on_tensorflow_is_refused_for_training():
    if keras.backend.backend() != "tensorflow":
        pytest.skip("area resize exists only on TensorFlow")
    assert "area" in interpolations("layer")
    assert "area" not in interpolations("training")
    with pytest.raises(ValueError, match="area.*no gradient"):
        build_resizer((8, 8), interpolation="area")
    # and the refusal is real: TensorFlow indeed has no gradient for ResizeArea
    import tensorflow as tf

    x = tf.Variable(_images((1, 8, 8, 1)))
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(tf.image.resize(x, (4, 4), method="area"))
    with pytest.raises(LookupError):
        tape.gradient(y, x)


@pytest.mark.parametrize(
    "kwargs, pattern",
    [
        (dict(target_size=0), "target_size.*0"),
        (dict(target_size=(10, -1)), r"target_size.*-1"),
        (dict(target_size=(10.5, 10)), r"target_size.*10\.5"),
        (dict(target_size=(10, 10, 10)), "target_size"),
        (dict(target_size="150"), "target_size"),
        (dict(target_size=(True, 3)), "target_size"),
        (dict(target_size=8, filters=0), "filters.*0"),
        (dict(target_size=8, filters=2.5), "filters.*2.5"),
        (dict(target_size=8, num_res_blocks=0), "num_res_blocks.*0"),
        (dict(target_size=8, channels=0), "channels.*0"),
        (dict(target_size=8, interpolation="cubic"), "cubic.*bilinear"),
    ],
)
def test_bad_arguments_raise_clear_errors(kwargs, pattern):
    with pytest.raises(ValueError, match=pattern):
        build_resizer(**kwargs)


def test_wrong_input_rank_and_channels_are_refused():
    layer = LearnableResizer((8, 8), filters=2)
    with pytest.raises(ValueError, match="rank 4"):
        layer(_images((16, 16, 3)))
    model = build_resizer((8, 8), filters=2, channels=3)
    with pytest.raises(ValueError, match="channels"):
        LearnableResizer((8, 8), channels=3)(_images((1, 16, 16, 1)))
    assert model.input_shape == (None, None, None, 3)


FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.mark.parametrize("name", ["resizer_saved_v0_1_0", "resizer_saved_keras_3_15_two_blocks"])
def test_a_resizer_saved_by_version_0_1_0_loads_with_the_same_outputs(name):
    """Files saved (TensorFlow backend, Keras 3.15) before the residual blocks became layers of
    their own, with each block's layers in a nested list; the first also before the resizer's
    LeakyReLUs became ``FusableLeakyReLU``. They must keep loading, to the same numbers, on every
    Keras version."""
    model = keras.saving.load_model(FIXTURES / f"{name}.keras")
    io = np.load(FIXTURES / f"{name}_io.npz")
    out = keras.ops.convert_to_numpy(model(io["x"], training=False))
    np.testing.assert_allclose(out, io["y"], rtol=0, atol=2e-5)


def test_a_file_that_lost_its_residual_blocks_is_refused(tmp_path):
    """Version 0.1 on Keras 3.13 and 3.14 saved no residual block: loading such a file says so."""
    import h5py

    source = build_resizer((6, 5), filters=3, num_res_blocks=2)
    path = tmp_path / "lost.weights.h5"
    source.save_weights(path)
    with h5py.File(path, "a") as f:
        del f["layers/learnable_resizer/res_blocks"]
    with pytest.raises(ValueError, match="no weights for residual block 'res0'"):
        build_resizer((6, 5), filters=3, num_res_blocks=2).load_weights(path)


@pytest.mark.slow
def test_the_learned_arm_trains_without_a_remapper_failure_under_onednn():
    """On Intel CPUs TensorFlow turns oneDNN on and Grappler's remapper failed on the resizer's
    ``Conv2D -> BiasAdd -> LeakyRelu`` in training graphs ("remapper failed ... LeakyReluGrad
    exist for missing node ... BiasAdd"). Forced on here, so the check holds on any x86 CPU."""
    if keras.backend.backend() != "tensorflow":
        pytest.skip("Grappler is TensorFlow's graph optimiser")
    code = textwrap.dedent("""
        import numpy as np, keras
        from resizer_lib.models import build_classifier
        model = build_classifier("tiny_cnn", (32, 32), (16, 16), "learned", seed=0)
        model.compile("adam", "sparse_categorical_crossentropy", jit_compile=False)
        x = np.random.default_rng(0).integers(0, 256, (8, 32, 32, 3)).astype("uint8")
        model.train_on_batch(x, np.arange(8) % 2)
        print("trained")
    """)
    env = {k: v for k, v in os.environ.items() if k != "_RESIZER_TF_QUIET"}
    env |= {"TF_ENABLE_ONEDNN_OPTS": "1", "TF_CPP_MIN_LOG_LEVEL": "0", "KERAS_BACKEND": "tensorflow"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=300, env=env)
    assert result.returncode == 0 and "trained" in result.stdout, result.stderr[-2000:]
    assert "remapper failed" not in result.stderr, result.stderr[-2000:]


def test_keras_resizing_runs_later_layers_in_training_mode_by_default():
    """Moved from lesson 09 (a fact about the installed Keras, not a learner's result): a plain
    call of a model with ``keras.layers.Resizing`` updates the BatchNorm moving mean after it;
    ``resizer_lib``'s resizer does not."""
    inputs = keras.Input((16, 16, 3))
    x = keras.layers.Resizing(8, 8)(inputs)
    theirs = keras.Model(inputs, keras.layers.BatchNormalization(name="bn")(x))
    x = _images((2, 16, 16, 3))
    bn = theirs.get_layer("bn")
    before = keras.ops.convert_to_numpy(bn.moving_mean)
    theirs(x)
    assert not np.allclose(before, keras.ops.convert_to_numpy(bn.moving_mean))
    ours = build_resizer((8, 8))
    stem_bn = ours.get_layer("resizer").stem_bn
    before = keras.ops.convert_to_numpy(stem_bn.moving_mean)
    ours(x)
    np.testing.assert_array_equal(before, keras.ops.convert_to_numpy(stem_bn.moving_mean))


def test_the_resizer_keeps_keras_batchnorm_defaults():
    """Moved from lesson 09: momentum 0.99 and epsilon 1e-3 (Keras' defaults; PyTorch 0.1, 1e-5)."""
    stem_bn = build_resizer((8, 8)).get_layer("resizer").stem_bn
    assert (stem_bn.momentum, stem_bn.epsilon) == (0.99, 1e-3)


# -- zero-initialised insertion ------------------------------------------------------------------
def test_a_zero_initialised_resizer_outputs_the_plain_resize():
    x = _images((2, 32, 32, 3), seed=3)
    model = build_resizer((16, 16), filters=4, zero_init=True)
    layer = model.get_layer("resizer")
    assert not np.any(layer.out_conv7.kernel.numpy()) and not np.any(layer.out_conv7.bias.numpy())
    plain = keras.ops.convert_to_numpy(keras.ops.image.resize(x, (16, 16), interpolation="bilinear"))
    for training in (False, True):  # BatchNorm's mode cannot matter: the last convolution is zero
        out = keras.ops.convert_to_numpy(model(x, training=training))
        assert np.array_equal(out, plain)


def test_the_gradient_reaches_the_zero_initialised_convolution():
    """Zero weights, but not a dead end: the loss's gradient to the last convolution is not
    zero (its input, the residual features, is not), so the first step moves it."""
    model = build_resizer((16, 16), filters=4, zero_init=True)
    x, target = _images((2, 32, 32, 3), seed=4), _images((2, 16, 16, 3), seed=6)
    grads = dict(zip([w.path for w in model.trainable_weights], _gradients(model, x, target), strict=True))
    last = [path for path in grads if "out_conv7x7" in path]
    assert len(last) == 2  # kernel and bias
    assert all(np.abs(grads[path]).max() > 0 for path in last)


def test_zero_init_is_part_of_the_config_and_survives_a_keras_round_trip(tmp_path):
    model = build_resizer((8, 8), filters=2, zero_init=True)
    layer = model.get_layer("resizer")
    assert layer.get_config()["zero_init"] is True and layer.spec.zero_init is True
    again = LearnableResizer.from_config(layer.get_config())
    assert again.zero_init is True
    path = tmp_path / "zero.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    assert loaded.get_layer("resizer").zero_init is True
    x = _images((1, 16, 16, 3), seed=5)
    assert np.allclose(keras.ops.convert_to_numpy(loaded(x)), keras.ops.convert_to_numpy(model(x)))


def test_the_default_initialisation_is_unchanged():
    """Without zero_init the last convolution draws its weights as before (the committed runs'
    initial weights): the same seed gives the same kernel as a plain Conv2D."""
    keras.utils.set_random_seed(7)
    layer = build_resizer((8, 8), filters=2).get_layer("resizer")
    assert layer.zero_init is False and np.abs(layer.out_conv7.kernel.numpy()).max() > 0
    keras.utils.set_random_seed(7)
    again = build_resizer((8, 8), filters=2, zero_init=False).get_layer("resizer")
    assert all(np.array_equal(a, b) for a, b in zip(layer.get_weights(), again.get_weights(), strict=True))
