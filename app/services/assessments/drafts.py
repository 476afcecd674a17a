"""Creating an assessment before its first run (the web admin's "Tạo đợt đánh giá"): a unit in the caller's
scope and a period, in status "nháp (chưa tính)"; the first run stores its revision 1 (`runner.finish`
finds the row). Audited."""

from __future__ import annotations

from ...extensions import db
from ...models import Assessment
from ...models.assessments import DRAFT
from .. import audit
from ..errors import Conflict
from .periods import parse
from .runner import find, unit_by_code


def create(unit_code: str, period_text: str, *, scope, user) -> Assessment:
    """A new draft assessment of `unit_code`'s subtree for the period (Conflict when it exists already:
    one assessment per unit and period; its revisions hold the runs)."""
    unit = unit_by_code(unit_code)
    scope.require_unit(unit.id, write=True)
    period = parse(period_text)
    found = find(unit, period.code)
    if found is not None:
        raise Conflict(f"đã có {found.label} (số {found.id})")
    assessment = Assessment(unit_id=unit.id, period=period.code, period_kind=period.kind, status=DRAFT,
                            created_by_id=user.id if user is not None else None)  # fmt: skip
    db.session.add(assessment)
    db.session.flush()
    audit.record("assessment.create", "assessments", assessment.id, user=user,
                 after={"unit": unit.code, "period": period.code})  # fmt: skip
    return assessment
