"""The machinery of the exercise checks (``exercise_checks``): print "✓ right" or a hint, compare
a number with named traps, call a learner's function safely, walk a dict answer, and the guard
that turns *any* wrong answer into a hint, never an exception and never "right"."""

from __future__ import annotations

import functools
import inspect
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

RIGHT, NOT_YET = "✓ right", "not yet"


class CheckUsageError(ValueError):
    """A check was called with wrong arguments of its own, not with a wrong answer."""


# -- the shared pieces: say, fill in, compare a number, call a function, walk a dict -------------
def is_placeholder(answer: Any) -> bool:
    """True for an answer not filled in yet: ``None`` or ``...`` (Ellipsis)."""
    return answer is None or answer is Ellipsis


def say(ok: Any, hint: str, name: str) -> bool:
    """Print ``name: ✓ right`` or ``name: not yet: hint``; return whether ``ok``."""
    print(f"{name}: {RIGHT if ok else NOT_YET + ': ' + hint}")
    return bool(ok)


def fill(name: str, what: str = "your answer (it is still a placeholder)") -> bool:
    """Print that ``what`` is still to be filled in; return ``False``."""
    print(f"{name}: fill in {what} first, then run this cell again")
    return False


def usage(ok: bool, message: str) -> None:
    """Raise ``CheckUsageError(message)`` unless ``ok``: the check itself was called wrongly."""
    if not ok:
        raise CheckUsageError(message)


def positive_int(value: object, name: str) -> int:
    """``value`` as an ``int`` >= 1, or ``CheckUsageError`` naming ``name``."""
    usage(not isinstance(value, bool) and isinstance(value, (int, np.integer)) and value >= 1,
          f"{name} must be a positive whole number; got {value!r}")
    return int(value)


def array(answer: Any) -> np.ndarray | None:
    """``answer`` as a finite float64 array, or ``None``."""
    try:
        arr = np.asarray(answer, dtype=np.float64)
    except (TypeError, ValueError):
        return None
    return arr if np.isfinite(arr).all() else None


def number(answer: Any) -> float | None:
    """``answer`` as a finite float (a number, a numeric string, a 0-d array), or ``None``."""
    arr = None if isinstance(answer, bool) else array(answer)
    return float(arr) if arr is not None and arr.ndim == 0 else None


def compare(answer: Any, expected: float, name: str, what: str = "value", rel: float = 1e-9,
            abs_tol: float = 1e-9, whole: bool = False, traps: Sequence[tuple[float, str]] = ()) -> bool:
    """Compare a number. ``traps`` pairs a known wrong value with its hint; any other wrong
    value hears "larger" or "smaller", never by how much."""
    if is_placeholder(answer):
        return fill(name)
    if (value := number(answer)) is None:
        return say(False, f"give a number; got {type(answer).__name__} {answer!r}", name)
    if whole and value != int(value):
        return say(False, f"a {what} is a whole number; got {answer!r}", name)
    near = functools.partial(math.isclose, value, abs_tol=abs_tol)
    trap = next((h for v, h in traps if near(v, rel_tol=max(rel, 1e-9))), None)
    return say(near(expected, rel_tol=rel),
               trap or f"your {what} is {'larger' if value > expected else 'smaller'} than the right one", name)


def call(fn: Any, name: str, *args: Any) -> tuple[bool, Any]:
    """``(True, fn(*args))``, or ``(False, False)`` after printing what went wrong."""
    if is_placeholder(fn) or not callable(fn):
        return False, fill(name) if is_placeholder(fn) else say(
            False, f"`{name}` must be a function; got {type(fn).__name__}", name)
    try:
        out = fn(*args)
    except Exception as err:  # a learner's function: report, do not raise
        return False, say(False, f"calling it raised {type(err).__name__}: {err}", name)
    if is_placeholder(out):
        return False, fill(name, f"the body of `{name}` (it still returns {out!r})")
    return True, out


def cases(fn: Any, name: str, cases: Sequence[tuple], tol: float = 1e-9) -> bool:
    """``fn(*args)`` must return ``expected`` for each ``(args, expected, where, traps)``; a
    result close to a trap's value gets its hint, any other wrong one "off <where>"."""
    for args, expected, where, traps in cases:
        called, out = call(fn, name, *args)
        value = number(out) if called else None
        if called and value is None:
            return say(False, f"return one number; got {out!r}", name)
        near = functools.partial(math.isclose, value, rel_tol=0, abs_tol=tol)
        if not called or not near(expected):
            return called and say(False, next((h for v, h in traps if near(v)), f"off {where}"), name)
    return say(True, "", name)


def each(answer: Any, keys: Sequence[Any], name: str, what: str,
         check_one: Callable[[Any, Any, str], bool], key_word: str = "") -> bool:
    """A dict answer ``{key: part}``: ``check_one(key, part, label)`` for every key, all printed."""
    if is_placeholder(answer) or not isinstance(answer, Mapping):
        return fill(name) if is_placeholder(answer) else say(
            False, f"give a dict {{{what}}}; got {type(answer).__name__}", name)
    return all([check_one(k, answer[k], f"{name}[{k!r}]") if k in answer
                else say(False, f"no entry for {key_word}{k!r}", name) for k in keys])


# -- the guard every public check runs through ---------------------------------------------------
def non_finite(value: Any, depth: int = 0) -> bool:
    """True when ``value`` (a number, array, tensor, or a list, tuple or dict of them) holds NaN
    or infinity. Models and functions are not looked into."""
    if depth > 4 or value is None or callable(value) or isinstance(value, (str, bytes, bool, int, np.integer)):
        return False
    if isinstance(value, Mapping):
        return any(non_finite(v, depth + 1) for v in value.values())
    try:
        arr = np.asarray(value, dtype=np.float64)
    except Exception:  # ragged, mixed or no number at all: look at the items
        return isinstance(value, (list, tuple)) and any(non_finite(v, depth + 1) for v in value)
    return bool(arr.size) and not bool(np.isfinite(arr).all())


def guard(check: Any, parts: bool = False) -> Any:
    """``check`` that turns every wrong answer into a hint: a placeholder in its first argument
    greeted with "fill in" (unless the check judges its answer in ``parts``, each with its own
    greeting), NaN or infinity refused, an exception while checking reported, not raised."""
    signature = inspect.signature(check)
    first = next(iter(signature.parameters))

    @functools.wraps(check)
    def guarded(*args: Any, **kwargs: Any) -> bool:
        try:
            bound = signature.bind(*args, **kwargs)
        except TypeError as err:
            raise CheckUsageError(f"{check.__name__}: {err}") from None
        if not parts and is_placeholder(bound.arguments[first]):
            return fill(first)
        if (bad := next((n for n, v in bound.arguments.items() if non_finite(v)), None)) is not None:
            return say(False, "it holds NaN or infinity: give finite numbers", bad)
        try:
            return check(*args, **kwargs) is True
        except CheckUsageError:
            raise
        except Exception as err:  # raised while checking the learner's answer
            message = (str(err).strip().splitlines() or [""])[0][:120]
            return say(False, f"this answer could not be checked ({type(err).__name__}"
                              f"{': ' + message if message else ''}); give what the exercise asks for", first)

    return guarded
