"""Read-only look-ups of units and people within a caller's scope (the API and the admin). An object
outside the scope is NotFound, exactly like one that does not exist, so that no caller learns which
codes exist elsewhere."""

from __future__ import annotations

from ..extensions import db
from ..models import Person, Unit
from .errors import NotFound, ServiceError
from .identifiers import check_identifier
from .scope import Scope


def units_in(scope: Scope) -> list[Unit]:
    return list(db.session.scalars(db.select(Unit).where(scope.where_unit(Unit.id)).order_by(Unit.code)))


def _checked(code: str, what: str) -> str:
    """The code through the one identifier check (a NUL or an invisible character is a clear 400)."""
    try:
        return check_identifier(code)
    except ValueError as exc:
        raise ServiceError(f"{what} không hợp lệ: {exc}") from None


def unit_by_code(code: str, scope: Scope) -> Unit:
    code = _checked(code, "mã đơn vị")
    unit = db.session.scalar(db.select(Unit).where(Unit.code == code))
    if unit is None or not scope.sees_unit(unit.id):
        raise NotFound(f'không có đơn vị mã "{code}" trong phạm vi được phép')
    return unit


def people_in(scope: Scope, *, limit: int = 1000, offset: int = 0) -> tuple[list[Person], int]:
    """People whose current unit is in the scope, by code; and their total count."""
    where = scope.where_unit(Person.unit_id)
    total = db.session.scalar(db.select(db.func.count(Person.id)).where(where))
    query = db.select(Person).where(where).order_by(Person.code).limit(limit).offset(offset)
    return list(db.session.scalars(query)), int(total or 0)


def person_by_code(code: str, scope: Scope | None = None) -> Person:
    code = _checked(code, "mã cán bộ")
    person = db.session.scalar(db.select(Person).where(Person.code == code))
    if person is None or (scope is not None and not scope.sees_unit(person.unit_id)):
        raise NotFound(f'không có cán bộ mã "{code}" trong phạm vi được phép')
    return person
