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
# # 15 · Reading the course's studies (optional)
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/learning-to-resize/learning-to-resize/blob/v0.1.0/notebooks/15_reading_the_studies.ipynb)
# · source: [`15_reading_the_studies.py`](15_reading_the_studies.py) (the `.ipynb` is generated from it with jupytext)
#
# **What you will learn here**
# * the paired bootstrap, written by hand: an interval over photos *and* seeds;
# * McNemar's test, written by hand: do two classifiers err on different photos?
# * how to read a committed study: its provenance, its arms, its paired differences;
# * how to word a conclusion no more strongly than its interval allows.
#
# Lesson 11 compared arms over seeds on the synthetic set. The course also ran the same design
# on real photos of cats and dogs, on CPUs and GPUs, for hours. This lesson reads those studies.
# It trains nothing, so it runs in seconds. First it builds the two statistical tools the
# studies use, on a small example whose answer we know.

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
# ## Two sources of noise
# A study scores each trained model on the same validation photos. Its accuracy moves for two
# reasons. A different **seed** gives other initial weights and another batch order. A
# different **sample of photos** would give another validation set. The t-interval of lesson
# 11 sees only the first: it treats the photos as fixed. With a few hundred photos, the second
# is not small. One photo of 476 is 0.2 points.
#
# The tools below need each model's right/wrong answer on each photo. A small made-up example
# first: two arms, `a` and `b`, five seeds, 200 photos. Arm `a` is right 3 points more often,
# by construction. Photos differ in difficulty, and both arms find the same photos hard.

# %%
import math

import numpy as np

rng = np.random.default_rng(0)
SEEDS, PHOTOS = 5, 200
difficulty = rng.normal(0, 1.5, PHOTOS)  # shared by both arms: this is what pairing exploits
seed_shift = rng.normal(0, 0.15, (SEEDS, 1))  # a seed that trains well helps both arms a little


def right_or_wrong(edge):
    """(seeds, photos) booleans: a photo is answered right with probability sigmoid(edge - difficulty)."""
    p = 1 / (1 + np.exp(-(1.2 + edge + seed_shift - difficulty)))
    return rng.random((SEEDS, PHOTOS)) < p


correct_b = right_or_wrong(0.0)
correct_a = right_or_wrong(0.2)  # a small true edge for arm a
acc_a, acc_b = correct_a.mean(axis=1), correct_b.mean(axis=1)
print("accuracy per seed, a:", np.round(acc_a, 3), " b:", np.round(acc_b, 3))
print(f"a − b: {100 * (acc_a - acc_b).mean():+.1f} points on average over the seeds")

# %% [markdown]
# ## The paired bootstrap, by hand
# The bootstrap asks: had we drawn another sample, how much could the answer move? It imitates
# new samples by resampling the one we have, with replacement.
#
# 1. Draw 200 photo indices with replacement. Use the **same** draw for both arms and every
#    seed, so that each photo stays paired with itself.
# 2. Draw 5 seed indices with replacement, the same for both arms, so seeds stay paired too.
# 3. Compute the mean of `a − b` over the drawn seeds and photos.
# 4. Repeat many times. The 2.5 % and 97.5 % quantiles of those means are the interval.

# %%
diff = correct_a.astype(float) - correct_b.astype(float)  # (seeds, photos): +1, 0 or -1
boot = np.empty(5_000)
draw = np.random.default_rng(1)
for r in range(len(boot)):
    photos = draw.integers(0, PHOTOS, PHOTOS)
    seeds = draw.integers(0, SEEDS, SEEDS)
    boot[r] = diff[np.ix_(seeds, photos)].mean()
low, high = np.quantile(boot, [0.025, 0.975])
print(f"a − b = {100 * diff.mean():+.1f} points, bootstrap 95% CI [{100 * low:+.1f}, {100 * high:+.1f}]")
assert low <= diff.mean() <= high  # the interval you just computed contains the estimate

# %% [markdown]
# Compare it with the t-interval over seeds alone, which holds the photos fixed:

# %%
from resizer_lib.training.stats import paired_difference

