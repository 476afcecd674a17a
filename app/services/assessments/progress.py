"""A run's progress row (`assessment_jobs`), written on its own autocommit connection so that the web
admin reads people done / total while the run's own transaction is still open; cancellation is a flag
on the row that the run checks between groups and parts."""

from __future__ import annotations

import time

from sqlalchemy import insert, select, update

from ...extensions import db
from ...models import AssessmentJob
from ...models.common import utcnow
from ..errors import NotFound, ServiceError
from .side import SideConnection


class Cancelled(ServiceError):
    """The run was cancelled at the user's request (nothing stored)."""

    def __init__(self):
        super().__init__("đã hủy lần chạy đánh giá theo yêu cầu", code="conflict")


class Progress:
    def __init__(self, unit_code: str, period: str, owner: str, parts: int = 1):
        self.side = SideConnection(busy_ms=50)  # while the run's transaction holds an SQLite file: skip
        table = AssessmentJob.__table__
        now = utcnow()
        with self.side.begin() as conn:
            self.job_id = conn.execute(
            insert(table).values(unit_code=unit_code, period=period, status="running", owner=owner, parts=parts,
                                 created_at=now, updated_at=now).returning(table.c.id)
            ).scalar_one()  # fmt: skip
        self._last = 0.0
        self.counts = (0, 0)  # the last known (done, total), written again at the end

    def _set(self, **values) -> None:
        table = AssessmentJob.__table__
        try:
            with self.side.begin() as conn:
                conn.execute(
                    update(table).where(table.c.id == self.job_id).values(updated_at=utcnow(), **values)
                )
        except Exception as exc:  # SQLite while our own transaction writes: the next update will do
            if not type(exc).__module__.startswith("sqlalchemy"):
                raise

    def update(self, done: int, total: int, *, force: bool = False) -> None:
        self.counts = (done, total)
        now = time.monotonic()
        if force or now - self._last > 0.5 or done == total:
            self._last = now
            self._set(done=done, total=total)

    def part_done(self, parts_done: int) -> None:
        self._set(parts_done=parts_done)

    def cancelled(self) -> bool:
        table = AssessmentJob.__table__
        try:
            with self.side.begin() as conn:
                return bool(
                    conn.execute(select(table.c.cancel_requested).where(table.c.id == self.job_id)).scalar()
                )
        except Exception as exc:
            if not type(exc).__module__.startswith("sqlalchemy"):
                raise
            return False

    def finish(self, status: str, message: str = "") -> None:
        self._set(status=status, message=message[:2000], done=self.counts[0], total=self.counts[1])
        self.side.close()


def cancel(job_id: int) -> AssessmentJob:
    """Ask a running job to stop (it stops at its next check and keeps the previous results)."""
    job = db.session.get(AssessmentJob, job_id)
    if job is None:
        raise NotFound(f"không có lần chạy số {job_id}")
    job.cancel_requested = True
    return job


def jobs(limit: int = 20) -> list[AssessmentJob]:
    return list(db.session.scalars(select(AssessmentJob).order_by(AssessmentJob.id.desc()).limit(limit)))
