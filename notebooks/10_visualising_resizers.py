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
# # 10 · What the resizer does to images
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/learning-to-resize/learning-to-resize/blob/v0.1.0/notebooks/10_visualising_resizers.ipynb)
# · source: [`10_visualising_resizers.py`](10_visualising_resizers.py) (the `.ipynb` is generated from it with jupytext)
#
# Notebook 08 measured *whether* the learnable resizer helps a classifier. This one looks at
# *what* it does to the pictures: the trained resizer's output next to the naive resize, the
# difference between them, which spatial frequencies it boosts or keeps, and how its colour
# channels drift. It ends with an interactive explorer for comparing interpolations,
# antialiasing and the learned resizer on any image.
#
# **What you will learn here**
# * how to take the trained resizer out of a classifier (or load one from a `.keras` file);
# * how to read side-by-side outputs, signed difference maps and magnitude spectra;
# * why, on the course's synthetic set, the naive resize *cannot* separate the classes and what
#   the learned resizer does instead;
# * how to use the resize explorer (ipywidgets), and its static fallback.

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
# ## 1 · A trained resizer
#
# If the environment variable `RESIZER_MODEL` names a saved `.keras` file (a classifier with a
# learned resizer, or a resizer alone), we use it. Otherwise we train a small one here, sized by
# the profile: the learned arm of lesson 11 on the offline **synthetic set**.
#
# In that set a class is only a faint period-2 stripe pattern of $\pm a$ grey levels, vertical
# for class 0 and horizontal for class 1. An exact $2\times$ bilinear reduction averages each
# $2 \times 2$ block, which erases such a pattern *exactly*. A classifier behind a bilinear resize
# is therefore at chance; one behind the learnable resizer *can* read the stripes at full
# resolution. Whether a short run finds them is another matter. The accuracy printed below tells
# you which case you are looking at: near 50%, the figures show what training did *without*
# finding the class signal; clearly above, they show how the resizer carries it.
#
# `extract_resizer` copies the trained resizer into a standalone model that takes images in
# $[0, 1]$, as every figure below expects (the classifier itself takes $0..255$ and rescales).

# %%
import os
import tempfile
from pathlib import Path

import keras
import numpy as np

from resizer_lib.course.extract import extract_resizer, resizer_from_env
from resizer_lib.training import ExperimentConfig, load_experiment_data, train_run

resizer = resizer_from_env()  # $RESIZER_MODEL, or None when it is not set
classifier = None
if resizer is not None:
    print(f"resizer loaded from $RESIZER_MODEL={os.environ['RESIZER_MODEL']}")
else:
    small = PROFILE.backbone if PROFILE.backbone in ("tiny_cnn", "small_cnn") else "small_cnn"
    config = ExperimentConfig(
        name="notebook07", backbone=small, data="synthetic", arms=("learned",), seeds=(0,),
        image_size=PROFILE.image_size, target_size=PROFILE.target_size, epochs=PROFILE.epochs,
        batch_size=PROFILE.batch_size, num_train=PROFILE.num_train, num_val=PROFILE.num_val,
    )
    data = load_experiment_data(config)
    with tempfile.TemporaryDirectory() as run_dir:  # training logs; nothing stays in the repo
        run = train_run(config, "learned", seed=0, data=data, run_dir=Path(run_dir))
    classifier = run["model"]
    resizer = extract_resizer(classifier)
    accuracy = run["final"]["val_accuracy"]
    print(f"trained {small} + learnable resizer: {config.epochs} epoch(s) on "
          f"{len(data['y_train'])} synthetic images, validation accuracy {accuracy:.1%} "
          f"(chance: 50%; {'above chance' if accuracy >= 0.6 else 'the class signal is not found yet'})")

# %%
from resizer_lib.models.resizer import resizer_param_count
from resizer_lib.viz import model_target_size

layer = resizer.get_layer("resizer")
TARGET = model_target_size(resizer)
INPUT = resizer.input_shape[1:3] if None not in resizer.input_shape[1:3] else PROFILE.image_size
EXACT_2X = tuple(INPUT) == (2 * TARGET[0], 2 * TARGET[1])
print(f"resizer: {INPUT[0]}x{INPUT[1]} -> {TARGET[0]}x{TARGET[1]}, "
      f"{resizer.count_params():,} parameters")