over_seeds = paired_difference(acc_a, acc_b)
print(f"seeds only: [{100 * over_seeds.low:+.1f}, {100 * over_seeds.high:+.1f}]   "
      f"photos and seeds: [{100 * low:+.1f}, {100 * high:+.1f}]")

# %% [markdown]
# The bootstrap interval is usually the wider of the two. It adds the photos' sampling error,
# which the seeds-only interval ignores.
#
# One caution about this recipe. Resampling photos and seeds *independently* counts their
# interaction more than once. The interval is then somewhat too wide, that is, conservative
# (Owen 2007 calls this the "pigeonhole" bootstrap). A two-way variance model gives a tighter
# interval. When you read a study's intervals, check which recipe made them.

# %% [markdown]
# ## McNemar's test, by hand
# The bootstrap gives an interval. McNemar's test asks a yes/no question about one pair of
# models: do they err on different photos more often than chance allows? Only the photos on
# which the two disagree carry information. Count them:
#
# * $n_a$: photos only `a` gets right; $n_b$: photos only `b` gets right.
#
# If the two models were equally good, each of the $n = n_a + n_b$ disagreements would be a
# fair coin toss. The two-sided exact p-value is the chance of a split at least as uneven:
#
# $$ p = \min\Big(1,\; 2 \sum_{k=0}^{\min(n_a, n_b)} \binom{n}{k} 2^{-n}\Big). $$

# %%
from scipy import stats

a0, b0 = correct_a[0], correct_b[0]  # seed 0 only: McNemar compares one model with one model
n_a, n_b = int(np.sum(a0 & ~b0)), int(np.sum(~a0 & b0))
n = n_a + n_b
p_hand = min(1.0, 2 * sum(math.comb(n, k) for k in range(min(n_a, n_b) + 1)) / 2**n)
print(f"seed 0: only a right on {n_a} photos, only b right on {n_b}; p = {p_hand:.3f}")
assert math.isclose(p_hand, stats.binomtest(n_a, n, 0.5).pvalue)  # scipy agrees with you

# %% [markdown]
# A p-value above 0.05 does not say the models are equal. It says this sample cannot tell them
# apart. Here the true edge is real but small, and 200 photos are few. Run the test on every
# seed and the p-values will scatter.
#
# **Many comparisons.** A study that runs 24 tests at the 5 % level expects about one
# "significant" result by chance alone. Corrections such as Holm's raise the bar for each test.
# Read a lone significant result among many with that in mind.

# %% [markdown]
# ## The committed studies
# The course ships the summaries of its studies as package data. `load_study(name)` reads them
# wherever this notebook runs: a checkout, Colab, an installed package. The photos themselves
# are never shipped; the numbers and their provenance are. The repository's `results/README.md`
# has the commands, figures and per-run files.
#
# The studies are rerun as the course improves its design. So this lesson prints what each
# summary holds, rather than quoting numbers in its prose. Read the tables and the intervals
# yourself.

# %%
import matplotlib.pyplot as plt

from resizer_lib.training.studies import load_study, study_names
from resizer_lib.viz import show_table
from resizer_lib.viz.forest import Difference, difference_from_summary, plot_forest

print("studies shipped with the course:", study_names())
for name in study_names():
    study = load_study(name)
    if "summary" not in study:  # the BatchNorm diagnosis, the map, the warm start: further below
        continue
    cfg, prov = study["config"], study["provenance"]
    print(f"\n== {name}: {cfg['backbone']} {cfg['image_size']} -> {cfg['target_size']}, "
          f"{len(cfg['seeds'])} seeds, {cfg['epochs']} epochs, recipe {cfg.get('recipe')}")
    print(f"   {prov['dataset']} ({prov['train_examples']} train / {prov['val_examples']} val), "
          f"{prov['backend']} {prov['backend_version']}, {prov['device']}, {prov['date']}")
    show_table([{"arm": arm, "seeds": s["n"], "val accuracy %": 100 * s["mean"], "std": 100 * s["std"]}
                for arm, s in study["summary"]["arms"].items()], floatfmt=".1f");


