"""Imports from the browser: upload a CSV/XLSX file, see the preview (what would be created or updated)
or the table of every row error (row, column, value, reason), then import it all or nothing. Template
downloads. The work is `app.services.imports.import_file` (dry run, then the real run, which re-checks
everything and commits once); this view only keeps the uploaded file between the two steps."""

from __future__ import annotations

import io
import secrets
import time
from pathlib import Path

from flask import abort, current_app, flash, redirect, request, send_file, session, url_for
from flask_admin import expose

from app.extensions import db
from app.services.imports import KIND_LABELS, import_file
from app.services.templates import catalog_fields, template_bytes
from app.transaction import transaction

from ..security import STAFF, current_db_user, current_scope
from .base import ScopedPage

SUFFIXES = (".csv", ".xlsx")
KINDS_FOR = {"province_admin": ("units", "people", "tasks", "inputs"), "ward_admin": ("units", "people", "tasks", "inputs"),
             "evaluator": ("tasks", "inputs")}  # fmt: skip
TEMPLATE_NAMES = {"units": "mau-don-vi.xlsx", "people": "mau-can-bo.xlsx", "tasks": "mau-nhiem-vu.xlsx",
                  "inputs": "mau-dau-vao.xlsx"}  # fmt: skip
SESSION_KEY = "kpi_uploads"


UPLOAD_HOURS = 24  # previews never imported are removed after this


def _upload_dir() -> Path:
    path = Path(current_app.instance_path) / "uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _forget_old_uploads() -> None:
    limit = time.time() - UPLOAD_HOURS * 3600
    for item in _upload_dir().iterdir():
        if item.is_file() and item.stat().st_mtime < limit:
            item.unlink(missing_ok=True)


class ImportView(ScopedPage):
    roles = STAFF

    def kinds(self) -> tuple[str, ...]:
        return KINDS_FOR.get(current_db_user().role, ())

    def _kind(self, kind: str) -> str:
        if kind not in self.kinds():
            abort(403 if kind in KIND_LABELS else 404)
        return kind

    @expose("/")
    def index(self):
        return self.render("admin/kpi_import.html", kinds=self.kinds(), labels=KIND_LABELS, report=None)

    @expose("/mau/<kind>")
    def template(self, kind: str):
        kind = self._kind(kind)
        data = template_bytes(kind, catalog_fields(kind))
        db.session.rollback()
        return send_file(
            io.BytesIO(data),
            as_attachment=True,
            download_name=TEMPLATE_NAMES[kind],
            mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )

    @expose("/xem-truoc", methods=["POST"])
    def preview(self):
        kind = self._kind(request.form.get("kind", ""))
        upload = request.files.get("file")
        name = Path(upload.filename or "").name if upload else ""
        if not name:
            flash("Chọn một tệp CSV hoặc XLSX để nhập.", "error")
            return redirect(url_for(".index"))
        if not name.lower().endswith(SUFFIXES):
            flash(f"{name}: chỉ nhận tệp .csv hoặc .xlsx.", "error")
            return redirect(url_for(".index"))
        _forget_old_uploads()
        token = secrets.token_urlsafe(16)
        path = _upload_dir() / f"{token}{Path(name).suffix.lower()}"
        upload.save(path)
        report = self._run(kind, path, name, dry_run=True)
        if report.ok and (report.created or report.updated):
            uploads = session.get(SESSION_KEY, {})
            uploads[token] = {"kind": kind, "name": name, "path": path.name}
            session[SESSION_KEY] = uploads
        else:
            path.unlink(missing_ok=True)
            token = None
        return self.render(
            "admin/kpi_import.html",
            kinds=self.kinds(),
            labels=KIND_LABELS,
            report=report,
            token=token,
            kind=kind,
        )

    @expose("/nhap", methods=["POST"])
    def commit(self):
        token = request.form.get("token", "")
        item = session.get(SESSION_KEY, {}).pop(token, None)
        session.modified = True
        if item is None:
            flash("Tệp đã xem trước không còn (đã nhập hoặc phiên đã hết hạn). Hãy tải tệp lên lại.", "error")
            return redirect(url_for(".index"))
        kind = self._kind(item["kind"])
        path = _upload_dir() / item["path"]
        try:
            report = self._run(kind, path, item["name"], dry_run=False)
        finally:
            path.unlink(missing_ok=True)
        return self.render(
            "admin/kpi_import.html", kinds=self.kinds(), labels=KIND_LABELS, report=report, kind=kind
        )

    def _run(self, kind: str, path: Path, name: str, *, dry_run: bool):
        user, scope, data = current_db_user(), current_scope(), path.read_bytes()
        if dry_run:
            report = import_file(kind, data, name, dry_run=True, user=user, scope=scope)
            db.session.rollback()
            return report
        with transaction():  # the request's one commit (rolled back when the report has errors)
            report = import_file(kind, data, name, user=user, scope=scope)
            if report.errors:
                db.session.rollback()
        return report
