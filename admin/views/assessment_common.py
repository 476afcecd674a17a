"""What the assessment pages share: the assessment of a URL within the user's scope (another unit's id is
404, as a missing one), the person page's address, the Vietnamese period label."""

from __future__ import annotations

from flask import abort, url_for

from app.services import assessments as service
from app.services.assessments.report_data import period_label as period_text
from app.services.errors import ServiceError

from ..security import current_scope

__all__ = ["period_text", "person_url", "scoped_assessment"]


def scoped_assessment(assessment_id: int):
    """The assessment if the user's scope shows it; another unit's id is 404, as a missing one."""
    try:
        return service.get_by_id(assessment_id, scope=current_scope())
    except ServiceError:  # NotFound, or Forbidden: another unit's
        abort(404)


def person_url(assessment_id: int, code: str) -> str:
    """The person's page of an assessment (`/admin/danh-gia/<id>/nguoi/<code>`, its own view)."""
    from urllib.parse import quote

    return f"{url_for('assessments.index')}{assessment_id}/nguoi/{quote(code, safe='')}"
