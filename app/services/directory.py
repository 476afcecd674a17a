"""Read-only look-ups of units and people for the API and the admin (within a set of unit ids)."""

from __future__ import annotations

from ..extensions import db
from ..models import Person, Unit
from .errors import NotFound


def units_in(unit_ids: set[int]) -> list[Unit]:
    return list(db.session.scalars(db.select(Unit).where(Unit.id.in_(unit_ids)).order_by(Unit.code)))


def people_in(unit_ids: set[int], *, limit: int = 1000, offset: int = 0) -> tuple[list[Person], int]:
    """People whose current unit is one of `unit_ids`, by code; and their total count."""
    where = Person.unit_id.in_(unit_ids)
    total = db.session.scalar(db.select(db.func.count(Person.id)).where(where))
    query = db.select(Person).where(where).order_by(Person.code).limit(limit).offset(offset)
    return list(db.session.scalars(query)), int(total or 0)


def person_by_code(code: str) -> Person:
    person = db.session.scalar(db.select(Person).where(Person.code == code))
    if person is None:
        raise NotFound(f'không có cán bộ mã "{code}"')
    return person


def unit_json(unit: Unit) -> dict:
    return {
        "code": unit.code,
        "name": unit.name,
        "kind": unit.kind,
        "parent": unit.parent.code if unit.parent is not None else None,
    }


def person_json(person: Person) -> dict:
    return {
        "code": person.code,
        "full_name": person.full_name,
        "unit": person.unit.code,
        "category": person.category,
        "post": person.leadership_post,
        "is_leader": bool(person.is_leader),
        "duty_group": person.duty_group.name if person.duty_group is not None else None,
        "manager": person.manager.code if person.manager is not None else None,
        "position": person.position.code if person.position is not None else None,
        "active": bool(person.active),
    }