def forest(summary, pairs, title):
    """A forest plot of the paired differences a − b (over seeds) that the summary holds."""
    arms = summary["arms"]
    rows = [difference_from_summary(summary, a, b, f"{a} − {b}") for a, b in pairs
            if a in arms and b in arms]
    plot_forest(rows, title=title)
    plt.show()


# %% [markdown]
# ### The small CNN on photos
# The main real-photo study: a small CNN, 128 → 64 px, all the photos, several seeds, on a
# 2-core CPU. Three differences answer three questions. Does the resizer beat the plain resize
# (`learned − bilinear`)? Does it beat the same blocks without full resolution
# (`learned − more_layers`)? Does full resolution help this network at all
# (`full_res − bilinear`)?

# %%
PAIRS = [("learned", "bilinear"), ("learned", "more_layers"), ("more_layers", "bilinear"),
         ("full_res", "bilinear")]
cpu = load_study("photos_small_cnn_128to64")["summary"]
forest(cpu, PAIRS, "small CNN, 128 → 64 px, moving statistics")

# %% [markdown]
# Read each row against the dashed zero line. An interval that lies to one side shows a
# difference. An interval across zero shows none. Then ask what the interval *cannot* see: an
# effect smaller than its half-width.
#
# **The recipe.** The same setting was also run with the keras.io example's recipe: plain SGD
# at a constant rate instead of AdamW with a cosine decay. Its validation accuracy jumps from
# epoch to epoch, so the table gives the final epoch *and* the mean of the last three.

# %%
ref = load_study("photos_small_cnn_128to64_keras_io")
rows = []
for r in sorted(ref["runs"], key=lambda r: (r["arm"], r["seed"])):
    val = r["history"]["val_accuracy"]
    rows.append({"arm": r["arm"], "seed": r["seed"], "final %": 100 * val[-1],
                 "last three %": 100 * np.mean(val[-3:]),
                 "lowest %": 100 * min(val), "highest %": 100 * max(val)})
show_table(rows, floatfmt=".1f");
show_table([{"arm": arm, "AdamW + cosine, per seed %": ", ".join(f"{100 * v:.1f}" for v in s["per_seed"].values())}
            for arm, s in cpu["arms"].items() if arm in ref["summary"]["arms"]]);

# %% [markdown]
# ### DenseNet-121 on a GPU: why the controls matter
# The GPU study takes the keras.io example's model and sizes: DenseNet-121 from scratch, 300 →
# 150 px. Its data and recipe differ: about 1,100 training photos and 12 epochs of AdamW.
# Read only `learned − bilinear` and you may see a large win. The controls ask two more
# questions.
#
# * `more_layers` puts the *same* blocks behind a plain resize. If it gains about as much as
#   `learned`, the extra blocks can explain the gain without any learned resizing.
# * `full_res` feeds DenseNet the 300 px photos directly. If it is no better than `bilinear`,
#   the plain resize did not throw away anything this network used.

# %%
main = load_study("photos_densenet121_300to150_gpu")["summary"]
four = load_study("photos_densenet121_300to150_gpu_4arms")["summary"]
forest(main, PAIRS, "DenseNet-121, 300 → 150 px (main study)")
forest(four, [("full_res", "bilinear")], "DenseNet-121, the resolution control")

# %% [markdown]
# ### Had the plain DenseNet learned nothing?
# In this study some arms sit near 50 % on validation while their training accuracy climbs.
# Two stories fit. Either the weights memorised the training photos. Or the weights learned,
# but the *moving BatchNorm statistics* used at inference do not match them (lesson 07). A
# diagnosis told them apart. It retrained nine runs exactly as the study did. Then it evaluated
# each one twice: with its moving statistics, and after re-estimating every BatchNorm mean and
# variance from 512 training photos, every weight unchanged. If the first story held,
# recalibration would change little.

