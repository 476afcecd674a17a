"""The ONE adapter between assessments and the dsl engine: compile a pinned version, evaluate a dataset.

When `dsl/run.py` (compile(check_result) -> Program, evaluate(program, dataset, ...)) lands, only the two
marked lines below change. Programs are cached per (version id, hash): a published version never changes.
"""

from __future__ import annotations

from types import SimpleNamespace

from ...models import RulesetVersion
from ..errors import ServiceError

_PROGRAMS: dict[tuple[int, str], object] = {}
_BY_ID: dict[tuple[str, int], tuple] = {}


def program_of(version: RulesetVersion):
    """The compiled program of a pinned version; ServiceError when its source no longer checks or its
    hash differs from the one pinned (a published version never changes: this is a safety net)."""
    key = (version.id, version.sha256)
    program = _PROGRAMS.get(key)
    if program is not None:
        return program
    from dsl.run import compile as compile_checked

    from ..gate import validate

    checked = validate(version.source, filename=version.filename)
    if not checked.ok or checked.ruleset is None:
        first = next((d.render() for d in checked.diagnostics if d.is_error), "")
        raise ServiceError(f"bộ quy tắc {version.label} không còn hợp lệ, không chạy được", [first])
    if checked.sha256 != version.sha256:
        raise ServiceError(f"mã băm của bộ quy tắc {version.label} không khớp với bản đã công bố")
    program = compile_checked(checked)
    _PROGRAMS[key] = program
    return program


def version_program(version_id: int) -> tuple[str, object]:
    """("CODE phiên bản N", program) by version id, kept per process (plain values, no ORM object):
    a published version never changes."""
    from ...extensions import db

    key = (db.engine.url.render_as_string(hide_password=True), version_id)  # ids are per database
    got = _BY_ID.get(key)
    if got is None:
        version = db.session.get(RulesetVersion, version_id)
        got = _BY_ID[key] = (
            f"{version.ruleset.code} phiên bản {version.version}",
            program_of(version),
        )
    return got


def evaluate(program, dataset, *, explain: bool = False, only=None, external=None, quotas: bool = True,
             params: dict | None = None):  # fmt: skip
    """Evaluate `dataset` with `program`; returns (RunResult, states by code or None). `params`: parameter
    values replacing the ruleset's (a simulation; check them with `program.check_params` first).

    `external`: states (by code) of people present in `dataset` as subordinates only, already evaluated
    under another version or in another part; everyone else (or `only`) is evaluated, with the quotas
    applied among them unless `quotas` is false."""
    if external:
        own = {p.code for p in dataset.people if p.code not in external} if only is None else set(only)
        run = program.run(
            dataset,
            explain=explain,
            only=own,
            reuse=SimpleNamespace(evaluated=external),
            quotas=quotas,
            params=params,
        )
        return run.result, run.states
    if explain or only is not None:
        run = program.run(dataset, explain=explain, only=only, quotas=quotas, params=params)
        return run.result, run.states
    return program.evaluate(dataset, params=params), None  # switch: dsl.run.evaluate(program, dataset)


def external_state(record, score, level_before_quota, criteria: dict):
    """A subordinate's stored result as the engine's person state (what a leader's rules may read:
    person fields, criteria, score and level)."""
    from dsl.engine.env import PersonState
    from dsl.engine.state import load_fields
    from dsl.fields import LEVEL_NAME, SCORE_NAME

    state = PersonState(-1, record)
    load_fields(state)
    state.values.update(criteria)
    state.values[SCORE_NAME] = score
    state.values[LEVEL_NAME] = level_before_quota
    state.score = score
    state.level_before_quota = level_before_quota
    return state
