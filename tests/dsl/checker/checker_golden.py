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
  đạt = nhỏ_nhất(khối_lượng_hoàn_thành, khối_lượng_giao) × hệ_số_quy_đổi

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


# a ruleset using most of the language: leaders, subordinates, outputs, vetoes, quotas, tests
RICH = (
    HEADER
    + """
tham số mức_trừ = 25% cho phép 0% đến 50%
tham số tỷ_lệ_xuất_sắc = 20% khóa
đầu vào điểm_tổ_chức "Điểm tổ chức": số từ 0 đến 100 mặc định 100
trường nhiệm vụ số_giờ "Số giờ": số mặc định 1

mỗi nhiệm vụ:
  được_tính = trạng_thái <> "Hủy"
  giao = nếu được_tính thì khối_lượng_giao × hệ_số_quy_đổi ngược lại 0
  đạt = nếu được_tính thì nhỏ_nhất(khối_lượng_hoàn_thành, khối_lượng_giao) × hệ_số_quy_đổi × lớn_nhất(0, 1 - mức_trừ × số_lần_sai_sót_lớn) ngược lại 0
  trễ = có_giá_trị(ngày_hoàn_thành) và có_giá_trị(hạn_hoàn_thành) và ngày_hoàn_thành > hạn_hoàn_thành

tổng_giao = tổng(giao)
tiêu chí a "Số lượng" theo điều 14 = tỷ_lệ(tổng(đạt), tổng_giao, 0)
tiêu chí c "Tiến độ" theo điều 14 = lớn_nhất(0, 100 - 25 × đếm(nếu trễ))
tiêu chí d "Đơn vị" theo điều 15 khi lãnh_đạo = nếu đếm(cấp dưới nếu xếp_loại = "Không hoàn thành nhiệm vụ") = 0 thì 100 ngược lại 50
tiêu chí đ "Tổ chức" theo điều 15 khi lãnh_đạo = giới_hạn(điểm_tổ_chức, 0, 100)

điểm = điểm_tiêu_chí_chung + trung_bình(a, c, d, đ) × 70%

đầu ra hệ_số_thu_nhập "Hệ số" = nếu xếp_loại = "Hoàn thành xuất sắc nhiệm vụ" thì 0.5 ngược lại 0

"""
    + LEVELS
    + """
loại trừ "Không hoàn thành nhiệm vụ" nếu kỷ_luật >= "khiển trách" theo điều 20 "Kỷ luật"
hạn mức "Hoàn thành xuất sắc nhiệm vụ" không quá tỷ_lệ_xuất_sắc số "Hoàn thành tốt nhiệm vụ"
  trong cùng đơn vị và nhóm nhiệm vụ, hạ điểm thấp trước, làm tròn xuống

kiểm thử "Lãnh đạo":
  cán bộ "LD" (lãnh_đạo đúng, điểm_tiêu_chí_chung 27)
    nhiệm vụ 3 lần (trạng_thái "Hoàn thành", số_giờ 2)
  cán bộ "NV1" (người_quản_lý "LD", điểm_tiêu_chí_chung 10)
    nhiệm vụ (khối_lượng_hoàn_thành 0, trạng_thái "Đang thực hiện", ngày_hoàn_thành 01/02/2026)
  mong đợi "LD" d 50, xếp loại "Hoàn thành tốt nhiệm vụ", hệ_số_thu_nhập 0
"""
)
