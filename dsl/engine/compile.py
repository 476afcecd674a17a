"""Compile checked expressions into Python closures `fn(env) -> value` (no eval/exec).

A closure is built once per AST node; the compiler remembers each node's closure (`fns`, keyed by
`id(node)`) so the explainer can re-evaluate sub-expressions and show the values that went in.
Names are resolved at compile time against the record scope they appear in:
"person" (the person level), "nhiệm_vụ" (inside a task aggregate or a per-task value), "cấp_dưới"
(a subordinate record) or "kỳ" (a sub-period result record).
"""

from __future__ import annotations

from .. import ast
from ..builtins import BUILTINS, SCALAR_FORMS, implementation
from ..checker.functions import is_aggregate
from ..errors import BadValue, BlankComparison, ComputeError, CostLimit, DivisionByZero
from ..fields import LEVEL_NAME
from ..syntax.literals import literal_value
from ..syntax.printer import expr as expr_text
from . import aggregates
from .symbols import Names, period_names, subordinate_names
from .values import NA, NotApplicableUsed, NumberTooLarge, bounded, divide, norm

PERSON = "person"
_NEGATE = {"=": "<>", "<>": "=", "!=": "=", "<": ">=", "<=": ">", ">": "<=", ">=": "<"}


class BlankCompared(Exception):
    """An ordering comparison (<, <=, >, >=) met a blank value: its truth is unknown, never false."""


class _Unrated:
    """The level of a person not rated, in a comparison of levels: equal only to itself, never ordered."""

    __slots__ = ()


UNRATED = _Unrated()


def compare(op: str, a, b) -> bool:
    """One comparison on exact values. A blank value (None: a task without a deadline…) is only equal
    to another blank value, and cannot be ordered: `<`, `<=`, `>`, `>=` with a blank raise
    BlankCompared, which the compiled comparison turns into BlankComparison (R1011) naming the operand
    (the exact run lists every person affected); the checker warns of it beforehand (W0203)."""
    if a is None or b is None or a is UNRATED or b is UNRATED:
        if op == "=":
            return a is b
        if op in ("<>", "!="):
            return a is not b
        if a is UNRATED or b is UNRATED:
            return False
        raise BlankCompared
    if op == "=":
        return a == b
    if op in ("<>", "!="):
        return a != b
    if op == "<":
        return a < b
    if op == "<=":
        return a <= b
    if op == ">":
        return a > b
    if op == ">=":
        return a >= b
    raise ComputeError(f"phép so sánh không hỗ trợ: {op}")


def negate(op: str) -> str:
    return _NEGATE.get(op, op)


def _internal(message: str):
    def fail(e):
        raise ComputeError(message)

    return fail


