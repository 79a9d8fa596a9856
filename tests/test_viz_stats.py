"""Tests of resizer_lib.viz's channel statistics and spectral gain, and the shared-photo finder."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from resizer_lib.data import sample_images  # noqa: E402
from resizer_lib.viz import (  # noqa: E402
    channel_statistics,
    plot_spectral_gain,
    show_table,
    spectral_gain,
)

pytestmark = pytest.mark.multibackend


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def _smooth(seed: int = 0, shape=(32, 40, 3)) -> np.ndarray:
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0 : shape[0], 0 : shape[1]]
    base = 0.5 + 0.2 * np.sin(x / 5.0 + rng.uniform()) * np.cos(y / 7.0)
    return np.repeat(base[..., None], shape[2], axis=-1).astype("float32")


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
    a = _smooth()
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
    batch = np.stack([_smooth(0), _smooth(1)])
    _, gain = spectral_gain(batch * 1.0, batch)
    assert np.allclose(np.nan_to_num(gain), 0.0)
    with pytest.raises(ValueError, match="same shape"):
        spectral_gain(_smooth(shape=(32, 40, 3)), _smooth(shape=(16, 20, 3)))


def test_plot_spectral_gain():
    a = _smooth()
    fig = plot_spectral_gain({"same": (a, a), "x2": (0.5 + 2 * (a - 0.5), a)}, reference_name="naive")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["same", "x2"]
    assert "naive" in ax.get_ylabel()
    assert np.nanmedian(ax.get_lines()[2].get_ydata()) == pytest.approx(6.02, abs=0.05)
    with pytest.raises(ValueError, match="non-empty dict"):
        plot_spectral_gain({})
    with pytest.raises(ValueError, match="must be a pair"):
        plot_spectral_gain({"one": a})


# -- the licensed photos next to the checkout -------------------------------------------------
def test_shared_photo_paths_alternate_classes_or_are_empty(monkeypatch, tmp_path):
    root = tmp_path / "shared" / "datasets" / "toy"
    for cls in ("cat", "dog"):
        (root / "val" / cls).mkdir(parents=True)
        for i in range(3):
            (root / "val" / cls / f"{cls}_{i}.jpg").write_bytes(b"")
    (root / "val" / "cat" / "notes.txt").write_text("x")
    work = tmp_path / "course"
    work.mkdir()
    monkeypatch.chdir(work)
    paths = sample_images.shared_photo_paths(5, name="toy")
    assert [p.name for p in paths] == ["cat_0.jpg", "dog_0.jpg", "cat_1.jpg", "dog_1.jpg", "cat_2.jpg"]
    assert sample_images.shared_photo_paths(3, split="train", name="toy") == []
    assert sample_images.shared_photo_paths(2, name="absent_folder_name") == []
    with pytest.raises(ValueError, match="split"):
        sample_images.shared_photo_paths(2, split="test", name="toy")
    with pytest.raises(ValueError, match="count"):
        sample_images.shared_photo_paths(-1, name="toy")


def test_shared_photos_when_present():
    folder = sample_images.shared_photos_dir()
    if folder is None:
        pytest.skip("real photos not available next to the checkout (never shipped with the repo)")
    paths = sample_images.shared_photo_paths(2)
    assert [p.parent.name for p in paths] == ["cat", "dog"]
    image = sample_images.load_image_file(paths[0], max_side=128)
    assert image.dtype == np.uint8 and max(image.shape[:2]) == 128


def test_clipping_warnings_are_collected_only_for_raw_out_of_range_images():
    from resizer_lib.viz import clipping_warnings, show_images

    out_of_range = np.full((6, 6, 3), 1.5, np.float32)
    out_of_range[0, 0] = -0.5
    with clipping_warnings() as raw:
        plt.imshow(out_of_range)
    assert len(raw) == 1 and "Clipping input data" in raw[0]
    with clipping_warnings() as ours:
        show_images([out_of_range, out_of_range], mode="percentile")
        show_images([out_of_range], mode="clip")
    assert ours == []
    with clipping_warnings() as after:  # the handler is removed on exit
        pass
    plt.imshow(out_of_range)
    assert after == []
