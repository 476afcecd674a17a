"""`advice.gap_to_next` on the national ruleset with hand-computed cases (domain.md: score = general +
mean(a, b, c) × 70%; levels 90 / 70 / 50; a late product keeps 75% of its timeliness points)."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from app.services.assessments import advice
from app.services.assessments.advice_tries import Budget

ROOT = Path(__file__).resolve().parents[4]
XS, TOT, HT, KHT = ("Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ", "Hoàn thành nhiệm vụ",
                    "Không hoàn thành nhiệm vụ")  # fmt: skip
DUE = dt.date(2026, 1, 25)


@pytest.fixture(scope="module")
def national():
    from dsl.pipeline import check_file
    from dsl.run import compile as compile_checked

    return compile_checked(check_file(str(ROOT / "rulesets" / "quoc-gia" / "nd-335-2025.kpi")))


def gap_to_next(*args, budget=None, **kwargs):
    """`advice.gap_to_next` with a time budget no busy test machine reaches (the tries stay bounded)."""
    return advice.gap_to_next(*args, budget=budget or Budget(seconds=600), **kwargs)


def dataset(tasks, general, **inputs):
    """tasks: (code, status, factor, errors, delays or None); one person CB1, deadline 25/01/2026, the
    finished ones done on 20/01 (delays given or derived from the dates)."""
    from dsl.records import Dataset, PersonRecord

    n = len(tasks)
    done = [t[1] == "Hoàn thành" for t in tasks]
    columns = {
        "mã_nhiệm_vụ": np.array([t[0] for t in tasks], dtype=object),
        "trạng_thái": np.array([t[1] for t in tasks], dtype=object),
        "khối_lượng_giao": np.ones(n),
        "hệ_số_quy_đổi": np.array([float(t[2]) for t in tasks]),
        "khối_lượng_hoàn_thành": np.full(n, np.nan),
        "số_lần_sai_sót_lớn": np.array([float(t[3]) for t in tasks]),
        "số_lần_chậm": np.array([np.nan if t[4] is None else float(t[4]) for t in tasks]),
        "miễn_trừ": np.zeros(n, dtype=bool),
        "hạn_hoàn_thành": np.full(n, float(DUE.toordinal())),
        "ngày_hoàn_thành": np.array([float(dt.date(2026, 1, 20).toordinal()) if d else np.nan for d in done]),
    }
    values = {"điểm_tiêu_chí_chung": Fraction(general), **inputs}
    return Dataset(people=[PersonRecord("CB1", "Nguyễn Văn A")], task_person=np.zeros(n, dtype=np.int64),
                   task_columns=columns, inputs={"CB1": values}, period="2026-01")  # fmt: skip


def tasks(done: int, remaining: int, late_done: int = 0):
    rows = [(f"T{i}", "Hoàn thành", 1, 0, 1 if i < late_done else 0) for i in range(done)]
    return rows + [(f"R{i}", "Đang thực hiện", 1, 0, None) for i in range(remaining)]


def test_example_2_one_remaining_report_reaches_xuat_sac(national):
    # domain.md example 2: 4 documents + a report with one major error done, a report (2.5) not done,
    # general 25 -> 73.94 tốt. Finishing the report on time: a = 100, b = (4 + 1.875 + 2.5) / 9 =
    # 93.0556, c = 100 -> 25 + 97.685 × 0.7 = 93.38, xuất sắc.
    rows = [(f"D{i}", "Hoàn thành", 1, 0, 0) for i in range(4)]
    rows += [("BC1", "Hoàn thành", 2.5, 1, 0), ("BC2", "Đang thực hiện", 2.5, 0, None)]
    gap = gap_to_next(
        national, dataset(rows, 25), "CB1", as_of=dt.date(2026, 1, 10), titles={"BC2": "Báo cáo"}
    )
    assert (gap.score, gap.level, gap.target) == (Fraction("73.94"), TOT, XS)
    assert gap.missing_points == Fraction("16.06")
    assert gap.summary == f'Chưa đạt "{XS}" vì cần điểm từ 90 trở lên (hiện 73,94; còn thiếu 16,06 điểm).'
    assert gap.why == f'Đạt "{TOT}" vì điểm 73,94 từ 70 trở lên.'
    [tasks_] = gap.suggestions
    assert (tasks_.kind, tasks_.reaches, tasks_.count, tasks_.tasks) == ("tasks", True, 1, ["BC2"])
    assert (tasks_.score, tasks_.level) == (Fraction("93.38"), XS)
    assert (
        tasks_.text
        == f'Hoàn thành đúng hạn 1 nhiệm vụ còn lại (BC2 “Báo cáo”) để đạt "{XS}" (dự kiến 93,38 điểm).'
    )
    assert [c for c, _, _ in gap.criteria] == ["a", "b", "c"]


def test_the_fewest_remaining_tasks_that_reach_the_level_above(national):
    # 5 of 10 done, general 20: 20 + 50 × 0.7 = 55, Hoàn thành. k more on time: 20 + (50 + 10k) × 0.7;
    # k = 2 -> 69 (not yet), k = 3 -> 76 >= 70: Hoàn thành tốt.
    gap = gap_to_next(national, dataset(tasks(5, 5), 20), "CB1", as_of=dt.date(2026, 1, 10))
    assert (gap.level, gap.target, gap.missing_points) == (HT, TOT, 15)
    suggestion = gap.suggestions[0]
    assert (suggestion.count, suggestion.score, suggestion.level) == (3, 76, TOT)
    assert suggestion.text.startswith("Hoàn thành đúng hạn 3 trong 5 nhiệm vụ còn lại (R0, R1, R2)")
    # no input suggestion: the general score would need 35, above its bound 30
    assert [s.kind for s in gap.suggestions] == ["tasks"]


def test_overdue_tasks_are_finished_late(national):
    # the same after the deadline: each finished task counts with 75% timeliness:
    # score = 20 + 70 × ((5 + k) + (5 + k) + (5 + 0.75k)) / 30; k = 2 -> 67.83, k = 3 -> 74.25
    gap = gap_to_next(national, dataset(tasks(5, 5), 20), "CB1", as_of=dt.date(2026, 1, 30))
    suggestion = gap.suggestions[0]
    assert (suggestion.count, suggestion.score, suggestion.level) == (3, Fraction("74.25"), TOT)
    assert "R0, R1, R2; đều đã quá hạn, vẫn bị tính chậm" in suggestion.text


def test_a_closed_period_is_phrased_as_a_hypothesis(national):
    gap = gap_to_next(national, dataset(tasks(5, 5), 20), "CB1", as_of=None)
    assert gap.suggestions[0].text.startswith("Nếu đã hoàn thành đúng hạn 3 trong 5 nhiệm vụ còn lại")
    assert gap.suggestions[0].score == 76


def test_when_even_every_remaining_task_is_not_enough(national):
    # 8 of 10 done, general 15: 15 + 56 = 71 tốt; all ten: 15 + 70 = 85 < 90; the general score would
    # need 34 > 30 (its bound): no input suggestion
    gap = gap_to_next(national, dataset(tasks(8, 2), 15), "CB1", as_of=dt.date(2026, 1, 10))
    assert (gap.level, gap.target, gap.missing_points) == (TOT, XS, 19)
    [only] = gap.suggestions
    assert (only.reaches, only.score, only.level, only.count) == (False, 85, TOT, 2)
    assert (
        only.text
        == f'Hoàn thành cả 2 nhiệm vụ còn lại cũng chỉ được 85 điểm, "{TOT}": chưa đủ để đạt "{XS}".'
    )


def test_a_manual_input_on_the_grid_of_the_ruleset_rounding(national):
    # all 10 done, two late once: c = 95, KQ = 98.333… × 0.7 = 68.8333…; general 20 -> 88.83 tốt.
    # xuất sắc needs general + 68.8333… rounded to 2 decimals >= 90: 21.17 (21.16 gives 89.99)
    gap = gap_to_next(national, dataset(tasks(10, 0, late_done=2), 20), "CB1", as_of=dt.date(2026, 1, 10))
    assert (gap.score, gap.target) == (Fraction("88.83"), XS)
    [general] = gap.suggestions
    assert (general.kind, general.value, general.score, general.level) == ("input", Fraction("21.17"), 90, XS)
    assert general.text.startswith(
        'Nếu "Điểm tiêu chí chung" (đầu vào do người đánh giá nhập) là 21,17 thay vì 20'
    )


def test_a_veto_decides_whatever_the_score(national):
    gap = gap_to_next(
        national, dataset(tasks(5, 0), 30, kỷ_luật="khiển trách"), "CB1", as_of=dt.date(2026, 1, 10)
    )
    assert (gap.score, gap.level, gap.target, gap.suggestions) == (100, KHT, None, [])
    assert "do loại trừ, bất kể điểm: Bị kỷ luật từ khiển trách trở lên" in gap.summary


def test_the_top_level_has_nothing_above(national):
    gap = gap_to_next(national, dataset(tasks(5, 0), 28), "CB1", as_of=dt.date(2026, 1, 10))
    assert (gap.level, gap.target, gap.suggestions) == (XS, None, [])
    assert gap.summary == f'Đã đạt mức cao nhất: "{XS}".'


def test_the_tries_are_bounded(national):
    gap = gap_to_next(
        national, dataset(tasks(5, 5), 20), "CB1", as_of=dt.date(2026, 1, 10), budget=Budget(tries=2)
    )
    assert gap.tries == 2
    suggestion = gap.suggestions[0]  # all five reach; the one further try (k = 3) reaches too
    assert suggestion.reaches and suggestion.count == 3 and suggestion.score == 76
    gap = gap_to_next(
        national, dataset(tasks(5, 5), 20), "CB1", as_of=dt.date(2026, 1, 10), budget=Budget(tries=0)
    )
    assert gap.tries == 0 and gap.suggestions == []


def test_a_ruleset_of_conditions_not_points(national):
    # ND 90/2020 (year 2025): "tốt" needs b (tasks on time with quality) = 100; "hoàn thành" b >= 80.
    # 9 of 11 tasks on time, one done late, one in progress: b = 9/11 = 81.82 -> Hoàn thành nhiệm vụ.
    # Finishing the last one on time: b = 10/11 = 90.91, still not 100: no task suggestion reaches.
    from dsl.pipeline import check_file
    from dsl.run import compile as compile_checked

    nd90 = compile_checked(check_file(str(ROOT / "rulesets" / "quoc-gia" / "nd-90-2020-nam-2025.kpi")))
    data = dataset(tasks(10, 1, late_done=1), 0)
    data.inputs = {"CB1": {"tiêu_chí_chung_đạt": True}}
    data.period = "2025"
    gap = gap_to_next(nd90, data, "CB1", as_of=dt.date(2025, 12, 1))
    assert (gap.level, gap.target, gap.missing_points) == (HT, TOT, None)
    assert gap.why == ('Đạt "Hoàn thành nhiệm vụ" vì "Đạt các tiêu chí chung": có; tiêu chí b "Tỷ lệ nhiệm vụ '
                       'hoàn thành đúng hạn, bảo đảm chất lượng" 81,818182… từ 80 trở lên.')  # fmt: skip
    [condition] = gap.conditions
    assert condition.gap == Fraction(200, 11) and condition.needed == 100
    assert condition.text.startswith(
        'tiêu chí b "Tỷ lệ nhiệm vụ hoàn thành đúng hạn, bảo đảm chất lượng" bằng 100'
    )
    [only] = gap.suggestions
    assert (only.reaches, only.score, only.level) == (False, Fraction("90.91"), HT)
