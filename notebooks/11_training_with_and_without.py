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
# # 11 · Training with and without the resizer: a paired experiment
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/learning-to-resize/learning-to-resize/blob/v0.1.0/notebooks/11_training_with_and_without.ipynb)
# · source: [`11_training_with_and_without.py`](11_training_with_and_without.py) (the `.ipynb` is generated from it with jupytext)
#
# **What you will learn here**
# * how to design a *controlled* comparison: same data, same order, same initial weights;
# * why a "more layers" control is needed to tell resolution from capacity;
# * how to summarise several seeds honestly: mean ± std, and a paired 95 % confidence interval;
# * how to read a result without over-reading it.
#
# Does the learnable resizer help? The keras.io example reports 67.67 % top-1 accuracy with the
# resizer and 60.19 % without. That is cats and dogs after 10 epochs, one run of each model
# ("Learning to Resize in Computer Vision", Sayak Paul, 2021). One run per arm cannot settle
# this. The seed alone moves accuracy by several points, as this notebook measures. And the two
# models differ in more than the resizer, unless the experiment is built so that they do not.

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
# Every **arm** is built by the same function, `build_classifier`. The arms differ only in how
# the $H \times W$ input reaches the backbone's $h \times w$:
#
# | arm | what sits between the image and the backbone | sees full resolution? | extra parameters |
# |---|---|---|---|
# | `bilinear` | a fixed bilinear resize | no | 0 |
# | `learned` | the learnable resizer | **yes** | 12,163 |
# | `more_layers` | a bilinear resize, *then* the same resizer blocks | no | 12,163 |
# | `full_res` | nothing: the backbone runs at $H \times W$ (resolution control) | yes | 0 |
#
# `more_layers` answers the sceptic. If `learned` beats `bilinear`, is that only because it has
# more layers? `more_layers` has the same layers and parameters, but never sees the
# full-resolution image.
#
# For every **seed** $s$, all arms start from the same backbone weights and see the same
# batches in the same order. So the arms form **pairs**, and we compare them seed by seed:
#
# $$ d_s = \mathrm{acc}_s(\text{learned}) - \mathrm{acc}_s(\text{bilinear}), \qquad
#    \bar d \pm t_{0.975,\,n-1}\, \frac{s_d}{\sqrt n}. $$
#
# Pairing removes the seed-to-seed variation that both arms share, which is most of it.

# %% [markdown]
# ## The data
# Offline, the course uses its **synthetic** set. The pictures are smooth and random; the class
# is a faint period-2 stripe pattern, vertical or horizontal, of ±24 grey levels. A bilinear 2×
# downscale averages every 2×2 block, which erases the stripes exactly. These are not photos.
# They isolate one mechanism: detail that a naive resize destroys. Set
# `RESIZER_DATA=cats_vs_dogs` (tfds, needs a network once) or `RESIZER_DATA=/path/to/folder` to
# run the same notebook on real photos.

# %%
import numpy as np

from resizer_lib.data import load_dataset, resolve_source
from resizer_lib.viz import show_images

SOURCE = resolve_source()
real = SOURCE != "synthetic"
limit = ({"train": PROFILE.max_train, "val": None} if real
         else {"train": PROFILE.num_train, "val": PROFILE.num_val})
ds = load_dataset(SOURCE, image_size=PROFILE.image_size, batch_size=PROFILE.batch_size,
                  seed=0, backend="numpy", limit=limit)
(x_train, y_train), (x_val, y_val) = ds.train, ds.val
print(ds.describe())

