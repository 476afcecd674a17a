"""The vectorised run: steps as array operations over all people, hierarchy layers (leaves first, then
leaders by height), classification, an exact re-check of every person a float may have misjudged
(and of the leaders above them), quotas, outputs, results."""

from __future__ import annotations

import gc
from fractions import Fraction
from types import SimpleNamespace

import numpy as np

from .. import ast
from ..engine.build import ADDED, CRITERION, PERSON_VALUE, SCORE
from ..engine.env import Env, PersonState
from ..engine.levels import veto_reason
from ..engine.state import load_fields
from ..engine.symbols import children, is_aggregate, reads, subordinate_names
from ..fields import LEVEL_NAME, SCORE_NAME
from ..results import PersonResult, RunResult
from .calls import round_col
from .classify import apply_quotas, classify
from .context import Context
from .exprs import exact_col
from .values import Col, Unsupported, either

_MAX_LAYERS = 64
REPORT = "\0reported:"  # key prefix of the rounded criteria values kept beside the values
# figures of the last run (for benchmarks and tests): people, layers, re-checked exactly
last_stats: dict[str, int] = {}


def run_vector(program, data, params=None) -> RunResult:
    """Evaluate `data` like `program.evaluate(data, params=params)`; raises Unsupported when a
    construct or a value is outside what the vector backend handles."""
    # Tens of thousands of result objects and no cycles built: the cyclic GC would only walk the
    # dataset's object columns over and over (as app.tabular pauses it while loading).
    paused = gc.isenabled()
    gc.disable()
    try:
        return _run(program, data, params)
    finally:
        if paused:
            gc.enable()


def _run(program, data, params) -> RunResult:
    if program.uses_periods:
        raise Unsupported("roll-up ruleset")
    pv = program.param_values(params)
    ctx = Context(program, data, pv)
    people = data.people
    n = len(people)
    codes = [p.code for p in people]
    if len(set(codes)) != n:
        raise Unsupported("duplicate person codes")
    manager = _managers(people, codes) if program.uses_subordinates else np.full(n, -1, dtype=np.int64)
    heights = _heights(manager)
    if program.uses_subordinates:
        ctx.set_managers(manager)
    for name in program.names.task_values:  # once, all people: their risk counts for everyone
        col = ctx.task(name)
        ctx.fail_if(_owner_mask(either(col.na, col.bad), ctx))
    dynamic = _sub_dependent(program)
    rnd = program.rounding
    for step in program.person_steps:
        if step.name not in dynamic:
            ctx.values[step.name] = _step(ctx, step, None, rnd)
    layers = np.unique(heights) if dynamic or program.uses_subordinates else np.zeros(1, dtype=np.int64)
    classes = None
    for h in layers.tolist():
        members = heights == h
        saved, ctx.risk = ctx.risk, np.zeros(n, dtype=bool)
        for step in program.person_steps:
            if step.name in dynamic:
                ctx.values[step.name] = _step(ctx, step, members, rnd)
        got = classify(ctx, ctx.person_scope, program.level_steps, program.veto_steps, ctx.levels, members)
        classes = got if classes is None else _merge_classes(classes, got, members)
        _commit(ctx, members)
        ctx.lbq[members] = got.before_quota[members]
        saved |= ctx.risk & members
        ctx.risk = saved
    values = ctx.state
    score = values[SCORE_NAME]
    scale = 10**rnd.digits
    score_key = np.rint(np.asarray(score.v, float) * scale).astype(np.int64)
    lbq = classes.before_quota.copy()
    not_rated = classes.not_rated.copy()
    exact_set = _with_leaders(ctx.risk, manager)
    exact_states = _exact(program, data, params, exact_set, manager, ctx, score_key, scale)
    for i, s in exact_states.items():
        score_key[i] = int(Fraction(s.score) * scale) if s.score is not None else 0
        lbq[i] = ctx.levels.index(s.level_before_quota) if s.level_before_quota is not None else -1
        not_rated[i] = s.not_rated
    try:
        p_values = [step.limit(Env(None, None, pv)) for step in program.quota_steps]
    except Exception:  # noqa: BLE001 - the exact engine reports it (R1009)
        raise Unsupported("quota percentage") from None
    final = apply_quotas(program.quota_steps, lbq, not_rated, score_key, ctx.fields, p_values, ctx.levels)
    ctx.values = dict(values)
    ctx.values[LEVEL_NAME] = Col(final, "level", dec=True)
    ctx.risk = np.zeros(n, dtype=bool)
    for step in program.post_steps:
        ctx.values[step.name] = _step(ctx, step, None, rnd)
    outputs = {name: _reported(ctx, ctx.values[name], rnd) for name in program.outputs}
    late = ctx.risk & ~np.isin(np.arange(n), list(exact_states))
    if late.any():
        exact_states.update(_exact(program, data, params, late, manager, ctx, score_key, scale))
    last_stats.clear()
    last_stats.update(people=n, layers=len(layers), exact=len(exact_states), flagged=int(ctx.risk.sum()))
    results = _results(program, data, ctx, classes, final, lbq, score_key, outputs, rnd)
    for i, s in exact_states.items():
        s.level = ctx.levels[final[i]] if final[i] >= 0 else None
        s.values[LEVEL_NAME] = s.level
        s.quota_lines = []
        program._post(s, pv, False)  # the engine's own post-quota stage (outputs) for this person
        results[i] = program._result(s)
    return RunResult(program.code, program.version, program.sha256, data.period, results, rnd.digits)


