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
# # 12 · Plug and play: one resizer in front of many backbones, ConvMixer included
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/learning-to-resize/learning-to-resize/blob/v0.1.0/notebooks/12_plug_and_play.ipynb)
# · source: [`12_plug_and_play.py`](12_plug_and_play.py) (the `.ipynb` is generated from it with jupytext)
#
# **What you will learn here**
# * why the resizer fits in front of *any* image network, and what it costs in parameters and
#   in time per training step;
# * ConvMixer ("Patches Are All You Need?"): patch embedding, depth-wise and point-wise
#   convolutions, and its parameter count worked out by hand;
# * how to read a plug-and-play table honestly: parameters, accuracy, step time, paired
#   differences, and stale BatchNorm statistics;
# * what ConvMixer's patch embeddings and kernels look like, with and without the resizer;
# * why "best on validation" needs a separate test set.
#
# Talebi & Milanfar present the learnable resizer as a *drop-in* front end. Whatever vision
# network you use, put the resizer in front of it and train the two together. This lesson takes
# the claim literally. The same resizer goes in front of DenseNet-121, ResNet-50, MobileNetV2
# and ConvMixer. Each pair, with and without the resizer, is trained with the paired method of
# lesson 11.

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
# ## Why "plug and play" works
# Every classifier in this course is built the same way (`resizer_lib.models.build_classifier`):
#
# $$ \hat y = \mathrm{backbone}_\phi\big(\mathrm{resize}_\theta(x / 255)\big), \qquad
#    x \in \{0..255\}^{H \times W \times 3}, \quad
#    \mathrm{resize}_\theta(\cdot) \in \mathbb{R}^{h \times w \times 3}. $$
#
# The backbone only ever sees an $h \times w \times 3$ tensor. Whether it came from a bilinear
# resize or from the learnable resizer makes no difference to its shape. So any network that
# accepts $h \times w$ RGB input accepts the resizer's output. Gradients flow from the loss
# through $\phi$ into $\theta$; nothing in the resizer knows which backbone is behind it.
#
# Two practical limits. The `keras.applications` networks refuse inputs smaller than
# $32 \times 32$: their five stride-2 stages would shrink the map below one pixel. And
# pretrained ImageNet weights expect ImageNet-like input statistics, which the resizer's
# unbounded output does not promise. Here every backbone trains from scratch.

# %% [markdown]
# ### Which backbones, and which ones this lesson trains
# The paper puts the resizer in front of four ImageNet networks: **Inception-v2, DenseNet-121,
# ResNet-50 and MobileNet-v2**. This course has three of the four, plus two of its own:
# **EfficientNet-B0** and **ConvMixer**, a network published after the paper.
#
# Training them all takes far longer than a laptop lesson allows. So the profile decides what
# is trained live; the code path is the same for every backbone. Under `full` (a GPU) all five
# are trained. Under `smoke`, `quick` and `colab` only ConvMixer is, for 2, 40 and 80 steps; the
# others are built and counted. ConvMixer learns the synthetic task within 40 steps on a CPU,
# and the later sections look inside it.

# %%
import keras
import numpy as np

from resizer_lib.models import build_classifier

ALL_BACKBONES = ["mobilenetv2", "resnet50", "densenet121", "efficientnetb0", "convmixer"]
TRAINED = ALL_BACKBONES if PROFILE.name == "full" else ["convmixer"]  # smoke, quick, colab
IMAGE, TARGET = PROFILE.image_size, PROFILE.target_size
if min(TARGET) < 32:  # smoke's 16x16 is too small for keras.applications: use 64 -> 32 here
    IMAGE, TARGET = (64, 64), (32, 32)
print(f"trained here: {TRAINED}; images {IMAGE} -> {TARGET}")

# %% [markdown]
# ## ConvMixer, built up
# ConvMixer (Trockman & Kolter, "Patches Are All You Need?", 2022) is a deliberately plain,
# fully convolutional network. It has width $h$ (channels), depth $d$, kernel size $k$ and
# patch size $p$:
#
# 1. **patch embedding**: a $p \times p$ convolution with stride $p$ cuts the image into
#    non-overlapping patches and maps each to an $h$-dimensional vector, then GELU and
#    BatchNorm. It is a ViT's linear patch embedding, written as a convolution;
# 2. $d$ **ConvMixer blocks**, each
#    $$ z \leftarrow \mathrm{BN}(\sigma(\mathrm{DWConv}_{k \times k}(z))) + z, \qquad
#       z \leftarrow \mathrm{BN}(\sigma(\mathrm{PWConv}_{1 \times 1}(z))) $$
#    The **depth-wise** $k \times k$ convolution mixes *spatial* positions within each channel.
#    The **point-wise** $1 \times 1$ convolution mixes *channels* at each position. $\sigma$ is
#    GELU;
# 3. global average pooling and a softmax dense head.
#
# The resolution stays at $H/p \times W/p$ after the stem: no pooling, no further strides. The
# receptive field grows by $k - 1$ grid cells per block, to $p\,(d(k-1) + 1)$ pixels.

