"""The symbol table of a ruleset: every name a formula can read, with its kind, type and stage."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from .. import ast
from ..fields import (
    ADDED_CRITERIA_NAME,
    LEVEL_NAME,
    PERIOD_RESULT_FIELDS,
    PERSON_FIELDS,
    SCORE_NAME,
    STANDARD_INPUTS,
    TASK_FIELDS,
    FieldSpec,
)
from . import types as T

PARAM = "param"
INPUT = "input"
TASK_FIELD = "task_field"
PERSON_FIELD = "person_field"
TASK_VALUE = "task_value"
PERSON_VALUE = "person_value"
CRITERION = "criterion"
OUTPUT = "output"
BUILTIN = "builtin"

TASK_STAGE = "task"
PERSON_STAGE = "person"

# kinds whose value is computed from a formula of the ruleset (their type is inferred)
DEFINED_KINDS = (TASK_VALUE, PERSON_VALUE, CRITERION, OUTPUT)


@dataclass(slots=True)
class Symbol:
    """One readable name.

    - `kind`: "param", "input", "task_field", "person_field", "task_value", "person_value",
      "criterion", "output" or "builtin" (`điểm` the score, `xếp_loại` the level, `điểm_bổ_sung`
      the weighted sum of criteria added by an adopting ruleset).
    - `type`: a `dsl.checker.types.Type` (`kind` in "số", "đúng sai", "văn bản", "ngày", "thang",
      "xếp loại", or "?" when it could not be inferred because of an error).
    - `stage`: "task" for task fields and per-task values (one value per task record), "person" for
      everything else (one value per person and period; parameters are constants).
    - `node`: the declaring AST node (Param, InputDecl, FieldDecl, Definition, Criterion, Output,
      Score) or the `FieldSpec` of a standard/catalog field; None for builtins.
    - `standard`: declared by the platform (standard fields/inputs, the catalog), not by the file.
    """

    name: str
    kind: str
    type: T.Type
    stage: str
    span: ast.Span = ast.NO_SPAN
    node: object | None = None
    standard: bool = False


@dataclass(slots=True)
class Symbols:
    """Symbol table of an (effective) ruleset, built by `dsl.checker.build_symbols`.

    - `names`: every top-level name → Symbol (params, inputs incl. the standard ones, task and person
      fields incl. catalog extras and `trường nhiệm vụ`, per-task values, person values, criteria by
      code, outputs, builtins `điểm`, `xếp_loại`, `điểm_bổ_sung`).
    - `subordinate`: the fields of a record of the `cấp_dưới` scope (a subordinate's person fields,
      criteria codes, `điểm`, `xếp_loại`); inside such an aggregate these names shadow `names`.
    - `period`: the fields of a record of the `kỳ` scope (roll-up rulesets only: PERIOD_RESULT_FIELDS
      plus the criteria codes); empty for other rulesets.
    - `deps`: defined name → the top-level names its formula reads (criteria codes read inside a
      `cấp_dưới` aggregate are the subordinates' and do not count). The score is keyed `điểm`,
      `điểm_bổ_sung` depends on the criteria added by an adopting file.
    - `order`: the defined names (per-task values, person values, criteria, `điểm`, outputs,
      `điểm_bổ_sung`) in an order where each comes after everything it reads (names on a cycle are
      left out; a checked ruleset has none).
    - `rollup`: the ruleset is a roll-up (`tổng hợp từ`).
    - `added_criteria`: codes of the criteria an adopting file added (weighted into `điểm_bổ_sung`).
    """

    names: dict[str, Symbol] = field(default_factory=dict)
    subordinate: dict[str, Symbol] = field(default_factory=dict)
    period: dict[str, Symbol] = field(default_factory=dict)
    deps: dict[str, tuple[str, ...]] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)
    rollup: bool = False
    added_criteria: tuple[str, ...] = ()

    def get(self, name: str) -> Symbol | None:
        return self.names.get(name)

    def __getitem__(self, name: str) -> Symbol:
        return self.names[name]

    def __contains__(self, name: object) -> bool:
        return name in self.names

    def type_of(self, name: str) -> T.Type:
        sym = self.names.get(name)
        return sym.type if sym else T.UNKNOWN


def _spec_symbol(spec: FieldSpec, kind: str, stage: str) -> Symbol:
    return Symbol(spec.name, kind, T.from_kind(spec.kind, spec.scale), stage, node=spec, standard=True)


def declare(
    ruleset: ast.Ruleset,
    extra_task_fields: tuple[FieldSpec, ...] = (),
    extra_inputs: tuple[FieldSpec, ...] = (),
    on_duplicate=None,
) -> Symbols:
    """The symbol table without inferred types for defined names (they get UNKNOWN for now).

    `on_duplicate(name, span, previous_symbol)` is called for each name declared twice."""
    syms = Symbols(rollup=ruleset.header.rollup_from is not None)
    names = syms.names

    def add(sym: Symbol, refinable: bool = False) -> None:
        prev = names.get(sym.name)
        if prev is not None and not (refinable and prev.standard and prev.kind == sym.kind):
            if on_duplicate is not None:
                on_duplicate(sym.name, sym.span, prev)
            return
        names[sym.name] = sym

    for spec in TASK_FIELDS:
        if spec.name != "mã_cán_bộ":  # the person's code is a person field
            names[spec.name] = _spec_symbol(spec, TASK_FIELD, TASK_STAGE)
    for spec in PERSON_FIELDS:
        names[spec.name] = _spec_symbol(spec, PERSON_FIELD, PERSON_STAGE)
    for spec in STANDARD_INPUTS:
        names[spec.name] = _spec_symbol(spec, INPUT, PERSON_STAGE)
    for spec in extra_task_fields:
        names.setdefault(spec.name, _spec_symbol(spec, TASK_FIELD, TASK_STAGE))
    for spec in extra_inputs:
        names.setdefault(spec.name, _spec_symbol(spec, INPUT, PERSON_STAGE))
    catalog = {s.name for s in extra_task_fields} | {s.name for s in extra_inputs}
    names[SCORE_NAME] = Symbol(SCORE_NAME, BUILTIN, T.NUMBER, PERSON_STAGE, standard=True)
    names[LEVEL_NAME] = Symbol(LEVEL_NAME, BUILTIN, T.LEVEL, PERSON_STAGE, standard=True)
    names[ADDED_CRITERIA_NAME] = Symbol(ADDED_CRITERIA_NAME, BUILTIN, T.NUMBER, PERSON_STAGE, standard=True)

    for p in ruleset.params:
        add(Symbol(p.name, PARAM, T.of_literal(p.value) or T.UNKNOWN, PERSON_STAGE, p.span, p))
    for inp in ruleset.inputs:
        add(Symbol(inp.name, INPUT, T.of_typespec(inp.type), PERSON_STAGE, inp.span, inp), refinable=True)
    for fd in ruleset.fields:
        sym = Symbol(fd.name, TASK_FIELD, T.of_typespec(fd.type), TASK_STAGE, fd.span, fd)
        add(sym, refinable=fd.name in catalog)
    for d in ruleset.definitions:
        kind, stage = (TASK_VALUE, TASK_STAGE) if d.per_task else (PERSON_VALUE, PERSON_STAGE)
        add(Symbol(d.name, kind, T.UNKNOWN, stage, d.span, d))
    for c in ruleset.criteria:
        add(Symbol(c.code, CRITERION, T.NUMBER, PERSON_STAGE, c.span, c))
    for o in ruleset.outputs:
        add(Symbol(o.name, OUTPUT, T.UNKNOWN, PERSON_STAGE, o.span, o))

    if ruleset.parent is not None and ruleset.parent.allow_add is not None:
        parent_codes = {c.code for c in ruleset.parent.criteria}
        syms.added_criteria = tuple(c.code for c in ruleset.criteria if c.code not in parent_codes)

    criteria_syms = {
        c.code: Symbol(c.code, CRITERION, T.NUMBER, PERSON_STAGE, c.span, c) for c in ruleset.criteria
    }
    for spec in PERSON_FIELDS:
        syms.subordinate[spec.name] = _spec_symbol(spec, PERSON_FIELD, PERSON_STAGE)
    syms.subordinate.update(criteria_syms)
    syms.subordinate[SCORE_NAME] = Symbol(SCORE_NAME, BUILTIN, T.NUMBER, PERSON_STAGE, standard=True)
    syms.subordinate[LEVEL_NAME] = Symbol(LEVEL_NAME, BUILTIN, T.LEVEL, PERSON_STAGE)
    if syms.rollup:
        for spec in PERIOD_RESULT_FIELDS:
            syms.period[spec.name] = _spec_symbol(spec, PERSON_FIELD, PERSON_STAGE)
        # the sub-period's level names belong to the sub-period ruleset: plain text here
        syms.period[LEVEL_NAME] = Symbol(LEVEL_NAME, BUILTIN, T.TEXT, PERSON_STAGE)
        syms.period.update(criteria_syms)
    return syms


def constant_number(expr: ast.Expr, syms: Symbols) -> Fraction | None:
    """The number `expr` stands for when it is a literal or a parameter's value, else None."""
    value = T.literal_number(expr)
    if value is not None:
        return value
    if isinstance(expr, ast.Name):
        sym = syms.get(expr.name)
        if sym is not None and sym.kind == PARAM and isinstance(sym.node, ast.Param):
            return T.literal_number(sym.node.value)
    return None
