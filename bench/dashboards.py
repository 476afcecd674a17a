"""Dashboard page times with a province-size database: `bench/assess_db.py`'s province "P" (wards of
about 40 people), the assessment of 2026-01 run and stored, its results copied to the eleven months
before it (a year of monthly revisions: 600,000 results at the default size), 1% of the levels changed
by a decision, statuses varied; and 2027-01 assessed ward by ward (one assessment per ward, 1,250
revisions of about 40 results, one ward in fifty not run), the province's view then adding up every
ward's own summary. Pages are requested through the app (test client, signed in like a
person): the province administrator (every ward, a ward opened, the JSON) and a ward's evaluator.

    nice python bench/dashboards.py --people 50000 --tasks 1000000 --db postgresql
    python bench/dashboards.py --people 600 --tasks 12000                 # quick, SQLite
    nice python bench/dashboards.py --people 50000 --tasks 1000000 --db postgresql --database kpi_dash_x --keep

The first request of each page after the months were copied fills their summaries (reported as "cold");
then every page is timed `--repeat` times (median and max), and 3 times with the dashboards' memo
emptied before each request (what a fresh process pays once). The database (`kpi_dash_bench` on
PostgreSQL, or `--database`) is dropped at the end unless `--keep`; `--reuse` times an existing one again."""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
DB_NAME = "kpi_dash_bench"
MONTHS = [f"2026-{m:02d}" for m in range(1, 13)]
USERS = {"tinh.bench": ("province_admin", "P"), "phuong.bench": ("evaluator", "U00001")}
PASSWORD = "bench-dashboards-2026"
STATUSES = ["locked", "published", "decided", "reviewed", "computed"]
WARD_MONTH = "2027-01"  # every ward runs its own assessment