# %%
from resizer_lib.models.convmixer import build_convmixer, convmixer_param_count

convmixer = build_convmixer((32, 32, 3), num_classes=10)  # ConvMixer-256/8, k = 5, p = 2
for name in ["patch_embed", "mixer0_depthwise", "mixer0_residual", "mixer0_pointwise", "gap"]:
    print(f"{name:18s} {convmixer.get_layer(name).output.shape}")

# %% [markdown]
# ### Its parameters, by hand
# For ConvMixer-256/8 with $k = 5$, $p = 2$ on $32 \times 32 \times 3$ images and 10 classes
# (BatchNorm stores 4 numbers per channel: $\gamma, \beta$ and the moving mean and variance):
#
# | part | count | |
# |---|---|---|
# | patch embedding | $2 \cdot 2 \cdot 3 \cdot 256 + 256 + 4 \cdot 256$ | 4,352 |
# | one block: depth-wise | $5 \cdot 5 \cdot 256 + 256 + 4 \cdot 256$ | 7,680 |
# | one block: point-wise | $256 \cdot 256 + 256 + 4 \cdot 256$ | 66,816 |
# | 8 blocks | $8 \cdot 74{,}496$ | 595,968 |
# | head | $256 \cdot 10 + 10$ | 2,570 |
# | **total** | | **602,890** |
#
# Of these, $2 \cdot 256 \cdot 17 = 8{,}704$ are BatchNorm moving statistics (17 BatchNorm
# layers), so 594,186 are trainable. The keras.io ConvMixer example describes this model as
# having "about 0.8 million" parameters; its own code, like ours, gives 602,890, about
# **0.6 M**. The table shows two more things. The eight $1 \times 1$ point-wise convolutions
# hold 87% of all parameters: channel mixing is the expensive part. And no term depends on $H$
# or $W$: the same weights serve any image size.

# %%
counts = convmixer_param_count(width=256, depth=8, kernel_size=5, patch_size=2, num_classes=10)
print({k: f"{v:,}" for k, v in counts.items()}, f"| the model counts {convmixer.count_params():,}")
pointwise = 8 * (256 * 256 + 256)
print(f"point-wise share: {pointwise / counts['total']:.1%}")

# %% [markdown]
# ## The data
# The offline synthetic set of lesson 11: the class is a faint period-2 stripe that a bilinear
# 2× downscale erases exactly. So the *bilinear* arm of every backbone should stay at chance
# (50%), whatever the backbone. Any gain must come from the resizer reading the stripes at full
# resolution.
#
# These networks are slow to train on a CPU, so `PLAN` sizes the work per profile. `smoke` only
# checks that the code runs. `quick` trains ConvMixer on 256 images for 5 epochs, one seed: a
# few minutes on a 2-core laptop. `colab` uses three seeds. `full` (a GPU) trains all five
# backbones at the profile's sizes, the numbers worth quoting.

# %%
from resizer_lib.data import load_dataset

PLAN = {  # examples, epochs, seeds for the backbone comparison, per profile
    "smoke": dict(num_train=16, num_val=8, batch_size=8, epochs=1, seeds=(0,)),  # 2 steps: the
    # first has learning rate 0 (the warm-up of adamw_cosine starts at 0)
    "quick": dict(num_train=256, num_val=128, batch_size=32, epochs=5, seeds=(0,)),
    "colab": dict(num_train=512, num_val=256, batch_size=32, epochs=5, seeds=(0, 1, 2)),
    "full": dict(num_train=PROFILE.num_train, num_val=PROFILE.num_val,
                 batch_size=PROFILE.batch_size, epochs=PROFILE.epochs,
                 seeds=tuple(range(PROFILE.seeds))),
}[PROFILE.name]
ds = load_dataset("synthetic", image_size=IMAGE, seed=0, backend="numpy",
                  limit={"train": PLAN["num_train"], "val": PLAN["num_val"]})
