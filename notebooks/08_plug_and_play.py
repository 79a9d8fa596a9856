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
# # 08 · Plug and play: one resizer in front of many backbones, ConvMixer included
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/learning-to-resize/learning-to-resize/blob/v0.1.0/notebooks/08_plug_and_play.ipynb)
# · source: [`08_plug_and_play.py`](08_plug_and_play.py) (the `.ipynb` is generated from it with jupytext)
#
# Talebi & Milanfar present the learnable resizer as a *drop-in* front end: whatever vision
# network you use, put the resizer in front of it and train the two together. This notebook
# takes the claim literally. The same resizer goes in front of DenseNet-121, ResNet-50,
# MobileNetV2 and ConvMixer, and each pair (with / without the resizer) is trained with the
# paired method of notebook 06.
#
# **What you will learn here**
# * why the resizer can be put in front of *any* image network, and what that costs in
#   parameters and in time per training step;
# * ConvMixer ("Patches Are All You Need?"): patch embedding, depth-wise and point-wise
#   convolutions, and its parameter count worked out by hand;
# * how to read a plug-and-play table honestly (parameters, accuracy, step time, paired
#   differences);
# * what ConvMixer's learned patch embeddings and depth-wise kernels look like, with and without
#   the resizer in front;
# * a second training recipe next to plain SGD: AdamW with weight decay plus a checkpoint that
#   keeps the best weights, and why "best on validation" needs a separate test set.

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
# ## Why "plug and play" works
# Every classifier in this course is built the same way (`resizer_lib.models.build_classifier`):
#
# $$ \hat y = \mathrm{backbone}_\phi\big(\mathrm{resize}_\theta(x / 255)\big), \qquad
#    x \in \{0..255\}^{H \times W \times 3}, \quad
#    \mathrm{resize}_\theta(\cdot) \in \mathbb{R}^{h \times w \times 3}. $$
#
# The backbone only ever sees an $h \times w \times 3$ tensor. Whether it came from a bilinear
# resize or from the learnable resizer makes no difference to its shape, so any network that
# accepts $h \times w$ RGB input accepts the resizer's output. Gradients flow from the loss
# through $\phi$ into $\theta$; nothing in the resizer knows which backbone is behind it.
#
# Two practical limits: the `keras.applications` networks refuse inputs smaller than
# $32 \times 32$ (their five stride-2 stages would shrink the map below one pixel), and
# pretrained ImageNet weights expect ImageNet-like input statistics, which the resizer's output
# does not promise (its residual is unbounded). Here every backbone trains from scratch.

# %% [markdown]
# ### Which backbones, and which ones this notebook trains
# The paper's ImageNet classification experiments put the resizer in front of four networks:
# **Inception-v2, DenseNet-121, ResNet-50 and MobileNet-v2**. It also fine-tunes classification
# baselines for image quality assessment on the AVA dataset. This course has three of the four
# ImageNet networks (no Inception-v2), plus two it adds itself: **EfficientNet-B0**, which is not
# in the paper's ImageNet table, and **ConvMixer**, a network published after the paper.
#
# Training them all takes far longer than a laptop lesson allows, so the profile decides what is
# trained live here (the code path is the same for every backbone):
#
# | profile | trained live (bilinear and learned arms) | the others |
# |---|---|---|
# | `smoke` (CI) | ConvMixer, 2 steps, only to check that the code runs | built and counted |
# | `quick` (a laptop CPU) | ConvMixer, 40 steps, one seed | built and counted; DenseNet-121 from a committed GPU study |
# | `colab` (a free Colab GPU) | ConvMixer, 80 steps, three seeds | as under `quick` |
# | `full` (a GPU) | all five, every seed of the profile | none: all trained |
#
# Why ConvMixer under `quick`: it is the one backbone that learned the synthetic task within 40
# steps on a CPU, and the later sections look inside it. An earlier version of this notebook
# trained all four under `quick`; on a 2-core CPU shared with two other training processes it
# took 34 minutes. ResNet-50, DenseNet-121 and MobileNetV2 stayed at chance in both arms (also
# with re-estimated BatchNorm statistics), and building their training graphs took one to three
# minutes per run: most of the time, for nothing to see.

# %%
import keras
import numpy as np

from resizer_lib.models import BACKBONES, build_classifier

ALL_BACKBONES = ["mobilenetv2", "resnet50", "densenet121", "efficientnetb0", "convmixer"]
TRAINED = ALL_BACKBONES if PROFILE.name == "full" else ["convmixer"]  # smoke, quick, colab
assert set(ALL_BACKBONES) <= set(BACKBONES) and "convmixer" in TRAINED
IMAGE, TARGET = PROFILE.image_size, PROFILE.target_size
if min(TARGET) < 32:  # smoke's 16x16 is too small for keras.applications: use 64 -> 32 here
    IMAGE, TARGET = (64, 64), (32, 32)
assert min(TARGET) >= 32 and IMAGE == (2 * TARGET[0], 2 * TARGET[1])
print(f"trained here: {TRAINED}; images {IMAGE} -> {TARGET}")

