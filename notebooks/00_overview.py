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
# Vision networks are trained at small, fixed sizes, so every photo is shrunk first. That step
# usually uses bilinear interpolation, which was designed to look good to people. Talebi &
# Milanfar (ICCV 2021) asked: what if the resize were *learned*, together with the classifier?
#
# **What you will learn here**
# * what the learnable resizer looks like, in one diagram;
# * what a plain 2× resize can erase, in one figure;
# * how to build the resizer and a classifier with it, in two calls;
# * what the course's own experiments found.
#
# | lesson | topic |
# |---|---|
# | 01 | convolution by hand, stride, padding, a kernel learned by gradient descent |
# | 02 | a first CNN: receptive fields, pooling, training, a confusion matrix |
# | 03 | classic architectures, from LeNet-5 to EfficientNet |
# | 04 | input pipelines and every way to resize an image |
# | 05 | data augmentation with Keras layers |
# | 06 | transfer learning: freeze, then fine-tune |
# | 07 | batch normalisation, and the stale-statistics trap |
# | 08 | sampling and aliasing |
# | 09 | the learnable resizer, by hand |
# | 10 | what a resizer does to images |
# | 11 | training with and without it |
# | 12 | plug and play across backbones |
# | 13 | segmentation with the resizer in front |
# | 14 | elective: boxes, IoU and average precision |
# | 15 | optional: reading the course's studies |

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
# ## The resizer in one picture
# The resizer is a small convolutional network. Its output is a plain bilinear resize plus a
# learned correction. The correction is computed from features at the *input* resolution:
#
# $$ y = \mathrm{resize}(x) + g_\theta\big(\mathrm{resize}(f_\theta(x))\big) $$
#
# Orange boxes run at the input size, blue ones at the target size. Each box shows its output
# shape and its parameter count.

# %%
import matplotlib.pyplot as plt

from resizer_lib.course.anatomy import draw_resizer_diagram

draw_resizer_diagram((300, 300), (150, 150), filters=16, num_res_blocks=1)
plt.show()

# %% [markdown]
# ## What a 2× resize can erase
# The course's offline data set makes the point visible. Each image carries faint stripes one
# pixel wide. Their direction is the class: horizontal or vertical. A 2× bilinear resize averages
# neighbouring pixels, so the stripes cancel *exactly*. No classifier behind that resize can tell
# the classes apart. The learned resizer sees the image *before* the average, so it can keep them.

# %%
import numpy as np

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
fig.suptitle("the same crop of two images that differ only in their stripes")
plt.show()
before = np.abs(pair[0] - pair[1]).max()
after = np.abs(small[0] - small[1]).max()
print(f"largest pixel difference between the classes: {before:.3f} at 64 px, {after:.1e} after")
assert after < 1e-5 < before

# %% [markdown]
# ## The resizer and a classifier, in two calls
# `build_resizer(target_size)` returns a Keras model. It maps images of *any* size to the target
# size. `build_classifier` puts a resizer (learned, or a fixed interpolation) in front of a
# backbone.

# %%
from resizer_lib.models import build_classifier
from resizer_lib.models.resizer import build_resizer

resizer = build_resizer(target_size=(150, 150))
x = np.random.default_rng(0).uniform(0, 1, size=(2, 300, 220, 3)).astype("float32")
y = resizer(x)
print("input", x.shape, "-> output", tuple(y.shape), f"| {resizer.count_params():,} parameters")
assert tuple(y.shape) == (2, 150, 150, 3)

with_resizer = build_classifier("densenet121", (300, 300), (150, 150), resizer="learned", seed=0)
without = build_classifier("densenet121", (300, 300), (150, 150), resizer="bilinear", seed=0)
extra = with_resizer.count_params() - without.count_params()
print(f"DenseNet-121 with bilinear resizing: {without.count_params():,} parameters")
print(f"with the learned resizer:            {with_resizer.count_params():,} (+{extra:,})")
assert extra == resizer.count_params()

