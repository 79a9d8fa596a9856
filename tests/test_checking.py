"""``resizer_lib.course.checking``: the machinery behind every exercise check."""

from __future__ import annotations

import numpy as np
import pytest

from resizer_lib.course import checking as ck


def test_compare_names_a_trap_and_otherwise_says_only_larger_or_smaller(capsys):
    assert ck.compare(12, 12, "count") is True
    assert ck.compare(10, 12, "count", "count", traps=[(10, "that is the trainable count")]) is False
    assert ck.compare(13, 12, "count", "count") is False
    out = capsys.readouterr().out
    assert "trainable" in out and "larger" in out and "12" not in out.replace("count: ", "")


def test_cases_and_each_report_the_first_wrong_part(capsys):
    cases = [((1.0,), 2.0, "at 1", [(-2.0, "the sign is off")])]
    assert ck.cases(lambda x: 2 * x, "double", cases) is True
    assert ck.cases(lambda x: -2 * x, "double", cases) is False
    assert ck.each({"a": 1}, ["a", "b"], "d", "key: value", lambda k, v, label: ck.say(True, "", label)) is False
    out = capsys.readouterr().out
    assert "sign" in out and "no entry for 'b'" in out


def test_the_guard_greets_placeholders_refuses_nan_and_reports_exceptions(capsys):
    def check(answer, factor=1):
        ck.usage(factor > 0, "factor must be positive")
        return ck.say(np.asarray(answer).sum() == 3, "not three", "answer")

    guarded = ck.guard(check)
    assert guarded(None) is False and "fill in" in capsys.readouterr().out
    assert guarded([1.0, float("nan")]) is False and "NaN" in capsys.readouterr().out
    assert guarded("three") is False and "could not be checked" in capsys.readouterr().out
    assert guarded([1, 2]) is True
    with pytest.raises(ck.CheckUsageError):
        guarded([1, 2], factor=0)
