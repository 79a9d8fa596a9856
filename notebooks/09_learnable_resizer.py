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
# # 09 · The learnable resizer, block by block
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/learning-to-resize/learning-to-resize/blob/v0.1.0/notebooks/09_learnable_resizer.ipynb)
# · source: [`09_learnable_resizer.py`](09_learnable_resizer.py) (the `.ipynb` is generated from it with jupytext)
#
# Before a photo reaches a classifier it is shrunk, almost always by a fixed interpolation.
# Those kernels were designed so that the small picture *looks* right to a person. Talebi &
# Milanfar (ICCV 2021) replace that fixed step with a small network trained together with the
# classifier. The resize is judged only by how well the classifier does afterwards.
#
# **What you will learn here**
# * the resizer's architecture, stage by stage, with the tensor shape after each stage;
# * how to write the resizer yourself from the paper's description, and check it against the
#   library by transplanting its weights;
# * how to count its 12,163 parameters by hand, and why the count does not depend on image sizes;
# * that one resizer serves any target size, and where its compute goes;
# * what an *untrained* resizer does to photos, and how to show its unbounded output honestly.

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
# pixels. A fixed kernel decides *which* information survives, and never asks whether it mattered
# for the task. The learnable resizer keeps the fixed resize and learns a correction on top:
#
# $$ y \;=\; \underbrace{R(x)}_{\text{naive resize}} \;+\;
#    g_\theta\Big(\underbrace{R\big(f_\theta(x)\big)}_{\text{resized features}}\Big) $$
#
# $R$ is an ordinary resize to the target size $(h, w)$, bilinear here. $f_\theta$ computes 16
# feature maps at the **full input resolution**, so it still sees the detail $R$ would discard.
# $R$ shrinks those *features*, and $g_\theta$, a few convolutions at the target size, turns them
# into a 3-channel correction.
#
# Thanks to the skip term $R(x)$, a correction near zero gives back the naive resize; a trained
# correction can also make things worse. Every operation is a convolution or a resize, so the
# same weights *run* at any input and target size. Nothing asks the output to look like a
# photograph: it is tuned to the classifier.

# %% [markdown]
# ## 2 · The architecture, stage by stage
#
# The diagram is drawn from code for the keras.io setting: $300 \times 300 \to 150 \times 150$,
# 16 filters, one residual block. Orange boxes run at the input resolution, blue ones at the
# target size. Each box lists its output shape and its parameters.

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
# `resizer_stages` runs a resizer from `build_resizer` one stage at a time. We check every shape
# on a real batch, and that the stages add up to the model's output.

# %%
import numpy as np

from resizer_lib.course.anatomy import resizer_stages
from resizer_lib.models.resizer import build_resizer
from resizer_lib.viz import show_table

resizer = build_resizer(TARGET_SIZE)  # filters=16, num_res_blocks=1, bilinear
batch = np.random.default_rng(0).uniform(0, 1, size=(2, *INPUT_SIZE, 3)).astype("float32")
stages = resizer_stages(resizer, batch)
show_table([{"stage": s.name, "shape": s.shape, "what": s.description} for s in stages]);
shapes = {s.name: s.shape for s in stages}
assert (shapes["features"], shapes["output"]) == ((2, 300, 300, 16), (2, 150, 150, 3))
output = np.asarray(resizer(batch, training=False))
assert np.allclose(stages[-1].value, output, atol=1e-5)  # the stages are the model
assert np.allclose(output, stages[1].value + stages[5].value, atol=1e-6)  # y = naive + correction

# %% [markdown]
# ## 3 · Write it yourself: the resizer in the functional API
#
# Now we write the network by hand from the paper's Fig. 2, with Keras' *functional API*.
# `keras.Input` makes a symbolic tensor. Each layer is called on the tensor the previous one
# returned. `keras.Model(inputs, outputs)` collects the graph in between. The code follows the
# equations above line by line: stem, bottleneck, residual block, tail, output.
#
# The figure leaves three details open; we take them from the course's implementation. Every
# convolution uses `padding="same"`. Convolutions that feed a BatchNorm have no bias (section 4
# says why). The BatchNorms keep Keras' defaults. `FixedResize` wraps `keras.ops.image.resize`.
# Each layer gets the library's name for it, so that weights can be copied across by name.

# %%
import keras
from keras import layers

from resizer_lib.models.resizer import FixedResize


def lrelu(name):
    return layers.LeakyReLU(negative_slope=0.2, name=name)


