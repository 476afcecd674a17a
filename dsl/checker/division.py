"""When a divisor is provably non-zero (else `/`, `chia` and `tỷ_lệ` need a default: E0301)."""

from __future__ import annotations

from .. import ast
from .symbols import PARAM, Symbols
from .types import literal_number


def param_excludes_zero(param: ast.Param) -> bool:
    """A parameter's value is non-zero and, when adopters may change it, its bounds exclude 0."""
    value = literal_number(param.value)
    if value is None or value == 0:
        return False
    if param.locked:
        return True
    low, high = literal_number(param.low), literal_number(param.high)
    return (low is not None and low > 0) or (high is not None and high < 0)


def provably_nonzero(expr: ast.Expr, syms: Symbols) -> bool:
    """A non-zero literal, a parameter whose value and bounds exclude 0, `lớn_nhất(...)` with a
    positive literal argument, or the negation of one of these."""
    while isinstance(expr, ast.Unary) and expr.op == "-":
        expr = expr.operand
    if isinstance(expr, ast.Num):
        return expr.value != 0
    if isinstance(expr, ast.Name):
        sym = syms.get(expr.name)
        return (
            sym is not None
            and sym.kind == PARAM
            and isinstance(sym.node, ast.Param)
            and param_excludes_zero(sym.node)
        )
    if isinstance(expr, ast.Call) and expr.func == "lớn_nhất" and len(expr.args) >= 2 and expr.scope is None:
        for arg in expr.args:
            value = literal_number(arg)
            if value is not None and value > 0:
                return True
            if isinstance(arg, ast.Name) and provably_positive_param(arg.name, syms):
                return True
    return False


def provably_positive_param(name: str, syms: Symbols) -> bool:
    sym = syms.get(name)
    if sym is None or sym.kind != PARAM or not isinstance(sym.node, ast.Param):
        return False
    param = sym.node
    value = literal_number(param.value)
    if value is None or value <= 0:
        return False
    if param.locked:
        return True
    low = literal_number(param.low)
    return low is not None and low > 0
