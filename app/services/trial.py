"""Try an unsaved draft on people of the database, before saving: one person (with everyone under them,
whom a leader's rules read) or a small sample of a unit, for a period; the score, the level and the
Vietnamese explanation of each, through the one run pipeline (gate → `dsl.run.compile` → the assessment
engine's evaluate). Reads the database, stores nothing. Bounded: SAMPLE people shown, MAX_PEOPLE
evaluated, MAX_LINES explanation lines each; the source size is the editor's limit."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from ..extensions import db
from ..models import Person, Unit
from .errors import NotFound, ServiceError
from .scope import Scope

SAMPLE = 8  # people of a unit sample
MAX_PEOPLE = 300  # people evaluated (the sample and everyone under them)
MAX_LINES = 400  # explanation lines shown per person


@dataclass
class Tried:
    code: str
    name: str
    unit: str
    score: str  # Vietnamese, exact ("97,5")
    level: str  # level before quota, or "Không xếp loại"
    criteria: list[tuple[str, str]] = field(default_factory=list)  # (code, score)
    lines: list[str] = field(default_factory=list)
    problem: str = ""  # why the person was not evaluated (a missing input)


@dataclass
class Trial:
    candidate: str
    period: str
    people: list[Tried] = field(default_factory=list)
    evaluated: int = 0
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return asdict(self)


def try_draft(source: str, *, scope: Scope, owner_unit: Unit | None, period: str, person_code: str = "",
              unit_id: int | None = None) -> Trial:  # fmt: skip
    """Evaluate `source` (not saved) on the person `person_code`, else on a sample of `unit_id` (default:
    the scope's root), for `period`. Someone outside the scope is "not found", like a code that does not
    exist. ServiceError for a draft with errors, an unknown period, people or data that cannot be run."""
    from dsl.run import compile as compile_checked

    from .assessments.members import members_of
    from .assessments.periods import parse
    from .gate import render, validate

    when = parse(period)
    checked = validate(source, filename="<chạy thử>", owner_unit=owner_unit)
    if not checked.ok or checked.ruleset is None:
        lines = render(checked.diagnostics, errors_only=True)
        raise ServiceError(f"bản nháp còn {len(lines)} lỗi: sửa lỗi rồi chạy thử", lines[:20])
    program = compile_checked(checked)
    header = checked.ruleset.header
    trial = Trial(f'"{header.code}" phiên bản {header.version}', when.code)
    root, targets = _who(scope, person_code.strip(), unit_id)
    members = [m for m in members_of(root, when.last) if scope.sees_unit(m.unit_id)]
    if person_code.strip():
        if not any(m.code == targets[0] for m in members):
            raise ServiceError(f"cán bộ {targets[0]} không thuộc {root.name} vào ngày {when.last:%d/%m/%Y}")
    else:
        targets = _sample([m.code for m in members])
        if not targets:
            raise ServiceError(f"{root.name} không có cán bộ nào vào ngày {when.last:%d/%m/%Y}")
    kept, skipped = _with_subordinates(members, targets)
    if not kept:
        raise ServiceError(
            f"cán bộ {targets[0]} có quá nhiều cán bộ cấp dưới để chạy thử trên trang web (tối đa "
            f"{MAX_PEOPLE} người); dùng lệnh kpi assess run --dry-run"
        )
    if skipped:
        trial.notes.append(f"bỏ qua {', '.join(skipped)}: quá nhiều cán bộ cấp dưới để chạy thử")
    _evaluate(trial, program, kept, [t for t in targets if t not in skipped], when)
    trial.notes.append(
        "mức hiển thị là mức trước khi áp dụng hạn mức tỷ lệ (hạn mức cần cả nhóm, áp dụng khi chạy đánh giá)"
    )
    return trial


def _who(scope: Scope, person_code: str, unit_id: int | None) -> tuple[Unit, list[str]]:
    """(the unit whose members are read, [the person's code] or [])."""
    tree = scope.units()
    if person_code:
        person = db.session.scalar(db.select(Person).where(Person.code == person_code))
        if person is None or not scope.sees_unit(person.unit_id):
            raise NotFound(f"không có cán bộ mã {person_code} trong phạm vi đơn vị của bạn")
        chain = [u for u in tree.ancestors(person.unit_id) if scope.sees_unit(u)]
        top = chain[-2] if len(chain) >= 2 and tree.parent.get(chain[-1]) is None else chain[-1]
        return db.session.get(Unit, top), [person.code]
    wanted = unit_id if unit_id is not None else scope.root_id
    if wanted is None:  # an unlimited scope: the first unit at the top
        unit = db.session.scalar(db.select(Unit).where(Unit.parent_id.is_(None)).order_by(Unit.id))
    else:
        unit = db.session.get(Unit, wanted)
    if unit is None or not scope.sees_unit(unit.id):
        raise NotFound("không có đơn vị này trong phạm vi của bạn")
    return unit, []


def _sample(codes: list[str]) -> list[str]:
    """SAMPLE codes spread evenly over the (sorted) list."""
    if len(codes) <= SAMPLE:
        return codes
    step = len(codes) / SAMPLE
    return [codes[int(i * step)] for i in range(SAMPLE)]


def _with_subordinates(members, targets: list[str]):
    """(the members to evaluate: each target and everyone under it, within MAX_PEOPLE; targets left out)."""
    below: dict[str, list] = {}
    for m in members:
        below.setdefault(m.manager_code, []).append(m)
    by_code = {m.code: m for m in members}
    chosen: dict[str, object] = {}
    skipped = []
    for code in targets:
        group, stack = {}, [by_code[code]]
        while stack:
            m = stack.pop()
            if m.code not in group and m.code not in chosen:
                group[m.code] = m
                stack += below.get(m.code, [])
        if len(chosen) + len(group) > MAX_PEOPLE:
            skipped.append(code)
            continue
        chosen.update(group)
    return sorted(chosen.values(), key=lambda m: m.code), skipped


def _evaluate(trial: Trial, program, members, targets: list[str], when) -> None:
    from dsl.engine.values import format_exact
    from dsl.errors import DslError, EvalError

    from .assessments import engine, load
    from .assessments.compute import missing_inputs, needs
    from .assessments.simulate import NOT_RATED

    for m in members:
        m.version_id = 0
    programs = {0: program}
    fields, field_kinds, input_kinds = needs(programs)
    stored = load.load_inputs(members, when.code)
    lacking = {m.code: line for m in members for line in missing_inputs([m], programs, stored)}
    blocked = set()
    manager_of = {m.code: m.manager_code for m in members}
    for code in lacking:
        while code and code not in blocked:
            blocked.add(code)
            code = manager_of.get(code, "")
    ready = [m for m in members if m.code not in blocked]
    results = {}
    if ready:
        owner, columns = load.load_tasks(ready, when.members, fields, field_kinds)
        inputs = load.typed_inputs({m.code: stored.get(m.code, {}) for m in ready}, input_kinds)
        data = load.dataset_of([load.record_of(m) for m in ready], owner, columns, inputs, when.code)
        try:
            result, _ = engine.evaluate(
                program, data, explain=True, only={m.code for m in ready}, quotas=False
            )
        except EvalError as exc:
            who = f" (cán bộ {exc.person})" if exc.person else ""
            raise ServiceError(f"lỗi khi tính [{exc.code}]: {exc.message}{who}") from None
        except DslError as exc:
            raise ServiceError(f"lỗi khi tính: {exc}") from None
        results = {r.person: r for r in result.results}
    trial.evaluated = len(results)
    by_code = {m.code: m for m in members}
    for code in targets:
        m, r = by_code[code], results.get(code)
        tried = Tried(m.code, m.name, m.unit_code, "", NOT_RATED)
        if r is None:
            tried.problem = lacking.get(code) or "chưa tính được vì cán bộ cấp dưới thiếu dữ liệu đầu vào"
        else:
            tried.score = "" if r.score is None else format_exact(r.score)
            tried.level = NOT_RATED if r.not_rated or not r.level_before_quota else r.level_before_quota
            tried.criteria = [(k, format_exact(v)) for k, v in r.criteria.items()]
            tried.lines = list(r.explanation[:MAX_LINES])
            if len(r.explanation) > MAX_LINES:
                tried.lines.append(
                    f"… còn {len(r.explanation) - MAX_LINES} dòng nữa (chạy kpi eval để xem hết)"
                )
        trial.people.append(tried)
