"""The yardstick: the national computation (rulesets/quoc-gia/nd-335-2025.kpi, default parameters)
as a plain hand-written Python loop on floats.

    rows = compute(people, tasks, inputs)          # in memory: lists of plain tuples
    rows = from_csv(people_csv, tasks_csv, inputs_csv, out_csv)   # csv.reader + field conversion

One pass over the tasks accumulates assigned / completed / quality / on-time converted products per
person; then criteria a, b, c (leaders also d, đ, e, subordinates first), the score rounded half-up to
2 decimals, the levels, the vetoes, and the 20% quota per unit and duty group (demote lowest first,
ties: higher code first). Floats, as a hand-written program would use: see bench/run.py for where
that differs from the exact engine.
"""

from __future__ import annotations

import csv
import datetime as dt
import math

LEVELS = (
    "Hoàn thành xuất sắc nhiệm vụ",
    "Hoàn thành tốt nhiệm vụ",
    "Hoàn thành nhiệm vụ",
    "Không hoàn thành nhiệm vụ",
)
DEDUCT_ERROR = 0.25
DEDUCT_DELAY = 0.25
QUOTA = 0.2
HEAVY = ("khiển trách", "cảnh cáo", "cách chức", "buộc thôi việc")


def tasks_of(dataset) -> list[tuple]:
    """The in-memory tasks of a dsl Dataset as plain tuples (outside the timed part)."""
    c = dataset.task_columns
    return list(
        zip(
            dataset.task_person.tolist(),
            c["trạng_thái"].tolist(),
            c["khối_lượng_giao"].tolist(),
            c["khối_lượng_hoàn_thành"].tolist(),
            c["hệ_số_quy_đổi"].tolist(),
            c["số_lần_sai_sót_lớn"].tolist(),
            c["số_lần_chậm"].tolist(),
            c["miễn_trừ"].tolist(),
            strict=True,
        )  # fmt: skip
    )


def people_of(dataset) -> list[tuple]:
    return [(p.code, p.unit, p.leader, p.duty_group, p.manager) for p in dataset.people]


def inputs_of(dataset) -> dict[str, tuple]:
    out = {}
    for code, row in dataset.inputs.items():
        out[code] = (
            float(row.get("điểm_tiêu_chí_chung", 0)),
            row.get("kỷ_luật", ""),
            bool(row.get("kết_luận_suy_thoái", False)),
            bool(row.get("đơn_vị_bị_xử_lý_tham_nhũng", False)),
            float(row.get("điểm_khả_năng_tổ_chức", 100)),
            float(row.get("điểm_năng_lực_tập_hợp", 100)),
        )
    return out


def compute_dataset(dataset) -> list[tuple]:
    """From a dsl Dataset, as a hand-written program given the same data would: columns to lists,
    inputs read, then the loop."""
    return compute(people_of(dataset), tasks_of(dataset), inputs_of(dataset))


class Sums:
    def __init__(self, n: int):
        self.giao = [0.0] * n
        self.dat = [0.0] * n
        self.quality = [0.0] * n
        self.ontime = [0.0] * n

    def add(self, i, status, given, done, coef, errors, delays, exempt) -> None:
        if status == "Hủy" or status == "Huỷ":
            return
        g = given * coef
        d = (done if done < given else given) * coef
        self.giao[i] += g
        self.dat[i] += d
        if exempt:
            self.quality[i] += d
            self.ontime[i] += d
            return
        q = 1.0 - DEDUCT_ERROR * errors
        t = 1.0 - DEDUCT_DELAY * delays
        if q > 0:
            self.quality[i] += d * q
        if t > 0:
            self.ontime[i] += d * t


def compute(people: list[tuple], tasks, inputs: dict[str, tuple]) -> list[tuple]:
    sums = Sums(len(people))
    add = sums.add
    for task in tasks:
        add(*task)
    return finish(people, sums, inputs)


def _order(people: list[tuple]) -> list[int]:
    """People ordered subordinates first (by height in the management tree)."""
    index = {p[0]: i for i, p in enumerate(people)}
    manager = [index.get(p[4], -1) if p[4] else -1 for p in people]
    height = [0] * len(people)
    changed = True
    while changed:
        changed = False
        for i, m in enumerate(manager):
            if m >= 0 and height[m] < height[i] + 1:
                height[m] = height[i] + 1
                changed = True
    return sorted(range(len(people)), key=height.__getitem__), manager


