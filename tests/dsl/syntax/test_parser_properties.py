"""Property tests: the parser and the formatter never raise, whatever the text."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dsl import ast
from dsl.diagnostics import Diagnostic
from dsl.formatter import format_source
from dsl.parser import KEYWORDS, parse
from dsl.syntax.spans import without_spans

SAMPLE = """\
bộ quy tắc "ND335-CC" phiên bản 1
  tên "Đánh giá"
  căn cứ "Nghị định 335/2025/NĐ-CP" điều 12, 14
  hiệu lực từ 01/01/2026
  kỳ tháng
  làm tròn 2 chữ số
tham số mức_trừ = 25% cho phép 0% đến 50% "Mức trừ"
đầu vào kỷ_luật: thang "", "khiển trách" mặc định ""
mỗi nhiệm vụ:
  giao = khối_lượng_giao × hệ_số_quy_đổi  # c
  đạt = nếu miễn_trừ thì giao ngược lại giao × lớn_nhất(0, 1 - mức_trừ × số_lần_sai_sót_lớn)
tiêu chí a "Số lượng" theo điều 14 khoản 2 điểm a = tỷ_lệ(tổng(đạt), tổng(giao), 100)
tiêu chí d "Đơn vị" khi lãnh_đạo = nếu đếm(cấp dưới nếu xếp_loại = "K") = 0 thì 100 ngược lại 50
điểm = điểm_tiêu_chí_chung + trung_bình(a, d) × 70%
xếp loại theo điều 20:
  "A" nếu điểm >= 90
  "K" còn lại
loại trừ "K" nếu kỷ_luật >= "khiển trách" theo điều 20 khoản 4 "Kỷ luật"
hạn mức "A" không quá 20% số "K"
  trong cùng đơn vị và nhóm nhiệm vụ, hạ điểm thấp trước
đầu ra hệ_số "Hệ số" = nếu xếp_loại = "A" thì 0.5 ngược lại 0
kiểm thử "Ví dụ":
  cán bộ "LD" (lãnh_đạo đúng, điểm_tiêu_chí_chung 27)
    nhiệm vụ 2 lần (trạng_thái "Hoàn thành")
  mong đợi "LD" a 100, xếp loại "A"
"""
LINES = SAMPLE.splitlines(keepends=True)
ALPHABET = st.sampled_from(
    list(' \n\t()"#,:=<>+-×*/%.0123456789abcdđxyz_ạếộ“”\\')
    + [k + " " for k in KEYWORDS]
    + ["  ", "\n  ", "\n    "]
)

relaxed = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check(source: str) -> None:
    ruleset, diags = parse(source)
    assert isinstance(diags, list) and all(isinstance(d, Diagnostic) for d in diags)
    assert all(d.span.line >= 1 and d.span.column >= 1 for d in diags)
    assert all(d.code in ("E0001", "E0002", "E0003", "E0105", "E0904") for d in diags)
    if ruleset is not None:
        assert isinstance(ruleset, ast.Ruleset)
    else:
        assert any(d.is_error for d in diags)


@relaxed
@given(st.text(max_size=300))
def test_arbitrary_text_only_yields_diagnostics(text):
    _check(text)


@relaxed
@given(st.lists(ALPHABET, max_size=80).map("".join))
def test_token_soup_only_yields_diagnostics(text):
    _check(SAMPLE[:27] + text)


@relaxed
@given(st.integers(0, len(SAMPLE)), st.integers(0, len(SAMPLE)))
def test_fragments_of_a_valid_ruleset(start, end):
    _check(SAMPLE[min(start, end) : max(start, end)])
    _check(SAMPLE[:27] + SAMPLE[min(start, end) : max(start, end)])


@relaxed
@given(st.lists(st.sampled_from(LINES), max_size=30), st.data())
def test_shuffled_lines_format_stably(lines, data):
    source = LINES[0] + "".join(lines)
    _check(source)
    out, _ = format_source(source)
    if out is not None:
        again, _ = format_source(out)
        assert again == out
        assert without_spans(parse(out)[0]) == without_spans(parse(source)[0])


@relaxed
@given(st.integers(0, len(SAMPLE) - 1), st.sampled_from(["", " ", "\n", "(", ")", '"', "#", ":", "=", "  "]))
def test_one_character_edits(position, insert):
    source = SAMPLE[:position] + insert + SAMPLE[position + 1 :]
    _check(source)
    out, _ = format_source(source)
    if out is not None:
        assert format_source(out)[0] == out
