"""Name resolution for the compiler: what each name of a checked, effective ruleset stands for.

The engine resolves names itself from the Ruleset's tuples (the checker has already proved that they
exist and that types fit), so it depends on nothing but the AST and the standard field catalog.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import ast
from ..ast import children
from ..fields import (
    ADDED_CRITERIA_NAME,
    DISCIPLINE_SCALE,
    LEVEL_NAME,
    SCORE_NAME,
    STANDARD_INPUTS,
    TASK_FIELDS,
)
from .values import literal_value

AGGREGATES = frozenset({"tổng", "đếm", "trung_bình", "trung_bình_có_trọng_số", "lớn_nhất", "nhỏ_nhất"})
SCALAR_MULTI = frozenset({"tổng", "trung_bình", "lớn_nhất", "nhỏ_nhất"})

# person fields readable in rulesets -> attribute of dsl.records.PersonRecord
PERSON_ATTRS = {
    "mã_cán_bộ": "code",
    "họ_và_tên": "name",
    "đơn_vị": "unit",
    "chức_vụ": "position",
    "lãnh_đạo": "leader",
    "nhóm_nhiệm_vụ": "duty_group",
    "người_quản_lý": "manager",
}


@dataclass(frozen=True, slots=True)
class InputInfo:
    """A per-person input: standard or declared (`đầu vào`). `default` is None when required."""

    name: str
    title: str
    kind: str  # "số", "văn bản", "đúng sai", "ngày", "thang"
    scale: tuple[str, ...] = ()
    low: object = None
    high: object = None
    default: object = None
    required: bool = True
    standard: bool = False


@dataclass(frozen=True, slots=True)
class FieldInfo:
    """A task field: standard or declared (`trường nhiệm vụ`)."""

    name: str
    kind: str
    scale: tuple[str, ...] = ()
    default: object = None


def is_aggregate(call: ast.Call) -> bool:
    if call.func not in AGGREGATES:
        return False
    if call.func in ("đếm", "trung_bình_có_trọng_số"):
        return True
    return (
        call.scope is not None or call.where is not None or call.if_empty is not None or len(call.args) <= 1
    )


def _lit(node):
    if node is None:
        return None
    try:
        return literal_value(node)
    except TypeError:
        return None


@dataclass(slots=True)
class Names:
    params: dict[str, ast.Param] = field(default_factory=dict)
    inputs: dict[str, InputInfo] = field(default_factory=dict)
    task_fields: dict[str, FieldInfo] = field(default_factory=dict)
    task_values: dict[str, ast.Definition] = field(default_factory=dict)
    person_fields: frozenset[str] = frozenset(PERSON_ATTRS)
    person_values: dict[str, ast.Definition] = field(default_factory=dict)
    criteria: dict[str, ast.Criterion] = field(default_factory=dict)
    outputs: dict[str, ast.Output] = field(default_factory=dict)
    added_criteria: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()

    def kind(self, name: str) -> str | None:
        """ "param", "input", "task_field", "task_value", "person_field", "person_value", "criterion",
        "output", "score", "level", "added" or None."""
        if name == SCORE_NAME:
            return "score"
        if name == LEVEL_NAME:
            return "level"
        if name == ADDED_CRITERIA_NAME:
            return "added"
        for kind, table in (
            ("task_value", self.task_values),
            ("person_value", self.person_values),
            ("criterion", self.criteria),
            ("output", self.outputs),
            ("param", self.params),
            ("input", self.inputs),
            ("task_field", self.task_fields),
        ):
            if name in table:
                return kind
        if name in self.person_fields:
            return "person_field"
        return None

    def scale_of(self, name: str) -> tuple[str, ...] | None:
        if name in self.inputs and self.inputs[name].kind == "thang":
            return self.inputs[name].scale
        if name in self.task_fields and self.task_fields[name].kind == "thang":
            return self.task_fields[name].scale
        return None


def build_names(ruleset: ast.Ruleset) -> Names:
    n = Names()
    n.params = {p.name: p for p in ruleset.params}
    for spec in STANDARD_INPUTS:
        n.inputs[spec.name] = InputInfo(
            spec.name,
            spec.label,
            spec.kind,
            spec.scale,
            int(spec.low) if spec.low is not None else None,
            int(spec.high) if spec.high is not None else None,
            spec.default,
            spec.default is None,
            True,
        )
    for inp in ruleset.inputs:
        t = inp.type
        scale = t.scale if t.kind == "thang" else ()
        if t.kind == "thang" and not scale and inp.name == "kỷ_luật":
            scale = DISCIPLINE_SCALE
        n.inputs[inp.name] = InputInfo(
            inp.name,
            inp.title or inp.name,
            t.kind,
            scale,
            _lit(t.low),
            _lit(t.high),
            _lit(inp.default),
            inp.default is None,
        )
    for spec in TASK_FIELDS:
        if spec.name != "mã_cán_bộ":
            n.task_fields[spec.name] = FieldInfo(spec.name, spec.kind, spec.scale, spec.default)
    for fd in ruleset.fields:
        n.task_fields[fd.name] = FieldInfo(fd.name, fd.type.kind, fd.type.scale, _lit(fd.default))
    for d in ruleset.definitions:
        (n.task_values if d.per_task else n.person_values)[d.name] = d
    n.criteria = {c.code: c for c in ruleset.criteria}
    n.outputs = {o.name: o for o in ruleset.outputs}
    if ruleset.parent is not None and ruleset.parent.allow_add is not None:
        parent_codes = {c.code for c in ruleset.parent.criteria}
        n.added_criteria = tuple(c.code for c in ruleset.criteria if c.code not in parent_codes)
    if ruleset.levels is not None:
        n.levels = tuple(lv.name for lv in ruleset.levels.levels)
    return n


def subordinate_names(names: Names) -> frozenset[str]:
    return frozenset(names.person_fields) | frozenset(names.criteria) | {SCORE_NAME, LEVEL_NAME}


def period_names(names: Names) -> frozenset[str]:
    return frozenset({"mã_cán_bộ", "kỳ", SCORE_NAME, LEVEL_NAME}) | frozenset(names.criteria)


def reads(expr: ast.Expr | None, names: Names) -> tuple[set[str], set[str]]:
    """(top-level names read, record scopes used) by `expr`, iteratively. Names that are fields of the
    `cấp_dưới` / `kỳ` records inside such aggregates are not top-level reads."""
    out: set[str] = set()
    scopes: set[str] = set()
    if expr is None:
        return out, scopes
    sub, per = subordinate_names(names), period_names(names)
    stack: list[tuple[ast.Expr, str | None]] = [(expr, None)]
    while stack:
        node, scope = stack.pop()
        if isinstance(node, ast.Name):
            if (scope == "cấp_dưới" and node.name in sub) or (scope == "kỳ" and node.name in per):
                continue
            out.add(node.name)
            continue
        if isinstance(node, ast.Call) and is_aggregate(node):
            inner = node.scope or "nhiệm_vụ"
            scopes.add(inner)
            for arg in node.args:
                stack.append((arg, inner))
            if node.where is not None:
                stack.append((node.where, inner))
            if node.if_empty is not None:
                stack.append((node.if_empty, scope))
            continue
        for child in children(node):
            stack.append((child, scope))
    return out, scopes


def topo_order(deps: dict[str, set[str]]) -> list[str]:
    """Names of `deps` ordered so each comes after the names (of `deps`) it reads; iterative DFS.
    Names on a cycle (a checked ruleset has none) are appended in declaration order."""
    order: list[str] = []
    state: dict[str, int] = {}
    for root in deps:
        if root in state:
            continue
        stack = [(root, iter(sorted(deps[root] & deps.keys())))]
        state[root] = 1
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                stack.pop()
                state[node] = 2
                order.append(node)
            elif nxt not in state:
                state[nxt] = 1
                stack.append((nxt, iter(sorted(deps[nxt] & deps.keys()))))
    return order
