"""Soundness of the value-range analysis: for random formulas and random inputs in their declared
ranges, the exact engine's score always lies in the range the checker computed."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dsl.checker import build_symbols
from dsl.checker.ranges import Range
from dsl.checker.valueranges import ValueRanges
from dsl.engine.program import compile_ruleset
from dsl.pipeline import check_source
from dsl.records import Dataset, PersonRecord

HEAD = """\
bộ quy tắc "R" phiên bản 1
  tên "R"
  căn cứ "Nghị định 335/2025/NĐ-CP" điều 14
  hiệu lực từ 01/01/2026
  kỳ tháng
  thang điểm -1000000000 đến 1000000000
  làm tròn 6 chữ số

đầu vào x "X": số từ -5 đến 10
đầu vào y "Y": số từ 1 đến 4
"""
TAIL = """
xếp loại:
  "A" nếu điểm >= 0
  "B" còn lại
"""

leaves = st.sampled_from(["x", "y", "điểm_tiêu_chí_chung", "2", "0.5", "3", "-1"])


def _combine(children):
    binary = st.tuples(st.sampled_from(["+", "-", "×"]), children, children).map(
        lambda t: f"({t[1]} {t[0]} {t[2]})"
    )
    calls = st.tuples(st.sampled_from(["lớn_nhất", "nhỏ_nhất"]), children, children).map(
        lambda t: f"{t[0]}({t[1]}, {t[2]})"
    )
    clamp = st.tuples(children, children).map(lambda t: f"giới_hạn({t[0]}, 0, {t[1]})")
    branch = st.tuples(children, st.sampled_from(["x", "y"]), st.integers(-3, 8), children, children).map(
        lambda t: f"(nếu {t[1]} > {t[2]} thì {t[3]} ngược lại {t[4]})"
    )
    ratio = st.tuples(children, children).map(lambda t: f"chia({t[0]}, {t[1]}, 7)")
    divide = children.map(lambda c: f"({c} / 4)")
    return st.one_of(binary, calls, clamp, branch, ratio, divide)


formulas = st.recursive(leaves, _combine, max_leaves=8)
inputs = st.tuples(
    st.integers(-20, 40).map(lambda n: Fraction(n, 4)),
    st.integers(4, 16).map(lambda n: Fraction(n, 4)),
    st.integers(0, 120).map(lambda n: Fraction(n, 4)),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(formulas, st.lists(inputs, min_size=1, max_size=4))
def test_the_engine_score_lies_in_the_computed_range(formula, values):
    result = check_source(HEAD + f"\nđiểm = {formula}\n" + TAIL)
    # E0408 (an unbounded score) is a finding, not a failure: the range must still hold
    assert all(d.code == "E0408" for d in result.diagnostics if d.is_error), result.diagnostics
    rs = result.ruleset
    score_range = ValueRanges(rs, build_symbols(rs), Range.of(-(10**9), 10**9)).score()
    people = [PersonRecord(f"P{i}", "", "U") for i in range(len(values))]
    data = Dataset(
        people,
        inputs={
            p.code: {"x": x, "y": y, "điểm_tiêu_chí_chung": c}
            for p, (x, y, c) in zip(people, values, strict=True)
        },
    )
    pad = Fraction(1, 10**6)
    for r in compile_ruleset(rs, symbols=result.symbols).evaluate(data).results:
        assert score_range.lo is None or r.score >= score_range.lo - pad, (formula, r.score, score_range)
        assert score_range.hi is None or r.score <= score_range.hi + pad, (formula, r.score, score_range)


TASK_HEAD = """\
bộ quy tắc "S" phiên bản 1
  tên "S"
  căn cứ "Nghị định 335/2025/NĐ-CP" điều 14
  hiệu lực từ 01/01/2026
  kỳ tháng
  thang điểm -1000000000 đến 1000000000
  làm tròn 6 chữ số

tham số m = 25% cho phép 0% đến 50%

mỗi nhiệm vụ:
  được_tính = trạng_thái <> "Hủy"
  giao = nếu được_tính thì khối_lượng_giao × hệ_số_quy_đổi ngược lại 0
  đạt = nếu được_tính thì nhỏ_nhất(khối_lượng_hoàn_thành, khối_lượng_giao) × hệ_số_quy_đổi ngược lại 0
  tử = {top}
  mẫu = {bottom}
"""
TOPS = [
    "đạt",
    "đạt × lớn_nhất(0, 1 - m × số_lần_chậm)",
    "nếu miễn_trừ thì đạt ngược lại đạt × lớn_nhất(0, 1 - m × số_lần_sai_sót_lớn)",
    "khối_lượng_hoàn_thành × hệ_số_quy_đổi",
    "nhỏ_nhất(khối_lượng_hoàn_thành, khối_lượng_giao)",
    "giao - đạt",
    "1",
]
BOTTOMS = ["giao", "khối_lượng_giao", "khối_lượng_giao × hệ_số_quy_đổi", "1", "đạt"]
FILTERS = ["", " nếu được_tính", ' nếu trạng_thái = "Hoàn thành" và được_tính']
task = st.fixed_dictionaries(
    {
        "trạng_thái": st.sampled_from(["Hoàn thành", "Đang thực hiện", "Hủy"]),
        "khối_lượng_giao": st.integers(0, 8).map(lambda n: Fraction(n, 2)),
        "khối_lượng_hoàn_thành": st.integers(0, 10).map(lambda n: Fraction(n, 2)),
        "hệ_số_quy_đổi": st.integers(0, 6).map(lambda n: Fraction(n, 2)),
        "số_lần_chậm": st.integers(0, 5),
        "số_lần_sai_sót_lớn": st.integers(0, 5),
        "miễn_trừ": st.booleans(),
    }
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(TOPS),
    st.sampled_from(BOTTOMS),
    st.sampled_from(FILTERS),
    st.sampled_from(FILTERS),
    st.lists(task, min_size=0, max_size=6),
)
def test_ratios_of_sums_lie_in_the_computed_range(top, bottom, top_filter, bottom_filter, tasks):
    import numpy as np

    text = TASK_HEAD.format(top=top, bottom=bottom) + (
        f'\ntiêu chí a "A" theo điều 14 = tỷ_lệ(tổng(tử{top_filter}), tổng(mẫu{bottom_filter}), 50)\n'
        "\nđiểm = a\n" + TAIL
    )
    result = check_source(text)
    assert all(d.code == "E0408" for d in result.diagnostics if d.is_error), result.diagnostics
    rs = result.ruleset
    got = ValueRanges(rs, build_symbols(rs), Range.of(-(10**9), 10**9)).name("a")
    columns = {k: np.array([t[k] for t in tasks], dtype=object) for k in (tasks[0] if tasks else {})}
    data = Dataset(
        [PersonRecord("P", "", "U")],
        task_person=np.zeros(len(tasks), dtype=np.int64),
        task_columns=columns,
        inputs={"P": {"điểm_tiêu_chí_chung": 0}},
    )
    value = compile_ruleset(rs, symbols=result.symbols).evaluate(data).results[0].criteria["a"]
    assert (got.lo is None or value >= got.lo) and (got.hi is None or value <= got.hi), (
        top,
        bottom,
        value,
        got,
    )
