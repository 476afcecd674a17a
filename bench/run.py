"""Benchmarks of issue 2 "Performance" (design.md "Performance budgets"); never run by the tests.

    python bench/run.py [--sizes 100000 1000000] [--tasks-per-person 20] [--repeat 3] [--skip-csv] [--dir bench/out]

(a) the engine evaluating the national ruleset in memory vs the hand-written loop (bench/baseline.py),
    both in this process; target: engine time <= 0.33 x baseline;
(b) `kpi eval` end to end on the 1,000,000-row tasks CSV (a subprocess: wall time, peak RSS of the
    child) vs the baseline reading the same CSV here; target <= 1.5 x, peak memory < 2 GB;
(c) `kpi check` of the national ruleset in a cold process; target < 0.5 s.
It also checks on the bench data that the engine's results equal the baseline's: levels for all,
scores after rounding except float-boundary cases, which are listed with their exact value.
"""

from __future__ import annotations

import argparse
import gc
import resource
import statistics
import subprocess
import sys
import time
from fractions import Fraction
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import baseline  # noqa: E402
import data as bench_data  # noqa: E402

from dsl.engine.program import compile_ruleset  # noqa: E402
from dsl.pipeline import check_source  # noqa: E402

RULESET = ROOT / "rulesets/quoc-gia/nd-335-2025.kpi"
KPI = Path(sys.executable).parent / "kpi"


def program():
    checked = check_source(RULESET.read_text(encoding="utf-8"), str(RULESET))
    return compile_ruleset(checked.ruleset, checked.sha256)


def without_gc(fn, *args):
    paused = gc.isenabled()
    gc.disable()
    try:
        return fn(*args)
    finally:
        if paused:
            gc.enable()


def best_of(fn, repeat: int) -> tuple[float, object]:
    times, got = [], None
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        got = fn()
        times.append(time.perf_counter() - start)
    return min(times), got


def compare(result, rows) -> dict:
    """Levels must be equal for all; scores after rounding, except float boundaries (listed)."""
    by_code = {r[0]: r for r in rows}
    level_diff, score_diff = [], []
    for p in result.results:
        code, _unit, _crit, score, before, level, _vetoed = by_code[p.person]
        if p.level != level or p.level_before_quota != before:
            level_diff.append((p.person, p.level, level))
        if Fraction(p.score) != Fraction(repr(score)):
            score_diff.append((p.person, p.score, score))
    return {"level": level_diff, "score": score_diff}


def part_a(prog, tasks: int, people: int, repeat: int) -> dict:
    bench = bench_data.generate(people=people, tasks=tasks, seed=1)
    ds = bench.dataset
    b_people, b_tasks, b_inputs = baseline.people_of(ds), baseline.tasks_of(ds), baseline.inputs_of(ds)
    # the yardstick starts from the same Dataset (its columns to Python lists, the inputs read) ...
    t_base, rows = best_of(lambda: baseline.compute_dataset(ds), repeat)
    # ... and, for reference, from tuples prepared beforehand (the loop alone)
    t_loop, _ = best_of(lambda: baseline.compute(b_people, b_tasks, b_inputs), repeat)
    # the engine as `kpi eval` runs it: the CLI pauses the cyclic GC for the command
    t_eng, result = best_of(lambda: without_gc(prog.evaluate, ds), repeat)
    stats = dict(result.stats)
    diff = compare(result, rows)
    out = {
        "tasks": tasks, "people": people, "baseline": t_base, "loop": t_loop, "engine": t_eng,
        "stats": stats, "diff": diff,
    }  # fmt: skip
    if tasks <= 200_000:  # the per-person exact interpreter, for reference (and exactness)
        t_exact, exact = best_of(lambda: prog.run(ds).result, 1)
        out["exact"] = t_exact
        out["exact_equal"] = _same(exact, result, prog.rounding.digits)
    return out


def _same(a, b, digits: int) -> bool:
    from dsl.engine.values import round_to

    def key(p):
        crit = {k: round_to(v, digits) for k, v in p.criteria.items()}
        outs = {k: round_to(v, digits) if isinstance(v, Fraction | int) else v for k, v in p.outputs.items()}
        return (p.person, crit, p.score, p.level, p.level_before_quota, p.vetoes, outs, p.not_rated)

    return [key(p) for p in a.results] == [key(p) for p in b.results]


