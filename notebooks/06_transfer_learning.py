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
# # 06 · Transfer learning: freeze, then fine-tune
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/learning-to-resize/learning-to-resize/blob/v0.1.0/notebooks/06_transfer_learning.ipynb)
# · source: [`06_transfer_learning.py`](06_transfer_learning.py) (the `.ipynb` is generated from it with jupytext)
#
# Early layers of a CNN trained on a large, varied data set learn generic detectors: edges,
# textures, simple shapes. Transfer learning reuses them for a new task.
#
# **What you will learn here**
# * the two stages of transfer learning: a frozen base with a new head, then fine-tuning;
# * why `compile` must come after every change of `trainable`;
# * why the batch-norm layers stay frozen while the rest is fine-tuned;
# * both stages in one function, next to the same network trained from scratch.

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
# ## 1. The recipe
# 1. Take a **pretrained base**: the network without its classification head.
# 2. **Freeze** it and train a **new head** for your classes: few parameters, fast, hard to
#    overfit.
# 3. **Unfreeze** the base and **fine-tune** everything at a **lower learning rate**. The
#    pretrained features then adapt gently, instead of being wiped out by large early gradients.
#
# One Keras 3 trap concerns batch normalisation (lesson 07 treats it in full). Its statistics come
# from the source data. They must not be recomputed from small target batches. The classic advice
# is to call the base with `training=False`. Inside `fit` in Keras 3 that no longer holds: the
# training flag of `fit` wins (keras-team/keras issue 20285). What does hold: a
# `BatchNormalization` layer with `trainable = False` runs in inference mode. So fine-tuning makes
# the base trainable *except* its batch-norm layers.
#
# The usual base is pretrained on ImageNet (`weights="imagenet"`), a download the first time.

# %%
import keras
import numpy as np

from resizer_lib.course.transfer import imagenet_weights_available
from resizer_lib.viz import show_images, show_table

