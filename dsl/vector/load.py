"""Dataset columns as vector Cols, with the exact engine's defaults and validation (dsl/engine/state.py).

Anything the exact engine would reject (a missing required input, a value of the wrong type, a value
outside its range, an unexpected column type) raises Unsupported: the exact engine then runs and
reports it in its own words.
"""

from __future__ import annotations

import numpy as np

from ..engine.state import DONE
from ..engine.symbols import PERSON_ATTRS
from ..engine.values import CONVERTERS, text_of
from ..records import Dataset
from .values import Col, Unsupported, grid_of, is_dec, scalar_grid

_KIND_DEFAULT = {"số": 0, "văn bản": "", "đúng sai": False, "ngày": None}
_EMPTY: dict = {}


def person_fields(data: Dataset) -> dict[str, Col]:
    out = {}
    people = data.people
    for name, attr in PERSON_ATTRS.items():
        vals = [getattr(p, attr) for p in people]
        if name == "lãnh_đạo":
            out[name] = Col(np.array(vals, dtype=bool), "bool")
        else:
            arr = np.empty(len(vals), dtype=object)
            arr[:] = vals
            out[name] = Col(arr, "text", dec=True)
    return out


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
    codes = [p.code for p in data.people]
    given = [data.inputs.get(c) or _EMPTY for c in codes]
    out = {}
    for info in infos:
        raws = [g.get(info.name) for g in given]
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
        empty = np.isnan(v)
        if empty.any():
            v = v.copy()
            if name == "khối_lượng_hoàn_thành":
                giao = _numbers(raw.get("khối_lượng_giao"), n)
                giao = np.where(np.isnan(giao), 1.0, giao)
                status = raw.get("trạng_thái")
                done = np.zeros(n, bool) if status is None else np.asarray(status == DONE, dtype=bool)
                v[empty] = np.where(done[empty], giao[empty], 0.0)
            elif name == "số_lần_chậm":
                fin = _numbers(raw.get("ngày_hoàn_thành"), n)
                due = _numbers(raw.get("hạn_hoàn_thành"), n)
                with np.errstate(invalid="ignore"):
                    late = fin > due  # NaN: not late
                v[empty] = np.where(late[empty], 1.0, 0.0)
            else:
                default = info.default if info.default is not None else 0
                v[empty] = float(default)
                if not is_dec(default):
                    raise Unsupported("default not decimal")
        if not np.isfinite(v).all():
            raise Unsupported("infinite number")
        frac, mag = grid_of(v)
        return Col(v, "num", frac, mag, True)
    if kind == "ngày":
        v = _numbers(col, n)
        if (v[~np.isnan(v)] % 1).any():
            raise Unsupported("fractional date")
        return Col(v, "date", 0, 30, True)
    if kind == "đúng sai":
        if col is None:
            return Col(np.full(n, bool(info.default)), "bool")
        col = np.asarray(col)
        if col.dtype != bool:
            raise Unsupported("boolean column of another type")
        return Col(col, "bool")
    default = info.default
    if default is None:
        default = info.scale[0] if kind == "thang" and info.scale else ""
    if col is None:
        arr = np.empty(n, dtype=object)
        arr[:] = [default] * n
        return Col(arr, "text", dec=True)
    col = np.asarray(col, dtype=object)
    types = set(map(type, col.tolist()))
    if not types <= {str, type(None)}:
        raise Unsupported("text column with other values")
    if type(None) in types:
        col = col.copy()
        col[np.equal(col, None)] = default
    return Col(col, "text", dec=True)
