"""Checks for the lessons' exercises: each prints "✓ right" or a hint, never the answer, e.g.
``check_param_count(count_8_4, filters=8, num_res_blocks=4)``. The expected answer is computed
from the library. Every check runs through ``checking.guard``: a wrong answer of any type gets a
hint and ``False``, never an exception; only wrong arguments of the check itself raise."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from resizer_lib.course import checking, sampling
from resizer_lib.course.anatomy import multiply_adds, sublayers
from resizer_lib.course.checking import NOT_YET, RIGHT, CheckUsageError, is_placeholder
from resizer_lib.course.cnn_basics import conv_layer_cost, conv_output_size, receptive_fields
from resizer_lib.course.extract import find_resizer_layer
from resizer_lib.course.normalisation import steps_to_forget, torch_to_keras_momentum
from resizer_lib.data.sample_images import load_sample
from resizer_lib.data.synthetic import SYNTHETIC_CLASS_NAMES, synthetic_image
from resizer_lib.models.batchnorm import batchnorm_layers
from resizer_lib.models.convmixer import convmixer_param_count
from resizer_lib.models.resizer import build_resizer, resizer_param_count
from resizer_lib.training.stats import mean_ci
from resizer_lib.viz import resize_image, spectral_gain

array, call, cases, compare, each, fill, number, positive_int, say, usage = (
    checking.array, checking.call, checking.cases, checking.compare, checking.each, checking.fill,
    checking.number, checking.positive_int, checking.say, checking.usage)
LABEL_EFFECTS = {"horizontal flip": "keeps", "quarter turn": "changes", "small rotation": "erases",
                 "brightness": "keeps"}


def _resizer_layer(model: Any, name: str) -> Any:
    """The ``LearnableResizer`` inside ``model``, or ``None`` after a hint."""
    try:
        return find_resizer_layer(model)
    except (ValueError, AttributeError, TypeError):
        return say(False, "give a resizer built with build_resizer", name) or None


def check_output_shape(shape: Any, batch_size: int, target_size: Sequence[int]) -> bool:
    """Lesson 00: the shape ``(B, h, w, C)`` a resizer for ``target_size`` returns on RGB images (measured)."""
    b = positive_int(batch_size, "batch_size")
    try:
        shape = tuple(int(v) for v in shape)
    except (TypeError, ValueError):
        return say(False, f"give a tuple of whole numbers such as (1, 2, 3, 4); got {shape!r}", "shape")
    if len(shape) != 4:
        return say(False, f"a batch has 4 axes (batch, height, width, channels); yours has {len(shape)}", "shape")
    want = tuple(int(v) for v in build_resizer(tuple(target_size))(np.zeros((b, 40, 56, 3), "float32")).shape)
    hints = [(0, 1, "look at the first axis: the resizer keeps every image of the batch"),
             (1, 3, "look at height and width: they come from the resizer, not from the input images"),
             (3, 4, "look at the last axis: the resizer returns as many channels as it was given")]
    return say(shape == want, next((h for i, j, h in hints if shape[i:j] != want[i:j]), ""), "shape")


def check_param_count(count: Any, filters: int = 16, num_res_blocks: int = 1) -> bool:
    """Lessons 00 and 09: ``build_resizer(...).count_params()`` (moving statistics included)."""
    f, n = positive_int(filters, "filters"), positive_int(num_res_blocks, "num_res_blocks")
    total, moving = resizer_param_count(3, f, n), 2 * f * (2 * n + 2)  # 2 statistics in each of 2n + 2 BatchNorms
    return compare(count, total, "count", "count", whole=True, traps=[(total - moving, (
        "that is the trainable count: Keras' count_params() also counts BatchNorm's moving mean and variance"))])


def check_resizer_by_hand(model: Any, num_res_blocks: int, filters: int = 16, seed: int = 0) -> bool:
    """Lesson 09: a model by hand computes what ``build_resizer`` does, with its weights by name."""
    n, f = positive_int(num_res_blocks, "num_res_blocks"), positive_int(filters, "filters")
    if not hasattr(model, "get_layer") or not hasattr(model, "output_shape"):
        return say(False, f"give a Keras model; got {type(model).__name__}", "model")
    target = tuple(model.output_shape[1:3])
    if None in target:
        return say(False, "its output size is not fixed: resize to the target size inside it", "model")
    reference = build_resizer(target, filters=f, num_res_blocks=n)
    if model.count_params() != reference.count_params():
        side = "more" if model.count_params() > reference.count_params() else "fewer"
        return say(False, f"your model has {side} parameters than the resizer with {n} residual block(s)", "model")
    rng = np.random.default_rng(seed)
    reference.set_weights([rng.uniform(0.5, 1.5, v.shape) if v.path.endswith(("gamma", "variance"))
                           else rng.normal(0.0, 0.1, v.shape) for v in reference.weights])
    saved, names = model.get_weights(), {layer.name for layer in model.layers}
    try:
        for source in (s for s in sublayers(reference) if s.weights):
            if source.name not in names:
                return say(False, f"your model has no layer named `{source.name}`: name the layers as in section 3",
                           "model")
            model.get_layer(source.name).set_weights(source.get_weights())
        images = rng.uniform(size=(2, 2 * target[0], 2 * target[1], 3)).astype("float32")
        for mode in ("inference", "training"):
            mine, theirs = (np.asarray(m(images, training=mode == "training")) for m in (model, reference))
            if mine.shape != theirs.shape or not np.allclose(mine, theirs, atol=1e-4):
                return say(False, f"same weights, different outputs (in {mode} mode): check the order of the "
                                  "layers and what each block reads", "model")
    finally:
        model.set_weights(saved)
    return say(True, "", "model")


def check_starts_as_bilinear(resizer: Any, seed: int = 0) -> bool:
    """Lesson 09: ``resizer`` (from ``build_resizer``) returns exactly its naive resize."""
    if (layer := _resizer_layer(resizer, "resizer")) is None:
        return False
    target = tuple(resizer.output_shape[1:3])
    images = np.random.default_rng(seed).uniform(size=(2, 2 * target[0] + 6, 2 * target[1], 3)).astype("float32")
    correction = np.asarray(resizer(images, training=False)) - resize_image(images, target, layer.interpolation)
    zero, constant = (np.allclose(correction, v, atol=1e-5) for v in (0.0, correction.mean(axis=(0, 1, 2))))
    return say(zero, "the correction is a constant now: the last convolution still adds something that does not "
                     "depend on the image" if constant else
               "the output still differs from the naive resize: the correction is not zero yet", "resizer")


def check_stem_share(first_side: Any, target_size: Sequence[int] = (150, 150), share: float = 0.9,
                     resolution: int = 10) -> bool:
    """Lesson 09: the smallest input side where the stem does more than ``share`` of the work."""
    usage(0 < share < 1, f"share must be a fraction in (0, 1), e.g. 0.9; got {share!r}")
    step, value = positive_int(resolution, "resolution"), number(first_side)
    if value is None or value != int(value) or value < 1:
        return say(False, f"give a side in whole pixels; got {first_side!r}", "first_side")
    a, t = (multiply_adds(1, target_size)[k] for k in ("full_resolution", "target_resolution"))  # per pixel, fixed
    side, exact = int(value), next(s for s in range(1, 100_000) if s * s * a / (s * s * a + t) > share)
    if side < exact:
        return say(False, f"at {side} x {side} the stem does {side**2 * a / (side**2 * a + t):.1%} of the work: "
                          f"not more than {share:.0%} yet", "first_side")
    return say(side - exact < step, "the stem passes that share at a smaller side already", "first_side")


def check_line_filter(kernel: Any, direction: str = "/") -> bool:
    """Lesson 01: ``kernel`` ``(k, k)`` responds most to a line in ``direction``, not to flat."""
    directions = ("/", "\\", "-", "|")
    usage(direction in directions, f"direction must be one of {directions}; got {direction!r}")
    w = array(kernel)  # squeezed below: (k, k, 1, 1) -> (k, k)
    if w is None or (w := w.squeeze()).ndim != 2 or w.shape[0] != w.shape[1] or w.shape[0] % 2 == 0:
        return say(False, "give a square filter of odd size, shaped (k, k) or (k, k, 1, 1); got shape "
                          f"{getattr(w, 'shape', None)}", "kernel")
    row, col = np.mgrid[: len(w), : len(w)] - len(w) // 2  # a line through the centre: its response
    response = {d: w[across == 0].sum() for d, across in zip(directions, (row + col, col - row, row, col), strict=True)}
    best = response[direction]
    if best <= 0 or any(response[d] >= best for d in directions if d != direction):
        return say(False, "a thin bright line in another direction gets as strong a response, or stronger", "kernel")
    return say(abs(w.sum()) <= 0.1 * best, "it also responds to a flat bright region: make its weights sum to "
                                           "(nearly) zero", "kernel")


def check_stack_sizes(out_size: Any, field: Any, stack: Sequence[tuple[int, int, str]], input_size: int) -> bool:
    """Lesson 02: output side and receptive field after ``(kernel_size, stride, padding)``s."""
    size = positive_int(input_size, "input_size")
    usage(not isinstance(stack, (str, bytes)) and bool(stack) and all(len(s) == 3 for s in stack),
          f"stack must be a non-empty list of (kernel_size, stride, padding); got {stack!r}")
    for k, s, padding in stack:
        size = conv_output_size(size, k, s, padding)
    rf = receptive_fields([(k, s) for k, s, _ in stack])[-1][0]
    return all([compare(out_size, size, "out_size", "size", whole=True),
                compare(field, rf, "field", "receptive field", whole=True)])


def check_activation_memory(stem_mib: Any, batch_size: int = 32, filters: int = 64, kernel_size: int = 7,
                            strides: int = 2, sides: Sequence[int] = (224, 300)) -> bool:
    """Lesson 03: ``{side: MiB}`` of a strided ``Conv2D``'s float32 output on a batch, to 1 %."""
    b = positive_int(batch_size, "batch_size")
    usage(bool(sides), "sides must list at least one image side, e.g. (224, 300)")

    def one(side: Any, value: Any, label: str) -> bool:
        mib = b * conv_layer_cost((side, side, 3), filters, kernel_size, strides).bytes_per_image / 2**20
        return compare(value, mib, label, "size", rel=0.01, traps=[
            (mib * 2**20 / 1e6, "that looks like megabytes (10^6 bytes); give MiB (2^20 bytes)"),
            (mib / 4, "each float32 number takes 4 bytes"), (mib * 4, "the stride shrinks each side of the output"),
            (mib / b, f"that is one image; give the batch of {b}")])

    return each(stem_mib, [int(s) for s in sides], "stem_mib", "image side: MiB", one, key_word="side ")


