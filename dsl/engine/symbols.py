"""The compiler's view of the checker's symbol table (`dsl.checker.symbols.Symbols`): what each name
of a checked, effective ruleset stands for, grouped the way the engines read them.

There is no second name resolution here: every name comes from the checker's table (standard fields,
catalog fields passed to the checker, the ruleset's declarations), so a ruleset that passed the check
compiles with the same names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from .. import ast
from ..checker import symbols as S
from ..fields import ADDED_CRITERIA_NAME, DISCIPLINE_SCALE, LEVEL_NAME, SCORE_NAME, FieldSpec
from ..syntax.literals import literal_or_none
from .values import norm

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
_BUILTIN_KINDS = {SCORE_NAME: "score", LEVEL_NAME: "level", ADDED_CRITERIA_NAME: "added"}


@dataclass(frozen=True, slots=True)
class InputInfo:
    """A per-person input: standard, from the catalog or declared (`đầu vào`). `default` is None when
    required."""

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
    """A task field: standard, from the catalog or declared (`trường nhiệm vụ`)."""

    name: str
    kind: str
    scale: tuple[str, ...] = ()
    default: object = None


def _lit(node):
    value = literal_or_none(node)
    return norm(value) if isinstance(value, Fraction) else value


def _bound(text: str | None):
    return None if text is None else norm(Fraction(text))


def _input_info(sym: S.Symbol) -> InputInfo:
    node = sym.node
    if isinstance(node, FieldSpec):
        return InputInfo(
            node.name,
            node.label,
            node.kind,
            node.scale,
            _bound(node.low),
            _bound(node.high),
            node.default,
            node.default is None,
            True,
        )
    t = node.type
    scale = t.scale if t.kind == "thang" else ()
    if t.kind == "thang" and not scale and node.name == "kỷ_luật":
        scale = DISCIPLINE_SCALE
    return InputInfo(
        node.name,
        node.title or node.name,
        t.kind,
        scale,
        _lit(t.low),
        _lit(t.high),
        _lit(node.default),
        node.default is None,
    )


def _field_info(sym: S.Symbol) -> FieldInfo:
    node = sym.node
    if isinstance(node, FieldSpec):
        return FieldInfo(node.name, node.kind, node.scale, node.default)
    return FieldInfo(node.name, node.type.kind, node.type.scale, _lit(node.default))


@dataclass(slots=True)
class Names:
    """The names of a compiled ruleset by kind (all taken from `symbols`)."""

    symbols: S.Symbols
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
        sym = self.symbols.get(name)
        if sym is None:
            return None
        return _BUILTIN_KINDS.get(name) if sym.kind == S.BUILTIN else sym.kind

    def scale_of(self, name: str) -> tuple[str, ...] | None:
        if name in self.inputs and self.inputs[name].kind == "thang":
            return self.inputs[name].scale
        if name in self.task_fields and self.task_fields[name].kind == "thang":
            return self.task_fields[name].scale
        return None


def names_of(ruleset: ast.Ruleset, syms: S.Symbols) -> Names:
    """The compiler's Names of a checked, effective ruleset from the checker's symbol table."""
    n = Names(syms)
    groups = {
        S.PARAM: n.params,
        S.TASK_VALUE: n.task_values,
        S.PERSON_VALUE: n.person_values,
        S.CRITERION: n.criteria,
        S.OUTPUT: n.outputs,
    }
    for name, sym in syms.names.items():
        if sym.kind == S.INPUT:
            n.inputs[name] = _input_info(sym)
        elif sym.kind == S.TASK_FIELD:
            n.task_fields[name] = _field_info(sym)
        elif sym.kind in groups:
            groups[sym.kind][name] = sym.node
    n.added_criteria = syms.added_criteria
    if ruleset.levels is not None:
        n.levels = tuple(lv.name for lv in ruleset.levels.levels)
    return n


def subordinate_names(names: Names) -> frozenset[str]:
    """The fields of a `cấp_dưới` record (they shadow top-level names inside such aggregates)."""
    return frozenset(names.symbols.subordinate)


def period_names(names: Names) -> frozenset[str]:
    """The fields of a `kỳ` record (roll-up rulesets)."""
    return frozenset(names.symbols.period)
