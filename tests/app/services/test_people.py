"""Moving people between units keeps their history."""

from __future__ import annotations

import datetime as dt

import pytest

from app.models import Person
from app.services import audit
from app.services.errors import ServiceError
from app.services.people import move_person


def test_move_keeps_history(session, units, admin):
    person = Person(code="CB9", full_name="Phạm Thị Dung", unit=units["HT"])
    session.add(person)
    session.commit()
    move_person(person, units["DS"], dt.date(2026, 3, 1), admin)
    assert person.unit is units["DS"]
    assert person.unit_on(dt.date(2026, 2, 28)) is units["HT"]
    assert person.unit_on(dt.date(2026, 3, 1)) is units["DS"]
    move_person(person, units["HT"], dt.date(2026, 6, 1), admin)
    assert [(a.unit.code, a.valid_to) for a in person.assignments] == [
        ("HT", dt.date(2026, 2, 28)),
        ("DS", dt.date(2026, 5, 31)),
        ("HT", None),
    ]
    assert [e.action for e in audit.entries("people")] == ["person.move", "person.move"]
    with pytest.raises(ServiceError):
        move_person(person, units["DS"], dt.date(2026, 5, 1), admin)
