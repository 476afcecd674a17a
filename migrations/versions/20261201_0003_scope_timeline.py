"""scope and time line: task ids namespaced per owning unit, read-only tokens, a proper assignment history

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01

- tasks.owner_unit_id (NOT NULL): the namespace of external ids together with the source system (unique
  (source_system, owner_unit_id, external_id) instead of (source_system, external_id)); existing rows
  get the root unit (province) of their unit.
- api_tokens.access: "read" or "write" (existing tokens: "write").
- person_assignments: valid_to >= valid_from; at most one open stretch per person (a partial unique
  index); no two stretches of a person overlap: PostgreSQL an exclusion constraint (btree_gist), SQLite
  triggers. Overlapping or doubly open rows left by earlier races must be repaired before upgrading.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

MSG_TIMELINE = "KPI-TIMELINE: các giai đoạn công tác của một cán bộ không được chồng lên nhau"

_FILL_OWNERS = """
WITH RECURSIVE up(id, root) AS (
    SELECT id, id FROM units WHERE parent_id IS NULL
    UNION ALL
    SELECT units.id, up.root FROM units JOIN up ON units.parent_id = up.id
)
UPDATE tasks SET owner_unit_id = (
    SELECT up.root FROM up
    WHERE up.id = COALESCE(tasks.unit_id, (SELECT people.unit_id FROM people WHERE people.id = tasks.person_id))
)
"""

# a row of person_assignments (NEW) that overlaps another stretch of the same person
_OVERLAP = (
    "EXISTS (SELECT 1 FROM person_assignments a WHERE a.person_id = NEW.person_id AND a.id IS NOT NEW.id"
    " AND (a.valid_to IS NULL OR a.valid_to >= NEW.valid_from)"
    " AND (NEW.valid_to IS NULL OR NEW.valid_to >= a.valid_from))"
)


def upgrade():
    dialect = op.get_bind().dialect.name
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("owner_unit_id", sa.Integer(), nullable=True))
    op.execute(_FILL_OWNERS)
    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.alter_column("owner_unit_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_constraint("uq_tasks_source_system_external_id", type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_tasks_source_system_owner_unit_id_external_id"),
            ["source_system", "owner_unit_id", "external_id"],
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_tasks_owner_unit_id_units"), "units", ["owner_unit_id"], ["id"]
        )
        batch_op.create_index(batch_op.f("ix_tasks_owner_unit_id"), ["owner_unit_id"], unique=False)

    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.add_column(sa.Column("access", sa.String(length=8), server_default="write", nullable=False))

    with op.batch_alter_table("person_assignments", schema=None) as batch_op:
        batch_op.create_check_constraint(
            op.f("ck_person_assignments_valid_range"), "valid_to IS NULL OR valid_to >= valid_from"
        )
        batch_op.create_index(
            "uq_person_assignments_open",
            ["person_id"],
            unique=True,
            sqlite_where=sa.text("valid_to IS NULL"),
            postgresql_where=sa.text("valid_to IS NULL"),
        )
    if dialect == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        op.execute(
            "ALTER TABLE person_assignments ADD CONSTRAINT ex_person_assignments_no_overlap "
            "EXCLUDE USING gist (person_id WITH =, daterange(valid_from, valid_to, '[]') WITH &&)"
        )
    else:
        for event in ("INSERT", "UPDATE"):
            op.execute(
                f"CREATE TRIGGER trg_person_assignments_no_overlap_{event.lower()} BEFORE {event} "
                f"ON person_assignments FOR EACH ROW WHEN {_OVERLAP} "
                f"BEGIN SELECT RAISE(ABORT, '{MSG_TIMELINE}'); END"
            )


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(
            "ALTER TABLE person_assignments DROP CONSTRAINT IF EXISTS ex_person_assignments_no_overlap"
        )
    else:
        for event in ("insert", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS trg_person_assignments_no_overlap_{event}")
    with op.batch_alter_table("person_assignments", schema=None) as batch_op:
        batch_op.drop_index("uq_person_assignments_open")
        batch_op.drop_constraint(op.f("ck_person_assignments_valid_range"), type_="check")

    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_column("access")

    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tasks_owner_unit_id"))
        batch_op.drop_constraint(batch_op.f("fk_tasks_owner_unit_id_units"), type_="foreignkey")
        batch_op.drop_constraint(
            batch_op.f("uq_tasks_source_system_owner_unit_id_external_id"), type_="unique"
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_tasks_source_system_external_id"), ["source_system", "external_id"]
        )
        batch_op.drop_column("owner_unit_id")
