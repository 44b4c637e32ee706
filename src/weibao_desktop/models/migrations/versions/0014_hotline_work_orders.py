"""hotline calls from 12345: the channel, the work order's number and its deadline (办理时限)

Revision ID: 0014
Revises: 0013
"""
import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('hotline_call', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('order_no', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('due_at', sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('hotline_call', schema=None) as batch_op:
        batch_op.drop_column('due_at')
        batch_op.drop_column('order_no')
        batch_op.drop_column('source')
