"""Exact rationals in int64 vectors: (N, D) with D > 0, value N / D, for the values floats cannot
decide (ratios, averages, scores). Every operation guards against overflow with a float estimate of
the magnitudes and gives None when the result might not fit: the caller then keeps the float path
with its risk checks (the exact engine decides those records)."""

from __future__ import annotations

import numpy as np

LIMIT = float(2**61)

Rat = tuple[np.ndarray, np.ndarray]


def _fits(*estimates) -> bool:
    return all(float(np.max(np.abs(np.asarray(e, dtype=float)), initial=0.0)) < LIMIT for e in estimates)


def reduce(n, d) -> Rat:
    g = np.gcd(n, d)
    g = np.where(g == 0, 1, g)
    return n // g, d // g


SMALL = float(2**40)


def _tidy(n, d) -> Rat:
    """Reduce by the gcd only when the numbers grow (np.gcd is the costly step)."""
    if float(np.max(np.abs(d), initial=0)) < SMALL and float(np.max(np.abs(n), initial=0)) < SMALL:
        return n, d
    return reduce(n, d)


def of_float(v, frac: int) -> Rat | None:
    """A binary-exact float column as N / 2**frac."""
    scaled = np.asarray(v, dtype=float) * float(2**frac)
    if not _fits(scaled):
        return None
    return scaled.astype(np.int64), np.int64(2**frac)


def of_fraction(x) -> Rat | None:
    if abs(x.numerator) >= LIMIT or x.denominator >= LIMIT:
        return None
    return np.int64(x.numerator), np.int64(x.denominator)


def add(a: Rat, b: Rat, sign: int = 1) -> Rat | None:
    (na, da), (nb, db) = a, b
    if da is db or (np.shape(da) == np.shape(db) and np.array_equal(da, db)):
        if not _fits(np.abs(np.asarray(na, float)) + np.abs(np.asarray(nb, float))):
            return None
        return na + sign * nb, da
    fa, fb = np.asarray(na, float) * np.asarray(db, float), np.asarray(nb, float) * np.asarray(da, float)
    if not _fits(np.abs(fa) + np.abs(fb), np.asarray(da, float) * np.asarray(db, float)):
        return None
    return _tidy(na * db + sign * nb * da, da * db)


def mul(a: Rat, b: Rat) -> Rat | None:
    (na, da), (nb, db) = a, b
    if not _fits(
        np.asarray(na, float) * np.asarray(nb, float), np.asarray(da, float) * np.asarray(db, float)
    ):
        return None
    return _tidy(na * nb, da * db)


def div(a: Rat, b: Rat) -> Rat | None:
    """a / b; where b is 0 the result is 0 / 1 (the caller masks those records)."""
    (na, da), (nb, db) = a, b
    if not _fits(
        np.asarray(na, float) * np.asarray(db, float), np.asarray(da, float) * np.asarray(nb, float)
    ):
        return None
    n, d = na * db, da * nb
    neg = d < 0
    n, d = np.where(neg, -n, n), np.where(neg, -d, d)
    zero = d == 0
    n, d = np.where(zero, 0, n), np.where(zero, 1, d)
    return _tidy(n, d)


def sign_of_difference(a: Rat, b: Rat) -> np.ndarray | None:
    (na, da), (nb, db) = a, b
    fa, fb = np.asarray(na, float) * np.asarray(db, float), np.asarray(nb, float) * np.asarray(da, float)
    if not _fits(np.abs(fa) + np.abs(fb)):
        return None
    return np.sign(na * db - nb * da)


def select(cond, a: Rat, b: Rat) -> Rat:
    return np.where(cond, a[0], b[0]), np.where(cond, a[1], b[1])


def round_scaled(a: Rat, digits: int, mode: str) -> np.ndarray | None:
    """The integer r with r / 10**digits = a rounded as dsl.engine.values.round_to does."""
    n, d = a
    scale = 10**digits
    if not _fits(np.asarray(n, float) * (2.0 * scale) + np.asarray(d, float)):
        return None
    t = n * scale
    if mode == "lên":
        return -((-t) // d)
    if mode == "xuống":
        return t // d
    half = (2 * np.abs(t) + d) // (2 * d)
    return np.where(t < 0, -half, half)
