"""The manual inputs grid: columns from the rulesets, who lacks what, saving through the inputs import
(all or nothing, row-level errors), and an assessment created before its first run."""

from __future__ import annotations

import pytest
from run_fixtures import scope_of

from app.services.errors import Conflict, Forbidden


def _draft(session, unit="HT", period="2026-02", username="hacthanh.danhgia"):
    from app.models import User
    from app.services.assessments import drafts

    user = session.query(User).filter_by(username=username).one()
    a = drafts.create(unit, period, scope=scope_of(username), user=user)
    session.commit()
    return a, user


def test_draft_then_conflict_and_scope(demo):
    from app.models import AuditLog
    from app.services.assessments import drafts

    a, user = _draft(demo)
    assert (a.status, a.current_revision, a.period_kind) == ("draft", 0, "tháng")
    assert demo.query(AuditLog).filter_by(action="assessment.create").count() == 1
    with pytest.raises(Conflict):
        drafts.create("HT", "02/2026", scope=scope_of("hacthanh.danhgia"), user=user)
    with pytest.raises(Forbidden):
        drafts.create("HT", "2026-03", scope=scope_of("dongson.danhgia"), user=user)
    with pytest.raises(Forbidden):
        drafts.create("HT", "2026-03", scope=scope_of("HT0012"), user=user)


def test_grid_lacking_and_save(demo):
    from app.models import PeriodInput
    from app.services.assessments import inputs_grid, run

    a, user = _draft(demo)
    scope = scope_of("hacthanh.danhgia")
    grid = inputs_grid.grid(a, scope=scope)
    first = grid.columns[0]
    assert (first.name, first.low, first.high, first.required) == ("điểm_tiêu_chí_chung", "0", "30", True)
    assert len(grid.rows) == 60 and not grid.lacking
    report, errors = inputs_grid.save(a, {"HT0020": {"điểm_tiêu_chí_chung": ""}}, scope=scope, user=user)
    demo.commit()
    assert not errors and report.updated == ["HT0020 2026-02"]
    lacking = inputs_grid.grid(a, scope=scope).lacking
    assert [(r.code, r.lacking) for r in lacking] == [("HT0020", ["Điểm tiêu chí chung"])]
    with pytest.raises(Exception) as caught:
        run("HT", "2026-02", scope=scope, user=user)
    assert "HT0020" in str(caught.value) and "Điểm tiêu chí chung" in str(caught.value)
    demo.rollback()
    before = demo.query(PeriodInput).count()
    report, errors = inputs_grid.save(a, {"HT0020": {"điểm_tiêu_chí_chung": "30,5"},
                                          "HT0021": {"kỷ_luật": "phê bình"}}, scope=scope, user=user)  # fmt: skip
    assert [(e.person, e.column) for e in errors] == [
        ("HT0020", "điểm_tiêu_chí_chung"),
        ("HT0021", "kỷ_luật"),
    ]
    assert "nằm ngoài khoảng 0 đến 30" in errors[0].message and not report.applied
    demo.rollback()
    assert demo.query(PeriodInput).count() == before
    report, errors = inputs_grid.save(a, {"HT0020": {"điểm_tiêu_chí_chung": "27,5"}}, scope=scope, user=user)
    demo.commit()
    assert not errors and report.applied
    assert inputs_grid.grid(a, scope=scope).rows[19].values["điểm_tiêu_chí_chung"] == "27,5"
    assert run("HT", "2026-02", scope=scope, user=user).revision.number == 1


def test_grid_of_another_ward_is_refused(demo):
    from app.services.assessments import inputs_grid

    a, user = _draft(demo)
    with pytest.raises(Forbidden):
        inputs_grid.grid(a, scope=scope_of("dongson.danhgia"))
    with pytest.raises(Forbidden):
        inputs_grid.save(
            a, {"HT0020": {"điểm_tiêu_chí_chung": "1"}}, scope=scope_of("dongson.danhgia"), user=user
        )
