"""What the assessment pages share: the assessment of a URL within the user's scope (another unit's id is
404, as a missing one), the person page's address, the Vietnamese period label."""

from __future__ import annotations

from flask import url_for

from app.services.assessments.report_data import period_label as period_text

from .assessment_person import scoped_assessment  # the person pages' (another unit's id: 404)

__all__ = ["period_text", "person_url", "scoped_assessment"]


def person_url(assessment_id: int, code: str) -> str:
    """The person's page of an assessment (`/admin/danh-gia/<id>/nguoi/<code>`, its own view)."""
    from urllib.parse import quote

    return f"{url_for('assessments.index')}{assessment_id}/nguoi/{quote(code, safe='')}"
