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

import logging
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

from sqlalchemy import bindparam, func, insert, select, update

from dsl.errors import DslError

from ...extensions import db
from ...models import (
    Assessment,
    AssessmentResult,
    AssessmentRevision,
    DutyGroup,
    PeriodInput,
    Person,
    Task,
    Unit,
)
from ...models.common import utcnow
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
        seen: set[int] = set()
        for chunk in _chunks(sorted(ids)):
            todo, leaders = _open_people(set(chunk) - seen, period_code)
            seen |= todo
            staff = todo - leaders
            if staff:  # people without subordinates first: their leaders read what they store
                stored, changed = _evaluate(staff, period_code)
                out.update(stored)
                above = _managers(changed) - seen
                seen |= above
                leaders |= above
            while leaders:
                stored, changed = _leaders(leaders, period_code)
                out.update(stored)
                leaders = _managers(changed) - seen
                seen |= leaders
    return out


def _chunks(ids: list[int], size: int = CHUNK):
    """A large import is re-evaluated by blocks of people (bounded queries and memory)."""
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _open_people(ids: set[int], period_code: str) -> tuple[set[int], set[int]]:
    """(the people of `ids` whose period is still open, the leaders among them): one query, and a second
    only when some assessment of the period is published or locked."""
    if not ids:
        return set(), set()
    closed_any = (
        select(Assessment.id).where(Assessment.period == period_code, Assessment.status.in_(CLOSED)).exists()
    )
    rows = db.session.execute(
        select(Person.id, Person.is_leader, closed_any).where(Person.id.in_(sorted(ids)))
    ).all()
    found = {r[0] for r in rows}
    if rows and rows[0][2]:
        found -= _closed(found, period_code)
    return found, {r[0] for r in rows if r[1] and r[0] in found}


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


def _with_subordinates(ids: set[int], depth: int | None = None) -> list:
    """The people `ids` and everyone under them (by manager), as rows with their unit code and duty
    group name (one query per level of the hierarchy)."""
    p, u, g = Person.__table__.c, Unit.__table__.c, DutyGroup.__table__.c
    query = (
        select(p.id, p.code, p.full_name, p.unit_id, p.leadership_post, p.is_leader, p.manager_id, p.category,
               u.code.label("unit_code"), g.name.label("group_name"))
        .join(Unit.__table__, u.id == p.unit_id)
        .outerjoin(DutyGroup.__table__, g.id == p.duty_group_id)
    )  # fmt: skip
    rows = {r.id: r for r in db.session.execute(query.where(p.id.in_(sorted(ids))))}
    frontier = {r.id for r in rows.values() if r.is_leader}
    level = 0
    while frontier and (depth is None or level < depth):
        level += 1
        found = [r for r in db.session.execute(query.where(p.manager_id.in_(sorted(frontier)), p.active.is_(True)))
                 if r.id not in rows]  # fmt: skip
        rows.update((r.id, r) for r in found)
        frontier = {r.id for r in found}
    return list(rows.values())


def _evaluate(ids: set[int], period_code: str) -> tuple[dict[int, dict], set[int]]:
    from .compute import compute
    from .periods import parse

    period = parse(period_code)
    rows = _with_subordinates(ids)
    code_of = {r.id: r.code for r in rows}
    problems: dict[int, str] = {}
    versions = _versions({(r.unit_id, r.category) for r in rows}, period)
    members: list[Member] = []
    for r in rows:
        version = versions[(r.unit_id, r.category)]
        if isinstance(version, str):
            problems[r.id] = version
            continue
        members.append(_member(r, code_of, version.id))
    programs = {v.id: v.program for v in versions.values() if not isinstance(v, str)}
    results: dict[str, object] = {}
    if members:
        try:
            results = compute(members, programs, period).results
        except ServiceError:  # a missing input or an evaluation error: find who, evaluate the others
            results = _without_the_blocked(members, programs, period, problems)
    return _store(ids, period_code, {m.person_id: m for m in members}, results, problems)


def _leaders(ids: set[int], period_code: str):
    """Leaders (touched by the write, or above a changed level): evaluated alone, reading their direct
    subordinates' stored provisional results (as a run reads another group's); the full evaluation when
    some subordinate has no usable provisional result yet."""
    from . import engine, load
    from .periods import parse

    period = parse(period_code)
    rows = _with_subordinates(ids, depth=1)
    subs = [r for r in rows if r.id not in ids]
    t = ProvisionalResult.__table__.c
    stored = {
        r.person_id: r
        for r in db.session.execute(select(t.person_id, t.problem, t.score, t.level, t.criteria).where(
            t.person_id.in_(sorted(r.id for r in subs)), t.period == period_code))
    }  # fmt: skip
    if any(r.id not in stored or stored[r.id].problem or stored[r.id].score is None for r in subs):
        return _evaluate(ids, period_code)
    code_of = {r.id: r.code for r in rows}
    versions = _versions({(r.unit_id, r.category) for r in rows if r.id in ids}, period)
    problems: dict[int, str] = {}
    members: list[Member] = []
    for r in rows:
        version = versions.get((r.unit_id, r.category)) if r.id in ids else None
        if isinstance(version, str):
            problems[r.id] = version
            continue
        members.append(_member(r, code_of, version.id if version is not None else None))
    leaders = [m for m in members if m.person_id in ids]
    results: dict[str, object] = {}
    for version_id in {m.version_id for m in leaders}:
        group = [m for m in leaders if m.version_id == version_id]
        program = next(v.program for v in versions.values() if not isinstance(v, str) and v.id == version_id)
        owner, columns = load.load_tasks(group, period.members, {i.name for i in program.needed_fields},
                                         {i.name: i.kind for i in program.needed_fields})  # fmt: skip
        kinds = {i.name: i.kind for i in program.inputs}
        inputs = load.typed_inputs(load.load_inputs(group, period.code), kinds)
        others = [m for m in members if m.person_id not in ids]
        records = [load.record_of(m) for m in group] + [load.record_of(m) for m in others]
        external = {}
        for m, record in zip(others, records[len(group) :], strict=True):
            row = stored[m.person_id]
            score = Fraction(str(row.score))
            criteria = {k: Fraction(v) for k, v in (row.criteria or {}).items()}
            external[m.code] = engine.external_state(record, score, row.level, criteria)
        data = load.dataset_of(records, owner, columns, inputs, period.code)
        try:
            result, _ = engine.evaluate(program, data, external=external)
        except (ServiceError, DslError):
            return _evaluate(ids, period_code)
        results.update((r.person, r) for r in result.results)
    return _store(ids, period_code, {m.person_id: m for m in leaders}, results, problems)


