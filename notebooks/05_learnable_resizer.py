# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 05 · The learnable resizer, block by block
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/learning-to-resize/learning-to-resize/blob/v0.1.0/notebooks/05_learnable_resizer.ipynb)
# · source: [`05_learnable_resizer.py`](05_learnable_resizer.py) (the `.ipynb` is generated from it with jupytext)
#
# Before a photo reaches a classifier it is shrunk, almost always by a fixed interpolation
# (bilinear, bicubic, area). Those kernels were designed so that the small picture still *looks*
# right to a person. Talebi & Milanfar (ICCV 2021, arXiv:2103.09950) replace that fixed step with a
# small network trained together with the classifier: the resize is judged only by how well the
# classifier does afterwards, never by how the picture looks.
#
# **What you will learn here**
# * the resizer's architecture, stage by stage, with the tensor shape after each stage and a
#   diagram drawn from code;
# * the resizer written by you with the functional API from the paper's description, checked
#   against the library's by transplanting its weights;
# * how to count its 12,163 parameters by hand, and why the count does not depend on image sizes;
# * that one resizer serves any target size and aspect ratio, and where its compute goes;
# * what an *untrained* resizer does to photos, and how to display its (unbounded) output honestly;
# * how this formulation differs from other published ones, and three bugs found in them.

# %% [markdown]
# ## Setup
# In Colab this cell installs the course library, release 0.1.0 (git tag `v0.1.0`,
# the release this notebook belongs to; set `RESIZER_INSTALL` to a wheel file, a fork or another
# tag to install that instead). pip keeps Colab's own TensorFlow and Keras when they already
# meet the course's bounds (`keras>=3.13` and `tensorflow>=2.18`). Locally, `make lab` has installed everything.
# `setup()` checks every package the course needs, seeds everything and prints the profile
# (`RESIZER_PROFILE`: `smoke`, `quick`, `colab` or `full`) and the device.

# %%
import os
import sys

if "google.colab" in sys.modules:  # Colab: install the course library, pinned to its release
    import subprocess

    INSTALL = os.environ.get("RESIZER_INSTALL", "resizer_lib @ git+https://github.com/learning-to-resize/learning-to-resize@v0.1.0")
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", INSTALL], check=True)

from resizer_lib.course.notebook import setup

PROFILE = setup()

# %% [markdown]
# ## 1 · The idea: resize for the machine, not for the eye
#
# Shrinking a $300 \times 300$ image to $150 \times 150$ throws away three quarters of the
# pixels. A fixed kernel decides *which* information survives. At exactly 2x, bilinear
# interpolation averages pairs of neighbours, which removes the finest detail; beyond 2x, without
# antialiasing (as in the paper, keras.io and Keras' default), it reads only some of the pixels,
# so fine detail is not removed but *aliased* into false coarser patterns (notebook 02 shows it).
# Whether that detail mattered for the task is never asked.
#
# The learnable resizer keeps the fixed resize as a baseline and learns a correction on top:
#
# $$ y \;=\; \underbrace{R(x)}_{\text{naive resize}} \;+\;
#    g_\theta\Big(\underbrace{R\big(f_\theta(x)\big)}_{\text{resized features}}\Big) $$
#
# * $R$ is an ordinary resize to the target size $(h, w)$ (bilinear here);
# * $f_\theta$ computes 16 feature maps at the **full input resolution**, so it still sees the
#   detail $R$ would discard;
# * $R$ then shrinks those *features* (the "bottleneck"), and $g_\theta$, a few convolutions at
#   the target size, turns them into a 3-channel correction.
#
# Two properties follow directly. Because of the skip term $R(x)$, the naive image is the
# *starting point*: the network learns what to add, and a correction near zero gives back the
# naive resize (the correction is unconstrained, so the skip is not a floor: a trained resizer can
# also make things worse). And because every operation is a convolution or a resize, nothing
# depends on the input or target size: the same 12,163 weights *run* at any of them. Whether
# weights trained for one scale factor help at another is a separate question that nothing in this
# course measures. Gradients reach $f_\theta$ through the feature resize, so
# the whole thing trains end to end with the classifier behind it.
#
# Nothing asks the output to look like a photograph. After training it often does not, and that
# is the point: it is tuned to the classifier. (The paper reports ImageNet gains for four
# classifiers, Inception-v2, DenseNet-121, ResNet-50 and MobileNet-v2, and also fine-tunes three
# baselines with the resizer for image quality assessment on AVA; notebook 06 tests the idea here
# with a paired, multi-seed design, and notebook 08 puts the resizer in front of several
# backbones.)

# %% [markdown]
# ## 2 · The architecture, stage by stage
#
# The diagram below is drawn by `resizer_lib.course.anatomy.draw_resizer_diagram` for the keras.io
# setting ($300 \times 300 \to 150 \times 150$, 16 filters, one residual block). Orange boxes run
# at the input resolution, blue ones at the target size; each box lists its output shape and its
# parameters.

# %%
from resizer_lib.course.anatomy import draw_resizer_diagram

INPUT_SIZE, TARGET_SIZE = (300, 300), (150, 150)  # the keras.io example's setting
fig = draw_resizer_diagram(INPUT_SIZE, TARGET_SIZE, filters=16, num_res_blocks=1)

# %% [markdown]
# In symbols, with $\sigma$ the LeakyReLU of slope $0.2$, $\mathrm{BN}$ batch normalisation and
# $W_{k}$ a $k \times k$ convolution:
#
# $$
# \begin{aligned}
# f &= \mathrm{BN}\big(\sigma(W_{1}\,\sigma(W_{7}\,x))\big) && (B, H, W, 16)\\
# b &= R(f) && (B, h, w, 16)\\
# z_i &= z_{i-1} + \mathrm{BN}\big(W_3\,\sigma(\mathrm{BN}(W_3\, z_{i-1}))\big),\; z_0 = b
#      && (B, h, w, 16)\\
# r &= b + \mathrm{BN}(W_3\, z_n) && (B, h, w, 16)\\
# y &= R(x) + W'_{7}\, r && (B, h, w, 3)
# \end{aligned}
# $$
#
# `resizer_stages` runs a resizer built by `build_resizer` one stage at a time, so we can check
# every shape on a real batch, and check that the stages add up to the model's output.

