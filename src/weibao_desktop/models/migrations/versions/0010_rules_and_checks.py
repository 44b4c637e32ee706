"""rules and checks: a child's placement (安置情况), check resolutions (资格核查), renamed category codes,
red's clock the follow-up of the intervention (every 7 days by default)

Revision ID: 0010
Revises: 0009
"""
import datetime as dt
import json

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

# The plans' words (生存困难 / 成长障碍) replace 生活困境 / 成长困境; the codes say so too.
RENAMED = {'plight_life': 'plight_survival', 'plight_growth': 'plight_development'}
OLD_RED_DAYS = 1
RED_FOLLOW_UP_DAYS = 7


def upgrade() -> None:
    # Plain ADD COLUMN: a batch copy of `child` would drop a table that every record refers to.
    op.add_column('child', sa.Column('placement', sa.String(length=20), nullable=True))
    op.add_column('child', sa.Column('placed_on', sa.Date(), nullable=True))
    op.add_column('child', sa.Column('placement_place', sa.String(length=100), nullable=True))
    op.create_table(
        'check_resolution',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('station_id', sa.Integer(), nullable=False),
        sa.Column('child_uuid', sa.String(length=36), nullable=False),
        sa.Column('check_code', sa.String(length=40), nullable=False),
        sa.Column('fingerprint', sa.String(length=64), nullable=False),
        sa.Column('decision', sa.String(length=10), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('month', sa.String(length=7), nullable=False),
        sa.Column('resolved_by', sa.String(length=50), nullable=False),
        sa.Column('resolved_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['station_id'], ['station.id'], name=op.f('fk_check_resolution_station_id_station')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_check_resolution')),
    )
    with op.batch_alter_table('check_resolution', schema=None) as batch_op:
        batch_op.create_index('ix_check_resolution_child', ['station_id', 'child_uuid', 'check_code', 'id'],
                              unique=False)
    conn = op.get_bind()
    for old, new in RENAMED.items():
        conn.execute(sa.text("UPDATE category_membership SET category = :new WHERE category = :old"),
                     {"old": old, "new": new})
        for column in ('old_value', 'new_value'):
            conn.execute(sa.text(f"UPDATE change_log SET {column} = :new WHERE entity = 'category_membership' "
                                 f"AND field = 'category' AND {column} = :old"), {"old": old, "new": new})
    _rename_in_content(conn, 'sync_base')
    _rename_in_content(conn, 'sync_sent')
    _red_follow_up(conn)


def _rename_in_content(conn, table: str) -> None:
    """Merge bases and sent content hold the codes as they were: renamed too, so no false conflict follows."""
    rows = conn.execute(sa.text(f"SELECT id, content FROM {table} WHERE entity = 'category_membership'")).fetchall()
    for row_id, content in rows:
        data = json.loads(content) if isinstance(content, str) else dict(content or {})
        if data.get('category') in RENAMED:
            data['category'] = RENAMED[data['category']]
            conn.execute(sa.text(f"UPDATE {table} SET content = :content WHERE id = :id"),
                         {"content": json.dumps(data, ensure_ascii=False), "id": row_id})


def _red_follow_up(conn) -> None:
    """Red was a visit every day; it is now the follow-up of the intervention, every 7 days. Stations on the
    old default move to the new one, and their open red files get a due date by it (the program refines it
    with the visits that count at the next visit or colour change)."""
    for station_id, settings in conn.execute(sa.text("SELECT id, settings FROM station")).fetchall():
        data = json.loads(settings) if isinstance(settings, str) else dict(settings or {})
        cadence = dict(data.get('cadence') or {})
        if cadence.get('red', OLD_RED_DAYS) != OLD_RED_DAYS:
            continue
        cadence['red'] = min(RED_FOLLOW_UP_DAYS, cadence.get('orange', RED_FOLLOW_UP_DAYS))
        data['cadence'] = cadence
        conn.execute(sa.text("UPDATE station SET settings = :s WHERE id = :id"),
                     {"s": json.dumps(data, ensure_ascii=False), "id": station_id})
        rows = conn.execute(sa.text(
            "SELECT id, last_visit_on, opened_on FROM child WHERE station_id = :id AND risk_colour = 'red' "
            "AND status = 'active' AND deleted_at IS NULL"), {"id": station_id}).fetchall()
        for child_id, last, opened in rows:
            anchor = _day(last) or _day(opened)
            if anchor is not None:
                conn.execute(sa.text("UPDATE child SET next_visit_due = :due WHERE id = :id"),
                             {"due": anchor + dt.timedelta(days=cadence['red']), "id": child_id})


def _day(value):
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def downgrade() -> None:
    conn = op.get_bind()
    for old, new in RENAMED.items():
        conn.execute(sa.text("UPDATE category_membership SET category = :old WHERE category = :new"),
                     {"old": old, "new": new})
    with op.batch_alter_table('check_resolution', schema=None) as batch_op:
        batch_op.drop_index('ix_check_resolution_child')
    op.drop_table('check_resolution')
    for column in ('placement_place', 'placed_on', 'placement'):
        op.drop_column('child', column)  # plain DROP COLUMN (SQLite 3.35+), not a copy of the table
