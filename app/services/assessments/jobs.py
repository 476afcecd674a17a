"""Running an assessment as a job: in this process, or split per unit block over RQ workers when
`REDIS_URL` is set. Workers only compute (read-only) and return their parts' results; the parent stores
everything in one transaction, so it commits only when every part succeeded.

    with guard, jobs.Tracked(unit, period, owner) as tracker:   # the progress row, finished on exit
        report = jobs.run_job(unit, period, scope=…, tracker=tracker)
        db.session.commit()                                     # (or rollback) before the exit
"""

from __future__ import annotations

import os

from . import runner
from .progress import Cancelled, Progress


class Tracked:
    """The progress row of one run (a new one, or the queued row `job_id`); on exit it is marked done,
    cancelled or failed. Its updates are visible to other sessions while the run is going (progress.py)."""

    def __init__(self, unit_code: str, period: str, owner: str, *, job_id: int | None = None,
                 assessment_id: int | None = None):  # fmt: skip
        self.progress = Progress(unit_code, period, owner, job_id=job_id, assessment_id=assessment_id)
        self.message = ""

    def __enter__(self) -> Tracked:
        return self

    def __exit__(self, kind, exc, _tb) -> None:
        if exc is None:
            self.progress.finish("done", self.message)
        elif isinstance(exc, Cancelled):
            self.progress.finish("cancelled", exc.message)
        else:
            self.progress.finish("failed", getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}")


def run_job(unit_code: str, period: str, *, scope, tracker: Tracked, user=None, dry_run=False, reason="",
            progress=None, heartbeat=None) -> runner.RunReport:  # fmt: skip
    """`runner.run` reporting to the progress row, checking cancellation, beating the lock's heart."""
    rows = tracker.progress

    def on_progress(done: int, total: int) -> None:
        rows.update(done, total)
        if heartbeat is not None:
            heartbeat()
        if progress is not None:
            progress(done, total)

    options = dict(scope=scope, user=user, dry_run=dry_run, reason=reason, progress=on_progress,
                   cancelled=rows.cancelled)  # fmt: skip
    if os.environ.get("REDIS_URL"):
        from .distributed import run_distributed

        report = run_distributed(unit_code, period, **options)
    else:
        report = runner.run(unit_code, period, **options)
    tracker.message = report.status_text
    return report
