"""Reading assessments within a scope: find, list, current results, pinned versions, snapshot datasets,
and the period a form should offer first (the latest with task data in the scope)."""

from __future__ import annotations

import datetime as dt

import numpy as np
from sqlalchemy import select

from ...extensions import db
from ...models import (
    Assessment,
    AssessmentResult,
    AssessmentRevision,
    AssessmentSnapshot,
    RulesetVersion,
    Task,
)
from ..errors import NotFound, ServiceError
from . import load, snapshot
from .periods import parse
from .runner import current_revision, find, unit_by_code


def get(unit_code: str, period: str, *, scope) -> Assessment:
    unit = unit_by_code(unit_code)
    scope.require_unit(unit.id)
    found = find(unit, parse(period).code)
    if found is None:
        raise NotFound(f"chưa có đợt đánh giá {unit.code} kỳ {parse(period).code}")
    return found


def get_by_id(assessment_id: int, *, scope) -> Assessment:
    found = db.session.get(Assessment, assessment_id)
    if found is None:
        raise NotFound(f"không có đợt đánh giá số {assessment_id}")
    scope.require_unit(found.unit_id)
    return found


def list_assessments(*, scope, unit_code: str | None = None) -> list[Assessment]:
    query = select(Assessment).where(scope.where_unit(Assessment.unit_id)).order_by(Assessment.period.desc(),
                                                                                      Assessment.id)  # fmt: skip
    if unit_code:
        query = query.where(Assessment.unit_id == unit_by_code(unit_code).id)
    return list(db.session.scalars(query))


def latest_task_month(*, scope) -> str | None:
    """The month ("2026-03") of the latest period with tasks in the scope's units: the latest month, or
    the last month of the latest quarter or year if that ends later; None when the scope has no task."""
    ends = []
    for shape in (Task.period.not_like("%Q%"), Task.period.like("%Q%")):  # "2026-12" sorts below "2026-Q1"
        found = db.session.scalar(
            select(Task.period)
            .where(scope.where_unit(Task.unit_id), shape)
            .order_by(Task.period.desc())
            .limit(1)
        )
        if found:
            try:
                ends.append(parse(found).last)
            except ServiceError:
                continue  # a period text no form offers
    return max(ends).strftime("%Y-%m") if ends else None


def default_month(*, scope, today: dt.date | None = None) -> dt.date:
    """The first day of the month a period form offers first: the latest with task data in the scope,
    else the current month."""
    found = latest_task_month(scope=scope)
    if found is None:
        return (today or dt.date.today()).replace(day=1)
    return dt.date(int(found[:4]), int(found[5:7]), 1)


def revision_of(assessment: Assessment, number: int | None = None) -> AssessmentRevision:
    if number is None:
        found = current_revision(assessment)
    else:
        found = db.session.scalar(
            select(AssessmentRevision).where(
                AssessmentRevision.assessment_id == assessment.id, AssessmentRevision.number == number
            )
        )
    if found is None:
        raise NotFound(f"{assessment.label} chưa có lần chạy {number or ''}".rstrip())
    return found


def revisions(assessment: Assessment) -> list[AssessmentRevision]:
    return list(db.session.scalars(select(AssessmentRevision).where(
        AssessmentRevision.assessment_id == assessment.id).order_by(AssessmentRevision.number)))  # fmt: skip


def results_of(assessment: Assessment, revision: int | None = None) -> list[AssessmentResult]:
    """The stored results of the current (or the given) revision, by person code."""
    rev = revision_of(assessment, revision)
    return list(
        db.session.scalars(
            select(AssessmentResult)
            .where(AssessmentResult.revision_id == rev.id)
            .order_by(AssessmentResult.person_code)
        )
    )


def pinned_versions(assessment: Assessment) -> list[RulesetVersion]:
    return [pin.version for pin in assessment.pins]


def pinned_programs(assessment: Assessment) -> dict:
    """version id -> compiled program, for every version the assessment is pinned to (pin order)."""
    from .engine import program_of

    return {version.id: program_of(version) for version in pinned_versions(assessment)}


def snapshot_dataset(assessment: Assessment, version_id: int | None = None, revision: int | None = None):
    """The Dataset the revision read (people, tasks, inputs as stored), restricted to the people of one
    version when given: what a simulation re-runs another ruleset on."""
    rev = revision_of(assessment, revision)
    t = AssessmentResult.__table__.c
    ids = sorted(set(db.session.scalars(select(t.snapshot_id).where(t.revision_id == rev.id))))
    s = AssessmentSnapshot.__table__.c
    from . import engine
    from .rollup_kind import is_rollup
    from .rollup_run import block_dataset

    if is_rollup(assessment):  # the sub-period results it read, as roll-up records
        blocks = [
            snapshot.decode(d)
            for (d,) in db.session.execute(select(s.data).where(s.id.in_(ids)).order_by(s.id))
        ]
        codes = {
            p["code"] for b in blocks for p in b.people if version_id is None or p["version"] == version_id
        }
        version = db.session.get(RulesetVersion, version_id) if version_id else pinned_versions(assessment)[0]
        return block_dataset(blocks, codes, engine.program_of(version), assessment.period)
    people, owners, parts, inputs = [], [], [], {}
    for (data,) in db.session.execute(select(s.data).where(s.id.in_(ids)).order_by(s.id)):
        block = snapshot.decode(data)
        chosen = [p for p in block.people if version_id is None or p["version"] == version_id]
        codes = {p["code"] for p in chosen}
        task_codes, columns = snapshot.columns_of(block, codes)
        people += chosen
        owners += task_codes
        parts.append(columns)
        inputs.update({c: v for c, v in block.inputs.items() if c in codes})
    index = {p["code"]: i for i, p in enumerate(people)}
    names = set().union(*(p.keys() for p in parts)) if parts else set()
    columns = {n: np.concatenate([p[n] for p in parts if n in p]) for n in names}
    columns["mã_cán_bộ"] = np.array(owners, dtype=object)
    owner = np.fromiter((index[c] for c in owners), dtype=np.int64, count=len(owners))
    kinds = {}
    for v in pinned_versions(assessment):
        if version_id is None or v.id == version_id:
            kinds.update({i.name: i.kind for i in engine.program_of(v).inputs})
    typed = load.typed_inputs(inputs, kinds)
    return load.dataset_of([snapshot.record_of(p) for p in people], owner, columns, typed, assessment.period)
