"""The workflow of an assessment (Điều 22 Nghị định 335/2025/NĐ-CP), in this order:

draft → computed (a run stored results) → self_assessment (officials' self-assessments and comments) →
reviewed → decided (the competent leader confirms, or changes a level with a written reason kept beside
the computed one) → published (to the unit's officials) → locked.

After lock nothing changes; a new run with a reason makes a new revision (the run service), which
starts again at "computed". Every step writes the audit log (who, when, what) and checks the user's
role and unit scope. Services flush, never commit: the caller commits once.
"""

from __future__ import annotations

from ...extensions import db
from ...models import Assessment, AssessmentResult, Person, User
from ...models.common import utcnow
from ...models.feedback import COMMENT, SELF_ASSESSMENT, AssessmentFeedback
from .. import audit
from ..errors import NotFound, ServiceError
from ..scope import Scope

DRAFT, COMPUTED, SELF, REVIEWED, DECIDED, PUBLISHED, LOCKED = (
    "draft", "computed", "self_assessment", "reviewed", "decided", "published", "locked",
)  # fmt: skip
ORDER = (DRAFT, COMPUTED, SELF, REVIEWED, DECIDED, PUBLISHED, LOCKED)
LABELS = {
    DRAFT: "nháp (chưa tính)",
    COMPUTED: "đã tính",
    SELF: "đang lấy tự đánh giá và ý kiến",
    REVIEWED: "đã rà soát",
    DECIDED: "đã quyết định",
    PUBLISHED: "đã công bố",
    LOCKED: "đã khóa",
}
# step -> (statuses it starts from, status it leads to, Vietnamese name of the step)
STEPS = {
    "open_feedback": ((COMPUTED,), SELF, "mở lấy tự đánh giá và ý kiến"),
    "review": ((SELF,), REVIEWED, "rà soát"),
    "decide": ((REVIEWED, DECIDED), DECIDED, "quyết định xếp loại"),
    "publish": ((DECIDED,), PUBLISHED, "công bố"),
    "lock": ((PUBLISHED,), LOCKED, "khóa"),
}
DECIDERS = ("province_admin", "ward_admin", "evaluator")  # roles that may review, decide, publish, lock


def label(status: str) -> str:
    return LABELS.get(status, status)


def require_changeable(assessment: Assessment) -> None:
    if assessment.status == LOCKED:
        raise ServiceError(
            f"{assessment.label} đã khóa: muốn thay đổi phải chạy lại thành lần tính mới và nêu lý do",
            code="conflict",
        )


def _advance(step: str, assessment: Assessment, user: User, *, scope: Scope | None = None, **details) -> None:
    """Check role, scope and the order of steps; move to the step's status; audit it."""
    starts, target, name = STEPS[step]
    _require_decider(assessment, user, scope)
    if assessment.status not in starts:
        wanted = " hoặc ".join(f'"{label(s)}"' for s in starts)
        raise ServiceError(
            f'không thể {name} {assessment.label}: đang ở bước "{label(assessment.status)}", cần {wanted}',
            code="conflict",
        )
    before = {"status": assessment.status, "revision": assessment.current_revision}
    assessment.status = target
    db.session.flush()
    after = {"status": target, "revision": assessment.current_revision, **details}
    audit.record(f"assessment.{step}", "assessments", assessment.id, user=user, before=before, after=after)


def _require_decider(assessment: Assessment, user: User, scope: Scope | None) -> Scope:
    scope = scope or Scope.of_user(user)
    scope.require_unit(assessment.unit_id, write=True)
    if user.role not in DECIDERS:
        raise ServiceError(
            f'người dùng "{user.username}" không có quyền đánh giá, quyết định', code="forbidden"
        )
    return scope


def open_feedback(assessment: Assessment, user: User, *, scope: Scope | None = None) -> None:
    _advance("open_feedback", assessment, user, scope=scope)


def review(assessment: Assessment, user: User, *, note: str = "", scope: Scope | None = None) -> None:
    _advance("review", assessment, user, scope=scope, note=note)


def publish(assessment: Assessment, user: User, *, scope: Scope | None = None) -> None:
    _advance("publish", assessment, user, scope=scope, people=len(_results(assessment)))


def lock(assessment: Assessment, user: User, *, scope: Scope | None = None) -> None:
    _advance("lock", assessment, user, scope=scope)


def decide(
    assessment: Assessment,
    user: User,
    changes: dict[str, tuple[str, str]] | None = None,
    *,
    scope: Scope | None = None,
) -> list[dict]:
    """Confirm the computed levels, changing those in `changes` (person code -> (level, reason)); a
    change needs a written reason and a level of the ruleset. Every problem is reported at once and
    nothing changes then. Returns the changes made (for the audit and the caller)."""
    starts, _target, name = STEPS["decide"]
    _require_decider(assessment, user, scope)
    if assessment.status not in starts:
        wanted = " hoặc ".join(f'"{label(s)}"' for s in starts)
        raise ServiceError(f"không thể {name} {assessment.label}: đang ở bước \"{label(assessment.status)}\", "
                           f"cần {wanted}", code="conflict")  # fmt: skip
    results = {r.person_code: r for r in _results(assessment)}
    levels = _levels(assessment)
    problems, made = [], []
    for code, (level, reason) in (changes or {}).items():
        result = results.get(code)
        if result is None:
            problems.append(f'cán bộ "{code}" không có kết quả trong {assessment.label}')
            continue
        if level not in levels:
            problems.append(f'cán bộ {code}: "{level}" không phải một mức xếp loại; chọn một trong: '
                            + "; ".join(levels))  # fmt: skip
            continue
        if level != result.level and not (reason or "").strip():
            problems.append(f"cán bộ {code}: thay đổi xếp loại phải nêu lý do bằng văn bản")
            continue
        made.append({"person": code, "computed": result.level, "decided": level, "reason": reason.strip()})
    if problems:
        raise ServiceError("không quyết định được xếp loại", problems, code="invalid")
    now = utcnow()
    for change in made:
        result = results[change["person"]]
        same = change["decided"] == result.level
        result.decided_level = None if same else change["decided"]
        result.decided_reason = "" if same else change["reason"]
        result.decided_by_id, result.decided_at = user.id, now
    _quota_warnings(assessment, list(results.values()), made)
    _advance("decide", assessment, user, scope=scope, changes=made)
    return made


