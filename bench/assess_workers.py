"""The province assessment with N RQ workers (`kpi worker`) vs one process, in one invocation.

    python bench/assess_workers.py --url postgresql+psycopg://…/db [--workers 2] [--redis redis://127.0.0.1:6379/7]

`--url`: a database filled by `python bench/assess_db.py URL`, or none to build
the province (50,000 people, 1,000,000 tasks) in a new database dropped afterwards. Runs
`kpi assess run P 2026-01` in one process (no REDIS_URL), then again with REDIS_URL and N workers started
for it (on a queue of its own), the assessments truncated before each run. Prints the wall times, each
worker's busy time, people and tasks (from RQ's finished jobs) and its throughput, and the load average.
"""

from __future__ import annotations

import argparse
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
TRUNCATE = ("TRUNCATE assessment_results, assessment_snapshots, assessment_revisions, assessment_pins, "
            "assessment_jobs, assessment_locks, assessments CASCADE")  # fmt: skip


def _run(kpi: str, env: dict) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run(
        [kpi, "assess", "run", "P", "2026-01", "--quiet"], capture_output=True, text=True, env=env
    )
    wall = time.perf_counter() - start
    if proc.returncode:
        sys.exit(f"kpi assess run failed:\n{proc.stdout[-1000:]}\n{proc.stderr[-2000:]}")
    return wall, next((line.strip() for line in proc.stderr.splitlines() if "thời gian" in line), "")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/7")
    parser.add_argument("--part-people", type=int, default=5000)
    args = parser.parse_args()
    import sqlalchemy as sa

    url, name, admin = args.url, None, None
    if url is None:
        from assess_db import populate
        from data import generate
        from flask_migrate import upgrade

        from app import create_app
        from app.extensions import db

        name = f"kpi_bench_{secrets.token_hex(4)}"
        admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        url = PG_ADMIN.rsplit("/", 1)[0] + "/" + name
        with create_app(
            {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench-workers-db"}, serving=False
        ).app_context():
            from flask import current_app

            from app.extensions import init_migrate

            init_migrate(current_app._get_current_object())  # a command's app has no Flask-Migrate
            upgrade()
            populate(generate(people=50_000, tasks=1_000_000, seed=1), db)
            db.engine.dispose()
    engine = sa.create_engine(url)
    kpi = str(Path(sys.executable).parent / "kpi")
    queue = f"kpi-bench-{secrets.token_hex(3)}"
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    env |= {
        "DATABASE_URL": url.replace("+psycopg", ""),
        "KPI_QUEUE": queue,
        "KPI_PART_PEOPLE": str(args.part_people),
    }
    workers = []
    try:
        with engine.begin() as conn:
            conn.execute(sa.text(TRUNCATE))
        one_wall, one_split = _run(kpi, env)
        one_load = os.getloadavg()[0]
        with engine.begin() as conn:
            conn.execute(sa.text(TRUNCATE))
        env_rq = {**env, "REDIS_URL": args.redis}
        workers = [
            subprocess.Popen([kpi, "worker"], env=env_rq, stderr=subprocess.DEVNULL)
            for _ in range(args.workers)
        ]
        time.sleep(3)  # the workers start (imports, Redis registration)
        rq_wall, rq_split = _run(kpi, env_rq)
        rq_load = os.getloadavg()[0]
        busy = _worker_figures(args.redis, queue, engine)
    finally:
        for w in workers:
            w.terminate()
        for w in workers:
            w.wait()
        engine.dispose()
        if admin is not None:
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    print(f"one process:        {one_wall:6.2f} s wall (load average {one_load:.1f})\n    {one_split}")
    print(
        f"{args.workers} RQ workers:       {rq_wall:6.2f} s wall (load average {rq_load:.1f})\n    {rq_split}"
    )
    for worker, (seconds, people, tasks, jobs, phases) in sorted(busy.items()):
        split = ", ".join(f"{k} {v:.2f} s" for k, v in phases.items())
        print(f"  worker {worker[:8]}: {jobs} parts, {people} people, {tasks} tasks in {seconds:.2f} s busy ({split}): "
              f"{people / seconds:,.0f} people/s, {tasks / seconds:,.0f} tasks/s")  # fmt: skip
    print(f"ratio {args.workers} workers / one process: {rq_wall / one_wall:.2f}")


def _worker_figures(redis_url: str, queue: str, engine) -> dict[str, tuple]:
    """worker name -> (busy seconds, people, tasks, parts, seconds by phase) from the queue's finished
    jobs."""
    import sqlalchemy as sa
    from redis import Redis
    from rq import Queue
    from rq.job import Job

    connection = Redis.from_url(redis_url)
    q = Queue(queue, connection=connection)
    out: dict[str, list] = {}
    with engine.connect() as conn:
        for job in Job.fetch_many(q.finished_job_registry.get_job_ids(), connection=connection):
            if job is None:
                continue
            ids = [m.person_id for m in job.args[0]]
            tasks = conn.execute(
                sa.text("SELECT count(*) FROM tasks WHERE person_id = ANY(:ids)"), {"ids": ids}
            ).scalar()
            figures = out.setdefault(job.worker_name or "?", [0.0, 0, 0, 0, {}])
            for phase, seconds in (job.return_value() or (None, None, {}))[2].items():
                figures[4][phase] = figures[4].get(phase, 0.0) + seconds
            figures[0] += (job.ended_at - job.started_at).total_seconds()
            figures[1] += len(ids)
            figures[2] += tasks
            figures[3] += 1
            job.delete()
    q.delete(delete_jobs=True)  # the bench's own queue and its registries
    return {k: tuple(v) for k, v in out.items()}


if __name__ == "__main__":
    main()