# %% [markdown]
# ## ConvMixer, built up
# ConvMixer (Trockman & Kolter, "Patches Are All You Need?", 2022) is a deliberately plain,
# fully convolutional network. With width $h$ (channels), depth $d$, kernel size $k$ and patch
# size $p$:
#
# 1. **patch embedding**: a $p \times p$ convolution with stride $p$ cuts the image into
#    non-overlapping $p \times p$ patches and maps each to an $h$-dimensional vector (exactly a
#    ViT's linear patch embedding, written as a convolution), then GELU and BatchNorm;
# 2. $d$ **ConvMixer blocks**, each
#    $$ z \leftarrow \mathrm{BN}(\sigma(\mathrm{DWConv}_{k \times k}(z))) + z, \qquad
#       z \leftarrow \mathrm{BN}(\sigma(\mathrm{PWConv}_{1 \times 1}(z))) $$
#    where the **depth-wise** $k \times k$ convolution mixes *spatial* positions within each
#    channel (one filter per channel) and the **point-wise** $1 \times 1$ convolution mixes
#    *channels* at each position; $\sigma$ is GELU;
# 3. global average pooling and a softmax dense head.
#
# The resolution stays at $H/p \times W/p$ after the stem (no pooling, no further strides);
# the receptive field grows by $k - 1$ grid cells per block, to $p\,(d(k-1) + 1)$ pixels.

# %%
from resizer_lib.models.convmixer import build_convmixer, convmixer_param_count

convmixer = build_convmixer((32, 32, 3), num_classes=10)  # ConvMixer-256/8, k = 5, p = 2
for name in ["patch_embed", "patch_bn", "mixer0_depthwise", "mixer0_residual",
             "mixer0_pointwise", "mixer7_pw_bn", "gap", "predictions"]:
    print(f"{name:18s} {convmixer.get_layer(name).output.shape}")
assert convmixer.get_layer("mixer7_pw_bn").output.shape == (None, 16, 16, 256)
assert len([la for la in convmixer.layers if isinstance(la, keras.layers.DepthwiseConv2D)]) == 8

# %% [markdown]
# ### Its parameters, by hand
# For ConvMixer-256/8 with $k = 5$, $p = 2$ on $32 \times 32 \times 3$ images and 10 classes
# (BatchNorm stores 4 numbers per channel: $\gamma, \beta$ and the moving mean and variance):
#
# | part | count | |
# |---|---|---|
# | patch embedding | $2 \cdot 2 \cdot 3 \cdot 256 + 256 + 4 \cdot 256$ | 4,352 |
# | one block: depth-wise | $5 \cdot 5 \cdot 256 + 256 + 4 \cdot 256$ | 7,680 |
# | one block: point-wise | $256 \cdot 256 + 256 + 4 \cdot 256$ | 66,816 |
# | 8 blocks | $8 \cdot 74{,}496$ | 595,968 |
# | head | $256 \cdot 10 + 10$ | 2,570 |
# | **total** | | **602,890** |
#
# Of these, $2 \cdot 256 \cdot 17 = 8{,}704$ are BatchNorm moving statistics (17 BatchNorm
# layers), so 594,186 are trainable. The keras.io ConvMixer example describes this same model
# as having "about 0.8 million" parameters; its own code, like ours, gives 602,890, about
# **0.6 M**. Two more things the table shows: the eight $1 \times 1$ point-wise convolutions
# hold 87% of all parameters (channel mixing is the expensive part, spatial mixing is cheap),
# and no term depends on $H$ or $W$: the same weights serve any image size.

# %%
counts = convmixer_param_count(width=256, depth=8, kernel_size=5, patch_size=2, num_classes=10)
print({k: f"{v:,}" for k, v in counts.items()})
assert convmixer.count_params() == counts["total"] == 602_890
assert sum(int(np.prod(w.shape)) for w in convmixer.trainable_weights) == counts["trainable"] == 594_186
pointwise = 8 * (256 * 256 + 256)
print(f"point-wise share: {pointwise / counts['total']:.1%}")
assert round(pointwise / counts["total"], 2) == 0.87

# %% [markdown]
# Fully convolutional means one model serves every input size: build it with unknown height
# and width and feed it two different sizes. As a classifier backbone it is built for the
# target size like any other (`build_classifier("convmixer", ...)`), and its parameter count
# does not change with that size.

# %%
anysize = build_convmixer((None, None, 3), num_classes=2, width=16, depth=2)
for size in [(32, 32), (20, 44)]:
    out = anysize(np.zeros((1, *size, 3), "float32"), training=False)
    print(size, "->", tuple(out.shape))
    assert tuple(out.shape) == (1, 2)

sizes = {t: build_classifier("convmixer", IMAGE, t, "learned", num_classes=2,
                             seed=0).count_params() for t in [TARGET, (TARGET[0] + 5, TARGET[1] - 3)]}
print({f"{t[0]}x{t[1]}": f"{n:,}" for t, n in sizes.items()})
assert len(set(sizes.values())) == 1

# %% [markdown]
# ## The data
# The offline synthetic set (see notebook 06): the class is a faint period-2 stripe that a
# bilinear 2× downscale erases exactly. So the *bilinear* arm of every backbone should stay at
# chance (50%) whatever the backbone, and any gain must come from the resizer reading the
# stripes at full resolution. A third, disjoint slice of the same generator serves as a
# **test** set for the checkpoint recipe at the end.
#
# These networks are slow to train on a CPU, so this notebook uses fewer examples, epochs and
# seeds than notebook 06 (the `PLAN` below, per profile): `smoke` only checks that the code
# runs (16 images, 2 steps); `quick` trains ConvMixer on 256 images for 5 epochs (40 steps), one
# seed, a few minutes on a 2-core laptop CPU; `colab` the same at $128 \to 64$ px on 512 images,
# three seeds; `full` (a GPU) trains all five backbones at the
# profile's sizes ($300 \to 150$ px, 4,096 images, 25 epochs, 5 seeds), the numbers worth
# quoting, with confidence intervals. The method is the same in all three.

