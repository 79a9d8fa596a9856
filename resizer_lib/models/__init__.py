"""The models (backend-agnostic Keras 3). The classifier's names are re-exported here, lazily
(``resizer_lib.models.build_classifier`` is the public path), so ``models.spec`` stays Keras-free."""

__all__ = ["BACKBONES", "MULLER_ARM", "NAMED_RESIZES", "RESIZER_ARMS", "backbone_weights", "build_backbone",
           "build_classifier", "small_cnn"]


def __getattr__(name: str):
    if name in __all__:
        from resizer_lib.models import classifier

        return getattr(classifier, name)
    raise AttributeError(f"module 'resizer_lib.models' has no attribute {name!r}")
