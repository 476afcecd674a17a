"""The five hand-computed worked examples of shared/domain.md, on the national ruleset built by hand."""

from __future__ import annotations

from fractions import Fraction

from engine_astkit import (
    HT,
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
    national,
    standard_levels,
    txt,
)

from dsl.engine.program import compile_ruleset
from dsl.records import PersonRecord


def _one(rs, tasks, inputs, people=None, **kw):
    people = people or [PersonRecord("CB1", "A", "P1")]
    result = compile_ruleset(rs).evaluate(dataset(people, tasks, inputs), **kw)
    return {r.person: r for r in result.results}


def no_quota(**kw):
    return national(quotas=(), **kw)


def test_example_1_one_late_product():
    got = _one(
        no_quota(), done("CB1", 9) + done("CB1", 1, số_lần_chậm=1), {"CB1": {"điểm_tiêu_chí_chung": 28}}
    )
    r = got["CB1"]
    assert r.criteria == {"a": 100, "b": 100, "c": Fraction(975, 10)}
    assert r.score == Fraction("97.42")
    assert r.level == XS and r.level_before_quota == XS
    assert r.outputs["hệ_số_thu_nhập"] == Fraction("0.5")


def test_example_1_late_from_dates_default():
    """số_lần_chậm defaults to 1 when completed after the deadline."""
    import datetime as dt

    late = done("CB1", 1, hạn_hoàn_thành=dt.date(2026, 1, 10), ngày_hoàn_thành=dt.date(2026, 1, 12))
    on_time = done("CB1", 9, hạn_hoàn_thành=dt.date(2026, 1, 10), ngày_hoàn_thành=dt.date(2026, 1, 10))
    r = _one(no_quota(), on_time + late, {"CB1": {"điểm_tiêu_chí_chung": 28}})["CB1"]
    assert r.criteria["c"] == Fraction(975, 10)
    assert r.score == Fraction("97.42")


def test_example_2_conversion():
    tasks = (
        done("CB1", 4, hệ_số_quy_đổi=Fraction(1))
        + done("CB1", 1, hệ_số_quy_đổi=Fraction("2.5"), số_lần_sai_sót_lớn=1)
        + [
            {
                "person": "CB1",
                "trạng_thái": "Đang thực hiện",
                "khối_lượng_giao": 1,
                "hệ_số_quy_đổi": Fraction("2.5"),
            }
        ]
    )
    r = _one(no_quota(), tasks, {"CB1": {"điểm_tiêu_chí_chung": 25}})["CB1"]
    assert r.criteria["a"] == Fraction(650, 9)
    assert r.criteria["b"] == Fraction(5875, 90)
    assert r.score == Fraction("73.94")
    assert r.level == TOT


def _leader_case(sub_score_input):
    people = [
        PersonRecord("LD", "Lãnh đạo", "P1", leader=True),
        PersonRecord("NV1", "Nhân viên", "P1", manager="LD"),
    ]
    # b = 95: one product with 4 major errors; c = 90: eight products late once
    tasks = (
        done("LD", 1, số_lần_sai_sót_lớn=4)
        + done("LD", 8, số_lần_chậm=1)
        + done("LD", 11)
        + [{"person": "NV1", "trạng_thái": "Đang thực hiện", "khối_lượng_giao": 1}]
    )
    inputs = {"LD": {"điểm_tiêu_chí_chung": 27}, "NV1": {"điểm_tiêu_chí_chung": sub_score_input}}
    return people, tasks, inputs


def test_example_3_leader_with_failing_subordinate():
    people, tasks, inputs = _leader_case(10)
    got = _one(no_quota(), tasks, inputs, people)
    ld = got["LD"]
    assert ld.criteria == {"a": 100, "b": 95, "c": 90, "d": 50, "đ": 100, "e": 100}
    assert ld.score == Fraction("89.42")
    assert ld.level == TOT
    assert got["NV1"].level == KHT
    assert "d" not in got["NV1"].criteria


