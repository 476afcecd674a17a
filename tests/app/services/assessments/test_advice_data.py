"""The advice read from the database: a stored result (its snapshot under the pinned version) and an
official's provisional situation today (their subordinates from the stored provisional results)."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from run_fixtures import everything, scope_of
from ward_data import _write, run_ward

from app.services.assessments.advice_tries import Budget
from app.services.errors import ServiceError


def slow() -> Budget:
    """A budget of tries no busy test machine cuts short by the clock (the tries stay bounded)."""
    return Budget(seconds=600)


XS, TOT, HT, KHT = ("Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ", "Hoàn thành nhiệm vụ",
                    "Không hoàn thành nhiệm vụ")  # fmt: skip


def _person_id(session, code):
    from app.models import Person

    return session.query(Person).filter_by(code=code).one().id


def test_a_stored_result_p_misses_xuat_sac_by_0_58(session, units, tmp_path):
    # ward_data: P 89.42 tốt (one task done late once), general 20; nothing left to finish. The general
    # score x gives x + 69.41666… rounded half up: 20.58 -> 90.00 (20.57 -> 89.99).
    from app.services.assessments.advice_data import for_result

    assessment = run_ward(session, tmp_path)
    gap = for_result(assessment, "P", scope=everything(), budget=slow())
    assert (gap.score, gap.level, gap.target, gap.missing_points) == (
        Fraction("89.42"),
        TOT,
        XS,
        Fraction("0.58"),
    )
    [general] = gap.suggestions
    assert (general.kind, general.value, general.score, general.level) == ("input", Fraction("20.58"), 90, XS)
    t1 = for_result(assessment, "T1", scope=everything(), budget=slow())
    assert (t1.score, t1.level, t1.target, t1.suggestions[0].value) == (80, TOT, XS, 20)


def test_another_wards_evaluator_is_refused(session, units, tmp_path):
    from app.services.assessments.advice_data import for_provisional, for_result
    from app.services.users import create_user

    assessment = run_ward(session, tmp_path)
    create_user("ds-danhgia", "mat-khau-ds-1", "evaluator", "DS", "Người đánh giá Đông Sơn")
    session.commit()
    with pytest.raises(ServiceError):
        for_result(assessment, "P", scope=scope_of("ds-danhgia"), budget=slow())
    with pytest.raises(ServiceError):
        for_provisional(_person_id(session, "P"), "2026-01", scope=scope_of("ds-danhgia"), budget=slow())


def test_provisional_remaining_task_of_today(session, units, tmp_path):
    from app.services.assessments.advice_data import for_provisional
    from app.services.imports import import_file

    run_ward(session, tmp_path)
    head = "Mã nhiệm vụ,Mã cán bộ,Kỳ,Tên nhiệm vụ,Hạn hoàn thành,Trạng thái,Khối lượng giao\n"
    extra = head + "T1-2,T1,2026-01,Tổng hợp báo cáo quý,25/01/2026,Đang thực hiện,1\n"
    assert import_file("tasks", _write(tmp_path, "them.csv", extra)).applied
    session.commit()
    # T1: one task done, one not: a = b = c = 50 -> 10 + 35 = 45, không hoàn thành; finishing it on
    # time: 80, tốt (the level above, Hoàn thành nhiệm vụ, is passed)
    gap = for_provisional(
        _person_id(session, "T1"), "2026-01", scope=everything(), today=dt.date(2026, 1, 20), budget=slow()
    )
    assert (gap.score, gap.level, gap.target, gap.missing_points) == (45, KHT, HT, 5)
    tasks = gap.suggestions[0]
    assert (tasks.count, tasks.score, tasks.level, tasks.tasks) == (1, 80, TOT, ["T1-2"])
    assert tasks.text == (f'Hoàn thành đúng hạn 1 nhiệm vụ còn lại (T1-2 “Tổng hợp báo cáo quý”) để đạt "{TOT}" '
                          "(dự kiến 80 điểm).")  # fmt: skip
    late = for_provisional(
        _person_id(session, "T1"), "2026-01", scope=everything(), today=dt.date(2026, 1, 28), budget=slow()
    )
    # after the deadline it is late: a = b = 100, c = (1 + 0.75) / 2 = 87.5 -> 10 + 95.8333… × 0.7 = 77.08
    assert late.suggestions[0].score == Fraction("77.08") and "đã quá hạn" in late.suggestions[0].text


def test_provisional_leader_reads_the_subordinates_stored_results(session, units, tmp_path):
    # test_provisional's example 3: NV1 has not done their task (không hoàn thành), so LD's d = 50:
    # 89.42 tốt; the general score 27 -> 27.58 gives 89.99666… -> 90.00
    from stored_results import load_national
    from test_provisional import INPUTS, PEOPLE, _leader_tasks

    from app.services.assessments.advice_data import for_provisional
    from app.services.imports import import_file

    load_national(session, names=("nd-335-2025.kpi",))
    session.commit()
    for kind, name, text in (("people", "p.csv", PEOPLE), ("inputs", "i.csv", INPUTS),
                             ("tasks", "t.csv", _leader_tasks() + "N1,NV1,2026-01,Đang thực hiện,1,0,0,0\n")):  # fmt: skip
        assert import_file(kind, _write(tmp_path, name, text)).applied
    session.commit()
    gap = for_provisional(
        _person_id(session, "LD"), "2026-01", scope=everything(), today=dt.date(2026, 1, 20), budget=slow()
    )
    assert (gap.score, gap.level, gap.target) == (Fraction("89.42"), TOT, XS)
    assert dict((c, v) for c, _, v in gap.criteria)["d"] == 50
    [general] = gap.suggestions
    assert (general.value, general.score) == (Fraction("27.58"), 90)


def test_a_result_moved_by_the_quota_says_so(session, units, tmp_path):
    # P general 21 -> 90.42 and T1 general 25 -> 95: two xuất sắc beside four tốt; k <= 20% × (6 - k)
    # keeps one (domain.md example 5: the demoted count as tốt): T1 stays, P (second by score) moves
    from ward_data import import_ward

    from app.services import assessments
    from app.services.assessments.advice_data import for_result
    from app.services.imports import import_file

    import_ward(session, tmp_path)
    fixed = "Mã cán bộ,Kỳ,Điểm tiêu chí chung\nP,2026-01,21\nT1,2026-01,25\n"
    assert import_file("inputs", _write(tmp_path, "sua.csv", fixed)).applied
    assessment = assessments.run("HT", "2026-01", scope=everything()).assessment
    session.commit()
    gap = for_result(assessment, "P", scope=everything(), budget=slow())
    assert (gap.score, gap.level, gap.target) == (Fraction("90.42"), XS, None)
    assert gap.summary == f'Theo điểm đạt "{XS}" nhưng xếp loại "{TOT}" do hạn mức tỷ lệ.'
    assert (
        gap.notes[0].startswith("Bị hạ do hạn mức")
        and "giữ tối đa 1 người; người này xếp thứ 2/2" in gap.notes[0]
    )
