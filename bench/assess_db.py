"""Benchmark data in a database for the assessment benchmarks: `bench/data.py`'s seeded people, tasks
and inputs written with bulk inserts (COPY on PostgreSQL), under a province "P" whose units (about 40
people each) are wards; the national ruleset published. Not timed: only the runs are.

    createdb -h 127.0.0.1 -U postgres kpi_province
    python bench/assess_db.py postgresql+psycopg://postgres@127.0.0.1:5432/kpi_province   # 50,000 / 1M
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from fractions import Fraction
from pathlib import Path

from sqlalchemy import insert

ROOT = Path(__file__).resolve().parents[1]


def _decimal(x) -> str | None:
    """Bench values have at most 15 significant digits: the float's repr is the decimal."""
    if x is None:
        return None
    x = float(x)
    return None if x != x else repr(x)


def _date(x: float):
    return None if x != x else dt.date.fromordinal(int(x))


def populate(data, db) -> None:
    """Write `data` (bench.data.BenchData) into the app's database (migrated, empty)."""
    from app.models import DutyGroup, PeriodInput, Person, Unit
    from app.services.loader import load_shipped

    ds = data.dataset
    conn = db.session.connection()
    units = sorted({p.unit for p in ds.people})
    conn.execute(insert(Unit.__table__), [{"id": 1, "code": "P", "name": "Tỉnh Thử", "kind": "tỉnh", "parent_id": None,
                                           "created_at": dt.datetime(2026, 1, 1)}])  # fmt: skip
    unit_id = {u: i + 2 for i, u in enumerate(units)}
    conn.execute(insert(Unit.__table__), [{"id": unit_id[u], "code": u, "name": f"Phường {u}", "kind": "phường",
                                           "parent_id": 1, "created_at": dt.datetime(2026, 1, 1)} for u in units])  # fmt: skip
    groups = sorted({p.duty_group for p in ds.people})
    conn.execute(insert(DutyGroup.__table__), [{"id": i + 1, "code": g, "name": g, "unit_id": None}
                                               for i, g in enumerate(groups)])  # fmt: skip
    group_id = {g: i + 1 for i, g in enumerate(groups)}
    person_id = {p.code: i + 1 for i, p in enumerate(ds.people)}
    now = dt.datetime(2026, 1, 1)
    conn.execute(insert(Person.__table__), [
        {"id": person_id[p.code], "code": p.code, "full_name": p.name or p.code, "unit_id": unit_id[p.unit],
         "position_id": None, "category": "công chức", "leadership_post": p.position, "is_leader": p.leader,
         "duty_group_id": group_id[p.duty_group], "manager_id": person_id.get(p.manager) if p.manager else None,
         "active": True, "created_at": now, "updated_at": now}
        for p in ds.people
    ])  # fmt: skip
    cols = {k: v.tolist() for k, v in ds.task_columns.items()}
    n = ds.task_count
    owner = ds.task_person.tolist()
    rows = (
        (i + 1, "bench", unit_id[ds.people[owner[i]].unit], cols["mã_nhiệm_vụ"][i], int(owner[i]) + 1,
         unit_id[ds.people[owner[i]].unit], cols["kỳ"][i],
         cols["tên_nhiệm_vụ"][i], _date(cols["ngày_giao"][i]), _date(cols["hạn_hoàn_thành"][i]),
         _date(cols["ngày_hoàn_thành"][i]), cols["trạng_thái"][i], _decimal(cols["khối_lượng_giao"][i]),
         _decimal(cols["khối_lượng_hoàn_thành"][i]), _decimal(cols["hệ_số_quy_đổi"][i]),
         int(cols["số_lần_sai_sót_lớn"][i]), int(cols["số_lần_chậm"][i]), bool(cols["miễn_trừ"][i]), "", "", "", "{}",
         now, now)
        for i in range(n)
    )  # fmt: skip
    names = ("id", "source_system", "owner_unit_id", "external_id", "person_id", "unit_id", "period", "title", "assigned_on",
             "deadline", "completed_on", "status", "quantity_assigned", "quantity_completed", "conversion_factor",
             "major_errors", "delays", "exempt", "exempt_reason", "exempt_confirmed_by", "evidence", "extra",
             "created_at", "updated_at")  # fmt: skip
    if conn.dialect.name == "postgresql":
        raw = conn.connection.driver_connection
        with raw.cursor() as cur, cur.copy(f"COPY tasks ({', '.join(names)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        conn.exec_driver_sql(f"INSERT INTO tasks ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
                             [tuple(str(v) if isinstance(v, dt.date) else v for v in r) for r in rows])  # fmt: skip
    inputs = []
    for p in ds.people:
        bag = dict(ds.inputs.get(p.code, {}))
        score = bag.pop("điểm_tiêu_chí_chung", None)
        discipline = bag.pop("kỷ_luật", "")
        values = {
            k: (int(v) if isinstance(v, Fraction) and v.denominator == 1 else v) for k, v in bag.items()
        }
        inputs.append({"person_id": person_id[p.code], "period": ds.period, "general_score": _decimal(score),
                       "discipline": discipline, "values": values, "created_at": now, "updated_at": now})  # fmt: skip
    conn.execute(insert(PeriodInput.__table__), inputs)
    if conn.dialect.name == "postgresql":
        for table in ("units", "people", "tasks", "duty_groups"):
            conn.exec_driver_sql(f"SELECT setval('{table}_id_seq', (SELECT max(id) FROM {table}))")
        conn.exec_driver_sql("ANALYZE")
    db.session.commit()
    folder = Path(tempfile.mkdtemp())
    (folder / "quoc-gia").mkdir()
    shutil.copy(ROOT / "rulesets/quoc-gia/nd-335-2025.kpi", folder / "quoc-gia")
    load_shipped(folder)
    db.session.commit()
    shutil.rmtree(folder)


def explain_times(unit: str, period: str, codes: list[str]) -> list[float]:
    import time

    from app.services import assessments
    from app.services.scope import Scope

    scope = Scope.everything()
    a = assessments.get(unit, period, scope=scope)
    out = []
    for code in codes:
        start = time.perf_counter()
        e = assessments.explain(a, code, scope=scope)
        out.append(time.perf_counter() - start)
        assert e.matches, code
    return out


def main() -> None:
    """`python bench/assess_db.py URL [--people N] [--tasks N]`: migrate the (empty) database at URL and
    fill it, for `assess_run.py --url`, `assess_workers.py --url` and `provisional.py --existing`."""
    import argparse
    import sys

    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    from data import generate
    from flask_migrate import upgrade

    from app import create_app
    from app.extensions import db

    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--tasks", type=int, default=1_000_000)
    args = parser.parse_args()
    with create_app(
        {"SQLALCHEMY_DATABASE_URI": args.url, "SECRET_KEY": "bench-fill-database"}, serving=False
    ).app_context():
        from flask import current_app

        from app.extensions import init_migrate

        init_migrate(current_app._get_current_object())  # a command's app has no Flask-Migrate
        upgrade()
        populate(generate(people=args.people, tasks=args.tasks, seed=1), db)
        db.engine.dispose()


if __name__ == "__main__":
    main()
