"""``ExperimentConfig``: everything that defines a study, and the fingerprint of what changes results."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field, fields

from resizer_lib._checks import check_int, check_size
from resizer_lib.interpolation import interpolations
from resizer_lib.models.classifier import MULLER_ARM, NAMED_RESIZES, RESIZER_ARMS
from resizer_lib.models.spec import ResizerSpec

__all__ = ["ARM_CONTROLS", "RECIPES", "ExperimentConfig"]

RECIPES = ("adamw_cosine", "keras_io")
ARM_CONTROLS = ("full_res",)  # the backbone trained directly at the input resolution


@dataclass
class ExperimentConfig:
    """Everything that defines a study. Fields marked *bookkeeping* do not change results.

    Arms: ``"learned"``, ``"more_layers"`` (same blocks after a naive resize), ``"muller"``,
    ``"full_res"`` (no downsampling: the resolution control), ``"antialiased"`` (bilinear with
    antialiasing: the fair naive baseline) or any interpolation name
    (``"bilinear"``, ``"bicubic"``, ...: a fixed resize).
    """

    name: str = "experiment"  # bookkeeping: file names under out_dir
    backbone: str = "small_cnn"
    data: str = "synthetic"
    image_size: tuple[int, int] = (96, 96)
    target_size: tuple[int, int] = (48, 48)
    arms: tuple[str, ...] = ("bilinear", "learned", "more_layers")
    epochs: int = 8
    batch_size: int = 32
    recipe: str = "adamw_cosine"
    learning_rate: float | None = None  # None: the recipe's default
    seeds: tuple[int, ...] = (0, 1, 2)
    num_train: int | None = 512  # synthetic: examples generated; real data: a cap (None: all)
    num_val: int | None = 256
    data_seed: int = 0
    augment: bool = False
    filters: int = ResizerSpec.filters  # the resizer's hyper-parameters: see ResizerSpec
    num_res_blocks: int = ResizerSpec.num_res_blocks
    interpolation: str = ResizerSpec.interpolation
    bn_momentum: float = 0.9  # the studies' BatchNorm momentum (ResizerSpec, Keras: 0.99)
    mixed_precision: str | None = None  # "mixed_float16" (GPU) or "mixed_bfloat16"
    jit: bool | str = "auto"
    run_eagerly: bool = False  # no graph or jit: far quicker for tiny smoke runs, slower otherwise
    out_dir: str = "results"  # bookkeeping
    verbose: int | str = "auto"  # bookkeeping
    tensorboard: bool = False  # bookkeeping
    extra: dict = field(default_factory=dict)  # bookkeeping: free-form notes in the results

    def __post_init__(self):
        self.image_size = check_size(self.image_size, "image_size")
        self.target_size = check_size(self.target_size, "target_size")
        self.arms = tuple(self.arms)
        self.seeds = tuple(int(s) for s in self.seeds)
        if not self.arms:
            raise ValueError("arms is empty; choose from 'bilinear', 'learned', 'more_layers', 'full_res'")
        valid = (*RESIZER_ARMS, MULLER_ARM, *ARM_CONTROLS, *NAMED_RESIZES, *interpolations("layer"))
        for arm in self.arms:
            if arm not in valid:
                raise ValueError(f"Unknown arm {arm!r}; choose from {list(valid)}")
        if len(set(self.arms)) != len(self.arms):
            raise ValueError(f"arms has duplicates: {self.arms}")
        if self.recipe not in RECIPES:
            raise ValueError(f"Unknown recipe {self.recipe!r}; choose one of {list(RECIPES)}")
        for name in ("epochs", "batch_size"):
            check_int(getattr(self, name), name)
        if not self.seeds:
            raise ValueError("seeds is empty; give at least one seed (five or more for a CI)")
        if len(set(self.seeds)) != len(self.seeds):
            raise ValueError(f"seeds has duplicates: {self.seeds}")

    def resizer_spec(self) -> ResizerSpec:
        """The resizer's hyper-parameters of this study (``filters``, ``num_res_blocks``,
        ``interpolation``, ``bn_momentum``; no antialiasing)."""
        return ResizerSpec(filters=self.filters, num_res_blocks=self.num_res_blocks,
                           interpolation=self.interpolation, bn_momentum=self.bn_momentum)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["image_size"], d["target_size"] = list(self.image_size), list(self.target_size)
        d["arms"], d["seeds"] = list(self.arms), list(self.seeds)
        return d

    def fingerprint(self, data_digest: str = "") -> str:
        """Hash of the fields that change results (not name, out_dir, verbosity, seeds, arms),
        plus ``data_digest`` (see ``data_fingerprint``) so that changed data retrain too."""
        skip = {"name", "out_dir", "verbose", "tensorboard", "extra", "seeds", "arms"}
        if not self.run_eagerly:
            skip.add("run_eagerly")  # keeps the fingerprints of runs made before the field existed
        d = {k: v for k, v in self.to_dict().items() if k not in skip} | {"data": data_digest}
        return hashlib.sha256(json.dumps(d, sort_keys=True).encode()).hexdigest()[:16]

    @classmethod
    def from_dict(cls, d: dict) -> ExperimentConfig:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in names})
