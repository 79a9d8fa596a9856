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
# # 04 · Input pipelines, and every way to resize
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/learning-to-resize/learning-to-resize/blob/v0.1.0/notebooks/04_pipelines_and_resizing.ipynb)
# · source: [`04_pipelines_and_resizing.py`](04_pipelines_and_resizing.py) (the `.ipynb` is generated from it with jupytext)
#
# A network only sees what the input pipeline hands it. This lesson follows images from files on
# disk to batches in memory. Then it looks closely at the step this course is about: resizing.
#
# **What you will learn here**
# * a `tf.data` pipeline from image files to batches;
# * what `cache` and `prefetch` buy you, measured;
# * every way TensorFlow and Keras resize an image: the interpolations, antialiasing, padding,
#   cropping, crop-and-resize;
# * which of them keep a one-pixel stripe pattern, and which erase it.

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
# A `tf.data.Dataset` is a lazy stream of elements. Each method returns a new dataset that
# transforms the stream. For images on disk the usual chain is
#
# ```
# (path, label) --shuffle--> --map: read, decode, resize--> --cache--> --batch--> --prefetch-->
# ```
#
# We need a folder of image files, one subfolder per class. Where a folder of cat and dog photos
# sits beside the repository, we use it. Elsewhere we write synthetic images to a temporary
# folder as PNG files, which plays the same role.

# %%
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image

from resizer_lib.data.sample_images import shared_photos_dir
from resizer_lib.data.synthetic import SYNTHETIC_CLASS_NAMES, make_synthetic


def list_image_files(root, per_class=None):
    """root/<class>/<file> -> (paths, int32 labels, class names), sorted."""
    class_names = sorted(p.name for p in Path(root).iterdir() if p.is_dir())
    paths, labels = [], []
    for label, name in enumerate(class_names):
        files = sorted(str(p) for p in (Path(root) / name).iterdir()
                       if p.suffix.lower() in (".jpg", ".jpeg", ".png"))[:per_class]
        paths += files
        labels += [label] * len(files)
    return paths, np.array(labels, dtype=np.int32), class_names


