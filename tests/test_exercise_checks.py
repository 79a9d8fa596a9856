"""``resizer_lib.course.exercise_checks``: each check accepts the notebook's reference solution,
rejects a wrong answer without printing the right one, and greets a placeholder kindly.

The right answers here are computed the way the notebooks' solution cells compute them (by hand
or with another library call than the check's), so a check that drifted from its exercise fails.
"""

from __future__ import annotations

import keras
import numpy as np
import pytest

from resizer_lib.course import exercise_checks as ec
from resizer_lib.course import sampling
from resizer_lib.models.resizer import build_resizer


def verdict(capsys, check, *args, **kwargs) -> tuple[bool, str]:
    result = check(*args, **kwargs)
    return result, capsys.readouterr().out


def assert_right(capsys, check, *args, **kwargs) -> None:
    ok, out = verdict(capsys, check, *args, **kwargs)
    assert ok is True and ec.RIGHT in out and ec.NOT_YET not in out, out


def assert_wrong(capsys, hidden: list, check, *args, **kwargs) -> str:
    """Not right, and none of the ``hidden`` right answers (in their usual spellings) shows."""
    ok, out = verdict(capsys, check, *args, **kwargs)
    assert ok is False and ec.NOT_YET in out, out
    for value in hidden:
        spellings = {str(value), repr(value)}
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            spellings |= {f"{value:,}", f"{value:.3g}", f"{value:.2f}"}
        assert not any(s in out for s in spellings), (value, out)
    return out


def assert_placeholder(capsys, check, *args, **kwargs) -> None:
    ok, out = verdict(capsys, check, *args, **kwargs)
    assert ok is False and "fill in" in out, out


# -- 00 and 05 -----------------------------------------------------------------------------------
def test_output_shape(capsys):
    assert_right(capsys, ec.check_output_shape, (4, 224, 224, 3), batch_size=4, target_size=(224, 224))
    out = assert_wrong(capsys, [(4, 224, 224, 3)], ec.check_output_shape, (4, 240, 320, 3), 4, (224, 224))
    assert "height and width" in out
    assert "first axis" in assert_wrong(capsys, [], ec.check_output_shape, (1, 224, 224, 3), 4, (224, 224))
    assert "4 axes" in assert_wrong(capsys, [], ec.check_output_shape, (224, 224), 4, (224, 224))
    assert_wrong(capsys, [], ec.check_output_shape, "four", 4, (224, 224))
    assert_placeholder(capsys, ec.check_output_shape, None, 4, (224, 224))


def test_param_count_00_and_05(capsys):
    count_8_4 = (49 * 3 * 8 + 8) + (8 * 8 + 8) + 4 * 8 + 4 * (2 * 9 * 8 * 8 + 2 * 4 * 8) \
        + (9 * 8 * 8 + 4 * 8) + (49 * 8 * 3 + 3)  # lesson 09's solution 3
    assert_right(capsys, ec.check_param_count, count_8_4, filters=8, num_res_blocks=4)
    wide = build_resizer((150, 150), filters=32, num_res_blocks=2).count_params()  # 00's solution
    assert_right(capsys, ec.check_param_count, wide, filters=32, num_res_blocks=2)
    assert "larger" in assert_wrong(capsys, [count_8_4], ec.check_param_count, count_8_4 + 3, 8, 4)
    assert "trainable" in assert_wrong(capsys, [12_163], ec.check_param_count, 12_035)
    assert "whole" in assert_wrong(capsys, [12_163], ec.check_param_count, 12_162.5)
    assert_placeholder(capsys, ec.check_param_count, ..., 8, 4)
    with pytest.raises(ValueError, match="filters must be a positive whole number; got 0"):
        ec.check_param_count(1, filters=0)


