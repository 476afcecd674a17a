"""The run-time cost bound: exact numbers that grow beyond values.MAX_NUMBER_DIGITS stop the run with
R1012 naming the line, in the exact engine, the embedded tests and the vectorised path alike."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from dsl import vector
from dsl.engine.program import compile_ruleset
from dsl.engine.values import MAX_NUMBER_DIGITS, NumberTooLarge, bounded, round_to
from dsl.errors import EvalError
from dsl.pipeline import check_source
from dsl.records import Dataset, PersonRecord
from dsl.testing import run_tests

LEVELS = 'xếp loại:\n  "Tốt" nếu điểm >= 50\n  "Kém" còn lại\n'


def squarings_person(n: int = 30) -> str:
    """x0 = 1.0001, x_i = x_(i-1) × x_(i-1): the 2^30-th power, a number with billions of digits."""
    lines = ['bộ quy tắc "BOM" phiên bản 1', "  kỳ tháng", "", "x0 = 1.0001"]
    lines += [f"x{i} = x{i - 1} × x{i - 1}" for i in range(1, n + 1)]
    lines += [f'tiêu chí a "A" trọng số 100% = nếu x{n} > 1 thì 100 ngược lại 0', "", LEVELS]
    lines += ['kiểm thử "t":', "  nhiệm vụ (khối_lượng_giao 1)", "  mong đợi điểm 100"]
    return "\n".join(lines) + "\n"


def squarings_task(n: int = 30) -> str:
    lines = ['bộ quy tắc "BOM2" phiên bản 1', "  kỳ tháng", "", "mỗi nhiệm vụ:"]
    lines += ["  y0 = khối_lượng_giao × 1.0001"]
    lines += [f"  y{i} = y{i - 1} × y{i - 1}" for i in range(1, n + 1)]
    lines += [f'tiêu chí a "A" trọng số 100% = nếu tổng(y{n}) > 1 thì 100 ngược lại 0', "", LEVELS]
    return "\n".join(lines) + "\n"


def checked(source: str):
    result = check_source(source, "bom.kpi")
    assert result.ok, [d.render() for d in result.diagnostics if d.is_error]
    return result


def bulk_dataset(people: int = 300, per_person: int = 20) -> Dataset:
    """Float task columns as the loaders give them, enough tasks for the vectorised path."""
    n = people * per_person
    persons = [PersonRecord(f"CB{i:04d}", unit="U", duty_group="G") for i in range(people)]
    columns = {
        "mã_nhiệm_vụ": np.array([f"NV{j}" for j in range(n)], dtype=object),
        "trạng_thái": np.array(["Hoàn thành"] * n, dtype=object),
        "khối_lượng_giao": np.ones(n),
        "khối_lượng_hoàn_thành": np.ones(n),
        "hệ_số_quy_đổi": np.ones(n),
        "kỳ": np.array(["2026-01"] * n, dtype=object),
    }
    owner = np.repeat(np.arange(people, dtype=np.int64), per_person)
    return Dataset(people=persons, task_person=owner, task_columns=columns, inputs={}, period="2026-01")


def test_bounded_accepts_long_but_sane_numbers_and_refuses_beyond_the_bound():
    fine = Fraction(10**MAX_NUMBER_DIGITS - 1, 3)
    assert bounded(fine) is fine
    with pytest.raises(NumberTooLarge):
        bounded(Fraction(1, 10 ** (MAX_NUMBER_DIGITS + 1)))
    with pytest.raises(NumberTooLarge):
        bounded(10 ** (MAX_NUMBER_DIGITS + 1))
    with pytest.raises(NumberTooLarge):
        round_to(Fraction(1, 3), 10**9)


def test_embedded_test_of_repeated_squaring_stops_with_r1010_naming_the_line():
    result = checked(squarings_person())
    (outcome,) = run_tests(result.ruleset, result.sha256)
    assert not outcome.passed
    (failure,) = outcome.failures
    # x0 is line 4; x8 = 1.0001^256 (line 12) is the first with a denominator beyond 1000 digits
    assert "[R1012]" in failure and "dòng 12" in failure


@pytest.mark.parametrize("source", [squarings_person(), squarings_task()], ids=["person", "task"])
def test_bulk_run_cannot_bypass_the_bound_through_the_vector_path(source):
    result = checked(source)
    program = compile_ruleset(result.ruleset, result.sha256)
    data = bulk_dataset()
    assert data.task_count >= vector.MIN_TASKS
    with pytest.raises(EvalError) as info:
        program.evaluate(data)
    assert info.value.code == "R1012"
    assert "dòng 1" in info.value.message
