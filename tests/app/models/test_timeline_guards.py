"""A person's assignment history is a proper time line in the database itself (raw SQL too), and under
concurrent moves (threads with their own sessions)."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DatabaseError

from app.extensions import db
from app.models import Person, PersonAssignment, Unit


@pytest.fixture
def person(app):
    unit = Unit(code="HT", name="Phường Hạc Thành", kind="phường")
    person = Person(code="CB1", full_name="Lê Thị Bình", unit=unit)
    person.assignments.append(PersonAssignment(unit=unit, valid_from=dt.date(2026, 1, 1), valid_to=None))
    db.session.add(person)
    db.session.commit()
    return person.id, unit.id


def _insert(person_id: int, unit_id: int, start: str, end: str | None) -> None:
    db.session.rollback()
    with db.engine.begin() as conn:
        conn.execute(
            sa.text("INSERT INTO person_assignments (person_id, unit_id, valid_from, valid_to) "
                    "VALUES (:p, :u, :a, :b)"),
            {"p": person_id, "u": unit_id, "a": dt.date.fromisoformat(start),
             "b": dt.date.fromisoformat(end) if end else None},
        )  # fmt: skip


@pytest.mark.parametrize(
    "start, end",
    [("2026-03-01", None), ("2025-06-01", "2026-01-01"), ("2026-02-01", "2026-02-28"), ("2020-01-01", None)],
    ids=["second-open", "overlaps-start", "inside", "covers"],
)
def test_overlapping_stretches_are_refused_by_the_database(person, start, end):
    with pytest.raises(DatabaseError):
        _insert(*person, start, end)
    assert db.session.query(PersonAssignment).count() == 1


def test_reversed_stretch_refused_and_adjacent_one_accepted(person):
    with pytest.raises(DatabaseError):
        _insert(*person, "2025-05-01", "2025-04-01")
    _insert(*person, "2025-01-01", "2025-12-31")
    assert db.session.query(PersonAssignment).count() == 2


def test_concurrent_moves_keep_one_time_line(app, session, backend):
    """20 people moved by 4 workers at once, each in its own session and transaction: on PostgreSQL the
    row locks queue the moves (every one succeeds); on SQLite a writer may be refused (locked) but never
    leaves a broken history. Either way: per person at most one open stretch and no overlap."""
    from sqlalchemy.exc import SQLAlchemyError

    from app.services.imports import import_rows
    from app.transaction import transaction

    province = Unit(code="TH", name="Tỉnh Thanh Hóa", kind="tỉnh")
    units = [Unit(code=f"W{i}", name=f"Phường {i}", kind="phường", parent=province) for i in range(5)]
    session.add_all([province, *units])
    session.commit()
    rows = [{"Mã cán bộ": f"CB{n:02d}", "Họ và tên": f"Cán bộ số {n}", "Đơn vị": "W0"} for n in range(20)]
    with transaction():
        assert import_rows("people", rows).applied
    outcomes: list[str] = []
    start = threading.Barrier(4)

    def worker(w: int) -> None:
        moves = [
            {**row, "Đơn vị": f"W{w + 1}", "Ngày hiệu lực": f"{1 + (w * 7 + n) % 28:02d}/0{1 + w}/2026"}
            for n, row in enumerate(rows)
        ]
        with app.app_context():
            start.wait()
            try:
                with transaction():
                    report = import_rows("people", moves if w % 2 else moves[::-1])
                outcomes.append("ok" if report.applied else "refused: " + report.render())  # each one moves
            except SQLAlchemyError as exc:
                outcomes.append(f"error: {type(exc).__name__}")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert len(outcomes) == 4
    if backend == "postgresql":
        assert outcomes == ["ok"] * 4, outcomes
    else:
        assert "ok" in outcomes, outcomes
    session.expire_all()
    for person in session.query(Person):
        stretches = sorted(person.assignments, key=lambda a: a.valid_from)
        assert sum(a.valid_to is None for a in stretches) <= 1, person.code
        for before, after in zip(stretches, stretches[1:], strict=False):
            assert before.valid_to is not None and before.valid_to < after.valid_from, person.code
