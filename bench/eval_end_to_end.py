"""Benchmark: `kpi eval` of the national ruleset end to end vs a hand-written program.

    kpi sample --people 50000 --tasks-per-person 20 --ruleset rulesets/quoc-gia/nd-335-2025.kpi --out DIR
    python bench/eval_end_to_end.py DIR

The hand-written program reads the same three CSV files with csv.reader, computes criteria a–e, the
score, the level (with the discipline veto), the 20% quota per unit and duty group, and writes JSON:
the national numbers, in floats, with no checks. Both run as separate processes; the script prints
wall time, CPU time and peak RSS of each and the ratio kpi/hand-written.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

LEVELS = (
    "Hoàn thành xuất sắc nhiệm vụ",
    "Hoàn thành tốt nhiệm vụ",
    "Hoàn thành nhiệm vụ",
    "Không hoàn thành nhiệm vụ",
)


def _num(text: str, default: float) -> float:
    return float(text.replace(",", ".")) if text else default


def _date(text: str):
    if not text:
        return None
    d, m, y = text.split("/")
    return dt.date(int(y), int(m), int(d))


def hand_written(folder: Path, out: Path) -> None:
    people = {}
    with open(folder / "nguoi.csv", encoding="utf-8", newline="") as fh:
        rows = csv.reader(fh)
        next(rows)
        for code, _name, unit, _pos, leader, group, manager in rows:
            people[code] = (unit, leader == "có", group, manager)
    sums = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0])
    with open(folder / "nhiem-vu.csv", encoding="utf-8", newline="") as fh:
        rows = csv.reader(fh)
        next(rows)
        for r in rows:
            status = r[7]
            if status == "Hủy":
                continue
            given = _num(r[8], 1.0)
            coef = _num(r[10], 1.0)
            done = _num(r[9], given if status == "Hoàn thành" else 0.0)
            errors = _num(r[11], 0.0)
            deadline, finished = _date(r[5]), _date(r[6])
            delays = _num(r[12], 1.0 if finished and deadline and finished > deadline else 0.0)
            exempt = r[13] in ("có", "x", "1")
            got = min(done, given) * coef
            s = sums[r[1]]
            s[0] += given * coef
            s[1] += got
            s[2] += got * (1 if exempt else max(0.0, 1 - 0.25 * errors))
            s[3] += got * (1 if exempt else max(0.0, 1 - 0.25 * delays))
    inputs = {}
    with open(folder / "dau-vao.csv", encoding="utf-8", newline="") as fh:
        rows = csv.reader(fh)
        next(rows)
        for r in rows:
            inputs[r[0]] = (float(r[2]), r[3], float(r[4] or 100), float(r[5] or 100))
    subordinates = defaultdict(list)
    for code, (_u, _l, _g, manager) in people.items():
        if manager:
            subordinates[manager].append(code)
    depth = {}

    def depth_of(code):
        if code not in depth:
            manager = people[code][3]
            depth[code] = 0 if not manager else depth_of(manager) + 1
        return depth[code]

    order = sorted(people, key=lambda c: -depth_of(c))
    results = {}
    for code in order:
        unit, leader, group, _m = people[code]
        s = sums.get(code, [0.0, 0.0, 0.0, 0.0])
        crit = {k: (100 * v / s[0] if s[0] else 0.0) for k, v in zip("abc", s[1:], strict=True)}
        general, discipline, organise, unite = inputs[code]
        if leader:
            bad = any(results[c]["level"] == LEVELS[3] for c in subordinates[code])
            crit.update(d=50.0 if bad else 100.0, đ=organise, e=unite)
        score = round(general + sum(crit.values()) / len(crit) * 0.7, 2)
        level = (
            LEVELS[0]
            if score >= 90
            else LEVELS[1]
            if score >= 70
            else LEVELS[2]
            if score >= 50
            else LEVELS[3]
        )
        if discipline:
            level = LEVELS[3]
        results[code] = {"person": code, "unit": unit, "criteria": crit, "score": score, "level": level}
    groups = defaultdict(list)
    for code, r in results.items():
        groups[(r["unit"], people[code][2])].append(r)
    for members in groups.values():
        best = sorted(
            (r for r in members if r["level"] == LEVELS[0]), key=lambda r: (-r["score"], r["person"])
        )
        good = sum(1 for r in members if r["level"] == LEVELS[1])
        keep = len(best)
        while keep and keep > 0.2 * (good + len(best) - keep):
            keep -= 1
        for r in best[keep:]:
            r["level"] = LEVELS[1]
    with open(out, "w", encoding="utf-8") as fh:
        json.dump({"results": [results[c] for c in people]}, fh, ensure_ascii=False, indent=2)


def _run(args: list[str]) -> tuple[float, float, float]:
    start = time.perf_counter()
    before = os.times()
    proc = subprocess.run(["/usr/bin/time", "-f", "%M", *args], capture_output=True, text=True)
    after = os.times()
    wall = time.perf_counter() - start
    if proc.returncode:
        sys.exit(f"failed: {' '.join(args)}\n{proc.stderr[-2000:]}")
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return wall, cpu, int(proc.stderr.strip().splitlines()[-1]) / 1024


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--hand-written":
        hand_written(Path(sys.argv[2]), Path(sys.argv[3]))
        return
    folder = Path(sys.argv[1])
    root = Path(__file__).resolve().parents[1]
    kpi = [str(Path(sys.executable).parent / "kpi"), "eval", str(root / "rulesets/quoc-gia/nd-335-2025.kpi")]
    kpi += ["--people", str(folder / "nguoi.csv"), "--tasks", str(folder / "nhiem-vu.csv")]
    kpi += ["--inputs", str(folder / "dau-vao.csv"), "--format", "json", "--output", str(folder / "kpi.json")]
    hand = [sys.executable, __file__, "--hand-written", str(folder), str(folder / "hand.json")]
    hw = _run(hand)
    ours = _run(kpi)
    for name, (wall, cpu, rss) in (("hand-written", hw), ("kpi eval", ours)):
        print(f"{name:13s} {wall:6.2f} s wall {cpu:6.2f} s CPU  peak RSS {rss:6.0f} MB")
    print(f"ratio kpi/hand-written: wall {ours[0] / hw[0]:.2f}, CPU {ours[1] / hw[1]:.2f}")


if __name__ == "__main__":
    main()
