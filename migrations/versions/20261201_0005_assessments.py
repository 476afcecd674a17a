"""assessments: runs, pinned versions, revisions, stored results, input snapshots, jobs, locks

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01

Triggers (PostgreSQL and SQLite) keep what a run stored immutable: the computed columns of
`assessment_results` (everything but the decision `decided_*` and the `provisional` flag) never change
and no result is deleted; `assessment_snapshots` rows never change and are never deleted.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


MSG_RESULT = "KPI-IMMUTABLE: kết quả đã lưu của một lần chạy đánh giá không được sửa hoặc xóa"
MSG_SNAPSHOT = "KPI-IMMUTABLE: bản lưu dữ liệu đầu vào của đợt đánh giá không được sửa hoặc xóa"
# the computed columns of a stored result (the decision and the provisional flag may change)
_RESULT_COLUMNS = [
    "assessment_id", "revision_id", "person_id", "person_code", "person_name", "unit_id", "unit_code",
    "duty_group", "manager_code", "version_id", "snapshot_id", "score", "score_text", "level", "level_before_quota",
    "not_rated", "quota_note", "result_key",
]  # fmt: skip
_RESULT_JSON = ["criteria", "vetoes", "outputs"]


def _result_changed(distinct: str, as_text: str) -> str:
    plain = [f"NEW.{c} {distinct} OLD.{c}" for c in _RESULT_COLUMNS]
    json = [f"NEW.{c}{as_text} {distinct} OLD.{c}{as_text}" for c in _RESULT_JSON]
    return " OR ".join(plain + json)


def _guards_up():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"""
            CREATE FUNCTION kpi_guard_assessment_result() RETURNS trigger AS $$
            BEGIN
              IF TG_OP = 'DELETE' OR {_result_changed("IS DISTINCT FROM", "::text")} THEN
                RAISE EXCEPTION '{MSG_RESULT}' USING ERRCODE = 'integrity_constraint_violation';
              END IF;
              RETURN NEW;
            END
            $$ LANGUAGE plpgsql
        """)
        op.execute(
            "CREATE TRIGGER trg_assessment_results_guard BEFORE UPDATE OR DELETE ON assessment_results "
            "FOR EACH ROW EXECUTE FUNCTION kpi_guard_assessment_result()"
        )
        op.execute(f"""
            CREATE FUNCTION kpi_guard_assessment_snapshot() RETURNS trigger AS $$
            BEGIN
              RAISE EXCEPTION '{MSG_SNAPSHOT}' USING ERRCODE = 'integrity_constraint_violation';
            END
            $$ LANGUAGE plpgsql
        """)
        op.execute(
            "CREATE TRIGGER trg_assessment_snapshots_guard BEFORE UPDATE OR DELETE ON assessment_snapshots "
            "FOR EACH ROW EXECUTE FUNCTION kpi_guard_assessment_snapshot()"
        )
        return
    op.execute(
        "CREATE TRIGGER trg_assessment_results_guard_update BEFORE UPDATE ON assessment_results "
        f"FOR EACH ROW WHEN {_result_changed('IS NOT', '')} BEGIN SELECT RAISE(ABORT, '{MSG_RESULT}'); END"
    )
    op.execute(
        "CREATE TRIGGER trg_assessment_results_guard_delete BEFORE DELETE ON assessment_results "
        f"FOR EACH ROW BEGIN SELECT RAISE(ABORT, '{MSG_RESULT}'); END"
    )
    for event in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER trg_assessment_snapshots_guard_{event.lower()} BEFORE {event} ON "
            f"assessment_snapshots FOR EACH ROW BEGIN SELECT RAISE(ABORT, '{MSG_SNAPSHOT}'); END"
        )


def _guards_down():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS trg_assessment_results_guard ON assessment_results")
        op.execute("DROP FUNCTION IF EXISTS kpi_guard_assessment_result()")
        op.execute("DROP TRIGGER IF EXISTS trg_assessment_snapshots_guard ON assessment_snapshots")
        op.execute("DROP FUNCTION IF EXISTS kpi_guard_assessment_snapshot()")
        return
    for name in (
        "trg_assessment_results_guard_update",
        "trg_assessment_results_guard_delete",
        "trg_assessment_snapshots_guard_update",
        "trg_assessment_snapshots_guard_delete",
    ):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")


def upgrade():
    # reviewed: tables in dependency order, named constraints, indexes for per-unit/per-period reads
    op.create_table(
        "assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("period_kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("current_revision", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_assessments_created_by_id_users")
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_assessments_unit_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessments")),
        sa.UniqueConstraint("unit_id", "period", name=op.f("uq_assessments_unit_id_period")),
    )
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assessments_period"), ["period"], unique=False)
        batch_op.create_index(batch_op.f("ix_assessments_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "assessment_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=True),
        sa.Column("unit_code", sa.String(length=64), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("parts", sa.Integer(), nullable=False),
        sa.Column("parts_done", sa.Integer(), nullable=False),
        sa.Column("cancel_requested", sa.Boolean(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(length=128), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_assessment_jobs_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_jobs")),
    )
    with op.batch_alter_table("assessment_jobs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assessment_jobs_assessment_id"), ["assessment_id"], unique=False)

    op.create_table(
        "assessment_locks",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("owner", sa.String(length=128), nullable=False),
        sa.Column("host", sa.String(length=255), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("acquired_at", sa.DateTime(), nullable=False),
        sa.Column("heartbeat", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_assessment_locks")),
    )
    op.create_table(
        "assessment_pins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("pinned_at", sa.DateTime(), nullable=False),
        sa.Column("pinned_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_assessment_pins_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["pinned_by_id"], ["users.id"], name=op.f("fk_assessment_pins_pinned_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["ruleset_versions.id"],
            name=op.f("fk_assessment_pins_version_id_ruleset_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_pins")),
        sa.UniqueConstraint(
            "assessment_id", "version_id", name=op.f("uq_assessment_pins_assessment_id_version_id")
        ),
    )
    with op.batch_alter_table("assessment_pins", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assessment_pins_assessment_id"), ["assessment_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_assessment_pins_version_id"), ["version_id"], unique=False)

    op.create_table(
        "assessment_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=1000), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("unchanged", sa.Boolean(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.Column("versions", sa.JSON(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("uncovered", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_assessment_revisions_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_assessment_revisions_created_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_revisions")),
        sa.UniqueConstraint(
            "assessment_id", "number", name=op.f("uq_assessment_revisions_assessment_id_number")
        ),
    )
    with op.batch_alter_table("assessment_revisions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assessment_revisions_assessment_id"), ["assessment_id"], unique=False
        )

    op.create_table(
        "assessment_snapshots",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("block_unit_id", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_assessment_snapshots_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["block_unit_id"], ["units.id"], name=op.f("fk_assessment_snapshots_block_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_snapshots")),
        sa.UniqueConstraint(
            "assessment_id",
            "block_unit_id",
            "digest",
            name=op.f("uq_assessment_snapshots_assessment_id_block_unit_id_digest"),
        ),
    )
    with op.batch_alter_table("assessment_snapshots", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assessment_snapshots_assessment_id"), ["assessment_id"], unique=False
        )

    op.create_table(
        "assessment_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("revision_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("person_code", sa.String(length=64), nullable=False),
        sa.Column("person_name", sa.String(length=255), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("unit_code", sa.String(length=64), nullable=False),
        sa.Column("duty_group", sa.String(length=255), nullable=False),
        sa.Column("manager_code", sa.String(length=64), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("snapshot_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Numeric(precision=18, scale=6), nullable=True),
        sa.Column("score_text", sa.String(length=64), nullable=False),
        sa.Column("level", sa.String(length=128), nullable=True),
        sa.Column("level_before_quota", sa.String(length=128), nullable=True),
        sa.Column("not_rated", sa.Boolean(), nullable=False),
        sa.Column("criteria", sa.JSON(), nullable=False),
        sa.Column("vetoes", sa.JSON(), nullable=False),
        sa.Column("outputs", sa.JSON(), nullable=False),
        sa.Column("quota_note", sa.Text(), nullable=False),
        sa.Column("result_key", sa.String(length=64), nullable=False),
        sa.Column("decided_level", sa.String(length=128), nullable=True),
        sa.Column("decided_reason", sa.Text(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("provisional", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_assessment_results_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["users.id"], name=op.f("fk_assessment_results_decided_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_assessment_results_person_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["revision_id"],
            ["assessment_revisions.id"],
            name=op.f("fk_assessment_results_revision_id_assessment_revisions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["snapshot_id"],
            ["assessment_snapshots.id"],
            name=op.f("fk_assessment_results_snapshot_id_assessment_snapshots"),
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_assessment_results_unit_id_units")),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["ruleset_versions.id"],
            name=op.f("fk_assessment_results_version_id_ruleset_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_results")),
        sa.UniqueConstraint(
            "revision_id", "person_id", name=op.f("uq_assessment_results_revision_id_person_id")
        ),
    )
    with op.batch_alter_table("assessment_results", schema=None) as batch_op:
        batch_op.create_index(
            "ix_assessment_results_assessment_person", ["assessment_id", "person_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_assessment_results_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_assessment_results_revision_id"), ["revision_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_assessment_results_snapshot_id"), ["snapshot_id"], unique=False)
        batch_op.create_index("ix_assessment_results_unit_revision", ["unit_id", "revision_id"], unique=False)
        batch_op.create_index(
            "ix_assessment_results_revision_manager", ["revision_id", "manager_code"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_assessment_results_version_id"), ["version_id"], unique=False)

    _guards_up()


def downgrade():
    _guards_down()
    with op.batch_alter_table("assessment_results", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessment_results_version_id"))
        batch_op.drop_index("ix_assessment_results_revision_manager")
        batch_op.drop_index("ix_assessment_results_unit_revision")
        batch_op.drop_index(batch_op.f("ix_assessment_results_snapshot_id"))
        batch_op.drop_index(batch_op.f("ix_assessment_results_revision_id"))
        batch_op.drop_index(batch_op.f("ix_assessment_results_person_id"))
        batch_op.drop_index("ix_assessment_results_assessment_person")

    op.drop_table("assessment_results")
    with op.batch_alter_table("assessment_snapshots", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessment_snapshots_assessment_id"))

    op.drop_table("assessment_snapshots")
    with op.batch_alter_table("assessment_revisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessment_revisions_assessment_id"))

    op.drop_table("assessment_revisions")
    with op.batch_alter_table("assessment_pins", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessment_pins_version_id"))
        batch_op.drop_index(batch_op.f("ix_assessment_pins_assessment_id"))

    op.drop_table("assessment_pins")
    op.drop_table("assessment_locks")
    with op.batch_alter_table("assessment_jobs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessment_jobs_assessment_id"))

    op.drop_table("assessment_jobs")
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessments_unit_id"))
        batch_op.drop_index(batch_op.f("ix_assessments_period"))

    op.drop_table("assessments")
