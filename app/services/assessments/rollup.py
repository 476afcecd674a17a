"""Roll-ups: a quarter or a year evaluated by a roll-up ruleset (`tổng hợp từ tháng|quý`) from the
results stored for its sub-periods. The rules (average of the periods worked, too few months → not rated,
vetoes, caps, quotas) are the ruleset's; this module reads the stored results into the records the
engine reads (`Dataset.period_columns`, as `kpi eval --results` does from files):

- one record per stored sub-period result of the current revision of EVERY assessment of those
  sub-periods, whatever unit stored it: a person transferred during the year carries the results stored
  under the old unit. Two assessments holding the same person and period (a ward's and the province's):
  the newest revision wins;
- the level read is the final one: the competent leader's decision if any, else the computed level;
- numbers are the exact stored values (score as rounded by the sub-period ruleset, criteria exact);
- inputs of the roll-up period come from `period_inputs` of that period; `kỷ_luật` is the heaviest
  discipline recorded for any period within it (a khiển trách in March is a khiển trách in the year).

The records are kept as exact TEXT columns (what a stored roll-up snapshots: "92", "2923/30", the level,
and where each came from); `typed_records` turns them into the values the engine reads, for the run and
for an explanation re-derived from the snapshot alike. Storing a roll-up: `rollup_run.py`.
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction

import numpy as np
from sqlalchemy import select

from dsl.fields import DISCIPLINE_SCALE
from dsl.records import Dataset, PersonRecord

from ...extensions import db
from ...models import Assessment, AssessmentResult, AssessmentRevision, PeriodInput, Unit

DISCIPLINE = "kỷ_luật"
PERIOD, SCORE, LEVEL, SOURCE = "kỳ", "điểm", "xếp_loại", "nguồn"
TEXT_COLUMNS = (PERIOD, LEVEL, SOURCE)  # every other record column is an exact number


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
    return {key: found[0] for key, found in _stored(person_ids, periods).items()}


def _stored(person_ids: Iterable[int], periods: list[str]) -> dict[tuple[int, str], tuple]:
    """(person id, period) -> (result, unit code of its assessment, revision number)."""
    ids = sorted(set(person_ids))
    if not ids:
        return {}
    query = (
        select(AssessmentResult, Assessment.period, Unit.code, AssessmentRevision.number)
        .join(Assessment, Assessment.id == AssessmentResult.assessment_id)
        .join(Unit, Unit.id == Assessment.unit_id)
        .join(AssessmentRevision, AssessmentRevision.id == AssessmentResult.revision_id)
        .where(Assessment.period.in_(periods), AssessmentRevision.number == Assessment.current_revision)
        .where(AssessmentResult.person_id.in_(ids))
        .order_by(AssessmentRevision.created_at, AssessmentRevision.id)
    )
    out: dict[tuple[int, str], tuple] = {}
    for result, period, unit_code, number in db.session.execute(query):
        out[(result.person_id, period)] = (result, unit_code, number)  # newer revisions replace older
    return out


def records(members, period_code: str, sub_kind: str) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """(record -> index into `members`, text columns) of the stored sub-period results of `members`
    (objects with person_id), ordered by person then period: kỳ, điểm, xếp_loại, every criterion stored,
    and nguồn (the unit and revision the result was read from)."""
    index = {m.person_id: i for i, m in enumerate(members)}
    periods = sub_periods(period_code, sub_kind)
    found = _stored(index, periods)
    keys = sorted(found, key=lambda k: (index[k[0]], periods.index(k[1])))
    codes = sorted(
        {c for r, _, _ in found.values() for c in (r.criteria or {})} - {PERIOD, SCORE, LEVEL, SOURCE}
    )
    columns: dict[str, list] = {PERIOD: [], SCORE: [], LEVEL: [], **{c: [] for c in codes}, SOURCE: []}
    for person_id, period in keys:
        r, unit_code, number = found[(person_id, period)]
        rated = not r.not_rated
        columns[PERIOD].append(period)
        columns[SCORE].append(_text(r.score_text or r.score) if rated else "")
        columns[LEVEL].append((r.decided_level or r.level or "") if rated else "")
        for c in codes:
            columns[c].append(_text((r.criteria or {}).get(c)))
        decided = (
            ", mức do cấp có thẩm quyền quyết định"
            if rated and r.decided_level and r.decided_level != r.level
            else ""
        )
        columns[SOURCE].append(f"{unit_code} lần chạy {number}{decided}")
    owner = np.array([index[k[0]] for k in keys], dtype=np.int64)
    return owner, {name: _objects(values) for name, values in columns.items()}


def _text(value: object) -> str:
    return "" if value is None else str(value)


def typed_records(columns: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The text record columns as the engine reads them: numbers as Fraction, empty cells as None."""
    out = {}
    for name, values in columns.items():
        if name in TEXT_COLUMNS:
            out[name] = _objects([v if v else None for v in values.tolist()])
        else:
            out[name] = _objects([Fraction(v) if v else None for v in values.tolist()])
    return out


def dataset(people: list[PersonRecord], owner: np.ndarray, columns: dict[str, np.ndarray], inputs: dict,
            period_code: str) -> Dataset:  # fmt: skip
    """The Dataset a roll-up ruleset evaluates (`columns` as `records` gives them; `inputs` typed)."""
    data = Dataset(people=people, period=period_code)
    data.period_person = owner
    data.period_columns = {k: v for k, v in typed_records(columns).items() if k != SOURCE}
    data.inputs = inputs
    return data


def rollup_dataset(members, period_code: str, sub_kind: str, criteria: Iterable[str] = (),
                   inputs: dict[str, str] | None = None) -> Dataset:  # fmt: skip
    """The Dataset a roll-up ruleset evaluates for `members` (objects with person_id, code, name,
    unit_code, post, leader, duty_group, manager_code); `inputs`: the ruleset's inputs by name and kind.
    (`criteria` is kept for callers: every stored criterion is read.)"""
    from .load import record_of, typed_inputs

    owner, columns = records(members, period_code, sub_kind)
    kinds = {DISCIPLINE: "thang"} if inputs is None else inputs
    typed = typed_inputs(stored_inputs(members, period_code, kinds), kinds)
    return dataset([record_of(m) for m in members], owner, columns, typed, period_code)


def _objects(values: list) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def stored_inputs(members, period_code: str, kinds: dict[str, str]) -> dict[str, dict[str, object]]:
    """person code -> the roll-up period's own inputs as stored (JSON-safe; typed by
    `load.typed_inputs`, the one conversion), with kỷ_luật the heaviest discipline recorded for any
    period within it."""
    from .load import load_inputs

    if not members or not kinds:
        return {}
    out = {
        code: {k: v for k, v in bag.items() if k in kinds}
        for code, bag in load_inputs(members, period_code).items()
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
    return {code: bag for code, bag in out.items() if bag}


def period_inputs(members, period_code: str, kinds: dict[str, str]) -> dict[str, dict[str, object]]:
    """`stored_inputs` typed as the run reads them."""
    from .load import typed_inputs

    return typed_inputs(stored_inputs(members, period_code, kinds), kinds)
