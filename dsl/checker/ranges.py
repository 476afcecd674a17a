"""Closed ranges of numbers with exact ends (Fraction, None for an infinite end) and their arithmetic,
for the value-range analysis (dsl/checker/valueranges.py). Every operation over-approximates: the
range of a result contains every value the operation can give on values in the operand ranges.

An end whose numerator or denominator grows past `MAX_DIGITS` digits becomes infinite, so the analysis
stays cheap whatever the formulas (repeated squaring included)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from .. import ast
from ..fields import FieldSpec
from .types import literal_number

MAX_DIGITS = 60
_LIMIT = 10**MAX_DIGITS


def _tame(x: Fraction | None) -> Fraction | None:
    if x is None or (abs(x.numerator) < _LIMIT and x.denominator < _LIMIT):
        return x
    return None


@dataclass(frozen=True, slots=True)
class Range:
    lo: Fraction | None = None  # None: -infinity
    hi: Fraction | None = None  # None: +infinity

    @staticmethod
    def point(x) -> Range:
        x = Fraction(x)
        return Range(x, x)

    @staticmethod
    def of(lo, hi) -> Range:
        return Range(None if lo is None else Fraction(lo), None if hi is None else Fraction(hi))

    def __post_init__(self) -> None:
        object.__setattr__(self, "lo", _tame(self.lo))
        object.__setattr__(self, "hi", _tame(self.hi))

    @property
    def bounded(self) -> bool:
        return self.lo is not None and self.hi is not None

    def nonneg(self) -> bool:
        return self.lo is not None and self.lo >= 0

    def contains_zero(self) -> bool:
        return (self.lo is None or self.lo <= 0) and (self.hi is None or self.hi >= 0)

    def within(self, other: Range) -> bool:
        low_ok = other.lo is None or (self.lo is not None and self.lo >= other.lo)
        high_ok = other.hi is None or (self.hi is not None and self.hi <= other.hi)
        return low_ok and high_ok

    def meet(self, other: Range) -> Range | None:
        """The intersection, or None when empty."""
        lo = other.lo if self.lo is None else (self.lo if other.lo is None else max(self.lo, other.lo))
        hi = other.hi if self.hi is None else (self.hi if other.hi is None else min(self.hi, other.hi))
        if lo is not None and hi is not None and lo > hi:
            return None
        return Range(lo, hi)


EVERYTHING = Range()
ZERO = Range.point(0)
DEFAULT_SCALE = Range.of(0, 100)  # `thang điểm` when not declared: scores out of 100 (NĐ 335/2025)


def declared_range(node) -> Range:
    """The range a field or input declares (`số từ A đến B`, or the standard catalog's low/high)."""
    if isinstance(node, FieldSpec):
        if node.kind != "số":
            return EVERYTHING
        return Range.of(
            None if node.low is None else Fraction(node.low),
            None if node.high is None else Fraction(node.high),
        )
    spec = getattr(node, "type", None)
    if isinstance(spec, ast.TypeSpec) and spec.kind == "số":
        return Range(literal_number(spec.low), literal_number(spec.high))
    return EVERYTHING


def hull(*ranges: Range) -> Range:
    los = [r.lo for r in ranges]
    his = [r.hi for r in ranges]
    lo = None if any(x is None for x in los) else min(los)
    hi = None if any(x is None for x in his) else max(his)
    return Range(lo, hi)


def add(a: Range, b: Range) -> Range:
    lo = None if a.lo is None or b.lo is None else a.lo + b.lo
    hi = None if a.hi is None or b.hi is None else a.hi + b.hi
    return Range(lo, hi)


def neg(a: Range) -> Range:
    return Range(None if a.hi is None else -a.hi, None if a.lo is None else -a.lo)


def sub(a: Range, b: Range) -> Range:
    return add(a, neg(b))


# products of ends: an infinite end times 0 is 0 (the other factor is a finite value at that end)
_INF = object()


def _end_product(x, y):
    """x, y: Fraction, +_INF or -_INF (as ("+", _INF)/("-", _INF)); returns the same encoding."""
    if isinstance(x, Fraction) and isinstance(y, Fraction):
        return x * y
    if isinstance(x, Fraction) and x == 0 or isinstance(y, Fraction) and y == 0:
        return Fraction(0)
    sign = _sign(x) * _sign(y)
    return ("+", _INF) if sign > 0 else ("-", _INF)


def _sign(x) -> int:
    if isinstance(x, Fraction):
        return (x > 0) - (x < 0)
    return 1 if x[0] == "+" else -1


def _ends(r: Range):
    return (("-", _INF) if r.lo is None else r.lo, ("+", _INF) if r.hi is None else r.hi)


def _key(x):
    if isinstance(x, Fraction):
        return (1, x)
    return (0, 0) if x[0] == "-" else (2, 0)


def mul(a: Range, b: Range) -> Range:
    products = [_end_product(x, y) for x in _ends(a) for y in _ends(b)]
    lo, hi = min(products, key=_key), max(products, key=_key)
    return Range(lo if isinstance(lo, Fraction) else None, hi if isinstance(hi, Fraction) else None)


def div(a: Range, b: Range) -> Range:
    """a / b for a divisor range that excludes 0 (else: everything)."""
    if b.contains_zero():
        return EVERYTHING
    inverse = Range(None if b.hi is None else 1 / b.hi, None if b.lo is None else 1 / b.lo)
    if b.lo is None or b.hi is None:  # 1/b tends to 0 on the infinite side
        inverse = Range(Fraction(0) if b.lo is not None and b.lo > 0 else inverse.lo, inverse.hi)
        if b.hi is not None and b.hi < 0:
            inverse = Range(inverse.lo, Fraction(0))
    return mul(a, inverse)


def smallest(*ranges: Range) -> Range:
    """The range of min(x1, x2, …)."""
    lo = None if any(r.lo is None for r in ranges) else min(r.lo for r in ranges)
    finite_his = [r.hi for r in ranges if r.hi is not None]
    return Range(lo, min(finite_his) if finite_his else None)


def largest(*ranges: Range) -> Range:
    """The range of max(x1, x2, …)."""
    finite_los = [r.lo for r in ranges if r.lo is not None]
    hi = None if any(r.hi is None for r in ranges) else max(r.hi for r in ranges)
    return Range(max(finite_los) if finite_los else None, hi)


def absolute(a: Range) -> Range:
    if a.nonneg():
        return a
    if a.hi is not None and a.hi <= 0:
        return neg(a)
    highest = None if a.lo is None or a.hi is None else max(-a.lo, a.hi)
    return Range(Fraction(0), highest)


def sum_of_many(a: Range) -> Range:
    """The range of a sum of any number (0 included) of values in `a`."""
    lo = Fraction(0) if a.nonneg() else None
    hi = Fraction(0) if a.hi is not None and a.hi <= 0 else None
    return Range(lo, hi)


def number_text(x: Fraction) -> str:
    """Vietnamese style, exact when short: 105, 97,5, 1/3 ≈ 0,3333."""
    if x.denominator == 1:
        return str(x.numerator)
    d = x.denominator
    while d % 2 == 0:
        d //= 2
    while d % 5 == 0:
        d //= 5
    if d == 1 and len(str(x.denominator)) <= 8:
        whole = int(abs(x))
        frac = abs(x) - whole
        digits = ""
        while frac:
            frac *= 10
            digits += str(int(frac))
            frac -= int(frac)
        return ("-" if x < 0 else "") + f"{whole},{digits}"
    return f"≈ {float(x):.4f}".replace(".", ",")


def range_text(r: Range) -> str:
    lo = "-∞" if r.lo is None else number_text(r.lo)
    hi = "+∞" if r.hi is None else number_text(r.hi)
    return f"từ {lo} đến {hi}"
