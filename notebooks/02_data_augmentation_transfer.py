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
# # 02 · Data, augmentation and transfer learning
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/learning-to-resize/learning-to-resize/blob/v0.1.0/notebooks/02_data_augmentation_transfer.ipynb)
# · source: [`02_data_augmentation_transfer.py`](02_data_augmentation_transfer.py) (the `.ipynb` is generated from it with jupytext)
#
# A network only ever sees what the input pipeline hands it. This notebook follows images from
# files on disk to batches in memory, looks closely at the step this course is about (resizing),
# makes more training data out of the same images (augmentation), and borrows what another
# network already learned (transfer learning).
#
# **What you will learn here**
# * a `tf.data` pipeline from image files to batches, and what `cache` and `prefetch` buy you,
#   measured;
# * every way TensorFlow and Keras resize an image, side by side: the interpolations, antialiasing,
#   padding, cropping, crop-and-resize;
# * augmentation with Keras preprocessing layers (flip, crop, rotation, brightness, contrast,
#   hue), and why `ImageDataGenerator` is gone in Keras 3;
# * transfer learning written out by hand: a frozen pretrained base with a new head, then
#   fine-tuning at a lower learning rate (recompiled), next to the same network trained from
#   scratch; then the library's helper doing the same.

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
# ## 1. From files to batches with `tf.data`
# A `tf.data.Dataset` is a lazy stream of elements; each method returns a new dataset that
# transforms the stream. For images on disk the usual chain is
#
# ```
# (path, label) --shuffle--> --map: read, decode, resize--> --cache--> --batch--> --prefetch-->
# ```
#
# We need a folder of image files, one subfolder per class. On the course's machines that is a
# folder of real cat and dog photos next to the repository (shown in this notebook's output only:
# their licence forbids publishing them). Elsewhere we write synthetic images to a temporary
# folder as PNG files, which plays the same role.

# %%
import tempfile

import numpy as np

from resizer_lib.data.file_pipeline import list_image_files, write_image_folder
from resizer_lib.data.sample_images import shared_photos_dir
from resizer_lib.data.synthetic import SYNTHETIC_CLASS_NAMES, make_synthetic

