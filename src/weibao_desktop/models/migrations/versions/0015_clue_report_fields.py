"""强制报告 clues: 情形 (the situations of the rules), 报案时间, 接报人 and 回执 (接报单位 is the old reported_to)

Revision ID: 0015
Revises: 0014
"""
import sqlalchemy as sa
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('report_clue', schema=None) as batch_op:
        batch_op.add_column(sa.Column('situations', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('reported_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('report_receiver', sa.String(length=50), nullable=True))
        batch_op.add_column(sa.Column('receipt', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('report_clue', schema=None) as batch_op:
        batch_op.drop_column('receipt')
        batch_op.drop_column('report_receiver')
        batch_op.drop_column('reported_at')
        batch_op.drop_column('situations')
