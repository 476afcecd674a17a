"""The demo's work: three months (2026-01..03) of tasks of varied quality per person (on time, late,
major errors, cancelled, exemptions) and period inputs (general-criteria scores, leaders' scores, some
discipline). Deterministic: the same seed gives the same rows."""

from __future__ import annotations

import calendar
import datetime as dt
import random

from .demo_people import POSITIONS

MONTHS = ((2026, 1), (2026, 2), (2026, 3))
# profile -> (share, P(done), P(on time | done), P(major error), general score range)
PROFILES = {
    "xuất sắc": (0.25, 1.0, 1.0, 0.0, (28, 30)),
    "tốt": (0.45, 0.98, 0.9, 0.03, (26, 29)),
    "trung bình": (0.22, 0.9, 0.75, 0.1, (23, 27)),
    "yếu": (0.08, 0.65, 0.55, 0.25, (18, 24)),
}
OPEN_STATUSES = ("Đang thực hiện", "Chưa thực hiện", "Tạm dừng")
EXEMPT_REASONS = ("Mưa lũ, phải dừng kiểm tra hiện trường", "Hệ thống dịch vụ công gặp sự cố",
                  "Chờ ý kiến của sở chuyên ngành")  # fmt: skip


def profile_of(rnd: random.Random) -> str:
    x, total = rnd.random(), 0.0
    for name, (share, *_rest) in PROFILES.items():
        total += share
        if x < total:
            return name
    return "tốt"


def _date(d: dt.date) -> str:
    return d.strftime("%d/%m/%Y")


def tasks_and_inputs(people: list[dict], seed: int, chairman_name: str) -> tuple[list[dict], list[dict]]:
    """Task rows and period-input rows (template headers) for `people` (rows of demo_people)."""
    rnd = random.Random(seed)
    tasks, inputs = [], []
    for person in people:
        profile = profile_of(rnd)
        _, p_done, p_on_time, p_error, (low, high) = PROFILES[profile]
        leader = person["Lãnh đạo"] == "có"
        products = POSITIONS[person["Vị trí việc làm"]][1]
        for year, month in MONTHS:
            period = f"{year}-{month:02d}"
            last = calendar.monthrange(year, month)[1]
            for k in range(rnd.randint(8, 12) if leader else rnd.randint(15, 25)):
                code, name, _ = rnd.choice(products)
                assigned = dt.date(year, month, rnd.randint(1, 20))
                deadline = min(dt.date(year, month, last), assigned + dt.timedelta(days=rnd.randint(3, 10)))
                row = {"Mã nhiệm vụ": f"DEMO-{person['Mã cán bộ']}-{year}{month:02d}-{k + 1:02d}",
                       "Mã cán bộ": person["Mã cán bộ"], "Kỳ": period, "Tên nhiệm vụ": f"{name} ({k + 1}/{month})",
                       "Ngày giao": _date(assigned), "Hạn hoàn thành": _date(deadline), "Mã sản phẩm chuẩn": code}  # fmt: skip
                if rnd.random() < 0.03:
                    row["Trạng thái"] = "Hủy"
                elif rnd.random() < p_done:
                    late = rnd.random() >= p_on_time
                    done_on = deadline + dt.timedelta(days=rnd.randint(1, 6) if late else -rnd.randint(0, 2))
                    row.update({"Trạng thái": "Hoàn thành", "Ngày hoàn thành": _date(max(done_on, assigned)),
                                "Minh chứng": f"Văn bản số {rnd.randint(10, 999)}/UBND-{person['Đơn vị'][:2]}"})  # fmt: skip
                    if rnd.random() < p_error:
                        row["Số lần sai sót lớn"] = 1
                    if late and rnd.random() < 0.2:
                        row.update({"Miễn trừ": "có", "Lý do miễn trừ": rnd.choice(EXEMPT_REASONS),
                                    "Người xác nhận miễn trừ": chairman_name})  # fmt: skip
                else:
                    row["Trạng thái"] = rnd.choice(OPEN_STATUSES)
                    if row["Trạng thái"] == "Đang thực hiện" and rnd.random() < 0.5:
                        row["Khối lượng hoàn thành"] = "0,5"
                if code == "HS-TTHC":
                    files = rnd.randint(5, 30)
                    row["Số hồ sơ giải quyết"] = files
                    row["Số hồ sơ giải quyết đúng hạn"] = files - (
                        0 if rnd.random() < p_on_time else rnd.randint(1, 3)
                    )
                tasks.append(row)
            score = rnd.randint(low * 2, high * 2) / 2
            entry = {"Mã cán bộ": person["Mã cán bộ"], "Kỳ": period, "Điểm tiêu chí chung": str(score).replace(".", ","),
                     "Kỷ luật": ""}  # fmt: skip
            if leader:
                entry["Điểm khả năng tổ chức"] = rnd.choice((80, 90, 95, 100, 100))
                entry["Điểm năng lực tập hợp"] = rnd.choice((85, 90, 100, 100))
            inputs.append(entry)
    return tasks, inputs


def add_discipline(inputs: list[dict], person_code: str, period: str, level: str) -> None:
    for entry in inputs:
        if entry["Mã cán bộ"] == person_code and entry["Kỳ"] == period:
            entry["Kỷ luật"] = level
