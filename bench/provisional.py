"""Benchmark: provisional scores in real time (design.md: re-evaluate one person after a task changes
< 5 ms), through the service the imports call, on a ward stored in a database.

    python bench/provisional.py [--people 60] [--tasks 60] [--repeat 100] [--database-url URL]
    python bench/provisional.py --existing postgresql+psycopg://…/db [--repeat 20]   # a province

`--existing`: a database filled by `python bench/assess_db.py URL` (a province): times the refresh of
20 random non-leaders and 5 leaders there (nothing is committed).

Builds a ward in a fresh SQLite file (or the given empty database, which keeps the ward): the national
ruleset, one leader managing everyone, `--tasks` tasks per person and general scores, imported with
the import services. Then times `provisional.refresh` (the person with their inputs, stored row and
the version's cache key in one statement, their tasks, evaluate, upsert, flush) for one non-leader
whose level does not change, for the leader (who reads the 59 subordinates' stored results, read with
the leader's row; their engine states cached by content), the same with that cache emptied before each
refresh, and for a non-leader whose level changed followed by the leader above; each refresh in its own transaction,
committed outside the timing (as the write that triggers it commits). Prints the median and the best
of 5 rounds and the CPU time of this process per refresh, the ratio to the 5 ms budget and the load
average, beside the dsl engine alone on the same person timed interleaved.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BUDGET_MS = 5.0


def _ward(tmp: Path, people: int, tasks: int) -> dict[str, Path]:
    rows = ["Mã cán bộ,Họ và tên,Đơn vị,Lãnh đạo,Người quản lý,Nhóm nhiệm vụ"]
    rows += ["CB0000,Người 0,HT,có,,Lãnh đạo"]
    rows += [f"CB{i:04d},Người {i},HT,không,CB0000,Chuyên viên" for i in range(1, people)]
    task_rows = [
        "Mã nhiệm vụ,Mã cán bộ,Kỳ,Trạng thái,Khối lượng giao,Hệ số quy đổi,Số lần sai sót lớn,Số lần chậm"
    ]
    for i in range(people):
        for j in range(tasks):
            done = "Hoàn thành" if (i + j) % 10 else "Đang thực hiện"
            task_rows.append(
                f"T{i}-{j},CB{i:04d},2026-01,{done},1,{(1, 1.5, 2.5)[j % 3]},{int(j % 20 == 0)},{int(j % 10 == 3)}"
            )
    inputs = ["Mã cán bộ,Kỳ,Điểm tiêu chí chung"] + [f"CB{i:04d},2026-01,{25 + i % 6}" for i in range(people)]
    files = {"people": "\n".join(rows), "tasks": "\n".join(task_rows), "inputs": "\n".join(inputs)}
    out = {}
    for kind, text in files.items():
        out[kind] = tmp / f"{kind}.csv"
        out[kind].write_text(text + "\n", encoding="utf-8")
    return out


def _engine_alone(args):
    """A callable: the exact engine re-evaluating one person of an in-memory ward of the same size
    (`bench/engine_person.py`'s), timed interleaved with the service so that both see the same load."""
    sys.path.insert(0, str(ROOT / "bench"))
    from engine_person import ward

    from dsl.engine.program import compile_ruleset
    from dsl.pipeline import check_source

    path = ROOT / "rulesets/quoc-gia/nd-335-2025.kpi"
    checked = check_source(path.read_text(encoding="utf-8"), str(path))
    program = compile_ruleset(checked.ruleset, checked.sha256)
    data = ward(args.people, args.tasks)
    return lambda: program.evaluate(data, only={"CB0001"})


ROUNDS = 5


class Figures:
    def __init__(self, rounds: list[float], cpu: float, engine: float):
        self.median, self.best, self.cpu, self.engine = statistics.median(rounds), min(rounds), cpu, engine
        self.load = os.getloadavg()[0]

    def text(self, people: int = 1) -> str:
        """The figures and their ratio to the budget of `people` people."""
        budget = BUDGET_MS * people
        per = " per person" if people > 1 else ""
        return (f"{self.median:.2f} / {self.best:.2f} / {self.cpu:.2f} ms = {self.median / budget:.2f} × the "
                f"budget{per} (median; best {self.best / budget:.2f} ×; load average {self.load:.1f})")  # fmt: skip


def measure(run, repeat: int, yardstick, prepare=None) -> Figures:
    """`run` `repeat` times in ROUNDS rounds (after one warm-up call), each call followed by one call of
    `yardstick` timed apart (so that both see the same load); `prepare` runs before each call, untimed."""
    if prepare:
        prepare()
    run()
    yardstick()
    per_round = max(1, repeat // ROUNDS)
    rounds, engine, cpu = [], [], 0.0
    for _ in range(ROUNDS):
        wall = other = 0.0
        for _ in range(per_round):
            if prepare:
                prepare()
            start, cpu_start = time.perf_counter(), time.process_time()
            run()
            middle, cpu_middle = time.perf_counter(), time.process_time()
            yardstick()
            wall += middle - start
            cpu += cpu_middle - cpu_start
            other += time.perf_counter() - middle
        rounds.append(wall / per_round * 1000)
        engine.append(other / per_round * 1000)
    return Figures(rounds, cpu / (per_round * ROUNDS) * 1000, statistics.median(engine))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=60)
    ap.add_argument("--tasks", type=int, default=60)
    ap.add_argument("--repeat", type=int, default=100)
    ap.add_argument("--database-url")
    ap.add_argument("--existing", help="time people of this populated database instead of building a ward")
    args = ap.parse_args()
    if args.existing:
        return existing(args.existing, args.repeat)
    tmp = Path(tempfile.mkdtemp(prefix="kpi-bench-"))
    url = args.database_url or f"sqlite:///{tmp / 'kpi.sqlite3'}"
    from flask_migrate import upgrade

    from app import create_app

    application = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "TESTING": True, "SECRET_KEY": "bench"}, serving=False
    )
    with application.app_context():
        from flask import current_app

        from app.extensions import db, init_migrate
        from app.models import Person, Unit
        from app.services.assessments import provisional
        from app.services.imports import import_file
        from app.services.loader import load_shipped

        init_migrate(current_app._get_current_object())  # a command's app has no Flask-Migrate
        upgrade()
        province = Unit(code="TH", name="Tỉnh Thanh Hóa", kind="tỉnh")
        db.session.add_all(
            [province, Unit(code="HT", name="Phường Hạc Thành", kind="phường", parent=province)]
        )
        db.session.commit()
        national = tmp / "rules" / "quoc-gia"
        national.mkdir(parents=True)
        shutil.copy(ROOT / "rulesets/quoc-gia/nd-335-2025.kpi", national)
        load_shipped(tmp / "rules")
        db.session.commit()
        files = _ward(tmp, args.people, args.tasks)
        started = time.perf_counter()
        for kind in ("people", "tasks", "inputs"):
            report = import_file(kind, str(files[kind]))
            assert report.ok, report.render()
        imported = time.perf_counter() - started
        if db.session.get_bind().dialect.name == "postgresql":
            # statistics, as autovacuum gathers them on a live database after an import: without them a
            # fresh database plans the subordinates' join as a scan of every stored row per subordinate
            db.session.commit()
            db.session.execute(db.text("ANALYZE"))
        ids = dict(db.session.execute(db.select(Person.code, Person.id)).all())

        engine_run = _engine_alone(args)

        def refresh_of(code: str):
            pair = {(ids[code], "2026-01")}

            def run() -> None:
                provisional.refresh(pair)
                db.session.flush()

            return run

        def wave_of(code: str):
            """A refresh of a non-leader whose stored level is first made to differ (outside the timing),
            so that the leader above is re-evaluated too, from the stored subordinates."""
            from app.models import ProvisionalResult

            person_id = ids[code]
            forget = (
                db.update(ProvisionalResult)
                .where(ProvisionalResult.person_id == person_id, ProvisionalResult.period == "2026-01")
                .values(level=None)
            )

            def prepare() -> None:
                db.session.commit()
                db.session.execute(forget)

            def run() -> None:
                stored = provisional.refresh({(person_id, "2026-01")})
                db.session.flush()
                assert ids["CB0000"] in stored  # the leader was re-evaluated

            return prepare, run

        start = time.perf_counter()
        provisional.refresh({(pid, "2026-01") for pid in ids.values()})
        db.session.flush()
        everyone = time.perf_counter() - start
        if os.environ.get("KPI_BENCH_PROFILE"):
            import cProfile

            who = refresh_of(os.environ.get("KPI_BENCH_WHO", "CB0001"))
            cProfile.runctx("measure(who, args.repeat, engine_run, db.session.commit)", globals(), locals(),
                            os.environ["KPI_BENCH_PROFILE"])  # fmt: skip
        # each refresh in its own transaction, committed untimed (as the write that triggers it commits):
        # PostgreSQL keeps every version of a row updated again and again in one open transaction and
        # reads slow down with each (a 100-times updated row cost 2-3 ms per statement)
        staff = measure(refresh_of("CB0001"), args.repeat, engine_run, db.session.commit)
        leader = measure(refresh_of("CB0000"), max(ROUNDS, args.repeat // 5), engine_run, db.session.commit)
        from app.services.assessments import provisional_subs

        def cold() -> None:  # as in a fresh process, or when every subordinate's row changed
            db.session.commit()
            provisional_subs.clear()

        leader_cold = measure(refresh_of("CB0000"), max(ROUNDS, args.repeat // 5), engine_run, cold)
        prepare, run = wave_of("CB0001")
        after_change = measure(run, max(ROUNDS, args.repeat // 2), engine_run, prepare)
        db.session.rollback()
    n = args.people * args.tasks
    print(f"{url.split(':')[0]}: ward of {args.people} people, {n} tasks imported (with provisional scores) "
          f"in {imported:.2f} s; everyone at once (what a bulk import of the ward's tasks adds): {everyone:.2f} s")  # fmt: skip
    print(f"(ms per refresh: median of {ROUNDS} rounds / best round / CPU time of this process; budget "
          f"{BUDGET_MS:.0f} ms per person)")  # fmt: skip
    print(f"one non-leader ({args.tasks} tasks): {staff.text()}")
    print(f"the leader (with {args.people - 1} subordinates, read from their stored provisional results): "
          f"{leader.text()}")  # fmt: skip
    print(
        f"the same leader, their subordinates' states not cached (`provisional_subs`): {leader_cold.text()}"
    )
    print(f"a non-leader whose level changed, then the leader above (two people): {after_change.text(2)}")
    print(f"yardstick, the dsl engine alone on one non-leader of the same size (bench/engine_person.py's "
          f"ward), interleaved: {staff.engine:.2f} ms median; one non-leader's refresh = "
          f"{staff.median / staff.engine:.1f} × the engine alone")  # fmt: skip
    shutil.rmtree(tmp, ignore_errors=True)


def existing(url: str, repeat: int) -> None:
    """Refresh times of random people of a populated database (rolled back)."""
    import random
    import statistics

    from app import create_app

    application = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench-existing-db"}, serving=False
    )
    with application.app_context():
        from app.extensions import db
        from app.models import Person, Task
        from app.services.assessments import provisional

        period = db.session.scalar(db.select(Task.period).limit(1))
        people = db.session.execute(db.select(Person.id, Person.is_leader)).all()
        rng = random.Random(1)
        staff = rng.sample([p.id for p in people if not p.is_leader], 20)
        leaders = rng.sample([p.id for p in people if p.is_leader], 5)
        tasks = db.session.scalar(db.select(db.func.count(Task.id)))
        for who, ids in (("non-leader", staff), ("leader", leaders)):
            per_person = []
            for pid in ids:
                provisional.refresh({(pid, period)})  # the first call resolves and compiles
                db.session.flush()
                start = time.perf_counter()
                for _ in range(repeat):
                    provisional.refresh({(pid, period)})
                    db.session.flush()
                per_person.append((time.perf_counter() - start) / repeat * 1000)
            print(f"{len(people)} people, {tasks} tasks: one {who} {statistics.median(per_person):.2f} ms median, "
                  f"{max(per_person):.2f} ms max per re-evaluation over {len(ids)} people × {repeat} "
                  f"(load average {os.getloadavg()[0]:.1f})")  # fmt: skip
        db.session.rollback()


if __name__ == "__main__":
    main()
