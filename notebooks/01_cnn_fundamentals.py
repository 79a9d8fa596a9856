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
# # 01 · CNN fundamentals: convolution, padding, pooling, ResNet
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/learning-to-resize/learning-to-resize/blob/v0.1.0/notebooks/01_cnn_fundamentals.ipynb)
# · source: [`01_cnn_fundamentals.py`](01_cnn_fundamentals.py) (the `.ipynb` is generated from it with jupytext)
#
# The learnable resizer of this course is a small convolutional network placed in front of a
# bigger one. Before we build it, this notebook takes convolutional networks apart: what a
# convolution computes, what padding and stride do to sizes, how far a unit "sees", what a layer
# costs, how pooling throws information away on purpose, and the handful of ideas that took CNNs
# from LeNet-5 to ResNet and squeeze-and-excitation.
#
# **What you will learn here**
# * convolution written out in NumPy, and checked against Keras on real photos, with hand-made
#   line detectors and a `Conv2D` layer whose weights we set ourselves;
# * the output-size formulas for stride and padding, and why `"same"` is zero padding plus
#   `"valid"` (proved by assertion);
# * receptive fields, and the parameter, memory and compute cost of one layer;
# * max, average, depth-wise max and global average pooling;
# * a kernel *learned* by gradient descent from examples, the bridge to a learned resizer;
# * a small CNN trained on the course data, with its learning curves and confusion matrix;
# * residual units and a ResNet-34 whose parameter count matches the published one;
# * LeNet-5, AlexNet, VGG, GoogLeNet, ResNet, Xception and SENet: the one idea each added; then
#   DenseNet, MobileNetV2 and EfficientNet, the backbones this course puts the resizer in front of.

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
# ## 1. Why convolution?
# A dense layer connects every input to every output. For a modest $150 \times 100$ colour
# image and an output of the same size with 200 feature maps that is
# $45{,}000 \times 3{,}000{,}000 \approx 1.35 \times 10^{11}$ weights: hopeless. A convolutional
# layer makes two assumptions that fit images well:
#
# * **local connectivity**: a unit looks only at a small window (its *receptive field*) of the
#   layer below;
# * **weight sharing**: every unit of one feature map uses the *same* small set of weights (the
#   *kernel* or *filter*), so a pattern learned in one place is recognised everywhere.
#
# With stride $s_h, s_w$, a kernel of $f_h \times f_w$ and $C'$ input channels, unit $(i, j)$ of
# feature map $k$ computes
#
# $$ z_{i,j,k} = b_k + \sum_{u=0}^{f_h-1} \sum_{v=0}^{f_w-1} \sum_{k'=0}^{C'-1}
#    x_{i s_h + u,\; j s_w + v,\; k'} \; w_{u, v, k', k}. $$
#
# (Strictly this is a cross-correlation: the kernel is not flipped. Every deep-learning
# framework calls it convolution anyway, and since the kernel is learned the difference does not
# matter.)

# %% [markdown]
# ## 2. Convolution by hand
# The formula, as four nested loops, on a tiny image. Slow, but nothing is hidden.

# %%
import numpy as np


def conv_by_loops(x, w, stride=1):
    """The formula above, literally: x (H, W, C'), w (fh, fw, C', C) -> z (H', W', C)."""
    fh, fw, _, c_out = w.shape
    out_h, out_w = (x.shape[0] - fh) // stride + 1, (x.shape[1] - fw) // stride + 1
    z = np.zeros((out_h, out_w, c_out))
    for i in range(out_h):
        for j in range(out_w):
            for k in range(c_out):
                window = x[i * stride : i * stride + fh, j * stride : j * stride + fw, :]
                z[i, j, k] = np.sum(window * w[:, :, :, k])
    return z


rng = np.random.default_rng(0)
tiny = rng.integers(0, 10, size=(6, 7, 2)).astype(float)
kernel = rng.normal(size=(3, 3, 2, 4))
by_loops = conv_by_loops(tiny, kernel, stride=2)
print("input", tiny.shape, "kernel", kernel.shape, "-> output", by_loops.shape)

# %% [markdown]
# `resizer_lib.course.cnn_basics.conv2d_numpy` computes the same thing faster: one shifted, strided
# view of the input per kernel tap ($f_h f_w$ matrix products instead of $H' W' C$ dot
# products). It also pads, which we need in section 4.

# %%
from resizer_lib.course.cnn_basics import conv2d_numpy

assert by_loops.shape == (2, 3, 4)
np.testing.assert_allclose(conv2d_numpy(tiny, kernel, stride=2), by_loops)

# %% [markdown]
# ### Line detectors on real photos
# Two photos that ship with scikit-image, in grey, cropped to the same $300 \times 400$, and two
# hand-made $7 \times 7$ filters: a vertical line detector ($+2$ in the middle column, $-1$ in the
# columns on either side) and its horizontal twin. Each sums to zero, so it ignores flat areas and
# responds where a thin line is brighter than its surroundings: a filter responds where the image
# looks like it.

# %%
from resizer_lib.course.cnn_basics import line_filters
from resizer_lib.data.sample_images import load_sample
from resizer_lib.viz import show_images


def grey_crop(name, top, left, size=(300, 400)):
    """A package photo as float32 grey in [0, 1], cropped to ``size``: (H, W)."""
    rgb = load_sample(name)[top : top + size[0], left : left + size[1]]
    return rgb.astype(np.float32).mean(axis=-1) / 255.0


photos = np.stack([grey_crop("chelsea", 0, 25), grey_crop("coffee", 50, 100)])[..., None]
filters = line_filters(7)  # (7, 7, 1, 2): vertical line, horizontal line
print("photos", photos.shape, "filters", filters.shape)
print(filters[:, :, 0, 0])
assert photos.shape == (2, 300, 400, 1) and filters.shape == (7, 7, 1, 2)
assert np.allclose(filters.sum(axis=(0, 1, 2)), 0)  # a flat image gives 0

by_hand = np.stack([conv2d_numpy(p, filters, padding="same") for p in photos])
print("feature maps", by_hand.shape)
assert by_hand.shape == (2, 300, 400, 2)