def check_influenced_cells(cells: Any, depth: int, kernel_size: int = 3) -> bool:
    """Lesson 12: across how many grid cells one pixel reaches after ``depth`` ConvMixer blocks."""
    expected = receptive_fields([(kernel_size, 1)] * positive_int(depth, "depth"))[-1][0]
    return compare(cells, expected, "cells", "count", whole=True)


def check_convmixer_count(count: Any, width: int = 768, depth: int = 32, kernel_size: int = 7,
                          patch_size: int = 7, num_classes: int = 1000, trainable: bool = False) -> bool:
    """Lesson 12: ConvMixer's parameter count, all or (``trainable=True``) trainable only."""
    counts = convmixer_param_count(width, depth, kernel_size, patch_size, num_classes=num_classes)
    want, other = ("trainable", "total") if trainable else ("total", "trainable")
    return compare(count, counts[want], "count", "count", whole=True, traps=[(counts[other], (
        "that count includes BatchNorm's moving statistics" if trainable else "that is the trainable count"))])


def check_decode_count(decoded: Any, num_files: int, epochs: int = 3) -> bool:
    """Lesson 04: files decoded over ``epochs`` with ``.cache()`` *before* the decoding map."""
    n, e = positive_int(num_files, "num_files"), positive_int(epochs, "epochs")
    return compare(decoded, e * n, "decoded", "count", whole=True, traps=[(n, (
        "that is what a cache *after* the decoding map gives: build the pipeline with .cache() before the map"))])


