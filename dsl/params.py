"""Parameters (`tham số`): declared values, bounds, locks, percents and overriding, checked in one place.

Every path that sets a parameter goes through `check_value`: the checker (the declared value against
its bounds), adoption (an adopting file's `đặt`), `Program.check_params` and `kpi eval --param` (values
given at run time). Each caller words the problem for its own context with `message`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from fractions import Fraction

from . import ast
from .syntax.literals import literal_or_none, literal_value
from .text import suggest

LOCKED = "locked"  # the parameter is `khóa`
WRONG_KIND = "kind"  # a value of another kind than the declared one
OUT_OF_BOUNDS = "bounds"  # outside `từ … đến …`

# how each caller words a problem: (locked, wrong kind, out of bounds)
ADOPTION = "adoption"  # an adopting file's override (E0602/E0603)
RUN = "run"  # a value given to Program.evaluate / kpi eval --param
DECLARATION = "declaration"  # the declared value itself (E0701)


def _norm(x):
    return x.numerator if type(x) is Fraction and x.denominator == 1 else x


def default_value(p: ast.Param):
    """The declared value of a parameter (an int when whole, Fraction, str, bool or date)."""
    return _norm(literal_value(p.value))


def plain(v):
    """A parameter value from a caller: Fraction/int/str/bool/date (floats through their decimal)."""
    if isinstance(v, bool | str | dt.date):
        return v
    if isinstance(v, float):
        return _norm(Fraction(repr(v)))
    return _norm(Fraction(v))


def values(params: Iterable[ast.Param], overrides: dict | None = None) -> dict[str, object]:
    """Every parameter's value: the declared ones, replaced by `overrides` (check them first)."""
    out = {p.name: default_value(p) for p in params}
    for name, v in (overrides or {}).items():
        out[name] = plain(v)
    return out


def percents(params: Iterable[ast.Param]) -> frozenset[str]:
    """Names of the parameters written as percents (`25%`): their values are shown as percents."""
    return frozenset(p.name for p in params if isinstance(p.value, ast.Num) and p.value.percent)


def kind_of(v) -> str:
    """The Vietnamese name of a value's kind: "số", "đúng/sai", "ngày", "văn bản"."""
    if isinstance(v, bool):
        return "đúng/sai"
    if isinstance(v, int | Fraction):
        return "số"
    if isinstance(v, dt.date):
        return "ngày"
    return "văn bản"


def bounds(p: ast.Param) -> tuple[object, object]:
    """(low, high) of a parameter as comparable values (None when open or not a literal)."""
    return literal_or_none(p.low), literal_or_none(p.high)


def in_bounds(p: ast.Param, value) -> bool:
    low, high = bounds(p)
    try:
        return not ((low is not None and value < low) or (high is not None and value > high))
    except TypeError:  # a bound of another kind: reported by the checker (E0701) on the declaration
        return True


def check_value(p: ast.Param, value, *, override: bool = True) -> str | None:
    """The problem of giving `value` (a plain value) to parameter `p`: LOCKED (only when
    `override`), WRONG_KIND, OUT_OF_BOUNDS, or None when it may be used."""
    if override and p.locked:
        return LOCKED
    declared = literal_or_none(p.value)
    if declared is not None and kind_of(value) != kind_of(declared):
        return WRONG_KIND
    if not in_bounds(p, value):
        return OUT_OF_BOUNDS
    return None


def bounds_text(p: ast.Param) -> str:
    """The bounds as written: "0 đến 10", "… đến 5%", "01/01/2026 đến …"."""

    def show(e: ast.Expr | None) -> str:
        if e is None:
            return "…"
        if isinstance(e, ast.Num):
            return e.text
        if isinstance(e, ast.DateLit):
            return f"{e.value:%d/%m/%Y}"
        n = literal_or_none(e)
        return str(n) if isinstance(n, Fraction) else "?"

    return f"{show(p.low)} đến {show(p.high)}"


def shown_value(p: ast.Param, value) -> str:
    """A run-time value as a user reads it (a percent parameter's value as a percent)."""
    from .engine.values import format_value  # run time only: `kpi check` stays free of numpy

    if getattr(p.value, "percent", False) and isinstance(value, int | Fraction):
        return format_value(value * 100) + "%"
    return format_value(value)


def message(
    problem: str, p: ast.Param, value=None, *, context: str = RUN, wanted: str = "", got: str = ""
) -> str:
    """The Vietnamese message of a problem of `check_value` for `context` (ADOPTION, RUN, DECLARATION).
    `wanted`/`got` describe the kinds in ADOPTION wording (the checker's type names)."""
    name = p.name
    if problem == LOCKED:
        return f'tham số "{name}" bị khóa, không được thay đổi'
    if problem == WRONG_KIND:
        if context == ADOPTION:
            return f'giá trị của "{name}" phải là {wanted}, không phải {got}'
        from .engine.values import format_value  # run time only, as above

        return f'tham số "{name}" cần giá trị {kind_of(literal_or_none(p.value))}, nhận {format_value(value)}'
    if context == ADOPTION:
        return f'giá trị của "{name}" nằm ngoài khoảng cho phép {bounds_text(p)}'
    if context == DECLARATION:
        return f'giá trị mặc định của tham số "{name}" nằm ngoài khoảng cho phép {bounds_text(p)}'
    return f'giá trị {shown_value(p, value)} của tham số "{name}" nằm ngoài khoảng cho phép {bounds_text(p)}'


def unknown(name: str, declared: Iterable[str]) -> str:
    """The message for a parameter name the ruleset does not declare (with a suggestion)."""
    hint = suggest(name, list(declared))
    return f'không có tham số "{name}"' + (f'; có phải "{hint}"?' if hint else "")


def check_overrides(params: dict[str, ast.Param], overrides: dict) -> list[str]:
    """Vietnamese messages for unknown or locked parameters and values of the wrong kind or out of
    bounds among run-time `overrides` (name → value)."""
    errors = []
    for name, raw in overrides.items():
        p = params.get(name)
        if p is None:
            errors.append(unknown(name, params))
            continue
        value = plain(raw)
        problem = check_value(p, value)
        if problem is not None:
            errors.append(message(problem, p, value))
    return errors
