"""Calls as array operations: aggregates per person (np.bincount, ufunc.at, masks for filters),
several-argument tổng/trung_bình/lớn_nhất/nhỏ_nhất, and the scalar functions (each named by its
entry in dsl.builtins.BUILTINS)."""

from __future__ import annotations

import numpy as np

from .. import ast
from ..engine.values import CEILING, FLOOR, HALF_UP
from . import rational as R
from .columns import Scope, scope_risk, select
from .values import TOL, Col, Unsupported, close, either, only_where, rat_of


def _gather_mask(mask, owner, n):
    """A per-record mask mapped to the persons owning those records."""
    if mask is None:
        return None
    out = np.zeros(n, dtype=bool)
    out[owner[np.broadcast_to(mask, owner.shape)]] = True
    return out if out.any() else None


def aggregate(ev, node: ast.Call, scope) -> Col:
    ctx = ev.ctx
    inner: Scope = ctx.scope(node.scope or "nhiệm_vụ")
    owner, n_people, n = inner.owner, scope.n, inner.n
    na = bad = None
    keep = None  # None: every record (no filter), saving the masked copies of 1M-row columns
    if node.where is not None:
        w = ev.column(node.where, inner)
        keep = np.broadcast_to(np.asarray(w.v, dtype=bool), (n,))
        na, bad = _gather_mask(w.na, owner, n_people), _gather_mask(w.bad, owner, n_people)
    count_bits = max(1, int(n).bit_length())
    func = node.func
    if func == "đếm":
        counts = np.bincount(_rows(owner, keep), minlength=n_people).astype(float)
        return Col(counts, "num", 0, count_bits, True, na, bad)
    args = [ev.column(a, inner) for a in node.args]
    x = args[0]
    if x.kind != "num":
        raise Unsupported(f"aggregate over {x.kind}")
    use = keep
    if x.na is not None:
        if isinstance(node.args[0], ast.Name):
            use = ~x.na if keep is None else keep & ~x.na
        else:
            na = either(na, _gather_mask(_and(x.na, keep), owner, n_people))
    bad = either(bad, _gather_mask(_and(x.bad, use), owner, n_people))
    xv = np.broadcast_to(x.v, (n,))
    if func == "trung_bình_có_trọng_số":
        wcol = args[1]
        wv = np.broadcast_to(wcol.v, (n,))
        bad = either(bad, _gather_mask(_and(wcol.bad, use), owner, n_people))
        na = either(na, _gather_mask(_and(wcol.na, use), owner, n_people))
        num = np.bincount(owner, weights=_masked(xv * wv, use), minlength=n_people)
        den = np.bincount(owner, weights=_masked(wv, use), minlength=n_people)
        wexact = x.exact and wcol.exact and (x.frac + wcol.frac + x.mag + wcol.mag + count_bits) <= 53
        if not wexact:
            ctx_risk_people(ctx, close(den, 0.0))
        return _divided(ev, node, scope, num, den, na, bad, None)
    if func == "tổng":
        total = np.bincount(owner, weights=_masked(xv, use), minlength=n_people)
        col = Col(total, "num", x.frac, x.mag + count_bits, False, na, bad)
        return _dec_if_short(col)
    counts = np.bincount(_rows(owner, use), minlength=n_people).astype(float)
    if func == "trung_bình":
        total = np.bincount(owner, weights=_masked(xv, use), minlength=n_people)
        tcol = _dec_if_short(Col(total, "num", x.frac, x.mag + count_bits))
        rat = None
        if tcol.exact:
            rt = rat_of(tcol)
            rat = None if rt is None else R.div(rt, (counts.astype(np.int64), np.int64(1)))
        return _divided(ev, node, scope, total, counts, na, bad, rat)
    if func in ("lớn_nhất", "nhỏ_nhất"):
        fill = -np.inf if func == "lớn_nhất" else np.inf
        out = np.full(n_people, fill)
        (np.maximum if func == "lớn_nhất" else np.minimum).at(out, _rows(owner, use), _rows(xv, use))
        col = Col(out, "num", x.frac, x.mag, x.dec, na, bad)
        return _if_empty(ev, node, scope, col, counts == 0)
    raise Unsupported(func)


def _rows(values, use):
    return values if use is None else values[use]


def _masked(values, use):
    return values if use is None else np.where(use, values, 0.0)


def _and(mask, use):
    if mask is None:
        return None
    return mask if use is None else mask & use


def _dec_if_short(col: Col) -> Col:
    if col.exact and col.frac + int(np.ceil(col.mag * 0.302)) <= 15:
        col.dec = True
    if not col.exact:
        col.frac = None
    return col


def ctx_risk_people(ctx, risky):
    if np.any(risky):
        ctx.risk |= risky


def _divided(ev, node, scope, num, den, na, bad, rat) -> Col:
    empty = den == 0
    with np.errstate(divide="ignore", invalid="ignore"):
        v = num / np.where(empty, 1.0, den)
    col = Col(v, "num", None, 0, False, na, bad, rat)
    return _if_empty(ev, node, scope, col, empty)


