"""Formatter: canonical layout, idempotence, comments kept, meaning unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest

from dsl.formatter import format_source
from dsl.parser import parse
from dsl.syntax.spans import without_spans

ROOT = Path(__file__).parents[2]
HEAD = 'bộ quy tắc "X" phiên bản 1\n'

MESSY = """\
# đầu tệp
BO QUY TAC   "X"  PHIEN BAN 1   # phần đầu
    TEN "Thử"
    ky thang
    lam tron 2 chu so nua len
tham so  a=25%   cho phep 0% den 50%
tham so b = 70
# về mỗi nhiệm vụ
moi nhiem vu:
    giao=khoi_luong_giao*he_so_quy_doi
    # giữa khối
    dat=khoi_luong_hoan_thanh   # cuối
tieu chi a "A" theo dieu 14 = ti_le(tong(dat),tong(giao),100)
tieu chi b "B" khi (don_vi = "X") va lanh_dao trong so 10%+a = tong(giao nếu trạng_thái="Hoàn thành")
diem=a*(b+1)-(2-1)-trung_binh(giao,khi rong 0)
XEP LOAI:
    "A" neu diem>=90 hoac khong (diem<1)
    "B" con lai
han muc "A" khong qua a so "B" trong cung don vi, nhom nhiem vu, ha diem thap truoc, lam tron len, cung diem theo họ_và_tên
kiem thu "t":
    nhiem vu 2 lan (khoi_luong_giao 1,trang_thai "Hoàn thành")
    điểm_tiêu_chí_chung 28
    mong doi a 100,diem 97.42
    mong doi xep loai "A"
# cuối tệp
"""


def fmt(source: str) -> str:
    out, diags = format_source(source)
    assert out is not None, [d.render(source) for d in diags]
    return out


def same_meaning(a: str, b: str) -> bool:
    ra, _ = parse(a)
    rb, _ = parse(b)
    return ra is not None and rb is not None and without_spans(ra) == without_spans(rb)


def test_canonical_layout():
    out = fmt(MESSY)
    assert (
        out
        == """\
# đầu tệp
bộ quy tắc "X" phiên bản 1  # phần đầu
  tên "Thử"
  kỳ tháng
  làm tròn 2 chữ số nửa lên

tham số a = 25% cho phép 0% đến 50%
tham số b = 70 khóa

# về mỗi nhiệm vụ
mỗi nhiệm vụ:
  giao = khoi_luong_giao × he_so_quy_doi
  # giữa khối
  dat = khoi_luong_hoan_thanh  # cuối

tiêu chí a "A" theo điều 14 = tỷ_lệ(tổng(dat), tổng(giao), 100)
tiêu chí b "B" khi (don_vi = "X") và lanh_dao trọng số 10% + a = tổng(giao nếu trạng_thái = "Hoàn thành")

điểm = a × (b + 1) - (2 - 1) - trung_bình(giao, khi rỗng 0)

xếp loại:
  "A" nếu điểm >= 90 hoặc không điểm < 1
  "B" còn lại

hạn mức "A" không quá a số "B"
  trong cùng đơn vị và nhóm nhiệm vụ, hạ điểm thấp trước, cùng điểm theo họ_và_tên, làm tròn lên

kiểm thử "t":
  nhiệm vụ 2 lần (khoi_luong_giao 1, trang_thai "Hoàn thành")
  đầu vào (điểm_tiêu_chí_chung 28)
  mong đợi a 100, điểm 97.42
  mong đợi xếp loại "A"

