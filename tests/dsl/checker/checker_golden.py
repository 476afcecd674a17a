"""Helpers for golden checker tests: source text → [(code, line, column)]."""

from __future__ import annotations

import textwrap

from dsl.pipeline import check_source

HEADER = """\
bộ quy tắc "THU" phiên bản 1
  tên "Bộ quy tắc thử"
  căn cứ "Nghị định 335/2025/NĐ-CP" điều 12, 14, 20
  hiệu lực từ 01/01/2026
  kỳ tháng
"""

LEVELS = """\
xếp loại theo điều 20:
  "Hoàn thành xuất sắc nhiệm vụ" nếu điểm >= 90
  "Hoàn thành tốt nhiệm vụ" nếu điểm >= 70
  "Hoàn thành nhiệm vụ" nếu điểm >= 50
  "Không hoàn thành nhiệm vụ" còn lại
"""

BODY = """\
tham số mức_trừ = 25% cho phép 0% đến 50%

mỗi nhiệm vụ:
  giao = khối_lượng_giao × hệ_số_quy_đổi
  đạt = khối_lượng_hoàn_thành × hệ_số_quy_đổi

tiêu chí a "Số lượng" theo điều 14 = tỷ_lệ(tổng(đạt), tổng(giao), 100)

điểm = điểm_tiêu_chí_chung + a × 70%
"""

VALID = HEADER + "\n" + BODY + "\n" + LEVELS


def run(source: str, **kw):
    return check_source(textwrap.dedent(source), "thu.kpi", **kw)


def codes(source: str, **kw) -> list[tuple[str, int, int]]:
    return [(d.code, d.span.line, d.span.column) for d in run(source, **kw).diagnostics]


def only(source: str, *wanted: str, **kw) -> list[tuple[str, int, int]]:
    """The diagnostics with the given codes (so a test is not coupled to unrelated warnings)."""
    return [c for c in codes(source, **kw) if c[0] in wanted]


def line_of(source: str, needle: str) -> int:
    for i, text in enumerate(source.splitlines(), 1):
        if needle in text:
            return i
    raise AssertionError(needle)


def col_of(source: str, needle: str) -> tuple[int, int]:
    """(line, 1-based column) of the first occurrence of `needle`."""
    for i, text in enumerate(source.splitlines(), 1):
        j = text.find(needle)
        if j >= 0:
            return i, j + 1
    raise AssertionError(needle)


def pos(source: str, needle: str, sub: str) -> tuple[int, int]:
    """(line, column) of `sub` inside the first occurrence of `needle`."""
    line, col = col_of(source, needle)
    return line, col + needle.index(sub)
