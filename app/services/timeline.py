"""A person's assignment history as a timeline: which unit on which day, what a move rewrites, the days
a period covers. Pure functions over (from, to, unit id) stretches (inclusive; None: open end), shared
by the people import, `people.move_person`, the task and input imports and the scope checks.

The database keeps the timeline proper (no overlapping stretches, at most one open one: migration
0003), and a move locks the person's row first (`lock_people`) so that concurrent moves queue."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from ..extensions import db

OPEN_START = dt.date(1900, 1, 1)  # the start of a stretch whose beginning is unknown
ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Stretch:
    id: int | None
    valid_from: dt.date | None  # None: since ever (the current unit on days no stretch covers)
    valid_to: dt.date | None  # None: still there
    unit_id: int
    position_id: int | None = None

    def overlaps(self, start: dt.date, end: dt.date | None) -> bool:
        return (self.valid_to is None or self.valid_to >= start) and (
            end is None or self.valid_from is None or self.valid_from <= end
        )


def covering(stretches: list[Stretch], current_unit_id: int) -> list[Stretch]:
    """The stored stretches (sorted) plus, for days none covers, the person's current unit (that is what
    `Person.unit_on` answers there): the whole time line."""
    stored = sorted(stretches, key=lambda s: s.valid_from or dt.date.min)
    if not stored:
        return [Stretch(None, None, None, current_unit_id)]
    out, cursor = [], None  # cursor: the first day not yet covered (None: since ever)
    for s in stored:
        if s.valid_from is not None and (cursor is None or s.valid_from > cursor):
            out.append(Stretch(None, cursor, s.valid_from - ONE_DAY, current_unit_id))
        out.append(s)
        if s.valid_to is None:
            return out
        cursor = s.valid_to + ONE_DAY
    out.append(Stretch(None, cursor, None, current_unit_id))
    return out


def as_triples(stretches: list[Stretch]) -> list[tuple]:
    """(from, to, unit id) for Scope.require_person_units."""
    return [(s.valid_from, s.valid_to, s.unit_id) for s in stretches]


def rewritten_by_move(stretches: list[Stretch], current_unit_id: int, day: dt.date) -> list[Stretch]:
    """What a move from `day` rewrites: every stretch of the whole time line that reaches `day` or later
    (it is cut back to the day before, or replaced)."""
    return [s for s in covering(stretches, current_unit_id) if s.overlaps(day, None)]


def during(stretches: list[Stretch], current_unit_id: int, start: dt.date, end: dt.date) -> list[Stretch]:
    """The stretches of the whole time line that overlap [start, end]."""
    return [s for s in covering(stretches, current_unit_id) if s.overlaps(start, end)]


def unit_in_period(stretches: list[Stretch], current_unit_id: int, start: dt.date, end: dt.date) -> int:
    """The unit a period counts in: the person's unit on its last day."""
    found = during(stretches, current_unit_id, end, end)
    return found[0].unit_id if found else current_unit_id


def move_plan(stretches: list[Stretch], day: dt.date) -> tuple[list[tuple[int, dt.date]], list[int]]:
    """How stored stretches change for a move from `day`: (id, new end) for those cut back to the day
    before, ids of those that start on `day` or later (deleted)."""
    cut, deleted = [], []
    end = day - ONE_DAY
    for s in stretches:
        if s.id is None:
            continue
        if s.valid_from is not None and s.valid_from >= day:
            deleted.append(s.id)
        elif s.valid_to is None or s.valid_to > end:
            cut.append((s.id, end))
    return cut, deleted


def leaving_stretch(stretches: list[Stretch], day: dt.date) -> tuple[dt.date, dt.date] | None:
    """For a move on `day` of a person without an open stretch: the stretch (from, to) to record for the
    unit they leave (since the end of their last stretch, or since OPEN_START), or None."""
    if any(s.valid_to is None for s in stretches):
        return None
    end = day - ONE_DAY
    ends = [s.valid_to for s in stretches]
    start = max(ends) + ONE_DAY if ends else min(OPEN_START, end)
    return (start, end) if start <= end else None


@lru_cache(maxsize=4096)
def period_bounds(period: str) -> tuple[dt.date, dt.date]:
    """First and last day of "2026-01", "2026-Q1" or "2026"."""
    year = int(period[:4])
    if "-Q" in period:
        first_month = (int(period[-1]) - 1) * 3 + 1
        start = dt.date(year, first_month, 1)
        last_month = first_month + 2
    elif len(period) == 7:
        start = dt.date(year, int(period[5:7]), 1)
        last_month = start.month
    else:
        start, last_month = dt.date(year, 1, 1), 12
    after = dt.date(year + 1, 1, 1) if last_month == 12 else dt.date(year, last_month + 1, 1)
    return start, after - ONE_DAY


def load(person_ids) -> dict[int, list[Stretch]]:
    """Stored stretches of these people (all people when None), by person id."""
    from ..models import PersonAssignment as A

    query = db.select(A.id, A.person_id, A.valid_from, A.valid_to, A.unit_id, A.position_id)
    if person_ids is not None:
        query = query.where(A.person_id.in_(list(person_ids)))
    out: dict[int, list[Stretch]] = {}
    for r in db.session.execute(query.order_by(A.person_id, A.valid_from)):
        out.setdefault(r.person_id, []).append(
            Stretch(r.id, r.valid_from, r.valid_to, r.unit_id, r.position_id)
        )
    return out


def lock_people(person_ids) -> None:
    """Lock these people's rows until the transaction ends (PostgreSQL: SELECT … FOR UPDATE, in id order so
    that concurrent imports never deadlock), so that two moves of one person queue instead of both
    rewriting the history they read. SQLite has one writer at a time already."""
    from ..models import Person

    ids = sorted(set(person_ids))
    if not ids or db.session.get_bind().dialect.name != "postgresql":
        return
    for start in range(0, len(ids), 5000):
        part = ids[start : start + 5000]
        db.session.execute(
            db.select(Person.id).where(Person.id.in_(part)).order_by(Person.id).with_for_update()
        )
