"""People: moving a person between units keeps the history (PersonAssignment stretches)."""

from __future__ import annotations

import datetime as dt

from ..extensions import db
from ..models import Person, PersonAssignment, Position, Unit, User
from . import audit
from .errors import ServiceError


def move_person(
    person: Person,
    unit: Unit,
    day: dt.date,
    user: User,
    *,
    position: Position | None = None,
    commit: bool = True,
) -> PersonAssignment:
    """From `day` on, `person` works in `unit` (and `position`, default: unchanged). The open stretch is
    closed the day before; a person without history gets one for the unit they leave, since the day
    their record was created (or `day` - 1 if later)."""
    if unit.id == person.unit_id and (position is None or position.id == person.position_id):
        raise ServiceError(f"cán bộ {person.code} đã ở {unit.name}")
    open_ = [a for a in person.assignments if a.valid_to is None]
    if any(a.valid_from >= day for a in open_):
        raise ServiceError(f"cán bộ {person.code} đã có điều động từ ngày {day:%d/%m/%Y} trở về sau")
    before = audit.snapshot(person)
    previous = day - dt.timedelta(days=1)
    if not person.assignments:
        since = min(person.created_at.date() if person.created_at else previous, previous)
        person.assignments.append(
            PersonAssignment(unit_id=person.unit_id, position_id=person.position_id,
                             duty_group_id=person.duty_group_id, valid_from=since, valid_to=previous)
        )  # fmt: skip
    for stretch in open_:
        stretch.valid_to = previous
    new_position = position or person.position
    stretch = PersonAssignment(
        unit=unit, position=new_position, duty_group_id=person.duty_group_id, valid_from=day, valid_to=None
    )
    person.assignments.append(stretch)
    person.unit = unit
    person.position = new_position
    db.session.flush()
    audit.record("person.move", "people", person.id, user=user, before=before, after=audit.snapshot(person))
    if commit:
        db.session.commit()
    return stretch
