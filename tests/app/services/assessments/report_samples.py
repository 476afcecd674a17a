"""Sample report data (hand-made) shared by the report tests."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction as F

from app.services.assessments.report_data import (
    Criterion,
    PersonSheet,
    ResultLine,
    SheetHeader,
    UnitSheet,
)


def header() -> SheetHeader:
    return SheetHeader(
        body="UBND phường Hạc Thành", unit="Phường Hạc Thành", period="2026-01",
        rulesets=["ND335-2025 phiên bản 1"], revision=2, status="đã quyết định", place="Thanh Hóa",
        day=dt.date(2026, 2, 5), legal_bases=["Nghị định 335/2025/NĐ-CP, điều 12, 14, 20"],
    )  # fmt: skip


def decided_line() -> ResultLine:
    return ResultLine(
        "HT0001", "Nguyễn Thị Hà", "Văn phòng HĐND và UBND", "Chuyên viên",
        {"a": F(100), "b": F(100), "c": F(195, 2)}, F(9742, 100),
        "Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành xuất sắc nhiệm vụ", [],
        "Hoàn thành tốt nhiệm vụ", "Họp ngày 03/02/2026: chưa chủ trì nhiệm vụ đột xuất",
        "Tôi tự nhận hoàn thành tốt", ["Đồng ý với kết quả."],
    )  # fmt: skip


def unit_sheet() -> UnitSheet:
    hostile = ResultLine("HT0002", '=HYPERLINK("http://x")', "-2+3", criteria={}, score=None, level=None)
    return UnitSheet(
        header(), [("a", "Số lượng"), ("b", "Chất lượng"), ("c", "Tiến độ")], [decided_line(), hostile],
        [("Người lập biểu", ""), ("Thủ trưởng đơn vị", "Trần Văn Đức")],
    )  # fmt: skip


def person_sheet() -> PersonSheet:
    crit = [Criterion("a", "Số lượng", F(100), "Điều 14 Nghị định 335/2025/NĐ-CP"),
            Criterion("c", "Tiến độ", F(195, 2), "Điều 14 Nghị định 335/2025/NĐ-CP")]  # fmt: skip
    return PersonSheet(
        header(), decided_line(), crit, ["c = (9 + 0,75) / 10 = 97,5"], "Điều 20 Nghị định 335/2025/NĐ-CP",
        [("Người tự đánh giá", "Nguyễn Thị Hà"), ("Thủ trưởng đơn vị", "Trần Văn Đức")],
    )  # fmt: skip
