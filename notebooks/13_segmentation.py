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
# # 13 · Segmentation with the resizer in front
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/learning-to-resize/learning-to-resize/blob/v0.1.0/notebooks/13_segmentation.ipynb)
# · source: [`13_segmentation.py`](13_segmentation.py) (the `.ipynb` is generated from it with jupytext)
#
# **What you will learn here**
# * transposed convolution by hand, checked against `keras.layers.Conv2DTranspose`; the
#   checkerboard artefact and its cure (resize, then convolve);
# * a small U-Net with skip connections; pixel accuracy and mean IoU;
# * a paired comparison over seeds of a plain resize, the learned resizer and MULLER in front
#   of the U-Net, on scenes where the small objects are what a resize loses.
#
# Until now every network in the course answered one question per image: *which class?*
# Semantic segmentation asks for a class for **every pixel**. Here resizing can hurt most: a
# small object can vanish when the image is shrunk. This lesson builds the tools on generated
# scenes whose answers are known exactly. Then it puts the learnable resizer, and MULLER, in
# front of a segmentation network. (Boxes, IoU and average precision are the elective lesson 14.)

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
# `PLAN` sizes the training per profile. `smoke` only checks that every cell runs: a few steps,
# no graph build (`EAGER`). `quick` takes a few minutes on a 2-core laptop CPU. `colab` and
# `full` train longer on a GPU. The code path is the same everywhere.

# %%
import keras
import matplotlib.pyplot as plt
import numpy as np

from resizer_lib.viz import show_table

PLAN = PROFILE.pick(
    smoke=dict(seg_train=16, seg_epochs=1, dense_train=8, dense_val=8, dense_epochs=1, seeds=(0,)),
    quick=dict(seg_train=256, seg_epochs=8, dense_train=192, dense_val=96, dense_epochs=10, seeds=(0, 1, 2)),
    colab=dict(seg_train=1024, seg_epochs=15, dense_train=1024, dense_val=256, dense_epochs=20, seeds=(0, 1, 2)),
    full=dict(seg_train=2048, seg_epochs=25, dense_train=2048, dense_val=512, dense_epochs=40,
              seeds=(0, 1, 2, 3, 4)),
)
EAGER = PROFILE.name == "smoke"  # a handful of steps: building a graph would take longer
print(PLAN)

# %% [markdown]
# ## 1 · Scenes whose answers are known
# `make_scenes` draws filled shapes (square, disc, triangle) of random sizes, colours and
# positions on a smooth random texture. Because it draws them, it knows the **mask** that gives
# every pixel its class: 0 for background, label + 1 on a shape. Shapes never overlap, and
# scene $i$ of a seed is always the same scene.

# %%
from resizer_lib.dense.scenes import make_scenes

demo = make_scenes(4, image_size=64, objects=(1, 3), sizes=(8, 22), seed=0)
fig, axes = plt.subplots(2, 4, figsize=(12, 6))
for col in range(4):
    axes[0, col].imshow(demo.images[col])
    axes[1, col].imshow(demo.masks[col], cmap="tab10", vmin=0, vmax=9, interpolation="nearest")
    axes[0, col].set_title(f"scene {col}")
    axes[1, col].set_title("mask: 0 background, 1-3 shapes")
for ax in axes.flat:
    ax.set_axis_off()
plt.show()

# %% [markdown]
# ## 2 · Transposed convolution, by hand
# Dense prediction needs outputs as large as the input, so decoders **upsample**. The learned
# way is the transposed convolution (`Conv2DTranspose`, sometimes misnamed "deconvolution").
# Take an input of side $n$, a $k \times k$ kernel and stride $s$. In the **scatter** view,
# each input pixel $(i, j)$ adds a copy of the kernel, scaled by its value, into the output at
# $(i s, j s)$. Where $k > s$ the copies overlap and add. The "full" output has side
# $(n - 1)s + k$. (An equivalent view: insert $s - 1$ zeros between input pixels, then run an
# ordinary convolution with the kernel rotated by 180°.)
#
# Write the scatter for one channel and check it against Keras, with the layer's own weights.
# Its kernel layout is `(k, k, C_out, C_in)`.

