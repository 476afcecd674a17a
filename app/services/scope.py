"""Who may see and change what: a user's unit subtree (the one place that decides the filter).

`Scope.of_user(user)` is the set of units the user works in (their unit and everything under it), or
everything for a province administrator without a unit and for the `system` user. Services call
`require_unit(unit_id, write=True)` before a change and filter their queries with `where_unit(column)`.
Officials (role "official") read only; they never write through a scope.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..models import Unit, User
from ..models.users import SYSTEM_USERNAME
from .errors import ServiceError

WRITERS = ("province_admin", "ward_admin", "evaluator")


@dataclass(frozen=True, slots=True)
class Scope:
    unit_ids: frozenset[int] | None  # None: every unit
    can_write: bool = True
    who: str = ""

    @classmethod
    def everything(cls, who: str = SYSTEM_USERNAME) -> Scope:
        return cls(None, True, who)

    @classmethod
    def of_user(cls, user: User) -> Scope:
        if user.username == SYSTEM_USERNAME or (user.role == "province_admin" and user.unit_id is None):
            return cls.everything(user.username)
        if user.unit_id is None:
            return cls(frozenset(), False, user.username)
        from .imports.lookups import UnitTree

        return cls(frozenset(UnitTree().subtree(user.unit_id)), user.role in WRITERS, user.username)

    def sees_unit(self, unit_id: int | None) -> bool:
        return self.unit_ids is None or (unit_id is not None and unit_id in self.unit_ids)

    def require_unit(self, unit_id: int | None, *, write: bool = False) -> None:
        """ServiceError (Vietnamese) unless the scope covers `unit_id` (and may write, if `write`)."""
        if not self.sees_unit(unit_id):
            raise ServiceError(f"{self._who()}không có quyền với {_unit_label(unit_id)}", code="forbidden")
        if write and not self.can_write:
            raise ServiceError(f"{self._who()}chỉ được xem, không được thay đổi", code="forbidden")

    def where_unit(self, column):
        """A SQL condition keeping the rows whose `column` (a unit id) lies in the scope."""
        from sqlalchemy import true

        return true() if self.unit_ids is None else column.in_(sorted(self.unit_ids))

    def _who(self) -> str:
        return f'người dùng "{self.who}" ' if self.who else ""


def _unit_label(unit_id: int | None) -> str:
    from ..extensions import db

    unit = db.session.get(Unit, unit_id) if unit_id is not None else None
    return f"đơn vị {unit.code} ({unit.name})" if unit is not None else "đơn vị này"
