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
# # 04 · Why resizing loses information: sampling and aliasing
#
# [![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/learning-to-resize/learning-to-resize/blob/v0.1.0/notebooks/04_sampling_and_aliasing.ipynb)
# · source: [`04_sampling_and_aliasing.py`](04_sampling_and_aliasing.py) (the `.ipynb` is generated from it with jupytext)
#
# Every image a classifier sees has been resized, and a resize is two things at once: a
# *filter* (a weighted average of neighbouring pixels, set by the interpolation) followed by
# *sampling* (keeping fewer pixels). This notebook takes both apart with the tools of signal
# processing, measures each claim on `keras.ops.image.resize` itself, and ends with the
# mechanism the next notebooks rely on: why a plain $2\times$ bilinear resize erases the
# course's synthetic class completely, and how the learnable resizer of Talebi & Milanfar
# (ICCV 2021, arXiv:2103.09950) can still read it.
#
# **What you will learn here**
# * how to read a 2-D Fourier magnitude spectrum, its ring (radial) average and decibels;
# * what sampling does to a frequency: the Nyquist limit, and aliasing as *folding*,
#   $f \mapsto |f - \mathrm{round}(f)|$, measured on sinusoids, a zone plate and a photo;
# * every interpolation (nearest, bilinear, bicubic, Lanczos 3 and 5, area) as a kernel with a
#   frequency response, and why an exact $2\times$ bilinear resize has the response
#   $|\cos \pi f|$, which is zero at the Nyquist limit;
# * what `antialias=True` changes, and how much aliasing the paper's setting (no antialiasing,
#   Keras' default) lets through at $4\times$ and $8\times$;
# * the mechanism of the learned resizer on the synthetic set, measured stage by stage: a linear
#   filter cannot save a Nyquist stripe, a rectifier turns it into a mean shift that survives
#   the resize, and the "more layers" control fails because it rectifies too late.

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
# Nothing here trains a network, so every profile runs the same cells in well under a minute;
# the profile only matters in the notebooks that train. `enable_colab_widgets` turns on Colab's
# widget manager (it does nothing elsewhere): the sliders below need it there.

# %%
import keras
import matplotlib.pyplot as plt
import numpy as np

from resizer_lib.course import sampling
from resizer_lib.viz import show_images, show_table
from resizer_lib.viz.widgets import enable_colab_widgets

enable_colab_widgets()
print(f"profile {PROFILE.name}, Keras backend {keras.backend.backend()}")

# %% [markdown]
# ## 1 · Spectra in five minutes: sinusoids, rings and decibels
#
# Any image of $N$ pixels is a sum of $N$ sinusoids (its discrete Fourier transform, DFT). In 1-D,
# the coefficient of the sinusoid with $k$ cycles across $N$ samples is
#
# $$ X[k] = \sum_{n=0}^{N-1} x[n]\, e^{-2\pi i\, k n / N}, \qquad
#    f = k / N \ \text{cycles per pixel}. $$
#
# We write it by hand as a matrix product and check it against `np.fft.fft`. A cosine with 5
# cycles across 32 pixels lands on exactly two coefficients, $k = 5$ and $k = -5 \equiv 27$ (a
# real signal always has this mirror pair):

# %%
N = 32
n = np.arange(N)
x = np.cos(2 * np.pi * 5 * n / N)
dft = np.exp(-2j * np.pi * np.outer(n, n) / N)  # row k: the sinusoid with k cycles
X = dft @ x
assert np.allclose(X, np.fft.fft(x))
print("non-zero coefficients at k =", np.flatnonzero(np.abs(X) > 1e-9), "with |X| =", np.abs(X[5]).round(3))

# %% [markdown]
# In 2-D each coefficient is a plane wave with a frequency $(f_y, f_x)$; the course draws
# $|X|$ with the zero frequency in the middle (`resizer_lib.viz.magnitude_spectrum`, a log
# scale). A plane wave of frequency $f$ at angle $\theta$ shows up as two dots at distance $f$
# from the centre, in the direction $\theta$; the edge of the square is $|f| = 0.5$, the highest
# frequency pixels can hold (section 2 says why). A **zone plate**, $\tfrac12 + \tfrac12\cos(\pi
# k r^2)$, holds every frequency from 0 at the centre to 0.5 in the corners, each on its own
# ring and in every direction, so its spectrum is a filled disc. `sampling.sinusoid` and
# `sampling.zone_plate` make them; `sampling.spectral_peak` finds the strongest dot.

# %%
from resizer_lib.viz import plot_spectra

