"""Jobs: the progress row (people done / total) readable by the web admin, cancellation keeping the
previous results."""

from __future__ import annotations

import pytest
from run_fixtures import everything

from app.services.errors import ServiceError


def test_progress_row_counts_people_and_ends_done(demo):
    from app.extensions import db
    from app.services.assessments import jobs
    from app.services.assessments.progress import jobs as job_rows

    seen = []
    with jobs.Tracked("HT", "2026-01", "tester") as tracker:
        report = jobs.run_job("HT", "2026-01", scope=everything(), tracker=tracker,
                              progress=lambda done, total: seen.append((done, total)))  # fmt: skip
        db.session.commit()
    assert seen[-1] == (60, 60) and report.revision.number == 1
    (job,) = job_rows()
    assert (job.status, job.done, job.total, job.unit_code, job.period) == ("done", 60, 60, "HT", "2026-01")


def test_cancelled_run_stores_nothing_and_says_so(demo):
    from app.extensions import db
    from app.models import AssessmentRevision
    from app.services import assessments
    from app.services.assessments import jobs
    from app.services.assessments.progress import cancel, read

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
    job = read(tracker.progress.job_id)
    assert job.status == "cancelled"


def test_progress_is_readable_while_the_run_computes(demo):
    """Mid-run counts reach other sessions on both databases: the run's own transaction (which on SQLite
    holds a lock on the database file from its first read) does not hold them back."""
    from sqlalchemy import create_engine, text

    from app.extensions import db
    from app.services.assessments import jobs
    from app.services.assessments.progress import read

    url = db.engine.url
    seen, read_back = [], []

    def watch(done: int, total: int) -> None:
        seen.append((done, total))
        job = read(tracker.progress.job_id)  # a connection of its own, as the web admin's request
        read_back.append((job.done, job.total, job.status))

    other = create_engine(url)  # another process's view: the main database while the run is going
    with jobs.Tracked("TH", "2026-01", "tester") as tracker:
        jobs.run_job("TH", "2026-01", scope=everything(), tracker=tracker, progress=watch)
        with other.connect() as conn:  # the run's transaction is still open (not committed yet)
            assert conn.execute(text("select count(*) from assessment_revisions")).scalar() == 0
        db.session.commit()
    other.dispose()
    middle = [(d, t, s) for d, t, s in read_back if 0 < d < t]
    assert len(seen) >= 3 and middle, (seen, read_back)
    assert [(d, t) for d, t, _ in read_back] == seen and {s for *_, s in read_back} == {"running"}
    assert read(tracker.progress.job_id).status == "done"