# cuối tệp
"""
    )
    assert same_meaning(MESSY, out)
    assert fmt(out) == out


def test_every_comment_is_kept():
    out = fmt(MESSY)
    for line in MESSY.splitlines():
        if "#" in line:
            assert line[line.index("#") :].strip() in out


def test_long_quota_continues_on_an_indented_line():
    src = (
        HEAD
        + 'hạn mức "Hoàn thành xuất sắc nhiệm vụ" không quá 20% số "Hoàn thành tốt nhiệm vụ" trong cùng đơn vị và nhóm nhiệm vụ\n'
    )
    out = fmt(src)
    assert out.splitlines()[2:] == [
        'hạn mức "Hoàn thành xuất sắc nhiệm vụ" không quá 20% số "Hoàn thành tốt nhiệm vụ"',
        "  trong cùng đơn vị và nhóm nhiệm vụ, hạ điểm thấp trước, làm tròn xuống",
    ]
    assert fmt(out) == out and same_meaning(src, out)


@pytest.mark.parametrize(
    "expr",
    [
        "a - (b - c)",
        "(a - b) - c",
        "-(a + b) × 2",
        "a / (b × c)",
        "không (a và b)",
        "(a hoặc b) và c",
        "(nếu a thì 1 ngược lại 2) + 1",
        "nếu a thì nếu b thì 1 ngược lại 2 ngược lại 3",
        "(a = b) = c",
        "a = (b < c)",
        "f(kỳ, (a))",
        "- -1",
        "--1 - -1",
        "tổng(cấp dưới, điểm nếu x = 1, khi rỗng 0)",
        "đếm(nếu a)",
        "có_giá_trị(kỳ)",
    ],
)
def test_expressions_round_trip(expr):
    src = HEAD + f"điểm = {expr}\n"
    out = fmt(src)
    assert same_meaning(src, out) and fmt(out) == out


def test_criterion_condition_with_equals_keeps_brackets():
    src = HEAD + 'tiêu chí a khi (x = 1) hoặc không (y = "b") = 1\n'
    out = fmt(src)
    assert 'khi (x = 1) hoặc không (y = "b") = 1' in out and same_meaning(src, out)


def test_test_cases_with_persons_keep_their_records():
    src = HEAD + (
        'kiểm thử "a":\n  đặt p = 1\n  cán bộ "LD" (lãnh_đạo có)  # người\n    nhiệm vụ (a 1)\n'
        '    kết quả kỳ (kỳ "2026-01", điểm -2.5)\n  cán bộ "NV"\n    nhiệm vụ 3 lần ()\n'
        '  mong đợi "LD" d 50, xếp loại "A"\n  mong đợi "NV" điểm 1\n'
    )
    out = fmt(src)
    assert '  cán bộ "LD" (lãnh_đạo đúng)  # người\n    nhiệm vụ (a 1)\n' in out
    assert '    kết quả kỳ (kỳ "2026-01", điểm -2.5)\n  cán bộ "NV"\n    nhiệm vụ 3 lần ()\n' in out
    assert same_meaning(src, out) and fmt(out) == out


def test_header_items_and_declarations_round_trip():
    src = HEAD + (
        '  căn cứ "NĐ 1" điều 1, 2\n  căn cứ "NĐ 2"\n  hiệu lực từ 1/1/2026 đến 31/12/2026\n'
        '  đối tượng "a", "b"\n  đối tượng "c"\n  áp dụng "P" phiên bản 3\n  tổng hợp từ tháng\n'
        'đầu vào k: thang "", "x" mặc định ""\ntrường nhiệm vụ n "N": ngày\nđầu vào d: văn bản\n'
        'đặt p = -5\ncho phép thêm tiêu chí tối đa 10%\nđầu ra o "O" = 1\n'
        'loại trừ "K" nếu a theo "NĐ 2" điều 3 khoản 1 điểm đ "lý do"\nkhông xếp loại nếu b\n'
    )
    out = fmt(src)
    assert "  hiệu lực từ 01/01/2026 đến 31/12/2026\n" in out and '  đối tượng "a", "b", "c"\n' in out
    assert same_meaning(src, out) and fmt(out) == out


def test_text_escapes_round_trip():
    src = HEAD + 'tham số t = "a \\" b \\\\ c" "tiêu đề # không phải chú thích"  # chú thích\n'
    out = fmt(src)
    assert (
        out.splitlines()[-1]
        == 'tham số t = "a \\" b \\\\ c" khóa "tiêu đề # không phải chú thích"  # chú thích'
    )
    assert same_meaning(src, out)


def test_blank_line_after_a_comment_block_is_kept():
    src = "# giấy phép\n# tác giả\n\n" + HEAD + "\n\n# cuối\n\n\n"
    assert fmt(src) == "# giấy phép\n# tác giả\n\n" + HEAD + "\n# cuối\n"


def test_and_inside_or_keeps_its_brackets():
    src = HEAD + "điểm = a hoặc (b và c) hoặc không d và e\n"
    out = fmt(src)
    assert out.endswith("điểm = a hoặc (b và c) hoặc (không d và e)\n") and same_meaning(src, out)


def test_crlf_and_bom_give_the_same_layout():
    assert fmt("\ufeff" + MESSY.replace("\n", "\r\n")) == fmt(MESSY)


def test_unparsable_source_gives_none_and_diagnostics():
    out, diags = format_source(HEAD + "điểm = \n", "x.kpi")
    assert out is None and [(d.code, d.file) for d in diags] == [("E0001", "x.kpi")]


def _samples() -> list[Path]:
    return sorted((ROOT / "rulesets").rglob("*.kpi"))


@pytest.mark.parametrize("path", _samples(), ids=lambda p: p.name)
def test_shipped_rulesets_are_stable_under_formatting(path):
    source = path.read_text(encoding="utf-8")
    out, diags = format_source(source, str(path))
    assert out is not None, f"{path.name} does not parse: {diags[0].message}"
    assert fmt(out) == out
    assert same_meaning(source, out)


def test_comments_inside_brackets_stay_with_their_statement():
    src = (
        HEAD
        + "điểm = tổng(  # một\n  giao,  # hai\n  # ba\n  khi rỗng 0)  # bốn\n# năm\ntham số a = 1  # sáu\n"
    )
    out = fmt(src)
    assert out == (
        HEAD
        + "\n# ba\nđiểm = tổng(giao, khi rỗng 0)  # một # hai # bốn\n\n# năm\ntham số a = 1 khóa  # sáu\n"
    )
    assert fmt(out) == out and same_meaning(src, out)


def test_long_operator_chains_and_else_if_chains_format_without_recursion_errors():
    chain = " ".join(f"nếu a = {i} thì {i} ngược lại" for i in range(95)) + " 0"
    total = " + ".join(["1"] * 95)
    src = HEAD + f"điểm = ({chain}) + {total}\n"
    out = fmt(src)
    assert out.count("ngược lại") == 95 and out.count(" + 1") == 95
    assert fmt(out) == out and same_meaning(src, out)


def test_score_scale_header_round_trips():
    source = 'bộ quy tắc "X" phiên bản 1\n  kỳ tháng\n  THANG   DIEM 0   đến 10\n\nđiểm = 1\n'
    out = fmt(source)
    assert "\n  thang điểm 0 đến 10\n" in out and fmt(out) == out
