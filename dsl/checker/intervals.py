"""Intervals of the score (`điểm`) for the level analysis: closed/open ends, infinite ends as None."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from fractions import Fraction


@dataclass(frozen=True, slots=True)
class Interval:
    lo: Fraction | None = None  # None: -infinity
    lo_closed: bool = False
    hi: Fraction | None = None  # None: +infinity
    hi_closed: bool = False

    def lower_key(self) -> tuple:
        return (0,) if self.lo is None else (1, self.lo, 0 if self.lo_closed else 1)

    def upper_key(self) -> tuple:
        return (2,) if self.hi is None else (1, self.hi, 1 if self.hi_closed else 0)

    @property
    def empty(self) -> bool:
        if self.lo is None or self.hi is None:
            return False
        return self.lo > self.hi or (self.lo == self.hi and not (self.lo_closed and self.hi_closed))

    @property
    def bounded(self) -> bool:
        return self.lo is not None and self.hi is not None

    def intersect(self, other: Interval) -> Interval:
        lo = self if self.lower_key() >= other.lower_key() else other
        hi = self if self.upper_key() <= other.upper_key() else other
        return Interval(lo.lo, lo.lo_closed, hi.hi, hi.hi_closed)

    def contains(self, other: Interval) -> bool:
        return other.empty or (
            self.lower_key() <= other.lower_key() and other.upper_key() <= self.upper_key()
        )

    def text(self) -> str:
        left = "(-∞" if self.lo is None else ("[" if self.lo_closed else "(") + _num(self.lo)
        right = "+∞)" if self.hi is None else _num(self.hi) + ("]" if self.hi_closed else ")")
        return f"{left}; {right}"


def _num(x: Fraction) -> str:
    return str(x.numerator) if x.denominator == 1 else f"{float(x):g}"


EVERYTHING = Interval()


def _touch(a: Interval, b: Interval) -> bool:
    """a starts no later than b; do they overlap or meet without a hole between them?"""
    if a.hi is None or b.lo is None:
        return True
    if a.hi > b.lo:
        return True
    return a.hi == b.lo and (a.hi_closed or b.lo_closed)


def _hull(a: Interval, b: Interval) -> Interval:
    lo = a if a.lower_key() <= b.lower_key() else b
    hi = a if a.upper_key() >= b.upper_key() else b
    return Interval(lo.lo, lo.lo_closed, hi.hi, hi.hi_closed)


class IntervalSet:
    """A union of intervals kept sorted, disjoint and with touching pieces merged; `add`, `covers`
    and `meets` find their place by bisection, so many levels stay cheap."""

    def __init__(self) -> None:
        self.parts: list[Interval] = []
        self._lows: list[tuple] = []

    def add(self, item: Interval) -> None:
        if item.empty:
            return
        i = bisect_left(self._lows, item.lower_key())
        start, cur = i, item
        if i > 0 and _touch(self.parts[i - 1], item):
            start, cur = i - 1, _hull(self.parts[i - 1], item)
        end = i
        while end < len(self.parts) and _touch(cur, self.parts[end]):
            cur = _hull(cur, self.parts[end])
            end += 1
        self.parts[start:end] = [cur]
        self._lows[start:end] = [cur.lower_key()]

    def covers(self, item: Interval) -> bool:
        if item.empty:
            return True
        i = bisect_right(self._lows, item.lower_key()) - 1
        return i >= 0 and self.parts[i].contains(item)

    def meets(self, item: Interval) -> bool:
        i = bisect_right(self._lows, item.lower_key()) - 1
        for j in (i, i + 1):
            if 0 <= j < len(self.parts) and not self.parts[j].intersect(item).empty:
                return True
        return False

    def holes(self) -> list[Interval]:
        """The bounded gaps between the pieces."""
        return [
            Interval(a.hi, not a.hi_closed, b.lo, not b.lo_closed)
            for a, b in zip(self.parts, self.parts[1:], strict=False)
        ]
