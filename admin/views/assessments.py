"""Assessments (đợt đánh giá) for evaluators and administrators, within their unit subtree: the list,
creating one for a unit and a period, running it in the background with a live progress bar and a
cancel button. The manual inputs grid (`assessment_inputs.py`) and the results table
(`assessment_results.py`) are parts of the same view. Everything calls `app.services.assessments`;
another ward's assessment id is 404."""

from __future__ import annotations

import datetime as dt

from flask import abort, current_app, flash, jsonify, redirect, request, url_for
from flask_admin import expose

from app.extensions import db
from app.models import AssessmentRevision, Unit, User
from app.services import assessments as service
from app.services.assessments import drafts, progress, web_runs
from app.services.assessments.queries import default_month
from app.services.assessments.workflow import label
from app.services.errors import Forbidden, ServiceError
from app.transaction import transaction

from ..security import STAFF, current_db_user, current_scope
from .assessment_common import period_text, scoped_assessment
from .assessment_inputs import InputPages
from .assessment_results import ResultPages
from .assessment_sheets import SheetPages
from .base import ScopedPage

MISSING_INPUTS = "thiếu dữ liệu đầu vào"  # the run's message when people lack inputs (compute.py)
KINDS = (("thang", "Tháng"), ("quy", "Quý"), ("nam", "Năm"))
QUARTERS = ("I", "II", "III", "IV")  # the quarter select of the creation form


def period_code(kind: str, year: str, month: str, quarter: str) -> str:
    """The period of the creation form: 2026-03, 2026-Q1 or 2026."""
    if not year.isdigit() or len(year) != 4:
        raise ServiceError("chọn năm của kỳ đánh giá")
    if kind == "thang":
        if not month.isdigit() or not 1 <= int(month) <= 12:
            raise ServiceError("chọn tháng của kỳ đánh giá")
        return f"{year}-{int(month):02d}"
    if kind == "quy":
        if quarter not in ("1", "2", "3", "4"):
            raise ServiceError("chọn quý của kỳ đánh giá")
        return f"{year}-Q{quarter}"
    if kind == "nam":
        return year
    raise ServiceError("chọn loại kỳ: tháng, quý hoặc năm")


def _runs(found) -> dict[int, AssessmentRevision]:
    """The current revision of each assessment (who ran it, when), in one query."""
    wanted = {(a.id, a.current_revision) for a in found if a.current_revision}
    if not wanted:
        return {}
    rows = db.session.scalars(
        db.select(AssessmentRevision).where(AssessmentRevision.assessment_id.in_({i for i, _ in wanted}))
    )
    return {r.assessment_id: r for r in rows if (r.assessment_id, r.number) in wanted}


def _users(ids) -> dict[int, str]:
    ids = {i for i in ids if i}
    if not ids:
        return {}
    rows = db.session.execute(db.select(User.id, User.full_name, User.username).where(User.id.in_(ids)))
    return {r.id: r.full_name or r.username for r in rows}


class AssessmentPages(InputPages, ResultPages, SheetPages, ScopedPage):
    roles = STAFF

    @expose("/")
    def index(self):
        scope = current_scope()
        found = service.list_assessments(scope=scope)
        runs = _runs(found)
        users = _users(r.created_by_id for r in runs.values())
        units = db.session.scalars(db.select(Unit).where(scope.where_unit(Unit.id)).order_by(Unit.code)).all()
        today = dt.date.today()
        chosen = default_month(scope=scope, today=today)  # the latest month with tasks, else this one
        first, last = min(chosen.year, today.year), max(chosen.year, today.year)
        return self.render(
            "admin/kpi_assess_list.html", found=found, runs=runs, users=users, units=units, label=label,
            period_text=period_text, kinds=KINDS, quarters=QUARTERS, years=range(first - 2, last + 2),
            chosen=chosen,
        )  # fmt: skip

    @expose("/tao", methods=["POST"])
    def create(self):
        form = request.form
        try:
            code = period_code(form.get("kind", ""), form.get("year", ""), form.get("month", ""),
                               form.get("quarter", ""))  # fmt: skip
            with transaction():
                created = drafts.create(
                    form.get("unit", ""), code, scope=current_scope(), user=current_db_user()
                )
            flash(f"Đã tạo đợt đánh giá {created.unit.code} {period_text(created.period)}.", "success")
            return redirect(url_for(".page", assessment_id=created.id))
        except Forbidden:
            abort(403)
        except ServiceError as exc:
            flash(exc.message, "error")
            return redirect(url_for(".index"))

    @expose("/<int:assessment_id>/")
    def page(self, assessment_id: int):
        a = scoped_assessment(assessment_id)
        latest = progress.jobs(1, assessment_id=a.id)
        job = latest[0] if latest else None
        run = _runs([a]).get(a.id)
        lacking = None
        if job is not None and job.status == progress.FAILED and MISSING_INPUTS in (job.message or ""):
            from app.services.assessments.inputs_grid import grid

            lacking = grid(a, scope=current_scope()).lacking
        return self.render(
            "admin/kpi_assess_page.html", a=a, job=job, run=run, ran_by=_users([run.created_by_id if run else None]),
            label=label, period_text=period_text, versions=service.pinned_versions(a), lacking=lacking,
            running=job is not None and job.active,
        )  # fmt: skip

    @expose("/<int:assessment_id>/chay", methods=["POST"])
    def run(self, assessment_id: int):
        a = scoped_assessment(assessment_id)
        try:
            current_scope().require_unit(a.unit_id, write=True)
            web_runs.start(a, user=current_db_user(), app=current_app._get_current_object(),
                             reason=request.form.get("reason", "").strip())  # fmt: skip
        except Forbidden:
            abort(403)
        except ServiceError as exc:
            flash(exc.message, "error")
        return redirect(url_for(".page", assessment_id=assessment_id))

    @expose("/<int:assessment_id>/tien-do")
    def status(self, assessment_id: int):
        a = scoped_assessment(assessment_id)
        job = _job_of(a, request.args.get("job", type=int))
        if job is None:
            return jsonify({"job": None})
        percent = 100 * job.done // job.total if job.total else 0
        return jsonify({"job": job.id, "status": job.status, "status_label": job.status_label, "done": job.done,
                        "total": job.total, "percent": percent, "message": job.message, "finished": not job.active,
                        "cancel_requested": bool(job.cancel_requested)})  # fmt: skip

    @expose("/<int:assessment_id>/huy", methods=["POST"])
    def cancel(self, assessment_id: int):
        a = scoped_assessment(assessment_id)
        current_scope().require_unit(a.unit_id, write=True)
        job = _job_of(a, request.form.get("job", type=int) or request.args.get("job", type=int))
        if job is None or not job.active:
            return jsonify({"ok": False, "message": "Không có lần chạy nào đang chạy."}), 409
        progress.cancel(job.id)
        return jsonify({"ok": True, "message": "Đã yêu cầu dừng; kết quả trước đó được giữ nguyên."})


def _job_of(assessment, job_id: int | None):
    """The job `job_id` if it belongs to this assessment, else its latest one."""
    if job_id is not None:
        job = progress.read(job_id)
        if job is None or job.assessment_id != assessment.id:
            abort(404)
        return job
    latest = progress.jobs(1, assessment_id=assessment.id)
    return latest[0] if latest else None
