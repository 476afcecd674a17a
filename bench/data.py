"""Seeded, realistic benchmark data: units, duty groups, leaders, tasks, period inputs.

    data = generate(people=50_000, tasks=1_000_000, seed=1)   # in memory
    data.dataset                    # dsl.records.Dataset, as app.tabular would load it
    write_csv(data, "bench/out")    # nguoi.csv, nhiem-vu.csv, dau-vao.csv (the import templates)

Every unit (about 40 people) has a head, two deputies managing the staff (so three hierarchy layers),
four duty groups; tasks carry coefficients 1 / 1.5 / 2.5, quantities 1–3 (some partly done), major
errors, delays (from the dates, some counted explicitly), exemptions and cancelled (Hủy) tasks.
General scores step by 0.25 with a few two-decimal values; a few disciplines and vetoes.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np

from dsl.defaults import derived_task_defaults
from dsl.records import Dataset, PersonRecord

GROUPS = ("Tổng hợp", "Văn thư", "Chuyên môn", "Kế toán")
STATUSES = ("Hoàn thành", "Đang thực hiện", "Chưa thực hiện", "Tạm dừng", "Hủy")
STATUS_P = (0.85, 0.06, 0.03, 0.02, 0.04)
PERIOD = "2026-01"
UNIT_SIZE = 40

PERSON_HEADERS = ("Mã cán bộ", "Họ và tên", "Đơn vị", "Chức vụ", "Lãnh đạo", "Nhóm nhiệm vụ", "Người quản lý")
TASK_HEADERS = (
    "Mã nhiệm vụ", "Mã cán bộ", "Kỳ", "Tên nhiệm vụ", "Ngày giao", "Hạn hoàn thành", "Ngày hoàn thành", "Trạng thái",
    "Khối lượng giao", "Khối lượng hoàn thành", "Hệ số quy đổi", "Số lần sai sót lớn", "Số lần chậm", "Miễn trừ", "Minh chứng",
)  # fmt: skip
INPUT_HEADERS = (
    "Mã cán bộ", "Kỳ", "Điểm tiêu chí chung", "Kỷ luật", "Kết luận suy thoái",
    "Đơn vị bị xử lý tham nhũng, lãng phí", "Điểm khả năng tổ chức", "Điểm năng lực tập hợp",
)  # fmt: skip


@dataclass
class BenchData:
    dataset: Dataset
    seed: int


def _people(n: int, rng: np.random.Generator) -> list[PersonRecord]:
    out = []
    for start in range(0, n, UNIT_SIZE):
        unit = f"U{start // UNIT_SIZE + 1:05d}"
        size = min(UNIT_SIZE, n - start)
        head = f"CB{start + 1:06d}"
        deputies = [f"CB{start + 2 + k:06d}" for k in range(min(2, size - 1))]
        for k in range(size):
            code = f"CB{start + k + 1:06d}"
            group = GROUPS[int(rng.integers(len(GROUPS)))]
            if k == 0:
                out.append(PersonRecord(code, f"Trưởng {unit}", unit, "Trưởng phòng", True, group, ""))
            elif code in deputies:
                out.append(PersonRecord(code, f"Phó {code}", unit, "Phó trưởng phòng", True, group, head))
            else:
                manager = deputies[k % len(deputies)] if deputies else head
                out.append(PersonRecord(code, f"Cán bộ {code}", unit, "Chuyên viên", False, group, manager))
    return out


def _inputs(people: list[PersonRecord], rng: np.random.Generator) -> dict[str, dict[str, object]]:
    n = len(people)
    general = rng.integers(72, 121, n)  # quarters of a point: 18.00 .. 30.00
    odd = rng.random(n) < 0.03  # a few two-decimal scores (19.99, 24.37 ...)
    cents = rng.integers(0, 3000, n)
    discipline = rng.random(n)
    decline = rng.random(n) < 0.001
    organise = rng.integers(70, 101, n)
    rally = rng.integers(70, 101, n)
    scandal = rng.random(n) < 0.002
    out = {}
    for i, p in enumerate(people):
        score = Fraction(int(cents[i]), 100) if odd[i] else Fraction(int(general[i]), 4)
        row: dict[str, object] = {"điểm_tiêu_chí_chung": score}
        if discipline[i] < 0.003:
            row["kỷ_luật"] = "khiển trách"
        elif discipline[i] < 0.004:
            row["kỷ_luật"] = "cảnh cáo"
        if decline[i]:
            row["kết_luận_suy_thoái"] = True
        if p.leader:
            row["điểm_khả_năng_tổ_chức"] = Fraction(int(organise[i]))
            row["điểm_năng_lực_tập_hợp"] = Fraction(int(rally[i]))
            if scandal[i]:
                row["đơn_vị_bị_xử_lý_tham_nhũng"] = True
        out[p.code] = row
    return out


def generate(people: int = 50_000, tasks: int = 1_000_000, seed: int = 1) -> BenchData:
    rng = np.random.default_rng(seed)
    persons = _people(people, rng)
    idle = rng.random(people) < 0.005  # a few people without tasks this month
    busy = np.flatnonzero(~idle)
    owner = np.sort(rng.choice(busy, size=tasks))
    status = np.array(STATUSES, dtype=object)[rng.choice(len(STATUSES), size=tasks, p=STATUS_P)]
    given = rng.choice([1.0, 2.0, 3.0], size=tasks, p=[0.8, 0.15, 0.05])
    done = np.full(tasks, np.nan)  # empty: = given when Hoàn thành, else 0
    partial = (status == "Đang thực hiện") & (given > 1) & (rng.random(tasks) < 0.5)
    done[partial] = given[partial] - 1
    coef = rng.choice([1.0, 1.5, 2.5], size=tasks, p=[0.6, 0.25, 0.15])
    errors = rng.choice([0.0, 1.0, 2.0], size=tasks, p=[0.92, 0.06, 0.02])
    start = dt.date(2026, 1, 1).toordinal()
    assigned = start - rng.integers(0, 20, tasks)
    deadline = start + rng.integers(5, 31, tasks)
    finished = np.where(status == "Hoàn thành", deadline - rng.integers(-3, 10, tasks), np.nan).astype(float)
    delays = np.full(tasks, np.nan)  # empty: 1 when finished after the deadline
    twice = (finished > deadline) & (rng.random(tasks) < 0.2)
    delays[twice] = 2.0
    exempt = rng.random(tasks) < 0.02
    codes = np.array([f"NV{i + 1:07d}" for i in range(tasks)], dtype=object)
    names = np.array([f"Nhiệm vụ {i % 97 + 1}" for i in range(tasks)], dtype=object)
    periods = np.full(tasks, PERIOD, dtype=object)
    person_codes = np.array([p.code for p in persons], dtype=object)
    columns = {
        "mã_nhiệm_vụ": codes,
        "mã_cán_bộ": person_codes[owner],
        "kỳ": periods,
        "tên_nhiệm_vụ": names,
        "ngày_giao": assigned.astype(float),
        "hạn_hoàn_thành": deadline.astype(float),
        "ngày_hoàn_thành": finished,
        "trạng_thái": status,
        "khối_lượng_giao": given,
        "khối_lượng_hoàn_thành": done,
        "hệ_số_quy_đổi": coef,
        "số_lần_sai_sót_lớn": errors,
        "số_lần_chậm": delays,
        "miễn_trừ": exempt,
        "minh_chứng": np.full(tasks, "", dtype=object),
    }
    dataset = Dataset(
        people=persons,
        task_person=owner.astype(np.int64),
        task_columns=columns,
        task_rows=np.arange(2, tasks + 2, dtype=np.int64),
        inputs=_inputs(persons, rng),
        period=PERIOD,
    )
    derived_task_defaults(dataset.task_columns)  # as app.tabular does after reading a file
    return BenchData(dataset, seed)


def _num(x: float) -> str:
    if x != x:
        return ""
    return str(int(x)) if x.is_integer() else repr(x)


def _date(x: float) -> str:
    if x != x:
        return ""
    return dt.date.fromordinal(int(x)).strftime("%d/%m/%Y")


def write_csv(data: BenchData, out_dir: str | Path, raw: BenchData | None = None) -> dict[str, Path]:
    """Write nguoi.csv, nhiem-vu.csv and dau-vao.csv. Derived columns are written as they were before
    the defaults were filled when `raw` (the same data generated again) is not given: done quantities
    and delays that equal their defaults are left empty, as a real export would."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    ds = data.dataset
    paths = {"people": out / "nguoi.csv", "tasks": out / "nhiem-vu.csv", "inputs": out / "dau-vao.csv"}
    with open(paths["people"], "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(PERSON_HEADERS)
        for p in ds.people:
            w.writerow(
                (p.code, p.name, p.unit, p.position, "có" if p.leader else "không", p.duty_group, p.manager)
            )
    cols = ds.task_columns
    status = cols["trạng_thái"].tolist()
    given = cols["khối_lượng_giao"].tolist()
    done = cols["khối_lượng_hoàn_thành"].tolist()
    delays = cols["số_lần_chậm"].tolist()
    due = cols["hạn_hoàn_thành"].tolist()
    fin = cols["ngày_hoàn_thành"].tolist()
    dates = {x: _date(x) for x in set(due) | set(fin) | set(cols["ngày_giao"].tolist())}
    nums = {
        x: _num(x)
        for x in {
            *given,
            *done,
            *delays,
            *cols["hệ_số_quy_đổi"].tolist(),
            *cols["số_lần_sai_sót_lớn"].tolist(),
        }
    }
    with open(paths["tasks"], "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(TASK_HEADERS)
        rows = zip(
            cols["mã_nhiệm_vụ"].tolist(), cols["mã_cán_bộ"].tolist(), cols["kỳ"].tolist(),
            cols["tên_nhiệm_vụ"].tolist(), cols["ngày_giao"].tolist(), due, fin, status, given, done,
            cols["hệ_số_quy_đổi"].tolist(), cols["số_lần_sai_sót_lớn"].tolist(), delays,
            cols["miễn_trừ"].tolist(), strict=True,
        )  # fmt: skip
        for code, person, period, name, assigned, d, f, st, g, dn, k, e, dl, ex in rows:
            default_done = g if st == "Hoàn thành" else 0.0
            default_late = 1.0 if f == f and f > d else 0.0
            w.writerow((
                code, person, period, name, dates[assigned], dates[d], dates[f], st, nums[g],
                "" if dn == default_done else nums[dn], nums[k], nums[e],
                "" if dl == default_late else nums[dl], "có" if ex else "", "",
            ))  # fmt: skip
    with open(paths["inputs"], "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(INPUT_HEADERS)
        for p in ds.people:
            row = ds.inputs.get(p.code, {})
            w.writerow((
                p.code, ds.period, _fraction_text(row.get("điểm_tiêu_chí_chung")), row.get("kỷ_luật", ""),
                "có" if row.get("kết_luận_suy_thoái") else "",
                "có" if row.get("đơn_vị_bị_xử_lý_tham_nhũng") else "",
                _fraction_text(row.get("điểm_khả_năng_tổ_chức")), _fraction_text(row.get("điểm_năng_lực_tập_hợp")),
            ))  # fmt: skip
    return paths


def _fraction_text(x) -> str:
    if x is None:
        return ""
    x = Fraction(x)
    if x.denominator == 1:
        return str(x.numerator)
    return repr(float(x))


def main() -> None:
    import argparse

    ap = argparse.ArgumentParser(description="Write the benchmark CSV files.")
    ap.add_argument("out_dir")
    ap.add_argument("--people", type=int, default=50_000)
    ap.add_argument("--tasks", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    write_csv(generate(args.people, args.tasks, args.seed), args.out_dir)


if __name__ == "__main__":
    main()
