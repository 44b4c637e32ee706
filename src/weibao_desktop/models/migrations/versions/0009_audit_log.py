"""audit log: a hash-chained, append-only trail; the print log's rows join the chain; "admin" is head

Revision ID: 0009
Revises: 0008
"""
import datetime as dt
import json
from pathlib import PureWindowsPath

import sqlalchemy as sa
from alembic import op

from weibao_desktop.models.audit import GENESIS, HEAD_SETTING, entry_hash, plain_detail

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'audit_log',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.Column('actor', sa.String(length=50), nullable=False),
        sa.Column('role', sa.String(length=20), nullable=False),
        sa.Column('action', sa.String(length=40), nullable=False),
        sa.Column('object', sa.String(length=300), nullable=False),
        sa.Column('detail', sa.JSON(), nullable=False),
        sa.Column('prev_hash', sa.String(length=64), nullable=False),
        sa.Column('hash', sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log')),
        sa.UniqueConstraint('seq', name=op.f('uq_audit_log_seq')),
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index('ix_audit_log_action', ['action', 'at'], unique=False)
    conn = op.get_bind()
    # Stores made before roles were enforced called the station head "admin".
    conn.execute(sa.text("UPDATE app_user SET role = 'head' WHERE role = 'admin'"))
    _chain_print_log(conn)


def _chain_print_log(conn) -> None:
    """Every print and ledger export already logged becomes an entry of the chain, oldest first. The print log
    itself stays: it is the register the 打印记录 page lists (with titles); the chain is the tamper-evident
    record of the same events."""
    rows = conn.execute(sa.text(
        "SELECT printed_at, actor, form, subjects, subject_count, pages, full_id, target FROM print_log "
        "ORDER BY printed_at, id")).fetchall()
    audit = sa.table('audit_log', sa.column('seq', sa.Integer()), sa.column('at', sa.DateTime()),
                     *(sa.column(c, sa.String()) for c in ('actor', 'role', 'action', 'object', 'prev_hash', 'hash')),
                     sa.column('detail', sa.JSON()))
    prev, seq, out = GENESIS, 0, []
    for printed_at, actor, form, subjects, count, pages, full_id, target in rows:
        seq += 1
        at = printed_at if isinstance(printed_at, dt.datetime) else dt.datetime.fromisoformat(str(printed_at))
        subjects = json.loads(subjects) if isinstance(subjects, str) else (subjects or [])
        ledger = str(form).startswith("ledger_")
        action = "ledger_export" if ledger else "print"
        detail = plain_detail({"form": form, "count": int(count or 0), "pages": int(pages or 0),
                               "full_id": bool(full_id), **({} if ledger else {"subjects": list(subjects)[:200]})})
        name = PureWindowsPath(str(target)).name  # a file's name, not its folder; a printer's name as it is
        digest = entry_hash(seq, at, str(actor)[:50], "", action, name[:300], detail, prev)
        out.append({"seq": seq, "at": at, "actor": str(actor)[:50], "role": "", "action": action,
                    "object": name[:300], "detail": detail, "prev_hash": prev, "hash": digest})
        prev = digest
    if out:
        op.bulk_insert(audit, out)
        setting = sa.table('setting', sa.column('key'), sa.column('value', sa.JSON()))
        conn.execute(sa.delete(setting).where(setting.c.key == HEAD_SETTING))
        conn.execute(sa.insert(setting).values(key=HEAD_SETTING, value={"seq": seq, "hash": prev}))


def downgrade() -> None:
    conn = op.get_bind()
    conn.execute(sa.text(f"DELETE FROM setting WHERE key = '{HEAD_SETTING}'"))
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_log_action')
    op.drop_table('audit_log')
