"""``resizer_lib.course.sampling``: signals, aliasing, interpolation kernels and their responses,
the gain of keras' resize, and the synthetic stripe through the resizer's stem (lesson 08)."""

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


def test_zone_plate_aliasing_is_per_axis_not_radial():
    """Decision: the grid folds each axis alone, so a diagonal local frequency with
    both components under Nyquist is not aliased. Up to 0.5 / sqrt(2) per axis in the corners
    (max_frequency 0.5) nothing aliases at 1x; a radial mask called the corners aliased."""
    assert S.zone_plate_alias_energy(64, 1, max_frequency=0.5 * 2**0.5 * 0.99) == 0.0
    assert S.zone_plate_alias_energy(64, 1, max_frequency=0.5 * 2**0.5 * 1.2) > 0.0


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


def _stem(resize_first: bool, detector: bool) -> dict[str, np.ndarray]:
    """The stem of a (16, 16) resizer, one layer at a time, on [striped, plain]."""
    keras.utils.set_random_seed(0)
    layer = build_resizer((16, 16), filters=4, resize_first=resize_first).get_layer("resizer")
    if detector:
        S.set_stripe_detector(layer)
    plain, striped = S.stripe_pair((32, 32), "vertical")
    x = keras.ops.convert_to_tensor(np.stack([striped, plain]))
    resize = lambda t: keras.ops.image.resize(t, (16, 16), interpolation=layer.interpolation)  # noqa: E731
    stages = {}
    if resize_first:
        x = stages["resize"] = resize(x)
    conv = stages["conv7x7"] = layer.stem_conv7(x)
    stages["conv7x7 -> resize"] = resize(conv)
    stages["lrelu"] = layer.stem_act1(conv)
    stages["bottleneck"] = resize(stages["lrelu"])
    return {k: keras.ops.convert_to_numpy(v).astype(np.float64) for k, v in stages.items()}


@pytest.mark.parametrize("detector", [True, False])
def test_a_linear_filter_cannot_carry_the_stripe_through_the_resize(detector):
    """Lesson 08, section 5: the resize erases the filtered stripe; the rectified path keeps a
    mean shift (measured 2 pixels inside, away from the zero padding)."""
    stages = _stem(False, detector)
    linear = stages["conv7x7 -> resize"]
    assert np.abs(linear[0] - linear[1])[2:-2, 2:-2].max() < 1e-5
    rectified = stages["bottleneck"]
    assert np.abs((rectified[0] - rectified[1])[2:-2, 2:-2].mean(axis=(0, 1))).max() > 1e-4


def test_the_hand_set_stem_turns_the_stripe_into_a_mean_shift():
    stages = _stem(False, True)
    lrelu = stages["lrelu"][0] - stages["lrelu"][1]
    a = DEFAULT_AMPLITUDE / 255
    shift = lrelu[4:-4, 4:-4, 0].mean()
    assert 0.5 * 0.8 * a < shift <= 0.8 * a + 1e-6  # (1 - slope) / 2 * 2a at most
    assert abs(lrelu[4:-4, 4:-4, 1].mean()) < 1e-6  # the other orientation sees nothing


def test_the_more_layers_control_sees_no_stripe_at_all():
    for name, value in _stem(True, False).items():
        assert np.abs(value[0] - value[1]).max() < 1e-5, name


def test_the_response_figure_draws():
    fig = S.plot_resize_response(["bilinear", "nearest"], 4, antialias=(False, True))
    assert len(fig.get_axes()[0].get_lines()) == 8  # 2 modes x 2 settings x (line + dots)


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
    with pytest.raises(ValueError, match="orientation"):
        S.stripe_pair(16, "diagonal")
    with pytest.raises(ValueError, match="filters >= 2"):
        S.set_stripe_detector(build_resizer((8, 8), filters=1))


def test_area_is_refused_where_the_backend_lacks_it():
    if "area" in interpolations():
        pytest.skip("this backend has area")
    with pytest.raises(ValueError, match="Unknown interpolation 'area'"):
        S.measured_gain("area", 0.1, 2)
