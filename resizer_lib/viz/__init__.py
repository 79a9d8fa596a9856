"""The figures; every name below is importable from ``resizer_lib.viz``."""

from resizer_lib.interpolation import resize_image
from resizer_lib.viz.comparison import compare_resizers, model_target_size, plot_comparison
from resizer_lib.viz.curves import plot_history
from resizer_lib.viz.display import clipping_warnings, show_images, to_display, to_float
from resizer_lib.viz.spectra import (
    channel_statistics,
    magnitude_spectrum,
    plot_spectra,
    plot_spectral_gain,
    spectral_gain,
)
from resizer_lib.viz.tables import markdown_table, show_table

__all__ = ["channel_statistics", "clipping_warnings", "compare_resizers", "magnitude_spectrum", "markdown_table",
           "model_target_size", "plot_comparison", "plot_history", "plot_spectra", "plot_spectral_gain", "resize_image",
           "show_images", "show_table", "spectral_gain", "to_display", "to_float"]
