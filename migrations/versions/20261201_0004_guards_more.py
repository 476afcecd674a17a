"""guards, continued: no REPLACE around the guards; rulesets, adoptions and legal-basis links of
published versions are immutable too; no TRUNCATE of guarded tables

Revision ID: 0004
Revises: 0006
Create Date: 2026-12-01

What 0002 left open, closed by triggers on PostgreSQL and SQLite:

- SQLite's `REPLACE` / `INSERT OR REPLACE` / `UPDATE OR REPLACE` delete the row they collide with
  without firing its DELETE trigger (unless recursive_triggers is on): a BEFORE INSERT trigger refuses
  an insert that collides (by id, or by ruleset and version number) with a published or retired version
  or with an audit entry, and the UPDATE guard refuses an update that would collide with one.
- `rulesets`: the code and the owner unit of a ruleset with a published or retired version never
  change (an UPDATE is refused; a DELETE too; on SQLite an INSERT that would replace it too).
- `adoptions` and `version_legal_bases` rows of a published or retired version are never inserted,
  updated or deleted (the overrides and the legal bases are part of what was published).
- PostgreSQL: TRUNCATE (which fires no row trigger) of any guarded table is refused by a statement
  trigger; the application's role has no TRUNCATE right either (`kpi db roles`).

NOTE for later migrations: on SQLite a batch_alter_table of any of these tables recreates it and DROPS
its triggers; such a migration must create them again (the SQL below, and 0002's).
"""

from alembic import op

revision = "0004"
down_revision = "0006"
branch_labels = None
depends_on = None

MSG_VERSION = "KPI-IMMUTABLE: phiên bản bộ quy tắc đã công bố không được sửa hoặc xóa"
MSG_AUDIT = "KPI-APPEND-ONLY: nhật ký thao tác chỉ được ghi thêm, không được sửa hoặc xóa"
MSG_RULESET = "KPI-IMMUTABLE: mã và đơn vị chủ quản của bộ quy tắc đã có phiên bản công bố không được đổi"
MSG_PART = "KPI-IMMUTABLE: áp dụng và căn cứ pháp lý của phiên bản đã công bố không được sửa hoặc xóa"
MSG_TRUNCATE = "KPI-IMMUTABLE: không được TRUNCATE bảng được bảo vệ"

FROZEN = "('published', 'retired')"
PARTS = ("adoptions", "version_legal_bases")
TRUNCATE_GUARDED = ("audit_log", "ruleset_versions", "rulesets", *PARTS)


def _frozen_version(id_expr: str) -> str:
    return f"EXISTS (SELECT 1 FROM ruleset_versions WHERE id = {id_expr} AND status IN {FROZEN})"


def _frozen_ruleset(id_expr: str) -> str:
    return f"EXISTS (SELECT 1 FROM ruleset_versions WHERE ruleset_id = {id_expr} AND status IN {FROZEN})"


# --------------------------------------------------------------------------------------------- SQLite
def _sqlite_up():
    collides = (
        "EXISTS (SELECT 1 FROM ruleset_versions WHERE id IS NOT {old} AND status IN " + FROZEN +
        " AND (id = NEW.id OR (ruleset_id = NEW.ruleset_id AND version = NEW.version)))"
    )  # fmt: skip
    statements = [
        # REPLACE into a published version (by id or by ruleset + number)
        "CREATE TRIGGER trg_ruleset_versions_guard_insert BEFORE INSERT ON ruleset_versions FOR EACH ROW "
        f"WHEN {collides.format(old='NULL')} BEGIN SELECT RAISE(ABORT, '{MSG_VERSION}'); END",
        # UPDATE OR REPLACE of a draft onto a published version
        "CREATE TRIGGER trg_ruleset_versions_guard_collide BEFORE UPDATE ON ruleset_versions FOR EACH ROW "
        f"WHEN {collides.format(old='OLD.id')} BEGIN SELECT RAISE(ABORT, '{MSG_VERSION}'); END",
        "CREATE TRIGGER trg_audit_log_guard_insert BEFORE INSERT ON audit_log FOR EACH ROW "
        f"WHEN EXISTS (SELECT 1 FROM audit_log WHERE id = NEW.id) BEGIN SELECT RAISE(ABORT, '{MSG_AUDIT}'); END",
        "CREATE TRIGGER trg_rulesets_guard_update BEFORE UPDATE ON rulesets FOR EACH ROW "
        "WHEN (NEW.id IS NOT OLD.id OR NEW.code IS NOT OLD.code OR NEW.owner_unit_id IS NOT OLD.owner_unit_id) "
        f"AND {_frozen_ruleset('OLD.id')} BEGIN SELECT RAISE(ABORT, '{MSG_RULESET}'); END",
        "CREATE TRIGGER trg_rulesets_guard_delete BEFORE DELETE ON rulesets FOR EACH ROW "
        f"WHEN {_frozen_ruleset('OLD.id')} BEGIN SELECT RAISE(ABORT, '{MSG_RULESET}'); END",
        "CREATE TRIGGER trg_rulesets_guard_insert BEFORE INSERT ON rulesets FOR EACH ROW "
        "WHEN EXISTS (SELECT 1 FROM rulesets r WHERE (r.id = NEW.id OR r.code = NEW.code) AND "
        f"{_frozen_ruleset('r.id')}) BEGIN SELECT RAISE(ABORT, '{MSG_RULESET}'); END",
    ]
    for table in PARTS:
        statements += [
            f"CREATE TRIGGER trg_{table}_guard_insert BEFORE INSERT ON {table} FOR EACH ROW "
            f"WHEN {_frozen_version('NEW.version_id')} OR EXISTS (SELECT 1 FROM {table} t WHERE t.id = NEW.id "
            f"AND {_frozen_version('t.version_id')}) BEGIN SELECT RAISE(ABORT, '{MSG_PART}'); END",
            f"CREATE TRIGGER trg_{table}_guard_update BEFORE UPDATE ON {table} FOR EACH ROW "
            f"WHEN {_frozen_version('OLD.version_id')} OR {_frozen_version('NEW.version_id')} "
            f"BEGIN SELECT RAISE(ABORT, '{MSG_PART}'); END",
            f"CREATE TRIGGER trg_{table}_guard_delete BEFORE DELETE ON {table} FOR EACH ROW "
            f"WHEN {_frozen_version('OLD.version_id')} BEGIN SELECT RAISE(ABORT, '{MSG_PART}'); END",
        ]
    for sql in statements:
        op.execute(sql)


