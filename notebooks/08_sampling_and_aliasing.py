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
# # 08 · Why resizing loses information: sampling and aliasing
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/learning-to-resize/learning-to-resize/blob/v0.1.0/notebooks/08_sampling_and_aliasing.ipynb)
# · source: [`08_sampling_and_aliasing.py`](08_sampling_and_aliasing.py) (the `.ipynb` is generated from it with jupytext)
#
# **What you will learn here**
# * to read a 2-D spectrum, its ring average and decibels;
# * what sampling does to a frequency: the Nyquist limit, and aliasing as *folding*;
# * every interpolation as a kernel with a frequency response, and why an exact $2\times$
#   bilinear resize has the response $|\cos \pi f|$;
# * what `antialias=True` changes, and how much Keras' default (`antialias=False`) lets through;
# * why a learned resizer can read a stripe that a plain $2\times$ resize erases.
#
# A resize is two things: a *filter* averages neighbouring pixels, then *sampling* keeps fewer.
# We take both apart and measure each claim on `keras.ops.image.resize`.

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

# %%
import keras
import matplotlib.pyplot as plt
import numpy as np

from resizer_lib.course import sampling
from resizer_lib.interpolation import interpolations, kernel, resize_image
from resizer_lib.viz import plot_spectra, show_images, show_table

# %% [markdown]
# ## 1 · Spectra in five minutes
#
# Any image of $N$ pixels is a sum of $N$ sinusoids: its discrete Fourier transform (DFT). In 1-D,
#
# $$ X[k] = \sum_{n=0}^{N-1} x[n]\, e^{-2\pi i\, k n / N}, \qquad f = k / N \ \text{cycles per pixel}. $$
#
# We write it as a matrix product and check it against `np.fft.fft`. A cosine with 5 cycles
# across 32 pixels lands on two coefficients, $k = 5$ and its mirror $k = 27$.

# %%
N = 32
n = np.arange(N)
x = np.cos(2 * np.pi * 5 * n / N)
dft = np.exp(-2j * np.pi * np.outer(n, n) / N)  # row k: the sinusoid with k cycles
X = dft @ x
assert np.allclose(X, np.fft.fft(x))
print("non-zero coefficients at k =", np.flatnonzero(np.abs(X) > 1e-9))

# %% [markdown]
# In 2-D each coefficient is a plane wave with a frequency vector $(f_y, f_x)$. We draw $|X|$ with
# the zero frequency in the middle, on a log scale. A wave of frequency $f$ at angle $\theta$
# makes two dots at distance $f$ from the centre. The square's edges are $|f_x| = 0.5$ and
# $|f_y| = 0.5$: each axis holds at most half a cycle per pixel (section 2 says why). Its corners,
# at $|f| \approx 0.71$, are still representable. A **zone plate**, $\tfrac12 + \tfrac12\cos(\pi
# k r^2)$, holds every frequency up to 0.5 in every direction, each on its own ring. Its spectrum
# is a filled disc of radius 0.5.

# %%
patterns = {
    "f = 0.1, 0 deg": 0.5 + 0.5 * sampling.sinusoid(64, 0.1),
    "f = 0.25, 45 deg": 0.5 + 0.5 * sampling.sinusoid(64, 0.25, angle=45),
    "f = 0.4, 90 deg": 0.5 + 0.5 * sampling.sinusoid(64, 0.4, angle=90),
    "zone plate": sampling.zone_plate(64),
}
fig = plot_spectra(patterns, window=True)
print("strongest dot of the 90 degree wave: (fy, fx) =", sampling.spectral_peak(patterns["f = 0.4, 90 deg"]))

# %% [markdown]
# The bottom panel is the **ring average**: the mean of the spectrum over each ring of radius
# $\sqrt{f_x^2 + f_y^2}$. The 90° wave peaks at $26/64 = 0.406$, the DFT bin nearest to 0.4.
# Gains below are in **decibels**, $20 \log_{10} g$ for an amplitude ratio $g$: $-6$ dB halves
# an amplitude, $-20$ dB divides it by ten.

