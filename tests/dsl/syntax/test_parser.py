"""Parser: source → AST fields, syntax diagnostics (codes and positions), keyword spellings."""

from __future__ import annotations

import datetime as dt
import unicodedata
from fractions import Fraction

import pytest

from dsl import ast
from dsl.parser import parse
from dsl.syntax.spans import without_spans

HEAD = 'bộ quy tắc "X" phiên bản 1\n'

NATIONAL = """\
# Bộ quy tắc mẫu
bộ quy tắc "ND335-CC" phiên bản 1
  tên "Đánh giá, xếp loại chất lượng công chức"
  căn cứ "Nghị định 335/2025/NĐ-CP" điều 12, 14, 15, 16, 20
  hiệu lực từ 01/01/2026 đến 31/12/2026
  kỳ tháng
  đối tượng "công chức", "viên chức"
  làm tròn 2 chữ số xuống

tham số mức_trừ_sai_sót = 25% cho phép 0% đến 50% "Mức trừ cho mỗi lần sai sót lớn"
tham số tỷ_lệ_xuất_sắc = 20% khóa
tham số ngưỡng_tốt = 70

đầu vào điểm_tiêu_chí_chung "Điểm tiêu chí chung": số từ 0 đến 30
đầu vào điểm_khả_năng_tổ_chức "Điểm khả năng tổ chức": số từ 0 đến 100 mặc định 100
đầu vào kỷ_luật: thang "", "khiển trách", "cảnh cáo" mặc định ""
trường nhiệm vụ số_hồ_sơ "Số hồ sơ": số mặc định 0

mỗi nhiệm vụ:
  được_tính = trạng_thái <> "Hủy"
  giao = nếu được_tính thì khối_lượng_giao × hệ_số_quy_đổi ngược lại 0
  đạt = nhỏ_nhất(khối_lượng_hoàn_thành, khối_lượng_giao) * hệ_số_quy_đổi  # cuối dòng

tổng_giao = tổng(giao)

tiêu chí a "Số lượng" theo điều 14 khoản 2 điểm a = tỷ_lệ(tổng(đạt), tổng(giao), 100)
tiêu chí d "Kết quả" theo điều 15 khi lãnh_đạo = nếu đếm(cấp dưới nếu xếp_loại = "K") = 0 thì 100 ngược lại 50
tiêu chí g1 "Cải cách" theo "Nghị định 90/2020/NĐ-CP" điều 3 trọng số 10% = 100

điểm = điểm_tiêu_chí_chung + trung_bình(a, d) × 70%

xếp loại theo điều 20:
  "Xuất sắc" nếu điểm >= 90
  "Tốt" nếu 70 <= điểm < 90
  "K" còn lại

loại trừ "K" nếu kỷ_luật >= "khiển trách" theo điều 20 khoản 4 "Bị kỷ luật"
tối đa "Tốt" nếu đếm(kỳ nếu xếp_loại = "K") > 0 "Có quý không hoàn thành"
không xếp loại nếu đếm(kỳ) < 6 theo "Nghị định 90/2020/NĐ-CP" điều 2

hạn mức "Xuất sắc" không quá tỷ_lệ_xuất_sắc số "Tốt"
  trong cùng đơn vị và nhóm nhiệm vụ, hạ điểm thấp trước, làm tròn lên
hạn mức "Tốt" không quá 30% tổng số trong cùng đơn vị, hạ điểm thấp trước, cùng điểm theo họ_và_tên

đầu ra hệ_số "Hệ số thu nhập" = nếu xếp_loại = "Xuất sắc" thì 0.5 ngược lại 0
đặt ngưỡng_tốt = 75
cho phép thêm tiêu chí tối đa 10%

kiểm thử "Ví dụ 1":
  nhiệm vụ 9 lần (khối_lượng_giao 1, trạng_thái "Hoàn thành")
  nhiệm vụ (khối_lượng_giao 1, số_lần_chậm 1, miễn_trừ có, ngày_giao 02/01/2026)
  đầu vào (điểm_tiêu_chí_chung 28)
  mong đợi a 100, điểm 97.42, xếp loại "Xuất sắc"

kiểm thử "Ví dụ 3":
  đặt mức_trừ_sai_sót = 20%
  cán bộ "LD" (lãnh_đạo đúng, điểm_tiêu_chí_chung 27)
    nhiệm vụ 20 lần (trạng_thái "Hoàn thành")
  cán bộ "NV1" (người_quản_lý "LD", điểm_tiêu_chí_chung -1)
    nhiệm vụ (khối_lượng_giao 1)
  mong đợi "LD" d 50, xếp loại trước hạn mức "Tốt"
  mong đợi "NV1" loại trừ sai, không xếp loại sai
"""