def resizer_by_hand_n(target_size, num_res_blocks, filters=16, chain=True):
    """Notebook 05's solution 1; ``chain=False`` is the bug of section 7.2."""
    from keras import layers

    from resizer_lib.models.resizer import FixedResize

    image = keras.Input(shape=(None, None, 3))
    naive = FixedResize(target_size, name="image_resize")(image)
    x = layers.Conv2D(filters, 7, padding="same", name="stem_conv7x7")(image)
    x = layers.LeakyReLU(negative_slope=0.2)(x)
    x = layers.Conv2D(filters, 1, padding="same", name="stem_conv1x1")(x)
    x = layers.LeakyReLU(negative_slope=0.2)(x)
    x = layers.BatchNormalization(name="stem_bn")(x)
    bottleneck = FixedResize(target_size, name="feature_resize")(x)
    x = bottleneck
    outs = []
    for i in range(num_res_blocks):
        block_in = x if chain else bottleneck
        y = layers.Conv2D(filters, 3, padding="same", use_bias=False, name=f"res{i}_conv_a")(block_in)
        y = layers.BatchNormalization(name=f"res{i}_bn_a")(y)
        y = layers.LeakyReLU(negative_slope=0.2)(y)
        y = layers.Conv2D(filters, 3, padding="same", use_bias=False, name=f"res{i}_conv_b")(y)
        y = layers.BatchNormalization(name=f"res{i}_bn_b")(y)
        x = layers.Add()([block_in, y])
        outs.append(x)
    if not chain:
        x = layers.Add()([x, keras.ops.zeros_like(outs[0]) * outs[0]])  # keep every block in the graph
    x = layers.Conv2D(filters, 3, padding="same", use_bias=False, name="tail_conv3x3")(x)
    x = layers.BatchNormalization(name="tail_bn")(x)
    x = layers.Add()([x, bottleneck])
    correction = layers.Conv2D(3, 7, padding="same", name="out_conv7x7")(x)
    return keras.Model(image, layers.Add()([naive, correction]))


def test_resizer_by_hand(capsys):
    mine = resizer_by_hand_n((12, 12), 2)
    before = [w.copy() for w in mine.get_weights()]
    assert_right(capsys, ec.check_resizer_by_hand, mine, num_res_blocks=2)
    assert all(np.array_equal(a, b) for a, b in zip(before, mine.get_weights(), strict=True))  # put back
    buggy = resizer_by_hand_n((12, 12), 2, chain=False)
    assert "what each block reads" in assert_wrong(capsys, [], ec.check_resizer_by_hand, buggy, 2)
    assert "fewer parameters" in assert_wrong(capsys, [], ec.check_resizer_by_hand, resizer_by_hand_n((12, 12), 1), 2)
    assert_placeholder(capsys, ec.check_resizer_by_hand, None, 2)


def test_starts_as_bilinear(capsys):
    identity = build_resizer((10, 10))  # lesson 09's solution 2
    last = identity.get_layer("resizer").out_conv7
    last.set_weights([np.zeros_like(w) for w in last.get_weights()])
    assert_right(capsys, ec.check_starts_as_bilinear, identity)
    kernel_only = build_resizer((10, 10))
    last = kernel_only.get_layer("resizer").out_conv7
    kernel, bias = last.get_weights()
    last.set_weights([np.zeros_like(kernel), np.full_like(bias, 0.5)])
    assert "constant" in assert_wrong(capsys, [], ec.check_starts_as_bilinear, kernel_only)
    keras.utils.set_random_seed(0)
    assert "not zero yet" in assert_wrong(capsys, [], ec.check_starts_as_bilinear, build_resizer((10, 10)))
    assert_placeholder(capsys, ec.check_starts_as_bilinear, None)


def test_stem_share(capsys):
    from resizer_lib.course.anatomy import multiply_adds

    share = {s: multiply_adds(s, (150, 150))["full_resolution"] / multiply_adds(s, (150, 150))["total"]
             for s in range(150, 2001, 10)}  # lesson 09's solution 4
    first_side = min(s for s, v in share.items() if v > 0.9)
    assert_right(capsys, ec.check_stem_share, first_side, (150, 150), share=0.9)
    assert "not more than 90%" in assert_wrong(capsys, [first_side], ec.check_stem_share, first_side - 20)
    assert "smaller side" in assert_wrong(capsys, [first_side], ec.check_stem_share, first_side + 30)
    assert_placeholder(capsys, ec.check_stem_share, None)
    with pytest.raises(ValueError, match="share must be a fraction"):
        ec.check_stem_share(500, share=90)


# -- 01 ------------------------------------------------------------------------------------------
VGG = [(3, 1, "same"), (3, 1, "same"), (2, 2, "valid"), (3, 1, "same"), (3, 1, "same"), (2, 2, "valid")]