# %% [markdown]
# ## 2 · Sampling and the Nyquist limit
#
# A pixel grid samples the world once per pixel. For every integer $m$,
# $\cos(2\pi f n) = \cos(2\pi (f - m) n)$, and the cosine is even. So the samples of $f$ are
# exactly those of
#
# $$ f' = |f - \mathrm{round}(f)| \in [0, \tfrac12] $$
#
# (`sampling.alias_frequency`). Only frequencies up to $\tfrac12$, the **Nyquist limit**, come out
# as themselves. Every higher one comes out as an impostor, its **alias**, folded back into
# $[0, \tfrac12]$. This is the sampling theorem in one line (Shannon, 1949).

# %%
t = np.arange(12)
assert np.allclose(np.cos(2 * np.pi * 0.8 * t), np.cos(2 * np.pi * 0.2 * t))  # 0.8 -> 0.2
true_f = np.arange(0, 257, 8) / 128  # 0 .. 2 cycles per pixel, each on a DFT bin
measured_f = np.array([np.argmax(np.abs(np.fft.rfft(np.cos(2 * np.pi * f * np.arange(128))))) / 128
                       for f in true_f])
assert np.allclose(measured_f, sampling.alias_frequency(true_f))
fig, (left, right) = plt.subplots(1, 2, figsize=(11, 3.2), gridspec_kw={"width_ratios": (1.6, 1)}, layout="tight")
fine = np.linspace(0, 11, 440)
left.plot(fine, np.cos(2 * np.pi * 0.8 * fine), color="0.6", lw=1, label="true: f = 0.8")
left.plot(fine, np.cos(2 * np.pi * 0.2 * fine), color="C1", lw=2, label="alias: f' = 0.2")
left.plot(t, np.cos(2 * np.pi * 0.8 * t), "o", color="C0", label="samples")
left.set(xlabel="position (pixels)", title="one sample per pixel")
grid = np.linspace(0, 2, 801)
right.plot(grid, sampling.alias_frequency(grid), color="C0", label="alias_frequency")
right.plot(true_f, measured_f, "s", color="C2", ms=4, label="measured peaks")
right.axhline(0.5, color="C3", lw=0.8, ls="--", label="Nyquist")
right.set(xlabel="true frequency (cycles / pixel)", ylabel="apparent frequency", ylim=(0, 0.6))
left.legend(fontsize=8, loc="lower left", ncol=3)
right.legend(fontsize=8, loc="lower right");

# %% [markdown]
# Left, a wave of 0.8 cycles per pixel and its alias 0.2 pass through the same samples. Right,
# the folding diagram: the measured peaks (squares) land on it.
#
# In 2-D the folding applies to **each axis on its own**. A frequency $(f_y, f_x)$ aliases when
# $|f_x| > 0.5$ or $|f_y| > 0.5$. A diagonal wave with $f_x = f_y = 0.4$ has $|f| = 0.57$, yet the
# grid holds it. The zone plate's local frequency at $(y, x)$ from its centre is the vector
# $k\,(y, x)$. Let it reach 1 cycle per pixel in the corners instead of 0.5. It then aliases
# outside the dashed square, where one component exceeds 0.5. False rings appear, centred where
# the local frequency is a whole-number vector, such as $(0, 1)$. Those centres lie about 180
# pixels from the middle, outside this 256-pixel image, so we see arcs of their rings.

# %%
fig, axes = plt.subplots(1, 2, figsize=(8, 4))
for ax, fmax in zip(axes, (0.5, 1.0), strict=True):
    k = fmax / np.hypot(127.5, 127.5)  # cycles per pixel, per pixel from the centre
    ax.imshow(sampling.zone_plate(256, max_frequency=fmax), cmap="gray", vmin=0, vmax=1)
    half = 0.5 / k  # where |k x| = 0.5: the square inside which neither axis aliases
    if half < 127.5:
        ax.add_patch(plt.Rectangle((127.5 - half,) * 2, 2 * half, 2 * half, fill=False, ls="--", color="C1"))
    ax.set_title(f"up to {fmax} cycles/px; false rings centred {1 / k:.0f} px out", fontsize=9)
    ax.set_axis_off()
fig.tight_layout()

