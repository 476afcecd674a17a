"""What-if simulation: run a draft ruleset, another version, or proposed parameter values on the inputs
an assessment stored (its snapshot), store nothing, and report per unit who would change level, the
level distribution before and after, and the quota situation (how many the quota moves down).

The candidate replaces the pinned version of the groups whose ruleset has the candidate's code (a new
version or a draft of it); a candidate of another code (say a ward's own adoption) replaces every group.
Parameter values alone apply to every pinned version that declares them (a locked or unknown parameter is
refused with the checker's message). Each group is evaluated on its own snapshot (people, tasks, inputs)."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from fractions import Fraction

from ..errors import ServiceError

NOT_RATED = "Không xếp loại"


@dataclass(slots=True)
class Change:
    person: str
    name: str
    unit: str
    score_before: str
    level_before: str
    score_after: str
    level_after: str


@dataclass(slots=True)
class UnitReport:
    unit: str
    people: int = 0
    before: Counter = field(default_factory=Counter)  # final computed level -> count
    after: Counter = field(default_factory=Counter)
    quota_before: int = 0  # people the quota moved down
    quota_after: int = 0
    changes: list[Change] = field(default_factory=list)


@dataclass(slots=True)
class Simulation:
    assessment: object
    candidate: str  # "CODE phiên bản N", "bản nháp …", "tham số …"
    units: dict[str, UnitReport]

    @property
    def changed(self) -> int:
        return sum(len(u.changes) for u in self.units.values())

    def to_json(self) -> dict:
        a = self.assessment
        return {
            "assessment": {"id": a.id, "unit": a.unit.code, "period": a.period, "revision": a.current_revision},
            "candidate": self.candidate,
            "changed": self.changed,
            "units": [
                {"unit": u.unit, "people": u.people, "before": dict(u.before), "after": dict(u.after),
                 "quota": {"moved_down_before": u.quota_before, "moved_down_after": u.quota_after},
                 "changes": [asdict(c) for c in u.changes]}
                for u in sorted(self.units.values(), key=lambda x: x.unit)
            ],
        }  # fmt: skip


def candidate_from_source(source: str, filename: str = "<bản nháp>"):
    """(program, code, label) of a ruleset text through the one validation gate; ServiceError with
    the diagnostics when it has errors."""
    from dsl.run import compile as compile_checked

    from ..gate import render, validate

    checked = validate(source, filename=filename)
    if not checked.ok or checked.ruleset is None:
        raise ServiceError(
            f"{filename}: bộ quy tắc có lỗi, không mô phỏng được",
            render(checked.diagnostics, errors_only=True),
        )
    h = checked.ruleset.header
    return (
        compile_checked(checked),
        h.code,
        f'"{h.code}" phiên bản {h.version} ({filename})',
    )


def candidate_from_version(ref_code: str, number: int):
    from ..gate import find_version
    from .engine import program_of

    version = find_version(ref_code, number)
    if version is None:
        raise ServiceError(f'không có bộ quy tắc "{ref_code}" phiên bản {number}')
    return program_of(version), version.ruleset.code, f"{version.label} ({_status(version)})"


def _status(version) -> str:
    from ...models.rulesets import STATUS_LABELS

    return STATUS_LABELS.get(version.status, version.status)


def simulate(assessment, *, scope, candidate=None, params: dict | None = None) -> Simulation:
    """`candidate`: (program, code, label) from the two functions above, or None with `params`."""
    from . import engine, results_of, snapshot_dataset
    from .queries import pinned_versions

    scope.require_unit(assessment.unit_id)
    if candidate is None and not params:
        raise ServiceError("cần một bộ quy tắc (tệp, phiên bản) hoặc ít nhất một tham số để mô phỏng")
    stored = {r.person_code: r for r in results_of(assessment)}
    versions = pinned_versions(assessment)
    used = {r.version_id for r in stored.values()}
    versions = [v for v in versions if v.id in used]
    matching = [v for v in versions if candidate is not None and v.ruleset.code == candidate[1]]
    replaced = {v.id for v in (matching or versions)} if candidate is not None else {v.id for v in versions}
    units: dict[str, UnitReport] = {}
    problems: list[str] = []
    for version in versions:
        if version.id not in replaced:
            continue
        program = candidate[0] if candidate is not None else engine.program_of(version)
        wanted = {k: v for k, v in (params or {}).items() if k in program.params}
        problems += [f"{version.label}: {p}" for p in program.check_params(wanted)]
        if problems:
            continue
        data = snapshot_dataset(assessment, version_id=version.id)
        result = _evaluate(program, data, wanted)
        for r in result.results:
            old = stored.get(r.person)
            if old is not None:
                _count(units, old, r)
    unknown = set(params or {}) - {n for v in versions for n in engine.program_of(v).params}
    if candidate is not None:
        unknown -= set(candidate[0].params)
    if unknown:
        problems.append("không có tham số: " + ", ".join(sorted(unknown)))
    if problems:
        raise ServiceError("không mô phỏng được", problems)
    label = candidate[2] if candidate is not None else "bộ quy tắc đang áp dụng"
    if params:
        program = candidate[0] if candidate is not None else engine.program_of(versions[0])
        label += " với " + ", ".join(f"{k} = {_shown(program, k, v)}" for k, v in params.items())
    return Simulation(assessment, label, units)


def _shown(program, name: str, value) -> str:
    """A parameter value as written in rulesets: 15% for a percentage, 0,5 for a decimal."""
    from .values import exact_text

    if not isinstance(value, int | Fraction) or isinstance(value, bool):
        return str(value)
    param = program.params.get(name)
    if param is not None and getattr(param.value, "percent", False):
        return exact_text(Fraction(value) * 100).replace(".", ",") + "%"
    return exact_text(value).replace(".", ",")


def _evaluate(program, data, params: dict):
    from dsl.errors import DslError, EvalError

    from . import engine

    try:
        return engine.evaluate(program, data, params=params or None)[0]
    except EvalError as exc:
        who = f" (cán bộ {exc.person})" if exc.person else ""
        raise ServiceError(f"lỗi khi tính [{exc.code}]: {exc.message}{who}") from None
    except DslError as exc:
        raise ServiceError(f"lỗi khi tính: {exc}") from None


def _count(units: dict[str, UnitReport], old, new) -> None:
    from ...tabular.writers import round_decimal

    report = units.setdefault(old.unit_code, UnitReport(old.unit_code))
    report.people += 1
    before = NOT_RATED if old.not_rated else (old.level or NOT_RATED)
    after = NOT_RATED if new.not_rated else (new.level or NOT_RATED)
    report.before[before] += 1
    report.after[after] += 1
    report.quota_before += int(bool(old.level_before_quota) and old.level_before_quota != old.level)
    report.quota_after += int(bool(new.level_before_quota) and new.level_before_quota != new.level)
    score_after = "" if new.score is None else str(round_decimal(new.score, 2))
    score_before = "" if old.score is None else str(round_decimal(Fraction(old.score), 2))
    if before != after:
        report.changes.append(
            Change(old.person_code, old.person_name, old.unit_code, score_before, before, score_after, after)
        )