# %%
from resizer_lib.data import load_dataset
from resizer_lib.data.synthetic import make_synthetic

PLAN = {  # examples, epochs, seeds for the backbone comparison, per profile
    "smoke": dict(num_train=16, num_val=8, batch_size=8, epochs=1, seeds=(0,)),  # 2 steps: the
    # first has learning rate 0 (the warm-up of adamw_cosine starts at 0)
    "quick": dict(num_train=256, num_val=128, batch_size=32, epochs=5, seeds=(0,)),
    "colab": dict(num_train=512, num_val=256, batch_size=32, epochs=5, seeds=(0, 1, 2)),
    "full": dict(num_train=PROFILE.num_train, num_val=PROFILE.num_val,
                 batch_size=PROFILE.batch_size, epochs=PROFILE.epochs,
                 seeds=tuple(range(PROFILE.seeds))),
}[PROFILE.name]
ds = load_dataset("synthetic", image_size=IMAGE, seed=0, backend="numpy",
                  num_train=PLAN["num_train"], num_val=PLAN["num_val"])
(x_train, y_train), (x_val, y_val) = ds.train, ds.val
x_test, y_test = make_synthetic(PLAN["num_val"], IMAGE, seed=0, offset=2_000_000_000)
data = {"x_train": x_train, "y_train": y_train, "x_val": x_val, "y_val": y_val,
        "class_names": list(ds.class_names), "counts": ds.counts, "source": "synthetic"}
print(ds.describe(), f"+ test {len(y_test)}")
assert x_train.shape[1:] == x_test.shape[1:] == (*IMAGE, 3)

# %% [markdown]
# ## The paired comparison across backbones
# For each backbone and seed, `train_run` trains the two arms, `bilinear` and `learned`: both
# start from the same backbone weights (the records carry a checksum of them) and see the same
# batches in the same order, as in notebook 06; `summarise` then gives mean ± std per arm and the
# paired difference per seed with its 95% t-interval. Two callbacks ride along:
#
# * `StepTimer` (from `resizer_lib.training.timing`) records the wall time of every training step,
#   leaving out the first, which includes building the graph;
# * `keras.callbacks.ModelCheckpoint(save_best_only=True)` writes each run's best weights (by
#   validation accuracy) to a temporary folder; the recipe section at the end uses them.
#
# Each record also holds its trained model, so we can look inside ConvMixer afterwards.
#
# One CPU-specific setting: under `smoke`, building a network's training step into a
# TensorFlow graph takes far longer than the two steps it then runs, so smoke runs eagerly (no
# graph, `run_eagerly=True`); its step times are not representative. (XLA is used only where a GPU is visible:
# on a CPU it makes ConvMixer's depth-wise convolutions several times slower.)

# %%
import tempfile
from pathlib import Path

from resizer_lib.training import ExperimentConfig, train_run
from resizer_lib.training.reporting import summarise
from resizer_lib.training.timing import StepTimer


def best_weights_checkpoint(path: Path) -> keras.callbacks.ModelCheckpoint:
    """Save the weights whenever validation accuracy improves (one callback per run)."""
    return keras.callbacks.ModelCheckpoint(str(path), monitor="val_accuracy", save_best_only=True,
                                           save_weights_only=True)


EAGER = PROFILE.name == "smoke"  # smoke only: skip the graph build (see above)

OUT = Path(tempfile.mkdtemp(prefix="nb08_"))  # checkpoints and logs; removed at the end
timer = StepTimer(warmup=0 if EAGER else 1)  # eager: no graph build to leave out
base = ExperimentConfig(
    name="nb08", data="synthetic", image_size=IMAGE, target_size=TARGET,
    arms=("bilinear", "learned"), epochs=PLAN["epochs"], batch_size=PLAN["batch_size"],
    seeds=PLAN["seeds"], num_train=PLAN["num_train"], num_val=PLAN["num_val"],
    recipe="adamw_cosine", out_dir=str(OUT), verbose=0, run_eagerly=EAGER,
)
runs = {}  # backbone -> list of run records
for backbone in TRAINED:
    config = ExperimentConfig(**(base.to_dict() | {"backbone": backbone}))
    runs[backbone] = []
    for seed in base.seeds:
        for arm in base.arms:
            print(f"training {backbone} / {arm} / seed {seed}", flush=True)
            best = best_weights_checkpoint(OUT / f"{backbone}_{arm}_seed{seed}.weights.h5")
            runs[backbone].append(train_run(config, arm, seed, data, OUT / backbone,
                                            callbacks=[timer, best]))

# %% [markdown]
# ### The table
# One row per backbone and arm: parameters, final-epoch validation accuracy (mean ± std over
# seeds), the last epoch's training accuracy, and the median time of one training step. Then, per backbone, the paired difference
# learned − bilinear with its 95% t-interval (no interval with a single seed).

# %%
from resizer_lib.viz import show_table

