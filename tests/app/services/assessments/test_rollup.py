"""Roll-ups from stored monthly results (worked example 4 of domain.md, by the shipped year ruleset)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from stored_results import add_people, load_national, store_period, version_of

from app.services.scope import Scope

XS, TOT, HT, KHT = (
    "Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ", "Hoàn thành nhiệm vụ", "Không hoàn thành nhiệm vụ",
)  # fmt: skip
EXAMPLE_4 = [("92", XS), ("88.5", TOT), ("90.5", XS), ("91", XS), ("86", TOT), ("89", TOT), ("93", XS)]


@pytest.fixture
def year_setup(session, units):
    load_national(session)
    people = add_people(session, units, [
        ("CB1", "Nguyễn Thị Hà", "HT", False, ""),
        ("CB2", "Trần Văn Bình", "HT", False, ""),
        ("CB3", "Lê Thị Cúc", "HT", False, ""),
    ])  # fmt: skip
    month = version_of(session, "ND335-2025")
    return people, month


def _store_months(session, units, people, month, *, first_unit="HT", moved_after=0):
    for m, (score, level) in enumerate(EXAMPLE_4, start=1):
        unit = units[first_unit] if m <= moved_after else units["HT"]
        rows = [(people["CB1"], score, level, {"a": "100"}, {})]
        rows.append((people["CB2"], "80", TOT, {}, {}))
        if m <= 5:
            rows.append((people["CB3"], "95", XS, {}, {}))
        store_period(session, unit, f"2026-{m:02d}", month, rows)


def _by_person(result):
    return {r.person: r for r in result.results}


def test_year_average_of_months_worked_boundary_counts(session, units, year_setup):
    from app.services.assessments import rollup_run as rollup  # `preview`: computed, not stored

    people, month = year_setup
    _store_months(session, units, people, month)
    groups, uncovered = rollup.preview("HT", "2026", scope=Scope.everything())
    assert uncovered == []
    ((version, result),) = groups
    assert version.ruleset.code == "ND335-2025-NAM"
    got = _by_person(result)
    assert got["CB1"].score == Fraction(90) and got["CB1"].level_before_quota == XS  # 630 / 7 = 90.00
    assert got["CB3"].not_rated  # five months worked: fewer than the minimum six
    assert got["CB2"].score == 80 and got["CB2"].level == TOT


def test_khien_trach_in_any_month_makes_the_year_khong_hoan_thanh(session, units, year_setup):
    from app.models import PeriodInput
    from app.services.assessments import rollup_run as rollup  # `preview`: computed, not stored

    people, month = year_setup
    _store_months(session, units, people, month)
    session.add(
        PeriodInput(person_id=people["CB1"].id, period="2026-03", discipline="khiển trách", values={})
    )
    session.flush()
    ((_, result),) = rollup.preview("HT", "2026", scope=Scope.everything())[0]
    cb1 = _by_person(result)["CB1"]
    assert cb1.score == 90 and cb1.level == KHT and cb1.vetoes


def test_transferred_person_carries_results_stored_under_the_old_unit(session, units, year_setup):
    from app.services.assessments import rollup_run as rollup  # `preview`: computed, not stored

    people, month = year_setup
    _store_months(session, units, people, month, first_unit="DS", moved_after=3)  # Jan–Mar in Đông Sơn
    ((_, result),) = rollup.preview("HT", "2026", scope=Scope.everything())[0]
    assert _by_person(result)["CB1"].score == 90


def test_a_decided_level_is_what_the_year_reads(session, units, year_setup):
    from app.models import AssessmentResult
    from app.services.assessments import rollup_run as rollup  # `preview`: computed, not stored

    people, month = year_setup
    _store_months(session, units, people, month)
    # the leader decided July (computed 93, xuất sắc) "Không hoàn thành" for CB1: the ruleset caps the
    # year at "tốt" although the average stays 90
    july = session.query(AssessmentResult).filter_by(person_code="CB1").all()[-1]
    assert july.score_text == "93"
    july.decided_level, july.decided_reason = KHT, "Vi phạm quy chế làm việc (biên bản 12/7)"
    session.flush()
    ((_, result),) = rollup.preview("HT", "2026", scope=Scope.everything())[0]
    cb1 = _by_person(result)["CB1"]
    assert cb1.score == 90 and cb1.level == TOT


def test_month_period_and_other_wards_evaluator_refused(session, units, year_setup):
    from app.services.assessments import rollup_run as rollup  # `preview`: computed, not stored
    from app.services.errors import ServiceError
    from app.services.users import create_user

    with pytest.raises(ServiceError, match="quý hoặc năm"):
        rollup.preview("HT", "2026-01", scope=Scope.everything())
    evaluator = create_user("ds-danhgia", "mat-khau-ds-1", "evaluator", "DS", "Người đánh giá Đông Sơn")
    with pytest.raises(ServiceError, match="không được phép"):
        rollup.preview("HT", "2026", scope=Scope.of_user(evaluator))


QUARTERLY = """\
bộ quy tắc "TK-2026-NAM" phiên bản 1
  tên "Xếp loại cả năm của cục thống kê, tổng hợp từ các quý"
  căn cứ "Nghị định 335/2025/NĐ-CP" điều 20, 21
  hiệu lực từ 01/01/2026
  kỳ năm
  tổng hợp từ quý
  làm tròn 2 chữ số nửa lên

số_quý_không_hoàn_thành = đếm(kỳ nếu xếp_loại = "Không hoàn thành nhiệm vụ")

tiêu chí tb "Điểm bình quân các quý" theo điều 21 = trung_bình(kỳ, điểm, khi rỗng 0)

điểm = tb

xếp loại theo điều 20:
  "Hoàn thành xuất sắc nhiệm vụ" nếu điểm >= 90
  "Hoàn thành tốt nhiệm vụ" nếu điểm >= 70
  "Hoàn thành nhiệm vụ" nếu điểm >= 50
  "Không hoàn thành nhiệm vụ" còn lại

tối đa "Hoàn thành tốt nhiệm vụ" nếu số_quý_không_hoàn_thành > 0 theo điều 21 "Có quý không hoàn thành nhiệm vụ"
"""


def test_year_from_quarters_one_quarter_khong_hoan_thanh_is_not_xuat_sac(session, units, admin):
    from app.services import rulesets
    from app.services.assessments import rollup_run as rollup  # `preview`: computed, not stored

    load_national(session, names=("nd-335-2025.kpi",))
    people = add_people(
        session, units, [("Q1", "Lê Văn Quý", "HT", False, ""), ("Q2", "Đỗ Thị Hạ", "HT", False, "")]
    )
    rulesets.publish(rulesets.save_draft(QUARTERLY, admin, units["TH"]).id, admin)
    quarter = version_of(session, "ND335-2025")
    # Q1's third quarter: 95 points but "không hoàn thành" (a veto that quarter)
    marks = {"Q1": [("98", XS), ("97", XS), ("95", KHT), ("99", XS)], "Q2": [("95", XS)] * 4}
    for q in range(4):
        rows = [(people[code], marks[code][q][0], marks[code][q][1], {}, {}) for code in ("Q1", "Q2")]
        store_period(session, units["HT"], f"2026-Q{q + 1}", quarter, rows)
    ((version, result),) = rollup.preview("HT", "2026", scope=Scope.everything())[0]
    assert version.ruleset.code == "TK-2026-NAM"
    got = _by_person(result)
    assert got["Q1"].score == Fraction("97.25") and got["Q1"].level_before_quota == TOT  # 389 / 4, capped
    assert got["Q2"].score == 95 and got["Q2"].level_before_quota == XS
