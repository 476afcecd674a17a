"""Symbols, dependencies, cycles (E0501) and types of every defined name, in dependency order."""

from __future__ import annotations

from .. import ast
from ..fields import ADDED_CRITERIA_NAME, SCORE_NAME, FieldSpec
from . import symbols as S
from . import types as T
from .cycles import analyse
from .exprs import CONST, OUTPUTS, PERSON, TASK_DEF, ExprChecker
from .names import read_names
from .sink import Sink


def formulas(ruleset: ast.Ruleset, syms: S.Symbols) -> dict[str, tuple[object, tuple[ast.Expr | None, ...]]]:
    """Defined name -> (its node, the expressions it reads), in source order of kinds."""
    out: dict[str, tuple[object, tuple[ast.Expr | None, ...]]] = {}
    for d in ruleset.definitions:
        out.setdefault(d.name, (d, (d.expr,)))
    for c in ruleset.criteria:
        out.setdefault(c.code, (c, (c.expr, c.when, c.weight)))
    if ruleset.score is not None:
        out[SCORE_NAME] = (ruleset.score, (ruleset.score.expr,))
    for o in ruleset.outputs:
        out.setdefault(o.name, (o, (o.expr,)))
    return out


def dependency_graph(ruleset: ast.Ruleset, syms: S.Symbols) -> dict[str, tuple[str, ...]]:
    """Defined name -> the defined names it reads, in the order the engine runs independent steps:
    definitions, criteria, `điểm_bổ_sung`, `điểm`, outputs."""
    nodes = formulas(ruleset, syms)
    graph: dict[str, tuple[str, ...]] = {}
    outputs = {o.name for o in ruleset.outputs}
    for name, (_node, exprs) in nodes.items():
        if name in outputs or name == SCORE_NAME:
            continue
        graph[name] = _reads(exprs, syms)
    graph[ADDED_CRITERIA_NAME] = syms.added_criteria
    if ruleset.score is None:
        graph[SCORE_NAME] = tuple(c.code for c in ruleset.criteria if c.code not in syms.added_criteria)
    for name, (_node, exprs) in nodes.items():
        if name in outputs or name == SCORE_NAME:
            graph.setdefault(name, _reads(exprs, syms))
    defined = set(graph)
    return {name: tuple(r for r in reads if r in defined) for name, reads in graph.items()}


def _reads(exprs: tuple[ast.Expr | None, ...], syms: S.Symbols) -> tuple[str, ...]:
    reads: dict[str, None] = {}
    for expr in exprs:
        for ref in read_names(expr, syms):
            reads[ref] = None
    return tuple(reads)


def _type_formula(checker: ExprChecker, node: object) -> T.Type:
    if isinstance(node, ast.Definition):
        return checker.check(node.expr, TASK_DEF if node.per_task else PERSON)
    if isinstance(node, ast.Criterion):
        if node.when is not None:
            checker.cond(node.when, PERSON, 'điều kiện "khi" của tiêu chí')
        if node.weight is not None:
            checker.expect(node.weight, CONST, T.NUMBER, "trọng số")
        checker.expect(node.expr, PERSON, T.NUMBER, f'công thức của tiêu chí "{node.code}"')
        return T.NUMBER
    if isinstance(node, ast.Score):
        checker.expect(node.expr, PERSON, T.NUMBER, "công thức điểm")
        return T.NUMBER
    if isinstance(node, ast.Output):
        return checker.check(node.expr, OUTPUTS)
    return T.UNKNOWN


def analyse_ruleset(
    ruleset: ast.Ruleset,
    sink: Sink,
    extra_task_fields: tuple[FieldSpec, ...] = (),
    extra_inputs: tuple[FieldSpec, ...] = (),
    is_foreign=lambda node: False,
) -> tuple[S.Symbols, ExprChecker]:
    """Build the symbol table, report duplicates, cycles and every formula's problems, infer types."""

    def duplicate(name: str, span: ast.Span, prev: S.Symbol) -> None:
        if is_foreign(prev.node):
            sink.error("E0105", span, f'"{name}" đã có trong bộ quy tắc được áp dụng')
        elif prev.standard:
            sink.error("E0105", span, f'"{name}" trùng với tên có sẵn (trường hoặc đầu vào chuẩn)')
        else:
            at = f" (dòng {prev.span.line})" if prev.span.line else ""
            sink.error("E0105", span, f'"{name}" đã được định nghĩa{at}')

    syms = S.declare(ruleset, extra_task_fields, extra_inputs, on_duplicate=duplicate)
    level_names = tuple(lv.name for lv in ruleset.levels.levels) if ruleset.levels else ()
    checker = ExprChecker(sink, syms, level_names)
    graph = dependency_graph(ruleset, syms)
    syms.deps = graph
    order, cycles = analyse(graph)
    syms.order = order
    nodes = formulas(ruleset, syms)
    for path in cycles:
        start = path[0]
        node = nodes.get(start, (None, ()))[0]
        span = getattr(node, "span", ruleset.header.span)
        sink.foreign = is_foreign(node)
        sink.error("E0501", span, "định nghĩa vòng tròn: " + " → ".join(path))
    in_order = set(order)
    on_cycle = [name for name in graph if name not in in_order]
    for name in order + on_cycle:
        if name not in nodes:
            continue
        node = nodes[name][0]
        sink.foreign = is_foreign(node)
        typ = _type_formula(checker, node)
        sym = syms.names.get(name)
        if sym is not None and sym.node is node and sym.kind in S.DEFINED_KINDS and name in in_order:
            sym.type = typ
    # formulas whose name was a duplicate are not graph nodes: check them all the same
    for group in (ruleset.definitions, ruleset.criteria, ruleset.outputs):
        for node in group:
            key = node.code if isinstance(node, ast.Criterion) else node.name
            if nodes.get(key, (None,))[0] is not node:
                sink.foreign = is_foreign(node)
                _type_formula(checker, node)
    sink.foreign = False
    return syms, checker
