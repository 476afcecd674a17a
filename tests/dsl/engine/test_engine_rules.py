"""Engine semantics: thresholds, rounding, caps, vetoes, not-rated, quotas, hierarchy, inputs, errors."""

from __future__ import annotations

from fractions import Fraction

import pytest
from engine_astkit import (
    KHT,
    TOT,
    XS,
    S,
    ast,
    call,
    cmp,
    dataset,
    done,
    header,
    name,
    national,
    num,
    standard_levels,
    txt,
)
from test_engine_golden import quota_ruleset

from dsl.engine.program import compile_ruleset
from dsl.errors import EvalError
from dsl.records import PersonRecord


def score_ruleset(expr, rounding=None, **kw):
    inp = (
        ast.InputDecl("x", ast.TypeSpec("số"), S),
        ast.InputDecl("y", ast.TypeSpec("số"), S, default=num(0)),
    )
    h = header("S", rounding=rounding) if rounding else header("S")
    return ast.Ruleset(header=h, inputs=inp, score=ast.Score(expr, S), levels=standard_levels(), **kw)


def run(rs, inputs, people=None, tasks=(), **kw):
    people = people or [PersonRecord(code, "", "P1") for code in inputs]
    result = compile_ruleset(rs).evaluate(dataset(people, list(tasks), inputs), **kw)
    return {r.person: r for r in result.results}


def test_score_exactly_at_threshold_from_division():
    # 9 × 30 / 3 = 90 exactly (no float drift) -> xuất sắc
    expr = ast.Binary(S, "/", ast.Binary(S, "*", num(9), name("x")), num(3))
    got = run(score_ruleset(expr), {"CB1": {"x": 30 * Fraction(1)}})["CB1"]
    assert got.score == 90 and got.level == XS
    # (1/3 + 1/3 + 1/3) × 90 is exactly 90 as well
    third = ast.Binary(S, "/", num(1), num(3))
    expr = ast.Binary(S, "*", ast.Binary(S, "+", ast.Binary(S, "+", third, third), third), num(90))
    got = run(score_ruleset(expr), {"CB1": {"x": 0}})["CB1"]
    assert got.score == 90 and got.level == XS


def test_half_up_rounding_boundary_before_classification():
    # 89.995 exactly rounds half-up to 90.00 -> xuất sắc; 89.994999 does not
    got = run(score_ruleset(name("x")), {"A": {"x": Fraction("89.995")}, "B": {"x": Fraction("89.994999")}})
    assert got["A"].score == 90 and got["A"].level == XS
    assert got["B"].score == Fraction("89.99") and got["B"].level == TOT


def test_rounding_modes_in_header():
    down = ast.Rounding(1, "xuống")
    up = ast.Rounding(0, "lên")
    assert run(score_ruleset(name("x"), down), {"A": {"x": Fraction("89.99")}})["A"].score == Fraction("89.9")
    assert run(score_ruleset(name("x"), up), {"A": {"x": Fraction("89.01")}})["A"].score == 90


def test_weighted_sum_default_score():
    crits = (
        ast.Criterion("a", "A", name("x"), S, weight=ast.Num(S, Fraction(3, 5), "60%", True)),
        ast.Criterion("b", "B", name("y"), S, weight=ast.Num(S, Fraction(2, 5), "40%", True)),
    )
    rs = ast.Ruleset(
        header=header("W"),
        inputs=(ast.InputDecl("x", ast.TypeSpec("số"), S), ast.InputDecl("y", ast.TypeSpec("số"), S)),
        criteria=crits,
        levels=standard_levels(),
    )
    got = run(rs, {"A": {"x": 100, "y": 75}})["A"]
    assert got.score == 90 and got.level == XS


def test_cap_lowers_only_better_levels_and_is_recorded():
    cap = ast.Veto("tối đa", TOT, cmp("y", ">", 0), S, ast.Citation(None, "20"), "Vắng mặt")
    got = run(
        score_ruleset(name("x"), vetoes=(cap,)),
        {"A": {"x": 95, "y": 1}, "B": {"x": 60, "y": 1}, "C": {"x": 95}},
    )
    assert got["A"].level == TOT and got["A"].vetoes == ["Vắng mặt (Điều 20 Nghị định 335/2025/NĐ-CP)"]
    assert got["B"].level == "Hoàn thành nhiệm vụ" and got["B"].vetoes == []
    assert got["C"].level == XS