def _if_empty(ev, node, scope, col: Col, empty: np.ndarray) -> Col:
    if not empty.any():
        return col
    if node.if_empty is None:
        col.bad = either(col.bad, empty)
        return col
    return select(empty, ev.column(node.if_empty, scope), col)


def multi(ev, node: ast.Call, scope) -> Col:
    """tổng/trung_bình/lớn_nhất/nhỏ_nhất of several person-level values, skipping not-applicable."""
    cols = [ev.column(a, scope) for a in node.args]
    if any(c.kind != "num" for c in cols):
        raise Unsupported("multi over non-numbers")
    shape = (scope.n,)
    if node.func in ("lớn_nhất", "nhỏ_nhất") and all(c.na is None for c in cols):
        exact = all(c.exact for c in cols)
        if exact or scope.name != "person":  # floats choose exactly (or the choice is continuous)
            pick = np.maximum if node.func == "lớn_nhất" else np.minimum
            v = cols[0].v
            for c in cols[1:]:
                v = pick(v, c.v)
            bad = None
            for c in cols:
                bad = either(bad, c.bad)
            fr = None if any(c.frac is None for c in cols) else max(c.frac for c in cols)
            mag = max(c.mag for c in cols)
            return Col(np.broadcast_to(v, shape), "num", fr, mag, all(c.dec for c in cols), None, bad)
    total = np.zeros(shape)
    count = np.zeros(shape)
    best = None
    na = bad = None
    frac, mag, dec = 0, 0, True
    # exact rationals only where floats may be inexact (person level, some argument not exact)
    use_rat = scope.name == "person" and not all(c.exact for c in cols)
    rsum = (np.zeros(shape, np.int64), np.ones(shape, np.int64)) if use_rat else None
    rbest = None
    for arg, c in zip(node.args, cols, strict=True):
        if c.kind != "num":
            raise Unsupported("multi over non-numbers")
        skip = isinstance(arg, ast.Name)
        applicable = np.ones(shape, bool) if c.na is None or not skip else ~c.na
        if c.na is not None and not skip:
            na = either(na, c.na)
        bad = either(bad, c.bad)
        v = np.broadcast_to(c.v, shape)
        total = total + np.where(applicable, v, 0.0)
        count = count + applicable
        rc = rat_of(c) if use_rat else None
        if rsum is not None:
            rsum = None if rc is None else R.add(rsum, R.select(applicable, rc, (np.int64(0), np.int64(1))))
        if node.func in ("lớn_nhất", "nhỏ_nhất"):
            cand = np.where(applicable, v, -np.inf if node.func == "lớn_nhất" else np.inf)
            if best is None:
                best, rbest, have = cand, rc, applicable
            else:
                sign = None if rc is None or rbest is None else R.sign_of_difference(rc, rbest)
                better = (cand > best) if sign is None else (sign > 0)
                if node.func == "nhỏ_nhất":
                    better = (cand < best) if sign is None else (sign < 0)
                take = applicable & (better | ~have)
                best = np.where(take, cand, best)
                rbest = None if sign is None else R.select(take, rc, rbest)
                have = have | applicable
        frac = None if frac is None or c.frac is None else max(frac, c.frac)
        mag = max(mag, c.mag)
        dec = dec and c.dec
    none = count == 0
    if node.func == "tổng":
        col = Col(total, "num", frac, mag + len(cols).bit_length(), False, na, bad, rsum)
        return _dec_if_short(col)
    if none.any():
        na = either(na, none)
    if node.func == "trung_bình":
        rat = None if rsum is None else R.div(rsum, (count.astype(np.int64), np.int64(1)))
        with np.errstate(divide="ignore", invalid="ignore"):
            return Col(total / np.where(none, 1.0, count), "num", None, 0, False, na, bad, rat)
    return Col(best, "num", frac, mag, dec, na, bad, rbest)


# ---------------------------------------------------------------- scalar functions


def _args(ev, node: ast.Call, scope) -> list[Col]:
    return [ev.column(a, scope) for a in node.args]


def percent(ev, node: ast.Call, scope) -> Col:
    """tỷ_lệ(x, y[, v])"""
    return _ratio(ev, _args(ev, node, scope), scope, 100)


def quotient(ev, node: ast.Call, scope) -> Col:
    """chia(x, y[, v])"""
    return _ratio(ev, _args(ev, node, scope), scope, 1)


def _rounded(ev, node: ast.Call, scope, mode: str) -> Col:
    cols = _args(ev, node, scope)
    x = cols[0]
    digits = cols[1] if len(cols) > 1 else None
    if digits is not None and np.ndim(digits.v) != 0:
        raise Unsupported("rounding digits per record")
    n = 0 if digits is None else float(digits.v)
    if n != int(n):
        raise Unsupported("non-integer rounding digits")
    return round_col(ev.ctx, scope, x, int(n), mode)


def round_half_up(ev, node: ast.Call, scope) -> Col:
    return _rounded(ev, node, scope, HALF_UP)


