"""Loading the shipped rulesets: published by the system user, owners from directories, idempotent."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from app.models import AuditLog, LegalBasis, RulesetVersion, Unit
from app.services import rulesets
from app.services.loader import load_shipped

SHIPPED = Path(__file__).resolve().parents[3] / "rulesets"


def _count(session, model) -> int:
    return len(session.scalars(session.query(model).statement).all())


def test_load_shipped_rulesets(session, units):
    report = load_shipped(SHIPPED)
    assert report.errors == []
    files = sorted(SHIPPED.rglob("*.kpi"))
    assert len(report.loaded) == len(files)
    versions = rulesets.list_versions()
    assert all(v.status == "published" and v.publisher.username == "system" for v in versions)
    national = {v.ruleset.code for v in versions if v.ruleset.owner_unit is None}
    assert "ND335-2025" in national
    assert _count(session, LegalBasis) >= 1
    # Thanh Hóa's files attach to the existing province and ward when their names match
    by_code = {v.ruleset.code: v for v in versions}
    if "TH-2026" in by_code:
        assert by_code["TH-2026"].ruleset.owner_unit.name == "Tỉnh Thanh Hóa"
    if "TH-HAC-THANH-2026" in by_code:
        assert by_code["TH-HAC-THANH-2026"].ruleset.owner_unit is units["HT"]
        assert rulesets.resolve(units["HT"], dt.date(2026, 3, 1)) == by_code["TH-HAC-THANH-2026"]


def test_load_is_idempotent(session):
    first = load_shipped(SHIPPED)
    entries, versions, units_count = (
        _count(session, AuditLog),
        _count(session, RulesetVersion),
        _count(session, Unit),
    )
    second = load_shipped(SHIPPED)
    assert second.loaded == [] and second.errors == [] and len(second.unchanged) == len(first.loaded)
    assert (_count(session, AuditLog), _count(session, RulesetVersion), _count(session, Unit)) == (
        entries,
        versions,
        units_count,
    )


def test_changed_file_is_reported_not_overwritten(session, tmp_path):
    source = (SHIPPED / "quoc-gia" / "nd-335-2025.kpi").read_text(encoding="utf-8")
    (tmp_path / "quoc-gia").mkdir()
    target = tmp_path / "quoc-gia" / "a.kpi"
    target.write_text(source, encoding="utf-8")
    assert load_shipped(tmp_path).errors == []
    target.write_text(source + "\n# sửa đổi\n", encoding="utf-8")
    report = load_shipped(tmp_path)
    assert len(report.errors) == 1 and report.loaded == []
    stored = rulesets.list_versions("ND335-2025")[0]
    assert "# sửa đổi" not in stored.source