# %%
import numpy as np

from resizer_lib.course.anatomy import resizer_stages
from resizer_lib.models.resizer import build_resizer
from resizer_lib.viz import show_table

resizer = build_resizer(TARGET_SIZE)  # filters=16, num_res_blocks=1, bilinear
batch = np.random.default_rng(0).uniform(0, 1, size=(2, *INPUT_SIZE, 3)).astype("float32")
stages = resizer_stages(resizer, batch)
show_table([{"stage": s.name, "shape": s.shape, "what": s.description} for s in stages]);

# %%
shapes = {s.name: s.shape for s in stages}
assert shapes == {
    "input": (2, 300, 300, 3),
    "naive": (2, 150, 150, 3),
    "features": (2, 300, 300, 16),
    "bottleneck": (2, 150, 150, 16),
    "refined": (2, 150, 150, 16),
    "correction": (2, 150, 150, 3),
    "output": (2, 150, 150, 3),
}
output = np.asarray(resizer(batch, training=False))
assert np.allclose(stages[-1].value, output, atol=1e-5)  # the stages are the model
assert np.allclose(output, stages[1].value + stages[5].value, atol=1e-6)  # y = naive + correction

# %% [markdown]
# ## 3 · Write it yourself: the resizer in the functional API
#
# Before `build_resizer` does it for us, we write the network once by hand from the paper's
# Fig. 2, with Keras' *functional API*: `keras.Input` makes a symbolic tensor, each layer is
# called on the tensor the previous one returned, and `keras.Model(inputs, outputs)` collects
# the graph in between. Read the figure from top to bottom:
#
# 1. **stem, at full resolution**: a $7 \times 7$ convolution to 16 channels, LeakyReLU
#    (slope 0.2), a $1 \times 1$ convolution to 16 channels, LeakyReLU, BatchNorm;
# 2. **bottleneck**: a bilinear resize of these 16 feature maps to the target size;
# 3. **$r$ residual blocks** at the target size, each $3 \times 3$ conv → BN → LeakyReLU →
#    $3 \times 3$ conv → BN, plus the block's input (here $r = 1$);
# 4. **tail**: a $3 \times 3$ conv → BN, plus the bottleneck (the feature skip);
# 5. **output**: a $7 \times 7$ convolution back to 3 channels, plus the bilinear resize of the
#    *image* (the image skip).
#
# Three details the figure leaves open, taken from the course's implementation
# (`resizer_lib/models/resizer.py`): every convolution uses `padding="same"`, so sizes change only
# at the two resizes; the convolutions that feed a BatchNorm inside the blocks and the tail have
# no bias (`use_bias=False`; section 4 says why); the BatchNorms keep Keras' defaults. The two
# resizes are `FixedResize`, the library's one-line wrapper around `keras.ops.image.resize`
# (section 7.1 shows why not `keras.layers.Resizing`). Each layer gets the name the library
# gives it, so that weights can be copied across by name afterwards.

# %%
import keras
from keras import layers

from resizer_lib.models.resizer import FixedResize


def resizer_by_hand(target_size, filters=16):
    """Fig. 2 with one residual block, as a functional model: (B, H, W, 3) -> (B, h, w, 3)."""
    image = keras.Input(shape=(None, None, 3), name="image")  # any input size
    naive = FixedResize(target_size, name="image_resize")(image)  # (B, h, w, 3)
    # 1. the stem sees every input pixel: (B, H, W, F)
    x = layers.Conv2D(filters, 7, padding="same", name="stem_conv7x7")(image)
    x = layers.LeakyReLU(negative_slope=0.2, name="stem_lrelu1")(x)
    x = layers.Conv2D(filters, 1, padding="same", name="stem_conv1x1")(x)
    x = layers.LeakyReLU(negative_slope=0.2, name="stem_lrelu2")(x)
    x = layers.BatchNormalization(name="stem_bn")(x)
    # 2. the bottleneck: resize the features, (B, h, w, F)
    bottleneck = FixedResize(target_size, name="feature_resize")(x)
    # 3. one residual block
    y = layers.Conv2D(filters, 3, padding="same", use_bias=False, name="res0_conv_a")(bottleneck)
    y = layers.BatchNormalization(name="res0_bn_a")(y)
    y = layers.LeakyReLU(negative_slope=0.2, name="res0_lrelu")(y)
    y = layers.Conv2D(filters, 3, padding="same", use_bias=False, name="res0_conv_b")(y)
    y = layers.BatchNormalization(name="res0_bn_b")(y)
    x = layers.Add(name="res0_add")([bottleneck, y])
    # 4. the tail, and the feature skip
    x = layers.Conv2D(filters, 3, padding="same", use_bias=False, name="tail_conv3x3")(x)
    x = layers.BatchNormalization(name="tail_bn")(x)
    x = layers.Add(name="feature_skip")([x, bottleneck])
    # 5. back to 3 channels, and the image skip
    correction = layers.Conv2D(3, 7, padding="same", name="out_conv7x7")(x)
    output = layers.Add(name="image_skip")([naive, correction])
    return keras.Model(image, output, name="resizer_by_hand")


mine = resizer_by_hand(TARGET_SIZE)
print(f"{len(mine.layers)} layers, {mine.count_params():,} parameters, "
      f"output {mine.output.shape}")
