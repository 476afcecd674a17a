"""Benchmark: the exact engine on a ward, and real-time re-evaluation of one person.

    python bench/engine_person.py [RULESET] [--people 60] [--tasks 60] [--repeat 200]

Builds a ward in memory (every person `--tasks` tasks, one leader managing everyone), evaluates it
whole, then re-evaluates single persons with `Program.evaluate(data, only={code})` and prints the mean
time per call. Budget (design.md): re-evaluate one person after a task changes < 5 ms.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from dsl.engine.program import compile_ruleset
from dsl.pipeline import check_source
from dsl.records import Dataset, PersonRecord

ROOT = Path(__file__).resolve().parent.parent


def ward(people: int, tasks: int) -> Dataset:
    persons = [
        PersonRecord(f"CB{i:04d}", f"Người {i}", "P1", leader=i == 0, manager="" if i == 0 else "CB0000")
        for i in range(people)
    ]
    n = people * tasks
    rng = np.random.default_rng(1)
    owner = np.repeat(np.arange(people, dtype=np.int64), tasks)
    status = np.where(rng.random(n) < 0.9, "Hoàn thành", "Đang thực hiện").astype(object)
    cols = {
        "trạng_thái": status,
        "khối_lượng_giao": np.ones(n),
        "khối_lượng_hoàn_thành": np.full(n, np.nan),
        "hệ_số_quy_đổi": rng.choice([1.0, 1.5, 2.5], n),
        "số_lần_sai_sót_lớn": (rng.random(n) < 0.05).astype(float),
        "số_lần_chậm": (rng.random(n) < 0.1).astype(float),
        "miễn_trừ": np.zeros(n, dtype=bool),
    }
    inputs = {p.code: {"điểm_tiêu_chí_chung": 25 + i % 6} for i, p in enumerate(persons)}
    return Dataset(people=persons, task_person=owner, task_columns=cols, inputs=inputs)


def mean_ms(fn, repeat: int) -> float:
    fn()
    start = time.perf_counter()
    for _ in range(repeat):
        fn()
    return (time.perf_counter() - start) / repeat * 1000


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("ruleset", nargs="?", default=str(ROOT / "rulesets/quoc-gia/nd-335-2025.kpi"))
    ap.add_argument("--people", type=int, default=60)
    ap.add_argument("--tasks", type=int, default=60)
    ap.add_argument("--repeat", type=int, default=200)
    args = ap.parse_args()
    checked = check_source(Path(args.ruleset).read_text(encoding="utf-8"), args.ruleset)
    if not checked.ok:
        raise SystemExit(
            "bộ quy tắc có lỗi: " + "; ".join(d.message for d in checked.diagnostics if d.is_error)
        )
    program = compile_ruleset(checked.ruleset, checked.sha256)
    data = ward(args.people, args.tasks)
    whole = mean_ms(lambda: program.evaluate(data), max(1, args.repeat // 20))
    explained = mean_ms(lambda: program.evaluate(data, explain=True), max(1, args.repeat // 20))
    staff = mean_ms(lambda: program.evaluate(data, only={"CB0001"}), args.repeat)
    leader = mean_ms(lambda: program.evaluate(data, only={"CB0000"}), max(1, args.repeat // 10))
    earlier = program.run(data)
    reused = mean_ms(lambda: program.run(data, only={"CB0000"}, reuse=earlier), args.repeat)
    print(
        f"ward {args.people} people × {args.tasks} tasks: {whole:.1f} ms, with explanations {explained:.1f} ms"
    )
    print(f"one non-leader ({args.tasks} tasks): {staff:.2f} ms per re-evaluation")
    print(f"the leader (needs its {args.people - 1} subordinates): {leader:.2f} ms per re-evaluation")
    print(f"the leader, reusing the subordinates of an earlier run: {reused:.2f} ms per re-evaluation")


if __name__ == "__main__":
    main()
