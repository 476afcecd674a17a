"""What a user or an API token may see or change: ONE module, used by the API, the imports, the ruleset
services and the web admin.

A `Scope` is a set of units (a subtree; None = every unit), a role and whether it may write. Units are
checked with `sees_unit` / `require_unit`, queries filtered with `where_unit`, ruleset owners with
`sees_owner` / `require_manage`. People are checked over time: `require_person_units` refuses a change
that touches a day on which the person belonged to a unit outside the scope (a backdated move, a task
of a period spent in another ward)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from sqlalchemy import true

from ..extensions import db
from ..models import Unit
from ..models.users import SYSTEM_USERNAME
from .errors import Forbidden

WRITE_ROLES = ("province_admin", "ward_admin", "evaluator")  # may change data in their subtree
MANAGE_ROLES = ("province_admin", "ward_admin")  # may write, publish and retire rulesets
READ, WRITE = "read", "write"  # API token access


class UnitTree:
    """Every unit: code -> id, id -> parent id, subtrees and ancestors (one query)."""

    def __init__(self):
        rows = db.session.execute(db.select(Unit.id, Unit.code, Unit.parent_id, Unit.name, Unit.kind)).all()
        self.by_code = {r.code: r.id for r in rows}
        self.code_of = {r.id: r.code for r in rows}
        self.parent = {r.id: r.parent_id for r in rows}
        self.rows = {r.code: r for r in rows}

    def ancestors(self, unit_id: int | None) -> list[int]:
        """The unit, its parent, … up to the root (cycle-safe)."""
        out: list[int] = []
        while unit_id is not None and unit_id not in out:
            out.append(unit_id)
            unit_id = self.parent.get(unit_id)
        return out

    def root_of(self, unit_id: int) -> int:
        return self.ancestors(unit_id)[-1]

    def subtree(self, root_id: int) -> set[int]:
        children: dict[int, list[int]] = {}
        for child, parent in self.parent.items():
            if parent is not None:
                children.setdefault(parent, []).append(child)
        out, stack = set(), [root_id]
        while stack:
            node = stack.pop()
            if node not in out:
                out.add(node)
                stack.extend(children.get(node, ()))
        return out


@dataclass(frozen=True)
class Scope:
    role: str | None  # a user's role; None for an API token; "system" for the CLI
    unit_ids: frozenset[int] | None  # the subtree's unit ids; None = every unit
    who: str = "hệ thống"  # how messages name the caller ("người dùng x", "mã truy cập của đơn vị HT")
    can_write: bool = True
    root_id: int | None = None  # the subtree's root (None: everything)
    ancestor_ids: frozenset[int] = frozenset()  # units above the root (their rulesets are readable)
    tree: UnitTree | None = None

    # ------------------------------------------------------------------ construction
    @classmethod
    def everything(cls, who: str = SYSTEM_USERNAME) -> Scope:
        """The CLI and the system user (or a named unlimited user): every unit, read and write."""
        return cls(
            role="system", unit_ids=None, who="hệ thống" if who == SYSTEM_USERNAME else f"người dùng {who}"
        )

    @classmethod
    def of_user(cls, user, tree: UnitTree | None = None) -> Scope:
        """From a User: province admins without a unit (and the system user) see everything; everyone
        else their unit's subtree. Officials only read."""
        if user.username == SYSTEM_USERNAME:
            return cls.everything()
        who = f"người dùng {user.username}"
        can_write = user.role in WRITE_ROLES
        if user.unit_id is None:
            if user.role == "province_admin":
                return cls(role=user.role, unit_ids=None, can_write=True, who=who)
            return cls(role=user.role, unit_ids=frozenset(), can_write=False, who=who)
        return cls._subtree(user.unit_id, role=user.role, can_write=can_write, who=who, tree=tree)

    @classmethod
    def of_token(cls, token, tree: UnitTree | None = None) -> Scope:
        """From an ApiToken: its unit's subtree, read-only or read-write."""
        tree = tree or UnitTree()
        who = f"mã truy cập của đơn vị {tree.code_of.get(token.unit_id, '?')}"
        writable = (getattr(token, "access", WRITE) or WRITE) == WRITE
        return cls._subtree(token.unit_id, role=None, can_write=writable, who=who, tree=tree)

    @classmethod
    def _subtree(cls, root_id: int, *, role, can_write: bool, who: str, tree: UnitTree | None) -> Scope:
        tree = tree or UnitTree()
        above = frozenset(tree.ancestors(root_id)[1:])
        return cls(role=role, unit_ids=frozenset(tree.subtree(root_id)), root_id=root_id,
                   ancestor_ids=above, can_write=can_write, who=who, tree=tree)  # fmt: skip

    # ------------------------------------------------------------------ units
    @property
    def is_everything(self) -> bool:
        return self.unit_ids is None

    def units(self) -> UnitTree:
        if self.tree is None:
            object.__setattr__(self, "tree", UnitTree())
        return self.tree

    def sees_unit(self, unit_id: int | None) -> bool:
        """Whether data of this unit is visible; None (no unit: national) only to an unlimited scope."""
        if self.unit_ids is None:
            return True
        return unit_id is not None and unit_id in self.unit_ids

    def require_unit(self, unit_id: int | None, *, write: bool = False, what: str | None = None) -> None:
        """Forbidden unless the unit lies in the scope (and the scope may write, when `write`)."""
        if write:
            self.require_write()
        if not self.sees_unit(unit_id):
            raise Forbidden(
                f"{self.who or 'người dùng'} không được phép truy cập {what or self._unit_label(unit_id)}"
            )

    def within(self, unit_id: int) -> Scope:
        """The part of this scope under `unit_id` (a filter such as `?unit=HT-VP`)."""
        self.require_unit(unit_id)
        below = frozenset(self.units().subtree(unit_id))
        ids = below if self.unit_ids is None else below & self.unit_ids
        return replace(self, unit_ids=ids, root_id=unit_id)

    def require_write(self) -> None:
        if not self.can_write:
            raise Forbidden(f"{self.who or 'người dùng'} chỉ được đọc, không được ghi")

    def where_unit(self, column):
        """A filter for queries: `column` is one of the scope's units (true() for everything)."""
        return true() if self.unit_ids is None else column.in_(self.unit_ids)

    def _unit_label(self, unit_id: int | None) -> str:
        if unit_id is None:
            return "dữ liệu cấp quốc gia"
        return f"đơn vị {self.units().code_of.get(unit_id, unit_id)}"

    # ------------------------------------------------------------------ rulesets
    def sees_owner(self, owner_unit_id: int | None) -> bool:
        """Rulesets readable: national ones, those of the subtree and of the units above it."""
        return (
            owner_unit_id is None
            or self.unit_ids is None
            or owner_unit_id in self.unit_ids
            or (owner_unit_id in self.ancestor_ids)
        )

    def where_owner(self, column):
        if self.unit_ids is None:
            return true()
        return column.is_(None) | column.in_(self.unit_ids | self.ancestor_ids)

    def can_manage(self, unit: Unit | None) -> bool:
        """Whether rulesets of `unit` (None: national) may be written, published and retired:
        administrators whose scope covers the unit; national rulesets only by an unlimited scope."""
        unit_id = unit.id if unit is not None else None
        return self.role in (*MANAGE_ROLES, "system") and self.sees_unit(unit_id)

    def require_manage(self, unit: Unit | None, what: str) -> None:
        """Forbidden unless `can_manage(unit)`; `what` names the action ("công bố bộ quy tắc")."""
        if not self.can_manage(unit):
            where = unit.name if unit is not None else "cấp quốc gia"
            raise Forbidden(f"{self.who or 'người dùng'} không có quyền {what} của {where}")

    # ------------------------------------------------------------------ people over time
    def foreign_stretch(self, stretches, start: dt.date, end: dt.date | None):
        """The first (unit id, from, to) of `stretches` overlapping [start, end] whose unit lies outside the
        scope, or None. `stretches`: (from, to, unit id) with None for open ends."""
        for since, until, unit_id in stretches:
            if (until is None or until >= start) and (end is None or since is None or since <= end):
                if not self.sees_unit(unit_id):
                    return unit_id, since, until
        return None

    def require_person_units(self, code: str, stretches, start: dt.date, end: dt.date | None, why: str):
        """Forbidden when the person belonged to a unit outside the scope on some day of [start, end]."""
        found = self.foreign_stretch(stretches, start, end)
        if found is not None:
            raise Forbidden(self.person_message(code, found, why))

    def person_message(self, code: str, found, why: str) -> str:
        unit_id, since, until = found
        unit = self.units().code_of.get(unit_id, "?")
        span = _span(since, until)
        return f"cán bộ {code} thuộc đơn vị {unit} {span}, ngoài phạm vi của {self.who}: {why}"


def _span(since: dt.date | None, until: dt.date | None) -> str:
    if since is None and until is None:
        return "trong toàn bộ thời gian"
    if until is None:
        return f"từ ngày {since:%d/%m/%Y}"
    if since is None:
        return f"đến ngày {until:%d/%m/%Y}"
    return f"từ ngày {since:%d/%m/%Y} đến ngày {until:%d/%m/%Y}"
