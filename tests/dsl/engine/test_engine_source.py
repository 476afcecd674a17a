"""End to end from source text: parse → check → compile → evaluate, and the test cases in the files."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
from engine_astkit import KHT, TOT, XS, dataset, done

from dsl.engine.program import compile_ruleset
from dsl.errors import EvalError
from dsl.pipeline import check_source
from dsl.records import PersonRecord
from dsl.testing import run_tests

DATA = Path(__file__).parent / "data"


def checked(name: str):
    result = check_source((DATA / name).read_text(encoding="utf-8"), name)
    assert result.ok, [d.render() for d in result.diagnostics if d.is_error]
    return result


@pytest.mark.parametrize("name", ["national.kpi", "year.kpi"])
def test_all_cases_in_file_pass(name):
    result = checked(name)
    outcomes = run_tests(result.ruleset, result.sha256)
    assert outcomes and all(o.passed for o in outcomes), [
        (o.name, o.failures) for o in outcomes if not o.passed
    ]
    assert all(o.span.line > 0 for o in outcomes)


def test_failing_case_reports_position_and_message():
    src = (
        (DATA / "national.kpi")
        .read_text(encoding="utf-8")
        .replace("mong đợi a 100, c 97.5, điểm 97.42", "mong đợi a 100, c 97.5, điểm 97.41")
    )
    result = check_source(src, "x.kpi")
    outcome = run_tests(result.ruleset)[0]
    assert not outcome.passed and outcome.failures == ["cán bộ CB1: điểm mong đợi 97,41, thực tế 97,42"]
    assert outcome.span.line == src.splitlines().index('kiểm thử "Ví dụ 1: chậm một lần":') + 1


def test_evaluate_from_source_with_explanation_and_only():
    result = checked("national.kpi")
    program = compile_ruleset(result.ruleset, result.sha256)
    assert program.sha256 == result.sha256 and program.level_names[0] == XS
    people = [
        PersonRecord("LD", "Trưởng phòng", "P1", leader=True),
        PersonRecord("NV1", "", "P1", manager="LD"),
    ]
    tasks = done("LD", 1, số_lần_sai_sót_lớn=4) + done("LD", 8, số_lần_chậm=1) + done("LD", 11)
    tasks += [{"person": "NV1", "trạng_thái": "Đang thực hiện"}]
    data = dataset(people, tasks, {"LD": {"điểm_tiêu_chí_chung": 27}, "NV1": {"điểm_tiêu_chí_chung": 10}})
    run = program.evaluate(data, explain=True)
    ld = next(r for r in run.results if r.person == "LD")
    assert ld.score == Fraction("89.42") and ld.level == TOT and ld.criteria["d"] == 50
    assert f'Không đạt "{XS}": điểm 89,42 < 90' in ld.explanation
    assert any(
        line.startswith('Tiêu chí a "Số lượng" (điểm a khoản 2 Điều 14 Nghị định 335/2025/NĐ-CP)')
        for line in ld.explanation
    )
    # real-time re-evaluation of one person: the subordinate is evaluated, only LD is returned,
    # quotas (which need the whole group) are not applied
    only = program.evaluate(data, only={"LD"})
    assert [r.person for r in only.results] == ["LD"] and only.results[0].criteria["d"] == 50
    nv = program.evaluate(data, only={"NV1"}).results[0]
    assert nv.level == KHT


def test_param_override_from_source():
    result = checked("national.kpi")
    program = compile_ruleset(result.ruleset)
    assert program.check_params({"mức_trừ_chậm": Fraction(1, 10)}) == []
    assert program.check_params({"tỷ_lệ_xuất_sắc": Fraction(1, 10)})  # locked
    data = dataset(
        [PersonRecord("A", "", "P1")], done("A", 1, số_lần_chậm=1), {"A": {"điểm_tiêu_chí_chung": 30}}
    )
    assert program.evaluate(data).results[0].criteria["c"] == 75
    assert program.evaluate(data, params={"mức_trừ_chậm": Fraction(1, 10)}).results[0].criteria["c"] == 90


def test_year_rollup_missing_nothing_required():
    result = checked("year.kpi")
    program = compile_ruleset(result.ruleset)
    assert {i.name for i in program.needed_inputs} == {"kỷ_luật"}
    data = dataset(
        [PersonRecord("A", "", "P1")], [], {}, [{"person": "A", "kỳ": "2026-01", "điểm": Fraction(90)}] * 6
    )
    r = program.evaluate(data).results[0]
    assert r.score == 90 and r.level == XS


def test_missing_required_input_from_source():
    result = checked("national.kpi")
    data = dataset([PersonRecord("CB001", "", "P1")], done("CB001"), {})
    with pytest.raises(EvalError) as e:
        compile_ruleset(result.ruleset).evaluate(data)
    assert e.value.code == "R1001" and e.value.person == "CB001"
    assert e.value.message == 'thiếu đầu vào "điểm_tiêu_chí_chung"'
    assert str(e.value).count("CB001") == 1  # the person named once, not "của cán bộ X (cán bộ X)"
    two = dataset([PersonRecord("CB001", "", "P1"), PersonRecord("CB002", "", "P1")], done("CB001"), {})
    with pytest.raises(EvalError) as e:
        compile_ruleset(result.ruleset).evaluate(two)
    assert e.value.person is None and str(e.value).count("CB001") == str(e.value).count("CB002") == 1


PARENT = """bộ quy tắc "TINH" phiên bản 1
  tên "Tỉnh"
  căn cứ "Nghị định 335/2025/NĐ-CP" điều 12
  hiệu lực từ 01/01/2026
  kỳ tháng

cho phép thêm tiêu chí tối đa 10%
tham số mức = 25% cho phép 0% đến 50%
đầu vào x: số từ 0 đến 100

tiêu chí a "A" theo điều 12 = x
điểm = a × (100% - mức) + điểm_bổ_sung

xếp loại:
  "Tốt" nếu điểm >= 70
  "Kém" còn lại
"""

CHILD = """bộ quy tắc "XA" phiên bản 1
  tên "Xã"
  căn cứ "Nghị định 335/2025/NĐ-CP" điều 12
  hiệu lực từ 01/01/2026
  kỳ tháng
  áp dụng "TINH" phiên bản 1

đặt mức = 10%
đầu vào y: số từ 0 đến 100 mặc định 0
tiêu chí g "Cải cách hành chính" theo điều 12 trọng số 10% = y

kiểm thử "bổ sung":
  đầu vào (x 80, y 50)
  mong đợi a 80, g 50, điểm 77
"""


class _Resolver:
    def find(self, code, version):
        return (PARENT, "tinh.kpi") if code == "TINH" else None


def test_adopted_ruleset_with_added_criterion_feeds_diem_bo_sung():
    result = check_source(CHILD, "xa.kpi", resolver=_Resolver())
    assert result.ok, [d.render() for d in result.diagnostics]
    assert [o.passed for o in run_tests(result.ruleset)] == [True]
    program = compile_ruleset(result.ruleset)
    data = dataset([PersonRecord("A", "", "P1")], [], {"A": {"x": 80}})
    r = program.evaluate(data).results[0]
    # y defaults to 0: 80 × 90% + 10% × 0
    assert r.score == 72 and r.level == "Tốt" and r.criteria == {"a": 80, "g": 0}
