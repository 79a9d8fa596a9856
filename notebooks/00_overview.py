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
# * the parameter counts every later notebook relies on.
#
# | notebook | topic |
# |---|---|
# | 01 | CNN fundamentals: convolution, padding, pooling, ResNet |
# | 02 | data pipelines, augmentation, transfer learning |
# | 03 | the learnable resizer, block by block |
# | 04 | training with and without it: a paired, multi-seed experiment |
# | 05 | what the resizer does to images (with widgets) |
# | 06 | plug and play across backbones, ConvMixer |

# %% [markdown]
# ## Setup
# In Colab this cell installs the course library, release 0.1.0 (git tag `v0.1.0`,
# the release this notebook belongs to; set `RESIZER_INSTALL` to a wheel file, a fork or another
# tag to install that instead). pip keeps Colab's own TensorFlow and Keras when they already
# meet the course's bounds (`keras>=3.10` and `tensorflow>=2.18`). Locally, `make lab` has installed everything.
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
# ## Where next
# Notebook 01 starts from convolution itself. If you already know CNNs, jump to 05.