def check_label_effects(effects: Any) -> bool:
    """Lesson 05: ``{augmentation: "keeps" | "changes" | "erases"}`` for ``LABEL_EFFECTS``."""
    def one(aug: str, given: Any, label: str) -> bool:
        if given not in ("keeps", "changes", "erases"):
            return say(False, "answer 'keeps', 'changes' or 'erases'", label)
        return say(given == LABEL_EFFECTS[aug], "measure the stripes before and after it", label)

    return each(effects, list(LABEL_EFFECTS), "effects", "augmentation: 'keeps', 'changes' or 'erases'", one)


def check_moved_statistics(moved: Any, base: Any) -> bool:
    """Lesson 06: running statistics one training-mode call moves in the unfrozen ``base``."""
    count = len(batchnorm_layers(base))
    usage(count > 0, f"base {getattr(base, 'name', base)!r} holds no BatchNormalization layer; pass the base model")
    return compare(moved, 2 * count, "moved", "count", whole=True, traps=[
        (0, "none moved: call the unfrozen copy with training=True, as fit does, after "
            "unfreeze(..., keep_batchnorm_frozen=False)"),
        (count, "that is one per BatchNorm layer: each holds two running statistics")])


def check_momentum_port(keras_momentum: Any, steps_keras: Any, steps_if_copied: Any,
                        torch_momentum: float = 0.03, fraction: float = 0.01) -> bool:
    """Lesson 07: Keras' momentum for PyTorch's, and ``steps_to_forget`` of both numbers."""
    expected = torch_to_keras_momentum(torch_momentum)
    return all([compare(keras_momentum, expected, "keras_momentum", "momentum", traps=[(torch_momentum, (
                    "that is PyTorch's number copied unchanged: the two conventions weigh different things"))]),
                compare(steps_keras, steps_to_forget(expected, fraction), "steps_keras", "count", whole=True),
                compare(steps_if_copied, steps_to_forget(torch_momentum, fraction), "steps_if_copied", "count",
                        whole=True)])


