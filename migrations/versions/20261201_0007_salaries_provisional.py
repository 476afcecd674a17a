"""salaries, provisional results, assessment feedback (self-assessments and comments)

Revision ID: 0007
Revises: 0005
Create Date: 2026-12-01

"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "salaries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("amount", sa.Numeric(precision=18, scale=6), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], name=op.f("fk_salaries_person_id_people")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_salaries")),
        sa.UniqueConstraint("person_id", "period", name=op.f("uq_salaries_person_id_period")),
    )
    with op.batch_alter_table("salaries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_salaries_period"), ["period"], unique=False)
        batch_op.create_index(batch_op.f("ix_salaries_person_id"), ["person_id"], unique=False)

    op.create_table(
        "provisional_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("version_id", sa.Integer(), nullable=True),
        sa.Column("score", sa.Numeric(precision=18, scale=6), nullable=True),
        sa.Column("level", sa.String(length=64), nullable=True),
        sa.Column("not_rated", sa.Boolean(), nullable=False),
        sa.Column("criteria", sa.JSON(), nullable=False),
        sa.Column("vetoes", sa.JSON(), nullable=False),
        sa.Column("problem", sa.String(length=500), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_provisional_results_person_id_people")
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_provisional_results_unit_id_units")),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["ruleset_versions.id"],
            name=op.f("fk_provisional_results_version_id_ruleset_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_provisional_results")),
        sa.UniqueConstraint("person_id", "period", name=op.f("uq_provisional_results_person_id_period")),
    )
    with op.batch_alter_table("provisional_results", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_provisional_results_period"), ["period"], unique=False)
        batch_op.create_index(batch_op.f("ix_provisional_results_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_provisional_results_unit_id"), ["unit_id"], unique=False)

    op.create_table(
        "assessment_feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("author", sa.String(length=128), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_assessment_feedback_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_assessment_feedback_author_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_assessment_feedback_person_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_feedback")),
    )
    with op.batch_alter_table("assessment_feedback", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_assessment_feedback_assessment_id"), ["assessment_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_assessment_feedback_person_id"), ["person_id"], unique=False)


def downgrade():
    op.drop_table("assessment_feedback")
    op.drop_table("provisional_results")
    op.drop_table("salaries")
