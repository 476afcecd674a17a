"""W0203: a value that can be blank (a date task field without default) ordered without a guard."""

from __future__ import annotations

import pytest
from checker_golden import HEADER, LEVELS, col_of, run

BASE = """\
mỗi nhiệm vụ:
  giao = khối_lượng_giao × hệ_số_quy_đổi
{defs}
tiêu chí a "Đúng hạn" theo điều 14 = tỷ_lệ(đếm(nhiệm vụ nếu {cond}), đếm(nhiệm vụ), 100)

điểm = điểm_tiêu_chí_chung + a × 70%
"""


def source(cond: str, defs: str = "") -> str:
    return HEADER + "\n" + BASE.format(cond=cond, defs=defs) + "\n" + LEVELS


def blanks(text: str) -> list[tuple[int, int, str]]:
    return [
        (d.span.line, d.span.column, d.message.split('"')[1])
        for d in run(text).diagnostics
        if d.code == "W0203"
    ]


def test_an_unguarded_deadline_comparison_is_w0203_for_each_blank_able_side():
    text = source("không (ngày_hoàn_thành > hạn_hoàn_thành)")
    at = col_of(text, "ngày_hoàn_thành > hạn")
    assert blanks(text) == [(*at, "ngày_hoàn_thành"), (*at, "hạn_hoàn_thành")]
    assert not [d for d in run(text).diagnostics if d.is_error]


@pytest.mark.parametrize(
    ("cond", "defs"),
    [
        (
            "có_giá_trị(ngày_hoàn_thành) và có_giá_trị(hạn_hoàn_thành) và ngày_hoàn_thành <= hạn_hoàn_thành",
            "",
        ),
        (
            "không có_giá_trị(ngày_hoàn_thành) hoặc không có_giá_trị(hạn_hoàn_thành) hoặc ngày_hoàn_thành <= hạn_hoàn_thành",
            "",
        ),
        (
            "đúng_hạn",
            "  xong = có_giá_trị(ngày_hoàn_thành) và có_giá_trị(hạn_hoàn_thành)\n  đúng_hạn = xong và ngày_hoàn_thành <= hạn_hoàn_thành\n",
        ),
        (
            "đúng_hạn",
            "  đúng_hạn = nếu có_giá_trị(ngày_hoàn_thành) và có_giá_trị(hạn_hoàn_thành) thì ngày_hoàn_thành <= hạn_hoàn_thành ngược lại sai\n",
        ),
        ('trạng_thái = "Hoàn thành"', ""),  # equality with a blank is defined: no warning
        ("ngày_hoàn_thành = hạn_hoàn_thành", ""),
        ("số_lần_chậm > 0", ""),  # numbers default to 0: never blank
    ],
)
def test_guards_and_values_that_cannot_be_blank(cond, defs):
    assert blanks(source(cond, defs)) == []


def test_a_blank_able_value_through_a_per_task_value_and_a_half_guard():
    defs = "  hạn = hạn_hoàn_thành\n"
    text = source("có_giá_trị(ngày_hoàn_thành) và ngày_hoàn_thành > hạn", defs)
    assert blanks(text) == [(*col_of(text, "ngày_hoàn_thành > hạn"), "hạn_hoàn_thành")]
    declared = source("ngày_nhận > ngày_giao_lại").replace(
        "mỗi nhiệm vụ:",
        'trường nhiệm vụ ngày_nhận "Ngày nhận": ngày\ntrường nhiệm vụ ngày_giao_lại "Ngày giao lại": ngày mặc định 01/01/2026\n\nmỗi nhiệm vụ:',
    )
    assert [b[2] for b in blanks(declared)] == ["ngày_nhận"]
