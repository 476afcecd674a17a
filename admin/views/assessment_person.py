"""One person's page in an assessment (`/admin/danh-gia/<id>/nguoi/<mã>`): tasks counted, each criterion
with its formula and values, the score, why this level and not the one above, quota and veto notes,
legal citations, revision history, self-assessment and comments, the audit entries naming the person;
the competent leader's decision on the person's level (form → confirm page → done) and the person's PDF
evaluation sheet. All of it read through `app.services.assessments` within the user's scope: another
ward's assessment id or a person without a result there → 404."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, request, url_for
from flask_admin import expose

from app.extensions import db
from app.services import assessments
from app.services.assessments import advice_data, exports, person_page, reports_pdf, trail, workflow
from app.services.errors import Forbidden, NotFound, ServiceError
from app.transaction import transaction

from ..security import STAFF, current_db_user, current_scope
from .base import LinkedPage


def scoped_assessment(assessment_id: int):
    """The assessment if it lies in the user's scope; 404 otherwise (never telling which ids exist)."""
    try:
        return assessments.get_by_id(assessment_id, scope=current_scope())
    except (NotFound, Forbidden):
        abort(404)


def run_page_url(assessment_id: int) -> str | None:
    """The assessment's own page (run, progress, results table: `assessments.page`), when registered."""
    from werkzeug.routing import BuildError

    try:
        return url_for("assessments.page", assessment_id=assessment_id)
    except BuildError:
        return None


def attachment(data: bytes, filename: str, mimetype: str) -> Response:
    return Response(
        data, mimetype=mimetype, headers={"Content-Disposition": f"attachment; filename={filename}"}
    )


class AssessmentPersonView(LinkedPage):
    """Mounted at /admin/danh-gia/<int:assessment_id>/nguoi (every route receives `assessment_id`)."""

    roles = STAFF

    @expose("/")
    def index(self, assessment_id: int):
        scoped_assessment(assessment_id)
        return redirect(url_for("assessment_workflow.index", assessment_id=assessment_id))

    def _page(self, assessment, code: str):
        try:
            revision = request.args.get("lan", type=int)
            return person_page.person_page(assessment, code, scope=current_scope(), revision=revision)
        except (NotFound, Forbidden):
            abort(404)

    @expose("/<code>")
    def person(self, assessment_id: int, code: str):
        assessment = scoped_assessment(assessment_id)
        page = self._page(assessment, code)
        gap = _gap(assessment, code) if page.explanation.revision == assessment.current_revision else None
        db.session.rollback()  # read only
        return self.render(
            "admin/kpi_assessment_person.html",
            assessment=assessment,
            page=page,
            gap=gap,
            status_label=workflow.label(assessment.status),
            can_decide=assessment.status in workflow.STEPS["decide"][0],
            can_comment=assessment.status == workflow.SELF,
            entries=trail.trail(assessment, person=code),
        )

    @expose("/<code>/quyet-dinh", methods=["GET", "POST"])
    def decide(self, assessment_id: int, code: str):
        """The decision on one person's level: the form, then a confirm page, then the change."""
        assessment = scoped_assessment(assessment_id)
        page = self._page(assessment, code)
        level = request.form.get("level", page.final_level or "")
        reason = request.form.get("reason", "").strip()
        error, warnings = None, []
        if request.method == "POST":
            confirmed = request.form.get("confirm") == "yes"
            decision = {code: (level, reason)}
            try:  # the service checks (a level of the ruleset, a written reason, the step); kept once confirmed
                if confirmed:
                    with transaction():
                        made = workflow.decide(assessment, current_db_user(), decision, scope=current_scope())
                else:
                    made = workflow.decide(assessment, current_db_user(), decision, scope=current_scope())
                warnings = [w for change in made for w in change.get("over_quota", [])]
            except ServiceError as exc:
                error = refusal(exc)
            finally:
                db.session.rollback()  # the preview changes nothing
            if error is None and confirmed:
                flash(f"Đã quyết định xếp loại của {code}: {level}.", "success")
                for warning in warnings:
                    flash(f"Lưu ý: {warning}.", "warning")
                return redirect(url_for(".person", assessment_id=assessment_id, code=code))
            if error is None:
                return self.render("admin/kpi_assessment_decide.html", assessment=assessment, page=page,
                                   level=level, reason=reason, confirming=True, error=None,
                                   warnings=warnings)  # fmt: skip
        if assessment.status not in workflow.STEPS["decide"][0] and error is None:
            error = (f'Chỉ quyết định được khi đợt đánh giá ở bước "{workflow.label(workflow.REVIEWED)}" hoặc '
                     f'"{workflow.label(workflow.DECIDED)}"; hiện đang ở bước "{workflow.label(assessment.status)}".')  # fmt: skip
        return self.render("admin/kpi_assessment_decide.html", assessment=assessment, page=page, level=level,
                           reason=reason, confirming=False, error=error), (400 if request.method == "POST" else 200)  # fmt: skip

    @expose("/<code>/y-kien", methods=["POST"])
    def comment(self, assessment_id: int, code: str):
        """A comment on the person's result while the assessment takes self-assessments and comments."""
        from app.models.feedback import COMMENT

        assessment = scoped_assessment(assessment_id)
        self._page(assessment, code)  # 404 unless the person has a result the user may read
        try:
            with transaction():
                workflow.add_feedback(
                    assessment, current_db_user(), code, request.form.get("text", ""), kind=COMMENT
                )
        except ServiceError as exc:
            flash(refusal(exc), "error")
        else:
            flash(f"Đã ghi ý kiến về kết quả của {code}.", "success")
        return redirect(url_for(".person", assessment_id=assessment_id, code=code))

    @expose("/<code>/phieu.pdf")
    def sheet(self, assessment_id: int, code: str):
        assessment = scoped_assessment(assessment_id)
        try:
            sheets = exports.person_sheets(assessment, scope=current_scope(), codes=[code])
        except (NotFound, Forbidden):
            abort(404)
        data = reports_pdf.people_pdf(sheets)
        db.session.rollback()
        return attachment(data, f"phieu-{code}-{assessment.period}.pdf", "application/pdf")


def refusal(exc: ServiceError) -> str:
    """A service's refusal in Vietnamese, for the page ("Không thực hiện được: …")."""
    text = exc.message[:1].upper() + exc.message[1:]
    return "Không thực hiện được: " + text + ("" if not exc.details else ": " + "; ".join(exc.details))


def _gap(assessment, code: str):
    """Why not the level above and what was missing, in points (the one service: `advice_data.for_result`,
    also behind the official's own page), or None when it cannot be worked out for this result."""
    try:
        return advice_data.for_result(assessment, code, scope=current_scope())
    except (NotFound, Forbidden):
        abort(404)
    except ServiceError:
        return None
