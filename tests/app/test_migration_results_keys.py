"""Migration 0011 (fewer foreign keys and indexes on assessment_results) on a database holding stored
results, on both databases: the rows survive the downgrade and the upgrade (SQLite recreates the table),
the immutability triggers still refuse a deletion, and the integrity kept is enforced: a result naming
an assessment other than its revision's, or a person who does not exist, is refused."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade
from sqlalchemy.exc import DatabaseError, IntegrityError

from app.extensions import db

RESULTS = "assessment_results"


def _copy_of_a_result(**changed) -> None:
    """Insert a copy of one stored result (of HT's revision) with some columns changed."""
    columns = [c["name"] for c in sa.inspect(db.engine).get_columns(RESULTS) if c["name"] != "id"]
    row = dict(
        db.session.execute(sa.text(f"SELECT {', '.join(columns)} FROM {RESULTS} LIMIT 1")).mappings().one()
    )
    row.update(changed)
    table = sa.Table(RESULTS, sa.MetaData(), autoload_with=db.session.connection())
    db.session.execute(table.insert().values(**row))


def _refused(**changed) -> None:
    with pytest.raises(IntegrityError):
        with db.session.begin_nested():
            _copy_of_a_result(**changed)
    db.session.rollback()


def _counts() -> tuple[int, int]:
    return tuple(
        db.session.execute(sa.text(f"SELECT count(*), count(DISTINCT revision_id) FROM {RESULTS}")).one()
    )


def _foreign_keys() -> set[tuple]:
    return {tuple(fk["constrained_columns"]) for fk in sa.inspect(db.engine).get_foreign_keys(RESULTS)}


def test_results_keys_down_and_up_with_stored_results(app):
    from app.services import assessments
    from app.services.demo import run_demo
    from app.services.scope import Scope

    run_demo()
    ht = assessments.run("HT", "2026-01", scope=Scope.everything()).assessment.id
    ds = assessments.run("DS", "2026-01", scope=Scope.everything()).assessment.id
    db.session.commit()
    stored = _counts()
    assert stored[0] == 120 and stored[1] == 2
    assert _foreign_keys() == {
        ("revision_id", "assessment_id"),
        ("person_id",),
        ("snapshot_id",),
        ("decided_by_id",),
    }
    revision = db.session.scalar(
        sa.text(f"SELECT revision_id FROM {RESULTS} WHERE assessment_id = {ht} LIMIT 1")
    )
    # what stays enforced: the revision's own assessment, an existing person
    _refused(assessment_id=ds, person_id=db.session.scalar(sa.text("SELECT max(id) FROM people")))
    _refused(revision_id=revision, person_id=10**9)
    db.session.remove()

    downgrade(revision="0013")
    assert _counts() == stored
    assert len(_foreign_keys()) == 7
    indexes = {i["name"] for i in sa.inspect(db.engine).get_indexes(RESULTS)}
    assert {"ix_assessment_results_revision_id", "ix_assessment_results_version_id"} <= indexes
    with pytest.raises(DatabaseError, match="KPI-IMMUTABLE"):
        db.session.execute(sa.text(f"DELETE FROM {RESULTS} WHERE assessment_id = {ht}"))
    db.session.rollback()

    upgrade()
    assert _counts() == stored
    indexes = {i["name"] for i in sa.inspect(db.engine).get_indexes(RESULTS)}
    assert not indexes & {"ix_assessment_results_revision_id", "ix_assessment_results_version_id",
                          "ix_assessment_results_snapshot_id"}  # fmt: skip
    with pytest.raises(DatabaseError, match="KPI-IMMUTABLE"):
        db.session.execute(sa.text(f"DELETE FROM {RESULTS} WHERE assessment_id = {ht}"))
    db.session.rollback()
    with pytest.raises(DatabaseError, match="KPI-IMMUTABLE"):
        db.session.execute(sa.text(f"UPDATE {RESULTS} SET score_text = '1' WHERE assessment_id = {ht}"))
    db.session.rollback()
    _refused(assessment_id=ds, person_id=db.session.scalar(sa.text("SELECT max(id) FROM people")))
    # a copy that agrees with its revision and names an existing person is accepted (the refusals above
    # were the keys, not the copy)
    other = db.session.scalar(
        sa.text(f"SELECT max(person_id) + 0 FROM {RESULTS} WHERE revision_id <> {revision}")
    )
    with db.session.begin_nested():
        _copy_of_a_result(person_id=other)
    assert _counts()[0] == stored[0] + 1
    db.session.rollback()
