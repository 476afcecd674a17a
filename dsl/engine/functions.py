"""Scalar built-in functions as closure factories: each takes compiled argument closures."""

from __future__ import annotations

from ..errors import BadValue, DivisionByZero, EmptyDate
from .values import CEILING, FLOOR, HALF_UP, NA, NotApplicableUsed, divide, norm, round_to


def _applicable(fns, e):
    return [v for v in (f(e) for f in fns) if v is not NA]


def multi(func: str, fns: list):
    """tổng/trung_bình/lớn_nhất/nhỏ_nhất of several person-level values, skipping not-applicable ones."""
    if func == "tổng":
        return lambda e: norm(sum(_applicable(fns, e)))

    def run(e):
        vals = _applicable(fns, e)
        if not vals:
            raise NotApplicableUsed(func)
        if func == "trung_bình":
            return divide(sum(vals), len(vals))
        return norm(max(vals) if func == "lớn_nhất" else min(vals))

    return run


def ratio(fns: list, factor: int):
    """tỷ_lệ(x, y[, v]) (factor 100) and chia(x, y[, v]) (factor 1)."""
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


def _rounder(mode: str, fns: list):
    x = fns[0]
    n = fns[1] if len(fns) > 1 else None

    def run(e):
        digits = n(e) if n is not None else 0
        if int(digits) != digits:
            raise BadValue("số chữ số làm tròn phải là số nguyên")
        return round_to(x(e), int(digits), mode)

    return run


def _clamp(fns):
    x, lo, hi = fns

    def run(e):
        return norm(min(max(x(e), lo(e)), hi(e)))

    return run


def _days(fns):
    a, b = fns

    def run(e):
        d1, d2 = a(e), b(e)
        if d1 is None or d2 is None:
            raise EmptyDate("số_ngày() với ngày trống")
        return (d2 - d1).days

    return run


def _has_value(fns):
    (x,) = fns

    def run(e):
        v = x(e)
        return not (v is None or v is NA or v == "")

    return run


def scalar(func: str, fns: list):
    """The closure of a scalar call, or None when `func` is unknown."""
    if func == "tỷ_lệ":
        return ratio(fns, 100)
    if func == "chia":
        return ratio(fns, 1)
    if func == "làm_tròn":
        return _rounder(HALF_UP, fns)
    if func == "làm_tròn_lên":
        return _rounder(CEILING, fns)
    if func == "làm_tròn_xuống":
        return _rounder(FLOOR, fns)
    if func == "giới_hạn":
        return _clamp(fns)
    if func == "trị_tuyệt_đối":
        (x,) = fns
        return lambda e: abs(x(e))
    if func == "có_giá_trị":
        return _has_value(fns)
    if func == "số_ngày":
        return _days(fns)
    return None
