"""Admin list pages with many tasks in the database (design.md: any admin list page < 300 ms with
1,000,000 tasks); never run by the tests.

    python bench/admin_lists.py [--tasks 1000000] [--database-url URL] [--repeat 5]

Builds (or reuses) a database with the demo data plus `--tasks` generated tasks spread over the demo
people and 12 periods, then requests the list pages as a ward administrator through the Flask test
client and prints the best and median time of each, and the ratio to the 300 ms budget."""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BUDGET = 0.300
PAGES = (
    "/admin/nhiem-vu/",
    "/admin/nhiem-vu/?flt0_0=2026-07",
    "/admin/nhiem-vu/?flt1_1=Hủy",
    "/admin/nhiem-vu/?flt3_3=B-0500000",
    "/admin/nhiem-vu/?sort=0&desc=1",
    "/admin/can-bo/",
    "/admin/can-bo/?search=Nguyễn",
    "/admin/dau-vao/",
    "/admin/don-vi/",
    "/admin/bo-quy-tac/",
)


def fill(app, count: int) -> None:
    from app.extensions import db
    from app.models import Person, Task

    with app.app_context():
        have = db.session.scalar(db.select(db.func.count(Task.id)).where(Task.source_system == "bench"))
        if have >= count:
            return
        people = db.session.execute(db.select(Person.id, Person.unit_id)).all()
        statuses = ("Hoàn thành", "Hoàn thành", "Hoàn thành", "Đang thực hiện", "Hủy")
        table = Task.__table__
        batch = []
        for i in range(have, count):
            person = people[i % len(people)]
            month = 1 + (i // len(people)) % 12
            batch.append({
                "source_system": "bench", "external_id": f"B-{i:07d}", "person_id": person.id,
                "unit_id": person.unit_id, "period": f"2026-{month:02d}", "title": f"Nhiệm vụ {i}",
                "status": statuses[i % len(statuses)], "quantity_assigned": 1, "quantity_completed": 1,
                "conversion_factor": 1, "major_errors": 0, "delays": 0, "exempt": False,
                "exempt_reason": "", "exempt_confirmed_by": "", "evidence": "", "extra": {},
            })  # fmt: skip
            if len(batch) == 20000:
                db.session.execute(table.insert(), batch)
                batch.clear()
        if batch:
            db.session.execute(table.insert(), batch)
        db.session.commit()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=1_000_000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{Path(tempfile.gettempdir()) / 'kpi-bench-admin.sqlite3'}"

    from flask_migrate import upgrade

    from app import create_app
    from app.extensions import db
    from app.services.demo import run_demo

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        run_demo()
        db.session.commit()
    started = time.perf_counter()
    fill(app, args.tasks)
    print(
        f"database {url.split('@')[-1]}: {args.tasks:,} bench tasks ready ({time.perf_counter() - started:.0f} s)"
    )
    for username, password in (
        ("tinh.quantri", "demo-tinh-2026"),
        ("hacthanh.quantri", "demo-hacthanh-2026"),
    ):
        measure(app, username, password, args.repeat)


def measure(app, username: str, password: str, repeat: int) -> None:
    client = app.test_client()
    page = client.get("/dang-nhap").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    client.post("/dang-nhap", data={"csrf_token": token, "username": username, "password": password})
    print(f"{username:<40} {'best':>8} {'median':>8} {'/budget':>8}")
    for path in PAGES:
        times = []
        for _ in range(repeat):
            t = time.perf_counter()
            response = client.get(path)
            times.append(time.perf_counter() - t)
            assert response.status_code == 200, (path, response.status_code)
        best, median = min(times), statistics.median(times)
        print(f"{path:<40} {best * 1000:>6.0f}ms {median * 1000:>6.0f}ms {median / BUDGET:>7.2f}x")


if __name__ == "__main__":
    main()
