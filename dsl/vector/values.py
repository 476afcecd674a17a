"""Vector values: a numpy column with what is known about its float error.

`Col.v` holds one value per record of a scope (tasks, people or subordinates); numbers and dates are
float64 (dates as proleptic ordinals, NaN when empty), booleans bool, text object arrays, levels int
codes (-1: not rated). What the exact engine would do differently is tracked beside the value:
- `exact`: every float equals the exact rational value (binary-exact). Kept as the pair (`frac`, `mag`):
  every element is a multiple of 2**-frac and below 2**mag in magnitude; sums and products of such
  values stay exact while frac + mag <= 53 (a static, per-node bound: no per-element work);
- `dec`: every float x stands for the decimal `Fraction(repr(x))` the exact engine uses (literals,
  parameters, loaded columns, inputs, results of rounding to the ruleset's digits). Two `dec` floats
  compare exactly like their decimals, so a comparison is safe when both sides are exact or both `dec`;
- `na`: elements that are "not applicable" (a criterion whose `khi` does not hold);
- `bad`: elements where the exact engine would raise (division by zero, empty aggregate...).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

MAX_BITS = 53
TOL = 1e-9  # relative closeness that sends a decision to the exact engine


class Unsupported(Exception):
    """A construct or a dataset the vector backend does not handle: the exact engine runs instead."""


@dataclass(slots=True)
class Col:
    v: np.ndarray
    kind: str = "num"  # "num", "date", "bool", "text", "level"
    frac: int | None = None  # None: not binary-exact
    mag: int = 0
    dec: bool = False
    na: np.ndarray | None = None
    bad: np.ndarray | None = None
    rat: tuple | None = None  # exact (N, D) int64 arrays when known (dsl/vector/rational.py)

    @property
    def exact(self) -> bool:
        return self.frac is not None and self.frac + self.mag <= MAX_BITS


def either(a: np.ndarray | None, b: np.ndarray | None) -> np.ndarray | None:
    if a is None:
        return b
    if b is None:
        return a
    return a | b


def only_where(mask: np.ndarray | None, where: np.ndarray) -> np.ndarray | None:
    """`mask` restricted to the elements where `where` holds (None when nothing remains)."""
    if mask is None:
        return None
    out = mask & where
    return out if out.any() else None


def grid_of(values: np.ndarray, finite: bool = False) -> tuple[int | None, int]:
    """(frac, mag) of a float column: the smallest frac <= 10 with every value a multiple of 2**-frac,
    or None; mag bits bound the magnitude. `finite`: the caller knows there is no NaN/inf."""
    finite = values if finite or values.dtype.kind != "f" else values[np.isfinite(values)]
    if finite.size == 0:
        return 0, 0
    top = max(float(finite.max()), -float(finite.min()))  # = max |x|, without a temporary array
    mag = int(np.ceil(np.log2(top + 1))) + 1 if top > 0 else 0
    for frac in (0, 1, 2, 3, 4, 6, 8, 10):
        scaled = finite * float(2**frac) if frac else finite
        if np.array_equal(scaled, np.floor(scaled)):
            return frac, mag
    return None, mag


def scalar_grid(x: Fraction) -> tuple[int | None, int]:
    d = x.denominator
    if d & (d - 1) == 0 and d <= 2**20:
        top = abs(x)
        return d.bit_length() - 1, (int(top).bit_length() + 1 if top else 0)
    return None, int(abs(x)).bit_length() + 1


def is_dec(x: Fraction) -> bool:
    """Whether float(x) stands for x itself in the exact engine's reading of floats."""
    return Fraction(repr(float(x))) == x


def number_col(x, n: int | None = None) -> Col:
    """A constant number (exact Fraction/int) as a Col (0-d, broadcasting)."""
    from .rational import of_fraction

    x = Fraction(x)
    frac, mag = scalar_grid(x)
    return Col(np.float64(float(x)), "num", frac, mag, is_dec(x), rat=of_fraction(x))


def rat_of(col: Col):
    """The exact (N, D) of a numeric Col, or None when unknown."""
    from .rational import of_float

    if col.rat is not None:
        return col.rat
    if col.kind == "num" and col.exact and col.na is None and col.bad is None:
        col.rat = of_float(col.v, col.frac)
        return col.rat
    if col.kind == "num" and col.exact:
        return of_float(np.where(_mask(col), 0.0, col.v), col.frac)
    return None


def _mask(col: Col):
    m = either(col.na, col.bad)
    return False if m is None else m


def close(a: np.ndarray, b) -> np.ndarray:
    """Elements where a and b are too close for floats to decide their order (NaN: never)."""
    with np.errstate(invalid="ignore"):
        scale = np.maximum(1.0, np.maximum(np.abs(a), np.abs(b)))
        return np.abs(a - b) <= TOL * scale


def safe_compare(a: Col, b: Col) -> bool:
    return (a.exact and b.exact) or (a.dec and b.dec)
