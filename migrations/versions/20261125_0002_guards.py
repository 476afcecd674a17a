"""guards: published ruleset versions never change; the audit log is append-only

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25

Triggers on PostgreSQL (a PL/pgSQL function) and on SQLite (RAISE(ABORT)). For a version whose status is
published or retired they refuse: an UPDATE of its source, hash, identity, title, period, roll-up, subjects,
effective dates or publication stamp; any status change except published → retired (which may also
set effective_to); its DELETE. The audit log refuses every UPDATE and DELETE.

NOTE for later migrations: on SQLite a batch_alter_table of ruleset_versions or audit_log recreates the
table and DROPS these triggers; such a migration must create them again (copy the SQL below).
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

MSG_VERSION = "KPI-IMMUTABLE: phiên bản bộ quy tắc đã công bố không được sửa hoặc xóa"
MSG_AUDIT = "KPI-APPEND-ONLY: nhật ký thao tác chỉ được ghi thêm, không được sửa hoặc xóa"

# the same condition in both dialects (IS DISTINCT FROM on PostgreSQL, IS NOT on SQLite)
_CHANGED = [
    "source",
    "sha256",
    "version",
    "ruleset_id",
    "title",
    "period",
    "rollup_from",
    "effective_from",
    "published_at",
    "publisher_id",
]


def _forbidden(distinct: str, subjects: str) -> str:
    changed = " OR ".join(f"NEW.{c} {distinct} OLD.{c}" for c in _CHANGED)
    return (
        f"OLD.status IN ('published', 'retired') AND ({changed} OR {subjects}"
        " OR (OLD.status = 'published' AND NEW.status NOT IN ('published', 'retired'))"
        " OR (OLD.status = 'retired' AND NEW.status <> 'retired')"
        f" OR (NEW.effective_to {distinct} OLD.effective_to"
        " AND NOT (OLD.status = 'published' AND NEW.status = 'retired')))"
    )


def _postgresql_up():
    cond = _forbidden("IS DISTINCT FROM", "NEW.subjects::text IS DISTINCT FROM OLD.subjects::text")
    op.execute(f"""
        CREATE FUNCTION kpi_guard_ruleset_version() RETURNS trigger AS $$
        BEGIN
          IF TG_OP = 'DELETE' THEN
            IF OLD.status IN ('published', 'retired') THEN
              RAISE EXCEPTION '{MSG_VERSION}' USING ERRCODE = 'integrity_constraint_violation';
            END IF;
            RETURN OLD;
          END IF;
          IF {cond} THEN
            RAISE EXCEPTION '{MSG_VERSION}' USING ERRCODE = 'integrity_constraint_violation';
          END IF;
          RETURN NEW;
        END
        $$ LANGUAGE plpgsql
    """)
    op.execute(
        "CREATE TRIGGER trg_ruleset_versions_guard BEFORE UPDATE OR DELETE ON ruleset_versions "
        "FOR EACH ROW EXECUTE FUNCTION kpi_guard_ruleset_version()"
    )
    op.execute(f"""
        CREATE FUNCTION kpi_guard_audit_log() RETURNS trigger AS $$
        BEGIN
          RAISE EXCEPTION '{MSG_AUDIT}' USING ERRCODE = 'integrity_constraint_violation';
        END
        $$ LANGUAGE plpgsql
    """)
    op.execute(
        "CREATE TRIGGER trg_audit_log_guard BEFORE UPDATE OR DELETE ON audit_log "
        "FOR EACH ROW EXECUTE FUNCTION kpi_guard_audit_log()"
    )


def _sqlite_up():
    cond = _forbidden("IS NOT", "NEW.subjects IS NOT OLD.subjects")
    op.execute(
        "CREATE TRIGGER trg_ruleset_versions_guard_update BEFORE UPDATE ON ruleset_versions "
        f"FOR EACH ROW WHEN {cond} BEGIN SELECT RAISE(ABORT, '{MSG_VERSION}'); END"
    )
    op.execute(
        "CREATE TRIGGER trg_ruleset_versions_guard_delete BEFORE DELETE ON ruleset_versions "
        "FOR EACH ROW WHEN OLD.status IN ('published', 'retired') "
        f"BEGIN SELECT RAISE(ABORT, '{MSG_VERSION}'); END"
    )
    for event in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER trg_audit_log_guard_{event.lower()} BEFORE {event} ON audit_log "
            f"FOR EACH ROW BEGIN SELECT RAISE(ABORT, '{MSG_AUDIT}'); END"
        )


def upgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        _postgresql_up()
    elif dialect == "sqlite":
        _sqlite_up()
    else:
        raise NotImplementedError(f"unsupported database: {dialect}")


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS trg_audit_log_guard ON audit_log")
        op.execute("DROP FUNCTION IF EXISTS kpi_guard_audit_log()")
        op.execute("DROP TRIGGER IF EXISTS trg_ruleset_versions_guard ON ruleset_versions")
        op.execute("DROP FUNCTION IF EXISTS kpi_guard_ruleset_version()")
    else:
        for name in (
            "trg_audit_log_guard_update",
            "trg_audit_log_guard_delete",
            "trg_ruleset_versions_guard_update",
            "trg_ruleset_versions_guard_delete",
        ):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