def prepare(db, people: int, tasks: int) -> None:
    import sqlalchemy as sa
    from assess_db import populate
    from data import generate
    from flask_migrate import upgrade

    from app.models import AssessmentResult, Unit, User
    from app.services import assessments
    from app.services.scope import Scope

    upgrade()
    started = time.perf_counter()
    populate(generate(people=people, tasks=tasks, seed=1), db)
    print(f"data: {people} people, {tasks} tasks ({time.perf_counter() - started:.1f} s)")
    started = time.perf_counter()
    report = assessments.run("P", "2026-01", scope=Scope.everything())
    db.session.commit()
    print(f"assessment P 2026-01 stored: {len(report.rows)} results ({time.perf_counter() - started:.1f} s)")
    started = time.perf_counter()
    conn = db.session.connection()
    a_id, r_id = report.assessment.id, report.revision.id
    columns = [c.name for c in AssessmentResult.__table__.columns if c.name != "id"]
    for month in MONTHS[1:]:
        new_a = conn.execute(sa.text(
            "INSERT INTO assessments (unit_id, period, period_kind, status, current_revision, created_at, updated_at) "
            "SELECT unit_id, :p, period_kind, 'computed', 1, created_at, updated_at FROM assessments WHERE id = :a "
            "RETURNING id"), {"p": month, "a": a_id}).scalar_one()  # fmt: skip
        new_r = conn.execute(sa.text(
            "INSERT INTO assessment_revisions (assessment_id, number, reason, created_at, unchanged, digest, people, "
            "versions, changes, uncovered) SELECT :a, 1, reason, created_at, unchanged, digest, people, versions, "
            "changes, uncovered FROM assessment_revisions WHERE id = :r RETURNING id"), {"a": new_a, "r": r_id}
        ).scalar_one()  # fmt: skip
        picked = ", ".join(
            ":a" if c == "assessment_id" else ":r" if c == "revision_id" else c for c in columns
        )
        conn.execute(sa.text(f"INSERT INTO assessment_results ({', '.join(columns)}) SELECT {picked} "
                             "FROM assessment_results WHERE revision_id = :old"),
                     {"a": new_a, "r": new_r, "old": r_id})  # fmt: skip
    ward_assessments(conn, a_id, r_id, columns)
    conn.execute(sa.text("UPDATE assessment_results SET decided_level = 'Hoàn thành nhiệm vụ', decided_reason = "
                         "'bench' WHERE id % 100 = 0"))  # fmt: skip
    for i, month in enumerate(MONTHS):  # (WARD_MONTH keeps its statuses per ward)
        conn.execute(sa.text("UPDATE assessments SET status = :s WHERE period = :p"),
                     {"s": STATUSES[min(i // 3, len(STATUSES) - 1)] if month != "2026-01" else "decided",
                      "p": month})  # fmt: skip
    from werkzeug.security import generate_password_hash

    for name, (role, unit) in USERS.items():
        unit_id = db.session.scalar(sa.select(Unit.id).where(Unit.code == unit))
        db.session.add(User(username=name, role=role, unit_id=unit_id, full_name=name, active=True,
                            password_hash=generate_password_hash(PASSWORD)))  # fmt: skip
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("ANALYZE")
    db.session.commit()
    print(f"eleven months copied, decisions and users ({time.perf_counter() - started:.1f} s)")


def ward_assessments(conn, a_id: int, r_id: int, columns: list[str]) -> None:
    """WARD_MONTH: one assessment per ward (statuses varied, one ward in fifty without any), each with one
    revision holding the ward's results copied from the province's 2026-01 revision."""
    import sqlalchemy as sa

    conn.execute(sa.text(
        "INSERT INTO assessments (unit_id, period, period_kind, status, current_revision, created_at, updated_at) "
        "SELECT u.id, :p, a.period_kind, (ARRAY['locked','published','decided','reviewed','computed'])[u.id % 5 + 1], "
        "1, a.created_at, a.updated_at FROM units u, assessments a WHERE a.id = :a AND u.parent_id = a.unit_id "
        "AND u.id % 50 <> 0") if conn.dialect.name == "postgresql" else sa.text(
        "INSERT INTO assessments (unit_id, period, period_kind, status, current_revision, created_at, updated_at) "
        "SELECT u.id, :p, a.period_kind, CASE u.id % 5 WHEN 0 THEN 'locked' WHEN 1 THEN 'published' WHEN 2 THEN "
        "'decided' WHEN 3 THEN 'reviewed' ELSE 'computed' END, 1, a.created_at, a.updated_at FROM units u, "
        "assessments a WHERE a.id = :a AND u.parent_id = a.unit_id AND u.id % 50 <> 0"), {"p": WARD_MONTH, "a": a_id})  # fmt: skip
    conn.execute(sa.text(
        "INSERT INTO assessment_revisions (assessment_id, number, reason, created_at, unchanged, digest, people, "
        "versions, changes, uncovered) SELECT a.id, 1, r.reason, r.created_at, r.unchanged, r.digest, "
        "(SELECT count(*) FROM assessment_results x WHERE x.revision_id = r.id AND x.unit_id = a.unit_id), "
        "r.versions, r.changes, r.uncovered FROM assessments a, assessment_revisions r WHERE a.period = :p AND r.id = :r"),
        {"p": WARD_MONTH, "r": r_id})  # fmt: skip
    picked = ", ".join(
        "a.id" if c == "assessment_id" else "r.id" if c == "revision_id" else f"x.{c}" for c in columns
    )
    conn.execute(sa.text(
        f"INSERT INTO assessment_results ({', '.join(columns)}) SELECT {picked} FROM assessment_results x "
        "JOIN assessments a ON a.unit_id = x.unit_id AND a.period = :p "
        "JOIN assessment_revisions r ON r.assessment_id = a.id WHERE x.revision_id = :old"),
        {"p": WARD_MONTH, "old": r_id})  # fmt: skip


def fill_summaries(db) -> None:
    """The copies have no summary (the run writes one for the revision it stores): what a revision
    stored before the summaries existed costs the first dashboard that reads it, timed here."""
    import sqlalchemy as sa

    from app.services.assessments import summaries

    found = list(db.session.execute(sa.text(
        "SELECT r.id, a.unit_id, r.people FROM assessment_revisions r JOIN assessments a ON a.id = r.assessment_id "
        "WHERE NOT EXISTS (SELECT 1 FROM assessment_summaries s WHERE s.revision_id = r.id)")))  # fmt: skip
    revisions, people = {r[0]: r[1] for r in found}, max((r[2] for r in found), default=0)
    took = []
    for rid, root in sorted(revisions.items()):
        started = time.perf_counter()
        summaries.ensure({rid: root})
        took.append(time.perf_counter() - started)
    db.session.commit()
    if took:
        print(f"summary of a stored revision ({people} results) read and written: median "
              f"{statistics.median(took):.2f} s, max {max(took):.2f} s over {len(took)} revisions")  # fmt: skip


def signed_in(application, username: str):
    client = application.test_client()
    page = client.get("/dang-nhap").text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    reply = client.post("/dang-nhap", data={"csrf_token": token, "username": username, "password": PASSWORD})
    assert reply.status_code == 302, reply.text[:300]
    return client


def timed(client, url: str, forget: bool = False) -> tuple[float, float]:
    """(wall s, CPU s of this process: the app's own work, without the database server's); `forget`:
    the dashboards' memo of immutable summaries and decisions emptied first."""
    if forget:
        from app.services.assessments import dash_queries

        dash_queries.forget()
    started, cpu = time.perf_counter(), time.process_time()
    reply = client.get(url)
    elapsed = time.perf_counter() - started, time.process_time() - cpu
    assert reply.status_code == 200, (url, reply.status_code, reply.text[:300])
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=600)
    parser.add_argument("--tasks", type=int, default=12000)
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--database", default=DB_NAME, help="the PostgreSQL database's name")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database")
    parser.add_argument("--reuse", action="store_true", help="time the kept PostgreSQL database again")
    args = parser.parse_args()
    import sqlalchemy as sa

    from app import create_app
    from app.extensions import db

    admin = None
    if args.db == "sqlite":
        url = f"sqlite:///{Path(tempfile.mkdtemp(prefix='kpi-dash-bench-')) / 'kpi.sqlite3'}"
    else:
        admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        if not args.reuse:
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)'))
                conn.execute(sa.text(f'CREATE DATABASE "{args.database}"'))
        url = PG_ADMIN.rsplit("/", 1)[0] + "/" + args.database
    application = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench-dashboards-secret-key-0123456789"}
    )
    try:
        with application.app_context():
            if not args.reuse:
                prepare(db, args.people, args.tasks)
            fill_summaries(db)
        pages = {
            "tinh.bench": [("province, every ward, 2026-01", "/admin/bang-dieu-khien/?ky=2026-01"),
                           ("province, last page of wards", "/admin/bang-dieu-khien/?ky=2026-01&trang=9999"),
                           ("province, 2026-12 (trend of 12 revisions)", "/admin/bang-dieu-khien/?ky=2026-12"),
                           ("province, one ward opened", "/admin/bang-dieu-khien/?ky=2026-01&don_vi=U00002"),
                           ("province, JSON", "/admin/bang-dieu-khien/api/du-lieu?ky=2026-01"),
                           (f"province, {WARD_MONTH}: every ward assessed alone", f"/admin/bang-dieu-khien/?ky={WARD_MONTH}"),
                           (f"province, {WARD_MONTH}: last page", f"/admin/bang-dieu-khien/?ky={WARD_MONTH}&trang=9999"),
                           (f"province, {WARD_MONTH}: JSON", f"/admin/bang-dieu-khien/api/du-lieu?ky={WARD_MONTH}"),
                           ("province, default period", "/admin/bang-dieu-khien/")],
            "phuong.bench": [("ward evaluator, own ward", "/admin/bang-dieu-khien/?ky=2026-01"),
                             (f"ward evaluator, {WARD_MONTH} (own assessment)", f"/admin/bang-dieu-khien/?ky={WARD_MONTH}")],
        }  # fmt: skip
        print(f"load average before timing: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        for user, items in pages.items():
            client = signed_in(application, user)
            for name, url in items:
                cold = timed(client, url)[0]
                times = [timed(client, url) for _ in range(args.repeat)]
                wall, cpu = [t[0] for t in times], [t[1] for t in times]
                bare = [timed(client, url, forget=True) for _ in range(3)]  # nothing kept from before
                print(f"{name:45s} first {cold * 1000:7.1f} ms   median {statistics.median(wall) * 1000:6.1f} ms"
                      f"   min {min(wall) * 1000:6.1f}   max {max(wall) * 1000:6.1f}"
                      f"   CPU median {statistics.median(cpu) * 1000:6.1f} ms   memo emptied: wall "
                      f"{statistics.median(t[0] for t in bare) * 1000:6.1f} CPU "
                      f"{statistics.median(t[1] for t in bare) * 1000:6.1f} ms   load {os.getloadavg()[0]:.2f}")  # fmt: skip
        print(f"load average after timing: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        with application.app_context():
            db.engine.dispose()
    finally:
        if admin is not None and not args.keep:
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)'))


if __name__ == "__main__":
    main()
