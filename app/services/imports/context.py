"""What an importer works with (the table, options, the caller's scope, the error list) and what it
plans to do (rows to insert and update, keys created/updated, count unchanged)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from dsl.fields import FieldSpec

from ...models.tasks import MANUAL_SOURCE
from ...tabular import RowError, Table
from .lookups import UnitTree

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
    scope_unit_id: int | None = None  # None: everywhere
    today: dt.date = field(default_factory=dt.date.today)
    items: bool = False  # the table is a JSON list sent to the API (messages count items, not lines)
    forbidden: bool = False
    _tree: UnitTree | None = None
    _scope: set[int] | None = None

    @property
    def tree(self) -> UnitTree:
        if self._tree is None:
            self._tree = UnitTree()
        return self._tree

    def in_scope(self, unit_id: int | None) -> bool:
        if self.scope_unit_id is None:
            return True
        if self._scope is None:
            self._scope = self.tree.subtree(self.scope_unit_id)
        return unit_id in self._scope

    def forbid(self, sheet, i: int, name: str, value: object) -> None:
        self.forbidden = True
        scope = self.tree.code_of.get(self.scope_unit_id, "?")
        sheet.error(i, name, f"{FORBIDDEN} ({scope})", value)

    def catalog(self, scope: str) -> list[FieldSpec]:
        from ..catalog import input_specs, task_field_specs

        return list(task_field_specs() if scope == "task" else input_specs())
