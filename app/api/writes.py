"""Bulk upserts: tasks (by external id within the token's source system and unit), people and period
inputs, with the same row-level checks and all-or-nothing behaviour as the file imports. Read-only
tokens get 403."""

from __future__ import annotations

import json

from flask import jsonify, request

from ..services.imports import import_rows
from . import bp
from .auth import scope, token
from .errors import ApiError, row_details
from .guard import read_body

MAX_ITEMS = 10_000  # the body itself is bounded while it is read (guard.MAX_BODY)
TRUE = {"1", "true", "yes", "co", "có"}


def _json_body() -> object:
    """The body parsed as JSON; read within guard.MAX_BODY (413 past it, chunked or not, while reading)."""
    if not request.is_json:
        raise ApiError(
            415, "unsupported_media_type", "nội dung phải là JSON (Content-Type: application/json)"
        )
    raw = read_body()
    try:
        return json.loads(raw, object_pairs_hook=_ObjectBudget(MAX_ITEMS + 1))
    except _TooMany:
        raise ApiError(413, "too_many_rows", _too_many(f"hơn {MAX_ITEMS:,}")) from None
    except RecursionError:
        raise ApiError(400, "invalid_json", "JSON lồng nhau quá sâu") from None
    except ValueError as exc:  # JSONDecodeError, undecodable bytes, a number past 4,300 digits
        where = f" (dòng {exc.lineno}, cột {exc.colno})" if isinstance(exc, json.JSONDecodeError) else ""
        raise ApiError(400, "invalid_json", f"nội dung không phải JSON hợp lệ{where}") from None


class _TooMany(Exception):
    pass


class _ObjectBudget:
    """json's object_pairs_hook that stops parsing past `limit` objects: rows are counted as they are
    parsed, so 16 MB of "{}" is refused after 10,001 objects, not after building millions of dicts."""

    def __init__(self, limit: int):
        self.left = limit

    def __call__(self, pairs: list) -> dict:
        self.left -= 1
        if self.left < 0:
            raise _TooMany
        return dict(pairs)


def _too_many(count: str) -> str:
    return f"mỗi yêu cầu tối đa {MAX_ITEMS:,} dòng; yêu cầu này có {count} dòng".replace(",", ".")


def _unencodable(item: dict) -> bool:
    """A lone surrogate ("\\ud800" in the JSON text) is valid JSON but no text: it cannot be stored."""
    try:
        json.dumps(item, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _items() -> list[dict]:
    data = _json_body()
    if isinstance(data, dict) and "items" in data:
        data = data["items"]
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise ApiError(400, "invalid_body", 'nội dung phải là một danh sách đối tượng, hoặc {"items": [...]}')
    if not data:
        raise ApiError(400, "invalid_body", "danh sách rỗng: không có gì để nhập")
    if len(data) > MAX_ITEMS:
        raise ApiError(413, "too_many_rows", _too_many(f"{len(data):,}"))
    bad = [i for i, item in enumerate(data, 1) if _unencodable(item)]
    if bad:
        details = [
            {"row": i, "message": "chuỗi chứa ký tự không hợp lệ (surrogate đơn lẻ)"} for i in bad[:100]
        ]
        raise ApiError(400, "invalid_text", "có chuỗi không phải văn bản Unicode hợp lệ", details)
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
