"""``ExperimentConfig``: everything that defines a study, and the fingerprint of what changes results."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field, fields

from resizer_lib._checks import check_int, check_size
from resizer_lib.interpolation import interpolations
from resizer_lib.models.classifier import MULLER_ARM, NAMED_RESIZES, RESIZER_ARMS
from resizer_lib.models.spec import ResizerSpec

__all__ = ["RECIPES", "SHIFTS", "ExperimentConfig"]

RECIPES = ("adamw_cosine", "keras_io")
# the augmentation's translations: "bilinear" interpolates fractional shifts (filtering each axis with
# [1 - d, d] halves, on average, the contrast at 0.5 cycles/pixel); "whole" moves by whole pixels
SHIFTS = ("bilinear", "whole")


@dataclass
class ExperimentConfig:
    """Everything that defines a study. Fields marked *bookkeeping* do not change results.

    Arms: ``"learned"``, ``"more_layers"`` (same blocks after a naive resize), ``"muller"``, ``"full_res"``
    (no downsampling: the resolution control), ``"antialiased"`` (bilinear with antialiasing: the fair
    naive baseline) or any interpolation name (``"bilinear"``, ``"bicubic"``, ...: a fixed resize).
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
    shift: str = "bilinear"  # with augment: "whole" (whole-pixel translations) or "bilinear"; see SHIFTS
    filters: int = ResizerSpec.filters  # the resizer's hyper-parameters: see ResizerSpec
    num_res_blocks: int = ResizerSpec.num_res_blocks
    interpolation: str = ResizerSpec.interpolation
    bn_momentum: float = 0.9  # the studies' BatchNorm momentum (ResizerSpec, Keras: 0.99)
    zero_init: bool = False  # the resizer's last convolution starts at zero (ResizerSpec)
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
        self.arms, self.seeds = tuple(self.arms), tuple(int(s) for s in self.seeds)
        if not self.arms:
            raise ValueError("arms is empty; choose from 'bilinear', 'learned', 'more_layers', 'full_res'")
        valid = (*RESIZER_ARMS, MULLER_ARM, "full_res", *NAMED_RESIZES, *interpolations("layer"))
        for arm in self.arms:
            if arm not in valid:
                raise ValueError(f"Unknown arm {arm!r}; choose from {list(valid)}")
        if len(set(self.arms)) != len(self.arms):
            raise ValueError(f"arms has duplicates: {self.arms}")
        if self.shift not in SHIFTS:
            raise ValueError(f"Unknown shift {self.shift!r}; choose one of {list(SHIFTS)}")
        if not isinstance(self.zero_init, bool):
            raise ValueError(f"zero_init must be True or False; got {self.zero_init!r}")
        if self.recipe not in RECIPES:
            raise ValueError(f"Unknown recipe {self.recipe!r}; choose one of {list(RECIPES)}")
        check_int(self.epochs, "epochs")
        check_int(self.batch_size, "batch_size")
        if not self.seeds:
            raise ValueError("seeds is empty; give at least one seed (five or more for a CI)")
        if len(set(self.seeds)) != len(self.seeds):
            raise ValueError(f"seeds has duplicates: {self.seeds}")

    def resizer_spec(self) -> ResizerSpec:
        """The resizer's hyper-parameters of this study (no antialiasing)."""
        return ResizerSpec(filters=self.filters, num_res_blocks=self.num_res_blocks, interpolation=self.interpolation,
                           bn_momentum=self.bn_momentum, zero_init=self.zero_init)

    def to_dict(self) -> dict:
        """The fields as JSON values (tuples as lists), in declaration order."""
        return asdict(self) | {"image_size": list(self.image_size), "target_size": list(self.target_size),
                               "arms": list(self.arms), "seeds": list(self.seeds)}

    def fingerprint(self, data_digest: str = "") -> str:
        """Hash of the fields that change results (not name, out_dir, verbosity, seeds, arms),
        plus ``data_digest`` (see ``data_fingerprint``) so that changed data retrain too."""
        skip = {"name", "out_dir", "verbose", "tensorboard", "extra", "seeds", "arms"}
        # fields added later enter only when they differ from the behaviour before they existed,
        # so the runs recorded before keep their fingerprint (they are reused, not retrained)
        if not self.run_eagerly:
            skip.add("run_eagerly")
        if not self.zero_init:
            skip.add("zero_init")
        if self.shift == "bilinear" or not self.augment:
            skip.add("shift")
        d = {k: v for k, v in self.to_dict().items() if k not in skip} | {"data": data_digest}
        return hashlib.sha256(json.dumps(d, sort_keys=True).encode()).hexdigest()[:16]

    @classmethod
    def from_dict(cls, d: dict) -> ExperimentConfig:
        """The config of ``to_dict``'s output (keys it does not know are ignored)."""
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in names})