assert mine.count_params() == resizer.count_params() == 12_163

# %% [markdown]
# Equal parameter counts are a weak check: swapping the BatchNorm and the LeakyReLU of the stem,
# or forgetting a skip, leaves the count unchanged. The strong check is to give both networks
# the *same* weights and compare what they compute. We fill a `build_resizer` model with random
# weights (random BatchNorm statistics too, otherwise every BatchNorm starts as the identity and
# could sit anywhere unnoticed), then copy them into ours layer by layer, by name.
# `sublayers` lists the library layer's sublayers in forward order.

# %%
from resizer_lib.course.anatomy import sublayers


def random_weights(model, seed):
    """Random values for every variable of ``model``; BatchNorm scales and variances in [0.5, 1.5]."""
    rng = np.random.default_rng(seed)
    return [rng.uniform(0.5, 1.5, v.shape).astype("float32")
            if v.path.endswith(("gamma", "variance")) else
            rng.normal(0.0, 0.1, v.shape).astype("float32") for v in model.weights]


reference = build_resizer(TARGET_SIZE)
reference.set_weights(random_weights(reference, seed=4))
copied = []
for source in sublayers(reference):
    if source.weights:  # activations have none
        mine.get_layer(source.name).set_weights(source.get_weights())
        copied.append(f"{source.name} {[tuple(w.shape) for w in source.get_weights()]}")
print("copied:", *copied, sep="\n  ")

# %%
from resizer_lib.viz import resize_image

naive_batch = resize_image(batch, TARGET_SIZE, "bilinear")
rows = []
for training in (False, True):  # moving statistics, then batch statistics
    theirs_out = np.asarray(reference(batch, training=training))
    mine_out = np.asarray(mine(batch, training=training))
    np.testing.assert_allclose(mine_out, theirs_out, atol=1e-4)
    rows.append({"training": training, "max |mine - build_resizer|": np.abs(mine_out - theirs_out).max(),
                 "max |correction|": np.abs(theirs_out - naive_batch).max()})
show_table(rows, floatfmt=".2e");
assert len(copied) == 10  # 6 convolutions and 4 BatchNorms
assert all(r["max |correction|"] > 0.1 for r in rows)  # the correction is far from zero: the check bites

# %% [markdown]
# Same weights, same outputs, in inference mode and in training mode: the ten-line model above
# *is* the resizer. `build_resizer` puts the same layers inside one `LearnableResizer` layer, so
# that the whole resizer can be saved, copied to another target size (section 5) and run stage by
# stage (`resizer_stages` above); from here on we use it. Exercise 1 adds the loop over residual
# blocks.

# %% [markdown]
# ## 4 · 12,163 parameters, counted by hand
#
# A $k \times k$ convolution from $C_\text{in}$ to $C_\text{out}$ channels holds
# $k^2 C_\text{in} C_\text{out}$ weights plus $C_\text{out}$ biases (if it has them). A
# BatchNorm over $F$ channels holds $4F$ numbers: the trainable scale $\gamma$ and offset $\beta$,
# and the moving mean and variance it uses at inference (Keras counts these too; they are
# updated by averaging, not by gradients). Activations and resizes have no parameters.
#
# The convolutions *inside* the residual blocks and the $3 \times 3$ projection have no bias:
# each feeds a BatchNorm, whose mean subtraction would cancel a constant bias anyway
# (section 7 shows this).

# %%
C, F = 3, 16  # image channels, filters
by_hand = {
    "stem_conv7x7": 7 * 7 * C * F + F,  # 2,352 weights + 16 biases
    "stem_lrelu1": 0,
    "stem_conv1x1": 1 * 1 * F * F + F,  # 256 + 16
    "stem_lrelu2": 0,
    "stem_bn": 4 * F,  # gamma, beta, moving mean, moving variance
    "res0_conv_a": 3 * 3 * F * F,  # no bias
    "res0_bn_a": 4 * F,
    "res0_lrelu": 0,
    "res0_conv_b": 3 * 3 * F * F,
    "res0_bn_b": 4 * F,
    "tail_conv3x3": 3 * 3 * F * F,
    "tail_bn": 4 * F,
    "out_conv7x7": 7 * 7 * F * C + C,  # back to 3 channels, with bias
}
total_by_hand = sum(by_hand.values())
print(f"by hand: {total_by_hand:,} parameters")

# %%
from resizer_lib.course.anatomy import sublayers
from resizer_lib.models.resizer import resizer_param_count

by_keras = {layer.name: layer.count_params() for layer in sublayers(resizer)}
show_table([{"layer": name, "by hand": by_hand[name], "Keras": by_keras[name]} for name in by_keras]);

# %%
import keras

trainable = sum(int(np.prod(w.shape)) for w in resizer.trainable_weights)
assert by_keras == by_hand  # layer by layer
assert total_by_hand == resizer.count_params() == resizer_param_count() == 12_163
assert trainable == 12_163 - 4 * 2 * F == 12_035  # 4 BatchNorms x (moving mean + variance)
print(f"total {resizer.count_params():,}, trainable {trainable:,}, "
      f"moving statistics {resizer.count_params() - trainable}")

# %% [markdown]
# The general formula, `resizer_param_count(channels, filters, num_res_blocks)`, is
# $$ (49CF + F) + (F^2 + F) + 4F \;+\; n\,(18F^2 + 8F) \;+\; (9F^2 + 4F) \;+\; (49FC + C), $$
# quadratic in the width $F$ and linear in the number of blocks $n$. Image sizes appear nowhere.

# %%
for filters, blocks in [(8, 1), (16, 3), (32, 2)]:
    model = build_resizer(TARGET_SIZE, filters=filters, num_res_blocks=blocks)
    assert model.count_params() == resizer_param_count(3, filters, blocks)
    print(f"filters={filters:2d}, blocks={blocks}: {model.count_params():,} parameters")