def test_veto_forces_level_and_not_rated_wins():
    veto = ast.Veto("loại trừ", KHT, cmp("y", ">=", 1), S, None, "Kỷ luật")
    unrated = ast.Veto("không xếp loại", None, cmp("y", ">=", 2), S, None, "Nghỉ dài")
    got = run(
        score_ruleset(name("x"), vetoes=(veto, unrated)), {"A": {"x": 99, "y": 1}, "B": {"x": 99, "y": 2}}
    )
    assert got["A"].level == KHT and got["A"].vetoes == ["Kỷ luật"]
    assert got["B"].level is None and got["B"].not_rated and got["B"].level_before_quota is None


def test_scale_comparison_follows_declared_order():
    rs = national(quotas=())
    inputs = {c: {"điểm_tiêu_chí_chung": 30, "kỷ_luật": k} for c, k in [("A", ""), ("B", "cảnh cáo")]}
    got = run(rs, inputs, tasks=done("A") + done("B"))
    assert got["A"].level == XS and got["B"].level == KHT


def test_bad_scale_value_is_an_error():
    with pytest.raises(EvalError) as e:
        run(national(quotas=()), {"A": {"điểm_tiêu_chí_chung": 30, "kỷ_luật": "phê bình"}}, tasks=done("A"))
    assert e.value.code == "R1005"


def test_missing_inputs_are_collected_for_everyone():
    rs = score_ruleset(ast.Binary(S, "+", name("x"), name("điểm_tiêu_chí_chung")))
    with pytest.raises(EvalError) as e:
        run(rs, {"A": {}, "B": {"x": 1}, "C": {"x": 1, "điểm_tiêu_chí_chung": 2}})
    assert e.value.code == "R1001"
    msg = e.value.message
    assert 'thiếu đầu vào "điểm_tiêu_chí_chung", "x" của cán bộ A' in msg
    assert 'thiếu đầu vào "điểm_tiêu_chí_chung" của cán bộ B' in msg
    assert "cán bộ C" not in msg


def test_unused_standard_input_is_not_required():
    got = run(score_ruleset(name("x")), {"A": {"x": 80}})
    assert got["A"].score == 80


def test_division_by_zero_is_r1004():
    rs = score_ruleset(ast.Binary(S, "/", name("x"), name("y")))
    with pytest.raises(EvalError) as e:
        run(rs, {"A": {"x": 1}})
    assert e.value.code == "R1004" and e.value.person == "A"


def test_ratio_of_empty_task_set_uses_default():
    rs = score_ruleset(call("tỷ_lệ", call("tổng", "khối_lượng_giao"), call("đếm"), 77))
    assert run(rs, {"A": {"x": 0}})["A"].score == 77


def test_not_applicable_criterion_used_directly_is_r1002():
    crit = ast.Criterion("d", "D", name("x"), S, when=cmp("y", ">", 0))
    rs = score_ruleset(ast.Binary(S, "+", name("d"), num(1)), criteria=(crit,))
    assert run(rs, {"A": {"x": 5, "y": 1}})["A"].score == 6
    with pytest.raises(EvalError) as e:
        run(rs, {"A": {"x": 5}})
    assert e.value.code == "R1002"


def test_aggregate_filter_and_empty_default():
    where = cmp("trạng_thái", "=", txt("Hoàn thành"))
    mean = call("trung_bình", "khối_lượng_giao", where=where, empty=42)
    rs = score_ruleset(ast.Binary(S, "+", mean, ast.Binary(S, "*", call("đếm", where=where), num(0))))
    tasks = done("A", 1, khối_lượng_giao=2) + done("A", 1, khối_lượng_giao=4)
    tasks += [{"person": "A", "trạng_thái": "Hủy", "khối_lượng_giao": 100}]
    assert run(rs, {"A": {"x": 0}, "B": {"x": 0}}, tasks=tasks)["A"].score == 3
    assert run(rs, {"A": {"x": 0}, "B": {"x": 0}}, tasks=tasks)["B"].score == 42


