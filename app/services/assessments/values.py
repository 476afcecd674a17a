"""Exact values as stored text: a Fraction whose decimal expansion ends is written as a decimal
("97.5"), any other as "p/q"; reading either back gives the same Fraction."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

from dsl.engine.values import decimal_places, format_exact


def exact_text(value: Fraction | int) -> str:
    if not isinstance(value, Fraction):
        value = Fraction(value)
    digits = decimal_places(value)
    if digits is None:
        return f"{value.numerator}/{value.denominator}"
    if digits == 0:
        return str(value.numerator)
    scaled = value.numerator * 10**digits // value.denominator
    sign, scaled = ("-" if scaled < 0 else ""), abs(scaled)
    whole, frac = divmod(scaled, 10**digits)
    return f"{sign}{whole}.{frac:0{digits}d}"


def from_text(text: str) -> Fraction:
    return Fraction(text)


def shown(text: str | None) -> str:
    """A stored exact number (a score, a criterion: "97.5", "2923/30") as people read it, through the one
    formatter (`dsl.engine.values.format_exact`): "97,5", "97,433333…"; "—" when there is none."""
    if text is None or text == "":
        return "—"
    return format_exact(Fraction(str(text)))


def stored(value):
    """An output or input value as JSON: exact numbers as text, dates ISO, the rest as is."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int | Fraction):
        return exact_text(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def score_decimal(score: Fraction | None) -> Decimal | None:
    """The rounded score as a Decimal for the Numeric column (None when there is none)."""
    if score is None:
        return None
    text = exact_text(score)
    return Decimal(text) if "/" not in text else Decimal(score.numerator) / Decimal(score.denominator)