def ok(source: str) -> ast.Ruleset:
    ruleset, diags = parse(source)
    assert diags == [], [d.render(source) for d in diags]
    assert ruleset is not None
    return ruleset


def score_expr(text: str) -> ast.Expr:
    rs = ok(HEAD + f"điểm = {text}\n")
    assert rs.score is not None
    return rs.score.expr


def codes(source: str) -> list[tuple[str, int, int]]:
    _, diags = parse(source)
    return [(d.code, d.span.line, d.span.column) for d in diags]


# ---------------------------------------------------------------- the whole file


def test_national_sample_header_and_declarations():
    rs = ok(NATIONAL)
    h = rs.header
    assert (h.code, h.version, h.period) == ("ND335-CC", 1, "tháng")
    assert h.title == "Đánh giá, xếp loại chất lượng công chức"
    assert h.bases[0].document == "Nghị định 335/2025/NĐ-CP"
    assert h.bases[0].articles == ("12", "14", "15", "16", "20")
    assert (h.effective_from, h.effective_to) == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert h.subjects == ("công chức", "viên chức")
    assert (h.rounding.digits, h.rounding.mode) == (2, "xuống")
    assert [k for k, _ in h.item_spans] == ["tên", "căn cứ", "hiệu lực", "kỳ", "đối tượng", "làm tròn"]
    assert dict(h.item_spans)["kỳ"] == ast.Span(6, 3, 6, 11)
    assert h.span.line == 2
    assert rs.source == NATIONAL and rs.filename == "<nguồn>"

    p = {x.name: x for x in rs.params}
    assert p["mức_trừ_sai_sót"].value == ast.Num(p["mức_trừ_sai_sót"].value.span, Fraction(1, 4), "25%", True)
    assert not p["mức_trừ_sai_sót"].locked and p["mức_trừ_sai_sót"].high.value == Fraction(1, 2)
    assert p["mức_trừ_sai_sót"].title == "Mức trừ cho mỗi lần sai sót lớn"
    assert p["tỷ_lệ_xuất_sắc"].locked and p["ngưỡng_tốt"].locked and p["ngưỡng_tốt"].low is None

    inputs = {i.name: i for i in rs.inputs}
    assert inputs["điểm_tiêu_chí_chung"].type.kind == "số"
    assert inputs["điểm_tiêu_chí_chung"].type.high.value == 30
    assert inputs["điểm_tiêu_chí_chung"].default is None
    assert inputs["điểm_khả_năng_tổ_chức"].default.value == 100
    assert inputs["kỷ_luật"].type.scale == ("", "khiển trách", "cảnh cáo")
    assert inputs["kỷ_luật"].title is None and inputs["kỷ_luật"].default.value == ""
    assert rs.fields[0].name == "số_hồ_sơ" and rs.fields[0].title == "Số hồ sơ"

    defs = {d.name: d for d in rs.definitions}
    assert [d.per_task for d in rs.definitions] == [True, True, True, False]
    assert defs["đạt"].expr.op == "*" and defs["giao"].expr.otherwise.value == 0
    assert defs["được_tính"].expr.ops == ("<>",)
    assert defs["đạt"].span == ast.Span(22, 3, 22, 73)