def test_stack_sizes(capsys):
    x = keras.Input((150, 150, 3))  # notebook 01's solution 1: the size from a Keras model
    for k, s, _ in VGG:
        x = keras.layers.Conv2D(2, k, padding="same")(x) if s == 1 else keras.layers.MaxPooling2D(k)(x)
    out_size, field = x.shape[1], 1 + 2 + 2 + 1 + 2 * 2 + 2 * 2 + 2  # r += (k - 1) * jump
    assert_right(capsys, ec.check_stack_sizes, out_size, field, VGG, input_size=150)
    out = assert_wrong(capsys, [out_size, field], ec.check_stack_sizes, 38, 14, VGG, 150)
    assert "out_size: not yet" in out and "field: not yet" in out
    ok, out = verdict(capsys, ec.check_stack_sizes, out_size, None, VGG, 150)
    assert not ok and "out_size: ✓ right" in out and "field: fill in your answer" in out
    with pytest.raises(ValueError, match="stack must be a non-empty list"):
        ec.check_stack_sizes(1, 1, [(3, 1)], 150)


def test_line_filter(capsys):
    diag = 2 * np.fliplr(np.eye(7)) - np.fliplr(np.eye(7, k=1)) - np.fliplr(np.eye(7, k=-1))
    diag = (diag - diag.mean()).astype(np.float32)[:, :, None, None]  # notebook 01's solution 2
    assert_right(capsys, ec.check_line_filter, diag)
    assert_right(capsys, ec.check_line_filter, diag[..., 0, 0].T[::-1, ::-1])  # the same "/" line
    assert "another direction" in assert_wrong(capsys, [], ec.check_line_filter, np.fliplr(diag))
    assert "flat" in assert_wrong(capsys, [], ec.check_line_filter, np.fliplr(np.eye(7)))
    assert "odd size" in assert_wrong(capsys, [], ec.check_line_filter, np.ones((6, 6)))
    assert_placeholder(capsys, ec.check_line_filter, None)
    with pytest.raises(ValueError, match="direction must be one of"):
        ec.check_line_filter(diag, direction="x")


def test_activation_memory(capsys):
    stem_mib = {side: 32 * (side // 2) ** 2 * 64 * 4 / 2**20 for side in (224, 300)}  # solution 3
    assert_right(capsys, ec.check_activation_memory, stem_mib)
    assert_right(capsys, ec.check_activation_memory, {k: round(v) for k, v in stem_mib.items()})
    out = assert_wrong(capsys, [round(v) for v in stem_mib.values()], ec.check_activation_memory,
                       {k: v * 2**20 / 1e6 for k, v in stem_mib.items()})
    assert "megabytes" in out
    assert "4 bytes" in assert_wrong(capsys, [], ec.check_activation_memory, {k: v / 4 for k, v in stem_mib.items()})
    assert "no entry for side 300" in assert_wrong(capsys, [], ec.check_activation_memory, {224: stem_mib[224]})
    assert_placeholder(capsys, ec.check_activation_memory, None)


# -- 02 ------------------------------------------------------------------------------------------
def test_decode_count(capsys):
    paths = [f"img{i}.png" for i in range(16)]
    assert_right(capsys, ec.check_decode_count, 3 * len(paths), num_files=len(paths), epochs=3)
    assert "after" in assert_wrong(capsys, [48], ec.check_decode_count, 16, 16, 3)
    assert "larger" in assert_wrong(capsys, [48], ec.check_decode_count, 64, 16, 3)
    assert_placeholder(capsys, ec.check_decode_count, None, 16)


def small_base() -> keras.Model:
    inputs = keras.Input((8, 8, 3))
    x = keras.layers.BatchNormalization()(keras.layers.Conv2D(4, 3)(inputs))
    x = keras.layers.BatchNormalization()(keras.layers.Conv2D(4, 3)(x))
    return keras.Model(inputs, x)


def test_moved_statistics(capsys):
    from resizer_lib.course.transfer import unfreeze

    base = small_base()  # notebook 02's solution 4: count what one training-mode call moves
    unfreeze(base, keep_batchnorm_frozen=False)
    stats = [w for layer in base.layers for w in layer.non_trainable_weights]
    before = [keras.ops.convert_to_numpy(w).copy() for w in stats]
    base(np.random.default_rng(0).normal(3, 2, (4, 8, 8, 3)).astype("float32"), training=True)
    moved = sum(not np.array_equal(b, keras.ops.convert_to_numpy(w)) for b, w in zip(before, stats, strict=True))
    assert_right(capsys, ec.check_moved_statistics, moved, base)
    assert "two running statistics" in assert_wrong(capsys, [moved], ec.check_moved_statistics, 2, base)
    assert "training=True" in assert_wrong(capsys, [moved], ec.check_moved_statistics, 0, base)
    assert_placeholder(capsys, ec.check_moved_statistics, None, base)
    with pytest.raises(ValueError, match="holds no BatchNormalization layer"):
        ec.check_moved_statistics(1, keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)]))
    frozen = small_base()  # counted on a base whose BatchNorm layers are frozen (as lesson 06's is)
    for layer in frozen.layers:
        layer.trainable = not isinstance(layer, keras.layers.BatchNormalization)
    assert_right(capsys, ec.check_moved_statistics, moved, frozen)


