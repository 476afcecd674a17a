"""Bundles: export and import between deployments; hashes verified; all-or-nothing."""

from __future__ import annotations

import pytest
import yaml
from ruleset_sources import PASSING_TEST, ruleset_source

from app.models import AuditLog, RulesetVersion
from app.services import catalog, rulesets
from app.services.bundles import export_bundle, import_bundle
from app.services.errors import ServiceError


@pytest.fixture
def bundle(session, units, admin, ward_admin, published):
    catalog.add_field("task", "số_hồ_sơ", "Số hồ sơ", "số", user=admin, default=0)
    ward = rulesets.adopt(units["HT"], published, {"mức_trừ": "20%"}, ward_admin)
    rulesets.publish(ward.id, ward_admin)
    rulesets.save_draft(ruleset_source("TH-NHAP"), admin, units["TH"])  # drafts are not exported
    return export_bundle()


def test_export_contents(bundle, published):
    data = yaml.safe_load(bundle)
    assert data["format"] == "kpi-cong-vu/bundle"
    assert [(r["code"], r["version"]) for r in data["rulesets"]] == [("HT-TH-2026", 1), ("TH-2026", 1)]
    assert {r["sha256"] for r in data["rulesets"]} >= {published.sha256}
    assert [b["number"] for b in data["legal_bases"]] == ["Nghị định 335/2025/NĐ-CP"]
    assert [f["name"] for f in data["fields"]] == ["số_hồ_sơ"]


def test_import_same_bundle_changes_nothing(session, bundle, admin):
    before = len(session.scalars(session.query(AuditLog).statement).all())
    assert import_bundle(bundle, admin) == []
    assert len(session.scalars(session.query(AuditLog).statement).all()) == before


def test_import_into_fresh_deployment(app_for, bundle, admin, tmp_path, backend):
    """Export from this database, import into another (SQLite) deployment with the same units."""
    from flask_migrate import upgrade

    from app.extensions import db

    other = app_for(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    with other.app_context():
        upgrade()
        from app.models import Unit
        from app.services.users import create_user

        province = Unit(code="TH", name="Tỉnh Thanh Hóa", kind="tỉnh")
        db.session.add_all(
            [province, Unit(code="HT", name="Phường Hạc Thành", kind="phường", parent=province)]
        )
        db.session.commit()
        importer = create_user("nhap", "mat-khau-nhap", "province_admin", None)
        added = import_bundle(bundle, importer)
        assert 'bộ quy tắc "TH-2026" phiên bản 1' in added and 'bộ quy tắc "HT-TH-2026" phiên bản 1' in added
        versions = rulesets.list_versions()
        assert [(v.ruleset.code, v.status, v.ruleset.owner_unit.code) for v in versions] == [
            ("HT-TH-2026", "published", "HT"),
            ("TH-2026", "published", "TH"),
        ]
        assert [f.name for f in catalog.list_fields()] == ["số_hồ_sơ"]
        db.session.remove()
        db.engine.dispose()


def test_tampered_hash_refused_and_nothing_changes(session, bundle, admin):
    data = yaml.safe_load(bundle)
    data["rulesets"][1]["source"] = data["rulesets"][1]["source"].replace("25%", "30%")
    data["rulesets"].append({"code": "MOI", "version": 1, "sha256": "x", "source": ruleset_source("MOI")})
    count = len(session.scalars(session.query(RulesetVersion).statement).all())
    with pytest.raises(ServiceError) as err:
        import_bundle(yaml.safe_dump(data, allow_unicode=True), admin)
    assert len(err.value.details) == 2 and all("sha256" in d for d in err.value.details)
    assert len(session.scalars(session.query(RulesetVersion).statement).all()) == count


def test_published_version_never_overwritten(session, bundle, admin):
    data = yaml.safe_load(bundle)
    entry = data["rulesets"][1]
    entry["source"] = entry["source"] + "\n# khác\n"
    from dsl.pipeline import source_hash as _sha

    entry["sha256"] = _sha(entry["source"])
    with pytest.raises(ServiceError) as err:
        import_bundle(yaml.safe_dump(data, allow_unicode=True), admin)
    assert "không ghi đè" in err.value.details[0]


def test_invalid_version_rolls_back_everything(session, units, admin, bundle):
    from dsl.pipeline import source_hash as _sha

    data = yaml.safe_load(bundle)
    good = ruleset_source("TH-MOI", test=PASSING_TEST)
    bad = ruleset_source("TH-LOI", body="x = không_có\n")
    data["rulesets"] += [
        {"code": "TH-MOI", "version": 1, "owner_unit": "TH", "sha256": _sha(good), "source": good},
        {"code": "TH-LOI", "version": 1, "owner_unit": "TH", "sha256": _sha(bad), "source": bad},
    ]
    with pytest.raises(ServiceError) as err:
        import_bundle(yaml.safe_dump(data, allow_unicode=True), admin)
    assert len(err.value.details) == 1 and "TH-LOI" in err.value.details[0]
    codes = {v.ruleset.code for v in rulesets.list_versions()}
    assert "TH-MOI" not in codes and "TH-LOI" not in codes


def test_not_a_bundle(session, admin):
    with pytest.raises(ServiceError):
        import_bundle("- a\n- b\n", admin)
    with pytest.raises(ServiceError):
        import_bundle("{{{", admin)
