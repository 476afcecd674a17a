"""JSON error bodies in Vietnamese: {"error": {"code", "message", "details": [{"row", "column", "value",
"message"}]}}; every error of the blueprint (also 404/405 and unexpected ones) has that shape."""

from __future__ import annotations

from flask import jsonify
from werkzeug.exceptions import HTTPException

from ..services.errors import ServiceError
from . import bp

HTTP_MESSAGES = {
    400: ("bad_request", "yêu cầu không hợp lệ"),
    401: ("unauthorized", "thiếu hoặc sai mã truy cập (Authorization: Bearer <mã>)"),
    403: ("forbidden", "mã truy cập không được phép truy cập dữ liệu này"),
    404: ("not_found", "không tìm thấy"),
    405: ("method_not_allowed", "phương thức không được hỗ trợ cho địa chỉ này"),
    413: ("too_large", "yêu cầu quá lớn"),
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
        value = e.value if isinstance(e.value, (str, int, float, bool)) or e.value is None else str(e.value)
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


def not_found_json(path: str):
    code, message = HTTP_MESSAGES[404]
    return jsonify(body(code, f"{message}: {path}")), 404
