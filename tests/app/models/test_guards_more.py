"""Guards of migration 0004: REPLACE cannot go around the guards; the code and owner of a ruleset with a
published version, and the adoption and legal-basis links of a published version, are immutable."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DatabaseError

from app.extensions import db
from app.models import Adoption, AuditLog, LegalBasis, Ruleset, RulesetVersion, Unit, VersionLegalBasis


def _raw(sql: str, **params) -> None:
    db.session.rollback()  # the session's read transaction would lock SQLite against this connection
    try:
        with db.engine.begin() as conn:
            conn.execute(sa.text(sql), params)
    finally:
        db.session.rollback()


def _refused(sql: str, marker: str = "KPI-", **params) -> None:
    with pytest.raises(DatabaseError) as err:
        _raw(sql, **params)
    assert marker in str(err.value), str(err.value)[:300]


@pytest.fixture
def world(app):
    """A province ruleset (published v1, draft v2) and a ward's published adoption of v1, citing a basis."""
    province = Unit(code="TH", name="Tỉnh Thanh Hóa", kind="tỉnh")
    ward = Unit(code="HT", name="Phường Hạc Thành", kind="phường", parent=province)
    national = Ruleset(code="TH-KPI", owner_unit=province)
    v1 = RulesetVersion(ruleset=national, version=1, status="draft", source="a", sha256="0" * 64)
    v2 = RulesetVersion(ruleset=national, version=2, status="draft", source="b", sha256="1" * 64)
    local = Ruleset(code="HT-KPI", owner_unit=ward)
    adopted = RulesetVersion(ruleset=local, version=1, status="draft", source="c", sha256="2" * 64)
    basis = LegalBasis(number="Nghị định 335/2025/NĐ-CP")
    db.session.add_all([v1, v2, adopted, basis])
    db.session.flush()
    db.session.add(Adoption(version=adopted, adopted=v1, unit=ward, overrides={"mức_trừ": "20%"}))
    db.session.add(VersionLegalBasis(version=adopted, legal_basis=basis, articles=["12"]))
    db.session.commit()
    for version in (v1, adopted):
        version.status = "published"
    db.session.commit()
    ids = {"v1": v1.id, "v2": v2.id, "adopted": adopted.id, "national": national.id, "local": local.id,
           "ward": ward.id, "province": province.id, "basis": basis.id}  # fmt: skip
    return ids


def _replace(backend: str, table: str, columns: str, values: str, key: str = "id") -> str:
    """SQLite's REPLACE, or PostgreSQL's closest: an upsert that overwrites the colliding row."""
    if backend == "sqlite":
        return f"REPLACE INTO {table} ({columns}) VALUES ({values})"
    sets = ", ".join(f"{c} = EXCLUDED.{c}" for c in columns.split(", ") if c != key)
    return f"INSERT INTO {table} ({columns}) VALUES ({values}) ON CONFLICT ({key}) DO UPDATE SET {sets}"


def test_replace_cannot_rewrite_a_published_version(world, backend):
    columns = "id, ruleset_id, version, status, title, source, sha256, subjects, created_at, updated_at"
    values = ":id, :rs, 1, 'draft', '', 'hacked', 'f', '[]', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP"
    _refused(_replace(backend, "ruleset_versions", columns, values), id=world["v1"], rs=world["national"])
    if backend == "sqlite":  # by the other unique key, and by an update that collides
        _refused(
            f"INSERT OR REPLACE INTO ruleset_versions ({columns}) VALUES ({values})",
            id=999,
            rs=world["national"],
        )
        _refused("UPDATE OR REPLACE ruleset_versions SET version = 1 WHERE id = :id", id=world["v2"])
        _refused(
            "UPDATE OR REPLACE ruleset_versions SET id = :to WHERE id = :id", to=world["v1"], id=world["v2"]
        )
    assert db.session.get(RulesetVersion, world["v1"]).source == "a"
    assert db.session.get(RulesetVersion, world["v2"]) is not None


def test_replace_cannot_rewrite_an_audit_entry(app, backend):
    entry = AuditLog(actor="a", action="x", entity="y", entity_id="1", after={"k": 1})
    db.session.add(entry)
    db.session.commit()
    columns = "id, at, actor, action, entity, entity_id"
    _refused(
        _replace(backend, "audit_log", columns, ":id, CURRENT_TIMESTAMP, 'b', 'x', 'y', '2'"), id=entry.id
    )
    assert db.session.get(AuditLog, entry.id).actor == "a"


def test_emptying_guarded_tables_is_refused(world, backend):
    statement = "TRUNCATE {} CASCADE" if backend == "postgresql" else "DELETE FROM {}"
    for table in ("audit_log", "ruleset_versions", "rulesets", "adoptions", "version_legal_bases"):
        if table == "audit_log":
            db.session.add(AuditLog(actor="a", action="x", entity="y", entity_id="1"))
            db.session.commit()
        _refused(statement.format(table))
    assert db.session.get(RulesetVersion, world["v1"]) is not None


@pytest.mark.parametrize("change", ["code = 'KHAC'", "owner_unit_id = :other", "owner_unit_id = NULL"])
def test_code_and_owner_of_a_published_ruleset_are_immutable(world, change):
    _refused(f"UPDATE rulesets SET {change} WHERE id = :id", id=world["national"], other=world["ward"])
    _refused("DELETE FROM rulesets WHERE id = :id", id=world["national"])
    assert db.session.get(Ruleset, world["national"]).code == "TH-KPI"


def test_ruleset_with_drafts_only_can_be_renamed(world):
    ruleset = Ruleset(code="NHAP", owner_unit_id=world["ward"])
    db.session.add(RulesetVersion(ruleset=ruleset, version=1, status="draft", source="x", sha256="3" * 64))
    db.session.commit()
    _raw("UPDATE rulesets SET code = 'NHAP-2', title = 't' WHERE id = :id", id=ruleset.id)
    _raw("UPDATE rulesets SET title = 'tiêu đề mới' WHERE id = :id", id=world["national"])  # not guarded
    assert db.session.get(Ruleset, ruleset.id).code == "NHAP-2"


def test_adoption_and_legal_links_of_a_published_version_are_immutable(world):
    _refused("UPDATE adoptions SET overrides = '{}' WHERE version_id = :id", id=world["adopted"])
    _refused(
        "UPDATE adoptions SET adopted_version_id = :v2 WHERE version_id = :id",
        id=world["adopted"],
        v2=world["v2"],
    )
    _refused("DELETE FROM adoptions WHERE version_id = :id", id=world["adopted"])
    _refused("UPDATE version_legal_bases SET articles = '[]' WHERE version_id = :id", id=world["adopted"])
    _refused("DELETE FROM version_legal_bases WHERE version_id = :id", id=world["adopted"])
    _refused("INSERT INTO version_legal_bases (version_id, legal_basis_id, position, articles) "
             "VALUES (:id, :basis, 1, '[]')", id=world["v1"], basis=world["basis"])  # fmt: skip
    adoption = db.session.scalar(sa.select(Adoption))
    assert adoption.overrides == {"mức_trừ": "20%"}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(VersionLegalBasis)) == 1


def test_links_of_a_draft_are_free(world):
    _raw("INSERT INTO version_legal_bases (version_id, legal_basis_id, position, articles) "
         "VALUES (:id, :basis, 0, '[]')", id=world["v2"], basis=world["basis"])  # fmt: skip
    _raw("UPDATE version_legal_bases SET articles = '[\"14\"]' WHERE version_id = :id", id=world["v2"])
    _raw("DELETE FROM version_legal_bases WHERE version_id = :id", id=world["v2"])
