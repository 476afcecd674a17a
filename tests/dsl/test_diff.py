from dataclasses import replace
from fractions import Fraction

import pytest

from dsl import ast
from dsl.diff import diff_rulesets, expr_text, same

S = ast.Span(1, 1, 1, 2)
T = ast.Span(9, 9, 9, 12)  # another span: must not matter


def num(v, span=S, percent=False, text=None):
    v = Fraction(v)
    shown = f"{v * 100}%" if percent else str(v)
    return ast.Num(span, v, text or shown, percent)


def name(n, span=S):
    return ast.Name(span, n)


def call(f, *args, **kw):
    return ast.Call(S, f, args, S, **kw)


def ruleset(**kw):
    base = dict(
        header=ast.Header(
            "ND335", 1, S, title="Công chức", bases=(ast.LegalBasis("Nghị định 335/2025/NĐ-CP", ("12",), S),)
        ),
        params=(
            ast.Param(
                "mức_trừ",
                num("1/4", percent=True),
                S,
                low=num(0, percent=True),
                high=num("1/2", percent=True),
                locked=False,
            ),
        ),
        criteria=(
            ast.Criterion(
                "a",
                "Số lượng",
                call("tỷ_lệ", call("tổng", name("đạt")), call("tổng", name("giao")), num(100)),
                S,
            ),
            ast.Criterion("b", "Chất lượng", name("b_giá_trị"), S),
        ),
        score=ast.Score(
            ast.Binary(S, "+", name("điểm_tiêu_chí_chung"), ast.Binary(S, "*", name("a"), num("7/10"))), S
        ),
        levels=ast.Levels(
            (
                ast.Level("Xuất sắc", ast.Compare(S, (">=",), (name("điểm"), num(90))), S),
                ast.Level("Tốt", ast.Compare(S, (">=",), (name("điểm"), num(70))), S),
                ast.Level("Không hoàn thành", None, S),
            ),
            S,
        ),
        quotas=(ast.Quota("Xuất sắc", num("1/5", percent=True), "Tốt", S, scope=("đơn_vị",)),),
    )
    base.update(kw)
    return ast.Ruleset(**base)


def areas(changes):
    return [(c.kind, c.area, c.key) for c in changes]


def test_same_ruleset_with_other_spans_has_no_changes():
    old = ruleset()
    moved = ruleset(
        criteria=(
            ast.Criterion(
                "a",
                "Số lượng",
                call(
                    "tỷ_lệ",
                    call("tổng", name("đạt", T)),
                    call("tổng", name("giao")),
                    num(100, T, text="100.0"),
                ),
                T,
            ),
            ast.Criterion("b", "Chất lượng", name("b_giá_trị", T), T),
        ),
        source="# other comments",
        tests=(ast.TestCase("x", (), (), S),),
    )
    assert diff_rulesets(old, moved) == []


def test_criteria_changes():
    old = ruleset()
    c = old.criteria
    new = ruleset(
        criteria=(
            replace(c[0], expr=call("tỷ_lệ", call("tổng", name("đạt")), call("tổng", name("giao")), num(0))),
            ast.Criterion("g", "Cải cách hành chính", num(100), S, weight=num("1/10", percent=True)),
        )
    )
    changes = diff_rulesets(old, new)
    assert ("sửa", "tiêu chí", "a") in areas(changes)
    assert ("bỏ", "tiêu chí", "b") in areas(changes)
    assert ("thêm", "tiêu chí", "g") in areas(changes)
    formula = next(ch for ch in changes if ch.key == "a")
    assert formula.old == "tỷ_lệ(tổng(đạt), tổng(giao), 100)"
    assert formula.new == "tỷ_lệ(tổng(đạt), tổng(giao), 0)"
    assert formula.render().startswith("~ ")


def test_parameter_value_bounds_and_lock():
    old = ruleset()
    p = old.params[0]
    new = ruleset(
        params=(replace(p, value=num("1/5", percent=True), high=num("3/10", percent=True), locked=True),)
    )
    changes = [c for c in diff_rulesets(old, new) if c.area == "tham số"]
    assert len(changes) == 3
    assert changes[0].old == "25%" and changes[0].new == "20%"