assert resizer.output_shape[-1] == 3
assert resizer.count_params() == resizer_param_count(3, layer.filters, layer.num_res_blocks)
if classifier is not None:  # the copy computes exactly what the classifier's resizer computes
    batch = data["x_val"][:4].astype("float32")  # 0..255, as the classifier takes them
    inside = keras.Model(classifier.input, classifier.get_layer("resizer").output)
    gap = np.abs(np.asarray(inside(batch, training=False))
                 - np.asarray(resizer(batch / 255.0, training=False)))
    assert gap.max() < 1e-4, gap.max()

# %% [markdown]
# ## 2 · Outputs next to the naive resize and the input
#
# We take validation images of the synthetic set (the same ones the classifier was evaluated on)
# and pass them through both: the bilinear resize and the trained resizer. Each row of
# `plot_comparison` shows the input, the naive resize, the resizer's output, the signed difference *learned − naive* averaged over
# the colour channels (red: the resizer is brighter, blue: darker, on a symmetric scale) and the
# magnitude spectrum of the resizer's output.
#
# The resizer's output is not an image in $[0, 1]$. It is the bilinear resize plus a learned
# residual, and nothing bounds that residual: the last layers are a convolution and a sum, with
# no squashing activation. The loss only asks the classifier to be right, so training is free to
# shift and scale the colours. Clipped, it can saturate to an almost uniform square. So we show it as
# lesson 09 taught: each channel's 1st..99th percentiles stretched to $[0, 1]$.

# %%
from resizer_lib.data.synthetic import (
    DEFAULT_AMPLITUDE,
    SYNTHETIC_CLASS_NAMES,
    make_synthetic,
    synthetic_image,
)
from resizer_lib.viz import compare_resizers, plot_comparison, resize_image

n_val = min(PROFILE.num_val, 64)
x_val, y_val = make_synthetic(n_val, INPUT, seed=0, offset=1_000_000_000)  # the validation split
print(f"{n_val} validation images, stripes of +-{DEFAULT_AMPLITUDE} grey levels")
images = x_val.astype("float32") / 255.0
naive = resize_image(images, TARGET, "bilinear")
learned = np.asarray(resizer(images, training=False))
assert images.shape == (n_val, *INPUT, 3) and naive.shape == learned.shape == (n_val, *TARGET, 3)

def stretch(image, low=1.0, high=99.0):
    """Each channel's percentiles `low`..`high` stretched to [0, 1], then clipped."""
    lo, hi = np.percentile(image, (low, high), axis=(0, 1), keepdims=True)
    return np.clip((image - lo) / np.maximum(hi - lo, 1e-6), 0.0, 1.0)


print("resizer output range per channel:", [f"[{c.min():.2f}, {c.max():.2f}]" for c in learned.transpose(3, 0, 1, 2)])
for k, name in enumerate(SYNTHETIC_CLASS_NAMES):
    index = int(np.flatnonzero(y_val == k)[0])
    result = compare_resizers(x_val[index], None, resizer_model=resizer)
    fig = plot_comparison({**result, "learned": stretch(result["learned"])}, figsize=(13, 2.9))
    fig.suptitle(f"validation image {index}: class {name!r}", fontsize=10)
    assert np.allclose(result["learned"], learned[index], atol=1e-5)

# %% [markdown]
# The stripes are faint next to the picture itself, yet they are the only thing that tells the
# classes apart. The cleanest way to see what the resizer does with them is to hold the picture
# fixed and change only the class. `synthetic_image(i, size, label=k)`
# draws picture `i` with the stripes of class `k`: the background, shapes and noise are the same
# for both classes. Below: the difference between the two versions, at the input, after the naive
# resize, and after the resizer, averaged over the colour channels. White is zero, red positive,
# blue negative; each panel has its own symmetric scale, and its title gives the largest value in
# grey levels of 255.

# %%
from resizer_lib.viz import show_images

