"""``resizer_lib.models.augment``: Keras preprocessing layers, in a model and in a tf.data map."""

import keras
import numpy as np
import pytest

from resizer_lib.models.augment import (
    RandomShift,
    RandomTurn,
    RandomZoomJit,
    augment_batch,
    augment_dataset,
    build_augmentation,
)

pytestmark = pytest.mark.multibackend

EVERYTHING = dict(flip=True, rotation=0.05, crop=0.2, brightness=0.2, contrast=0.2, hue=0.1)


def images(n=4, size=16, seed=0):
    return np.random.default_rng(seed).uniform(0, 255, (n, size, size, 3)).astype("float32")


def run(aug, x, training=True):
    return keras.ops.convert_to_numpy(aug(x, training=training))


def test_shape_range_and_change():
    x = images()
    y = run(build_augmentation(**EVERYTHING, seed=1), x)
    assert y.shape == x.shape and y.dtype == np.float32
    assert y.min() >= 0 and y.max() <= 255
    assert np.abs(y - x).mean() > 1


def test_identity_at_inference_and_when_everything_is_off():
    x = images()
    np.testing.assert_allclose(run(build_augmentation(**EVERYTHING), x, training=False), x)
    off = build_augmentation(flip=False, rotation=None)
    np.testing.assert_allclose(run(off, x), x)


def test_same_seed_same_draws():
    x = images()
    a = run(build_augmentation(**EVERYTHING, seed=3), x)
    b = run(build_augmentation(**EVERYTHING, seed=3), x)
    c = run(build_augmentation(**EVERYTHING, seed=4), x)
    np.testing.assert_allclose(a, b)
    assert np.abs(a - c).mean() > 1


def test_hue_turns_colours_but_keeps_grey():
    hue_only = build_augmentation(flip=False, rotation=None, hue=0.5, seed=0)
    grey = np.full((2, 8, 8, 3), 120.0, dtype="float32")
    np.testing.assert_allclose(run(hue_only, grey), grey, atol=1.0)
    red = np.zeros((2, 8, 8, 3), dtype="float32")
    red[..., 0] = 200.0
    assert np.abs(run(hue_only, red) - red).max() > 20


def test_inside_a_model():
    inputs = keras.Input((16, 16, 3))
    x = build_augmentation(**EVERYTHING)(inputs)
    outputs = keras.layers.GlobalAveragePooling2D()(x)
    model = keras.Model(inputs, outputs)
    assert tuple(model(images(), training=True).shape) == (4, 3)


def test_in_a_tf_data_map_on_any_backend():
    tf = pytest.importorskip("tensorflow")
    x = images().astype("uint8")
    ds = tf.data.Dataset.from_tensor_slices((x, np.arange(4))).batch(2)
    out = list(augment_dataset(ds, build_augmentation(**EVERYTHING)).as_numpy_iterator())
    assert [a.shape for a, _ in out] == [(2, 16, 16, 3)] * 2
    assert all(a.dtype == np.float32 and 0 <= a.min() and a.max() <= 255 for a, _ in out)
    eager = keras.ops.convert_to_numpy(augment_batch(build_augmentation(flip=False), x[:1] * 1.0))
    assert eager.shape == (1, 16, 16, 3)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"flip": "diagonal"}, "flip"),
        ({"rotation": -0.1}, "rotation"),
        ({"crop": 1.0}, "crop"),
        ({"brightness": 2}, "brightness"),
        ({"contrast": True}, "contrast"),
        ({"hue": "a bit"}, "hue"),
    ],
)
def test_bad_arguments_raise_value_error(kwargs, match):
    with pytest.raises(ValueError, match=match):
        build_augmentation(**kwargs)


JIT_TWINS = [
    (RandomShift, keras.layers.RandomTranslation, (0.2, 0.2)),
    (RandomTurn, keras.layers.RandomRotation, (0.1,)),
    (RandomZoomJit, keras.layers.RandomZoom, ((-0.3, 0.0),)),
]


@pytest.mark.parametrize("ours, theirs, args", JIT_TWINS, ids=lambda v: getattr(v, "__name__", ""))
def test_jit_twins_draw_as_the_keras_layers(ours, theirs, args):
    x = images(size=24)
    a, b = run(ours(*args, seed=5), x), run(theirs(*args, seed=5), x)
    np.testing.assert_allclose(a, b, atol=1e-3)
    assert np.abs(a - x).mean() > 1  # it moved something