# %% [markdown]
# ## 3 · Every interpolation is a kernel, and every kernel a filter
#
# `keras.ops.image.resize` computes output pixel $i$ from the input pixels $n$ near the point it
# maps to, with half-pixel centres:
#
# $$ y[i] = \sum_n w\big(c_i - n\big)\, x[n], \qquad c_i = \big(i + \tfrac12\big)\, s - \tfrac12. $$
#
# Here $s$ is the downscale factor. The weights come from a continuous **kernel**, normalised to
# sum to 1 (`resizer_lib.interpolation.kernel`). `nearest` is a box, `bilinear` the triangle
# $\max(1 - |x|, 0)$, `bicubic` Keys' cubic, `lanczos3` / `lanczos5` windowed sincs. `area` is the
# output pixel's footprint, $s$ input pixels wide.
#
# A kernel is a filter, so it has a **frequency response** $H(f) = \int k(x)\, e^{-2\pi i f x}\,
# dx$. A sinusoid of frequency $f$ passes with gain $|H(f)|$. The box gives $\mathrm{sinc}(f)$,
# the triangle $\mathrm{sinc}^2(f)$.

# %%
f, xs = np.linspace(0, 1.5, 301), np.linspace(-5.5, 5.5, 2201)
assert np.allclose(sampling.frequency_response("bilinear", f), np.sinc(f) ** 2, atol=1e-6)
fig, (left, right) = plt.subplots(1, 2, figsize=(11, 3.4), layout="tight")
for name in ("nearest", "bilinear", "bicubic", "lanczos3", "lanczos5"):
    left.plot(xs, kernel(name, xs), label=name)
    gain = np.abs(sampling.frequency_response(name, f))
    right.plot(f, 20 * np.log10(np.maximum(gain, 1e-4)), label=name)  # decibels
right.axvline(0.5, color="C3", lw=0.8, ls="--")
left.set(xlabel="offset x (input pixels)", title="kernel k(x)")
right.set(xlabel="frequency (cycles / input pixel)", ylabel="|H(f)| (dB)", ylim=(-60, 3), title="its response")
left.legend(fontsize=8);

# %% [markdown]
# The ideal would be a wall: gain 1 up to Nyquist (dashed), 0 above. No kernel is one. The box
# and the triangle droop early and leak far beyond. Lanczos comes closest, at the price of
# negative lobes that ring.
#
# ### 3.1 The exact $2\times$ bilinear resize is a two-tap box
#
# At $s = 2$, $c_i = 2i + \tfrac12$ sits halfway between two input pixels, where the triangle is
# $\tfrac12$. So the resize averages pairs. Its response is
#
# $$ \Big|\tfrac12 e^{-i\pi f} + \tfrac12 e^{i\pi f}\Big| = |\cos \pi f|, $$
#
# which is **zero at $f = \tfrac12$**. A stripe $+a, -a, +a, \dots$ averages to nothing. That is
# where the course's synthetic class lives. By hand, with Keras doing the resize:

# %%
stripe = np.where(np.arange(64) % 2 == 0, 1.0, -1.0).astype("float32")[None, None, :, None]
erased = keras.ops.convert_to_numpy(keras.ops.image.resize(stripe, (1, 32), interpolation="bilinear"))
print("the Nyquist stripe after an exact 2x bilinear resize: max |value| =", np.abs(erased).max())
assert np.abs(erased).max() < 1e-6

# %% [markdown]
# `sampling.resize_taps` gives the taps of any interpolation at an integer factor, and
# `sampling.resize_response` their gain, $|\sum_t w_t\, e^{-2\pi i f d_t}|$.
# `sampling.measured_gain` measures the gain of `keras.ops.image.resize` itself. It resizes
# $\cos(2\pi f n)$ and $\sin(2\pi f n)$ and takes the modulus of $R(\cos) + i R(\sin)$. Lines
# are predicted, dots measured.

# %%
modes = [m for m in ("nearest", "bilinear", "bicubic", "lanczos3", "lanczos5", "area") if m in interpolations()]
fig = sampling.plot_resize_response(modes, factor=2)

# %% [markdown]
# Three facts to read off:
#
# * At exactly $2\times$ **every symmetric kernel erases the Nyquist stripe**. Its taps come in
#   pairs at offsets $\pm(m + \tfrac12)$, which see the stripe with opposite signs. Only
#   `nearest` keeps it.
# * Without antialiasing **odd factors only pick pixels**. At $s = 3$, $c_i = 3i + 1$ lands on a
#   pixel, where the kernel is 1, so the gain is 1 everywhere.
# * What passes above the output's Nyquist limit ($0.5/s$ cycles per input pixel, shaded) comes
#   back at $\text{alias}(s f)$ cycles per output pixel.