def test_hierarchy_cycle_names_people():
    people = [
        PersonRecord("A", "", "P1", leader=True, manager="C"),
        PersonRecord("B", "", "P1", manager="A"),
        PersonRecord("C", "", "P1", manager="B"),
        PersonRecord("D", "", "P1"),
    ]
    inputs = {p.code: {"điểm_tiêu_chí_chung": 20} for p in people}
    with pytest.raises(EvalError) as e:
        compile_ruleset(national()).evaluate(dataset(people, done("D"), inputs))
    assert e.value.code == "R1003"
    for code in ("A", "B", "C"):
        assert code in e.value.message
    assert "D" not in e.value.message


def test_leader_chain_evaluated_bottom_up_and_only():
    # listed leader first: the engine must still evaluate subordinates before leaders
    people = [
        PersonRecord("GD", "", "P1", leader=True),
        PersonRecord("TP", "", "P1", leader=True, manager="GD"),
        PersonRecord("NV", "", "P1", manager="TP"),
    ]
    inputs = {
        "GD": {"điểm_tiêu_chí_chung": 30},
        "TP": {"điểm_tiêu_chí_chung": 30},
        "NV": {"điểm_tiêu_chí_chung": 0},
    }
    tasks = done("GD") + done("TP") + [{"person": "NV", "trạng_thái": "Chưa thực hiện"}]
    data = dataset(people, tasks, inputs)
    prog = compile_ruleset(national(quotas=()))
    got = {r.person: r for r in prog.evaluate(data).results}
    assert got["NV"].level == KHT
    assert got["TP"].criteria["d"] == 50
    assert got["GD"].criteria["d"] == 100
    only = prog.evaluate(data, only={"TP"})
    assert [r.person for r in only.results] == ["TP"]
    assert only.results[0].criteria["d"] == 50


def test_quota_tie_breaking_demotes_larger_code_first():
    people = [PersonRecord(c, "", "P1") for c in ("B", "A", "C", "D", "E", "F", "G", "H", "I", "J")]
    scores = {"A": 95, "B": 95, "C": 80, "D": 80, "E": 80, "F": 80, "G": 80, "H": 80, "I": 80, "J": 80}
    # n_tốt = 8: k <= 0.2 × (8 + 2 − k) -> k = 1; A and B tie: B (larger code) is demoted
    got = run(quota_ruleset(scope=()), {c: {"điểm_vào": s} for c, s in scores.items()}, people=people)
    assert got["A"].level == XS and got["B"].level == TOT and got["B"].level_before_quota == XS


def test_quota_of_total_rounding_up_and_groups():
    people = [PersonRecord(f"P{i}", "", "U1" if i < 5 else "U2") for i in range(10)]
    inputs = {p.code: {"điểm_vào": 95 - i % 5} for i, p in enumerate(people)}
    q = dict(of_level=None, limit=ast.Num(S, Fraction(3, 10), "30%", True), scope=("đơn_vị",), rounding="lên")
    got = run(quota_ruleset(**q), inputs, people=people)
    # per unit: 5 people, ceil(0.3 × 5) = 2 keep xuất sắc
    assert [got[f"P{i}"].level for i in range(5)] == [XS, XS, TOT, TOT, TOT]
    assert [got[f"P{i}"].level for i in range(5, 10)] == [XS, XS, TOT, TOT, TOT]


def test_outputs_read_final_level_after_quota():
    scores = [96, 93, 91, 89, 88, 87, 86, 85, 80, 75, 72, 70]
    people = [PersonRecord(f"CB{i:02d}", "", "P1") for i in range(12)]
    inputs = {p.code: {"điểm_tiêu_chí_chung": 30} for p in people}
    # national ruleset, all tasks done -> all 100: score 100; give different general points instead
    for p, s in zip(people, scores, strict=True):
        inputs[p.code]["điểm_tiêu_chí_chung"] = Fraction(s - 70)
    tasks = [t for p in people for t in done(p.code)]
    got = {r.person: r for r in compile_ruleset(national()).evaluate(dataset(people, tasks, inputs)).results}
    assert got["CB02"].level == TOT and got["CB02"].outputs["hệ_số_thu_nhập"] == Fraction("0.3")
    assert got["CB00"].outputs["hệ_số_thu_nhập"] == Fraction("0.5")


