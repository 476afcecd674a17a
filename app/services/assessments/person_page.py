"""Everything one person's page of an assessment shows, read within a scope: the stored result (score,
levels, decision, vetoes, quota note, outputs), the explanation re-derived from the pinned version and the
snapshot (`explain`), each criterion beside its line of the explanation (formula and values), the tasks
and period inputs the run counted (from the snapshot, never today's tables), the legal citations, the
person's line in every revision (what changed and why) and the self-assessment and comments.

The gap to the level above is `advice.gap_to_next` (one home, also used by the official's own page)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from fractions import Fraction

from sqlalchemy import select

from ...extensions import db
from ...models import AssessmentResult, Task, User
from .explain import Explanation, explain, stored_result
from .queries import revisions

_DECIMAL = re.compile(r"(?<![\w.])(\d+)\.(\d+)(?![\w.])")
_IDENTIFIER = re.compile(r"(?<![\w-])\w+(?:_\w+)+(?![\w-])")  # a ruleset identifier: words joined by "_"
# task columns of the snapshot shown on the page, in this order (name -> Vietnamese header)
TASK_COLUMNS = {
    "kỳ": "Kỳ",
    "trạng_thái": "Trạng thái",
    "ngày_giao": "Ngày giao",
    "hạn_hoàn_thành": "Hạn hoàn thành",
    "ngày_hoàn_thành": "Ngày hoàn thành",
    "khối_lượng_giao": "Khối lượng giao",
    "khối_lượng_hoàn_thành": "Khối lượng hoàn thành",
    "hệ_số_quy_đổi": "Hệ số quy đổi",
    "số_lần_chậm": "Số lần chậm",
    "số_lần_sai_sót_lớn": "Số lần sai sót lớn",
    "miễn_trừ": "Miễn trừ",
}


@dataclass(slots=True)
class CriterionLine:
    code: str
    title: str
    citation: str
    value: Fraction | None  # None: does not apply
    line: str  # the explanation's line: formula, values substituted, result


@dataclass(slots=True)
class TaskLine:
    code: str
    title: str  # today's title of the task, when it still exists ("" otherwise)
    values: dict[str, object]  # TASK_COLUMNS name -> value as the run read it (dates as dates)


@dataclass(slots=True)
class RevisionLine:
    number: int
    at: dt.datetime
    by: str
    reason: str
    score: Fraction | None
    level: str | None
    changed: bool = False  # this person's result changed in this revision (see `why`)
    before_score: Fraction | None = None  # their result in the revision before, when it changed
    before_level: str | None = None
    why: list[str] = field(default_factory=list)


@dataclass(slots=True)
class PersonPage:
    result: AssessmentResult
    explanation: Explanation
    version: str
    summary: str  # the explanation's first line: score, level and the one reason in plain words
    criteria: list[CriterionLine]
    steps: list[str]  # the other lines of the explanation (values, score, levels, quota), in order
    tasks: list[TaskLine]
    task_columns: dict[str, str]
    inputs: dict[str, object]
    citations: list[str]
    levels: list[str]  # the pinned version's levels, best first
    revisions: list[RevisionLine]
    self_assessment: str = ""
    comments: list[str] = field(default_factory=list)
    decided_by: str = ""

    @property
    def score(self) -> Fraction | None:
        return None if not self.result.score_text else Fraction(self.result.score_text)

    @property
    def final_level(self) -> str | None:
        return self.result.decided_level or self.result.level


def person_page(assessment, person_code: str, *, scope, revision: int | None = None) -> PersonPage:
    """The page of `person_code` in `assessment` (NotFound when they have no result; Forbidden outside
    the scope, as `explain`)."""
    from .workflow import feedback_of

    explanation = explain(assessment, person_code, scope=scope, revision=revision)
    row, _number, block, version_label, program = stored_result(
        assessment, person_code, scope=scope, revision=explanation.revision
    )
    lines = list(explanation.lines)
    summary = lines.pop(0) if lines and lines[0].startswith(f"Cán bộ {person_code}") else ""
    criteria, steps = _criteria(program, row, lines)
    own, comments = feedback_of(assessment).get(row.person_id, ("", []))
    return PersonPage(
        result=row,
        explanation=explanation,
        version=version_label,
        summary=summary,
        criteria=criteria,
        steps=steps,
        tasks=_tasks(block, row),
        task_columns={k: v for k, v in TASK_COLUMNS.items() if k in block.kinds},
        inputs=_inputs(program, block.inputs.get(person_code, {})),
        citations=_citations(program, row.version_id),
        levels=list(program.level_names),
        revisions=_history(assessment, person_code, _names(program)),
        self_assessment=own,
        comments=comments,
        decided_by=_user_name(row.decided_by_id),
    )


def _inputs(program, stored: dict) -> dict[str, object]:
    """The period inputs the run counted, named as the ruleset titles them ("Điểm tiêu chí chung"), not by
    their identifiers: the page is read by people who do not know the ruleset language."""
    titles = {info.name: info.title for info in program.needed_inputs if info.title}
    return {titles.get(name, name.replace("_", " ")): value for name, value in stored.items()}


def _criteria(program, row, lines: list[str]) -> tuple[list[CriterionLine], list[str]]:
    """Each criterion of the ruleset with its stored value and its explanation line; the other lines."""
    out, used = [], set()
    for code, title, citation in program.criteria:
        prefix = f'Tiêu chí {code} "'
        line = next((ln for ln in lines if ln.startswith(prefix)), "")
        used.add(line)
        text = (row.criteria or {}).get(code)
        out.append(CriterionLine(code, title, citation, None if text in (None, "") else Fraction(text), line))
    return out, [ln for ln in lines if ln not in used]


def _tasks(block, row) -> list[TaskLine]:
    """The person's task records of the snapshot (none in a roll-up's snapshot: it holds the sub-period
    results read, which its explanation lists)."""
    if "mã_nhiệm_vụ" not in block.kinds:
        return []
    owners = block.tasks["person"]
    picked = [i for i, c in enumerate(owners) if c == row.person_code]
    codes = block.tasks.get("mã_nhiệm_vụ") or [""] * len(owners)
    titles = dict(
        db.session.execute(
            select(Task.external_id, Task.title).where(
                Task.person_id == row.person_id, Task.external_id.in_({codes[i] for i in picked})
            )
        ).all()
    ) if picked else {}  # fmt: skip
    out = []
    for i in picked:
        values = {}
        for name in TASK_COLUMNS:
            if name not in block.kinds:
                continue
            value = block.tasks[name][i]
            if block.kinds[name] == "date" and value is not None:
                value = dt.date.fromordinal(int(value))
            elif block.kinds[name] == "number" and value is not None:
                value = Fraction(value).limit_denominator(10**9)
            values[name] = value
        out.append(TaskLine(codes[i], titles.get(codes[i], ""), values))
    return out


def _citations(program, version_id: int) -> list[str]:
    """The legal bases of the version (with articles), then each criterion's and the levels' citation."""
    from ...models import RulesetVersion

    out: list[str] = []
    version = db.session.get(RulesetVersion, version_id)
    for link in version.legal_bases if version is not None else []:
        articles = ", ".join(link.articles or [])
        out.append(link.legal_basis.number + (f", điều {articles}" if articles else ""))
    for code, _title, citation in program.criteria:
        if citation:
            out.append(f"Tiêu chí {code}: {citation}")
    if program.levels_citation:
        out.append(f"Xếp loại: {program.levels_citation}")
    return list(dict.fromkeys(out))


def _history(assessment, code: str, names: dict[str, str]) -> list[RevisionLine]:
    """The person's result in every revision (one query), with what changed and why."""
    query = select(AssessmentResult.revision_id, AssessmentResult.score_text, AssessmentResult.level).where(
        AssessmentResult.assessment_id == assessment.id, AssessmentResult.person_code == code
    )
    mine = {rid: (score, level) for rid, score, level in db.session.execute(query)}
    out: list[RevisionLine] = []
    for rev in revisions(assessment):
        score, level = mine.get(rev.id, ("", None))
        change = next((c for c in rev.changes or [] if c.get("person") == code), None)
        line = RevisionLine(rev.number, rev.created_at, _user_name(rev.created_by_id) or "hệ thống", rev.reason,
                            Fraction(score) if score else None, level)  # fmt: skip
        if change is not None:
            line.changed, line.why = True, [_readable(w, names) for w in change.get("why") or []]
            if out:
                line.before_score, line.before_level = out[-1].score, out[-1].level
        out.append(line)
    return out


def _names(program) -> dict[str, str]:
    """Identifiers a revision's stored reasons quote (period inputs, task fields) -> how people say them."""
    names = {name: head.lower() for name, head in TASK_COLUMNS.items()}
    names.update({info.name: info.title for info in program.needed_inputs if info.title})
    return names


def _readable(text: str, names: dict[str, str]) -> str:
    """A revision's stored reason ("đầu vào điểm_tiêu_chí_chung: 27.5 → 10", "nhiệm vụ X sửa
    ngày_hoàn_thành") as people read it: the inputs and fields by their titles, numbers with a decimal
    comma ("đầu vào Điểm tiêu chí chung: 27,5 → 10")."""
    text = _IDENTIFIER.sub(lambda m: names.get(m.group(0), m.group(0)), text)
    return _DECIMAL.sub(r"\1,\2", text)


def _user_name(user_id: int | None) -> str:
    if user_id is None:
        return ""
    user = db.session.get(User, user_id)
    return "" if user is None else (user.full_name or user.username)
