"""Vector results as the exact engine reports them: PersonResult objects with rounded numbers."""

from __future__ import annotations

from fractions import Fraction
from itertools import repeat
from operator import attrgetter

import numpy as np

from ..engine.levels import veto_reason
from ..results import PersonResult
from .calls import round_col
from .values import Col

REPORT = "\0reported:"  # key prefix of the rounded criteria values kept beside the values


def reported(ctx, col: Col, rnd):
    """Per-person output values as the exact engine reports them (numbers rounded, risk flagged)."""
    n = ctx.n_people
    na = np.broadcast_to(col.na, (n,)) if col.na is not None else np.zeros(n, bool)
    if col.kind == "num":
        r = round_col(ctx, ctx.person_scope, col, rnd.digits, rnd.mode)
        vals = _fractions(np.broadcast_to(r.v, (n,)), 10**rnd.digits)
    elif col.kind == "level":
        names = list(ctx.levels) + [None]
        vals = [names[c] for c in np.broadcast_to(col.v, (n,)).tolist()]
    elif col.kind == "date":
        import datetime as dt

        vals = [
            None if x != x else dt.date.fromordinal(int(x)) for x in np.broadcast_to(col.v, (n,)).tolist()
        ]
    else:
        vals = np.broadcast_to(col.v, (n,)).tolist()
    return [None if a else v for v, a in zip(vals, na.tolist(), strict=True)]


def _fractions(v: np.ndarray, scale: int, memo: dict | None = None) -> list:
    """The values as Fractions (multiples of 1/scale); `memo` (key -> Fraction, one scale) is shared
    by the columns of a run, so a value common to several columns is built once."""
    keys = np.rint(np.asarray(v, float) * scale).astype(np.int64)
    uniq, inv = _unique(keys)
    table = np.empty(len(uniq), dtype=object)
    if memo is None:
        memo = {}
    known = memo.keys()
    new = [k for k in uniq.tolist() if k not in known]
    if new:
        arr = np.array(new, dtype=np.int64)
        g = np.gcd(arr, scale)
        memo.update(zip(new, map(_fraction, (arr // g).tolist(), (scale // g).tolist()), strict=True))
    table[:] = list(map(memo.__getitem__, uniq.tolist()))
    return table[inv].tolist()


def _fractions_many(columns: list[np.ndarray], scale: int) -> list[list]:
    """`_fractions` of several columns of the same length at once."""
    if not columns:
        return []
    n = len(columns[0])
    keys = np.concatenate([np.rint(np.asarray(v, float) * scale).astype(np.int64) for v in columns])
    uniq, inv = _unique(keys)
    g = np.gcd(uniq, scale)
    table = np.empty(len(uniq), dtype=object)
    table[:] = list(map(_fraction, (uniq // g).tolist(), (scale // g).tolist()))
    flat = table[inv].tolist()
    return [flat[i * n : (i + 1) * n] for i in range(len(columns))]


def _unique(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """np.unique(keys, return_inverse=True); without sorting when the keys span a small range
    (scores and percentages times 10**digits)."""
    if keys.size:
        low, high = int(keys.min()), int(keys.max())
        if high - low <= max(4 * keys.size, 1 << 16):
            present = np.zeros(high - low + 1, dtype=bool)
            present[keys - low] = True
            uniq = np.flatnonzero(present)
            rank = np.cumsum(present) - 1
            return uniq + low, rank[keys - low]
    uniq, inv = np.unique(keys, return_inverse=True)
    return uniq, inv.reshape(-1)


def _fraction_checked(n: int, d: int) -> Fraction:
    return Fraction(n, d)


def _fraction_slots(n: int, d: int) -> Fraction:
    """n / d already in lowest terms (d > 0; the gcd is taken in numpy above), without the
    constructor's checks: CPython's Fraction keeps them in two slots."""
    f = _new(Fraction)
    f._numerator = n
    f._denominator = d
    return f


_new = object.__new__


def _pick_fraction():
    """The slot-filling constructor when it builds exactly what Fraction(n, d) does, else the public one."""
    try:
        probes = [(1, 1), (-7, 4), (6643, 100), (0, 1), (10**30 + 1, 10**6)]
        for n, d in probes:
            got, want = _fraction_slots(n, d), Fraction(n, d)
            if not (got == want and hash(got) == hash(want) and repr(got) == repr(want)):
                return _fraction_checked
            if (got.numerator, got.denominator) != (want.numerator, want.denominator):
                return _fraction_checked
        return _fraction_slots
    except Exception:  # noqa: BLE001 - another Fraction layout
        return _fraction_checked


_fraction = _pick_fraction()


def results(program, data, ctx, classes, final, lbq, score_key, outputs, rnd) -> list[PersonResult]:
    n = ctx.n_people
    scale = 10**rnd.digits
    crit_codes = list(program.names.criteria)
    # all criteria and the score as Fractions in one pass (each distinct value built once)
    *crit_values, scores = _fractions_many(
        [np.broadcast_to(ctx.state[REPORT + code].v, (n,)) for code in crit_codes] + [score_key / scale],
        scale,
    )
    crit_lists = []
    for code, vals in zip(crit_codes, crit_values, strict=True):
        col = ctx.state[code]
        na = None if col.na is None else np.broadcast_to(col.na, (n,))
        crit_lists.append((code, vals, na if na is not None and na.any() else None))
    names = list(ctx.levels) + [None]
    level_names = list(map(names.__getitem__, final.tolist()))
    lbq_names = list(map(names.__getitem__, lbq.tolist()))
    reasons: list[list[str]] = list(map(list, repeat((), n)))  # C-level loops below: n fresh lists
    texts = [veto_reason(step, program.render) for step in program.veto_steps]
    for j, mask in classes.reasons:
        for i in np.flatnonzero(mask).tolist():
            reasons[i].append(texts[j])
    out_names = list(outputs)
    not_rated = classes.not_rated.tolist()
    full = [(code, vals) for code, vals, na in crit_lists if na is None]
    full_keys = [code for code, _ in full]
    if full:
        crits = list(map(dict, map(zip, repeat(full_keys), zip(*(v for _, v in full), strict=True))))
    else:
        crits = list(map(dict, repeat((), n)))
    for code, vals, na in crit_lists:
        if na is not None:
            for i in np.flatnonzero(~na).tolist():
                crits[i][code] = vals[i]
    if out_names:
        outs = list(
            map(dict, map(zip, repeat(out_names), zip(*(outputs[k] for k in out_names), strict=True)))
        )
    else:
        outs = list(map(dict, repeat((), n)))
    people = data.people
    codes, units, groups = (list(map(attrgetter(a), people)) for a in ("code", "unit", "duty_group"))
    explanations = list(map(list, repeat((), n)))
    columns = (
        codes,
        units,
        crits,
        scores,
        level_names,
        lbq_names,
        reasons,
        outs,
        explanations,
        groups,
        not_rated,
    )
    if any(len(c) != n for c in columns):
        raise ValueError("result columns of different lengths")
    return list(map(PersonResult, *columns))