def test_example_3_leader_without_failing_subordinate():
    people, tasks, inputs = _leader_case(30)
    # NV1: 30 + 0 → 30 < 50 still KHT, so give NV1 completed work instead
    tasks = [t for t in tasks if t["person"] != "NV1"] + done("NV1", 1)
    got = _one(no_quota(), tasks, inputs, people)
    assert got["NV1"].level == XS
    assert got["LD"].criteria["d"] == 100
    assert got["LD"].score == Fraction("95.25")
    assert got["LD"].level == XS


def _rollup():
    score = ast.Score(call("trung_bình", "điểm", scope="kỳ", empty=0), S)
    return ast.Ruleset(
        header=header("NAM", period="năm", rollup_from="tháng"),
        score=score,
        levels=standard_levels(),
        vetoes=(
            ast.Veto("loại trừ", KHT, cmp("kỷ_luật", ">=", txt("khiển trách")), S, None, "Bị kỷ luật"),
            ast.Veto(
                "không xếp loại", None, cmp(call("đếm", scope="kỳ"), "<", 6), S, None, "Làm việc dưới 6 tháng"
            ),
        ),
    )


def _months(values):
    return [
        {"person": "CB1", "kỳ": f"2026-{i + 1:02d}", "điểm": Fraction(str(v))} for i, v in enumerate(values)
    ]


def test_example_4_year_mean_exactly_90_is_excellent():
    months = _months([92, "88.5", "90.5", 91, 86, 89, 93])
    data = dataset([PersonRecord("CB1", "A", "P1")], [], {"CB1": {}}, months)
    r = compile_ruleset(_rollup()).evaluate(data).results[0]
    assert r.score == 90
    assert r.level == XS


def test_example_4_with_reprimand_is_not_completed():
    months = _months([92, "88.5", "90.5", 91, 86, 89, 93])
    data = dataset([PersonRecord("CB1", "A", "P1")], [], {"CB1": {"kỷ_luật": "khiển trách"}}, months)
    r = compile_ruleset(_rollup()).evaluate(data).results[0]
    assert r.level == KHT
    assert r.vetoes == ["Bị kỷ luật"]


def test_rollup_fewer_than_six_months_not_rated():
    data = dataset([PersonRecord("CB1", "A", "P1")], [], {"CB1": {}}, _months([95, 95, 95]))
    r = compile_ruleset(_rollup()).evaluate(data).results[0]
    assert r.level is None and r.not_rated
    assert r.score == 95


def quota_ruleset(**quota_kw):
    inp = ast.InputDecl("điểm_vào", ast.TypeSpec("số"), S)
    q = dict(
        level=XS,
        limit=ast.Num(S, Fraction(1, 5), "20%", True),
        of_level=TOT,
        span=S,
        scope=("đơn_vị", "nhóm_nhiệm_vụ"),
    )
    q.update(quota_kw)
    return ast.Ruleset(
        header=header("Q"),
        inputs=(inp,),
        score=ast.Score(ast.Name(S, "điểm_vào"), S),
        levels=standard_levels(),
        quotas=(ast.Quota(**q),),
    )


def test_example_5_quota_demotes_lowest_excellent():
    scores = [96, 93, 91, 89, 88, 87, 86, 85, 80, 75, 72, 70]
    people = [PersonRecord(f"CB{i:02d}", "", "P1", duty_group="N1") for i in range(len(scores))]
    inputs = {p.code: {"điểm_vào": s} for p, s in zip(people, scores, strict=True)}
    result = compile_ruleset(quota_ruleset()).evaluate(dataset(people, [], inputs), explain=True)
    got = {r.person: r for r in result.results}
    assert [got[f"CB{i:02d}"].level for i in range(3)] == [XS, XS, TOT]
    assert got["CB02"].level_before_quota == XS
    assert all(got[f"CB{i:02d}"].level == TOT for i in range(3, 12))
    (line,) = [x for x in got["CB02"].explanation if x.startswith("Bị hạ do hạn mức")]
    # the allowance recomputable by hand: k = 2 holds (20% × 10 = 2), k = 3 does not (20% × 9 = 1,8)
    assert "giữ 2 người thì nhóm có 10 người" in line and "20% × 10 = 2, làm tròn xuống 2" in line
    assert "giữ 3 người thì có 9 người" in line and "20% × 9 = 1,8, làm tròn xuống 1 < 3" in line
    assert "xếp thứ 3/3" in line
    assert HT not in {r.level for r in result.results}