# %%
wave = sampling.sinusoid((64, 64), 0.3125)  # 20/64 cycles per pixel
small = resize_image(wave.astype("float32"), (32, 32), "bilinear")
peak, predicted = sampling.spectral_peak(small), sampling.alias_frequency(2 * 0.3125)
print(f"0.3125 cycles/px shrunk 2x: peak at fx = {peak[1]}, folding predicts {predicted}")
assert peak[1] == predicted

# %% [markdown]
# ## 4 · Antialiasing: stretch the kernel before sampling
#
# Shrinking by $s$ moves the Nyquist limit from $0.5$ to $0.5/s$. But with `antialias=False` the
# kernel is as narrow at $s = 4$ as at $s = 1$. A $4\times$ bilinear resize still averages two
# pixels per axis, so it reads half of the input along each axis: **a quarter of it in 2-D**.
# `antialias=True` stretches the kernel by the factor,
#
# $$ k_s(x) = \tfrac1s\, k(x / s), \qquad H_s(f) = H(s f). $$
#
# The cut-off then moves down with the Nyquist limit, and detail that cannot be kept is blurred
# away before sampling ([`tf.image.resize`](https://www.tensorflow.org/api_docs/python/tf/image/resize)
# documents the flag). `area` needs no flag: its footprint is $s$ pixels wide anyway. Keras'
# default is `antialias=False`, and the keras.io example of the learnable resizer keeps it. The
# paper does not say which it used.

# %%
fig = sampling.plot_resize_response(["bilinear", "bicubic"], factor=4, antialias=(False, True))
band = np.linspace(0.125, 0.5, 16)  # above the 4x output's Nyquist limit
off = sampling.measured_gain("bilinear", band, 4, antialias=False)
on = sampling.measured_gain("bilinear", band, 4, antialias=True)
print(f"4x bilinear, mean gain above the output's Nyquist limit: {off.mean():.3f} without, "
      f"{on.mean():.3f} with antialias")

# %% [markdown]
# The zone plate shows the whole band at once. Shrunk $4\times$ and $8\times$, it should turn flat
# grey wherever a component of its local frequency exceeds the new Nyquist limit.
# `sampling.zone_plate_alias_energy` measures what is left there: the mean square of
# $\text{output} - \tfrac12$, as a fraction of the pattern's own. That is aliased energy.