# %% [markdown]
# ## 5 · Any target size, any aspect ratio
#
# The target size is fixed when a resizer is built (it is an argument of the two resizes), but
# the weights' shapes do not depend on it. So weights trained for $150 \times 150$ can be copied
# into a resizer for $96 \times 160$, or for upsampling to $450 \times 450$, and they run there;
# whether they still *help* at another scale factor is not shown here (that would need training
# at one factor and testing at another). The input size is free too:
# one resizer accepts any $H \times W$ (all images *within a batch* must share it, since a batch
# is one tensor).
#
# A different aspect ratio simply stretches: $R$ maps the whole input onto the target grid.
# If you would rather keep proportions, crop first (`resizer_lib.data.load_dataset(...,
# crop_to_aspect_ratio=True)` does that for datasets).

# %%
weights = resizer.get_weights()
photo_batch = np.random.default_rng(1).uniform(size=(1, 240, 360, 3)).astype("float32")
rows = []
for target in [(150, 150), (96, 160), (200, 64), (450, 450)]:
    other = build_resizer(target)
    other.set_weights(weights)  # same weights, other target size
    out = other(photo_batch, training=False)
    assert tuple(out.shape) == (1, *target, 3) and other.count_params() == 12_163
    rows.append({"input": "240x360", "target": f"{target[0]}x{target[1]}", "output": tuple(out.shape)})
for size in [(300, 300), (75, 75), (123, 457)]:  # one resizer, inputs of any size
    out = resizer(np.zeros((1, *size, 3), "float32"), training=False)
    assert tuple(out.shape) == (1, 150, 150, 3)
    rows.append({"input": f"{size[0]}x{size[1]}", "target": "150x150", "output": tuple(out.shape)})
show_table(rows);

# %% [markdown]
# **Where the compute goes.** The stem (a $7 \times 7$ and a $1 \times 1$ convolution) runs on
# every input pixel; everything else runs on the target grid. `multiply_adds` counts the
# convolutions' multiply-adds per image:

# %%
from resizer_lib.course.anatomy import multiply_adds

cost_rows = []
for size in [(300, 300), (600, 600)]:
    macs = multiply_adds(size, TARGET_SIZE)
    share = macs["full_resolution"] / macs["total"]
    cost_rows.append({"input": f"{size[0]}x{size[1]}", "target": "150x150",
                      "MMACs full res.": macs["full_resolution"] / 1e6,
                      "MMACs target res.": macs["target_resolution"] / 1e6,
                      "full-res. share": f"{share:.0%}"})
show_table(cost_rows, floatfmt=".1f");
assert multiply_adds((600, 600), TARGET_SIZE)["full_resolution"] == 4 * multiply_adds(INPUT_SIZE, TARGET_SIZE)["full_resolution"]
macs_300 = multiply_adds(INPUT_SIZE, TARGET_SIZE)["total"]
DENSENET121_GFLOP_150 = 2.53  # forward, per image, TensorFlow's profiler (benchmarks/README.md)
print(f"300x300 -> 150x150: {macs_300 / 1e6:.0f} million multiply-adds = {2 * macs_300 / 1e9:.2f} GFLOP, "
      f"{2 * macs_300 / 1e9 / DENSENET121_GFLOP_150:.0%} of DenseNet-121's forward pass at 150x150")
assert 440e6 < macs_300 < 445e6
assert 0.34 < 2 * macs_300 / 1e9 / DENSENET121_GFLOP_150 < 0.36

# %% [markdown]
# About 443 million multiply-adds per $300 \times 300$ image, 0.89 GFLOP (a multiply-add is two
# floating-point operations). The backbone behind it runs at the *target* size: DenseNet-121 at
# $150 \times 150$ is about 2.5 GFLOP per image forward, 3.4 with the resizer in front
# (`benchmarks/README.md`, TensorFlow's profiler), so the resizer adds about 35 % of the FLOPs, and the cost grows with the *input* area, the price of looking at full
# resolution.
#
# ## 6 · What an untrained resizer does to photos
#
# Before training, $g_\theta$ has random weights, so the correction it adds to the naive resize is
# structured noise. Let us look at it on photos: the course's cat and dog photos when they are
# available next to the checkout (shown in the output only; their licence forbids committing
# them), otherwise photos that ship with scikit-image.

# %%
from resizer_lib.data.sample_images import load_image_file, load_sample, shared_photo_paths
from resizer_lib.viz import resize_image

count = 2 if PROFILE.name == "smoke" else 4
paths = shared_photo_paths(count)
if paths:
    names = [p.name for p in paths]
    photos = [load_image_file(p) for p in paths]
else:
    names = ["chelsea", "coffee", "astronaut", "rocket"][:count]
    photos = [load_sample(n) for n in names]
print("photos:", ", ".join(names), "(the course's cat/dog photos)" if paths else "(scikit-image)")
# the keras.io pipeline: every photo to 300x300 first (here antialiased), values in [0, 1]
inputs = np.stack([resize_image(p, INPUT_SIZE, "bilinear", antialias=True) for p in photos])
keras.utils.set_random_seed(0)
untrained = build_resizer(TARGET_SIZE)
outputs = np.asarray(untrained(inputs, training=False))
naive = resize_image(inputs, TARGET_SIZE, "bilinear")
assert inputs.shape == (count, 300, 300, 3) and outputs.shape == naive.shape == (count, 150, 150, 3)

# %% [markdown]
# The output is not an image in $[0, 1]$ any more: it is the naive resize plus an unbounded
# correction. Per-channel statistics make that concrete (`outside [0,1]` is the fraction of
# values a display would have to clip):

# %%
from resizer_lib.viz import channel_statistics

