"""Provisional scores in real time: after a write of tasks or period inputs (import, API), each person
touched in an open period is re-evaluated at once and stored as provisional (`provisional_results`), so
an official sees where they stand today; the leaders above are re-evaluated when a subordinate's
provisional level changes (until nothing changes, each leader once).

The evaluation is the assessment's own (`compute.compute`: bulk load of the people and their
subordinates, the version in force for their unit and category on the period's last day). The level
kept is the level before quota: a quota needs the whole group and is applied by the assessment run.
A period is closed for a person once an assessment holding their result is published or locked.
Nothing here commits; a failure is stored as the person's `problem`, never raised into the write.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from sqlalchemy import select

from ...extensions import db
from ...models import Assessment, AssessmentResult, AssessmentRevision, DutyGroup, Person, Unit
from ...models.provisional import ProvisionalResult
from ..errors import ServiceError
from .members import Member

CLOSED = ("published", "locked")
KINDS = ("tasks", "inputs")
CHUNK = 2000  # people per block


def after_import(kind: str, plan) -> None:
    """The ONE call after an import or API write applied `plan` (its inserted/updated rows)."""
    if kind not in KINDS:
        return
    pairs = {(r["person_id"], r["period"]) for r in [*plan.inserts, *plan.updates]
             if r.get("person_id") is not None and r.get("period")}  # fmt: skip
    if pairs:
        refresh(pairs)


def refresh(pairs: Iterable[tuple[int, str]]) -> dict[int, ProvisionalResult]:
    """Re-evaluate (person id, period) pairs and the leaders above any changed level; returns the
    stored provisional results by person id (the last period's, when several)."""
    by_period: dict[str, set[int]] = {}
    for person_id, period in pairs:
        by_period.setdefault(period, set()).add(person_id)
    out: dict[int, ProvisionalResult] = {}
    for period_code, ids in sorted(by_period.items()):
        seen: set[int] = set()
        for chunk in _chunks(sorted(ids)):
            wave = set(chunk) - _closed(set(chunk), period_code) - seen
            seen |= wave
            while wave:
                stored, changed = _evaluate(wave, period_code)
                out.update(stored)
                leaders = _managers(changed) - seen
                seen |= leaders
                wave = leaders
    return out


def _chunks(ids: list[int], size: int = CHUNK):
    """A large import is re-evaluated by blocks of people (bounded queries and memory)."""
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


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


def _managers(ids: set[int]) -> set[int]:
    if not ids:
        return set()
    query = select(Person.manager_id).where(Person.id.in_(sorted(ids)), Person.manager_id.is_not(None))
    return set(db.session.scalars(query))


def _with_subordinates(ids: set[int]) -> list:
    """The people `ids` and everyone under them (by manager), as rows."""
    p = Person.__table__.c
    columns = (p.id, p.code, p.full_name, p.unit_id, p.leadership_post, p.is_leader, p.duty_group_id,
               p.manager_id, p.category)  # fmt: skip
    rows = {r.id: r for r in db.session.execute(select(*columns).where(p.id.in_(sorted(ids))))}
    frontier = set(rows)
    while frontier:
        query = select(*columns).where(p.manager_id.in_(sorted(frontier)), p.active.is_(True))
        found = [r for r in db.session.execute(query) if r.id not in rows]
        rows.update((r.id, r) for r in found)
        frontier = {r.id for r in found}
    return list(rows.values())


def _evaluate(ids: set[int], period_code: str) -> tuple[dict[int, ProvisionalResult], set[int]]:
    from . import engine, load
    from .compute import compute
    from .periods import parse

    period = parse(period_code)
    rows = _with_subordinates(ids)
    code_of = {r.id: r.code for r in rows}
    units = {u.id: u for u in db.session.scalars(select(Unit).where(Unit.id.in_({r.unit_id for r in rows})))}
    groups = dict(db.session.execute(select(DutyGroup.id, DutyGroup.name)).all()) if any(
        r.duty_group_id for r in rows) else {}  # fmt: skip
    problems: dict[int, str] = {}
    versions: dict[tuple[int, str], object] = {}
    members: list[Member] = []
    for r in rows:
        key = (r.unit_id, r.category)
        if key not in versions:
            versions[key] = _version(units[r.unit_id], period, r.category)
        version = versions[key]
        if isinstance(version, str):
            problems[r.id] = version
            continue
        members.append(Member(
            person_id=r.id, code=r.code, name=r.full_name, unit_id=r.unit_id, unit_code=units[r.unit_id].code,
            post=r.leadership_post or "", leader=bool(r.is_leader), duty_group=groups.get(r.duty_group_id, "") or "",
            manager_id=r.manager_id, manager_code=code_of.get(r.manager_id, ""), category=r.category,
            block_id=r.unit_id, version_id=version.id,
        ))  # fmt: skip
    programs = {m.version_id: engine.program_of(_by_id(versions, m.version_id)) for m in members}
    lacking = _lacking(members, programs, load.load_inputs(members, period.code))
    blocked = _blocked(members, set(lacking))
    for m in members:
        if m.code in blocked:
            problems[m.person_id] = (
                lacking.get(m.code) or "chưa tính được vì cán bộ cấp dưới thiếu dữ liệu đầu vào"
            )
    ready = [m for m in members if m.code not in blocked]
    results: dict[str, object] = {}
    if ready:
        try:
            results = compute(ready, programs, period).results
        except ServiceError as exc:
            for m in ready:
                problems[m.person_id] = exc.message[:500]
    return _store(ids, period_code, {m.person_id: m for m in members}, results, problems)


def _by_id(versions: dict, version_id: int):
    return next(v for v in versions.values() if not isinstance(v, str) and v.id == version_id)


def _version(unit: Unit, period, category: str):
    """The version in force for the unit and category on the period's last day, or the reason why none."""
    from ..resolution import resolve

    try:
        return resolve(unit, period.last, category)
    except ServiceError as exc:
        return exc.message[:500]


def _lacking(members: list[Member], programs: dict, inputs: dict) -> dict[str, str]:
    out = {}
    for m in members:
        given = inputs.get(m.code, {})
        names = [f'"{i.title or i.name}"' for i in programs[m.version_id].needed_inputs
                 if i.required and i.name not in given]  # fmt: skip
        if names:
            out[m.code] = "thiếu " + ", ".join(names)
    return out


def _blocked(members: list[Member], lacking: set[str]) -> set[str]:
    """People who cannot be evaluated: those lacking an input and every leader above them."""
    manager_of = {m.code: m.manager_code for m in members}
    out: set[str] = set()
    for code in lacking:
        while code and code not in out:
            out.add(code)
            code = manager_of.get(code, "")
    return out


def _store(ids: set[int], period_code: str, members: dict[int, Member], results: dict, problems: dict):
    existing = {
        p.person_id: p
        for p in db.session.scalars(select(ProvisionalResult).where(
            ProvisionalResult.person_id.in_(sorted(ids)), ProvisionalResult.period == period_code))
    }  # fmt: skip
    stored, changed = {}, set()
    for person_id in ids:
        row = existing.get(person_id)
        if row is None:
            row = ProvisionalResult(person_id=person_id, period=period_code, criteria={}, vetoes=[])
            db.session.add(row)
        member = members.get(person_id)
        before = (row.level, row.not_rated)
        r = results.get(member.code) if member is not None else None
        row.unit_id = member.unit_id if member is not None else row.unit_id
        row.version_id = member.version_id if member is not None else None
        if r is None:
            row.score, row.level, row.not_rated, row.criteria, row.vetoes = None, None, False, {}, []
            row.problem = problems.get(person_id, "chưa tính được")
        else:
            row.score = None if r.score is None else Decimal(r.score.numerator) / Decimal(r.score.denominator)
            row.level, row.not_rated = r.level_before_quota, bool(r.not_rated)
            row.criteria = {k: str(v) for k, v in r.criteria.items()}
            row.vetoes, row.problem = list(r.vetoes), ""
        if (row.level, row.not_rated) != before:
            changed.add(person_id)
        stored[person_id] = row
    db.session.flush()
    return stored, changed