# %%
diagnosis = load_study("photos_densenet121_300to150_gpu_batchnorm")
rows = []
for r in diagnosis["runs"]:
    moving, recal = r["moving_statistics"], r["recalibrated"]
    rows.append({"arm": r["arm"], "seed": r["seed"],
                 "val % (moving)": 100 * moving["val"]["accuracy"],
                 "'cat' share %": 100 * moving["val"]["predicted_shares"][0],
                 "val % (recalibrated)": 100 * recal["val"]["accuracy"],
                 "train % (moving)": 100 * moving["train_probe"]["accuracy"],
                 "train % (recalibrated)": 100 * recal["train_probe"]["accuracy"]})
show_table(rows, floatfmt=".1f");

# %% [markdown]
# Look at the training-photo columns first. A model that memorised its training photos scores
# well on them whatever its statistics. Then compare the arms again, paired by seed, now with
# statistics that match each model's weights:

# %%
recalibrated = {(r["arm"], r["seed"]): r["recalibrated"]["val"]["accuracy"] for r in diagnosis["runs"]}
seeds = sorted({seed for arm, seed in recalibrated if arm == "bilinear"})
rows = []
for a, b in [("learned", "bilinear"), ("full_res", "bilinear"), ("learned", "full_res")]:
    d = paired_difference([recalibrated[a, s] for s in seeds], [recalibrated[b, s] for s in seeds])
    rows.append(Difference(f"{a} − {b}", d.mean, d.low, d.high, d.n))
plot_forest(rows, title="DenseNet-121, recalibrated statistics")
plt.show()

# %% [markdown]
# If the gap between the arms shrinks once the statistics match the weights, the first reading
# was about BatchNorm, not about resizing. Evaluate from-scratch BatchNorm networks with
# recalibrated statistics before you read a gap between them.

# %% [markdown]
# ### When does it pay? The map over downsampling factors
# One setting cannot say *when* a learned resizer helps. The map study repeats the small-CNN
# design at several factors, with an antialiased bilinear arm and MULLER beside the others. It
# scores every pair twice: over seeds, and with the paired bootstrap over photos and seeds that
# you wrote above. It also runs McNemar's test per seed. The summary holds all three.

# %%
def bootstrap_rows(study, view="moving"):
    """Per factor and comparison: the bootstrap interval over photos and seeds, as forest rows."""
    rows = []
    for f in study["factors"]:
        print(f"{f['factor']:.0f}x ({f['image_size'][0]} → {f['target_size'][0]} px): seeds used "
              f"{f['seeds_used'] or 'none yet'}, {len(f['missing_runs'])} runs missing")
        for c in f["comparisons"]:
            if c[view]["available"] and c[view]["per_photo"]["available"]:
                b = c[view]["per_photo"]["bootstrap"]
                n = len(c[view]["seeds_interval"].get("differences", [])) or len(f["seeds_used"])
                rows.append(Difference(f"{f['factor']:.0f}x: {c['a']} − {c['b']}", b["mean"],
                                       b["low"], b["high"], n))
    return rows


fmap = load_study("map_small_cnn")
print("partial map" if fmap["partial"] else "complete map", "| comparisons:", fmap["comparisons"])
plot_forest(bootstrap_rows(fmap), title="the map: photos' and seeds' bootstrap, moving statistics")
plt.show()

# %% [markdown]
# The McNemar counts are there too. Each seed of each pair has its discordant photos and an
# exact p-value, the test you wrote above:

# %%
first = fmap["factors"][0]["comparisons"][0]["moving"]["per_photo"]
show_table(first["mcnemar"], floatfmt=".3f");

# %% [markdown]
# ### The paper's protocol: a resizer inserted into a trained model
# Talebi & Milanfar do not train the resizer and the backbone together from scratch. They take
# a backbone already trained with bilinear resizing, insert the resizer in front of it, and
# train the two jointly. The warm-start study does the same for several seeds and factors.
# Every arm of a seed starts from the same trained backbone, so the arms pair up as before.
# The table shows where each arm starts and where it ends.