def test_params_override_and_check_params():
    prog = compile_ruleset(national(quotas=()))
    tasks = done("A", 1, số_lần_sai_sót_lớn=1)
    data = dataset([PersonRecord("A", "", "P1")], tasks, {"A": {"điểm_tiêu_chí_chung": 30}})
    assert prog.evaluate(data).results[0].criteria["b"] == 75
    assert prog.evaluate(data, params={"mức_trừ": Fraction(1, 2)}).results[0].criteria["b"] == 50
    assert prog.check_params({"mức_trừ": Fraction(1, 5)}) == []
    errors = prog.check_params(
        {"mức_trừ": Fraction(3, 5), "tỷ_trọng": Fraction(1, 2), "mức_tru": 1, "x": "a"}
    )
    assert len(errors) == 4
    assert any('"mức_trừ"' in e and "ngoài khoảng" in e for e in errors)
    assert any('"tỷ_trọng"' in e and "khóa" in e for e in errors)
    assert any('có phải "mức_trừ"' in e for e in errors)


def test_program_metadata():
    prog = compile_ruleset(national(), sha256="abc")
    assert prog.code == "ND335" and prog.version == 1 and prog.sha256 == "abc"
    assert prog.level_names == [XS, TOT, "Hoàn thành nhiệm vụ", KHT]
    assert prog.criteria[0] == ("a", "Số lượng", "điểm a khoản 2 Điều 14 Nghị định 335/2025/NĐ-CP")
    assert prog.outputs == ["hệ_số_thu_nhập"]
    inputs = {i.name: i for i in prog.inputs}
    assert inputs["điểm_tiêu_chí_chung"].required and not inputs["kỷ_luật"].required
    assert inputs["điểm_khả_năng_tổ_chức"].default == 100
    assert [s.name for s in prog.task_steps] == ["giao", "đạt", "đạt_chất_lượng", "đạt_tiến_độ"]
    assert [s.name for s in prog.person_steps][-1] == "điểm"
    assert [s.name for s in prog.post_steps] == ["hệ_số_thu_nhập"]


def test_bad_task_value_is_an_error_not_a_crash():
    tasks = done("A", 1, khối_lượng_giao="mười")
    with pytest.raises(EvalError) as e:
        run(national(quotas=()), {"A": {"điểm_tiêu_chí_chung": 30}}, tasks=tasks)
    assert e.value.code == "R1005"


def test_float_columns_are_exact():
    import numpy as np

    from dsl.records import Dataset

    data = Dataset(
        people=[PersonRecord("A", "", "P1")],
        task_person=np.zeros(3, dtype=np.int64),
        task_columns={
            "trạng_thái": np.array(["Hoàn thành"] * 3, dtype=object),
            "khối_lượng_giao": np.array([0.1, 0.2, np.nan]),
            "khối_lượng_hoàn_thành": np.array([0.1, np.nan, np.nan]),
        },
        inputs={"A": {"điểm_tiêu_chí_chung": 30}},
    )
    r = compile_ruleset(national(quotas=())).evaluate(data).results[0]
    # giao = 0.1 + 0.2 + 1 (default) = 1.3 exactly; hoàn thành defaults to giao when Hoàn thành
    assert r.criteria["a"] == 100


def test_leader_reevaluation_reuses_subordinates_of_an_earlier_run():
    people = [PersonRecord("LD", "", "P1", leader=True)] + [
        PersonRecord(f"NV{i}", "", "P1", manager="LD") for i in range(3)
    ]
    inputs = {p.code: {"điểm_tiêu_chí_chung": 30} for p in people}
    inputs["NV2"]["điểm_tiêu_chí_chung"] = 0
    tasks = done("LD") + done("NV0") + done("NV1") + [{"person": "NV2", "trạng_thái": "Chưa thực hiện"}]
    data = dataset(people, tasks, inputs)
    prog = compile_ruleset(national(quotas=()))
    full = prog.run(data)
    again = prog.run(data, only={"LD"}, reuse=full)
    assert set(again.evaluated) == {"LD"}
    assert again.result.results[0].criteria["d"] == 50 == full.states["LD"].values["d"]
