"""A blank value compared with <, <=, >, >= is R1011 listing every person affected (not a silent
false), in the exact engine and through the vectorised path; equality and guards keep working."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from dsl import vector
from dsl.errors import EvalError
from dsl.pipeline import check_source
from dsl.records import Dataset, PersonRecord
from dsl.run import compile as compile_program

RULESET = """\
bộ quy tắc "TRONG" phiên bản 1
  tên "Thử giá trị trống"
  căn cứ "Nghị định 335/2025/NĐ-CP" điều 14, 20
  hiệu lực từ 01/01/2026
  kỳ tháng

mỗi nhiệm vụ:
  đúng_hạn = {cond}

tiêu chí a "Đúng hạn" theo điều 14 = tỷ_lệ(đếm(nhiệm vụ nếu đúng_hạn), đếm(nhiệm vụ), 100)

điểm = điểm_tiêu_chí_chung + a × 70%

xếp loại theo điều 20:
  "Tốt" nếu điểm >= 70
  "Chưa tốt" còn lại
"""
UNGUARDED = "ngày_hoàn_thành <= hạn_hoàn_thành"
GUARDED = "có_giá_trị(ngày_hoàn_thành) và có_giá_trị(hạn_hoàn_thành) và ngày_hoàn_thành <= hạn_hoàn_thành"

DAY = float(dt.date(2026, 1, 10).toordinal())


def program(cond: str):
    result = check_source(RULESET.format(cond=cond), "t.kpi")
    assert result.ok, [d.message for d in result.diagnostics]
    return compile_program(result)


def data(per_person: int, blank_due: set[int], blank_done: set[int]) -> Dataset:
    """People P0..P4; P1 has one task without a deadline, P3 one without a completion date."""
    people = [PersonRecord(f"P{i}", "", "U") for i in range(5)]
    owner, due, done, codes = [], [], [], []
    for i in range(5):
        for k in range(per_person):
            owner.append(i)
            due.append(np.nan if (i in blank_due and k == 0) else DAY)
            done.append(np.nan if (i in blank_done and k == 0) else DAY - (k % 2))
            codes.append(f"T{i}-{k}")
    n = len(owner)
    columns = {
        "mã_nhiệm_vụ": np.array(codes, dtype=object),
        "trạng_thái": np.array(["Hoàn thành"] * n, dtype=object),
        "khối_lượng_giao": np.ones(n),
        "hạn_hoàn_thành": np.array(due),
        "ngày_hoàn_thành": np.array(done),
    }
    inputs = {p.code: {"điểm_tiêu_chí_chung": 30} for p in people}
    return Dataset(people, np.array(owner, dtype=np.int64), columns, inputs=inputs)


@pytest.mark.parametrize("per_person", [3, 1200])  # 6,000 tasks go through the vectorised path first
def test_blank_ordering_lists_every_person(per_person):
    prog = program(UNGUARDED)
    dataset = data(per_person, blank_due={1}, blank_done={3})
    if per_person > 1000:
        assert dataset.task_count >= vector.MIN_TASKS
        with pytest.raises(vector.Unsupported):  # the fast path never answers false for it
            vector.run_vector(prog, data(per_person, blank_due={1}, blank_done={3}))
    with pytest.raises(EvalError) as caught:
        prog.evaluate(dataset)
    err = caught.value
    assert err.code == "R1011" and err.person is None
    assert "cán bộ P1" in err.message and "cán bộ P3" in err.message and "P0" not in err.message
    assert '"hạn_hoàn_thành" trống' in err.message and "nhiệm vụ T1-0" in err.message
    assert '"ngày_hoàn_thành" trống' in err.message and "có_giá_trị" in err.message


@pytest.mark.parametrize("per_person", [3, 1200])
def test_guarded_comparison_and_complete_data_evaluate(per_person):
    guarded = program(GUARDED).evaluate(data(per_person, blank_due={1}, blank_done={3}))
    assert guarded.stats["backend"] == ("vector" if per_person > 1000 else "exact")
    scores = {r.person: r.criteria["a"] for r in guarded.results}
    assert scores["P0"] == 100 and scores["P1"] < 100 and scores["P3"] < 100
    complete = program(UNGUARDED).evaluate(data(per_person, set(), set()))
    assert all(r.criteria["a"] == 100 for r in complete.results)


def test_a_leader_of_a_person_with_a_blank_is_not_evaluated_and_not_reported_twice():
    prog = program(UNGUARDED)
    dataset = data(2, blank_due={1}, blank_done=set())
    dataset.people[0] = PersonRecord("P0", "", "U", leader=True)
    dataset.people[1] = PersonRecord("P1", "", "U", manager="P0")
    with pytest.raises(EvalError) as caught:
        prog.evaluate(dataset)
    assert "(1 cán bộ)" in caught.value.message
