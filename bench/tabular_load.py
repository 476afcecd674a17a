"""Benchmark: app.tabular.load_dataset on a large tasks CSV vs a plain csv.reader loop.

    python bench/tabular_load.py DIR        # DIR from `kpi sample --people 50000 --out DIR`

The baseline converts the same fields a hand-written program would (dates, numbers, status, person
index) row by row; the ratio printed is load_dataset time / baseline time. Peak memory is the
process's max RSS after each part (run the parts in separate processes with --only to isolate them).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import resource
import sys
import time
from pathlib import Path


def _date(text: str):
    if not text:
        return None
    if "/" in text:
        d, m, y = text.split("/")
        return dt.date(int(y), int(m), int(d)).toordinal()
    return dt.date.fromisoformat(text).toordinal()


def _num(text: str, default: float) -> float:
    return float(text.replace(",", ".")) if text else default


def baseline(people: Path, tasks: Path) -> int:
    with open(people, encoding="utf-8-sig", newline="") as fh:
        rows = csv.reader(fh)
        next(rows)
        index = {r[0]: i for i, r in enumerate(rows)}
    out = []
    with open(tasks, encoding="utf-8-sig", newline="") as fh:
        rows = csv.reader(fh)
        next(rows)
        for r in rows:
            person = index[r[1]]
            deadline, finished = _date(r[5]), _date(r[6])
            status = r[7]
            given = _num(r[8], 1.0)
            done = _num(r[9], given if status == "Hoàn thành" else 0.0)
            coef = _num(r[10], 1.0)
            errors = _num(r[11], 0.0)
            delays = _num(r[12], 1.0 if finished and deadline and finished > deadline else 0.0)
            exempt = r[13].strip().lower() in ("có", "x", "1")
            out.append((person, deadline, finished, status, given, done, coef, errors, delays, exempt))
    return len(out)


def ours(people: Path, tasks: Path) -> int:
    from app.tabular import load_dataset

    return load_dataset(people, tasks).task_count


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("dir", type=Path)
    parser.add_argument("--only", choices=["baseline", "ours"])
    args = parser.parse_args()
    people, tasks = args.dir / "nguoi.csv", args.dir / "nhiem-vu.csv"
    times = {}
    for name, fn in (("baseline", baseline), ("ours", ours)):
        if args.only and args.only != name:
            continue
        start, cpu = time.perf_counter(), time.process_time()
        n = fn(people, tasks)
        wall, times[name] = time.perf_counter() - start, time.process_time() - cpu
        print(
            f"{name:9s} {n} rows: {wall:.2f} s wall, {times[name]:.2f} s CPU; peak RSS {peak_mb():.0f} MB",
            file=sys.stderr,
        )
    if len(times) == 2:
        print(f"CPU time ratio ours/baseline = {times['ours'] / times['baseline']:.2f}")


if __name__ == "__main__":
    main()
