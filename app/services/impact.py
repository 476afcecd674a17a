"""What publishing a ruleset or adopting one in a ward would change, shown before the final confirmation:
who changes level, per unit, on the last stored period (the what-if simulation of the stored
assessments, `assessments.simulate`); with no stored assessment yet, the data it would run on (people and
tasks of the latest period), or for an adoption the ward's current data evaluated under the version in
force and under the adopted text. Nothing is stored. Bounded: above MAX_PEOPLE people the preview says
to use `kpi assess simulate`."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from ..extensions import db
from ..models import Assessment, AssessmentResult, AssessmentRevision, Task, Unit
from .assessments.simulate import NOT_RATED, Change, UnitReport
from .errors import ServiceError
from .scope import Scope

MAX_PEOPLE = 5000  # people a web preview evaluates; a province-wide what-if runs in `kpi assess simulate`


@dataclass
class Impact:
    candidate: str  # what would run ("TH-2026" phiên bản 2 …)
    mode: str = "none"  # "stored": simulated on stored assessments; "live": current data; "data": counts
    period: str | None = None
    assessments: list[str] = field(default_factory=list)  # labels of the stored assessments simulated
    units: list[UnitReport] = field(default_factory=list)  # per unit: levels before/after, changes
    data: list[dict] = field(default_factory=list)  # per unit: {"unit", "name", "people", "tasks"}
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return sum(len(u.changes) for u in self.units)

    @property
    def people(self) -> int:
        return (
            sum(u.people for u in self.units) if self.mode != "data" else sum(d["people"] for d in self.data)
        )

    @property
    def tasks(self) -> int:
        return sum(d["tasks"] for d in self.data)


def candidate_of(source: str, owner_unit: Unit | None, filename: str):
    """(program, code, label) of a ruleset text through the gate (with its owner: an adoption is checked
    against the ward), as `simulate` takes it; ServiceError with the errors otherwise."""
    from dsl.run import compile as compile_checked

    from .gate import render, validate

    checked = validate(source, filename=filename, owner_unit=owner_unit)
    if not checked.ok or checked.ruleset is None:
        lines = render(checked.diagnostics, errors_only=True)
        raise ServiceError(f"bộ quy tắc có {len(lines)} lỗi, chưa xem được ảnh hưởng", lines)
    header = checked.ruleset.header
    return compile_checked(checked), header.code, f'"{header.code}" phiên bản {header.version}'


def of_publish(source: str, owner_unit: Unit | None, *, scope: Scope, filename: str) -> Impact:
    """The impact of publishing `source` (a draft of `owner_unit`): simulated on the last stored period
    of the owner's subtree, else the data of the latest period."""
    candidate = candidate_of(source, owner_unit, filename)
    impact = Impact(candidate[2])
    if not _stored(impact, candidate, owner_unit, scope):
        _data(impact, owner_unit, scope, candidate[0])
    return impact


def of_adoption(unit: Unit, adopted, overrides: dict, *, scope: Scope) -> Impact:
    """The impact on `unit` of adopting `adopted` with `overrides` (the exact draft `adoption.adopt` would
    save): simulated on the ward's last stored assessment, else its current period data evaluated under
    the version in force and under the adopted text."""
    from .adoption import checked_source

    scope.require_unit(unit.id)
    source, _ = checked_source(unit, adopted, overrides)
    candidate = candidate_of(source, unit, "<áp dụng>")
    impact = Impact(f"{candidate[2]} (áp dụng {adopted.label})")
    if not _stored(impact, candidate, unit, scope):
        _live(impact, candidate, unit, scope)
    return impact


# ---------------------------------------------------------------------------------------------- stored


