"""results: fewer foreign keys and indexes on assessment_results (what the bulk insert of a run pays
per row)

Revision ID: 0011
Revises: 0013
Create Date: 2026-12-02

Foreign keys: `assessment_id` and `revision_id` become one composite key (revision_id, assessment_id) ->
assessment_revisions (id, assessment_id) (a new unique index there), so a result's assessment is its
revision's, checked once; `unit_id` and `version_id` lose theirs (copies the run made: no code path
deletes a unit, and each version is referenced by the assessment's pin and kept by the version guards).
`person_id`, `snapshot_id` and `decided_by_id` keep theirs. Indexes dropped: `revision_id` (the unique
(revision_id, person_id) serves every read by revision), `version_id` and `snapshot_id` (no query reads
results by them, and no foreign key needs them: snapshots are never deleted). docs/architecture.md
(Assessment performance) has the measurements.

On SQLite the results table is recreated (batch), which drops its triggers: they are created again with
migration 0005's SQL.
"""

from alembic import context, op

revision = "0011"
down_revision = "0013"
branch_labels = None
depends_on = None

T = "assessment_results"
FK_REVISION = "fk_assessment_results_revision_id_assessment_revisions"
FK_ASSESSMENT = "fk_assessment_results_assessment_id_assessments"
FK_UNIT = "fk_assessment_results_unit_id_units"
FK_VERSION = "fk_assessment_results_version_id_ruleset_versions"
PARENT_INDEX = "ix_assessment_revisions_id_assessment"
DROPPED_INDEXES = (
    ("ix_assessment_results_revision_id", ["revision_id"]),
    ("ix_assessment_results_version_id", ["version_id"]),
    ("ix_assessment_results_snapshot_id", ["snapshot_id"]),
)


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def _sqlite_guards() -> None:
    """The results' triggers of migration 0005 (a batch recreated the table without them)."""
    guards = context.script.get_revision("0005").module
    op.execute("DROP TRIGGER IF EXISTS trg_assessment_results_guard_update")
    op.execute("DROP TRIGGER IF EXISTS trg_assessment_results_guard_delete")
    op.execute(
        f"CREATE TRIGGER trg_assessment_results_guard_update BEFORE UPDATE ON {T} FOR EACH ROW WHEN "
        f"{guards._result_changed('IS NOT', '')} BEGIN SELECT RAISE(ABORT, '{guards.MSG_RESULT}'); END"
    )
    op.execute(
        f"CREATE TRIGGER trg_assessment_results_guard_delete BEFORE DELETE ON {T} "
        f"FOR EACH ROW BEGIN SELECT RAISE(ABORT, '{guards.MSG_RESULT}'); END"
    )


def upgrade():
    # a plain unique index (a batch on SQLite would recreate assessment_revisions, whose DROP would
    # cascade to the results); SQLite and PostgreSQL both take a unique index as a parent key
    op.create_index(PARENT_INDEX, "assessment_revisions", ["id", "assessment_id"], unique=True)
    with op.batch_alter_table(T, recreate="auto") as batch:
        for name, _columns in DROPPED_INDEXES:
            batch.drop_index(name)
        for name in (FK_REVISION, FK_ASSESSMENT, FK_UNIT, FK_VERSION):
            batch.drop_constraint(name, type_="foreignkey")
        batch.create_foreign_key(
            FK_REVISION, "assessment_revisions", ["revision_id", "assessment_id"], ["id", "assessment_id"],
            ondelete="CASCADE",
        )  # fmt: skip
    if _sqlite():
        _sqlite_guards()


def downgrade():
    with op.batch_alter_table(T, recreate="auto") as batch:
        batch.drop_constraint(FK_REVISION, type_="foreignkey")
        batch.create_foreign_key(
            FK_REVISION, "assessment_revisions", ["revision_id"], ["id"], ondelete="CASCADE"
        )
        batch.create_foreign_key(FK_ASSESSMENT, "assessments", ["assessment_id"], ["id"], ondelete="CASCADE")
        batch.create_foreign_key(FK_UNIT, "units", ["unit_id"], ["id"])
        batch.create_foreign_key(FK_VERSION, "ruleset_versions", ["version_id"], ["id"])
        for name, columns in DROPPED_INDEXES:
            batch.create_index(name, columns, unique=False)
    if _sqlite():
        _sqlite_guards()
    op.drop_index(PARENT_INDEX, table_name="assessment_revisions")
