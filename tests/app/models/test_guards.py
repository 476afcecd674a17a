"""The database itself refuses changes to published versions and to the audit log (raw SQL too)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DatabaseError

from app.extensions import db
from app.models import AuditLog, Ruleset, RulesetVersion, Unit


def _version(status: str) -> int:
    unit = Unit(code="TH", name="Tỉnh Thanh Hóa", kind="tỉnh")
    ruleset = Ruleset(code="X", owner_unit=unit)
    version = RulesetVersion(ruleset=ruleset, version=1, status=status, source="a", sha256="0" * 64)
    db.session.add(version)
    db.session.commit()
    return version.id


def _raw(sql: str, **params) -> None:
    db.session.rollback()  # end the session's read transaction: the raw connection writes (SQLite locks)
    try:
        with db.engine.begin() as conn:
            conn.execute(sa.text(sql), params)
    finally:
        db.session.rollback()


@pytest.mark.parametrize(
    "assignment",
    [
        "source = 'b'",
        "sha256 = 'f'",
        "status = 'draft'",
        "version = 2",
        "effective_from = '2030-01-01'",
        "title = 'khác'",
    ],
)
def test_raw_update_of_published_version_refused(app, assignment):
    vid = _version("published")
    with pytest.raises(DatabaseError) as err:
        _raw(f"UPDATE ruleset_versions SET {assignment} WHERE id = :id", id=vid)
    assert "KPI-IMMUTABLE" in str(err.value)
    assert db.session.get(RulesetVersion, vid).source == "a"


def test_raw_delete_of_published_version_refused(app):
    vid = _version("published")
    with pytest.raises(DatabaseError):
        _raw("DELETE FROM ruleset_versions WHERE id = :id", id=vid)
    assert db.session.get(RulesetVersion, vid) is not None


def test_orm_update_of_published_version_refused(app):
    vid = _version("published")
    version = db.session.get(RulesetVersion, vid)
    version.source = "changed"
    with pytest.raises(DatabaseError):
        db.session.commit()
    db.session.rollback()
    assert db.session.get(RulesetVersion, vid).source == "a"


def test_retire_transition_allowed_then_frozen(app):
    vid = _version("published")
    _raw("UPDATE ruleset_versions SET status = 'retired', effective_to = '2026-12-31' WHERE id = :id", id=vid)
    assert db.session.get(RulesetVersion, vid).status == "retired"
    for sql in ("UPDATE ruleset_versions SET status = 'published' WHERE id = :id",
                "UPDATE ruleset_versions SET source = 'x' WHERE id = :id",
                "DELETE FROM ruleset_versions WHERE id = :id"):  # fmt: skip
        with pytest.raises(DatabaseError):
            _raw(sql, id=vid)


def test_drafts_are_free(app):
    vid = _version("draft")
    _raw("UPDATE ruleset_versions SET source = 'b', sha256 = 'c' WHERE id = :id", id=vid)
    _raw("UPDATE ruleset_versions SET status = 'published' WHERE id = :id", id=vid)
    assert db.session.get(RulesetVersion, vid).status == "published"
    vid2 = _version_second()
    _raw("DELETE FROM ruleset_versions WHERE id = :id", id=vid2)
    assert db.session.get(RulesetVersion, vid2) is None


def _version_second() -> int:
    ruleset = db.session.scalar(sa.select(Ruleset))
    version = RulesetVersion(ruleset=ruleset, version=2, status="draft", source="d", sha256="1" * 64)
    db.session.add(version)
    db.session.commit()
    return version.id


def test_audit_log_is_append_only(app):
    entry = AuditLog(actor="a", action="x", entity="y", entity_id="1", after={"k": 1})
    db.session.add(entry)
    db.session.commit()
    with pytest.raises(DatabaseError):
        _raw("UPDATE audit_log SET actor = 'b'")
    with pytest.raises(DatabaseError):
        _raw("DELETE FROM audit_log")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditLog)) == 1
