"""The score's range proved by value-range analysis (E0408), unsafe `cho phép` values (W0703), the
`thang điểm` header and the ranges of values (dsl/checker/valueranges.py, ratios.py, scale.py)."""

from __future__ import annotations

import shutil
from fractions import Fraction
from pathlib import Path

import pytest
from checker_golden import HEADER, LEVELS, codes, col_of, only

from dsl.checker import build_symbols
from dsl.checker.ranges import DEFAULT_SCALE, Range
from dsl.checker.valueranges import ValueRanges, value_ranges
from dsl.pipeline import check_file, check_source
from dsl.resolver import FileResolver

SHIPPED = Path(__file__).resolve().parents[3] / "rulesets"

TASKS = """\
tham số mức_trừ = 25% cho phép 0% đến 50%

mỗi nhiệm vụ:
  giao = khối_lượng_giao × hệ_số_quy_đổi
  đạt = nhỏ_nhất(khối_lượng_hoàn_thành, khối_lượng_giao) × hệ_số_quy_đổi
  đạt_tiến_độ = đạt × lớn_nhất(0, 1 - mức_trừ × số_lần_chậm)
"""


def source(
    body: str, score: str = "điểm = điểm_tiêu_chí_chung + trung_bình(a, c) × 70%", head: str = HEADER
) -> str:
    return head + "\n" + TASKS + "\n" + body + "\n" + score + "\n\n" + LEVELS


GOOD = source(
    'tiêu chí a "A" theo điều 14 = tỷ_lệ(tổng(đạt), tổng(giao), 0)\n'
    'tiêu chí c "C" theo điều 14 = tỷ_lệ(tổng(đạt_tiến_độ), tổng(giao), 100)\n'
)


def ranges_of(text: str) -> ValueRanges:
    result = check_source(text)
    rs = result.ruleset
    return ValueRanges(rs, build_symbols(rs), DEFAULT_SCALE)


def test_ratios_of_sums_are_bounded_by_the_relation_of_their_terms():
    assert only(GOOD, "E0408", "W0703") == []
    r = ranges_of(GOOD)
    assert r.name("a") == Range.of(0, 100) and r.name("c") == Range.of(0, 100)
    assert r.name("đạt_tiến_độ") == Range.of(0, None) and r.score() == Range.of(0, 100)


def test_every_defined_value_and_output_has_a_range():
    text = (
        GOOD
        + 'đầu ra thưởng "Thưởng" = nếu xếp_loại = "Hoàn thành tốt nhiệm vụ" thì điểm × 1000 ngược lại 0\n'
    )
    rs = check_source(text).ruleset
    got = value_ranges(rs, build_symbols(rs), DEFAULT_SCALE)
    assert got["thưởng"] == Range.of(0, 100_000) and got["điểm"] == Range.of(0, 100)
    assert got["giao"] == Range.of(0, None) and got["điểm_bổ_sung"] == Range.of(0, 0)


def test_an_unbounded_criterion_is_e0408_naming_it():
    # completed more than assigned: a can pass 100, so the score can pass 100
    text = GOOD.replace("nhỏ_nhất(khối_lượng_hoàn_thành, khối_lượng_giao)", "khối_lượng_hoàn_thành")
    assert only(text, "E0408") == [("E0408", *col_of(text, "điểm ="))]
    message = next(d.message for d in check_source(text).diagnostics if d.code == "E0408")
    assert "không có giới hạn trên" in message and 'tiêu chí "a"' in message


def test_a_score_over_100_shows_how_it_adds_up():
    text = GOOD.replace("× 70%", "× 70% + 10")
    diag = next(d for d in check_source(text).diagnostics if d.code == "E0408")
    assert "lên tới 110" in diag.message and "30 (điểm_tiêu_chí_chung) + 70 (" in diag.message
    assert diag.message.endswith("+ 10 (10) = 110")