stats = channel_statistics({"input": inputs, "naive": naive, "untrained resizer": outputs})
show_table(stats, floatfmt=".3f");
correction = outputs - naive
print(f"correction: mean {correction.mean():+.3f}, std {correction.std():.3f}, "
      f"max |.| {np.abs(correction).max():.3f}")
assert np.abs(correction).max() > 1e-3  # random weights: the correction is not zero
means = {(r["image"], r["channel"]): r["mean"] for r in stats}
cast = max(abs(means[("untrained resizer", c)] - means[("naive", c)]) for c in "RGB")
print(f"largest shift of a channel mean (the colour cast): {cast:.3f}")
assert cast > 0.02
assert abs(naive.mean() - inputs.mean()) < 0.01  # an exact 2x bilinear resize keeps the mean

# %% [markdown]
# **Displaying it honestly.** `plt.imshow` on such an array clips silently to $[0, 1]$ and logs
# "Clipping input data to the valid range". The keras.io example divided the output by 10 to
# make that warning go away, which darkens the picture tenfold and still leaves negative values
# to clip. `resizer_lib.viz.to_display` makes the choice explicit instead:
# * `mode="clip"`: clip to the input range $[0, 1]$: shows what the classifier gets, in the
#   units of the input; saturated areas are where the resizer overshoots;
# * `mode="percentile"`: stretch the 1st..99th percentiles of each image to $[0, 1]$: shows the
#   structure even when the range has drifted;
# * `mode="minmax"`: stretch the full range.
#
# Each row: input | naive bilinear | untrained resizer (clipped) | the same, percentile-stretched
# | divided by 10 (the ad-hoc fix, for comparison, clipped).

# %%
import matplotlib.pyplot as plt

from resizer_lib.viz import clipping_warnings, show_images, to_display

panels, titles = [], []
for name, x, n, y in zip(names, inputs, naive, outputs, strict=True):
    panels += [x, n, to_display(y, "clip"), to_display(y, "percentile"), to_display(y / 10, "clip")]
    titles += [name[:18], "naive bilinear", "resizer (clip)", "resizer (percentile)", "resizer / 10"]
with clipping_warnings() as ours:
    fig = show_images(panels, titles=titles, ncols=5, panel_size=2.3)
with clipping_warnings() as raw:
    raw_fig, raw_ax = plt.subplots(figsize=(2, 2))
    raw_ax.imshow(outputs[0])  # what the raw array would do
    plt.close(raw_fig)
outside = bool(outputs[0].min() < 0 or outputs[0].max() > 1)
print(f"to_display figures: {len(ours)} clipping warnings; raw imshow: {len(raw)}")
assert ours == []  # every panel went through to_display: values in [0, 1]
assert len(raw) == int(outside)
assert all(0.0 <= p.min() and p.max() <= 1.0 for p in panels[2::5])

# %% [markdown]
# The untrained output is the naive image plus a colour cast and an edge-like texture, both set
# by the random initialisation (the table above shows the channel means moving); the thin lines
# along the borders come from the zero padding of the $7 \times 7$ convolutions. The photo stays
# recognisable because of the skip term $R(x)$. Dividing by ten would only have hidden all this.
# `compare_resizers` + `plot_comparison` show one photo with the signed difference (resizer output
# − naive, averaged over channels, on a symmetric diverging scale) and the output's magnitude
# spectrum. (The panels say "learned" for the resizer's output even though nothing has been
# learned yet; notebook 07 shows a *trained* resizer.)

# %%
from resizer_lib.viz import compare_resizers, plot_comparison

result = compare_resizers(inputs[0], None, resizer_model=untrained)
fig = plot_comparison(result)
assert np.allclose(result["learned"], outputs[0], atol=1e-5)
assert np.allclose(result["difference"], (outputs[0] - naive[0]).mean(axis=-1), atol=1e-5)

# %% [markdown]
# ## 7 · Other formulations, and bugs in published versions
#
# ### 7.1 The keras.io example is the same network
# The keras.io example "Learning to Resize in Computer Vision" (Sayak Paul, 2021,
# <https://keras.io/examples/vision/learnable_resizer/>) builds the resizer with the functional
# API, much as section 3 did. `resizer_lib.course.formulations.keras_io_resizer` is a faithful port of it (same
# layers, same order). With the same weights it gives the same output as `build_resizer`:

# %%
from resizer_lib.course.formulations import keras_io_resizer

theirs = keras_io_resizer(TARGET_SIZE)
ours = build_resizer(TARGET_SIZE)
weights = random_weights(ours, seed=2)  # section 3's helper: BN variances stay positive
ours.set_weights(weights)
theirs.set_weights(weights)
same = np.abs(np.asarray(theirs(inputs, training=False)) - np.asarray(ours(inputs, training=False)))
print(f"max |keras.io - resizer_lib| = {same.max():.2e}")
assert theirs.count_params() == ours.count_params() == 12_163
assert same.max() < 1e-4

# %% [markdown]
# Note the `training=False`. The example resizes with `keras.layers.Resizing`, a preprocessing
# layer whose `call` declares `training=True` as its default. When a model is called *without* a
# `training` argument, Keras 3 hands the first default it meets down to the later layers, so
# a plain `model(x)` can run the BatchNorms after a `Resizing` layer in training mode (batch
# statistics, moving averages updated). `predict` and `evaluate` pass `training=False`
# themselves. `resizer_lib`'s layer calls `keras.ops.image.resize` directly. Checked on the
# installed Keras:

# %%
bn = theirs.get_layer("res0_a_bn")
before = keras.ops.convert_to_numpy(bn.moving_mean)
theirs(inputs)  # no training argument
changed = not np.allclose(before, keras.ops.convert_to_numpy(bn.moving_mean))
print(f"keras {keras.__version__}: a plain call {'UPDATED' if changed else 'did not update'} "
      f"the BatchNorm moving mean after a Resizing layer")
