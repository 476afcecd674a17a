"""One person's explanation, re-derived from the pinned version and the stored snapshot of the inputs
(never from today's tasks): the person (with the members of their quota group when the quota moved
them, so that the rank lines and the outputs after the quota come out as in the run) is evaluated by the
exact engine; subordinates are read from the stored results of the same revision; a stored roll-up
from the sub-period results it read (listed first). The re-derived score and levels are checked against
the stored ones."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import select

from dsl.engine.symbols import PERSON_ATTRS

from ...extensions import db
from ...models import AssessmentResult, AssessmentRevision, AssessmentSnapshot
from ..errors import NotFound, ServiceError
from . import engine, load, snapshot
from .queries import revision_of
from .rollup_kind import is_rollup_program
from .rollup_run import block_dataset, read_lines
from .rollup_run import evaluate as evaluate_rollup
from .values import exact_text, from_text


@dataclass
class Explanation:
    person: str
    name: str
    unit: str
    version: str  # "CODE phiên bản N"
    revision: int
    score: str
    level: str | None
    level_before_quota: str | None
    decided_level: str | None
    decided_reason: str
    lines: list[str] = field(default_factory=list)
    matches: bool = True  # re-derived score and levels equal the stored ones


def explain(assessment, person_code: str, *, scope, revision: int | None = None) -> Explanation:
    row, number, block, version_label, program = stored_result(assessment, person_code, scope=scope,
                                                               revision=revision)  # fmt: skip
    result, _states = rederive(row, block, program, assessment.period)
    read = read_lines(block, row.person_code) if block.rollup else []
    mine = next(r for r in result.results if r.person == row.person_code)
    got = (exact_text(mine.score) if mine.score is not None else "", mine.level, mine.level_before_quota)
    matches = got == (row.score_text, row.level, row.level_before_quota)
    lines = [*read, *mine.explanation]
    if row.quota_note and len(result.results) == 1:
        lines.append(row.quota_note)
    if not matches:
        lines.append(f"CẢNH BÁO: tính lại cho {got[0]} điểm, {got[1]}; khác kết quả đã lưu")
    return Explanation(
        row.person_code, row.person_name, row.unit_code, version_label,
        number, row.score_text, row.level, row.level_before_quota, row.decided_level, row.decided_reason or "",
        lines, matches,
    )  # fmt: skip


def stored_result(assessment, person_code: str, *, scope, revision: int | None = None):
    """(result row, revision number, decoded block snapshot, "CODE phiên bản N", program) of one person
    in the current (or given) revision, within `scope` (another unit: refused)."""
    scope.require_unit(assessment.unit_id)
    number = revision if revision is not None else assessment.current_revision
    found = db.session.execute(  # one query: the result, its revision and its snapshot
        select(AssessmentResult, AssessmentRevision.number, AssessmentSnapshot.data)
        .join(AssessmentRevision, AssessmentRevision.id == AssessmentResult.revision_id)
        .join(AssessmentSnapshot, AssessmentSnapshot.id == AssessmentResult.snapshot_id)
        .where(AssessmentRevision.assessment_id == assessment.id, AssessmentRevision.number == number,
               AssessmentResult.person_code == person_code)
    ).first()  # fmt: skip
    if found is None:
        revision_of(assessment, revision)  # NotFound when the revision itself does not exist
        raise NotFound(
            f"không có kết quả của cán bộ {person_code} trong {assessment.label}, lần chạy {number}"
        )
    row, number, data = found
    scope.require_unit(row.unit_id)
    version_label, program = engine.version_program(row.version_id)
    return row, number, snapshot.decode(data), version_label, program


def rederive(row, block, program, period: str, *, explain: bool = True):
    """(RunResult, states by code) of `row` (a stored AssessmentResult) evaluated again by the exact
    engine from its pinned version's `program` and its decoded snapshot `block`: the person, with the
    members of their quota group when the quota moved them (the quota applied again among them);
    subordinates from the stored results of the same revision; a roll-up from the sub-period results it
    read (`block.rollup` is set to tell which)."""
    people = {p["code"]: p for p in block.people}
    moved = row.level != row.level_before_quota
    targets = _quota_group(program, people, row) if moved else {row.person_code}
    block.rollup = is_rollup_program(program)
    if block.rollup:
        dataset = block_dataset([block], set(targets), program, period)
        return evaluate_rollup(program, dataset, explain=explain, only=set(targets), quotas=moved)
    return _rederive(program, block, people, targets, row.revision_id, row.version_id, period, explain, moved)


def _quota_group(program, people: dict, row) -> set[str]:
    """The codes of the block's people in `row`'s quota groups (same values of every quota scope field)."""
    fields = {f for step in program.quota_steps for f in step.quota.scope}
    attrs = [PERSON_ATTRS.get(f) for f in fields]
    if None in attrs:
        return {row.person_code}
    me = people[row.person_code]
    keys = {"unit": "unit", "duty_group": "group", "code": "code", "name": "name", "position": "post",
            "leader": "leader", "manager": "manager"}  # fmt: skip
    return {
        code for code, p in people.items()
        if p["version"] == row.version_id and all(p[keys[a]] == me[keys[a]] for a in attrs)
    }  # fmt: skip


def _rederive(
    program,
    block,
    people: dict,
    targets: set[str],
    revision_id: int,
    version_id: int,
    period: str,
    explain: bool = True,
    quotas: bool = False,
):
    dataset, external = stored_dataset(program, block, people, targets, revision_id, period)
    codes = sorted(targets)
    try:
        return engine.evaluate(program, dataset, explain=explain, only=set(codes), external=external or None,
                               quotas=quotas)  # fmt: skip
    except Exception as exc:  # the engine's own errors: a stored run that cannot be re-derived is a fault
        raise ServiceError(f"không tính lại được giải thích: {exc}") from None


def stored_dataset(program, block, people: dict, targets: set[str], revision_id: int, period: str):
    """(Dataset, external subordinate states by code) that re-derive `targets` as the run read them: their
    snapshot tasks and inputs, subordinates outside `targets` from the stored results of the revision
    (also what `advice` varies)."""
    if is_rollup_program(program):  # a stored roll-up: the sub-period results it read, no subordinates
        return block_dataset([block], set(targets), program, period), {}
    subs = _stored_subordinates(revision_id, targets)
    external_rows = {code: r for code, r in subs.items() if code not in targets}
    codes = sorted(targets)
    task_codes, columns = snapshot.columns_of(block, set(codes))
    records = [snapshot.record_of(people[c]) for c in codes]
    for code, r in sorted(external_rows.items()):
        p = people.get(code) or {"code": code, "name": r.person_name, "unit": r.unit_code, "post": "",
                                 "leader": False, "group": r.duty_group, "manager": r.manager_code}  # fmt: skip
        records.append(snapshot.record_of(p))
    index = {rec.code: i for i, rec in enumerate(records)}
    owner = np.fromiter((index[c] for c in task_codes), dtype=np.int64, count=len(task_codes))
    columns["mã_cán_bộ"] = np.array(task_codes, dtype=object)
    kinds = {i.name: i.kind for i in program.inputs}
    inputs = load.typed_inputs({c: block.inputs.get(c, {}) for c in codes}, kinds)
    dataset = load.dataset_of(records, owner, columns, inputs, period)
    external = {
        code: engine.external_state(records[index[code]], from_text(r.score_text) if r.score_text else None,
                                    r.level_before_quota, {k: from_text(v) for k, v in r.criteria.items()})
        for code, r in external_rows.items()
    }  # fmt: skip
    return dataset, external


def _stored_subordinates(revision_id: int, leaders: set[str]) -> dict:
    return {
        r.person_code: r
        for r in db.session.scalars(
            select(AssessmentResult).where(
                AssessmentResult.revision_id == revision_id,
                AssessmentResult.manager_code.in_(sorted(leaders)),
            )
        )
    }