patterns = {
    "f = 0.1, 0 deg": 0.5 + 0.5 * sampling.sinusoid(64, 0.1),
    "f = 0.25, 45 deg": 0.5 + 0.5 * sampling.sinusoid(64, 0.25, angle=45),
    "f = 0.4, 90 deg": 0.5 + 0.5 * sampling.sinusoid(64, 0.4, angle=90),
    "zone plate": sampling.zone_plate(64),
}
show_images(list(patterns.values()), list(patterns), ncols=4, panel_size=2.4);

# %%
fig = plot_spectra(patterns, window=True)
peak = sampling.spectral_peak(patterns["f = 0.4, 90 deg"])
print(f"strongest dot of the 90 degree wave: (fy, fx) = {peak}")
assert peak == (0.40625, 0.0)  # 0.4 is not a multiple of 1/64: the nearest bin, 26/64
assert sampling.spectral_peak(patterns["f = 0.1, 0 deg"])[1] == 6 / 64

# %% [markdown]
# The bottom panel is the **ring average** (`radial_profile`): the mean of the spectrum over each
# ring of radius $f = \sqrt{f_x^2 + f_y^2}$, which turns a 2-D spectrum into one curve per image.
# Each sinusoid makes a bump at its own $f$; the zone plate is flat up to 0.5.
#
# Gains are quoted in **decibels**. For an amplitude ratio $g$, $20 \log_{10} g$ dB; for a power
# (energy) ratio $p = g^2$, $10 \log_{10} p$ dB, the same number. The few values to remember:

# %%
ratios = {"x 2": 2.0, "x 1 (unchanged)": 1.0, "x 1/sqrt(2) (half the power)": 2 ** -0.5,
          "x 1/2": 0.5, "x 1/10": 0.1, "x 1/1000": 1e-3}
show_table([{"amplitude": k, "dB": f"{20 * np.log10(g):+.1f}"} for k, g in ratios.items()]);

# %% [markdown]
# ## 2 · Sampling and the Nyquist limit
#
# A pixel grid samples the world once per pixel. Sample $\cos(2\pi f t)$ at $t = n$: since
# $\cos(2\pi f n) = \cos(2\pi (f - m) n)$ for every integer $m$, and the cosine is even, the
# samples of $f$ are *exactly* those of
#
# $$ f' = |f - \mathrm{round}(f)| \in [0, \tfrac12], $$
#
# (`sampling.alias_frequency`). Only frequencies up to $\tfrac12$ cycle per pixel, the
# **Nyquist limit** of one sample per pixel, come out as themselves; every higher one comes out
# as an impostor, its **alias**, folded back into $[0, \tfrac12]$ like a strip of paper folded
# at every multiple of $\tfrac12$. This is the sampling theorem in one line (Shannon, "Communication
# in the presence of noise", Proc. IRE 37, 1949): a signal with no frequency at or above half the
# sampling rate is determined by its samples; anything above it is not. By hand:

# %%
t = np.arange(16)
assert np.allclose(np.cos(2 * np.pi * 0.8 * t), np.cos(2 * np.pi * 0.2 * t))  # 0.8 -> 0.2
assert np.allclose(np.cos(2 * np.pi * 1.3 * t), np.cos(2 * np.pi * 0.3 * t))  # 1.3 -> 0.3
assert np.allclose(np.cos(2 * np.pi * 1.0 * t), 1.0)  # one cycle per pixel looks constant
print("0.8 -> 0.2, 1.3 -> 0.3, 1.0 -> 0: the samples cannot tell them apart")

# %% [markdown]
# Now measured: sample sinusoids of many frequencies over 128 pixels, find the peak of each
# spectrum, and compare with the folding rule. The frequencies are multiples of $1/128$ so each
# peak falls on one DFT bin. The dots land on the folding diagram (right); the left panel shows
# one case, $f = 0.8$, and the $0.2$ alias that passes through the same samples.

# %%
true_f = np.arange(0, 257, 8) / 128  # 0 .. 2 cycles per pixel
length = np.arange(128)
measured_f = np.array([np.argmax(np.abs(np.fft.rfft(np.cos(2 * np.pi * f * length)))) / 128
                       for f in true_f])
assert np.allclose(measured_f, sampling.alias_frequency(true_f))

fig = sampling.plot_sampling(0.8)
fig.axes[1].plot(true_f, measured_f, "s", color="#2a9d55", ms=4, label="measured peaks")
fig.axes[1].legend(fontsize=8);

# %% [markdown]
# The same with a slider (it needs a widget frontend: JupyterLab, Colab, VS Code). Watch the
# orange alias slow down as $f$ approaches 1 and stop there: one cycle per pixel is sampled at
# the same phase every time.

