"""Bundles: published rulesets handed from one deployment to another, as YAML.

A bundle holds legal bases (with articles), field catalog definitions and ruleset versions (source,
sha256, status, owner unit code). Import verifies every hash, never overwrites a published version,
validates each version through the gate (what it adopts first) and is all-or-nothing: any problem →
nothing changes and a ServiceError lists every problem in Vietnamese."""

from __future__ import annotations

import datetime as dt

import yaml

from dsl.pipeline import source_hash
from dsl.resolver import header_of

from ..extensions import db
from ..models import FieldDefinition, Unit, User
from ..models.rulesets import DRAFT, PUBLISHED, RETIRED
from . import catalog, legal_bases
from .errors import ServiceError
from .gate import find_version
from .versions import list_all_versions, publish, retire, save_draft

FORMAT = "kpi-cong-vu/bundle"
FORMAT_VERSION = 1


def _field_json(f: FieldDefinition) -> dict:
    keys = (
        "scope",
        "name",
        "label",
        "kind",
        "aliases",
        "scale",
        "low",
        "high",
        "default",
        "required",
        "description",
    )
    return {k: getattr(f, k) for k in keys}


def export_bundle(codes: list[str] | None = None, *, include_retired: bool = True) -> str:
    """YAML text of the published (and retired) versions of `codes` (all when None), the legal bases they
    cite and the whole field catalog."""
    statuses = (PUBLISHED, RETIRED) if include_retired else (PUBLISHED,)
    versions = [
        v for v in list_all_versions() if v.status in statuses and (codes is None or v.ruleset.code in codes)
    ]
    if codes is not None:
        missing = sorted(set(codes) - {v.ruleset.code for v in versions})
        if missing:
            raise ServiceError("không có phiên bản đã công bố của bộ quy tắc", missing)
    bases = {link.legal_basis.number: link.legal_basis for v in versions for link in v.legal_bases}
    data = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "legal_bases": [legal_bases.to_json(bases[k]) for k in sorted(bases)],
        "fields": [_field_json(f) for f in catalog.list_fields()],
        "rulesets": [
            {
                "code": v.ruleset.code,
                "version": v.version,
                "status": v.status,
                "owner_unit": v.ruleset.owner_unit.code if v.ruleset.owner_unit else None,
                "effective_from": v.effective_from.isoformat() if v.effective_from else None,
                "sha256": v.sha256,
                "source": v.source,
            }
            for v in versions
        ],
    }
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


def _date(value, problems: list[str], where: str):
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        problems.append(f"{where}: ngày không hợp lệ: {value}")
        return None


def _parse(text: str) -> dict:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ServiceError("tệp gói không phải YAML hợp lệ", [str(exc)]) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ServiceError(f'tệp không phải gói bộ quy tắc (cần format: "{FORMAT}")')
    if data.get("format_version") != FORMAT_VERSION:
        raise ServiceError(f"phiên bản định dạng gói {data.get('format_version')} không được hỗ trợ")
    for key in ("legal_bases", "fields", "rulesets"):
        if not isinstance(data.get(key) or [], list):
            raise ServiceError(f'mục "{key}" của gói phải là một danh sách')
    return data


def _precheck(entries: list, problems: list[str]) -> list[dict]:
    """Shape, hashes and conflicts with what is stored; returns the entries to add."""
    todo = []
    for i, entry in enumerate(entries, 1):
        where = f"bộ quy tắc thứ {i}"
        if not isinstance(entry, dict) or not isinstance(entry.get("source"), str):
            problems.append(f"{where}: thiếu mã nguồn (source)")
            continue
        source = entry["source"]
        where = f'bộ quy tắc "{entry.get("code")}" phiên bản {entry.get("version")}'
        if source_hash(source) != entry.get("sha256"):
            problems.append(f"{where}: mã băm sha256 không khớp với mã nguồn (tệp đã bị sửa?)")
            continue
        if header_of(source) is None or (header_of(source)[0], header_of(source)[1]) != (
            entry.get("code"),
            entry.get("version"),
        ):
            problems.append(f"{where}: mã và phiên bản không khớp với đầu tệp của mã nguồn")
            continue
        if entry.get("status", PUBLISHED) not in (PUBLISHED, RETIRED):
            problems.append(
                f"{where}: trạng thái {entry.get('status')} không nhập được (chỉ đã công bố, đã ngừng)"
            )
            continue
        stored = find_version(entry["code"], entry["version"])
        if stored is not None and stored.status != DRAFT:
            if stored.sha256 != entry["sha256"]:
                problems.append(f"{where}: đã có phiên bản đã công bố khác nội dung; không ghi đè")
            continue  # same content: nothing to do
        owner = entry.get("owner_unit")
        if owner and db.session.scalar(db.select(Unit).where(Unit.code == owner)) is None:
            problems.append(f'{where}: không có đơn vị chủ quản mã "{owner}"')
            continue
        todo.append(entry)
    return todo