def residual_block(x, filters, i):
    """Block i: 3x3 conv -> BN -> LeakyReLU -> 3x3 conv -> BN, plus the block's input."""
    y = layers.Conv2D(filters, 3, padding="same", use_bias=False, name=f"res{i}_conv_a")(x)
    y = lrelu(f"res{i}_lrelu")(layers.BatchNormalization(name=f"res{i}_bn_a")(y))
    y = layers.Conv2D(filters, 3, padding="same", use_bias=False, name=f"res{i}_conv_b")(y)
    y = layers.BatchNormalization(name=f"res{i}_bn_b")(y)
    return layers.Add(name=f"res{i}_add")([x, y])


def resizer_by_hand(target_size, filters=16):
    """Fig. 2 with one residual block, as a functional model: (B, H, W, 3) -> (B, h, w, 3)."""
    image = keras.Input(shape=(None, None, 3), name="image")  # any input size
    naive = FixedResize(target_size, name="image_resize")(image)  # (B, h, w, 3)
    # 1. the stem sees every input pixel: (B, H, W, F)
    x = lrelu("stem_lrelu1")(layers.Conv2D(filters, 7, padding="same", name="stem_conv7x7")(image))
    x = lrelu("stem_lrelu2")(layers.Conv2D(filters, 1, padding="same", name="stem_conv1x1")(x))
    x = layers.BatchNormalization(name="stem_bn")(x)
    # 2. the bottleneck: resize the features, (B, h, w, F)
    bottleneck = FixedResize(target_size, name="feature_resize")(x)
    # 3. one residual block
    x = residual_block(bottleneck, filters, 0)
    # 4. the tail, and the feature skip
    x = layers.Conv2D(filters, 3, padding="same", use_bias=False, name="tail_conv3x3")(x)
    x = layers.BatchNormalization(name="tail_bn")(x)
    x = layers.Add(name="feature_skip")([x, bottleneck])
    # 5. back to 3 channels, and the image skip
    correction = layers.Conv2D(3, 7, padding="same", name="out_conv7x7")(x)
    output = layers.Add(name="image_skip")([naive, correction])
    return keras.Model(image, output, name="resizer_by_hand")


mine = resizer_by_hand(TARGET_SIZE)
print(f"{mine.count_params():,} parameters (build_resizer: {resizer.count_params():,}), output {mine.output.shape}")

# %% [markdown]
# Equal parameter counts are a weak check. Swapping the stem's BatchNorm and LeakyReLU, or
# forgetting a skip, leaves the count unchanged. The strong check gives both networks the *same*
# weights and compares what they compute. We fill a `build_resizer` model with random weights,
# BatchNorm statistics included: otherwise every BatchNorm starts as the identity and could sit
# anywhere unnoticed. Then we copy them into ours by layer name. `sublayers` lists the library
# layer's sublayers in forward order.

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
copied = [layer for layer in sublayers(reference) if layer.weights]  # activations have none
for source in copied:
    mine.get_layer(source.name).set_weights(source.get_weights())

naive_batch = stages[1].value  # the bilinear resize of `batch`
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
# Same weights, same outputs, in inference and in training mode: our model *is* the resizer.
# `build_resizer` puts the same layers inside one `LearnableResizer` layer. That layer can be
# saved, copied to another target size and run stage by stage; from here on we use it. Exercise 1
# adds the loop over residual blocks.
#
# ## 4 · 12,163 parameters, counted by hand
#
# A $k \times k$ convolution from $C_\text{in}$ to $C_\text{out}$ channels holds
# $k^2 C_\text{in} C_\text{out}$ weights, plus $C_\text{out}$ biases if it has them. A BatchNorm
# over $F$ channels holds $4F$ numbers: the trainable scale $\gamma$ and offset $\beta$, and the
# moving mean and variance. Keras counts the moving statistics too, although they are averaged,
# not trained. Activations and resizes have no parameters.
#
# The convolutions inside the blocks and the tail feed a BatchNorm. Its mean subtraction would
# cancel a constant bias anyway, so they have none (lesson 07 shows this).