class Compiler:
    def __init__(self, names: Names):
        self.names = names
        self.sub_names = subordinate_names(names)
        self.period_names = period_names(names)
        self.fns: dict[int, object] = {}

    # -------------------------------------------------------------- entry
    def expr(self, node: ast.Expr, scope: str = PERSON, skip_na: bool = False):
        fn = self._build(node, scope, skip_na)
        if _is_arithmetic(node):
            fn = _bounded(fn, node.span)
        self.fns[id(node)] = fn
        return fn

    def _build(self, node, scope, skip_na):
        if isinstance(node, ast.Num | ast.Text | ast.Bool | ast.DateLit):
            value = norm(literal_value(node))
            return lambda e: value
        if isinstance(node, ast.Name):
            return self._name(node.name, scope, skip_na)
        if isinstance(node, ast.Unary):
            return self._unary(node, scope)
        if isinstance(node, ast.Binary):
            return self._binary(node, scope)
        if isinstance(node, ast.Compare):
            return self._compare(node, scope)
        if isinstance(node, ast.If):
            c, t, o = (self.expr(x, scope) for x in (node.cond, node.then, node.otherwise))
            return lambda e: t(e) if c(e) else o(e)
        if isinstance(node, ast.Call):
            return self._call(node, scope)
        return _internal(f"biểu thức không hỗ trợ: {type(node).__name__}")

    # -------------------------------------------------------------- names
    def _name(self, n: str, scope: str, skip_na: bool):
        if scope == aggregates.SUBORDINATES and n in self.sub_names:
            if n == LEVEL_NAME:
                return lambda e: e.row.level_before_quota
            if n in self.names.person_fields:
                return lambda e: e.row.fields[n]
            return self._value_getter(n, skip_na, lambda e: e.row.values)
        if scope == aggregates.PERIODS and n in self.period_names:
            if n == "mã_cán_bộ":
                return lambda e: e.p.code
            if n in ("kỳ", LEVEL_NAME):  # text columns: "" when the column is absent
                return lambda e: e.p.period[n][e.row] if n in e.p.period else ""
            return self._value_getter(n, skip_na, lambda e: e.p.period.get(n), column=True)
        kind = self.names.kind(n)
        if kind in ("task_field", "task_value"):
            if scope != aggregates.TASKS:
                return _internal(f'"{n}" là giá trị theo nhiệm vụ, chỉ dùng trong hàm tổng hợp')
            return lambda e: e.p.task[n][e.row]
        if kind == "param":
            return lambda e: e.params[n]
        if kind == "input":
            return lambda e: e.p.inputs[n]
        if kind == "person_field":
            return lambda e: e.p.fields[n]
        if kind is None:
            return _internal(f'không có tên "{n}"')
        return self._value_getter(n, skip_na, lambda e: e.p.values)

    @staticmethod
    def _value_getter(n, skip_na, table, column=False):
        if column:

            def get_col(e):
                col = table(e)
                v = col[e.row] if col is not None else NA
                if v is NA and not skip_na:
                    raise NotApplicableUsed(n)
                return v

            return get_col

        def get(e):
            v = table(e).get(n, NA)
            if v is NA and not skip_na:
                raise NotApplicableUsed(n)
            return v

        return get

    # -------------------------------------------------------------- operators
    def _unary(self, node: ast.Unary, scope):
        x = self.expr(node.operand, scope)
        if node.op == "-":
            return lambda e: -x(e)
        return lambda e: not x(e)

    def _binary(self, node: ast.Binary, scope):
        a, b = self.expr(node.left, scope), self.expr(node.right, scope)
        op = node.op
        if op == "+":
            return lambda e: a(e) + b(e)
        if op == "-":
            return lambda e: a(e) - b(e)
        if op in ("*", "×"):
            return lambda e: a(e) * b(e)
        if op == "/":

            def div(e):
                x, y = a(e), b(e)
                if y == 0:
                    raise DivisionByZero("chia cho 0")
                return divide(x, y)

            return div
        if op == "và":
            return lambda e: bool(a(e)) and bool(b(e))
        if op == "hoặc":
            return lambda e: bool(a(e)) or bool(b(e))
        return _internal(f"phép toán không hỗ trợ: {op}")

    def operand_mapper(self, node: ast.Compare, scope):
        """How comparison operands are mapped before comparing: positions in a scale, ranks of levels."""
        for operand in node.operands:
            if not isinstance(operand, ast.Name):
                continue
            in_record = (scope == aggregates.SUBORDINATES and operand.name in self.sub_names) or (
                scope == aggregates.PERIODS and operand.name in self.period_names
            )
            scale = None if in_record else self.names.scale_of(operand.name)
            if scale:
                return _scale_mapper(operand.name, scale)
            if operand.name == LEVEL_NAME and scope != aggregates.PERIODS:
                if any(op not in ("=", "<>", "!=") for op in node.ops):
                    return _level_mapper(self.names.levels)
        return None

    def _compare(self, node: ast.Compare, scope):
        fns = [self.expr(x, scope) for x in node.operands]
        mapper = self.operand_mapper(node, scope)
        if mapper is not None:
            fns = [_mapped(mapper, f) for f in fns]
        ops = node.ops
        if len(ops) == 1:
            op, a, b = ops[0], fns[0], fns[1]

            def one(e):
                x, y = a(e), b(e)
                try:
                    return compare(op, x, y)
                except BlankCompared:
                    raise blank_error(node, (0, 1), (x, y), e) from None

            return one

        def chain(e):
            left = fns[0](e)
            for i, op in enumerate(ops):
                right = fns[i + 1](e)
                try:
                    if not compare(op, left, right):
                        return False
                except BlankCompared:
                    raise blank_error(node, (i, i + 1), (left, right), e) from None
                left = right
            return True

        return chain

    # -------------------------------------------------------------- calls
    def _call(self, node: ast.Call, scope):
        if is_aggregate(node):
            inner = node.scope or aggregates.TASKS
            args = [self.expr(a, inner, skip_na=isinstance(a, ast.Name)) for a in node.args]
            where = self.expr(node.where, inner) if node.where is not None else None
            empty = self.expr(node.if_empty, scope) if node.if_empty is not None else None
            column = None
            if len(node.args) == 1 and isinstance(node.args[0], ast.Name):
                if self.names.kind(node.args[0].name) in ("task_field", "task_value"):
                    column = node.args[0].name
            return aggregates.make_aggregate(node.func, inner, args, where, empty, column)
        builtin = BUILTINS.get(node.func)
        if builtin is None or not builtin.exact:
            return _internal(f'không có hàm "{node.func}"')
        # several-argument tổng/trung_bình/… skip not-applicable values of names
        skip = node.func in SCALAR_FORMS
        fns = [self.expr(a, scope, skip_na=skip and isinstance(a, ast.Name)) for a in node.args]
        return implementation(builtin.exact)(fns)