def test_national_sample_criteria_levels_vetoes_quotas():
    rs = ok(NATIONAL)
    a, d, g = rs.criteria
    assert (a.code, a.title) == ("a", "Số lượng")
    assert (a.citation.article, a.citation.clause, a.citation.point, a.citation.document) == (
        "14",
        "2",
        "a",
        None,
    )
    assert a.expr.func == "tỷ_lệ" and len(a.expr.args) == 3
    assert d.when == ast.Name(d.when.span, "lãnh_đạo")
    assert isinstance(d.expr, ast.If) and d.expr.cond.operands[0].scope == "cấp_dưới"
    assert (
        g.code == "g1"
        and g.weight.value == Fraction(1, 10)
        and g.citation.document.startswith("Nghị định 90")
    )
    assert rs.score.expr.op == "+" and rs.score.expr.right.right.percent

    lv = rs.levels
    assert lv.citation.article == "20"
    assert [x.name for x in lv.levels] == ["Xuất sắc", "Tốt", "K"]
    assert lv.levels[1].cond.ops == ("<=", "<") and lv.levels[2].cond is None

    v1, v2, v3 = rs.vetoes
    assert (v1.kind, v1.level, v1.reason, v1.citation.clause) == ("loại trừ", "K", "Bị kỷ luật", "4")
    assert (v2.kind, v2.level, v2.reason, v2.citation) == ("tối đa", "Tốt", "Có quý không hoàn thành", None)
    assert v2.cond.operands[0].scope == "kỳ"
    assert (v3.kind, v3.level, v3.reason) == ("không xếp loại", None, None)

    q1, q2 = rs.quotas
    assert (q1.level, q1.of_level, q1.scope, q1.rounding) == (
        "Xuất sắc",
        "Tốt",
        ("đơn_vị", "nhóm_nhiệm_vụ"),
        "lên",
    )
    assert q1.limit == ast.Name(q1.limit.span, "tỷ_lệ_xuất_sắc") and q1.span.end_line == 42
    assert (q2.of_level, q2.scope, q2.tie_field, q2.rounding) == (None, ("đơn_vị",), "họ_và_tên", "xuống")
    assert rs.outputs[0].title == "Hệ số thu nhập"
    assert rs.overrides[0].name == "ngưỡng_tốt" and rs.allow_add.max_weight.value == Fraction(1, 10)


def test_national_sample_test_cases():
    t1, t2 = ok(NATIONAL).tests
    (cb1,) = t1.persons
    assert cb1.code == "CB1" and [r.count for r in cb1.records] == [9, 1]
    assert [a.name for a in cb1.attrs] == ["điểm_tiêu_chí_chung"]
    rec = {a.name: a.value for a in cb1.records[1].attrs}
    assert rec["miễn_trừ"] == ast.Bool(rec["miễn_trừ"].span, True)
    assert rec["ngày_giao"].value == dt.date(2026, 1, 2)
    assert [(e.person, e.key) for e in t1.expectations] == [(None, "a"), (None, "điểm"), (None, "xếp_loại")]
    assert t1.expectations[1].value.value == Fraction(4871, 50)

    assert [p.code for p in t2.persons] == ["LD", "NV1"]
    assert t2.persons[0].records[0].count == 20
    assert t2.persons[1].attrs[1].value.value == -1
    assert t2.overrides[0].value.value == Fraction(1, 5)
    keys = [(e.person, e.key) for e in t2.expectations]
    assert keys == [
        ("LD", "d"),
        ("LD", "xếp_loại_trước_hạn_mức"),
        ("NV1", "loại_trừ"),
        ("NV1", "không_xếp_loại"),
    ]


def test_rollup_adoption_and_period_records():
    src = (
        'bộ quy tắc "TH" phiên bản 2\n  áp dụng "TỈNH" phiên bản 1\n  tổng hợp từ quý\n  kỳ năm\n'
        'kiểm thử "năm":\n  kết quả kỳ (kỳ "2026-Q1", điểm 92)\n  mong đợi điểm 92\n'
    )
    rs = ok(src)
    assert rs.header.adopts.code == "TỈNH" and rs.header.adopts.version == 2 - 1
    assert (rs.header.rollup_from, rs.header.period) == ("quý", "năm")
    rec = rs.tests[0].persons[0].records[0]
    assert rec.kind == "kỳ" and [a.name for a in rec.attrs] == ["kỳ", "điểm"]