rows, diffs = [], []
for backbone, records in runs.items():
    summary = summarise(records, base.arms)
    for arm in base.arms:
        s = summary["arms"][arm]
        mine = [r for r in records if r["arm"] == arm]
        rows.append({"backbone": backbone, "arm": arm, "params": f"{mine[0]['params']:,}",
                     "val accuracy %": f"{100 * s['mean']:.1f} ± {100 * s['std']:.1f}",
                     "train accuracy %": f"{100 * np.mean([r['history']['accuracy'][-1] for r in mine]):.1f}",
                     "step ms": round(timer.median_ms(f"{backbone}_{arm}"), 1)})
    pair = summary["pairs"][0]  # ("bilinear", "learned"): a = bilinear, so negate
    assert (pair["a"], pair["b"]) == ("bilinear", "learned")
    ci = ("n/a (one seed)" if np.isnan(pair["low"])
          else f"[{-100 * pair['high']:+.1f}, {-100 * pair['low']:+.1f}]")
    diffs.append({"backbone": backbone, "seeds": pair["n"],
                  "learned − bilinear (points)": f"{-100 * pair['mean']:+.1f}", "95% CI": ci})
show_table(rows);
show_table(diffs);

# %% [markdown]
# Facts the table must satisfy whatever the numbers: every backbone has its known parameter
# count (2 classes), the learned arm has exactly the resizer's 12,163 parameters more, and
# within each seed both arms started from identical backbone weights. The backbones this
# profile did not train are built here and counted, so the parameter table covers all five,
# and so does the BatchNorm momentum each one uses (it matters in the next section).

# %%
from resizer_lib.models.batchnorm import batchnorm_momenta

PARAMS = {"mobilenetv2": 2_260_546, "resnet50": 23_591_810, "densenet121": 7_039_554,
          "efficientnetb0": 4_052_133, "convmixer": 600_834}  # 2 classes, bilinear arm
for backbone, records in runs.items():
    p = {r["arm"]: r["params"] for r in records}
    assert p["bilinear"] == PARAMS[backbone], backbone
    assert p["learned"] - p["bilinear"] == 12_163, backbone
    for seed in base.seeds:
        assert len({r["initial_backbone_checksum"] for r in records if r["seed"] == seed}) == 1
    assert len(timer.steps[f"{backbone}_learned"]) == len(base.seeds)  # every run was timed
momenta = {}
for backbone in ALL_BACKBONES:
    if backbone in runs:
        model = next(r["model"] for r in runs[backbone] if r["arm"] == "bilinear")
    else:  # not trained under this profile: build it (random weights) and count
        model = build_classifier(backbone, IMAGE, TARGET, "bilinear", num_classes=2, seed=0)
        assert model.count_params() == PARAMS[backbone], backbone
    momenta[backbone] = sorted(batchnorm_momenta(model))
show_table([{"backbone": b, "trained here": "yes" if b in runs else "no", "bilinear": f"{n:,}",
             "learned": f"{n + 12_163:,}", "resizer share": f"{12_163 / (n + 12_163):.1%}",
             "BatchNorm momentum": ", ".join(map(str, momenta[b]))} for b, n in PARAMS.items()]);
assert momenta["mobilenetv2"] == [0.999] and momenta["convmixer"] == [0.9]
assert momenta["resnet50"] == momenta["densenet121"] == [0.99]  # Keras' default

# %% [markdown]
# **Reading it.** *Parameters*: the resizer's 12,163 weights are a rounding error next to
# ResNet-50 (23.6 M) or DenseNet-121 (7 M), and 2% of ConvMixer-256/8. *Step time*: the resizer
# is not free. Its first convolutions run at the **input** resolution, before any downsampling,
# so its cost grows with $H \times W$, not with the backbone's $h \times w$; the lighter the
# backbone, the larger its share (exercise 3 measures it). For the backbones not trained here,
# `benchmarks/README.md` ("Why ResNet-50 is the slowest backbone at 32 px") has measured steps:
# at $64 \to 32$ px and batch 32, a ResNet-50 training step took 2.2 s on a 2-core CPU, its
# forward pass alone 0.09 s (the backward pass through its last stages, at 1-4 px, is what is
# slow there). *Accuracy*: on this synthetic set the bilinear arm cannot beat 50% on
# validation (the class is erased before the backbone sees anything), yet its *training*
# accuracy can still climb: the network memorises the training images by their backgrounds. A
# learned arm well above 50% on validation means the resizer recovered the stripes for that
# backbone.
#
# One trap, and the reason the training accuracy is in the table: after a short run, a
# validation accuracy of *exactly* 50% can also mean that BatchNorm's **moving statistics** have
# not caught up with the weights. Notebook 03 ("Batch normalisation") works this out in full;
# what matters here is the momentum $m$ in the table: after $n$ steps the initial statistics
# still weigh $m^n$. For MobileNetV2 ($m = 0.999$) that is 0.96 after 40 steps, for ConvMixer
# ($m = 0.9$, PyTorch's default, as in the paper's code) $0.9^{40} \approx 0.015$.

# %%
assert round(0.999**40, 2) == 0.96 and round(0.9**40, 3) == 0.015

# %% [markdown]
# ### What a committed study adds, and what none covers
# One seed of a synthetic task says little. The course ships one multi-seed study of a backbone
# from this notebook: **DenseNet-121** from scratch at the keras.io setting ($300 \to 150$ px),
# trained on real cat and dog photos (1,126 training / 198 validation) for 12 epochs with AdamW
# and a cosine schedule, five seeds, on NVIDIA H200 and H100 GPUs with the JAX backend (the
# repository's `results/README.md`, "The GPU study", has the command and every run's
# provenance). It is a different task from the synthetic one above, so read it as a second data
# point, not as a repeat. No committed study trains ResNet-50, MobileNetV2, EfficientNet-B0 or
# ConvMixer: for them this notebook's own runs (one seed under `quick`, the profile's seeds under
# `colab` and `full`) are all there is. The summary is package data, so the cell runs wherever
# the notebook does.