# -- 03 ------------------------------------------------------------------------------------------
def test_momentum_port(capsys):
    assert_right(capsys, ec.check_momentum_port, 0.97, 152, 2)  # notebook 03's solution 1
    out = assert_wrong(capsys, [0.97, 152], ec.check_momentum_port, 0.03, 2, 2)
    assert "copied unchanged" in out and "steps_if_copied: ✓ right" in out
    assert_placeholder(capsys, ec.check_momentum_port, None, None, None)


def test_bias_redundant(capsys):
    keras.utils.set_random_seed(3)  # notebook 03's solution 3
    conv_b = keras.layers.Conv2D(4, 3, use_bias=True, bias_initializer="random_normal")
    conv_nb = keras.layers.Conv2D(4, 3, use_bias=False)
    x = np.random.default_rng(0).normal(size=(8, 10, 10, 3)).astype("float32")
    conv_b.build(x.shape)
    conv_nb.build(x.shape)
    conv_nb.kernel.assign(conv_b.kernel)
    norm = keras.layers.BatchNormalization()
    with_bias = keras.ops.convert_to_numpy(norm(conv_b(x), training=True))
    without = keras.ops.convert_to_numpy(norm(conv_nb(x), training=True))
    assert_right(capsys, ec.check_bias_redundant, with_bias, without)
    inference = keras.ops.convert_to_numpy(norm(conv_b(x), training=False))
    assert "differ" in assert_wrong(capsys, [], ec.check_bias_redundant, inference, without)
    assert_placeholder(capsys, ec.check_bias_redundant, None, without)


# -- 04 ------------------------------------------------------------------------------------------
def test_alias(capsys):
    alias_at = abs(3 * 0.4 - round(3 * 0.4))  # lesson 08's solution 1: fold 1.2 to 0.2
    assert_right(capsys, ec.check_alias, alias_at, 1.0, frequency=0.4, factor=3, method="nearest")
    assert "fold it" in assert_wrong(capsys, [0.2], ec.check_alias, 1.2, 1.0)
    assert "output" in assert_wrong(capsys, [0.2], ec.check_alias, 0.4, 1.0)
    out = assert_wrong(capsys, [], ec.check_alias, alias_at, 0.5)
    assert "alias_at: ✓ right" in out and "gain: not yet" in out
    assert_placeholder(capsys, ec.check_alias, None, None)


def area_response_4x(f):
    """Notebook 04's solution 2."""
    f = np.asarray(f, dtype=float)
    return np.abs(np.exp(-2j * np.pi * f[:, None] * np.array([-1.5, -0.5, 0.5, 1.5])).mean(axis=1))


def test_response_function(capsys):
    assert_right(capsys, ec.check_response_function, area_response_4x, "area", 4)

    def signed(f):
        f = np.asarray(f, dtype=float)
        return np.real(np.exp(-2j * np.pi * f[:, None] * np.array([-1.5, -0.5, 0.5, 1.5])).mean(axis=1))

    assert "sign" in assert_wrong(capsys, [], ec.check_response_function, signed, "area", 4)
    assert "f = 0" in assert_wrong(capsys, [], ec.check_response_function, lambda f: 0.5 * area_response_4x(f))
    assert "shaped like f" in assert_wrong(capsys, [], ec.check_response_function, lambda f: 1.0)
    assert "raised" in assert_wrong(capsys, [], ec.check_response_function, lambda f: 1 / 0)

    def stub(f):
        ...

    assert_placeholder(capsys, ec.check_response_function, stub)
    assert_placeholder(capsys, ec.check_response_function, None)


def test_vanishing_factor(capsys):
    gains = {s: float(sampling.resize_response("bilinear", 1 / 3, s, antialias=True)) for s in range(2, 13)}
    smallest = min(s for s, g in gains.items() if g < 1e-6)  # lesson 08's solution 3
    assert_right(capsys, ec.check_vanishing_factor, smallest)
    assert "still" in assert_wrong(capsys, [], ec.check_vanishing_factor, 2)
    assert "smaller factor" in assert_wrong(capsys, [smallest], ec.check_vanishing_factor, 2 * smallest)
    assert_placeholder(capsys, ec.check_vanishing_factor, None)
    with pytest.raises(ValueError, match="no factor in"):
        ec.check_vanishing_factor(3, factors=[2])