# ---------------------------------------------------------------- expressions


def test_operators_normalised():
    assert score_expr("a × b").op == "*" and score_expr("a * b").op == "*"
    assert score_expr("a <> b").ops == ("<>",) and score_expr("a != b").ops == ("<>",)
    assert score_expr("a - b").op == "-" and score_expr("a − b").op == "-"
    assert score_expr("a va b").op == "và" and score_expr("a HOẶC b").op == "hoặc"
    e = score_expr("khong a")
    assert (e.op, e.operand.name) == ("không", "a")


def test_precedence_and_chains():
    e = score_expr("1 + 2 × 3")
    assert e.op == "+" and e.right.op == "*"
    e = score_expr("a - b - c")
    assert e.left.op == "-" and e.left.left.name == "a"
    e = score_expr("không a = 1 và b hoặc c")
    assert e.op == "hoặc" and e.left.op == "và" and e.left.left.op == "không"
    e = score_expr("50 <= điểm < 70")
    assert isinstance(e, ast.Compare) and e.ops == ("<=", "<") and len(e.operands) == 3
    e = score_expr("-(a + 1)")
    assert e.op == "-" and e.operand.op == "+"
    e = score_expr("nếu a thì 1 ngược lại nếu b thì 2 ngược lại 3")
    assert isinstance(e.otherwise, ast.If)


def test_literals_exact():
    assert score_expr("97.5") == ast.Num(ast.Span(2, 8, 2, 12), Fraction(195, 2), "97.5", False)
    assert score_expr("25%").value == Fraction(1, 4) and score_expr("12.5%").value == Fraction(1, 8)
    assert score_expr("01/02/2026").value == dt.date(2026, 2, 1)
    assert score_expr('"a \\" b"').value == 'a " b'
    assert score_expr("đúng").value is True and score_expr("sai").value is False


def test_score_keyword_and_identifiers():
    assert score_expr("điểm") == ast.Name(ast.Span(2, 8, 2, 12), "điểm")
    assert score_expr("điểm_tiêu_chí_chung").name == "điểm_tiêu_chí_chung"
    assert score_expr("xếp_loại").name == "xếp_loại"
    assert score_expr("nếu_x").name == "nếu_x"
    assert score_expr("sai_sót").name == "sai_sót"


def test_calls_and_aggregates():
    e = score_expr('tổng(giao nếu trạng_thái = "Hoàn thành")')
    assert (e.func, e.scope, len(e.args), e.where.ops) == ("tổng", None, 1, ("=",))
    e = score_expr("đếm()")
    assert (e.func, e.args, e.where) == ("đếm", (), None)
    e = score_expr("đếm(nếu a > 1)")
    assert e.args == () and e.where.ops == (">",)
    e = score_expr('đếm(cấp dưới nếu xếp_loại = "K")')
    assert e.scope == "cấp_dưới" and e.where is not None
    e = score_expr("đếm(nhiệm vụ nếu a)")
    assert e.scope == "nhiệm_vụ"
    e = score_expr("trung_bình(kỳ, điểm)")
    assert e.scope == "kỳ" and e.args == (ast.Name(e.args[0].span, "điểm"),)
    e = score_expr("đếm(kỳ)")
    assert e.scope == "kỳ" and e.args == ()
    e = score_expr("trung_bình(giao, khi rỗng 0)")
    assert len(e.args) == 1 and e.if_empty.value == 0
    e = score_expr("tỷ_lệ(tổng(đạt), tổng(giao), 100)")
    assert e.func == "tỷ_lệ" and [a.func for a in e.args[:2]] == ["tổng", "tổng"]
    assert e.func_span == ast.Span(2, 8, 2, 13)
    e = score_expr("tổng(nếu a thì 1 ngược lại 2)")
    assert e.where is None and isinstance(e.args[0], ast.If)
    e = score_expr("có_giá_trị(kỳ)")  # the field `kỳ`, not a scope, for scalar functions
    assert e.scope is None and e.args[0].name == "kỳ"


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("trung_binh", "trung_bình"),
        ("TỔNG", "tổng"),
        ("ti_le", "tỷ_lệ"),
        ("tỉ_lệ", "tỷ_lệ"),
        ("lam_tron_len", "làm_tròn_lên"),
        ("so_ngay", "số_ngày"),
        ("tri_tuyet_doi", "trị_tuyệt_đối"),
        ("hàm_lạ", "hàm_lạ"),
    ],
)
def test_function_aliases(written, canonical):
    assert score_expr(f"{written}(1, 2)").func == canonical