(x_train, y_train), (x_val, y_val) = ds.train, ds.val
data = {"x_train": x_train, "y_train": y_train, "x_val": x_val, "y_val": y_val,
        "class_names": list(ds.class_names), "counts": ds.counts, "source": "synthetic"}
print(ds.describe())

# %% [markdown]
# ## The paired comparison across backbones
# For each backbone and seed, `train_run` trains the two arms, `bilinear` and `learned`. Both
# start from the same backbone weights and see the same batches in the same order, as in
# lesson 11. A callback, `StepTimer`, records the wall time of every training step. It leaves
# out the first step, which includes building the graph.
#
# Each record also holds its trained model, so we can look inside ConvMixer afterwards. Under
# `smoke` the runs are eager: building the graph would take longer than the two steps.

# %%
import tempfile
from pathlib import Path

from resizer_lib.training import ExperimentConfig, train_run
from resizer_lib.training.timing import StepTimer

EAGER = PROFILE.name == "smoke"  # smoke only: skip the graph build (see above)
OUT = Path(tempfile.mkdtemp(prefix="lesson12_"))  # run records and logs
timer = StepTimer(warmup=0 if EAGER else 1)  # eager: no graph build to leave out
base = ExperimentConfig(
    name="lesson12", data="synthetic", image_size=IMAGE, target_size=TARGET,
    arms=("bilinear", "learned"), epochs=PLAN["epochs"], batch_size=PLAN["batch_size"],
    seeds=PLAN["seeds"], num_train=PLAN["num_train"], num_val=PLAN["num_val"],
    recipe="adamw_cosine", out_dir=str(OUT), verbose=0, run_eagerly=EAGER,
)
runs = {}  # backbone -> list of run records
for backbone in TRAINED:
    config = ExperimentConfig(**(base.to_dict() | {"backbone": backbone}))
    runs[backbone] = []
    for seed in base.seeds:
        for arm in base.arms:
            print(f"training {backbone} / {arm} / seed {seed}", flush=True)
            runs[backbone].append(train_run(config, arm, seed, data, OUT / backbone, callbacks=[timer]))

# %% [markdown]
# ### The table
# One row per backbone and arm: parameters, final-epoch validation accuracy (mean ± std over
# seeds), the last epoch's training accuracy, and the median time of one training step. Then,
# per backbone, the paired difference learned − bilinear with its 95% t-interval. A single seed
# gives no interval.

# %%
from resizer_lib.training.stats import paired_difference
from resizer_lib.viz import show_table

rows, diffs = [], []
for backbone, records in runs.items():
    acc = {(r["arm"], r["seed"]): r["final"]["val_accuracy"] for r in records}
    for arm in base.arms:
        mine = [r for r in records if r["arm"] == arm]
        scores = [acc[arm, seed] for seed in base.seeds]
        rows.append({"backbone": backbone, "arm": arm, "params": f"{mine[0]['params']:,}",
                     "val accuracy %": f"{100 * np.mean(scores):.1f} ± {100 * np.std(scores, ddof=min(1, len(scores) - 1)):.1f}",
                     "train accuracy %": f"{100 * np.mean([r['history']['accuracy'][-1] for r in mine]):.1f}",
                     "step ms": round(timer.median_ms(f"{backbone}_{arm}"), 1)})
    d = paired_difference([acc["learned", s] for s in base.seeds], [acc["bilinear", s] for s in base.seeds])
    diffs.append({"backbone": backbone, "seeds": d.n, "learned − bilinear (points)": f"{100 * d.mean:+.1f}",
                  "95% CI": "n/a (one seed)" if d.n < 2 else f"[{100 * d.low:+.1f}, {100 * d.high:+.1f}]"})
show_table(rows);
show_table(diffs);

# %% [markdown]
# The backbones this profile did not train are built here and counted, so the parameter table
# covers all five. So does the BatchNorm momentum each one uses; it matters below.

# %%
from resizer_lib.models.batchnorm import batchnorm_momenta

rows = []
for backbone in ALL_BACKBONES:
    if backbone in runs:
        model = next(r["model"] for r in runs[backbone] if r["arm"] == "bilinear")
    else:  # not trained under this profile: build it (random weights) and count
        model = build_classifier(backbone, IMAGE, TARGET, "bilinear", num_classes=2, seed=0)
    n = model.count_params()
    rows.append({"backbone": backbone, "trained here": "yes" if backbone in runs else "no",
                 "bilinear": f"{n:,}", "learned": f"{n + 12_163:,}",
                 "resizer share": f"{12_163 / (n + 12_163):.1%}",
                 "BatchNorm momentum": ", ".join(map(str, sorted(batchnorm_momenta(model))))})
