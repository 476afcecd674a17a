"""The data `advice.gap_to_next` varies, read from the database: a person's provisional situation today
(their tasks and inputs of an open period, the version in force, subordinates from their stored
provisional results) or a stored result (the run's snapshot under the pinned version)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from ...extensions import db
from ...models import Person, Task
from ...models.provisional import ProvisionalResult
from ..errors import NotFound, ServiceError
from . import compute, engine, load
from .advice import Gap, gap_to_next
from .advice_tries import Budget
from .explain import stored_dataset, stored_result
from .periods import parse
from .values import from_text


def for_provisional(person_id: int, period_code: str, *, scope, today: dt.date | None = None,
                    budget: Budget | None = None) -> Gap:  # fmt: skip
    """The gap of a person in an open period, from today's data (what their provisional score reads):
    remaining tasks are finished from `today` (late past their deadline)."""
    # the provisional service's own readers: the person with their direct subordinates, the version in
    # force (cached per ruleset generation), a Member of a row
    from . import provisional_rows as rows_
    from . import provisional_versions as versions_

    person = db.session.get(Person, person_id)
    if person is None:
        raise NotFound(f"không có cán bộ số {person_id}")
    scope.require_unit(person.unit_id)
    period = parse(period_code)
    rows = rows_.with_subordinates({person_id}, depth=1)
    me = next(r for r in rows if r.id == person_id)
    code_of = {r.id: r.code for r in rows}
    version = versions_.for_pairs({(me.unit_id, me.category)}, period)[(me.unit_id, me.category)]
    if isinstance(version, str):
        raise ServiceError(f"chưa tính được điểm tạm tính: {version}")
    program = version.program
    member = rows_.member(me, code_of, version.id)
    fields, field_kinds, input_kinds = compute.needs({version.id: program})
    stored = load.load_inputs([member], period.code)
    lacking = compute.missing_inputs([member], {version.id: program}, stored)
    if lacking:
        raise ServiceError("chưa tính được điểm tạm tính", lacking)
    owner, columns = load.load_tasks([member], period.members, fields, field_kinds)
    subs = [rows_.member(r, code_of, None) for r in rows if r.id != person_id]
    records = [load.record_of(member)] + [load.record_of(m) for m in subs]
    data = load.dataset_of(records, owner, columns, load.typed_inputs(stored, input_kinds), period.code)
    external = _subordinates(subs, records[1:], period, person_id)
    return gap_to_next(program, data, member.code, external=external, as_of=today or dt.date.today(),
                       titles=_titles(person_id, period.members), budget=budget)  # fmt: skip


def for_result(assessment, person_code: str, *, scope, as_of: dt.date | None = None,
               budget: Budget | None = None) -> Gap:  # fmt: skip
    """The gap of a stored result (current revision), re-derived from its snapshot under the pinned
    version; `as_of` None phrases the suggestions for a closed period ("had they been finished")."""
    row, _number, block, _label, program = stored_result(assessment, person_code, scope=scope)
    people = {p["code"]: p for p in block.people}
    data, external = stored_dataset(program, block, people, {person_code}, row.revision_id,
                                            assessment.period)  # fmt: skip
    gap = gap_to_next(program, data, person_code, external=external, as_of=as_of,
                      titles=_titles(row.person_id, parse(assessment.period).members), budget=budget)  # fmt: skip
    if row.level != row.level_before_quota:  # the quota moved them: its line of the re-derived explanation
        from .explain import explain

        lines = explain(assessment, person_code, scope=scope).lines
        gap.notes.append(
            next((line for line in lines if line.startswith("Bị hạ do hạn mức")), row.quota_note)
        )
        quota = f'Theo điểm đạt "{row.level_before_quota}" nhưng xếp loại "{row.level}" do hạn mức tỷ lệ.'
        gap.summary = quota if gap.target is None else f"{quota} {gap.summary}"
    if row.decided_level:
        gap.notes.append(
            f'Người có thẩm quyền quyết định xếp loại "{row.decided_level}": {row.decided_reason}'
        )
    return gap


def _subordinates(subs, records, period, leader_id: int) -> dict:
    """Direct subordinates as engine states: their stored provisional results, or (when one is missing)
    evaluated now with everyone under the leader."""
    if not subs:
        return {}
    t = ProvisionalResult.__table__.c
    found = {
        r.person_id: r
        for r in db.session.execute(select(t.person_id, t.problem, t.score, t.level, t.criteria).where(
            t.person_id.in_(sorted(m.person_id for m in subs)), t.period == period.code))
    }  # fmt: skip
    if all(m.person_id in found and not found[m.person_id].problem and found[m.person_id].score is not None
           for m in subs):  # fmt: skip
        values = {m.code: found[m.person_id] for m in subs}
        return {
            m.code: engine.external_state(rec, from_text(str(values[m.code].score)), values[m.code].level,
                                          {k: from_text(v) for k, v in (values[m.code].criteria or {}).items()})
            for m, rec in zip(subs, records, strict=True)
        }  # fmt: skip
    from . import provisional_rows as rows_
    from . import provisional_versions as versions_

    rows = rows_.with_subordinates({leader_id})
    code_of = {r.id: r.code for r in rows}
    versions = versions_.for_pairs({(r.unit_id, r.category) for r in rows}, period)
    if any(isinstance(v, str) for v in versions.values()):
        raise ServiceError("chưa tính được điểm tạm tính của cán bộ cấp dưới")
    members = [rows_.member(r, code_of, versions[(r.unit_id, r.category)].id) for r in rows]
    programs = {v.id: v.program for v in versions.values()}
    results = compute.compute(members, programs, period).results
    return {
        m.code: engine.external_state(rec, results[m.code].score, results[m.code].level_before_quota,
                                      dict(results[m.code].criteria))
        for m, rec in zip(subs, records, strict=True)
    }  # fmt: skip


def _titles(person_id: int, periods: list[str]) -> dict[str, str]:
    query = select(Task.external_id, Task.title).where(Task.person_id == person_id, Task.period.in_(periods))
    return {code: title or "" for code, title in db.session.execute(query)}
