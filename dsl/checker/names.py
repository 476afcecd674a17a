"""The top-level names an expression reads (for dependencies and cycles), without recursion."""

from __future__ import annotations

from .. import ast
from ..ast import children
from .functions import is_aggregate, record_scope
from .symbols import Symbols


def read_names(expr: ast.Expr | None, syms: Symbols) -> list[str]:
    """Names of `syms.names` that `expr` reads, in order of appearance, without duplicates. Inside a
    `cấp_dưới` or `kỳ` aggregate, names that are fields of those records are not top-level reads."""
    return reads(expr, syms)[0]


def reads(expr: ast.Expr | None, syms: Symbols) -> tuple[list[str], set[str]]:
    """(`read_names`, the record scopes its aggregates run over: "nhiệm_vụ", "cấp_dưới", "kỳ")."""
    out: dict[str, None] = {}
    scopes: set[str] = set()
    if expr is None:
        return [], scopes
    stack: list[tuple[ast.Expr, str | None]] = [(expr, None)]
    while stack:
        node, scope = stack.pop()
        if isinstance(node, ast.Name):
            if scope == "cấp_dưới" and node.name in syms.subordinate:
                continue
            if scope == "kỳ" and node.name in syms.period:
                continue
            if node.name in syms.names:
                out[node.name] = None
            continue
        if isinstance(node, ast.Call) and is_aggregate(node):
            inner = record_scope(node)
            scopes.add(inner)
            for arg in node.args:
                stack.append((arg, inner))
            if node.where is not None:
                stack.append((node.where, inner))
            if node.if_empty is not None:
                stack.append((node.if_empty, scope))
            continue
        for child in reversed(children(node)):
            stack.append((child, scope))
    return list(out), scopes


def walk(expr: ast.Expr | None):
    """Every node of an expression, iteratively (pre-order)."""
    if expr is None:
        return
    stack = [expr]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(children(node)))


def shape(expr: ast.Expr | None):
    """A hashable form of an expression without spans (two conditions written alike are equal)."""
    if expr is None:
        return None
    if isinstance(expr, ast.Num):
        return ("num", expr.value)
    if isinstance(expr, (ast.Text, ast.Bool, ast.DateLit)):
        return (type(expr).__name__, expr.value)
    if isinstance(expr, ast.Name):
        return ("name", expr.name)
    if isinstance(expr, ast.Unary):
        return ("unary", expr.op, shape(expr.operand))
    if isinstance(expr, ast.Binary):
        return ("binary", expr.op, shape(expr.left), shape(expr.right))
    if isinstance(expr, ast.Compare):
        return ("compare", expr.ops, tuple(shape(e) for e in expr.operands))
    if isinstance(expr, ast.If):
        return ("if", shape(expr.cond), shape(expr.then), shape(expr.otherwise))
    if isinstance(expr, ast.Call):
        return (
            "call",
            expr.func,
            tuple(shape(a) for a in expr.args),
            expr.scope,
            shape(expr.where),
            shape(expr.if_empty),
        )
    return ("?", id(expr))


def depth(expr: ast.Expr | None) -> int:
    """Nesting depth of an expression (iteratively: operator chains can be long)."""
    if expr is None:
        return 0
    best = 0
    stack = [(expr, 1)]
    while stack:
        node, d = stack.pop()
        best = max(best, d)
        stack.extend((child, d + 1) for child in children(node))
    return best


def ruleset_expressions(ruleset: ast.Ruleset):
    """Every top-level expression of a ruleset with the node that holds it."""
    for p in ruleset.params:
        yield p, p.value
        yield p, p.low
        yield p, p.high
    for group in (ruleset.inputs, ruleset.fields):
        for decl in group:
            yield decl, decl.default
            yield decl, decl.type.low
            yield decl, decl.type.high
    for d in ruleset.definitions:
        yield d, d.expr
    for c in ruleset.criteria:
        yield c, c.expr
        yield c, c.when
        yield c, c.weight
    if ruleset.score is not None:
        yield ruleset.score, ruleset.score.expr
    if ruleset.levels is not None:
        for lv in ruleset.levels.levels:
            yield lv, lv.cond
    for v in ruleset.vetoes:
        yield v, v.cond
    for q in ruleset.quotas:
        yield q, q.limit
    for o in ruleset.outputs:
        yield o, o.expr
    if ruleset.allow_add is not None:
        yield ruleset.allow_add, ruleset.allow_add.max_weight
