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
# # 02 · A first CNN: receptive fields, pooling, training
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/learning-to-resize/learning-to-resize/blob/v0.1.0/notebooks/02_first_cnn.ipynb)
# · source: [`02_first_cnn.py`](02_first_cnn.py) (the `.ipynb` is generated from it with jupytext)
#
# Lesson 01 built single convolutions. This lesson stacks them into a network, trains it on the
# course data, and reads what it learned.
#
# **What you will learn here**
# * how far a unit of a deep layer "sees": the receptive field, by formula and by measurement;
# * max, average, depth-wise max and global average pooling;
# * a small CNN counted by hand, trained, and read through its learning curves;
# * the confusion matrix, and how it gives back the accuracy.

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
# We need lesson 01's two photos and its line filters again.

# %%
import keras
import numpy as np

from resizer_lib.course.cnn_basics import line_filters
from resizer_lib.data.sample_images import load_sample
from resizer_lib.viz import show_images, show_table


def grey_crop(name, top, left, size=(300, 400)):
    """A package photo as float32 grey in [0, 1], cropped to ``size``: (H, W)."""
    rgb = load_sample(name)[top : top + size[0], left : left + size[1]]
    return rgb.astype(np.float32).mean(axis=-1) / 255.0


photos = np.stack([grey_crop("chelsea", 0, 25), grey_crop("coffee", 50, 100)])[..., None]
filters = line_filters(7)  # (7, 7, 1, 2): vertical line, horizontal line
bright = keras.ops.convert_to_numpy(keras.ops.relu(keras.ops.conv(photos, filters, padding="same")))
print("photos", photos.shape, "line maps", bright.shape)

# %% [markdown]
# ## 1. Receptive fields
# A unit of the first layer sees a $k_1 \times k_1$ window. A unit of layer $l$ sees a window of
# layer $l - 1$. Each unit there sees a window of the layer below, so the field grows with depth.
# Let $j_l$ be the distance in input pixels between neighbouring units of layer $l$. This *jump*
# is the product of the strides so far. With $r_0 = j_0 = 1$:
#
# $$ r_l = r_{l-1} + (k_l - 1)\, j_{l-1}, \qquad j_l = j_{l-1}\, s_l. $$
#
# The course's `small_cnn` repeats a 3 × 3 conv (stride 1) and a 2 × 2 max-pool (stride 2) four
# times. `receptive_fields` from the course library applies the recurrence.
# `empirical_receptive_field` *measures* it. It pokes every input pixel: a batch of $n^2$ images,
# each with a single 1. A linear copy of the stack (all-ones kernels, no padding) carries each
# poke forward. The pokes that reach the centre unit span its receptive field.

# %%
from resizer_lib.course.cnn_basics import receptive_fields