# %%
from resizer_lib.training.reporting import paired
from resizer_lib.training.studies import load_study

study = load_study("photos_densenet121_300to150_gpu_4arms")
gpu = study["summary"]
print(f"{study['name']}: {study['config']['backbone']}, {study['config']['image_size']} -> "
      f"{study['config']['target_size']}, {study['provenance']['dataset']} "
      f"({study['provenance']['train_examples']} / {study['provenance']['val_examples']} photos)")
show_table([{"arm": arm, "seeds": s["n"], "val accuracy %": f"{100 * s['mean']:.1f} ± {100 * s['std']:.1f}"}
            for arm, s in gpu["arms"].items()]);
for a, b in [("learned", "bilinear"), ("more_layers", "bilinear"), ("learned", "more_layers")]:
    d = paired(gpu, a, b)
    print(f"{a} − {b}: {100 * d['mean']:+.1f} points, 95% CI "
          f"[{100 * d['low']:+.1f}, {100 * d['high']:+.1f}] over {d['n']} seeds")
assert paired(gpu, "learned", "bilinear")["low"] > 0  # the resizer's model wins...
blocks = paired(gpu, "learned", "more_layers")
assert blocks["low"] < 0 < blocks["high"]  # ...but no more than the same blocks after a plain resize

# %% [markdown]
# With the moving BatchNorm statistics, the resizer's arm beats bilinear by about 19 points over
# five seeds, and so does `more_layers`, the same blocks behind a plain resize: the lift comes
# from the extra blocks, not from learning to resize. Notebook 06 reads this study in full,
# including its BatchNorm diagnosis: with re-estimated statistics the plain DenseNet was no
# worse than the resizer (three seeds). That is the trap of the next section, on a GPU.

# %% [markdown]
# ### The trap, measured
# Is a 50% row the trap or a network that learned nothing? Keep every trained weight, and only
# **re-estimate the BatchNorm statistics** from the training images (`recalibrate_batchnorm`,
# "precise BatchNorm", notebook 03), then evaluate the same validation images again. If the
# accuracy jumps, the network had learned and only its moving statistics were stale; if it stays
# at 50%, it had not learned (the bilinear arm cannot, by construction of this data set). Each
# model's own statistics are put back afterwards, so everything below sees the models as trained.
# `train_run` does the same for every run (`final["val_accuracy_recalibrated"]`, on up to 512
# training images), and the cell checks that the two agree.

# %%
from resizer_lib.models.batchnorm import batchnorm_layers, recalibrate_batchnorm


def val_accuracy(model: keras.Model) -> float:
    """Accuracy on the validation images in inference mode (moving BatchNorm statistics)."""
    probs = keras.ops.convert_to_numpy(model.predict(x_val, batch_size=PLAN["batch_size"], verbose=0))
    return float(np.mean(probs.argmax(axis=-1) == y_val))


recal = []
for backbone, records in runs.items():
    for r in records:
        before = val_accuracy(r["model"])
        assert abs(before - r["final"]["val_accuracy"]) < 1e-6  # the table's number, recomputed
        as_trained = r["model"].get_weights()
        n_bn = recalibrate_batchnorm(r["model"], x_train, batch_size=PLAN["batch_size"])
        after = val_accuracy(r["model"])
        r["model"].set_weights(as_trained)  # the moving statistics training left, back in place
        assert n_bn == len(batchnorm_layers(r["model"])) > 0
        if len(x_train) <= 512:  # then train_run recalibrated on the same images, in order
            assert abs(after - r["final"]["val_accuracy_recalibrated"]) <= 1 / len(y_val) + 1e-6
        recal.append({"backbone": backbone, "arm": r["arm"], "seed": r["seed"], "BatchNorm layers": n_bn,
                      "val % as trained": f"{100 * before:.1f}", "val % recalibrated": f"{100 * after:.1f}"})
show_table(recal);

# %% [markdown]
# How to read it: a backbone whose arm jumps from 50% once recalibrated was hiding what it had
# learned behind stale statistics; where it does not move, the 50% is real. Under `quick`
# ConvMixer's bilinear arm stays near chance either way (it cannot learn this task), and its
# learned arm, already far above chance, can rise further. Under `full` the table has every
# backbone; MobileNetV2, with its momentum of 0.999, is the one to watch. Either way it is a
# property of BatchNorm, not of the resizer: both arms get the same treatment, so the paired
# comparison stays fair.

# %% [markdown]
# ## Inside ConvMixer: what the patch embeddings and kernels learned
# ConvMixer's first layer has 256 filters of size $2 \times 2 \times 3$: each is the patch
# pattern that lights up one channel. Its depth-wise layers have 256 kernels of $5 \times 5$,
# one per channel. Below, each filter is **normalised on its own** to $[0, 1]$ (the keras.io
# example normalises all filters together; then a few strong filters fill the range and most
# look flat grey). Three columns: the shared initial weights (both arms start there), after
# training behind the bilinear resize, and after training behind the learned resizer.

# %%
import matplotlib.pyplot as plt

from resizer_lib.models import backbone_weights
from resizer_lib.models.convmixer import (
    depthwise_kernels,
    filter_mosaic,
    find_convmixer,
    normalise_per_filter,
    patch_embeddings,
)
from resizer_lib.training import build_arm, weights_checksum

