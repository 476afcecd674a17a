"""AST expressions and literals → canonical source text (used by the formatter and by messages)."""

from __future__ import annotations

from .. import ast
from .literals import quote

# precedence levels, lowest first (docs/language-spec.md "Expressions")
IF, OR, AND, NOT, CMP, SUM, PRODUCT, NEG, ATOM = range(9)
_BINARY_PREC = {"hoặc": OR, "và": AND, "+": SUM, "-": SUM, "*": PRODUCT, "/": PRODUCT}
_OP_TEXT = {"*": "×", "hoặc": "hoặc", "và": "và", "+": "+", "-": "-", "/": "/"}
_SCOPE_TEXT = {"nhiệm_vụ": "nhiệm vụ", "cấp_dưới": "cấp dưới", "kỳ": "kỳ"}


def literal(node: ast.Expr) -> str:
    if isinstance(node, ast.Num):
        return node.text
    if isinstance(node, ast.Text):
        return quote(node.value)
    if isinstance(node, ast.Bool):
        return "đúng" if node.value else "sai"
    if isinstance(node, ast.DateLit):
        return node.value.strftime("%d/%m/") + f"{node.value.year:04d}"
    return expr(node)


def _prec(node: ast.Expr) -> int:
    if isinstance(node, ast.If):
        return IF
    if isinstance(node, ast.Binary):
        return _BINARY_PREC[node.op]
    if isinstance(node, ast.Unary):
        return NOT if node.op == "không" else NEG
    if isinstance(node, ast.Compare):
        return CMP
    return ATOM


def expr(node: ast.Expr, min_prec: int = IF, no_eq: bool = False) -> str:
    """Print `node`, in brackets when its precedence is below `min_prec`. `no_eq`: the context forbids
    a bare `=` comparison (the `khi` condition of a criterion, which a `=` follows)."""
    prec = _prec(node)
    wrap = prec < min_prec or (no_eq and _bare_eq(node))
    text = _body(node, no_eq and not wrap)
    return f"({text})" if wrap else text


def _bare_eq(node: ast.Expr) -> bool:
    return isinstance(node, ast.Compare) and "=" in node.ops


def _body(node: ast.Expr, no_eq: bool) -> str:
    if isinstance(node, (ast.Num, ast.Text, ast.Bool, ast.DateLit)):
        return literal(node)
    if isinstance(node, ast.Name):
        return node.name
    if isinstance(node, ast.If):
        return f"nếu {expr(node.cond)} thì {expr(node.then)} ngược lại {expr(node.otherwise)}"
    if isinstance(node, ast.Binary):
        return _binary(node, no_eq)
    if isinstance(node, ast.Unary):
        if node.op == "không":
            return "không " + expr(node.operand, NOT, no_eq)
        return "-" + expr(node.operand, NEG)
    if isinstance(node, ast.Compare):
        parts = [expr(node.operands[0], SUM)]
        for op, operand in zip(node.ops, node.operands[1:], strict=False):
            parts.append(f"{op} {expr(operand, SUM)}")
        return " ".join(parts)
    if isinstance(node, ast.Call):
        return _call(node)
    raise TypeError(f"cannot print {type(node).__name__}")  # pragma: no cover


def _binary(node: ast.Binary, no_eq: bool) -> str:
    """Left-associative chains are printed iteratively (long chains must not recurse deeply)."""
    prec = _BINARY_PREC[node.op]
    tail: list[tuple[str, ast.Expr]] = []
    left: ast.Expr = node
    while isinstance(left, ast.Binary) and _BINARY_PREC[left.op] == prec:
        tail.append((left.op, left.right))
        left = left.left
    # `và` inside `hoặc` is bracketed although it binds tighter: readers should not need the rule
    left_prec, right_prec = (NOT, NOT) if prec == OR else (prec, prec + 1)
    parts = [expr(left, left_prec, no_eq)]
    for op, right in reversed(tail):
        parts.append(f"{_OP_TEXT[op]} {expr(right, right_prec, no_eq)}")
    return " ".join(parts)


def _call(node: ast.Call) -> str:
    head: list[str] = []
    if node.scope is not None:
        head.append(_SCOPE_TEXT[node.scope])
    head.extend(expr(a) for a in node.args)
    text = ", ".join(head)
    if node.where is not None:
        text = f"{text} nếu {expr(node.where)}" if text else f"nếu {expr(node.where)}"
    if node.if_empty is not None:
        text = f"{text}, khi rỗng {expr(node.if_empty)}" if text else f"khi rỗng {expr(node.if_empty)}"
    return f"{node.func}({text})"


def citation(cite: ast.Citation | None) -> str:
    if cite is None:
        return ""
    parts = ["theo"]
    if cite.document is not None:
        parts.append(quote(cite.document))
    if cite.article is not None:
        parts.append(f"điều {cite.article}")
    if cite.clause is not None:
        parts.append(f"khoản {cite.clause}")
    if cite.point is not None:
        parts.append(f"điểm {cite.point}")
    return " ".join(parts)
