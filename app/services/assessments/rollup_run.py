"""A stored roll-up: the quarter or year of a unit subtree evaluated by the roll-up rulesets in force
(`tổng hợp từ tháng|quý`) from the stored results of its months or quarters (`rollup.py` reads them),
then stored like any assessment (`runner.finish`): its own assessment row for the unit and period, the
roll-up versions pinned, a revision per change, a snapshot of every sub-period result it read (exact
text, with the unit and revision it came from), "không thay đổi" on a re-run over unchanged results, and
the same workflow (decide, publish, lock) and explanations.

A unit's period is assessed one way: an assessment that evaluated tasks is not rolled up, and a roll-up
is not re-run as a task assessment (each says so)."""

from __future__ import annotations

import time

import numpy as np

from dsl.errors import DslError, EvalError

from ..errors import ServiceError
from . import engine, load, pinning, rollup, runner
from .compute import Computed, missing_inputs
from .members import members_of
from .periods import parse
from .rollup_kind import is_rollup


def run(unit_code: str, period_text: str, *, scope, user=None, dry_run=False, reason="", write=True
        ) -> runner.RunReport:  # fmt: skip
    """Roll up `unit_code`'s subtree for a quarter or a year and store it as a new revision (or report
    "không thay đổi"); `dry_run`: compute and compare only. Refused outside the scope (`write`: the
    caller may change the unit; a read-only look needs `dry_run`), for a month, for a unit whose period
    was assessed from tasks, for a locked roll-up without a reason, and when nobody is covered."""
    unit = runner.unit_by_code(unit_code)
    scope.require_unit(unit.id, write=write or not dry_run)
    period = parse(period_text)
    if period.kind == "tháng":
        raise ServiceError(f"tổng hợp cần kỳ quý hoặc năm (ví dụ 2026-Q1, 2026), không phải {period.code}")
    assessment = runner.find(unit, period.code)
    if assessment is not None and assessment.current_revision and not is_rollup(assessment):
        if not dry_run:
            raise ServiceError(
                f"{assessment.label} đã được đánh giá theo nhiệm vụ (kpi assess run), không tổng hợp lại được",
                code="conflict",
            )
        assessment = None  # a look at the roll-up beside it: nothing to compare with
    runner.refuse_locked(assessment, reason)
    started = time.perf_counter()
    members = members_of(unit, period.last)
    if not members:
        raise ServiceError(f"không có cán bộ nào thuộc {unit.name} ({unit.code}) trong kỳ {period.code}")
    versions, uncovered = pinning.assign(members, period, assessment.pins if assessment else [], rollup=True)
    covered = [m for m in members if m.version_id is not None]
    if not covered:
        raise ServiceError(f"không có bộ quy tắc tổng hợp nào áp dụng cho cán bộ của {unit.code} kỳ {period.code}",
                           [f"{u['person']} {u['name']}: {u['reason']}" for u in uncovered])  # fmt: skip
    programs = {vid: engine.program_of(v) for vid, v in versions.items()}
    resolve_time = time.perf_counter() - started
    computed = compute(covered, programs, period)
    computed.timings["resolve"] = resolve_time
    return runner.finish(
        unit, period, assessment, computed, versions, uncovered, user=user, dry_run=dry_run, reason=reason
    )


def compute(members, programs: dict[int, object], period) -> Computed:
    """Read every member's stored sub-period results and roll-up inputs, evaluate each version's group
    (its quotas among its own people). No database writes."""
    started = time.perf_counter()
    sub_kinds = {program.ruleset.header.rollup_from for program in programs.values()}
    if len(sub_kinds) > 1:  # months for some, quarters for others: read each group on its own
        owner, columns = _mixed_records(members, programs, period)
    else:
        owner, columns = rollup.records(members, period.code, sub_kinds.pop())
    kinds = {i.name: i.kind for program in programs.values() for i in program.inputs}
    stored = rollup.stored_inputs(members, period.code, kinds)
    columns["mã_cán_bộ"] = np.array([m.code for m in members], dtype=object)[owner] if len(owner) else \
        np.zeros(0, dtype=object)  # fmt: skip
    out = Computed(members, owner, columns, set(), stored)
    out.timings["load"] = time.perf_counter() - started
    lacking = missing_inputs(members, programs, stored)
    if lacking:
        raise ServiceError(f"thiếu dữ liệu đầu vào của {len(lacking)} cán bộ; chưa tổng hợp được", lacking)
    started = time.perf_counter()
    typed = load.typed_inputs(stored, kinds)
    by_version: dict[int, list[int]] = {}
    for i, m in enumerate(members):
        by_version.setdefault(m.version_id, []).append(i)
    for version_id, chosen in sorted(by_version.items()):
        group = [members[i] for i in chosen]
        position = np.full(len(members), -1, dtype=np.int64)
        position[chosen] = np.arange(len(chosen))
        mask = position[owner] >= 0 if len(owner) else np.zeros(0, dtype=bool)
        data = rollup.dataset([load.record_of(m) for m in group], position[owner[mask]],
                              {k: v[mask] for k, v in columns.items() if k != "mã_cán_bộ"},
                              {m.code: typed.get(m.code, {}) for m in group}, period.code)  # fmt: skip
        result, _ = evaluate(programs[version_id], data)
        out.runs.append((version_id, result))
        for r in result.results:
            out.results[r.person] = r
    out.timings["evaluate"] = time.perf_counter() - started
    return out


