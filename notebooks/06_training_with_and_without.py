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
# # 06 · Training with and without the resizer: a paired experiment
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/learning-to-resize/learning-to-resize/blob/v0.1.0/notebooks/06_training_with_and_without.ipynb)
# · source: [`06_training_with_and_without.py`](06_training_with_and_without.py) (the `.ipynb` is generated from it with jupytext)
#
# Does the learnable resizer help? The keras.io example ("Learning to Resize in Computer Vision",
# Sayak Paul, 2021, https://keras.io/examples/vision/learnable_resizer/; its companion repository
# https://github.com/sayakpaul/Learnable-Image-Resizing) reports 67.67 % top-1 accuracy with the
# resizer against 60.19 % without, on cats and dogs after 10 epochs, from one run of each model.
# One run per arm cannot settle a question like this: as this notebook measures, the seed alone
# moves accuracy by several points, and the two models differ in more than the resizer unless
# the experiment is built so that they do not.
#
# **What you will learn**
# * how to design a *controlled* comparison: same data, same order, same initial weights;
# * why a "more layers" control is needed to tell resolution from capacity;
# * how to summarise several seeds honestly: mean ± std, and a paired 95 % confidence interval;
# * how to read a result without over-reading it.

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
# ## The design
#
# Every **arm** is built by the same function, `build_classifier`, and differs only in how the
# $H \times W$ input reaches the backbone's $h \times w$:
#
# | arm | what sits between the image and the backbone | sees full resolution? | extra parameters |
# |---|---|---|---|
# | `bilinear` | a fixed bilinear resize | no | 0 |
# | `learned` | the learnable resizer | **yes** | 12,163 |
# | `more_layers` | a bilinear resize, *then* the same resizer blocks | no | 12,163 |
# | `full_res` | nothing: the backbone runs at $H \times W$ (resolution control) | yes | 0 |
#
# `more_layers` answers the sceptic: if `learned` beats `bilinear`, is that only because it has
# more layers? `more_layers` has exactly the same layers and parameters but never sees the
# full-resolution image.
#
# For every **seed** $s$, all arms start from the same backbone weights (`build_classifier(seed=s)`
# builds the backbone first, and the runner checks a checksum) and see the same batches in the same
# order. So the arms form **pairs**, and we compare them seed by seed:
#
# $$ d_s = \mathrm{acc}_s(\text{learned}) - \mathrm{acc}_s(\text{bilinear}), \qquad
#    \bar d \pm t_{0.975,\,n-1}\, \frac{s_d}{\sqrt n}. $$
#
# Pairing removes the seed-to-seed variation that both arms share, which is most of it.

# %% [markdown]
# ## The data
# Offline, the course uses its **synthetic** set: smooth random pictures whose class is a faint
# period-2 stripe pattern (vertical or horizontal, ±24 grey levels). A bilinear 2× downscale
# averages every 2×2 block and erases it exactly. These are not photos; they isolate one
# mechanism, detail that a naive resize destroys. Set `RESIZER_DATA=cats_vs_dogs` (tfds, needs a
# network once) or `RESIZER_DATA=/path/to/folder` to run the same notebook on real photos.

# %%
import numpy as np

from resizer_lib.data import load_dataset, resolve_source
from resizer_lib.viz import show_images

SOURCE = resolve_source()
real = SOURCE != "synthetic"
sizes = ({"limit": {"train": PROFILE.max_train, "val": None}} if real
         else {"num_train": PROFILE.num_train, "num_val": PROFILE.num_val})
ds = load_dataset(SOURCE, image_size=PROFILE.image_size, batch_size=PROFILE.batch_size,
                  seed=0, backend="numpy", **sizes)
(x_train, y_train), (x_val, y_val) = ds.train, ds.val
print(ds.describe())
assert x_train.dtype == np.uint8 and x_train.shape[1:] == (*PROFILE.image_size, 3)
assert set(np.unique(y_train)) == set(range(len(ds.class_names)))

# %% [markdown]
# What survives the resize? Below: a crop of a few training images at full resolution, the
# same crop after the bilinear resize to the target size (scaled back up with nearest-neighbour
# so you can see the pixels), and the high-pass residual of each (image minus its 3×3 blur),
# where the stripes, if any, live.

# %%
import keras

from resizer_lib.viz import to_display


def highpass(images):
    """Image minus its 3x3 box blur: keeps only pixel-level detail. (B, H, W, 3) -> (B, H, W)."""
    x = images.astype("float32").mean(axis=-1)
    blur = sum(np.roll(np.roll(x, i, 1), j, 2) for i in (-1, 0, 1) for j in (-1, 0, 1)) / 9
    return x - blur


