"""unique (station, id number) among live child files

Two imports or saves at once could each find no file with a number and both create one. The index
makes the second one fail (a Chinese message, see Store.write). Existing duplicates are found first:
the upgrade then stops with a list for a person to merge, and the store stays as it was.

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

from weibao_desktop.models.duplicates import INDEX, LIVE, DuplicateChildren, find_duplicate_children

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    groups = find_duplicate_children(op.get_bind())
    if groups:
        raise DuplicateChildren(groups)
    op.create_index(INDEX, 'child', ['station_id', 'id_number'], unique=True,
                    sqlite_where=sa.text(LIVE), postgresql_where=sa.text(LIVE))


def downgrade() -> None:
    op.drop_index(INDEX, table_name='child')
