"""Dataset columns as vector Cols, with the exact engine's defaults and validation (dsl/engine/state.py).

Anything the exact engine would reject (a missing required input, a value of the wrong type, a value
outside its range, an unexpected column type) raises Unsupported: the exact engine then runs and
reports it in its own words.
"""

from __future__ import annotations

from fractions import Fraction
from itertools import compress, repeat
from operator import attrgetter, is_, is_not, methodcaller

import numpy as np

from ..engine.symbols import PERSON_ATTRS
from ..engine.values import CONVERTERS, text_of
from ..records import Dataset
from .values import Col, Unsupported, grid_of, is_dec, scalar_grid

_numerator, _denominator = attrgetter("numerator"), attrgetter("denominator")


def _slot_getters():
    """Getters of a Fraction's two slots (no property call), when CPython's Fraction has them."""
    try:
        probe = Fraction(-6, 8)
        if (probe._numerator, probe._denominator) == (probe.numerator, probe.denominator) == (-3, 4):
            return attrgetter("_numerator"), attrgetter("_denominator")
    except AttributeError:
        pass
    return _numerator, _denominator


_slot_numerator, _slot_denominator = _slot_getters()
_KIND_DEFAULT = {"số": 0, "văn bản": "", "đúng sai": False, "ngày": None}
_EMPTY: dict = {}


class PersonFields(dict):
    """Person field columns, read from the PersonRecords on first use."""

    def __init__(self, data: Dataset):
        super().__init__()
        self.people = data.people

    def __contains__(self, name) -> bool:
        return name in PERSON_ATTRS

    def __missing__(self, name: str) -> Col:
        if name not in PERSON_ATTRS:
            raise KeyError(name)
        attr = PERSON_ATTRS[name]
        vals = list(map(attrgetter(attr), self.people))
        if name == "lãnh_đạo":
            col = Col(np.array(vals, dtype=bool), "bool")
        else:
            arr = np.empty(len(vals), dtype=object)
            arr[:] = vals
            col = Col(arr, "text", dec=True)
        self[name] = col
        return col


def number_array(values: list, name: str) -> Col:
    distinct = set(values)
    frac, mag, dec = 0, 0, True
    for x in distinct:
        f, m = scalar_grid(x)
        frac = None if frac is None or f is None else max(frac, f)
        mag = max(mag, m)
        dec = dec and is_dec(x)
    table = {x: float(x) for x in distinct}
    arr = np.fromiter((table[x] for x in values), dtype=float, count=len(values))
    return Col(arr, "num", frac, mag, dec)


def inputs(data: Dataset, infos) -> dict[str, Col]:
    """The needed inputs per person, resolved as dsl.engine.state.load_inputs does."""
    get_row = data.inputs.get
    rows = list(map(get_row, map(attrgetter("code"), data.people), repeat(_EMPTY)))
    if None in rows:  # a person whose row is None: no inputs
        rows = [row or _EMPTY for row in rows]
    try:  # plain dict rows (the usual): dict.get mapped in C
        wanted = {info.name: list(map(dict.get, rows, repeat(info.name))) for info in infos}
    except TypeError:  # another mapping type
        wanted = {info.name: list(map(methodcaller("get", info.name), rows)) for info in infos}
    out = {}
    for info in infos:
        raws = wanted[info.name]
        fast = _fast_input(info, raws)
        if fast is not None:
            out[info.name] = fast
            continue
        convert = CONVERTERS.get(info.kind, text_of)
        cache: dict = {}
        values = []
        for raw in raws:
            key = (type(raw), raw) if raw is not None and raw == raw else None
            got = cache.get(key, cache)
            if got is cache:
                got = cache[key] = _input_value(info, raw, convert)
            values.append(got)
        if info.kind == "số":
            out[info.name] = number_array(values, info.name)
        elif info.kind == "đúng sai":
            if any(v is None for v in values):
                raise Unsupported("empty boolean input")
            out[info.name] = Col(np.array(values, dtype=bool), "bool")
        elif info.kind == "ngày":
            arr = np.array([np.nan if v is None else float(v.toordinal()) for v in values])
            out[info.name] = Col(arr, "date", 0, 30, True)
        else:
            arr = np.empty(len(values), dtype=object)
            arr[:] = values
            out[info.name] = Col(arr, "text", dec=True)
    return out


