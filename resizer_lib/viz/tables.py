"""Tables: Markdown text and the same rows shown as a matplotlib table."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

__all__ = ["markdown_table", "show_table"]

# -- tables ------------------------------------------------------------------------------------
def _cell(value: Any, floatfmt: str) -> str:
    if isinstance(value, (float, np.floating)):
        text = format(float(value), floatfmt)
    else:
        text = "" if value is None else str(value)
    return text.replace("|", "\\|").replace("\n", " ")


def markdown_table(
    rows: Sequence[Mapping[str, Any]], columns: Sequence[str] | None = None, floatfmt: str = ".4g"
) -> str:
    """A markdown table of ``rows`` (dicts); ``columns`` default to the keys in first-seen
    order; missing cells are blank; floats use ``floatfmt``."""
    if isinstance(rows, Mapping) or not isinstance(rows, Sequence) or not rows:
        raise ValueError(f"rows must be a non-empty list of dicts; got {type(rows).__name__}")
    bad = [i for i, row in enumerate(rows) if not isinstance(row, Mapping)]
    if bad:
        raise ValueError(f"rows must all be dicts; row {bad[0]} is {type(rows[bad[0]]).__name__}")
    if columns is None:
        columns = list(dict.fromkeys(key for row in rows for key in row))
    lines = [
        "| " + " | ".join(_cell(c, floatfmt) for c in columns) + " |",
        "|" + "|".join(" --- " for _ in columns) + "|",
    ]
    for row in rows:
        lines.append("| " + " | ".join(_cell(row.get(c), floatfmt) for c in columns) + " |")
    return "\n".join(lines)


def show_table(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[str] | None = None,
    floatfmt: str = ".4g",
    show: bool = True,
) -> str:
    """Render ``rows`` (a list of dicts) as a table: in IPython/Jupyter it is displayed as
    Markdown (when ``show``); elsewhere nothing is printed. Returns the markdown string (end the
    notebook line with ``;`` or assign it, or Jupyter also echoes the string)."""
    text = markdown_table(rows, columns, floatfmt)
    if show:
        try:
            from IPython import get_ipython
            from IPython.display import Markdown, display
        except ImportError:  # pragma: no cover - IPython is a dependency of ipywidgets
            return text
        if get_ipython() is not None:
            display(Markdown(text))
    return text
