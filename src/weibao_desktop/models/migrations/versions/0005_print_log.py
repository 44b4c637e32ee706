"""print log: who printed or saved which form, when, with full id numbers or not

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'print_log',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('printed_at', sa.DateTime(), nullable=False),
        sa.Column('actor', sa.String(length=50), nullable=False),
        sa.Column('form', sa.String(length=30), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('subjects', sa.JSON(), nullable=False),
        sa.Column('subject_count', sa.Integer(), nullable=False),
        sa.Column('pages', sa.Integer(), nullable=False),
        sa.Column('full_id', sa.Boolean(), nullable=False),
        sa.Column('target', sa.String(length=300), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_print_log')),
    )
    with op.batch_alter_table('print_log', schema=None) as batch_op:
        batch_op.create_index('ix_print_log_time', ['printed_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('print_log', schema=None) as batch_op:
        batch_op.drop_index('ix_print_log_time')
    op.drop_table('print_log')