# %% [markdown]
# What survives the resize? Below, from top to bottom: a crop of a few training images at full
# resolution; the same crop after the bilinear resize, scaled back up so you can see the
# pixels; and the high-pass residual of each (image minus its 3×3 blur). The stripes, if any,
# live in that residual.

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
# Before a library function runs the study, write one paired comparison yourself. "Paired"
# means that, for each seed, the two arms differ in *one* thing only: the resize stage.
#
# 1. **The same initial backbone weights.** `build_classifier(..., seed=s)` draws the backbone
#    first, from the seed. So both arms start from identical backbone weights. We check it
#    with a checksum of those weights.
# 2. **The same batches in the same order.** Each epoch's shuffle comes from a generator seeded
#    by `(seed, epoch)`. It never comes from global state that the other arm may have advanced.
# 3. **The same recipe:** optimizer, epochs, batch size.
#
# The quantity to study is then the per-seed difference $d_s = a_s - b_s$ of the final
# validation accuracies. Over $n$ seeds we report its mean $\bar d$ and the paired 95 %
# interval $\bar d \pm t_{0.975,\,n-1}\, s_d / \sqrt{n}$.

# %%
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
    assert same_start  # the pairing you just built: both arms started from the same weights

d = np.array([by_hand["learned", s][1] - by_hand["bilinear", s][1] for s in HAND_SEEDS])
half = st.t.ppf(0.975, len(d) - 1) * d.std(ddof=1) / np.sqrt(len(d))
print(f"learned − bilinear by hand: {100 * d.mean():+.1f} points, 95% CI "
      f"[{100 * (d.mean() - half):+.1f}, {100 * (d.mean() + half):+.1f}] over {len(d)} seeds")

# %% [markdown]
# That is the whole idea. `compare` below does the same pairing and adds what a real study
# needs: a learning-rate schedule, a third arm, and run records on disk, so an interrupted study
# resumes. It also checks the pairing inside the runner. It evaluates with both BatchNorm
# statistics, moving and recalibrated (notebook 07), and computes the summary statistics.

# %% [markdown]
# ## The experiment
# `ExperimentConfig` holds everything that defines the study. `compare` trains every arm for
# every seed and checks the identical starting weights. It writes JSON, CSV and a
# learning-curve figure. Finished runs are stored under `OUT/<name>/runs/`, so rerunning the cell
# after an interruption continues where it stopped. `OUT` is a fresh temporary folder, unless you
# set `RESIZER_OUT` to a folder of your own.
#
# The recipe is `adamw_cosine`: AdamW with a short warm-up and a cosine decay to zero. The last
# epochs settle, so the final-epoch accuracy means something. We report the **final** epoch,
# never the best epoch picked on the validation set. Under the `smoke` profile (a few dozen tiny
# images) the runs are eager: building the training graph would take longer than the training.

# %%
import os
import tempfile
from pathlib import Path

from resizer_lib.training import ExperimentConfig, compare

