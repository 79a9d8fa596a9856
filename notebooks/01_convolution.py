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
# # 01 · Convolution, by hand
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/learning-to-resize/learning-to-resize/blob/v0.1.0/notebooks/01_convolution.ipynb)
# · source: [`01_convolution.py`](01_convolution.py) (the `.ipynb` is generated from it with jupytext)
#
# The learnable resizer is a small convolutional network. This lesson takes its building block
# apart: the convolution. You will write it in NumPy and check it against Keras.
#
# **What you will learn here**
# * what a convolution computes, written as four loops and checked against Keras;
# * hand-made line detectors, applied to real photos;
# * a `Conv2D` layer with random weights, and with weights you choose;
# * a kernel *learned* by gradient descent, the seed of a learned resizer;
# * the output-size formulas for stride and padding, and why `"same"` is zero padding plus
#   `"valid"`.

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
# A dense layer connects every input to every output. Take a $150 \times 100$ colour image and
# an output of the same size with 200 feature maps. That is
# $45{,}000 \times 3{,}000{,}000 \approx 1.35 \times 10^{11}$ weights: hopeless. A convolutional
# layer makes two assumptions that fit images well:
#
# * **local connectivity**: a unit looks only at a small window of the layer below;
# * **weight sharing**: every unit of one feature map uses the *same* small kernel. A pattern
#   learned in one place is then recognised everywhere.
#
# With stride $s_h, s_w$, a kernel of $f_h \times f_w$ and $C'$ input channels, unit $(i, j)$ of
# feature map $k$ computes
#
# $$ z_{i,j,k} = b_k + \sum_{u=0}^{f_h-1} \sum_{v=0}^{f_w-1} \sum_{k'=0}^{C'-1}
#    x_{i s_h + u,\; j s_w + v,\; k'} \; w_{u, v, k', k}. $$
#
# Strictly, this is a cross-correlation: the kernel is not flipped. Every framework calls it
# convolution anyway. Since the kernel is learned, the difference does not matter.

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
# `conv2d_numpy` computes the same thing faster. It takes one shifted, strided view of the input
# per kernel tap: $f_h f_w$ matrix products instead of $H' W' C$ dot products. With
# `padding="same"` it first adds the zeros that `same_padding` counts; section 4 derives them.

# %%
import math


def same_padding(n, k, s=1):
    """Zeros (before, after) that padding="same" adds along an axis of length n (section 4)."""
    total = max((math.ceil(n / s) - 1) * s + k - n, 0)
    return total // 2, total - total // 2


def conv2d_numpy(x, w, stride=1, padding="valid"):
    """The formula, one view per tap: x (H, W, C'), w (fh, fw, C', C) -> z (H', W', C)."""
    fh, fw, _, c_out = w.shape
    if padding == "same":
        x = np.pad(x, [same_padding(x.shape[0], fh, stride), same_padding(x.shape[1], fw, stride), (0, 0)])
    out_h, out_w = (x.shape[0] - fh) // stride + 1, (x.shape[1] - fw) // stride + 1
    z = np.zeros((out_h, out_w, c_out))
    for u in range(fh):
        for v in range(fw):  # the inputs that tap (u, v) meets, for every output at once
            view = x[u : u + stride * (out_h - 1) + 1 : stride, v : v + stride * (out_w - 1) + 1 : stride]
            z += view @ w[u, v]  # (H', W', C') @ (C', C)
    return z


np.testing.assert_allclose(conv2d_numpy(tiny, kernel, stride=2), by_loops)

# %% [markdown]
# ### Line detectors on real photos
# Two photos that ship with scikit-image, in grey, cropped to $300 \times 400$. Two hand-made
# $7 \times 7$ filters: a vertical line detector and its horizontal twin. The vertical one has
# $+2$ in the middle column and $-1$ in the columns on either side. Each filter sums to zero, so
# it ignores flat areas. It responds where a thin line is brighter than its surroundings.

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
# The horizontal-line filter picks out the cat's whiskers and the rims of the saucer. The
# vertical one finds the fur stripes and the handle of the spoon. Each map is almost blind to
# lines of the other orientation.
#
# ### The same with the framework
# `keras.ops.conv` takes a batch $(B, H, W, C')$ and kernels $(f_h, f_w, C', C)$. It runs on any
# Keras backend. Same numbers, up to float32 rounding:

