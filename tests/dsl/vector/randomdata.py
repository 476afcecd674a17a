"""Seeded random datasets for any ruleset: people in units with leaders, tasks with awkward values
(cancelled, exempt, at thresholds, at half-up boundaries), inputs from the ruleset's declarations."""

from __future__ import annotations

import datetime as dt
import random
from fractions import Fraction

import numpy as np

from dsl.records import Dataset, PersonRecord

STATUSES = ("Hoàn thành", "Hoàn thành", "Hoàn thành", "Đang thực hiện", "Chưa thực hiện", "Tạm dừng", "Hủy")
GROUPS = ("Tổng hợp", "Văn thư", "")
# coefficients: binary-exact ones and decimal ones floats cannot hold exactly
COEFS = (1.0, 1.0, 1.5, 2.5, 0.3, 1.2, 0.1)
AMOUNTS = (1.0, 1.0, 2.0, 3.0, 0.5, 0.1, 0.3, 0.0)


def _people(rng: random.Random, n: int) -> list[PersonRecord]:
    people = []
    for i in range(n):
        unit = f"U{i // 12}"
        first = (i // 12) * 12
        code = f"CB{i:04d}"
        if i == first:
            people.append(PersonRecord(code, f"T{i}", unit, "Trưởng", True, rng.choice(GROUPS), ""))
        elif i == first + 1:
            people.append(
                PersonRecord(code, f"P{i}", unit, "Phó", True, rng.choice(GROUPS), f"CB{first:04d}")
            )
        else:
            boss = f"CB{first + rng.choice((0, 1)):04d}" if rng.random() < 0.9 else ""
            people.append(PersonRecord(code, f"N{i}", unit, "Chuyên viên", False, rng.choice(GROUPS), boss))
    return people


def _number(rng: random.Random, low, high, info_name: str) -> Fraction:
    low = Fraction(low if low is not None else 0)
    high = Fraction(high if high is not None else 100)
    pick = rng.random()
    if pick < 0.15:
        return low if rng.random() < 0.5 else high
    if pick < 0.5:  # whole or quarter points
        steps = int((high - low) * 4)
        return low + Fraction(rng.randint(0, steps), 4)
    steps = int((high - low) * 1000)  # three decimals: half-up boundaries at 2 digits (x.xx5)
    return low + Fraction(rng.randint(0, steps), 1000)


def _input_value(rng: random.Random, info):
    if info.kind == "số":
        return _number(rng, info.low, info.high, info.name)
    if info.kind == "thang":
        weights = [8] + [1] * (len(info.scale) - 1) if info.scale else None
        return rng.choices(info.scale, weights=weights)[0] if info.scale else ""
    if info.kind == "đúng sai":
        return rng.random() < 0.1
    if info.kind == "ngày":
        return dt.date(2026, 1, 1) + dt.timedelta(days=rng.randint(0, 60))
    return rng.choice(("", "A", "B"))


def dataset(program, seed: int, people: int = 60, tasks_per_person: int = 8) -> Dataset:
    rng = random.Random(seed)
    persons = _people(rng, people)
    owner = []
    for i in range(people):
        count = 0 if rng.random() < 0.05 else rng.randint(1, 2 * tasks_per_person)
        owner += [i] * count
    n = len(owner)
    start = dt.date(2026, 1, 1).toordinal()
    status = [rng.choice(STATUSES) for _ in range(n)]
    status = [("Huỷ" if s == "Hủy" and rng.random() < 0.3 else s) for s in status]
    # loaders give canon() text: the exact engine and the vector backend both read "Hủy"
    status = ["Hủy" if s == "Huỷ" else s for s in status]
    given = [rng.choice(AMOUNTS) for _ in range(n)]
    done = [
        (g if s == "Hoàn thành" else 0.0) if rng.random() < 0.7 else rng.choice(AMOUNTS)
        for g, s in zip(given, status, strict=True)
    ]
    due = [float(start + rng.randint(0, 30)) for _ in range(n)]
    finished = [
        d + rng.randint(-5, 5) if s == "Hoàn thành" else np.nan for d, s in zip(due, status, strict=True)
    ]
    columns = {
        "mã_nhiệm_vụ": np.array([f"NV{j}" for j in range(n)], dtype=object),
        "trạng_thái": np.array(status, dtype=object),
        "khối_lượng_giao": np.array(given),
        "khối_lượng_hoàn_thành": np.array([d if rng.random() < 0.8 else np.nan for d in done]),
        "hệ_số_quy_đổi": np.array([rng.choice(COEFS) for _ in range(n)]),
        "số_lần_sai_sót_lớn": np.array([float(rng.choice((0, 0, 0, 1, 2, 5))) for _ in range(n)]),
        "số_lần_chậm": np.array([rng.choice((np.nan, 0.0, 1.0, 4.0)) for _ in range(n)]),
        "miễn_trừ": np.array([rng.random() < 0.1 for _ in range(n)], dtype=bool),
        "hạn_hoàn_thành": np.array(due),
        "ngày_hoàn_thành": np.array(finished),
        "ngày_giao": np.array([d - 10 for d in due]),
        "kỳ": np.array(["2026-01"] * n, dtype=object),
    }
    standard = set(columns) | {"mã_cán_bộ", "tên_nhiệm_vụ", "minh_chứng"}
    for name, info in program.names.task_fields.items():
        if name in standard:
            continue
        if info.kind == "số":
            columns[name] = np.array([float(_number(rng, 0, 10, name)) for _ in range(n)])
        elif info.kind == "đúng sai":
            columns[name] = np.array([rng.random() < 0.5 for _ in range(n)], dtype=bool)
        elif info.kind == "ngày":
            columns[name] = np.array([float(start + rng.randint(0, 30)) for _ in range(n)])
        else:
            values = info.scale or ("", "x", "y")
            columns[name] = np.array([rng.choice(values) for _ in range(n)], dtype=object)
    inputs = {}
    for p in persons:
        row = {}
        for info in program.inputs:
            if info.required or rng.random() < 0.6:
                row[info.name] = _input_value(rng, info)
        inputs[p.code] = row
    return Dataset(
        people=persons,
        task_person=np.array(owner, dtype=np.int64),
        task_columns=columns,
        task_rows=np.arange(2, n + 2),
        inputs=inputs,
        period="2026-01",
    )