def latest_assessments(owner_unit: Unit | None, scope: Scope) -> list[Assessment]:
    """The assessments of the last period that has a stored run, inside the owner's subtree and the
    scope; an assessment inside another chosen one's unit is left out (its people are counted once)."""
    tree = scope.units()
    inside = tree.subtree(owner_unit.id) if owner_unit is not None else None
    query = select(Assessment).where(Assessment.current_revision > 0, scope.where_unit(Assessment.unit_id))
    if inside is not None:
        query = query.where(Assessment.unit_id.in_(sorted(inside)))
    from .assessments.rollup_kind import is_rollup

    found = list(db.session.scalars(query.order_by(Assessment.period.desc(), Assessment.id)))
    # a stored roll-up (a year, a quarter rolled up from months) is not data a ruleset runs on
    last = next((a.period for a in found if not is_rollup(a)), None)
    if last is None:
        return []
    chosen = [a for a in found if a.period == last and not is_rollup(a)]
    units = {a.unit_id for a in chosen}
    return [a for a in chosen if not any(u in units for u in tree.ancestors(a.unit_id)[1:])]


def _stored(impact: Impact, candidate, owner_unit: Unit | None, scope: Scope) -> bool:
    from .assessments.simulate import simulate

    found = latest_assessments(owner_unit, scope)
    if not found:
        return False
    using = [a for a in found if any(pin.version.ruleset.code == candidate[1] for pin in a.pins)]
    if using:  # a new version of a ruleset in use: the assessments under another ruleset do not change
        others = [a.label for a in found if a not in using]
        if others:
            impact.notes.append(f"không đổi: {', '.join(others)} (chạy theo bộ quy tắc khác)")
        found = using
    impact.mode, impact.period = "stored", found[0].period
    impact.assessments = [a.label for a in found]
    people = db.session.scalar(
        select(func.count(AssessmentResult.id))
        .join(AssessmentRevision, AssessmentRevision.id == AssessmentResult.revision_id)
        .join(Assessment, Assessment.id == AssessmentRevision.assessment_id)
        .where(Assessment.id.in_([a.id for a in found]), AssessmentRevision.number == Assessment.current_revision)
    )  # fmt: skip
    if people > MAX_PEOPLE:
        impact.notes.append(_too_many(people))
        return True
    merged: dict[str, UnitReport] = {}
    for assessment in found:
        try:
            simulation = simulate(assessment, scope=scope, candidate=candidate)
        except ServiceError as exc:
            impact.notes.append(
                f"{assessment.label}: {exc.message}" + "".join(f"; {d}" for d in exc.details[:5])
            )
            continue
        for code, report in simulation.units.items():
            into = merged.setdefault(code, UnitReport(code))
            into.people += report.people
            into.before.update(report.before)
            into.after.update(report.after)
            into.changes += report.changes
    impact.units = [merged[k] for k in sorted(merged)]
    return True


def _too_many(people: int) -> str:
    return (
        f"{people} cán bộ: quá nhiều để xem trước trên trang web (tối đa {MAX_PEOPLE}); "
        "dùng lệnh kpi assess simulate để mô phỏng"
    )


# ------------------------------------------------------------------------------------------------ data


def latest_period(kind: str | None = None):
    """The latest month that has tasks (as a Period of the ruleset's kind: its quarter or year for a
    quarterly or yearly ruleset), or None. One indexed max() over the tasks' periods."""
    from .assessments.periods import parse

    months = select(func.max(Task.period)).where(Task.period.like("____-__"), ~Task.period.like("%Q%"))
    month = db.session.scalar(months)
    if month is None:
        return None
    if kind == "quý":
        return parse(f"{month[:4]}-Q{(int(month[5:7]) - 1) // 3 + 1}")
    if kind == "năm":
        return parse(month[:4])
    return parse(month)


def _root(owner_unit: Unit | None, scope: Scope) -> Unit | None:
    if owner_unit is not None:
        return owner_unit
    if scope.root_id is not None:
        return db.session.get(Unit, scope.root_id)
    return db.session.scalar(select(Unit).where(Unit.parent_id.is_(None)).order_by(Unit.id))


