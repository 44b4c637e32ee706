"""Bulk inserts for generated or imported rows: the DBAPI's executemany on SQLite, Core elsewhere."""
from __future__ import annotations

import datetime as dt
import json
import sqlite3

from sqlalchemy import JSON, Table, insert
from sqlalchemy.engine import Connection


def _date(value: dt.date) -> str:
    return value.isoformat()


def _datetime(value: dt.datetime) -> str:
    # The text form SQLAlchemy's SQLite DateTime type writes and reads back.
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


sqlite3.register_adapter(dt.date, _date)
sqlite3.register_adapter(dt.datetime, _datetime)


def bulk_insert(conn: Connection, table: Table, rows: list[dict]) -> None:
    """Insert many rows (dicts with the same keys) in the caller's transaction."""
    if not rows:
        return
    if conn.dialect.name != "sqlite":
        conn.execute(insert(table), rows)
        return
    cols = list(rows[0])
    sql = f'INSERT INTO "{table.name}" ({", ".join(cols)}) VALUES ({", ".join("?" * len(cols))})'
    json_cols = {c.name for c in table.columns if isinstance(c.type, JSON)}
    if json_cols & set(cols):
        rows = [{k: (json.dumps(v, ensure_ascii=False) if k in json_cols and v is not None else v) for k, v in r.items()}
                for r in rows]
    cursor = conn.connection.driver_connection.cursor()
    try:
        cursor.executemany(sql, [tuple(r[c] for c in cols) for r in rows])
    finally:
        cursor.close()


def next_ids(conn: Connection, table: Table, n: int) -> list[int]:
    """n primary keys for rows about to be bulk-inserted with explicit ids."""
    if n <= 0:
        return []
    if conn.dialect.name == "postgresql":
        seq = conn.exec_driver_sql(f"SELECT pg_get_serial_sequence('{table.name}', 'id')").scalar()
        rows = conn.exec_driver_sql(f"SELECT nextval('{seq}') FROM generate_series(1, {int(n)})").fetchall()
        return [r[0] for r in rows]
    start = conn.exec_driver_sql(f'SELECT COALESCE(MAX(id), 0) FROM "{table.name}"').scalar()
    return list(range(start + 1, start + n + 1))


def sync_id_sequences(conn: Connection, tables: list[Table]) -> None:
    """After inserts with explicit ids, move PostgreSQL's id sequences past them (SQLite needs nothing)."""
    if conn.dialect.name != "postgresql":
        return
    for t in tables:
        conn.exec_driver_sql(
            f"SELECT setval(pg_get_serial_sequence('{t.name}', 'id'), COALESCE((SELECT MAX(id) FROM \"{t.name}\"), 1))"
        )