bright = np.maximum(by_hand, 0)  # keep the positive responses, as a ReLU would
panels, titles = [], []
for b, name in enumerate(["chelsea", "coffee"]):
    panels += [photos[b, ..., 0], bright[b, ..., 0], bright[b, ..., 1]]
    titles += [name, "vertical-line filter", "horizontal-line filter"]
show_images(panels, titles, ncols=3, mode="percentile", panel_size=3.2);

# %% [markdown]
# The horizontal-line filter picks out the cat's whiskers and the rims of the saucer; the
# vertical one the fur stripes on the forehead and the handle of the spoon. Each map is almost
# blind to lines of the other orientation.
#
# ### The same with the framework
# `keras.ops.conv` takes a batch $(B, H, W, C')$ and kernels $(f_h, f_w, C', C)$; it runs on any
# Keras backend. Same numbers, up to float32 rounding:

# %%
import keras

with_keras = keras.ops.convert_to_numpy(keras.ops.conv(photos, filters, strides=1, padding="same"))
print("max |difference|:", float(np.abs(with_keras - by_hand).max()))
np.testing.assert_allclose(with_keras, by_hand, atol=1e-4)

# %% [markdown]
# ## 3. A `Conv2D` layer, with random and with chosen weights
# A `keras.layers.Conv2D` owns a kernel $(f_h, f_w, C', C)$ and a bias $(C,)$, created the first
# time it sees an input. Freshly initialised, its feature maps are random mixtures of the input
# (blurs, rough edge detectors). Training is what turns them into useful filters.

# %%
conv = keras.layers.Conv2D(filters=2, kernel_size=7, padding="same", name="two_filters")
random_maps = keras.ops.convert_to_numpy(conv(photos))
print("kernel", tuple(conv.kernel.shape), "bias", tuple(conv.bias.shape),
      "parameters", conv.count_params())
assert tuple(conv.kernel.shape) == (7, 7, 1, 2) and tuple(conv.bias.shape) == (2,)
assert conv.count_params() == 7 * 7 * 1 * 2 + 2 == 100
show_images([random_maps[0, ..., 0], random_maps[0, ..., 1]],
            ["random filter 0", "random filter 1"], mode="percentile", panel_size=3.2);

# %% [markdown]
# Setting the weights to our line filters (and the bias to zero) turns the layer into exactly
# the computation we did by hand:

# %%
conv.set_weights([filters, np.zeros(2, dtype=np.float32)])
set_maps = keras.ops.convert_to_numpy(conv(photos))
np.testing.assert_allclose(set_maps, by_hand, atol=1e-4)
print("Conv2D with the line filters == convolution by hand")

# %% [markdown]
# ### Learning a kernel from examples
# So far *we* chose the kernels. A network finds its own: it starts from random weights and
# moves them, step by step, in the direction that lowers a loss. The smallest version of that
# (Dive into Deep Learning does it in its convolution chapter): take a kernel we know, the
# $1 \times 2$ vertical-edge detector $k = [1, -1]$ (it responds where a pixel differs from its
# right-hand neighbour), make targets $y = x \star k$ from a photo $x$, and forget $k$. Can
# gradient descent find it again from the pairs $(x, y)$ alone?
#
# With a guess $w$ the output is $z = x \star w$ and the loss is the mean squared error over the
# $N$ output pixels, $L(w) = \frac1N \sum_{i,j} (z_{ij} - y_{ij})^2$. Since
# $z_{ij} = \sum_{u,v} x_{i+u,\,j+v}\, w_{u,v}$, each weight's gradient is
#
# $$ \frac{\partial L}{\partial w_{u,v}} = \frac{2}{N} \sum_{i,j} (z_{ij} - y_{ij})\;
#    x_{i+u,\,j+v}, $$
#
# the error correlated with the input shifted by $(u, v)$: the same sliding window as the
# convolution itself. We write it by hand in NumPy and check it against finite differences first.

# %%
true_kernel = np.array([[1.0, -1.0]])[:, :, None, None]  # (1, 2, 1, 1): a vertical-edge detector
x_small = photos[0, ::4, ::4].astype(np.float64)  # the cat, 75 x 100 x 1
y_target = conv2d_numpy(x_small, true_kernel)  # (75, 99, 1): what the kernel makes of it


def loss_and_gradient(w, x, y):
    """Mean squared error of conv(x, w) against y, and its gradient dL/dw (same shape as w)."""
    error = conv2d_numpy(x, w) - y  # (H', W', 1)
    fh, fw = w.shape[:2]
    out_h, out_w = error.shape[:2]
    grad = np.zeros_like(w)
    for u in range(fh):
        for v in range(fw):
            grad[u, v, 0, 0] = 2 * np.mean(error[..., 0] * x[u : u + out_h, v : v + out_w, 0])
    return float(np.mean(error**2)), grad


w = rng.normal(size=true_kernel.shape)  # a random start
_, grad = loss_and_gradient(w, x_small, y_target)
for u, v in [(0, 0), (0, 1)]:  # finite differences: (L(w + h) - L(w - h)) / 2h
    step = np.zeros_like(w)
    step[u, v] = 1e-6
    numeric = (loss_and_gradient(w + step, x_small, y_target)[0]
               - loss_and_gradient(w - step, x_small, y_target)[0]) / 2e-6
    assert abs(numeric - grad[u, v, 0, 0]) < 1e-6 * max(1.0, abs(numeric))
print("start:", w.ravel().round(3), "gradient:", grad.ravel().round(3), "(matches finite differences)")

# %% [markdown]
# Now the descent itself, $w \leftarrow w - \eta\, \nabla L(w)$, with a step size $\eta = 1.5$
# (try 3: the steps overshoot and the weights blow up).

# %%
import matplotlib.pyplot as plt

learning_rate, losses = 1.5, []
for _ in range(1000):
    loss, grad = loss_and_gradient(w, x_small, y_target)
    losses.append(loss)
    w = w - learning_rate * grad
print("learned kernel:", w.ravel().round(4), " true kernel:", true_kernel.ravel())
assert np.abs(w - true_kernel).max() < 1e-2
assert losses[-1] < 1e-4 * losses[0]

fig, ax = plt.subplots(figsize=(5, 2.6))
ax.semilogy(losses)
ax.set_xlabel("gradient step")
ax.set_ylabel("mean squared error")
ax.set_title("recovering the kernel [1, -1]")
fig.tight_layout();

