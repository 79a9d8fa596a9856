"""Data augmentation as Keras preprocessing layers (no ``ImageDataGenerator``).

``build_augmentation(...)`` is a ``keras.Sequential``: ``(B, H, W, 3)`` images in ``0..255`` (any
dtype) to float32 images of the same shape and range, active only when ``training=True``. In a
``tf.data`` map use ``augment_dataset`` (or ``augment_batch``): it applies the layers one by one,
which Keras runs with TensorFlow ops on every backend (the ``Sequential`` itself: TensorFlow only).
"""

from __future__ import annotations

import keras
from keras import layers

__all__ = ["RandomShift", "RandomTurn", "RandomZoomJit", "augment_batch", "augment_dataset", "build_augmentation"]

_FLIPS = ("horizontal", "vertical", "horizontal_and_vertical")
_RANGE = (0, 255)


class _CompilesOnJax:
    """Keras marks ``RandomTranslation``, ``RandomRotation`` and ``RandomZoom`` ``supports_jit=False``,
    and one such layer makes ``compile(jit_compile="auto")`` train the *whole* model op by op: on JAX
    tens of times slower (an H200 did not finish one DenseNet-121 epoch in 7 minutes). Their ops
    compile on JAX with the same draws (tested), so on JAX these twins declare themselves jit-safe;
    on other backends they are the Keras layers."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.supports_jit = keras.backend.backend() == "jax"


@keras.saving.register_keras_serializable(package="resizer_lib")
class RandomShift(_CompilesOnJax, layers.RandomTranslation):
    """``keras.layers.RandomTranslation`` that JAX compiles: ``(B, H, W, C) -> (B, H, W, C)``."""


@keras.saving.register_keras_serializable(package="resizer_lib")
class RandomTurn(_CompilesOnJax, layers.RandomRotation):
    """``keras.layers.RandomRotation`` that JAX compiles: ``(B, H, W, C) -> (B, H, W, C)``."""


@keras.saving.register_keras_serializable(package="resizer_lib")
class RandomZoomJit(_CompilesOnJax, layers.RandomZoom):
    """``keras.layers.RandomZoom`` that JAX compiles: ``(B, H, W, C) -> (B, H, W, C)``."""


def build_augmentation(flip: bool | str = True, rotation: float | None = 0.05, crop: float | None = None,
                       brightness: float | None = None, contrast: float | None = None, hue: float | None = None,
                       seed: int = 0, name: str = "augmentation") -> keras.Sequential:
    """Random augmentation ``(B, H, W, 3) -> (B, H, W, 3)`` for images in ``0..255``.

    Args:
        flip: ``True``/``"horizontal"``, ``"vertical"``, ``"horizontal_and_vertical"``, or
            ``False`` for none.
        rotation: maximum rotation as a fraction of a full turn (0.05 = 18 degrees).
        crop: random crop of up to this fraction of each side, resized back to ``(H, W)``
            (a zoom-in plus a shift), in ``[0, 1)``.
        brightness: maximum brightness shift as a fraction of 255, in ``[0, 1]``.
        contrast: maximum contrast change factor, in ``[0, 1]``.
        hue: maximum hue rotation as a fraction of the colour wheel, in ``[0, 1]``.
        seed: makes the random draws reproducible; each layer gets its own seed from it.

    ``None`` (or ``0``) leaves an effect out; with everything off the model is the identity.
    """
    if flip and flip not in (True, *_FLIPS):
        raise ValueError(f"flip must be True, False, or one of {list(_FLIPS)}; got {flip!r}")
    seeds = iter(range(seed, seed + 100))
    steps: list[layers.Layer] = [layers.Identity(name="identity")]  # keeps an empty model valid
    if flip:
        steps.append(layers.RandomFlip(flip if flip in _FLIPS else "horizontal", seed=next(seeds), name="flip"))
    if _check_fraction(rotation, "rotation", upper=0.5):
        steps.append(RandomTurn(rotation, fill_mode="reflect", seed=next(seeds), name="rotate"))
    if _check_fraction(crop, "crop", upper=1.0, closed=False):  # zoom in by up to crop, then shift
        steps.append(RandomZoomJit((-crop, 0.0), fill_mode="reflect", seed=next(seeds), name="crop_zoom"))
        steps.append(RandomShift(crop / 2, crop / 2, fill_mode="reflect", seed=next(seeds), name="crop_shift"))
    if _check_fraction(brightness, "brightness", upper=1.0):
        steps.append(layers.RandomBrightness(brightness, value_range=_RANGE, seed=next(seeds), name="brightness"))
    if _check_fraction(contrast, "contrast", upper=1.0):
        steps.append(layers.RandomContrast(contrast, value_range=_RANGE, seed=next(seeds), name="contrast"))
    if _check_fraction(hue, "hue", upper=1.0):
        steps.append(layers.RandomHue(hue, value_range=_RANGE, seed=next(seeds), name="hue"))
    return keras.Sequential(steps, name=name)


def augment_batch(augmentation: keras.Sequential, images, training: bool = True):
    """Apply ``augmentation`` layer by layer: ``(B, H, W, 3) -> float32 (B, H, W, 3)``, eagerly or in a
    ``tf.data`` map on any Keras backend."""
    for layer in augmentation.layers:
        if not isinstance(layer, layers.Identity):
            images = layer(images, training=training)
    return images


def augment_dataset(dataset, augmentation: keras.Sequential):
    """Map a ``tf.data.Dataset`` of ``(images (B, H, W, 3), labels)`` through ``augmentation``.

    Augment after ``cache()`` (as ``load_dataset`` pipelines are) so each epoch draws anew.
    """
    import tensorflow as tf

    def step(images, labels):
        return augment_batch(augmentation, tf.cast(images, tf.float32), training=True), labels

    return dataset.map(step, num_parallel_calls=tf.data.AUTOTUNE)


def _check_fraction(value: object, name: str, upper: float, closed: bool = True) -> bool:
    """``False`` for ``None``/0; ``True`` for a number in ``(0, upper]``; else ``ValueError``."""
    if value is None:
        return False
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= upper \
            or (value == upper and not closed):
        raise ValueError(f"{name} must be None or a number in [0, {upper}{']' if closed else ')'}; got {value!r}")
    return value > 0
