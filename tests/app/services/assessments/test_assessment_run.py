"""Running an assessment on the demo data: stored results, "không thay đổi", a revision after a task
changed (who and why), explanations from the snapshot, immutable stored results."""

from __future__ import annotations

from decimal import Decimal

import pytest
from run_fixtures import everything, run, scope_of

from app.services.errors import ServiceError


def _result(report, code):
    return report.rows[code]


def test_ward_run_stores_every_result_and_second_run_is_unchanged(demo):
    from app.models import AssessmentResult
    from app.services import assessments

    first = run("HT", "2026-01")
    assert first.revision.number == 1 and not first.unchanged
    assert [v["code"] for v in first.versions] == ["TH-HAC-THANH-2026"]
    stored = assessments.results_of(first.assessment)
    assert len(stored) == 60 and {r.person_code[:2] for r in stored} == {"HT"}
    # hand-computed: HT0012 did all 17 tasks on time with quality, general score 27.5, ward criterion g 100:
    # 27.5 + 100 × (70% − 5%) + 100 × 5% = 97.5 → xuất sắc by score, demoted by the 20% quota of its group
    r = next(r for r in stored if r.person_code == "HT0012")
    assert r.score == Decimal("97.5") and r.criteria["a"] == "100" and r.criteria["g"] == "100"
    assert r.level_before_quota == "Hoàn thành xuất sắc nhiệm vụ" and r.level == "Hoàn thành tốt nhiệm vụ"
    assert r.quota_note
    again = run("HT", "2026-01")
    assert again.unchanged and again.revision.number == 1 and again.status_text == "không thay đổi"
    assert again.rows == first.rows
    assert demo.query(AssessmentResult).count() == 60


def test_changed_task_makes_a_revision_that_says_who_and_why(demo):
    from app.models import Person, Task
    from app.services import assessments

    first = run("HT", "2026-01")
    person = demo.query(Person).filter_by(code="HT0012").one()
    task = demo.query(Task).filter_by(person_id=person.id, period="2026-01").order_by(Task.id).first()
    task.quantity_completed = Decimal(0)
    demo.commit()
    second = run("HT", "2026-01")
    assert second.revision.number == 2 and not second.unchanged
    change = next(c for c in second.changes if c["person"] == "HT0012")
    assert any(task.external_id in why and "khối_lượng_hoàn_thành" in why for why in change["why"])
    assert second.rows["HT0012"]["criteria"]["a"] != first.rows["HT0012"]["criteria"]["a"]
    # the first revision's explanation is re-derived from its snapshot, not from today's tasks
    old = assessments.explain(first.assessment, "HT0012", scope=everything(), revision=1)
    assert old.matches and old.score == "97.5" and any("Bị hạ do hạn mức" in line for line in old.lines)
    new = assessments.explain(second.assessment, "HT0012", scope=everything())
    assert new.matches and new.score == second.rows["HT0012"]["score_text"]


def test_stored_results_cannot_be_changed(demo):
    from app.models import AssessmentResult

    run("HT", "2026-01")
    row = demo.query(AssessmentResult).filter_by(person_code="HT0012").one()
    row.decided_level = "Hoàn thành xuất sắc nhiệm vụ"  # the decision may be written
    row.decided_reason = "Có thành tích đột xuất"
    demo.commit()
    row.score = Decimal(99)
    with pytest.raises(Exception, match="KPI-IMMUTABLE"):
        demo.commit()
    demo.rollback()
    demo.delete(demo.query(AssessmentResult).filter_by(person_code="HT0013").one())
    with pytest.raises(Exception, match="KPI-IMMUTABLE"):
        demo.commit()
    demo.rollback()


def test_province_runs_each_group_under_its_own_version(demo):
    report = run("TH", "2026-01")
    assert {v["code"] for v in report.versions} == {"TH-2026", "TH-HAC-THANH-2026"}
    by_version = {v["version_id"]: v["code"] for v in report.versions}
    assert {by_version[r["version_id"]] for c, r in report.rows.items() if c.startswith("HT")} == {
        "TH-HAC-THANH-2026"
    }
    assert {by_version[r["version_id"]] for c, r in report.rows.items() if c.startswith("DS")} == {"TH-2026"}
    assert "g" not in report.rows["DS0012"]["criteria"] and "g" in report.rows["HT0012"]["criteria"]


def test_missing_general_score_stops_the_run_naming_who(demo):
    from app.models import PeriodInput, Person

    person = demo.query(Person).filter_by(code="HT0020").one()
    demo.query(PeriodInput).filter_by(person_id=person.id, period="2026-01").delete()
    demo.commit()
    with pytest.raises(ServiceError) as caught:
        run("HT", "2026-01")
    assert any(
        d.startswith(f"HT0020 {person.full_name}") and "Điểm tiêu chí chung" in d
        for d in caught.value.details
    )
    from app.models import Assessment

    assert demo.query(Assessment).count() == 0


def test_dry_run_stores_nothing(demo):
    from app.models import Assessment

    report = run("HT", "2026-01", dry_run=True)
    assert report.dry_run and len(report.rows) == 60
    assert demo.query(Assessment).count() == 0


def test_another_wards_evaluator_is_refused(demo):
    from app.services import assessments

    report = run("HT", "2026-01")
    dong_son = scope_of("dongson.danhgia")
    with pytest.raises(ServiceError) as caught:
        assessments.run("HT", "2026-01", scope=dong_son)
    assert caught.value.code == "forbidden"
    with pytest.raises(ServiceError):
        assessments.get("HT", "2026-01", scope=dong_son)
    with pytest.raises(ServiceError):
        assessments.explain(report.assessment, "HT0012", scope=dong_son)
    assert assessments.list_assessments(scope=dong_son) == []
    assert [a.id for a in assessments.list_assessments(scope=scope_of("hacthanh.danhgia"))] == [
        report.assessment.id
    ]