# %% [markdown]
# The first steps fix the overall size of the kernel; most of the rest are spent on the last
# digits, because neighbouring pixels of a photo are much alike, so the loss changes only slowly
# along the direction $[1, -1]$ that tells them apart (a photo with more fine detail, or noise,
# would need fewer steps). Everything else in this course is this loop, made bigger: Keras
# computes the gradients for us (back-propagation), the kernels number in the thousands, and the
# loss is a classifier's error rather than the distance to a known answer. The learnable resizer
# of notebook 05 is exactly that: convolution kernels that nobody sets by hand, found by gradient
# descent on the loss of the classifier behind them.

# %% [markdown]
# ## 4. Stride, padding and output sizes
# Along one axis, with input length $n$, kernel $k$ and stride $s$:
#
# * `padding="valid"`: no padding; the window must fit, so
#   $n' = \left\lfloor \frac{n - k}{s} \right\rfloor + 1$;
# * `padding="same"`: zeros are added so that $n' = \left\lceil \frac{n}{s} \right\rceil$ (the
#   output has "the same" size when $s = 1$). The total padding is
#   $p = \max\big((n' - 1)s + k - n,\, 0\big)$, split $\lfloor p/2 \rfloor$ before and the rest
#   after (bottom and right get the odd one).
#
# `conv_output_size` and `same_padding` implement these; Keras agrees on every combination:

# %%
import itertools

from resizer_lib.course.cnn_basics import conv_output_size, same_padding
from resizer_lib.viz import show_table

rows = []
for n, k, s, pad in itertools.product([7, 8], [3, 4], [1, 2], ["valid", "same"]):
    shape = keras.layers.Conv2D(1, k, strides=s, padding=pad).compute_output_shape((1, n, n, 1))
    assert shape[1] == conv_output_size(n, k, s, pad)
    rows.append({"n": n, "k": k, "s": s, "padding": pad, "n'": shape[1],
                 "zeros (before, after)": same_padding(n, k, s) if pad == "same" else "none"})
show_table(rows);

# %% [markdown]
# ### "SAME" is zero padding plus "VALID", by assertion
# Pad the input with `same_padding` zeros on each side, convolve with `"valid"`, and compare with
# `"same"`, for every input size, kernel and stride in a grid, including the awkward even kernels
# and strides that make the padding lopsided:

# %%
checked = 0
for n, k, s in itertools.product(range(5, 10), range(1, 6), range(1, 4)):
    x = rng.normal(size=(1, n, n + 1, 2)).astype(np.float32)
    w = rng.normal(size=(k, k, 2, 3)).astype(np.float32)
    (top, bottom), (left, right) = same_padding(n, k, s), same_padding(n + 1, k, s)
    padded = np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0)))
    same = keras.ops.convert_to_numpy(keras.ops.conv(x, w, strides=s, padding="same"))
    valid = keras.ops.convert_to_numpy(keras.ops.conv(padded, w, strides=s, padding="valid"))
    np.testing.assert_allclose(same, valid, atol=1e-4)
    checked += 1
print(f"'same' == zero padding + 'valid' in all {checked} cases")
assert checked == 75

# %% [markdown]
# Stride shrinks the output, and the work, by $s^2$: the stride-2 line map below has a quarter of
# the units of the stride-1 one.

# %%
strided = {s: conv2d_numpy(photos[0], filters[..., :1], stride=s, padding="same")[..., 0]
           for s in (1, 2, 4)}
for s, fmap in strided.items():
    assert fmap.shape == (conv_output_size(300, 7, s, "same"), conv_output_size(400, 7, s, "same"))
show_images([np.maximum(m, 0) for m in strided.values()],
            [f"stride {s}: {m.shape}" for s, m in strided.items()],
            ncols=3, mode="percentile", panel_size=3.2);

# %% [markdown]
# ## 5. Receptive fields
# A unit of the first layer sees a $k_1 \times k_1$ window. A unit of layer $l$ sees a window of
# layer $l - 1$, whose units each see windows of the layer below, so the field grows with depth.
# Let $j_l$ be the distance in input pixels between neighbouring units of layer $l$ (the *jump*,
# the product of the strides so far). With $r_0 = j_0 = 1$:
#
# $$ r_l = r_{l-1} + (k_l - 1)\, j_{l-1}, \qquad j_l = j_{l-1}\, s_l. $$
#
# The course's `small_cnn` repeats (3 × 3 conv, stride 1) then (2 × 2 max-pool, stride 2) four
# times. `receptive_fields` applies the recurrence; `empirical_receptive_field` *measures* it,
# by poking every input pixel of a linear copy of the stack and watching which pokes reach the
# centre output.

# %%
from resizer_lib.course.cnn_basics import empirical_receptive_field, receptive_fields

small_cnn_stack = [(3, 1), (2, 2)] * 4
fields = receptive_fields(small_cnn_stack)
names = [f"{kind}{i // 2}" for i, kind in enumerate(["conv", "pool"] * 4)]
show_table([{"layer": n, "kernel, stride": spec, "receptive field r": r, "jump j": j}
            for n, spec, (r, j) in zip(names, small_cnn_stack, fields, strict=True)])
measured = empirical_receptive_field(small_cnn_stack, input_size=48)
print("formula", fields[-1][0], "measured", measured)
assert fields[-1] == (46, 16) and measured == 46

# %% [markdown]
# So after its four stages, each unit of `small_cnn` summarises a $46 \times 46$ window, and
# neighbouring units are 16 pixels apart. The squares below show the receptive field of one unit
# after each stage on the cat photo.

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
# ## 6. What a layer costs
# Take a convolutional layer with 200 filters of $5 \times 5$, stride 1, `"same"` padding, on a
# $150 \times 100$ RGB image:
#
# * **parameters**: $(5 \cdot 5 \cdot 3 + 1) \cdot 200 = 15{,}200$, tiny next to the dense
#   layer's $10^{11}$;
# * **memory**: the output has $150 \cdot 100 \cdot 200 = 3$ million numbers, 12 MB in float32
#   *per image*; a batch of 100 needs 1.2 GB for this one layer's output;
# * **compute**: each of the 3 million outputs takes $5 \cdot 5 \cdot 3 = 75$ multiply-adds:
#   225 million per image.
#
# During inference a layer's memory can be freed once the next layer has run; during training
# every layer's output must be kept for back-propagation, so the memory of all layers adds up.
# That is why batch size, and image size (this course's theme), decide whether training fits.

