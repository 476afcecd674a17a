"""Levels, caps, vetoes and not-rated as masked selects; quotas per group with sorted ranks.

Level values are int codes into the ruleset's level list (0 = best), -1 when not rated.
Mirrors dsl/engine/levels.py (`classify`) and dsl/engine/quota.py (`apply_quota`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from ..engine.levels import CAP, NOT_RATED, VETO
from ..engine.quota import base_rule, kept_count
from .values import Unsupported


@dataclass(slots=True)
class Classes:
    by_score: np.ndarray
    before_quota: np.ndarray
    not_rated: np.ndarray
    vetoed: np.ndarray
    reasons: list[tuple[int, np.ndarray]] = field(default_factory=list)  # (veto step index, mask)


def classify(ctx, scope, level_steps, veto_steps, levels: tuple[str, ...], members=None) -> Classes:
    n = scope.n
    code = {name: i for i, name in enumerate(levels)}
    level = np.full(n, -1, dtype=np.int64)
    open_ = np.ones(n, dtype=bool)
    for i, step in enumerate(level_steps):
        if step.fn is None and step.cond is None:
            hit = open_
        else:
            hit = open_ & ctx.condition(step.cond, scope, members)
        level[hit] = i
        open_ &= ~hit
    by_score = level.copy()
    not_rated = np.zeros(n, bool)
    vetoed = np.zeros(n, bool)
    reasons = []
    for kind in (CAP, VETO, NOT_RATED):
        for j, step in enumerate(veto_steps):
            if step.veto.kind != kind:
                continue
            hit = ctx.condition(step.veto.cond, scope, members)
            target = step.veto.level
            if kind == CAP:
                if target not in code:
                    continue
                hit = hit & (level >= 0) & (level < code[target])
                level[hit] = code[target]
            elif kind == VETO:
                if target not in code:
                    raise Unsupported("veto to an unknown level")
                vetoed |= hit
                level[hit] = code[target]
            else:
                not_rated |= hit
                level[hit] = -1
            if hit.any():
                reasons.append((j, hit))
    level[not_rated] = -1
    return Classes(by_score, level, not_rated, vetoed, reasons)


def apply_quotas(
    steps,
    level: np.ndarray,
    not_rated: np.ndarray,
    score_key: np.ndarray,
    fields,
    p_values,
    levels: tuple[str, ...],
) -> np.ndarray:
    """Final level codes after the quotas, in order (`level` is not modified)."""
    level = level.copy()
    for step, p in zip(steps, p_values, strict=True):
        q = step.quota
        if q.level not in levels:
            continue
        a = levels.index(q.level)
        if a + 1 >= len(levels):
            continue
        rule = base_rule(q, levels)
        rated = ~not_rated & (level >= 0)
        gid = _groups(q.scope, fields, rated)
        n_groups = int(gid.max()) + 1 if gid.size else 0
        in_a = rated & (level == a)
        if not in_a.any():
            continue
        n_a = np.bincount(gid[in_a], minlength=n_groups)
        in_base = rated & (level != a) & np.isin(level, sorted(rule.levels))
        fixed = np.bincount(gid[in_base], minlength=n_groups)
        kept = _kept(q, p, n_a, fixed, rule)
        members = np.flatnonzero(in_a)
        tie = _tie_ranks(q.tie_field, fields, members)
        order = members[np.lexsort((tie, -score_key[members], gid[members]))]
        g_sorted = gid[order]
        starts = np.searchsorted(g_sorted, g_sorted, side="left")
        rank = np.arange(len(order)) - starts
        demoted = order[rank >= kept[g_sorted]]
        level[demoted] = a + 1
    return level


def _kept(q, p, n_a, fixed, rule) -> np.ndarray:
    """How many of each group's n_A may keep level A (dsl.engine.quota.kept_count, vectorised for the
    default rounding down, p = t/b, base(k) = fixed + k·kept + (n_A − k)·demoted and k integer, so
    k <= floor(p·base(k)) <=> k <= p·base(k):
    both counted (base constant): k <= t(fixed + n_A)/b; demoted only: k <= t(fixed + n_A)/(t + b);
    kept only: k <= t·fixed/(b − t) when p < 1, any k when p >= 1; neither: k <= t·fixed/b)."""
    p = Fraction(p)
    if q.rounding == "xuống" and p >= 0 and p.numerator < 2**20 and p.denominator < 2**20:
        top, bottom = p.numerator, p.denominator
        if rule.kept and rule.demoted:
            bound = (top * (fixed + n_a)) // bottom
        elif rule.demoted:
            bound = (top * (fixed + n_a)) // (top + bottom)
        elif rule.kept:
            bound = n_a if top >= bottom else (top * fixed) // (bottom - top)
        else:
            bound = (top * fixed) // bottom
        return np.maximum(0, np.minimum(n_a, bound))
    kept = np.zeros(len(n_a), dtype=np.int64)
    for g in np.flatnonzero(n_a).tolist():
        kept[g] = kept_count(q, p, int(n_a[g]), int(fixed[g]), rule)
    return kept


def _groups(scope_fields, fields, rated) -> np.ndarray:
    n = len(rated)
    if not scope_fields:
        return np.zeros(n, dtype=np.int64)
    gid = np.zeros(n, dtype=np.int64)
    for f in scope_fields:
        if f not in fields:
            raise Unsupported(f"quota group by {f}")
        values = fields[f].v.tolist()
        index = {v: i for i, v in enumerate(dict.fromkeys(values))}  # in order of first appearance
        codes = np.fromiter(map(index.__getitem__, values), np.int64, n)
        gid = gid * (len(index) + 1) + codes
    return np.unique(gid, return_inverse=True)[1].reshape(-1)


def _tie_ranks(name, fields, members) -> np.ndarray:
    if name not in fields:
        raise Unsupported(f"quota ties by {name}")
    vals = fields[name].v[members].tolist()
    try:
        ranks = {v: i for i, v in enumerate(sorted(set(vals)))}
    except TypeError:
        raise Unsupported("tie values of mixed types") from None
    return np.fromiter((ranks[v] for v in vals), dtype=np.int64, count=len(vals))
