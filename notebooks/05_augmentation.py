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
# # 05 · Data augmentation with Keras layers
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/learning-to-resize/learning-to-resize/blob/v0.1.0/notebooks/05_augmentation.ipynb)
# · source: [`05_augmentation.py`](05_augmentation.py) (the `.ipynb` is generated from it with jupytext)
#
# A network trained on 2,000 photos sees each one dozens of times. Augmentation shows it a
# slightly different version each time: mirrored, shifted, rotated, brighter. It cannot memorise
# pixels, so it has to learn what stays the same.
#
# **What you will learn here**
# * augmentation with Keras preprocessing layers: flip, crop, rotation, brightness, contrast, hue;
# * why `ImageDataGenerator` is gone in Keras 3, and one trap of random layers on JAX;
# * two properties every augmentation must have, checked;
# * augmentation inside a `tf.data` pipeline, after the cache;
# * which augmentations keep a label, and which change or erase it.

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
# ## 1. Augmentation that keeps the label
# Only transformations that keep the label are allowed. A mirrored cat is a cat, but a mirrored
# "b" is a "d".
#
# **Why not `ImageDataGenerator`?** Older tutorials use it: a single-threaded NumPy generator, tied
# to TensorFlow's Keras 2. Keras 3 runs on TensorFlow, JAX and PyTorch, and dropped it. Its
# replacement is a set of *layers*: `RandomFlip`, `RandomRotation`, `RandomZoom`,
# `RandomTranslation`, `RandomBrightness`, `RandomContrast`, `RandomHue` and more. They run inside
# the model, only while training, or in a `tf.data` pipeline. They can be seeded.
#
# One trap on JAX: Keras marks `RandomTranslation`, `RandomRotation` and `RandomZoom` as not safe
# to compile (`supports_jit=False`). A single such layer makes `compile()` run the *whole* model
# op by op. On a GPU that turned a DenseNet-121 epoch from seconds into more than seven minutes.
# The course's `resizer_lib.models.augment` uses twins of those three that compile on JAX.

# %%
import keras
import numpy as np

print("keras.preprocessing.image now has:", [n for n in dir(keras.preprocessing.image)
                                             if not n.startswith("_")])

# %% [markdown]
# The course's `build_augmentation` assembles these layers for images in $0..255$. One effect at
# a time, five random draws each, on a $128 \times 128$ square of the cat:

# %%
from resizer_lib.data.sample_images import load_sample
from resizer_lib.models.augment import build_augmentation
from resizer_lib.viz import show_images

target = (128, 128)
cat = load_sample("chelsea").astype(np.float32)  # (300, 451, 3) in 0..255
cat_square = keras.ops.convert_to_numpy(
    keras.layers.Resizing(*target, crop_to_aspect_ratio=True)(cat))  # the centred square
effects = {
    "flip": dict(flip=True),
    "crop (zoom + shift)": dict(crop=0.3),
    "rotation (±18°)": dict(rotation=0.05),
    "brightness": dict(brightness=0.3),
    "contrast": dict(contrast=0.5),
    "hue": dict(hue=0.3),
}
panels, titles = [], []
for name, effect in effects.items():
    only = {"flip": False, "rotation": None, **effect}
    layer = build_augmentation(**only, seed=1)
    draws = keras.ops.convert_to_numpy(layer(np.repeat(cat_square[None], 5, axis=0),
                                             training=True))
    panels += [cat_square] + list(draws)
    titles += [name] + [""] * 5
show_images([np.clip(p, 0, 255).astype(np.uint8) for p in panels], titles, ncols=6,
            panel_size=1.7);

# %% [markdown]
# Two properties matter. At inference (`training=False`) every random layer is the identity, so
# evaluation sees the real images. And a horizontal flip either leaves an image alone or mirrors
# it, nothing else:

# %%
everything = build_augmentation(flip=True, rotation=0.05, crop=0.2, brightness=0.2,
                                contrast=0.2, hue=0.05, seed=0)
batch = np.repeat(cat_square[None], 4, axis=0)
np.testing.assert_array_equal(keras.ops.convert_to_numpy(everything(batch, training=False)),
                              batch)
flips = keras.ops.convert_to_numpy(build_augmentation(flip=True, rotation=None, seed=3)(
    np.repeat(cat_square[None], 8, axis=0), training=True))
mirrored = [np.allclose(f, cat_square[:, ::-1]) for f in flips]
unchanged = [np.allclose(f, cat_square) for f in flips]
assert all(m or u for m, u in zip(mirrored, unchanged, strict=True))
print(f"of 8 flips: {sum(mirrored)} mirrored, {sum(unchanged)} unchanged")

