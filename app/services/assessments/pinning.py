"""Which version each person runs under: the resolver's answer for their unit and subject on the period's
first day, unless the assessment already pinned a version of that ruleset (a past period re-runs under the
version pinned then). Re-pinning to the versions in force now is an explicit, audited action."""

from __future__ import annotations

from ...extensions import db
from ...models import AssessmentPin, RulesetVersion
from .. import audit
from ..errors import ServiceError
from ..resolution import resolve_units
from .members import Member
from .periods import Period


def assign(members: list[Member], period: Period, pins: list[AssessmentPin], *, rollup: bool = False
           ) -> tuple[dict, list[dict]]:  # fmt: skip
    """Set `version_id` on each member; returns (versions by id, people no version covers). `rollup`:
    the roll-up rulesets of the period's kind in force on its last day (a quarter or a year rolled up
    from stored results) instead of the rulesets that evaluate tasks."""
    pairs = {(m.unit_id, m.category) for m in members}
    if rollup:
        found = resolve_units(pairs, period.last, period=period.kind)
        for key, got in found.items():
            if not isinstance(got, ServiceError) and not got.rollup_from:
                found[key] = ServiceError(f"{got.label} không phải bộ quy tắc tổng hợp")
    else:
        found = resolve_units(pairs, period.first)
    pinned = {pin.version.ruleset_id: pin.version for pin in pins}
    chosen: dict[tuple, RulesetVersion | None] = {}  # (unit, category) -> version: one answer per key
    for key, got in found.items():
        chosen[key] = None if isinstance(got, ServiceError) else pinned.get(got.ruleset_id, got)
    ids = {key: None if v is None else v.id for key, v in chosen.items()}
    versions: dict[int, RulesetVersion] = {}
    uncovered = []
    for m in members:
        key = (m.unit_id, m.category)
        m.version_id = vid = ids[key]
        if vid is None:
            got = found[key]
            uncovered.append({"person": m.code, "name": m.name, "unit": m.unit_code, "reason": got.message})
        elif vid not in versions:
            versions[vid] = chosen[key]
    return versions, uncovered


def sync_pins(assessment, versions: dict[int, RulesetVersion], user) -> list[str]:
    """Pin the versions used that are not pinned yet (first run, or people new to a ruleset)."""
    have = {pin.version_id for pin in assessment.pins}
    added = []
    for vid, version in sorted(versions.items()):
        if vid not in have:
            assessment.pins.append(
                AssessmentPin(version_id=vid, sha256=version.sha256, pinned_by_id=user.id if user else None)
            )
            added.append(version.label)
    return added


def repin(assessment, user, reason: str) -> list[tuple[str, str]]:
    """Drop the pins so that the next run takes the versions in force now; audited with the reason.
    Returns (old label, "") pairs for the message."""
    if not reason.strip():
        raise ServiceError("chuyển đợt đánh giá sang phiên bản mới cần ghi rõ lý do (--reason)")
    before = [
        {"version_id": p.version_id, "sha256": p.sha256, "label": p.version.label} for p in assessment.pins
    ]
    for pin in list(assessment.pins):
        assessment.pins.remove(pin)
    db.session.flush()
    audit.record("assessment.repin", "assessment", assessment.id, user=user,
                 before={"pins": before}, after={"pins": [], "reason": reason})  # fmt: skip
    return [(p["label"], "") for p in before]


def versions_json(versions: dict[int, RulesetVersion]) -> list[dict]:
    return [
        {"version_id": v.id, "code": v.ruleset.code, "version": v.version, "sha256": v.sha256}
        for _, v in sorted(versions.items())
    ]