pair = np.stack([synthetic_image(7, tuple(INPUT), label=k) for k in (0, 1)])  # same picture
pair_f = pair.astype("float32") / 255.0
naive_pair = resize_image(pair_f, TARGET, "bilinear")
learned_pair = np.asarray(resizer(pair_f, training=False))
diffs = {"input": pair_f[0] - pair_f[1], "naive": naive_pair[0] - naive_pair[1],
         "learned": learned_pair[0] - learned_pair[1]}


def signed(d):  # (H, W) -> [0, 1] with 0 at 0.5; float rounding (< 1e-4) stays white
    return 0.5 + d / (2 * max(float(np.abs(d).max()), 1e-4))


fig = show_images([signed(d.mean(axis=-1)) for d in diffs.values()], cmap="RdBu_r", ncols=3,
                  panel_size=3, titles=[f"{k}: vertical - horizontal\nmax {255 * np.abs(d).max():.2f}/255"
                                        for k, d in diffs.items()])
print({k: round(float(255 * np.abs(d).max()), 3) for k, d in diffs.items()})
assert np.abs(pair[0].astype(int) - pair[1].astype(int)).max() <= 2 * DEFAULT_AMPLITUDE  # stripes only
if EXACT_2X:
    assert np.abs(diffs["naive"]).max() < 1e-5  # the naive resize erases the class exactly
assert np.abs(diffs["learned"]).max() > np.abs(diffs["naive"]).max()  # the resizer does not

# %% [markdown]
# The middle panel is blank: after the naive $2\times$ resize the two classes give *identical*
# images (up to float rounding), so no classifier behind it can do better than chance. The
# resizer's outputs differ, because its first convolutions see the stripes at full resolution.
# How strongly and in what pattern depends on the training: a resizer that has not found the
# class signal (accuracy near 50% above) passes the stripes on more or less as its random initial
# weights happen to; one that has found it turns them into something the classifier can read.
#
# The same resizer on photographs (brought to the input size it was trained at, with
# antialiasing). It never saw a photo in training, so this shows what it learned to do in
# general, not a trick for cats:

# %%
from resizer_lib.data.sample_images import load_image_file, load_sample, shared_photo_paths

photo_names = ["chelsea", "astronaut"] if PROFILE.name == "smoke" else ["chelsea", "astronaut", "coffee", "rocket"]
photos = {name: load_sample(name) for name in photo_names}
photos.update({f"photo {p.name}": load_image_file(p) for p in shared_photo_paths(2)})  # if present
photo_inputs = np.stack([resize_image(p, INPUT, "bilinear", antialias=True) for p in photos.values()])
photo_naive = resize_image(photo_inputs, TARGET, "bilinear")
photo_learned = np.asarray(resizer(photo_inputs, training=False))
result = compare_resizers(photo_inputs[0], None, resizer_model=resizer)
fig = plot_comparison(result, figsize=(13, 2.9))
assert result["learned"].shape == (*TARGET, 3)

# %% [markdown]
# ## 3 · Difference maps
#
# How far does the resizer move from the naive resize, on average per pixel, and does that depend
# on the class? (Values in grey levels of 255.)

# %%
from resizer_lib.viz import show_table

moved = 255 * np.abs(learned - naive).mean(axis=(1, 2, 3))  # (n_val,)
rows = [{"images": f"synthetic, {name}", "count": int(np.sum(y_val == k)),
         "mean abs(learned - naive)": float(moved[y_val == k].mean())}
        for k, name in enumerate(SYNTHETIC_CLASS_NAMES)]
rows.append({"images": "photos", "count": len(photos),
             "mean abs(learned - naive)": float(255 * np.abs(photo_learned - photo_naive).mean())})
show_table(rows, floatfmt=".2f");
assert moved.shape == (n_val,) and np.all(moved > 0)

# %% [markdown]
# ## 4 · Spectra: which frequencies the resizer boosts or keeps
#
# The magnitude spectrum $\log|\mathcal{F}|$ of an image shows how much of each spatial frequency
# it contains: the centre is the average brightness (removed here), the edges of the square are
# the finest patterns the pixel grid can hold (0.5 cycles per pixel, the Nyquist limit). The
# bottom panel averages each spectrum over rings of equal frequency. Frequencies are in cycles per
# pixel *of each image*, so a pattern that is 0.25 cycles/pixel in the input becomes 0.5 in a
# $2\times$ smaller output.

