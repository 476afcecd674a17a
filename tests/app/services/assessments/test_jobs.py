"""Jobs: the progress row (people done / total) readable by the web admin, cancellation keeping the
previous results."""

from __future__ import annotations

import pytest
from run_fixtures import everything

from app.services.errors import ServiceError


def test_progress_row_counts_people_and_ends_done(demo):
    from app.extensions import db
    from app.models import AssessmentJob
    from app.services.assessments import jobs

    seen = []
    with jobs.Tracked("HT", "2026-01", "tester") as tracker:
        report = jobs.run_job("HT", "2026-01", scope=everything(), tracker=tracker,
                              progress=lambda done, total: seen.append((done, total)))  # fmt: skip
        db.session.commit()
    assert seen[-1] == (60, 60) and report.revision.number == 1
    job = demo.query(AssessmentJob).one()
    assert (job.status, job.done, job.total, job.unit_code, job.period) == ("done", 60, 60, "HT", "2026-01")


def test_cancelled_run_stores_nothing_and_says_so(demo):
    from app.extensions import db
    from app.models import AssessmentJob, AssessmentRevision
    from app.services import assessments
    from app.services.assessments import jobs
    from app.services.assessments.progress import cancel

    first = assessments.run("HT", "2026-01", scope=everything())
    db.session.commit()
    with pytest.raises(ServiceError) as caught:
        with jobs.Tracked("HT", "2026-01", "tester") as tracker:
            cancel(tracker.progress.job_id)
            db.session.commit()
            try:
                jobs.run_job("HT", "2026-01", scope=everything(), tracker=tracker, reason="chạy lại")
            finally:
                db.session.rollback()
    assert caught.value.code == "conflict"
    assert demo.query(AssessmentRevision).count() == 1 and first.assessment.current_revision == 1
    job = demo.query(AssessmentJob).order_by(AssessmentJob.id.desc()).first()
    assert job.status == "cancelled"
