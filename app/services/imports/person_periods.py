"""The rows of a per-person-and-period import (period inputs, salaries): the person looked up by code
within the caller's scope, and refused when the period falls in a stretch of their time line spent in a
unit outside the scope. One loader for both importers."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import bindparam, insert, update

from ...extensions import db
from .. import timeline
from . import lookups
from .context import Context, Plan
from .sheet import Sheet


def person_period_rows(ctx: Context, sheet: Sheet, codes: list, periods: list, keys: list, skip: set[int],
                       what: str) -> Iterator[tuple[int, tuple[int, str], str]]:  # fmt: skip
    """(row index, (person id, period), "CODE PERIOD") of each row whose person the caller may write for
    that period; the others get their error on the sheet. `keys[i]` is None for a row lacking its code or
    period; rows in `skip` (repeats, invalid values) are passed over; `what` names the data refused
    ("đầu vào", "tiền lương")."""
    people = lookups.people_by_code()
    for i in range(sheet.n):
        if keys[i] is None or i in skip:
            continue
        person = people.get(codes[i])
        if person is None or not ctx.sees_person(person):  # elsewhere: the same answer as nowhere
            sheet.error(i, "mã_cán_bộ", f'không có cán bộ mã "{codes[i]}" {ctx.where}')
            continue
        start, end = timeline.period_bounds(periods[i])
        found = ctx.scope.foreign_stretch(timeline.as_triples(person.timeline()), start, end)
        if found is not None:
            why = f"không được ghi {what} của kỳ {periods[i]}"
            ctx.forbid(sheet, i, "mã_cán_bộ", codes[i], ctx.scope.person_message(codes[i], found, why))
            continue
        yield i, (person.id, periods[i]), f"{codes[i]} {periods[i]}"


def current_rows(table, columns: list, keys: list[tuple[int, str]]) -> dict:
    """(person id, period) -> the stored row (`columns` of `table`, which has person_id and period)."""
    person_ids = sorted({k[0] for k in keys})
    chosen = [table.c.id, table.c.person_id, table.c.period, *columns]
    return {(r.person_id, r.period): r for r in lookups.rows_with_keys(chosen, table.c.person_id, person_ids)}


def apply_plan(table, plan: Plan) -> None:
    """The plan's inserts and updates (by "_id") on `table`, in chunks."""
    for part in lookups.chunks(plan.inserts, 2000):
        db.session.execute(insert(table), part)
    statement = update(table).where(table.c.id == bindparam("_id"))
    for part in lookups.chunks(plan.updates, 2000):
        db.session.execute(statement, part)
