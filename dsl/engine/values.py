"""Exact values of the evaluator: numbers, rounding, conversions from dataset columns, formatting.

Numbers are exact rationals: Python `int` when integral (fast) or `fractions.Fraction`; never float.
Dates are `datetime.date` (None when empty), text is `str`, booleans are `bool`. A criterion that does
not apply to a person has the value `NA`.
"""

from __future__ import annotations

import datetime as dt
import math
from fractions import Fraction

from ..records import exact

HALF_UP = "nửa lên"
CEILING = "lên"
FLOOR = "xuống"


class _NotApplicable:
    """The value of a criterion whose `khi` condition does not hold (a singleton)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "NA"


NA = _NotApplicable()


class NotApplicableUsed(Exception):
    """Raised when a not-applicable value is used where a value is required (becomes R1002)."""

    def __init__(self, name: str):
        super().__init__(name)
        self.name = name


def norm(x):
    """A Fraction with denominator 1 becomes an int (faster arithmetic); other values unchanged."""
    if type(x) is Fraction and x.denominator == 1:
        return x.numerator
    return x


def divide(x, y):
    """Exact x / y (y != 0)."""
    if type(x) is int and type(y) is int:
        q, r = divmod(x, y)
        return q if r == 0 else Fraction(x, y)
    return norm(Fraction(x) / y)


# ---------------------------------------------------------------- the run-time cost bound
# Exact fractions can grow without limit (x2 = x1 × x1, thirty times over, is a number with a
# billion digits): every arithmetic result of the exact engine goes through `bounded` (the compiler
# wraps each arithmetic node, dsl/engine/compile.py), so such a ruleset stops with R1012 naming its
# line instead of running for hours. Real rulesets stay far below: scores, ratios and sums of
# quantities with 15 significant digits need a few dozen digits.
MAX_NUMBER_DIGITS = 1000
_MAX_BITS = int(MAX_NUMBER_DIGITS * 3.3219280948873626) + 1  # 10**1000 < 2**_MAX_BITS


class NumberTooLarge(ArithmeticError):
    """An exact number beyond MAX_NUMBER_DIGITS digits (numerator or denominator)."""

    def __init__(self) -> None:
        super().__init__(f"một số quá lớn (quá {MAX_NUMBER_DIGITS} chữ số ở tử số hoặc mẫu số)")


def bounded(x):
    """`x` unchanged, or NumberTooLarge when its numerator or denominator is too long."""
    t = type(x)
    if t is int:
        if x.bit_length() > _MAX_BITS:
            raise NumberTooLarge()
    elif t is Fraction and (x.numerator.bit_length() > _MAX_BITS or x.denominator.bit_length() > _MAX_BITS):
        raise NumberTooLarge()
    return x


def round_to(x, digits: int = 2, mode: str = HALF_UP):
    """Round an exact number to `digits` decimals: "nửa lên" = half away from zero, "lên" = ceiling,
    "xuống" = floor. Returns an exact number (int or Fraction)."""
    if abs(digits) > MAX_NUMBER_DIGITS:
        raise NumberTooLarge()
    scale = Fraction(10) ** digits
    y = Fraction(x) * scale
    if mode == CEILING:
        r = math.ceil(y)
    elif mode == FLOOR:
        r = math.floor(y)
    else:
        r = math.floor(abs(y) + Fraction(1, 2))
        if y < 0:
            r = -r
    return norm(r / scale)


def round_count(x, mode: str) -> int:
    """Round p × n of a quota to a whole count: "xuống" floor (default), "lên" ceiling, "gần nhất" half-up."""
    x = Fraction(x)
    if mode == "lên":
        return math.ceil(x)
    if mode == "gần nhất":
        return math.floor(x + Fraction(1, 2))
    return math.floor(x)


# ---------------------------------------------------------------- conversions from dataset values

_NUM_CACHE: dict[float, object] = {}


def number_of(x):
    """An exact number from a column or input value; None when empty. Raises ValueError if not a number."""
    if x is None:
        return None
    t = type(x)
    if t is int:
        return x
    if t is Fraction:
        return norm(x)
    if t is bool:
        raise ValueError(x)
    if isinstance(x, float):
        if x != x:
            return None
        got = _NUM_CACHE.get(x)
        if got is None:
            got = int(x) if x.is_integer() else exact(x)
            if len(_NUM_CACHE) < 100_000:
                _NUM_CACHE[x] = got
        return got
    if isinstance(x, int):  # numpy integers
        return int(x)
    if isinstance(x, str):
        s = x.strip()
        if not s:
            return None
        return norm(Fraction(s.replace(",", ".")))
    if hasattr(x, "item"):  # numpy scalar
        return number_of(x.item())
    raise ValueError(x)


def date_of(x):
    """A date from a column value (proleptic ordinal float, NaN when empty) or a date; None when empty."""
    if x is None:
        return None
    if isinstance(x, dt.datetime):
        return x.date()
    if isinstance(x, dt.date):
        return x
    if isinstance(x, str):
        s = x.strip()
        if not s:
            return None
        if "/" in s:
            d, m, y = s.split("/")
            return dt.date(int(y), int(m), int(d))
        return dt.date.fromisoformat(s)
    f = float(x)
    if f != f:
        return None
    return dt.date.fromordinal(int(f))


def text_of(x) -> str:
    if x is None:
        return ""
    if isinstance(x, float) and x != x:
        return ""
    return str(x)


_TRUE_WORDS = {"có", "co", "đúng", "dung", "true", "1", "x", "yes"}
_FALSE_WORDS = {"không", "khong", "sai", "false", "0", "", "no"}


def bool_of(x):
    if x is None:
        return None
    if isinstance(x, float) and x != x:
        return None
    if isinstance(x, str):
        s = x.strip().lower()
        if s in _TRUE_WORDS:
            return True
        if s in _FALSE_WORDS:
            return False
        raise ValueError(x)
    return bool(x)


CONVERTERS = {"số": number_of, "ngày": date_of, "văn bản": text_of, "đúng sai": bool_of, "thang": text_of}


# ---------------------------------------------------------------- formatting (Vietnamese style)


def format_number(x, digits: int = 2) -> str:
    """Vietnamese style: decimal comma, dots between thousands, rounded half-up to `digits`, trailing
    zeros dropped: 97.41666 -> "97,42", 90 -> "90", 1500000 -> "1.500.000"."""
    r = Fraction(round_to(x, digits))
    neg = r < 0
    r = abs(r)
    whole = int(r)
    frac = r - whole
    dec = ""
    if digits > 0 and frac:
        dec = str(int(frac * 10**digits)).rjust(digits, "0").rstrip("0")
    whole_txt = f"{whole:,}".replace(",", ".")
    out = whole_txt + ("," + dec if dec else "")
    return ("-" if neg and out != "0" else "") + out


EXACT_DECIMALS = 10  # a decimal with at most this many digits after the comma is shown exactly
SHOWN_DECIMALS = 6  # other numbers (1/3, 65/9…): this many, followed by "…"


def decimal_places(x) -> int | None:
    """How many digits after the decimal point write `x` exactly (97,5 → 1), or None when its decimal
    expansion never ends (1/3)."""
    f = Fraction(x)
    d, twos, fives = f.denominator, 0, 0
    while d % 2 == 0:
        d //= 2
        twos += 1
    while d % 5 == 0:
        d //= 5
        fives += 1
    return max(twos, fives) if d == 1 else None


def format_exact(x) -> str:
    """A number for an explanation that a person can recompute from: exact when it is a decimal of
    at most EXACT_DECIMALS digits (5,875 stays 5,875, never 5,88); else SHOWN_DECIMALS digits and
    "…" (72,222222…), enough for the ruleset's rounding of what is computed from it."""
    f = Fraction(x)
    places = decimal_places(f)
    if places is not None and places <= EXACT_DECIMALS:
        return format_number(f, places)
    return format_number(f, SHOWN_DECIMALS) + "…"


def format_value(v, digits: int = 2) -> str:
    """Any evaluator value as Vietnamese text."""
    if v is NA:
        return "không áp dụng"
    if v is None:
        return "(trống)"
    if isinstance(v, bool):
        return "đúng" if v else "sai"
    if isinstance(v, int | Fraction):
        return format_number(v, digits)
    if isinstance(v, dt.date):
        return v.strftime("%d/%m/%Y")
    if isinstance(v, str):
        return f'"{v}"'
    return str(v)