def finish(people: list[tuple], sums: Sums, inputs: dict[str, tuple]) -> list[tuple]:
    order, manager = _order(people)
    failing = [0] * len(people)  # subordinates rated Không hoàn thành (before quota)
    out: list = [None] * len(people)
    default = (0.0, "", False, False, 100.0, 100.0)
    for i in order:
        code, unit, leader, group, _m = people[i]
        general, discipline, decline, scandal, organise, rally = inputs.get(code, default)
        y = sums.giao[i]
        a = 100 * sums.dat[i] / y if y else 0.0
        b = 100 * sums.quality[i] / y if y else 0.0
        c = 100 * sums.ontime[i] / y if y else 0.0
        if leader:
            d = 100.0 if failing[i] == 0 else 50.0
            mean = (a + b + c + d + organise + rally) / 6
            crit = (a, b, c, d, organise, rally)
        else:
            mean = (a + b + c) / 3
            crit = (a, b, c)
        score = math.floor((general + mean * 0.7) * 100 + 0.5) / 100
        level = 0 if score >= 90 else 1 if score >= 70 else 2 if score >= 50 else 3
        vetoed = discipline in HEAVY or decline or (leader and scandal)
        if vetoed:
            level = 3
        if level == 3 and manager[i] >= 0:
            failing[manager[i]] += 1
        out[i] = [code, unit, group, crit, score, level, level, vetoed]
    _quota(out)
    return [(r[0], r[1], r[3], r[4], LEVELS[r[5]], LEVELS[r[6]], r[7]) for r in out]


def _quota(rows: list[list]) -> None:
    groups: dict[tuple, list[list]] = {}
    for r in rows:
        groups.setdefault((r[1], r[2]), []).append(r)
    for members in groups.values():
        best = [r for r in members if r[6] == 0]
        if not best:
            continue
        good = sum(1 for r in members if r[6] == 1)
        k = len(best)
        while k > 0 and k > math.floor(QUOTA * (good + len(best) - k) + 1e-9):
            k -= 1
        best.sort(key=lambda r: r[0])
        best.sort(key=lambda r: r[4], reverse=True)
        for r in best[k:]:
            r[6] = 1


# ---------------------------------------------------------------- from the CSV files


def _date(text: str, cache: dict) -> int:
    got = cache.get(text)
    if got is None:
        if "/" in text:
            d, m, y = text.split("/")
            got = dt.date(int(y), int(m), int(d)).toordinal()
        else:
            got = dt.date.fromisoformat(text).toordinal()
        cache[text] = got
    return got


def _number(text: str, default: float) -> float:
    return float(text.replace(",", ".")) if text else default


def _yes(text: str) -> bool:
    return text.strip().lower() in ("có", "co", "x", "1", "đúng", "true")


def from_csv(people_csv, tasks_csv, inputs_csv, out_csv=None) -> list[tuple]:
    with open(people_csv, encoding="utf-8-sig", newline="") as fh:
        rows = csv.reader(fh)
        next(rows)
        people = [(r[0], r[2], _yes(r[4]), r[5], r[6]) for r in rows]
    index = {p[0]: i for i, p in enumerate(people)}
    inputs = {}
    with open(inputs_csv, encoding="utf-8-sig", newline="") as fh:
        rows = csv.reader(fh)
        next(rows)
        for r in rows:
            inputs[r[0]] = (
                _number(r[2], 0.0),
                r[3],
                _yes(r[4]),
                _yes(r[5]),
                _number(r[6], 100.0),
                _number(r[7], 100.0),
            )
    sums = Sums(len(people))
    add = sums.add
    dates: dict = {}
    with open(tasks_csv, encoding="utf-8-sig", newline="") as fh:
        rows = csv.reader(fh)
        next(rows)
        for r in rows:
            status = r[7]
            given = _number(r[8], 1.0)
            done = _number(r[9], given if status == "Hoàn thành" else 0.0)
            if r[12]:
                delays = _number(r[12], 0.0)
            else:
                late = r[6] and r[5] and _date(r[6], dates) > _date(r[5], dates)
                delays = 1.0 if late else 0.0
            add(
                index[r[1]],
                status,
                given,
                done,
                _number(r[10], 1.0),
                _number(r[11], 0.0),
                delays,
                _yes(r[13]),
            )
    result = finish(people, sums, inputs)
    if out_csv is not None:
        with open(out_csv, "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(("Mã cán bộ", "Đơn vị", "a", "b", "c", "d", "đ", "e", "Điểm", "Xếp loại"))
            for code, unit, crit, score, _before, level, _vetoed in result:
                w.writerow(
                    (
                        code,
                        unit,
                        *(f"{x:.2f}" for x in crit),
                        *([""] * (6 - len(crit))),
                        f"{score:.2f}",
                        level,
                    )
                )
    return result
