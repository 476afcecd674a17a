"""Preloaded look-ups for the imports: one query per table, never one per row."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from dsl.text import header_key

from ...extensions import db
from ...models import DutyGroup, Person, PersonAssignment, Position, StandardProduct
from ..scope import UnitTree  # noqa: F401  (its home is app.services.scope; kept importable from here)
from ..timeline import Stretch, covering


@dataclass
class PersonInfo:
    id: int
    code: str
    unit_id: int
    position_id: int | None
    stretches: list[Stretch] = field(default_factory=list)  # stored, by start
    _timeline: list[Stretch] | None = field(default=None, repr=False)

    def on(self, day: dt.date | None) -> tuple[int, int | None]:
        """(unit id, position id) on `day` (the current ones when no stretch covers it)."""
        if day is not None:
            for s in self.stretches:
                if s.valid_from <= day and (s.valid_to is None or day <= s.valid_to):
                    return s.unit_id, s.position_id
        return self.unit_id, self.position_id

    def timeline(self) -> list[Stretch]:
        """The whole time line (days without a stored stretch: the current unit); computed once."""
        if self._timeline is None:
            self._timeline = covering(self.stretches, self.unit_id)
        return self._timeline


def people_by_code() -> dict[str, PersonInfo]:
    people = {
        r.code: PersonInfo(r.id, r.code, r.unit_id, r.position_id)
        for r in db.session.execute(db.select(Person.id, Person.code, Person.unit_id, Person.position_id))
    }
    by_id = {p.id: p for p in people.values()}
    query = db.select(
        PersonAssignment.id,
        PersonAssignment.person_id,
        PersonAssignment.valid_from,
        PersonAssignment.valid_to,
        PersonAssignment.unit_id,
        PersonAssignment.position_id,
    ).order_by(PersonAssignment.valid_from)
    for r in db.session.execute(query):
        stretch = Stretch(r.id, r.valid_from, r.valid_to, r.unit_id, r.position_id)
        by_id[r.person_id].stretches.append(stretch)
    return people


def positions_by_key() -> dict[str, int]:
    """Position id by folded code and by folded name."""
    out: dict[str, int] = {}
    for r in db.session.execute(db.select(Position.id, Position.code, Position.name)):
        out.setdefault(header_key(r.name), r.id)
        out[header_key(r.code)] = r.id
    return out


def products_by_position() -> dict[tuple[int, str], list]:
    """(position id, folded product code) -> [(from, to, product id, coefficient)]; names match too."""
    out: dict[tuple[int, str], list] = {}
    query = db.select(
        StandardProduct.id,
        StandardProduct.position_id,
        StandardProduct.code,
        StandardProduct.name,
        StandardProduct.coefficient,
        StandardProduct.effective_from,
        StandardProduct.effective_to,
    )
    for r in db.session.execute(query):
        item = (r.effective_from, r.effective_to, r.id, r.coefficient)
        out.setdefault((r.position_id, header_key(r.code)), []).append(item)
        if header_key(r.name) != header_key(r.code):
            out.setdefault((r.position_id, header_key(r.name)), []).append(item)
    return out


def product_on(candidates: list, day: dt.date):
    for start, end, product_id, coefficient in candidates:
        if (start is None or start <= day) and (end is None or day <= end):
            return product_id, coefficient
    return None


def duty_groups() -> dict[tuple[int | None, str], int]:
    """(unit id or None, folded code or name) -> duty group id."""
    out: dict[tuple[int | None, str], int] = {}
    for r in db.session.execute(db.select(DutyGroup.id, DutyGroup.unit_id, DutyGroup.code, DutyGroup.name)):
        out.setdefault((r.unit_id, header_key(r.name)), r.id)
        out[(r.unit_id, header_key(r.code))] = r.id
    return out


def chunks(items: list, size: int = 2000):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def rows_with_keys(columns: list, key_column, keys: list, *conditions, size: int = 5000, joins=None):
    """The rows (of `columns`) whose `key_column` is one of `keys`, in chunks. On PostgreSQL the keys are
    joined as a VALUES list (a hash join whatever the table's statistics say: a long IN list of bound
    parameters is compared row by row when the planner chooses a sequential scan), elsewhere IN.
    `joins(query)` may add joins to the query."""
    from sqlalchemy import column, values

    postgres = db.session.get_bind().dialect.name == "postgresql"
    for part in chunks(keys, size):
        query = db.select(*columns).where(*conditions)
        if joins is not None:
            query = joins(query)
        if postgres:
            wanted = values(column("key", key_column.type), name="wanted").data([(k,) for k in part])
            query = query.join(wanted, key_column == wanted.c.key)
        else:
            query = query.where(key_column.in_(part))
        yield from db.session.execute(query)