def test_levels_header_quota_and_score():
    old = ruleset()
    lv = old.levels.levels
    new = ruleset(
        header=replace(old.header, version=2, rounding=ast.Rounding(1)),
        levels=ast.Levels((lv[1], lv[0], replace(lv[2], name="Không đạt")), S),
        quotas=(replace(old.quotas[0], limit=num("3/10", percent=True)),),
        score=ast.Score(ast.Binary(S, "*", name("a"), num("7/10")), S),
    )
    got = areas(diff_rulesets(old, new))
    assert ("sửa", "đầu tệp", "phiên bản") in got
    assert ("sửa", "đầu tệp", "làm tròn") in got
    assert ("sửa", "xếp loại", "thứ tự") in got
    assert ("bỏ", "xếp loại", "Không hoàn thành") in got and ("thêm", "xếp loại", "Không đạt") in got
    assert ("sửa", "hạn mức", "Xuất sắc") in got
    assert ("sửa", "điểm", "công thức") in got


def test_vetoes_added_and_removed():
    veto = ast.Veto(
        "loại trừ",
        "Không hoàn thành",
        ast.Compare(S, (">=",), (name("kỷ_luật"), ast.Text(S, "khiển trách"))),
        S,
    )
    old, new = ruleset(), ruleset(vetoes=(veto,))
    assert areas(diff_rulesets(old, new)) == [
        ("thêm", "loại trừ", 'loại trừ "Không hoàn thành" nếu kỷ_luật >= "khiển trách"')
    ]
    assert areas(diff_rulesets(new, old))[0][0] == "bỏ"
    (added,) = diff_rulesets(old, new)
    assert added.message == 'Thêm quy định loại trừ "Không hoàn thành" nếu kỷ_luật >= "khiển trách"'
    assert diff_rulesets(new, old)[0].message.startswith("Bỏ quy định loại trừ ")


def test_added_criterion_shows_its_weight_and_applicability():
    extra = ast.Criterion(
        "g", "Cải cách hành chính", num(100), S, weight=num("1/10", percent=True, text="10%"),
        when=name("lãnh_đạo"),
    )  # fmt: skip
    old = ruleset()
    new = ruleset(criteria=(*old.criteria, extra))
    (added,) = diff_rulesets(old, new)
    assert added.message == 'Thêm tiêu chí g "Cải cách hành chính" trọng số 10% khi lãnh_đạo = 100'


@pytest.mark.parametrize(
    "expr, text",
    [
        (ast.Binary(S, "*", ast.Binary(S, "+", name("a"), name("b")), num(2)), "(a + b) × 2"),
        (ast.Binary(S, "-", name("a"), ast.Binary(S, "-", name("b"), name("c"))), "a - (b - c)"),
        (
            ast.If(
                S,
                ast.Binary(S, "và", name("x"), ast.Unary(S, "không", name("y"))),
                num(1),
                num("0.5", text="0.5"),
            ),
            "nếu x và không y thì 1 ngược lại 0.5",
        ),
        (ast.Compare(S, ("<=", "<"), (num(50), name("điểm"), num(70))), "50 <= điểm < 70"),
        (
            call("đếm", scope="cấp_dưới", where=ast.Compare(S, ("=",), (name("xếp_loại"), ast.Text(S, "K")))),
            'đếm(cấp dưới nếu xếp_loại = "K")',
        ),
        (call("trung_bình", name("giao"), if_empty=num(0)), "trung_bình(giao, khi rỗng 0)"),
    ],
)
def test_expr_text(expr, text):
    assert expr_text(expr) == text


def test_percent_and_plain_number_compare_by_value():
    assert same(num("1/4", percent=True), num("1/4"))


def test_score_scale_change_is_shown():
    old = ruleset()
    new = ruleset(header=replace(old.header, score_scale=(num(0), num(10))))
    assert ("sửa", "đầu tệp", "thang điểm") in areas(diff_rulesets(old, new))
    assert not diff_rulesets(old, ruleset())