cm_config = ExperimentConfig(**(base.to_dict() | {"backbone": "convmixer"}))
seed = base.seeds[-1]
cm_runs = {r["arm"]: r for r in runs["convmixer"] if r["seed"] == seed}
initial = build_arm(cm_config, "bilinear", 2, seed)  # rebuilt: the same seed, the same start
assert weights_checksum(backbone_weights(initial)) == cm_runs["bilinear"]["initial_backbone_checksum"]
trained = {"initial": initial, "bilinear": cm_runs["bilinear"]["model"],
           "learned": cm_runs["learned"]["model"]}

last = 7
fig, axes = plt.subplots(3, 3, figsize=(12, 9.5))
for col, (label, model) in enumerate(trained.items()):
    panels = [(patch_embeddings(model), "patch embeddings (2x2x3)"),
              (depthwise_kernels(model, block=0), "depth-wise kernels, block 0"),
              (depthwise_kernels(model, block=last), f"depth-wise kernels, block {last}")]
    for row, (filters, title) in enumerate(panels):
        ax = axes[row, col]
        ax.imshow(filter_mosaic(filters, ncols=16), cmap="gray", vmin=0, vmax=1)
        ax.set_title(f"{label}: {title}", fontsize=9)
        ax.set_axis_off()
fig.tight_layout()

# %% [markdown]
# After a short training the filters still look much like their random start: the learned
# part is a small update on top. So look at the **updates** $W - W_0$ themselves, each again
# normalised on its own. What to look for: behind the bilinear resize the stripes are gone,
# so a $2 \times 2$ patch carries little more than the background's colour, and the updates
# of the patch embeddings tend to be flat colours; behind the learned resizer the patches carry
# pixel-level detail, and the updates can have structure *inside* the patch. The number printed
# below measures that: the share of each update's energy that is not its mean over the patch.

# %%
fig, axes = plt.subplots(2, 2, figsize=(8, 8))
for col, arm in enumerate(["bilinear", "learned"]):
    updates = [
        (patch_embeddings(trained[arm], normalise=False) - patch_embeddings(initial, normalise=False),
         "patch embedding updates"),
        (depthwise_kernels(trained[arm], 0, normalise=False) - depthwise_kernels(initial, 0, normalise=False),
         "block 0 depth-wise updates"),
    ]
    for row, (delta, title) in enumerate(updates):
        axes[row, col].imshow(filter_mosaic(normalise_per_filter(delta), ncols=16), cmap="gray",
                              vmin=0, vmax=1)
        axes[row, col].set_title(f"{arm}: {title}", fontsize=9)
        axes[row, col].set_axis_off()
fig.tight_layout()

for arm in ["bilinear", "learned"]:
    delta = patch_embeddings(trained[arm], normalise=False) - patch_embeddings(initial, normalise=False)
    within = delta - delta.mean(axis=(1, 2), keepdims=True)  # (256, 2, 2, 3) minus per-patch mean
    print(f"{arm:8s}: {np.sum(within**2) / np.sum(delta**2):.0%} of the patch-embedding update "
          f"is pattern inside the patch, the rest is a flat colour")

# %% [markdown]
# How far did the filters move from where they started, and do the two arms agree on where
# to go? For each layer: the relative change $\lVert W - W_0 \rVert / \lVert W_0 \rVert$ in
# each arm, and the cosine similarity between the two arms' *updates*
# $W_{\text{bilinear}} - W_0$ and $W_{\text{learned}} - W_0$ (1: same direction, 0: unrelated).
# Behind the learned resizer, ConvMixer receives different inputs (the resizer's output is not
# limited to $[0, 1]$ and carries the stripes), so even from the same start the two arms can
# move their filters in nearly unrelated directions (a cosine near 0): plugging in the resizer
# changes what the backbone learns, not only what it sees.

# %%
def layer_kernel(model, name):
    """One layer's kernel of the ConvMixer inside a classifier, flattened."""
    return keras.ops.convert_to_numpy(find_convmixer(model).get_layer(name).kernel).ravel()


change_rows = []
for name in ["patch_embed", "mixer0_depthwise", f"mixer{last}_depthwise", f"mixer{last}_pointwise"]:
    w0 = layer_kernel(initial, name)
    delta = {arm: layer_kernel(trained[arm], name) - w0 for arm in ("bilinear", "learned")}
    norms = {arm: float(np.linalg.norm(d)) for arm, d in delta.items()}
    cosine = float(delta["bilinear"] @ delta["learned"]) / max(norms["bilinear"] * norms["learned"], 1e-12)
    change_rows.append({"layer": name,
                        "change, bilinear": norms["bilinear"] / np.linalg.norm(w0),
                        "change, learned": norms["learned"] / np.linalg.norm(w0),
                        "cosine of the updates": cosine})
    assert norms["bilinear"] > 0 and norms["learned"] > 0  # both arms trained this layer
show_table(change_rows, floatfmt=".3f");

