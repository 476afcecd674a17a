"""The state of one vectorised run: columns, person values per pass, committed (final) values,
the hierarchy layers and the per-person risk mask."""

from __future__ import annotations

import numpy as np

from .. import ast
from ..engine.symbols import subordinate_names
from ..fields import LEVEL_NAME
from . import load
from .columns import PERSON, SUBS, TASKS, Scope
from .exprs import Evaluator, level_literal
from .values import Col, Unsupported, either, number_col


def gather(col: Col, idx: np.ndarray | None) -> Col:
    if idx is None:
        return col
    v = col.v[idx] if np.ndim(col.v) else col.v
    na = None if col.na is None else col.na[idx]
    bad = None if col.bad is None else col.bad[idx]
    return Col(v, col.kind, col.frac, col.mag, col.dec, na, bad)


class Context:
    def __init__(self, program, data, pv: dict):
        self.program = program
        self.names = program.names
        self.data = data
        self.pv = pv
        self.levels = tuple(program.level_names)
        n_people = len(data.people)
        self.n_people = n_people
        self.fields = load.PersonFields(data)
        self.inputs = load.inputs(data, program.needed_inputs)
        self.raw_tasks = load.task_columns(data, program.needed_fields)
        owner = np.asarray(data.task_person, dtype=np.int64)
        if owner.size and (owner.min() < 0 or owner.max() >= n_people):
            raise Unsupported("task person out of range")
        self.person_scope = Scope(PERSON, n_people, None)
        self.task_scope = Scope(TASKS, data.task_count, owner)
        self.sub_scope: Scope | None = None
        self.task_values: dict[str, Col] = {}
        self.values: dict[str, Col] = {}  # this pass's person-level values
        self.state: dict[str, Col] = {}  # committed values (subordinates read them)
        self.lbq = np.full(n_people, -1, dtype=np.int64)  # committed levels before quota
        self.risk = np.zeros(n_people, dtype=bool)
        self.sub_names = subordinate_names(self.names)
        self.ev = Evaluator(self)
        self._params: dict[str, Col] = {}

    # ---------------------------------------------------------------- hierarchy
    def set_managers(self, manager: np.ndarray) -> None:
        rows = np.flatnonzero(manager >= 0)
        self.sub_scope = Scope(SUBS, len(rows), manager[rows], rows)

    def scope(self, name: str) -> Scope:
        if name == TASKS:
            return self.task_scope
        if name == SUBS and self.sub_scope is not None:
            return self.sub_scope
        raise Unsupported(f"scope {name}")

    # ---------------------------------------------------------------- names
    def name(self, n: str, scope: Scope) -> Col:
        if scope.name == SUBS and n in self.sub_names:
            if n == LEVEL_NAME:
                return Col(self.lbq[scope.rows], "level", dec=True)
            if n in self.names.person_fields:
                return gather(self.fields[n], scope.rows)
            return gather(self._committed(n), scope.rows)
        kind = self.names.kind(n)
        if kind in ("task_field", "task_value"):
            if scope.name != TASKS:
                raise Unsupported("task name outside an aggregate")
            return self.task(n)
        if kind == "param":
            col = self._params.get(n)
            if col is None:
                col = self._params[n] = self._param(n)
            return col
        if kind == "input":
            return gather(self.inputs[n], scope.owner)
        if kind == "person_field":
            return gather(self.fields[n], scope.owner)
        if kind is None:
            raise Unsupported(f"name {n}")
        col = self.values.get(n)
        if col is None:  # not (yet) defined: not applicable, as in the exact engine
            col = Col(np.zeros(self.n_people), "num", na=np.ones(self.n_people, bool))
        return gather(col, scope.owner)

    def _param(self, n: str) -> Col:
        v = self.pv[n]
        if isinstance(v, bool):
            return Col(np.bool_(v), "bool")
        if isinstance(v, str):
            return Col(np.array(v, dtype=object), "text", dec=True)
        if hasattr(v, "toordinal"):
            return Col(np.float64(v.toordinal()), "date", 0, 30, True)
        return number_col(v)

    def _committed(self, n: str) -> Col:
        col = self.state.get(n)
        if col is None:
            return Col(np.zeros(self.n_people), "num", na=np.ones(self.n_people, bool))
        return col

    def task(self, n: str) -> Col:
        col = self.raw_tasks.get(n)
        if col is not None:
            return col
        col = self.task_values.get(n)
        if col is None:
            d = self.names.task_values[n]
            col = self.task_values[n] = self.ev.column(d.expr, self.task_scope)
        return col

    # ---------------------------------------------------------------- helpers
    def condition(self, node: ast.Expr, scope: Scope, members: np.ndarray | None = None) -> np.ndarray:
        c = self.ev.column(node, scope)
        if c.kind != "bool":
            raise Unsupported("condition not boolean")
        self.fail_if(either(c.na, c.bad), members)
        return np.broadcast_to(np.asarray(c.v, dtype=bool), (scope.n,)).copy()

    def fail_if(self, mask, members=None) -> None:
        if mask is None:
            return
        mask = np.broadcast_to(mask, (self.n_people,))
        if (mask if members is None else mask & members).any():
            raise Unsupported("a value the exact engine rejects")

    def map_operands(self, node: ast.Compare, cols: list[Col], scope: Scope) -> list[Col]:
        """Scale positions and level ranks, as dsl.engine.compile.Compiler.operand_mapper."""
        for operand in node.operands:
            if not isinstance(operand, ast.Name):
                continue
            in_record = scope.name == SUBS and operand.name in self.sub_names
            scale = None if in_record else self.names.scale_of(operand.name)
            if scale:
                return [_positions(c, scale) for c in cols]
            if operand.name == LEVEL_NAME and any(op not in ("=", "<>", "!=") for op in node.ops):
                return [self._ranks(c) for c in cols]
        if any(c.kind == "level" for c in cols):
            return [level_literal(self.levels, c) if c.kind == "text" else c for c in cols]
        return cols

    def _ranks(self, c: Col) -> Col:
        n = len(self.levels)
        if c.kind == "text":
            c = level_literal(self.levels, c)
        v = np.asarray(c.v)
        return Col(np.where(v >= 0, n - v, -1), "level", dec=True, na=c.na, bad=c.bad)


def _positions(c: Col, scale) -> Col:
    if c.kind != "text":
        raise Unsupported("scale compared with a non-text value")
    flat = np.asarray(c.v, dtype=object)
    v = np.full(flat.shape, -1.0)
    for i, name in enumerate(scale):
        v[flat == name] = i
        if name == "":
            v[np.equal(flat, None)] = i
    bad = v < 0
    return Col(v, "num", 0, 16, True, c.na, either(c.bad, bad if bad.any() else None))
