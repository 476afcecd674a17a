"""The management hierarchy for the vector backend: manager indices, layers by height, the leaders
above flagged persons, which steps depend on subordinates, and the exact re-check of flagged persons."""

from __future__ import annotations

from fractions import Fraction
from itertools import repeat
from operator import attrgetter
from types import SimpleNamespace

import numpy as np

from .. import ast
from ..ast import children
from ..checker.functions import is_aggregate
from ..checker.names import reads
from ..engine import exact as exact_engine
from ..engine.build import CRITERION
from ..engine.env import PersonState
from ..engine.state import load_fields
from ..engine.symbols import subordinate_names
from ..fields import LEVEL_NAME, SCORE_NAME
from .values import Unsupported

MAX_LAYERS = 64


def managers(people, codes) -> np.ndarray:
    index = dict(zip(codes, range(len(codes)), strict=True))
    index.pop("", None)  # an empty manager (or None) is no manager, whatever the codes
    index.pop(None, None)
    found = map(index.get, map(attrgetter("manager"), people), repeat(-1))
    out = np.fromiter(found, np.int64, len(people))
    if (out == np.arange(len(people))).any():
        raise Unsupported("self-managed person")
    return out


def heights(manager: np.ndarray) -> np.ndarray:
    h = np.zeros(len(manager), dtype=np.int64)
    has = manager >= 0
    for _ in range(MAX_LAYERS):
        new = np.zeros_like(h)
        np.maximum.at(new, manager[has], h[has] + 1)
        if np.array_equal(new, h):
            return h
        h = new
    raise Unsupported("hierarchy too deep or cyclic")


def with_leaders(flagged: np.ndarray, manager: np.ndarray) -> np.ndarray:
    marked = flagged.copy()
    cur = np.flatnonzero(flagged)
    while cur.size:
        up = manager[cur]
        up = np.unique(up[up >= 0])
        up = up[~marked[up]]
        marked[up] = True
        cur = up
    return marked


def sub_dependent(program) -> set[str]:
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
            r, scopes = reads(x, names.symbols)
            got.update(r)
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


def sub_reads(program) -> set[str]:
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


def exact(program, data, pv, mask, manager, ctx, score_key, scale) -> dict[int, PersonState]:
    """Exact states of the persons in `mask` (their subordinates' vector results reused when the
    ruleset reads nothing from subordinates but levels, scores and person fields)."""
    targets = np.flatnonzero(mask)
    if not targets.size:
        return {}
    people = data.people
    wanted = {people[i].code for i in targets.tolist()}
    reuse = None
    if program.uses_subordinates and sub_reads(program) <= (
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
    run = exact_engine.run(program, data, pv, only=wanted, reuse=reuse)
    index = {people[i].code: i for i in targets.tolist()}
    return {index[code]: s for code, s in run.states.items()}
