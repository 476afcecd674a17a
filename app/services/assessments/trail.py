"""The audit trail of an assessment in plain Vietnamese: who, when, what (runs, re-pins, the workflow
steps, decisions with their reasons, self-assessments and comments), read from the append-only audit log
(`audit.record`), oldest first. A person's page asks only for the entries naming that person."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select

from ...extensions import db
from ...models import AuditLog, User
from .workflow import label

ENTITIES = ("assessment", "assessments")  # the run and re-pin write the first, the workflow the second
ACTIONS = {
    "assessment.create": "tạo đợt đánh giá",
    "assessment.run": "chạy đợt đánh giá",
    "assessment.repin": "chuyển sang phiên bản bộ quy tắc mới",
    "assessment.open_feedback": "mở lấy tự đánh giá và ý kiến",
    "assessment.review": "rà soát",
    "assessment.decide": "quyết định xếp loại",
    "assessment.publish": "công bố",
    "assessment.lock": "khóa",
    "assessment.self": "tự đánh giá",
    "assessment.comment": "ghi ý kiến",
}


@dataclass(slots=True)
class TrailEntry:
    at: dt.datetime
    who: str  # "Full Name (username)"
    action: str  # Vietnamese name of the action
    details: list[str]  # what: status before → after, the decisions with reasons, the text


def trail(assessment, *, person: str | None = None) -> list[TrailEntry]:
    """The assessment's audit entries (only those naming `person` when given), oldest first."""
    query = (
        select(AuditLog, User.full_name)
        .outerjoin(User, User.id == AuditLog.user_id)
        .where(AuditLog.entity.in_(ENTITIES), AuditLog.entity_id == str(assessment.id))
        .order_by(AuditLog.id)
    )
    out = []
    for entry, full_name in db.session.execute(query):
        details = _details(entry, person)
        if details is None:
            continue
        who = f"{full_name} ({entry.actor})" if full_name else entry.actor
        out.append(TrailEntry(entry.at, who, ACTIONS.get(entry.action, entry.action), details))
    return out


def _details(entry: AuditLog, person: str | None) -> list[str] | None:
    """The lines describing `entry`; None when it does not concern `person`."""
    before, after = entry.before or {}, entry.after or {}
    lines: list[str] = []
    if entry.action == "assessment.decide":
        changes = [c for c in after.get("changes", []) if person is None or c.get("person") == person]
        if person is not None and not changes:
            return None
        for c in changes:
            if c.get("computed") == c.get("decided"):
                lines.append(f'{c.get("person")}: giữ mức đã tính "{c.get("decided")}"')
            else:
                lines.append(f"{c.get('person')}: \"{c.get('computed')}\" → \"{c.get('decided')}\", "
                             f"lý do: {c.get('reason')}")  # fmt: skip
            lines += [f"lưu ý: {w}" for w in c.get("over_quota", [])]
        if person is None and not changes:
            lines.append("giữ nguyên các mức đã tính")
    elif entry.action in ("assessment.self", "assessment.comment"):
        if person is not None and after.get("person") != person:
            return None
        lines.append(f"{after.get('person')}: {after.get('text')}")
    elif person is not None and entry.action not in (
        "assessment.run",
        "assessment.publish",
        "assessment.lock",
    ):
        return None
    elif entry.action == "assessment.run":
        lines.append(f"lần chạy {after.get('revision')}: {after.get('people')} cán bộ, "
                     f"{after.get('changes')} người thay đổi; lý do: {after.get('reason')}")  # fmt: skip
    elif entry.action == "assessment.repin":
        lines.append(f"lý do: {after.get('reason')}")
    if "status" in before and "status" in after and before["status"] != after["status"]:
        lines.append(f'bước "{label(before["status"])}" → "{label(after["status"])}"')
    if after.get("note"):
        lines.append(f"ghi chú: {after['note']}")
    return lines
