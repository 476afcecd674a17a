"""Roll-ups: a quarter or a year evaluated by a roll-up ruleset (`tổng hợp từ tháng|quý`) from the
results stored for its sub-periods. The rules (average of the periods worked, too few months → not rated,
vetoes, caps, quotas) are the ruleset's; this module only builds the dsl Dataset the engine reads
(`Dataset.period_columns`, as `kpi eval --results` does from files):

- one record per stored sub-period result of the current revision of EVERY assessment of those
  sub-periods, whatever unit stored it: a person transferred during the year carries the results stored
  under the old unit. Two assessments holding the same person and month (a ward's and the province's):
  the newest revision wins;
- the level read is the final one: the competent leader's decision if any, else the computed level;
- numbers are the exact stored values (score as rounded by the sub-period ruleset, criteria exact);
- inputs of the roll-up period come from `period_inputs` of that period; `kỷ_luật` is the heaviest
  discipline recorded for any period within it (a khiển trách in March is a khiển trách in the year).
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction

import numpy as np
from sqlalchemy import select

from dsl.fields import DISCIPLINE_SCALE
from dsl.records import Dataset, PersonRecord

from ...extensions import db
from ...models import Assessment, AssessmentResult, AssessmentRevision, PeriodInput

DISCIPLINE = "kỷ_luật"


def sub_periods(period_code: str, sub_kind: str) -> list[str]:
    """The sub-period codes of a quarter or a year: months ("tháng") or quarters ("quý")."""
    year = period_code[:4]
    if "-Q" in period_code:
        q = int(period_code[-1])
        return [f"{year}-{m:02d}" for m in range(3 * q - 2, 3 * q + 1)]
    if sub_kind == "quý":
        return [f"{year}-Q{q}" for q in range(1, 5)]
    return [f"{year}-{m:02d}" for m in range(1, 13)]


def stored_results(person_ids: Iterable[int], periods: list[str]) -> dict[tuple[int, str], AssessmentResult]:
    """(person id, period) -> the result of the newest current revision among the assessments of those
    periods (any unit)."""
    ids = sorted(set(person_ids))
    if not ids:
        return {}
    query = (
        select(AssessmentResult, Assessment.period, AssessmentRevision.id)
        .join(Assessment, Assessment.id == AssessmentResult.assessment_id)
        .join(AssessmentRevision, AssessmentRevision.id == AssessmentResult.revision_id)
        .where(Assessment.period.in_(periods), AssessmentRevision.number == Assessment.current_revision)
        .where(AssessmentResult.person_id.in_(ids))
        .order_by(AssessmentRevision.created_at, AssessmentRevision.id)
    )
    out: dict[tuple[int, str], AssessmentResult] = {}
    for result, period, _revision in db.session.execute(query):
        out[(result.person_id, period)] = result  # later (newer) revisions replace earlier ones
    return out


def _exact(text: object) -> Fraction | None:
    if text is None or text == "":
        return None
    return Fraction(str(text))


def rollup_dataset(members, period_code: str, sub_kind: str, criteria: Iterable[str] = (),
                   inputs: dict[str, str] | None = None) -> Dataset:  # fmt: skip
    """The Dataset a roll-up ruleset evaluates: `members` (objects with person_id, code, name, unit_code,
    post, leader, duty_group, manager_code), one period record per stored sub-period result; `inputs`:
    the roll-up ruleset's inputs by name and kind."""
    people = [
        PersonRecord(
            code=m.code,
            name=m.name,
            unit=m.unit_code,
            position=m.post,
            leader=m.leader,
            duty_group=m.duty_group,
            manager=m.manager_code,
        )  # fmt: skip
        for m in members
    ]
    index = {m.person_id: i for i, m in enumerate(members)}
    periods = sub_periods(period_code, sub_kind)
    found = stored_results(index, periods)
    keys = sorted(found, key=lambda k: (index[k[0]], periods.index(k[1])))
    codes = list(criteria)
    columns: dict[str, list] = {"kỳ": [], "điểm": [], "xếp_loại": [], **{c: [] for c in codes}}
    for person_id, period in keys:
        r = found[(person_id, period)]
        columns["kỳ"].append(period)
        columns["điểm"].append(None if r.not_rated else _exact(r.score_text or r.score))
        columns["xếp_loại"].append(None if r.not_rated else (r.decided_level or r.level))
        for c in codes:
            columns[c].append(_exact((r.criteria or {}).get(c)))
    dataset = Dataset(people=people, period=period_code)
    dataset.period_person = np.array([index[k[0]] for k in keys], dtype=np.int64)
    dataset.period_columns = {name: _objects(values) for name, values in columns.items()}
    dataset.inputs = period_inputs(members, period_code, {DISCIPLINE: "thang"} if inputs is None else inputs)
    return dataset


