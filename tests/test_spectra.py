"""``resizer_lib.viz.spectra``: magnitude spectra, ring averages, spectral gain, channel statistics."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from image_fixtures import smooth_image  # noqa: E402

from resizer_lib import viz  # noqa: E402
from resizer_lib.viz import (  # noqa: E402
    channel_statistics,
    plot_spectral_gain,
    show_table,
    spectral_gain,
)
from resizer_lib.viz.spectra import radial_profile  # noqa: E402

pytestmark = pytest.mark.multibackend
IS_TF = keras.backend.backend() == "tensorflow"





# -- spectra -----------------------------------------------------------------------------------
def test_magnitude_spectrum_peaks_at_the_pattern_frequency():
    h, w, k = 32, 48, 6
    x = np.arange(w)
    stripes = 0.5 + 0.4 * np.cos(2 * np.pi * k * x / w)[None, :].repeat(h, axis=0)
    spec = viz.magnitude_spectrum(stripes)
    assert spec.shape == (h, w) and spec.dtype == np.float32
    peaks = {tuple(int(v) for v in np.unravel_index(i, spec.shape)) for i in np.argsort(spec.ravel())[-2:]}
    assert peaks == {(h // 2, w // 2 - k), (h // 2, w // 2 + k)}
    rotated = viz.magnitude_spectrum(stripes.T)  # horizontal stripes: peaks on the vertical axis
    assert np.unravel_index(np.argmax(rotated), rotated.shape) in [(w // 2 - k, h // 2), (w // 2 + k, h // 2)]


def test_magnitude_spectrum_luminance_and_options():
    grey = np.random.default_rng(1).uniform(size=(16, 16)).astype(np.float32)
    rgb = np.repeat(grey[..., None], 3, axis=-1)
    np.testing.assert_allclose(viz.magnitude_spectrum(rgb), viz.magnitude_spectrum(grey), atol=1e-5)
    with_dc = viz.magnitude_spectrum(grey + 1.0, remove_mean=False)
    assert np.argmax(with_dc) == 8 * 16 + 8  # the DC term dominates at the centre
    assert not np.allclose(viz.magnitude_spectrum(grey, window=True), viz.magnitude_spectrum(grey))
    with pytest.raises(ValueError, match="floor"):
        viz.magnitude_spectrum(grey, floor=0)
    with pytest.raises(ValueError, match="one image"):
        viz.magnitude_spectrum(np.zeros((2, 4, 4, 3)))


def test_radial_profile_peaks_at_the_ring():
    h = w = 64
    f = 0.25  # cycles per pixel
    y, x = np.mgrid[0:h, 0:w]
    pattern = np.cos(2 * np.pi * f * x) + np.cos(2 * np.pi * f * y)
    freqs, profile = radial_profile(viz.magnitude_spectrum(pattern), num_bins=16)
    assert freqs.shape == profile.shape == (16,)
    assert freqs[0] > 0 and freqs[-1] < 0.5
    assert abs(freqs[np.nanargmax(profile)] - f) <= 0.5 / 16
    freqs, profile = radial_profile(np.zeros((10, 12)))
    assert profile.shape == (5,) and not np.isnan(profile).any()
    with pytest.raises(ValueError, match="2-D"):
        radial_profile(np.zeros((2, 3, 4)))
    with pytest.raises(ValueError, match="num_bins"):
        radial_profile(np.zeros((8, 8)), num_bins=0)


def test_plot_spectra(rgb):
    fig = viz.plot_spectra({"input": rgb, "half": rgb[::2, ::2]})
    axes = fig.get_axes()
    assert len(axes) == 3 and len(axes[0].get_lines()) == 2  # profile axis holds two curves
    with pytest.raises(ValueError, match="one title per image"):
        viz.plot_spectra([rgb, rgb], titles=["only one"])




def test_channel_statistics_values_and_scale():
    img = np.zeros((4, 5, 3), np.float32)
    img[..., 0] = 0.5
    img[0, 0, 1] = 2.0  # one value above 1 in G
    img[..., 2] = -1.0
    rows = channel_statistics({"x": img, "u8": np.full((2, 2, 3), 255, np.uint8)})
    assert [(r["image"], r["channel"]) for r in rows][:4] == [("x", "R"), ("x", "G"), ("x", "B"), ("u8", "R")]
    r, g, b = rows[:3]
    assert r["mean"] == pytest.approx(0.5) and r["std"] == pytest.approx(0.0)
    assert r["outside [0,1]"] == 0.0
    assert g["max"] == pytest.approx(2.0) and g["outside [0,1]"] == pytest.approx(1 / 20)
    assert b["min"] == -1.0 and b["outside [0,1]"] == 1.0
    assert rows[3]["mean"] == pytest.approx(1.0)  # uint8 255 -> 1.0
    assert "| image | channel | mean |" in show_table(rows, show=False)


def test_channel_statistics_over_a_batch_and_grey():
    batch = np.stack([np.zeros((3, 3, 3)), np.ones((3, 3, 3))]).astype("float32")
    rows = channel_statistics({"batch": batch, "grey": np.zeros((3, 3), np.float32)})
    assert rows[0]["mean"] == pytest.approx(0.5) and rows[0]["std"] == pytest.approx(0.5)
    assert [r["channel"] for r in rows] == ["R", "G", "B", "R"]
    with pytest.raises(ValueError, match="non-empty dict"):
        channel_statistics([batch])
    with pytest.raises(ValueError, match="expected an image"):
        channel_statistics({"bad": np.zeros((2, 3, 4, 5, 6))})


def test_spectral_gain_is_zero_for_equal_images_and_sees_a_boost():
    a = smooth_image()
    freqs, gain = spectral_gain(a, a)
    assert freqs.shape == gain.shape == (16,)
    assert np.allclose(np.nan_to_num(gain), 0.0)
    doubled = 0.5 + 2.0 * (a - 0.5)  # every frequency x2 -> +6.02 dB
    _, boost = spectral_gain(doubled, a)
    assert np.nanmedian(boost) == pytest.approx(20 * np.log10(2.0), abs=0.05)
    y, x = np.mgrid[0:32, 0:40]
    stripes = a + 0.05 * ((x % 2) * 2 - 1)[..., None]  # period 2: 0.5 cycles per pixel
    freqs, high = spectral_gain(stripes, a)
    assert high[-1] > 10.0 and abs(np.nanmedian(high[: len(high) // 2])) < 1.0


def test_spectral_gain_averages_a_batch_and_checks_shapes():
    batch = np.stack([smooth_image(0), smooth_image(1)])
    _, gain = spectral_gain(batch * 1.0, batch)
    assert np.allclose(np.nan_to_num(gain), 0.0)
    with pytest.raises(ValueError, match="same shape"):
        spectral_gain(smooth_image(shape=(32, 40, 3)), smooth_image(shape=(16, 20, 3)))


def test_plot_spectral_gain():
    a = smooth_image()
    fig = plot_spectral_gain({"same": (a, a), "x2": (0.5 + 2 * (a - 0.5), a)}, reference_name="naive")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["same", "x2"]
    assert "naive" in ax.get_ylabel()
    assert np.nanmedian(ax.get_lines()[2].get_ydata()) == pytest.approx(6.02, abs=0.05)
    with pytest.raises(ValueError, match="non-empty dict"):
        plot_spectral_gain({})
    with pytest.raises(ValueError, match="must be a pair"):
        plot_spectral_gain({"one": a})