show_table(rows);

# %% [markdown]
# **Reading it.** *Parameters*: the resizer's 12,163 weights are a rounding error next to
# ResNet-50 (23.6 M) or DenseNet-121 (7 M), and 2% of ConvMixer-256/8. *Step time*: the resizer
# is not free. Its first convolutions run at the **input** resolution, before any downsampling.
# So its cost grows with $H \times W$, not with the backbone's $h \times w$, and the lighter
# the backbone, the larger its share. *Accuracy*: on this synthetic set
# the bilinear arm cannot beat 50% on validation, because the class is erased before the
# backbone sees anything. Its *training* accuracy can still climb: the network memorises the
# training images by their backgrounds. A learned arm well above 50% on validation means the
# resizer recovered the stripes for that backbone.
#
# One trap, and the reason the training accuracy is in the table. After a short run, a
# validation accuracy of *exactly* 50% can also mean that BatchNorm's **moving statistics** have
# not caught up with the weights (lesson 07). After $n$ steps the initial statistics still
# weigh $m^n$, with $m$ the momentum: $0.999^{40} \approx 0.96$, but $0.9^{40} \approx 0.015$.
#
# ### The trap, measured
# Is a 50% row the trap, or a network that learned nothing? Keep every trained weight, and only
# **re-estimate the BatchNorm statistics** from the training images (`recalibrate_batchnorm`,
# lesson 07). Then evaluate the same validation images again. If the accuracy jumps, the network
# had learned and only its statistics were stale. If it stays at 50%, it had not learned. Each
# model's own statistics are put back afterwards.

# %%
from resizer_lib.models.batchnorm import recalibrate_batchnorm


def val_accuracy(model: keras.Model) -> float:
    """Accuracy on the validation images in inference mode (moving BatchNorm statistics)."""
    probs = keras.ops.convert_to_numpy(model.predict(x_val, batch_size=PLAN["batch_size"], verbose=0))
    return float(np.mean(probs.argmax(axis=-1) == y_val))


recal = []
for backbone, records in runs.items():
    for r in records:
        before = val_accuracy(r["model"])
        as_trained = r["model"].get_weights()
        n_bn = recalibrate_batchnorm(r["model"], x_train, batch_size=PLAN["batch_size"])
        after = val_accuracy(r["model"])
        r["model"].set_weights(as_trained)  # the moving statistics training left, back in place
        recal.append({"backbone": backbone, "arm": r["arm"], "seed": r["seed"], "BatchNorm layers": n_bn,
                      "val % as trained": f"{100 * before:.1f}", "val % recalibrated": f"{100 * after:.1f}"})
show_table(recal);

# %% [markdown]
# A backbone whose arm jumps from 50% once recalibrated was hiding what it had learned behind
# stale statistics. Where it does not move, the 50% is real. Both arms get the same treatment,
# so the paired comparison stays fair. Under `full`, watch MobileNetV2 (momentum 0.999).
#
# ### What a committed study adds
# One seed of a synthetic task says little. The course ships one multi-seed study of a backbone
# from this lesson: **DenseNet-121** from scratch at the keras.io setting ($300 \to 150$ px), on
# real cat and dog photos, several seeds, on GPUs. It is a different task from the synthetic
# one, so read it as a second data point. No committed study trains ResNet-50, MobileNetV2,
# EfficientNet-B0 or ConvMixer; for them this lesson's own runs are all there is.

# %%
import matplotlib.pyplot as plt

from resizer_lib.training.studies import load_study
from resizer_lib.viz.forest import difference_from_summary, plot_forest

study = load_study("photos_densenet121_300to150_gpu_4arms")
gpu = study["summary"]
print(f"{study['name']}: {study['config']['backbone']}, {study['config']['image_size']} -> "
      f"{study['config']['target_size']}, {study['provenance']['dataset']}")
plot_forest([difference_from_summary(gpu, a, b, f"{a} − {b}")
             for a, b in [("learned", "bilinear"), ("more_layers", "bilinear"), ("learned", "more_layers")]],
            title="DenseNet-121, moving BatchNorm statistics")
plt.show()

