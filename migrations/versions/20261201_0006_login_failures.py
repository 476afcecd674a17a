"""login failures (sign-in throttling) and indexes for the admin's task filters

Revision ID: 0006
Revises: 0003
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_failures")),
    )
    with op.batch_alter_table("login_failures", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_login_failures_username"), ["username"], unique=False)
        batch_op.create_index(batch_op.f("ix_login_failures_address"), ["address"], unique=False)
    # plain CREATE INDEX (no batch: a batch of `tasks` on SQLite would recreate the table)
    op.create_index(op.f("ix_tasks_external_id"), "tasks", ["external_id"], unique=False)
    # a filter and the default order (id, newest first) from one index: a page without a sort
    op.create_index("ix_tasks_period_id", "tasks", ["period", "id"], unique=False)
    op.create_index("ix_tasks_status_id", "tasks", ["status", "id"], unique=False)
    op.create_index("ix_tasks_unit_id_id", "tasks", ["unit_id", "id"], unique=False)


def downgrade():
    op.drop_index("ix_tasks_unit_id_id", table_name="tasks")
    op.drop_index("ix_tasks_status_id", table_name="tasks")
    op.drop_index("ix_tasks_period_id", table_name="tasks")
    op.drop_index(op.f("ix_tasks_external_id"), table_name="tasks")
    with op.batch_alter_table("login_failures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_login_failures_address"))
        batch_op.drop_index(batch_op.f("ix_login_failures_username"))
    op.drop_table("login_failures")