# %%
warm = load_study("warm_start_small_cnn")
show_table([{"factor": f"{f['factor']:.0f}x", "arm": arm,
             "start %": None if a["start"] is None else 100 * a["start"],
             "final %": 100 * a["final"], "final, recalibrated %": 100 * a["final_recalibrated"],
             "runs": a["runs"]}
            for f in warm["factors"] for arm, a in f["accuracy"].items()], floatfmt=".1f");
plot_forest(bootstrap_rows(warm), title="warm start: photos' and seeds' bootstrap")
plt.show()

# %% [markdown]
# Look first at where each arm *starts*. An inserted module that does not start as the identity
# changes what the trained backbone sees. Then the training must first undo that damage before it
# can add anything. Then look at where the arms *end*, and read the intervals as before.
#
# Starting the module at zero avoids the damage (lesson 09). With the last convolution's kernel $W$
# and bias at zero, $y = R(x) + W * h = R(x)$ exactly. Yet $\partial L / \partial W$ correlates the
# backbone's gradient with the features $h$, which are not zero, so $W$ moves at the first step.
# Zero-$\gamma$ residual branches, ReZero and ControlNet's zero convolutions add modules to trained
# networks the same way. Below, a bilinear model gets a resizer inserted, at random and at zero:

# %%
from resizer_lib.data.sample_images import load_sample
from resizer_lib.models import backbone_weights, build_classifier
from resizer_lib.viz import resize_image

trained = build_classifier("small_cnn", 128, 64, resizer="bilinear", seed=0)  # stands for a trained model
photos = 255 * np.stack([resize_image(load_sample(n), (128, 128), "bilinear", antialias=True)
                         for n in ("chelsea", "coffee", "astronaut", "rocket")])  # (4, 128, 128, 3)
plain = np.asarray(trained.get_layer("resize_bilinear")(photos / 255))  # what the backbone saw
before = np.asarray(trained(photos, training=False))
rows = []
for zero_init in (False, True):
    inserted = build_classifier("small_cnn", 128, 64, resizer="learned", seed=0, zero_init=zero_init)
    inserted.get_layer("small_cnn").set_weights(backbone_weights(trained))
    seen = np.asarray(inserted.get_layer("resizer")(photos / 255, training=False))
    change = np.abs(np.asarray(inserted(photos, training=False)) - before).max()
    rows.append({"last convolution": "at zero" if zero_init else "random", "std of what it adds":
                 (seen - plain).std(), "std of the image": plain.std(), "correlation with bilinear":
                 np.corrcoef(seen.ravel(), plain.ravel())[0, 1], "largest change of a prediction": change})
show_table(rows, floatfmt=".3g");
assert rows[1]["largest change of a prediction"] == 0  # at zero: exactly the trained model's predictions

# %% [markdown]
# ### A fair test of the protocol
# That warm start has three weak points. The resizer's last convolution starts random, so the
# trained model first sees a scrambled image. The augmentation shifts images by fractions of a
# pixel, which blurs the finest detail in training only. And its intervals are the bootstrap
# above, which is conservative for crossed seeds and photos. The fair study fixes all three: the
# resizer is inserted at zero, the shifts move whole pixels, and each difference gets a two-way
# (seed × photo) interval. Its three primary comparisons were declared before any run finished,
# and their p-values are adjusted together (Holm; while some runs are unfinished, the cruder
# Bonferroni bound, which is never smaller).

# %%
fair = load_study("fair_small_cnn_primary")
print(f"seeds {fair['seeds']}, {fair['view']} statistics; {fair['interval']}")
table, rows = [], []
for c in fair["comparisons"]:
    study, arm_a, arm_b = c["a"].split("/")[-2], c["a"].rsplit(":", 1)[1], c["b"].rsplit(":", 1)[1]
    label = f"{study}: {arm_a} − {arm_b}"
    if c.get("pending"):
        table.append({"comparison": label, "points [95% interval]": "runs not finished", "p adjusted": ""})
        continue
    t = c["two_way"]
    table.append({"comparison": label, "p adjusted": f"{c['p_holm']:.3f}", "points [95% interval]":
                  f"{100 * t['mean']:+.1f} [{100 * t['low']:+.1f}, {100 * t['high']:+.1f}]"})
    rows.append(Difference(label, t["mean"], t["low"], t["high"], t["seeds"]))
