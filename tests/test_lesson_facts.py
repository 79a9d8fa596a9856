"""Facts the lessons state about the library, Keras and the committed studies. A lesson asserts
only what its learner just computed; what it states beyond that is checked here, so that a newer
Keras or a rerun study fails a test, not a learner's notebook."""

from __future__ import annotations

import ast
from pathlib import Path

import keras
import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"


def _lesson_names(stem: str, *names: str) -> dict:
    """Run the top-level statements of a lesson's .py that define ``names`` (a function or an
    assignment), with Keras and NumPy in scope; returns the namespace."""
    tree = ast.parse((NOTEBOOKS / f"{stem}.py").read_text())
    chosen = []
    for node in tree.body:
        defined = ({node.name} if isinstance(node, ast.FunctionDef) else
                   {t.id for t in getattr(node, "targets", []) if isinstance(t, ast.Name)})
        if defined & set(names):
            chosen.append(node)
    namespace = {"keras": keras, "np": np}
    exec(compile(ast.Module(chosen, []), stem, "exec"), namespace)  # noqa: S102
    return namespace


# -- 00 ------------------------------------------------------------------------------------------
def test_00_the_resizer_and_densenet_counts():
    from resizer_lib.models import build_classifier
    from resizer_lib.models.resizer import build_resizer, resizer_param_count

    assert build_resizer((150, 150)).count_params() == resizer_param_count() == 12_163
    with_resizer = build_classifier("densenet121", (300, 300), (150, 150), resizer="learned", seed=0)
    without = build_classifier("densenet121", (300, 300), (150, 150), resizer="bilinear", seed=0)
    assert (with_resizer.count_params(), without.count_params()) == (7_051_717, 7_039_554)


def test_00_what_the_results_figure_shows():
    """The sentences under lesson 00's forest plot, against the committed studies."""
    from resizer_lib.training.stats import paired_difference
    from resizer_lib.training.studies import load_study
    from resizer_lib.viz.forest import difference_from_summary

    rows = [difference_from_summary(load_study(name)["summary"], "learned", "bilinear", name)
            for name in ("synthetic_quick", "photos_small_cnn_128to64", "photos_densenet121_300to150_gpu")]
    runs = load_study("photos_densenet121_300to150_gpu_batchnorm")["runs"]
    recal = {(r["arm"], r["seed"]): r["recalibrated"]["val"]["accuracy"] for r in runs}
    seeds = sorted(s for a, s in recal if a == "bilinear")
    d = paired_difference([recal["learned", s] for s in seeds], [recal["bilinear", s] for s in seeds])
    assert rows[0].excludes_zero and rows[0].mean > 0.3  # the mechanism, on data built for it
    assert rows[1].mean < 0  # photos at 2x: no gain for the small CNN
    assert rows[2].excludes_zero and d.low < 0 < d.high  # the DenseNet gain vanished, recalibrated
    assert len(seeds) == 3 and round(100 * d.low, 1) == -12.7 and round(100 * d.high, 1) == 8.3


# -- 03 ------------------------------------------------------------------------------------------
def test_03_lenet5_and_inception_as_the_lesson_writes_them():
    ns = _lesson_names("03_architectures", "lenet", "inception_module")
    assert ns["lenet"].count_params() == 61_706
    x_in = keras.Input((28, 28, 192))
    out = ns["inception_module"](x_in, 64, 96, 128, 16, 32, 32, name="3a")
    assert out.shape == (None, 28, 28, 256) and keras.Model(x_in, out).count_params() == 163_696


def test_03_vgg16_and_the_separable_counts():
    vgg16 = keras.applications.VGG16(weights=None, include_top=False, input_shape=(64, 64, 3))
    assert vgg16.count_params() == 14_714_688
    dense = (7 * 7 * 512 * 4096 + 4096) + (4096 * 4096 + 4096) + (4096 * 1000 + 1000)
    assert vgg16.count_params() + dense == 138_357_544  # the published VGG-16


@pytest.mark.slow
def test_03_backbone_counts_and_densenet_batchnorm_layers():
    made = {name: make(weights=None, include_top=False, input_shape=(64, 64, 3), pooling="avg")
            for name, make in (("densenet", keras.applications.DenseNet121),
                               ("mobilenet", keras.applications.MobileNetV2),
                               ("efficientnet", keras.applications.EfficientNetB0))}
    head = {n: m.count_params() + m.output.shape[-1] * 1000 + 1000 for n, m in made.items()}
    assert head == {"densenet": 8_062_504, "mobilenet": 3_538_984, "efficientnet": 5_330_571}
    # lesson 07's opening: DenseNet-121 has 121 BatchNorm layers
    assert sum(isinstance(la, keras.layers.BatchNormalization) for la in made["densenet"].layers) == 121
    assert sum(la.name.endswith("se_squeeze") for la in made["efficientnet"].layers) == 16


# -- 04, 05 --------------------------------------------------------------------------------------
def test_05_image_data_generator_is_gone():
    assert not hasattr(keras.preprocessing.image, "ImageDataGenerator")


def test_04_antialiasing_tames_period_3_stripes():
    import tensorflow as tf

    stripes = np.tile((255.0 * (np.arange(240) % 3 == 0))[None, :, None], (240, 1, 3))
    off = tf.image.resize(stripes, (60, 60), antialias=False).numpy()
    on = tf.image.resize(stripes, (60, 60), antialias=True).numpy()
    assert on.std() < 0.5 * off.std()


# -- 06, 07 --------------------------------------------------------------------------------------
def test_07_momentum_conventions():
    from resizer_lib.course.normalisation import steps_to_forget, torch_to_keras_momentum

    assert (steps_to_forget(0.99), steps_to_forget(0.9), steps_to_forget(0.999)) == (459, 44, 4603)
    assert torch_to_keras_momentum(0.1) == 0.9
    assert keras.layers.BatchNormalization().momentum == 0.99  # "Keras' default is 0.99"


def test_06_trainable_false_is_inference_mode_inside_fit_and_training_false_is_not():
    """Lesson 06: a frozen BatchNorm keeps its statistics inside fit; a base called with
    training=False inside a model still updates them (keras-team/keras issue 20285)."""
    rng = np.random.default_rng(0)
    x = rng.normal(2.0, 3.0, (32, 6, 6, 3)).astype("float32")
    y = (x.mean(axis=(1, 2, 3)) > 2.0).astype("int32")

    def wrapped(frozen: bool, call_training: bool | None):
        keras.utils.set_random_seed(0)
        base = keras.Sequential([keras.layers.Conv2D(4, 3, use_bias=False), keras.layers.BatchNormalization()])
        inputs = keras.Input((6, 6, 3))
        features = keras.layers.GlobalAveragePooling2D()(base(inputs, training=call_training))
        model = keras.Model(inputs, keras.layers.Dense(2, activation="softmax")(features))
        base.layers[1].trainable = not frozen
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        before = keras.ops.convert_to_numpy(base.layers[1].moving_mean).copy()
        model.fit(x, y, epochs=1, batch_size=16, verbose=0)
        return not np.array_equal(before, keras.ops.convert_to_numpy(base.layers[1].moving_mean))

    assert not wrapped(frozen=True, call_training=None)
    assert wrapped(frozen=False, call_training=False)
