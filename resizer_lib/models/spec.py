"""``ResizerSpec``: the learnable resizer's hyper-parameters, declared and checked once (Keras-free
at import, so the command line takes its defaults without TensorFlow)."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from resizer_lib._checks import check_int
from resizer_lib.interpolation import check_interpolation

__all__ = ["ResizerSpec", "resolve_spec"]


@dataclass(frozen=True)
class ResizerSpec:
    """The learnable resizer's hyper-parameters (``LearnableResizer``, ``build_classifier``,
    ``ExperimentConfig`` and the lab's command line all take them from here).

    Args:
        filters: width ``F`` of the internal feature maps (>= 1).
        num_res_blocks: number of chained residual blocks at the target size (>= 1).
        interpolation: resize mode of the naive path and the bottleneck, with a gradient on the
            active backend (``interpolations("training")``).
        antialias: antialias the two resizes when downsampling (off in the paper).
        bn_momentum: momentum of the BatchNorm moving statistics (Keras default 0.99; the
            course's studies use 0.9, which lets them settle within a short CPU run).
        zero_init: start the last convolution (kernel and bias) at zero: the output is exactly
            the naive resize until the first step, yet that convolution's gradient is not zero.
            So it enters a model trained with the naive resize without changing its predictions
            (as zero-initialised residual branches, ReZero or ControlNet's zero convolutions).
    """

    filters: int = 16
    num_res_blocks: int = 1
    interpolation: str = "bilinear"
    antialias: bool = False
    bn_momentum: float = 0.99
    zero_init: bool = False

    def __post_init__(self):
        object.__setattr__(self, "filters", check_int(self.filters, "filters"))
        object.__setattr__(self, "num_res_blocks", check_int(self.num_res_blocks, "num_res_blocks"))
        object.__setattr__(self, "interpolation", check_interpolation(self.interpolation, "training"))
        object.__setattr__(self, "antialias", bool(self.antialias))
        m = self.bn_momentum
        if isinstance(m, bool) or not isinstance(m, (int, float)) or not 0.0 <= float(m) < 1.0:
            raise ValueError(f"bn_momentum must be a number in [0, 1); got {self.bn_momentum!r}")
        object.__setattr__(self, "bn_momentum", float(self.bn_momentum))
        if not isinstance(self.zero_init, bool):
            raise ValueError(f"zero_init must be True or False; got {self.zero_init!r}")

    def to_dict(self) -> dict:
        """The fields as keyword arguments (``LearnableResizer(target, **spec.to_dict())``)."""
        return asdict(self)


def resolve_spec(spec: ResizerSpec | None, fields: dict) -> ResizerSpec:
    """``spec``, or a ``ResizerSpec`` of ``fields``; a clear error for unknown or doubled ones."""
    known = set(ResizerSpec.__dataclass_fields__)
    unknown = sorted(set(fields) - known)
    if unknown:
        raise TypeError(f"unknown resizer setting(s) {unknown}; the settings are {sorted(known)}")
    if spec is not None and fields:
        raise TypeError(f"give either spec= or the settings {sorted(fields)}, not both")
    if spec is not None and not isinstance(spec, ResizerSpec):
        raise TypeError(f"spec must be a ResizerSpec; got {type(spec).__name__}")
    return spec or ResizerSpec(**fields)