def _mixed_records(members, programs, period):
    """`rollup.records` for people whose versions roll up from different sub-periods."""
    owners, parts = [], []
    for sub_kind in sorted({p.ruleset.header.rollup_from for p in programs.values()}):
        chosen = [
            i for i, m in enumerate(members) if programs[m.version_id].ruleset.header.rollup_from == sub_kind
        ]
        owner, columns = rollup.records([members[i] for i in chosen], period.code, sub_kind)
        owners.append(np.asarray(chosen, dtype=np.int64)[owner] if len(owner) else owner)
        parts.append(columns)
    owner = np.concatenate(owners)
    names = sorted(set().union(*parts))
    columns = {n: np.concatenate([p[n] if n in p else np.full(len(o), "", dtype=object) for p, o in
                                  zip(parts, owners, strict=True)]) for n in names}  # fmt: skip
    order = np.argsort(owner, kind="stable")
    return owner[order], {n: v[order] for n, v in columns.items()}


def evaluate(program, data, **options):
    """`engine.evaluate` with its errors as Vietnamese ServiceErrors: (RunResult, states or None)."""
    try:
        return engine.evaluate(program, data, **options)
    except EvalError as exc:
        who = f" (cán bộ {exc.person})" if exc.person else ""
        raise ServiceError(f"lỗi khi tổng hợp [{exc.code}]: {exc.message}{who}") from None
    except DslError as exc:
        raise ServiceError(f"lỗi khi tổng hợp: {exc}") from None


def block_dataset(blocks, codes: set[str] | None, program, period_code: str):
    """The roll-up Dataset of the people `codes` (None: everyone) from stored snapshot blocks: what the
    run read, exactly."""
    from . import snapshot

    people = [p for b in blocks for p in b.people if codes is None or p["code"] in codes]
    chosen = {p["code"] for p in people}
    index = {p["code"]: i for i, p in enumerate(people)}
    owners, parts, inputs = [], [], {}
    for b in blocks:
        task_codes, columns = snapshot.columns_of(b, chosen)
        owners += task_codes
        parts.append((len(task_codes), columns))
        inputs.update({c: v for c, v in b.inputs.items() if c in chosen})
    names = sorted(set().union(*(c for _, c in parts))) if parts else []
    columns = {n: np.concatenate([c[n] if n in c else np.full(k, "", dtype=object) for k, c in parts])
               for n in names}  # fmt: skip
    owner = np.fromiter((index[c] for c in owners), dtype=np.int64, count=len(owners))
    order = np.argsort(owner, kind="stable")
    kinds = {i.name: i.kind for i in program.inputs}
    typed = load.typed_inputs(inputs, kinds)
    records = [snapshot.record_of(p) for p in people]
    return rollup.dataset(
        records, owner[order], {n: v[order] for n, v in columns.items()}, typed, period_code
    )


def read_lines(block, code: str) -> list[str]:
    """One line per sub-period result the roll-up read for `code` (from its snapshot), for explanations."""
    from .values import shown

    owners = block.tasks["person"]
    cols = block.tasks
    lines = []
    for i, c in enumerate(owners):
        if c != code:
            continue
        level = cols[rollup.LEVEL][i] or "không xếp loại"
        source = cols.get(rollup.SOURCE, [""] * len(owners))[i]
        lines.append(f"Kết quả kỳ {cols[rollup.PERIOD][i]} đã đọc ({source}): {shown(cols[rollup.SCORE][i])} điểm, "
                     f"{level}")  # fmt: skip
    return lines or ["Không có kết quả kỳ nào đã lưu cho cán bộ này trong kỳ tổng hợp"]


def preview(unit_code: str, period_text: str, *, scope) -> tuple[list, list]:
    """Evaluate the roll-up of `unit_code`'s subtree for a quarter or a year without storing anything:
    ([(version, RunResult)], ["CODE Name: why" of the people no roll-up version covers]). Each group of
    people runs under the roll-up version in force for their unit and category on the period's last day
    (the stored roll-up, with its revisions: `run`)."""
    report = run(unit_code, period_text, scope=scope, dry_run=True, write=False)
    uncovered = [f"{u['person']} {u['name']}: {u['reason']}" for u in report.uncovered]
    return report.runs, uncovered