# %% [markdown]
# ## A second recipe: AdamW, weight decay, and keeping the best weights
# The keras.io learnable-resizer example trains with plain `SGD()` (learning rate 0.01, no
# momentum); the course calls that recipe `keras_io`. The keras.io ConvMixer example uses
# **AdamW** (Adam with *decoupled* weight decay: each step also shrinks every weight by
# $\eta \lambda w$, instead of adding $\lambda w$ to the gradient where Adam's per-parameter
# scaling would distort it) and a **ModelCheckpoint** callback with `save_best_only=True`, which
# saves the weights whenever the monitored validation accuracy improves; after training you
# load the best ones back. The course's `adamw_cosine` recipe is AdamW with weight decay
# $10^{-4}$, a short warm-up and a cosine decay.
#
# Picking the best epoch *on the validation set* and then quoting that same validation accuracy
# is optimistic: you selected the maximum of noisy numbers. So the checkpoint's accuracy is
# quoted on the separate **test** slice. (For the same reason the course's tables report the
# final epoch, never the best.) Below: ConvMixer with the learned resizer, same seed and data.
# The AdamW run is the one from the comparison above, whose checkpoint is already on disk. The
# SGD run is a new run with the same checkpoint callback; it is trained under every profile but
# `quick`, where it would add about two minutes on a 2-core CPU.

# %%
from resizer_lib.training import make_optimizer

opt = make_optimizer("adamw_cosine", steps=100)
assert isinstance(opt, keras.optimizers.AdamW) and opt.weight_decay == 1e-4
assert isinstance(make_optimizer("keras_io", steps=100), keras.optimizers.SGD)

recipe_runs = {"adamw_cosine": (cm_runs["learned"], OUT / f"convmixer_learned_seed{seed}.weights.h5")}
if PROFILE.name != "quick":  # the SGD run (see above)
    sgd = train_run(ExperimentConfig(**(cm_config.to_dict() | {"recipe": "keras_io"})), "learned", seed,
                    data, OUT / "sgd", callbacks=[best_weights_checkpoint(OUT / "sgd.weights.h5")])
    recipe_runs["keras_io"] = (sgd, OUT / "sgd.weights.h5")


def accuracy(model, x, y) -> float:
    return model.evaluate(x, np.eye(2)[y], verbose=0, return_dict=True)["accuracy"]


recipe_rows = []
for recipe, (record, best_path) in recipe_runs.items():
    model, history = record["model"], record["history"]["val_accuracy"]
    final_test = accuracy(model, x_test, y_test)  # before restoring: the final weights
    model.load_weights(str(best_path))
    best_val, best_test = accuracy(model, x_val, y_val), accuracy(model, x_test, y_test)
    assert abs(best_val - max(history)) < 1e-4, (best_val, history)  # restored = best epoch
    recipe_rows.append({
        "recipe": recipe, "optimizer": type(model.optimizer).__name__,
        "final val": record["final"]["val_accuracy"], "final test": final_test,
        "best epoch": int(np.argmax(history)) + 1, "best val": best_val, "best-weights test": best_test})
show_table(recipe_rows, floatfmt=".3f");

# %% [markdown]
# Two things to notice. The "best val" column is at least the "final val" column by
# construction: it is a maximum over epochs. Whether the restored weights also do better on the
# *test* slice is the honest question; with a cosine decay to zero the last epochs settle, so
# the best epoch is often the last one, and the checkpoint matters most with a constant
# learning rate or a run long enough to overfit.
#
# And the recipe can matter as much as the resizer. In one run of this notebook on a 2-core CPU
# (the `quick` settings with the SGD run switched on: ConvMixer, learned resizer, seed 0, 40
# steps), SGD ended at 53% on validation where AdamW reached 91%: one seed, so read it as an
# example, not a measurement. The committed evidence is on real photos and a small CNN (notebook 06): with
# the keras.io recipe, each of its two seeds ended below every one of the five AdamW + cosine
# seeds, in both arms. A short SGD run can hide a benefit of the resizer that AdamW reveals.

# %%
# Clean up: the checkpoints and logs of this notebook live in a temporary folder
import shutil

shutil.rmtree(OUT, ignore_errors=True)

# %% [markdown]
# ## Exercises
# 1. **ConvMixer at ImageNet scale.** The paper's ConvMixer-768/32 uses $k = 7$, $p = 7$ on
#    $224 \times 224$ images with 1000 classes and reports 21.1 M parameters. Work the count
#    out by hand, then check it with `convmixer_param_count`. Which part dominates now?
# 2. **Receptive field.** Show experimentally that one ConvMixer block with $k = 3$ lets a
#    single input pixel influence a $3 \times 3$ square of grid cells after the block (3 cells
#    in each direction, 9 in all), and two blocks a $5 \times 5$ square: perturb one pixel of a
#    zero image and count the cells that change.
# 3. **What does the resizer cost per step?** With a light backbone (`small_cnn`), time a
#    training step (use `StepTimer`) with the bilinear and with the learned resizer, for inputs
#    of $64 \times 64$ and $128 \times 128$ resized to the same $32 \times 32$. Which arm's
#    step time grows with the input, and why?
# 4. **The checkpoint's monitor.** With `monitor="val_loss"` (and `mode="min"`), which epoch
#    would the checkpoint have kept in each recipe run above? Does it agree with
#    `val_accuracy`? Which would you monitor when the loss uses label smoothing, and why?

# %% tags=["exercise"]
# Exercise 1: your code here
from resizer_lib.course.exercise_checks import check_convmixer_count

total_768_32 = None  # ConvMixer-768/32's parameter count (k = 7, p = 7, 1000 classes), by hand
check_convmixer_count(total_768_32, width=768, depth=32, kernel_size=7, patch_size=7, num_classes=1000);

# %% tags=["exercise"]
# Exercise 2: your code here
from resizer_lib.course.exercise_checks import check_influenced_cells