# %%
sampling.sampling_app(0.8)

# %% [markdown]
# In 2-D the folding applies to each axis. A zone plate whose local frequency reaches 1 cycle per
# pixel in the corners (instead of 0.5) is sampled wrongly wherever its local frequency exceeds
# 0.5: false rings appear, centred on the corners, where the true frequency folds back down
# towards 0 (outside the dashed circle the local frequency is above 0.5).

# %%
fig, axes = plt.subplots(1, 2, figsize=(8, 4))
for ax, fmax in zip(axes, (0.5, 1.0), strict=True):
    ax.imshow(sampling.zone_plate(256, max_frequency=fmax), cmap="gray", vmin=0, vmax=1)
    radius = 0.5 / fmax * np.hypot(127.5, 127.5)
    ax.add_patch(plt.Circle((127.5, 127.5), radius, fill=False, ls="--", color="#e07000"))
    ax.set_title(f"zone plate up to {fmax} cycles/pixel", fontsize=9)
    ax.set_axis_off()
fig.tight_layout()

# %% [markdown]
# Photos alias too, wherever they hold fine detail. Keeping every 4th pixel of scikit-image's
# grass texture (`image[::4, ::4]`: sampling and nothing else) against `area` averaging (each
# output pixel the mean of a $4 \times 4$ block, a filter *before* the sampling): the decimated
# picture is harsher, because detail finer than the new Nyquist limit (a period below 8 input
# pixels) did not disappear, it folded into false coarse texture. `spectral_gain` measures it:
# the power of the decimated image over the averaged one in each ring, in dB.

# %%
from resizer_lib.data.sample_images import load_sample
from resizer_lib.viz import plot_spectral_gain, resize_image, spectral_gain

grass = load_sample("grass")[:256, :256]  # uint8 (256, 256, 3), a grey texture
decimated = grass[::4, ::4].astype(np.float32) / 255
averaged = resize_image(grass, (64, 64), "area")
show_images([grass, decimated, averaged], ["grass 256 x 256", "every 4th pixel (64 x 64)",
            "area average (64 x 64)"], ncols=3, panel_size=3.0);

# %%
fig = plot_spectral_gain({"every 4th pixel": (decimated, averaged)}, reference_name="area")
freqs, gain_db = spectral_gain(decimated, averaged)
top = freqs > 0.25
print(f"decimation over area in the top half of the band: {np.nanmean(gain_db[top]):+.1f} dB")
assert np.nanmean(gain_db[top]) > 3.0  # more than twice the power: folded detail

# %% [markdown]
# ## 3 · Every interpolation is a kernel, and every kernel a filter
#
# `keras.ops.image.resize` computes output pixel $i$ from the input pixels $n$ around the point
# it maps to, with half-pixel centres:
#
# $$ y[i] = \sum_n w\big(c_i - n\big)\, x[n], \qquad c_i = \big(i + \tfrac12\big)\, s - \tfrac12, $$
#
# where $s$ is the downscale factor and the weights are a continuous **kernel** $k$ evaluated at
# the offsets (normalised to sum to 1). The kernel *is* the interpolation: a box for `nearest`,
# the triangle $\max(1 - |x|, 0)$ for `bilinear`, Keys' cubic ($a = -\tfrac12$) for `bicubic`,
# the windowed sinc $\mathrm{sinc}(x)\,\mathrm{sinc}(x/a)$ for `lanczos3` / `lanczos5`, and, for
# `area`, the footprint of the output pixel ($s$ input pixels wide) overlapped with each input
# pixel (`sampling.interpolation_kernel`).
#
# A kernel is a filter, so it has a **frequency response**, its Fourier transform
# $H(f) = \int k(x)\, e^{-2\pi i f x}\, dx$ (`sampling.frequency_response` integrates it
# numerically): a sinusoid of frequency $f$ passes with gain $|H(f)|$. The box gives
# $\mathrm{sinc}(f)$, the triangle (a box convolved with itself) $\mathrm{sinc}^2(f)$, where
# $\mathrm{sinc}(f) = \sin(\pi f) / (\pi f)$.

# %%
f = np.linspace(0, 1.5, 151)
assert np.allclose(sampling.frequency_response("bilinear", f), np.sinc(f) ** 2, atol=1e-6)
assert np.allclose(sampling.frequency_response("nearest", f), np.sinc(f), atol=1e-4)
fig = sampling.plot_kernels(["nearest", "bilinear", "bicubic", "lanczos3", "lanczos5"])