# %% [markdown]
# Read the three rows together. If `more_layers`, the same blocks behind a plain resize, gains
# about as much as `learned`, then the comparison cannot credit the gain to learned resizing.
# It does not show that the blocks caused it either. Lesson 15 reads this study's BatchNorm
# diagnosis: with re-estimated statistics, much of the gap between the arms can disappear. That
# is the trap above, on a GPU.

# %% [markdown]
# ## Inside ConvMixer: what the patch embeddings and kernels learned
# ConvMixer's first layer has 256 filters of size $2 \times 2 \times 3$. Each is the patch
# pattern that lights up one channel. Its depth-wise layers have 256 kernels of $5 \times 5$,
# one per channel. `kernels` reads them out of a classifier. `mosaic` tiles them into one image,
# each filter **normalised on its own** to $[0, 1]$: normalised together, a few strong filters
# would fill the range and most would look flat grey. Three columns: the shared initial weights,
# after training behind the bilinear resize, and after training behind the learned resizer.

# %%
from resizer_lib.models import backbone_weights
from resizer_lib.training import build_arm, weights_checksum


def kernels(model, layer):
    """The filters of ``layer`` in the classifier's ConvMixer: (N, k, k, C) or, depth-wise, (N, k, k)."""
    kernel = keras.ops.convert_to_numpy(model.get_layer("convmixer").get_layer(layer).kernel)
    return np.moveaxis(kernel[..., 0] if "depthwise" in layer else kernel, -1, 0)  # Keras puts N last


