"""Bulk inserts for generated or imported rows: the DBAPI's executemany on SQLite, Core elsewhere."""
from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import JSON, Table, insert
from sqlalchemy.engine import Connection

from . import cipher


def _date(value: dt.date) -> str:
    return value.isoformat()


def _datetime(value: dt.datetime) -> str:
    # The text form SQLAlchemy's SQLite DateTime type writes and reads back.
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


for _driver in (sqlite3, cipher.driver):  # plain files (tests' raw reads) and the encrypted store
    _driver.register_adapter(dt.date, _date)
    _driver.register_adapter(dt.datetime, _datetime)


def table_of(model: Any) -> Table:
    """A mapped class's table (declared as a FromClause by SQLAlchemy's typing; always a Table here)."""
    table = model.__table__
    if not isinstance(table, Table):
        raise TypeError(f"{model!r} is not mapped to a table")
    return table


def _cursor(conn: Connection) -> Any:
    """The DBAPI cursor of the connection (sqlite3's executemany, without SQLAlchemy's per-row work)."""
    driver = conn.connection.driver_connection
    if driver is None:
        raise RuntimeError("the connection is closed")
    return driver.cursor()


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
    cursor = _cursor(conn)
    try:
        cursor.executemany(sql, [tuple(r[c] for c in cols) for r in rows])
    finally:
        cursor.close()


def insert_rows(conn: Connection, table: Table, columns: Sequence[str], rows: Iterable[tuple],
                constants: dict | None = None) -> None:
    """Insert many rows given as tuples in `columns` order, plus `constants`: the same in every row.

    On SQLite a constant is written once into the statement (as SQLite itself quotes it) instead of
    being bound again for each row; elsewhere it is one more value of each row."""
    constants = dict(constants or {})
    json_cols = {c.name for c in table.columns if isinstance(c.type, JSON)}
    for k in json_cols & set(constants):
        if constants[k] is not None:
            constants[k] = json.dumps(constants[k], ensure_ascii=False)
    if json_cols & set(columns):
        pos = [i for i, c in enumerate(columns) if c in json_cols]
        rows = (tuple(json.dumps(v, ensure_ascii=False) if i in pos and v is not None else v for i, v in enumerate(r))
                for r in rows)
    if conn.dialect.name != "sqlite":
        dicts = [{**dict(zip(columns, r, strict=False)), **constants} for r in rows]
        if dicts:
            conn.execute(insert(table), dicts)
        return
    # quote() would round a float and cut text at a NUL: such constants are bound with each row.
    bound = {k: v for k, v in constants.items() if isinstance(v, float) or (isinstance(v, str) and "\x00" in v)}
    if bound:
        columns = [*columns, *bound]
        extra = tuple(bound.values())
        rows = (tuple(r) + extra for r in rows)
        constants = {k: v for k, v in constants.items() if k not in bound}
    cursor = _cursor(conn)
    try:
        literals = [cursor.execute("SELECT quote(?)", (v,)).fetchone()[0] for v in constants.values()]
        names = [*columns, *constants]
        values = ", ".join(["?"] * len(columns) + literals)
        cursor.executemany(f'INSERT INTO "{table.name}" ({", ".join(names)}) VALUES ({values})', rows)
    finally:
        cursor.close()


_VARIANT = {c: "89ab"[int(c, 16) & 3] for c in "0123456789abcdef"}


def new_uuids(n: int) -> list[str]:
    """n random (version 4) UUIDs as text, as `entities.new_uuid` makes them, for rows made in bulk."""
    h = os.urandom(16 * n).hex()
    v = _VARIANT
    return [f"{h[i:i + 8]}-{h[i + 8:i + 12]}-4{h[i + 13:i + 16]}-{v[h[i + 16]]}{h[i + 17:i + 20]}-{h[i + 20:i + 32]}"
            for i in range(0, 32 * n, 32)]


def next_ids(conn: Connection, table: Table, n: int) -> list[int]:
    """n primary keys for rows about to be bulk-inserted with explicit ids."""
    if n <= 0:
        return []
    if conn.dialect.name == "postgresql":
        seq = conn.exec_driver_sql(f"SELECT pg_get_serial_sequence('{table.name}', 'id')").scalar()
        rows = conn.exec_driver_sql(f"SELECT nextval('{seq}') FROM generate_series(1, {int(n)})").fetchall()
        return [r[0] for r in rows]
    start = conn.exec_driver_sql(f'SELECT COALESCE(MAX(id), 0) FROM "{table.name}"').scalar() or 0
    return list(range(start + 1, start + n + 1))


def sync_id_sequences(conn: Connection, tables: list[Table]) -> None:
    """After inserts with explicit ids, move PostgreSQL's id sequences past them (SQLite needs nothing)."""
    if conn.dialect.name != "postgresql":
        return
    for t in tables:
        conn.exec_driver_sql(
            f"SELECT setval(pg_get_serial_sequence('{t.name}', 'id'), COALESCE((SELECT MAX(id) FROM \"{t.name}\"), 1))"
        )