def test_a_score_below_0_and_a_negative_penalty():
    text = GOOD.replace("× 70%", "× 70% - 5")
    assert "xuống tới -5" in next(d.message for d in check_source(text).diagnostics if d.code == "E0408")
    unbounded = GOOD.replace("lớn_nhất(0, 1 - mức_trừ × số_lần_chậm)", "(1 - mức_trừ × số_lần_chậm)")
    message = next(d.message for d in check_source(unbounded).diagnostics if d.code == "E0408")
    assert "không có giới hạn dưới" in message and 'tiêu chí "c"' in message


def test_if_narrows_the_compared_value_and_clamps_are_understood():
    body = (
        'tiêu chí a "A" theo điều 14 = nếu tổng(giao) > 100 thì 100 ngược lại tổng(giao)\n'
        'tiêu chí c "C" theo điều 14 = giới_hạn(100 - 25 × đếm(nếu số_lần_chậm > 0), 0, 100)\n'
        "tạm = tổng(giao)\n"
        'đầu ra o "O" = nếu tạm > 100 thì 100 ngược lại tạm\n'
    )
    text = source(body)
    assert only(text, "E0408") == [], codes(text)
    r = ranges_of(text)
    assert r.name("c") == Range.of(0, 100) and r.name("o") == Range.of(0, 100)


def test_weighted_score_by_applicability_group():
    body = (
        'tiêu chí a "A" theo điều 14 trọng số 50% = tỷ_lệ(tổng(đạt), tổng(giao), 0)\n'
        'tiêu chí c "C" theo điều 14 khi không lãnh_đạo trọng số 50% = tỷ_lệ(tổng(đạt_tiến_độ), tổng(giao), 100)\n'
        'tiêu chí d "D" theo điều 14 khi lãnh_đạo trọng số 50% = 100\n'
    )
    text = source(body, score="")
    assert only(text, "E0408", "E0401") == []
    assert ranges_of(text).score() == Range.of(0, 100)
    # leaders' d is worth 150 points: a + d = 50% + 100% (E0401 says the weights, E0408 the score)
    bad = text.replace("khi lãnh_đạo trọng số 50%", "khi lãnh_đạo trọng số 100%")
    assert {c[0] for c in only(bad, "E0401")} == {"E0401"}


def test_unsafe_allowed_parameter_values_are_w0703_with_the_sub_range():
    text = GOOD.replace("× 70%", "× tỷ_trọng\ntham số tỷ_trọng = 70% cho phép 60% đến 80%")
    diag = next(d for d in check_source(text).diagnostics if d.code == "W0703")
    assert diag.span.line == col_of(text, "tham số tỷ_trọng")[0]
    assert "trên 70% (đến 80%)" in diag.message and "110" in diag.message
    safe = text.replace("cho phép 60% đến 80%", "cho phép 60% đến 70%")
    assert only(safe, "W0703", "E0408") == []
    # a bound that crosses in the middle: the exact edge is found (score = 30 + 100 × t ≤ 100 ⇔ t ≤ 70%)
    wide = text.replace("tỷ_trọng = 70% cho phép 60% đến 80%", "tỷ_trọng = 50% cho phép 0% đến 90%")
    assert "trên 70% (đến 90%)" in next(
        d.message for d in check_source(wide).diagnostics if d.code == "W0703"
    )


def test_declared_scale_and_a_bad_declaration():
    head = HEADER + "  thang điểm 0 đến 10\n"
    text = source(
        'tiêu chí a "A" theo điều 14 = 5\ntiêu chí c "C" theo điều 14 = 5\n',
        score="điểm = trung_bình(a, c)",
        head=head,
    )
    assert only(text, "E0408", "E0904") == []
    over = text.replace("= trung_bình(a, c)", "= a + c + 1")
    assert "vượt thang điểm 0 đến 10" in next(
        d.message for d in check_source(over).diagnostics if d.code == "E0408"
    )
    wrong = text.replace("thang điểm 0 đến 10", "thang điểm 10 đến 0")
    assert only(wrong, "E0904") == [("E0904", *col_of(wrong, "thang điểm"))]


