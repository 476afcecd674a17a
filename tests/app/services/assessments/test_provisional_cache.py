"""Provisional scores keep the version in force and its compiled program between refreshes; publishing
or retiring a version, or moving a unit under another parent, makes the very next refresh use what is in
force then (no hook in the publishing code: the cache key is read with the person, so another process's
publication is seen as well)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from app.models import Person, Ruleset, RulesetVersion, Task, Unit, User
from app.services import rulesets
from app.services.assessments import provisional
from app.services.assessments import provisional_versions as versions

ROOT = Path(__file__).parents[4]


def _late_official(session) -> Person:
    """An official of a Hạc Thành department, without subordinates, who has late tasks in 2026-01 (the
    deduction matters)."""
    late = (
        session.query(Person)
        .join(Task, Task.person_id == Person.id)
        .join(Unit, Unit.id == Person.unit_id)
        .filter(
            Task.period == "2026-01", Task.delays > 0, Person.is_leader.is_(False), Unit.code.like("HT-%")
        )
        .order_by(Person.code)
        .first()
    )
    assert late is not None
    return late


def _publish_v2(session, deduction: str = "35%", effective_from=None) -> RulesetVersion:
    """TH-HAC-THANH-2026 v2, in force from the same day, with another delay deduction."""
    source = (ROOT / "rulesets/thanh-hoa/phuong-hac-thanh.kpi").read_text(encoding="utf-8")
    source = source.replace('"TH-HAC-THANH-2026" phiên bản 1', '"TH-HAC-THANH-2026" phiên bản 2', 1)
    assert "đặt mức_trừ_chậm = 15%" in source
    source = source.replace("đặt mức_trừ_chậm = 15%", f"đặt mức_trừ_chậm = {deduction}")
    source = source[: source.index("kiểm thử")]  # its hand-computed cases assume 15%
    admin = session.query(User).filter_by(username="tinh.quantri").one()
    ward = session.query(Unit).filter_by(code="HT").one()
    draft = rulesets.save_draft(source, admin, ward)
    return rulesets.publish(draft.id, admin, effective_from)


def _version_code(session, version_id: int) -> tuple[str, int]:
    v = session.get(RulesetVersion, version_id)
    return v.ruleset.code, v.version


def test_a_version_published_in_force_is_used_by_the_next_refresh(demo):
    person = _late_official(demo)
    pair = {(person.id, "2026-01")}
    before = provisional.refresh(pair)[person.id]
    assert provisional.refresh(pair)[person.id]["score"] == before["score"]  # cached: same answer
    assert _version_code(demo, before["version_id"]) == ("TH-HAC-THANH-2026", 1)
    v2 = _publish_v2(demo)  # flushed, not committed: the refresh in the same transaction sees it
    after = provisional.refresh(pair)[person.id]
    assert after["version_id"] == v2.id
    assert after["score"] < before["score"]  # 35% instead of 15% off for each late task
    versions.clear()  # what a cold process computes gives the same
    cold = provisional.refresh(pair)[person.id]
    assert {**cold, "updated_at": None} == {**after, "updated_at": None}
    admin = demo.query(User).filter_by(username="tinh.quantri").one()
    rulesets.retire(v2.id, admin)
    back = provisional.refresh(pair)[person.id]
    assert _version_code(demo, back["version_id"]) == ("TH-HAC-THANH-2026", 1)
    assert back["score"] == before["score"]


def test_a_version_published_in_force_only_later_changes_nothing_now(demo):
    person = _late_official(demo)
    pair = {(person.id, "2026-01")}
    before = provisional.refresh(pair)[person.id]
    _publish_v2(demo, effective_from=dt.date(2026, 2, 1))
    after = provisional.refresh(pair)[person.id]
    assert {**after, "updated_at": None} == {**before, "updated_at": None}
    later = provisional.refresh({(person.id, "2026-02")})[person.id]
    assert _version_code(demo, later["version_id"]) == ("TH-HAC-THANH-2026", 2)


def test_a_unit_moved_under_another_ward_takes_that_wards_version(demo):
    """Đông Sơn owns no ruleset: a Hạc Thành department moved under it falls under the province's."""
    person = _late_official(demo)
    pair = {(person.id, "2026-01")}
    before = provisional.refresh(pair)[person.id]
    assert _version_code(demo, before["version_id"]) == ("TH-HAC-THANH-2026", 1)
    unit = demo.get(Unit, person.unit_id)
    assert unit.parent.code == "HT"
    unit.parent = demo.query(Unit).filter_by(code="DS").one()
    demo.flush()
    after = provisional.refresh(pair)[person.id]
    assert _version_code(demo, after["version_id"]) == ("TH-2026", 1)
    assert demo.query(Ruleset).filter_by(code="TH-2026").one().owner_unit.code == "TH"