# %%
def scatter_by_hand(x, kernel, s):
    """One channel in and out, 'valid' padding: x (n, n), kernel (k, k) -> ((n-1)s+k, (n-1)s+k)."""
    n, k = x.shape[0], kernel.shape[0]
    out = np.zeros(((n - 1) * s + k, (n - 1) * s + k))
    for i in range(n):
        for j in range(n):
            out[i * s:i * s + k, j * s:j * s + k] += x[i, j] * kernel
    return out


x_small = np.random.default_rng(0).normal(size=(4, 4)).astype("float32")
layer = keras.layers.Conv2DTranspose(1, 3, strides=2, padding="valid", use_bias=False)
theirs = keras.ops.convert_to_numpy(layer(x_small[None, :, :, None]))[0, :, :, 0]
mine = scatter_by_hand(x_small, layer.get_weights()[0][:, :, 0, 0], 2)
print("output", mine.shape, "max difference to Keras", float(np.abs(mine - theirs).max()))
assert mine.shape == (9, 9) and np.allclose(mine, theirs, atol=1e-5)

# %% [markdown]
# ### The checkerboard, and its cure
# With $k = 3$, $s = 2$ the kernel copies overlap on every other row and column only. Feed the
# layer a constant image with a constant kernel. A smooth input should give a smooth output.
# Instead the pixels receive 1, 2 or 4 copies: a checkerboard (Odena, Dumoulin & Olah,
# "Deconvolution and checkerboard artifacts", Distill 2016). A trained decoder must fight this
# pattern with its weights. The usual cure is simpler: **resize first** (nearest or bilinear),
# **then convolve** with stride 1. The U-Net below does that.

# %%
def copies(kernel_size, stride, n=8):
    """How many kernel copies each output pixel of a transposed convolution receives."""
    deconv = keras.layers.Conv2DTranspose(1, kernel_size, strides=stride, padding="same",
                                          use_bias=False, kernel_initializer="ones")
    return keras.ops.convert_to_numpy(deconv(np.ones((1, n, n, 1), "float32")))[0, :, :, 0]


checker = copies(3, 2)
resize_conv = keras.Sequential([keras.layers.UpSampling2D(2), keras.layers.Conv2D(
    1, 3, padding="same", use_bias=False, kernel_initializer="ones")])
smooth = keras.ops.convert_to_numpy(resize_conv(np.ones((1, 8, 8, 1), "float32")))[0, :, :, 0]
print("interior values, transposed:", np.unique(checker[2:-2, 2:-2]), " resize + conv:",
      np.unique(smooth[1:-1, 1:-1]))

fig, axes = plt.subplots(1, 2, figsize=(8, 3.8))
for ax, img, title in [(axes[0], checker, "Conv2DTranspose(k=3, s=2)"),
                       (axes[1], smooth, "UpSampling2D(2) + Conv2D(k=3)")]:
    im = ax.imshow(img, cmap="viridis", interpolation="nearest")
    ax.set_title(title, fontsize=9)
    ax.set_axis_off()
    fig.colorbar(im, ax=ax, fraction=0.046)
plt.show()

# %% [markdown]
# The rim of the right-hand map is lower because the convolution's zero padding reaches
# outside the image; the interior is flat.

# %% [markdown]
# ## 3 · Semantic segmentation with a small U-Net
# A segmentation network outputs a class score for every pixel: logits of shape
# $(B, H, W, K)$, trained with the cross-entropy of each pixel. The U-Net (Ronneberger, Fischer
# & Brox, 2015) is the classic design. An **encoder** halves the resolution while widening the
# channels (what). A **decoder** doubles it back (where). **Skip connections** concatenate each
# encoder map to the decoder map of the same size. So the decoder gets back the fine detail the
# pooling threw away. Each level is a `conv_block`; the decoder resizes, then convolves.

# %%
def conv_block(x, filters, name):
    """Two (3x3 convolution, BatchNorm, ReLU): (B, h, w, C) -> (B, h, w, filters)."""
    for i in (1, 2):
        x = keras.layers.Conv2D(filters, 3, padding="same", use_bias=False, name=f"{name}_conv{i}")(x)
        x = keras.layers.BatchNormalization(momentum=0.9, name=f"{name}_bn{i}")(x)
        x = keras.layers.ReLU(name=f"{name}_relu{i}")(x)
    return x