# %%
C, F = 3, 16  # image channels, filters
by_hand = {
    "stem_conv7x7": 7 * 7 * C * F + F,  # 2,352 weights + 16 biases
    "stem_conv1x1": 1 * 1 * F * F + F,  # 256 + 16
    "stem_bn": 4 * F,  # gamma, beta, moving mean, moving variance
    "res0_conv_a": 3 * 3 * F * F, "res0_bn_a": 4 * F,  # no bias before a BatchNorm
    "res0_conv_b": 3 * 3 * F * F, "res0_bn_b": 4 * F,
    "tail_conv3x3": 3 * 3 * F * F, "tail_bn": 4 * F,
    "out_conv7x7": 7 * 7 * F * C + C,  # back to 3 channels, with bias
}
total_by_hand = sum(by_hand.values())
by_keras = {layer.name: layer.count_params() for layer in sublayers(resizer) if layer.weights}
show_table([{"layer": name, "by hand": by_hand[name], "Keras": by_keras[name]} for name in by_keras]);

trainable = sum(int(np.prod(w.shape)) for w in resizer.trainable_weights)
assert by_keras == by_hand  # layer by layer
assert total_by_hand == resizer.count_params()
assert trainable == total_by_hand - 4 * 2 * F  # 4 BatchNorms x (moving mean + variance)
print(f"by hand {total_by_hand:,}; Keras: total {resizer.count_params():,}, trainable {trainable:,}")

# %% [markdown]
# The general formula, `resizer_param_count(channels, filters, num_res_blocks)`, is
# $$ (49CF + F) + (F^2 + F) + 4F \;+\; n\,(18F^2 + 8F) \;+\; (9F^2 + 4F) \;+\; (49FC + C), $$
# quadratic in the width $F$ and linear in the number of blocks $n$. Image sizes appear nowhere.
# Exercise 3 puts it to work.

# %% [markdown]
# ## 5 · Any target size, any aspect ratio
#
# The target size is fixed when a resizer is built, but the weights' shapes do not depend on it.
# So weights trained for $150 \times 150$ can be copied into a resizer for $96 \times 160$, and
# they run there. Whether they still *help* at another scale factor is another question, which
# this course does not measure. The input size is free too; only the images *within a batch*
# must share it. A different aspect ratio simply stretches; crop first to keep proportions.

# %%
rows = []
for input_size, target in [((240, 360), (150, 150)), ((240, 360), (96, 160)), ((123, 457), (450, 450))]:
    other = build_resizer(target)
    other.set_weights(resizer.get_weights())  # same weights, other target size
    out = other(np.zeros((1, *input_size, 3), "float32"), training=False)
    rows.append({"input": input_size, "target": target, "output": tuple(out.shape)})
show_table(rows);
assert all(r["output"][1:3] == r["target"] for r in rows)

# %% [markdown]
# **Where the compute goes.** The stem runs on every input pixel; everything else runs on the
# target grid. `multiply_adds` counts the convolutions' multiply-adds per image:

# %%
from resizer_lib.course.anatomy import multiply_adds

cost_rows = [{"input": side, "MMACs full res.": m["full_resolution"] / 1e6,
              "MMACs target res.": m["target_resolution"] / 1e6,
              "full-res. share": f"{m['full_resolution'] / m['total']:.0%}"}
             for side, m in [(s, multiply_adds(s, TARGET_SIZE)) for s in (300, 600)]]
show_table(cost_rows, floatfmt=".1f");
assert cost_rows[1]["MMACs full res."] == 4 * cost_rows[0]["MMACs full res."]  # twice the side
macs_300 = multiply_adds(INPUT_SIZE, TARGET_SIZE)["total"]
print(f"300x300 -> 150x150: {macs_300 / 1e6:.0f} million multiply-adds = {2 * macs_300 / 1e9:.2f} GFLOP")

# %% [markdown]
# A multiply-add is two floating-point operations. DenseNet-121 at $150 \times 150$ costs about
# 2.5 GFLOP per image forward (`benchmarks/README.md`). So the resizer adds about a third of the
# classifier's FLOPs, and its cost grows with the *input* area. That is the price of looking at
# full resolution.
#
# ## 6 · What an untrained resizer does to photos
#
# Before training, $g_\theta$ has random weights, so its correction is structured noise. We look
# at it on the course's cat and dog photos when they sit next to the checkout (their licence
# forbids committing them), otherwise on photos that ship with scikit-image.

# %%
from resizer_lib.data.sample_images import load_image_file, load_sample, shared_photo_paths
from resizer_lib.viz import resize_image

