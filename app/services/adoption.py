"""Adoption: a ward adopts a province's published version with parameter overrides (only what the
province allows, within bounds: checked by the gate), and the wards to review when the province
publishes a newer version."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from ..extensions import db
from ..models import Adoption, Ruleset, RulesetVersion, Unit, User
from ..models.rulesets import PUBLISHED
from .errors import ServiceError
from .gate import render, validate
from .versions import next_version_number, save_draft

_IDENT = re.compile(r"[^\W\d]\w*")
_LITERAL = re.compile(r"-?\d+(?:[.,]\d+)?%?|\d{1,2}/\d{1,2}/\d{4}|\"[^\"\n]*\"|đúng|sai|dung", re.IGNORECASE)


def literal(value: object) -> str:
    """A Python value as a ruleset literal: numbers exact, dates dd/mm/yyyy, booleans đúng/sai, text quoted;
    a string that already is a literal ("20%", "0.5", "01/07/2026") is kept."""
    if isinstance(value, bool):
        return "đúng" if value else "sai"
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, Fraction):
        text = f"{Decimal(value.numerator) / Decimal(value.denominator):f}"
        return text
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    text = str(value).strip()
    if "\n" in text or "\r" in text:
        raise ServiceError("giá trị tham số không được chứa xuống dòng")
    if _LITERAL.fullmatch(text):
        return text
    if '"' in text:
        raise ServiceError('giá trị văn bản không được chứa dấu "')
    return f'"{text}"'


def adopting_source(code: str, number: int, unit: Unit, adopted: RulesetVersion, overrides: dict) -> str:
    """The adopting ruleset's text: `áp dụng`, the province version's legal bases (`căn cứ`, editable
    before publishing) and its dates, then one `đặt` line per override."""
    bad = [name for name in overrides if not _IDENT.fullmatch(str(name))]
    if bad:
        raise ServiceError("tên tham số không hợp lệ", [str(b) for b in bad])
    title = f"{adopted.title or adopted.ruleset.code} — {unit.name}".replace('"', "'")
    lines = [
        f"# {unit.name} áp dụng {adopted.label}",
        f'bộ quy tắc "{code}" phiên bản {number}',
        f'  tên "{title}"',
        f'  áp dụng "{adopted.ruleset.code}" phiên bản {adopted.version}',
    ]
    for link in sorted(adopted.legal_bases, key=lambda x: x.position):  # the province's legal bases
        articles = f" điều {', '.join(link.articles)}" if link.articles else ""
        lines.append(f'  căn cứ "{link.legal_basis.number}"{articles}')
    if adopted.effective_from is not None:
        to = f" đến {adopted.effective_to:%d/%m/%Y}" if adopted.effective_to else ""
        lines.append(f"  hiệu lực từ {adopted.effective_from:%d/%m/%Y}{to}")
    lines.append("")
    lines += [f"đặt {name} = {literal(value)}" for name, value in overrides.items()]
    return "\n".join(lines) + "\n"


def _ward_ruleset_code(unit: Unit, adopted: RulesetVersion) -> str:
    """The unit's existing ruleset that adopts the same province ruleset, else UNIT-PROVINCE."""
    rows = db.session.scalars(
        db.select(Adoption).where(Adoption.unit_id == unit.id).order_by(Adoption.id.desc())
    )
    for row in rows:
        if row.adopted.ruleset_id == adopted.ruleset_id:
            return row.version.ruleset.code
    return f"{unit.code}-{adopted.ruleset.code}"


def adopt(
    unit: Unit, adopted: RulesetVersion, overrides: dict, author: User, code: str | None = None
) -> RulesetVersion:
    """Generate the unit's adopting source (`áp dụng` + `đặt` lines), check it through the gate and save
    it as a draft. Refused (nothing saved) when an override is not allowed or out of bounds."""
    source, _ = checked_source(unit, adopted, overrides, code)
    return save_draft(source, author, unit)


def checked_source(unit: Unit, adopted: RulesetVersion, overrides: dict, code: str | None = None):
    """(source, gate result) of the draft `adopt` would save, checked (nothing saved): refused when
    `adopted` is not published or an override is not allowed or out of bounds. The adoption preview
    evaluates exactly this text."""
    if adopted.status != PUBLISHED:
        raise ServiceError(
            f"chỉ áp dụng được phiên bản đã công bố; {adopted.label} chưa công bố hoặc đã ngừng"
        )
    code = code or _ward_ruleset_code(unit, adopted)
    ruleset = db.session.scalar(db.select(Ruleset).where(Ruleset.code == code))
    number = next_version_number(ruleset) if ruleset is not None else 1
    source = adopting_source(code, number, unit, adopted, dict(overrides))
    result = validate(source, filename=f"{code}@{number}.kpi", owner_unit=unit)
    if not result.ok:
        lines = render(result.diagnostics, errors_only=True)
        raise ServiceError(
            f"không áp dụng được {adopted.label}: có {len(lines)} lỗi", lines, diagnostics=result.diagnostics
        )
    return source, result


@dataclass(frozen=True)
class ReviewItem:
    unit: Unit | None
    version: RulesetVersion  # the ward's published version
    adopted: RulesetVersion  # the province version it adopts
    newer: RulesetVersion  # the newest published province version

    def describe(self) -> str:
        where = self.unit.name if self.unit is not None else self.version.ruleset.code
        return f"{where}: {self.version.label} áp dụng {self.adopted.label}; đã có {self.newer.label}"


def needs_review() -> list[ReviewItem]:
    """Units whose latest published version adopts a province version that has a newer published one."""
    latest: dict[int, RulesetVersion] = {}
    for v in db.session.scalars(db.select(RulesetVersion).where(RulesetVersion.status == PUBLISHED)):
        if v.ruleset_id not in latest or v.version > latest[v.ruleset_id].version:
            latest[v.ruleset_id] = v
    items = []
    for version in latest.values():
        adoption = version.adoption
        if adoption is None:
            continue
        newest = latest.get(adoption.adopted.ruleset_id)
        if newest is not None and newest.version > adoption.adopted.version:
            items.append(ReviewItem(adoption.unit, version, adoption.adopted, newest))
    return sorted(items, key=lambda i: i.version.ruleset.code)
