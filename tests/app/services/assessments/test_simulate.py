"""What-if simulations on a stored assessment: parameter values, a draft ruleset text; nothing stored."""

from __future__ import annotations

from pathlib import Path

import pytest
from ward_data import run_ward

from app.services.scope import Scope

ROOT = Path(__file__).resolve().parents[4]
XS, TOT = "Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ"


def _snapshot(session):
    from app.models import AssessmentResult, AssessmentRevision

    return session.query(AssessmentRevision).count(), session.query(AssessmentResult).count()


def test_parameter_change_moves_one_person_up_and_stores_nothing(session, units, tmp_path):
    from fractions import Fraction

    from app.services.assessments import simulate

    assessment = run_ward(session, tmp_path)
    before = _snapshot(session)
    sim = simulate.simulate(assessment, scope=Scope.everything(), params={"mức_trừ_chậm": Fraction(0)})
    (unit,) = sim.units.values()
    assert unit.people == 6 and unit.before == {TOT: 6} and unit.after == {XS: 1, TOT: 5}
    (change,) = unit.changes
    assert (change.person, change.score_before, change.level_before) == ("P", "89.42", TOT)
    assert (change.score_after, change.level_after) == ("90.00", XS)
    assert unit.quota_after == 0  # five "tốt" colleagues: one "xuất sắc" fits the 20% quota
    assert _snapshot(session) == before
    data = sim.to_json()
    assert data["changed"] == 1 and data["units"][0]["changes"][0]["level_after"] == XS


def test_draft_text_of_a_new_version_and_refusals(session, units, tmp_path):
    from fractions import Fraction

    from app.services.assessments import simulate
    from app.services.errors import ServiceError
    from app.services.users import create_user

    assessment = run_ward(session, tmp_path)
    source = (ROOT / "rulesets/quoc-gia/nd-335-2025.kpi").read_text(encoding="utf-8")
    draft = source.replace("phiên bản 1", "phiên bản 2", 1).replace(
        "tham số mức_trừ_chậm = 25%", "tham số mức_trừ_chậm = 0%"
    )
    assert draft != source
    candidate = simulate.candidate_from_source(draft, "nd-335-nhap.kpi")
    sim = simulate.simulate(assessment, scope=Scope.everything(), candidate=candidate)
    assert [c.person for u in sim.units.values() for c in u.changes] == ["P"]
    with pytest.raises(ServiceError) as locked:
        simulate.simulate(assessment, scope=Scope.everything(), params={"ngưỡng_xuất_sắc": Fraction(85)})
    assert "khóa" in str(locked.value)
    with pytest.raises(ServiceError, match="có lỗi"):
        simulate.candidate_from_source("bộ quy tắc thiếu", "hong.kpi")
    outsider = create_user("ds-mophong", "mat-khau-ds-3", "evaluator", "DS")
    with pytest.raises(ServiceError, match="không được phép"):
        simulate.simulate(assessment, scope=Scope.of_user(outsider), params={"mức_trừ_chậm": Fraction(0)})