count = 2 if PROFILE.name == "smoke" else 4
paths = shared_photo_paths(count)
names = [p.name for p in paths] or ["chelsea", "coffee", "astronaut", "rocket"][:count]
photos = [load_image_file(p) for p in paths] or [load_sample(n) for n in names]
print("photos:", ", ".join(names), "(the course's cat/dog photos)" if paths else "(scikit-image)")
# the keras.io pipeline: every photo to 300x300 first (here antialiased), values in [0, 1]
inputs = np.stack([resize_image(p, INPUT_SIZE, "bilinear", antialias=True) for p in photos])
keras.utils.set_random_seed(0)
untrained = build_resizer(TARGET_SIZE)
outputs = np.asarray(untrained(inputs, training=False))
naive = resize_image(inputs, TARGET_SIZE, "bilinear")
correction = outputs - naive
print(f"output range [{outputs.min():.2f}, {outputs.max():.2f}]; correction std {correction.std():.3f}")
assert np.abs(correction).max() > 1e-3  # random weights: the correction is not zero

# %% [markdown]
# The output is no longer an image in $[0, 1]$: it is the naive resize plus an unbounded
# correction. `plt.imshow` would clip it silently. The keras.io example divided the output by 10
# to silence the warning, which darkens the picture and still clips negative values.
# `resizer_lib.viz.to_display` makes the choice explicit:
# * `mode="clip"` clips to $[0, 1]$: what the classifier gets, in the input's units;
# * `mode="percentile"` stretches the 1st..99th percentiles of each channel to $[0, 1]$: the
#   structure, even when the range has drifted.
#
# Each row: input | naive bilinear | untrained resizer, clipped | the same, percentile-stretched.

# %%
from resizer_lib.viz import clipping_warnings, show_images, to_display

panels, titles = [], []
for name, x, n, y in zip(names, inputs, naive, outputs, strict=True):
    panels += [x, n, to_display(y, "clip"), to_display(y, "percentile")]
    titles += [name[:18], "naive bilinear", "resizer (clip)", "resizer (percentile)"]
with clipping_warnings() as warned:
    fig = show_images(panels, titles=titles, ncols=4, panel_size=2.3)
assert warned == []  # every panel went through to_display: values in [0, 1]

# %% [markdown]
# The untrained output is the naive image plus a colour cast and an edge-like texture, both set by
# the random initialisation. The thin lines along the borders come from the zero padding of the
# $7 \times 7$ convolutions. The photo stays recognisable because of the skip term $R(x)$.
# Lesson 10 shows what a *trained* resizer does.

# %% [markdown]
# ## Summary
# * The learnable resizer is a bilinear resize plus a learned residual: a stem at full
#   resolution, a feature resize, residual blocks at the target size and two skips.
# * Written by hand in the functional API, it matches `build_resizer` weight for weight.
# * Its 12,163 parameters can be counted by hand; image sizes appear nowhere in the count.
# * It takes any input size and aspect ratio; its cost grows with the input area.
# * Its output is unbounded: show it with a percentile stretch, not a silent clip.
# * The keras.io example builds this same network. Ports to other frameworks differ in details
#   that matter when weights move across: `align_corners`, biases before BatchNorm, BatchNorm's
#   momentum convention.
#
# ## Further reading
# * H. Talebi and P. Milanfar, "Learning to Resize Images for Computer Vision Tasks", ICCV 2021
#   ([arXiv:2103.09950](https://arxiv.org/abs/2103.09950)).
# * S. Paul, [Learning to Resize in Computer Vision](https://keras.io/examples/vision/learnable_resizer/),
#   keras.io, 2021: the same network in Keras.
# * K. He, X. Zhang, S. Ren and J. Sun, "Deep Residual Learning for Image Recognition", CVPR 2016.
# * Z. Tu, P. Milanfar and H. Talebi, "MULLER: Multilayer Laplacian Resizer for Vision", ICCV 2023
#   ([arXiv:2304.02859](https://arxiv.org/abs/2304.02859)): a resizer with a handful of parameters.
# * [Dive into Deep Learning](https://d2l.ai/chapter_convolutional-modern/resnet.html), ResNet.

# %% [markdown]
# ## Exercises
#
# 1. **Two residual blocks, by hand.** Write `resizer_by_hand_n(target_size, num_res_blocks)`:
#    section 3's model with a loop that *chains* the blocks (block $i$ reads block $i-1$'s
#    output). The check transplants weights as section 3 did. What would it report if every
#    block read the bottleneck?
# 2. **Start as bilinear.** Set the weights of the final 7×7 convolution
#    (`resizer.get_layer("resizer").out_conv7`) to zero. Show that the resizer then returns
#    exactly the bilinear resize. Why might this be a sensible initialisation?
# 3. **Count again.** By hand, how many parameters does a resizer with `filters=8` and
#    `num_res_blocks=4` have? Check with `build_resizer`.
# 4. **Where the compute goes.** For a fixed $150 \times 150$ target, at which square input size
#    does the full-resolution stem do more than 90% of the multiply-adds?
#
# Each exercise cell ends with a check that says "✓ right" or what is off, without giving the
# answer away.