@pytest.mark.parametrize("ours, theirs, args", JIT_TWINS, ids=lambda v: getattr(v, "__name__", ""))
def test_jit_twins_are_jit_safe_on_jax_only(ours, theirs, args):
    """Keras' layers say supports_jit=False, which makes a JAX model train op by op."""
    assert theirs(*args).supports_jit is False  # if Keras changes this, the twins can go
    assert ours(*args).supports_jit == (keras.backend.backend() == "jax")


def test_a_model_with_every_augmentation_trains_compiled_on_jax():
    inputs = keras.Input((16, 16, 3))
    x = build_augmentation(**EVERYTHING, seed=0)(inputs)
    model = keras.Model(inputs, keras.layers.Dense(2)(keras.layers.GlobalAveragePooling2D()(x)))
    model.compile(optimizer="sgd", loss="mse", jit_compile="auto")
    if keras.backend.backend() == "jax":
        assert model.jit_compile is True
    history = model.fit(images(), np.zeros((4, 2), "float32"), epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])


def test_jit_twins_round_trip_through_a_keras_file(tmp_path):
    inputs = keras.Input((16, 16, 3))
    x = RandomShift(0.1, 0.2, fill_mode="constant", seed=3)(inputs)
    x = RandomTurn(0.05, seed=4)(x)
    model = keras.Model(inputs, RandomZoomJit((-0.2, 0.0), seed=5)(x))
    model.save(tmp_path / "m.keras")
    shift, turn, zoom = keras.saving.load_model(tmp_path / "m.keras").layers[1:]
    assert (type(shift), type(turn), type(zoom)) == (RandomShift, RandomTurn, RandomZoomJit)
    assert (shift.height_factor, shift.width_factor, shift.fill_mode) == (0.1, 0.2, "constant")
    assert tuple(turn.factor) == (-0.05, 0.05) and tuple(zoom.height_factor) == (-0.2, 0.0)


# -- the shift: whole pixels keep the finest detail, bilinear fractions soften it ---------------
def _stripes(size=64):
    """Vertical stripes of period 2 (0.5 cycles/pixel, the finest a grid holds), 0 and 255."""
    row = np.tile([0.0, 255.0], size // 2)
    return np.broadcast_to(row[None, :, None], (size, size, 3)).astype("float32")


def _shifted_contrast(interpolation: str, draws: int = 64) -> np.ndarray:
    """The stripes' contrast (max - min over a row, interior only, relative to 255) after each
    of ``draws`` random horizontal shifts of up to 5% of the width."""
    layer = RandomShift(0.0, 0.05, interpolation=interpolation, seed=11)
    batch = np.stack([_stripes()] * draws)
    out = keras.ops.convert_to_numpy(layer(batch, training=True))
    interior = out[:, 8:-8, 8:-8, 0]
    return (interior.max(axis=(1, 2)) - interior.min(axis=(1, 2))) / 255.0


def test_a_whole_pixel_shift_keeps_the_finest_detail_and_a_bilinear_one_halves_it():
    """A shift of d pixels interpolated bilinearly filters the row with [1 - d, d]: at 0.5
    cycles/pixel the contrast becomes |1 - 2 frac(d)|, a half on average over uniform fractions.
    Nearest neighbour moves whole pixels: the stripes keep their full contrast."""
    whole = _shifted_contrast("nearest")
    assert np.allclose(whole, 1.0)
    soft = _shifted_contrast("bilinear")
    assert 0.35 < soft.mean() < 0.65
    assert soft.min() < 0.5


def test_the_studies_shift_option_picks_the_interpolation():
    from resizer_lib.training import ExperimentConfig, build_arm

    for shift, mode in (("whole", "nearest"), ("bilinear", "bilinear")):
        config = ExperimentConfig(backbone="tiny_cnn", image_size=16, target_size=8, augment=True, shift=shift)
        model = build_arm(config, "bilinear", num_classes=2, seed=0)
        assert model.get_layer("aug_shift").interpolation == mode