# ---------------------------------------------------------------- spellings give equal trees


def test_nfd_and_tone_styles_give_equal_trees():
    base = without_spans(ok(NATIONAL))
    assert without_spans(ok(unicodedata.normalize("NFD", NATIONAL))) == base
    old = ok(HEAD + 'tham số mức_hòa = 1 "hòa"\n')
    new = ok(HEAD + 'tham số mức_hoà = 1 "hoà"\n')
    assert without_spans(old) == without_spans(new)
    assert new.params[0].name == "mức_hòa" and new.params[0].title == "hòa"


def test_ascii_aliases_and_upper_case_keywords():
    canonical = (
        HEAD + '  tên "T"\n  kỳ quý\ntham số p = 5% cho phép 1% đến 9%\n'
        'đầu vào x "X": đúng sai mặc định sai\n'
        'tiêu chí đ "Đ" theo điều 1 khoản 2 điểm b khi không x trọng số 100% = nếu x thì điểm_tiêu_chí_chung ngược lại 0\n'
        'xếp loại:\n  "A" nếu điểm >= 1\n  "B" còn lại\n'
        'hạn mức "A" không quá 10% tổng số trong cùng nhóm nhiệm vụ, hạ điểm thấp trước, làm tròn gần nhất\n'
        'kiểm thử "t":\n  mong đợi đ 1, xếp loại "A", loại trừ sai\n'
    )
    ascii_ = (
        'bo quy tac "X" phien ban 1\n  ten "T"\n  ky quy\ntham so p = 5% cho phep 1% den 9%\n'
        'dau vao x "X": dung sai mac dinh sai\n'
        'tieu chi đ "Đ" theo dieu 1 khoan 2 diem b khi khong x trong so 100% = neu x thi điểm_tiêu_chí_chung nguoc lai 0\n'
        'xep loai:\n  "A" neu diem >= 1\n  "B" con lai\n'
        'han muc "A" khong qua 10% tong so trong cung nhom nhiem vu, ha diem thap truoc, lam tron gan nhat\n'
        'kiem thu "t":\n  mong doi đ 1, xep loai "A", loai tru sai\n'
    )
    upper = (
        'BỘ   QUY TẮC "X" PHIÊN BẢN 1\n  TÊN "T"\n  KỲ QUÝ\nTHAM SỐ p = 5% CHO PHÉP 1% ĐẾN 9%\n'
        'ĐẦU VÀO x "X": ĐÚNG SAI MẶC ĐỊNH SAI\n'
        'TIÊU CHÍ đ "Đ" THEO ĐIỀU 1 KHOẢN 2 ĐIỂM b KHI KHÔNG x TRỌNG SỐ 100% = NẾU x THÌ điểm_tiêu_chí_chung NGƯỢC LẠI 0\n'
        'XẾP LOẠI:\n  "A" NẾU ĐIỂM >= 1\n  "B" CÒN LẠI\n'
        'HẠN MỨC "A" KHÔNG QUÁ 10% TỔNG SỐ TRONG CÙNG NHÓM NHIỆM VỤ, HẠ ĐIỂM THẤP TRƯỚC, LÀM TRÒN GẦN NHẤT\n'
        'KIỂM THỬ "t":\n  MONG ĐỢI đ 1, XẾP LOẠI "A", LOẠI TRỪ SAI\n'
    )
    base = without_spans(ok(canonical))
    assert without_spans(ok(ascii_)) == base
    assert without_spans(ok(upper)) == base
    assert base.quotas[0].rounding == "gần nhất" and base.criteria[0].citation.point == "b"
    assert base.inputs[0].type.kind == "đúng sai" and base.header.period == "quý"
