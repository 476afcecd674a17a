"""Versions in an assessment: a leader reads subordinates evaluated under another version; a person no
version covers is reported by code and name; a past period keeps its pinned version until re-pinned."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from run_fixtures import everything, run


def _person(session, code, unit_code, *, leader=False, category="công chức"):
    from app.models import Person, Unit

    unit = session.query(Unit).filter_by(code=unit_code).one()
    person = Person(code=code, full_name=f"Cán bộ {code}", unit=unit, is_leader=leader, category=category,
                    leadership_post="Giám đốc Sở" if leader else "")  # fmt: skip
    session.add(person)
    session.flush()
    return person


def _tasks(session, person, n, period="2026-01"):
    from app.models import Task

    for i in range(n):
        session.add(Task(external_id=f"{person.code}-{i}", person_id=person.id, unit_id=person.unit_id,
                         owner_unit_id=person.unit_id, period=period,
                         status="Hoàn thành", quantity_assigned=Decimal(1), quantity_completed=Decimal(1)))  # fmt: skip


def test_leader_reads_subordinates_evaluated_under_another_version(demo):
    from app.models import PeriodInput, Person

    director = _person(demo, "TH0001", "TH", leader=True)
    _tasks(demo, director, 2)
    demo.add(PeriodInput(person_id=director.id, period="2026-01", general_score=Decimal(25)))
    chairman = demo.query(Person).filter_by(code="HT0001").one()
    chairman.manager_id = director.id
    demo.query(PeriodInput).filter_by(
        person_id=chairman.id, period="2026-01"
    ).one().discipline = "khiển trách"
    demo.commit()
    report = run("TH", "2026-01")
    versions = {v["version_id"]: v["code"] for v in report.versions}
    assert versions[report.rows["TH0001"]["version_id"]] == "TH-2026"
    assert versions[report.rows["HT0001"]["version_id"]] == "TH-HAC-THANH-2026"
    assert report.rows["HT0001"]["level"] == "Không hoàn thành nhiệm vụ"
    # hand-computed: a = b = c = 100, d = 50 (a subordinate không hoàn thành), đ = e = 100 (defaults):
    # 25 + (550 / 6) × 70% = 89.1666… → 89.17
    director_row = report.rows["TH0001"]
    assert director_row["criteria"]["d"] == "50" and director_row["score_text"] == "89.17"
    from app.services import assessments

    explained = assessments.explain(report.assessment, "TH0001", scope=everything())
    assert explained.matches and any("d " in line or "Tiêu chí d" in line for line in explained.lines)


def test_person_no_version_covers_is_reported_by_code_and_name(demo):
    from app.models import PeriodInput, Unit

    # a viên chức of a provincial department: the province's and the national rulesets cover công chức only
    demo.add(
        Unit(code="TH-SYT", name="Sở Y tế", kind="sở", parent=demo.query(Unit).filter_by(code="TH").one())
    )
    demo.flush()
    outsider = _person(demo, "TH9001", "TH-SYT", category="viên chức")
    demo.add(PeriodInput(person_id=outsider.id, period="2026-01", general_score=Decimal(20)))
    demo.commit()
    report = run("TH", "2026-01")
    assert [(u["person"], u["name"]) for u in report.uncovered] == [("TH9001", "Cán bộ TH9001")]
    assert "viên chức" in report.uncovered[0]["reason"]
    assert "TH9001" not in report.rows and len(report.rows) == 120
    assert report.revision.uncovered[0]["person"] == "TH9001"


def _publish_v2(session):
    """TH-HAC-THANH-2026 v2, in force from the same day, with a heavier delay deduction (35%)."""
    from app.models import Unit, User
    from app.services import rulesets

    source = (Path(__file__).parents[4] / "rulesets/thanh-hoa/phuong-hac-thanh.kpi").read_text(
        encoding="utf-8"
    )
    source = source.replace('"TH-HAC-THANH-2026" phiên bản 1', '"TH-HAC-THANH-2026" phiên bản 2', 1)
    source = source.replace("đặt mức_trừ_chậm = 15%", "đặt mức_trừ_chậm = 35%")
    source = source[: source.index("kiểm thử")]  # its hand-computed cases assume 15%
    admin = session.query(User).filter_by(username="tinh.quantri").one()
    ward = session.query(Unit).filter_by(code="HT").one()
    draft = rulesets.save_draft(source, admin, ward)
    return rulesets.publish(draft.id, admin)


def test_past_period_keeps_its_pinned_version_until_repinned(demo):
    from app.services import assessments
    from app.services.audit import entries

    first = run("HT", "2026-01")
    v1 = first.versions[0]
    v2 = _publish_v2(demo)
    again = run("HT", "2026-01")
    assert again.unchanged and again.versions == [v1]
    moved = assessments.repin(
        first.assessment, scope=everything(), user=None, reason="Áp dụng quyết định mới"
    )
    demo.commit()
    assert moved and entries("assessment", first.assessment.id)[-1].action == "assessment.repin"
    second = run("HT", "2026-01")
    assert second.revision.number == 2 and second.versions[0]["version_id"] == v2.id
    late = [c for c in second.changes if any("phiên bản bộ quy tắc" in w for w in c["why"])]
    assert late, "people with delays change under the 35% deduction, and the version is named as the cause"