def check_bias_redundant(with_bias: Any, without_bias: Any) -> bool:
    """Lesson 07: training-mode BatchNorm outputs with and without a conv bias agree (1e-4)."""
    name = "with_bias, without_bias"
    if is_placeholder(with_bias) or is_placeholder(without_bias):
        return fill(name, "both outputs")
    a, b = array(with_bias), array(without_bias)
    if a is None or b is None or a.shape != b.shape or a.ndim != 4:
        return say(False, "give two BatchNorm outputs of the same shape (B, H, W, C)", name)
    if np.allclose(a, 0.0) or with_bias is without_bias:
        return say(False, "compare two different computations on a real batch", name)
    return say(np.allclose(a, b, atol=1e-4), "the two outputs differ: use the same kernel in both convolutions, "
                                             "and training mode for the BatchNorm", name)


def check_alias(alias_at: Any, gain: Any, frequency: float = 0.4, factor: int = 3, method: str = "nearest",
                antialias: bool = False) -> bool:
    """Lesson 08: the frequency (cycles per output pixel) and gain after a downscale."""
    s = positive_int(factor, "factor")
    ok = compare(alias_at, sampling.alias_frequency(s * frequency), "alias_at", "frequency", abs_tol=1e-6, traps=[
        (s * frequency, "that is above the output's Nyquist limit (0.5 cycles per output pixel): fold it"),
        (frequency, "give it in cycles per *output* pixel: one output pixel spans several input pixels")])
    gain_ok = float(sampling.resize_response(method, frequency, s, antialias))
    return compare(gain, gain_ok, "gain", "gain", rel=1e-3, abs_tol=1e-6) and ok


def check_response_function(fn: Any, method: str = "area", factor: int = 4) -> bool:
    """Lesson 08: ``fn(f)``, a downscale's gain at each frequency of ``f``, to within 1e-6."""
    f, name = np.linspace(0.0, 0.5, 101), "area_response_4x"
    expected = sampling.resize_response(method, f, positive_int(factor, "factor"), False)
    called, out = call(fn, name, f.copy())
    arr = array(out) if called else None
    if not called or arr is None or arr.shape != f.shape:
        return called and say(False, f"return one gain per frequency (an array shaped like f, {f.shape}); got "
                                     f"shape {getattr(arr, 'shape', None)}", name)
    wrong = ~np.isclose(arr, expected, atol=1e-6)
    if np.allclose(np.abs(arr), expected, atol=1e-6) and wrong.any():
        return say(False, "right up to the sign: the gain is the magnitude |H(f)|", name)
    if wrong[0]:
        return say(False, "look at f = 0 first: what does a mean do to a constant?", name)
    return say(not wrong.any(), f"right at f = 0, off from f = {f[wrong.argmax()]:.3f} on", name)


