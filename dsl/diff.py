"""Semantic diff of two effective rulesets: what changed in meaning, described in Vietnamese.

Formulas are compared structurally (spans, spellings of numbers and keyword aliases ignored) and shown
as canonical text. Test cases and comments are not part of a ruleset's meaning and are not compared.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

from . import ast

_IGNORED = {"span", "func_span", "text", "item_spans", "filename", "source", "parent", "tests", "percent"}

ADDED, REMOVED, CHANGED = "thêm", "bỏ", "sửa"
_SIGN = {ADDED: "+", REMOVED: "-", CHANGED: "~"}


@dataclass(frozen=True, slots=True)
class Change:
    kind: str  # "thêm", "bỏ", "sửa"
    area: str  # "đầu tệp", "tham số", "đầu vào", "trường nhiệm vụ", "giá trị", "tiêu chí", "điểm", ...
    key: str  # what changed inside the area: a criterion code, a parameter name, "công thức"...
    message: str  # Vietnamese, one line
    old: str | None = None
    new: str | None = None

    def render(self) -> str:
        return f"{_SIGN[self.kind]} {self.message}"

    def to_json(self) -> dict:
        return dataclasses.asdict(self)


# ---------------------------------------------------------------- structure and canonical text


def key_of(node: object) -> object:
    """A hashable structural key: spans and spellings removed, numbers by exact value."""
    if isinstance(node, ast.Num):
        return ("Num", node.value)
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        return (type(node).__name__,) + tuple(
            (f.name, key_of(getattr(node, f.name)))
            for f in dataclasses.fields(node)
            if f.name not in _IGNORED
        )
    if isinstance(node, (tuple, list)):
        return tuple(key_of(x) for x in node)
    return node


def same(a: object, b: object) -> bool:
    return key_of(a) == key_of(b)


def number_text(value: Fraction) -> str:
    value = Fraction(value)
    n, d = value.numerator, value.denominator
    k = d
    for p in (2, 5):
        while k % p == 0:
            k //= p
    if k != 1:
        return f"{n}/{d}"
    digits = 0
    while (value * 10**digits).denominator != 1:
        digits += 1
    if not digits:
        return str(n)
    scaled = str(abs(int(value * 10**digits))).rjust(digits + 1, "0")
    return ("-" if value < 0 else "") + scaled[:-digits] + "." + scaled[-digits:]


_PREC = {"hoặc": 1, "và": 2, "+": 5, "-": 5, "*": 6, "/": 6, "×": 6}
_SCOPES = {"nhiệm_vụ": "nhiệm vụ", "cấp_dưới": "cấp dưới", "kỳ": "kỳ"}


def expr_text(e: ast.Expr | None, outer: int = 0) -> str:
    """Canonical text of an expression (parenthesised only where precedence needs it)."""
    if e is None:
        return ""
    text, prec = _text(e)
    return f"({text})" if prec < outer else text


def _text(e: ast.Expr) -> tuple[str, int]:
    if isinstance(e, ast.Num):
        return (number_text(e.value * 100) + "%" if e.percent else number_text(e.value)), 9
    if isinstance(e, ast.Text):
        return f'"{e.value}"', 9
    if isinstance(e, ast.Bool):
        return ("đúng" if e.value else "sai"), 9
    if isinstance(e, ast.DateLit):
        return e.value.strftime("%d/%m/%Y"), 9
    if isinstance(e, ast.Name):
        return e.name, 9
    if isinstance(e, ast.Unary):
        if e.op == "-":
            return "-" + expr_text(e.operand, 8), 8
        return "không " + expr_text(e.operand, 3), 3
    if isinstance(e, ast.Binary):
        p = _PREC.get(e.op, 5)
        op = "×" if e.op == "*" else e.op
        return f"{expr_text(e.left, p)} {op} {expr_text(e.right, p + 1)}", p
    if isinstance(e, ast.Compare):
        parts = [expr_text(e.operands[0], 5)]
        for op, operand in zip(e.ops, e.operands[1:], strict=False):
            parts.append(f"{op} {expr_text(operand, 5)}")
        return " ".join(parts), 4
    if isinstance(e, ast.If):
        return (
            f"nếu {expr_text(e.cond, 1)} thì {expr_text(e.then, 1)} ngược lại {expr_text(e.otherwise, 0)}",
            0,
        )
    if isinstance(e, ast.Call):
        head = [_SCOPES.get(e.scope, e.scope)] if e.scope else []
        inner = ", ".join([*head, *(expr_text(a) for a in e.args)]) if not head or not e.args else (
            f"{head[0]}, " + ", ".join(expr_text(a) for a in e.args))  # fmt: skip
        if e.where is not None:
            inner += f" nếu {expr_text(e.where)}"
        if e.if_empty is not None:
            inner += f", khi rỗng {expr_text(e.if_empty)}"
        return f"{e.func}({inner})", 9
    return str(e), 9


def _value(x: object) -> str:
    if x is None:
        return "(không có)"
    if isinstance(x, ast.Expr):
        return expr_text(x)
    if isinstance(x, bool):
        return "có" if x else "không"
    if isinstance(x, dt.date):
        return x.strftime("%d/%m/%Y")
    if isinstance(x, ast.Citation):
        return x.text() or "(không có)"
    if isinstance(x, (tuple, list)):
        return ", ".join(_value(v) for v in x) or "(không có)"
    return str(x)


# ---------------------------------------------------------------- comparing


class _Diff:
    def __init__(self) -> None:
        self.changes: list[Change] = []

    def add(
        self, kind: str, area: str, key: str, message: str, old: object = None, new: object = None
    ) -> None:
        self.changes.append(
            Change(
                kind,
                area,
                key,
                message,
                None if old is None else _value(old),
                None if new is None else _value(new),
            )
        )

    def attr(self, area: str, key: str, label: str, old: object, new: object) -> None:
        """One attribute of a matched item: report it if its meaning changed."""
        if not same(old, new):
            self.add(CHANGED, area, key, f"{label}: {_value(old)} → {_value(new)}", old, new)

    def keyed(self, area: str, old_items, new_items, name_of, describe, compare) -> None:
        old_map = {name_of(x): x for x in old_items}
        new_map = {name_of(x): x for x in new_items}
        for name, item in old_map.items():
            if name not in new_map:
                self.add(REMOVED, area, name, f"Bỏ {area} {describe(item)}", item_value(item), None)
        for name, item in new_map.items():
            if name not in old_map:
                self.add(ADDED, area, name, f"Thêm {area} {describe(item)}", None, item_value(item))
            else:
                compare(name, old_map[name], item)


def item_value(item: object) -> object:
    for attr in ("expr", "value", "cond", "limit"):
        if hasattr(item, attr):
            return getattr(item, attr)
    return None


def diff_rulesets(old: ast.Ruleset, new: ast.Ruleset) -> list[Change]:
    """Every change of meaning from `old` to `new` (both effective rulesets), in a stable order."""
    from .diff_parts import compare_all

    d = _Diff()
    compare_all(d, old, new)
    return d.changes
