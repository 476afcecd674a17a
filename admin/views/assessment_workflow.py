"""The workflow of one assessment (`/admin/danh-gia/<id>/quy-trinh/`, Điều 22 Nghị định 335): where it
stands, the next step with a confirm page (open for self-assessment, review, decide, publish, lock), the
decided levels beside the computed ones, the audit trail (who, when, what) and the downloads (the unit's
XLSX results; each official's PDF sheet is on their page). The services check role, scope and the order of steps; a
refusal is shown in Vietnamese and changes nothing."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose

from app.extensions import db
from app.services import assessments
from app.services.assessments import exports, reports_xlsx, trail, workflow
from app.services.errors import ServiceError
from app.transaction import transaction

from ..security import STAFF, current_db_user, current_scope
from .assessment_common import period_text
from .assessment_person import attachment, refusal, run_page_url, scoped_assessment
from .base import LinkedPage

# URL word -> (service step, button text, what the confirm page says will happen)
STEPS = {
    "mo-y-kien": ("open_feedback", "Mở lấy tự đánh giá và ý kiến",
                  "Cán bộ được tự đánh giá, đồng nghiệp và người đánh giá được ghi ý kiến về kết quả."),
    "ra-soat": ("review", "Rà soát", "Ghi nhận đã rà soát kết quả cùng tự đánh giá và ý kiến của cán bộ."),
    "quyet-dinh": ("decide", "Quyết định xếp loại",
                   "Giữ mức đã tính cho mọi cán bộ chưa có quyết định riêng; các mức đã đổi (kèm lý do) được giữ."),
    "cong-bo": ("publish", "Công bố", "Cán bộ của đơn vị xem được kết quả của đợt đánh giá."),
    "khoa": ("lock", "Khóa", "Sau khi khóa không thay đổi được gì nữa; muốn sửa phải chạy lại thành lần mới có lý do."),
}  # fmt: skip
NEXT = {status: word for word, (step, *_rest) in STEPS.items() for status in workflow.STEPS[step][0]}
NEXT[workflow.DECIDED] = (
    "cong-bo"  # from "decided" the next step is publishing (deciding again stays possible)
)


class AssessmentWorkflowView(LinkedPage):
    """Mounted at /admin/danh-gia/<int:assessment_id>/quy-trinh (every route receives `assessment_id`)."""

    roles = STAFF

    @expose("/")
    def index(self, assessment_id: int):
        assessment = scoped_assessment(assessment_id)
        results = (
            workflow.readable_results(assessment, current_db_user()) if assessment.current_revision else []
        )
        counts: dict[str, int] = {}
        for r in results:
            level = r.decided_level or r.level or "Không xếp loại"
            counts[level] = counts.get(level, 0) + 1
        page = self.render(
            "admin/kpi_assessment_workflow.html",
            assessment=assessment,
            status_label=workflow.label(assessment.status),
            order=[(s, workflow.label(s)) for s in workflow.ORDER],
            next_step=NEXT.get(assessment.status),
            steps=STEPS,
            decided=[r for r in results if r.decided_level],
            counts=sorted(counts.items()),
            people=len(results),
            versions=assessments.pinned_versions(assessment),
            entries=trail.trail(assessment),
            run_page=run_page_url(assessment.id),
        )
        db.session.rollback()
        return page

    @expose("/<word>", methods=["GET", "POST"])
    def step(self, assessment_id: int, word: str):
        """The confirm page of a step (GET), the step itself (POST with confirm=yes)."""
        if word not in STEPS:
            abort(404)
        assessment = scoped_assessment(assessment_id)
        name, button, effect = STEPS[word]
        note = request.form.get("note", "").strip()
        if request.method == "POST" and request.form.get("confirm") == "yes":
            options = {"note": note} if name == "review" else {}
            try:
                with transaction():
                    getattr(workflow, name)(assessment, current_db_user(), scope=current_scope(), **options)
            except ServiceError as exc:
                flash(refusal(exc), "error")
            else:
                flash(f"Đã {button.lower()}: đợt đánh giá {assessment.unit.code} {period_text(assessment.period)} "
                      f'chuyển sang bước "{workflow.label(assessment.status)}".', "success")  # fmt: skip
            return redirect(url_for(".index", assessment_id=assessment_id))
        starts = workflow.STEPS[name][0]
        return self.render(
            "admin/kpi_assessment_step.html",
            assessment=assessment,
            word=word,
            name=name,
            button=button,
            effect=effect,
            status_label=workflow.label(assessment.status),
            ready=assessment.status in starts,
            wanted=" hoặc ".join(f'"{workflow.label(s)}"' for s in starts),
        )

    @expose("/ket-qua.xlsx")
    def results_xlsx(self, assessment_id: int):
        assessment = scoped_assessment(assessment_id)
        data = reports_xlsx.results_bytes(exports.unit_sheet(assessment, scope=current_scope()))
        db.session.rollback()
        return attachment(data, f"ket-qua-{assessment.unit.code}-{assessment.period}.xlsx",
                          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")  # fmt: skip

    @expose("/nguoi", methods=["GET"])
    def jump(self, assessment_id: int):
        """The "open a person's page" box: to /admin/danh-gia/<id>/nguoi/<mã>."""
        scoped_assessment(assessment_id)
        code = request.args.get("ma", "").strip()
        if not code:
            return redirect(url_for(".index", assessment_id=assessment_id))
        return redirect(url_for("assessment_person.person", assessment_id=assessment_id, code=code))


def add_views(admin, category: str = "Đánh giá") -> None:
    """The assessment pages of this module family (register.py calls this once)."""
    from .assessment_person import AssessmentPersonView
    from .assessment_tools import AssessmentSimulationView, IncomeView, RollupView

    base = "/admin/danh-gia/<int:assessment_id>"
    admin.add_view(AssessmentWorkflowView(name="Quy trình đợt đánh giá", endpoint="assessment_workflow",
                                          url=f"{base}/quy-trinh"))  # fmt: skip
    admin.add_view(
        AssessmentPersonView(name="Kết quả của cán bộ", endpoint="assessment_person", url=f"{base}/nguoi")
    )
    admin.add_view(
        AssessmentSimulationView(name="Mô phỏng", endpoint="assessment_simulation", url=f"{base}/mo-phong")
    )
    admin.add_view(RollupView(name="Tổng hợp quý, năm", category=category, endpoint="rollups",
                              url="/admin/danh-gia/tong-hop"))  # fmt: skip
    admin.add_view(IncomeView(name="Thu nhập tăng thêm", category=category, endpoint="income",
                              url="/admin/danh-gia/thu-nhap"))  # fmt: skip