n_files = max(32, PROFILE.num_train // 2)
photos_dir = shared_photos_dir("cats_vs_dogs")
if photos_dir is not None:
    paths, labels, class_names = list_image_files(photos_dir / "train", n_files // 2)
    print(f"{len(paths)} cat and dog photos from {photos_dir / 'train'}")
else:
    folder = tempfile.mkdtemp(prefix="resizer_course_")
    side = 2 * PROFILE.image_size[0]
    x, y = make_synthetic(n_files, (side, side), seed=0)
    write_image_folder(x, y, SYNTHETIC_CLASS_NAMES, folder)
    paths, labels, class_names = list_image_files(folder)
    print(f"no photo folder here: wrote {len(paths)} synthetic PNG files to {folder}")
assert len(paths) == len(labels) == n_files and len(class_names) == 2

# %% [markdown]
# The pipeline, written out. `from_tensor_slices` makes one element per (path, label) pair;
# shuffling the *paths* is cheap, so it comes first; `map` reads, decodes and resizes each file,
# `num_parallel_calls=AUTOTUNE` on several cores at once; `batch` stacks elements into
# $(B, H, W, 3)$ tensors; `prefetch` prepares the next batches while the current one is used.

# %%
import tensorflow as tf

size = PROFILE.image_size


def load(path, label):
    image = tf.io.decode_image(tf.io.read_file(path), channels=3, expand_animations=False)
    image = tf.image.resize(image, size, method="bilinear", antialias=True)
    image = tf.cast(tf.clip_by_value(tf.round(image), 0, 255), tf.uint8)
    return tf.ensure_shape(image, (*size, 3)), label


dataset = (
    tf.data.Dataset.from_tensor_slices((paths, labels))
    .shuffle(len(paths), seed=0)
    .map(load, num_parallel_calls=tf.data.AUTOTUNE)
    .batch(PROFILE.batch_size)
    .prefetch(tf.data.AUTOTUNE)
)
images, batch_labels = next(iter(dataset))
print("one batch:", images.shape, images.dtype, "labels", batch_labels.numpy()[:8])
assert images.shape == (PROFILE.batch_size, *size, 3) and images.dtype == tf.uint8
assert sum(int(b.shape[0]) for b, _ in dataset) == len(paths)

# %%
from resizer_lib.viz import show_images

show_images(images[:8].numpy(), [class_names[i] for i in batch_labels[:8]], ncols=8,
            panel_size=1.6);

# %% [markdown]
# `resizer_lib.data.file_pipeline.files_dataset` is the same chain with a switch for each ingredient
# (and a counter of decoded files). Without shuffling it must give exactly the batches of the
# chain above run in file order:

# %%
from resizer_lib.data.file_pipeline import DecodeCounter, files_dataset, time_epochs

in_order = (tf.data.Dataset.from_tensor_slices((paths, labels)).map(load)
            .batch(PROFILE.batch_size))
ours = files_dataset(paths, labels, size, PROFILE.batch_size)
for (a, la), (b, lb) in zip(in_order, ours, strict=True):
    np.testing.assert_array_equal(a.numpy(), b.numpy())
    np.testing.assert_array_equal(la.numpy(), lb.numpy())

# %% [markdown]
# ### Why `cache` and `prefetch` matter, measured
# We run three epochs of four variants, each batch followed by a 50 ms pause that stands in for a
# training step on an accelerator (the CPU is free meanwhile). A `DecodeCounter` counts how many
# files each variant decodes.
#
# * **one file at a time**: decode, then train, then decode...: the two costs add up;
# * **parallel decode**: `map(..., num_parallel_calls=AUTOTUNE)` uses every core;
# * **+ prefetch**: decoding the next batch overlaps with the current training step;
# * **+ cache**: decoded images are kept in memory after the first epoch, so later epochs decode
#   nothing. It needs the decoded set to fit in memory:
#   $N \cdot H \cdot W \cdot 3$ bytes, here tiny; for the 23,000 cats and dogs at 300 × 300 about
#   6 GB (`cache(filename)` caches to disk instead).

# %%
from resizer_lib.viz import show_table

variants = {
    "one file at a time": dict(parallel=False, prefetch=False),
    "parallel decode": dict(parallel=True, prefetch=False),
    "parallel + prefetch": dict(parallel=True, prefetch=True),
    "parallel + prefetch + cache": dict(parallel=True, prefetch=True, cache=True),
}
timings, rows = {}, []
for name, switches in variants.items():
    counter = DecodeCounter()
    ds = files_dataset(paths, labels, size, PROFILE.batch_size, shuffle_seed=0, counter=counter,
                       **switches)
    timings[name] = time_epochs(ds, epochs=3, step_seconds=0.05)
    rows.append({"variant": name, **{f"epoch {e + 1} (s)": t for e, t in enumerate(timings[name])},
                 "files decoded": counter.count})
    expected = len(paths) if switches.get("cache") else 3 * len(paths)
    assert counter.count == expected, (name, counter.count)
show_table(rows, floatfmt=".2f");

# %%
import matplotlib.pyplot as plt

fig, ax = plt.subplots(figsize=(7, 2.8))
for e in range(3):
    ax.barh(np.arange(len(timings)) + 0.25 * (e - 1), [t[e] for t in timings.values()],
            height=0.25, label=f"epoch {e + 1}")
ax.set_yticks(np.arange(len(timings)), labels=list(timings))
ax.invert_yaxis()
ax.set_xlabel("seconds per epoch")
ax.legend(fontsize=8)
fig.tight_layout();

# %% [markdown]
# The decode counts are exact; the times depend on the machine and on what else it runs, so read
# them as rough. The cached variant's later epochs cost about the pauses alone. (On a shared
# 2-core machine parallel decoding helps little; on a laptop with 8 cores it helps a lot.)
#
# `resizer_lib.data.load_dataset` builds this kind of pipeline for the course (decode in parallel,
# cache when it fits, shuffle after the cache, batch, prefetch), for folders, the synthetic set and
# TensorFlow Datasets alike.

# %% [markdown]
# ## 2. Resizing, every way
# Every image must be brought to the network's input size, and *how* is a design decision, the one
# this course is about. We use Chelsea the cat from scikit-image ($300 \times 451$).
#
# ### The interpolations
# `tf.image.resize` computes each output pixel as a weighted sum of input pixels around the point it
# maps to; the *kernel* decides the weights: `nearest` (copy the closest pixel), `bilinear` (a
# triangle, 2 × 2 pixels when upsampling), `bicubic` and `mitchellcubic` (cubic curves, 4 × 4),
# `lanczos3`/`lanczos5` (windowed sincs, 6 × 6 and 10 × 10), `gaussian`, and `area` (the average of
# the input area each output pixel covers). We shrink the cat 4 times:

# %%
from resizer_lib.data.sample_images import load_sample

cat = load_sample("chelsea")  # uint8 (300, 451, 3)
cat_f = cat.astype(np.float32)
methods = ["nearest", "bilinear", "area", "bicubic", "mitchellcubic", "gaussian", "lanczos3",
           "lanczos5"]
small = {m: tf.image.resize(cat_f, (75, 113), method=m).numpy() for m in methods}
assert all(v.shape == (75, 113, 3) for v in small.values())
show_images([cat] + [np.clip(v, 0, 255).astype(np.uint8) for v in small.values()],
            ["original 300 x 451"] + methods, ncols=3, panel_size=2.6);

# %% [markdown]
# Two of them are easy to pin down exactly. `nearest` only copies: every output value already
# exists in the input. `area` shrinking by exactly 2 averages each 2 × 2 block:

# %%
nearest = small["nearest"]
assert np.isin(nearest, cat_f).all()
half = tf.image.resize(cat_f[:300, :450], (150, 225), method="area").numpy()
blocks = cat_f[:300, :450].reshape(150, 2, 225, 2, 3).mean(axis=(1, 3))
np.testing.assert_allclose(half, blocks, atol=1e-3)
print("nearest copies pixels; 2x area = mean of 2x2 blocks")

# %% [markdown]
# ### Antialiasing
# Shrinking by a factor $f$ keeps one sample every $f$ pixels. Detail finer than $2f$ pixels cannot
# be represented and *aliases*: it comes back as a false, coarser pattern (moiré). With
# `antialias=True` the kernel is stretched by $f$ so it first blurs that detail away. The
# brick-wall texture below, shrunk 6 times, shows it; so does a pattern of stripes 3 pixels apart,
# which shrinking 4 times without antialiasing turns into bold fake stripes.

# %%
brick = load_sample("brick").astype(np.float32)  # (512, 512, 3), a grey texture
aliased = tf.image.resize(brick, (85, 85), antialias=False).numpy()
smooth = tf.image.resize(brick, (85, 85), antialias=True).numpy()

columns = np.arange(240)
stripes = np.tile((255.0 * (columns % 3 == 0))[None, :, None], (240, 1, 3))  # period 3
stripes_aliased = tf.image.resize(stripes, (60, 60), antialias=False).numpy()
stripes_smooth = tf.image.resize(stripes, (60, 60), antialias=True).numpy()
print(f"std of the shrunk stripes: antialias off {stripes_aliased.std():.1f}, "
      f"on {stripes_smooth.std():.1f} (grey levels)")
assert stripes_smooth.std() < 0.5 * stripes_aliased.std()
show_images([brick, aliased, smooth, stripes[:60, :60], stripes_aliased, stripes_smooth],
            ["brick 512 x 512", "85 x 85, antialias off", "85 x 85, antialias on",
             "stripes (crop)", "60 x 60, antialias off", "60 x 60, antialias on"],
            ncols=3, mode="minmax", panel_size=2.6);

# %% [markdown]
# ### Aspect ratio: stretch, pad, crop
# The cat photo is 3 : 4.5, most networks want a square. Five ways to get $128 \times 128$:
#
# * `tf.image.resize`: stretch (the cat gets thin);
# * `tf.image.resize_with_pad`: shrink to fit, then pad with black ("letterbox");
# * `tf.image.resize_with_crop_or_pad`: no scaling at all: cut the centre $128 \times 128$;
# * `tf.image.crop_and_resize`: cut a box (in coordinates from 0 to 1) and resize it: here the head;
# * `keras.layers.Resizing(crop_to_aspect_ratio=True)`: the largest centred square, then resize
#   (`pad_to_aspect_ratio=True` pads instead).

# %%
import keras

target = (128, 128)
head_box = [0.05, 0.25, 0.75, 0.75]  # (y1, x1, y2, x2) as fractions of the height and width
ways = {
    "resize (stretch)": tf.image.resize(cat_f, target),
    "resize_with_pad": tf.image.resize_with_pad(cat_f, *target),
    "resize_with_crop_or_pad": tf.image.resize_with_crop_or_pad(cat_f, *target),
    "crop_and_resize (head)": tf.image.crop_and_resize(cat_f[None], [head_box], [0], target)[0],
    "Resizing(crop_to_aspect_ratio)": keras.layers.Resizing(*target, crop_to_aspect_ratio=True)(
        cat_f),
    "Resizing(pad_to_aspect_ratio)": keras.layers.Resizing(*target, pad_to_aspect_ratio=True)(
        cat_f),
}
ways = {k: keras.ops.convert_to_numpy(v) for k, v in ways.items()}
assert all(v.shape == (*target, 3) for v in ways.values())
show_images([np.clip(v, 0, 255).astype(np.uint8) for v in ways.values()], list(ways), ncols=3,
            panel_size=2.6);

# %% [markdown]
# Each claim above, checked:

# %%
padded = ways["resize_with_pad"]
content_rows = np.flatnonzero(padded.max(axis=(1, 2)) > 0)
kept = content_rows[-1] - content_rows[0] + 1
print(f"resize_with_pad: {kept} rows of cat, {128 - kept} rows of black")
assert abs(kept - 300 * 128 / 451) <= 1 and padded[: content_rows[0]].max() == 0

top, left = (300 - 128) // 2, (451 - 128) // 2
np.testing.assert_array_equal(ways["resize_with_crop_or_pad"], cat_f[top:top + 128,
                                                                     left:left + 128])

# crop_and_resize samples box corners exactly: a box on the pixel grid gives back the pixels
y0, x0, y1, x1 = 40, 100, 139, 219
grid_box = [y0 / 299, x0 / 450, y1 / 299, x1 / 450]
exact = tf.image.crop_and_resize(cat_f[None], [grid_box], [0], (y1 - y0 + 1, x1 - x0 + 1))[0]
np.testing.assert_allclose(exact.numpy(), cat_f[y0:y1 + 1, x0:x1 + 1], atol=0.05)

square = cat_f[:, (451 - 300) // 2 : (451 - 300) // 2 + 300]  # the centred 300 x 300 square
np.testing.assert_allclose(ways["Resizing(crop_to_aspect_ratio)"],
                           tf.image.resize(square, target).numpy(), atol=0.05)
print("crop_or_pad = centre crop; crop_and_resize on the pixel grid = exact crop; "
      "Resizing(crop_to_aspect_ratio) = resize of the centred square")

# %% [markdown]
# ## 3. Augmentation with preprocessing layers
# A network trained on 2,000 photos sees each one dozens of times; augmentation shows it a
# slightly different version each time (mirrored, shifted, rotated, brighter, ...), so it cannot
# memorise pixels and has to learn what stays the same. Only transformations that keep the label
# are allowed: a mirrored cat is a cat, but a mirrored "b" is a "d".
#
# **Why not `ImageDataGenerator`?** Older tutorials use
# `keras.preprocessing.image.ImageDataGenerator`: a single-threaded NumPy/SciPy generator, tied to
# TensorFlow's Keras 2. Keras 3 runs on TensorFlow, JAX and PyTorch and dropped it. Its
# replacement is a set of *layers* (`RandomFlip`, `RandomRotation`, `RandomZoom`,
# `RandomTranslation`, `RandomBrightness`, `RandomContrast`, `RandomHue`, ...): they run inside the
# model (on the GPU, and only while training) or in a `tf.data` pipeline on any backend, and they
# can be seeded.
#
# One trap if you switch to JAX: Keras marks `RandomTranslation`, `RandomRotation` and
# `RandomZoom` as not safe to compile (`supports_jit=False`, a TensorFlow XLA concern), and a single
# such layer makes `compile()` run the *whole* model op by op. On a GPU that turned a DenseNet-121
# run from seconds per epoch into no finished epoch in seven minutes. `resizer_lib.models.augment` uses
# twins of those three (`RandomShift`, `RandomTurn`, `RandomZoomJit`) that draw the same
# transformations and compile on JAX.

# %%
print("keras.preprocessing.image now has:", [n for n in dir(keras.preprocessing.image)
                                             if not n.startswith("_")])
assert not hasattr(keras.preprocessing.image, "ImageDataGenerator")

# %% [markdown]
# `resizer_lib.models.augment.build_augmentation` assembles these layers for images in $0..255$. One
# effect at a time, five random draws each, on a $128 \times 128$ version of the cat:

# %%
from resizer_lib.models.augment import build_augmentation

cat_square = ways["Resizing(crop_to_aspect_ratio)"]  # float32 (128, 128, 3) in 0..255
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
    assert draws.shape == (5, *target, 3) and draws.dtype == np.float32
    assert draws.min() >= 0 and draws.max() <= 255.001
    panels += [cat_square] + list(draws)
    titles += [name] + [""] * 5
show_images([np.clip(p, 0, 255).astype(np.uint8) for p in panels], titles, ncols=6,
            panel_size=1.7);

# %% [markdown]
# Two properties that matter. At inference (`training=False`) every random layer is the identity,
# so evaluation sees the real images. And a horizontal flip either leaves an image alone or mirrors
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
# In a pipeline, `augment_dataset` maps the layers over batches after the cache, so every epoch
# draws new versions while the decoding is done only once:

# %%
from resizer_lib.models.augment import augment_dataset

augmented = augment_dataset(files_dataset(paths, labels, size, PROFILE.batch_size, cache=True),
                            everything)
aug_images, aug_labels = list(augmented)[0]  # one full epoch, so the cache gets filled
assert aug_images.shape == (PROFILE.batch_size, *size, 3) and aug_images.dtype == tf.float32
show_images(np.clip(aug_images[:8].numpy(), 0, 255).astype(np.uint8),
            [class_names[i] for i in aug_labels[:8]], ncols=8, panel_size=1.6);

# %% [markdown]
# ## 4. Transfer learning
# Early layers of a CNN trained on a large, varied data set learn generic detectors (edges,
# textures, simple shapes), useful for other tasks too. Transfer learning reuses them:
#
# 1. take a **pretrained base** (the network without its classification head);
# 2. **freeze** it and train a **new head** for your classes: few parameters, fast, hard to
#    overfit;
# 3. **unfreeze** (part of) the base and **fine-tune** everything at a **lower learning rate**, so
#    the pretrained features adapt gently instead of being wiped out by large early gradients.
#
# One Keras 3 trap: batch normalization (notebook 03 teaches it in full, §3 this trap). Its statistics come from the source data and must not be
# recomputed from small target batches. The classic advice, "call the base with `training=False`",
# no longer holds inside `fit` in Keras 3 (the training flag of `fit` wins; keras-team/keras
# #20285). What does hold: a `BatchNormalization` layer with `trainable = False` runs in inference
# mode. So fine-tuning makes the base trainable *except* its batch-norm layers.
#
# The usual starting point is a network pretrained on ImageNet (`weights="imagenet"`), which
# needs a download the first time.

# %%
from resizer_lib.course.transfer import imagenet_weights_available

WEIGHTS_FILE = "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_96_no_top.h5"
# cached, or the server answers within 2 s; the smoke profile (CI) always takes the offline path
ONLINE = PROFILE.name != "smoke" and imagenet_weights_available(WEIGHTS_FILE)
stage_epochs = max(1, PROFILE.epochs // 2)
n_target = max(16, PROFILE.num_train // 4)  # a small target training set: where transfer helps

# %% [markdown]
# Online, the base is MobileNetV2 with ImageNet weights at $96 \times 96$ (a size those weights
# come in) and the target is the course data. Offline, we build the pretrained base ourselves:
# `make_source_task` makes a four-class task of faint periodic patterns on synthetic backgrounds
# (vertical stripes, horizontal stripes, checkerboard, none) with a range of strengths, 16 times
# larger than our target training set; we pretrain the course's `small_cnn` trunk on it. The
# target is the synthetic set's vertical-or-horizontal question at its default amplitude (±24 grey
# levels, stronger than the source task's 3 to 12), with only `n_target` training images. The source task is related to the target but broader and easier
# to learn from, as ImageNet (which has cat and dog classes) is to cats vs dogs: so the frozen
# features mean something.

# %%
from resizer_lib.course.classify import fit_classifier
from resizer_lib.course.transfer import (
    SOURCE_CLASS_NAMES,
    classifier_on,
    feature_extractor,
    make_source_task,
)
from resizer_lib.data import load_dataset, resolve_source
from resizer_lib.viz import plot_history


def new_base(name, weights=None):
    """The backbone without its head: (B, h, w, 3) -> (B, F) features."""
    if ONLINE:
        return keras.applications.MobileNetV2(input_shape=(*input_size, 3), include_top=False,
                                              weights=weights, pooling="avg", name=name)
    return feature_extractor((*input_size, 3), name=name)


if ONLINE:
    input_size = (96, 96)
    try:
        pretrained = new_base("pretrained", "imagenet")
    except Exception as err:  # the probe got through, the download did not
        print(f"ImageNet weights could not be loaded ({type(err).__name__}); going offline.")
        ONLINE = False
if ONLINE:
    scratch = new_base("scratch")
    scale, offset = 1 / 127.5, -1.0  # MobileNetV2 expects pixels in [-1, 1]
    source = resolve_source()
else:
    print("Offline: ImageNet weights cannot be downloaded here, so we pretrain our own backbone "
          "on an offline source task instead.")
    input_size = PROFILE.target_size
    scale, offset = 1 / 255, 0.0
    source = "synthetic"
    source_train = make_source_task(16 * n_target, input_size, seed=1)
    source_val = make_source_task(PROFILE.num_val, input_size, seed=2)
    keras.utils.set_random_seed(0)
    pretrained, scratch = new_base("pretrained"), new_base("scratch")
    pretraining = fit_classifier(classifier_on(pretrained, len(SOURCE_CLASS_NAMES)),
                                 source_train, source_val, epochs=2 * stage_epochs,
                                 batch_size=PROFILE.batch_size)
    print(f"source task: {len(source_train[1])} images, validation accuracy "
          f"{pretraining['val_accuracy'][-1]:.1%} after {2 * stage_epochs} epoch(s)")
    assert np.bincount(source_train[1]).tolist() == [4 * n_target] * 4
    show_images(source_train[0][:8], [SOURCE_CLASS_NAMES[i] for i in source_train[1][:8]],
                ncols=8, panel_size=1.6)

target = load_dataset(source, image_size=input_size, backend="numpy", num_train=n_target,
                      num_val=PROFILE.num_val, limit={"train": n_target, "val": PROFILE.num_val})
print(target.describe())
assert target.counts["train"] == n_target

# %% [markdown]
# ### Freezing and fine-tuning, written out
# The two stages take a handful of Keras calls. We run them once by hand on a *copy* of the
# pretrained base (the original stays untouched for the library's run below):
#
# * `base.trainable = False` freezes every weight of the base, so only the new head learns;
# * `compile` comes **after** each change of `trainable`. Compiling fixes how the model trains,
#   with the `trainable` values of that moment, until the next `compile`; a change made after it
#   is not guaranteed to take effect (Keras' guide "Transfer learning & fine-tuning",
#   <https://keras.io/guides/transfer_learning/>, states this rule);
# * for fine-tuning, `base.trainable = True`, the batch-norm layers set back to
#   `trainable = False`, and a new `compile` with a 10 times lower learning rate.
#
# Why keep the batch norms frozen? In Keras 3 a `BatchNormalization` layer with
# `trainable = False` runs in *inference* mode, even inside `fit`: it normalises with the moving
# mean and variance it learned on the source task and no longer updates them, so small target
# batches cannot pull the statistics away from what the rest of the base was trained with
# (notebook 03 treats batch normalisation in full; exercise 4 shows what goes wrong otherwise).

# %%
from resizer_lib.course.transfer import count_params

hand_base = new_base("by_hand")
hand_base.set_weights(pretrained.get_weights())  # a copy of the pretrained base
keras.utils.set_random_seed(0)
hand = classifier_on(hand_base, target.num_classes, scale, offset, name="by_hand")
fit_args = dict(x=target.train[0], y=target.train[1], validation_data=target.val,
                batch_size=PROFILE.batch_size, verbose=0)


def compile_with(model, learning_rate):
    model.compile(optimizer=keras.optimizers.Adam(learning_rate),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])


# stage 1: the base frozen, a new head trained on top
hand_base.trainable = False
compile_with(hand, 1e-3)
head_only = count_params(hand)[0]  # trainable parameters: the head's Dense layer
stage_1 = hand.fit(epochs=stage_epochs, **fit_args).history

# stage 2: the base unfrozen, its batch norms kept frozen, recompiled at a lower learning rate
hand_base.trainable = True
hand_bns = [lay for lay in hand_base.layers if isinstance(lay, keras.layers.BatchNormalization)]
for lay in hand_bns:
    lay.trainable = False
compile_with(hand, 1e-4)
everything_but_bn = count_params(hand)[0]
bn_stats = [keras.ops.convert_to_numpy(w).copy() for lay in hand_bns for w in lay.weights]
stage_2 = hand.fit(epochs=stage_epochs, **fit_args).history

print(f"trainable parameters: stage 1 {head_only:,} (the head), stage 2 {everything_but_bn:,}")
print(f"validation accuracy: frozen {stage_1['val_accuracy'][-1]:.1%}, "
      f"fine-tuned {stage_2['val_accuracy'][-1]:.1%}")
features = hand_base.output.shape[-1]
assert head_only == features * target.num_classes + target.num_classes  # F x C weights + C biases
assert everything_but_bn > head_only
assert all(np.array_equal(keras.ops.convert_to_numpy(w), before)  # frozen BN: statistics kept
           for w, before in zip([w for lay in hand_bns for w in lay.weights], bn_stats, strict=True))

# %% [markdown]
# ### The same with the library
# `resizer_lib.course.transfer` names these steps: `freeze(base)`, `unfreeze(base)` (batch norms
# left frozen) and `fit_stage` (compile, then fit), and `transfer_study` runs both stages and,
# for comparison, trains the same architecture from random weights for as many epochs in total.
# Its first two rows are the two stages above, run on the original pretrained base.

# %%
from resizer_lib.course.transfer import batchnorm_layers, stage_table, transfer_study


def snapshot(variables):
    return [keras.ops.convert_to_numpy(v).copy() for v in variables]


batchnorms = batchnorm_layers(pretrained)
stats_before = snapshot(w for lay in batchnorms for w in lay.weights)  # scale, shift, mean, var
kernels_before = snapshot(w for w in pretrained.weights if "kernel" in w.path)

result = transfer_study(pretrained, scratch, target.train, target.val, target.num_classes,
                        frozen_epochs=stage_epochs, finetune_epochs=stage_epochs,
                        learning_rate=1e-3, finetune_learning_rate=1e-4,
                        batch_size=PROFILE.batch_size, scale=scale, offset=offset)
show_table(stage_table(result));

# %% [markdown]
# Checks: the library's stages train exactly the parameters ours did (the frozen stage only the
# head's $F \times C + C$ weights for $F$ features and $C$ classes); fine-tuning changed the
# base's convolution kernels but left every batch-norm statistic as the source task set it.

# %%
head = features * target.num_classes + target.num_classes
assert result.rows[0]["trainable params"] == head == head_only
assert result.rows[1]["trainable params"] == everything_but_bn > head
stats_after = snapshot(w for lay in batchnorms for w in lay.weights)
assert all(np.array_equal(a, b) for a, b in zip(stats_before, stats_after, strict=True))
kernels_after = snapshot(w for w in pretrained.weights if "kernel" in w.path)
assert any(not np.array_equal(a, b) for a, b in zip(kernels_before, kernels_after, strict=True))
assert all(0.0 <= row["val accuracy"] <= 1.0 for row in result.rows)
print(f"{len(batchnorms)} batch-norm layers untouched; head: {head} trainable weights")

# %%
frozen_h, tuned_h = result.histories["frozen base + new head"], result.histories["fine-tuned"]
transferred = {k: frozen_h[k] + tuned_h[k] for k in frozen_h}
fig = plot_history({"pretrained base": transferred,
                    "from scratch": result.histories["from scratch"]})
for ax in fig.axes:
    ax.axvline(stage_epochs + 0.5, color="grey", linestyle=":")  # unfrozen from here

# %% [markdown]
# What to look for, and what the `quick` profile offline gives (96 target images, two epochs per
# stage; the cell below checks it there): the frozen base with a new head is well above 90%
# validation accuracy after its *first* epoch, while the same network from scratch is still at
# chance after its first epoch. On this target it catches up by its second epoch (at ±24 grey
# levels the stripes are not hard to find), but it stays far less sure of its answers: its
# validation loss ends many times higher. The pretrained detectors make the target easy to
# *read* from the start. (With `smoke`, one epoch per stage on 16 images, the numbers mean
# nothing; with ImageNet weights online the setting differs, so the cell checks nothing there.)

# %%
first_epoch = {stage: h["val_accuracy"][0] for stage, h in result.histories.items()}
final_loss = {"pretrained base": tuned_h["val_loss"][-1],
              "from scratch": result.histories["from scratch"]["val_loss"][-1]}
print("validation accuracy after the first epoch:",
      {k: f"{v:.1%}" for k, v in first_epoch.items()})
print("final validation loss:", {k: round(v, 3) for k, v in final_loss.items()})
if PROFILE.name == "quick" and not ONLINE:  # the setting the paragraph above describes
    assert first_epoch["frozen base + new head"] > 0.9
    assert first_epoch["from scratch"] < 0.7
    assert final_loss["from scratch"] > 5 * final_loss["pretrained base"]

# %% [markdown]
# The confusion matrix of the fine-tuned model:

# %%
from resizer_lib.course.classify import confusion_matrix, plot_confusion_matrix, predict_classes

tuned = result.models["fine-tuned"]
cm = confusion_matrix(target.val[1], predict_classes(tuned, target.val[0]), target.num_classes)
assert cm.sum() == len(target.val[1])
plot_confusion_matrix(cm, target.class_names);

# %% [markdown]
# ## Exercises
# 1. **Cache in the wrong place.** Build the pipeline of section 1 with `.cache()` *before* the
#    `map` that decodes. Count the decoded files over three epochs. Why does this cache not help?
# 2. **Which interpolation keeps the stripes?** The synthetic set's class is a period-2 stripe
#    pattern. Halve a few synthetic images with each method of `tf.image.resize` and measure how
#    much of the pattern is left (hint: subtract the same images made with `amplitude=0`).
# 3. **Augmentations that change the label.** Which of the augmentations of section 3 would
#    change the *class* of a synthetic image, and which would erase it? Check rotation: rotate
#    synthetic images by a quarter turn and by a small angle and measure the stripes as in 2.
# 4. **Batch norm during fine-tuning.** Unfreeze a copy of the pretrained base with
#    `unfreeze(base, keep_batchnorm_frozen=False)`, make one training step (a call with
#    `training=True`, as `fit` does) and check whether the batch-norm statistics moved.
#
# The cells of exercises 1 and 4 end with a check that says "✓ right" or what is off, without
# giving the answer away.

# %% tags=["exercise"]
# Exercise 1: your code here
from resizer_lib.course.exercise_checks import check_decode_count

wrong = None  # the pipeline of section 1 with .cache() before the map that decodes
decoded = None  # files decoded over three epochs of `wrong` (a DecodeCounter counts them)
check_decode_count(decoded, num_files=len(paths), epochs=3);

# %% tags=["exercise"]
# Exercise 2: your code here
stripes_left = None  # {method: how much of the stripe pattern survives halving}

# %% tags=["exercise"]
# Exercise 3: your code here
quarter_turn = None  # a synthetic stripe pattern turned by 90 degrees
small_turn = None  # the same pattern rotated by a few degrees (keras.layers.RandomRotation)

# %% tags=["exercise"]
# Exercise 4: your code here
from resizer_lib.course.exercise_checks import check_moved_statistics

moved = None  # how many batch-norm running statistics one training-mode call changed
check_moved_statistics(moved, pretrained);  # counts the statistics on the pretrained base

# %% [markdown] tags=["solution"]
# ## Solutions
#
# One cell per exercise; open a cell to read it, but try first.

# %% tags=["solution"] jupyter={"source_hidden": true}
# 1. The cache stores the (path, label) pairs, not the decoded images: every epoch still
# decodes every file.
counter = DecodeCounter()


def counted_load(path, label):
    data = tf.numpy_function(counter.tick, [tf.io.read_file(path)], tf.string, stateful=True)
    image = tf.io.decode_image(data, channels=3, expand_animations=False)
    return tf.image.resize(image, size), label


wrong = tf.data.Dataset.from_tensor_slices((paths, labels)).cache().map(counted_load).batch(16)
time_epochs(wrong, epochs=3)
decoded = counter.count
print("decoded", decoded, "files for", len(paths), "images")
assert decoded == 3 * len(paths)

# %% tags=["solution"] jupyter={"source_hidden": true}
# 2. None does. Halving maps each output pixel to the centre of a 2 × 2 block, and every
# symmetric kernel weighs the two pixels of opposite sign equally, so a period-2 pattern cancels
# (`nearest` keeps one pixel of each pair: a constant shift that no longer says "vertical" or
# "horizontal"; the long Lanczos kernels leave a trace at the image borders, where they are cut
# off). This is the detail the learnable resizer of notebook 05 is designed to rescue.
with_stripes, _ = make_synthetic(4, (64, 64), seed=5, amplitude=3)
without, _ = make_synthetic(4, (64, 64), seed=5, amplitude=0)
rows = []
for m in methods:
    left = (tf.image.resize(with_stripes.astype(np.float32), (32, 32), method=m)
            - tf.image.resize(without.astype(np.float32), (32, 32), method=m)).numpy()
    # what remains of the pattern: pixel-to-pixel changes of the difference image
    wiggle = np.abs(np.diff(left, axis=1)).mean() + np.abs(np.diff(left, axis=2)).mean()
    rows.append({"method": m, "stripe contrast left": wiggle})
pattern = with_stripes.astype(np.float32) - without  # +-3 grey levels
contrast = np.abs(np.diff(pattern, axis=1)).mean() + np.abs(np.diff(pattern, axis=2)).mean()
print(f"stripe contrast before resizing: {contrast:.2f}")
assert contrast == 6.0
show_table(rows, floatfmt=".3f")
stripes_left = {r["method"]: r["stripe contrast left"] for r in rows}
assert all(v < 0.02 * 6.0 for v in stripes_left.values())  # 6.0 before resizing

# %% tags=["solution"] jupyter={"source_hidden": true}
# 3. A quarter turn swaps rows and columns, so it turns "vertical" into "horizontal": it
# changes the label (`RandomRotation(0.05)` never gets near 90°). A small rotation resamples the
# image between pixels, which blurs a period-2 pattern away: it erases the class. Flips, crops
# without scaling, brightness and contrast keep it; this is why `build_augmentation` is off for
# the synthetic experiments.
stripe_labels = make_synthetic(4, (64, 64), seed=5, amplitude=3)[1]
vertical = pattern[stripe_labels == 0][0]  # one vertical-stripe pattern, (64, 64, 3), +-3


def steps(p):
    """Mean |change| from a pixel to the next one down and to the next one across."""
    return float(np.abs(np.diff(p, axis=0)).mean()), float(np.abs(np.diff(p, axis=1)).mean())


rotate = keras.layers.RandomRotation((0.02, 0.02), fill_mode="reflect")  # exactly 7.2 degrees
quarter_turn = np.rot90(vertical)
small_turn = keras.ops.convert_to_numpy(rotate(vertical, training=True))
print("vertical stripes, change (down, across):", steps(vertical))
print("after a quarter turn:                  ", steps(quarter_turn))
print("after a 7.2 degree rotation:           ", tuple(round(v, 2) for v in steps(small_turn)))
assert steps(vertical) == (0.0, 6.0) and steps(quarter_turn) == (6.0, 0.0)
down, across = steps(small_turn)
assert across - down < 0.5 * 6.0  # most of the vertical-vs-horizontal evidence is gone

# %% tags=["solution"] jupyter={"source_hidden": true}
# 4. Without frozen batch norms, every training step normalises with the statistics of the
# current small target batch and moves the running averages towards them: the features the head
# was trained on drift. One training-mode call, which is what `fit` makes at each step, shows it.
from resizer_lib.course.transfer import unfreeze

copy_base = new_base("copy")
copy_base.set_weights(pretrained.get_weights())
unfreeze(copy_base, keep_batchnorm_frozen=False)
copy_bn = batchnorm_layers(copy_base)
before = snapshot(w for lay in copy_bn for w in lay.non_trainable_weights)  # running mean, var
batch = target.train[0][: PROFILE.batch_size].astype(np.float32) * scale + offset
copy_base(batch, training=True)
after = snapshot(w for lay in copy_bn for w in lay.non_trainable_weights)
moved = sum(not np.array_equal(a, b) for a, b in zip(before, after, strict=True))
print(f"{moved} of {len(before)} running statistics changed after one training step")
assert moved == len(before)
unfreeze(copy_base)  # the fix: batch norms frozen again
frozen_before = snapshot(w for lay in copy_bn for w in lay.weights)
copy_base(batch, training=True)
frozen_after = snapshot(w for lay in copy_bn for w in lay.weights)
assert all(np.array_equal(a, b) for a, b in zip(frozen_before, frozen_after, strict=True))
