"""A change of meaning between two rulesets, structural keys and canonical text (used by dsl.diff.parts)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from .. import ast

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


def expr_text(e: ast.Expr | None) -> str:
    """Canonical text of an expression: the formatter's printer (numbers as written)."""
    if e is None:
        return ""
    from ..syntax.printer import expr

    return expr(e)


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


class Diff:
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

    def keyed(self, area: str, old_items, new_items, name_of, describe, compare, noun: str = "") -> None:
        """Items matched by name: added, removed, or compared. `noun` names an item in messages
        ("Thêm tiêu chí …"; default: the area)."""
        noun = noun or area
        old_map = {name_of(x): x for x in old_items}
        new_map = {name_of(x): x for x in new_items}
        for name, item in old_map.items():
            if name not in new_map:
                self.add(REMOVED, area, name, f"Bỏ {noun} {describe(item)}", item_value(item), None)
        for name, item in new_map.items():
            if name not in old_map:
                self.add(ADDED, area, name, f"Thêm {noun} {describe(item)}", None, item_value(item))
            else:
                compare(name, old_map[name], item)


def item_value(item: object) -> object:
    for attr in ("expr", "value", "cond", "limit"):
        if hasattr(item, attr):
            return getattr(item, attr)
    return None