# %% [markdown]
# ## 2. In a pipeline
# `augment_dataset` maps the layers over batches *after* the cache. Every epoch then draws new
# versions, while the decoding is done only once. Here the images come from the course's
# synthetic set:

# %%
import tensorflow as tf

from resizer_lib.data.synthetic import SYNTHETIC_CLASS_NAMES, make_synthetic
from resizer_lib.models.augment import augment_dataset

x, y = make_synthetic(PROFILE.batch_size, PROFILE.image_size, seed=0)
dataset = tf.data.Dataset.from_tensor_slices((x, y)).cache().batch(PROFILE.batch_size)
augmented = augment_dataset(dataset, everything)
aug_images, aug_labels = next(iter(augmented))
print("one augmented batch:", aug_images.shape, aug_images.dtype)
show_images(np.clip(aug_images[:8].numpy(), 0, 255).astype(np.uint8),
            [SYNTHETIC_CLASS_NAMES[i] for i in aug_labels[:8]], ncols=8, panel_size=1.6);

# %% [markdown]
# Look at these with care. A rotation or zoom resamples the image between pixels. That blurs the
# synthetic set's one-pixel stripes, which *are* its class. The exercise measures it. This is why
# the course's synthetic experiments train without augmentation.
#
# ## Summary
# * Augmentation shows the network a new version of each image every epoch.
# * Only label-preserving transformations are allowed, and "label-preserving" depends on the task.
# * In Keras 3, augmentation is a set of layers; at inference they are the identity.
# * Augment after the cache, so the decoding happens once and the draws change every epoch.
#
# ## Further reading
# * A. Zhang et al., *Dive into Deep Learning*, section 14.1, "Image Augmentation".
# * A. Géron, *Hands-On Machine Learning*, 3rd ed., chapter 14, "Data Augmentation".
# * Keras guide, "Working with preprocessing layers".
# * C. Shorten and T. Khoshgoftaar, "A survey on Image Data Augmentation for Deep Learning",
#   Journal of Big Data, 2019.
# * E. D. Cubuk et al., "RandAugment: Practical automated data augmentation with a reduced search
#   space", CVPR Workshops 2020.

# %% [markdown]
# ## Exercises
# 1. **Augmentations that change the label.** Which augmentations would keep the *class* of a
#    synthetic stripe image, which would change it, and which would erase it? Rotate a stripe
#    pattern by a quarter turn and by a small angle, and measure the stripes that are left.
#
# The cell ends with a check that says "✓ right" or what is off.

# %% tags=["exercise"]
# Exercise 1: your code here
from resizer_lib.course.exercise_checks import check_label_effects

quarter_turn = None  # a synthetic stripe pattern turned by 90 degrees
small_turn = None  # the same pattern rotated by a few degrees (keras.layers.RandomRotation)
effects = None  # {"horizontal flip" | "quarter turn" | "small rotation" | "brightness": "keeps" | "changes" | "erases"}
check_label_effects(effects);

# %% [markdown] tags=["solution"]
# ## Solutions

# %% tags=["solution"]
# 1. A quarter turn swaps rows and columns: "vertical" becomes "horizontal", a new label.
# `RandomRotation(0.05)` never gets near 90°. A small rotation resamples between pixels, which
# blurs a period-2 pattern away: it erases the class. Flips, crops without scaling, brightness
# and contrast keep it.
with_stripes, stripe_labels = make_synthetic(4, (64, 64), seed=5, amplitude=3)
without, _ = make_synthetic(4, (64, 64), seed=5, amplitude=0)
pattern = with_stripes.astype(np.float32) - without  # +-3 grey levels
vertical = pattern[stripe_labels == 0][0]  # one vertical-stripe pattern, (64, 64, 3)


def steps(p):
    """Mean |change| from a pixel to the next one down and to the next one across."""
    return float(np.abs(np.diff(p, axis=0)).mean()), float(np.abs(np.diff(p, axis=1)).mean())


rotate = keras.layers.RandomRotation((0.02, 0.02), fill_mode="reflect")  # exactly 7.2 degrees
quarter_turn = np.rot90(vertical)
small_turn = keras.ops.convert_to_numpy(rotate(vertical, training=True))
print("vertical stripes, change (down, across):", steps(vertical))
print("after a quarter turn:                  ", steps(quarter_turn))
print("after a 7.2 degree rotation:           ", tuple(round(v, 2) for v in steps(small_turn)))
assert steps(quarter_turn) == steps(vertical)[::-1]
down, across = steps(small_turn)
assert across - down < 0.5 * (steps(vertical)[1] - steps(vertical)[0])  # most evidence gone
effects = {"horizontal flip": "keeps", "quarter turn": "changes", "small rotation": "erases",
           "brightness": "keeps"}
assert check_label_effects(effects)

