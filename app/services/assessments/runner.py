"""Running an assessment: who (members), under which versions (pins), compute, compare with the current
revision, store a new revision atomically (flush only; the caller commits once), or say "không thay đổi"."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from ...extensions import db
from ...models import Assessment, AssessmentRevision, Unit
from ...models.assessments import COMPUTED, DRAFT, LOCKED
from .. import audit
from ..errors import NotFound, ServiceError
from . import background, engine, pinning, store, summaries
from .compute import Computed, compute
from .members import members_of
from .periods import Period, parse

UNCHANGED = "không thay đổi"


@dataclass
class RunReport:
    assessment: Assessment | None
    period: Period
    revision: AssessmentRevision | None  # the new one, or the current one when unchanged
    unchanged: bool
    dry_run: bool
    rows: dict[str, dict]  # code -> stored columns
    versions: list[dict]
    uncovered: list[dict]
    changes: list[dict] = field(default_factory=list)
    runs: list = field(default_factory=list)  # (RulesetVersion, RunResult) per evaluation group
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def status_text(self) -> str:
        if self.dry_run:
            return "chạy thử, không lưu"
        return UNCHANGED if self.unchanged else f"đã lưu lần chạy {self.revision.number}"


def unit_by_code(code: str) -> Unit:
    unit = db.session.scalar(db.select(Unit).where(Unit.code == code.strip()))
    if unit is None:
        raise NotFound(f'không có đơn vị mã "{code}"')
    return unit


def find(unit: Unit, period: str) -> Assessment | None:
    return db.session.scalar(
        db.select(Assessment).where(Assessment.unit_id == unit.id, Assessment.period == period)
    )


def current_revision(assessment: Assessment | None) -> AssessmentRevision | None:
    if assessment is None or not assessment.current_revision:
        return None
    return db.session.scalar(
        db.select(AssessmentRevision).where(
            AssessmentRevision.assessment_id == assessment.id,
            AssessmentRevision.number == assessment.current_revision,
        )
    )


def refuse_locked(assessment: Assessment | None, reason: str) -> None:
    if assessment is not None and assessment.status == LOCKED and not reason.strip():
        raise ServiceError(
            f"{assessment.label} đã khóa; chạy lại cần tạo lần chạy mới có lý do (--reason)", code="conflict"
        )


def refuse_rollup(assessment: Assessment | None) -> None:
    """A stored roll-up re-runs as a roll-up only (`kpi assess rollup`)."""
    from .rollup_kind import is_rollup

    if is_rollup(assessment):
        raise ServiceError(
            f"{assessment.label} là bản tổng hợp từ kết quả các kỳ; chạy lại bằng kpi assess rollup",
            code="conflict",
        )


def run(unit_code: str, period_text: str, *, scope, user=None, dry_run=False, reason="", progress=None,
        cancelled=None, part_of=None) -> RunReport:  # fmt: skip
    """Run the assessment of `unit_code`'s subtree for the period. Refused outside the scope, for a
    locked assessment without a reason, and when required inputs are missing (ServiceError listing them)."""
    unit = unit_by_code(unit_code)
    scope.require_unit(unit.id, write=True)
    period = parse(period_text)
    assessment = find(unit, period.code)
    refuse_rollup(assessment)
    refuse_locked(assessment, reason)
    started = time.perf_counter()
    members = members_of(unit, period.first)
    if not members:
        raise ServiceError(f"không có cán bộ nào thuộc {unit.name} ({unit.code}) trong kỳ {period.code}")
    versions, uncovered = pinning.assign(members, period, assessment.pins if assessment else [])
    covered = [m for m in members if m.version_id is not None]
    if not covered:
        raise ServiceError("không có bộ quy tắc nào áp dụng cho cán bộ của đợt đánh giá",
                           [f"{u['person']} {u['name']}: {u['reason']}" for u in uncovered])  # fmt: skip
    programs = {vid: engine.program_of(v) for vid, v in versions.items()}
    resolve_time = time.perf_counter() - started
    started_encoding: list[Computed] = []

    def loaded(c: Computed) -> None:  # the snapshots need only the loaded data: encode them meanwhile
        started_encoding.append(c)
        background.start(c)

    try:
        computed = compute(covered, programs, period, progress=progress, cancelled=cancelled, part_of=part_of,
                           loaded=loaded)  # fmt: skip
        computed.timings["resolve"] = resolve_time
        return finish(
            unit, period, assessment, computed, versions, uncovered, user=user, dry_run=dry_run, reason=reason
        )
    finally:
        for c in started_encoding:
            background.stop(c)


def finish(unit, period, assessment, computed: Computed, versions, uncovered, *, user, dry_run, reason,
           encoded=None) -> RunReport:  # fmt: skip
    """Compare with the current revision and store a new one (or report "không thay đổi"). `encoded`:
    block snapshots already encoded (by the workers of a distributed run)."""
    started = time.perf_counter()
    rows = store.result_rows(computed)
    rows_done = time.perf_counter()
    encoded = encoded if encoded is not None else background.encoded(computed)
    encoded_done = time.perf_counter()
    digest = store.digest_of(encoded)
    versions_json = pinning.versions_json(versions)
    current = current_revision(assessment)
    old = store.current_rows(current)
    change_list = store.changes(old, rows, encoded, computed) if current is not None else []
    runs = [(versions[vid], result) for vid, result in computed.runs]
    report = RunReport(assessment, period, current, False, dry_run, rows, versions_json, uncovered,
                       change_list, runs, dict(computed.timings))  # fmt: skip
    # inside the store: result rows built, waiting for the snapshots' encoder, then (below) the writes
    report.timings.update(rows=rows_done - started, snapshots=encoded_done - rows_done)
    if current is not None and not change_list and current.digest == digest and not reason.strip():
        report.unchanged = True
        report.timings["store"] = time.perf_counter() - started
        return report
    if dry_run:
        report.timings["store"] = time.perf_counter() - started
        return report
    if assessment is None:
        assessment = Assessment(unit_id=unit.id, period=period.code, period_kind=period.kind, status=DRAFT,
                                created_by_id=user.id if user else None)  # fmt: skip
        db.session.add(assessment)
    added = pinning.sync_pins(assessment, versions, user)
    db.session.flush()
    number = (assessment.current_revision or 0) + 1
    why = reason.strip() or ("lần chạy đầu tiên" if current is None else "dữ liệu thay đổi")
    writing = time.perf_counter()
    revision = store.write(assessment, number, rows, encoded, computed, user=user, reason=why, digest=digest,
                           versions=versions_json, change_list=change_list, uncovered=uncovered)  # fmt: skip
    summarising = time.perf_counter()
    summaries.write(revision.id, rows.values(), assessment.unit_id)  # what the dashboards read
    report.timings.update(results=summarising - writing, summaries=time.perf_counter() - summarising)
    before = {"revision": assessment.current_revision, "status": assessment.status}
    assessment.current_revision = number
    assessment.status = COMPUTED
    audit.record("assessment.run", "assessment", assessment.id, user=user, actor=None if user else "system",
                 before=before, after={"revision": number, "people": len(rows), "reason": why,
                                       "changes": len(change_list), "pinned": added, "digest": digest})  # fmt: skip
    db.session.flush()
    report.assessment, report.revision = assessment, revision
    report.timings["store"] = time.perf_counter() - started
    return report
