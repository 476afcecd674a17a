"""People: moving a person between units keeps the history (PersonAssignment stretches), within the
mover's scope for the whole time the move rewrites."""

from __future__ import annotations

import datetime as dt

from ..extensions import db
from ..models import Person, PersonAssignment, Position, Unit, User
from . import audit, timeline
from .errors import ServiceError
from .scope import Scope


def move_person(
    person: Person, unit: Unit, day: dt.date, user: User, *, position: Position | None = None
) -> PersonAssignment:
    """From `day` on, `person` works in `unit` (and `position`, default: unchanged). Stretches reaching
    `day` or later are cut back to the day before or removed (a backdated move rewrites history);
    a person without history gets one for the unit they leave. Forbidden unless the user's scope holds
    the new unit and every stretch rewritten."""
    scope = Scope.of_user(user)
    scope.require_unit(unit.id, write=True)
    timeline.lock_people([person.id])
    db.session.refresh(person)
    if unit.id == person.unit_id and (position is None or position.id == person.position_id):
        raise ServiceError(f"cán bộ {person.code} đã ở {unit.name}")
    stretches = timeline.load([person.id]).get(person.id, [])
    rewritten = timeline.rewritten_by_move(stretches, person.unit_id, day)
    why = f"chuyển công tác từ ngày {day:%d/%m/%Y} sẽ ghi đè lịch sử công tác đó"
    scope.require_person_units(person.code, timeline.as_triples(rewritten), day, None, why)
    before = audit.snapshot(person)
    leaving = timeline.leaving_stretch(stretches, day)
    if leaving is not None:
        person.assignments.append(
            PersonAssignment(unit_id=person.unit_id, position_id=person.position_id,
                             duty_group_id=person.duty_group_id, valid_from=leaving[0], valid_to=leaving[1])
        )  # fmt: skip
    cut, deleted = timeline.move_plan(stretches, day)
    by_id = {a.id: a for a in person.assignments}
    for stretch_id in deleted:
        person.assignments.remove(by_id[stretch_id])
    for stretch_id, end in cut:
        by_id[stretch_id].valid_to = end
    db.session.flush()  # the cut and removed stretches first: the database refuses overlaps
    new_position = position or person.position
    stretch = PersonAssignment(
        unit=unit, position=new_position, duty_group_id=person.duty_group_id, valid_from=day, valid_to=None
    )
    person.assignments.append(stretch)
    person.unit = unit
    person.position = new_position
    db.session.flush()
    audit.record("person.move", "people", person.id, user=user, before=before, after=audit.snapshot(person))
    return stretch
