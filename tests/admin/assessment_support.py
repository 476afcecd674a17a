"""Helpers of the assessment pages' tests: assessments run through the service, the status read back,
a page's visible text."""

from __future__ import annotations

import re


def run_months(web, units=("HT", "DS"), period="2026-01") -> dict[str, int]:
    """Assessments of the demo wards run through the service (the run page is another module's)."""
    from app.extensions import db
    from app.services import assessments
    from app.services.scope import Scope

    ids = {}
    with web.app_context():
        for unit in units:
            report = assessments.run(unit, period, scope=Scope.everything())
            db.session.commit()
            ids[unit] = report.assessment.id
        db.session.remove()
    return ids


def visible(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#34;", '"')


def status_of(web, assessment_id: int) -> str:
    from app.extensions import db
    from app.models import Assessment

    with web.app_context():
        status = db.session.get(Assessment, assessment_id).status
        db.session.remove()
    return status
