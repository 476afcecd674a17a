"""Provisional scores in real time: after a write of tasks or period inputs (import, API), each person
touched in an open period is re-evaluated at once and stored as provisional (`provisional_results`), so
an official sees where they stand today; the leaders above are re-evaluated when a subordinate's
provisional level changes (until nothing changes, each leader once).

The evaluation is the assessment's own (`compute.compute`, `engine.evaluate`) under the version in
force for the person's unit and category on the period's last day (`provisional_versions`: resolved
and compiled once, cached until a version is published or retired or the unit moves). The level kept
is the level before quota: a quota needs the whole group and is applied by the assessment run. A period
is closed for a person once an assessment holding their result is published or locked. Nothing here
commits; a failure is stored as the person's `problem`, never raised into the write.

Statements per refresh of one person (`provisional_rows`): the person with their inputs, stored
provisional row, unit chain, the rulesets generation and, for a leader, their direct subordinates with
their stored provisional results (one JSON text, read again only when this refresh stored one of them
since); their tasks; the upsert. The subordinates become engine states once per content
(`provisional_subs`), the leader is evaluated alone from them (`provisional_eval`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from sqlalchemy import select

from ...extensions import db
from ...models import (
    Assessment,
    AssessmentResult,
    AssessmentRevision,
    PeriodInput,
    Task,
)
from . import provisional_eval as eval_
from . import provisional_rows as rows_
from .periods import parse

CLOSED = rows_.CLOSED
KINDS = ("tasks", "inputs")
CHUNK = 2000  # people per block


def after_import(kind: str, plan) -> None:
    """The ONE call after an import or API write applied `plan` (its inserted/updated rows)."""
    if kind not in KINDS:
        return
    rows = [*plan.inserts, *plan.updates]
    pairs = {
        (r["person_id"], r["period"]) for r in rows if r.get("person_id") is not None and r.get("period")
    }
    updated = [r["_id"] for r in plan.updates if r.get("person_id") is None and "_id" in r]
    if updated:  # an updated period input carries only its id and the new values
        table = (PeriodInput if kind == "inputs" else Task).__table__
        for part in range(0, len(updated), CHUNK):
            query = select(table.c.person_id, table.c.period).where(
                table.c.id.in_(updated[part : part + CHUNK])
            )
            pairs.update((person_id, period) for person_id, period in db.session.execute(query))
    if not pairs:
        return
    try:  # never break the write that triggered it: the next write or run recomputes
        if db.session.get_bind().dialect.name == "postgresql":
            with db.session.begin_nested():  # a concurrent writer's row conflict stays in the savepoint
                refresh(pairs)
        else:
            refresh(pairs)
    except Exception:
        logging.getLogger(__name__).exception("điểm tạm tính chưa được cập nhật sau lần ghi %s", kind)


def refresh(pairs: Iterable[tuple[int, str]]) -> dict[int, dict]:
    """Re-evaluate (person id, period) pairs and the leaders above any changed level; returns the values
    stored by person id (the last period's, when several)."""
    by_period: dict[str, set[int]] = {}
    for person_id, period in pairs:
        by_period.setdefault(period, set()).add(person_id)
    out: dict[int, dict] = {}
    for period_code, ids in sorted(by_period.items()):
        period = parse(period_code)
        seen: set[int] = set()
        for chunk in _chunks(sorted(ids)):
            written: set[int] = set()  # stored since `rows` were read: their leaders read them again
            rows = _open_rows(set(chunk) - seen, period_code)
            seen |= set(rows)
            manager_of = {i: r.manager_id for i, r in rows.items()}
            staff = [r for r in rows.values() if not r.is_leader]
            leaders = {i for i, r in rows.items() if r.is_leader}
            if staff:  # people without subordinates first: their leaders read what they store
                stored, changed = eval_.staff(staff, period)
                out.update(stored)
                written |= stored.keys()
                above = {manager_of[i] for i in changed if manager_of[i] is not None} - seen
                seen |= above
                leaders |= above
            while leaders:  # touched by the write, or above a changed level
                known = {i: rows[i] for i in leaders if i in rows}
                fresh = rows_.people(leaders - known.keys(), period_code) if leaders - known.keys() else []
                known.update((r.id, r) for r in fresh)
                manager_of.update((i, r.manager_id) for i, r in known.items())
                stored, changed = eval_.leaders(known, period, written, {r.id for r in fresh})
                out.update(stored)
                written |= stored.keys()
                leaders = {manager_of[i] for i in changed if manager_of.get(i) is not None} - seen
                seen |= leaders
    return out


def _chunks(ids: list[int], size: int = CHUNK):
    """A large import is re-evaluated by blocks of people (bounded queries and memory)."""
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _open_rows(ids: set[int], period_code: str) -> dict:
    """The people of `ids` whose period is still open, as rows of `provisional_rows.people` by id: one
    statement, and a second only when some assessment of the period is published or locked."""
    if not ids:
        return {}
    rows = {r.id: r for r in rows_.people(ids, period_code)}
    if rows and next(iter(rows.values())).closed_any:
        for person_id in _closed(set(rows), period_code):
            del rows[person_id]
    return rows


def _closed(ids: set[int], period_code: str) -> set[int]:
    query = (
        select(AssessmentResult.person_id)
        .join(Assessment, Assessment.id == AssessmentResult.assessment_id)
        .join(AssessmentRevision, AssessmentRevision.id == AssessmentResult.revision_id)
        .where(Assessment.period == period_code, Assessment.status.in_(CLOSED),
               AssessmentRevision.number == Assessment.current_revision,
               AssessmentResult.person_id.in_(sorted(ids)))
    )  # fmt: skip
    return set(db.session.scalars(query))
