"""The admin shell: the Flask-Admin instance (Vietnamese, Bootstrap 4 theme), its menu of views, the
sign-in blueprint, the admin's own static files and the error pages (403/404/500, never a traceback)."""

from __future__ import annotations

import logging

from flask import Blueprint, Flask, jsonify, render_template, request
from flask_admin import Admin
from flask_admin.theme import Bootstrap4Theme
from werkzeug.exceptions import HTTPException

from app.extensions import db
from app.services.errors import Conflict, Forbidden, NotFound, ServiceError

from . import auth

log = logging.getLogger(__name__)

assets = Blueprint(
    "kpi", __name__, template_folder="templates", static_folder="static", static_url_path="/static-kpi"
)
ERROR_TEXT = {
    400: "Yêu cầu không hợp lệ",
    401: "Cần đăng nhập",
    403: "Không có quyền truy cập",
    404: "Không tìm thấy",
    405: "Thao tác không được phép",
    413: "Tệp quá lớn",
    409: "Xung đột dữ liệu",
    429: "Quá nhiều yêu cầu",
    500: "Lỗi hệ thống",
}


def init_app(app: Flask) -> None:
    from .views import register

    app.config.setdefault("MAX_CONTENT_LENGTH", 64 * 1024 * 1024)  # uploads (tasks files) up to 64 MB
    app.register_blueprint(assets)
    app.register_blueprint(auth.bp)
    admin = Admin(
        app,
        name="KPI Công vụ",
        url="/admin",
        index_view=register.home_view(),
        theme=Bootstrap4Theme(base_template="admin/kpi_base.html", fluid=True),
    )
    register.add_views(admin)
    _error_pages(app)


def _wants_json() -> bool:
    return (
        request.blueprint == "api_v1"
        or "/api/" in request.path
        or request.accept_mimetypes.best == "application/json"
    )


def _page(status: int, message: str = ""):
    title = ERROR_TEXT.get(status, "Lỗi")
    if _wants_json():
        return jsonify({"error": title, "message": message or title}), status
    return render_template("admin/kpi_error.html", status=status, title=title, message=message), status


def _error_pages(app: Flask) -> None:
    @app.errorhandler(Forbidden)
    def _forbidden(exc: Forbidden):
        db.session.rollback()
        return _page(403, exc.message)

    @app.errorhandler(NotFound)
    def _not_found(exc: NotFound):
        db.session.rollback()
        return _page(404, exc.message)

    @app.errorhandler(Conflict)
    def _conflict(exc: Conflict):
        db.session.rollback()
        return _page(409, str(exc))

    @app.errorhandler(ServiceError)
    def _refused(exc: ServiceError):
        db.session.rollback()
        return _page(400, str(exc))

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        if request.blueprint == "api_v1":
            return exc  # the API answers in its own JSON shape
        message = ""
        if exc.code == 400 and "CSRF" in (exc.description or ""):
            message = "Phiên làm việc đã hết hạn hoặc thiếu mã bảo vệ (CSRF). Hãy tải lại trang và thử lại."
        return _page(exc.code or 500, message)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        if isinstance(exc, HTTPException):
            return _http(exc)
        log.exception("unexpected error on %s", request.path)
        db.session.rollback()
        return _page(
            500, "Đã có lỗi không mong muốn; thao tác không được lưu. Hãy báo cho quản trị hệ thống."
        )