@pytest.fixture
def thanh_hoa(tmp_path: Path) -> Path:
    for name in ("th-2026.kpi", "phuong-hac-thanh.kpi"):
        shutil.copy(SHIPPED / "thanh-hoa" / name, tmp_path / name)
    return tmp_path


def test_ward_adding_10_percent_while_reserving_5_is_an_error_with_the_sum(thanh_hoa: Path):
    ward = thanh_hoa / "phuong-hac-thanh.kpi"
    assert check_file(ward).ok
    text = ward.read_text(encoding="utf-8").replace("trọng số 5%", "trọng số 10%")
    ward.write_text(text, encoding="utf-8")
    result = check_file(ward)
    errors = [d for d in result.diagnostics if d.is_error]
    assert [(d.code, d.span.line) for d in errors] == [
        ("E0408", col_of(text, 'tiêu chí g "Giải quyết hồ sơ đúng hạn" theo')[0])
    ]
    message = errors[0].message
    assert "lên tới 105" in message and "= 105" in message and "+ 10 (điểm_bổ_sung)" in message
    assert "tiêu chí thêm (g) là 10%" in message
    # reserving the 10% makes it right again: 30 + 60 + 10
    ward.write_text(
        text.replace("tỷ_trọng_tiêu_chí_bổ_sung = 5%", "tỷ_trọng_tiêu_chí_bổ_sung = 10%"), encoding="utf-8"
    )
    assert check_file(ward).ok


def test_the_province_is_safe_for_every_allowed_value_without_added_criteria(thanh_hoa: Path):
    result = check_file(thanh_hoa / "th-2026.kpi")
    assert [d.code for d in result.diagnostics] == []
    rs = result.ruleset
    syms = build_symbols(rs)
    for name in ("tỷ_trọng_tiêu_chí_bổ_sung", "mức_trừ_chậm", "điểm_khi_không_giao_nhiệm_vụ"):
        p = next(p for p in rs.params if p.name == name)
        bounds = Range(p.low.value, p.high.value)
        assert ValueRanges(rs, syms, DEFAULT_SCALE, {name: bounds}).score().within(DEFAULT_SCALE)
    assert ValueRanges(rs, syms, DEFAULT_SCALE).name("a") == Range(Fraction(0), Fraction(100))


def test_a_ward_setting_an_allowed_but_unsafe_value_gets_e0408_at_its_dat_line(tmp_path: Path):
    province = (SHIPPED / "quoc-gia" / "nd-335-2025.kpi").read_text(encoding="utf-8")
    province = province.replace(
        "tham số tỷ_trọng_kết_quả = 70% khóa", "tham số tỷ_trọng_kết_quả = 70% cho phép 60% đến 80%"
    )
    (tmp_path / "tinh.kpi").write_text(province, encoding="utf-8")
    warned = check_file(tmp_path / "tinh.kpi")
    assert [d.code for d in warned.diagnostics] == ["W0703"] and warned.ok
    ward = 'bộ quy tắc "PHUONG" phiên bản 1\n  tên "P"\n  áp dụng "ND335-2025" phiên bản 1\n\nđặt tỷ_trọng_kết_quả = 75%\n'
    (tmp_path / "phuong.kpi").write_text(ward, encoding="utf-8")
    result = check_file(tmp_path / "phuong.kpi", FileResolver(tmp_path))
    assert [(d.code, d.span.line) for d in result.diagnostics if d.is_error] == [("E0408", 5)]
    assert "lên tới 105" in next(d.message for d in result.diagnostics if d.code == "E0408")


def test_an_input_without_a_declared_range_is_named():
    text = GOOD.replace("× 70%", "× 60% + điểm_thưởng") + 'đầu vào điểm_thưởng "Điểm thưởng": số mặc định 0\n'
    message = next(d.message for d in check_source(text).diagnostics if d.code == "E0408")
    assert "không có giới hạn trên và dưới" in message and 'đầu vào "điểm_thưởng"' in message
    bounded = text.replace("số mặc định 0", "số từ 0 đến 10 mặc định 0")
    assert only(bounded, "E0408") == []
