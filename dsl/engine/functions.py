"""The exact engine's built-in functions (scalar forms), as closure factories over compiled argument
closures. Each is named by its entry in `dsl.builtins.BUILTINS` (the one declaration of a function)."""

from __future__ import annotations

from ..errors import BadValue, DivisionByZero, EmptyDate
from .values import CEILING, FLOOR, HALF_UP, NA, NotApplicableUsed, divide, norm, round_to


def _applicable(fns, e):
    return [v for v in (f(e) for f in fns) if v is not NA]


def total(fns: list):
    """tổng(a, b, …) of person-level values, skipping not-applicable ones."""
    return lambda e: norm(sum(_applicable(fns, e)))


def _of_applicable(name: str, fns: list, combine):
    def run(e):
        vals = _applicable(fns, e)
        if not vals:
            raise NotApplicableUsed(name)
        return combine(vals)

    return run


def mean(fns: list):
    return _of_applicable("trung_bình", fns, lambda vals: divide(sum(vals), len(vals)))


def largest(fns: list):
    return _of_applicable("lớn_nhất", fns, lambda vals: norm(max(vals)))


def smallest(fns: list):
    return _of_applicable("nhỏ_nhất", fns, lambda vals: norm(min(vals)))


def _ratio(fns: list, factor: int):
    x, y = fns[0], fns[1]
    v = fns[2] if len(fns) > 2 else None

    def run(e):
        den = y(e)
        if den == 0:
            if v is None:
                raise DivisionByZero("chia cho 0")
            return v(e)
        return divide(factor * x(e), den)

    return run


def percent(fns: list):
    """tỷ_lệ(x, y[, v]) = 100 × x / y (v when y = 0)."""
    return _ratio(fns, 100)


def quotient(fns: list):
    """chia(x, y[, v]) = x / y (v when y = 0)."""
    return _ratio(fns, 1)


def _rounder(mode: str, fns: list):
    x = fns[0]
    n = fns[1] if len(fns) > 1 else None

    def run(e):
        digits = n(e) if n is not None else 0
        if int(digits) != digits:
            raise BadValue("số chữ số làm tròn phải là số nguyên")
        return round_to(x(e), int(digits), mode)

    return run


def round_half_up(fns: list):
    return _rounder(HALF_UP, fns)


def round_up(fns: list):
    return _rounder(CEILING, fns)


def round_down(fns: list):
    return _rounder(FLOOR, fns)


def clamp(fns: list):
    x, lo, hi = fns
    return lambda e: norm(min(max(x(e), lo(e)), hi(e)))


def absolute(fns: list):
    (x,) = fns
    return lambda e: abs(x(e))


def days(fns: list):
    a, b = fns

    def run(e):
        d1, d2 = a(e), b(e)
        if d1 is None or d2 is None:
            raise EmptyDate("số_ngày() với ngày trống")
        return (d2 - d1).days

    return run


def has_value(fns: list):
    (x,) = fns

    def run(e):
        v = x(e)
        return not (v is None or v is NA or v == "")

    return run
