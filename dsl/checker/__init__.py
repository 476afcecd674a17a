"""The checker: every problem of an effective (already merged) ruleset, as sorted diagnostics.

Stages, each in its own module: header (E0904, W09xx) · declarations (params E0701, inputs, fields)
· analysis (symbols, duplicates E0105, cycles E0501, names/scopes/types/division of every formula)
· blanks (W0203: a blank-able value ordered without a có_giá_trị guard) · weights (E0401/E0402) · levels (E0403–E0407) · outcomes (vetoes, quotas) · testcases (E0801)
· scale (E0408, W0703: the score's range proved by value-range analysis, last: it needs the rest clean).
"""

from __future__ import annotations

from .. import ast
from ..diagnostics import Diagnostic, sorted_diagnostics
from ..fields import FieldSpec
from .analysis import analyse_ruleset
from .blanks import check_blank_comparisons
from .declarations import check_inputs_and_fields, check_params
from .functions import is_aggregate, record_scope
from .header import check_citations, check_header
from .levels import check_levels, score_interval
from .names import depth, ruleset_expressions
from .outcomes import check_quotas, check_vetoes
from .scale import check_score_range
from .sink import Sink
from .symbols import Symbol, Symbols
from .testcases import check_tests
from .types import Type
from .weights import check_weights

__all__ = [
    "Symbol",
    "Symbols",
    "Type",
    "build_symbols",
    "check",
    "check_parts",
    "check_with_symbols",
    "is_aggregate",
    "record_scope",
    "score_interval",
]


MAX_DEPTH = 150  # the parser allows 64 levels of brackets; long operator chains are caught here


def _foreign_predicate(ruleset: ast.Ruleset):
    """Which nodes of an effective ruleset were inherited from the adopted (parent) ruleset."""
    parent = ruleset.parent
    if parent is None:
        return lambda node: False
    ids: set[int] = set()
    for group in (
        parent.inputs,
        parent.fields,
        parent.definitions,
        parent.criteria,
        parent.vetoes,
        parent.quotas,
        parent.outputs,
    ):
        ids.update(id(n) for n in group)
    for node in (parent.score, parent.levels):
        if node is not None:
            ids.add(id(node))
    # dsl.adopt.merge puts the inherited parameters (with the adopter's values) first
    ids.update(id(p) for p in ruleset.params[: len(parent.params)])

    def is_foreign(node: object) -> bool:
        return id(node) in ids

    return is_foreign


def check_parts(
    ruleset: ast.Ruleset,
    *,
    extra_task_fields: tuple[FieldSpec, ...] = (),
    extra_inputs: tuple[FieldSpec, ...] = (),
) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """(diagnostics on the file's own text, diagnostics on nodes inherited from the adopted ruleset,
    re-pointed to the `áp dụng` line). `check` returns both; the pipeline drops the second part when
    the adopted ruleset has errors of its own (E0605 already says so)."""
    own, foreign, _syms = check_with_symbols(
        ruleset, extra_task_fields=extra_task_fields, extra_inputs=extra_inputs
    )
    return own, foreign


def check_with_symbols(
    ruleset: ast.Ruleset,
    *,
    extra_task_fields: tuple[FieldSpec, ...] = (),
    extra_inputs: tuple[FieldSpec, ...] = (),
) -> tuple[list[Diagnostic], list[Diagnostic], Symbols | None]:
    """`check_parts` and the symbol table the engine compiles from (None when the formulas are
    nested too deeply to analyse)."""
    header = ruleset.header
    adopts = header.adopts
    label = f'bộ quy tắc được áp dụng "{adopts.code}" phiên bản {adopts.version}' if adopts else ""
    sink = Sink(ruleset.filename, adopts.span if adopts and ruleset.parent is not None else None, label)
    is_foreign = _foreign_predicate(ruleset)
    too_deep = False
    for node, expr in ruleset_expressions(ruleset):
        if expr is not None and depth(expr) > MAX_DEPTH:
            sink.foreign = is_foreign(node)
            sink.error("E0002", expr.span, f"biểu thức lồng quá sâu (quá {MAX_DEPTH} tầng)")
            too_deep = True
    sink.foreign = False
    if too_deep:  # the formula walkers recurse: stop here rather than risk the stack
        return sorted_diagnostics(sink.items), sorted_diagnostics(sink.foreign_items), None
    check_header(ruleset, sink)
    check_params(ruleset, sink, is_foreign)
    check_inputs_and_fields(ruleset, sink, is_foreign)
    syms, checker = analyse_ruleset(ruleset, sink, tuple(extra_task_fields), tuple(extra_inputs), is_foreign)
    check_weights(ruleset, syms, sink, is_foreign)
    check_levels(ruleset, syms, checker, sink, is_foreign)
    check_vetoes(ruleset, checker, sink, is_foreign)
    check_quotas(ruleset, checker, sink, is_foreign)
    check_citations(ruleset, sink, is_foreign)
    check_blank_comparisons(ruleset, syms, sink, is_foreign)
    check_tests(ruleset, syms, checker.level_names, sink)
    check_score_range(ruleset, syms, sink, is_foreign)
    return sorted_diagnostics(sink.items), sorted_diagnostics(sink.foreign_items), syms


def check(
    ruleset: ast.Ruleset,
    *,
    extra_task_fields: tuple[FieldSpec, ...] = (),
    extra_inputs: tuple[FieldSpec, ...] = (),
) -> list[Diagnostic]:
    """Every problem of an effective ruleset (see dsl.adopt.merge), sorted by position."""
    own, foreign = check_parts(ruleset, extra_task_fields=extra_task_fields, extra_inputs=extra_inputs)
    return sorted_diagnostics(own + foreign)


def build_symbols(
    ruleset: ast.Ruleset,
    extra_task_fields: tuple[FieldSpec, ...] = (),
    extra_inputs: tuple[FieldSpec, ...] = (),
) -> Symbols:
    """The symbol table of an effective ruleset (see `Symbols`): kinds, inferred types, stages,
    dependencies and a dependency order of the defined names. Diagnostics are discarded: call
    `check` first when the ruleset may have errors."""
    sink = Sink(ruleset.filename)
    if any(depth(e) > MAX_DEPTH for _n, e in ruleset_expressions(ruleset) if e is not None):
        raise ValueError("expression nested too deeply: check the ruleset first")
    syms, _checker = analyse_ruleset(ruleset, sink, tuple(extra_task_fields), tuple(extra_inputs))
    return syms