show_table(table, columns=["comparison", "points [95% interval]", "p adjusted"]);
if rows:
    plot_forest(rows, title="the fair test: two-way intervals")
    plt.show()

# %% [markdown]
# ## Exercises
# 1. **Photos only.** Rerun the bootstrap by hand with the seeds held fixed (draw photos only).
#    Is the interval narrower or wider than with both?
# 2. **McNemar over the map.** Take the map's first comparison at 2×. From its discordant
#    counts for seed 0, compute the p-value by hand. Does it match the stored one?
# 3. **How many photos?** In the made-up example, how many photos would halve the width of the
#    bootstrap interval? Guess from the $1/\sqrt{n}$ rule, then try it.

# %% tags=["exercise"]
# Exercise 1: your code here
photos_only = None  # (low, high) of the bootstrap with the seeds held fixed

# %% tags=["exercise"]
# Exercise 2: your code here
p_seed0 = None  # McNemar's exact p-value for seed 0 of the map's first comparison

# %% tags=["exercise"]
# Exercise 3: your code here
photos_for_half = None  # the number of photos that halves the interval's width

# %% [markdown] tags=["solution"]
# ## Solutions
#
# One cell per exercise. Try first.

# %% tags=["solution"] jupyter={"source_hidden": true}
# 1. Photos only: the seeds stay as they are, only the photos are redrawn.
means = np.array([diff[:, draw.integers(0, PHOTOS, PHOTOS)].mean() for _ in range(5_000)])
photos_only = tuple(np.quantile(means, [0.025, 0.975]))
print(f"photos only: [{100 * photos_only[0]:+.1f}, {100 * photos_only[1]:+.1f}]; "
      f"photos and seeds: [{100 * low:+.1f}, {100 * high:+.1f}]")

# %% tags=["solution"] jupyter={"source_hidden": true}
# 2. McNemar from the stored counts
m = fmap["factors"][0]["comparisons"][0]["moving"]["per_photo"]["mcnemar"][0]
k, total = min(m["a_only"], m["b_only"]), m["discordant"]
p_seed0 = min(1.0, 2 * sum(math.comb(total, j) for j in range(k + 1)) / 2**total)
print(f"by hand {p_seed0:.4f}, stored {m['p_value']:.4f}")
assert math.isclose(p_seed0, m["p_value"], rel_tol=1e-9)

# %% tags=["solution"] jupyter={"source_hidden": true}
# 3. The width falls like 1 / sqrt(photos): four times the photos halve it.
photos_for_half = 4 * PHOTOS
print(f"about {photos_for_half} photos; the 476 photos of the real studies give an interval "
      "about half as wide as 119 would")

# %% [markdown]
# ## Summary
# * A study's accuracy moves with the seed *and* with the sample of photos. A t-interval over
#   seeds sees only the first.
# * The paired bootstrap resamples photos (and seeds) with replacement, the same draw for both
#   arms. Its quantiles give an interval for the difference.
# * McNemar's test looks only at the photos two models disagree on. Under "no difference",
#   each disagreement is a coin toss.
# * An interval across zero means "not shown". Many tests give some false alarms. Word every
#   conclusion at the strength of its interval, and say what size of effect it cannot see.
#
# ## Further reading
# * B. Efron and R. Tibshirani, *An Introduction to the Bootstrap*, Chapman & Hall, 1993.
# * T. G. Dietterich, "Approximate Statistical Tests for Comparing Supervised Classification
#   Learning Algorithms", Neural Computation 10(7), 1998: McNemar's test for classifiers.
# * A. B. Owen, "The pigeonhole bootstrap", Annals of Applied Statistics 1(2), 2007: resampling
#   two crossed factors, such as seeds and photos.
# * X. Bouthillier et al., "Accounting for Variance in Machine Learning Benchmarks", MLSys 2021.
# * S. Holm, "A Simple Sequentially Rejective Multiple Test Procedure", Scandinavian Journal of
#   Statistics 6(2), 1979.
