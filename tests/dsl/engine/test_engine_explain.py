"""Numbers in Vietnamese style, rounding helpers, and the explanation lines."""

from __future__ import annotations

from fractions import Fraction

import pytest
from engine_astkit import KHT, TOT, XS, dataset, done, national

from dsl.engine.program import compile_ruleset
from dsl.engine.values import format_number, round_count, round_to
from dsl.records import PersonRecord


@pytest.mark.parametrize(
    ("value", "digits", "text"),
    [
        (Fraction("97.41666"), 2, "97,42"),
        (Fraction(90), 2, "90"),
        (Fraction("97.5"), 2, "97,5"),
        (Fraction(1500000), 2, "1.500.000"),
        (Fraction("-0.125"), 2, "-0,13"),
        (Fraction("0.004"), 2, "0"),
        (Fraction(1, 3), 4, "0,3333"),
        (Fraction("89.995"), 2, "90"),
    ],
)
def test_format_number(value, digits, text):
    assert format_number(value, digits) == text


def test_round_to_modes():
    assert round_to(Fraction("2.345"), 2) == Fraction("2.35")
    assert round_to(Fraction("-2.345"), 2) == Fraction("-2.35")
    assert round_to(Fraction("2.341"), 2, "lên") == Fraction("2.35")
    assert round_to(Fraction("2.349"), 2, "xuống") == Fraction("2.34")
    assert round_to(Fraction("-2.341"), 2, "xuống") == Fraction("-2.35")
    assert round_count(Fraction("1.8"), "xuống") == 1
    assert round_count(Fraction("1.2"), "lên") == 2
    assert round_count(Fraction("2.5"), "gần nhất") == 3


def _explain(people, tasks, inputs, rs=None):
    result = compile_ruleset(rs or national()).evaluate(dataset(people, tasks, inputs), explain=True)
    return {r.person: r.explanation for r in result.results}


def test_criterion_line_with_citation_and_values():
    lines = _explain([PersonRecord("CB1", "A", "P1")], done("CB1", 10), {"CB1": {"điểm_tiêu_chí_chung": 28}})[
        "CB1"
    ]
    assert (
        'Tiêu chí a "Số lượng" (điểm a khoản 2 Điều 14 Nghị định 335/2025/NĐ-CP) = '
        "tỷ_lệ(tổng(đạt), tổng(giao), 100) = 100 × 10 / 10 = 100; trong đó tổng(đạt) = 10, tổng(giao) = 10"
    ) in lines
    assert any(line.startswith("Điểm = điểm_tiêu_chí_chung + trung_bình(a, b, c, d, đ, e)") for line in lines)
    assert 'Tiêu chí d "Kết quả của đơn vị" không áp dụng: lãnh_đạo sai' in lines


def test_levels_not_reached_are_explained():
    people = [PersonRecord("LD", "", "P1", leader=True), PersonRecord("NV", "", "P1", manager="LD")]
    tasks = done("LD", 1, số_lần_sai_sót_lớn=4) + done("LD", 8, số_lần_chậm=1) + done("LD", 11)
    tasks += [{"person": "NV", "trạng_thái": "Đang thực hiện"}]
    inputs = {"LD": {"điểm_tiêu_chí_chung": 27}, "NV": {"điểm_tiêu_chí_chung": 10}}
    lines = _explain(people, tasks, inputs, national(quotas=()))["LD"]
    assert f'Không đạt "{XS}": điểm 89,42 < 90' in lines
    assert any(
        line.startswith(f'Xếp loại theo điểm: "{TOT}" (Điều 20 Nghị định 335/2025/NĐ-CP): điểm 89,42 >= 70')
        for line in lines
    )
    d_line = next(line for line in lines if line.startswith('Tiêu chí d "'))
    # d = 50 names the subordinate who caused it
    assert d_line.endswith(f'= 50; trong đó đếm(cấp dưới nếu xếp_loại = "{KHT}") 1 (cán bộ NV) <> 0')
    assert (
        "27 + trung_bình(100; 95; 90; 50; 100; 100) × 70% = 89,416667… (làm tròn 2 chữ số, nửa lên: 89,42)"
        in next(x for x in lines if x.startswith("Điểm"))
    )


def test_veto_and_quota_lines():
    people = [PersonRecord(f"P{i}", "", "P1", duty_group="N1") for i in range(3)]
    inputs = {p.code: {"điểm_tiêu_chí_chung": 30} for p in people}
    inputs["P2"]["kỷ_luật"] = "khiển trách"
    tasks = [t for p in people for t in done(p.code)]
    got = _explain(people, tasks, inputs)
    assert any(
        line.startswith(
            f'Loại trừ: xếp loại "{KHT}" bất kể điểm: Bị kỷ luật từ khiển trách trở lên (khoản 4 Điều 20'
        )
        for line in got["P2"]
    )
    # P0 and P1 both 100: no tốt in the group, so k <= 0.2 × (2 − k) gives k = 0
    (line,) = [x for x in got["P1"] if x.startswith("Bị hạ do hạn mức")]
    assert "nhóm (đơn vị P1, nhóm N1)" in line and "20% × 2 = 0,4, làm tròn xuống 0" in line
    assert "20% × 1 = 0,2, làm tròn xuống 0 < 1" in line and "giữ tối đa 0 người" in line
    assert "xếp thứ 2/2" in line and line.endswith(f'→ "{TOT}"')
    assert got["P1"][-1] == f'Kết quả: điểm 100, xếp loại "{TOT}"'