# -------------------------------------------------------------------- steps


def _step(ctx: Context, step, members, rnd) -> Col:
    scope = ctx.person_scope
    kind = step.kind
    if kind in (ADDED, SCORE) and step.expr is None:
        col = _weighted(ctx, step.name)
    else:
        col = ctx.ev.eval(step.expr, scope)
    if kind == PERSON_VALUE:
        ctx.fail_if(col.bad, members)
        return col
    if kind == CRITERION:
        if step.when is not None:
            when = ctx.condition(step.node.when, scope, members)
            ctx.fail_if(None if col.na is None else col.na & when, members)
            ctx.fail_if(None if col.bad is None else col.bad & when, members)
            col = Col(col.v, col.kind, col.frac, col.mag, col.dec, ~when, None)
        else:
            ctx.fail_if(either(col.na, col.bad), members)
        if col.kind != "num":
            raise Unsupported("criterion that is not a number")
        # reported rounded (exactly when known, else the boundary is flagged)
        ctx.values[REPORT + step.name] = round_col(ctx, scope, col, rnd.digits, rnd.mode)
        return col
    ctx.fail_if(either(col.na, col.bad), members)
    if kind == SCORE:
        if col.kind != "num":
            raise Unsupported("score that is not a number")
        return round_col(ctx, scope, col, rnd.digits, rnd.mode)
    return col


def _weighted(ctx: Context, name: str) -> Col:
    names = ctx.names
    added = set(names.added_criteria)
    codes = [c for c in names.criteria if (c in added) == (name != SCORE_NAME)]
    total = Col(np.zeros(ctx.n_people), "num", 0, 0, True)
    for code in codes:
        crit = names.criteria[code]
        if crit.weight is None:
            continue
        w = ctx.ev.eval(crit.weight, ctx.person_scope)
        v = ctx.values.get(code)
        if v is None:
            continue
        skip = v.na if v.na is not None else np.zeros(ctx.n_people, bool)
        term = np.where(skip, 0.0, w.v * v.v)
        frac = None if None in (w.frac, v.frac, total.frac) else max(total.frac, w.frac + v.frac)
        total = exact_col(total.v + term, frac, max(total.mag, w.mag + v.mag) + 1, None, either(w.bad, None))
    return total


def _commit(ctx: Context, members: np.ndarray) -> None:
    for name, col in ctx.values.items():
        old = ctx.state.get(name)
        v = np.broadcast_to(col.v, (ctx.n_people,))
        na = col.na if col.na is None else np.broadcast_to(col.na, (ctx.n_people,))
        if old is None:
            nv = np.array(v, copy=True)
            nna = None if na is None else np.array(na, copy=True)
            ctx.state[name] = Col(nv, col.kind, col.frac, col.mag, col.dec, nna, None)
            continue
        if old.v.dtype != v.dtype:
            old.v = old.v.astype(np.result_type(old.v, v))
        old.v[members] = v[members]
        if na is not None or old.na is not None:
            if old.na is None:
                old.na = np.zeros(ctx.n_people, bool)
            old.na[members] = False if na is None else na[members]
        old.frac = None if old.frac is None or col.frac is None else max(old.frac, col.frac)
        old.mag = max(old.mag, col.mag)
        old.dec = old.dec and col.dec


def _merge_classes(acc, got, members):
    for attr in ("by_score", "before_quota", "not_rated", "vetoed"):
        getattr(acc, attr)[members] = getattr(got, attr)[members]
    acc.reasons = [(j, m & ~members) for j, m in acc.reasons] + [(j, m & members) for j, m in got.reasons]
    return acc


