"""The vectorised run: steps as array operations over all people, hierarchy layers (leaves first, then
leaders by height), classification, an exact re-check of every person a float may have misjudged
(and of the leaders above them), quotas, outputs, results."""

from __future__ import annotations

from fractions import Fraction
from operator import attrgetter

import numpy as np

from ..defaults import complete_tasks
from ..engine import exact as exact_engine
from ..engine.build import ADDED, CRITERION, PERSON_VALUE, SCORE
from ..engine.env import Env
from ..engine.plan import Plan
from ..errors import EvalError
from ..fields import LEVEL_NAME, SCORE_NAME
from ..results import RunResult
from . import layers
from . import results as results_
from .calls import round_col
from .classify import apply_quotas, classify
from .columns import exact_col
from .context import Context
from .results import REPORT
from .values import Col, Unsupported, either


def run_vector(program: Plan, data, params=None) -> RunResult:
    """Evaluate `data` like the exact engine does with parameter overrides `params`; raises
    Unsupported when a construct or a value is outside what the vector backend handles (the caller,
    dsl.engine.program.Program.evaluate, then runs the exact engine). `RunResult.stats` holds the
    figures of the run: people, layers, exact (persons re-checked exactly), flagged."""
    # overflowing floats (inf, nan) are flagged or fail, and the exact engine decides: its cost
    # bound (R1012) then stops the run; numpy's warnings would only be noise for the user
    with np.errstate(all="ignore"):
        return _run(program, data, params)


def _run(program: Plan, data, params) -> RunResult:
    if program.uses_periods:
        raise Unsupported("roll-up ruleset")
    pv = program.param_values(params)
    complete_tasks(data, program.needed_fields)
    ctx = Context(program, data, pv)
    people = data.people
    n = len(people)
    codes = list(map(attrgetter("code"), people))
    if len(set(codes)) != n:
        raise Unsupported("duplicate person codes")
    manager = layers.managers(people, codes) if program.uses_subordinates else np.full(n, -1, dtype=np.int64)
    heights = layers.heights(manager)
    if program.uses_subordinates:
        ctx.set_managers(manager)
    for name in program.names.task_values:  # once, all people: their risk counts for everyone
        col = ctx.task(name)
        ctx.fail_if(_owner_mask(either(col.na, col.bad), ctx))
    dynamic = layers.sub_dependent(program)
    rnd = program.rounding
    for step in program.person_steps:
        if step.name not in dynamic:
            ctx.values[step.name] = _step(ctx, step, None, rnd)
    passes = np.unique(heights) if dynamic or program.uses_subordinates else np.zeros(1, dtype=np.int64)
    classes = None
    for h in passes.tolist():
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
    exact_set = layers.with_leaders(ctx.risk, manager)
    exact_states = layers.exact(program, data, pv, exact_set, manager, ctx, score_key, scale)
    for i, s in exact_states.items():
        score_key[i] = int(Fraction(s.score) * scale) if s.score is not None else 0
        lbq[i] = ctx.levels.index(s.level_before_quota) if s.level_before_quota is not None else -1
        not_rated[i] = s.not_rated
    try:
        p_values = [step.limit(Env(None, None, pv)) for step in program.quota_steps]
    except (EvalError, ArithmeticError, TypeError, ValueError, KeyError, AttributeError):
        raise Unsupported("quota percentage: the exact engine reports it (R1009)") from None
    final = apply_quotas(program.quota_steps, lbq, not_rated, score_key, ctx.fields, p_values, ctx.levels)
    ctx.values = dict(values)
    ctx.values[LEVEL_NAME] = Col(final, "level", dec=True)
    ctx.risk = np.zeros(n, dtype=bool)
    for step in program.post_steps:
        ctx.values[step.name] = _step(ctx, step, None, rnd)
    outputs = {name: results_.reported(ctx, ctx.values[name], rnd) for name in program.outputs}
    late = ctx.risk & ~np.isin(np.arange(n), list(exact_states))
    if late.any():
        exact_states.update(layers.exact(program, data, pv, late, manager, ctx, score_key, scale))
    stats = {"people": n, "layers": len(passes), "exact": len(exact_states), "flagged": int(ctx.risk.sum())}
    results = results_.results(program, data, ctx, classes, final, lbq, score_key, outputs, rnd)
    for i, s in exact_states.items():
        s.level = ctx.levels[final[i]] if final[i] >= 0 else None
        s.values[LEVEL_NAME] = s.level
        s.quota_lines = []
        exact_engine.post(program, s, pv, False)  # the exact engine's post-quota stage (outputs)
        results[i] = exact_engine.result(program, s)
    return RunResult(program.code, program.version, program.sha256, data.period, results, rnd.digits, stats)


# -------------------------------------------------------------------- steps


def _step(ctx: Context, step, members, rnd) -> Col:
    scope = ctx.person_scope
    kind = step.kind
    if kind in (ADDED, SCORE) and step.expr is None:
        col = _weighted(ctx, step.name)
    else:
        col = ctx.ev.column(step.expr, scope)
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
        w = ctx.ev.column(crit.weight, ctx.person_scope)
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