# %% [markdown]
# On the right, the ideal would be a wall: gain 1 up to the Nyquist limit (dashed), 0 above.
# None of these kernels is one. The box and the triangle droop well before 0.5 and leak far
# beyond it; the Lanczos kernels come closest, at the price of negative lobes (ringing) on the
# left. Every kernel's area is 1 ($H(0) = 1$: a flat image stays flat), except that cutting
# Lanczos off at $|x| = a$ leaves it 0.3% short (the resize renormalises its weights). `area` is
# not drawn: its kernel depends on the factor (a box $s$ pixels wide convolved with the pixel's
# own unit box, so $H(f) = \mathrm{sinc}(f)\,\mathrm{sinc}(s f)$; at $s = 1$ it is the triangle).
#
# ### 3.1 The exact $2\times$ bilinear resize is a two-tap box
#
# At $s = 2$, $c_i = 2i + \tfrac12$ sits exactly between input pixels $2i$ and $2i + 1$, at
# offsets $\pm\tfrac12$ where the triangle is $\tfrac12$. So the resize averages pairs, the filter
# $[\tfrac12, \tfrac12]$, and its response is
#
# $$ \Big|\tfrac12 e^{-i\pi f} + \tfrac12 e^{i\pi f}\Big| = |\cos \pi f|, $$
#
# which is **zero at $f = \tfrac12$**: a stripe that alternates from pixel to pixel,
# $+a, -a, +a, \dots$, averages to exactly nothing. That is where the course's synthetic class
# lives (`resizer_lib.data.synthetic`). By hand, with Keras doing the resize:

# %%
row = np.cos(2 * np.pi * 0.3 * np.arange(64)).astype("float32")[None, :, None]  # (1, 64, 1)
halved = keras.ops.convert_to_numpy(keras.ops.image.resize(row[None], (1, 32), interpolation="bilinear"))
assert np.allclose(halved[0, 0, :, 0], row[0, :, 0].reshape(32, 2).mean(axis=1), atol=1e-6)  # pairs

stripe = np.where(np.arange(64) % 2 == 0, 1.0, -1.0).astype("float32")[None, None, :, None]
erased = keras.ops.convert_to_numpy(keras.ops.image.resize(stripe, (1, 32), interpolation="bilinear"))
print("the Nyquist stripe after an exact 2x bilinear resize: max |value| =", np.abs(erased).max())
assert np.abs(erased).max() < 1e-6

# %% [markdown]
# `sampling.resize_taps` computes the taps any interpolation applies at an integer factor, and
# `sampling.resize_response` their gain, $|\sum_t w_t\, e^{-2\pi i f d_t}|$; `sampling.measured_gain`
# measures the gain of `keras.ops.image.resize` itself, by resizing $\cos(2\pi f n)$ and
# $\sin(2\pi f n)$ and taking the modulus of $R(\cos) + i R(\sin)$ (a resize is linear, so that is
# the gain at every pixel, whatever the phase). Lines are predicted, dots measured, for every mode
# this backend has (on TensorFlow `bilinear` hides under `area`: at exactly $2\times$ both average
# pairs):

# %%
from resizer_lib._checks import interpolations_for

modes = [m for m in sampling.INTERPOLATIONS if m in interpolations_for()]
dots = np.linspace(0, 0.5, 21)
for mode in modes:
    gap = np.abs(sampling.measured_gain(mode, dots, 2) - sampling.resize_response(mode, dots, 2))
    assert gap.max() < 1e-5, (mode, gap.max())
assert np.allclose(sampling.resize_response("bilinear", dots, 2), np.abs(np.cos(np.pi * dots)))
fig = sampling.plot_resize_response(modes, factor=2)
print("measured = predicted within 1e-5 for", modes)

# %% [markdown]
# Three facts to read off, each asserted below.
#
# * **Every symmetric kernel erases the Nyquist stripe at exactly $2\times$**: the taps come in
#   pairs at offsets $\pm(m + \tfrac12)$, which see the stripe with opposite signs. Only
#   `nearest`, which copies one pixel, keeps it, and turns it into a constant $\pm a$.
# * Without antialiasing **odd factors only pick pixels**: at $s = 3$, $c_i = 3i + 1$ lands on a
#   pixel, and every interpolating kernel is 1 there and 0 at the other integers, so the gain is 1
#   at every frequency: sampling with no filter at all, like `nearest`.
# * What the gain lets through above the output's Nyquist limit ($0.5/s$ cycles per input pixel,
#   the shaded band) does not vanish: it reappears at $\text{alias}(s f)$ cycles per output pixel.

# %%
for mode in ("bilinear", "bicubic", "lanczos3", "lanczos5", "area"):
    assert sampling.resize_response(mode, 0.5, 2) < 1e-12