def round_up(ev, node: ast.Call, scope) -> Col:
    return _rounded(ev, node, scope, CEILING)


def round_down(ev, node: ast.Call, scope) -> Col:
    return _rounded(ev, node, scope, FLOOR)


def clamp(ev, node: ast.Call, scope) -> Col:
    x, lo, hi = _args(ev, node, scope)
    v = np.minimum(np.maximum(x.v, lo.v), hi.v)
    frac = None if None in (x.frac, lo.frac, hi.frac) else max(x.frac, lo.frac, hi.frac)
    return Col(
        v,
        "num",
        frac,
        max(x.mag, lo.mag, hi.mag),
        x.dec and lo.dec and hi.dec,
        either(either(x.na, lo.na), hi.na),
        either(either(x.bad, lo.bad), hi.bad),
    )


def absolute(ev, node: ast.Call, scope) -> Col:
    (x,) = _args(ev, node, scope)
    return Col(np.abs(x.v), x.kind, x.frac, x.mag, x.dec, x.na, x.bad)


def has_value(ev, node: ast.Call, scope) -> Col:
    (x,) = _args(ev, node, scope)
    if x.kind == "date":
        v = ~np.isnan(np.asarray(x.v, float))
    elif x.kind == "text":
        v = np.asarray(x.v != "", dtype=bool) & np.asarray(x.v != None, dtype=bool)  # noqa: E711
    elif x.kind == "level":
        v = np.asarray(x.v) >= 0
    else:
        v = np.ones(np.shape(x.v), bool)
    return Col(v, "bool", na=x.na, bad=x.bad)


def days(ev, node: ast.Call, scope) -> Col:
    a, b = _args(ev, node, scope)
    empty = np.isnan(a.v) | np.isnan(b.v)
    v = np.where(empty, 0.0, np.asarray(b.v, float) - np.asarray(a.v, float))
    bad = either(either(a.bad, b.bad), empty if np.any(empty) else None)
    return Col(v, "num", 0, 30, True, either(a.na, b.na), bad)


def _ratio(ev, cols, scope, factor: int) -> Col:
    x, y = cols[0], cols[1]
    rx, ry = rat_of(x), rat_of(y)
    zero = np.asarray(y.v == 0)
    if ry is not None:
        zero = np.asarray(ry[0] == 0)
    elif not (y.exact or y.dec):
        scope_risk(ev.ctx, scope, close(np.asarray(y.v, float), 0.0))
    with np.errstate(divide="ignore", invalid="ignore"):
        v = factor * x.v / np.where(zero, 1.0, y.v)
    live = ~zero
    col = Col(
        v, "num", None, 0, False, either(y.na, only_where(x.na, live)), either(y.bad, only_where(x.bad, live))
    )
    if rx is not None and ry is not None:
        top = R.mul((np.int64(factor), np.int64(1)), rx)
        col.rat = None if top is None else R.div(top, ry)
    if not zero.any():
        return col
    if len(cols) > 2:
        return select(zero, cols[2], col)
    col.bad = either(col.bad, np.broadcast_to(zero, np.shape(v)).copy())
    return col


def round_col(ctx, scope, x: Col, digits: int, mode: str) -> Col:
    """Round to `digits` decimals as dsl.engine.values.round_to does; records within TOL of the
    boundary (a .5 for half-up, an integer for up/down) go to the exact engine."""
    scale = 10.0**digits
    rx = rat_of(x) if not (x.exact and x.frac == 0) else None
    r_exact = None if rx is None else R.round_scaled(rx, digits, mode)
    if r_exact is not None:
        r_exact = np.broadcast_to(r_exact, np.shape(x.v))
        v = r_exact / scale if digits else r_exact.astype(float)
        mag = int(np.max(np.abs(r_exact), initial=0)).bit_length() + 1
        col = Col(np.asarray(v, float) + 0.0, "num", 0 if digits == 0 else None, mag, True, x.na, x.bad)
        col.rat = R._tidy(r_exact, np.int64(10**digits))
        return col
    s = np.asarray(x.v, float) * scale
    if mode == CEILING:
        r = np.ceil(s)
        edge = np.abs(s - np.round(s))
    elif mode == FLOOR:
        r = np.floor(s)
        edge = np.abs(s - np.round(s))
    else:
        a = np.abs(s)
        r = np.sign(s) * np.floor(a + 0.5)
        edge = np.abs(a - np.floor(a) - 0.5)
    if not (x.exact and x.frac == 0):  # integers round to themselves
        risky = edge <= TOL * np.maximum(1.0, np.abs(s))
        if mode != HALF_UP and x.dec:
            risky &= edge != 0  # a decimal landing exactly on the grid is on it
        scope_risk(ctx, scope, risky)
    v = r / scale if digits else r
    frac = 0 if digits == 0 else None
    mag = x.mag if x.frac is not None else int(np.max(np.abs(r), initial=0)).bit_length() + 1
    return Col(v + 0.0, "num", frac, mag, True, x.na, x.bad)