# %%
from resizer_lib.course.cnn_basics import conv_layer_cost

cost = conv_layer_cost((150, 100, 3), filters=200, kernel_size=5, padding="same")
show_table([cost.as_row()])
layer = keras.layers.Conv2D(200, 5, padding="same")
out = keras.ops.convert_to_numpy(layer(np.zeros((1, 150, 100, 3), np.float32)))
assert cost.params == layer.count_params() == 15_200
assert out[0].nbytes == cost.bytes_per_image == 12_000_000
assert cost.multiplications == 225_000_000
print(f"a batch of 100 images: {100 * cost.bytes_per_image / 1e9:.1f} GB for this layer's output")

# %% [markdown]
# ## 7. Pooling
# A pooling layer has no weights: it slides a window and keeps one number per window, the maximum
# (max pooling) or the mean (average pooling). With a $2 \times 2$ window and stride 2 it drops
# 75% of the values, which cuts the memory and compute of every later layer and gives a little
# tolerance to small shifts. Max pooling keeps the strongest response (an edge is still there,
# only less precisely placed); average pooling is a blur followed by subsampling.

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
assert pooled["max 8x8"].shape == (37, 50)  # 'valid': floor(300 / 8) rows
show_images([vertical_map[0, ..., 0], *pooled.values()],
            ["input (300, 400)", *(f"{n}: {m.shape}" for n, m in pooled.items())],
            ncols=5, mode="percentile", panel_size=2.6);

# %% [markdown]
# (The bright frame in the 8 × 8 max-pool comes from the `"same"` zero padding of the line filter:
# along the image border the filter sees a column of zeros, a "dark neighbour", and responds as if
# to a line.)
#
# Max pooling's tolerance to shifts, measured: move the feature map one pixel to the right and
# count the outputs that do not change at all.

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
# Pooling can also run across the *channels* instead of across space. Give a layer four line
# filters at 0°, 45°, 90° and 135°; the maximum over those four channels at each pixel responds to
# a line of *any* of these orientations. Keras has no layer for it;
# `cnn_basics.DepthwiseMaxPooling2D` reshapes $(B, H, W, C)$ to $(B, H, W, C/k, k)$ and takes the
# max over the last axis.

# %%
from resizer_lib.course.cnn_basics import DepthwiseMaxPooling2D

oriented = line_filters(7, angles=(90, 45, 0, 135))  # (7, 7, 1, 4)
maps = keras.ops.relu(keras.ops.conv(photos[:1], oriented, padding="same"))  # (1, 300, 400, 4)
any_line = keras.ops.convert_to_numpy(DepthwiseMaxPooling2D(4)(maps))
maps = keras.ops.convert_to_numpy(maps)
assert any_line.shape == (1, 300, 400, 1)
np.testing.assert_array_equal(any_line[..., 0], maps.max(axis=-1))
show_images([maps[0, ..., c] for c in range(4)] + [any_line[0, ..., 0]],
            ["vertical", "45°", "horizontal", "135°", "depth-wise max"],
            ncols=5, mode="percentile", panel_size=2.6);

# %% [markdown]
# ### Global average pooling
# The extreme case: one average per feature map over the whole image,
# $(B, H, W, C) \to (B, C)$. Modern CNNs end with it instead of flattening into huge dense
# layers (Network in Network introduced it, GoogLeNet made it common); it also makes a network
# accept any image size.

# %%
gap = keras.ops.convert_to_numpy(keras.layers.GlobalAveragePooling2D()(by_hand))
print("feature maps", by_hand.shape, "-> global average", gap.shape)
assert gap.shape == (2, 2)
np.testing.assert_allclose(gap, by_hand.mean(axis=(1, 2)), rtol=1e-4)  # float32 sums

# %% [markdown]
# ## 8. A small CNN on the course data
# `load_dataset` gives the course data: the cats and dogs photos where TensorFlow Datasets has
# them, otherwise the offline synthetic set, whose class is a faint period-2 stripe pattern
# (vertical or horizontal) hidden under random shapes. We load it directly at the backbone's
# size, `PROFILE.target_size`, with no resize, so the stripes survive.
#
# The network is the course's `small_cnn`: four stages of (3 × 3 conv, batch norm, ReLU,
# 2 × 2 max-pool) with 32, 64, 128, 256 filters, then global average pooling and a softmax.

# %%
from resizer_lib.data import load_dataset, resolve_source