assert sampling.resize_response("nearest", 0.5, 2) == 1.0
assert np.allclose(sampling.resize_response("bilinear", dots, 3), 1.0)

# the alias is where the folding rule says: f = 0.3 shrunk 2x comes out at |0.6 - 1| = 0.4
wave = sampling.sinusoid((64, 64), 0.3125)  # 20/64 cycles per pixel
small = resize_image(wave.astype("float32"), (32, 32), "bilinear")
print("0.3125 cycles/px, 2x bilinear: peak at", sampling.spectral_peak(small),
      "predicted", sampling.alias_frequency(2 * 0.3125))
assert sampling.spectral_peak(small) == (0.0, sampling.alias_frequency(2 * 0.3125))

# %% [markdown]
# Try other factors and modes (with the antialias box, which the next section explains):

# %%
sampling.response_app(factor=4)

# %% [markdown]
# ## 4 · Antialiasing: stretch the kernel before sampling
#
# Shrinking by $s$ moves the Nyquist limit from $0.5$ to $0.5/s$ cycles per input pixel, but the
# kernels above are as narrow at $s = 8$ as at $s = 1$: with `antialias=False`, a $4\times$
# bilinear resize still averages just two pixels (offsets $\pm\tfrac12$ again, so the same
# $|\cos \pi f|$), and reads only half of the input. `antialias=True` stretches the kernel by the
# factor,
#
# $$ k_s(x) = \tfrac1s\, k(x / s), \qquad H_s(f) = H(s f), $$
#
# so the filter's cut-off moves down with the Nyquist limit and the detail that cannot be kept
# is blurred away *before* sampling, instead of folding (`tf.image.resize` documents the flag:
# <https://www.tensorflow.org/api_docs/python/tf/image/resize>; `keras.ops.image.resize` passes
# it on, <https://keras.io/api/ops/image/>). `area` needs no flag: its footprint is $s$ pixels
# wide by construction. Keras' default is `antialias=False`, and neither the paper's resizer nor
# the keras.io example ("Learning to Resize in Computer Vision") turns it on, for its naive path
# or its feature bottleneck.

# %%
fig = sampling.plot_resize_response(["bilinear", "bicubic"], factor=4, antialias=(False, True))
band = np.linspace(0.125, 0.5, 16)  # everything above the 4x output's Nyquist limit
off = sampling.measured_gain("bilinear", band, 4, antialias=False)
on = sampling.measured_gain("bilinear", band, 4, antialias=True)
print(f"4x bilinear, mean gain above the output's Nyquist limit: {off.mean():.3f} without, "
      f"{on.mean():.3f} with antialias")
assert on.mean() < 0.2 * off.mean()

# %% [markdown]
# The zone plate shows the whole band at once. Shrunk $4\times$ and $8\times$, it should turn
# flat grey wherever its local frequency is above the new Nyquist limit;
# `sampling.zone_plate_alias_energy` measures what is left there (the mean square of
# $\text{output} - \tfrac12$, as a fraction of the input pattern's own): aliased energy.

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

# %%
aliased = {(r["factor"], r["antialias"]): r["aliased energy"] for r in results}
assert aliased[(4, False)] > 0.3 and aliased[(8, False)] > 0.3  # a third or more folds back
assert aliased[(4, True)] < 0.05 * aliased[(4, False)] and aliased[(8, True)] < 0.05 * aliased[(8, False)]

# %% [markdown]
# The spectra of the $4\times$ results (a window keeps the image borders out): without
# antialiasing the disc of the zone plate is full right up to the corners of the output's
# spectrum, since everything folded in; with it, only the frequencies the output can hold remain
# (and the triangle's transition band just below its Nyquist limit).

# %%
fig = plot_spectra({"/4, antialias off": panels[1], "/4, antialias on": panels[2]}, window=True)

# %% [markdown]
# Pick any factor and mode here:

# %%
sampling.zone_plate_app(256)