WEIGHTS_FILE = "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_96_no_top.h5"
# cached, or the server answers within 2 s; the smoke profile (CI) always takes the offline path
ONLINE = PROFILE.name != "smoke" and imagenet_weights_available(WEIGHTS_FILE)
stage_epochs = max(1, PROFILE.epochs // 2)
n_target = max(16, PROFILE.num_train // 4)  # a small target training set: where transfer helps

# %% [markdown]
# ## 2. `trainable = False`: frozen, and in inference mode
#
# Freezing a layer usually means: no gradient updates for its weights. For BatchNorm, Keras 3
# means more. Its training branch runs only when `training and self.trainable`. So a BatchNorm
# layer with `trainable = False` **runs in inference mode**, even inside `fit`. It normalises with
# its moving statistics and never updates them. PyTorch differs: there only `.eval()` does that.
#
# Measured: the same small model fitted for one epoch, with its BatchNorm trainable and frozen.

# %%
from resizer_lib.course.normalisation import moving_statistics

rng = np.random.default_rng(0)


def bn_toy(seed=0):
    keras.utils.set_random_seed(seed)
    inputs = keras.Input((6, 6, 3))
    h = keras.layers.Conv2D(4, 3, use_bias=False, name="conv")(inputs)
    h = keras.layers.BatchNormalization(name="bn")(h)
    h = keras.layers.GlobalAveragePooling2D()(keras.layers.ReLU()(h))
    model = keras.Model(inputs, keras.layers.Dense(2, activation="softmax")(h))
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    return model


x_toy = rng.normal(loc=2.0, scale=3.0, size=(64, 6, 6, 3)).astype("float32")
y_toy = (x_toy.mean(axis=(1, 2, 3)) > 2.0).astype("int32")
for frozen in (False, True):
    model = bn_toy()
    model.get_layer("bn").trainable = not frozen
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")  # takes effect at compile
    (mean0, var0), = moving_statistics(model)
    gamma0 = keras.ops.convert_to_numpy(model.get_layer("bn").gamma).copy()
    model.fit(x_toy, y_toy, epochs=1, batch_size=16, verbose=0)
    (mean1, var1), = moving_statistics(model)
    gamma1 = keras.ops.convert_to_numpy(model.get_layer("bn").gamma)
    same_output = np.allclose(keras.ops.convert_to_numpy(model(x_toy[:16], training=True)),
                              keras.ops.convert_to_numpy(model(x_toy[:16], training=False)), atol=1e-6)
    print(f"trainable={not frozen!s:5}: moving mean moved {not np.array_equal(mean0, mean1)!s:5} | "
          f"gamma moved {not np.array_equal(gamma0, gamma1)!s:5} | "
          f"training=True output == inference output: {same_output}")

# %% [markdown]
# Why this matters for fine-tuning: a pretrained base's moving statistics describe
# the data it was trained on. In training mode on your small target batches, its BatchNorm layers
# would overwrite them. The features the new head was trained on would shift under it. The
# keras.io guide suggests calling the base with `training=False`. Does that flag reach the nested
# BatchNorm layers inside `fit`? The cell below measures it in the Keras you have. In the
# versions this course was written with, it does not (keras-team/keras issue 20285), while
# `trainable = False` does. That is why the course's `unfreeze` keeps the BatchNorm layers frozen.

# %%
keras.utils.set_random_seed(0)
base = keras.Sequential([keras.layers.Conv2D(4, 3, use_bias=False), keras.layers.BatchNormalization()],
                        name="base")
inputs = keras.Input((6, 6, 3))
features = keras.layers.GlobalAveragePooling2D()(base(inputs, training=False))
wrapped = keras.Model(inputs, keras.layers.Dense(2, activation="softmax")(features))
wrapped.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
(before, _), = moving_statistics(base)
wrapped.fit(x_toy, y_toy, epochs=1, batch_size=16, verbose=0)
(after, _), = moving_statistics(base)
print(f"base called with training=False, then fit: moving mean moved {not np.array_equal(before, after)}")

# %% [markdown]
# ## 3. A pretrained base
# Online, the base is MobileNetV2 with ImageNet weights at $96 \times 96$. The target is the
# course data. Offline, we pretrain a base ourselves. `make_source_task` makes a four-class task
# of faint periodic patterns: vertical stripes, horizontal stripes, checkerboard, none. It is 16
# times larger than our target training set. We pretrain the course's `small_cnn` trunk on it.
#
# The target is the synthetic set's question, vertical or horizontal, with only `n_target`
# training images. The source task is related to it but broader, as ImageNet is to cats vs dogs.
# So the frozen features mean something.

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

target = load_dataset(source, image_size=input_size, backend="numpy",
                      limit={"train": n_target, "val": PROFILE.num_val})
print(target.describe())
assert target.counts["train"] == n_target

# %% [markdown]
# ### Freezing and fine-tuning, written out
# The two stages take a handful of Keras calls. We run them by hand on a *copy* of the
# pretrained base. The original stays untouched for the study below.
#
# * `base.trainable = False` freezes every weight of the base, so only the new head learns.
# * `compile` comes **after** each change of `trainable`. Compiling fixes how the model trains
#   until the next `compile`. Keras' guide "Transfer learning & fine-tuning" states this rule.
# * For fine-tuning: `base.trainable = True`, the batch-norm layers back to `trainable = False`,
#   and a new `compile` with a 10 times lower learning rate.
#
# Why keep the batch norms frozen? Frozen, they normalise with the statistics learned on the
# source task, and no longer update them. Small target batches then cannot pull the statistics
# away from what the rest of the base was trained with. The exercise shows what goes wrong
# otherwise.

# %%
def count_params(model):
    """The trainable parameters of `model`, as `model.summary()` counts them."""
    return sum(int(np.prod(w.shape)) for w in model.trainable_weights)


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
head_only = count_params(hand)  # trainable parameters: the head's Dense layer
stage_1 = hand.fit(epochs=stage_epochs, **fit_args).history

# stage 2: the base unfrozen, its batch norms kept frozen, recompiled at a lower learning rate
hand_base.trainable = True
hand_bns = [lay for lay in hand_base.layers if isinstance(lay, keras.layers.BatchNormalization)]
for lay in hand_bns:
    lay.trainable = False
compile_with(hand, 1e-4)
everything_but_bn = count_params(hand)
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
# ### Both stages in one function
# `transfer_study` wraps the two stages. The library's `unfreeze(base)` makes the base trainable
# with its batch norms left frozen, and `fit_classifier` compiles, then fits. For comparison the
# function trains the same architecture from random weights for as many epochs in total. Its
# first two rows are the two stages above, run on the original pretrained base.

# %%
from resizer_lib.course.transfer import batchnorm_layers, unfreeze


def transfer_study(pretrained_base, scratch_base, epochs, seed=0):
    """Frozen base + new head, fine-tuned, and from scratch: table rows, histories and models."""
    rows, histories, models = [], {}, {}

    def run(stage, model, epochs, learning_rate):
        keras.utils.set_random_seed(seed)
        history = fit_classifier(model, target.train, target.val, epochs, learning_rate, PROFILE.batch_size)
        histories[stage], models[stage] = history, model
        rows.append({"stage": stage, "epochs": epochs, "learning rate": learning_rate,
                     "trainable params": count_params(model), "val accuracy": history["val_accuracy"][-1]})

    keras.utils.set_random_seed(seed)
    model = classifier_on(pretrained_base, target.num_classes, scale, offset, name="transferred")
    pretrained_base.trainable = False  # stage 1: a new head on the frozen base
    run("frozen base + new head", model, epochs, 1e-3)
    unfreeze(pretrained_base)  # stage 2: everything but the batch norms, at a 10 times lower rate
    run("fine-tuned", model, epochs, 1e-4)
    keras.utils.set_random_seed(seed)
    scratch_model = classifier_on(scratch_base, target.num_classes, scale, offset, name="from_scratch")
    run("from scratch", scratch_model, 2 * epochs, 1e-3)
    return rows, histories, models


def snapshot(variables):
    return [keras.ops.convert_to_numpy(v).copy() for v in variables]


batchnorms = batchnorm_layers(pretrained)
stats_before = snapshot(w for lay in batchnorms for w in lay.weights)  # scale, shift, mean, var
kernels_before = snapshot(w for w in pretrained.weights if "kernel" in w.path)

rows, histories, models = transfer_study(pretrained, scratch, stage_epochs)
show_table([{**row, "val accuracy": f"{row['val accuracy']:.1%}"} for row in rows]);

# %% [markdown]
# Checks: the function's stages train exactly the parameters ours did. The frozen stage trains
# only the head's $F \times C + C$ weights, for $F$ features and $C$ classes. Fine-tuning changed
# the base's kernels but left every batch-norm statistic as the source task set it.

# %%
head = features * target.num_classes + target.num_classes
assert rows[0]["trainable params"] == head == head_only
assert rows[1]["trainable params"] == everything_but_bn > head
stats_after = snapshot(w for lay in batchnorms for w in lay.weights)
assert all(np.array_equal(a, b) for a, b in zip(stats_before, stats_after, strict=True))
kernels_after = snapshot(w for w in pretrained.weights if "kernel" in w.path)
assert any(not np.array_equal(a, b) for a, b in zip(kernels_before, kernels_after, strict=True))
assert all(0.0 <= row["val accuracy"] <= 1.0 for row in rows)
print(f"{len(batchnorms)} batch-norm layers untouched; head: {head} trainable weights")

# %%
frozen_h, tuned_h = histories["frozen base + new head"], histories["fine-tuned"]
transferred = {k: frozen_h[k] + tuned_h[k] for k in frozen_h}
fig = plot_history({"pretrained base": transferred,
                    "from scratch": histories["from scratch"]})
for ax in fig.axes:
    ax.axvline(stage_epochs + 0.5, color="grey", linestyle=":")  # unfrozen from here

# %% [markdown]
# What to look for: how fast each run reaches a good validation accuracy, and how sure it is
# of its answers at the end (its validation loss). The cell below prints both. With `smoke`, one
# epoch per stage on 16 images, the numbers mean nothing.

# %%
first_epoch = {stage: h["val_accuracy"][0] for stage, h in histories.items()}
final_loss = {"pretrained base": tuned_h["val_loss"][-1],
              "from scratch": histories["from scratch"]["val_loss"][-1]}
print("validation accuracy after the first epoch:",
      {k: f"{v:.1%}" for k, v in first_epoch.items()})
print("final validation loss:", {k: round(v, 3) for k, v in final_loss.items()})

# %% [markdown]
# The confusion matrix of the fine-tuned model:

# %%
from resizer_lib.course.classify import confusion_matrix, plot_confusion_matrix, predict_classes

tuned = models["fine-tuned"]
cm = confusion_matrix(target.val[1], predict_classes(tuned, target.val[0]), target.num_classes)
assert cm.sum() == len(target.val[1])
plot_confusion_matrix(cm, target.class_names);

# %% [markdown]
# Under `quick`, offline, the frozen base with a new head is usually far above chance after its
# *first* epoch. The network from scratch starts at chance. It may catch up in accuracy, but its
# validation loss tends to stay higher. The pretrained detectors make the target easy to *read*.
#
# ## Summary
# * Transfer learning reuses a pretrained base: first a new head on the frozen base, then
#   fine-tuning at a lower learning rate.
# * Compile after every change of `trainable`.
# * In Keras 3, `trainable = False` puts a BatchNorm layer in inference mode, even inside `fit`.
# * Keep the batch-norm layers frozen while fine-tuning: in Keras 3 that also keeps them in
#   inference mode.
#
# ## Further reading
# * F. Chollet, "Transfer learning & fine-tuning", Keras developer guide.
# * A. Zhang et al., *Dive into Deep Learning*, section 14.2, "Fine-Tuning".
# * A. Géron, *Hands-On Machine Learning*, 3rd ed., chapter 14, "Pretrained Models for Transfer
#   Learning".
# * J. Yosinski, J. Clune, Y. Bengio and H. Lipson, "How transferable are features in deep
#   neural networks?", NeurIPS 2014.
# * S. Kornblith, J. Shlens and Q. Le, "Do Better ImageNet Models Transfer Better?", CVPR 2019.

# %% [markdown]
# ## Exercises
# 1. **Batch norm during fine-tuning.** Unfreeze a copy of the pretrained base with
#    `unfreeze(base, keep_batchnorm_frozen=False)`. Make one training step: a call with
#    `training=True`, as `fit` does. Did the batch-norm statistics move?
#
# The cell ends with a check that says "✓ right" or what is off.

# %% tags=["exercise"]
# Exercise 1: your code here
from resizer_lib.course.exercise_checks import check_moved_statistics

moved = None  # how many batch-norm running statistics one training-mode call changed
check_moved_statistics(moved, pretrained);  # counts the statistics on the pretrained base

# %% [markdown] tags=["solution"]
# ## Solutions

# %% tags=["solution"]
# 1. Without frozen batch norms, every training step normalises with the statistics of the
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
assert check_moved_statistics(moved, pretrained)
unfreeze(copy_base)  # the fix: batch norms frozen again
frozen_before = snapshot(w for lay in copy_bn for w in lay.weights)
copy_base(batch, training=True)
frozen_after = snapshot(w for lay in copy_bn for w in lay.weights)
assert all(np.array_equal(a, b) for a, b in zip(frozen_before, frozen_after, strict=True))
