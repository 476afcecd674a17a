"""Bulk upserts: tasks (by external id within the token's source system and unit), people and period
inputs, with the same row-level checks and all-or-nothing behaviour as the file imports. Read-only
tokens get 403."""

from __future__ import annotations

from flask import jsonify, request

from ..services.imports import import_rows
from . import bp
from .auth import scope, token
from .errors import ApiError, row_details

MAX_ITEMS = 10_000
MAX_BODY = 64 * 1024 * 1024  # bytes: far above 10,000 rows, refused before parsing
TRUE = {"1", "true", "yes", "co", "có"}


def _items() -> list[dict]:
    if request.content_length is not None and request.content_length > MAX_BODY:
        raise ApiError(413, "too_large", f"nội dung quá lớn (tối đa {MAX_BODY // (1024 * 1024)} MB)")
    if not request.is_json:
        raise ApiError(
            415, "unsupported_media_type", "nội dung phải là JSON (Content-Type: application/json)"
        )
    data = request.get_json(silent=True)
    if isinstance(data, dict) and "items" in data:
        data = data["items"]
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise ApiError(400, "invalid_body", 'nội dung phải là một danh sách đối tượng, hoặc {"items": [...]}')
    if not data:
        raise ApiError(400, "invalid_body", "danh sách rỗng: không có gì để nhập")
    if len(data) > MAX_ITEMS:
        message = f"mỗi yêu cầu tối đa {MAX_ITEMS:,} dòng; yêu cầu này có {len(data):,} dòng".replace(
            ",", "."
        )
        raise ApiError(413, "too_many_rows", message)
    return data


def _upsert(kind: str, name: str):
    scope().require_write()
    items = _items()
    dry_run = request.args.get("dry_run", "").strip().lower() in TRUE
    api_token = token()
    report = import_rows(
        kind,
        items,
        name,
        dry_run=dry_run,
        source_system=api_token.name,
        scope=scope(),
        actor=f"api:{api_token.name}",
    )
    if report.errors:
        status, code = (403, "forbidden") if report.forbidden else (400, "invalid_rows")
        message = f"{len(report.errors)} lỗi; không ghi dòng nào (tất cả hoặc không gì cả)"
        raise ApiError(status, code, message, row_details(report.errors))
    return jsonify(
        {
            "dry_run": report.dry_run,
            "applied": report.applied,
            "counts": report.counts(),
            "created": report.created,
            "updated": report.updated,
            "message": report.summary(),
        }
    )


@bp.post("/tasks")
def upsert_tasks():
    return _upsert("tasks", "tasks.json")


@bp.post("/people")
def upsert_people():
    return _upsert("people", "people.json")


@bp.post("/period-inputs")
def upsert_inputs():
    return _upsert("inputs", "period-inputs.json")