# %%
from resizer_lib.viz import plot_spectra

k0 = int(np.flatnonzero(y_val == 0)[0])
fig = plot_spectra({"input": images[k0], "naive": naive[k0], "learned": learned[k0]})

# %% [markdown]
# In the input, the vertical stripes put a bright spot in the middle of the left edge of the
# spectrum: the highest horizontal frequency the grid holds (0.5 cycles per pixel). After the
# naive resize that spot is gone.
#
# To see what the resizer changes, divide its spectrum by the naive one, ring by ring, and average
# over many images: the **spectral gain** in decibels (`viz.spectral_gain`). Zero means "kept as
# the naive resize had it", positive "boosted", negative "damped".

# %%
from resizer_lib.viz import plot_spectral_gain, spectral_gain

fig = plot_spectral_gain({"synthetic (validation)": (learned, naive),
                          "photos": (photo_learned, photo_naive)}, reference_name="naive bilinear")
freqs, gain = spectral_gain(learned, naive)
print("gain over naive (dB), low -> high frequency:", np.round(gain, 1))
assert freqs.shape == gain.shape and np.isfinite(gain[1:]).all()

# %% [markdown]
# Read the curve against what the classifier needs. Low frequencies carry no class information
# here; a gain near zero there means the resizer passes the naive image through its skip. Where
# the curve rises at high frequencies, the resizer adds fine structure the naive resize lacks: on
# the synthetic set, that is where it can write down the stripes. A gain that is flat across
# frequencies is a change of overall contrast, not of detail; it is typical of a resizer whose
# training has not found the class signal.

# %% [markdown]
# ## 5 · Per-channel statistics
#
# The resizer's output is unbounded and its three channels can drift apart: a change of mean is a
# colour cast, a change of spread a change of contrast. `channel_statistics` gives, per colour
# channel, the mean, spread, range and the fraction of values outside $[0, 1]$ (which a display
# clips), for the inputs, the naive resize and the resizer, and the resizer per class.

# %%
from resizer_lib.viz import channel_statistics

stats = channel_statistics({
    "input": images, "naive": naive, "learned": learned,
    **{f"learned, {name}": learned[y_val == k] for k, name in enumerate(SYNTHETIC_CLASS_NAMES)},
})
show_table(stats, floatfmt=".3f");
means = {(r["image"], r["channel"]): r["mean"] for r in stats}
for channel in "RGB":  # bilinear resizing keeps each channel's mean (exactly for 2x)
    assert abs(means[("naive", channel)] - means[("input", channel)]) < (1e-4 if EXACT_2X else 0.02)

# %% [markdown]
# The naive resize keeps every channel's mean, as an average of neighbours must. The resizer is
# free to shift and stretch the channels; any difference between the two per-class rows is
# information the classifier can use that the naive resize could not have given it.
#
# ## 6 · The resize explorer
#
# The explorer puts all of this behind a few controls:
# * **image**: the synthetic pair, scikit-image's photos, the course's cat and dog photos where
#   they sit next to the checkout, or *your file* (type a path in the **path** box);
# * **mode**: every interpolation this backend supports, plus `gaussian` and `mitchellcubic` on
#   TensorFlow; **size**: the naive target size; **antialias**: low-pass filter first;
# * **naive / learned**: *naive* compares the chosen interpolation with plain bilinear; *learned*
#   compares the trained resizer, at its own output size, with the chosen naive resize.
#
# Each view shows the input, the two resizes, their signed difference and the output's spectrum.
# In Colab, `enable_colab_widgets()` switches on the widget manager that ipywidgets 8 needs.
# Where widgets cannot render, `static_explorer` below draws the same figure without them.

# %%
from resizer_lib.data.sample_images import SAMPLE_NAMES

EXPLORER_IMAGES = {f"synthetic {name} ({INPUT[0]}x{INPUT[1]})": pair[k]
                   for k, name in enumerate(SYNTHETIC_CLASS_NAMES)}
