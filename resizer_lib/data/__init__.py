"""The data: one front end (``load_dataset``) over the offline synthetic set, image folders and
TensorFlow Datasets' ``cats_vs_dogs``, with a ``tf.data`` and a NumPy path.

``loading`` (the front end; re-exported here, so that ``resizer_lib.data.load_dataset`` is the
public path), ``synthetic``, ``folder`` (scanning and validating image folders), ``tfds_source``,
``imaging`` (the one image decoder and the NumPy/Pillow resize), ``pipeline`` and
``file_pipeline`` (batches from arrays or files), ``sample_images`` (packaged photos).
"""

from resizer_lib.data.loading import *  # noqa: F403
from resizer_lib.data.loading import __all__  # noqa: F401
