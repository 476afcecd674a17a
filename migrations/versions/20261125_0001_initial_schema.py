"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-25

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    # reviewed: tables in dependency order, named constraints (naming convention), indexes on foreign keys
    op.create_table('field_definitions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scope', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=128), nullable=False),
    sa.Column('label', sa.String(length=255), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('aliases', sa.JSON(), nullable=False),
    sa.Column('scale', sa.JSON(), nullable=False),
    sa.Column('low', sa.String(length=64), nullable=True),
    sa.Column('high', sa.String(length=64), nullable=True),
    sa.Column('default', sa.JSON(), nullable=True),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.Column('description', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_field_definitions')),
    sa.UniqueConstraint('scope', 'name', name=op.f('uq_field_definitions_scope_name'))
    )
    op.create_table('legal_bases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=128), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('issuer', sa.String(length=255), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=True),
    sa.Column('effective_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_legal_bases')),
    sa.UniqueConstraint('number', name=op.f('uq_legal_bases_number'))
    )
    op.create_table('units',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['units.id'], name=op.f('fk_units_parent_id_units'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_units')),
    sa.UniqueConstraint('code', name=op.f('uq_units_code'))
    )
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_units_parent_id'), ['parent_id'], unique=False)

    op.create_table('duty_groups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_duty_groups_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_duty_groups')),
    sa.UniqueConstraint('unit_id', 'code', name=op.f('uq_duty_groups_unit_id_code'))
    )
    with op.batch_alter_table('duty_groups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_duty_groups_unit_id'), ['unit_id'], unique=False)

    op.create_table('legal_articles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('legal_basis_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=32), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['legal_basis_id'], ['legal_bases.id'], name=op.f('fk_legal_articles_legal_basis_id_legal_bases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_legal_articles')),
    sa.UniqueConstraint('legal_basis_id', 'number', name=op.f('uq_legal_articles_legal_basis_id_number'))
    )
    with op.batch_alter_table('legal_articles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_legal_articles_legal_basis_id'), ['legal_basis_id'], unique=False)

    op.create_table('positions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_positions_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_positions')),
    sa.UniqueConstraint('code', name=op.f('uq_positions_code'))
    )
    with op.batch_alter_table('positions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_positions_unit_id'), ['unit_id'], unique=False)

    op.create_table('rulesets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=128), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('owner_unit_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['owner_unit_id'], ['units.id'], name=op.f('fk_rulesets_owner_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rulesets')),
    sa.UniqueConstraint('code', name=op.f('uq_rulesets_code'))
    )
    with op.batch_alter_table('rulesets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rulesets_owner_unit_id'), ['owner_unit_id'], unique=False)

    op.create_table('people',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('full_name', sa.String(length=255), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('position_id', sa.Integer(), nullable=True),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('leadership_post', sa.String(length=128), nullable=False),
    sa.Column('is_leader', sa.Boolean(), nullable=False),
    sa.Column('duty_group_id', sa.Integer(), nullable=True),
    sa.Column('manager_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['duty_group_id'], ['duty_groups.id'], name=op.f('fk_people_duty_group_id_duty_groups')),
    sa.ForeignKeyConstraint(['manager_id'], ['people.id'], name=op.f('fk_people_manager_id_people')),
    sa.ForeignKeyConstraint(['position_id'], ['positions.id'], name=op.f('fk_people_position_id_positions')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_people_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_people')),
    sa.UniqueConstraint('code', name=op.f('uq_people_code'))
    )
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_people_duty_group_id'), ['duty_group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_people_manager_id'), ['manager_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_people_position_id'), ['position_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_people_unit_id'), ['unit_id'], unique=False)

    op.create_table('standard_products',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('position_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('unit_of_measure', sa.String(length=64), nullable=False),
    sa.Column('coefficient', sa.Numeric(precision=18, scale=6), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=True),
    sa.Column('effective_to', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['position_id'], ['positions.id'], name=op.f('fk_standard_products_position_id_positions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_standard_products')),
    sa.UniqueConstraint('position_id', 'code', 'effective_from', name=op.f('uq_standard_products_position_id_code_effective_from'))
    )
    with op.batch_alter_table('standard_products', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_standard_products_position_id'), ['position_id'], unique=False)

    op.create_table('person_assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('position_id', sa.Integer(), nullable=True),
    sa.Column('duty_group_id', sa.Integer(), nullable=True),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['duty_group_id'], ['duty_groups.id'], name=op.f('fk_person_assignments_duty_group_id_duty_groups')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_person_assignments_person_id_people'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['position_id'], ['positions.id'], name=op.f('fk_person_assignments_position_id_positions')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_person_assignments_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person_assignments'))
    )
    with op.batch_alter_table('person_assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_assignments_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_person_assignments_unit_id'), ['unit_id'], unique=False)

    op.create_table('tasks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_system', sa.String(length=64), nullable=False),
    sa.Column('external_id', sa.String(length=128), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('period', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=1000), nullable=False),
    sa.Column('assigned_on', sa.Date(), nullable=True),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('completed_on', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=32), nullable=False),
    sa.Column('quantity_assigned', sa.Numeric(precision=18, scale=6), nullable=False),
    sa.Column('quantity_completed', sa.Numeric(precision=18, scale=6), nullable=False),
    sa.Column('standard_product_id', sa.Integer(), nullable=True),
    sa.Column('conversion_factor', sa.Numeric(precision=18, scale=6), nullable=False),
    sa.Column('major_errors', sa.Integer(), nullable=False),
    sa.Column('delays', sa.Integer(), nullable=False),
    sa.Column('exempt', sa.Boolean(), nullable=False),
    sa.Column('exempt_reason', sa.String(length=500), nullable=False),
    sa.Column('exempt_confirmed_by', sa.String(length=255), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('extra', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_tasks_person_id_people')),
    sa.ForeignKeyConstraint(['standard_product_id'], ['standard_products.id'], name=op.f('fk_tasks_standard_product_id_standard_products')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_tasks_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tasks')),
    sa.UniqueConstraint('source_system', 'external_id', name=op.f('uq_tasks_source_system_external_id'))
    )
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tasks_period'), ['period'], unique=False)
        batch_op.create_index(batch_op.f('ix_tasks_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tasks_unit_id'), ['unit_id'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('full_name', sa.String(length=255), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('role', sa.String(length=32), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_users_person_id_people')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_users_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_unit_id'), ['unit_id'], unique=False)

    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=128), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('prefix', sa.String(length=16), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('last_used_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_api_tokens_created_by_id_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_api_tokens_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_tokens_token_hash'))
    )
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_tokens_unit_id'), ['unit_id'], unique=False)

    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('actor', sa.String(length=128), nullable=False),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('entity', sa.String(length=64), nullable=False),
    sa.Column('entity_id', sa.String(length=128), nullable=False),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_audit_log_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_user_id'), ['user_id'], unique=False)

    op.create_table('period_inputs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=16), nullable=False),
    sa.Column('general_score', sa.Numeric(precision=18, scale=6), nullable=True),
    sa.Column('discipline', sa.String(length=32), nullable=False),
    sa.Column('values', sa.JSON(), nullable=False),
    sa.Column('entered_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['entered_by_id'], ['users.id'], name=op.f('fk_period_inputs_entered_by_id_users')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_period_inputs_person_id_people')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_period_inputs')),
    sa.UniqueConstraint('person_id', 'period', name=op.f('uq_period_inputs_person_id_period'))
    )
    with op.batch_alter_table('period_inputs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_period_inputs_period'), ['period'], unique=False)
        batch_op.create_index(batch_op.f('ix_period_inputs_person_id'), ['person_id'], unique=False)

    op.create_table('ruleset_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ruleset_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('period', sa.String(length=16), nullable=True),
    sa.Column('rollup_from', sa.String(length=16), nullable=True),
    sa.Column('subjects', sa.JSON(), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=True),
    sa.Column('effective_to', sa.Date(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('publisher_id', sa.Integer(), nullable=True),
    sa.Column('retired_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.Column('retired_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("status IN ('draft', 'published', 'retired')", name=op.f('ck_ruleset_versions_status')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_ruleset_versions_version_positive')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_ruleset_versions_author_id_users')),
    sa.ForeignKeyConstraint(['publisher_id'], ['users.id'], name=op.f('fk_ruleset_versions_publisher_id_users')),
    sa.ForeignKeyConstraint(['retired_by_id'], ['users.id'], name=op.f('fk_ruleset_versions_retired_by_id_users')),
    sa.ForeignKeyConstraint(['ruleset_id'], ['rulesets.id'], name=op.f('fk_ruleset_versions_ruleset_id_rulesets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ruleset_versions')),
    sa.UniqueConstraint('ruleset_id', 'version', name=op.f('uq_ruleset_versions_ruleset_id_version'))
    )
    with op.batch_alter_table('ruleset_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ruleset_versions_ruleset_id'), ['ruleset_id'], unique=False)

    op.create_table('adoptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('adopted_version_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('overrides', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['adopted_version_id'], ['ruleset_versions.id'], name=op.f('fk_adoptions_adopted_version_id_ruleset_versions')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_adoptions_unit_id_units')),
    sa.ForeignKeyConstraint(['version_id'], ['ruleset_versions.id'], name=op.f('fk_adoptions_version_id_ruleset_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_adoptions')),
    sa.UniqueConstraint('version_id', name=op.f('uq_adoptions_version_id'))
    )
    with op.batch_alter_table('adoptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_adoptions_adopted_version_id'), ['adopted_version_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_adoptions_unit_id'), ['unit_id'], unique=False)

    op.create_table('version_legal_bases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('legal_basis_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('articles', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['legal_basis_id'], ['legal_bases.id'], name=op.f('fk_version_legal_bases_legal_basis_id_legal_bases')),
    sa.ForeignKeyConstraint(['version_id'], ['ruleset_versions.id'], name=op.f('fk_version_legal_bases_version_id_ruleset_versions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_version_legal_bases')),
    sa.UniqueConstraint('version_id', 'legal_basis_id', name=op.f('uq_version_legal_bases_version_id_legal_basis_id'))
    )
    with op.batch_alter_table('version_legal_bases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_version_legal_bases_legal_basis_id'), ['legal_basis_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_version_legal_bases_version_id'), ['version_id'], unique=False)




def downgrade():
    # reviewed: tables in dependency order, named constraints (naming convention), indexes on foreign keys
    with op.batch_alter_table('version_legal_bases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_version_legal_bases_version_id'))
        batch_op.drop_index(batch_op.f('ix_version_legal_bases_legal_basis_id'))

    op.drop_table('version_legal_bases')
    with op.batch_alter_table('adoptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_adoptions_unit_id'))
        batch_op.drop_index(batch_op.f('ix_adoptions_adopted_version_id'))

    op.drop_table('adoptions')
    with op.batch_alter_table('ruleset_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ruleset_versions_ruleset_id'))

    op.drop_table('ruleset_versions')
    with op.batch_alter_table('period_inputs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_period_inputs_person_id'))
        batch_op.drop_index(batch_op.f('ix_period_inputs_period'))

    op.drop_table('period_inputs')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_user_id'))

    op.drop_table('audit_log')
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_tokens_unit_id'))

    op.drop_table('api_tokens')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_unit_id'))

    op.drop_table('users')
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tasks_unit_id'))
        batch_op.drop_index(batch_op.f('ix_tasks_person_id'))
        batch_op.drop_index(batch_op.f('ix_tasks_period'))

    op.drop_table('tasks')
    with op.batch_alter_table('person_assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_assignments_unit_id'))
        batch_op.drop_index(batch_op.f('ix_person_assignments_person_id'))

    op.drop_table('person_assignments')
    with op.batch_alter_table('standard_products', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_standard_products_position_id'))

    op.drop_table('standard_products')
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_people_unit_id'))
        batch_op.drop_index(batch_op.f('ix_people_position_id'))
        batch_op.drop_index(batch_op.f('ix_people_manager_id'))
        batch_op.drop_index(batch_op.f('ix_people_duty_group_id'))

    op.drop_table('people')
    with op.batch_alter_table('rulesets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rulesets_owner_unit_id'))

    op.drop_table('rulesets')
    with op.batch_alter_table('positions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_positions_unit_id'))

    op.drop_table('positions')
    with op.batch_alter_table('legal_articles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_legal_articles_legal_basis_id'))

    op.drop_table('legal_articles')
    with op.batch_alter_table('duty_groups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_duty_groups_unit_id'))

    op.drop_table('duty_groups')
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_units_parent_id'))

    op.drop_table('units')
    op.drop_table('legal_bases')
    op.drop_table('field_definitions')