cells_across_1 = None  # grid cells that change in one direction after one block (k = 3)
cells_across_2 = None  # ... and after two blocks
check_influenced_cells(cells_across_1, depth=1, kernel_size=3);
check_influenced_cells(cells_across_2, depth=2, kernel_size=3);

# %% tags=["exercise"]
# Exercise 3: your code here
step_ms = None  # {(input side, arm): median ms per training step}, for sides 64, 128

# %% tags=["exercise"]
# Exercise 4: your code here
epoch_by_val_loss = None  # {recipe: the epoch (1-based) a val_loss checkpoint would keep}

# %% [markdown] tags=["solution"]
# ## Solutions
#
# One cell per exercise; open a cell to read it, but try first.

# %% tags=["solution"] jupyter={"source_hidden": true}
# Solution 1. ConvMixer-768/32, k = 7, p = 7, 1000 classes
c = convmixer_param_count(width=768, depth=32, kernel_size=7, patch_size=7, num_classes=1000)
print({k: f"{v:,}" for k, v in c.items()})
assert c["total"] == 21_210_088 and round(c["trainable"] / 1e6, 1) == 21.1
assert check_convmixer_count(c["total"], width=768, depth=32, kernel_size=7, patch_size=7, num_classes=1000)
print(f"point-wise share: {32 * (768 * 768 + 768) / c['total']:.1%}, head: {c['head'] / c['total']:.1%}")
# The paper's 21.1 M counts trainable weights (BatchNorm moving statistics excluded).

# %% tags=["solution"] jupyter={"source_hidden": true}
# Solution 2. Receptive field on the patch grid: a square of depth * (k - 1) + 1 cells a side
def influenced_cells(depth: int, kernel_size: int = 3, patch_size: int = 2, size: int = 32) -> np.ndarray:
    """Which grid cells ``(size / p, size / p)`` change after ``depth`` blocks when one pixel does."""
    keras.utils.set_random_seed(0)
    net = build_convmixer((size, size, 3), 2, width=4, depth=depth, kernel_size=kernel_size,
                          patch_size=patch_size)
    probe = keras.Model(net.input, net.get_layer(f"mixer{depth - 1}_pw_bn").output)
    x = np.zeros((2, size, size, 3), "float32")
    x[1, size // 2, size // 2] = 1.0  # one bright pixel in the middle of image 1
    out = keras.ops.convert_to_numpy(probe(x, training=False))
    return np.abs(out[1] - out[0]).max(axis=-1) > 1e-6


for depth in (1, 2):
    changed = influenced_cells(depth)
    rows_, cols = int(changed.any(axis=1).sum()), int(changed.any(axis=0).sum())
    side = depth * (3 - 1) + 1
    print(f"depth {depth}: {rows_} x {cols} grid cells change, {int(changed.sum())} in all")
    assert rows_ == cols == side and changed.sum() == side**2  # a full side x side square
    assert check_influenced_cells(cols, depth=depth, kernel_size=3)

# %% tags=["solution"] jupyter={"source_hidden": true}
# Solution 3. Step time of the two arms for two input sizes, same 32x32 target, light backbone
from resizer_lib.training import resolve_jit

step_timer = StepTimer(warmup=0 if EAGER else 1)
rng = np.random.default_rng(0)
n = 8 if EAGER else 32
step_ms = {}
for size in (64, 128):
    x_in = rng.integers(0, 256, (n, size, size, 3), dtype=np.uint8)
    y_in = np.eye(2, dtype="float32")[np.arange(n) % 2]
    for arm in ("bilinear", "learned"):
        m = build_classifier("small_cnn", (size, size), (32, 32), arm, num_classes=2, seed=0,
                             name=f"small_{arm}_{size}")
        m.compile(optimizer="adamw", loss="categorical_crossentropy", jit_compile=resolve_jit("auto"),
                  run_eagerly=EAGER)
        m.fit(x_in, y_in, batch_size=8, epochs=1, verbose=0, callbacks=[step_timer])
        step_ms[size, arm] = step_timer.median_ms(m.name)
        print(f"input {size}x{size}, {arm:8s}: {step_ms[size, arm]:7.1f} ms/step")
assert all(ms > 0 for ms in step_ms.values())
# The bilinear arm barely changes (the backbone still sees 32x32); the learned arm grows with
# the input area, because the resizer's first convolutions run at full resolution.

# %% tags=["solution"] jupyter={"source_hidden": true}
# Solution 4. Which epoch each monitor would keep, from the recipe runs' histories
epoch_by_val_loss = {}
for recipe, (record, _) in recipe_runs.items():
    hist = record["history"]
    by_loss, by_acc = int(np.argmin(hist["val_loss"])) + 1, int(np.argmax(hist["val_accuracy"])) + 1
    epoch_by_val_loss[recipe] = by_loss
    print(f"{recipe:13s} best epoch by val_loss: {by_loss}, by val_accuracy: {by_acc}")
    assert 1 <= by_loss <= len(hist["val_loss"]) and 1 <= by_acc <= len(hist["val_accuracy"])
# The callback for it: keras.callbacks.ModelCheckpoint(path, monitor="val_loss", mode="min",
#                                                      save_best_only=True, save_weights_only=True)
# With label smoothing (0.1 here) the loss also rewards calibrated, less confident outputs, so
# the two monitors can pick different epochs. Monitor the quantity you will report (accuracy
# here), and quote the chosen checkpoint on data that played no part in choosing it.