assert changed, "this Keras no longer runs layers after Resizing in training mode by default"
ours_bn = ours.get_layer("resizer").stem_bn
before = keras.ops.convert_to_numpy(ours_bn.moving_mean)
ours(inputs)
assert np.allclose(before, keras.ops.convert_to_numpy(ours_bn.moving_mean))  # ours: inference unless told

# %% [markdown]
# ### 7.2 Bug: a residual loop that reused its input
# Earlier versions of the keras.io example wrote the residual passes as
# ```python
# for _ in range(num_res_blocks):
#     x = res_block(bottleneck)   # every block reads the bottleneck
# ```
# Each block got the bottleneck instead of the previous block's output, so with
# `num_res_blocks > 1` only the last block's result was used. In the functional API the other
# blocks are not even part of the model: they are not on any path from input to output. The
# current example chains them (`x = res_block(x)`), as `resizer_lib` does. The port reproduces
# the old loop with `reuse_bottleneck=True`:

# %%
buggy = keras_io_resizer(TARGET_SIZE, num_res_blocks=3, reuse_bottleneck=True)
fixed = keras_io_resizer(TARGET_SIZE, num_res_blocks=3)
print(f"3 blocks, reused input: {buggy.count_params():,} parameters; "
      f"chained: {fixed.count_params():,}")
assert buggy.count_params() == resizer_param_count(num_res_blocks=1)  # two blocks vanished
assert fixed.count_params() == build_resizer(TARGET_SIZE, num_res_blocks=3).count_params()
assert not any(layer.name.startswith(("res0", "res1")) for layer in buggy.layers)

# %% [markdown]
# ### 7.3 Bug: a hard-coded filter count
# The example's `res_block` calls its convolutions with the literal `16` instead of the
# `filters` argument. With `filters=16` nobody notices; with any other width the block's output
# (16 channels) no longer matches its input and the skip connection fails to build.

# %%
try:
    keras_io_resizer(TARGET_SIZE, filters=32, block_filters=16)
    failed = None
except ValueError as err:
    failed = str(err).splitlines()[0]
print("filters=32 with the hard-coded block:", failed)
assert failed is not None and "incompatible shapes" in failed
assert build_resizer(TARGET_SIZE, filters=32).count_params() == resizer_param_count(filters=32)

# %% [markdown]
# ### 7.4 A PyTorch formulation
# A PyTorch `Resizer` from a blog post on the paper, as this course examined it
# (`resizer_lib.course.formulations.pytorch_blog_counts` models its layers; the post is not
# linked here, since later edits may have changed it), shows what to watch for when porting
# across frameworks. Its structure matches (7×7 conv, 1×1 conv, BatchNorm, feature resize,
# residual blocks, 3×3 projection, 7×7 conv, two skips), but it differs in four ways:
#
# 1. **Its `forward` returns nothing.** The method computes `out` and ends with a bare `return`,
#    so `resizer(x)` is `None` and the first use of the result fails.
# 2. **`align_corners=True`** in `F.interpolate`. Keras, TensorFlow 2 and JAX resize with
#    *half-pixel centres* (as does PyTorch by default). With `align_corners=True` the corner pixels
#    map onto each other, which changes both the scale and the phase of the sampling grid (next
#    cell).
# 3. **Biases everywhere.** `nn.Conv2d` has a bias by default, including the convolutions that
#    feed a BatchNorm, where it is redundant: 48 extra parameters whose gradient is exactly zero
#    in training mode (the BatchNorm removes any constant shift; see the last cell of 7.4).
# 4. **Counting and BatchNorm conventions.** `sum(p.numel() for p in model.parameters())` leaves
#    out BatchNorm's running statistics (they are buffers), while Keras' `count_params()`
#    includes them. PyTorch's BatchNorm `momentum=0.1` weights the *new* batch (Keras'
#    `momentum=0.99` weights the *old* average; the PyTorch default corresponds to Keras 0.9),
#    and its `eps` is $10^{-5}$ against Keras' $10^{-3}$. Weights ported across frameworks need
#    these settings matched.
#
# Where BatchNorm sits is the same in all three versions: no BatchNorm after the first 7×7
# convolution; in the stem it comes *after* the second LeakyReLU (activation, then
# normalisation), so the features entering the bottleneck resize are normalised; inside the
# residual blocks it follows each convolution, before the activation (the usual
# conv → BN → activation order).
#
# **Sampling grids.** Where does output pixel $i$ sample the input? With half-pixel centres,
# $s_i = (i + \tfrac12)\,\frac{H}{h} - \tfrac12$; with aligned corners,
# $s_i = i\,\frac{H-1}{h-1}$.

# %%
import matplotlib.pyplot as plt

from resizer_lib.course.formulations import linear_resize_1d, source_coordinates

half = source_coordinates(300, 150)
corners = source_coordinates(300, 150, align_corners=True)
show_table([{"output pixel": i, "half-pixel centres": half[i], "align_corners=True": corners[i]}
            for i in (0, 1, 2, 74, 75, 148, 149)], floatfmt=".3f");
fig, ax = plt.subplots(figsize=(6, 2.6))
ax.plot(corners - half)
ax.set_xlabel("output pixel (300 -> 150)")
ax.set_ylabel("align_corners - half-pixel\n(input pixels)")
ax.grid(alpha=0.3)
fig.tight_layout()

# %% [markdown]
# With half-pixel centres a $2\times$ reduction samples halfway between two pixels, so bilinear
# interpolation averages each pair exactly. With aligned corners the grid is stretched by
# $299/149$ instead of $2$ and its phase drifts by a whole input pixel across the image. The
# cell below checks the half-pixel formula against `keras.ops.image.resize` on a 1-D signal and
# shows that aligned corners give different values.

