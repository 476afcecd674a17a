"""Reads: units, people, rulesets and their versions (source, sha256), and resolution (person + date).
Anything outside the token's scope is answered as if it did not exist (404), so that a token cannot
learn which codes exist elsewhere."""

from __future__ import annotations

import datetime as dt

from flask import jsonify, request

from ..services import directory, rulesets
from ..services.errors import NotFound
from ..services.serialize import person_json, ruleset_json, unit_json, version_json
from . import bp
from .auth import scope
from .errors import ApiError


@bp.get("/units")
def list_units():
    return jsonify({"items": [unit_json(u) for u in directory.units_in(scope())]})


@bp.get("/units/<code>")
def get_unit(code: str):
    return jsonify(unit_json(directory.unit_by_code(code, scope())))


def _int_arg(name: str, default: int, high: int) -> int:
    raw = request.args.get(name, str(default))
    if not raw.isdigit() or not 0 <= int(raw) <= high:
        raise ApiError(400, "invalid_parameter", f'tham số "{name}" phải là số nguyên từ 0 đến {high}')
    return int(raw)


@bp.get("/people")
def list_people():
    where = scope()
    if request.args.get("unit"):
        where = where.within(directory.unit_by_code(request.args["unit"], where).id)
    limit, offset = _int_arg("limit", 1000, 10_000), _int_arg("offset", 0, 10**9)
    people, total = directory.people_in(where, limit=limit, offset=offset)
    return jsonify({"items": [person_json(p) for p in people], "total": total})


@bp.get("/people/<code>")
def get_person(code: str):
    return jsonify(person_json(directory.person_by_code(code, scope())))


def _ruleset(code: str):
    try:
        ruleset = rulesets.get_ruleset(code)
    except NotFound:
        ruleset = None
    if ruleset is None or not scope().sees_owner(ruleset.owner_unit_id):
        raise NotFound(f'không có bộ quy tắc "{code}" trong phạm vi được phép')
    return ruleset


@bp.get("/rulesets")
def list_rulesets():
    seen = {}
    for version in rulesets.list_versions():
        if scope().sees_owner(version.ruleset.owner_unit_id):
            seen.setdefault(version.ruleset.code, version.ruleset)
    return jsonify({"items": [ruleset_json(r) for r in seen.values()]})


@bp.get("/rulesets/<code>")
def get_ruleset(code: str):
    return jsonify(ruleset_json(_ruleset(code)))


@bp.get("/rulesets/<code>/versions")
def list_ruleset_versions(code: str):
    ruleset = _ruleset(code)
    return jsonify({"items": [version_json(v) for v in ruleset.versions]})


@bp.get("/rulesets/<code>/versions/<int:number>")
def get_ruleset_version(code: str, number: int):
    ruleset = _ruleset(code)
    return jsonify(version_json(rulesets.version_by_code(ruleset.code, number), source=True))


@bp.get("/resolve")
def resolve():
    code, day = request.args.get("person", ""), request.args.get("date", "")
    if not code or not day:
        raise ApiError(400, "invalid_parameter", 'cần tham số "person" (mã cán bộ) và "date" (yyyy-mm-dd)')
    try:
        date = dt.date.fromisoformat(day)
    except ValueError:
        raise ApiError(400, "invalid_parameter", f'ngày "{day}" không hợp lệ (dùng yyyy-mm-dd)') from None
    person = directory.person_by_code(code, scope())
    version = rulesets.resolve(
        person, date, request.args.get("subject") or None, period=request.args.get("period") or None
    )
    return jsonify({"person": person.code, "date": date.isoformat(), "unit": person.unit_on(date).code,
                    "version": version_json(version)})  # fmt: skip