SQLITE_TRIGGERS = (
    "trg_ruleset_versions_guard_insert", "trg_ruleset_versions_guard_collide", "trg_audit_log_guard_insert",
    "trg_rulesets_guard_update", "trg_rulesets_guard_delete", "trg_rulesets_guard_insert",
    *(f"trg_{t}_guard_{e}" for t in PARTS for e in ("insert", "update", "delete")),
)  # fmt: skip


# ----------------------------------------------------------------------------------------- PostgreSQL
def _raise(message: str) -> str:
    return f"RAISE EXCEPTION '{message}' USING ERRCODE = 'integrity_constraint_violation';"


def _postgresql_up():
    op.execute(f"""
        CREATE FUNCTION kpi_guard_ruleset() RETURNS trigger AS $$
        BEGIN
          IF {_frozen_ruleset('OLD.id')} THEN
            IF TG_OP = 'DELETE' THEN {_raise(MSG_RULESET)} END IF;
            IF NEW.id IS DISTINCT FROM OLD.id OR NEW.code IS DISTINCT FROM OLD.code
               OR NEW.owner_unit_id IS DISTINCT FROM OLD.owner_unit_id THEN {_raise(MSG_RULESET)} END IF;
          END IF;
          IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
          RETURN NEW;
        END
        $$ LANGUAGE plpgsql
    """)
    op.execute(
        "CREATE TRIGGER trg_rulesets_guard BEFORE UPDATE OR DELETE ON rulesets "
        "FOR EACH ROW EXECUTE FUNCTION kpi_guard_ruleset()"
    )
    op.execute(f"""
        CREATE FUNCTION kpi_guard_version_part() RETURNS trigger AS $$
        BEGIN
          IF TG_OP IN ('UPDATE', 'DELETE') AND {_frozen_version('OLD.version_id')} THEN {_raise(MSG_PART)} END IF;
          IF TG_OP IN ('INSERT', 'UPDATE') AND {_frozen_version('NEW.version_id')} THEN {_raise(MSG_PART)} END IF;
          IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
          RETURN NEW;
        END
        $$ LANGUAGE plpgsql
    """)
    for table in PARTS:
        op.execute(
            f"CREATE TRIGGER trg_{table}_guard BEFORE INSERT OR UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION kpi_guard_version_part()"
        )
    op.execute(f"""
        CREATE FUNCTION kpi_guard_truncate() RETURNS trigger AS $$
        BEGIN
          {_raise(MSG_TRUNCATE)}
        END
        $$ LANGUAGE plpgsql
    """)
    for table in TRUNCATE_GUARDED:
        op.execute(
            f"CREATE TRIGGER trg_{table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION kpi_guard_truncate()"
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
        for table in TRUNCATE_GUARDED:
            op.execute(f"DROP TRIGGER IF EXISTS trg_{table}_no_truncate ON {table}")
        op.execute("DROP FUNCTION IF EXISTS kpi_guard_truncate()")
        for table in PARTS:
            op.execute(f"DROP TRIGGER IF EXISTS trg_{table}_guard ON {table}")
        op.execute("DROP FUNCTION IF EXISTS kpi_guard_version_part()")
        op.execute("DROP TRIGGER IF EXISTS trg_rulesets_guard ON rulesets")
        op.execute("DROP FUNCTION IF EXISTS kpi_guard_ruleset()")
    else:
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
