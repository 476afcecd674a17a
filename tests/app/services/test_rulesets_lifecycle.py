"""Drafts, publication (refused on errors and failing tests), new drafts, retirement, audit."""

from __future__ import annotations

import datetime as dt

import pytest
from ruleset_sources import FAILING_TEST, PASSING_TEST, ruleset_source

from app.models import AuditLog, LegalBasis, RulesetVersion
from app.services import audit, rulesets
from app.services.errors import ServiceError


def test_save_draft_records_metadata_and_legal_bases(session, units, admin):
    version = rulesets.save_draft(ruleset_source(), admin, units["TH"])
    assert version.status == "draft" and version.version == 1
    assert version.ruleset.code == "TH-2026" and version.ruleset.owner_unit is units["TH"]
    assert version.effective_from == dt.date(2026, 1, 1) and version.period == "tháng"
    assert len(version.sha256) == 64 and version.check.ok
    basis = session.scalar(session.query(LegalBasis).statement)
    assert basis.number == "Nghị định 335/2025/NĐ-CP"
    assert [a.number for a in basis.articles] == ["12", "14", "20"]
    assert [link.articles for link in version.legal_bases] == [["12", "14", "20"]]
    actions = [e.action for e in audit.entries()]
    assert "ruleset_version.create" in actions and "legal_basis.create" in actions


def test_draft_can_be_updated_and_may_have_errors(session, units, admin):
    rulesets.save_draft(ruleset_source(), admin, units["TH"])
    broken = ruleset_source(body="x = không_có + 1\n")
    version = rulesets.save_draft(broken, admin, units["TH"])
    assert version.source == broken and not version.check.ok
    assert [d.code for d in version.check.diagnostics if d.is_error] == ["E0101"]
    with pytest.raises(ServiceError) as err:
        rulesets.publish(version.id, admin)
    assert any("E0101" in line for line in err.value.details)
    assert [d.code for d in err.value.diagnostics if d.is_error] == ["E0101"]
    assert session.get(RulesetVersion, version.id).status == "draft"


def test_unreadable_header_is_refused(session, units, admin):
    with pytest.raises(ServiceError):
        rulesets.save_draft("không phải bộ quy tắc", admin, units["TH"])


def test_publish_runs_embedded_tests(session, units, admin):
    version = rulesets.save_draft(ruleset_source(test=FAILING_TEST), admin, units["TH"])
    with pytest.raises(ServiceError) as err:
        rulesets.publish(version.id, admin)
    assert len(err.value.details) == 1 and "sai kỳ vọng" in err.value.details[0]
    fixed = rulesets.save_draft(ruleset_source(test=PASSING_TEST), admin, units["TH"])
    published = rulesets.publish(fixed.id, admin)
    assert published.status == "published" and published.publisher is admin and published.published_at


def test_published_version_is_never_saved_again(session, published, admin, units):
    with pytest.raises(ServiceError) as err:
        rulesets.save_draft(ruleset_source(body="# sửa\n", test=PASSING_TEST), admin, units["TH"])
    assert "phiên bản 2" in err.value.message
    with pytest.raises(ServiceError):
        rulesets.publish(published.id, admin)
    with pytest.raises(ServiceError):
        rulesets.delete_draft(published.id, admin)
    session.refresh(published)
    assert published.status == "published" and "# sửa" not in published.source


def test_new_draft_from_published(session, published, admin):
    draft = rulesets.new_draft_from(published.id, admin)
    assert draft.version == 2 and draft.status == "draft" and draft.ruleset is published.ruleset
    assert "phiên bản 2" in draft.source and draft.sha256 != published.sha256
    assert rulesets.publish(draft.id, admin).status == "published"


def test_retire(session, published, admin):
    retired = rulesets.retire(published.id, admin)
    assert retired.status == "retired" and retired.retired_at is not None
    with pytest.raises(ServiceError):
        rulesets.retire(published.id, admin)


def test_ward_admin_cannot_publish_province_ruleset(session, units, admin, ward_admin):
    version = rulesets.save_draft(ruleset_source(), admin, units["TH"])
    with pytest.raises(ServiceError):
        rulesets.publish(version.id, ward_admin)
    with pytest.raises(ServiceError):
        rulesets.save_draft(ruleset_source("QG-2026"), ward_admin, None)


def test_every_change_is_audited(session, published, admin):
    entries = session.scalars(session.query(AuditLog).order_by(AuditLog.id).statement).all()
    publish = [e for e in entries if e.action == "ruleset_version.publish"]
    assert len(publish) == 1 and publish[0].actor == "tinh"
    assert publish[0].before["status"] == "draft" and publish[0].after["status"] == "published"
    assert publish[0].entity_id == str(published.id)


def test_diff_between_versions(session, published, admin, units):
    draft = rulesets.new_draft_from(published.id, admin)
    changed = draft.source.replace("tham số mức_trừ = 25%", "tham số mức_trừ = 30%")
    draft = rulesets.save_draft(changed, admin, units["TH"])
    changes = rulesets.diff(published, draft)
    assert any(c.area == "tham số" and c.key == "mức_trừ" for c in changes)


def test_publish_stops_a_ruleset_whose_numbers_explode_in_its_own_tests(session, units, admin):
    # thirty squarings of 1.0001: a number with billions of digits; the run-time bound stops it (R1012)
    body = "x0 = 1.0001\n" + "".join(f"x{i} = x{i - 1} × x{i - 1}\n" for i in range(1, 31))
    version = rulesets.save_draft(ruleset_source(body=body, test=PASSING_TEST), admin, units["TH"])
    assert version.check.ok
    with pytest.raises(ServiceError) as err:
        rulesets.publish(version.id, admin)
    assert len(err.value.details) == 1 and "R1012" in err.value.details[0]
    assert session.get(RulesetVersion, version.id).status == "draft"
