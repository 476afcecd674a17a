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
        move_person(person, units["HT"], dt.date(2026, 7, 1), admin)  # already there


def test_backdated_move_rewrites_the_time_line(session, units, admin):
    """A move from a day before the open stretch cuts back or removes what it covers: one time line."""
    person = Person(code="CB9", full_name="Phạm Thị Dung", unit=units["HT"])
    session.add(person)
    session.commit()
    move_person(person, units["DS"], dt.date(2026, 3, 1), admin)
    move_person(person, units["HT"], dt.date(2026, 6, 1), admin)
    move_person(person, units["HT-VP"], dt.date(2026, 5, 1), admin)
    assert [(a.unit.code, a.valid_from, a.valid_to) for a in person.assignments] == [
        ("HT", dt.date(1900, 1, 1), dt.date(2026, 2, 28)),
        ("DS", dt.date(2026, 3, 1), dt.date(2026, 4, 30)),
        ("HT-VP", dt.date(2026, 5, 1), None),
    ]


def test_ward_admin_cannot_rewrite_another_wards_months(session, units, admin, ward_admin):
    """HT's admin may move a person who came from DS only from a day they were already in HT."""
    from app.services.errors import Forbidden

    person = Person(code="CB9", full_name="Phạm Thị Dung", unit=units["DS"])
    session.add(person)
    session.commit()
    move_person(person, units["HT"], dt.date(2026, 2, 1), admin)
    session.commit()
    with pytest.raises(Forbidden) as refused:
        move_person(person, units["HT-VP"], dt.date(1800, 1, 1), ward_admin)
    assert refused.value.code == "forbidden" and "DS" in refused.value.message
    session.rollback()
    move_person(person, units["HT-VP"], dt.date(2026, 3, 1), ward_admin)
    assert [a.unit.code for a in person.assignments] == ["DS", "HT", "HT-VP"]
    with pytest.raises(Forbidden):
        move_person(person, units["DS"], dt.date(2026, 4, 1), ward_admin)  # into another ward