# %% [markdown]
# The resizer adds less than 0.2 % to the classifier.
#
# ## What the course found
# Does the resize matter on *photos*? The course answers with paired experiments over several
# seeds. Each row below is the difference in validation accuracy, learned resizer minus bilinear,
# with its 95 % interval. A filled dot means the interval excludes zero.
#
# One term first. A BatchNorm layer stores a running mean and variance of its inputs, its
# *statistics*; the last row re-estimates them after training.

# %%
from resizer_lib.training.stats import paired_difference
from resizer_lib.training.studies import load_study
from resizer_lib.viz.forest import Difference, difference_from_summary, plot_forest

rows = [difference_from_summary(load_study("synthetic_quick")["summary"], "learned", "bilinear",
                                "synthetic stripes, small CNN, 64 → 32 px"),
        difference_from_summary(load_study("photos_small_cnn_128to64")["summary"], "learned",
                                "bilinear", "cat/dog photos, small CNN, 128 → 64 px"),
        difference_from_summary(load_study("photos_densenet121_300to150_gpu")["summary"], "learned",
                                "bilinear", "photos, DenseNet-121, 300 → 150, stored statistics")]
bn = load_study("photos_densenet121_300to150_gpu_batchnorm")["runs"]
recal = {(r["arm"], r["seed"]): r["recalibrated"]["val"]["accuracy"] for r in bn}
seeds = sorted(s for a, s in recal if a == "bilinear")
d = paired_difference([recal["learned", s] for s in seeds], [recal["bilinear", s] for s in seeds])
rows.append(Difference("photos, DenseNet-121, 300 → 150, re-estimated", d.mean, d.low, d.high, d.n))
plot_forest(rows, title="learned resizer − bilinear")
plt.show()

# %% [markdown]
# Read it top to bottom. The mechanism is real where the data are built for it. On real photos
# the course has not found a gain. The one large gain it measured, on DenseNet-121, vanished
# once the BatchNorm statistics were re-estimated. Lesson 07 explains why.
#
# ## Summary
# * The learnable resizer is a bilinear resize plus a learned correction, about 12,000 weights.
# * A fixed resize can erase exactly the detail a task needs; a learned one can keep it.
# * Whether that helps on photos is an empirical question, and the answer depends on how you
#   measure.
#
# Lesson 01 starts from convolution itself. If you know CNNs and BatchNorm, start at 08.
#
# ## Further reading
# * H. Talebi and P. Milanfar, "Learning to Resize Images for Computer Vision Tasks", ICCV 2021,
#   arXiv:2103.09950.
# * S. Paul, "Learning to Resize in Computer Vision", keras.io example, 2021.
# * A. Zhang et al., *Dive into Deep Learning*, chapter 7, "Convolutional Neural Networks".
# * A. Géron, *Hands-On Machine Learning*, 3rd ed., chapter 14, "Deep Computer Vision".

# %% [markdown]
# ## Exercises
# Each exercise cell ends with a check. It says "✓ right" or what is off, without the answer.
#
# 1. **Any size in, the target size out.** A resizer built for $224 \times 224$ gets 4 photos of
#    $240 \times 320$. Predict the output shape, then check it with `build_resizer((224, 224))`.
# 2. **A wider resizer.** How many parameters has `build_resizer((150, 150), filters=32,
#    num_res_blocks=2)`? Why does doubling the filters more than double the count?

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

# %% tags=["solution"]
# 1. The batch axis is kept; height and width come from the target, channels from the input.
photos_240 = np.zeros((4, 240, 320, 3), "float32")
shape_224 = tuple(build_resizer((224, 224))(photos_240).shape)
print("output shape", shape_224)
assert check_output_shape(shape_224, batch_size=4, target_size=(224, 224))

# %% tags=["solution"]
# 2. Most weights sit in convolutions from F to F channels (F x F x 3 x 3 each): they grow with
#    F squared. A second residual block adds two more of them.
wide_count = build_resizer((150, 150), filters=32, num_res_blocks=2).count_params()
print(f"{wide_count:,} parameters, {wide_count / resizer.count_params():.1f} times the default's")
assert check_param_count(wide_count, filters=32, num_res_blocks=2)