def empirical_receptive_field(specs, input_size):
    """Width in input pixels of what reaches the centre unit after the (kernel, stride) layers."""
    n = input_size
    x = keras.ops.convert_to_tensor(np.eye(n * n, dtype="float32").reshape(n * n, n, n, 1))
    for k, s in specs:
        x = keras.ops.conv(x, keras.ops.ones((k, k, 1, 1)), strides=s, padding="valid")
    out = keras.ops.convert_to_numpy(x)  # (n * n, h, w, 1): the output of every poke
    reached = out[:, out.shape[1] // 2, out.shape[2] // 2, 0].reshape(n, n)  # by input pixel
    columns = np.flatnonzero(reached.any(axis=0))
    return int(columns[-1] - columns[0] + 1)


small_cnn_stack = [(3, 1), (2, 2)] * 4
fields = receptive_fields(small_cnn_stack)
names = [f"{kind}{i // 2}" for i, kind in enumerate(["conv", "pool"] * 4)]
show_table([{"layer": n, "kernel, stride": spec, "receptive field r": r, "jump j": j}
            for n, spec, (r, j) in zip(names, small_cnn_stack, fields, strict=True)])
measured = empirical_receptive_field(small_cnn_stack, input_size=48)
print("formula", fields[-1][0], "measured", measured)
assert measured == fields[-1][0]

# %% [markdown]
# After its four stages, each unit of `small_cnn` summarises a $46 \times 46$ window. Neighbouring
# units are 16 pixels apart. The squares show one unit's field after each stage, on the cat.

# %%
import matplotlib.pyplot as plt
from matplotlib.patches import Rectangle

fig, ax = plt.subplots(figsize=(5, 3.8))
ax.imshow(photos[0, ..., 0], cmap="gray")
for stage in range(4):
    r = fields[2 * stage][0]  # after the conv of each stage
    ax.add_patch(Rectangle((200 - r / 2, 150 - r / 2), r, r, fill=False, lw=1.5,
                           color=f"C{stage}", label=f"stage {stage}: {r} px"))
ax.legend(loc="lower left", fontsize=8)
ax.set_axis_off()
ax.set_title("receptive field of one unit, by stage");

# %% [markdown]
# ## 2. Pooling
# A pooling layer has no weights: it slides a window and keeps one number per window, the maximum
# (max pooling) or the mean (average pooling). A $2 \times 2$ window with stride 2 drops 75 % of
# the values. That cuts the memory and compute of every later layer. It also gives a little
# tolerance to small shifts. Max pooling keeps the strongest response: an edge is still there,
# less precisely placed. Average pooling is a blur followed by subsampling.

# %%
pools = {
    "max 2x2": keras.layers.MaxPooling2D(2),
    "average 2x2": keras.layers.AveragePooling2D(2),
    "max 8x8": keras.layers.MaxPooling2D(8),
    "average 8x8": keras.layers.AveragePooling2D(8),
}
vertical_map = bright[:1, ..., :1]  # (1, 300, 400, 1): the cat's vertical-line map
pooled = {name: keras.ops.convert_to_numpy(p(vertical_map))[0, ..., 0] for name, p in pools.items()}
blocks = vertical_map[0, ..., 0].reshape(150, 2, 200, 2)
np.testing.assert_allclose(pooled["max 2x2"], blocks.max(axis=(1, 3)), rtol=1e-6)
np.testing.assert_allclose(pooled["average 2x2"], blocks.mean(axis=(1, 3)), rtol=1e-5, atol=1e-5)
show_images([vertical_map[0, ..., 0], *pooled.values()],
            ["input (300, 400)", *(f"{n}: {m.shape}" for n, m in pooled.items())],
            ncols=5, mode="percentile", panel_size=2.6);

# %% [markdown]
# The bright frame in the 8 × 8 max-pool comes from the line filter's zero padding. Along the
# border the filter sees a column of zeros, a "dark neighbour", and responds as if to a line.
#
# Max pooling's tolerance to shifts, measured: move the map one pixel to the right. Count the
# outputs that do not change at all.

# %%
shifted = np.roll(vertical_map, 1, axis=2)
before = pooled["max 2x2"]
after = keras.ops.convert_to_numpy(pools["max 2x2"](shifted))[0, ..., 0]
unchanged = float(np.mean(np.isclose(before[:, 1:], after[:, 1:])))
raw_unchanged = float(np.mean(np.isclose(vertical_map[0, :, 1:, 0], shifted[0, :, 1:, 0])))
print(f"unchanged after a 1-pixel shift: {unchanged:.0%} of max-pooled outputs, "
      f"{raw_unchanged:.0%} of the raw feature map")

# %% [markdown]
# ### Depth-wise max pooling
# Pooling can also run across the *channels*. Give a layer four line filters at 0°, 45°, 90° and
# 135°. The maximum over those four channels responds to a line of *any* of these orientations.
# Keras has no layer for it. `DepthwiseMaxPooling2D` reshapes $(B, H, W, C)$ to
# $(B, H, W, C/k, k)$ and takes the max over the last axis.

# %%
from resizer_lib.course.cnn_basics import DepthwiseMaxPooling2D

oriented = line_filters(7, angles=(90, 45, 0, 135))  # (7, 7, 1, 4)
maps = keras.ops.relu(keras.ops.conv(photos[:1], oriented, padding="same"))  # (1, 300, 400, 4)
any_line = keras.ops.convert_to_numpy(DepthwiseMaxPooling2D(4)(maps))
maps = keras.ops.convert_to_numpy(maps)
np.testing.assert_array_equal(any_line[..., 0], maps.max(axis=-1))
show_images([maps[0, ..., c] for c in range(4)] + [any_line[0, ..., 0]],
            ["vertical", "45°", "horizontal", "135°", "depth-wise max"],
            ncols=5, mode="percentile", panel_size=2.6);

# %% [markdown]
# ### Global average pooling
# The extreme case: one average per feature map over the whole image, $(B, H, W, C) \to (B, C)$.
# Modern CNNs end with it instead of flattening into huge dense layers. It also lets a network
# accept any image size.

# %%
gap = keras.ops.convert_to_numpy(keras.layers.GlobalAveragePooling2D()(bright))
print("feature maps", bright.shape, "-> global average", gap.shape)
np.testing.assert_allclose(gap, bright.mean(axis=(1, 2)), rtol=1e-4)  # float32 sums

# %% [markdown]
# ## 3. A small CNN on the course data
# `load_dataset` gives the course data. By default that is the offline synthetic set. Its class
# is a faint period-2 stripe pattern, vertical or horizontal, hidden under random shapes. Set
# `RESIZER_DATA=cats_vs_dogs` to train on photos instead. We load the images directly at the
# network's size, `PROFILE.target_size`, so no resize touches the stripes.
#
# The network is the course's `small_cnn`. It has four stages of 3 × 3 conv, batch norm, ReLU and
# 2 × 2 max-pool, with 32, 64, 128 and 256 filters. Global average pooling and a softmax end it.

# %%
from resizer_lib.data import load_dataset, resolve_source

source = resolve_source()
data = load_dataset(
    source, image_size=PROFILE.target_size, batch_size=PROFILE.batch_size, backend="numpy",
    limit={"train": PROFILE.num_train if source == "synthetic" else PROFILE.max_train,
           "val": PROFILE.num_val},
)
print(data.describe())
(x_train, y_train), (x_val, y_val) = data.train, data.val
assert x_train.dtype == np.uint8 and x_train.shape[1:] == (*PROFILE.target_size, 3)
show_images(x_train[:8], [data.class_names[y] for y in y_train[:8]], ncols=8, panel_size=1.6);

# %%
from resizer_lib.models import small_cnn

keras.utils.set_random_seed(0)
widths = (32, 64, 128, 256)
inputs = keras.Input(shape=(*PROFILE.target_size, 3), name="image")  # 0..255
scaled = keras.layers.Rescaling(1 / 255, name="rescale")(inputs)
model = keras.Model(inputs, small_cnn((*PROFILE.target_size, 3), data.num_classes, widths)(scaled))
model.summary()

# per stage: 3x3 conv (no bias) + batch norm (4 numbers per channel); then the dense layer
channels = (3, *widths[:-1])  # inputs of each stage
expected = sum(9 * c_in * c_out + 4 * c_out for c_in, c_out in zip(channels, widths, strict=True))
expected += widths[-1] * data.num_classes + data.num_classes
assert model.count_params() == expected
print(f"{model.count_params():,} parameters, as counted by hand")

# %% [markdown]
# Training: Adam, cross-entropy, `PROFILE.epochs` epochs. `fit_classifier` compiles and fits. On
# a CPU it turns XLA compilation off: for models this small, compiling costs more than it saves.

# %%
from resizer_lib.course.classify import fit_classifier
from resizer_lib.viz import plot_history

history = fit_classifier(model, (x_train, y_train), (x_val, y_val), epochs=PROFILE.epochs,
                         learning_rate=1e-3, batch_size=PROFILE.batch_size)
print(f"validation accuracy after {PROFILE.epochs} epoch(s): {history['val_accuracy'][-1]:.1%}")
assert len(history["val_accuracy"]) == PROFILE.epochs
plot_history({"small CNN": history});

# %% [markdown]
# On the synthetic set, validation accuracy often sits near chance (50 %) for a few epochs. Then
# it climbs steeply: the network first has to discover that a faint stripe is what matters. The
# validation curve can jump on the way, while the batch-norm statistics settle (lesson 07). Under
# the `smoke` profile there is one epoch: the numbers mean nothing.
#
# A **confusion matrix** shows *which* mistakes the model makes. Rows are true classes, columns
# predicted ones. The diagonal holds the correct predictions. So its trace over its sum is the
# accuracy, which must agree with what Keras reported.

# %%
from resizer_lib.course.classify import confusion_matrix, plot_confusion_matrix, predict_classes

predicted = predict_classes(model, x_val)
cm = confusion_matrix(y_val, predicted, data.num_classes)
print(cm)
assert cm.sum() == len(y_val)
accuracy = np.trace(cm) / cm.sum()  # the diagonal holds the right predictions
assert abs(accuracy - history["val_accuracy"][-1]) < 1e-6
plot_confusion_matrix(cm, data.class_names);

# %% [markdown]
# ## Summary
# * The receptive field grows with depth: $r_l = r_{l-1} + (k_l - 1) j_{l-1}$.
# * Pooling throws information away on purpose: 75 % of it per $2 \times 2$ max-pool.
# * Global average pooling turns any map into one vector per image.
# * A small CNN can be counted by hand, and its confusion matrix gives back its accuracy.
#
# ## Further reading
# * A. Zhang et al., *Dive into Deep Learning*, sections 7.5 "Pooling" and 7.6 "LeNet".
# * A. Géron, *Hands-On Machine Learning*, 3rd ed., chapter 14, "Pooling Layers" and "CNN
#   Architectures".
# * W. Luo et al., "Understanding the Effective Receptive Field in Deep Convolutional Neural
#   Networks", NeurIPS 2016.
# * M. Lin, Q. Chen and S. Yan, "Network In Network", ICLR 2014 (global average pooling).

# %% [markdown]
# ## Exercises
# 1. **Sizes.** A VGG-style stack: conv 3 × 3 (`"same"`) twice, max-pool 2 × 2, conv 3 × 3 twice,
#    max-pool 2 × 2, on $150 \times 150$ images. Compute the output size and the receptive field
#    of the last layer with the formulas. Check the size with a Keras model and the field with
#    `empirical_receptive_field`.
# 2. **Shift tolerance.** Repeat the one-pixel shift measurement for average pooling. Is it more
#    or less tolerant than max pooling?
#
# The cell of exercise 1 ends with a check that says "✓ right" or what is off.

# %% tags=["exercise"]
# Exercise 1: your code here
from resizer_lib.course.exercise_checks import check_stack_sizes

VGG_STACK = [(3, 1, "same"), (3, 1, "same"), (2, 2, "valid"),  # (kernel, stride, padding),
             (3, 1, "same"), (3, 1, "same"), (2, 2, "valid")]  # the exercise's layers
out_size = None  # the side of the last layer's output
field = None  # its receptive field
check_stack_sizes(out_size, field, VGG_STACK, input_size=150);

# %% tags=["exercise"]
# Exercise 2: your code here
average_unchanged = None  # share of 2x2 average-pooled outputs unchanged by a 1-pixel shift

# %% [markdown] tags=["solution"]
# ## Solutions

# %% tags=["solution"]
# 1. Same-padding convs keep the size and pools halve it: 150 -> 75 -> 37.
from resizer_lib.course.cnn_basics import conv_output_size

vgg_stack = [(3, 1), (3, 1), (2, 2), (3, 1), (3, 1), (2, 2)]
x_in = keras.Input((150, 150, 3))
y = x_in
for k, s in vgg_stack:
    y = keras.layers.Conv2D(8, k, padding="same")(y) if s == 1 else keras.layers.MaxPooling2D(k)(y)
out_size, field = y.shape[1], receptive_fields(vgg_stack)[-1][0]
print(out_size, field)
assert out_size == conv_output_size(75, 2, 2, "valid")
assert empirical_receptive_field(vgg_stack, input_size=24) == field
assert check_stack_sizes(out_size, field, VGG_STACK, input_size=150)

# %% tags=["solution"]
# 2. An average changes whenever any value in its window changes. Only flat windows stay.
after_avg = keras.ops.convert_to_numpy(pools["average 2x2"](shifted))[0, ..., 0]
average_unchanged = float(np.mean(np.isclose(pooled["average 2x2"][:, 1:], after_avg[:, 1:])))
print(f"unchanged: {average_unchanged:.0%} (average), {unchanged:.0%} (max)")
