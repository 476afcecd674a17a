"""Expressions of a checked ruleset evaluated as numpy array operations over a scope's records.

The mirror of dsl/engine/compile.py: the same name resolution, short-circuit semantics (through the
`na`/`bad` masks) and comparison rules, but one array operation per AST node for all records at once.
Every decision floats could get wrong is reported to `Scope.risk` (comparisons of close operands that
are not both exact or both decimal, divisions by near-zero, roundings near a boundary).
"""

from __future__ import annotations

import numpy as np

from .. import ast
from ..builtins import BUILTINS, implementation
from ..checker.functions import is_aggregate
from ..fields import LEVEL_NAME
from ..syntax.literals import literal_number
from . import rational as R
from .calls import aggregate
from .columns import PERSON, SUBS, TASKS, Scope, exact_col, scope_risk, select  # noqa: F401 - re-exported
from .values import Col, Unsupported, close, either, number_col, only_where, rat_of, safe_compare


class Evaluator:
    """Evaluates AST nodes; `ctx` (dsl/vector/run.py `Context`) supplies columns and person values."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.names = ctx.names

    # ---------------------------------------------------------------- entry
    def column(self, node: ast.Expr, scope: Scope) -> Col:
        if isinstance(node, ast.Num | ast.Unary) and literal_number(node) is not None:
            return number_col(literal_number(node))
        if isinstance(node, ast.Text):
            return Col(np.array(node.value, dtype=object), "text", dec=True)
        if isinstance(node, ast.Bool):
            return Col(np.bool_(node.value), "bool")
        if isinstance(node, ast.DateLit):
            return Col(np.float64(node.value.toordinal()), "date", 0, 30, True)
        if isinstance(node, ast.Name):
            return self.ctx.name(node.name, scope)
        if isinstance(node, ast.Unary):
            x = self.column(node.operand, scope)
            if node.op == "-":
                r = rat_of(x)
                return Col(
                    -x.v, x.kind, x.frac, x.mag, x.dec, x.na, x.bad, None if r is None else (-r[0], r[1])
                )
            return Col(~_bool(x.v), "bool", na=x.na, bad=x.bad)
        if isinstance(node, ast.Binary):
            return self._binary(node, scope)
        if isinstance(node, ast.Compare):
            return self._compare(node, scope)
        if isinstance(node, ast.If):
            c = self.column(node.cond, scope)
            t, o = self.column(node.then, scope), self.column(node.otherwise, scope)
            cv = _bool(c.v)
            return select(cv, t, o, c)
        if isinstance(node, ast.Call):
            if is_aggregate(node):
                if scope.name != PERSON:
                    raise Unsupported("aggregate inside a record scope")
                return aggregate(self, node, scope)
            builtin = BUILTINS.get(node.func)
            if builtin is None or not builtin.vector:
                raise Unsupported(f"function {node.func}")
            return implementation(builtin.vector)(self, node, scope)
        raise Unsupported(type(node).__name__)

    # ---------------------------------------------------------------- operators
    def _binary(self, node: ast.Binary, scope: Scope) -> Col:
        a = self.column(node.left, scope)
        op = node.op
        b = self.column(node.right, scope)
        if op in ("và", "hoặc"):
            av, bv = _bool(a.v), _bool(b.v)
            if op == "và":
                later = av  # b is evaluated only where a holds
                v = av & bv
            else:
                later = ~av
                v = av | bv
            later = np.broadcast_to(later, np.broadcast(av, bv).shape)
            na = either(a.na, only_where(b.na, later))
            bad = either(a.bad, only_where(b.bad, later))
            return Col(v, "bool", na=na, bad=bad)
        na, bad = either(a.na, b.na), either(a.bad, b.bad)
        if a.kind != "num" or b.kind != "num":
            raise Unsupported(f"arithmetic on {a.kind}/{b.kind}")
        if op in ("+", "-"):
            v = a.v + b.v if op == "+" else a.v - b.v
            frac = None if a.frac is None or b.frac is None else max(a.frac, b.frac)
            col = exact_col(v, frac, max(a.mag, b.mag) + 1, na, bad)
            if not col.exact and scope.name == PERSON:
                ra, rb = rat_of(a), rat_of(b)
                if ra is not None and rb is not None:
                    col.rat = R.add(ra, rb, 1 if op == "+" else -1)
            return col
        if op in ("*", "×"):
            frac = None if a.frac is None or b.frac is None else a.frac + b.frac
            col = exact_col(a.v * b.v, frac, a.mag + b.mag, na, bad)
            if not col.exact and scope.name == PERSON:
                ra, rb = rat_of(a), rat_of(b)
                if ra is not None and rb is not None:
                    col.rat = R.mul(ra, rb)
            return col
        ra, rb = rat_of(a), rat_of(b)
        both = ra is not None and rb is not None
        if op == "/":
            zero = b.v == 0
            if rb is None and not (b.exact or b.dec):
                scope_risk(self.ctx, scope, close(b.v, 0.0))
            elif rb is not None:
                zero = rb[0] == 0
            with np.errstate(divide="ignore", invalid="ignore"):
                v = a.v / np.where(zero, 1.0, b.v)
            bad = either(bad, zero if np.any(zero) else None)
            return Col(v, "num", None, 0, False, na, bad, R.div(ra, rb) if both else None)
        raise Unsupported(op)

    def _compare(self, node: ast.Compare, scope: Scope) -> Col:
        cols = [self.column(x, scope) for x in node.operands]
        cols = self.ctx.map_operands(node, cols, scope)
        result = None
        live = None  # where the chain is still being evaluated
        na = bad = None
        for i, op in enumerate(node.ops):
            a, b = cols[i], cols[i + 1]
            got = compare(op, a, b)
            sign = None
            if a.kind == "num" and b.kind == "num" and not safe_compare(a, b):
                ra, rb = rat_of(a), rat_of(b)
                if ra is not None and rb is not None:
                    sign = R.sign_of_difference(ra, rb)
            if sign is not None:
                got = _by_sign(op, sign)
            elif a.kind in ("num", "date") and not safe_compare(a, b):
                risky = close(np.asarray(a.v, dtype=float), np.asarray(b.v, dtype=float))
                scope_risk(self.ctx, scope, risky if live is None else risky & live)
            blank = blank_ordering(op, a, b)  # the exact engine raises R1011 there
            if live is None:
                na, bad = either(a.na, b.na), either(either(a.bad, b.bad), blank)
                result = got
            else:
                na = either(na, only_where(b.na, live))
                bad = either(bad, only_where(either(b.bad, blank), live))
                result = result & got
            live = np.broadcast_to(result, np.shape(result))
        return Col(result, "bool", na=na, bad=bad)


def _by_sign(op: str, sign: np.ndarray) -> np.ndarray:
    return {
        "=": sign == 0,
        "<>": sign != 0,
        "!=": sign != 0,
        "<": sign < 0,
        "<=": sign <= 0,
        ">": sign > 0,
        ">=": sign >= 0,
    }[op]


def _bool(v):
    return v if getattr(v, "dtype", None) is np.dtype(bool) else np.asarray(v, dtype=bool)


def compare(op: str, a: Col, b: Col) -> np.ndarray:
    """Elementwise comparison with the exact engine's rule for empty values (NaN dates, None levels):
    empty equals only empty, and never orders."""
    x, y = a.v, b.v
    if a.kind == "level" or b.kind == "level":
        ordering = op not in ("=", "<>", "!=")
        empty_x = np.asarray(x) < 0 if ordering else None
        empty_y = np.asarray(y) < 0 if ordering else None
    elif a.kind == "date" or b.kind == "date":
        empty_x, empty_y = np.isnan(np.asarray(x, float)), np.isnan(np.asarray(y, float))
    else:
        empty_x = empty_y = None
    with np.errstate(invalid="ignore"):
        if op == "=":
            got = x == y
        elif op in ("<>", "!="):
            got = x != y
        elif op == "<":
            got = x < y
        elif op == "<=":
            got = x <= y
        elif op == ">":
            got = x > y
        elif op == ">=":
            got = x >= y
        else:
            raise Unsupported(op)
    got = np.asarray(got, dtype=bool)
    if empty_x is not None and empty_y is not None:
        both, one = empty_x & empty_y, empty_x | empty_y
        if op == "=":
            got = (got & ~one) | both
        elif op in ("<>", "!="):
            got = (got | one) & ~both
        else:
            got = got & ~one
    return got


def blank_ordering(op: str, a: Col, b: Col):
    """Where `<`, `<=`, `>`, `>=` meets a blank date (NaN): an error of the exact engine (R1011), so a
    `bad` mask (None when there is none)."""
    if op in ("=", "<>", "!=") or not (a.kind == "date" or b.kind == "date"):
        return None
    blank = np.isnan(np.asarray(a.v, float)) | np.isnan(np.asarray(b.v, float))
    return blank if blank.any() else None


def level_literal(levels: tuple[str, ...], col: Col) -> Col:
    """A text operand compared with a level: its level code (-2 when it names no level)."""
    codes = {name: i for i, name in enumerate(levels)}
    v = np.vectorize(lambda t: codes.get(t, -2), otypes=[np.int64])(col.v)
    return Col(v, "level", dec=True, na=col.na, bad=col.bad)


LEVEL = LEVEL_NAME