_ARITHMETIC_OPS = frozenset(("+", "-", "*", "×", "/"))


def _is_arithmetic(node: ast.Expr) -> bool:
    """Nodes whose result is computed by arithmetic (and may grow): operators, functions, aggregates."""
    if isinstance(node, ast.Binary | ast.Unary):
        return node.op in _ARITHMETIC_OPS
    return isinstance(node, ast.Call)


def _bounded(fn, span: ast.Span):
    """The one place where the run-time cost bound applies: the result of an arithmetic node must
    stay within values.MAX_NUMBER_DIGITS, else R1012 names the line of the expression."""

    def run(e):
        try:
            return bounded(fn(e))
        except NumberTooLarge as exc:
            raise CostLimit(
                f"dòng {span.line}, cột {span.column}: phép tính cho ra {exc}; "
                "có thể do nhân lặp lại một giá trị nhiều lần",
                span=span,
            ) from None

    return run


def _mapped(mapper, fn):
    return lambda e: mapper(fn(e))


def _scale_mapper(name, scale):
    positions = {v: i for i, v in enumerate(scale)}

    def pos(v):
        if v is None:
            v = ""
        got = positions.get(v)
        if got is None:
            raise BadValue(f'giá trị "{v}" không thuộc thang của "{name}"')
        return got

    return pos


def _level_mapper(levels):
    ranks = {name: len(levels) - i for i, name in enumerate(levels)}
    return lambda v: ranks.get(v, UNRATED)


def blank_error(node: ast.Compare, where: tuple[int, int], values: tuple, e) -> BlankComparison:
    """R1011 for the person being evaluated: which operand of which comparison was blank; `task_row`
    is the dataset row of the task (None outside a task), for the exact run to name the task."""
    blank = [expr_text(node.operands[i]) for i, v in zip(where, values, strict=True) if v is None]
    what = ", ".join(f'"{b}"' for b in blank)
    person = e.p.code if e.p is not None else None
    err = BlankComparison(f"{what} trống ở phép so sánh {expr_text(node)}", person, node.span)
    rows = e.p.task_rows if e.p is not None else None
    err.task_row = int(rows[e.row]) if rows is not None and isinstance(e.row, int) else None
    return err