def part_b(out_dir: Path, tasks: int, people: int, repeat: int = 3) -> dict:
    out_dir = out_dir / f"{tasks}-{people}"  # one directory per size: a marker never names other files
    out_dir.mkdir(parents=True, exist_ok=True)
    marker = out_dir / "ready"
    paths = {
        "people": out_dir / "nguoi.csv",
        "tasks": out_dir / "nhiem-vu.csv",
        "inputs": out_dir / "dau-vao.csv",
    }
    if not marker.exists():  # in a child process: this one stays small for the measurement below
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "bench/data.py"),
                str(out_dir),
                "--people",
                str(people),
                "--tasks",
                str(tasks),
            ],
            check=True,
        )
        marker.write_text("ok")
    t_base, rows = best_of(
        lambda: baseline.from_csv(
            paths["people"], paths["tasks"], paths["inputs"], out_dir / "baseline-out.csv"
        ),
        repeat,
    )
    cmd = [
        str(KPI), "eval", str(RULESET), "--people", str(paths["people"]), "--tasks", str(paths["tasks"]),
        "--inputs", str(paths["inputs"]), "--format", "csv", "--output", str(out_dir / "kpi-out.csv"),
    ]  # fmt: skip
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        done = subprocess.run(cmd, capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        if done.returncode != 0:
            raise SystemExit(f"kpi eval failed ({done.returncode}): {done.stderr[-2000:]}")
    t_kpi = min(times)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"baseline": t_base, "kpi": t_kpi, "kpi_all": times, "peak_mb": peak, "rows": len(rows)}


def part_c(repeat: int = 5) -> dict:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        done = subprocess.run([str(KPI), "check", str(RULESET)], capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        if done.returncode != 0:
            raise SystemExit(f"kpi check failed: {done.stdout}{done.stderr}")
    return {"best": min(times), "median": statistics.median(times)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument("--tasks-per-person", type=int, default=20)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--skip-csv", action="store_true")
    ap.add_argument("--dir", type=Path, default=ROOT / "bench" / "out")
    args = ap.parse_args()
    prog = program()
    if not args.skip_csv:  # first, while this process is small (a forked child starts with its RSS)
        tasks = max(args.sizes)
        r = part_b(args.dir, tasks, tasks // args.tasks_per_person, min(args.repeat, 3))
        print(
            f"(b) kpi eval on a {tasks:,}-row tasks CSV: best {r['kpi']:.2f} s wall"
            f" (runs {', '.join(f'{t:.2f}' for t in r['kpi_all'])}; child peak RSS {r['peak_mb']:.0f} MB)"
            f" vs baseline reading the CSV {r['baseline']:.2f} s: ratio {r['kpi'] / r['baseline']:.2f}"
            " (target <= 1.5, < 2048 MB)"
        )
    print("(a) national ruleset in memory: engine vs hand-written loop (best of", args.repeat, ")")
    for tasks in args.sizes:
        people = tasks // args.tasks_per_person
        r = part_a(prog, tasks, people, args.repeat)
        ratio = r["engine"] / r["baseline"]
        print(
            f"  {tasks:>9,} tasks / {people:,} people: baseline {r['baseline']:.3f} s, engine {r['engine']:.3f} s,"
            f" ratio {ratio:.2f} (target <= 0.33); vs the loop alone ({r['loop']:.3f} s):"
            f" {r['engine'] / r['loop']:.2f}; vector stats {r['stats']}"
        )
        if "exact" in r:
            print(
                f"    exact per-person interpreter {r['exact']:.2f} s; identical to the engine: {r['exact_equal']}"
            )
        d = r["diff"]
        print(f"    vs baseline: {len(d['level'])} level differences, {len(d['score'])} score differences")
        for person, ours, theirs in d["score"][:10]:
            print(f"      {person}: exact {ours} (= {float(ours)!r}), float loop {theirs!r}")
        for person, ours, theirs in d["level"][:10]:
            print(f"      level {person}: engine {ours!r}, float loop {theirs!r}")
    c = part_c()
    print(f"(c) kpi check, cold process: best {c['best']:.3f} s, median {c['median']:.3f} s (target < 0.5 s)")


if __name__ == "__main__":
    main()
