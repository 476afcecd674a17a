"""What an importer works with (the table, options, the caller's scope, the error list) and what it
plans to do (rows to insert and update, keys created/updated, count unchanged)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from dsl.fields import FieldSpec

from ...models.tasks import MANUAL_SOURCE
from ...tabular import RowError, Table
from ..scope import Scope, UnitTree

FORBIDDEN = "ngoài phạm vi đơn vị được phép"


@dataclass
class Plan:
    inserts: list[dict] = field(default_factory=list)
    updates: list[dict] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    notes: list[str] = field(default_factory=list)
    extra: dict = field(default_factory=dict)  # importer-specific data for apply()


@dataclass
class Context:
    table: Table
    errors: list[RowError]
    source_system: str = MANUAL_SOURCE
    scope: Scope = field(default_factory=Scope.everything)  # what the caller may see and change
    today: dt.date = field(default_factory=dt.date.today)
    items: bool = False  # the table is a JSON list sent to the API (messages count items, not lines)
    forbidden: bool = False
    _tree: UnitTree | None = None

    @property
    def tree(self) -> UnitTree:
        if self._tree is None:
            self._tree = self.scope.tree or UnitTree()
        return self._tree

    @property
    def where(self) -> str:
        """How "not found" messages name the place searched (the same whether the code exists elsewhere)."""
        if self.scope.is_everything:
            return "trong cơ sở dữ liệu"
        return f"trong phạm vi của {self.scope.who}"

    def look_alike(self, code: str, other: str, visible: bool) -> str:
        """The message for a new code that looks like a stored one; names it only when the caller sees it."""
        shown = f' ("{other}")' if visible or self.scope.is_everything else ""
        return f'mã "{code}" gần giống một mã đã có{shown}; mã chỉ khác hoa thường, dấu hay độ rộng là một'

    def in_scope(self, unit_id: int | None) -> bool:
        return self.scope.sees_unit(unit_id)

    def sees_person(self, person) -> bool:
        """A person is visible when some day of their time line lies in the scope (a ward still writes the
        tasks of a period the person spent with it)."""
        return self.scope.is_everything or any(self.in_scope(s.unit_id) for s in person.timeline())

    def forbid(self, sheet, i: int, name: str, value: object, reason: str | None = None) -> None:
        self.forbidden = True
        scope = self.tree.code_of.get(self.scope.root_id, "?")
        sheet.error(i, name, reason or f"{FORBIDDEN} ({scope})", value)

    def catalog(self, scope: str) -> list[FieldSpec]:
        from ..catalog import input_specs, task_field_specs

        return list(task_field_specs() if scope == "task" else input_specs())
