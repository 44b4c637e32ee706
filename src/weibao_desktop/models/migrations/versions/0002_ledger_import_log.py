"""ledger import log

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 17:11:55.050804
"""
import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('import_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('file_name', sa.String(length=260), nullable=False),
    sa.Column('file_hash', sa.String(length=64), nullable=False),
    sa.Column('actor', sa.String(length=50), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('counts', sa.JSON(), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_log'))
    )
    with op.batch_alter_table('import_log', schema=None) as batch_op:
        batch_op.create_index('ix_import_hash', ['file_hash'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('import_log', schema=None) as batch_op:
        batch_op.drop_index('ix_import_hash')

    op.drop_table('import_log')
