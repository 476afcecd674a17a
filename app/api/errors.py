"""JSON error bodies in Vietnamese: {"error": {"code", "message", "details": [{"row", "column", "value",
"message"}]}}; every error of the blueprint (also 404/405 and unexpected ones) has that shape."""

from __future__ import annotations

from flask import Flask, current_app, jsonify, request
from werkzeug.exceptions import HTTPException, InternalServerError

from ..services.errors import ServiceError
from . import bp

HTTP_MESSAGES = {
    400: ("bad_request", "yêu cầu không hợp lệ"),
    401: ("unauthorized", "thiếu hoặc sai mã truy cập (Authorization: Bearer <mã>)"),
    403: ("forbidden", "mã truy cập không được phép truy cập dữ liệu này"),
    404: ("not_found", "không tìm thấy"),
    405: ("method_not_allowed", "phương thức không được hỗ trợ cho địa chỉ này"),
    413: ("too_large", "nội dung yêu cầu quá lớn (tối đa 16 MB)"),
    415: ("unsupported_media_type", "nội dung phải là JSON (Content-Type: application/json)"),
    500: ("internal_error", "lỗi nội bộ của máy chủ"),
}


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, details: list[dict] | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.details = status, code, message, list(details or [])


def body(code: str, message: str, details: list[dict] | None = None) -> dict:
    return {"error": {"code": code, "message": message, "details": list(details or [])}}


def row_details(errors, *, item_rows: bool = True) -> list[dict]:
    """RowErrors as details; rows counted as positions in the request's list (1 = first item)."""
    out = []
    for e in errors:
        row = e.row
        if item_rows and row is not None:
            row = row - 1 if row > 1 else None
        value = e.to_json()["value"]
        out.append({"row": row, "column": e.column, "value": value, "message": e.message})
    return out


@bp.errorhandler(ApiError)
def _api_error(exc: ApiError):
    return jsonify(body(exc.code, exc.message, exc.details)), exc.status


@bp.errorhandler(ServiceError)
def _service_error(exc: ServiceError):
    """A refused operation: its stable code (app.services.errors.CODES) decides the status."""
    return jsonify(body(exc.code, exc.message, [{"message": d} for d in exc.details])), exc.status


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException):
    code, message = HTTP_MESSAGES.get(exc.code or 500, ("error", exc.name))
    return jsonify(body(code, message)), exc.code or 500


@bp.errorhandler(Exception)
def _unexpected(exc: Exception):
    """Anything unforeseen is still the documented JSON (500), never an HTML page or a traceback;
    the traceback goes to the server's log."""
    current_app.logger.error("API: lỗi không lường trước", exc_info=exc)
    return _http_error(InternalServerError(original_exception=exc))


def json_for_unrouted(app: Flask, prefix: str) -> None:
    """404 and 405 of addresses under `prefix` that match no route (the blueprint never sees them)
    are the documented JSON too; other addresses keep the application's own pages."""

    def handle(exc: HTTPException):
        if request.path == prefix or request.path.startswith(prefix + "/"):
            return _http_error(exc)
        # elsewhere: the application's own handler of HTTP errors (the admin's Vietnamese pages), which
        # a handler registered by code would otherwise shadow
        fallback = app.error_handler_spec.get(None, {}).get(None, {}).get(HTTPException)
        return fallback(exc) if fallback else exc

    app.register_error_handler(404, handle)
    app.register_error_handler(405, handle)
