"""unique (station, id number) among live child files

Two imports or saves at once could each find no file with a number and both create one. The index
makes the second one fail (a Chinese message, see Store.write). Existing duplicates are found first:
the index is then left out (later migrations still run) and listed for a person to merge at every start;
models.duplicates.settle_unique_index builds it once they are merged.

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

from weibao_desktop.models.duplicates import INDEX, LIVE, find_duplicate_children

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if find_duplicate_children(op.get_bind()):
        return  # built by settle_unique_index when a person has merged them
    op.create_index(INDEX, 'child', ['station_id', 'id_number'], unique=True,
                    sqlite_where=sa.text(LIVE), postgresql_where=sa.text(LIVE))


def downgrade() -> None:
    op.drop_index(INDEX, table_name='child')