# %% [markdown]
# ## 5 · How the learned resizer reads a stripe that bilinear erases
#
# The synthetic class is a $\pm a$ stripe at Nyquist (vertical for class 0, horizontal for class
# 1) on a smooth random picture; section 3 showed the naive $2\times$ resize deletes it exactly.
# The learnable resizer still passes everything through a $2\times$ bilinear resize, of its
# *features*: stem $\to R \to$ blocks. So how can anything survive? Three claims, each measured
# below by comparing a striped image with the same image unstriped, stage by stage:
#
# 1. **A linear filter cannot save it.** A convolution maps a sinusoid to the same sinusoid times
#    $H$, so the stripe at Nyquist stays a stripe at Nyquist, and the resize erases it.
# 2. **A rectifier can.** The LeakyReLU $\sigma(z) = \max(z, 0.2 z) = 0.6 z + 0.4 |z|$ has an even
#    part, $0.4|z|$. A filter that turns the stripe into $\pm c$ on a background near zero gives
#    $\sigma = c$ and $-0.2c$ alternately: the average is $0.4c$, a **local mean shift** (zero
#    frequency), which the pair average keeps.
# 3. **The "more layers" control rectifies too late.** Its first non-linearity comes after the
#    resize, when the stripe is already gone.
#
# ### 5.1 By hand, in 1-D
# A smooth background, the stripe, a difference filter $y[n] = x[n] - x[n+1]$ (it turns $\pm a$
# into $\pm 2a$ and nearly ignores the smooth background), the LeakyReLU and the pair average, in
# NumPy. The signals wrap around at the ends (`np.roll`), so there are no borders to worry about.

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
survived = {name: f(background + stripe_1d) - f(background) for name, f in orders.items()}
for name, d in survived.items():
    print(f"{name:44s} what the stripe changed: mean {d.mean():+.5f}, max |.| {np.abs(d).max():.2e}")
assert np.abs(survived["linear: filter -> resize"]).max() < 1e-12
assert np.abs(survived["more layers: resize -> filter -> LeakyReLU"]).max() < 1e-12
shift = survived["learned: filter -> LeakyReLU -> resize"]
assert np.allclose(shift, 0.4 * 2 * a, atol=0.01)  # 0.4 c with c = 2a, less 0.4 |background slope| (< 0.008)

# %%
fig, axes = plt.subplots(1, 3, figsize=(12, 3), sharey=True)
d_filter = difference(background + stripe_1d) - difference(background)
d_rect = leaky_relu(difference(background + stripe_1d)) - leaky_relu(difference(background))
for ax, (title, d) in zip(axes, [("after the filter (linear)", d_filter),
                                 ("after the LeakyReLU", d_rect),
                                 ("after the resize", None)], strict=True):
    if d is None:
        ax.plot(np.arange(32) * 2 + 0.5, halve(d_filter), "o-", ms=3, label="linear path")
        ax.plot(np.arange(32) * 2 + 0.5, shift, "o-", ms=3, label="rectified path")
        ax.legend(fontsize=8)
    else:
        ax.plot(d[:24], "o-", ms=3)
        ax.axhline(d.mean(), color="#e07000", ls="--", lw=1, label=f"mean {d.mean():+.3f}")
        ax.legend(fontsize=8)
    ax.set_title(title, fontsize=10)
    ax.set_xlabel("pixel")
    ax.grid(alpha=0.3)
axes[0].set_ylabel("striped - plain")
fig.tight_layout()

# %% [markdown]
# The filter's output still alternates around zero (mean 0): the pair average deletes it. After
# the LeakyReLU the negative half is shrunk to a fifth, so the alternation rides on a positive
# mean of $0.4 \cdot 2a \approx 0.075$, and that is what the resize keeps. The orientation is
# kept too: a difference *along $x$* sees vertical stripes and not horizontal ones, so one
# channel per orientation gives the classifier a clean feature. (A rectifier is one way to get
# an even part; any non-linearity with one would do, e.g. $z^2$.)
#
# ### 5.2 With the real layers
# Now the same with the resizer of `resizer_lib`: `sampling.stripe_pair` builds one synthetic
# picture with and without its stripe (exactly as the dataset does), and `sampling.stem_stages`
# runs the resizer's stem one layer at a time: `conv7x7`, the linear control `conv7x7 -> resize`,
# the first `lrelu`, the stem's `features` and the `bottleneck` (the features resized). For each
# stage `sampling.stage_energies` reports the energy of *striped − plain* (the mean square,
# summed over channels), its part at Nyquist and its part at zero frequency (the squared mean
# shift). Three resizers, all deterministic: one with a hand-set stem
# (`sampling.set_stripe_detector`: the difference filters of 5.1, one per orientation), one with
# the seeded random weights training starts from, and the "more layers" control
# (`resize_first=True`) with the same seed.
#
# Keras pads convolutions with zeros, which breaks shift invariance within 3 pixels of the border
# (there the filter sees half a stripe), so the energies are measured 4 input pixels inside;
# the full-image numbers follow.

# %%
from resizer_lib.models.resizer import build_resizer

plain, striped = sampling.stripe_pair((32, 32), "vertical")
pair = np.stack([striped, plain])  # (2, 32, 32, 3): image 0 striped, image 1 plain