OUT = Path(os.environ.get("RESIZER_OUT") or tempfile.mkdtemp(prefix="resizer_results_"))
ARMS = ("bilinear", "learned", "more_layers")
config = ExperimentConfig(
    name=f"lesson11_{PROFILE.name}_{Path(SOURCE).name}",
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
# The runner checked that, within each seed, every arm started from the same backbone weights.
# Check it again yourself, from the stored checksums. Then compare the parameter counts of the
# learned and the "more layers" arms.

# %%
runs = results["runs"]
for seed in config.seeds:
    checksums = {r["initial_backbone_checksum"] for r in runs if r["seed"] == seed}
    print(f"seed {seed}: {len(checksums)} distinct initial backbone(s)")
    assert len(checksums) == 1
params = {r["arm"]: r["params"] for r in runs}
print({arm: f"{p:,}" for arm, p in params.items()})
print(f"the resizer adds {params['learned'] - params['bilinear']:,} parameters; "
      f"more_layers adds {params['more_layers'] - params['bilinear']:,}")

# %% [markdown]
# ## Learning curves
# Solid lines are training, dashed lines validation. With several seeds, the line is the mean
# and the band spans the seeds.

# %%
from resizer_lib.viz import plot_history

histories = {}
for r in runs:
    histories.setdefault(r["arm"], []).append(r["history"])
plot_history(histories, title=f"{config.backbone} on {SOURCE}");

# %% [markdown]
# ## The table
# One row per arm: the mean and standard deviation over seeds. Then each paired difference,
# drawn as a forest plot. A filled dot means the interval excludes zero; a hollow dot, that it
# includes zero.

# %%
import matplotlib.pyplot as plt

from resizer_lib.viz import show_table
from resizer_lib.viz.forest import difference_from_summary, plot_forest

summary = results["summary"]
show_table([{"arm": arm, "seeds": s["n"], "val accuracy %": 100 * s["mean"],
             "std (points)": 100 * s["std"]} for arm, s in summary["arms"].items()], floatfmt=".1f");
pairs = [("learned", "bilinear"), ("learned", "more_layers"), ("more_layers", "bilinear")]
plot_forest([difference_from_summary(summary, a, b, f"{a} − {b}") for a, b in pairs],
            title=f"{config.backbone} on {SOURCE}, final epoch")
plt.show()

# %% [markdown]
# ## Reading the numbers
# Read the table with three cautions.
#
# 1. **A confidence interval from three seeds is wide.** $t_{0.975,2} = 4.30$. With $n = 3$ the
#    interval is more than four standard errors each way. "The interval includes zero" means
#    *not shown*, not *no effect*.
# 2. **The synthetic set is built to favour the resizer.** Its class lives exactly in the
#    detail a 2× bilinear resize erases. So `bilinear` and `more_layers` cannot do better than
#    chance. The set demonstrates the *mechanism*; it says nothing about photos.
# 3. **`more_layers` is the key control.** If `learned` beats `bilinear` but not
#    `more_layers`, the gain came from capacity, not from seeing full resolution.
#
# The next cell turns each pair into a sentence.

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
# What to expect on the synthetic set under `quick` or `full`: the learned resizer reads the
# stripes, and the other two arms stay near chance. Under `smoke` (one epoch) no arm has had
# time to learn anything; the run only shows that the code works. If your numbers differ, read
# them with the cautions above before you read anything into them.
#
# The course also ran this design on real photos of cats and dogs, with more seeds. Reading
# those studies, and the statistics behind them, is the optional lesson 15.

# %% [markdown]
# ## Exercises
# 1. Rerun the study with `recipe="keras_io"` (plain SGD, as in the keras.io example). What
#    happens to every arm in the same number of epochs?
# 2. Add the `full_res` arm. How much of the gap between `bilinear` and `full_res` does
#    `learned` close?
# 3. Make the synthetic stripes cover only a quarter of the image
#    (`load_dataset("synthetic", options={"synthetic": {"coverage": 0.25}}, ...)`). Does the learned
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
# One cell per exercise. Try first. The solutions run at the profile's size, with the smallest
# settings that show the point.

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
                        limit={"train": PROFILE.num_train, "val": PROFILE.num_val},
                        options={"synthetic": {"coverage": 0.25}})
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

# %% [markdown]
# ## Summary
# * A fair comparison changes one thing. Same initial weights, same batches in the same
#   order, same recipe: then the arms pair up seed by seed.
# * Pairing removes the variation the arms share. The per-seed differences carry the answer;
#   their t-interval says how sure it is.
# * Controls separate explanations. `more_layers` tells capacity from resolution; `full_res`
#   tells whether resolution helps at all.
# * Few seeds give wide intervals. An interval that includes zero means "not shown", never
#   "no effect".
#
# ## Further reading
# * H. Talebi and P. Milanfar, "Learning to Resize Images for Computer Vision Tasks", ICCV 2021:
#   the paper this course is about.
# * S. Paul, "Learning to Resize in Computer Vision", keras.io, 2021: the example whose single
#   runs this lesson repeats with pairs and seeds.
# * X. Bouthillier et al., "Accounting for Variance in Machine Learning Benchmarks", MLSys 2021:
#   how much seeds and data splits move a benchmark.
# * A. Zhang, Z. Lipton, M. Li and A. Smola, *Dive into Deep Learning*, chapter "Optimization
#   Algorithms" (AdamW, learning-rate schedules).
# * A. Géron, *Hands-On Machine Learning*, 3rd ed., chapter 2 (validation and test sets) and
#   chapter 11 (training deep networks).
