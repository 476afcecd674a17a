"""Adoption by a ward (allowed parameters within bounds), resolution across the unit tree and dates,
and the wards to review when the province publishes a newer version."""

from __future__ import annotations

import datetime as dt

import pytest
from ruleset_sources import PASSING_TEST, ruleset_source

from app.models import Adoption, Person, RulesetVersion
from app.services import rulesets
from app.services.errors import NotFound, ServiceError

JAN, JUL = dt.date(2026, 1, 15), dt.date(2026, 7, 15)


def _publish(source, user, unit):
    return rulesets.publish(rulesets.save_draft(source, user, unit).id, user)


def test_adopt_with_allowed_override(session, units, admin, ward_admin, published):
    draft = rulesets.adopt(units["HT"], published, {"mức_trừ": "20%"}, ward_admin)
    assert draft.status == "draft" and draft.ruleset.owner_unit is units["HT"]
    assert draft.ruleset.code == "HT-TH-2026" and draft.version == 1
    assert 'áp dụng "TH-2026" phiên bản 1' in draft.source and "đặt mức_trừ = 20%" in draft.source
    adoption = session.scalar(session.query(Adoption).statement)
    assert adoption.version is draft and adoption.adopted is published
    assert adoption.overrides == {"mức_trừ": "20%"} and adoption.unit is units["HT"]
    assert rulesets.publish(draft.id, ward_admin).status == "published"


@pytest.mark.parametrize(
    ("overrides", "code"),
    [({"tỷ_trọng": "60%"}, "E0602"), ({"mức_trừ": "80%"}, "E0603"), ({"không_có": 1}, "E0101")],
)
def test_adopt_refuses_locked_or_out_of_bounds(session, units, ward_admin, published, overrides, code):
    with pytest.raises(ServiceError) as err:
        rulesets.adopt(units["HT"], published, overrides, ward_admin)
    assert code in [d.code for d in err.value.diagnostics]
    assert session.scalar(session.query(RulesetVersion).filter_by(status="draft").statement) is None


def test_adopt_a_draft_is_refused(session, units, admin, ward_admin):
    draft = rulesets.save_draft(ruleset_source(), admin, units["TH"])
    with pytest.raises(ServiceError):
        rulesets.adopt(units["HT"], draft, {}, ward_admin)
    # written by hand, the gate says the adopted version is not published
    source = rulesets.adopting_source("HT-X", 1, units["HT"], draft, {})
    result = rulesets.validate(source)
    assert [d.code for d in result.diagnostics if d.is_error] == ["E0601"]


def test_resolve_nearest_unit_then_national(session, units, admin, ward_admin, national_admin, published):
    national = _publish(ruleset_source("QG-2026", start="01/01/2025"), national_admin, None)
    person = Person(code="CB1", full_name="Trần Văn Cường", unit=units["HT-VP"], category="công chức")
    session.add(person)
    session.commit()
    assert rulesets.resolve(person, JAN) == published  # the province is the nearest owner
    assert rulesets.resolve(units["DS"], JAN) == published
    assert rulesets.resolve(units["DS"], dt.date(2025, 6, 1)) == national  # before the province's date
    ward = rulesets.adopt(units["HT"], published, {"mức_trừ": "10%"}, ward_admin)
    rulesets.publish(ward.id, ward_admin)
    assert rulesets.resolve(person, JAN) == ward
    assert rulesets.resolve(units["DS"], JAN) == published


def test_resolve_newer_version_from_its_effective_date(session, units, admin, published):
    v2 = rulesets.save_draft(
        ruleset_source(version=2, start="01/07/2026", test=PASSING_TEST), admin, units["TH"]
    )
    rulesets.publish(v2.id, admin)
    assert rulesets.resolve(units["HT"], JAN) == published
    assert rulesets.resolve(units["HT"], dt.date(2026, 6, 30)) == published
    assert rulesets.resolve(units["HT"], dt.date(2026, 7, 1)) == v2


def test_resolve_ambiguity_names_the_versions(session, units, admin, published):
    _publish(ruleset_source("TH-KHAC"), admin, units["TH"])
    with pytest.raises(ServiceError) as err:
        rulesets.resolve(units["HT"], JAN)
    assert err.value.code == "ambiguous"
    assert sorted(err.value.details) == ['"TH-2026" phiên bản 1', '"TH-KHAC" phiên bản 1']


def test_resolve_by_subject(session, units, admin):
    officials = _publish(ruleset_source("TH-CC", subject="công chức"), admin, units["TH"])
    staff = _publish(ruleset_source("TH-VC", subject="viên chức"), admin, units["TH"])
    assert rulesets.resolve(units["HT"], JAN, "công chức") == officials
    assert rulesets.resolve(units["HT"], JAN, "vien chuc") == staff
    with pytest.raises(ServiceError):
        rulesets.resolve(units["HT"], JAN)


def test_resolve_nothing_in_force(session, units, published):
    with pytest.raises(NotFound):
        rulesets.resolve(units["HT"], dt.date(2025, 12, 31))


def test_retired_version_is_not_resolved(session, units, admin, published):
    rulesets.retire(published.id, admin)
    with pytest.raises(NotFound):
        rulesets.resolve(units["HT"], JAN)


def test_needs_review_after_new_province_version(session, units, admin, ward_admin, published):
    ward = rulesets.adopt(units["HT"], published, {"mức_trừ": "20%"}, ward_admin)
    rulesets.publish(ward.id, ward_admin)
    assert rulesets.needs_review() == []
    v2 = rulesets.publish(rulesets.new_draft_from(published.id, admin).id, admin)
    items = rulesets.needs_review()
    assert [(i.unit, i.version, i.adopted, i.newer) for i in items] == [(units["HT"], ward, published, v2)]
    # the ward adopts the new version: nothing to review any more
    again = rulesets.adopt(units["HT"], v2, {"mức_trừ": "20%"}, ward_admin)
    assert again.ruleset is ward.ruleset and again.version == 2
    rulesets.publish(again.id, ward_admin)
    assert rulesets.needs_review() == []


def test_a_ward_adopts_only_from_its_ancestors(session, units, admin, ward_admin, published):
    ward = rulesets.publish(rulesets.adopt(units["HT"], published, {}, ward_admin).id, ward_admin)
    source = rulesets.adopting_source("DS-X", 1, units["DS"], ward, {})
    result = rulesets.validate(source, owner_unit=units["DS"])
    assert [d.code for d in result.diagnostics if d.is_error] == ["E0604"]
    assert rulesets.validate(source, owner_unit=units["HT-VP"]).ok
