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


def _written_number(expr: ast.Expr | None) -> ast.Num | None:
    """The Num of a literal number (also `-5`), else None."""
    if isinstance(expr, ast.Unary) and expr.op == "-":
        expr = expr.operand
    return expr if isinstance(expr, ast.Num) else None


def _decimal(value: Fraction) -> str:
    """A value as a ruleset writes it: 20, 0.25 (a finite decimal; else cut at 30 decimals)."""
    whole, rest = divmod(value.numerator, value.denominator)
    if rest == 0:
        return str(whole)
    digits = ""
    for _ in range(30):
        rest *= 10
        digit, rest = divmod(rest, value.denominator)
        digits += str(digit)
        if rest == 0:
            break
    return f"{whole}.{digits.rstrip('0') or '0'}"


def percent_style_error(p: ast.Param, value: ast.Expr) -> str | None:
    """The message (E0702) when an `đặt` value (adopting file or test case) is written in the other
    style than the parameter's declared value: `đặt mức_trừ_chậm = 20` (or `0.2`) for a parameter
    declared `25%` would be 20 (or a silent 20% by luck), `đặt ngưỡng_tốt = 70%` for one declared `70`
    would be 0.7. Zero is the same number in both styles and is accepted."""
    declared, given = _written_number(p.value), _written_number(value)
    if declared is None or given is None or given.value == 0 or declared.percent == given.percent:
        return None
    sign = "-" if isinstance(value, ast.Unary) else ""
    magnitude = abs(given.value)
    if declared.percent:
        meant = magnitude if magnitude > 1 else magnitude * 100
        return (
            f'tham số "{p.name}" là tỷ lệ phần trăm (khai báo {declared.text}): '
            f"viết {sign}{_decimal(meant)}%, không viết {sign}{given.text}"
        )
    return (
        f'tham số "{p.name}" không phải tỷ lệ phần trăm (khai báo {declared.text}): '
        f"viết {sign}{_decimal(magnitude * 100)} (hoặc {sign}{_decimal(magnitude)} nếu đúng là "
        f"{sign}{given.text}), không viết {sign}{given.text}"
    )


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
