"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-23 17:11:54.301302
"""
import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('change_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entity', sa.String(length=30), nullable=False),
    sa.Column('record_uuid', sa.String(length=36), nullable=False),
    sa.Column('rev', sa.Integer(), nullable=False),
    sa.Column('field', sa.String(length=50), nullable=False),
    sa.Column('old_value', sa.Text(), nullable=True),
    sa.Column('new_value', sa.Text(), nullable=True),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.Column('actor', sa.String(length=50), nullable=False),
    sa.Column('origin', sa.String(length=12), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_change_log'))
    )
    with op.batch_alter_table('change_log', schema=None) as batch_op:
        batch_op.create_index('ix_change_record', ['entity', 'record_uuid', 'id'], unique=False)

    op.create_table('setting',
    sa.Column('key', sa.String(length=50), nullable=False),
    sa.Column('value', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_setting'))
    )
    op.create_table('station',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('code', sa.String(length=12), nullable=False),
    sa.Column('county', sa.String(length=50), nullable=True),
    sa.Column('settings', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_station')),
    sa.UniqueConstraint('code', name=op.f('uq_station_code'))
    )
    op.create_table('app_user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('station_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['station_id'], ['station.id'], name=op.f('fk_app_user_station_id_station')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_app_user')),
    sa.UniqueConstraint('station_id', 'name', name=op.f('uq_app_user_station_id_name'))
    )
    op.create_table('village',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('station_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('code', sa.String(length=12), nullable=False),
    sa.ForeignKeyConstraint(['station_id'], ['station.id'], name=op.f('fk_village_station_id_station')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_village')),
    sa.UniqueConstraint('code', name=op.f('uq_village_code')),
    sa.UniqueConstraint('station_id', 'name', name=op.f('uq_village_station_id_name'))
    )
    op.create_table('child',
    sa.Column('station_id', sa.Integer(), nullable=False),
    sa.Column('village_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('sex', sa.String(length=1), nullable=False),
    sa.Column('ethnicity', sa.String(length=20), nullable=True),
    sa.Column('birth_date', sa.Date(), nullable=False),
    sa.Column('id_number', sa.String(length=18), nullable=True),
    sa.Column('hukou_registered', sa.Boolean(), nullable=False),
    sa.Column('hukou_address', sa.String(length=200), nullable=True),
    sa.Column('residence_address', sa.String(length=200), nullable=True),
    sa.Column('health', sa.String(length=20), nullable=True),
    sa.Column('disability_kind', sa.String(length=50), nullable=True),
    sa.Column('disability_grade', sa.String(length=20), nullable=True),
    sa.Column('illness', sa.String(length=100), nullable=True),
    sa.Column('schooling', sa.String(length=20), nullable=True),
    sa.Column('school_name', sa.String(length=100), nullable=True),
    sa.Column('boarding', sa.Boolean(), nullable=True),
    sa.Column('income_sources', sa.String(length=100), nullable=True),
    sa.Column('contact_phone', sa.String(length=30), nullable=True),
    sa.Column('paired_helper', sa.String(length=50), nullable=True),
    sa.Column('risk_colour', sa.String(length=10), nullable=True),
    sa.Column('colour_set_on', sa.Date(), nullable=True),
    sa.Column('red_deferral', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('closed_reason', sa.String(length=20), nullable=True),
    sa.Column('closed_note', sa.Text(), nullable=True),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('opened_on', sa.Date(), nullable=False),
    sa.Column('last_visit_on', sa.Date(), nullable=True),
    sa.Column('next_visit_due', sa.Date(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('origin', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=50), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=50), nullable=False),
    sa.Column('rev', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['station_id'], ['station.id'], name=op.f('fk_child_station_id_station')),
    sa.ForeignKeyConstraint(['village_id'], ['village.id'], name=op.f('fk_child_village_id_village')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_child')),
    sa.UniqueConstraint('uuid', name=op.f('uq_child_uuid'))
    )
    with op.batch_alter_table('child', schema=None) as batch_op:
        batch_op.create_index('ix_child_birth', ['name', 'birth_date'], unique=False)
        batch_op.create_index('ix_child_id_number', ['id_number'], unique=False)
        batch_op.create_index('ix_child_station_colour', ['station_id', 'risk_colour'], unique=False)
        batch_op.create_index('ix_child_station_due', ['station_id', 'status', 'next_visit_due'], unique=False)
        batch_op.create_index('ix_child_station_name', ['station_id', 'name'], unique=False)
        batch_op.create_index('ix_child_village', ['village_id', 'name'], unique=False)

    op.create_table('assessment',
    sa.Column('child_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('assessed_on', sa.Date(), nullable=False),
    sa.Column('assessor', sa.String(length=50), nullable=False),
    sa.Column('result', sa.String(length=50), nullable=False),
    sa.Column('guardianship_type', sa.String(length=30), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('origin', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=50), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=50), nullable=False),
    sa.Column('rev', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['child_id'], ['child.id'], name=op.f('fk_assessment_child_id_child')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment')),
    sa.UniqueConstraint('uuid', name=op.f('uq_assessment_uuid'))
    )
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.create_index('ix_assessment_child', ['child_id', 'kind', 'assessed_on'], unique=False)

    op.create_table('category_membership',
    sa.Column('child_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=30), nullable=False),
    sa.Column('start_on', sa.Date(), nullable=False),
    sa.Column('end_on', sa.Date(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('origin', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=50), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=50), nullable=False),
    sa.Column('rev', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['child_id'], ['child.id'], name=op.f('fk_category_membership_child_id_child')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_category_membership')),
    sa.UniqueConstraint('uuid', name=op.f('uq_category_membership_uuid'))
    )
    with op.batch_alter_table('category_membership', schema=None) as batch_op:
        batch_op.create_index('ix_category_child', ['child_id'], unique=False)
        batch_op.create_index('ix_category_code', ['category', 'child_id'], unique=False)

    op.create_table('help_measure',
    sa.Column('child_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('started_on', sa.Date(), nullable=False),
    sa.Column('responsible', sa.String(length=50), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.Column('result', sa.Text(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('origin', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=50), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=50), nullable=False),
    sa.Column('rev', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['child_id'], ['child.id'], name=op.f('fk_help_measure_child_id_child')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_help_measure')),
    sa.UniqueConstraint('uuid', name=op.f('uq_help_measure_uuid'))
    )
    with op.batch_alter_table('help_measure', schema=None) as batch_op:
        batch_op.create_index('ix_help_child', ['child_id', 'state'], unique=False)

    op.create_table('person',
    sa.Column('child_id', sa.Integer(), nullable=False),
    sa.Column('relation', sa.String(length=20), nullable=False),
    sa.Column('relation_detail', sa.String(length=20), nullable=True),
    sa.Column('name', sa.String(length=50), nullable=True),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('id_number', sa.String(length=18), nullable=True),
    sa.Column('phone', sa.String(length=30), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=True),
    sa.Column('work_place', sa.String(length=100), nullable=True),
    sa.Column('address', sa.String(length=200), nullable=True),
    sa.Column('is_guardian', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('origin', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=50), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=50), nullable=False),
    sa.Column('rev', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['child_id'], ['child.id'], name=op.f('fk_person_child_id_child')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person')),
    sa.UniqueConstraint('uuid', name=op.f('uq_person_uuid'))
    )
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.create_index('ix_person_child', ['child_id'], unique=False)
        batch_op.create_index('ix_person_phone', ['phone'], unique=False)

    op.create_table('relief',
    sa.Column('child_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('start_on', sa.Date(), nullable=True),
    sa.Column('end_on', sa.Date(), nullable=True),
    sa.Column('amount', sa.String(length=30), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('origin', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=50), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=50), nullable=False),
    sa.Column('rev', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['child_id'], ['child.id'], name=op.f('fk_relief_child_id_child')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_relief')),
    sa.UniqueConstraint('uuid', name=op.f('uq_relief_uuid'))
    )
    with op.batch_alter_table('relief', schema=None) as batch_op:
        batch_op.create_index('ix_relief_child', ['child_id'], unique=False)

    op.create_table('report_clue',
    sa.Column('child_id', sa.Integer(), nullable=True),
    sa.Column('child_name', sa.String(length=50), nullable=True),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('received_by', sa.String(length=50), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('reporter', sa.String(length=50), nullable=True),
    sa.Column('reporter_phone', sa.String(length=30), nullable=True),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('reported_to', sa.String(length=50), nullable=True),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('investigated_at', sa.DateTime(), nullable=True),
    sa.Column('investigated_by', sa.String(length=50), nullable=True),
    sa.Column('investigation', sa.Text(), nullable=True),
    sa.Column('handled_at', sa.DateTime(), nullable=True),
    sa.Column('handled_by', sa.String(length=50), nullable=True),
    sa.Column('handling', sa.Text(), nullable=True),
    sa.Column('feedback_at', sa.DateTime(), nullable=True),
    sa.Column('feedback_by', sa.String(length=50), nullable=True),
    sa.Column('feedback', sa.Text(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('origin', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=50), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=50), nullable=False),
    sa.Column('rev', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['child_id'], ['child.id'], name=op.f('fk_report_clue_child_id_child')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_clue')),
    sa.UniqueConstraint('uuid', name=op.f('uq_report_clue_uuid'))
    )
    with op.batch_alter_table('report_clue', schema=None) as batch_op:
        batch_op.create_index('ix_clue_child', ['child_id'], unique=False)
        batch_op.create_index('ix_clue_state', ['state', 'received_at'], unique=False)

    op.create_table('visit',
    sa.Column('child_id', sa.Integer(), nullable=False),
    sa.Column('visited_on', sa.Date(), nullable=False),
    sa.Column('visitors', sa.String(length=100), nullable=False),
    sa.Column('mode', sa.String(length=10), nullable=False),
    sa.Column('living', sa.Text(), nullable=True),
    sa.Column('study', sa.Text(), nullable=True),
    sa.Column('health', sa.Text(), nullable=True),
    sa.Column('safety', sa.Text(), nullable=True),
    sa.Column('psychology', sa.Text(), nullable=True),
    sa.Column('guardianship', sa.Text(), nullable=True),
    sa.Column('problems', sa.Text(), nullable=True),
    sa.Column('measures', sa.Text(), nullable=True),
    sa.Column('next_due_on', sa.Date(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('origin', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=50), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=50), nullable=False),
    sa.Column('rev', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['child_id'], ['child.id'], name=op.f('fk_visit_child_id_child')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visit')),
    sa.UniqueConstraint('uuid', name=op.f('uq_visit_uuid'))
    )
    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.create_index('ix_visit_child', ['child_id', 'visited_on'], unique=False)
        batch_op.create_index('ix_visit_date', ['visited_on'], unique=False)

    op.create_table('hotline_call',
    sa.Column('call_at', sa.DateTime(), nullable=False),
    sa.Column('caller', sa.String(length=50), nullable=True),
    sa.Column('caller_phone', sa.String(length=30), nullable=True),
    sa.Column('child_id', sa.Integer(), nullable=True),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('handling', sa.Text(), nullable=True),
    sa.Column('handled_by', sa.String(length=50), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('clue_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('origin', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=50), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=50), nullable=False),
    sa.Column('rev', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['child_id'], ['child.id'], name=op.f('fk_hotline_call_child_id_child')),
    sa.ForeignKeyConstraint(['clue_id'], ['report_clue.id'], name=op.f('fk_hotline_call_clue_id_report_clue')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hotline_call')),
    sa.UniqueConstraint('uuid', name=op.f('uq_hotline_call_uuid'))
    )
    with op.batch_alter_table('hotline_call', schema=None) as batch_op:
        batch_op.create_index('ix_call_time', ['call_at'], unique=False)

    op.create_table('referral',
    sa.Column('child_id', sa.Integer(), nullable=True),
    sa.Column('clue_id', sa.Integer(), nullable=True),
    sa.Column('target', sa.String(length=30), nullable=False),
    sa.Column('target_name', sa.String(length=100), nullable=True),
    sa.Column('referred_on', sa.Date(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('state_on', sa.Date(), nullable=True),
    sa.Column('feedback', sa.Text(), nullable=True),
    sa.Column('handled_by', sa.String(length=50), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.String(length=36), nullable=False),
    sa.Column('origin', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by', sa.String(length=50), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by', sa.String(length=50), nullable=False),
    sa.Column('rev', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['child_id'], ['child.id'], name=op.f('fk_referral_child_id_child')),
    sa.ForeignKeyConstraint(['clue_id'], ['report_clue.id'], name=op.f('fk_referral_clue_id_report_clue')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referral')),
    sa.UniqueConstraint('uuid', name=op.f('uq_referral_uuid'))
    )
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.create_index('ix_referral_child', ['child_id', 'state'], unique=False)
        batch_op.create_index('ix_referral_clue', ['clue_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.drop_index('ix_referral_clue')
        batch_op.drop_index('ix_referral_child')

    op.drop_table('referral')
    with op.batch_alter_table('hotline_call', schema=None) as batch_op:
        batch_op.drop_index('ix_call_time')

    op.drop_table('hotline_call')
    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.drop_index('ix_visit_date')
        batch_op.drop_index('ix_visit_child')

    op.drop_table('visit')
    with op.batch_alter_table('report_clue', schema=None) as batch_op:
        batch_op.drop_index('ix_clue_state')
        batch_op.drop_index('ix_clue_child')

    op.drop_table('report_clue')
    with op.batch_alter_table('relief', schema=None) as batch_op:
        batch_op.drop_index('ix_relief_child')

    op.drop_table('relief')
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_index('ix_person_phone')
        batch_op.drop_index('ix_person_child')

    op.drop_table('person')
    with op.batch_alter_table('help_measure', schema=None) as batch_op:
        batch_op.drop_index('ix_help_child')

    op.drop_table('help_measure')
    with op.batch_alter_table('category_membership', schema=None) as batch_op:
        batch_op.drop_index('ix_category_code')
        batch_op.drop_index('ix_category_child')

    op.drop_table('category_membership')
    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.drop_index('ix_assessment_child')

    op.drop_table('assessment')
    with op.batch_alter_table('child', schema=None) as batch_op:
        batch_op.drop_index('ix_child_village')
        batch_op.drop_index('ix_child_station_name')
        batch_op.drop_index('ix_child_station_due')
        batch_op.drop_index('ix_child_station_colour')
        batch_op.drop_index('ix_child_id_number')
        batch_op.drop_index('ix_child_birth')

    op.drop_table('child')
    op.drop_table('village')
    op.drop_table('app_user')
    op.drop_table('station')
    op.drop_table('setting')
    with op.batch_alter_table('change_log', schema=None) as batch_op:
        batch_op.drop_index('ix_change_record')

    op.drop_table('change_log')
