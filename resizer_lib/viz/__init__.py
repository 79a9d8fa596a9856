"""The figures; every name below is importable from ``resizer_lib.viz``."""

from resizer_lib.interpolation import resize_image  # noqa: F401
from resizer_lib.viz.comparison import (  # noqa: F401
    compare_resizers,
    model_target_size,
    plot_comparison,
)
from resizer_lib.viz.curves import plot_history
from resizer_lib.viz.display import (  # noqa: F401
    clipping_warnings,
    save_figure,
    show_images,
    to_display,
    to_float,
)
from resizer_lib.viz.spectra import (  # noqa: F401
    channel_statistics,
    magnitude_spectrum,
    plot_spectra,
    plot_spectral_gain,
    spectral_gain,
)
from resizer_lib.viz.tables import markdown_table, show_table

__all__ = ["channel_statistics", "clipping_warnings", "compare_resizers", "magnitude_spectrum",
           "markdown_table", "model_target_size", "plot_comparison", "plot_history", "plot_spectra",
           "plot_spectral_gain", "save_figure", "show_images", "show_table", "spectral_gain",
           "to_display", "to_float"]