# %%
import keras

with_keras = keras.ops.convert_to_numpy(keras.ops.conv(photos, filters, strides=1, padding="same"))
print("max |difference|:", float(np.abs(with_keras - by_hand).max()))
np.testing.assert_allclose(with_keras, by_hand, atol=1e-4)

# %% [markdown]
# ## 3. A `Conv2D` layer, with random and with chosen weights
# A `keras.layers.Conv2D` owns a kernel $(f_h, f_w, C', C)$ and a bias $(C,)$. It creates them
# the first time it sees an input. Freshly initialised, its maps are random mixtures of the input:
# blurs, rough edge detectors. Training turns them into useful filters.

# %%
conv = keras.layers.Conv2D(filters=2, kernel_size=7, padding="same", name="two_filters")
random_maps = keras.ops.convert_to_numpy(conv(photos))
print("kernel", tuple(conv.kernel.shape), "bias", tuple(conv.bias.shape),
      "parameters", conv.count_params())
assert conv.count_params() == 7 * 7 * 1 * 2 + 2
show_images([random_maps[0, ..., 0], random_maps[0, ..., 1]],
            ["random filter 0", "random filter 1"], mode="percentile", panel_size=3.2);

# %% [markdown]
# Set the weights to our line filters and the bias to zero. The layer now does exactly the
# computation we did by hand:

# %%
conv.set_weights([filters, np.zeros(2, dtype=np.float32)])
set_maps = keras.ops.convert_to_numpy(conv(photos))
np.testing.assert_allclose(set_maps, by_hand, atol=1e-4)
print("Conv2D with the line filters == convolution by hand")

# %% [markdown]
# ### Learning a kernel from examples
# So far *we* chose the kernels. A network finds its own. It starts from random weights and
# moves them, step by step, in the direction that lowers a loss. Here is the smallest version,
# as in Dive into Deep Learning. Take a known kernel, the vertical-edge detector $k = [1, -1]$.
# Make targets $y = x \star k$ from a photo $x$, then forget $k$. Can gradient descent find it
# again from the pairs $(x, y)$ alone?
#
# With a guess $w$ the output is $z = x \star w$. The loss is the mean squared error over the
# $N$ output pixels, $L(w) = \frac1N \sum_{i,j} (z_{ij} - y_{ij})^2$. Since
# $z_{ij} = \sum_{u,v} x_{i+u,\,j+v}\, w_{u,v}$, each weight's gradient is
#
# $$ \frac{\partial L}{\partial w_{u,v}} = \frac{2}{N} \sum_{i,j} (z_{ij} - y_{ij})\;
#    x_{i+u,\,j+v}, $$
#
# the error correlated with the input shifted by $(u, v)$. It is the same sliding window as the
# convolution itself. We write it in NumPy and check it against finite differences first.

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
# Now the descent itself, $w \leftarrow w - \eta\, \nabla L(w)$, with a step size $\eta = 1.5$.
# Try 3: the steps overshoot and the weights blow up.

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
# The first steps fix the overall size of the kernel. Most of the rest go to the last digits.
# Neighbouring pixels of a photo are much alike, so the loss changes slowly along $[1, -1]$, the
# direction that tells them apart.
#
# Everything else in this course is this loop, made bigger. Keras computes the gradients for us
# (back-propagation). The kernels number in the thousands. The loss is a classifier's error, not
# the distance to a known answer. The learnable resizer of lesson 09 is exactly that: kernels
# nobody sets by hand, found by gradient descent on the loss of the classifier behind them.

# %% [markdown]
# ## 4. Stride, padding and output sizes
# Along one axis, with input length $n$, kernel $k$ and stride $s$:
#
# * `padding="valid"`: no padding; the window must fit, so
#   $n' = \left\lfloor \frac{n - k}{s} \right\rfloor + 1$;
# * `padding="same"`: zeros are added so that $n' = \left\lceil \frac{n}{s} \right\rceil$. The
#   total padding is $p = \max\big((n' - 1)s + k - n,\, 0\big)$. It is split
#   $\lfloor p/2 \rfloor$ before and the rest after: bottom and right get the odd one.
#
# `conv_output_size` from the course library and our `same_padding` implement these. Keras agrees
# on every combination:

# %%
import itertools

