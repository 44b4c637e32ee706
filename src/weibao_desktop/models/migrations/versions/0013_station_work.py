"""the station's other work: activities (with the children who took part and attachments), the 重大事项报告单,
and the roster of 儿童主任 / 儿童督导员 / 第一报告人 with their villages and training

Revision ID: 0013
Revises: 0012
"""
import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def _sync_columns() -> list:
    return [
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('uuid', sa.String(length=36), nullable=False),
        sa.Column('origin', sa.String(length=12), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('created_by', sa.String(length=50), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('updated_by', sa.String(length=50), nullable=False),
        sa.Column('rev', sa.Integer(), nullable=False),
        sa.Column('deleted_at', sa.DateTime(), nullable=True),
        sa.Column('change_seq', sa.Integer(), nullable=False),
    ]


def _sync_indexes(table: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f'ix_{table}_change_seq'), ['change_seq'], unique=False)


def upgrade() -> None:
    op.create_table(
        'activity',
        *_sync_columns(),
        sa.Column('station_id', sa.Integer(), nullable=False),
        sa.Column('held_on', sa.Date(), nullable=False),
        sa.Column('start_time', sa.String(length=5), nullable=False),
        sa.Column('end_time', sa.String(length=5), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('village_id', sa.Integer(), nullable=True),
        sa.Column('place', sa.String(length=100), nullable=False),
        sa.Column('organiser', sa.String(length=50), nullable=False),
        sa.Column('partners', sa.String(length=200), nullable=True),
        sa.Column('children_count', sa.Integer(), nullable=True),
        sa.Column('parents_count', sa.Integer(), nullable=True),
        sa.Column('content', sa.Text(), nullable=False),
        sa.Column('evidence', sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(['station_id'], ['station.id'], name=op.f('fk_activity_station_id_station')),
        sa.ForeignKeyConstraint(['village_id'], ['village.id'], name=op.f('fk_activity_village_id_village')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_activity')),
        sa.UniqueConstraint('uuid', name=op.f('uq_activity_uuid')),
    )
    _sync_indexes('activity')
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.create_index('ix_activity_station_day', ['station_id', 'held_on'], unique=False)
    op.create_table(
        'activity_child',
        sa.Column('activity_id', sa.Integer(), nullable=False),
        sa.Column('child_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['activity_id'], ['activity.id'], name=op.f('fk_activity_child_activity_id_activity')),
        sa.ForeignKeyConstraint(['child_id'], ['child.id'], name=op.f('fk_activity_child_child_id_child')),
        sa.PrimaryKeyConstraint('activity_id', 'child_id', name=op.f('pk_activity_child')),
    )
    with op.batch_alter_table('activity_child', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activity_child_child_id'), ['child_id'], unique=False)
    op.create_table(
        'attachment',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('owner_uuid', sa.String(length=36), nullable=False),
        sa.Column('file_name', sa.String(length=200), nullable=False),
        sa.Column('media_type', sa.String(length=50), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.Column('added_at', sa.DateTime(), nullable=False),
        sa.Column('added_by', sa.String(length=50), nullable=False),
        sa.Column('deleted_at', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_attachment')),
    )
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.create_index('ix_attachment_owner', ['owner_uuid'], unique=False)
    op.create_table(
        'staff_member',
        *_sync_columns(),
        sa.Column('station_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=50), nullable=False),
        sa.Column('role', sa.String(length=20), nullable=False),
        sa.Column('sex', sa.String(length=1), nullable=True),
        sa.Column('phone', sa.String(length=30), nullable=True),
        sa.Column('committee_member', sa.Boolean(), nullable=True),
        sa.Column('womens_federation_head', sa.Boolean(), nullable=True),
        sa.Column('appointed_on', sa.Date(), nullable=True),
        sa.Column('social_work_cert', sa.String(length=20), nullable=True),
        sa.Column('account_name', sa.String(length=50), nullable=True),
        sa.Column('left_on', sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(['station_id'], ['station.id'], name=op.f('fk_staff_member_station_id_station')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_member')),
        sa.UniqueConstraint('uuid', name=op.f('uq_staff_member_uuid')),
    )
    _sync_indexes('staff_member')
    with op.batch_alter_table('staff_member', schema=None) as batch_op:
        batch_op.create_index('ix_staff_station', ['station_id', 'role'], unique=False)
    op.create_table(
        'staff_village',
        sa.Column('staff_id', sa.Integer(), nullable=False),
        sa.Column('village_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['staff_id'], ['staff_member.id'], name=op.f('fk_staff_village_staff_id_staff_member')),
        sa.ForeignKeyConstraint(['village_id'], ['village.id'], name=op.f('fk_staff_village_village_id_village')),
        sa.PrimaryKeyConstraint('staff_id', 'village_id', name=op.f('pk_staff_village')),
    )
    with op.batch_alter_table('staff_village', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_village_village_id'), ['village_id'], unique=False)
    op.create_table(
        'staff_training',
        *_sync_columns(),
        sa.Column('staff_id', sa.Integer(), nullable=False),
        sa.Column('held_on', sa.Date(), nullable=False),
        sa.Column('hours', sa.Float(), nullable=False),
        sa.Column('topic', sa.String(length=200), nullable=False),
        sa.Column('organiser', sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(['staff_id'], ['staff_member.id'],
                                name=op.f('fk_staff_training_staff_id_staff_member')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_training')),
        sa.UniqueConstraint('uuid', name=op.f('uq_staff_training_uuid')),
    )
    _sync_indexes('staff_training')
    with op.batch_alter_table('staff_training', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_training_staff_id'), ['staff_id'], unique=False)
    op.create_table(
        'incident',
        *_sync_columns(),
        sa.Column('child_id', sa.Integer(), nullable=True),
        sa.Column('child_name', sa.String(length=50), nullable=True),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('occurred_at', sa.DateTime(), nullable=False),
        sa.Column('learned_at', sa.DateTime(), nullable=False),
        sa.Column('reported_at', sa.DateTime(), nullable=True),
        sa.Column('reported_to', sa.String(length=100), nullable=True),
        sa.Column('receiver', sa.String(length=50), nullable=True),
        sa.Column('reported_by', sa.String(length=50), nullable=False),
        sa.Column('place', sa.String(length=200), nullable=True),
        sa.Column('summary', sa.Text(), nullable=False),
        sa.Column('measures', sa.Text(), nullable=True),
        sa.Column('progress', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['child_id'], ['child.id'], name=op.f('fk_incident_child_id_child')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_incident')),
        sa.UniqueConstraint('uuid', name=op.f('uq_incident_uuid')),
    )
    _sync_indexes('incident')
    with op.batch_alter_table('incident', schema=None) as batch_op:
        batch_op.create_index('ix_incident_time', ['learned_at'], unique=False)


def downgrade() -> None:
    for table in ('incident', 'staff_training', 'staff_village', 'staff_member', 'attachment', 'activity_child', 'activity'):
        op.drop_table(table)
