"""An assessment run started from the web admin (`web_runs`): in a background thread of the serving process, so that
the request returns at once and the page follows the progress row. The same threads and progress rows
build the PDF of every official's sheet of an assessment (`start_sheets`, over `sheet_files`). The run itself is `jobs.run_job`, as
for `kpi assess run`: in that thread, or split over RQ workers when `REDIS_URL` is set (the thread then
waits for the parts and stores them in its one transaction).

The lock is taken in the request (so that a second concurrent run gets the Vietnamese "one run at a
time" message on the page) and handed to the thread, which releases it after its commit or rollback.
The thread has its own application context, session and commit."""

from __future__ import annotations

import logging
import os
import socket
import threading

from ...extensions import db
from ...models import User
from ..errors import ServiceError
from . import jobs, progress
from .service import exclusive

log = logging.getLogger(__name__)
_THREADS: dict[int, threading.Thread] = {}


def start(assessment, *, user, app, reason: str = "") -> int:
    """Start a run of `assessment` as `user` (scope and role are checked by the run); returns the id of
    its progress row. ServiceError (code conflict) when another run holds the assessment. The caller's
    session must not hold an SQLite read transaction: it is ended here (nothing was written)."""
    unit_code, period, assessment_id = assessment.unit.code, assessment.period, assessment.id
    user_id, owner = user.id, f"{user.username}@{socket.gethostname()}:{os.getpid()}"
    db.session.rollback()  # the lock's own connection must not wait for this request's read lock
    guard = exclusive(unit_code, period, owner).acquire()
    try:
        job_id = progress.queue(unit_code, period, owner, assessment_id)
        _spawn(job_id, _run, (app, guard, job_id, unit_code, period, user_id, reason))
    except BaseException:
        guard.release()
        raise
    return job_id


def start_sheets(assessment, *, user, app, folder) -> int:
    """Build every official's sheet of `assessment` that `user` reads as one PDF in `folder`
    (`sheet_files.build`: read-only, no lock); returns the id of its progress row."""
    from . import sheet_files

    if not assessment.current_revision:
        raise ServiceError(f"{assessment.label} chưa có kết quả: hãy chạy đánh giá trước")
    owner = sheet_files.owner_of(user.username, f"{socket.gethostname()}:{os.getpid()}")
    job_id = progress.queue(assessment.unit.code, assessment.period, owner, assessment.id)
    db.session.rollback()  # the thread reads in its own session; this request holds no read lock
    try:
        _spawn(job_id, _sheets, (app, job_id, assessment.id, user.id, str(folder)))
    except BaseException:
        progress.fail(job_id, "không khởi động được việc tạo tệp PDF")
        raise
    return job_id


def _spawn(job_id: int, target, args) -> None:
    thread = threading.Thread(target=target, args=args, name=f"kpi-assessment-{job_id}", daemon=True)
    _THREADS[job_id] = thread
    thread.start()


def _sheets(app, job_id: int, assessment_id: int, user_id: int, folder: str) -> None:
    from ...models import Assessment
    from ..scope import Scope
    from . import sheet_files

    with app.app_context():
        try:
            assessment, user = db.session.get(Assessment, assessment_id), db.session.get(User, user_id)
            with jobs.Tracked(assessment.unit.code, assessment.period, "", job_id=job_id) as tracker:
                count = sheet_files.build(assessment, user=user, scope=Scope.of_user(user), folder=folder,
                                          job_id=job_id, progress=tracker.progress.update)  # fmt: skip
                tracker.message = f"Đã tạo tệp PDF gồm {count} phiếu đánh giá."
        except Exception as exc:  # the progress row says why (Tracked); the log keeps the rest
            if not isinstance(exc, ServiceError):
                log.exception("sheets PDF %s failed", job_id)
        finally:
            db.session.rollback()
            db.session.remove()
            _THREADS.pop(job_id, None)


def _run(app, guard, job_id: int, unit_code: str, period: str, user_id: int, reason: str) -> None:
    from ..scope import Scope

    with app.app_context():
        try:
            with guard:  # released after the commit or rollback below
                user = db.session.get(User, user_id)
                with jobs.Tracked(unit_code, period, guard.owner, job_id=job_id) as tracker:
                    try:
                        report = jobs.run_job(unit_code, period, scope=Scope.of_user(user), tracker=tracker,
                                              user=user, reason=reason, heartbeat=guard.heartbeat)  # fmt: skip
                    except BaseException:
                        db.session.rollback()
                        raise
                    if report.unchanged:
                        db.session.rollback()
                    else:
                        db.session.commit()
        except Exception as exc:  # the progress row says why (Tracked); the log keeps the rest
            if not isinstance(exc, ServiceError):
                log.exception("assessment run %s failed", job_id)
        finally:
            db.session.remove()
            _THREADS.pop(job_id, None)


def wait(job_id: int, timeout: float = 60) -> bool:
    """Wait for a run started in this process (tests, shutdown); True when it is over."""
    thread = _THREADS.get(job_id)
    if thread is not None:
        thread.join(timeout)
        return not thread.is_alive()
    return True
