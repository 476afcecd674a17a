"""One run at a time per assessment; a run killed with kill -9 in the middle of storing leaves the
previous results intact and does not keep the assessment locked."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest
from run_fixtures import run

from app.services.errors import ServiceError

ROOT = Path(__file__).resolve().parents[4]

# a run that stops for good in the middle of storing (revision written, snapshots next), until killed
CHILD = """
import sys, time
from sqlalchemy import event
from app import create_app

application = create_app({"SQLALCHEMY_DATABASE_URI": sys.argv[1], "TESTING": True, "SECRET_KEY": "t"})
with application.app_context():
    from app.extensions import db
    from app.services import assessments
    from app.services.scope import Scope

    @event.listens_for(db.engine, "before_cursor_execute")
    def pause(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("INSERT INTO ASSESSMENT_SNAPSHOTS"):
            open(sys.argv[2], "w").write("storing")
            time.sleep(600)

    with assessments.exclusive("HT", "2026-01", "child") as guard:
        assessments.run("HT", "2026-01", scope=Scope.everything())
        db.session.commit()
"""


def test_second_concurrent_run_is_refused(demo):
    from app.services import assessments

    with assessments.exclusive("HT", "2026-01", "first"):
        with pytest.raises(ServiceError) as caught:
            assessments.exclusive("HT", "2026-01", "second").acquire()
        assert caught.value.code == "conflict" and "first" in caught.value.message
        with assessments.exclusive("DS", "2026-01", "other"):  # another assessment is free
            pass
    with assessments.exclusive("HT", "2026-01", "again"):  # released
        pass


def test_killed_run_keeps_previous_results_and_frees_the_lock(demo, database_url, tmp_path):
    from app.models import Assessment, AssessmentResult, AssessmentRevision, Task
    from app.services import assessments

    first = run("HT", "2026-01")
    task = demo.query(Task).filter_by(period="2026-01").order_by(Task.id).first()
    task.quantity_completed = Decimal(0)
    demo.commit()
    marker = tmp_path / "storing"
    child = subprocess.Popen([sys.executable, "-c", CHILD, database_url, str(marker)], cwd=ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT)  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert child.poll() is None, child.stdout.read().decode()
            assert time.monotonic() < deadline, "the child run never reached the store"
            time.sleep(0.1)
        with pytest.raises(ServiceError) as caught:
            assessments.exclusive("HT", "2026-01", "parent").acquire()
        assert caught.value.code == "conflict"
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    demo.expire_all()
    assessment = demo.get(Assessment, first.assessment.id)
    assert assessment.current_revision == 1
    assert demo.query(AssessmentRevision).count() == 1
    assert demo.query(AssessmentResult).count() == 60
    demo.commit()  # end this session's read: on SQLite a reader holds off the lock row's write
    # the dead run's lock does not block the next one, which stores revision 2
    deadline = time.monotonic() + 30
    while True:
        try:
            guard = assessments.exclusive("HT", "2026-01", "parent").acquire()
            break
        except ServiceError:  # PostgreSQL may take a moment to notice the closed connection
            assert time.monotonic() < deadline
            time.sleep(0.2)
    try:
        second = run("HT", "2026-01")
    finally:
        guard.release()
    assert second.revision.number == 2 and second.changes
