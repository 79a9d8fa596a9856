"""``resizer_lib.viz.tables``: Markdown and matplotlib tables."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import keras  # noqa: E402
import pytest  # noqa: E402

from resizer_lib import viz  # noqa: E402

pytestmark = pytest.mark.multibackend
IS_TF = keras.backend.backend() == "tensorflow"



# -- tables ------------------------------------------------------------------------------------
def test_markdown_table_and_show_table(capsys):
    rows = [{"arm": "learned", "accuracy": 0.876543, "params": 12163}, {"arm": "a|b", "loss": 0.5}]
    text = viz.show_table(rows)
    assert capsys.readouterr().out == ""  # outside IPython nothing is printed
    assert text.splitlines() == [
        "| arm | accuracy | params | loss |",
        "| --- | --- | --- | --- |",
        "| learned | 0.8765 | 12163 |  |",
        "| a\\|b |  |  | 0.5 |",
    ]
    assert viz.markdown_table(rows, columns=["loss"], floatfmt=".2f").splitlines()[-1] == "| 0.50 |"


@pytest.mark.parametrize("rows", [[], {"a": 1}, [{"a": 1}, 3], "abc"])
def test_markdown_table_errors(rows):
    with pytest.raises(ValueError, match="rows"):
        viz.markdown_table(rows)