def build_unet(input_shape, num_classes, widths=(16, 32, 64)):
    """(B, h, w, C) in [0, 1] -> logits (B, h, w, num_classes); h, w multiples of 2 ** (len(widths) - 1)."""
    inputs = keras.Input(shape=input_shape)
    x, skips = inputs, []
    for level, width in enumerate(widths[:-1]):  # encoder: convolve, keep the map for its skip, halve
        x = conv_block(x, width, f"down{level}")
        skips.append(x)
        x = keras.layers.MaxPooling2D(2, name=f"pool{level}")(x)
    x = conv_block(x, widths[-1], "bottom")
    for level in reversed(range(len(widths) - 1)):  # decoder: resize, concatenate the skip, convolve
        x = keras.layers.UpSampling2D(2, interpolation="bilinear", name=f"up{level}")(x)
        x = keras.layers.Concatenate(name=f"skip{level}")([x, skips[level]])
        x = conv_block(x, widths[level], f"dec{level}")
    return keras.Model(inputs, keras.layers.Conv2D(num_classes, 1, name="logits")(x), name="unet")


unet = build_unet((32, 32, 3), num_classes=4)
for name in ["down0_relu2", "pool0", "down1_relu2", "pool1", "bottom_relu2", "up1", "skip1", "dec1_relu2",
             "up0", "skip0", "dec0_relu2", "logits"]:
    print(f"{name:13s} {unet.get_layer(name).output.shape}")
print(f"{unet.count_params():,} parameters")

# %% [markdown]
# **Metrics.** *Pixel accuracy* is the share of pixels classified right. On scenes that are
# mostly background, predicting "background" everywhere already scores high, so it says little.
# The standard is the **mean IoU** over classes. The IoU of a class compares its predicted and
# true pixel sets: $\mathrm{TP} / (\mathrm{TP} + \mathrm{FP} + \mathrm{FN})$. Average it over
# the classes. On a tiny example first, with a fourth class that appears nowhere:

# %%
def per_class_iou(truth, pred, num_classes):
    """TP / (TP + FP + FN) per class, (K,): |truth & pred| / |truth | pred|; NaN where a class is in neither."""
    tp = np.array([np.sum((truth == c) & (pred == c)) for c in range(num_classes)])
    union = np.array([np.sum((truth == c) | (pred == c)) for c in range(num_classes)])
    return np.where(union > 0, tp / np.maximum(union, 1), np.nan)


def mean_iou(truth, pred, num_classes):
    """The mean of per_class_iou over the classes present in the truth or the prediction."""
    return float(np.nanmean(per_class_iou(truth, pred, num_classes)))


truth_px = np.array([[0, 0, 1, 1], [0, 0, 1, 2]])
pred_px = np.array([[0, 1, 1, 1], [0, 0, 2, 2]])
print("per-class IoU:", np.round(per_class_iou(truth_px, pred_px, 4), 3), "mean IoU",
      round(mean_iou(truth_px, pred_px, 4), 3), "pixel accuracy", np.mean(truth_px == pred_px))

# %% [markdown]
# A class absent from both truth and prediction has no IoU, and the mean leaves it out.
#
# **Training.** The loop is short enough to write here. For each epoch, the order of the
# scenes comes from a generator seeded by `(seed, epoch)`, as in lesson 11. Then every arm of a
# seed sees the same batches. Each pixel's loss is weighted by its true class: shape pixels are
# rare, and without the weights "all background" is a comfortable minimum.

# %%
from resizer_lib.training import resolve_jit


