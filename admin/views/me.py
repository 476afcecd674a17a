"""`/admin/cua-toi`: an official's own page. Their tasks of the period, the stored provisional score and
level with its explanation in plain Vietnamese and what would raise it (`advice`), the self-assessment
step (`workflow.add_feedback`), their published results and history. Every read is keyed by the
signed-in user's own person; an assessment id in a URL is accepted only when it holds their own result,
and a person code in a form must be their own (else 404 / 403)."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose

from app.models.feedback import SELF_ASSESSMENT
from app.models.users import ROLE_LABELS
from app.services.assessments import advice_data, own, workflow
from app.services.assessments.report_data import period_label
from app.services.errors import ServiceError
from app.transaction import transaction

from ..security import EVERYONE, current_db_user, current_scope
from .base import ScopedPage

MAX_TEXT = 4000  # characters of a self-assessment


class MyPage(ScopedPage):
    roles = EVERYONE

    def is_accessible(self) -> bool:
        user = current_db_user()
        return super().is_accessible() and user is not None and user.person_id is not None

    def _person(self):
        return own.person_of(current_db_user())

    @expose("/")
    def index(self):
        user, person = current_db_user(), self._person()
        rows = own.provisional_periods(person)
        try:
            chosen = own.current(rows, request.args.get("ky"))
        except ServiceError:
            abort(404)
        if request.args.get("ky") and chosen is None:
            abort(404)
        tasks, summary, gap, problem = [], None, None, ""
        if chosen is not None:
            tasks, summary = own.tasks(person, chosen.period)
            if chosen.score is not None:
                try:
                    gap = advice_data.for_provisional(person.id, chosen.period, scope=current_scope())
                except ServiceError as exc:
                    problem = exc.message
        return self.render(
            "admin/kpi_me.html", user=user, person=person, role_label=ROLE_LABELS.get(user.role, user.role),
            periods=rows, chosen=chosen, tasks=tasks, summary=summary, gap=gap, problem=problem,
            suggested={code for s in (gap.suggestions if gap else []) for code in s.tasks},
            awaiting=own.awaiting_self(person), published=own.published(person), label=workflow.label,
            period_label=period_label,
        )  # fmt: skip

    @expose("/ket-qua/<int:assessment_id>")
    def result(self, assessment_id: int):
        person = self._person()
        assessment, result = own.own_result(person, assessment_id, (workflow.PUBLISHED, workflow.LOCKED))
        gap = advice_data.for_result(assessment, result.person_code, scope=_own_scope(result))
        return self.render("admin/kpi_me_result.html", person=person, assessment=assessment, result=result,
                           gap=gap, label=workflow.label, period_label=period_label,
                           history=own.history(assessment, person), feedback=own.feedback(assessment, person),
                           self_kind=SELF_ASSESSMENT)  # fmt: skip

    @expose("/tu-danh-gia/<int:assessment_id>", methods=["POST"])
    def self_assessment(self, assessment_id: int):
        user, person = current_db_user(), self._person()
        if request.form.get("person", person.code) != person.code:
            abort(403)  # only one's own self-assessment
        assessment, _result = own.own_result(person, assessment_id, (workflow.SELF,))
        text = request.form.get("text", "")
        if len(text) > MAX_TEXT:
            flash(f"Nội dung tự đánh giá dài quá {MAX_TEXT} ký tự.", "error")
            return redirect(url_for(".index"))
        try:
            with transaction():  # the request's one commit
                workflow.add_feedback(assessment, user, person.code, text)
        except ServiceError as exc:
            flash("Chưa gửi được: " + exc.message, "error")
        else:
            flash(f"Đã gửi tự đánh giá cho {assessment.label}.", "success")
        return redirect(url_for(".index") + "#tu-danh-gia")


def _own_scope(result):
    """The scope to re-derive one's own stored result, once `own.own_result` found it theirs: an
    official's unit scope does not hold the ward the assessment belongs to (they read it as its member)."""
    from app.services.scope import Scope

    return Scope.everything()
