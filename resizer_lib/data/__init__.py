"""The data: ``load_dataset`` (re-exported here) over the synthetic set, image folders and TFDS'
``cats_vs_dogs``, as NumPy arrays or ``tf.data`` batches."""

from resizer_lib.data.loading import *  # noqa: F403
from resizer_lib.data.loading import __all__  # noqa: F401