from resizer_lib.course.cnn_basics import conv_output_size
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
# Pad the input with `same_padding` zeros, convolve with `"valid"`, and compare with `"same"`.
# We try every size, kernel and stride in a grid. The grid includes the awkward even kernels that
# make the padding lopsided:

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
# Stride shrinks the output, and the work, by $s^2$. The stride-2 map below has a quarter of the
# units of the stride-1 one.

# %%
strided = {s: conv2d_numpy(photos[0], filters[..., :1], stride=s, padding="same")[..., 0]
           for s in (1, 2, 4)}
for s, fmap in strided.items():
    assert fmap.shape == (conv_output_size(300, 7, s, "same"), conv_output_size(400, 7, s, "same"))
show_images([np.maximum(m, 0) for m in strided.values()],
            [f"stride {s}: {m.shape}" for s, m in strided.items()],
            ncols=3, mode="percentile", panel_size=3.2);

# %% [markdown]
# ## Summary
# * A convolution slides one small kernel over the image: local connections, shared weights.
# * A filter responds where the image looks like it; a zero-sum filter ignores flat areas.
# * A `Conv2D` layer is that computation with a learned kernel and bias.
# * Gradient descent recovers a kernel from input-output pairs alone. Learned resizers rest on
#   this.
# * `"valid"` gives $\lfloor (n - k)/s \rfloor + 1$ outputs; `"same"` gives $\lceil n/s \rceil$,
#   by zero padding first.
#
# ## Further reading
# * A. Zhang et al., *Dive into Deep Learning*, sections 7.2 "Convolutions for Images" and 7.3
#   "Padding and Stride".
# * A. Géron, *Hands-On Machine Learning*, 3rd ed., chapter 14, "Convolutional Layers".
# * V. Dumoulin and F. Visin, "A guide to convolution arithmetic for deep learning", 2016,
#   arXiv:1603.07285.
# * I. Goodfellow, Y. Bengio and A. Courville, *Deep Learning*, chapter 9, "Convolutional
#   Networks".

# %% [markdown]
# ## Exercises
# 1. **A diagonal filter.** Make your own $7 \times 7$ filter, without `line_filters`. It should
#    detect lines from bottom-left to top-right. Apply it to the cat with `conv2d_numpy` and with a
#    `Conv2D` layer whose weights you set, and assert that the two agree.
# 2. **Output sizes.** A $7 \times 7$ convolution with stride 2 and `"same"` padding meets a
#    $224 \times 224$ image. Predict the output side with the formula, then check it with Keras.
#
# The cell of exercise 1 ends with a check that says "✓ right" or what is off.

# %% tags=["exercise"]
# Exercise 1: your code here
from resizer_lib.course.exercise_checks import check_line_filter

diag = None  # your (7, 7, 1, 1) filter for lines from bottom-left to top-right
check_line_filter(diag, direction="/");

# %% tags=["exercise"]
# Exercise 2: your code here
side_224 = None  # your prediction of the output side

# %% [markdown] tags=["solution"]
# ## Solutions

# %% tags=["solution"]
# 1. +2 on the anti-diagonal (row 0 is the top), -1 on its two neighbours, then a zero sum.
diag = 2 * np.fliplr(np.eye(7)) - np.fliplr(np.eye(7, k=1)) - np.fliplr(np.eye(7, k=-1))
diag = (diag - diag.mean()).astype(np.float32)[:, :, None, None]  # (7, 7, 1, 1), sums to 0
mine_map = conv2d_numpy(photos[0], diag, padding="same")
diag_layer = keras.layers.Conv2D(1, 7, padding="same", use_bias=False)
diag_layer.build((None, 300, 400, 1))
diag_layer.set_weights([diag])
layer_map = keras.ops.convert_to_numpy(diag_layer(photos[:1]))[0]
np.testing.assert_allclose(mine_map, layer_map, atol=1e-4)
assert check_line_filter(diag, direction="/")
show_images([photos[0, ..., 0], np.maximum(mine_map[..., 0], 0)], ["cat", "diagonal-line filter"],
            mode="percentile", panel_size=3.2);

# %% tags=["solution"]
# 2. ceil(224 / 2) = 112, whatever the kernel size.
side_224 = conv_output_size(224, 7, 2, "same")
shape = keras.layers.Conv2D(1, 7, strides=2, padding="same").compute_output_shape((1, 224, 224, 3))
print(side_224, shape)
assert side_224 == shape[1] == 112