data = load_dataset(
    resolve_source(), image_size=PROFILE.target_size, batch_size=PROFILE.batch_size,
    backend="numpy", num_train=PROFILE.num_train, num_val=PROFILE.num_val,
    limit={"train": PROFILE.max_train, "val": PROFILE.num_val},
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
assert model.count_params() == expected == 390_370
print(f"{model.count_params():,} parameters, as counted by hand")

# %% [markdown]
# Training: Adam, cross-entropy, `PROFILE.epochs` epochs. (`fit_classifier` compiles and fits;
# it turns XLA compilation off on a CPU, where compiling costs more than it saves for models this
# small.)

# %%
from resizer_lib.course.classify import fit_classifier
from resizer_lib.viz import plot_history

history = fit_classifier(model, (x_train, y_train), (x_val, y_val), epochs=PROFILE.epochs,
                         learning_rate=1e-3, batch_size=PROFILE.batch_size)
print(f"validation accuracy after {PROFILE.epochs} epoch(s): {history['val_accuracy'][-1]:.1%}")
assert len(history["val_accuracy"]) == PROFILE.epochs
plot_history({"small CNN": history});

# %% [markdown]
# On the synthetic set, validation accuracy typically sits near chance (50%) for a few epochs, then
# climbs steeply: the network first has to discover that a faint stripe (±24 grey levels, the
# synthetic set's default amplitude) is what matters.
# The validation curve can jump around on the way, while the batch-norm statistics settle (notebook 03 explains what they are). (With
# the `smoke` profile there is only one epoch: the numbers mean nothing, the code path is
# tested.)
#
# A **confusion matrix** shows *which* mistakes the model makes: row = true class, column =
# predicted class. Its diagonal holds the correct predictions, so its trace divided by its sum is
# the accuracy, which must agree with what Keras reported.

# %%
from resizer_lib.course.classify import (
    accuracy_from_confusion,
    confusion_matrix,
    plot_confusion_matrix,
    predict_classes,
)

predicted = predict_classes(model, x_val)
cm = confusion_matrix(y_val, predicted, data.num_classes)
print(cm)
assert cm.sum() == len(y_val)
assert abs(accuracy_from_confusion(cm) - history["val_accuracy"][-1]) < 1e-6
plot_confusion_matrix(cm, data.class_names);

# %% [markdown]
# ## 9. Residual learning and ResNet-34
# Stacking more layers should never hurt in principle (extra layers could learn the identity),
# yet in practice plain networks beyond ~20 layers train *worse*. ResNet's fix (He et al., 2016):
# let a block learn only a correction $F(x)$ to its input, and add the input back,
#
# $$ y = \mathrm{ReLU}\big(F(x) + x\big). $$
#
# If the identity is what is needed, $F$ just has to go to zero, which is easy; and the gradient
# reaches the block's input through the `+ x` path without passing through $F$'s layers, however
# deep the network. (Not *unchanged*: the ReLU after the addition still zeroes it where the sum is
# negative. The pre-activation ResNets of He et al., 2016b, move that ReLU into $F$, and only
# there does the gradient pass the skip path untouched.) When a unit changes the shape
# (stride 2, more filters), the skip path cannot be the identity: a $1 \times 1$ convolution with
# the same stride *projects* $x$ to the new shape.

# %%
from resizer_lib.course.cnn_basics import residual_unit


def trainable_count(m):
    return sum(int(np.prod(w.shape)) for w in m.trainable_weights)


x_in = keras.Input((56, 56, 64))
identity_unit = keras.Model(x_in, residual_unit(x_in, 64, name="identity"))
projection_unit = keras.Model(x_in, residual_unit(x_in, 128, strides=2, name="projection"))
for unit in (identity_unit, projection_unit):
    print(f"{unit.layers[-1].name:>16}: {x_in.shape} -> {unit.output.shape}, "
          f"{trainable_count(unit):,} trainable parameters")
assert identity_unit.output.shape == (None, 56, 56, 64)
assert projection_unit.output.shape == (None, 28, 28, 128)
# two 3x3 convs (no bias) + two batch norms (a scale and a shift per channel)
assert trainable_count(identity_unit) == 2 * (9 * 64 * 64) + 2 * (2 * 64) == 73_984
# the projection adds a 1x1 conv and its batch norm
assert trainable_count(projection_unit) == (
    9 * 64 * 128 + 9 * 128 * 128 + 2 * (2 * 128) + 64 * 128 + 2 * 128
) == 230_144

# %% [markdown]
# ResNet-34 stacks a $7 \times 7$ stride-2 convolution and a max-pool (the "stem"), then 3, 4, 6
# and 3 residual units of 64, 128, 256 and 512 filters, global average pooling and a dense layer:
# $16 \times 2 + 1 + 1 = 34$ weight layers. Its published size (e.g. torchvision's `resnet34`)
# is **21,797,672** parameters for 1000 classes. Keras additionally counts each batch norm's
# running mean and variance, which are not trained, as non-trainable weights.

# %%
from resizer_lib.course.cnn_basics import RESNET34_TRAINABLE_PARAMS, build_resnet34

resnet34 = build_resnet34(input_shape=(224, 224, 3), num_classes=1000)
trainable = trainable_count(resnet34)
print(f"ResNet-34: {trainable:,} trainable + {resnet34.count_params() - trainable:,} "
      f"non-trainable = {resnet34.count_params():,}")
assert trainable == RESNET34_TRAINABLE_PARAMS == 21_797_672
weight_layers = [lay for lay in resnet34.layers
                 if isinstance(lay, (keras.layers.Conv2D, keras.layers.Dense))
                 and not lay.name.endswith("_proj")]
assert len(weight_layers) == 34

stage_ends = ["stem_pool", "s1u3_out", "s2u4_out", "s3u6_out", "s4u3_out", "gap"]
show_table([{"after": n, "output shape": str(resnet34.get_layer(n).output.shape)}
            for n in stage_ends]);

# %% [markdown]
# ## 10. A short tour of classic architectures
# Each network below is remembered for one idea that everyone has used since.
#
# | network | year | the idea it added |
# |---|---|---|
# | LeNet-5 | 1998 | convolution + subsampling stacks, trained end to end, for digits |
# | AlexNet | 2012 | much bigger, on GPUs; ReLU, dropout and data augmentation; convolutions stacked directly on each other |
# | VGG | 2014 | depth from small kernels only: stacks of 3 × 3 convolutions and 2 × 2 max-pools |
# | GoogLeNet | 2014 | the inception module: parallel 1 × 1, 3 × 3, 5 × 5 and pooling branches, with 1 × 1 "bottleneck" convolutions that make it cheap |
# | ResNet | 2015 | skip connections: learn a residual $F(x)$ and add $x$ back (section 9) |
# | Xception | 2016 | depth-wise separable convolutions: spatial patterns per channel, then 1 × 1 across channels |
# | DenseNet | 2017 | dense connectivity: every layer of a block reads the concatenated outputs of all earlier ones |
# | SENet | 2017 | squeeze-and-excitation: reweight the channels of a block by what the whole image contains |
# | MobileNetV2 | 2018 | inverted residuals: expand, filter depth-wise, project back to a thin, linear bottleneck |
# | EfficientNet | 2019 | MBConv blocks (inverted residual + SE) and compound scaling of depth, width and resolution |
#
# **LeNet-5**, in today's layers (tanh, average pooling), on $32 \times 32$ grey digits:

# %%
from resizer_lib.course.cnn_basics import build_lenet5

lenet = build_lenet5(num_classes=10)
print(f"LeNet-5: {lenet.count_params():,} parameters")
assert lenet.count_params() == 61_706

# %% [markdown]
# **AlexNet**'s first layer: 96 filters of $11 \times 11$ with stride 4 on $227 \times 227$
# images. A big stride and a big kernel shrink the image fast while the input has only 3 channels
# (cheap); later layers use small kernels on many channels.

# %%
alex1 = conv_layer_cost((227, 227, 3), filters=96, kernel_size=11, strides=4, padding="valid")
show_table([alex1.as_row()])
assert alex1.output_shape == (55, 55, 96) and alex1.params == 34_944

# %% [markdown]
# **VGG** (Simonyan & Zisserman, 2014) went the other way: nothing but $3 \times 3$ convolutions
# (stride 1, `"same"`) and $2 \times 2$ max-pools, in five stages; VGG-16 has 2, 2, 3, 3 and 3
# convolutions of 64, 128, 256, 512 and 512 filters, then three dense layers. Two stacked
# $3 \times 3$ convolutions see a $5 \times 5$ window (section 5's recurrence) with
# $2 \cdot 9 C^2$ weights instead of $25 C^2$ and a ReLU in between; three see $7 \times 7$. Its
# size, by hand, against `keras.applications.VGG16` built without weights (nothing is downloaded):

# %%
vgg16_stages = [(2, 64), (2, 128), (3, 256), (3, 512), (3, 512)]  # (convolutions, filters)
vgg_convs, c_in = 0, 3
for n_convs, width in vgg16_stages:
    for _ in range(n_convs):
        vgg_convs += 9 * c_in * width + width  # 3x3 kernel + bias
        c_in = width
vgg_dense = (7 * 7 * 512 * 4096 + 4096) + (4096 * 4096 + 4096) + (4096 * 1000 + 1000)  # at 224 px
vgg16 = keras.applications.VGG16(weights=None, include_top=False, input_shape=(64, 64, 3))
print(f"VGG-16: convolutions {vgg_convs:,} (Keras: {vgg16.count_params():,}), dense layers "
      f"{vgg_dense:,}, in all {vgg_convs + vgg_dense:,}")
assert vgg16.count_params() == vgg_convs == 14_714_688
assert vgg_convs + vgg_dense == 138_357_544  # the published VGG-16, 1000 classes
assert receptive_fields([(3, 1), (3, 1)])[-1][0] == 5 and receptive_fields([(3, 1)] * 3)[-1][0] == 7
first_dense_share = (7 * 7 * 512 * 4096 + 4096) / (vgg_convs + vgg_dense)
print(f"the first dense layer alone: {first_dense_share:.0%} of all weights")
assert 0.74 < first_dense_share < 0.75

# %% [markdown]
# Three quarters of VGG-16's weights sit in its first dense layer, which flattens a
# $7 \times 7 \times 512$ map; global average pooling (section 7) is what later networks use
# instead.
#
# **GoogLeNet**'s inception module "3a" on a $28 \times 28 \times 192$ input gives 256 channels.
# The $1 \times 1$ reduce layers cut the channels before the expensive $3 \times 3$ and
# $5 \times 5$ convolutions; without them the same module would need more than twice the
# parameters:

# %%
from resizer_lib.course.cnn_basics import inception_module

x_in = keras.Input((28, 28, 192))
inception = keras.Model(x_in, inception_module(x_in, 64, 96, 128, 16, 32, 32, name="3a"))
without_reduce = sum(
    conv_layer_cost((28, 28, 192), f, k).params for f, k in ((64, 1), (128, 3), (32, 5), (32, 1))
)
print(f"inception 3a: {inception.count_params():,} parameters "
      f"(without the 1x1 reduce layers: {without_reduce:,}); output {inception.output.shape}")
assert inception.output.shape == (None, 28, 28, 256)
assert inception.count_params() == 163_696 and without_reduce == 393_472

# %% [markdown]
# **Xception** replaces convolutions by *separable* ones: one $k \times k$ filter per input
# channel (spatial patterns), then a $1 \times 1$ convolution (patterns across channels).
# Parameters: $k^2 C' + C' C + C$ instead of $k^2 C' C + C$:

# %%
x_in = keras.Input((32, 32, 128))
regular = keras.layers.Conv2D(256, 3, padding="same")
separable = keras.layers.SeparableConv2D(256, 3, padding="same")
regular(x_in), separable(x_in)
print(f"3x3, 128 -> 256 channels: Conv2D {regular.count_params():,}, "
      f"SeparableConv2D {separable.count_params():,} parameters")
assert regular.count_params() == 9 * 128 * 256 + 256 == 295_168
assert separable.count_params() == 9 * 128 + 128 * 256 + 256 == 34_176

# %% [markdown]
# **SENet**'s squeeze-and-excitation block looks at a block's output as a whole: global average
# pooling *squeezes* each feature map to one number, a tiny two-layer network (a bottleneck of
# $C/r$ units, then $C$ sigmoids) *excites* a weight in $(0, 1)$ per channel, and each feature map
# is multiplied by its weight. Channels that do not matter for this image are turned down. Here it
# is appended to a residual unit and applied to a batch of the photos' first-stage features:

# %%
from resizer_lib.course.cnn_basics import se_block

x_in = keras.Input((75, 100, 64))
unit_out = residual_unit(x_in, 64, name="unit")
se_model = keras.Model(x_in, [unit_out, se_block(unit_out, ratio=16, name="se")])
weights_model = keras.Model(x_in, se_model.get_layer("se_weights").output)  # (B, 1, 1, 64)
se_params = se_model.count_params() - keras.Model(x_in, unit_out).count_params()
print(f"SE block on 64 channels, ratio 16: {se_params:,} extra parameters")
assert se_params == 2 * 64 * 4 + 4 + 64 == 580

# first-stage features of the two photos: an (untrained) ResNet stem, 300 x 400 -> 75 x 100
stem = keras.Sequential([
    keras.layers.Conv2D(64, 7, strides=2, padding="same", activation="relu"),
    keras.layers.MaxPooling2D(3, strides=2, padding="same"),
])
features = stem(photos)  # (2, 75, 100, 64)
plain, recalibrated = (keras.ops.convert_to_numpy(t) for t in se_model(features))
channel_weights = keras.ops.convert_to_numpy(weights_model(features))[:, 0, 0, :]  # (2, 64)
assert recalibrated.shape == plain.shape == (2, 75, 100, 64)
assert np.all((channel_weights > 0) & (channel_weights < 1))
np.testing.assert_allclose(recalibrated, plain * channel_weights[:, None, None, :], rtol=1e-5,
                           atol=1e-6)

fig, ax = plt.subplots(figsize=(8, 2.4))
for b, name in enumerate(["chelsea", "coffee"]):
    ax.bar(np.arange(64) + 0.4 * b, channel_weights[b], width=0.4, label=name)
ax.set_xlabel("channel")
ax.set_ylabel("SE weight")
ax.set_title("one weight per channel and per image (untrained block)")
ax.legend(fontsize=8);

# %% [markdown]
# Untrained, the weights hover around 0.5; trained, they learn to depend on the image, and the
# block costs less than 1% of the unit's parameters.

# %% [markdown]
# ### Three backbones of notebook 08
# Notebook 08 puts the resizer in front of DenseNet-121, ResNet-50, MobileNetV2, EfficientNet-B0
# and ConvMixer. ResNet is section 9; the other three each add one idea to the ones above:
#
# * **DenseNet** (Huang et al., 2017): *dense connectivity*. Inside a dense block every layer
#   (BN → ReLU → 1 × 1 conv → BN → ReLU → 3 × 3 conv) receives the **concatenation** of the block's
#   input and of all earlier layers' outputs, and adds $k$ new feature maps (the *growth rate*,
#   32 in DenseNet-121). Features are reused instead of recomputed, so the layers can be thin.
#   Between blocks a *transition* (1 × 1 conv halving the channels, 2 × 2 average pooling)
#   shrinks the maps.
# * **MobileNetV2** (Sandler et al., 2018): the *inverted residual*. A 1 × 1 convolution
#   *expands* a thin input 6 times, a 3 × 3 **depth-wise** convolution filters each channel on
#   its own (Xception's separable convolution, above), and a 1 × 1 convolution *projects* back
#   to a thin output, with **no** activation after it (a "linear bottleneck": a ReLU on so few
#   channels would destroy information). The skip connection joins the thin ends, the reverse of
#   ResNet's bottleneck.
# * **EfficientNet** (Tan & Le, 2019): *compound scaling*. Its block, **MBConv**, is
#   MobileNetV2's inverted residual with a squeeze-and-excitation block inside. The B0 network
#   was found by a search; B1 to B7 scale depth, width and input resolution *together*, by
#   $\alpha^\phi, \beta^\phi, \gamma^\phi$ with $\alpha = 1.2$, $\beta = 1.1$, $\gamma = 1.15$,
#   chosen so that $\alpha \beta^2 \gamma^2 \approx 2$: each step of $\phi$ about doubles the
#   FLOPs.
#
# We build the three from `keras.applications` without weights (nothing is downloaded), at a
# small input since parameter counts do not depend on it, and check each idea on the built model:

# %%
import time

start = time.perf_counter()
backbones = {
    "DenseNet-121": keras.applications.DenseNet121,
    "MobileNetV2": keras.applications.MobileNetV2,
    "EfficientNet-B0": keras.applications.EfficientNetB0,
}
backbones = {name: make(weights=None, include_top=False, input_shape=(64, 64, 3), pooling="avg")
             for name, make in backbones.items()}
rows = []
for name, net in backbones.items():
    feats = net.output.shape[-1]
    rows.append({"backbone": name, "layers": len(net.layers), "features": feats,
                 "parameters (no head)": net.count_params(),
                 "with a 1000-class head": net.count_params() + feats * 1000 + 1000})
rows.append({"backbone": "ResNet-34 (section 9)", "layers": len(resnet34.layers), "features": 512,
             "parameters (no head)": resnet34.count_params() - (512 * 1000 + 1000),
             "with a 1000-class head": resnet34.count_params()})
show_table(rows)
print(f"built in {time.perf_counter() - start:.1f} s")
totals = {r["backbone"]: r["with a 1000-class head"] for r in rows}
assert totals["DenseNet-121"] == 8_062_504  # Keras' counts, moving statistics included
assert totals["MobileNetV2"] == 3_538_984
assert totals["EfficientNet-B0"] == 5_330_571

# %%
densenet, mobilenet, effnet = backbones.values()
# DenseNet: block 1 starts from 64 channels; each of its 6 layers concatenates 32 more
assert densenet.get_layer("conv2_block6_concat").output.shape[-1] == 64 + 6 * 32
assert densenet.get_layer("pool2_conv").output.shape[-1] == (64 + 6 * 32) // 2  # the transition
# MobileNetV2: block 2 is 24 -> 144 (expand) -> depth-wise 3x3 -> 24 (project), plus its input
block2 = [lay for lay in mobilenet.layers if lay.name.startswith("block_2_")]
expand, depthwise, project = 24 * 144, 9 * 144, 144 * 24  # no biases: each feeds a batch norm
assert sum(lay.count_params() for lay in block2) == expand + depthwise + project + 4 * (144 + 144 + 24)
assert isinstance(mobilenet.get_layer("block_2_add"), keras.layers.Add)
# EfficientNet-B0: 16 MBConv blocks, each with a squeeze-and-excitation step
assert sum(lay.name.endswith("se_squeeze") for lay in effnet.layers) == 16
assert abs(1.2 * 1.1**2 * 1.15**2 - 2) < 0.1
print(f"MobileNetV2's block 2: {len(block2)} layers, {expand + depthwise + project:,} conv weights; "
      f"its depth-wise 3x3 on 144 channels takes {depthwise:,}, a full 3x3 conv 144 -> 144 "
      f"would take {9 * 144 * 144:,}")

# %% [markdown]
# ## Exercises
# 1. **Sizes.** A VGG-style stack (section 10): conv 3 × 3 (`"same"`) twice, max-pool 2 × 2, conv 3 × 3 twice,
#    max-pool 2 × 2, on $150 \times 150$ images. Compute the output size and the receptive field
#    of the last layer with the formulas, then check the size with a Keras model and the field with
#    `empirical_receptive_field`.
# 2. **A diagonal filter.** Make your own $7 \times 7$ filter (without `line_filters`) that
#    detects lines going from bottom-left to top-right, apply it to the cat photo with `conv2d_numpy` and with a `Conv2D` layer whose
#    weights you set, and assert that the two agree.
# 3. **Memory.** How many mebibytes (MiB, $2^{20}$ bytes) does the output of ResNet-34's stem convolution
#    ($7 \times 7$, 64 filters, stride 2) take for a batch of 32 images of $224 \times 224$? And
#    for the course's $300 \times 300$ images?
#
#    The cells of exercises 1-3 end with a check that says "✓ right" or what is off, without
#    giving the answer away.
# 4. **SE in the small CNN.** Add an SE block after the last stage of `small_cnn` (before global
#    average pooling). How many parameters does it add? Train it with the same settings as
#    section 8 and compare the validation accuracy (use the `quick` profile for a meaningful
#    number).

# %% tags=["exercise"]
# Exercise 1: your code here
from resizer_lib.course.exercise_checks import check_stack_sizes

VGG_STACK = [(3, 1, "same"), (3, 1, "same"), (2, 2, "valid"),  # (kernel, stride, padding),
             (3, 1, "same"), (3, 1, "same"), (2, 2, "valid")]  # the exercise's layers
out_size = None  # the side of the last layer's output, from the formulas of section 4
field = None  # its receptive field, from the recurrence of section 5
check_stack_sizes(out_size, field, VGG_STACK, input_size=150);

# %% tags=["exercise"]
# Exercise 2: your code here
from resizer_lib.course.exercise_checks import check_line_filter

diag = None  # your (7, 7, 1, 1) filter for lines from bottom-left to top-right
check_line_filter(diag, direction="/");

# %% tags=["exercise"]
# Exercise 3: your code here
from resizer_lib.course.exercise_checks import check_activation_memory

stem_mib = None  # {image side: MiB of the stem convolution's output for a batch of 32}
check_activation_memory(stem_mib, batch_size=32, filters=64, kernel_size=7, strides=2,
                        sides=(224, 300));

# %% tags=["exercise"]
# Exercise 4: your code here
se_cnn = None  # small_cnn with an SE block after its last stage, before global average pooling

# %% [markdown] tags=["solution"]
# ## Solutions
#
# One cell per exercise; open a cell to read it, but try first.

# %% tags=["solution"] jupyter={"source_hidden": true}
# 1. Sizes. Same-padding convs keep the size and pools halve it: 150 -> 75 -> 37.
vgg_stack = [(3, 1), (3, 1), (2, 2), (3, 1), (3, 1), (2, 2)]
print(receptive_fields(vgg_stack))
x_in = keras.Input((150, 150, 3))
y = x_in
for k, s in vgg_stack:
    y = (keras.layers.Conv2D(8, k, padding="same")(y) if s == 1 else
         keras.layers.MaxPooling2D(k)(y))
out_size, field = y.shape[1], receptive_fields(vgg_stack)[-1][0]
assert y.shape == (None, 37, 37, 8) and out_size == conv_output_size(75, 2, 2, "valid") == 37
assert receptive_fields(vgg_stack)[-1] == (16, 4) and field == 16
assert empirical_receptive_field(vgg_stack, input_size=24) == 16

# %% tags=["solution"] jupyter={"source_hidden": true}
# 2. A diagonal filter. +2 on the anti-diagonal (row 0 is the top, so the line runs from the
# bottom-left corner to the top-right one), -1 on its two neighbours, then shift to a zero sum.
diag = 2 * np.fliplr(np.eye(7)) - np.fliplr(np.eye(7, k=1)) - np.fliplr(np.eye(7, k=-1))
diag = (diag - diag.mean()).astype(np.float32)[:, :, None, None]  # (7, 7, 1, 1), sums to 0
mine_map = conv2d_numpy(photos[0], diag, padding="same")
diag_layer = keras.layers.Conv2D(1, 7, padding="same", use_bias=False)
diag_layer.build((None, 300, 400, 1))
diag_layer.set_weights([diag])
layer_map = keras.ops.convert_to_numpy(diag_layer(photos[:1]))[0]
np.testing.assert_allclose(mine_map, layer_map, atol=1e-4)
show_images([photos[0, ..., 0], np.maximum(mine_map[..., 0], 0)], ["cat", "diagonal-line filter"],
            mode="percentile", panel_size=3.2);

# %% tags=["solution"] jupyter={"source_hidden": true}
# 3. Memory. The output is 112 x 112 x 64 per image at 224 px, in float32 (4 bytes each).
stem_mib = {}
for side in (224, 300):
    stem_cost = conv_layer_cost((side, side, 3), 64, 7, strides=2, padding="same")
    stem_mib[side] = 32 * stem_cost.bytes_per_image / 2**20
    print(f"{side} x {side}: {stem_cost.output_shape}, batch of 32: {stem_mib[side]:.0f} MiB")
assert stem_mib[224] == 98 and round(stem_mib[300]) == 176
assert conv_layer_cost((224, 224, 3), 64, 7, 2).bytes_per_image == 112 * 112 * 64 * 4

# %% tags=["solution"] jupyter={"source_hidden": true}
# 4. SE in the small CNN. Cut `small_cnn` before its pooling, add the block, put a new head on
# top. With 256 channels and ratio 16 it adds 2 * 256 * 16 + 16 + 256 = 8,464 parameters
# (about 2%).
keras.utils.set_random_seed(0)
trunk = small_cnn((*PROFILE.target_size, 3), data.num_classes, widths)
features = trunk.get_layer("s3_pool").output
head = keras.layers.GlobalAveragePooling2D()(se_block(features, ratio=16, name="se_top"))
head = keras.layers.Dense(data.num_classes, activation="softmax")(keras.layers.Dropout(0.2)(head))
inputs = keras.Input(shape=(*PROFILE.target_size, 3))
se_cnn = keras.Model(inputs, keras.Model(trunk.input, head)(keras.layers.Rescaling(1 / 255)(inputs)))
assert se_cnn.count_params() - model.count_params() == 8_464
se_history = fit_classifier(se_cnn, (x_train, y_train), (x_val, y_val), epochs=PROFILE.epochs,
                            batch_size=PROFILE.batch_size)
print(f"validation accuracy: small CNN {history['val_accuracy'][-1]:.1%}, "
      f"with SE {se_history['val_accuracy'][-1]:.1%}")