def test_surviving_shift(capsys):
    def surviving_shift(c, slope):  # lesson 08's solution 4
        pairs = np.tile([c, -c], 8)
        return float(np.where(pairs > 0, pairs, slope * pairs).reshape(-1, 2).mean(axis=1).mean())

    assert_right(capsys, ec.check_surviving_shift, surviving_shift)
    assert "twice" in assert_wrong(capsys, [], ec.check_surviving_shift, lambda c, s: (1 - s) * c)
    assert "sign" in assert_wrong(capsys, [], ec.check_surviving_shift, lambda c, s: -(1 - s) * c / 2)
    assert_wrong(capsys, [], ec.check_surviving_shift, lambda c, s: c / 2)

    def stub(c, slope):
        ...

    assert_placeholder(capsys, ec.check_surviving_shift, stub)


# -- 06 and 08 -----------------------------------------------------------------------------------
def test_paired_interval(capsys):
    from scipy.stats import t

    d = np.array([0.12, 0.05, 0.20, 0.08])  # lesson 11's solution 4, by hand
    half = t.ppf(0.975, len(d) - 1) * d.std(ddof=1) / np.sqrt(len(d))
    assert_right(capsys, ec.check_paired_interval, half, d)
    assert_right(capsys, ec.check_paired_interval, half, d, mean=d.mean())
    z = 1.959963984540054 * d.std(ddof=1) / np.sqrt(len(d))
    assert "Student" in assert_wrong(capsys, [round(half, 4)], ec.check_paired_interval, z, d)
    assert_wrong(capsys, [round(half, 4)], ec.check_paired_interval, half / 2, d)
    out = assert_wrong(capsys, [round(d.mean(), 4)], ec.check_paired_interval, half, d, mean=0.0)
    assert "mean: not yet" in out and "half_width: ✓ right" in out
    assert_placeholder(capsys, ec.check_paired_interval, None, d)
    ok, out = verdict(capsys, ec.check_paired_interval, None, [0.1])  # the smoke profile: one seed
    assert ok is False and "one seed" in out
    with pytest.raises(ValueError, match="got none"):
        ec.check_paired_interval(0.1, [])


def test_convmixer_count(capsys):
    w, depth, k, p, classes = 768, 32, 7, 7, 1000  # lesson 12's solution 1, by hand
    bn = 4 * w
    total = (p * p * 3 * w + w + bn) + depth * ((k * k * w + w + bn) + (w * w + w + bn)) + (w * classes + classes)
    assert_right(capsys, ec.check_convmixer_count, total)
    trainable = total - 2 * w * (1 + 2 * depth)
    assert "trainable" in assert_wrong(capsys, [total], ec.check_convmixer_count, trainable)
    assert_right(capsys, ec.check_convmixer_count, trainable, trainable=True)
    assert_placeholder(capsys, ec.check_convmixer_count, None)


def test_influenced_cells(capsys):
    for depth in (1, 2):  # lesson 12's solution 2: depth * (k - 1) + 1
        assert_right(capsys, ec.check_influenced_cells, depth * 2 + 1, depth, kernel_size=3)
    assert_wrong(capsys, [5], ec.check_influenced_cells, 3, 2)
    assert_placeholder(capsys, ec.check_influenced_cells, None, 2)


# -- 07 ------------------------------------------------------------------------------------------
def test_antialias_gain(capsys):
    from resizer_lib.data.sample_images import load_sample
    from resizer_lib.viz import resize_image, spectral_gain

    text = load_sample("text")  # lesson 10's solution 1
    smooth = resize_image(text, 64, "bilinear", antialias=True)
    sharp = resize_image(text, 64, "bilinear", antialias=False)
    freqs, aa_gain = spectral_gain(smooth, sharp)
    assert_right(capsys, ec.check_antialias_gain, aa_gain, size=64)
    assert "opposite" in assert_wrong(capsys, [], ec.check_antialias_gain, -aa_gain)
    assert "gains" in assert_wrong(capsys, [], ec.check_antialias_gain, (freqs, aa_gain))
    assert "not the gain" in assert_wrong(capsys, [], ec.check_antialias_gain, aa_gain + 1)
    assert_placeholder(capsys, ec.check_antialias_gain, None)


