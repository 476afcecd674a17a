"""Every official's evaluation sheet of an assessment in one PDF, from the results page (part of the
assessments view): started as a background job (`web_runs.start_sheets`, the runs' threads and progress
rows), followed as JSON, then downloaded. The assessment is scoped like every assessment URL (another
ward's id: 404); a job id must be a sheets job of this assessment built for the signed-in user (else
404), and its file is served only once the job is done."""

from __future__ import annotations

from pathlib import Path

from flask import abort, current_app, flash, jsonify, redirect, send_file, url_for
from flask_admin import expose

from app.services.assessments import progress, sheet_files, web_runs
from app.services.errors import ServiceError

from ..security import current_db_user
from .assessment_common import scoped_assessment


def folder() -> Path:
    """Where the files are written (`KPI_SHEETS_FOLDER`: the instance folder's phieu-pdf by default)."""
    return Path(current_app.config["KPI_SHEETS_FOLDER"])


def _own_job(assessment, job_id: int):
    """The sheets job `job_id` of this assessment, built for the signed-in user (else 404)."""
    job = progress.read(job_id)
    if (
        job is None
        or job.assessment_id != assessment.id
        or sheet_files.user_of(job) != current_db_user().username
    ):
        abort(404)
    return job


def latest_sheets_job(assessment):
    """The user's latest sheets job of this assessment (the results page shows it), if any."""
    username = current_db_user().username
    found = progress.jobs(20, assessment_id=assessment.id, sheets=True)
    return next((j for j in found if sheet_files.user_of(j) == username), None)


def sheets_status(assessment, job) -> dict:
    done = job.status == progress.DONE and sheet_files.file_of(folder(), job.id).is_file()
    return {"job": job.id, "status": job.status, "status_label": job.status_label, "done": job.done,
            "total": job.total, "percent": 100 * job.done // job.total if job.total else 0,
            "message": job.message, "finished": not job.active,
            "url": url_for(".sheets_file", assessment_id=assessment.id, job_id=job.id) if done else None}  # fmt: skip


class SheetPages:
    """Mixed into `AssessmentPages` (same endpoint and URL prefix)."""

    @expose("/<int:assessment_id>/phieu-danh-gia", methods=["POST"])
    def sheets_start(self, assessment_id: int):
        a = scoped_assessment(assessment_id)
        try:
            job_id = web_runs.start_sheets(a, user=current_db_user(), app=current_app._get_current_object(),
                                           folder=folder())  # fmt: skip
        except ServiceError as exc:
            flash(exc.message, "error")
            return redirect(url_for(".results", assessment_id=assessment_id))
        return redirect(url_for(".results", assessment_id=assessment_id, phieu=job_id))

    @expose("/<int:assessment_id>/phieu-danh-gia/<int:job_id>")
    def sheets_progress(self, assessment_id: int, job_id: int):
        a = scoped_assessment(assessment_id)
        return jsonify(sheets_status(a, _own_job(a, job_id)))

    @expose("/<int:assessment_id>/phieu-danh-gia/<int:job_id>.pdf")
    def sheets_file(self, assessment_id: int, job_id: int):
        a = scoped_assessment(assessment_id)
        job = _own_job(a, job_id)
        path = sheet_files.file_of(folder(), job.id)
        if job.status != progress.DONE or not path.is_file():
            abort(404)
        return send_file(path, mimetype="application/pdf", as_attachment=True,
                         download_name=f"phieu-danh-gia-{a.unit.code}-{a.period}.pdf")  # fmt: skip