def check_vanishing_factor(smallest_factor: Any, frequency: float = 1 / 3, method: str = "bilinear",
                           antialias: bool = True, factors: Sequence[int] = range(2, 13)) -> bool:
    """Lesson 08: the smallest factor whose downscale lets less than 1e-6 through."""
    gains = {s: float(sampling.resize_response(method, frequency, positive_int(s, "factors"), antialias))
             for s in factors}
    passing = [s for s, g in gains.items() if g < 1e-6]
    usage(bool(passing), f"no factor in {list(factors)} erases f={frequency} with {method}; pass other factors")
    return compare(smallest_factor, min(passing), "smallest_factor", "factor", whole=True, traps=[
        (s, f"at {s}x the gain is still {g:.3g}" if g >= 1e-6 else "a smaller factor erases it already")
        for s, g in gains.items()])


def check_surviving_shift(fn: Any) -> bool:
    """Lesson 08: ``fn(c, slope)``, the mean of a ``+-c`` stripe after a LeakyReLU, to 1e-6."""
    rows = [((c, slope), (c - slope * c) / 2, f"at c = {c}, slope = {slope}", [  # one pair: c, and slope * -c
        (c - slope * c, f"twice the right shift at slope {slope}: average each pair"),
        ((slope * c - c) / 2, f"the sign is off at slope {slope}")])
        for c in (1.0, 3.0) for slope in (0.0, 0.2, 0.5, 1.0)]
    return cases(fn, "surviving_shift", rows, tol=1e-6)


def check_antialias_gain(aa_gain: Any, size: int = 64, sample: str = "text") -> bool:
    """Lesson 10: ``spectral_gain(antialiased, not)[1]`` of a bilinear resize of ``sample``."""
    if isinstance(aa_gain, tuple) and len(aa_gain) == 2:
        return say(False, "spectral_gain returns (frequencies, gains): give the gains", "aa_gain")
    image = load_sample(sample)
    expected = spectral_gain(*(resize_image(image, size, "bilinear", antialias=a) for a in (True, False)))[1]
    arr = array(aa_gain)
    if arr is None or arr.shape != expected.shape:
        return say(False, f"give one gain per frequency ring, shape {expected.shape}; got "
                          f"{getattr(arr, 'shape', None)}", "aa_gain")
    if np.allclose(arr, -expected, atol=1e-4) and not np.allclose(arr, expected, atol=1e-4):
        return say(False, "that is the opposite ratio: the antialiased resize comes first", "aa_gain")
    return say(np.allclose(arr, expected, atol=1e-4), f"not the gain of the {sample!r} photo at {size} x {size} "
                                                      "with bilinear interpolation", "aa_gain")


def check_nearest_offsets(offsets: Any, input_size: Sequence[int], target_size: Sequence[int],
                          pictures: int = 16) -> bool:
    """Lesson 10: ``{class name: offsets}`` a ``nearest`` resize leaves of the stripes."""
    expected: dict[str, set[int]] = {cls: set() for cls in SYNTHETIC_CLASS_NAMES}
    for i in range(positive_int(pictures, "pictures")):
        plain = synthetic_image(i, tuple(input_size), amplitude=0, label=0) / 255.0
        for k, cls in enumerate(SYNTHETIC_CLASS_NAMES):
            pair = np.stack([synthetic_image(i, tuple(input_size), label=k) / 255.0, plain])
            near = resize_image(pair.astype("float32"), tuple(target_size), "nearest")
            expected[cls].add(round(float((255 * (near[0] - near[1])).mean())))

    def one(cls: str, given: Any, label: str) -> bool:
        try:
            got = {round(float(v)) for v in given}
        except (TypeError, ValueError):
            return say(False, "give the offsets as a list of numbers (grey levels)", label)
        if got - expected[cls]:
            return say(False, "some of your offsets never occur (measure in grey levels, 0..255)", label)
        return say(got == expected[cls], "some offsets are missing: look at more pictures", label)

    return each(offsets, list(SYNTHETIC_CLASS_NAMES), "offsets", "class name: offsets", one)


