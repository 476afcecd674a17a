"""The run pipeline: dsl.run.compile / dsl.run.evaluate, catalog fields, typed errors with spans."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from dsl import run
from dsl.errors import EmptyDate, EvalError
from dsl.fields import FieldSpec
from dsl.pipeline import check_source
from dsl.records import Dataset, PersonRecord

CATALOG = (FieldSpec("điểm_khách_hàng", "Điểm khách hàng", "số", low="0", high="10"),)
SOURCE = """bộ quy tắc "CATALOG" phiên bản 1
  kỳ tháng

tham số hệ_số = 10 cho phép 1 đến 20

tiêu chí a "Hài lòng" = trung_bình(điểm_khách_hàng khi rỗng 0) × hệ_số

điểm = a

xếp loại:
  "Đạt" nếu điểm >= 50
  "Chưa đạt" còn lại
"""


def _people(n: int) -> list[PersonRecord]:
    return [PersonRecord(f"CB{i}", f"Người {i}", "U") for i in range(n)]


def _data(scores: list[list[float]]) -> Dataset:
    owner = np.array([i for i, row in enumerate(scores) for _ in row], dtype=np.int64)
    values = np.array([v for row in scores for v in row], dtype=float)
    return Dataset(
        people=_people(len(scores)),
        task_person=owner,
        task_columns={
            "trạng_thái": np.array(["Hoàn thành"] * len(values), dtype=object),
            "điểm_khách_hàng": values,
        },
        inputs={f"CB{i}": {"điểm_tiêu_chí_chung": Fraction(20)} for i in range(len(scores))},
    )


def test_a_catalog_task_field_checks_compiles_and_evaluates():
    checked = check_source(SOURCE, "catalog.kpi", extra_task_fields=CATALOG)
    assert checked.ok, [d.render() for d in checked.diagnostics]
    program = run.compile(checked)
    result = run.evaluate(program, _data([[8, 9], [], [10]]))
    assert [p.criteria["a"] for p in result.results] == [85, 0, 100]
    assert result.stats["backend"] == "exact"


def test_without_the_catalog_the_check_refuses_it():
    checked = check_source(SOURCE, "catalog.kpi")
    assert not checked.ok
    with pytest.raises(run.CompileError):
        run.compile(checked)


def test_parameters_are_checked_before_evaluating():
    program = run.compile(check_source(SOURCE, "catalog.kpi", extra_task_fields=CATALOG))
    with pytest.raises(run.InvalidParams) as err:
        run.evaluate(program, _data([[8]]), params={"hệ_số": 30, "hệ_sô": 2})
    assert err.value.code == "R1010" and len(err.value.problems) == 2
    got = run.evaluate(program, _data([[8]]), params={"hệ_số": 5})
    assert got.results[0].criteria["a"] == 40


def test_runtime_errors_carry_a_code_the_person_and_the_rule_span():
    days = (
        "giới_hạn(tổng(số_ngày(ngày_giao, hạn_hoàn_thành) nếu điểm_khách_hàng > 0), 0, 100)"  # bounded: E0408
    )
    source = SOURCE.replace("trung_bình(điểm_khách_hàng khi rỗng 0) × hệ_số", days)
    checked = check_source(source, "catalog.kpi", extra_task_fields=CATALOG)
    assert checked.ok, [d.render() for d in checked.diagnostics]
    program = run.compile(checked)
    with pytest.raises(EvalError) as err:
        run.evaluate(program, _data([[8], [0]]))
    assert isinstance(err.value, EmptyDate)
    assert (err.value.code, err.value.person, err.value.span.line) == ("R1008", "CB0", 6)
