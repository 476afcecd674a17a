"""Vector results as the exact engine reports them: PersonResult objects with rounded numbers."""

from __future__ import annotations

from fractions import Fraction

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


def _fractions(v: np.ndarray, scale: int) -> list:
    keys = np.rint(np.asarray(v, float) * scale).astype(np.int64)
    uniq, inv = np.unique(keys, return_inverse=True)
    g = np.gcd(uniq, scale)
    table = np.empty(len(uniq), dtype=object)
    table[:] = list(map(_fraction, (uniq // g).tolist(), (scale // g).tolist()))
    return table[inv.reshape(-1)].tolist()


def _fraction(n: int, d: int) -> Fraction:
    """n / d already in lowest terms (the gcd is taken in numpy above)."""
    try:
        return Fraction(n, d, _normalize=False)
    except TypeError:  # a Python without the private fast path
        return Fraction(n, d)


def results(program, data, ctx, classes, final, lbq, score_key, outputs, rnd) -> list[PersonResult]:
    n = ctx.n_people
    scale = 10**rnd.digits
    crit_lists = []
    for code in program.names.criteria:
        col = ctx.state[code]
        r = ctx.state[REPORT + code]
        vals = _fractions(np.broadcast_to(r.v, (n,)), scale)
        na = col.na.tolist() if col.na is not None else [False] * n
        crit_lists.append((code, vals, na))
    scores = _fractions(score_key / scale, scale)
    names = list(ctx.levels) + [None]
    level_names = [names[c] for c in final.tolist()]
    lbq_names = [names[c] for c in lbq.tolist()]
    reasons: list[list[str]] = [[] for _ in range(n)]
    texts = [veto_reason(step, program.render) for step in program.veto_steps]
    for j, mask in classes.reasons:
        for i in np.flatnonzero(mask).tolist():
            reasons[i].append(texts[j])
    out_names = list(outputs)
    not_rated = classes.not_rated.tolist()
    full = [(code, vals) for code, vals, na in crit_lists if not any(na)]
    full_keys = [code for code, _ in full]
    if full:
        crits = [dict(zip(full_keys, row, strict=True)) for row in zip(*(v for _, v in full), strict=True)]
    else:
        crits = [{} for _ in range(n)]
    for code, vals, na in crit_lists:
        if any(na):
            for i in np.flatnonzero(~np.asarray(na)).tolist():
                crits[i][code] = vals[i]
    if out_names:
        outs = [
            dict(zip(out_names, row, strict=True))
            for row in zip(*(outputs[k] for k in out_names), strict=True)
        ]
    else:
        outs = [{} for _ in range(n)]
    rows = zip(data.people, crits, outs, scores, level_names, lbq_names, reasons, not_rated, strict=True)
    results = [
        PersonResult(p.code, p.unit, crit, score, level, before, why, out, [], p.duty_group, unrated)
        for p, crit, out, score, level, before, why, unrated in rows
    ]
    return results