def train_segmenter(model, scenes, epochs, seed=0, class_weights=(1, 3, 3, 3), batch_size=16):
    """AdamW with a cosine decay on the per-pixel cross-entropy; the mean loss of each epoch."""
    steps = epochs * -(-len(scenes.images) // batch_size)
    model.compile(optimizer=keras.optimizers.AdamW(keras.optimizers.schedules.CosineDecay(3e-3, steps),
                                                   weight_decay=1e-4),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  jit_compile=False if EAGER else resolve_jit("auto"), run_eagerly=EAGER)
    weights = np.asarray(class_weights, "float32")
    losses = []
    for epoch in range(epochs):
        order = np.random.default_rng([seed, epoch]).permutation(len(scenes.images))
        masks = scenes.masks[order].astype("int32")
        fit = model.fit(scenes.images[order], masks, sample_weight=weights[masks],
                        batch_size=batch_size, epochs=1, shuffle=False, verbose=0)
        losses.append(fit.history["loss"][0])
    return losses


def predict_masks(model, images):
    """The most likely class of every pixel: (N, H, W, 3) -> (N, H, W)."""
    return np.argmax(model.predict(images, batch_size=32, verbose=0), axis=-1)


seg_train = make_scenes(PLAN["seg_train"], 32, objects=(1, 3), sizes=(6, 14), seed=20)
seg_val = make_scenes(128, 32, objects=(1, 3), sizes=(6, 14), seed=21)
segmenter = keras.Sequential([keras.Input((32, 32, 3)), keras.layers.Rescaling(1 / 255), unet])  # no resize
losses = train_segmenter(segmenter, seg_train, PLAN["seg_epochs"])
seg_pred = predict_masks(segmenter, seg_val.images)
print("training loss per epoch:", np.round(losses, 3))
print(f"validation: pixel accuracy {np.mean(seg_val.masks == seg_pred):.1%}, "
      f"mean IoU {mean_iou(seg_val.masks, seg_pred, 4):.3f}")
print(f"all background would score pixel accuracy {np.mean(seg_val.masks == 0):.1%}, "
      f"mean IoU {mean_iou(seg_val.masks, np.zeros_like(seg_val.masks), 4):.3f}")

fig, axes = plt.subplots(3, 6, figsize=(13, 6.5))
for col in range(6):
    for row, (img, title) in enumerate([(seg_val.images[col], "scene"), (seg_val.masks[col], "truth"),
                                        (seg_pred[col], "prediction")]):
        kwargs = {} if row == 0 else dict(cmap="tab10", vmin=0, vmax=9, interpolation="nearest")
        axes[row, col].imshow(img, **kwargs)
        axes[row, col].set_title(title, fontsize=9)
        axes[row, col].set_axis_off()
plt.show()

# %% [markdown]
# ## 4 · The resizer on a dense task
# Now the question of the course, on a task where it should matter most. The scenes are
# $64 \times 64$ with 4-10 small discs of 2-4 pixels. The U-Net sees only $16 \times 16$, a
# $4\times$ reduction. Three resize stages go in front of it:
#
# * `bilinear`: the paper's naive baseline (no antialiasing);
# * `learned`: the learnable resizer of lesson 09, which sees all $64 \times 64$ pixels;
# * `muller`: MULLER (Tu, Milanfar & Talebi, 2023): bilinear plus learned Laplacian detail,
#   4 parameters, exactly bilinear at its start.
#
# In every case the logits come back to $64 \times 64$ by a bilinear resize. So each arm is
# scored against the **full-resolution** masks.
#
# First, measure the premise. A non-antialiased bilinear $4\times$ downscale reads only 2 of
# every 4 input rows, and 2 of every 4 columns: a quarter of the pixels. A small enough object
# can fall between the samples and vanish. Resize each object's own mask the same way and count
# the objects of which nothing survives:

# %%
lost_scenes = make_scenes(200, 64, objects=(4, 10), sizes=(2, 4), classes=("disc",), seed=30)
lost = {2: [0, 0], 3: [0, 0], 4: [0, 0]}  # size -> [lost, total]
for mask, boxes in zip(lost_scenes.masks, lost_scenes.boxes, strict=True):
    for x1, y1, x2, y2 in boxes.astype(int):
        own = np.zeros((64, 64, 1), "float32")
        own[y1:y2, x1:x2, 0] = mask[y1:y2, x1:x2] > 0
        small = keras.ops.convert_to_numpy(keras.ops.image.resize(own, (16, 16), interpolation="bilinear"))
        size = max(x2 - x1, y2 - y1)
        lost[size][0] += int(small.max() == 0)
        lost[size][1] += 1
show_table([{"disc size (px)": s, "objects": n, "lost by the 4x bilinear resize": f"{m / n:.0%}"}
            for s, (m, n) in lost.items()]);

# %% [markdown]
# A resizer that reads all the pixels can keep those objects. Whether it learns to in a short
# training is the experiment. The design is the paired one of lesson 11. For each seed, every
# arm starts from the **same U-Net weights**: `build_segmenter` seeds, then builds the U-Net
# before the stage. Every arm also sees the **same batches** in the same order. Disc pixels are
# about 1% of the pixels, so their loss is weighted 10 times. The score is the mean IoU over the
# two classes (background, disc) on held-out scenes.

# %%
import time

from resizer_lib.models.muller import MullerResizer
from resizer_lib.models.resizer import FixedResize, build_resizer
from resizer_lib.training.record import weights_checksum
from resizer_lib.training.stats import mean_ci, paired_difference


def build_segmenter(size, target, num_classes, stage, seed):
    """uint8 (B, size, size, 3) -> resize stage to target -> U-Net -> logits, bilinear back to (B, size, size, K)."""
    keras.utils.set_random_seed(seed)
    unet = build_unet((target, target, 3), num_classes)  # first: the same start for every stage of a seed
    keras.utils.set_random_seed(seed + 1)
    front = {"bilinear": lambda: FixedResize((target, target), "bilinear"),
             "learned": lambda: build_resizer((target, target), filters=16, bn_momentum=0.9),
             "muller": lambda: MullerResizer((target, target))}[stage]()
    inputs = keras.Input(shape=(size, size, 3))
    logits = unet(front(keras.layers.Rescaling(1 / 255)(inputs)))
    return keras.Model(inputs, FixedResize((size, size), "bilinear")(logits))


dense_train = make_scenes(PLAN["dense_train"], 64, objects=(4, 10), sizes=(2, 4), classes=("disc",), seed=31)
dense_val = make_scenes(PLAN["dense_val"], 64, objects=(4, 10), sizes=(2, 4), classes=("disc",), seed=32)
ARMS = ("bilinear", "learned", "muller")
start, records = time.perf_counter(), []
for seed in PLAN["seeds"]:
    for arm in ARMS:
        model = build_segmenter(64, 16, 2, arm, seed=seed)
        unet_start = weights_checksum(model.get_layer("unet").get_weights())
        losses = train_segmenter(model, dense_train, PLAN["dense_epochs"], seed, class_weights=(1, 10))
        pred = predict_masks(model, dense_val.images)
        records.append({"arm": arm, "seed": seed, "U-Net start": unet_start[:8], "final train loss": losses[-1],
                        "pixel acc.": np.mean(dense_val.masks == pred),
                        "IoU disc": per_class_iou(dense_val.masks, pred, 2)[1],
                        "mean IoU": mean_iou(dense_val.masks, pred, 2)})
print(f"{len(records)} runs in {time.perf_counter() - start:.0f} s")
show_table(records, floatfmt=".3f");

# %% [markdown]
# Check the pairing you built: within each seed, every arm started from the same U-Net. Then
# summarise per arm, and pair the arms by seed.

# %%
for seed in PLAN["seeds"]:
    assert len({r["U-Net start"] for r in records if r["seed"] == seed}) == 1
score = {arm: [r["mean IoU"] for r in records if r["arm"] == arm] for arm in ARMS}  # in seed order
show_table([{"arm": arm, "mean IoU (mean over seeds)": mean_ci(v).mean, "95% CI": str(mean_ci(v))}
            for arm, v in score.items()], floatfmt=".3f");
pairs = []
for a, b in [("learned", "bilinear"), ("muller", "bilinear"), ("learned", "muller")]:
    d = paired_difference(score[a], score[b])  # pairs seed i of a with seed i of b
    pairs.append({"difference": f"{a} − {b}", "mean (IoU points)": f"{100 * d.mean:+.1f}",
                  "95% CI": "n/a (one seed)" if d.n == 1 else f"[{100 * d.low:+.1f}, {100 * d.high:+.1f}]"})
show_table(pairs);

# %% [markdown]
# **Reading it.** Read the paired differences with their intervals, as in lesson 11. Whatever
# your numbers say, three things shape them.
#
# * The learned resizer starts as bilinear **plus a random residual**: lesson 09 showed what an
#   untrained resizer's output looks like. The U-Net first has to learn through that noise.
#   With 1% of the pixels on discs, the easy way out is "all background". A disc IoU near 0
#   with a pixel accuracy equal to the background's share says exactly that. A short training
#   measures the start of the race, not its end.
# * MULLER *starts* as the bilinear resize and has 4 parameters. In a short run they barely
#   move, so it tracks bilinear closely.
# * The ceiling is low for every arm. A 2-4-pixel disc is at most one pixel of the U-Net's
#   $16 \times 16$ map, and the logits return to $64 \times 64$ by interpolation. A resizer can
#   keep an object from vanishing; it cannot give the network more output resolution.
#
# A resizer can help only when the task lives in detail that the plain resize destroys, *and*
# the training is long enough for it to learn to keep it. Claim a win only from paired seeds
# with an interval that excludes zero.

# %% [markdown]
# ## Exercises
# 1. **When is the overlap even?** For stride 2, compute `copies` for kernels 2 to 7 and find
#    the rule: for which $k$ do all interior pixels receive the same number of copies? Check
#    stride 3 too.
# 2. **Dice.** The Dice coefficient $2|A \cap B| / (|A| + |B|)$ is the other common overlap
#    score of segmentation. Write it for two binary masks. Show on the U-Net's predictions
#    that $\mathrm{Dice} = 2\,\mathrm{IoU} / (1 + \mathrm{IoU})$ for each image and class. Why
#    do the two always rank two predictions of one image and class the same way?

# %% tags=["exercise"]
# Exercise 1: your code here
even_kernels = None  # {stride: [kernel sizes whose interior overlap is even]}

# %% tags=["exercise"]
# Exercise 2: your code here
dice = None  # a function of two boolean masks

from resizer_lib.course.exercise_checks import check_dice

check_dice(dice)

# %% [markdown] tags=["solution"]
# ## Solutions
#
# One cell per exercise. Try first.

# %% tags=["solution"] jupyter={"source_hidden": true}
# 1. The overlap is even exactly when the stride divides the kernel size: then each output
# pixel is covered by k / s copies along each axis.
even_kernels = {}
for s in (2, 3):
    even_kernels[s] = [k for k in range(2, 8) if len(np.unique(copies(k, s, n=10)[k:-k, k:-k])) == 1]
    print(f"stride {s}: even for k in {even_kernels[s]}")
assert even_kernels == {2: [2, 4, 6], 3: [3, 6]}

# %% tags=["solution"] jupyter={"source_hidden": true}
# 2. Dice. With I = |A n B| and U = |A u B| = |A| + |B| - I: Dice = 2I / (U + I) and
# IoU = I / U, so Dice = 2 IoU / (1 + IoU), an increasing function of IoU: the two always order
# two predictions the same way (averaged over images or classes they can differ, since the map
# is not linear).
def dice(a, b):
    total = a.sum() + b.sum()
    return 2 * np.sum(a & b) / total if total else np.nan


for i in range(8):
    for c in range(1, 4):
        a, b = seg_val.masks[i] == c, seg_pred[i] == c
        if a.any() or b.any():
            iou_c = np.sum(a & b) / np.sum(a | b)
            assert np.isclose(dice(a, b), 2 * iou_c / (1 + iou_c))
print("Dice = 2 IoU / (1 + IoU) holds on every image and class checked")
assert check_dice(dice)

# %% [markdown]
# ## Summary
# * A transposed convolution scatters scaled kernel copies. Where the stride does not divide
#   the kernel size, the copies overlap unevenly: the checkerboard. Resize, then convolve.
# * A U-Net pairs an encoder with a decoder and hands fine detail across by skip connections.
# * Pixel accuracy flatters a mostly-background task. Mean IoU over classes does not.
# * A 4× bilinear resize can erase small objects outright. Whether a learned resizer keeps
#   them is an experiment: paired seeds, an interval, and enough training.
#
# ## Further reading
# * O. Ronneberger, P. Fischer and T. Brox, "U-Net: Convolutional Networks for Biomedical Image
#   Segmentation", MICCAI 2015.
# * A. Odena, V. Dumoulin and C. Olah, "Deconvolution and Checkerboard Artifacts", Distill, 2016.
# * V. Dumoulin and F. Visin, "A guide to convolution arithmetic for deep learning", arXiv
#   1603.07285, 2016.
# * A. Zhang, Z. Lipton, M. Li and A. Smola, *Dive into Deep Learning*, chapter "Computer
#   Vision" (semantic segmentation, transposed convolution, fully convolutional networks).
# * Z. Tu, P. Milanfar and H. Talebi, "MULLER: Multilayer Laplacian Resizer for Vision", ICCV 2023.
