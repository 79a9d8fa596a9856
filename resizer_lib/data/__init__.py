"""The data: ``load_dataset`` over the offline synthetic set, image folders and TensorFlow
Datasets' ``cats_vs_dogs``, as NumPy arrays or ``tf.data`` batches.

``loading`` (the front end, re-exported here), ``synthetic``, ``folder`` (scanning and
validating image folders), ``tfds_source``, ``imaging`` (the one image decoder), ``pipeline``
(arrays and the ``tf.data`` chain, with its teaching version), ``sample_images`` (packaged photos).
"""

from resizer_lib.data.loading import *  # noqa: F403
from resizer_lib.data.loading import __all__  # noqa: F401
