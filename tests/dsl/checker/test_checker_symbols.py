"""build_symbols: kinds, types, stages and dependency order; catalog fields passed by the database."""

from checker_golden import BODY, HEADER, LEVELS, VALID, col_of, only

from dsl.checker import build_symbols
from dsl.fields import FieldSpec
from dsl.parser import parse


def symbols_of(source: str, **kw):
    ruleset, diags = parse(source, "x.kpi")
    assert ruleset is not None, diags
    return build_symbols(ruleset, **kw)


def test_kinds_types_stages_and_order():
    s = VALID + (
        'đầu ra hệ_số "Hệ số" = nếu xếp_loại = "Hoàn thành tốt nhiệm vụ" thì 0.3 ngược lại 0\n'
        'đã_xong = đếm(nếu trạng_thái = "Hoàn thành") > 0\n'
    )
    syms = symbols_of(s)
    table = {
        n: (syms[n].kind, syms[n].type.kind, syms[n].stage)
        for n in ("giao", "a", "mức_trừ", "hệ_số", "đã_xong")
    }
    assert table == {
        "giao": ("task_value", "số", "task"),
        "a": ("criterion", "số", "person"),
        "mức_trừ": ("param", "số", "person"),
        "hệ_số": ("output", "số", "person"),
        "đã_xong": ("person_value", "đúng sai", "person"),
    }
    assert syms["khối_lượng_giao"].kind == "task_field" and syms["lãnh_đạo"].kind == "person_field"
    assert syms["kỷ_luật"].type.kind == "thang" and syms["điểm"].kind == "builtin"
    order = syms.order
    assert order.index("giao") < order.index("a") < order.index("điểm")
    assert set(syms.deps["điểm"]) == {"a"}
    assert "điểm" in syms.subordinate and "a" in syms.subordinate and syms.period == {}


def test_catalog_fields_and_declared_task_fields():
    body = BODY + (
        'trường nhiệm vụ số_hồ_sơ "Số hồ sơ": số mặc định 0\nx = tổng(số_hồ_sơ) + tổng(mức_độ_khó) + uy_tín\n'
    )
    s = HEADER + "\n" + body + "\n" + LEVELS
    assert only(s, "E0101", "E0102") == [("E0102", *col_of(s, "mức_độ_khó")), ("E0101", *col_of(s, "uy_tín"))]
    catalog_task = (FieldSpec("mức_độ_khó", "Mức độ khó", "số"),)
    catalog_inputs = (FieldSpec("uy_tín", "Uy tín", "số"),)
    assert only(s, "E0101", "E0102", extra_task_fields=catalog_task, extra_inputs=catalog_inputs) == []
    syms = symbols_of(s, extra_task_fields=catalog_task, extra_inputs=catalog_inputs)
    assert syms["mức_độ_khó"].kind == "task_field" and syms["uy_tín"].kind == "input"
    assert syms["số_hồ_sơ"].stage == "task" and not syms["số_hồ_sơ"].standard


def test_rollup_period_scope():
    s = (
        HEADER
        + "  tổng hợp từ tháng\n\nđiểm = trung_bình(kỳ, điểm, khi rỗng 0)\n\n"
        + LEVELS
        + (
            'tối đa "Hoàn thành tốt nhiệm vụ" nếu đếm(kỳ nếu xếp_loại = "Không hoàn thành nhiệm vụ") > 0\n'
            "không xếp loại nếu đếm(kỳ) < 6\n"
        )
    )
    assert only(s, *[f"E0{n:03d}" for n in range(1000)]) == []
    syms = symbols_of(s)
    assert syms.rollup and {"kỳ", "điểm", "xếp_loại"} <= set(syms.period)


def test_suggestions_stay_cheap_for_many_unknown_names():
    body = "".join(f"v{i} = khong_ten_{i} + 1\n" for i in range(300))
    s = VALID + body + "w = han_hoan_thanh_x\nz = tổng(han_hoan_thanh)\n"
    from checker_golden import run

    diags = run(s).diagnostics
    assert sum(d.code == "E0101" for d in diags) == 301
    last = [d for d in diags if d.code == "E0102"][-1]
    assert "hạn_hoàn_thành" in last.message  # the diacritics-insensitive match is always offered
