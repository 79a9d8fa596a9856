"""Classifier builder: ``uint8 image -> Rescaling(1/255) -> resizer -> backbone -> class probabilities``.

Every arm of a comparison is built by the same function, so all arms get the same input
(``(B, H, W, 3)`` in ``0..255``) and the same scaling; only the resizer differs. With the same
``seed`` every arm starts from the same backbone weights: the backbone is built first, right
after ``keras.utils.set_random_seed(seed)``, so its weights do not depend on the arm.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import keras
from keras import layers

from resizer_lib._checks import check_size
from resizer_lib.interpolation import interpolations
from resizer_lib.models.convmixer import build_convmixer
from resizer_lib.models.muller import MullerResizer
from resizer_lib.models.resizer import FixedResize, LearnableResizer
from resizer_lib.models.spec import ResizerSpec, resolve_spec

__all__ = ["BACKBONES", "MULLER_ARM", "NAMED_RESIZES", "RESIZER_ARMS", "backbone_weights", "build_backbone",
           "build_classifier", "small_cnn"]

RESIZER_ARMS = ("learned", "more_layers")
# fixed resizes under a name of their own: a fair naive baseline beside the paper's
# non-antialiased bilinear (which aliases beyond 2x)
NAMED_RESIZES = {"antialiased": ("bilinear", True)}
MULLER_ARM = "muller"  # MULLER (Tu et al., 2023): a plain resize plus learned Laplacian details


def small_cnn(input_shape: Sequence[int], num_classes: int, widths: Sequence[int] = (32, 64, 128, 256),
              name: str = "small_cnn") -> keras.Model:
    """A 4-stage CNN, fast enough for CPU tests: ``(B, h, w, 3) -> (B, num_classes)``.

    Each stage: Conv3x3 -> BN -> ReLU -> MaxPool 2x2; then global average pooling, dropout
    0.2 and a softmax ``Dense``. Input in ``[0, 1]``. BatchNorm momentum is 0.9 (Keras: 0.99)
    so that its moving statistics settle within the short runs a CPU allows.
    """
    inputs = keras.Input(shape=tuple(input_shape), name="pixels")
    x = inputs
    for i, width in enumerate(widths):
        x = layers.Conv2D(width, 3, padding="same", use_bias=False, name=f"s{i}_conv")(x)
        x = layers.BatchNormalization(momentum=0.9, name=f"s{i}_bn")(x)
        x = layers.ReLU(name=f"s{i}_relu")(x)
        x = layers.MaxPooling2D(2, padding="same", name=f"s{i}_pool")(x)
    x = layers.Dropout(0.2, name="dropout")(layers.GlobalAveragePooling2D(name="gap")(x))
    return keras.Model(inputs, layers.Dense(num_classes, activation="softmax", name="predictions")(x), name=name)


def _imagenet_preprocessing(mode: str) -> layers.Layer:
    """Map ``[0, 1]`` inputs to what ImageNet weights expect (``torch``: mean/std; ``tf``: [-1, 1])."""
    if mode == "torch":
        return layers.Normalization(mean=[0.485, 0.456, 0.406], variance=[0.229**2, 0.224**2, 0.225**2],
                                    name="imagenet_norm")
    if mode == "tf":
        return layers.Rescaling(2.0, offset=-1.0, name="to_minus1_1")
    if mode == "caffe":  # BGR, mean-subtracted, 0..255
        return layers.Lambda(lambda x: keras.ops.flip(x, axis=-1) * 255.0 - keras.ops.array([103.939, 116.779, 123.68]),
                             name="caffe_preprocess")
    return layers.Identity(name="raw_0_255")  # efficientnet rescales internally


def _efficientnet_b0(weights=None, input_shape=None, classes=1000, include_top=True):
    """EfficientNet rescales 0..255 inputs itself; ours are in 0..1, so scale them back first."""
    top = {"classes": classes} if include_top else {}
    model = keras.applications.EfficientNetB0(weights=weights, input_shape=input_shape, include_top=include_top, **top)
    inputs = keras.Input(shape=input_shape)
    return keras.Model(inputs, model(layers.Rescaling(255.0)(inputs)), name="efficientnetb0")


def _small(widths=(32, 64, 128, 256), name="small_cnn") -> Callable:
    return lambda input_shape, num_classes: small_cnn(input_shape, num_classes, widths, name=name)


_OWN = {  # the course's backbones, trained from scratch only
    "small_cnn": _small(),
    # one more stage (a fifth, 256 wide): at 128 px its receptive field (94 px, 73%) covers
    # the image as small_cnn's (46 px, 72%) covers 64 px: the headroom control of full_res
    "small_cnn5": _small((32, 64, 128, 256, 256), "small_cnn5"),
    "tiny_cnn": _small((8, 16), "tiny_cnn"),  # two narrow stages: tests and smoke, where only the code path matters
    "convmixer": build_convmixer,
}
_APPLICATIONS = {
    "densenet121": ("DenseNet121", "torch"), "resnet50": ("ResNet50", "caffe"),
    "mobilenetv2": ("MobileNetV2", "tf"), "efficientnetb0": (_efficientnet_b0, "none"),
}
BACKBONES: tuple[str, ...] = (*_OWN, *_APPLICATIONS)


def build_backbone(backbone: str | keras.Model, target_size: Sequence[int], num_classes: int,
                   weights: str | None = None) -> keras.Model:
    """Build the backbone for ``(B, h, w, 3)`` inputs in ``[0, 1]``; a ``keras.Model`` is used as is."""
    if isinstance(backbone, keras.Model):
        return backbone
    if not isinstance(backbone, str):
        raise ValueError(f"backbone must be a name or a keras.Model; got {backbone!r}")
    if backbone not in BACKBONES:
        raise ValueError(f"Unknown backbone {backbone!r}; choose one of {sorted(BACKBONES)} or pass a keras.Model")
    if backbone in _OWN:
        if weights is not None:
            raise ValueError(f"weights={weights!r} is not available for backbone {backbone!r}; use weights=None")
        return _OWN[backbone]((*target_size, 3), num_classes)
    return _application(backbone, (*target_size, 3), num_classes, weights)


def _application(backbone: str, input_shape: tuple, num_classes: int, weights: str | None) -> keras.Model:
    """A ``keras.applications`` network; pretrained weights get their ImageNet preprocessing and a new head."""
    factory, mode = _APPLICATIONS[backbone]
    factory = getattr(keras.applications, factory) if isinstance(factory, str) else factory
    if weights is None:
        return factory(weights=None, input_shape=input_shape, classes=num_classes)
    base = factory(weights=weights, include_top=False, input_shape=input_shape)
    inputs = keras.Input(shape=input_shape)
    x = layers.GlobalAveragePooling2D()(base(_imagenet_preprocessing(mode)(inputs)))
    outputs = layers.Dense(num_classes, activation="softmax", name="predictions")(x)
    return keras.Model(inputs, outputs, name=f"{base.name}_pretrained")


def build_classifier(backbone: str | keras.Model = "densenet121", input_size: int | Sequence[int] | None = (300, 300),
                     target_size: int | Sequence[int] = (150, 150), resizer: str | None = "learned",
                     num_classes: int = 2, weights: str | None = None, seed: int | None = None,
                     name: str | None = None, spec: ResizerSpec | None = None, **spec_fields) -> keras.Model:
    """Build ``(B, H, W, 3) in 0..255 -> (B, num_classes)`` softmax probabilities.

    Args:
        backbone: a name in ``BACKBONES`` or a ``keras.Model`` taking ``(h, w, 3)`` in ``[0, 1]``.
        input_size: ``(H, W)``; ``None`` accepts any size (only with a resizing arm).
        target_size: ``(h, w)``, the backbone's input size.
        resizer: ``"learned"``, ``"more_layers"`` (the same blocks after a naive resize: the capacity
            control), ``"muller"``, an interpolation name (no antialiasing, as in the paper),
            ``"antialiased"`` (bilinear with antialiasing), or ``None`` (input already at target size).
        num_classes: number of output classes (>= 2).
        weights: ``None`` (random init) or ``"imagenet"`` (needs a network the first time).
        seed: seeds the backbone's (then the resizer's) initial weights; the same seed gives
            the same backbone weights in every arm.
        spec: the learnable resizer's hyper-parameters (``ResizerSpec``) or its fields as keywords
            (``filters=``, ``num_res_blocks=``, ...), for the ``learned`` and ``more_layers`` arms.
    """
    spec = resolve_spec(spec, spec_fields)
    target = check_size(target_size, "target_size")
    size = None if input_size is None else check_size(input_size, "input_size")
    if not isinstance(num_classes, int) or isinstance(num_classes, bool) or num_classes < 2:
        raise ValueError(f"num_classes must be an integer >= 2; got {num_classes!r}")
    if resizer is None and size != target:
        raise ValueError(f"resizer=None needs input_size == target_size; got input_size={size} and "
                         f"target_size={target}. Pass resizer='bilinear' (or 'learned') to resize.")
    if seed is not None:
        keras.utils.set_random_seed(seed)
    net = build_backbone(backbone, target, num_classes, weights)  # first: independent of the arm
    if seed is not None:
        keras.utils.set_random_seed(seed + 1)
    inputs = keras.Input(shape=(*(size or (None, None)), 3), name="image")
    x = layers.Rescaling(1.0 / 255, name="rescale")(inputs)
    outputs = net(_resizing_layer(resizer, target, spec)(x))
    return keras.Model(inputs, outputs, name=name or f"{net.name}_{'none' if resizer is None else resizer}")


def _resizing_layer(resizer, target, spec: ResizerSpec) -> layers.Layer:
    if resizer is None:
        return layers.Identity(name="no_resize")
    if resizer in RESIZER_ARMS:
        return LearnableResizer(target, resize_first=resizer == "more_layers", name="resizer", **spec.to_dict())
    if resizer == MULLER_ARM:  # two scalars per layer, no BatchNorm; starts as the plain resize
        return MullerResizer(target, interpolation=spec.interpolation, name="muller")
    if resizer in NAMED_RESIZES:
        mode, antialias = NAMED_RESIZES[resizer]
        return FixedResize(target, interpolation=mode, antialias=antialias, name=f"resize_{resizer}")
    if resizer in interpolations("layer"):
        return FixedResize(target, interpolation=resizer, name=f"resize_{resizer}")
    raise ValueError(f"Unknown resizer {resizer!r}; use 'learned', 'more_layers', 'muller', 'antialiased', None, "
                     f"or an interpolation name: {list(interpolations('layer'))}")


def backbone_weights(model: keras.Model) -> list:
    """The backbone's weights (NumPy arrays) of a classifier built by ``build_classifier``."""
    inner = [layer for layer in model.layers if isinstance(layer, keras.Model)]
    if len(inner) != 1:
        raise ValueError(f"{model.name} does not hold exactly one backbone model (found {len(inner)})")
    return inner[0].get_weights()