EXPLORER_IMAGES.update({name: name for name in SAMPLE_NAMES})  # loaded when chosen
EXPLORER_IMAGES.update({f"photo {p.name}": p for p in shared_photo_paths(4)})  # where present
print(f"{len(EXPLORER_IMAGES)} images (plus 'your file')")

# %%
# WIDGET-APP
from resizer_lib.viz.widgets import enable_colab_widgets, resize_explorer

enable_colab_widgets()  # Colab only
app = resize_explorer(resizer, images=EXPLORER_IMAGES, size=64, mode="naive")
app

# %% [markdown]
# The explorer is plain Python underneath: `app.controls` holds its widgets, and setting a value
# from code, e.g. `app.controls["size"].value = 20`, redraws it exactly as moving the slider
# does (the course's tests drive it that way).
#
# **Without widgets**: `static_explorer` takes the same settings as arguments and returns the
# figure.

# %%
from resizer_lib.viz.widgets import static_explorer

first = next(iter(EXPLORER_IMAGES))  # the synthetic vertical-stripes picture
fig = static_explorer(first, interpolation="bilinear", resizer_model=resizer, images=EXPLORER_IMAGES)

# %% [markdown]
# ## Summary
# * Take the resizer out of the classifier and look at it beside the naive resize: the
#   difference map and the spectrum show what it adds.
# * Its output leaves $[0, 1]$: a per-channel percentile stretch shows the structure that a clip
#   hides.
# * On the synthetic set the naive $2\times$ resize erases the class stripe exactly; the learned
#   resizer turns it into something the classifier can read (lesson 08, section 5).
# * The resize explorer compares interpolations, antialiasing and the learned resizer on any image.
#
# ## Further reading
# * H. Talebi and P. Milanfar, "Learning to Resize Images for Computer Vision Tasks", ICCV 2021
#   ([arXiv:2103.09950](https://arxiv.org/abs/2103.09950)), section 4 and its figures.
# * R. Zhang, "Making Convolutional Networks Shift-Invariant Again", ICML 2019
#   ([arXiv:1904.11486](https://arxiv.org/abs/1904.11486)).
# * Z. Tu, P. Milanfar and H. Talebi, "MULLER: Multilayer Laplacian Resizer for Vision", ICCV 2023
#   ([arXiv:2304.02859](https://arxiv.org/abs/2304.02859)).
# * C. Olah, A. Mordvintsev and L. Schubert, ["Feature Visualization"](https://distill.pub/2017/feature-visualization/),
#   Distill, 2017.

# %% [markdown]
# ## Exercises
#
# 1. **Antialiasing.** Resize scikit-image's `"text"` photo to $64 \times 64$ with bilinear
#    interpolation, with and without `antialias`. Which frequencies does antialiasing remove?
#    Measure it with `spectral_gain`.
# 2. **Nearest neighbour.** Resize synthetic images with `"nearest"` instead of bilinear and
#    subtract the resize of the same picture drawn without stripes (`synthetic_image(i, size,
#    amplitude=0)`). What is left of the stripes, and does it tell the classes apart?
# 3. **Your own photo.** Save any image to a file (or use one of yours) and show it with
#    `static_explorer(path, ...)`, first naive bicubic at 48 pixels, then with the learned resizer.
# 4. **Another target size.** The resizer's weights do not depend on the sizes (lesson 09).
#    Copy them into a resizer that keeps the input size (`build_resizer(INPUT)`) and compare its
#    output with the input: what does the trained correction look like without any downsampling?
#
# The cells of exercises 1, 2 and 4 end with a check that says "✓ right" or what is off, without
# giving the answer away.

# %% tags=["exercise"]
# Exercise 1: your code here
from resizer_lib.course.exercise_checks import check_antialias_gain

aa_gain = None  # spectral_gain(antialiased, not antialiased) for the "text" photo at 64 x 64
check_antialias_gain(aa_gain, size=64);

# %% tags=["exercise"]
# Exercise 2: your code here
from resizer_lib.course.exercise_checks import check_nearest_offsets

offsets = None  # {class name: what a 2x nearest resize leaves of the stripes, in grey levels}
check_nearest_offsets(offsets, INPUT, TARGET);  # over the first 16 synthetic pictures

