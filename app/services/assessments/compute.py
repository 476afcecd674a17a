"""Load every member's inputs in bulk and evaluate the groups in dependency order (no database writes)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from dsl.errors import DslError, EvalError

from ..errors import ServiceError
from . import engine, groups, load
from .members import Member
from .periods import Period
from .progress import Cancelled


@dataclass(slots=True)
class Computed:
    members: list[Member]
    owner: np.ndarray  # task -> index into members
    columns: dict[str, np.ndarray]
    dates: set[str]  # date columns (ordinals)
    inputs: dict[str, dict[str, object]]  # as stored (JSON-safe)
    results: dict[str, object] = field(default_factory=dict)  # code -> dsl PersonResult
    runs: list[tuple[int, object]] = field(default_factory=list)  # (version id, RunResult) per group
    timings: dict[str, float] = field(default_factory=dict)
    background: object = None  # a child process encoding the block snapshots (`background.py`)


def needs(programs: dict[int, object]) -> tuple[set[str], dict[str, str], dict[str, str]]:
    """(task fields, task field kinds, input kinds) that the programs read."""
    fields, field_kinds, input_kinds = set(), {}, {}
    for program in programs.values():
        for info in program.needed_fields:
            fields.add(info.name)
            field_kinds[info.name] = info.kind
        for info in program.inputs:
            input_kinds[info.name] = info.kind
    return fields, field_kinds, input_kinds


def lacking(members: list[Member], programs: dict[int, object], inputs: dict) -> list[tuple[Member, list]]:
    """(member, the required inputs they lack: InputInfo of the ruleset, no default) for each person
    lacking one."""
    out = []
    for m in members:
        given = inputs.get(m.code, {})
        infos = [i for i in programs[m.version_id].needed_inputs if i.required and i.name not in given]
        if infos:
            out.append((m, infos))
    return out


def missing_inputs(members: list[Member], programs: dict[int, object], inputs: dict) -> list[str]:
    """One line per person lacking a required input (no default in the ruleset), naming them."""
    lines = []
    for m, infos in lacking(members, programs, inputs):
        names = ", ".join(f'"{i.title or i.name}"' for i in infos)
        lines.append(f"{m.code} {m.name} ({m.unit_code}): thiếu {names}")
    return lines


def empty(period: Period) -> Computed:
    return Computed([], np.zeros(0, dtype=np.int64), {"mã_cán_bộ": np.zeros(0, dtype=object)}, set(), {})


def compute(members: list[Member], programs: dict[int, object], period: Period, *, progress=None,
            cancelled=None, part_of=None, done=None, loaded=None, inputs=None) -> Computed:  # fmt: skip
    """Evaluate `members`. `done`: (members, results by code) evaluated elsewhere (other parts) whose
    leaders are among `members`. `loaded`: called with the Computed once its data is loaded. `inputs`:
    the members' stored inputs when already read (as `load.load_inputs` gives them)."""
    started = time.perf_counter()
    fields, field_kinds, input_kinds = needs(programs)
    owner, columns = load.load_tasks(members, period.members, fields, field_kinds)
    stored_inputs = load.load_inputs(members, period.code) if inputs is None else inputs
    dates = {n for n, (_, kind) in load.COLUMNS.items() if kind == "date"} | {
        n for n, k in field_kinds.items() if k == "ngày"
    }
    out = Computed(members, owner, columns, dates & columns.keys(), stored_inputs)
    out.timings["load"] = time.perf_counter() - started
    if progress is not None:
        progress(0, len(members))  # the total is known: the bar shows it from here
    if loaded is not None:
        loaded(out)
    lacking = missing_inputs(members, programs, stored_inputs)
    if lacking:
        raise ServiceError(
            f"thiếu dữ liệu đầu vào của {len(lacking)} cán bộ; chưa chạy được đợt đánh giá", lacking
        )
    started = time.perf_counter()
    typed = load.typed_inputs(stored_inputs, input_kinds)
    index = {m.code: i for i, m in enumerate(members)}
    if done is not None:
        out.results.update(done[1])
    count = 0
    for group in groups.plan(members, part_of, done[0] if done is not None else ()):
        if cancelled is not None and cancelled():
            raise Cancelled()
        run = evaluate_group(group, programs[group.version_id], out, typed, index, period)
        out.runs.append((group.version_id, run))
        for r in run.results:
            out.results[r.person] = r
        count += len(group.members)
        if progress is not None:
            progress(count, len(members))
    out.timings["evaluate"] = time.perf_counter() - started
    return out


def evaluate_group(group, program, out: Computed, typed: dict, index: dict[str, int], period: Period):
    chosen = [index[m.code] for m in group.members]
    everyone = len(chosen) == len(out.members) and not group.external
    if everyone:
        owner, columns = out.owner, out.columns
        records = [load.record_of(m) for m in out.members]
    else:
        position = np.full(len(out.members) + 1, -1, dtype=np.int64)
        position[chosen] = np.arange(len(group.members))
        mask = position[out.owner] >= 0
        owner = position[out.owner[mask]]
        columns = {k: v[mask] for k, v in out.columns.items()}
        records = [load.record_of(m) for m in group.members] + [load.record_of(m) for m in group.external]
    inputs = {m.code: typed.get(m.code, {}) for m in group.members}
    dataset = load.dataset_of(records, owner, columns, inputs, period.code)
    external = {}
    for m, record in zip(group.external, records[len(group.members) :], strict=True):
        r = out.results[m.code]
        external[m.code] = engine.external_state(record, r.score, r.level_before_quota, dict(r.criteria))
    try:
        result, _ = engine.evaluate(program, dataset, external=external or None)
    except EvalError as exc:
        who = f" (cán bộ {exc.person})" if exc.person else ""
        raise ServiceError(f"lỗi khi tính [{exc.code}]: {exc.message}{who}") from None
    except DslError as exc:
        raise ServiceError(f"lỗi khi tính: {exc}") from None
    return result