def import_bundle(text: str, user: User) -> list[str]:
    """Import a bundle; returns what was added (one line each). All-or-nothing."""
    data = _parse(text)
    problems: list[str] = []
    todo = _precheck(data.get("rulesets") or [], problems)
    if problems:
        raise ServiceError(f"không nhập được gói: {len(problems)} lỗi", problems)
    added: list[str] = []
    with db.session.begin_nested():  # all or nothing, also inside the caller's transaction
        _import_bases_and_fields(data, user, added, problems)
        _import_versions(todo, user, added, problems)
        if problems:
            raise ServiceError(f"không nhập được gói: {len(problems)} lỗi", problems)
    return added


def _import_bases_and_fields(data: dict, user: User, added: list[str], problems: list[str]) -> None:
    for item in data.get("legal_bases") or []:
        if not isinstance(item, dict) or not item.get("number"):
            problems.append("căn cứ pháp lý thiếu số hiệu (number)")
            continue
        where = f'căn cứ "{item["number"]}"'
        legal_bases.upsert(
            item["number"],
            user=user,
            title=item.get("title"),
            issuer=item.get("issuer"),
            issued_on=_date(item.get("issued_on"), problems, where),
            effective_on=_date(item.get("effective_on"), problems, where),
            articles=[a for a in item.get("articles") or [] if isinstance(a, dict)],
        )
    for item in data.get("fields") or []:
        if not isinstance(item, dict):
            continue
        existing = db.session.scalar(
            db.select(FieldDefinition).where(
                FieldDefinition.scope == item.get("scope"), FieldDefinition.name == item.get("name")
            )
        )
        if existing is not None:
            if existing.kind != item.get("kind"):
                problems.append(f'trường "{existing.name}" đã có với kiểu khác ({existing.kind})')
            continue
        try:
            catalog.add_field(
                item.get("scope", ""), item.get("name", ""), item.get("label", ""), item.get("kind", ""),
                user=user, aliases=item.get("aliases") or (), scale=item.get("scale") or (),
                low=item.get("low"), high=item.get("high"), default=item.get("default"),
                required=bool(item.get("required")), description=item.get("description") or "",
            )  # fmt: skip
            added.append(f'trường "{item.get("name")}"')
        except ServiceError as exc:
            problems += [f'trường "{item.get("name")}": {d}' for d in exc.details] or [exc.message]


def _import_versions(todo: list[dict], user: User, added: list[str], problems: list[str]) -> None:
    pending = list(todo)
    while pending:
        waiting, progressed = [], False
        for entry in pending:
            try:
                owner = entry.get("owner_unit")
                unit = db.session.scalar(db.select(Unit).where(Unit.code == owner)) if owner else None
                version = save_draft(entry["source"], user, unit)
                if not version.check.ok and any(d.code == "E0601" for d in version.check.diagnostics):
                    waiting.append(entry)
                    continue
                publish(
                    version.id,
                    user,
                    _date(entry.get("effective_from"), problems, entry["code"]),
                )
                if entry.get("status") == RETIRED:
                    retire(version.id, user)
                added.append(f'bộ quy tắc "{entry["code"]}" phiên bản {entry["version"]}')
                progressed = True
            except ServiceError as exc:
                problems.append(f'bộ quy tắc "{entry["code"]}" phiên bản {entry["version"]}: {exc}')
                progressed = True
        if not progressed:
            problems += [
                f'bộ quy tắc "{e["code"]}" phiên bản {e["version"]}: bộ quy tắc được áp dụng không có'
                for e in waiting
            ]
            return
        pending = waiting