def mosaic(filters, cols=16):
    """Each filter scaled to [0, 1] on its own, then tiled, ``cols`` to a row, 1-pixel white gaps."""
    axes = tuple(range(1, filters.ndim))
    f = (filters - filters.min(axis=axes, keepdims=True)) / np.ptp(filters, axis=axes, keepdims=True)
    f = np.pad(f, [(0, 0), (1, 0), (1, 0)] + [(0, 0)] * (f.ndim - 3), constant_values=1.0)
    (n, k), rest = f.shape[:2], f.shape[3:]
    return f.reshape(n // cols, cols, k, k, *rest).swapaxes(1, 2).reshape(n // cols * k, cols * k, *rest)


cm_config = ExperimentConfig(**(base.to_dict() | {"backbone": "convmixer"}))
cm_runs = {r["arm"]: r for r in runs["convmixer"] if r["seed"] == base.seeds[-1]}
initial = build_arm(cm_config, "bilinear", 2, base.seeds[-1])  # rebuilt: the same seed, the same start
print("rebuilt start = the runs' start:",
      weights_checksum(backbone_weights(initial)) == cm_runs["bilinear"]["initial_backbone_checksum"])
trained = {"initial": initial, "bilinear": cm_runs["bilinear"]["model"], "learned": cm_runs["learned"]["model"]}

panels = {"patch_embed": "patch embeddings (2x2x3)", "mixer0_depthwise": "depth-wise kernels, block 0",
          "mixer7_depthwise": "depth-wise kernels, block 7"}
fig, axes = plt.subplots(3, 3, figsize=(12, 9.5))
for col, (label, model) in enumerate(trained.items()):
    for ax, (layer, title) in zip(axes[:, col], panels.items(), strict=True):
        ax.imshow(mosaic(kernels(model, layer)), cmap="gray", vmin=0, vmax=1)
        ax.set_title(f"{label}: {title}", fontsize=9)
        ax.set_axis_off()
fig.tight_layout()

# %% [markdown]
# After a short training the filters still look much like their random start: the learned part
# is a small update on top. One number summarises the patch embeddings' update $W - W_0$: the
# share of its energy that is not its mean over the patch. Behind the bilinear resize the
# stripes are gone, so a $2 \times 2$ patch carries little more than a colour. Behind the
# learned resizer, the update can have structure *inside* the patch.

# %%
for arm in ["bilinear", "learned"]:
    delta = kernels(trained[arm], "patch_embed") - kernels(initial, "patch_embed")
    within = delta - delta.mean(axis=(1, 2), keepdims=True)  # (256, 2, 2, 3) minus per-patch mean
    print(f"{arm:8s}: {np.sum(within**2) / np.sum(delta**2):.0%} of the patch-embedding update "
          f"is pattern inside the patch, the rest is a flat colour")

# %%
# Clean up: the run records and logs of this lesson live in a temporary folder
import shutil

shutil.rmtree(OUT, ignore_errors=True)

# %% [markdown]
# ## Exercises
# 1. **ConvMixer at ImageNet scale.** The paper's ConvMixer-768/32 uses $k = 7$, $p = 7$ on
#    $224 \times 224$ images with 1000 classes and reports 21.1 M parameters. Work the count
#    out by hand, then check it with `convmixer_param_count`. Which part dominates now?
# 2. **Receptive field.** Show experimentally that one ConvMixer block with $k = 3$ lets a
#    single input pixel influence a $3 \times 3$ square of grid cells after the block (3 cells
#    in each direction, 9 in all), and two blocks a $5 \times 5$ square: perturb one pixel of a
#    zero image and count the cells that change.

# %% tags=["exercise"]
# Exercise 1: your code here
from resizer_lib.course.exercise_checks import check_convmixer_count

total_768_32 = None  # ConvMixer-768/32's parameter count (k = 7, p = 7, 1000 classes), by hand
check_convmixer_count(total_768_32, width=768, depth=32, kernel_size=7, patch_size=7, num_classes=1000);

# %% tags=["exercise"]
# Exercise 2: your code here
from resizer_lib.course.exercise_checks import check_influenced_cells

cells_across_1 = None  # grid cells that change in one direction after one block (k = 3)
cells_across_2 = None  # ... and after two blocks
check_influenced_cells(cells_across_1, depth=1, kernel_size=3);
check_influenced_cells(cells_across_2, depth=2, kernel_size=3);

# %% [markdown] tags=["solution"]
# ## Solutions
#
# One cell per exercise. Try first.

# %% tags=["solution"] jupyter={"source_hidden": true}
# Solution 1. ConvMixer-768/32, k = 7, p = 7, 1000 classes
c = convmixer_param_count(width=768, depth=32, kernel_size=7, patch_size=7, num_classes=1000)
print({k: f"{v:,}" for k, v in c.items()})
assert c["total"] == 21_210_088 and round(c["trainable"] / 1e6, 1) == 21.1
assert check_convmixer_count(c["total"], width=768, depth=32, kernel_size=7, patch_size=7, num_classes=1000)
print(f"point-wise share: {32 * (768 * 768 + 768) / c['total']:.1%}, head: {c['head'] / c['total']:.1%}")
# The paper's 21.1 M counts trainable weights (BatchNorm moving statistics excluded).

# %% tags=["solution"] jupyter={"source_hidden": true}
# Solution 2. Perturb one pixel of a zero image; count the grid cells that change after the block
for depth in (1, 2):
    keras.utils.set_random_seed(0)
    net = build_convmixer((32, 32, 3), 2, width=4, depth=depth, kernel_size=3, patch_size=2)
    probe = keras.Model(net.input, net.get_layer(f"mixer{depth - 1}_pw_bn").output)
    x = np.zeros((2, 32, 32, 3), "float32")
    x[1, 16, 16] = 1.0  # one bright pixel in the middle of image 1
    out = keras.ops.convert_to_numpy(probe(x, training=False))
    changed = np.abs(out[1] - out[0]).max(axis=-1) > 1e-6
    cols = int(changed.any(axis=0).sum())
    print(f"depth {depth}: {int(changed.any(axis=1).sum())} x {cols} grid cells change, {int(changed.sum())} in all")
    assert check_influenced_cells(cols, depth=depth, kernel_size=3)  # depth * (k - 1) + 1 a side

# %% [markdown]
# ## Summary
# * The backbone sees only an $h \times w \times 3$ tensor, so the resizer fits in front of any
#   image network. It adds 12,163 parameters, but its first layers run at the input resolution.
# * ConvMixer is patch embedding plus blocks of depth-wise (spatial) and point-wise (channel)
#   mixing. Point-wise layers hold most of its parameters.
# * A 50% validation score after a short run can be stale BatchNorm statistics. Recalibrate
#   before you read it.
# * Controls decide what a gain can be credited to. Best-on-validation weights need a test set.
#
# ## Further reading
# * H. Talebi and P. Milanfar, "Learning to Resize Images for Computer Vision Tasks", ICCV 2021.
# * A. Trockman and J. Z. Kolter, "Patches Are All You Need?", TMLR 2023 (arXiv 2201.09792).
# * I. Loshchilov and F. Hutter, "Decoupled Weight Decay Regularization", ICLR 2019 (AdamW).
# * Y. Wu and J. Johnson, "Rethinking 'Batch' in BatchNorm", arXiv 2105.07576, 2021.
# * A. Zhang, Z. Lipton, M. Li and A. Smola, *Dive into Deep Learning*, chapter "Modern
#   Convolutional Neural Networks" (ResNet, DenseNet, batch normalisation).