# %%
signal = (np.arange(8.0) ** 2).astype("float32")
keras_bilinear = np.asarray(keras.ops.image.resize(signal.reshape(1, 1, 8, 1), (1, 4))).ravel()
print("keras bilinear   ", keras_bilinear)
print("half-pixel (ours)", linear_resize_1d(signal, 4))
print("align_corners    ", linear_resize_1d(signal, 4, align_corners=True))
assert np.allclose(keras_bilinear, linear_resize_1d(signal, 4), atol=1e-4)
assert not np.allclose(keras_bilinear, linear_resize_1d(signal, 4, align_corners=True), atol=1e-2)

# %% [markdown]
# **A bias before BatchNorm does nothing.** In training mode BatchNorm subtracts the batch mean
# of each channel, so a constant added before it (a bias) is removed again:

# %%
from resizer_lib.course.formulations import pytorch_blog_counts

norm = keras.layers.BatchNormalization()
features = np.random.default_rng(3).normal(size=(4, 8, 8, 16)).astype("float32")
with_bias = features + np.linspace(-2, 2, 16, dtype="float32")  # one bias per channel
gap = np.abs(np.asarray(norm(with_bias, training=True)) - np.asarray(norm(features, training=True)))
counts = pytorch_blog_counts()
print(f"BN(x + bias) - BN(x): max {gap.max():.1e}")
print(f"PyTorch blog: {counts['parameters']:,} parameters ({counts['bias_before_bn']} biases "
      f"before a BatchNorm) + {counts['buffers']} running statistics in buffers; "
      f"Keras: {trainable:,} trainable + {resizer.count_params() - trainable} moving statistics")
assert gap.max() < 1e-4
assert counts["parameters"] == trainable + counts["bias_before_bn"] == 12_083
stem_bn = resizer.get_layer("resizer").stem_bn
assert (stem_bn.momentum, stem_bn.epsilon) == (0.99, 1e-3)  # Keras defaults (PyTorch: 0.1, 1e-5)

# %% [markdown]
# `build_resizer` keeps Keras' default momentum 0.99, as the paper's code does. Every resizer
# this course *trains* (notebooks 06-08, the studies in `results/`) uses 0.9 instead
# (`ExperimentConfig.bn_momentum`): with 0.99 the moving statistics remember the first
# few hundred steps for a long time, and a short CPU run has only a few hundred steps in all,
# so they would still be far from what the layers see at the end (the course's DenseNet study
# shows how far that can go).

# %% [markdown]
# ## Exercises
#
# 1. **Two residual blocks, by hand.** Write `resizer_by_hand_n(target_size, num_res_blocks)`:
#    section 3's model with a loop that *chains* the residual blocks (block $i$ reads block
#    $i-1$'s output; name the layers `res{i}_conv_a`, ...). Build it with two blocks, copy the
#    weights of a randomised `build_resizer(TARGET_SIZE, num_res_blocks=2)` into it layer by
#    layer, and assert that the outputs agree. What would the comparison report if your loop fed
#    every block the bottleneck (section 7.2)?
# 2. **Start as bilinear.** Set the weights of the final 7×7 convolution
#    (`resizer.get_layer("resizer").out_conv7`) to zero. Show that the resizer then returns
#    exactly the bilinear resize. Why might this be a sensible initialisation?
# 3. **Count again.** By hand, how many parameters does a resizer with `filters=8` and
#    `num_res_blocks=4` have? Check with `build_resizer`.
# 4. **Where the compute goes.** For a fixed $150 \times 150$ target, at which (square) input
#    size does the full-resolution stem do more than 90% of the multiply-adds?
# 5. **Sampling grids.** For $300 \to 150$, what is the largest distance (in input pixels)
#    between where `align_corners=True` and half-pixel centres sample, and at which output pixels?
#
# Each exercise cell ends with a check that says "✓ right" or what is off, without giving the
# answer away.

# %% tags=["exercise"]
# Exercise 1: your code here
from resizer_lib.course.exercise_checks import check_resizer_by_hand


def resizer_by_hand_n(target_size, num_res_blocks, filters=16):
    """Section 3's model with `num_res_blocks` chained blocks: (B, H, W, 3) -> (B, h, w, 3)."""
    ...  # build it with keras.Input, the layers and keras.Model, and return the model


mine_2 = None  # resizer_by_hand_n(TARGET_SIZE, 2), with the weights of a build_resizer model
check_resizer_by_hand(mine_2, num_res_blocks=2);  # copies random weights in and compares, as section 3

# %% tags=["exercise"]
# Exercise 2: your code here
from resizer_lib.course.exercise_checks import check_starts_as_bilinear

identity = None  # build_resizer(TARGET_SIZE) with out_conv7's kernel and bias set to zero
check_starts_as_bilinear(identity);

# %% tags=["exercise"]
# Exercise 3: your code here
from resizer_lib.course.exercise_checks import check_param_count

count_8_4 = None  # the parameter count of filters=8, num_res_blocks=4, by hand
check_param_count(count_8_4, filters=8, num_res_blocks=4);

# %% tags=["exercise"]
# Exercise 4: your code here
from resizer_lib.course.exercise_checks import check_stem_share

first_side = None  # the smallest square input side where the stem does > 90% of the work
check_stem_share(first_side, TARGET_SIZE, share=0.9);  # to within 10 pixels

# %% tags=["exercise"]
# Exercise 5: your code here
from resizer_lib.course.exercise_checks import check_grid_gap

largest_gap = None  # in input pixels, from source_coordinates(300, 150, ...)
check_grid_gap(largest_gap, in_size=300, out_size=150);

