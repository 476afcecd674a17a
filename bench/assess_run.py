"""Assessment end to end on a database: `kpi assess run` (load, evaluate, quota, store, snapshots) vs
`kpi eval` of the same data as CSV files, plus a second (unchanged) run and explanation times.

    python bench/assess_run.py --people 60 --tasks 3600                     # a ward, SQLite
    nice python bench/assess_run.py --people 50000 --tasks 1000000 --db postgresql   # a province
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def _timed(args: list[str], env: dict) -> tuple[float, float, float, str]:
    """(wall s, CPU s of the child, peak RSS MB, stderr): CPU time is what a busy shared machine
    distorts least. The load average (1 min) before and after is printed: no figure without it."""
    load = os.getloadavg()[0]
    start = time.perf_counter()
    before = os.times()
    proc = subprocess.run(["/usr/bin/time", "-f", "%M", *args], capture_output=True, text=True, env=env)
    after = os.times()
    wall = time.perf_counter() - start
    if proc.returncode:
        sys.exit(f"failed: {' '.join(args)}\n{proc.stdout[-1000:]}\n{proc.stderr[-2000:]}")
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    print(
        f"    ({Path(args[0]).name} {args[1]}: load average {load:.1f} before, {os.getloadavg()[0]:.1f} after)"
    )
    return wall, cpu, int(proc.stderr.strip().splitlines()[-1]) / 1024, proc.stderr


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=60)
    parser.add_argument("--tasks", type=int, default=3600)
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--explain", type=int, default=20, help="explanations timed")
    parser.add_argument("--url", help="a PostgreSQL database populated earlier with the same sizes (reused: "
                                      "its assessments are truncated first)")  # fmt: skip
    args = parser.parse_args()
    import sqlalchemy as sa
    from assess_db import explain_times, populate
    from data import generate, write_csv
    from flask_migrate import upgrade

    from app import create_app
    from app.extensions import db

    work = Path(tempfile.mkdtemp(prefix="kpi-assess-bench-"))
    if args.url:
        url, admin = args.url, None
    elif args.db == "sqlite":
        url = f"sqlite:///{work / 'kpi.sqlite3'}"
        admin = None
    else:
        name = f"kpi_bench_{secrets.token_hex(4)}"
        admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        url = PG_ADMIN.rsplit("/", 1)[0] + "/" + name
    try:
        data = generate(people=args.people, tasks=args.tasks, seed=1)
        files = write_csv(data, work)
        application = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"}, serving=False)
        with application.app_context():
            started = time.perf_counter()
            if args.url:
                db.session.execute(
                    sa.text(
                        "TRUNCATE assessment_results, assessment_snapshots, assessment_revisions, "
                        "assessment_pins, assessment_jobs, assessment_locks, assessments CASCADE"
                    )
                )
                db.session.commit()
            else:
                from flask import current_app

                from app.extensions import init_migrate

                init_migrate(current_app._get_current_object())  # a command's app has no Flask-Migrate
                upgrade()
                populate(data, db)
            print(
                f"data: {args.people} people, {args.tasks} tasks in {args.db} ({time.perf_counter() - started:.1f} s)"
            )
        env = {**os.environ, "DATABASE_URL": url.replace("+psycopg", "")}
        kpi = str(Path(sys.executable).parent / "kpi")
        rules = str(ROOT / "rulesets/quoc-gia/nd-335-2025.kpi")
        eval_wall, eval_cpu, eval_rss, _ = _timed([kpi, "eval", rules, "--people", str(files["people"]), "--tasks",
                                         str(files["tasks"]), "--inputs", str(files["inputs"]), "--format", "json",
                                         "--output", str(work / "eval.json")], env)  # fmt: skip
        run_wall, run_cpu, run_rss, err = _timed([kpi, "assess", "run", "P", "2026-01", "--quiet"], env)
        split = next((line for line in err.splitlines() if "thời gian" in line), "").strip()
        again_wall, again_cpu, _, err2 = _timed([kpi, "assess", "run", "P", "2026-01", "--quiet"], env)
        split2 = next((line for line in err2.splitlines() if "thời gian" in line), "").strip()
        print(
            f"kpi eval (CSV -> JSON)           {eval_wall:6.2f} s wall {eval_cpu:6.2f} s CPU, peak RSS {eval_rss:5.0f} MB"
        )
        print(
            f"kpi assess run (stored)          {run_wall:6.2f} s wall {run_cpu:6.2f} s CPU, peak RSS {run_rss:5.0f} MB"
        )
        print(f"    split: {split}")
        print(f"kpi assess run again (unchanged) {again_wall:6.2f} s wall {again_cpu:6.2f} s CPU")
        print(f"    split: {split2}")
        print(f"ratio assess/eval: wall {run_wall / eval_wall:.2f}, CPU {run_cpu / eval_cpu:.2f}")
        with application.app_context():
            codes = random.Random(1).sample(
                [p.code for p in data.dataset.people], min(args.explain, args.people)
            )
            explain_times("P", "2026-01", codes[:1])  # the first one compiles the version
            times = explain_times("P", "2026-01", codes)
            print(f"explanations ({len(times)} people, re-derived from the snapshot): median "
                  f"{statistics.median(times) * 1000:.1f} ms, max {max(times) * 1000:.1f} ms")  # fmt: skip
            db.engine.dispose()
    finally:
        shutil.rmtree(work, ignore_errors=True)  # the CSV files (about 110 MB for a province)
        if admin is not None:
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


if __name__ == "__main__":
    main()
