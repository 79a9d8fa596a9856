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
# # 00 · Course overview: the learnable resizer in ten minutes
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/learning-to-resize/learning-to-resize/blob/v0.1.0/notebooks/00_overview.ipynb)
# · source: [`00_overview.py`](00_overview.py) (the `.ipynb` is generated from it with jupytext)
#
# Vision networks are trained at small, fixed sizes (224 × 224, 150 × 150, ...), so every photo is
# shrunk first, usually by bilinear interpolation. That step was designed to look good to *people*.
# Talebi & Milanfar (ICCV 2021) asked: what if the resize were *learned*, jointly with the
# classifier, so that it keeps what the *machine* needs?
#
# **What you will learn here**
# * how the course is organised, and the one knob (`RESIZER_PROFILE`) that sizes every experiment;
# * how to build the learnable resizer and a classifier with it from `resizer_lib`;
# * the parameter counts every later notebook relies on;
# * the idea in one figure, and what the course's own studies found, in another.
#
# | notebook | topic |
# |---|---|
# | 01 | CNN fundamentals: convolution by hand, padding, pooling, a learned kernel, ResNet, the classic and modern architectures |
# | 02 | data pipelines, every way to resize, augmentation, transfer learning and fine-tuning by hand |
# | 03 | batch normalisation: what it computes, moving statistics, and the stale-statistics trap |
# | 04 | sampling and aliasing: spectra, Nyquist, interpolation kernels as filters, antialiasing |
# | 05 | the learnable resizer, block by block, written by hand with the functional API |
# | 06 | training with and without it: a paired, multi-seed experiment, and the committed studies |
# | 07 | what the resizer does to images (with widgets) |
# | 08 | plug and play across backbones, ConvMixer |
# | 09 | beyond classification: boxes, IoU and mAP, transposed convolution, segmentation |

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
# ## The resizer in one call
# `build_resizer(target_size)` returns a Keras model that maps images of **any** size
# $(B, H, W, 3)$ to $(B, h, w, 3)$. Its output is a naive (bilinear) resize plus a learned
# correction computed from full-resolution features:
#
# $$ y = \mathrm{resize}(x) + g_\theta\big(\mathrm{resize}(f_\theta(x))\big) $$

# %%
import numpy as np

from resizer_lib.models.resizer import build_resizer, resizer_param_count

resizer = build_resizer(target_size=(150, 150))
resizer.summary()
assert resizer.count_params() == resizer_param_count() == 12_163

x = np.random.default_rng(0).uniform(0, 1, size=(2, 300, 220, 3)).astype("float32")
y = resizer(x)
print("input", x.shape, "-> output", tuple(y.shape))
assert tuple(y.shape) == (2, 150, 150, 3)

# %% [markdown]
# ## A classifier with and without it
# `build_classifier` builds every arm of an experiment the same way: images in $0..255$,
# `Rescaling(1/255)`, then the resizer (learned, or a fixed interpolation), then the backbone.
# The keras.io example's DenseNet-121 at 150 × 150 for two classes has **7,039,554**
# parameters; the resizer adds **12,163**.

# %%
from resizer_lib.models import build_classifier

with_resizer = build_classifier("densenet121", (300, 300), (150, 150), resizer="learned", seed=0)
without = build_classifier("densenet121", (300, 300), (150, 150), resizer="bilinear", seed=0)
print(f"with the learned resizer: {with_resizer.count_params():,}")
print(f"with bilinear resizing:   {without.count_params():,}")
assert with_resizer.count_params() == 7_051_717
assert without.count_params() == 7_039_554
assert with_resizer.count_params() - without.count_params() == 12_163

# %% [markdown]
# ## The idea in one figure
# The course's offline data set makes the point visible. Each image carries a faint pattern of
# stripes one pixel wide (its class: horizontal or vertical, ±24 grey levels). A 2× bilinear
# resize averages neighbouring pixels, so the stripes average out *exactly*: the classifier behind
# it cannot tell the classes apart, whatever it learns. The learnable resizer looks at the image
# *before* that average, so it can keep what the task needs (notebook 04 shows why a non-linearity
# is what makes this possible; notebook 06 measures it).

# %%
import matplotlib.pyplot as plt

from resizer_lib.data.synthetic import synthetic_image
from resizer_lib.viz.comparison import resize_image

pair = [synthetic_image(0, (64, 64), label=k).astype("float32") / 255 for k in (0, 1)]
small = [np.asarray(resize_image(img, (32, 32), "bilinear")) for img in pair]
fig, axes = plt.subplots(1, 4, figsize=(10, 2.8))
crops = [pair[0][16:32, 16:32], pair[1][16:32, 16:32], small[0][8:16, 8:16], small[1][8:16, 8:16]]
titles = ["class 0 (64 px)", "class 1 (64 px)", "class 0 after 2× bilinear", "class 1 after 2× bilinear"]
for ax, img, title in zip(axes, crops, titles, strict=True):
    ax.imshow(img, vmin=0, vmax=1)
    ax.set_title(title)
    ax.axis("off")
fig.suptitle("the same crop of two images that differ only in their stripes, before and after the resize")
plt.show()
print(f"largest pixel difference between the two classes: {np.abs(pair[0] - pair[1]).max():.3f} "
      f"at 64 px, {np.abs(small[0] - small[1]).max():.1e} after the resize")
