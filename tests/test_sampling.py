"""``resizer_lib.course.sampling``: signals, aliasing, interpolation kernels and their responses,
the gain of keras' resize, and the synthetic stripe through the resizer's stem (notebook 04)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import keras  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from resizer_lib.course import sampling as S  # noqa: E402
from resizer_lib.data.synthetic import DEFAULT_AMPLITUDE  # noqa: E402
from resizer_lib.interpolation import KERNELS, interpolations  # noqa: E402
from resizer_lib.models.resizer import build_resizer  # noqa: E402

pytestmark = pytest.mark.multibackend
ON_BACKEND = [m for m in KERNELS if m in interpolations()]
FREQS = np.linspace(0.0, 0.5, 11)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# -- signals and folding -------------------------------------------------------------------------
def test_sinusoid_and_zone_plate_shapes_and_ranges():
    wave = S.sinusoid((8, 12), 0.25)
    assert wave.shape == (8, 12) and np.allclose(wave[0, :4], [1, 0, -1, 0], atol=1e-12)
    assert np.allclose(S.sinusoid(8, 0.25, angle=90), wave[:, :8].T)  # 90 degrees: along y
    plate = S.zone_plate(64, max_frequency=0.4)
    assert plate.shape == (64, 64) and plate.min() >= 0 and plate.max() <= 1
    local = S.local_frequency(64, 0.4)
    assert np.isclose(local.max(), 0.4) and local.min() < 0.01
    assert np.isclose(local[0, 0], 0.4)  # the corners hold the highest frequency


def test_alias_frequency_folds_into_0_to_half_the_rate():
    assert S.alias_frequency(0.8) == pytest.approx(0.2)
    assert S.alias_frequency(1.3) == pytest.approx(0.3)
    assert S.alias_frequency(1.0) == pytest.approx(0.0)
    assert S.alias_frequency(0.3) == pytest.approx(0.3)
    assert S.alias_frequency(1.2, rate=2.0) == pytest.approx(0.8)
    folded = S.alias_frequency(np.linspace(0, 3, 301))
    assert folded.shape == (301,) and folded.min() >= 0 and folded.max() <= 0.5


@pytest.mark.parametrize("f", [0.125, 0.375, 0.625, 0.875, 1.25, 1.5])
def test_sampled_sinusoids_peak_at_the_alias_frequency(f):
    fy, fx = S.spectral_peak(S.sinusoid(64, f))
    assert fy == 0.0 and fx == pytest.approx(S.alias_frequency(f))
    fy, fx = S.spectral_peak(S.sinusoid(64, f, angle=90))
    assert fx == 0.0 and fy == pytest.approx(S.alias_frequency(f))


def test_spectral_peak_reads_nyquist_as_plus_half():
    assert S.spectral_peak(S.sinusoid(16, 0.5)) == (0.0, 0.5)
    assert S.spectral_peak(S.sinusoid(16, 0.5, angle=90)) == (0.5, 0.0)


# -- kernels -------------------------------------------------------------------------------------
def test_frequency_responses_match_their_analytic_forms():
    f = np.linspace(0, 2, 81)
    assert np.allclose(S.frequency_response("bilinear", f), np.sinc(f) ** 2, atol=1e-6)
    assert np.allclose(S.frequency_response("bilinear", f, scale=3), np.sinc(3 * f) ** 2, atol=1e-6)
    assert np.allclose(S.frequency_response("nearest", f), np.sinc(f), atol=1e-4)
    assert np.allclose(S.frequency_response("area", f, scale=4), np.sinc(f) * np.sinc(4 * f), atol=1e-6)
    assert np.allclose(S.frequency_response("bicubic", [0.0, 1.0, 2.0]), [1.0, 0.0, 0.0], atol=1e-3)


def test_two_tap_box_of_an_exact_2x_bilinear_is_cos_pi_f():
    offsets, weights = S.resize_taps("bilinear", 2)
    assert np.allclose(sorted(offsets), [-0.5, 0.5]) and np.allclose(weights, [0.5, 0.5])
    assert np.allclose(S.resize_response("bilinear", FREQS, 2), np.abs(np.cos(np.pi * FREQS)), atol=1e-12)
    # the same from the continuous sinc^2, periodised with alternating signs (Poisson summation)
    k = np.arange(-400, 401)
    periodised = np.array([np.sum((-1.0) ** k * np.sinc(f - k) ** 2) for f in FREQS])
    assert np.allclose(periodised, np.cos(np.pi * FREQS), atol=1e-3)


@pytest.mark.parametrize("name", ["bilinear", "bicubic", "lanczos3", "lanczos5", "area"])
def test_every_symmetric_kernel_erases_nyquist_at_exactly_2x(name):
    assert S.resize_response(name, 0.5, 2) < 1e-12
    assert S.resize_response(name, 0.5, 2, antialias=True) < 1e-12
    assert S.resize_response("nearest", 0.5, 2) == pytest.approx(1.0)  # copying: no filter


def test_odd_factors_without_antialias_only_pick_pixels():
    assert np.allclose(S.resize_response("bilinear", FREQS, 3), 1.0)
    assert np.allclose(S.resize_response("lanczos3", FREQS, 5), 1.0)
    assert S.resize_response("bilinear", 1 / 3, 3, antialias=True) < 1e-12  # box_3 * box_3


def test_area_at_an_integer_factor_is_the_box_average():
    f = np.linspace(0.01, 0.5, 50)
    box4 = np.abs(np.sin(4 * np.pi * f) / (4 * np.sin(np.pi * f)))
    assert np.allclose(S.resize_response("area", f, 4), box4, atol=1e-12)
    assert np.allclose(S.resize_response("area", f, 4, antialias=True), box4, atol=1e-12)


@pytest.mark.parametrize("name", ON_BACKEND)
@pytest.mark.parametrize("factor", [2, 3, 4])
@pytest.mark.parametrize("antialias", [False, True])
def test_measured_resize_gain_agrees_with_the_predicted_response(name, factor, antialias):
    measured = S.measured_gain(name, FREQS, factor, antialias)
    predicted = S.resize_response(name, FREQS, factor, antialias)
    assert measured.shape == FREQS.shape
    np.testing.assert_allclose(measured, predicted, atol=1e-5)


def test_zone_plate_aliasing_falls_with_antialias():
    plain = S.zone_plate_alias_energy(256, 4, "bilinear", antialias=False)
    smooth = S.zone_plate_alias_energy(256, 4, "bilinear", antialias=True)
    assert plain > 0.3 and smooth < 0.02
    assert S.zone_plate_alias_energy(256, 1) == 0.0  # nothing is above Nyquist at 1x


# -- the synthetic stripe through the stem ----------------------------------------------------------
def test_stripe_pair_differs_by_a_plus_minus_a_stripe():
    plain, striped = S.stripe_pair((16, 20), "vertical")
    d = (striped - plain) * 255
    assert plain.shape == striped.shape == (16, 20, 3) and plain.dtype == np.float32
    assert np.allclose(d[:, ::2], DEFAULT_AMPLITUDE, atol=1e-3)
    assert np.allclose(d[:, 1::2], -DEFAULT_AMPLITUDE, atol=1e-3)
    assert 0 <= striped.min() and striped.max() <= 1
    plain_h, striped_h = S.stripe_pair((16, 20), "horizontal")
    assert np.allclose(plain_h, plain) and np.allclose((striped_h - plain_h)[1::2] * 255, -DEFAULT_AMPLITUDE, atol=1e-3)


def test_nyquist_energy_and_stripe_energy():
    stripe = S.sinusoid((8, 8), 0.5)  # +1, -1, ...: all its energy is at Nyquist
    assert S.nyquist_energy(stripe) == pytest.approx(1.0)
    assert S.nyquist_energy(S.sinusoid((8, 8), 0.25)) == pytest.approx(0.0, abs=1e-20)
    assert S.nyquist_energy(np.stack([stripe] * 3, -1)) == pytest.approx(3.0)  # summed over channels
    rows = S.stripe_energy(stripe + 0.25, np.zeros((8, 8)), margin=1)
    assert rows["energy"] == pytest.approx(1.0 + 0.0625) and rows["nyquist"] == pytest.approx(1.0)
    assert rows["dc"] == pytest.approx(0.0625) and rows["mean shift"] == pytest.approx(0.25)


def _stages(resize_first: bool, detector: bool):
    keras.utils.set_random_seed(0)
    resizer = build_resizer((16, 16), filters=4, resize_first=resize_first)
    if detector:
        S.set_stripe_detector(resizer)
    plain, striped = S.stripe_pair((32, 32), "vertical")
    return S.stem_stages(resizer, np.stack([striped, plain]))


@pytest.mark.parametrize("detector", [True, False])
def test_a_linear_filter_cannot_carry_the_stripe_through_the_resize(detector):
    rows = {r["stage"]: r for r in S.stage_energies(_stages(False, detector), margin=4)}
    assert list(rows) == ["input", "conv7x7", "conv7x7 -> resize", "lrelu", "features", "bottleneck"]
    assert rows["conv7x7"]["nyquist"] > 0.9 * rows["conv7x7"]["energy"]  # still a Nyquist stripe
    assert rows["conv7x7 -> resize"]["energy"] < 1e-6 * rows["input"]["energy"]
    assert rows["bottleneck"]["dc"] > 1e6 * rows["conv7x7 -> resize"]["energy"]  # the rectified path


def test_the_hand_set_stem_turns_the_stripe_into_a_mean_shift():
    stages = _stages(False, True)
    lrelu = stages["lrelu"][0] - stages["lrelu"][1]
    a = DEFAULT_AMPLITUDE / 255
    shift = lrelu[4:-4, 4:-4, 0].mean()
    assert 0.5 * 0.8 * a < shift <= 0.8 * a + 1e-6  # (1 - slope) / 2 * 2a at most
    assert abs(lrelu[4:-4, 4:-4, 1].mean()) < 1e-6  # the other orientation sees nothing
    assert stages["bottleneck"].shape == (2, 16, 16, 4)


def test_the_more_layers_control_sees_no_stripe_at_all():
    stages = _stages(True, False)
    assert list(stages) == ["input", "resize", "conv7x7", "lrelu", "features"]
    for name, value in stages.items():
        if name != "input":
            assert np.abs(value[0] - value[1]).max() < 1e-5, name


def test_figures_draw():
    assert len(S.plot_sampling(0.8).get_axes()) == 2
    assert len(S.plot_kernels(("bilinear", "lanczos3")).get_axes()[0].get_lines()) == 3
    fig = S.plot_resize_response(["bilinear", "nearest"], 4, antialias=(False, True))
    assert len(fig.get_axes()[0].get_lines()) == 8  # 2 modes x 2 settings x (line + dots)
    rows = S.stage_energies(_stages(True, False))
    assert len(S.plot_stage_energies({"more layers": rows}).get_axes()) == 1


def test_the_apps_render_and_rerender():
    app = S.sampling_app(0.3)
    assert app.renders == 1
    app.children[0].children[0].value = 1.1
    assert app.renders == 2
    response = S.response_app(4)
    assert response.renders == 1
    plate = S.zone_plate_app(64)
    plate.children[0].children[0].value = 2
    assert plate.renders == 2


# -- bad input ------------------------------------------------------------------------------------
def test_bad_input_is_refused_with_the_fix():
    with pytest.raises(ValueError, match=r"Unknown interpolation 'cubic'.*bilinear"):
        S.frequency_response("cubic", 0.0)
    with pytest.raises(ValueError, match="Unknown interpolation"):
        S.resize_response("gaussian", 0.1, 2)
    with pytest.raises(ValueError, match=r"\[0, 0.5\].*aliases"):
        S.resize_response("bilinear", 0.7, 2)
    with pytest.raises(ValueError, match=r"\[0, 0.5\]"):
        S.measured_gain("bilinear", [0.1, -0.1], 2)
    with pytest.raises(ValueError, match="frequency must be finite"):
        S.sinusoid(8, float("nan"))
    with pytest.raises(ValueError, match="frequency must be finite"):
        S.alias_frequency(-0.2)
    with pytest.raises(ValueError, match="rate must be a finite number > 0"):
        S.alias_frequency(0.2, rate=0)
    with pytest.raises(ValueError, match="scale must be"):
        S.frequency_response("bilinear", 0.1, scale=-1)
    with pytest.raises(ValueError, match="factor"):
        S.resize_taps("bilinear", 2.5)
    with pytest.raises(ValueError, match="multiple of factor"):
        S.measured_gain("bilinear", 0.1, 3, length=100)
    with pytest.raises(ValueError, match="multiple of factor"):
        S.zone_plate_alias_energy(100, 3)
    with pytest.raises(ValueError, match="even height and width"):
        S.nyquist_energy(np.zeros((7, 8)))
    with pytest.raises(ValueError, match=r"one image \(H, W\)"):
        S.nyquist_energy(np.zeros((2, 8, 8, 3)))
    with pytest.raises(ValueError, match="one shape"):
        S.stripe_energy(np.zeros((8, 8)), np.zeros((8, 6)))
    with pytest.raises(ValueError, match="margin=4 leaves nothing"):
        S.stripe_energy(np.zeros((8, 8)), np.zeros((8, 8)), margin=4)
    with pytest.raises(ValueError, match="orientation"):
        S.stripe_pair(16, "diagonal")
    with pytest.raises(ValueError, match="batch"):
        S.stem_stages(build_resizer((8, 8), filters=2), np.zeros((16, 16, 3)))
    with pytest.raises(ValueError, match="batch of two"):
        S.stage_energies({"input": np.zeros((3, 8, 8, 3))})
    with pytest.raises(ValueError, match="filters >= 2"):
        S.set_stripe_detector(build_resizer((8, 8), filters=1))


def test_area_is_refused_where_the_backend_lacks_it():
    if "area" in interpolations():
        pytest.skip("this backend has area")
    with pytest.raises(ValueError, match="Unknown interpolation 'area'"):
        S.measured_gain("area", 0.1, 2)
