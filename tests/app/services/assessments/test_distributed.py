"""An assessment split per ward over RQ workers (`kpi worker` processes on the local Redis): the same
results as a run in one process, stored by the parent in one transaction."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

from run_fixtures import run

ROOT = Path(__file__).resolve().parents[4]
REDIS_URL = os.environ.get("KPI_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def test_parts_on_workers_give_the_results_of_one_process(demo, database_url, monkeypatch):
    from app.services.assessments import distributed

    queue = f"kpi-test-{secrets.token_hex(4)}"
    monkeypatch.setattr(distributed, "QUEUE", queue)
    monkeypatch.setenv("REDIS_URL", REDIS_URL)
    monkeypatch.setenv("KPI_PART_PEOPLE", "30")  # Hạc Thành and Đông Sơn: one part each
    env = {**os.environ, "DATABASE_URL": database_url, "KPI_QUEUE": queue}
    kpi = str(Path(sys.executable).parent / "kpi")
    workers = [subprocess.Popen([kpi, "worker"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL) for _ in range(2)]  # fmt: skip
    try:
        from run_fixtures import everything

        from app.extensions import db
        from app.services import assessments
        from app.services.assessments.jobs import Tracked, run_job

        with Tracked("TH", "2026-01", "tester") as tracker:
            split = run_job("TH", "2026-01", scope=everything(), tracker=tracker)
            db.session.commit()
        assert split.revision.number == 1 and len(split.rows) == 120
        assert split.timings.get("workers", 0) > 0  # the parts did go through the queue
        assessment = split.assessment
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=30)
    monkeypatch.delenv("REDIS_URL")
    again = run("TH", "2026-01")  # in this process: nothing differs
    assert again.unchanged and again.rows == split.rows
    explained = assessments.explain(assessment, "DS0012", scope=everything())
    assert explained.matches