def _fast_input(info, raws: list) -> Col | None:
    """Inputs of the usual types (exact numbers, booleans, text) without per-value conversion calls;
    None: take the general path."""
    types = set(map(type, raws))
    n = len(raws)
    if info.kind == "số" and types <= {Fraction, int, type(None)}:
        default = Fraction(0)
        given = np.ones(n, dtype=bool)
        if type(None) in types:
            if info.required or info.default is None:
                return None
            default = Fraction(info.default)
            given = np.fromiter(map(is_not, raws, repeat(None)), dtype=bool, count=n)
            raws = list(compress(raws, given.tolist()))
        try:
            top_of, bottom_of = (
                (_numerator, _denominator) if int in types else (_slot_numerator, _slot_denominator)
            )
            top = np.array(list(map(top_of, raws)), dtype=np.int64)
            bottom = np.array(list(map(bottom_of, raws)), dtype=np.int64)
        except OverflowError:
            return None
        if top.size and (np.abs(top).max() >= 2**53 or bottom.max() >= 2**53):
            return None
        num = np.full(n, default.numerator, dtype=np.int64)
        den = np.full(n, default.denominator, dtype=np.int64)
        num[given], den[given] = top, bottom
        v = num / den
        if info.low is not None and (num < np.int64(info.low) * den).any():
            return None  # exact check for int bounds; Fraction bounds take the general path
        if info.high is not None and (num > np.int64(info.high) * den).any():
            return None
        if not all(isinstance(b, int) for b in (info.low or 0, info.high or 0)):
            return None
        d = den.copy()
        for p in (2, 5):
            for _ in range(64):
                hit = d % p == 0
                if not hit.any():
                    break
                d = np.where(hit, d // p, d)
        dec = bool((d == 1).all()) and bool((np.abs(v) < 1e9).all()) and bool((den <= 10**6).all())
        binary = den & (den - 1) == 0
        frac = int(np.log2(den.max())) if binary.all() and den.max() <= 2**20 else None
        mag = int(np.abs(v).max(initial=0)).bit_length() + 1
        return Col(v, "num", frac, mag, dec, rat=(num, den))
    if info.kind == "đúng sai" and types <= {bool, type(None)}:
        if type(None) in types:
            if info.required or not isinstance(info.default, bool):
                return None
            # True where the value is True (default False), or not False (default True): C-level maps
            if info.default:
                return Col(~np.fromiter(map(is_, raws, repeat(False)), dtype=bool, count=n), "bool")
            return Col(np.fromiter(map(is_, raws, repeat(True)), dtype=bool, count=n), "bool")
        return Col(np.array(raws, dtype=bool), "bool")
    if info.kind in ("thang", "văn bản") and types <= {str, type(None)}:
        if type(None) in types:
            if info.required or not isinstance(info.default, str):
                return None
            raws = [info.default if x is None else x for x in raws]
        if info.kind == "thang" and info.scale and not set(raws) <= set(info.scale):
            return None
        arr = np.empty(n, dtype=object)
        arr[:] = raws
        return Col(arr, "text", dec=True)
    return None


def _input_value(info, raw, convert):
    if raw is None or (isinstance(raw, float) and raw != raw):
        if info.required:
            raise Unsupported("missing input")
        raw = info.default
    try:
        value = convert(raw)
    except (ValueError, TypeError, ArithmeticError):
        raise Unsupported("invalid input") from None
    if info.kind == "thang" and info.scale and value not in info.scale:
        raise Unsupported("input outside its scale")
    if info.kind == "số":
        if value is None:
            raise Unsupported("empty number input")
        if (info.low is not None and value < info.low) or (info.high is not None and value > info.high):
            raise Unsupported("input out of range")
    return value


def task_columns(data: Dataset, infos) -> dict[str, Col]:
    """The needed task fields with the exact engine's defaults (derived ones included)."""
    n = data.task_count
    raw: dict[str, np.ndarray | None] = {}
    for info in infos:
        col = data.task_columns.get(info.name)
        if col is not None and len(col) != n:
            raise Unsupported("column length")
        raw[info.name] = col
    out: dict[str, Col] = {}
    for info in infos:
        out[info.name] = _task_column(info, raw, n)
    return out


def _numbers(col, n):
    if col is None:
        return np.full(n, np.nan)
    col = np.asarray(col)
    if col.dtype.kind not in "fiu":
        raise Unsupported("number column of another type")
    return col.astype(float, copy=False)


def _task_column(info, raw, n) -> Col:
    name, kind = info.name, info.kind
    col = raw.get(name)
    if kind == "số":
        v = _numbers(col, n)
        if not np.isfinite(v).all():  # complete columns (dsl.defaults) have no NaN left
            raise Unsupported("empty or infinite number")
        frac, mag = grid_of(v, finite=True)
        return Col(v, "num", frac, mag, True)
    if kind == "ngày":
        v = _numbers(col, n)
        # a fractional value is not its floor; NaN (empty) is not its floor either: count those apart
        if np.count_nonzero(np.floor(v) != v) != np.count_nonzero(np.isnan(v)):
            raise Unsupported("fractional date")
        return Col(v, "date", 0, 30, True)
    if col is None:
        raise Unsupported(f"column {name} missing")  # complete_tasks creates every needed column
    if kind == "đúng sai":
        col = np.asarray(col)
        if col.size == 0:
            return Col(np.zeros(0, dtype=bool), "bool")
        if col.dtype != bool:
            raise Unsupported("boolean column of another type")
        return Col(col, "bool")
    # Dataset contract (dsl/records.py): text columns hold str (complete: no None left)
    col = np.asarray(col, dtype=object)
    if not all(col.tolist()) and np.equal(col, None).any():  # all truthy: no None, cheaper to test
        raise Unsupported(f"empty text in {name}")
    return Col(col, "text", dec=True)