def seeded_resizer(**kwargs):
    keras.utils.set_random_seed(0)
    return build_resizer((16, 16), **kwargs)


resizers = {
    "learned, hand-set stem": sampling.set_stripe_detector(seeded_resizer()),
    "learned, seeded init": seeded_resizer(),
    "more layers, seeded init": seeded_resizer(resize_first=True),
}
energies = {name: sampling.stage_energies(sampling.stem_stages(r, pair), margin=4)
            for name, r in resizers.items()}
show_table([{"resizer": name, **{k: (f"{v:.2e}" if isinstance(v, float) else v)
                                 for k, v in row.items()}}
            for name, rows in energies.items() for row in rows]);

# %%
fig = sampling.plot_stage_energies(energies)

# %% [markdown]
# The measured facts, asserted:

# %%
for name in ("learned, hand-set stem", "learned, seeded init"):
    rows = {r["stage"]: r for r in energies[name]}
    # (a) the convolution keeps a Nyquist stripe a Nyquist stripe, and the resize erases it
    assert rows["conv7x7"]["nyquist"] > 0.99 * rows["conv7x7"]["energy"]
    assert rows["conv7x7 -> resize"]["energy"] < 1e-6 * rows["input"]["energy"]
    # (b) after the LeakyReLU a mean shift appears, and the resize keeps it
    assert rows["lrelu"]["dc"] > 1e6 * rows["conv7x7 -> resize"]["energy"]
    assert rows["bottleneck"]["dc"] > 1e6 * rows["conv7x7 -> resize"]["energy"]
hand = {r["stage"]: r for r in energies["learned, hand-set stem"]}
assert 0.5 * 0.8 * a < hand["lrelu"]["mean shift"] <= 0.8 * a + 1e-6  # 0.4 c, c = 2a, at most
# (c) the control's resize comes first: nothing class-dependent reaches any later layer
for row in energies["more layers, seeded init"][1:]:
    assert row["energy"] < 1e-12, row
print(f"hand-set stem: mean shift after the LeakyReLU {hand['lrelu']['mean shift']:.4f} "
      f"(at most 0.8 a = {0.8 * a:.4f}); in the bottleneck {hand['bottleneck']['mean shift']:.4f}")

# %% [markdown]
# The randomly initialised stem already turns a little of the stripe into a mean shift (a few
# percent of the hand-set one): its filters are not tuned to the stripe, and its pre-activations
# cross zero less often. That is enough for a gradient to find and grow; training decides
# whether it does (notebook 06 measures how often). At the border, where zero padding lets the
# filter see half a stripe, even the linear path leaks a little; measured over the whole image:

# %%
full = sampling.stage_energies(sampling.stem_stages(resizers["learned, hand-set stem"], pair))
full = {r["stage"]: r for r in full}
print(f"linear path, whole image: {full['conv7x7 -> resize']['energy']:.2e} "
      f"({full['conv7x7 -> resize']['energy'] / full['input']['energy']:.1e} of the input's), "
      f"against {hand['conv7x7 -> resize']['energy']:.1e} inside")
assert full["conv7x7 -> resize"]["energy"] > 1e6 * hand["conv7x7 -> resize"]["energy"]

# %% [markdown]
# ### 5.3 What reaches the classifier
# The whole resizer's outputs for the striped and the plain picture: the learned arm's differ
# (by several grey levels), the control's agree to float precision, so no classifier behind it
# can tell the classes apart, whatever it learns. This is the result of notebook 06's synthetic
# study (learned about 97%, "more layers" and bilinear at chance), explained.

# %%
outputs = {name: keras.ops.convert_to_numpy(r(pair, training=False)) for name, r in resizers.items()}
gaps = {name: float(np.abs(o[0] - o[1]).max()) for name, o in outputs.items()}
show_table([{"resizer": k, "max |striped - plain| at the output": f"{v:.2e}"} for k, v in gaps.items()]);
assert gaps["more layers, seeded init"] < 1e-5
assert gaps["learned, hand-set stem"] > 1e-2 and gaps["learned, seeded init"] > 1e-3

# %% [markdown]
# **Summary.** A resize is a filter and a sampler. Sampling folds every frequency above the
# Nyquist limit back below it; the filter decides how much arrives to be folded. An exact
# $2\times$ bilinear resize has the response $|\cos \pi f|$ and deletes the Nyquist stripe
# exactly; without antialiasing larger factors barely filter at all, and a third or more of a zone
# plate's unrepresentable detail comes back as aliases. A learned resizer gets past the resize
# because its stem rectifies *before* it: the non-linearity converts a frequency the resize
# deletes into one it keeps.

