"""What expressions and calls of the vector backend share: scopes (the records an expression runs
over), selecting between columns, exact-result columns and reporting risky records."""

from __future__ import annotations

import numpy as np

from . import rational as R
from .values import Col, Unsupported, either, rat_of

PERSON, TASKS, SUBS = "person", "nhiệm_vụ", "cấp_dưới"


class Scope:
    """The records an expression runs over: people (owner None), tasks or subordinates (owner: the
    person index each record belongs to, used to gather person values and to map risks)."""

    def __init__(self, name: str, n: int, owner: np.ndarray | None, rows: np.ndarray | None = None):
        self.name, self.n, self.owner, self.rows = name, n, owner, rows


def exact_col(v, frac, mag, na=None, bad=None) -> Col:
    """A numeric result: binary-exact when frac + mag fit; then also decimal when short enough."""
    col = Col(v, "num", frac, mag, False, na, bad)
    if col.exact and frac + int(np.ceil(mag * 0.302)) <= 15:
        col.dec = True
    if not col.exact:
        col.frac = None
    return col


def select(cond: np.ndarray, t: Col, o: Col, c: Col | None = None) -> Col:
    if t.kind != o.kind and not (t.kind in ("num", "date") and o.kind in ("num", "date")):
        raise Unsupported(f"branches of kinds {t.kind}/{o.kind}")
    v = np.where(cond, t.v, o.v)
    frac = None if t.frac is None or o.frac is None else max(t.frac, o.frac)
    na = _pick(cond, t.na, o.na)
    bad = _pick(cond, t.bad, o.bad)
    if c is not None:
        na, bad = either(c.na, na), either(c.bad, bad)
    col = Col(v, t.kind, frac, max(t.mag, o.mag), t.dec and o.dec, na, bad)
    if t.kind == "num" and o.kind == "num" and not col.exact:
        rt, ro = rat_of(t), rat_of(o)
        if rt is not None and ro is not None:
            col.rat = R.select(cond, rt, ro)
    return col


def _pick(cond, a, b):
    if a is None and b is None:
        return None
    shape = np.broadcast(cond, a if a is not None else cond, b if b is not None else cond).shape
    a = np.zeros(shape, bool) if a is None else a
    b = np.zeros(shape, bool) if b is None else b
    out = np.where(cond, a, b)
    return out if out.any() else None


def scope_risk(ctx, scope: Scope, risky) -> None:
    """Report records whose decision floats may get wrong: their persons go to the exact engine."""
    risky = np.asarray(risky, dtype=bool)
    if not risky.any():
        return
    if risky.ndim == 0:
        ctx.risk[:] = True
        return
    if scope.owner is None:
        ctx.risk |= risky
    else:
        ctx.risk[scope.owner[risky]] = True