k = 16
crop = x_train[:4, :k, :k]
small = keras.ops.convert_to_numpy(
    keras.ops.image.resize(x_train[:4].astype("float32"), PROFILE.target_size))[:, : k // 2, : k // 2]
small_up = np.repeat(np.repeat(small, 2, axis=1), 2, axis=2)
detail = [to_display(h, "minmax") for h in (*highpass(crop), *highpass(small_up))]
panels = [*crop, *small_up, *detail]
titles = ([f"{ds.class_names[y]}: full res" for y in y_train[:4]] + ["after resize"] * 4
          + ["detail (full)"] * 4 + ["detail (resized)"] * 4)
show_images(panels, titles=titles, ncols=4);

# %% [markdown]
# ## A paired comparison, written by hand
# Before a library function runs the study, write one paired comparison yourself. "Paired" means
# that for each seed the two arms differ in *one* thing, the resize stage, and nothing else:
#
# 1. **the same initial backbone weights**: `build_classifier(..., seed=s)` draws the backbone
#    first, from the seed, so both arms start from identical backbone weights (we check it with a
#    checksum of those weights);
# 2. **the same batches in the same order**: each epoch's shuffle comes from a generator seeded by
#    `(seed, epoch)`, not from global state that the other arm may have advanced;
# 3. **the same recipe** (optimizer, epochs, batch size).
#
# Then the quantity to study is the per-seed difference $d_s = a_s - b_s$ of the final
# validation accuracies, and its mean $\bar d$ with the paired 95 % interval
# $\bar d \pm t_{0.975,\,n-1}\, s_d / \sqrt{n}$ over the $n$ seeds.

# %%
import keras
from scipy import stats as st

from resizer_lib.models.classifier import backbone_weights, build_classifier
from resizer_lib.training.record import weights_checksum


def paired_run(arm: str, seed: int, epochs: int) -> tuple[str, float]:
    """Train one arm from the seed's initial weights; return (backbone checksum, val accuracy)."""
    model = build_classifier(PROFILE.backbone, PROFILE.image_size, PROFILE.target_size,
                             resizer=arm, num_classes=len(ds.class_names), seed=seed)
    start = weights_checksum(backbone_weights(model))
    model.compile(optimizer=keras.optimizers.AdamW(1e-3), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    for epoch in range(epochs):
        order = np.random.default_rng([seed, epoch]).permutation(len(x_train))  # same for every arm
        model.fit(x_train[order], y_train[order], batch_size=PROFILE.batch_size, epochs=1,
                  shuffle=False, verbose=0)
    return start, float(model.evaluate(x_val, y_val, verbose=0)[1])


HAND_SEEDS = PROFILE.pick(smoke=[0, 1], quick=[0, 1, 2], colab=[0, 1, 2], full=[0, 1, 2])
by_hand = {}
for seed in HAND_SEEDS:
    for arm in ("bilinear", "learned"):
        by_hand[arm, seed] = paired_run(arm, seed, PROFILE.epochs)
    same_start = by_hand["bilinear", seed][0] == by_hand["learned", seed][0]
    print(f"seed {seed}: bilinear {by_hand['bilinear', seed][1]:.3f}, learned "
          f"{by_hand['learned', seed][1]:.3f}, identical initial backbone: {same_start}")
    assert same_start  # the pairing: both arms started from the same backbone weights

d = np.array([by_hand["learned", s][1] - by_hand["bilinear", s][1] for s in HAND_SEEDS])
half = st.t.ppf(0.975, len(d) - 1) * d.std(ddof=1) / np.sqrt(len(d))
print(f"learned − bilinear by hand: {100 * d.mean():+.1f} points, 95% CI "
      f"[{100 * (d.mean() - half):+.1f}, {100 * (d.mean() + half):+.1f}] over {len(d)} seeds")

# %% [markdown]
# That is the whole idea. `compare` below does the same pairing and adds what a real study needs:
# a learning-rate schedule, a third arm, run records on disk (so an interrupted study resumes),
# checks of the pairing inside the runner, both BatchNorm evaluations (moving and recalibrated
# statistics, notebook 03) and the summary statistics.

# %% [markdown]
# ## The experiment
# `ExperimentConfig` holds everything that defines the study; `compare` trains every arm for
# every seed, checks the identical starting weights, and writes JSON, CSV and a learning-curve
# figure. Finished runs are stored under `OUT/<name>/runs/`, so rerunning this cell after an
# interruption continues where it stopped. `OUT` is a fresh temporary folder unless you set
# `RESIZER_OUT` to a folder of your own (then a rerun reuses every finished run).
#
# The recipe is `adamw_cosine`: AdamW with a short warm-up and a cosine decay to zero, so the
# last epochs settle and the final-epoch accuracy means something. We report the **final**
# epoch, never the best epoch picked on the validation set. Under the `smoke` profile (CI's: a
# few dozen tiny images) the runs are eager, because building the training graph would take
# longer than the training itself; every other profile trains in graph mode.

# %%
import os
import tempfile
from pathlib import Path

from resizer_lib.training import ExperimentConfig, compare

OUT = Path(os.environ.get("RESIZER_OUT") or tempfile.mkdtemp(prefix="resizer_results_"))
ARMS = ("bilinear", "learned", "more_layers")
config = ExperimentConfig(
    name=f"nb04_{PROFILE.name}_{Path(SOURCE).name}",
    backbone=PROFILE.backbone,
    data=SOURCE,
    image_size=PROFILE.image_size,
    target_size=PROFILE.target_size,
    arms=ARMS,
    epochs=PROFILE.epochs,
    batch_size=PROFILE.batch_size,
    seeds=tuple(range(PROFILE.seeds)),
    num_train=PROFILE.max_train if real else PROFILE.num_train,
    num_val=None if real else PROFILE.num_val,
    out_dir=str(OUT),
    run_eagerly=PROFILE.name == "smoke",
)
data = {"x_train": x_train, "y_train": y_train, "x_val": x_val, "y_val": y_val,
        "class_names": list(ds.class_names), "counts": ds.counts, "source": SOURCE}
results = compare(config, data=data)

# %% [markdown]
# The runner asserted that, within each seed, every arm started from the same backbone weights.
# We check it again here from the stored checksums, and check that the learned and the
# "more layers" arms have exactly the same number of parameters.

# %%
runs = results["runs"]
for seed in config.seeds:
    assert len({r["initial_backbone_checksum"] for r in runs if r["seed"] == seed}) == 1
params = {r["arm"]: r["params"] for r in runs}
assert params["learned"] == params["more_layers"] == params["bilinear"] + 12_163
print({arm: f"{p:,}" for arm, p in params.items()})

# %% [markdown]
# ## Learning curves
# Solid lines are training, dashed lines validation; with several seeds, the line is the mean
# and the band spans the seeds.

# %%
from resizer_lib.viz import plot_history

histories = {}
for r in runs:
    histories.setdefault(r["arm"], []).append(r["history"])
plot_history(histories, title=f"{config.backbone} on {SOURCE}");

# %% [markdown]
# ## The table

# %%
from resizer_lib.training.reporting import format_table

summary = results["summary"]
print(format_table(summary))

# %% [markdown]
# ## Reading the numbers
# The next cell turns the table into sentences. Read them with three cautions:
#
# 1. **A confidence interval from three seeds is wide.** $t_{0.975,2} = 4.30$: with $n = 3$ the
#    interval is more than four standard errors each way. "The interval includes zero" means *not
#    shown*, not *no effect*.
# 2. **The synthetic set is built to favour the resizer.** Its class lives exactly in the detail a
#    2× bilinear resize erases, so `bilinear` and `more_layers` cannot do better than chance. It
#    demonstrates the *mechanism*; it says nothing about photos. For those, see the real-photo
#    study at the end.
# 3. **`more_layers` is the key control.** If `learned` beats `bilinear` but not `more_layers`, the
#    gain came from capacity, not from seeing full resolution.

# %%
def describe_pair(p):
    a, b = p["a"], p["b"]
    if np.isnan(p["low"]):
        return f"{a} - {b}: {100 * p['mean']:+.1f} points from one seed; no interval (use more seeds)."
    verdict = ("the interval excludes zero" if p["low"] > 0 or p["high"] < 0
               else "the interval includes zero: no difference shown")
    return (f"{a} - {b}: {100 * p['mean']:+.1f} points, 95% CI [{100 * p['low']:+.1f}, "
            f"{100 * p['high']:+.1f}] over {p['n']} seeds; {verdict}.")


for p in summary["pairs"]:
    print(describe_pair(p))

# %% [markdown]
# On the synthetic set with the `quick` or `full` profile, the mechanism must show: the learned
# resizer reads the stripes, the other two arms cannot. The `smoke` profile (one epoch, for CI)
# only checks that the code runs, so the assertion is skipped there.

# %%
arms = summary["arms"]
if SOURCE == "synthetic" and PROFILE.name != "smoke":
    assert arms["learned"]["mean"] > arms["bilinear"]["mean"] + 0.10, arms
    assert arms["learned"]["mean"] > arms["more_layers"]["mean"] + 0.10, arms
    assert arms["bilinear"]["mean"] < 0.65  # the signal is gone after the resize
for s in arms.values():
    assert 0.0 <= s["mean"] <= 1.0 and s["n"] == len(config.seeds)

# %% [markdown]
# ## The committed real-photo study
# The course ships the studies it ran on real cat and dog photographs: the main one on a 2-core
# CPU (small CNN, 128 → 64 px) and the keras.io setting (DenseNet-121, 300 → 150 px) on NVIDIA H200
# and H100 GPUs. Their summaries are package data, so `load_study` reads them wherever this
# notebook runs (a checkout, Colab, a copy elsewhere); the repository's `results/README.md` has
# the commands, figures and per-run files. The photos themselves are never shipped; the numbers
# and their provenance are.

# %%
from resizer_lib.training.studies import load_study, study_names

print("studies shipped with the course:", study_names())
for name in study_names():
    study = load_study(name)
    if "summary" not in study:  # the BatchNorm diagnosis, the map, the warm start: read further below
        continue
    prov = study["provenance"]
    print(f"\n== {study['name']}: {study['config']['backbone']} {study['config']['image_size']} -> "
          f"{study['config']['target_size']}, {len(study['config']['seeds'])} seeds, "
          f"{study['config']['epochs']} epochs")
    print(f"   {prov['dataset']} ({prov['train_examples']} train / {prov['val_examples']} val), "
          f"{prov['backend']} {prov['backend_version']}, {prov['device']}, {prov['date']}")
    print(format_table(study["summary"]))
    for seed in study["config"]["seeds"]:  # a pair compares arms from the same initial weights
        assert len({r["initial_backbone_checksum"] for r in study["runs"] if r["seed"] == seed}) == 1

# %% [markdown]
# ### Reading the CPU study: no resolution for the resizer to recover
# The main real-photo study (small CNN, 128 → 64 px, all 2,692 / 476 photos, five seeds) gives
# the opposite picture to the synthetic set. The cell reads the paired differences from the
# committed summary and asserts what the README says about them.

# %%
from resizer_lib.training.reporting import paired

cpu = load_study("photos_small_cnn_128to64")["summary"]
for a, b in [("learned", "bilinear"), ("learned", "more_layers"), ("full_res", "bilinear")]:
    d = paired(cpu, a, b)
    print(f"{a} − {b} = {100 * d['mean']:+.1f} points, 95% CI "
          f"[{100 * d['low']:+.1f}, {100 * d['high']:+.1f}] over {d['n']} seeds")
assert all(cpu["arms"][arm]["n"] == 5 for arm in ("bilinear", "learned", "more_layers", "full_res"))
assert paired(cpu, "learned", "bilinear")["high"] < 0  # the plain resize is (slightly) better
blocks = paired(cpu, "learned", "more_layers")
assert blocks["low"] < 0 < blocks["high"]  # the resizer is no better than the same blocks
assert paired(cpu, "full_res", "bilinear")["high"] < 0  # 128 px is worse than 64 px here

# %% [markdown]
# **For reference, the keras.io recipe on the same runs' setting.** Same photos, augmentation,
# 12 epochs, initial weights and label smoothing (0.1 in both recipes), but plain SGD at a
# constant rate (the keras.io example's optimizer) instead of AdamW with a cosine schedule; two
# seeds of bilinear and learned. The validation accuracy of every run ranges over 20-24 points
# across its epochs (the figure `results/photos_small_cnn_128to64_keras_io.png` in the repository), so read the final epoch
# *and* the mean of the last three:

# %%
ref = load_study("photos_small_cnn_128to64_keras_io")
for r in sorted(ref["runs"], key=lambda r: (r["arm"], r["seed"])):
    val = r["history"]["val_accuracy"]
    print(f"{r['arm']:9s} seed {r['seed']}: final {100 * val[-1]:.1f} %, last three epochs "
          f"{100 * np.mean(val[-3:]):.1f} %, range over epochs {100 * min(val):.0f}-{100 * max(val):.0f} %")
for arm in ("bilinear", "learned"):
    assert ref["summary"]["arms"][arm]["n"] >= 2
    # the recipe matters more than the resizer: every keras.io-recipe run ends below every
    # run of the same arm with AdamW + cosine
    assert max(ref["summary"]["arms"][arm]["per_seed"].values()) < min(cpu["arms"][arm]["per_seed"].values())

# %% [markdown]
# Why might more pixels hurt here? A likely reason (not tested): the small CNN has the same
# kernels and depth at both sizes, so at 128 px each of its last-layer features sees a smaller
# part of the photo. Resolution is worth
# something only to a network that can use it; with none to recover, a learned resizer has
# nothing to add. Whether a bigger backbone, longer training or more data changes that is an
# open question this CPU cannot answer (notebook 08 plugs the resizer into other backbones).

# %% [markdown]
# ### Reading the DenseNet study: why the controls matter
# The GPU study takes the keras.io example's model and sizes (DenseNet-121 from scratch,
# 300 → 150 px), not its data or recipe: 1,126 training photos (keras.io: about 9,300), 12 epochs
# of AdamW + cosine (keras.io: SGD). Read only `learned` against `bilinear` and the resizer looks like a
# triumph. The two controls change that reading:
#
# * `more_layers` puts the *same* blocks behind a plain resize. If it gains as much as
#   `learned`, the lift comes from the extra blocks, not from learning how to resize.
# * `full_res` feeds DenseNet the 300 px photos directly. If it is no better than `bilinear`,
#   the plain resize did not throw away anything this network could use.
#
# The cell below reads both differences from the committed summaries and asserts what the
# README says about them. If more seeds are added and a claim no longer holds, this
# cell fails, and the prose has to change with the numbers.

# %%
main = load_study("photos_densenet121_300to150_gpu")["summary"]  # 3 arms, 5 seeds
four = load_study("photos_densenet121_300to150_gpu_4arms")["summary"]
for name, summary, a, b in [("main", main, "learned", "bilinear"),
                            ("main", main, "more_layers", "bilinear"),
                            ("main", main, "learned", "more_layers"),
                            ("4 arms", four, "full_res", "bilinear")]:
    d = paired(summary, a, b)
    print(f"{name}: {a} − {b} = {100 * d['mean']:+.1f} points, 95% CI "
          f"[{100 * d['low']:+.1f}, {100 * d['high']:+.1f}] over {d['n']} seeds")
assert paired(main, "learned", "bilinear")["low"] > 0  # the resizer's model wins...
assert paired(main, "more_layers", "bilinear")["low"] > 0  # ...but so do the same blocks
learned_vs_blocks = paired(main, "learned", "more_layers")
assert learned_vs_blocks["low"] < 0 < learned_vs_blocks["high"]  # no detectable difference
resolution = paired(four, "full_res", "bilinear")
assert resolution["low"] < 0 < resolution["high"]  # 300 px is no better than 150 px here

# %% [markdown]
# ### Had the plain DenseNet learned nothing?
# The plain arms sit near 50 % on validation while their training accuracy climbs past 80 %.
# Two stories fit: the weights memorised the training photos, or the weights learned and the
# *moving BatchNorm statistics* used in inference mode do not match them (notebook 03 teaches
# what those statistics are and reproduces this trap on a small model; notebook 08 meets it with
# MobileNetV2). `tools/diagnose_batchnorm.py` told them apart on the GPU: it
# retrained nine runs (seeds 0-2 of bilinear, learned and full_res) exactly as the study did
# and evaluated each before and after `recalibrate_batchnorm` re-estimated every moving mean
# and variance from 512 training photos, with every weight unchanged. If the first story held,
# recalibration would change little.

# %%
from resizer_lib.viz import show_table

diagnosis = load_study("photos_densenet121_300to150_gpu_batchnorm")
rows = []
for r in diagnosis["runs"]:
    moving, recal = r["moving_statistics"], r["recalibrated"]
    rows.append({"arm": r["arm"], "seed": r["seed"],
                 "val % (moving)": f"{100 * moving['val']['accuracy']:.1f}",
                 "'cat' share": f"{100 * moving['val']['predicted_shares'][0]:.0f} %",
                 "val % (recalibrated)": f"{100 * recal['val']['accuracy']:.1f}",
                 "train % (moving → recal.)": f"{100 * moving['train_probe']['accuracy']:.1f} → "
                                              f"{100 * recal['train_probe']['accuracy']:.1f}"})
show_table(rows);
lift = {(r["arm"], r["seed"]): r["recalibrated"]["val"]["accuracy"] - r["moving_statistics"]["val"]["accuracy"]
        for r in diagnosis["runs"]}
for (arm, seed), gain in lift.items():
    if arm in ("bilinear", "full_res"):  # stale statistics hid what these weights had learned
        assert gain > 0.10, (arm, seed, gain)
    else:  # the resizer's arm kept statistics that match its weights
        assert abs(gain) < 0.02, (arm, seed, gain)
plain_train = [r["moving_statistics"]["train_probe"]["accuracy"] for r in diagnosis["runs"] if r["arm"] == "bilinear"]
assert max(plain_train) < 0.6  # inference mode fails even on *training* photos: not memorisation

# %% [markdown]
# Recalibration changed the scores, so compare the arms again, paired by seed as before, now
# with statistics that match each model's weights:

# %%
from resizer_lib.training.stats import paired_difference

recalibrated = {(r["arm"], r["seed"]): r["recalibrated"]["val"]["accuracy"] for r in diagnosis["runs"]}
seeds = sorted({seed for arm, seed in recalibrated if arm == "bilinear"})
assert len(seeds) >= 3
assert all((arm, s) in recalibrated for arm in ("bilinear", "learned", "full_res") for s in seeds)
recal_diff = {}
for a, b in [("learned", "bilinear"), ("full_res", "bilinear"), ("learned", "full_res")]:
    recal_diff[a, b] = d = paired_difference([recalibrated[a, s] for s in seeds],
                                             [recalibrated[b, s] for s in seeds])
    print(f"recalibrated: {a} − {b} = {100 * d.mean:+.1f} points, 95% CI "
          f"[{100 * d.low:+.1f}, {100 * d.high:+.1f}] over {d.n} seeds")
assert not recal_diff["learned", "bilinear"].excludes_zero()  # the +19 points are gone
assert recal_diff["full_res", "bilinear"].high < 0  # 300 px is worse than 150 px in 12 epochs

# %% [markdown]
# The first story is wrong. With moving statistics the bilinear models call 85-99 % of the
# photos, training photos included, the same class; with statistics measured on their final weights
# the bilinear arm reaches 73-75 %, level with the resizer's arm on the same seeds, which
# recalibration leaves as it was. Paired over three seeds, learned − bilinear falls from about
# +18 points to about −2, with an interval that includes zero. So the resizer's big "win" in this
# setting is about which network's running statistics kept up with its weights, not about
# resizing: evaluate from-scratch BatchNorm networks with recalibrated statistics before reading
# a gap between them (notebook 03, §4-5, reproduces the trap and the fix in a minute on a CPU). Recalibrated, the 300 px control is *worse* than 150 px (about −7 points),
# as on the CPU; a likely reason, not tested, is that twelve epochs are too few for DenseNet to
# use four times the pixels.
# (Nine retrained runs, three seeds per arm; the README says what this does not show.)

# %% [markdown]
# ### When does it pay? The map over downsampling factors
# A single setting cannot say *when* a learned resizer helps. The course's map study repeats the
# CPU study's design at 2×, 4× and 8× (128 px photos to 64, 32 and 16 px), with an antialiased
# bilinear arm and MULLER beside the others, and scores every pair twice: over seeds, and over
# the validation *photos* (a paired bootstrap, and McNemar's test on per-photo predictions),
# because 476 photos carry a sampling error of their own. The map ships with the course: 75 runs,
# 3 factors × 5 arms × 5 seeds (a partial map would say so, using at each factor only the seeds
# whose every run has finished).

# %%
import matplotlib.pyplot as plt

from resizer_lib.training.factor_map import format_findings, plot_factor_map

fmap = load_study("map_small_cnn")
print(format_findings(fmap))  # the README's paragraph, generated from the same numbers
plot_factor_map(fmap)
plt.show()

# %% [markdown]
# The figure's bars are the 95 % t-intervals over seeds; the pale bands behind them the paired
# bootstrap over photos *and* seeds, which is the fairer of the two: every seed is scored on the
# same 476 photos, so the seeds alone understate how much another sample of photos could move a
# difference. The cell below prints every bootstrap interval and asserts what the README says.

# %%
PLAIN = {("learned", "bilinear"), ("learned", "antialiased"), ("muller", "bilinear")}
for f in fmap["factors"]:
    print(f"{f['factor']:.0f}x ({f['image_size'][0]} → {f['target_size'][0]} px): seeds used "
          f"{f['seeds_used'] or 'none yet'}, {len(f['missing_runs'])} runs still missing")
    for c in f["comparisons"]:
        for view in ("moving", "recalibrated"):
            if not (c[view]["available"] and c[view]["per_photo"]["available"]):
                continue
            boot = c[view]["per_photo"]["bootstrap"]
            print(f"  {c['a']} − {c['b']} ({view}): {100 * boot['mean']:+.1f} points, "
                  f"photos' and seeds' 95% CI [{100 * boot['low']:+.1f}, {100 * boot['high']:+.1f}]")
            if (c["a"], c["b"]) in PLAIN:
                # the README: neither resizer has beaten a plain resize by more than the sampling
                # error of the photos and seeds, at any factor measured. If a rerun says
                # otherwise, this fails and the prose must change with it.
                assert boot["low"] <= 0 <= boot["high"], (f["factor"], c["a"], c["b"], view)
            if c["a"] == "learned" and c["b"] in ("bilinear", "antialiased") and not fmap["partial"]:
                # ... and on average the learned resizer came out behind both plain resizes
                assert c[view]["seeds_interval"]["mean"] < 0, (f["factor"], c["b"], view)

# %% [markdown]
# ### The paper's protocol: a resizer inserted into a trained model
# Talebi & Milanfar do not train the resizer and the backbone together from scratch: they take a
# backbone already trained with bilinear resizing, insert the resizer in front of it, and train
# the two jointly. The course's warm-start study does the same for every seed of the map at 2×
# and at 8× (`tools/warm_start_study.sh`). It retrains the map's bilinear model (the same run, to
# the last bit of its weights), then trains four arms 6 more epochs from it, on the batches the
# base training would have seen next, with the optimizer's schedule restarted:
#
# | arm | the model at the start of the 6 epochs |
# |---|---|
# | `bilinear` | the trained model itself, continued (the control) |
# | `learned` | the learnable resizer at its initial weights, then the trained backbone |
# | `muller` | MULLER at its initial scalars, then the trained backbone |
# | `more_layers` | the capacity control (the resizer's blocks after the resize), inserted likewise |
#
# Every arm of a seed starts from the same trained backbone weights (the study checks a
# checksum), so the arms pair up as before.

# %%
from resizer_lib.training.factor_map import (
    format_accuracy_table,
    format_difference_table,
    format_status,
)

warm = load_study("warm_start_small_cnn")
print(format_status(warm))
print(format_accuracy_table(warm))  # where each arm started, and where it ended
print(format_difference_table(warm))
plot_factor_map(warm)
plt.show()

# %% [markdown]
# Look first at where the arms *start*. MULLER at its initial scalars is exactly the plain
# resize, so inserting it changes nothing: it starts where the trained model is. The learned
# resizer adds `conv7x7(r)`, a residual whose last convolution starts from random weights, to the
# bilinear image: the trained backbone now sees images it has never seen, and the model starts
# near chance. The capacity control does the same after the resize. Six epochs must first undo
# that damage before they can add anything. (The paper does not say how that last convolution
# starts; one that starts at zero would start where the trained model is. That is a question the
# study leaves open.)
#
# Then where they *end* (the tables above). Continuing the bilinear model for 6 epochs gains a
# little on its own. The learned resizer recovers from near chance to within a few points of it
# but stays behind at both factors; at 2× the bootstrap interval over photos and seeds excludes
# zero, at 8× it does not. MULLER ends level with the continued model, and the capacity control
# is again the weakest arm. So in this setting the paper's protocol does not change the map's
# answer: the learned resizer did not pay. The cell below asserts it.

# %%
for f in warm["factors"]:
    acc = f["accuracy"]
    # MULLER at its initial scalars is the plain resize: it starts where the trained model is
    assert abs(acc["muller"]["start"] - acc["bilinear"]["start"]) < 0.005, (f["factor"], acc)
    # a resizer with a random last convolution starts the trained model near chance
    for arm in ("learned", "more_layers"):
        assert acc[arm]["start"] < acc["bilinear"]["start"] - 0.15, (f["factor"], arm, acc)
    for c in f["comparisons"]:
        for view in ("moving", "recalibrated"):
            boot = c[view]["per_photo"]["bootstrap"]
            if (c["a"], c["b"]) == ("learned", "bilinear"):
                # the README: inserted, the learned resizer ended behind the continued model at
                # both factors, and at 2x by more than the photos' and seeds' sampling error
                assert c[view]["seeds_interval"]["mean"] < 0, (f["factor"], view)
                if f["factor"] == 2:
                    assert boot["high"] < 0, (view, boot)
            if (c["a"], c["b"]) == ("muller", "bilinear"):  # ... and MULLER level with it
                assert boot["low"] <= 0 <= boot["high"], (f["factor"], view, boot)

# %% [markdown]
# ## Exercises
# 1. Rerun the study with `recipe="keras_io"` (plain SGD, as in the keras.io example). What happens
#    to every arm in the same number of epochs?
# 2. Add the `full_res` arm. How much of the gap between `bilinear` and `full_res` does `learned`
#    close?
# 3. Make the synthetic stripes cover only a quarter of the image
#    (`load_dataset("synthetic", synthetic_options={"coverage": 0.25}, ...)`). Does the learned
#    resizer still find them?
# 4. Compute the paired 95 % interval for `learned - bilinear` by hand from the per-seed
#    differences, and check it against the table.

# %% tags=["exercise"]
# Exercise 1: your code here
sgd = None  # compare(...) with recipe="keras_io", seeds [0], arms bilinear and learned

# %% tags=["exercise"]
# Exercise 2: your code here
ctrl = None  # compare(...) with the full_res arm, seed 0

# %% tags=["exercise"]
# Exercise 3: your code here
quarter = None  # compare(...) on synthetic stripes with coverage 0.25

# %% tags=["exercise"]
# Exercise 4: your code here
half_width = None  # the half-width of the paired 95 % interval of learned - bilinear

from resizer_lib.course.exercise_checks import check_paired_interval

pair = next(p for p in summary["pairs"] if {p["a"], p["b"]} == {"bilinear", "learned"})
check_paired_interval(half_width, np.array(pair["differences"]) * (1 if pair["a"] == "learned" else -1))

# %% [markdown] tags=["solution"]
# ## Solutions
#
# One cell per exercise; open a cell to read it, but try first. The solutions run at the
# profile's size, with the smallest settings that show the point.

# %% tags=["solution"] jupyter={"source_hidden": true}
# 1. keras_io recipe: same runner, another recipe (one seed to keep it short)
sgd = compare(ExperimentConfig(**(config.to_dict() | {"name": config.name + "_sgd",
              "recipe": "keras_io", "seeds": [0], "arms": ["bilinear", "learned"]})), data=data)

# %% tags=["solution"] jupyter={"source_hidden": true}
# 2. The resolution control: the backbone at full resolution, seed 0, next to seed 0 of the main
#    study (same recipe, same data order, same initial backbone weights)
ctrl = compare(ExperimentConfig(**(config.to_dict() | {"name": config.name + "_ctrl",
               "seeds": [0], "arms": ["full_res"]})), data=data)
acc = {r["arm"]: r["final"]["val_accuracy"] for r in runs + ctrl["runs"] if r["seed"] == 0}
assert ctrl["runs"][0]["initial_backbone_checksum"] == runs[0]["initial_backbone_checksum"]
gap = acc["full_res"] - acc["bilinear"]
print(f"learned closes {100 * (acc['learned'] - acc['bilinear']) / gap:.0f}% of the gap" if gap > 0.02
      else "full resolution is no better than bilinear here: there is no gap to close")

# %% tags=["solution"] jupyter={"source_hidden": true}
# 3. Stripes on a quarter of the image only (one seed, learned vs bilinear)
if SOURCE == "synthetic":
    part = load_dataset("synthetic", image_size=PROFILE.image_size, seed=0, backend="numpy",
                        num_train=PROFILE.num_train, num_val=PROFILE.num_val,
                        synthetic_options={"coverage": 0.25})
    part_data = data | {"x_train": part.train[0], "y_train": part.train[1],
                        "x_val": part.val[0], "y_val": part.val[1]}
    quarter = compare(ExperimentConfig(**(config.to_dict() | {"name": config.name + "_quarter",
                      "seeds": [0], "arms": ["bilinear", "learned"]})), data=part_data)

# %% tags=["solution"] jupyter={"source_hidden": true}
# 4. The interval by hand
from scipy.stats import t

pair = next(p for p in summary["pairs"] if {p["a"], p["b"]} == {"bilinear", "learned"})
d = np.array(pair["differences"]) * (1 if pair["a"] == "learned" else -1)
if len(d) > 1:
    half = half_width = t.ppf(0.975, len(d) - 1) * d.std(ddof=1) / np.sqrt(len(d))
    print(f"by hand: {d.mean():+.4f} ± {half:.4f}")
    assert abs(abs(pair["mean"]) - abs(d.mean())) < 1e-9
    assert abs((pair["high"] - pair["low"]) / 2 - half) < 1e-9
