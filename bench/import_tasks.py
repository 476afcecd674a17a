"""Benchmark: import a 100,000-row tasks CSV into a fresh SQLite database (budget: < 10 s), then the same
file again (nothing changes). Usage: python bench/import_tasks.py [ROWS]

KPI_BENCH_DATABASE_URL=postgresql://…/empty_db runs it on that (empty) database instead."""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


FACTORS = ["1", '"1,5"', "2"]  # decimal commas, quoted in a comma CSV


def main(rows: int = 100_000) -> None:
    from flask_migrate import upgrade

    from app import create_app
    from app.extensions import db
    from app.models import Person, Unit
    from app.services.imports import import_file
    from app.transaction import transaction

    tmp = Path(tempfile.mkdtemp())
    url = os.environ.get("KPI_BENCH_DATABASE_URL") or f"sqlite:///{tmp / 'bench.sqlite3'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url}, serving=False)
    with app.app_context():
        from flask import current_app

        from app.extensions import init_migrate

        init_migrate(current_app._get_current_object())  # a command's app has no Flask-Migrate
        upgrade()
        ward = Unit(code="HT", name="Phường Hạc Thành", kind="phường")
        db.session.add(ward)
        db.session.add_all(Person(code=f"CB{i:04d}", full_name=f"Cán bộ {i}", unit=ward) for i in range(500))
        db.session.commit()
        rnd = random.Random(1)
        lines = ["Mã nhiệm vụ,Mã cán bộ,Kỳ,Tên nhiệm vụ,Ngày giao,Hạn hoàn thành,Ngày hoàn thành,Trạng thái,"
                 "Khối lượng giao,Hệ số quy đổi,Số lần sai sót lớn"]  # fmt: skip
        for i in range(rows):
            day = rnd.randint(1, 28)
            done = rnd.random() < 0.8
            lines.append(
                f"NV{i:07d},CB{rnd.randrange(500):04d},2026-01,Nhiệm vụ số {i},01/01/2026,{day:02d}/01/2026,"
                f"{f'{max(1, min(28, day + rnd.randint(-3, 2))):02d}/01/2026' if done else ''},"
                f"{'Hoàn thành' if done else 'Đang thực hiện'},{rnd.randint(1, 3)},{rnd.choice(FACTORS)},"
                f"{rnd.choice([0, 0, 0, 1])}"
            )
        path = tmp / "nhiem-vu.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        for label in ("first import", "same file again"):
            start = time.perf_counter()
            with transaction():  # the CLI's boundary: the commit is part of the import
                report = import_file("tasks", path)
            elapsed = time.perf_counter() - start
            assert report.ok, report.render()
            print(f"{label}: {rows} rows in {elapsed:.2f} s ({report.summary()})")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