assert np.abs(pair[0] - pair[1]).max() > 0.15  # at 64 px the classes differ by the stripes
assert np.abs(small[0] - small[1]).max() < 1e-5  # after a 2x bilinear resize, not at all

# %% [markdown]
# ## What the course found
# Whether that helps on *photos* is an empirical question, and the course answers it with paired
# experiments over several seeds (notebook 06 explains the method). The studies ship with the
# course, so this figure is drawn from their committed summaries: each row is the difference in
# validation accuracy *learned resizer − bilinear*, with its 95 % interval over seeds; a filled
# dot means the interval excludes zero.

# %%
from resizer_lib.training.stats import paired_difference
from resizer_lib.training.studies import load_study
from resizer_lib.viz.forest import Difference, difference_from_summary, plot_forest

rows = [difference_from_summary(load_study("synthetic_quick")["summary"], "learned", "bilinear",
                                "synthetic stripes, small CNN, 64 → 32 px"),
        difference_from_summary(load_study("photos_small_cnn_128to64")["summary"], "learned",
                                "bilinear", "cat/dog photos, small CNN, 128 → 64 px"),
        difference_from_summary(load_study("photos_densenet121_300to150_gpu")["summary"], "learned",
                                "bilinear", "photos, DenseNet-121, 300 → 150, moving BN")]
bn = load_study("photos_densenet121_300to150_gpu_batchnorm")["runs"]
recal = {(r["arm"], r["seed"]): r["recalibrated"]["val"]["accuracy"] for r in bn}
seeds = sorted(s for a, s in recal if a == "bilinear")
d = paired_difference([recal["learned", s] for s in seeds], [recal["bilinear", s] for s in seeds])
rows.append(Difference("photos, DenseNet-121, 300 → 150, recalibrated BN", d.mean, d.low, d.high, d.n))
plot_forest(rows, title="learned resizer − bilinear")
plt.show()
assert rows[0].excludes_zero and rows[0].mean > 0.3  # the mechanism: large, on the data built for it
assert rows[1].mean < 0  # on photos at 2x, a small CNN gains nothing from it
assert rows[2].excludes_zero and not rows[3].excludes_zero  # the DenseNet "win" was BatchNorm

# %% [markdown]
# Read it top to bottom: the mechanism is real where the data are built for it; on real photos the
# course has not found a gain, and the one large gain it measured (DenseNet) disappeared once the
# BatchNorm statistics were re-estimated (notebook 03 explains why). When a learned resizer pays
# is the open question notebooks 06 and 08 and the README's studies keep measuring.

# %% [markdown]
# ## Where next
# Notebook 01 starts from convolution itself. If you already know CNNs and batch normalisation,
# start at 04 (why resizing loses information) or jump to 05 (the resizer).

# %% [markdown]
# ## Exercises
#
# Each exercise has a cell below with the names to fill in; its last line checks your answer and
# says "✓ right" or what is off, without giving the answer away.
#
# 1. **Any size in, the target size out.** A resizer built for a $224 \times 224$ target gets a
#    batch of 4 photos of $240 \times 320$. Predict the shape of its output, then check your
#    prediction by running `build_resizer((224, 224))` on such a batch.
# 2. **A wider resizer.** How many parameters does `build_resizer((150, 150), filters=32,
#    num_res_blocks=2)` have? Why does doubling the filters more than double the count?
#    (Notebook 05 counts the parameters by hand.)

# %% tags=["exercise"]
# Exercise 1: your code here
from resizer_lib.course.exercise_checks import check_output_shape

shape_224 = None  # your prediction, a tuple (batch, height, width, channels)
check_output_shape(shape_224, batch_size=4, target_size=(224, 224));

# %% tags=["exercise"]
# Exercise 2: your code here
from resizer_lib.course.exercise_checks import check_param_count

wide_count = None  # the parameter count of filters=32, num_res_blocks=2
check_param_count(wide_count, filters=32, num_res_blocks=2);

# %% [markdown] tags=["solution"]
# ## Solutions
#
# One cell per exercise; open a cell to read it, but try first.

# %% tags=["solution"] jupyter={"source_hidden": true}
# 1. The batch axis is kept, height and width come from the target size, the channels from the
#    input: the input size does not appear in the output at all.
photos_240 = np.zeros((4, 240, 320, 3), "float32")
shape_224 = tuple(build_resizer((224, 224))(photos_240).shape)
print("output shape", shape_224)
assert check_output_shape(shape_224, batch_size=4, target_size=(224, 224))

# %% tags=["solution"] jupyter={"source_hidden": true}
# 2. Most weights sit in convolutions from F to F channels (F x F x k x k each), so they grow with
#    F squared: twice the filters is about four times those weights; a second residual block adds
#    two more of them.
wide = build_resizer((150, 150), filters=32, num_res_blocks=2)
wide_count = wide.count_params()
print(f"{wide_count:,} parameters, {wide_count / resizer_param_count():.1f} times the default's")
assert check_param_count(wide_count, filters=32, num_res_blocks=2)
assert wide_count == resizer_param_count(filters=32, num_res_blocks=2)