# %%
plate = sampling.zone_plate(512).astype("float32")
results, panels, titles = [], [plate], ["zone plate 512 x 512"]
for factor in (4, 8):
    for antialias in (False, True):
        energy = sampling.zone_plate_alias_energy(512, factor, "bilinear", antialias)
        results.append({"factor": factor, "antialias": antialias, "aliased energy": round(energy, 4)})
        panels.append(resize_image(plate, (512 // factor, 512 // factor), "bilinear", antialias))
        titles.append(f"/{factor}, antialias {'on' if antialias else 'off'}: {energy:.3f}")
show_images(panels, titles, ncols=5, panel_size=2.6);
show_table(results);

# %% [markdown]
# Without antialiasing, well over a third of the pattern the output cannot hold comes back as
# aliases. With it, under one percent does.
#
# ## 5 · How the learned resizer reads a stripe that bilinear erases
#
# The synthetic class is a $\pm a$ stripe at Nyquist on a smooth picture. The learnable resizer
# of Talebi & Milanfar also passes through a $2\times$ bilinear resize, of its *features*. So how
# can anything survive? Three claims:
#
# 1. **A linear filter cannot save it.** A convolution keeps a Nyquist stripe at Nyquist, and
#    the resize erases it.
# 2. **A rectifier can.** The LeakyReLU $\sigma(z) = \max(z, 0.2 z) = 0.6 z + 0.4 |z|$ has an even
#    part. A filter that turns the stripe into $\pm c$ gives $c$ and $-0.2c$ alternately. Their
#    average, $0.4c$, is a **local mean shift**, which the pair average keeps.
# 3. **The "more layers" control rectifies too late.** Its first non-linearity comes after the
#    resize, when the stripe is gone.
#
# ### 5.1 By hand, in 1-D
# A smooth background, the stripe, the difference filter $y[n] = x[n] - x[n+1]$, the LeakyReLU
# and the pair average. The signals wrap around (`np.roll`), so there are no borders.

# %%
a = 24 / 255  # the synthetic set's default amplitude, in [0, 1] units
pixels = np.arange(64)
background = 0.5 + 0.2 * np.sin(2 * np.pi * pixels / 64)
stripe_1d = a * np.where(pixels % 2 == 0, 1.0, -1.0)


def difference(x):  # a linear filter: x[n] - x[n + 1]
    return x - np.roll(x, -1)


def leaky_relu(z, slope=0.2):
    return np.where(z > 0, z, slope * z)


def halve(x):  # the exact 2x bilinear resize: the mean of each pair
    return x.reshape(-1, 2).mean(axis=1)


orders = {
    "linear: filter -> resize": lambda x: halve(difference(x)),
    "learned: filter -> LeakyReLU -> resize": lambda x: halve(leaky_relu(difference(x))),
    "more layers: resize -> filter -> LeakyReLU": lambda x: leaky_relu(difference(halve(x))),
}
survived = {name: fn(background + stripe_1d) - fn(background) for name, fn in orders.items()}
for name, d in survived.items():
    print(f"{name:44s} what the stripe changed: mean {d.mean():+.5f}, max |.| {np.abs(d).max():.2e}")
assert np.abs(survived["linear: filter -> resize"]).max() < 1e-12
assert np.abs(survived["more layers: resize -> filter -> LeakyReLU"]).max() < 1e-12

# %% [markdown]
# Only the rectified path keeps something: a mean of about $0.4 \cdot 2a \approx 0.075$.
#
# ### 5.2 With the real layers
# `sampling.stripe_pair` builds one synthetic picture with and without its stripe. We run three
# resizers on both: one whose stem is hand-set to the difference filters of 5.1
# (`sampling.set_stripe_detector`), one with the seeded random weights training starts from, and
# the "more layers" control (`resize_first=True`).

# %%
from resizer_lib.models.resizer import build_resizer

plain, striped = sampling.stripe_pair((32, 32), "vertical")
pair = np.stack([striped, plain])  # (2, 32, 32, 3)


def seeded_resizer(**kwargs):
    keras.utils.set_random_seed(0)
    return build_resizer((16, 16), **kwargs)


resizers = {
    "learned, hand-set stem": sampling.set_stripe_detector(seeded_resizer()),
    "learned, seeded init": seeded_resizer(),
    "more layers, seeded init": seeded_resizer(resize_first=True),
}
outputs = {name: keras.ops.convert_to_numpy(r(pair, training=False)) for name, r in resizers.items()}
show_table([{"resizer": k, "max |striped - plain| at the output": f"{np.abs(o[0] - o[1]).max():.2e}"}
            for k, o in outputs.items()]);

# %% [markdown]
# Both learned arms pass a difference through, the hand-set one several grey levels. The random
# stem's is smaller, but a gradient can find and grow it. The control's outputs agree to float
# precision, so no classifier behind it can tell the classes apart.

# ## Summary
# * A resize is a filter followed by sampling. Sampling folds every frequency above Nyquist back
#   below it, per axis. The filter decides how much arrives to be folded.
# * An exact $2\times$ bilinear resize has the response $|\cos \pi f|$: it deletes the Nyquist
#   stripe exactly.
# * Without antialiasing larger factors barely filter, and much of what the output cannot hold
#   returns as aliases. `antialias=True` stretches the kernel and removes most of it.
# * A learned resizer rectifies *before* its resize. The non-linearity turns a frequency the
#   resize deletes into a mean shift it keeps.
#
# ## Further reading
# * H. Talebi and P. Milanfar, "Learning to Resize Images for Computer Vision Tasks", ICCV 2021
#   ([arXiv:2103.09950](https://arxiv.org/abs/2103.09950)).
# * R. Zhang, "Making Convolutional Networks Shift-Invariant Again", ICML 2019
#   ([arXiv:1904.11486](https://arxiv.org/abs/1904.11486)): blur before subsampling, inside a CNN.
# * A. Oppenheim and A. Willsky, *Signals and Systems*, 2nd ed., chapter 7 (sampling).
# * D. Mitchell and A. Netravali, "Reconstruction Filters in Computer Graphics", SIGGRAPH 1988:
#   the cubic kernels and their trade-offs.
# * [Dive into Deep Learning](https://d2l.ai/chapter_convolutional-neural-networks/padding-and-strides.html),
#   padding and strides: where subsampling hides in a CNN.

# %% [markdown]
# ## Exercises
#
# 1. **Predict an alias.** A sinusoid of $0.4$ cycles per pixel is shrunk $3\times$ with
#    `nearest`. At which frequency (cycles per output pixel) does it come out, and with which
#    gain? Check with `resize_image` and `sampling.spectral_peak` on a $96 \times 96$ sinusoid.
# 2. **Area at $4\times$.** Write the response of `area` at $s = 4$ by hand (the mean of 4
#    pixels) and compare it with `sampling.resize_response("area", f, 4)`. Where is it zero?
# 3. **When does a stripe vanish?** A stripe of period 3 pixels ($f = 1/3$). Find the smallest
#    integer factor at which an antialiased bilinear resize erases it (gain below $10^{-6}$).
# 4. **Which slope?** For a LeakyReLU of slope $\alpha$, predict the mean shift that survives the
#    pair average for a $\pm c$ stripe on a zero background. Which $\alpha$ cannot read the stripe?
#

# %% tags=["exercise"]
# Exercise 1: your code here
from resizer_lib.course.exercise_checks import check_alias

alias_at = None  # the predicted output frequency (cycles per output pixel)
gain_1 = None  # the predicted gain
check_alias(alias_at, gain_1, frequency=0.4, factor=3, method="nearest");

# %% tags=["exercise"]
# Exercise 2: your code here
from resizer_lib.course.exercise_checks import check_response_function


def area_response_4x(f):
    """The gain of a 4x `area` downscale at the frequencies `f` (an array, cycles per pixel)."""
    ...


check_response_function(area_response_4x, method="area", factor=4);

# %% tags=["exercise"]
# Exercise 3: your code here
from resizer_lib.course.exercise_checks import check_vanishing_factor

smallest_factor = None  # the smallest integer factor at which antialiased bilinear erases f = 1/3
check_vanishing_factor(smallest_factor, frequency=1 / 3, method="bilinear", antialias=True);

# %% tags=["exercise"]
# Exercise 4: your code here
from resizer_lib.course.exercise_checks import check_surviving_shift


def surviving_shift(c, slope):
    """The mean that survives the pair average of a +-c stripe after LeakyReLU(slope)."""
    ...


check_surviving_shift(surviving_shift);

# %% [markdown] tags=["solution"]
# ## Solutions
# Open a cell to read it; try first.

# %% tags=["solution"] jupyter={"source_hidden": true}
# 1. 3 x 0.4 = 1.2 cycles per output pixel folds to |1.2 - 1| = 0.2; nearest copies, so gain 1.
alias_at, gain_1 = sampling.alias_frequency(3 * 0.4), 1.0
out = resize_image(sampling.sinusoid((96, 96), 0.4).astype("float32"), (32, 32), "nearest")
print("measured peak:", sampling.spectral_peak(out), "amplitude", np.abs(out).max().round(3))
check_alias(alias_at, gain_1, frequency=0.4, factor=3, method="nearest");


# %% tags=["solution"] jupyter={"source_hidden": true}
# 2. Four equal taps at offsets -1.5, -0.5, 0.5, 1.5: zero at f = 1/4 and 1/2.
def area_response_4x(f):
    offsets = np.array([-1.5, -0.5, 0.5, 1.5])
    return np.abs(np.exp(-2j * np.pi * np.asarray(f, dtype=float)[:, None] * offsets).mean(axis=1))


check_response_function(area_response_4x, method="area", factor=4);

# %% tags=["solution"] jupyter={"source_hidden": true}
# 3. Antialiased bilinear at s = 3 is the 5-tap triangle [1, 2, 3, 2, 1] / 9 = box_3 * box_3,
#    whose response (sin 3 pi f / 3 sin pi f)^2 is zero at f = 1/3.
gains = {s: float(sampling.resize_response("bilinear", 1 / 3, s, antialias=True)) for s in range(2, 13)}
smallest_factor = min(s for s, g in gains.items() if g < 1e-6)
check_vanishing_factor(smallest_factor, frequency=1 / 3, method="bilinear", antialias=True);


# %% tags=["solution"] jupyter={"source_hidden": true}
# 4. c and -c become c and -slope c; their mean is (1 - slope) c / 2. Slope 1 is linear: nothing.
def surviving_shift(c, slope):
    return (1 - slope) * c / 2


check_surviving_shift(surviving_shift);
