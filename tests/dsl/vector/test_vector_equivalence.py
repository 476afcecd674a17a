"""The vectorised backend gives exactly the exact engine's results (after the ruleset's rounding)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from randomdata import dataset

from dsl import vector
from dsl.engine.program import compile_ruleset
from dsl.engine.values import round_to
from dsl.errors import EvalError
from dsl.pipeline import check_file
from dsl.records import Dataset, PersonRecord
from dsl.vector import Unsupported, run_vector

ROOT = Path(__file__).resolve().parents[3]
RULESETS = sorted((ROOT / "rulesets").rglob("*.kpi"))
NATIONAL = ROOT / "rulesets/quoc-gia/nd-335-2025.kpi"
XS, TOT, HT, KHT = (
    "Hoàn thành xuất sắc nhiệm vụ",
    "Hoàn thành tốt nhiệm vụ",
    "Hoàn thành nhiệm vụ",
    "Không hoàn thành nhiệm vụ",
)


def program_of(path: Path):
    checked = check_file(path)
    assert checked.ok, [d.render() for d in checked.diagnostics if d.is_error]
    return compile_ruleset(checked.ruleset, checked.sha256)


def key(result, digits: int):
    def value(v):
        if isinstance(v, Fraction | int) and not isinstance(v, bool):
            return round_to(v, digits)
        return v

    return [
        (
            p.person,
            p.unit,
            {k: value(v) for k, v in p.criteria.items()},
            p.score,
            p.level,
            p.level_before_quota,
            list(p.vetoes),
            {k: value(v) for k, v in p.outputs.items()},
            p.not_rated,
            p.duty_group,
        )
        for p in result.results
    ]


def assert_same(exact, fast, digits):
    assert len(exact.results) == len(fast.results)
    for a, b in zip(key(exact, digits), key(fast, digits), strict=True):
        assert a == b
    assert (exact.code, exact.version, exact.period) == (fast.code, fast.version, fast.period)


@pytest.fixture(scope="module")
def national():
    return program_of(NATIONAL)


@pytest.mark.parametrize("seed", range(8))
def test_national_random_data_vector_path_equals_exact(national, seed):
    data = dataset(national, seed, people=72)
    exact = national.run(data).result
    fast = run_vector(national, data)  # raises Unsupported if the vector path cannot run
    assert_same(exact, fast, national.rounding.digits)
    # decimal coefficients (0.3, 0.1) make some sums inexact: those persons were re-checked exactly
    assert fast.stats["people"] == 72 and fast.stats["layers"] == 3


def test_evaluate_takes_the_vector_path_on_data_it_supports(national):
    data = dataset(national, 3, people=640)
    assert data.task_count >= vector.MIN_TASKS
    result = national.evaluate(data)
    assert result.stats["backend"] == "vector", result.stats
    assert result.stats["fallback_reason"] is None and result.stats["people"] == 640
    assert_same(national.run(data).result, result, national.rounding.digits)


def test_evaluate_says_why_it_fell_back(national, caplog, monkeypatch):
    small = dataset(national, 4, people=12)
    got = national.evaluate(small)
    assert got.stats["backend"] == "exact" and got.stats["fallback_reason"].startswith("small")
    assert national.evaluate(small, explain=True).stats["fallback_reason"] == "explain"
    monkeypatch.setattr(vector, "MIN_TASKS", 0)
    data = dataset(national, 5, people=24)
    data.people[3].code = data.people[2].code
    with caplog.at_level("DEBUG", logger="dsl.engine.program"):
        got = national.evaluate(data)
    assert got.stats == {"backend": "exact", "fallback_reason": "unsupported: duplicate person codes"}
    assert "duplicate person codes" in caplog.text


@pytest.mark.parametrize("path", RULESETS, ids=lambda p: p.name)
@pytest.mark.parametrize("seed", range(3))
def test_every_shipped_ruleset_through_evaluate_equals_exact(path, seed, monkeypatch):
    program = program_of(path)
    data = dataset(program, 100 + seed, people=48)
    monkeypatch.setattr(vector, "MIN_TASKS", 0)  # route even small runs through the hook
    exact = program.run(data).result
    routed = program.evaluate(data)  # vector backend, or the exact engine as a fallback
    assert_same(exact, routed, program.rounding.digits)


@pytest.mark.parametrize("path", [p for p in RULESETS if "nam" not in p.name], ids=lambda p: p.name)
def test_monthly_shipped_rulesets_run_vectorised(path):
    program = program_of(path)
    data = dataset(program, 7, people=36)
    assert_same(program.run(data).result, run_vector(program, data), program.rounding.digits)


def test_roll_up_ruleset_falls_back():
    program = program_of(ROOT / "rulesets/quoc-gia/nd-335-2025-nam.kpi")
    data = dataset(program, 1, people=12)
    with pytest.raises(Unsupported):
        run_vector(program, data)


# ------------------------------------------------------------------ exact boundaries


def _one(general, tasks: list[dict], **person) -> Dataset:
    people = [PersonRecord("CB1", "A", "U", **person)]
    n = len(tasks)
    cols = {}
    for name in (
        "khối_lượng_giao",
        "khối_lượng_hoàn_thành",
        "hệ_số_quy_đổi",
        "số_lần_sai_sót_lớn",
        "số_lần_chậm",
    ):
        cols[name] = np.array([float(t.get(name, np.nan)) for t in tasks])
    cols["trạng_thái"] = np.array([t.get("trạng_thái", "Hoàn thành") for t in tasks], dtype=object)
    cols["miễn_trừ"] = np.array([bool(t.get("miễn_trừ", False)) for t in tasks], dtype=bool)
    return Dataset(
        people=people,
        task_person=np.zeros(n, dtype=np.int64),
        task_columns=cols,
        inputs={"CB1": {"điểm_tiêu_chí_chung": Fraction(general)}},
    )


def test_worked_example_2_half_up_boundary_73_935(national):
    tasks = [{"khối_lượng_giao": 1, "hệ_số_quy_đổi": 1}] * 4
    tasks += [{"khối_lượng_giao": 1, "hệ_số_quy_đổi": 2.5, "số_lần_sai_sót_lớn": 1}]
    tasks += [
        {
            "khối_lượng_giao": 1,
            "khối_lượng_hoàn_thành": 0,
            "hệ_số_quy_đổi": 2.5,
            "trạng_thái": "Đang thực hiện",
        }
    ]
    data = _one(25, tasks)
    fast = run_vector(national, data).results[0]
    assert fast.score == Fraction("73.94")  # exactly 73.935, half-up
    assert {k: round_to(v) for k, v in fast.criteria.items()} == {
        "a": Fraction("72.22"),
        "b": Fraction("65.28"),
        "c": Fraction("72.22"),
    }
    assert fast.level == TOT
    assert_same(national.run(data).result, run_vector(national, data), 2)


@pytest.mark.parametrize("general", ["19.99", "20", "20.005", "19.995", "0", "30"])
def test_scores_at_the_threshold(national, general):
    data = _one(Fraction(general), [{"khối_lượng_giao": 1}] * 3)
    fast = run_vector(national, data).results[0]
    assert_same(national.run(data).result, run_vector(national, data), 2)
    assert fast.level_before_quota == (XS if Fraction(general) >= Fraction("19.995") else TOT)


def test_inexact_sums_are_rechecked_exactly(national):
    # 0.1 + 0.2 style sums: floats are not exact, the persons near a boundary go to the exact engine
    tasks = [{"khối_lượng_giao": 0.1, "hệ_số_quy_đổi": 1}] * 3 + [
        {"khối_lượng_giao": 0.3, "hệ_số_quy_đổi": 0.1}
    ]
    data = _one(Fraction("20"), tasks)
    assert_same(national.run(data).result, run_vector(national, data), 2)


def test_cancelled_only_and_no_tasks(national):
    data = _one(28, [{"khối_lượng_giao": 1, "trạng_thái": "Hủy"}])
    fast = run_vector(national, data).results[0]
    assert fast.score == 28 and fast.level == KHT
    empty = _one(28, [])
    assert_same(national.run(empty).result, run_vector(national, empty), 2)


def _drop_input(data):
    del data.inputs["CB0005"]["điểm_tiêu_chí_chung"]


def _manager_cycle(data):
    data.people[0].manager, data.people[1].manager = "CB0001", "CB0000"


@pytest.mark.parametrize(
    ("seed", "spoil", "code"), [(3, _drop_input, "R1001"), (10, _manager_cycle, "R1003")]
)
def test_bad_data_falls_back_and_the_engine_reports_it(national, monkeypatch, seed, spoil, code):
    """A missing required input, a manager cycle: the vector backend refuses, the engine reports."""
    data = dataset(national, seed, people=24)
    spoil(data)
    with pytest.raises(Unsupported):
        run_vector(national, data)
    monkeypatch.setattr(vector, "MIN_TASKS", 0)
    with pytest.raises(EvalError) as err:
        national.evaluate(data)
    assert err.value.code == code


def test_explain_and_only_use_the_exact_engine(national, monkeypatch):
    data = dataset(national, 4, people=24)
    monkeypatch.setattr(vector, "MIN_TASKS", 0)
    explained = national.evaluate(data, explain=True)
    assert all(p.explanation for p in explained.results)
    one = national.evaluate(data, only={"CB0003"})
    assert [p.person for p in one.results] == ["CB0003"]


def test_quota_demotes_lowest_then_higher_code(national):
    people = [PersonRecord(f"CB{i:02d}", "", "U", duty_group="G") for i in range(12)]
    general = [26, 23, 21, 21, 5, 6, 7, 8, 9, 10, 11, 12]  # 96, 93, 91, 91 and eight in 70..90
    data = Dataset(
        people=people,
        task_person=np.arange(12, dtype=np.int64),
        task_columns={"trạng_thái": np.array(["Hoàn thành"] * 12, dtype=object)},
        inputs={p.code: {"điểm_tiêu_chí_chung": Fraction(g)} for p, g in zip(people, general, strict=True)},
    )
    fast = run_vector(national, data)
    assert [p.level for p in fast.results][:4] == [XS, XS, TOT, TOT]
    assert_same(national.run(data).result, fast, 2)


@pytest.mark.parametrize("seed", range(3))
def test_parameter_overrides(national, seed):
    data = dataset(national, 40 + seed, people=36)
    params = {
        "mức_trừ_sai_sót": Fraction(1, 2),
        "mức_trừ_chậm": Fraction(3, 10),
        "điểm_khi_không_giao_nhiệm_vụ": 100,
    }
    exact = national.run(data, params=params).result
    assert_same(exact, run_vector(national, data, params), 2)


def test_deep_hierarchy_layers(national):
    data = dataset(national, 9, people=30)
    for i, p in enumerate(data.people):  # a chain of six leaders, everyone else under the last one
        p.manager = f"CB{i - 1:04d}" if 0 < i < 6 else ("CB0005" if i >= 6 else "")
        p.leader = i < 6
    fast = run_vector(national, data)
    assert fast.stats["layers"] == 7  # the staff, then six leaders one above the other
    assert_same(national.run(data).result, fast, 2)


def test_duplicate_person_codes_fall_back(national):
    data = dataset(national, 11, people=24)
    data.people[3].code = data.people[2].code
    with pytest.raises(Unsupported):
        run_vector(national, data)


@pytest.mark.parametrize("wording", ["trở lên", "trở xuống"])
@pytest.mark.parametrize("seed", range(3))
def test_quota_of_a_level_and_above_or_below_vector_equals_exact(wording, seed):
    from dsl.pipeline import check_source

    # the random data has few "xuất sắc": put the quota on "tốt", whose demoted go to "hoàn thành"
    source = NATIONAL.read_text(encoding="utf-8").replace(
        'hạn mức "Hoàn thành xuất sắc nhiệm vụ" không quá tỷ_lệ_xuất_sắc số "Hoàn thành tốt nhiệm vụ"',
        f'hạn mức "{TOT}" không quá 15% số "{HT}" {wording}',
    )
    checked = check_source(source, "q.kpi")
    assert checked.ok and checked.ruleset.quotas[0].of_range == wording
    program = compile_ruleset(checked.ruleset, checked.sha256)
    data = dataset(program, 300 + seed, people=90)
    exact = program.run(data).result
    assert_same(exact, run_vector(program, data), program.rounding.digits)
    assert any(r.level != r.level_before_quota for r in exact.results)  # the quota did demote someone
