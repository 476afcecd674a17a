"""Reads: units, people, rulesets and their versions (source, sha256), and resolution (person + date)."""

from __future__ import annotations

import datetime as dt
import re

from flask import jsonify, request

from ..models import RulesetVersion
from ..services import directory, rulesets
from . import bp
from .auth import forbidden, require_unit, scope_ids, tree, visible_owner_ids
from .errors import ApiError


@bp.get("/units")
def list_units():
    return jsonify({"items": [directory.unit_json(u) for u in directory.units_in(scope_ids())]})


@bp.get("/units/<code>")
def get_unit(code: str):
    return jsonify(directory.unit_json(require_unit(code)))


MAX_VERSION = 2**31 - 1  # an INTEGER column


def _int_arg(name: str, default: int, high: int) -> int:
    raw = request.args.get(name, str(default))
    if not re.fullmatch(r"[0-9]{1,12}", raw) or not 0 <= int(raw) <= high:  # "²".isdigit() is True
        raise ApiError(400, "invalid_parameter", f'tham số "{name}" phải là số nguyên từ 0 đến {high}')
    return int(raw)


@bp.get("/people")
def list_people():
    ids = scope_ids()
    if request.args.get("unit"):
        unit = require_unit(request.args["unit"])
        ids = tree().subtree(unit.id)
    limit, offset = _int_arg("limit", 1000, 10_000), _int_arg("offset", 0, 10**9)
    people, total = directory.people_in(ids, limit=limit, offset=offset)
    return jsonify({"items": [directory.person_json(p) for p in people], "total": total})


def _person(code: str):
    person = directory.person_by_code(code)
    if person.unit_id not in scope_ids():
        raise forbidden(f"cán bộ {code}")
    return person


@bp.get("/people/<code>")
def get_person(code: str):
    return jsonify(directory.person_json(_person(code)))


def _visible(ruleset) -> bool:
    return ruleset.owner_unit_id is None or ruleset.owner_unit_id in visible_owner_ids()


def _ruleset(code: str):
    ruleset = rulesets.get_ruleset(code)
    if not _visible(ruleset):
        raise forbidden(f'bộ quy tắc "{code}"')
    return ruleset


def version_json(version: RulesetVersion, *, source: bool = False) -> dict:
    out = {
        "ruleset": version.ruleset.code,
        "version": version.version,
        "status": version.status,
        "title": version.title,
        "period": version.period,
        "subjects": list(version.subjects or []),
        "effective_from": version.effective_from.isoformat() if version.effective_from else None,
        "effective_to": version.effective_to.isoformat() if version.effective_to else None,
        "sha256": version.sha256,
        "published_at": version.published_at.isoformat() if version.published_at else None,
        "adopts": (
            {"ruleset": version.adoption.adopted.ruleset.code, "version": version.adoption.adopted.version}
            if version.adoption is not None
            else None
        ),
        "legal_bases": [link.legal_basis.number for link in version.legal_bases],
    }
    if source:
        out["source"] = version.source
    return out


def ruleset_json(ruleset) -> dict:
    return {
        "code": ruleset.code,
        "title": ruleset.title,
        "owner_unit": ruleset.owner_unit.code if ruleset.owner_unit is not None else None,
        "versions": [v.version for v in ruleset.versions],
    }


@bp.get("/rulesets")
def list_rulesets():
    seen = {}
    for version in rulesets.list_versions():
        if _visible(version.ruleset):
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
    if number > MAX_VERSION:
        raise ApiError(400, "invalid_parameter", f"số phiên bản phải từ 1 đến {MAX_VERSION}")
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
    person = _person(code)
    version = rulesets.resolve(
        person, date, request.args.get("subject") or None, period=request.args.get("period") or None
    )
    return jsonify({"person": person.code, "date": date.isoformat(), "unit": person.unit_on(date).code,
                    "version": version_json(version)})  # fmt: skip