def test_nearest_offsets(capsys):
    from resizer_lib.data.synthetic import DEFAULT_AMPLITUDE, SYNTHETIC_CLASS_NAMES

    a = DEFAULT_AMPLITUDE  # lesson 10's solution 2 at an exact 2x: both signs in both classes
    offsets = {name: [-a, a] for name in SYNTHETIC_CLASS_NAMES}
    assert_right(capsys, ec.check_nearest_offsets, offsets, (32, 32), (16, 16))
    out = assert_wrong(capsys, [], ec.check_nearest_offsets, {n: [a] for n in SYNTHETIC_CLASS_NAMES}, (32, 32), (16, 16))
    assert "missing" in out and str(-a) not in out
    assert "never occur" in assert_wrong(capsys, [], ec.check_nearest_offsets,
                                         {n: [-a / 255, a / 255, 1] for n in SYNTHETIC_CLASS_NAMES},
                                         (32, 32), (16, 16))
    assert "no entry" in assert_wrong(capsys, [], ec.check_nearest_offsets, {"vertical": [-a, a]}, (32, 32), (16, 16))
    assert_placeholder(capsys, ec.check_nearest_offsets, None, (32, 32), (16, 16))


def test_same_size_resizer(capsys):
    keras.utils.set_random_seed(1)
    trained = build_resizer((8, 8))
    same_size = build_resizer((16, 16))  # lesson 10's solution 4
    same_size.set_weights(trained.get_weights())
    assert_right(capsys, ec.check_same_size_resizer, same_size, trained, input_size=(16, 16))
    fresh = build_resizer((16, 16))
    assert "trained weights" in assert_wrong(capsys, [], ec.check_same_size_resizer, fresh, trained, (16, 16))
    assert "size of its input" in assert_wrong(capsys, [], ec.check_same_size_resizer, trained, trained, (16, 16))
    wider = build_resizer((16, 16), filters=8)
    assert "layers differ" in assert_wrong(capsys, [], ec.check_same_size_resizer, wider, trained, (16, 16))
    assert_placeholder(capsys, ec.check_same_size_resizer, None, trained)


def test_placeholders():
    assert ec.is_placeholder(None) and ec.is_placeholder(...)
    assert not ec.is_placeholder(0) and not ec.is_placeholder([])


# -- 09 ----------------------------------------------------------------------------------------
def _iou_centre_solution(a, b):  # the reference solution of lesson 14, exercise 1
    ox = np.clip((a[2] + b[2]) / 2 - abs(a[0] - b[0]), 0, min(a[2], b[2]))
    oy = np.clip((a[3] + b[3]) / 2 - abs(a[1] - b[1]), 0, min(a[3], b[3]))
    inter = ox * oy
    union = a[2] * a[3] + b[2] * b[3] - inter
    return inter / union if union > 0 else 0.0


def test_iou_centre_accepts_the_solution_and_names_what_is_off(capsys):
    from resizer_lib.course.exercise_checks import check_iou_centre

    assert check_iou_centre(_iou_centre_solution)
    assert "right" in capsys.readouterr().out

    def unclipped(a, b):  # forgets to clip negative overlaps: wrong on disjoint boxes
        ox = (a[2] + b[2]) / 2 - abs(a[0] - b[0])
        oy = (a[3] + b[3]) / 2 - abs(a[1] - b[1])
        return ox * oy / (a[2] * a[3] + b[2] * b[3] - ox * oy)

    assert not check_iou_centre(unclipped)
    assert "not yet" in capsys.readouterr().out
    assert not check_iou_centre(None)
    assert "fill in" in capsys.readouterr().out


def test_dice_tells_dice_from_iou(capsys):
    from resizer_lib.course.exercise_checks import check_dice

    assert check_dice(lambda a, b: 2 * np.sum(a & b) / (a.sum() + b.sum()))
    capsys.readouterr()
    assert not check_dice(lambda a, b: np.sum(a & b) / np.sum(a | b))
    out = capsys.readouterr().out
    assert "that is the IoU" in out and "0." not in out  # a hint, never the value
    assert not check_dice(...)
    with pytest.raises(ValueError, match="size must be a positive whole number"):
        check_dice(lambda a, b: 0.0, size=0)


def test_label_effects(capsys):
    right = {"horizontal flip": "keeps", "quarter turn": "changes", "small rotation": "erases",
             "brightness": "keeps"}
    assert_right(capsys, ec.check_label_effects, right)
    assert "measure" in assert_wrong(capsys, [], ec.check_label_effects, {**right, "small rotation": "keeps"})
    assert_placeholder(capsys, ec.check_label_effects, None)
