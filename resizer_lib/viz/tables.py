"""Tables: rows of dicts as Markdown text, shown in a notebook."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

__all__ = ["markdown_table", "show_table"]


def _cell(value: Any, floatfmt: str) -> str:
    text = "" if value is None else str(value)
    text = format(float(value), floatfmt) if isinstance(value, (float, np.floating)) else text
    return text.replace("|", "\\|").replace("\n", " ")


def markdown_table(rows: Sequence[Mapping[str, Any]], columns: Sequence[str] | None = None,
                   floatfmt: str = ".4g") -> str:
    """A markdown table of ``rows`` (dicts); ``columns`` default to the keys in first-seen
    order; missing cells are blank; floats use ``floatfmt``."""
    if isinstance(rows, Mapping) or not isinstance(rows, Sequence) or not rows:
        raise ValueError(f"rows must be a non-empty list of dicts; got {type(rows).__name__}")
    bad = [i for i, row in enumerate(rows) if not isinstance(row, Mapping)]
    if bad:
        raise ValueError(f"rows must all be dicts; row {bad[0]} is {type(rows[bad[0]]).__name__}")
    columns = list(dict.fromkeys(key for row in rows for key in row)) if columns is None else columns
    lines = ["| " + " | ".join(_cell(c, floatfmt) for c in columns) + " |", "|" + " --- |" * len(columns)]
    return "\n".join(lines + ["| " + " | ".join(_cell(row.get(c), floatfmt) for c in columns) + " |" for row in rows])


def show_table(rows: Sequence[Mapping[str, Any]], columns: Sequence[str] | None = None, floatfmt: str = ".4g",
               show: bool = True) -> str:
    """``markdown_table(rows, columns, floatfmt)``, displayed as Markdown in IPython/Jupyter (when
    ``show``; elsewhere nothing is printed). Returns the string (end the notebook line with ``;``
    or assign it, or Jupyter also echoes it)."""
    from IPython import get_ipython
    from IPython.display import Markdown, display

    text = markdown_table(rows, columns, floatfmt)
    if show and get_ipython() is not None:
        display(Markdown(text))
    return text