def _quota_warnings(assessment: Assessment, results: list[AssessmentResult], made: list[dict]) -> None:
    """Each change that takes its quota group over the quota (Điều 20: the final levels are capped) says
    so in `over_quota`: shown before the decision is confirmed, kept in the audit, printed by the CLI.
    The competent leader's decision is kept."""
    from . import quota_use
    from .queries import pinned_programs

    raised = [c for c in made if c["decided"] != c["computed"]]
    if not raised:
        return
    programs = pinned_programs(assessment)
    for change in raised:
        warnings = quota_use.overruns(results, programs, [change["person"]])
        if warnings:
            change["over_quota"] = warnings


def add_feedback(
    assessment: Assessment, user: User, person_code: str, text: str, *, kind: str = SELF_ASSESSMENT
) -> AssessmentFeedback:
    """An official's self-assessment (only their own) or a comment (colleagues of the unit, evaluators),
    while the assessment is open for them."""
    if kind not in (SELF_ASSESSMENT, COMMENT):
        raise ValueError(kind)
    if assessment.status != SELF:
        raise ServiceError(f'{assessment.label} không ở bước lấy tự đánh giá và ý kiến (đang "{label(assessment.status)}")',
                           code="conflict")  # fmt: skip
    if not text.strip():
        raise ServiceError("nội dung tự đánh giá hoặc ý kiến không được để trống", code="invalid")
    person = db.session.scalar(db.select(Person).where(Person.code == person_code))
    result = None if person is None else _result_of(assessment, person.id)
    if result is None:
        raise NotFound(f'cán bộ "{person_code}" không có kết quả trong {assessment.label}')
    Scope.of_user(user).require_unit(result.unit_id)
    if kind == SELF_ASSESSMENT and user.person_id != person.id:
        raise ServiceError("chỉ chính cán bộ được tự đánh giá", code="forbidden")
    entry = AssessmentFeedback(
        assessment_id=assessment.id, revision=assessment.current_revision, person_id=person.id, kind=kind,
        text=text.strip(), author_id=user.id, author=user.username,
    )  # fmt: skip
    db.session.add(entry)
    db.session.flush()
    audit.record(f"assessment.{'self' if kind == SELF_ASSESSMENT else 'comment'}", "assessments", assessment.id,
                 user=user, after={"person": person_code, "kind": kind, "text": entry.text})  # fmt: skip
    return entry


def feedback_of(assessment: Assessment) -> dict[int, tuple[str, list[str]]]:
    """person id -> (newest self-assessment, comments) of the current revision."""
    query = (
        db.select(AssessmentFeedback)
        .where(AssessmentFeedback.assessment_id == assessment.id,
               AssessmentFeedback.revision == assessment.current_revision)
        .order_by(AssessmentFeedback.id)
    )  # fmt: skip
    out: dict[int, tuple[str, list[str]]] = {}
    for entry in db.session.scalars(query):
        own, comments = out.get(entry.person_id, ("", []))
        if entry.kind == SELF_ASSESSMENT:
            own = entry.text
        else:
            comments = [*comments, f"{entry.text} ({entry.author})"]
        out[entry.person_id] = (own, comments)
    return out


def visible_to(assessment: Assessment, user: User) -> bool:
    """Officials see their unit's results once published; deciders within their scope always."""
    scope = Scope.of_user(user)
    if not scope.sees_unit(assessment.unit_id) and user.role != "official":
        return False
    if user.role == "official":
        return assessment.status in (PUBLISHED, LOCKED) and _official_in(assessment, user)
    return True


def readable_results(assessment: Assessment, user: User) -> list[AssessmentResult]:
    """The results `user` may read: deciders, those within their scope at any step; an official, once
    the assessment is published, the results of their own unit (and below) — refused before."""
    scope = Scope.of_user(user)
    if user.role != "official":
        scope.require_unit(assessment.unit_id)
        return [r for r in _results(assessment) if scope.sees_unit(r.unit_id)]
    if assessment.status not in (PUBLISHED, LOCKED) or not _official_in(assessment, user):
        raise ServiceError(f"{assessment.label} chưa được công bố tới cán bộ", code="forbidden")
    return [r for r in _results(assessment) if scope.sees_unit(r.unit_id) or r.person_id == user.person_id]


def _official_in(assessment: Assessment, user: User) -> bool:
    return user.person_id is not None and _result_of(assessment, user.person_id) is not None


def _results(assessment: Assessment) -> list[AssessmentResult]:
    from . import results_of

    return list(results_of(assessment))


def _result_of(assessment: Assessment, person_id: int) -> AssessmentResult | None:
    return next((r for r in _results(assessment) if r.person_id == person_id), None)


def _levels(assessment: Assessment) -> list[str]:
    """The level names of the versions the assessment is pinned to (ruleset order)."""
    from .queries import pinned_programs

    names: list[str] = []
    for program in pinned_programs(assessment).values():
        names += [name for name in program.level_names if name not in names]
    return names