# %% [markdown] tags=["solution"]
# ## Solutions
#
# One cell per exercise; open a cell to read it, but try first.

# %% tags=["solution"] jupyter={"source_hidden": true}
# 1. The loop replaces section 3's single block; `x = block(x)` chains them. With the buggy
#    loop (every block reads the bottleneck) the first block's layers would still exist and take
#    the copied weights, but no path would lead from them to the output: the outputs would then
#    disagree by about the size of that block's contribution.
def resizer_by_hand_n(target_size, num_res_blocks, filters=16):
    """Section 3's model with `num_res_blocks` chained blocks: (B, H, W, 3) -> (B, h, w, 3)."""
    image = keras.Input(shape=(None, None, 3), name="image")
    naive = FixedResize(target_size, name="image_resize")(image)
    x = layers.Conv2D(filters, 7, padding="same", name="stem_conv7x7")(image)
    x = layers.LeakyReLU(negative_slope=0.2, name="stem_lrelu1")(x)
    x = layers.Conv2D(filters, 1, padding="same", name="stem_conv1x1")(x)
    x = layers.LeakyReLU(negative_slope=0.2, name="stem_lrelu2")(x)
    x = layers.BatchNormalization(name="stem_bn")(x)
    bottleneck = FixedResize(target_size, name="feature_resize")(x)
    x = bottleneck
    for i in range(num_res_blocks):
        y = layers.Conv2D(filters, 3, padding="same", use_bias=False, name=f"res{i}_conv_a")(x)
        y = layers.BatchNormalization(name=f"res{i}_bn_a")(y)
        y = layers.LeakyReLU(negative_slope=0.2, name=f"res{i}_lrelu")(y)
        y = layers.Conv2D(filters, 3, padding="same", use_bias=False, name=f"res{i}_conv_b")(y)
        y = layers.BatchNormalization(name=f"res{i}_bn_b")(y)
        x = layers.Add(name=f"res{i}_add")([x, y])  # chained: the next block reads this
    x = layers.Conv2D(filters, 3, padding="same", use_bias=False, name="tail_conv3x3")(x)
    x = layers.BatchNormalization(name="tail_bn")(x)
    x = layers.Add(name="feature_skip")([x, bottleneck])
    correction = layers.Conv2D(3, 7, padding="same", name="out_conv7x7")(x)
    return keras.Model(image, layers.Add(name="image_skip")([naive, correction]))


mine_2 = resizer_by_hand_n(TARGET_SIZE, 2)
reference_2 = build_resizer(TARGET_SIZE, num_res_blocks=2)
reference_2.set_weights(random_weights(reference_2, seed=5))
for source in sublayers(reference_2):
    if source.weights:
        mine_2.get_layer(source.name).set_weights(source.get_weights())
gap_2 = np.abs(np.asarray(mine_2(batch, training=False))
               - np.asarray(reference_2(batch, training=False))).max()
print(f"two blocks: {mine_2.count_params():,} parameters, max |mine - build_resizer| = {gap_2:.1e}")
assert mine_2.count_params() == resizer_param_count(num_res_blocks=2) == 16_899
assert gap_2 < 1e-4

# %% tags=["solution"] jupyter={"source_hidden": true}
# 2. With the last convolution at zero the correction is zero: y = R(x) exactly. Training then
#    starts from the naive resize and moves away only where that helps the classifier.
identity = build_resizer(TARGET_SIZE)
last = identity.get_layer("resizer").out_conv7
last.set_weights([np.zeros_like(w) for w in last.get_weights()])
y = np.asarray(identity(inputs, training=False))
assert np.allclose(y, resize_image(inputs, TARGET_SIZE, "bilinear"), atol=1e-6)
print("zero final conv -> bilinear resize, max difference",
      np.abs(y - resize_image(inputs, TARGET_SIZE, "bilinear")).max())

# %% tags=["solution"] jupyter={"source_hidden": true}
# 3. filters F = 8, n = 4 blocks, C = 3
F8, n = 8, 4
stem = (49 * 3 * F8 + F8) + (F8 * F8 + F8) + 4 * F8  # 1,184 + 72 + 32
blocks = n * (2 * 9 * F8 * F8 + 2 * 4 * F8)  # 4 x 1,216
tail = (9 * F8 * F8 + 4 * F8) + (49 * F8 * 3 + 3)  # 608 + 1,179
count_8_4 = stem + blocks + tail
print(f"filters=8, 4 blocks: {count_8_4:,} parameters")
assert count_8_4 == build_resizer(TARGET_SIZE, filters=8, num_res_blocks=4).count_params() == 7_939

# %% tags=["solution"] jupyter={"source_hidden": true}
# 4. The stem's share grows with the input area; scan square inputs.
share = {s: multiply_adds(s, TARGET_SIZE)["full_resolution"] / multiply_adds(s, TARGET_SIZE)["total"]
         for s in range(150, 2001, 10)}
first_side = min(s for s, v in share.items() if v > 0.9)
print(f"the stem does > 90% of the work from about {first_side}x{first_side} on "
      f"(share {share[first_side]:.1%})")
assert share[first_side] > 0.9 >= share[first_side - 10]

# %% tags=["solution"] jupyter={"source_hidden": true}
# 5. The two grids differ by (i * 299/149) - (2i + 0.5): -0.5 at i = 0 and +0.5 at i = 149.
grid_gap = source_coordinates(300, 150, align_corners=True) - source_coordinates(300, 150)
largest_gap = float(np.abs(grid_gap).max())
print(f"largest gap {largest_gap:.3f} px at output pixels "
      f"{np.flatnonzero(np.isclose(np.abs(grid_gap), 0.5))}")
assert np.isclose(largest_gap, 0.5) and np.isclose(grid_gap[0], -0.5) and np.isclose(grid_gap[-1], 0.5)
