"""dashboards: an index on the summaries of a revision per unit (a province whose wards run their own
assessments reads one summary per ward and revision)

Revision ID: 0013
Revises: 0010
Create Date: 2026-12-02
"""

from alembic import op

revision = "0013"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index(
        "ix_assessment_summaries_unit",
        "assessment_summaries",
        ["revision_id", "unit_id", "scope", "duty_group"],
        unique=False,
    )


def downgrade():
    op.drop_index("ix_assessment_summaries_unit", table_name="assessment_summaries")
