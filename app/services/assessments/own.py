"""An official's own record: their tasks of a period, their stored provisional results, the assessments
waiting for their self-assessment, their published results and history. Everything is keyed by the
signed-in user's own person (`user.person_id`); an assessment id from a request is accepted only when
that person has a result in its current revision (else NotFound, never another person's row)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ...extensions import db
from ...models import Assessment, AssessmentResult, AssessmentRevision, Person, Task, User
from ...models.feedback import SELF_ASSESSMENT, AssessmentFeedback
from ...models.provisional import ProvisionalResult
from ..errors import NotFound
from .periods import parse
from .workflow import LOCKED, PUBLISHED, SELF

MAX_TASKS = 500  # a month holds 20-60 tasks; a page never lists more than this
FINISHED, CANCELLED, PAUSED = "Hoàn thành", "Hủy", "Tạm dừng"


@dataclass
class TaskSummary:
    total: int = 0
    done: int = 0
    late: int = 0  # done or counted with at least one delay
    remaining: int = 0  # neither done nor cancelled
    paused: int = 0  # among the remaining
    cancelled: int = 0


def person_of(user: User) -> Person:
    """The person record of the signed-in user (NotFound when the account has none)."""
    person = db.session.get(Person, user.person_id) if user.person_id is not None else None
    if person is None:
        raise NotFound("tài khoản này không gắn với hồ sơ cán bộ nào")
    return person


def provisional_periods(person: Person) -> list[ProvisionalResult]:
    """The person's stored provisional results of the periods still open for them (no published or
    locked result yet), newest period first."""
    closed = {assessment.period for assessment, _ in published(person)}
    query = (
        select(ProvisionalResult)
        .where(ProvisionalResult.person_id == person.id)
        .order_by(ProvisionalResult.period.desc())
    )
    return [row for row in db.session.scalars(query) if row.period not in closed]


def current(rows: list[ProvisionalResult], wanted: str | None) -> ProvisionalResult | None:
    """The provisional result of `wanted` (a period text) among `rows`, else the newest."""
    if wanted:
        code = parse(wanted).code
        return next((r for r in rows if r.period == code), None)
    return rows[0] if rows else None


def tasks(person: Person, period_code: str) -> tuple[list[Task], TaskSummary]:
    periods = parse(period_code).members
    query = (
        select(Task)
        .where(Task.person_id == person.id, Task.period.in_(periods))
        .order_by(Task.deadline, Task.id)
        .limit(MAX_TASKS)
    )
    found = sorted(db.session.scalars(query), key=lambda t: t.status in (FINISHED, CANCELLED))  # open first
    summary = TaskSummary(total=len(found))
    for t in found:
        if t.status == CANCELLED:
            summary.cancelled += 1
        elif t.status == FINISHED:
            summary.done += 1
        else:
            summary.remaining += 1
            summary.paused += t.status == PAUSED
        if t.status != CANCELLED and (
            t.delays or (t.completed_on and t.deadline and t.completed_on > t.deadline)
        ):
            summary.late += 1
    return found, summary


def _current_results(person: Person, statuses: tuple[str, ...]):
    query = (
        select(Assessment, AssessmentResult)
        .join(AssessmentRevision, AssessmentRevision.assessment_id == Assessment.id)
        .join(AssessmentResult, AssessmentResult.revision_id == AssessmentRevision.id)
        .where(AssessmentResult.person_id == person.id, Assessment.status.in_(statuses),
               AssessmentRevision.number == Assessment.current_revision)
        .order_by(Assessment.period.desc(), Assessment.id.desc())
    )  # fmt: skip
    return list(db.session.execute(query).tuples())


def awaiting_self(person: Person) -> list[tuple[Assessment, AssessmentResult, str]]:
    """(assessment, own result, own latest self-assessment text or "") of the assessments open for
    self-assessment in which the person has a result."""
    out = []
    for assessment, result in _current_results(person, (SELF,)):
        out.append((assessment, result, own_self_assessment(assessment, person)))
    return out


def own_self_assessment(assessment: Assessment, person: Person) -> str:
    query = (
        select(AssessmentFeedback.text)
        .where(AssessmentFeedback.assessment_id == assessment.id,
               AssessmentFeedback.revision == assessment.current_revision,
               AssessmentFeedback.person_id == person.id, AssessmentFeedback.kind == SELF_ASSESSMENT)
        .order_by(AssessmentFeedback.id.desc())
        .limit(1)
    )  # fmt: skip
    return db.session.scalar(query) or ""


def published(person: Person) -> list[tuple[Assessment, AssessmentResult]]:
    """The person's results in published or locked assessments, newest period first."""
    return _current_results(person, (PUBLISHED, LOCKED))


def own_result(
    person: Person, assessment_id: int, statuses: tuple[str, ...]
) -> tuple[Assessment, AssessmentResult]:
    """One assessment of `statuses` holding the person's result (current revision), else NotFound."""
    found = next((pair for pair in _current_results(person, statuses) if pair[0].id == assessment_id), None)
    if found is None:
        raise NotFound(f"không có kết quả của bạn trong đợt đánh giá số {assessment_id}")
    return found


@dataclass
class Step:
    revision: int
    when: object  # datetime
    reason: str
    change: str  # "80 điểm, … → 82 điểm, …" for the person, "" when their result did not change
    why: list[str]


def history(assessment: Assessment, person: Person) -> list[Step]:
    """The revisions of `assessment`, each with what changed for `person` and why (the run's change list),
    and the person's own feedback of each revision; oldest first."""
    query = (
        select(AssessmentRevision)
        .where(AssessmentRevision.assessment_id == assessment.id)
        .order_by(AssessmentRevision.number)
    )
    out = []
    for rev in db.session.scalars(query):
        mine = next((c for c in rev.changes or [] if c.get("person") == person.code), None)
        out.append(Step(rev.number, rev.created_at, rev.reason or "", (mine or {}).get("change", ""),
                        list((mine or {}).get("why", []))))  # fmt: skip
    return out


def feedback(assessment: Assessment, person: Person) -> list[AssessmentFeedback]:
    """Self-assessments and comments about `person` in `assessment` (every revision), oldest first."""
    query = (
        select(AssessmentFeedback)
        .where(AssessmentFeedback.assessment_id == assessment.id, AssessmentFeedback.person_id == person.id)
        .order_by(AssessmentFeedback.id)
    )
    return list(db.session.scalars(query))