def _member(r, code_of: dict, version_id: int | None) -> Member:
    return Member(
        person_id=r.id, code=r.code, name=r.full_name, unit_id=r.unit_id, unit_code=r.unit_code,
        post=r.leadership_post or "", leader=bool(r.is_leader), duty_group=r.group_name or "",
        manager_id=r.manager_id, manager_code=code_of.get(r.manager_id, ""), category=r.category,
        block_id=r.unit_id, version_id=version_id,
    )  # fmt: skip


def _without_the_blocked(members: list[Member], programs: dict, period, problems: dict) -> dict:
    from . import load
    from .compute import compute

    lacking = _lacking(members, programs, load.load_inputs(members, period.code))
    blocked = _blocked(members, set(lacking))
    for m in members:
        if m.code in blocked:
            problems[m.person_id] = (
                lacking.get(m.code) or "chưa tính được vì cán bộ cấp dưới thiếu dữ liệu đầu vào"
            )
    ready = [m for m in members if m.code not in blocked]
    if not ready:
        return {}
    try:
        return compute(ready, programs, period).results
    except ServiceError as exc:
        for m in ready:
            problems[m.person_id] = exc.message[:500]
        return {}


# (unit id, category, day) -> (version id, program) or the reason none applies, valid while
# `_generation()` holds
_RESOLVED: dict[tuple, object] = {}
_GENERATION: list = [None]


class _Version(NamedTuple):
    id: int
    program: object


def _generation() -> tuple:
    """Changes when any ruleset version or adoption is created or changes status or dates, or a unit is
    added (what resolution reads); one small query instead of resolving again."""
    from ...models import Adoption, RulesetVersion

    return tuple(db.session.execute(select(
        select(func.count(RulesetVersion.id)).scalar_subquery(),
        select(func.max(RulesetVersion.updated_at)).scalar_subquery(),
        select(func.count(Adoption.id)).scalar_subquery(),
        select(func.count(Unit.id)).scalar_subquery(),
    )).one())  # fmt: skip


def _versions(pairs: set[tuple[int, str]], period) -> dict:
    """(unit id, category) -> the version in force on the period's last day with its compiled program,
    or why there is none."""
    from ..resolution import resolve_units
    from . import engine

    generation = _generation()
    if _GENERATION[0] != generation:
        _RESOLVED.clear()
        _GENERATION[0] = generation
    wanted = {pair for pair in pairs if (*pair, period.last) not in _RESOLVED}
    if wanted:
        for key, v in resolve_units(wanted, period.last).items():
            got = v.message[:500] if isinstance(v, ServiceError) else _Version(v.id, engine.program_of(v))
            _RESOLVED[(*key, period.last)] = got
    return {pair: _RESOLVED[(*pair, period.last)] for pair in pairs}


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
    """Upsert the provisional rows of `ids` (Core statements: one select, one insert, one update);
    returns ({person id: the stored values}, the people whose level changed)."""
    t = ProvisionalResult.__table__
    existing = {
        r.person_id: r
        for r in db.session.execute(select(t.c.id, t.c.person_id, t.c.level, t.c.not_rated, t.c.unit_id).where(
            t.c.person_id.in_(sorted(ids)), t.c.period == period_code))
    }  # fmt: skip
    stored, changed, inserts, updates = {}, set(), [], []
    now = utcnow()
    for person_id in ids:
        old = existing.get(person_id)
        member = members.get(person_id)
        r = results.get(member.code) if member is not None else None
        values = {
            "unit_id": member.unit_id if member is not None else (old.unit_id if old is not None else None),
            "version_id": member.version_id if member is not None else None,
            "score": None, "level": None, "not_rated": False, "criteria": {}, "vetoes": [],
            "problem": problems.get(person_id, "chưa tính được"), "updated_at": now,
        }  # fmt: skip
        if r is not None:
            values.update(
                score=None if r.score is None else Decimal(r.score.numerator) / Decimal(r.score.denominator),
                level=r.level_before_quota, not_rated=bool(r.not_rated), problem="",
                criteria={k: str(v) for k, v in r.criteria.items()}, vetoes=list(r.vetoes),
            )  # fmt: skip
        before = (old.level, bool(old.not_rated)) if old is not None else (None, False)
        if (values["level"], values["not_rated"]) != before:
            changed.add(person_id)
        if old is None:
            inserts.append({"person_id": person_id, "period": period_code, **values})
        else:
            updates.append({"_id": old.id, **values})
        stored[person_id] = values
    if inserts:
        db.session.execute(insert(t), inserts)
    if updates:
        db.session.execute(update(t).where(t.c.id == bindparam("_id")), updates)
    return stored, changed
