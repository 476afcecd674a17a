"""Evaluating provisional scores (see `provisional.py`): people without subordinates in one batch,
leaders from their direct subordinates' stored provisional results, and the full evaluation (the
person with everyone under them) when a subordinate has no usable provisional result yet. The
evaluation is the assessment's own (`compute.compute`, `compute.needs`, `engine.evaluate`)."""

from __future__ import annotations

from dsl.errors import DslError

from ..errors import ServiceError
from . import provisional_rows as rows_
from . import provisional_subs as subs_
from . import provisional_versions as versions_
from .members import Member
from .periods import Period


def resolve(rows, period: Period) -> dict:
    """(unit id, category) -> Version or the reason none applies, for rows read by `rows_.people`
    (their chains and the generation come with them: no statement when cached)."""
    wanted = {(r.unit_id, r.category): versions_.chain_of(r) for r in rows}
    return versions_.versions(wanted, period.last, versions_.generation_of(rows[0]))


def staff(rows, period: Period):
    """People without subordinates (rows of `rows_.people`), evaluated together; stored."""
    members, programs, problems = _members(rows, resolve(rows, period))
    results = _compute(members, programs, period, rows_.inputs_of(rows), problems) if members else {}
    return rows_.store(rows, period.code, {m.person_id: m for m in members}, results, problems)


def full(leader_rows: dict, period: Period):
    """Leaders (rows of `rows_.people` by id) evaluated with everyone under them (`compute`)."""
    ids = set(leader_rows)
    rows = rows_.with_subordinates(ids)
    members, programs, problems = _members(rows, _resolve_any(rows, period, next(iter(leader_rows.values()))))
    results = _compute(members, programs, period, None, problems) if members else {}
    return rows_.store(list(leader_rows.values()), period.code, {m.person_id: m for m in members}, results,
                       problems)  # fmt: skip


def _members(rows, found: dict) -> tuple[list[Member], dict, dict[int, str]]:
    """The engine's members of `rows` under the versions `found` per (unit, category), the programs by
    version id, and person id -> why no version covers them. A manager's code is known only when the
    manager is among `rows` (as ever)."""
    code_of = {r.id: r.code for r in rows}
    problems: dict[int, str] = {}
    members: list[Member] = []
    for r in rows:
        version = found[(r.unit_id, r.category)]
        if isinstance(version, str):
            problems[r.id] = version
            continue
        members.append(rows_.member(r, code_of, version.id))
    programs = {v.id: v.program for v in found.values() if not isinstance(v, str)}
    return members, programs, problems


def _resolve_any(rows, period: Period, read) -> dict:
    """`resolve` for rows without chains (the subtree of `rows_.with_subordinates`): one statement for them."""
    chains = versions_.read_chains({r.unit_id for r in rows})
    wanted = {(r.unit_id, r.category): chains[r.unit_id] for r in rows}
    return versions_.versions(wanted, period.last, versions_.generation_of(read))


def leaders(known: dict, period: Period, written: set[int] = frozenset(), fresh: set[int] = frozenset()):
    """Leaders (rows of `rows_.people` by id) evaluated alone, reading their direct subordinates'
    stored provisional results (as a run reads another group's); `full` when some subordinate has no
    usable provisional result yet, or the evaluation fails. The subordinates read with the leaders
    serve unless one of them is in `written` (stored after the rows of `known` were read, except the
    leaders in `fresh`, read after every write): then they are read again."""
    from . import engine, load

    ids = set(known)
    subs = rows_.packed(known.values())
    if subs is None or any(r.id in written and r.manager_id not in fresh for r in subs):
        subs = rows_.subordinates(ids, period.code)
    subs = [r for r in subs if r.id not in ids]
    if any(r.stored_id is None or r.problem or r.score is None for r in subs):
        return full(known, period)
    code_of = {r.id: r.code for r in known.values()} | {r.id: r.code for r in subs}
    found = resolve(list(known.values()), period)
    problems: dict[int, str] = {}
    group_of: dict[int, list[Member]] = {}
    for r in known.values():
        version = found[(r.unit_id, r.category)]
        if isinstance(version, str):
            problems[r.id] = version
            continue
        group_of.setdefault(version.id, []).append(rows_.member(r, code_of, version.id))
    others = subs_.states(subs, code_of)
    inputs = rows_.inputs_of(known.values())
    programs = {v.id: v.program for v in found.values() if not isinstance(v, str)}
    results: dict[str, object] = {}
    external = {s.code: s for s in others}
    for version_id, group in group_of.items():
        program = programs[version_id]
        owner, columns = load.load_tasks(group, period.members, {i.name for i in program.needed_fields},
                                         {i.name: i.kind for i in program.needed_fields})  # fmt: skip
        kinds = {i.name: i.kind for i in program.inputs}
        typed = load.typed_inputs({m.code: inputs[m.code] for m in group if m.code in inputs}, kinds)
        records = [load.record_of(m) for m in group] + [s.record for s in others]
        data = load.dataset_of(records, owner, columns, typed, period.code)
        try:
            result, _ = engine.evaluate(program, data, external=external)
        except (ServiceError, DslError):
            return full(known, period)
        results.update((r.person, r) for r in result.results)
    members = {m.person_id: m for group in group_of.values() for m in group}
    return rows_.store(list(known.values()), period.code, members, results, problems)


def _compute(members: list[Member], programs: dict, period: Period, inputs, problems: dict) -> dict:
    """Results by code of `members` (`compute.compute`); people lacking a required input, and every
    leader above them, get the reason as their problem and the others are evaluated; an evaluation error
    is every evaluated person's problem. `inputs`: the members' stored inputs when already read."""
    from . import load
    from .compute import compute

    if inputs is None:
        inputs = load.load_inputs(members, period.code)
    else:
        inputs = {m.code: inputs[m.code] for m in members if m.code in inputs}
    lacking = _lacking(members, programs, inputs)
    if lacking:
        blocked = _blocked(members, set(lacking))
        for m in members:
            if m.code in blocked:
                problems[m.person_id] = (
                    lacking.get(m.code) or "chưa tính được vì cán bộ cấp dưới thiếu dữ liệu đầu vào"
                )
        members = [m for m in members if m.code not in blocked]
        inputs = {m.code: inputs[m.code] for m in members if m.code in inputs}
        if not members:
            return {}
    try:
        return compute(members, programs, period, inputs=inputs).results
    except ServiceError as exc:
        for m in members:
            problems[m.person_id] = exc.message[:500]
        return {}


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
