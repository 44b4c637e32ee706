"""exchange packages: sync peers, packages out, sent records, merge bases, conflicts; change counter on records

Revision ID: 0004
Revises: 0002
Create Date: 2026-11-23 17:28:04.110344
"""
import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sync_peer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=12), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('role', sa.String(length=10), nullable=False),
    sa.Column('station_id', sa.Integer(), nullable=True),
    sa.Column('next_seq_out', sa.Integer(), nullable=False),
    sa.Column('acked_out', sa.Integer(), nullable=False),
    sa.Column('last_seq_in', sa.Integer(), nullable=False),
    sa.Column('last_in_at', sa.DateTime(), nullable=True),
    sa.Column('last_out_at', sa.DateTime(), nullable=True),
    sa.Column('resend', sa.JSON(), nullable=False),
    sa.Column('ask_again', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['station_id'], ['station.id'], name=op.f('fk_sync_peer_station_id_station')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_peer')),
    sa.UniqueConstraint('code', name=op.f('uq_sync_peer_code'))
    )
    op.create_table('sync_base',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('peer_id', sa.Integer(), nullable=False),
    sa.Column('entity', sa.String(length=30), nullable=False),
    sa.Column('record_uuid', sa.String(length=36), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('batch', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['peer_id'], ['sync_peer.id'], name=op.f('fk_sync_base_peer_id_sync_peer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_base'))
    )
    with op.batch_alter_table('sync_base', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sync_base_batch'), ['batch'], unique=False)
        batch_op.create_index('ix_sync_base_record', ['peer_id', 'record_uuid', 'id'], unique=False)

    op.create_table('sync_conflict',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('peer_id', sa.Integer(), nullable=False),
    sa.Column('entity', sa.String(length=30), nullable=False),
    sa.Column('record_uuid', sa.String(length=36), nullable=False),
    sa.Column('field', sa.String(length=50), nullable=False),
    sa.Column('base_value', sa.Text(), nullable=True),
    sa.Column('mine_value', sa.Text(), nullable=True),
    sa.Column('theirs_value', sa.Text(), nullable=True),
    sa.Column('from_seq', sa.Integer(), nullable=False),
    sa.Column('theirs_by', sa.String(length=50), nullable=True),
    sa.Column('theirs_at', sa.DateTime(), nullable=True),
    sa.Column('batch', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.Column('resolved_by', sa.String(length=50), nullable=True),
    sa.Column('resolution', sa.String(length=10), nullable=True),
    sa.ForeignKeyConstraint(['peer_id'], ['sync_peer.id'], name=op.f('fk_sync_conflict_peer_id_sync_peer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_conflict'))
    )
    with op.batch_alter_table('sync_conflict', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sync_conflict_batch'), ['batch'], unique=False)
        batch_op.create_index('ix_sync_conflict_open', ['resolved_at', 'peer_id'], unique=False)

    op.create_table('sync_out',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('peer_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('change_seq', sa.Integer(), nullable=False, server_default='0'),
    sa.Column('base_mark', sa.Integer(), nullable=False),
    sa.Column('ack_sent', sa.Integer(), nullable=False),
    sa.Column('full', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['peer_id'], ['sync_peer.id'], name=op.f('fk_sync_out_peer_id_sync_peer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_out')),
    sa.UniqueConstraint('peer_id', 'seq', name=op.f('uq_sync_out_peer_id_seq'))
    )
    op.create_table('sync_sent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('peer_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('entity', sa.String(length=30), nullable=False),
    sa.Column('record_uuid', sa.String(length=36), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['peer_id'], ['sync_peer.id'], name=op.f('fk_sync_sent_peer_id_sync_peer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_sent'))
    )
    with op.batch_alter_table('sync_sent', schema=None) as batch_op:
        batch_op.create_index('ix_sync_sent_peer_seq', ['peer_id', 'seq'], unique=False)

    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('change_seq', sa.Integer(), nullable=False, server_default='0'))
        batch_op.create_index(batch_op.f('ix_assessment_change_seq'), ['change_seq'], unique=False)

    with op.batch_alter_table('category_membership', schema=None) as batch_op:
        batch_op.add_column(sa.Column('change_seq', sa.Integer(), nullable=False, server_default='0'))
        batch_op.create_index(batch_op.f('ix_category_membership_change_seq'), ['change_seq'], unique=False)

    with op.batch_alter_table('change_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('batch', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_change_log_batch'), ['batch'], unique=False)

    with op.batch_alter_table('child', schema=None) as batch_op:
        batch_op.add_column(sa.Column('change_seq', sa.Integer(), nullable=False, server_default='0'))
        batch_op.create_index(batch_op.f('ix_child_change_seq'), ['change_seq'], unique=False)

    with op.batch_alter_table('help_measure', schema=None) as batch_op:
        batch_op.add_column(sa.Column('change_seq', sa.Integer(), nullable=False, server_default='0'))
        batch_op.create_index(batch_op.f('ix_help_measure_change_seq'), ['change_seq'], unique=False)

    with op.batch_alter_table('hotline_call', schema=None) as batch_op:
        batch_op.add_column(sa.Column('change_seq', sa.Integer(), nullable=False, server_default='0'))
        batch_op.create_index(batch_op.f('ix_hotline_call_change_seq'), ['change_seq'], unique=False)

    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.add_column(sa.Column('change_seq', sa.Integer(), nullable=False, server_default='0'))
        batch_op.create_index(batch_op.f('ix_person_change_seq'), ['change_seq'], unique=False)

    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.add_column(sa.Column('change_seq', sa.Integer(), nullable=False, server_default='0'))
        batch_op.create_index(batch_op.f('ix_referral_change_seq'), ['change_seq'], unique=False)

    with op.batch_alter_table('relief', schema=None) as batch_op:
        batch_op.add_column(sa.Column('change_seq', sa.Integer(), nullable=False, server_default='0'))
        batch_op.create_index(batch_op.f('ix_relief_change_seq'), ['change_seq'], unique=False)

    with op.batch_alter_table('report_clue', schema=None) as batch_op:
        batch_op.add_column(sa.Column('change_seq', sa.Integer(), nullable=False, server_default='0'))
        batch_op.create_index(batch_op.f('ix_report_clue_change_seq'), ['change_seq'], unique=False)

    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.add_column(sa.Column('change_seq', sa.Integer(), nullable=False, server_default='0'))
        batch_op.create_index(batch_op.f('ix_visit_change_seq'), ['change_seq'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_visit_change_seq'))
        batch_op.drop_column('change_seq')

    with op.batch_alter_table('report_clue', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_clue_change_seq'))
        batch_op.drop_column('change_seq')

    with op.batch_alter_table('relief', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_relief_change_seq'))
        batch_op.drop_column('change_seq')

    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_referral_change_seq'))
        batch_op.drop_column('change_seq')

    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_change_seq'))
        batch_op.drop_column('change_seq')

    with op.batch_alter_table('hotline_call', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hotline_call_change_seq'))
        batch_op.drop_column('change_seq')

    with op.batch_alter_table('help_measure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_help_measure_change_seq'))
        batch_op.drop_column('change_seq')

    with op.batch_alter_table('child', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_child_change_seq'))
        batch_op.drop_column('change_seq')

    with op.batch_alter_table('change_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_change_log_batch'))
        batch_op.drop_column('batch')

    with op.batch_alter_table('category_membership', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_category_membership_change_seq'))
        batch_op.drop_column('change_seq')

    with op.batch_alter_table('assessment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessment_change_seq'))
        batch_op.drop_column('change_seq')

    with op.batch_alter_table('sync_sent', schema=None) as batch_op:
        batch_op.drop_index('ix_sync_sent_peer_seq')

    op.drop_table('sync_sent')
    op.drop_table('sync_out')
    with op.batch_alter_table('sync_conflict', schema=None) as batch_op:
        batch_op.drop_index('ix_sync_conflict_open')
        batch_op.drop_index(batch_op.f('ix_sync_conflict_batch'))

    op.drop_table('sync_conflict')
    with op.batch_alter_table('sync_base', schema=None) as batch_op:
        batch_op.drop_index('ix_sync_base_record')
        batch_op.drop_index(batch_op.f('ix_sync_base_batch'))

    op.drop_table('sync_base')
    op.drop_table('sync_peer')
