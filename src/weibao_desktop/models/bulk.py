"""Bulk inserts for generated or imported rows: the DBAPI's executemany on SQLite, Core elsewhere."""
from __future__ import annotations

import datetime as dt
import sqlite3

from sqlalchemy import Table, insert
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
    cursor = conn.connection.driver_connection.cursor()
    try:
        cursor.executemany(sql, [tuple(r[c] for c in cols) for r in rows])
    finally:
        cursor.close()
