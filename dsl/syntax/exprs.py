"""Transformer rules for expressions and literals (lark tree → dsl.ast expression nodes)."""

from __future__ import annotations

from lark import Token
from lark.visitors import Transformer_NonRecursive, v_args

from .. import ast
from . import literals
from .keywords import canonical_function

MAX_NESTING = 64  # brackets, calls, unary operators, nested conditionals (spec "Limits")
MAX_DEPTH = 200  # raw tree depth (long operator chains), so later recursive stages stay safe

_BINARY_OPS = {"PLUS": "+", "MINUS": "-", "TIMES": "*", "DIV": "/", "VA": "và", "HOAC": "hoặc"}
_PRECEDENCE_CLASS = {"+": "sum", "-": "sum", "*": "product", "/": "product", "và": "và", "hoặc": "hoặc"}
_COMPARE_OPS = {
    "=": "=",
    "<>": "<>",
    "!=": "<>",
    "≠": "<>",
    "<": "<",
    "<=": "<=",
    "≤": "<=",
    ">": ">",
    ">=": ">=",
    "≥": ">=",
}
_SCOPES = {"NHIEM_VU": "nhiệm_vụ", "CAP_DUOI": "cấp_dưới", "KY": "kỳ"}
_AGGREGATES = {"tổng", "đếm", "trung_bình", "trung_bình_có_trọng_số", "lớn_nhất", "nhỏ_nhất"}


def tok_span(tok: Token) -> ast.Span:
    return ast.Span(tok.line, tok.column, tok.end_line, tok.end_column)


def meta_span(meta) -> ast.Span:
    if getattr(meta, "empty", True):
        return ast.NO_SPAN
    return ast.Span(meta.line, meta.column, meta.end_line, meta.end_column)


@v_args(meta=True)
class ExprRules(Transformer_NonRecursive):
    """Mixin for the Transformer: expression rules. Needs `self.error(code, span, message)` and
    `self._depth` (id(node) -> (nesting, depth))."""

    # ---- nesting bookkeeping
    def _measure(self, node: ast.Expr, children: list, same_level: tuple = ()) -> ast.Expr:
        nest, depth = 0, 0
        for child in children:
            n, d = self._depth.get(id(child), (0, 0))
            if not any(child is s for s in same_level):
                n += 1
            nest, depth = max(nest, n), max(depth, d + 1)
        self._depth[id(node)] = (nest, depth)
        if (nest > MAX_NESTING or depth > MAX_DEPTH) and not self._too_deep:
            self._too_deep = True
            if nest > MAX_NESTING:
                self.error("E0002", node.span, f"biểu thức lồng nhau quá sâu (tối đa {MAX_NESTING} tầng)")
            else:
                self.error("E0002", node.span, f"biểu thức quá dài (quá {MAX_DEPTH} phép toán nối tiếp)")
        return node

    # ---- literals
    def _number(self, tok: Token, negative: bool = False) -> ast.Num:
        span = tok_span(tok)
        try:
            value, percent = literals.number(str(tok))
        except literals.BadLiteral as exc:
            self.error(exc.code, span, exc.args[0])
            value, percent = 0, str(tok).endswith("%")
        text = str(tok)
        if negative:
            value, text = -value, "-" + text
        return ast.Num(span, value, text, percent)

    def number(self, meta, children):
        return self._number(children[0])

    def date(self, meta, children):
        tok = children[0]
        try:
            value = literals.date(str(tok))
        except literals.BadLiteral as exc:
            self.error("E0003", tok_span(tok), exc.args[0])
            value = literals.date("01/01/2000")
        return ast.DateLit(tok_span(tok), value)

    def text(self, meta, children):
        return ast.Text(tok_span(children[0]), literals.text(str(children[0])))

    def true(self, meta, children):
        return ast.Bool(tok_span(children[0]), True)

    def false(self, meta, children):
        return ast.Bool(tok_span(children[0]), False)

    def literal(self, meta, children):
        if len(children) == 2:  # MINUS NUMBER|PERCENT
            num = self._number(children[1], negative=True)
            return ast.Num(meta_span(meta), num.value, num.text, num.percent)
        tok = children[0]
        kind = tok.type
        if kind in ("NUMBER", "PERCENT"):
            return self._number(tok)
        if kind == "DATE":
            return self.date(meta, children)
        if kind == "TEXT":
            return self.text(meta, children)
        return ast.Bool(tok_span(tok), kind == "DUNG")

    def test_literal(self, meta, children):
        child = children[0]
        if isinstance(child, Token):  # CO
            return ast.Bool(tok_span(child), True)
        return child

    # ---- names and operators
    def name(self, meta, children):
        tok = children[0]
        return ast.Name(tok_span(tok), "điểm" if tok.type == "DIEM" else str(tok))

    def paren(self, meta, children):
        inner = children[1]
        n, d = self._depth.get(id(inner), (0, 0))
        self._depth[id(inner)] = (n + 1, d)
        if n + 1 > MAX_NESTING and not self._too_deep:
            self._too_deep = True
            self.error("E0002", meta_span(meta), f"biểu thức lồng nhau quá sâu (tối đa {MAX_NESTING} tầng)")
        return inner

    def unary(self, meta, children):
        op = "-" if children[0].type == "MINUS" else "không"
        return self._measure(ast.Unary(meta_span(meta), op, children[1]), [children[1]])

    def binary(self, meta, children):
        left, optok, right = children
        op = _BINARY_OPS[optok.type]
        node = ast.Binary(meta_span(meta), op, left, right)
        same = (
            (left,)
            if isinstance(left, ast.Binary) and _PRECEDENCE_CLASS[left.op] == _PRECEDENCE_CLASS[op]
            else ()
        )
        return self._measure(node, [left, right], same)

    def compare(self, meta, children):
        operands = tuple(children[0::2])
        ops = tuple(_COMPARE_OPS[str(t)] for t in children[1::2])
        return self._measure(ast.Compare(meta_span(meta), ops, operands), list(operands))

    def if_expr(self, meta, children):
        cond, then, otherwise = children[1], children[3], children[5]
        node = ast.If(meta_span(meta), cond, then, otherwise)
        same = (otherwise,) if isinstance(otherwise, ast.If) else ()
        return self._measure(node, [cond, then, otherwise], same)

    # ---- calls
    def call_scope(self, meta, children):
        return ("scope", _SCOPES[children[0].type], tok_span(children[0]))

    def call_where(self, meta, children):
        return ("where", children[1])

    def call_empty(self, meta, children):
        return ("empty", children[-1])

    def call_args(self, meta, children):
        return [c for c in children if not (isinstance(c, Token) and c.type == "COMMA")]

    def call(self, meta, children):
        name_tok = children[0]
        parts = children[2] if len(children) == 4 else []
        func = canonical_function(str(name_tok))
        args, scope, where, if_empty = [], None, None, None
        for part in parts:
            if isinstance(part, tuple):
                if part[0] == "scope":
                    scope = part[1]
                    if func not in _AGGREGATES and scope == "kỳ":
                        args.append(ast.Name(part[2], "kỳ"))  # the task field `kỳ`, not a scope
                        scope = None
                elif part[0] == "where":
                    where = part[1]
                else:
                    if_empty = part[1]
            else:
                args.append(part)
        node = ast.Call(meta_span(meta), func, tuple(args), tok_span(name_tok), scope, where, if_empty)
        kids = [*args, *(e for e in (where, if_empty) if e is not None)]
        return self._measure(node, kids)
