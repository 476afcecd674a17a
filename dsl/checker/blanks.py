"""Blank values in comparisons (W0203): a value that can be blank compared with <, <=, > or >= where no
`có_giá_trị(…)` guard rules the blank out.

Blank-able: a task field of kind `ngày` without a default (the standard `ngày_giao`, `hạn_hoàn_thành`,
`ngày_hoàn_thành`, and `trường nhiệm vụ … : ngày` without `mặc định`; numbers, text and true/false
fields get 0, "" and sai), and per-task values that can be one of those. Inputs without `mặc định` are
required (R1001), so never blank. A guard is what makes the comparison run only when the value is
there: `có_giá_trị(x) và x > y`, `không có_giá_trị(x) hoặc x <= y`, `nếu có_giá_trị(x) thì … x …`, a
`nếu` filter of an aggregate, or a name of a condition holding such a guard (`xong và x > y` with
`xong = … và có_giá_trị(x)`). At run time the engine reports such a comparison with R1011, listing the
persons (dsl/engine/compile.py)."""

from __future__ import annotations

from .. import ast
from ..fields import FieldSpec
from . import symbols as S
from . import types as T
from .functions import is_aggregate
from .names import ruleset_expressions
from .sink import Sink

_ORDERING = ("<", "<=", ">", ">=")
MAX_UNFOLD = 16


class _Blanks:
    def __init__(self, syms: S.Symbols, sink: Sink):
        self.syms = syms
        self.sink = sink
        self._can_be_blank: dict[str, frozenset[str]] = {}
        self._reported: set[tuple[int, str]] = set()

    # ------------------------------------------------------------ what can be blank

    def _field_blank(self, sym: S.Symbol) -> bool:
        if sym.kind != S.TASK_FIELD or sym.type.kind != T.DATE_KIND:
            return False
        node = sym.node
        if isinstance(node, FieldSpec):
            return node.default is None
        return getattr(node, "default", None) is None

    def _definition(self, name: str) -> ast.Expr | None:
        sym = self.syms.get(name)
        if (
            sym is not None
            and sym.kind in (S.TASK_VALUE, S.PERSON_VALUE)
            and isinstance(sym.node, ast.Definition)
        ):
            return sym.node.expr
        return None

    def blank_names(self, e: ast.Expr, known: frozenset[str], depth: int = 0) -> frozenset[str]:
        """The blank-able fields `e` can be blank through, given the names `known` to have a value."""
        if depth > MAX_UNFOLD:
            return frozenset()
        if isinstance(e, ast.Name):
            if e.name in known:
                return frozenset()
            sym = self.syms.get(e.name)
            if sym is None:
                return frozenset()
            if self._field_blank(sym):
                return frozenset({e.name})
            inner = self._definition(e.name) if sym.kind == S.TASK_VALUE else None
            if inner is None:
                return frozenset()
            if e.name not in self._can_be_blank:
                self._can_be_blank[e.name] = frozenset()  # a cycle (E0501) stops here
                self._can_be_blank[e.name] = self.blank_names(inner, frozenset(), depth + 1)
            return self._can_be_blank[e.name] - known
        if isinstance(e, ast.If):
            then = self.blank_names(e.then, known | self.given(e.cond, True), depth + 1)
            other = self.blank_names(e.otherwise, known | self.given(e.cond, False), depth + 1)
            return then | other
        if isinstance(e, ast.Call) and not is_aggregate(e) and e.func in ("lớn_nhất", "nhỏ_nhất"):
            out: frozenset[str] = frozenset()
            for arg in e.args:
                out |= self.blank_names(arg, known, depth + 1)
            return out
        return frozenset()

    def given(self, cond: ast.Expr | None, holds: bool, depth: int = 0) -> frozenset[str]:
        """Names that have a value whenever `cond` evaluates to `holds`."""
        if cond is None or depth > MAX_UNFOLD:
            return frozenset()
        if isinstance(cond, ast.Unary) and cond.op == "không":
            return self.given(cond.operand, not holds, depth + 1)
        if isinstance(cond, ast.Binary) and cond.op in ("và", "hoặc"):
            left, right = self.given(cond.left, holds, depth + 1), self.given(cond.right, holds, depth + 1)
            return left | right if (cond.op == "và") == holds else left & right
        if isinstance(cond, ast.Call) and cond.func == "có_giá_trị" and holds and len(cond.args) == 1:
            arg = cond.args[0]
            return frozenset({arg.name}) if isinstance(arg, ast.Name) else frozenset()
        if isinstance(cond, ast.Name):
            inner = self._definition(cond.name)
            return self.given(inner, holds, depth + 1) if inner is not None else frozenset()
        return frozenset()

    # ------------------------------------------------------------ the walk

    def walk(self, e: ast.Expr | None, known: frozenset[str]) -> None:
        stack: list[tuple[ast.Expr, frozenset[str]]] = [] if e is None else [(e, known)]
        while stack:
            node, known = stack.pop()
            if isinstance(node, ast.Compare):
                self._compare(node, known)
                stack.extend((x, known) for x in node.operands)
            elif isinstance(node, ast.Binary) and node.op in ("và", "hoặc"):
                stack.append((node.left, known))
                stack.append((node.right, known | self.given(node.left, node.op == "và")))
            elif isinstance(node, ast.If):
                stack.append((node.cond, known))
                stack.append((node.then, known | self.given(node.cond, True)))
                stack.append((node.otherwise, known | self.given(node.cond, False)))
            elif isinstance(node, ast.Call) and is_aggregate(node):
                inner = known | self.given(node.where, True)
                stack.extend((arg, inner) for arg in node.args)
                if node.where is not None:
                    stack.append((node.where, known))
                if node.if_empty is not None:
                    stack.append((node.if_empty, known))
            else:
                stack.extend((child, known) for child in ast.children(node))

    def _compare(self, node: ast.Compare, known: frozenset[str]) -> None:
        for i, op in enumerate(node.ops):
            if op not in _ORDERING:
                continue
            for operand in (node.operands[i], node.operands[i + 1]):
                for name in sorted(self.blank_names(operand, known)):
                    if (id(node), name) in self._reported:
                        continue
                    self._reported.add((id(node), name))
                    self.sink.warning(
                        "W0203",
                        node.span,
                        f'"{name}" có thể để trống mà được so sánh "{op}" ở đây: khi trống, phép so sánh '
                        f"không đúng cũng không sai và lúc chấm điểm báo lỗi R1011; thêm điều kiện "
                        f"có_giá_trị({name}) (ví dụ: có_giá_trị({name}) và …)",
                    )


def check_blank_comparisons(ruleset: ast.Ruleset, syms: S.Symbols, sink: Sink, is_foreign) -> None:
    blanks = _Blanks(syms, sink)
    for node, expr in ruleset_expressions(ruleset):
        sink.foreign = is_foreign(node)
        blanks.walk(expr, frozenset())
    sink.foreign = False