# %% [markdown]
# ## Exercises
#
# 1. **Predict an alias.** A sinusoid of $0.4$ cycles per pixel is shrunk $3\times$ with
#    `nearest`. At which frequency (cycles per output pixel) does it come out, and with which
#    gain? Check with `resize_image` and `sampling.spectral_peak` on a $96 \times 96$ sinusoid.
# 2. **Area at $4\times$.** Write the response of `area` at $s = 4$ by hand (the mean of 4
#    pixels) and compare it with `sampling.resize_response("area", f, 4)`. At which frequencies
#    is it zero, and what is its gain at the $4\times$ output's Nyquist limit?
# 3. **When does a stripe vanish?** A stripe of period 3 pixels ($f = 1/3$). Find the smallest
#    integer factor at which an antialiased bilinear resize erases it (gain below $10^{-6}$). Is
#    there any factor from 2 to 12 at which the non-antialiased one does?
# 4. **Which slope?** For a LeakyReLU of slope $\alpha$, predict the mean shift that survives the
#    pair average for a $\pm c$ stripe on a zero background, and check it for
#    $\alpha \in \{0, 0.2, 0.5, 1\}$. Which $\alpha$ gives a resizer that cannot read the stripe?
#
# Each exercise cell ends with a check that says "✓ right" or what is off, without giving the
# answer away.

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
alias_at, gain_1 = sampling.alias_frequency(3 * 0.4), float(sampling.resize_response("nearest", 0.4, 3))
wave = sampling.sinusoid((96, 96), 0.4).astype("float32")
out = resize_image(wave, (32, 32), "nearest")
fy, fx = sampling.spectral_peak(out)
print(f"predicted {alias_at:.3f} with gain {gain_1}; measured peak at fx = {fx:.4f}, "
      f"amplitude {np.abs(out).max():.3f}")
assert abs(fx - alias_at) <= 1 / 32 and np.isclose(np.abs(out).max(), 1.0, atol=0.02)

# %% tags=["solution"] jupyter={"source_hidden": true}
# 2. Four equal taps at offsets -1.5, -0.5, 0.5, 1.5: |sum exp(-2 pi i f d)| / 4 = |sin 4 pi f / (4 sin pi f)|.
def area_response_4x(f):
    f = np.asarray(f, dtype=float)
    return np.abs(np.exp(-2j * np.pi * f[:, None] * np.array([-1.5, -0.5, 0.5, 1.5])).mean(axis=1))


f = np.linspace(0, 0.5, 101)
assert np.allclose(area_response_4x(f), sampling.resize_response("area", f, 4), atol=1e-12)
zeros = f[area_response_4x(f) < 1e-9]
print("zeros at f =", zeros, "; gain at the output's Nyquist limit 1/8:",
      round(float(area_response_4x([0.125])[0]), 3))
assert np.allclose(zeros, [0.25, 0.5])  # multiples of 1/4

# %% tags=["solution"] jupyter={"source_hidden": true}
# 3. Antialiased bilinear at s = 3 is a 5-tap triangle [1, 2, 3, 2, 1] / 9 = box_3 * box_3, whose
#    response (sin 3 pi f / 3 sin pi f)^2 is zero at f = 1/3. Without antialias the 2-tap box only
#    has a zero at 1/2, and odd factors do not filter at all.
gains_on = {s: float(sampling.resize_response("bilinear", 1 / 3, s, antialias=True)) for s in range(2, 13)}
gains_off = {s: float(sampling.resize_response("bilinear", 1 / 3, s)) for s in range(2, 13)}
smallest_factor = min(s for s, g in gains_on.items() if g < 1e-6)
print("antialiased:", {s: round(g, 4) for s, g in gains_on.items()})
print("not antialiased:", {s: round(g, 4) for s, g in gains_off.items()})
assert smallest_factor == 3 and min(gains_off.values()) > 0.4

# %% tags=["solution"] jupyter={"source_hidden": true}
# 4. Pairs c and -c become c and -slope * c; their mean is (1 - slope) c / 2. Slope 1 is the
#    identity, a linear map: nothing survives, exactly as for the linear path of section 5.
def surviving_shift(c, slope):
    pairs = np.tile([c, -c], 8)
    return float(leaky_relu(pairs, slope).reshape(-1, 2).mean(axis=1).mean())


for slope in (0.0, 0.2, 0.5, 1.0):
    print(f"slope {slope}: measured {surviving_shift(2 * a, slope):.4f}, "
          f"predicted {(1 - slope) * 2 * a / 2:.4f}")
    assert np.isclose(surviving_shift(2 * a, slope), (1 - slope) * a)