n_files = max(32, PROFILE.num_train // 2)
photos_dir = shared_photos_dir("cats_vs_dogs")
if photos_dir is not None:
    paths, labels, class_names = list_image_files(photos_dir / "train", n_files // 2)
    print(f"{len(paths)} cat and dog photos from {photos_dir / 'train'}")
else:
    folder = Path(tempfile.mkdtemp(prefix="resizer_course_"))
    side = 2 * PROFILE.image_size[0]
    x, y = make_synthetic(n_files, (side, side), seed=0)
    for i, (image, label) in enumerate(zip(x, y, strict=True)):
        (folder / SYNTHETIC_CLASS_NAMES[label]).mkdir(exist_ok=True)
        Image.fromarray(image).save(folder / SYNTHETIC_CLASS_NAMES[label] / f"{i:05d}.png")
    paths, labels, class_names = list_image_files(folder)
    print(f"no photo folder here: wrote {len(paths)} synthetic PNG files to {folder}")
assert len(paths) == len(labels) == n_files and len(class_names) == 2

# %% [markdown]
# The pipeline, written out:
# * `from_tensor_slices` makes one element per (path, label) pair;
# * shuffling the *paths* is cheap, so it comes first;
# * `map` reads, decodes and resizes each file, on several cores (`num_parallel_calls`);
# * `batch` stacks elements into $(B, H, W, 3)$ tensors;
# * `prefetch` prepares the next batches while the current one is used.

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
# To measure what each ingredient buys, we make the chain switchable. A `DecodeCounter` counts
# the files it decodes (`map` runs in several threads, hence the lock). `time_epochs` pauses after
# each batch, a stand-in for a training step.

# %%
import threading
import time


class DecodeCounter:
    def __init__(self):
        self.count, self.lock = 0, threading.Lock()

    def tick(self, value):
        with self.lock:
            self.count += 1
        return value


def files_dataset(counter, parallel=True, prefetch=True, cache=False):
    def counted_load(path, label):
        path = tf.numpy_function(counter.tick, [path], tf.string, stateful=True)
        return load(tf.ensure_shape(path, ()), label)

    ds = tf.data.Dataset.from_tensor_slices((paths, labels)).shuffle(len(paths), seed=0)
    ds = ds.map(counted_load, num_parallel_calls=tf.data.AUTOTUNE if parallel else None)
    ds = (ds.cache() if cache else ds).batch(PROFILE.batch_size)
    return ds.prefetch(tf.data.AUTOTUNE) if prefetch else ds


def time_epochs(dataset, epochs=3, step_seconds=0.05):
    times = []
    for _ in range(epochs):
        start = time.perf_counter()
        for _batch in dataset:
            time.sleep(step_seconds)
        times.append(time.perf_counter() - start)
    return times


# %% [markdown]
# ### Why `cache` and `prefetch` matter, measured
# We run three epochs of four variants. Each batch is followed by a 50 ms pause. It stands in for
# a training step on an accelerator, while the CPU is free. A `DecodeCounter` counts the files
# each variant decodes.
#
# * **one file at a time**: decode, then train, then decode: the two costs add up;
# * **parallel decode**: `map(..., num_parallel_calls=AUTOTUNE)` uses every core;
# * **+ prefetch**: decoding the next batch overlaps with the current training step;
# * **+ cache**: decoded images stay in memory after the first epoch. Later epochs decode
#   nothing. The decoded set must fit: $N \cdot H \cdot W \cdot 3$ bytes. For 23,000 photos at
#   300 × 300 that is about 6 GB; `cache(filename)` caches to disk instead.

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
    timings[name] = time_epochs(files_dataset(counter, **switches))
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
# The decode counts are exact. The times depend on the machine and its load: read them as rough.
# The cached variant's later epochs cost about the pauses alone. On 2 shared cores parallel
# decoding helps little; on 8 cores it helps a lot.
#
# The course's `load_dataset` builds this kind of pipeline for folders, the synthetic set and
# TensorFlow Datasets alike.

# %% [markdown]
# ## 2. Resizing, every way
# Every image must be brought to the network's input size. *How* is a design decision, the one
# this course is about. We use Chelsea the cat from scikit-image ($300 \times 451$).
#
# ### The interpolations
# `tf.image.resize` computes each output pixel as a weighted sum of input pixels near the point
# it maps to. The *kernel* decides the weights:
# * `nearest` copies the closest pixel;
# * `bilinear` uses a triangle, 2 × 2 pixels when upsampling;
# * `bicubic` and `mitchellcubic` use cubic curves, 4 × 4;
# * `lanczos3` and `lanczos5` use windowed sincs, 6 × 6 and 10 × 10;
# * `gaussian` uses a Gaussian; `area` averages the input area each output pixel covers.
#
# We shrink the cat 4 times:

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
# Two of them are easy to pin down. `nearest` only copies: every output value exists in the
# input. `area`, shrinking by exactly 2, averages each 2 × 2 block:

# %%
nearest = small["nearest"]
assert np.isin(nearest, cat_f).all()
half = tf.image.resize(cat_f[:300, :450], (150, 225), method="area").numpy()
blocks = cat_f[:300, :450].reshape(150, 2, 225, 2, 3).mean(axis=(1, 3))
np.testing.assert_allclose(half, blocks, atol=1e-3)
print("nearest copies pixels; 2x area = mean of 2x2 blocks")

# %% [markdown]
# ### Antialiasing
# Shrinking by a factor $f$ keeps one sample every $f$ pixels. Detail finer than $2f$ pixels
# cannot be represented. It *aliases*: it comes back as a false, coarser pattern (moiré). With
# `antialias=True` the kernel is stretched by $f$, so it first blurs that detail away. The brick
# wall below, shrunk 6 times, shows it. So do stripes 3 pixels apart, shrunk 4 times. Lesson 08
# explains why.

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
show_images([brick, aliased, smooth, stripes[:60, :60], stripes_aliased, stripes_smooth],
            ["brick 512 x 512", "85 x 85, antialias off", "85 x 85, antialias on",
             "stripes (crop)", "60 x 60, antialias off", "60 x 60, antialias on"],
            ncols=3, mode="minmax", panel_size=2.6);

# %% [markdown]
# ### Aspect ratio: stretch, pad, crop
# The cat photo is 3 : 4.5; most networks want a square. Five ways to get $128 \times 128$:
#
# * `tf.image.resize`: stretch (the cat gets thin);
# * `tf.image.resize_with_pad`: shrink to fit, then pad with black ("letterbox");
# * `tf.image.resize_with_crop_or_pad`: no scaling at all, cut the centre $128 \times 128$;
# * `tf.image.crop_and_resize`: cut a box (coordinates from 0 to 1) and resize it, here the head;
# * `keras.layers.Resizing(crop_to_aspect_ratio=True)`: the largest centred square, then resize.
#   `pad_to_aspect_ratio=True` pads instead.

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
# Each claim above, checked on the images we just made:

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
# ## Summary
# * A `tf.data` pipeline shuffles paths, decodes in parallel, caches, batches and prefetches.
# * Cache *after* the decode, and only what fits in memory.
# * Each interpolation is a kernel: a weighted sum of nearby pixels.
# * Shrinking without antialiasing turns fine detail into false patterns.
# * Stretching, padding and cropping trade shape, borders and content against each other.
#
# ## Further reading
# * TensorFlow guide, "tf.data: Build TensorFlow input pipelines", and "Better performance with
#   the tf.data API".
# * A. Géron, *Hands-On Machine Learning*, 3rd ed., chapter 13, "Loading and Preprocessing Data
#   with TensorFlow".
# * H. Talebi and P. Milanfar, "Learning to Resize Images for Computer Vision Tasks", ICCV 2021,
#   section 1 on why the resize matters.
# * G. Parmar, R. Zhang and J.-Y. Zhu, "On Aliased Resizing and Surprising Subtleties in GAN
#   Evaluation", CVPR 2022.

# %% [markdown]
# ## Exercises
# 1. **Cache in the wrong place.** Build the pipeline of section 1 with `.cache()` *before* the
#    `map` that decodes. Count the decoded files over three epochs. Why does this cache not help?
# 2. **Which interpolation keeps the stripes?** The synthetic set's class is a period-2 stripe
#    pattern. Halve a few synthetic images with each method of `tf.image.resize`. Measure how much
#    of the pattern is left. Hint: subtract the same images made with `amplitude=0`.
#
# The cell of exercise 1 ends with a check that says "✓ right" or what is off.

# %% tags=["exercise"]
# Exercise 1: your code here
from resizer_lib.course.exercise_checks import check_decode_count

wrong = None  # the pipeline of section 1 with .cache() before the map that decodes
decoded = None  # files decoded over three epochs of `wrong` (a DecodeCounter counts them)
check_decode_count(decoded, num_files=len(paths), epochs=3);

# %% tags=["exercise"]
# Exercise 2: your code here
stripes_left = None  # {method: how much of the stripe pattern survives halving}

# %% [markdown] tags=["solution"]
# ## Solutions

# %% tags=["solution"]
# 1. The cache stores the (path, label) pairs, not the decoded images: every epoch still
# decodes every file.
counter = DecodeCounter()


def counted_load(path, label):
    data = tf.numpy_function(counter.tick, [tf.io.read_file(path)], tf.string, stateful=True)
    image = tf.io.decode_image(data, channels=3, expand_animations=False)
    return tf.image.resize(image, size), label


wrong = tf.data.Dataset.from_tensor_slices((paths, labels)).cache().map(counted_load).batch(16)
time_epochs(wrong, step_seconds=0)
decoded = counter.count
print("decoded", decoded, "files for", len(paths), "images")
assert check_decode_count(decoded, num_files=len(paths), epochs=3)

# %% tags=["solution"]
# 2. None does. Halving maps each output pixel to the centre of a 2 × 2 block, and every
# symmetric kernel weighs the two pixels of opposite sign equally, so a period-2 pattern cancels
# (`nearest` keeps one pixel of each pair: a constant shift that no longer says "vertical" or
# "horizontal"; the long Lanczos kernels leave a trace at the image borders, where they are cut
# off). This is the detail the learnable resizer of lesson 09 is designed to rescue.
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