# %% tags=["exercise"]
# Exercise 3: your code here
my_path = None  # the path of an image file, for static_explorer(my_path, ...)

# %% tags=["exercise"]
# Exercise 4: your code here
from resizer_lib.course.exercise_checks import check_same_size_resizer

same_size = None  # build_resizer(tuple(INPUT), ...) holding the trained resizer's weights
check_same_size_resizer(same_size, resizer, input_size=INPUT);

# %% [markdown] tags=["solution"]
# ## Solutions
#
# One cell per exercise; open a cell to read it, but try first.

# %% tags=["solution"] jupyter={"source_hidden": true}
# 1. Antialiasing low-pass filters before sampling: it damps the highest frequencies (which
#    would otherwise alias into false patterns) and leaves the coarse picture alone.
text = load_sample("text")
sharp = resize_image(text, 64, "bilinear", antialias=False)
smooth = resize_image(text, 64, "bilinear", antialias=True)
freqs, aa_gain = spectral_gain(smooth, sharp)
print("antialias vs not (dB), low -> high:", np.round(aa_gain, 1))
fig = plot_spectral_gain({"antialias on / off": (smooth, sharp)}, reference_name="no antialias")
assert np.nanmean(aa_gain[-len(aa_gain) // 4:]) < -1.0  # high frequencies damped
assert abs(np.nanmean(aa_gain[1:4])) < 1.5  # coarse structure kept

# %% tags=["solution"] jupyter={"source_hidden": true}
# 2. A 2x nearest-neighbour resize keeps one pixel of every 2x2 block, always with the same
#    parity, so a period-2 stripe becomes a uniform offset of +a or -a (a = DEFAULT_AMPLITUDE
#    grey levels) over the whole image. Its sign is set by the stripes' random phase, not by the class: both
#    classes give +a or -a equally often, so nearest neighbour erases the class as well, it
#    just turns the stripes into a brightness change instead of removing them. (Compare with
#    the same picture drawn without stripes, amplitude=0.)
rows = []
for i in range(16):
    plain = synthetic_image(i, tuple(INPUT), amplitude=0, label=0) / 255.0
    for k, name in enumerate(SYNTHETIC_CLASS_NAMES):
        striped = synthetic_image(i, tuple(INPUT), label=k) / 255.0
        near = resize_image(np.stack([striped, plain]).astype("float32"), TARGET, "nearest")
        shift = 255 * (near[0] - near[1])
        rows.append({"picture": i, "class": name, "offset": float(shift.mean()), "std": float(shift.std())})
show_table(rows[:6], floatfmt=".2f");
offsets = {name: sorted({round(r["offset"]) for r in rows if r["class"] == name})
           for name in SYNTHETIC_CLASS_NAMES}
print("offsets seen per class (grey levels):", offsets)
if EXACT_2X:
    assert all(r["std"] < 1e-3 for r in rows)  # uniform over the image
    a = DEFAULT_AMPLITUDE
    assert all(v == [-a, a] for v in offsets.values())  # both signs, in both classes

# %% tags=["solution"] jupyter={"source_hidden": true}
# 3. Any file Pillow reads works; here a package photo saved to a temporary PNG.
from PIL import Image

with tempfile.TemporaryDirectory() as folder:
    my_path = Path(folder) / "my_photo.png"
    Image.fromarray(load_sample("coffee")).save(my_path)
    fig = static_explorer(str(my_path), interpolation="bicubic", size=48)
    fig2 = static_explorer(str(my_path), resizer_model=resizer)

# %% tags=["solution"] jupyter={"source_hidden": true}
# 4. Same weights, no downsampling: the correction alone, on the input grid.
from resizer_lib.models.resizer import build_resizer

same_size = build_resizer(tuple(INPUT), filters=layer.filters, num_res_blocks=layer.num_res_blocks,
                          interpolation=layer.interpolation)
same_size.set_weights(resizer.get_weights())
out = np.asarray(same_size(pair_f[:1], training=False))[0]
fig = show_images([pair_f[0], out, (out - pair_f[0]).mean(axis=-1)], mode="percentile",
                  titles=["input", "resizer at 1x", "correction (stretched)"], ncols=3, panel_size=3)
assert out.shape == (*INPUT, 3)