def _data(impact: Impact, owner_unit: Unit | None, scope: Scope, program) -> None:
    """Nothing stored yet: the people and tasks of the latest period, per unit block."""
    from .assessments.members import members_of

    root = _root(owner_unit, scope)
    period = latest_period(program.ruleset.header.period)
    impact.mode = "data"
    if root is None or period is None:
        impact.notes.append("chưa có nhiệm vụ nào trong cơ sở dữ liệu")
        return
    impact.period = period.code
    members = [m for m in members_of(root, period.last) if scope.sees_unit(m.unit_id)]
    tree = scope.units()
    by_block: dict[int, dict] = {}
    for m in members:
        row = by_block.setdefault(m.block_id, {"unit": tree.code_of[m.block_id],
                                               "name": tree.rows[tree.code_of[m.block_id]].name,
                                               "people": 0, "tasks": 0})  # fmt: skip
        row["people"] += 1
    counts = db.session.execute(
        select(Task.unit_id, func.count(Task.id))
        .where(Task.period.in_(period.members), Task.unit_id.in_(sorted({m.unit_id for m in members})))
        .group_by(Task.unit_id)
    ).all()
    block_of = {m.unit_id: m.block_id for m in members}
    for unit_id, count in counts:
        by_block[block_of[unit_id]]["tasks"] += count
    impact.data = sorted(by_block.values(), key=lambda r: r["unit"])
    impact.notes.append(
        "chưa có đợt đánh giá nào được lưu: ảnh hưởng (ai đổi mức xếp loại) sẽ có sau lần chạy đánh giá đầu tiên"
    )


# ------------------------------------------------------------------------------------------------ live


def _live(impact: Impact, candidate, unit: Unit, scope: Scope) -> None:
    """The ward's current data under the versions in force (before) and under the candidate (after)."""
    from .assessments import pinning
    from .assessments.compute import compute
    from .assessments.members import members_of

    program = candidate[0]
    period = latest_period(program.ruleset.header.period)
    impact.mode = "live"
    if period is None:
        impact.notes.append("chưa có nhiệm vụ nào trong cơ sở dữ liệu")
        return
    impact.period = period.code
    members = [m for m in members_of(unit, period.last) if scope.sees_unit(m.unit_id)]
    if len(members) > MAX_PEOPLE:
        impact.notes.append(_too_many(len(members)))
        return
    versions, uncovered = pinning.assign(members, period, [])
    covered = [m for m in members if m.version_id is not None]
    if uncovered:
        impact.notes.append(
            f"{len(uncovered)} cán bộ chưa có bộ quy tắc nào đang áp dụng: so sánh không gồm họ"
        )
    try:
        from .assessments.engine import program_of

        before = compute(covered, {vid: program_of(v) for vid, v in versions.items()}, period).results
        for m in covered:
            m.version_id = 0
        after = compute(covered, {0: program}, period).results
    except ServiceError as exc:
        impact.mode = "data"
        impact.notes.append(f"chưa tính được trên dữ liệu kỳ {period.code}: {exc.message}")
        impact.notes += exc.details[:10]
        _data(impact, unit, scope, program)
        return
    reports: dict[str, UnitReport] = {}
    for m in covered:
        old, new = before.get(m.code), after.get(m.code)
        if old is None or new is None:
            continue
        report = reports.setdefault(m.unit_code, UnitReport(m.unit_code))
        report.people += 1
        level_before, level_after = _level(old), _level(new)
        report.before[level_before] += 1
        report.after[level_after] += 1
        if level_before != level_after:
            report.changes.append(Change(m.code, m.name, m.unit_code, _score(old.score), level_before,
                                         _score(new.score), level_after))  # fmt: skip
    impact.units = [reports[k] for k in sorted(reports)]
    impact.notes.append(
        f"chưa có đợt đánh giá nào được lưu: so sánh trên dữ liệu hiện có của kỳ {period.code} "
        "(bộ quy tắc đang áp dụng → bản áp dụng mới)"
    )


def _level(result) -> str:
    return NOT_RATED if result.not_rated or not result.level else result.level


def _score(score) -> str:
    from ..tabular.writers import round_decimal

    return "" if score is None else str(round_decimal(score, 2))
