"""Migrations: upgrade and downgrade cleanly on both databases, and agree with the models."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from app.extensions import db

TABLES = {
    "units", "positions", "standard_products", "duty_groups", "people", "person_assignments",
    "legal_bases", "legal_articles", "field_definitions", "tasks", "period_inputs", "users",
    "api_tokens", "audit_log", "rulesets", "ruleset_versions", "version_legal_bases", "adoptions",
    "salaries", "provisional_results", "assessment_feedback", "assessments", "assessment_pins", "assessment_revisions",
    "assessment_snapshots", "assessment_results", "assessment_jobs", "assessment_locks",
    "login_failures",
    "assessment_summaries",
}  # fmt: skip


def _tables() -> set[str]:
    return set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}


def test_upgrade_downgrade_upgrade(empty_database_url, app_for):
    application = app_for(empty_database_url)
    with application.app_context():
        upgrade()
        assert _tables() == TABLES
        downgrade(revision="base")
        assert _tables() == set()
        upgrade()
        assert _tables() == TABLES
        db.engine.dispose()


def test_models_and_migrations_agree(app):
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diffs = compare_metadata(context, db.metadata)
    assert diffs == []


def test_head_is_current(app):
    with db.engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(app.config["KPI_MIGRATIONS_DIR"])
    assert current == script.get_current_head()
