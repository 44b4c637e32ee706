"""station keys and paired stations (signed packages)

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'station_key',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('sign_private', sa.String(length=64), nullable=False),
        sa.Column('sign_public', sa.String(length=64), nullable=False),
        sa.Column('dh_private', sa.String(length=64), nullable=False),
        sa.Column('dh_public', sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_station_key')),
    )
    op.create_table(
        'pair_partner',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=12), nullable=False),
        sa.Column('name', sa.String(length=50), nullable=False),
        sa.Column('role', sa.String(length=10), nullable=False),
        sa.Column('state', sa.String(length=10), nullable=False),
        sa.Column('sign_public', sa.String(length=64), nullable=True),
        sa.Column('dh_public', sa.String(length=64), nullable=True),
        sa.Column('invited_at', sa.DateTime(), nullable=True),
        sa.Column('paired_at', sa.DateTime(), nullable=True),
        sa.Column('paired_by', sa.String(length=50), nullable=True),
        sa.Column('rekeyed', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_pair_partner')),
        sa.UniqueConstraint('code', name=op.f('uq_pair_partner_code')),
    )


def downgrade() -> None:
    op.drop_table('pair_partner')
    op.drop_table('station_key')
