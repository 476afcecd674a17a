"""dashboards: assessment summaries (counts and exact sums per unit, duty group and level of a
revision) and an index for the decided levels of a revision

Revision ID: 0010
Revises: 0007
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "assessment_summaries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("revision_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=8), nullable=False),
        sa.Column("duty_group", sa.String(length=255), nullable=True),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("sums", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["revision_id"],
            ["assessment_revisions.id"],
            name=op.f("fk_assessment_summaries_revision_id_assessment_revisions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_assessment_summaries_unit_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_summaries")),
        sa.UniqueConstraint("revision_id", "key", name=op.f("uq_assessment_summaries_revision_id_key")),
    )
    op.create_index(
        "ix_assessment_summaries_lookup",
        "assessment_summaries",
        ["revision_id", "scope", "duty_group", "unit_id"],
        unique=False,
    )
    # plain CREATE INDEX (a batch on SQLite would recreate the guarded results table)
    op.create_index(
        "ix_assessment_results_revision_decided",
        "assessment_results",
        ["revision_id", "decided_level"],
        unique=False,
    )


def downgrade():
    op.drop_index("ix_assessment_results_revision_decided", table_name="assessment_results")
    op.drop_index("ix_assessment_summaries_lookup", table_name="assessment_summaries")
    op.drop_table("assessment_summaries")
