"""pinyin sort key of child and family-member names

Lists and ledgers show names in pinyin order (丁 万 严 …, surnames read as surnames: 曾 zēng, 单 shàn). The key
is a derived column the write path keeps (domain.name_order.name_key); this fills it for the rows already in
the store, a few thousand at a time, so a county store of 100,000 children is never held in memory at once.

Revision ID: 0012
Revises: 0011
"""
import sqlalchemy as sa
from alembic import op

from weibao_desktop.domain.name_order import name_key

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

BATCH = 5000


def upgrade() -> None:
    for table in ('child', 'person'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('name_key', sa.String(length=255), nullable=True))
        fill(op.get_bind(), table)
    with op.batch_alter_table('child', schema=None) as batch_op:
        batch_op.create_index('ix_child_station_name_key', ['station_id', 'name_key'], unique=False)
        batch_op.create_index('ix_child_name_key', ['name_key'], unique=False)


def fill(conn, table: str) -> None:
    """Every row's key, in batches by id (keyset: each batch starts after the last id of the one before)."""
    rows = sa.table(table, sa.column('id', sa.Integer), sa.column('name', sa.String),
                    sa.column('name_key', sa.String))
    last = 0
    while True:
        batch = conn.execute(sa.select(rows.c.id, rows.c.name).where(rows.c.id > last)
                             .order_by(rows.c.id).limit(BATCH)).all()
        if not batch:
            return
        conn.execute(rows.update().where(rows.c.id == sa.bindparam('row_id')).values(name_key=sa.bindparam('key')),
                     [{'row_id': row_id, 'key': name_key(name)} for row_id, name in batch])
        last = batch[-1][0]


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35+, PostgreSQL): a batch copy of `child` would have to drop a table that
    # every other record refers to.
    op.drop_index('ix_child_name_key', table_name='child')
    op.drop_index('ix_child_station_name_key', table_name='child')
    for table in ('child', 'person'):
        op.execute(f'ALTER TABLE {table} DROP COLUMN name_key')