def _objects(values: list) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def period_inputs(members, period_code: str, kinds: dict[str, str]) -> dict[str, dict[str, object]]:
    """person code -> the roll-up period's own inputs (read and typed as the run reads them), with
    kỷ_luật the heaviest discipline recorded for any period within it."""
    from .load import load_inputs, typed_inputs

    if not members or not kinds:
        return {}
    stored = load_inputs(members, period_code)
    out = {
        code: {k: v for k, v in bag.items() if k in kinds}
        for code, bag in typed_inputs(stored, kinds).items()
    }
    if DISCIPLINE in kinds:
        code_of = {m.person_id: m.code for m in members}
        within = {period_code, *sub_periods(period_code, "tháng")}
        if "-Q" not in period_code:
            within |= set(sub_periods(period_code, "quý"))
        query = select(PeriodInput.person_id, PeriodInput.discipline).where(
            PeriodInput.person_id.in_(sorted(code_of)), PeriodInput.period.in_(sorted(within)),
            PeriodInput.discipline != "",
        )  # fmt: skip
        for person_id, discipline in db.session.execute(query):
            values = out.setdefault(code_of[person_id], {})
            if DISCIPLINE_SCALE.index(discipline) > DISCIPLINE_SCALE.index(values.get(DISCIPLINE) or ""):
                values[DISCIPLINE] = discipline
    return out


def compute(unit_code: str, period_text: str, *, scope) -> tuple[list, list]:
    """Evaluate the roll-up of `unit_code`'s subtree for a quarter or a year, without storing anything:
    ([(version, RunResult)], ["CODE Name: why" of the people no roll-up version covers]). Each group of people runs under the roll-up
    version in force for their unit and category on the period's last day."""
    from ...models import Unit
    from ..errors import NotFound, ServiceError
    from ..resolution import resolve
    from . import engine
    from .members import members_of
    from .periods import parse

    period = parse(period_text)
    if period.kind == "tháng":
        raise ServiceError(f"tổng hợp cần kỳ quý hoặc năm (ví dụ 2026-Q1, 2026), không phải {period.code}")
    unit = db.session.scalar(select(Unit).where(Unit.code == unit_code))
    if unit is None:
        raise NotFound(f'không có đơn vị mã "{unit_code}"')
    scope.require_unit(unit.id)
    members = members_of(unit, period.last)
    versions: dict[tuple[int, str], object] = {}
    groups: dict[int, list] = {}
    by_id: dict[int, object] = {}
    uncovered: list[str] = []
    for m in members:
        key = (m.unit_id, m.category)
        if key not in versions:
            try:
                versions[key] = resolve(
                    db.session.get(Unit, m.unit_id), period.last, m.category, period=period.kind
                )
            except ServiceError as exc:
                versions[key] = exc.message
        version = versions[key]
        if isinstance(version, str) or not version.rollup_from:
            why = version if isinstance(version, str) else f"{version.label} không phải bộ quy tắc tổng hợp"
            uncovered.append(f"{m.code} {m.name}: {why}")
            continue
        by_id[version.id] = version
        groups.setdefault(version.id, []).append(m)
    out = []
    for version_id, group in groups.items():
        version = by_id[version_id]
        program = engine.program_of(version)
        data = rollup_dataset(group, period.code, version.rollup_from, _criteria_codes(group, period.code, version),
                              {i.name: i.kind for i in program.inputs})  # fmt: skip
        result, _states = engine.evaluate(program, data)
        out.append((version, result))
    return out, uncovered


def _criteria_codes(group, period_code: str, version) -> list[str]:
    found = stored_results((m.person_id for m in group), sub_periods(period_code, version.rollup_from))
    return sorted({code for r in found.values() for code in (r.criteria or {})})