# %% tags=["exercise"]
# Exercise 1: your code here
from resizer_lib.course.exercise_checks import check_resizer_by_hand


def resizer_by_hand_n(target_size, num_res_blocks, filters=16):
    """Section 3's model with `num_res_blocks` chained blocks: (B, H, W, 3) -> (B, h, w, 3)."""
    ...  # build it with keras.Input, the layers and keras.Model, and return the model


mine_2 = None  # resizer_by_hand_n(TARGET_SIZE, 2)
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

# %% [markdown] tags=["solution"]
# ## Solutions
# Open a cell to read it; try first.

# %% tags=["solution"] jupyter={"source_hidden": true}
# 1. The loop replaces section 3's single block; `x = block(x)` chains them. If every block read
#    the bottleneck, only the last block would lie on a path to the output: the check would
#    report different outputs for the same weights.
def resizer_by_hand_n(target_size, num_res_blocks, filters=16):
    """Section 3's model with `num_res_blocks` chained blocks: (B, H, W, 3) -> (B, h, w, 3)."""
    image = keras.Input(shape=(None, None, 3), name="image")
    naive = FixedResize(target_size, name="image_resize")(image)
    x = lrelu("stem_lrelu1")(layers.Conv2D(filters, 7, padding="same", name="stem_conv7x7")(image))
    x = lrelu("stem_lrelu2")(layers.Conv2D(filters, 1, padding="same", name="stem_conv1x1")(x))
    bottleneck = FixedResize(target_size, name="feature_resize")(layers.BatchNormalization(name="stem_bn")(x))
    x = bottleneck
    for i in range(num_res_blocks):
        x = residual_block(x, filters, i)  # chained: the next block reads this
    x = layers.Conv2D(filters, 3, padding="same", use_bias=False, name="tail_conv3x3")(x)
    x = layers.Add(name="feature_skip")([layers.BatchNormalization(name="tail_bn")(x), bottleneck])
    correction = layers.Conv2D(3, 7, padding="same", name="out_conv7x7")(x)
    return keras.Model(image, layers.Add(name="image_skip")([naive, correction]))


mine_2 = resizer_by_hand_n(TARGET_SIZE, 2)
check_resizer_by_hand(mine_2, num_res_blocks=2);

# %% tags=["solution"] jupyter={"source_hidden": true}
# 2. With the last convolution at zero the correction is zero: y = R(x) exactly. Training then
#    starts from the naive resize and moves away only where that helps the classifier.
identity = build_resizer(TARGET_SIZE)
last = identity.get_layer("resizer").out_conv7
last.set_weights([np.zeros_like(w) for w in last.get_weights()])
gap = np.abs(np.asarray(identity(inputs, training=False)) - naive).max()
print("zero final conv -> bilinear resize, max difference", gap)
check_starts_as_bilinear(identity);

# %% tags=["solution"] jupyter={"source_hidden": true}
# 3. filters F = 8, n = 4 blocks, C = 3
F8, n = 8, 4
stem = (49 * 3 * F8 + F8) + (F8 * F8 + F8) + 4 * F8  # 1,184 + 72 + 32
blocks = n * (2 * 9 * F8 * F8 + 2 * 4 * F8)  # 4 x 1,216
tail = (9 * F8 * F8 + 4 * F8) + (49 * F8 * 3 + 3)  # 608 + 1,179
count_8_4 = stem + blocks + tail
print(f"filters=8, 4 blocks: {count_8_4:,} parameters")
check_param_count(count_8_4, filters=8, num_res_blocks=4);

# %% tags=["solution"] jupyter={"source_hidden": true}
# 4. The stem's share grows with the input area; scan square inputs.
share = {s: multiply_adds(s, TARGET_SIZE)["full_resolution"] / multiply_adds(s, TARGET_SIZE)["total"]
         for s in range(150, 2001, 10)}
first_side = min(s for s, v in share.items() if v > 0.9)
check_stem_share(first_side, TARGET_SIZE, share=0.9);
