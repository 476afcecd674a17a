"""Deterministic sample data: units, people (leaders with subordinates), tasks of varied quality, inputs.

`generate(out_dir, people=60, tasks_per_person=20, seed=1, period="2026-01")` writes don-vi.csv,
nguoi.csv, nhiem-vu.csv and dau-vao.csv in the import-template format (design.md "Input files").
The same arguments always give the same files.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .tabular.cells import SafeCsvWriter

SURNAMES = (
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
)
MIDDLE_M = ("Văn", "Hữu", "Đức", "Minh", "Quang", "Công", "Thành", "Xuân", "Đình", "Tuấn")
MIDDLE_F = ("Thị", "Thu", "Ngọc", "Thanh", "Bích", "Hồng", "Mai", "Kim", "Phương", "Diệu")
GIVEN_M = (
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Hải",
    "Hùng",
    "Khánh",
    "Long",
    "Nam",
    "Phong",
    "Quân",
    "Sơn",
    "Tài",
    "Thắng",
    "Trung",
    "Tùng",
    "Việt",
    "Vinh",
)
GIVEN_F = (
    "Anh",
    "Chi",
    "Dung",
    "Giang",
    "Hà",
    "Hạnh",
    "Hoa",
    "Hương",
    "Lan",
    "Linh",
    "Loan",
    "Ngân",
    "Nhung",
    "Oanh",
    "Thảo",
    "Trang",
    "Vân",
    "Yến",
)
WARDS = (
    "Hạc Thành",
    "Đông Sơn",
    "Quảng Phú",
    "Nguyệt Viên",
    "Hàm Rồng",
    "Đông Quang",
    "Quảng Tiến",
    "Sầm Sơn",
    "Nam Sầm Sơn",
    "Bỉm Sơn",
    "Quang Trung",
    "Ngọc Sơn",
    "Tân Dân",
    "Hải Lĩnh",
    "Tĩnh Gia",
    "Đào Duy Từ",
    "Hải Bình",
    "Trúc Lâm",
    "Nghi Sơn",
    "Hoằng Hóa",
)
GROUPS = (
    "Văn phòng - Thống kê",
    "Tư pháp - Hộ tịch",
    "Địa chính - Xây dựng",
    "Văn hóa - Xã hội",
    "Tài chính - Kế toán",
)
PRODUCTS = (
    ("Văn bản trả lời kiến nghị", "1"), ("Báo cáo tháng", "2,5"), ("Hồ sơ hộ tịch", "0,5"), ("Tờ trình", "1,5"),
    ("Kế hoạch triển khai", "2"), ("Biên bản kiểm tra", "1"), ("Hồ sơ đất đai", "1,5"), ("Công văn", "1"),
)  # fmt: skip
PROFILES = (  # (share, P(done), P(error), P(late)) — excellent, good, average, weak
    (0.25, 0.99, 0.01, 0.03), (0.45, 0.95, 0.05, 0.10), (0.22, 0.85, 0.12, 0.25), (0.08, 0.55, 0.25, 0.45),
)  # fmt: skip

UNIT_HEADERS = ("Mã đơn vị", "Tên đơn vị", "Loại", "Đơn vị cấp trên")
PERSON_HEADERS = ("Mã cán bộ", "Họ và tên", "Đơn vị", "Chức vụ", "Lãnh đạo", "Nhóm nhiệm vụ", "Người quản lý")
TASK_HEADERS = (
    "Mã nhiệm vụ", "Mã cán bộ", "Kỳ", "Tên nhiệm vụ", "Ngày giao", "Hạn hoàn thành", "Ngày hoàn thành", "Trạng thái",
    "Khối lượng giao", "Khối lượng hoàn thành", "Hệ số quy đổi", "Số lần sai sót lớn", "Số lần chậm", "Miễn trừ", "Minh chứng",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class ExtraInput:
    """A numeric period input a ruleset declares (e.g. điểm_khả_năng_tổ_chức) and its column label."""

    label: str
    low: int = 0
    high: int = 100
    leaders_only: bool = True


def _name(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE_M)} {rng.choice(GIVEN_M)}"
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE_F)} {rng.choice(GIVEN_F)}"


def _date(d: dt.date) -> str:
    return d.strftime("%d/%m/%Y")


def _month_bounds(period: str) -> tuple[dt.date, int]:
    year, month = int(period[:4]), int(period[5:7])
    return dt.date(year, month, 1), calendar.monthrange(year, month)[1]


def generate(
    out_dir: str | Path,
    people: int = 60,
    tasks_per_person: int = 20,
    seed: int = 1,
    period: str = "2026-01",
    extra_inputs: Sequence[ExtraInput] = (),
    general_max: int = 30,
) -> dict[str, Path]:
    """Write the four CSV files into `out_dir`; returns their paths by kind. `general_max`: the top of
    the general-criteria score's range in the ruleset the data is meant for (30 under ND 335)."""
    rng = random.Random(seed)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    n_units = max(1, round(people / 30))
    units = [("TH", "Tỉnh Thanh Hóa", "tỉnh", "")]
    unit_codes = []
    for i in range(n_units):
        name = WARDS[i % len(WARDS)] + (f" {i // len(WARDS) + 1}" if i >= len(WARDS) else "")
        code = f"TH-P{i + 1:03d}"
        units.append((code, f"Phường {name}", "phường", "TH"))
        unit_codes.append(code)

    persons = []  # (code, name, unit, position, leader, group, manager, profile)
    for u, unit in enumerate(unit_codes):
        size = people // n_units + (1 if u < people % n_units else 0)
        head = deputies = None
        for k in range(size):
            code = f"CB{len(persons) + 1:05d}"
            profile = rng.choices(PROFILES, weights=[p[0] for p in PROFILES])[0]
            group = GROUPS[k % len(GROUPS)]
            if k == 0:
                head, deputies = code, []
                persons.append(
                    (code, _name(rng), unit, "Chủ tịch UBND phường", True, "Lãnh đạo", "", profile)
                )
            elif k <= 2 and size > 6:
                deputies.append(code)
                persons.append(
                    (code, _name(rng), unit, "Phó Chủ tịch UBND phường", True, "Lãnh đạo", head, profile)
                )
            else:
                manager = rng.choice(deputies) if deputies else head
                persons.append((code, _name(rng), unit, f"Công chức {group}", False, group, manager, profile))

    start, days = _month_bounds(period)
    files = {kind: out / name for kind, name in (
        ("units", "don-vi.csv"), ("people", "nguoi.csv"), ("tasks", "nhiem-vu.csv"), ("inputs", "dau-vao.csv"))}  # fmt: skip
    with open(files["units"], "w", encoding="utf-8", newline="") as fh:
        w = SafeCsvWriter(fh)
        w.writerow(UNIT_HEADERS)
        w.writerows(units)
    with open(files["people"], "w", encoding="utf-8", newline="") as fh:
        w = SafeCsvWriter(fh)
        w.writerow(PERSON_HEADERS)
        w.writerows(
            (c, n, u, pos, "có" if lead else "không", g, m) for c, n, u, pos, lead, g, m, _ in persons
        )
    with open(files["tasks"], "w", encoding="utf-8", newline="") as fh:
        w = SafeCsvWriter(fh)
        w.writerow(TASK_HEADERS)
        number = 0
        for code, _n, _u, _pos, _lead, _g, _m, (_s, p_done, p_error, p_late) in persons:
            count = rng.randint(
                max(1, tasks_per_person // 2), max(1, tasks_per_person + tasks_per_person // 2)
            )
            for _ in range(count):
                number += 1
                w.writerow(_task(rng, number, code, period, start, days, p_done, p_error, p_late))
    with open(files["inputs"], "w", encoding="utf-8", newline="") as fh:
        w = SafeCsvWriter(fh)
        w.writerow(("Mã cán bộ", "Kỳ", "Điểm tiêu chí chung", "Kỷ luật", *(e.label for e in extra_inputs)))
        for code, _n, _u, _pos, lead, _g, _m, profile in persons:
            general = max(15, min(30, round(rng.gauss(27 if profile[1] > 0.9 else 24, 2))))
            general = round(general * general_max / 30)
            discipline = "khiển trách" if rng.random() < 0.01 else ""
            extras = [
                "" if (e.leaders_only and not lead) else rng.randint(max(e.low, e.high - 30), e.high)
                for e in extra_inputs
            ]
            w.writerow((code, period, general, discipline, *extras))
    return files


def _task(rng, number, code, period, start, days, p_done, p_error, p_late):
    product, coefficient = rng.choice(PRODUCTS)
    given = start + dt.timedelta(days=rng.randint(0, max(0, days - 8)))
    deadline = given + dt.timedelta(days=rng.randint(3, 10))
    amount = rng.choice((1, 1, 1, 1, 2, 3))
    status, finished, done_amount, errors, delays = "Hoàn thành", "", amount, 0, ""
    roll = rng.random()
    if roll < p_done:
        late = rng.random() < p_late
        finished_on = (
            deadline + dt.timedelta(days=rng.randint(1, 6))
            if late
            else deadline - dt.timedelta(days=rng.randint(0, 3))
        )
        finished = _date(finished_on)
        errors = 1 if rng.random() < p_error else 0
        if late and rng.random() < 0.2:
            delays = 2
    elif rng.random() < 0.1:
        status, done_amount = "Hủy", 0
    else:
        status = rng.choice(("Đang thực hiện", "Chưa thực hiện"))
        done_amount = rng.randint(0, amount - 1) if amount > 1 else 0
    exempt = "có" if errors and rng.random() < 0.1 else ""
    evidence = f"{number}/UBND-VP" if status == "Hoàn thành" else ""
    return (
        f"NV{number:07d}", code, period, f"{product} số {number}", _date(given), _date(deadline), finished, status,
        amount, done_amount, coefficient, errors, delays, exempt, evidence,
    )  # fmt: skip