def _owner_mask(mask, ctx):
    if mask is None:
        return None
    out = np.zeros(ctx.n_people, bool)
    out[ctx.task_scope.owner[np.broadcast_to(mask, ctx.task_scope.owner.shape)]] = True
    return out


# -------------------------------------------------------------------- hierarchy


def _managers(people, codes) -> np.ndarray:
    index = {c: i for i, c in enumerate(codes)}
    out = np.fromiter((index.get(p.manager, -1) if p.manager else -1 for p in people), np.int64, len(people))
    if (out == np.arange(len(people))).any():
        raise Unsupported("self-managed person")
    return out


def _heights(manager: np.ndarray) -> np.ndarray:
    h = np.zeros(len(manager), dtype=np.int64)
    has = manager >= 0
    for _ in range(_MAX_LAYERS):
        new = np.zeros_like(h)
        np.maximum.at(new, manager[has], h[has] + 1)
        if np.array_equal(new, h):
            return h
        h = new
    raise Unsupported("hierarchy too deep or cyclic")


def _with_leaders(flagged: np.ndarray, manager: np.ndarray) -> np.ndarray:
    marked = flagged.copy()
    cur = np.flatnonzero(flagged)
    while cur.size:
        up = manager[cur]
        up = np.unique(up[up >= 0])
        up = up[~marked[up]]
        marked[up] = True
        cur = up
    return marked


def _sub_dependent(program) -> set[str]:
    """Person-level step names whose value depends on subordinates' results."""
    names = program.names
    deps, direct = {}, set()
    for step in program.person_steps:
        exprs = [step.expr]
        if step.kind == CRITERION:
            exprs += [step.node.when, step.node.weight]
        got: set[str] = set()
        for x in exprs:
            if x is None:
                continue
            r, scopes = reads(x, names)
            got |= r
            if scopes - {"nhiệm_vụ"}:
                direct.add(step.name)
        if step.expr is None:
            got |= set(names.criteria)
        deps[step.name] = got
    out = set(direct)
    changed = True
    while changed:
        changed = False
        for name, got in deps.items():
            if name not in out and got & out:
                out.add(name)
                changed = True
    return out


def _sub_reads(program) -> set[str]:
    """Names read from subordinate records anywhere in the ruleset."""
    sub = subordinate_names(program.names)
    out: set[str] = set()
    roots = [s.expr for s in program.person_steps + program.post_steps]
    roots += [s.node.when for s in program.person_steps if s.kind == CRITERION]
    roots += [s.cond for s in program.level_steps] + [s.veto.cond for s in program.veto_steps]
    stack = [(x, False) for x in roots if x is not None]
    while stack:
        node, inside = stack.pop()
        if isinstance(node, ast.Name) and inside and node.name in sub:
            out.add(node.name)
        if isinstance(node, ast.Call) and is_aggregate(node) and node.scope == "cấp_dưới":
            stack += [(c, True) for c in children(node)]
            continue
        stack += [(c, inside) for c in children(node)]
    return out


def _exact(program, data, params, mask, manager, ctx, score_key, scale) -> dict[int, PersonState]:
    """Exact states of the persons in `mask` (their subordinates' vector results reused when the
    ruleset reads nothing from subordinates but levels, scores and person fields)."""
    targets = np.flatnonzero(mask)
    if not targets.size:
        return {}
    people = data.people
    wanted = {people[i].code for i in targets.tolist()}
    reuse = None
    if program.uses_subordinates and _sub_reads(program) <= (
        {LEVEL_NAME, SCORE_NAME} | set(program.names.person_fields)
    ):
        subs = np.flatnonzero((manager >= 0) & ~mask)
        subs = subs[mask[manager[subs]]]
        known = {}
        for i in subs.tolist():
            st = PersonState(i, people[i])
            load_fields(st)
            st.values[SCORE_NAME] = Fraction(int(score_key[i]), scale)
            st.level_before_quota = ctx.levels[ctx.lbq[i]] if ctx.lbq[i] >= 0 else None
            known[people[i].code] = st
        reuse = SimpleNamespace(evaluated=known)
    run = program.run(data, params=params, only=wanted, reuse=reuse)
    index = {people[i].code: i for i in targets.tolist()}
    return {index[code]: s for code, s in run.states.items()}


# -------------------------------------------------------------------- results


def _reported(ctx, col: Col, rnd):
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


def _results(program, data, ctx, classes, final, lbq, score_key, outputs, rnd) -> list[PersonResult]:
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