def check_same_size_resizer(same_size: Any, trained: Any, input_size: Sequence[int] | None = None) -> bool:
    """Lesson 10: a resizer whose output has its input's size, holding ``trained``'s weights."""
    if _resizer_layer(same_size, "same_size") is None:
        return False
    size = tuple(input_size) if input_size is not None else tuple(trained.input_shape[1:3])
    size = size if None not in size else (2 * trained.output_shape[1], 2 * trained.output_shape[2])
    if tuple(same_size(np.zeros((1, *size, 3), "float32"), training=False).shape[1:3]) != size:
        return say(False, "its output is not the size of its input: build it for the input size", "same_size")
    mine, theirs = same_size.get_weights(), trained.get_weights()
    if len(mine) != len(theirs) or any(a.shape != b.shape for a, b in zip(mine, theirs, strict=False)):
        return say(False, "its layers differ from the trained resizer's: build it with the same filters, blocks "
                          "and interpolation", "same_size")
    return say(all(np.array_equal(a, b) for a, b in zip(mine, theirs, strict=True)),
               "it does not hold the trained weights yet: copy them in", "same_size")


def check_paired_interval(half_width: Any, differences: Sequence[float], mean: Any = None,
                          level: float = 0.95) -> bool:
    """Lesson 11: the half width of the t-interval of paired ``differences`` (and its mean)."""
    d = [float(v) for v in differences]
    usage(bool(d), "differences must hold the per-seed paired differences; got none")
    if len(d) < 2:
        print("half_width: one seed only, so there is no interval to compute; run with more seeds")
        return False
    interval = mean_ci(d, level)
    ok = True if mean is None else compare(mean, interval.mean, "mean", "mean")
    z_half = 1.959963984540054 * interval.std / math.sqrt(len(d))
    return compare(half_width, (interval.high - interval.low) / 2, "half_width", "half width", traps=[(z_half, (
        "that uses the normal distribution's 1.96: with so few seeds take Student's t with n - 1 degrees of "
        "freedom"))] if len(d) < 30 else []) and ok


def check_dice(fn: Any, size: int = 24) -> bool:
    """Lesson 13: ``fn(a, b)`` gives the Dice coefficient of two boolean masks, to within 1e-9."""
    rng, rows, size = np.random.default_rng(9), [], positive_int(size, "size")
    for density in (0.1, 0.5, 0.9):
        a, b = rng.random((size, size)) < density, rng.random((size, size)) < density
        both, either = np.logical_and(a, b).sum(), np.logical_or(a, b).sum()
        rows.append(((a, b), float(2 * both / (a.sum() + b.sum())), f"for masks that cover about {density:.0%} "
                     "of the image", [(float(both / either), "that is the IoU: Dice divides twice the overlap by "
                                                            "the sum of the sizes")]))
    return cases(fn, "dice", rows)


def check_iou_centre(fn: Any, count: int = 40) -> bool:
    """Lesson 14: ``fn(a, b)``, the IoU of two ``(cx, cy, w, h)`` boxes, to within 1e-9."""
    count = positive_int(count, "count")
    a, b = (np.column_stack([r.uniform(10, 30, (count, 2)), r.uniform(1, 20, (count, 2))])
            for r in (np.random.default_rng(0), np.random.default_rng(1)))
    lo = np.maximum(a[:, :2] - a[:, 2:] / 2, b[:, :2] - b[:, 2:] / 2)
    hi = np.minimum(a[:, :2] + a[:, 2:] / 2, b[:, :2] + b[:, 2:] / 2)
    inter = np.prod(np.clip(hi - lo, 0, None), axis=1)
    iou = inter / (np.prod(a[:, 2:], axis=1) + np.prod(b[:, 2:], axis=1) - inter)
    return cases(fn, "iou_centre", [((a[i].copy(), b[i].copy()), float(iou[i]), (
        f"on a pair of {'disjoint' if iou[i] == 0 else 'overlapping'} boxes (check the half-widths, "
        "and clip negative overlaps at zero)"), []) for i in range(count)])


__all__ = ["NOT_YET", "RIGHT", "CheckUsageError", "is_placeholder",
           *sorted(n for n in list(globals()) if n.startswith("check_"))]
_PARTS = {"check_stack_sizes", "check_momentum_port", "check_bias_redundant", "check_alias",
          "check_paired_interval"}  # each part of the answer judged (and greeted) on its own
for _name in __all__[4:]:
    globals()[_name] = checking.guard(globals()[_name], parts=_name in _PARTS)
