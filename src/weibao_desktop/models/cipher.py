"""SQLCipher connections: the driver module, the raw store key, and turning a plain SQLite file into an
encrypted one.

The key is given raw (`PRAGMA key = "x'…'"`), so SQLCipher derives nothing on open; its page HMAC makes a wrong
key or a damaged page an error rather than garbage. SQLCipher encrypts the -wal pages too. sqlcipher3 wheels
exist for manylinux_2_28 x86_64 and win_amd64 (sqlcipher3-wheels for aarch64); see pyproject.toml.
"""
from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from sqlcipher3 import dbapi2 as driver

HEADER = b"SQLite format 3\x00"
DatabaseError = driver.DatabaseError
IntegrityError = driver.IntegrityError
CACHE_KIB = 131072  # every store connection's page cache (models/store._sqlite_connect says why)
Error = driver.Error


def key_pragma(key: bytes) -> str:
    if len(key) != 32:
        raise ValueError("store key must be 32 bytes")
    return f"PRAGMA key = \"x'{key.hex()}'\""


def apply_key(dbapi_conn, key: bytes) -> None:
    """The first statements on a new connection: no SQLCipher chatter on stderr, then the key."""
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA cipher_log_level = NONE")
    cur.execute(key_pragma(key))
    # Each page read from the OS cache is decrypted and its HMAC checked again: a larger page cache of decrypted
    # pages (allocated only as used) keeps list and dashboard queries near plain SQLite's speed.
    cur.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    cur.close()


def connect(path: Path, key: bytes, *, readonly: bool = False, timeout: float = 30):
    """A sqlcipher3 connection to an encrypted file (for backups, checks and tests that read the file raw)."""
    target = f"{Path(path).resolve().as_uri()}?mode=ro" if readonly else str(path)
    con = driver.connect(target, uri=readonly, timeout=timeout)
    apply_key(con, key)
    return con


@contextlib.contextmanager
def opened(path: Path, key: bytes, *, readonly: bool = False) -> Iterator:
    con = connect(path, key, readonly=readonly)
    try:
        yield con
    finally:
        con.close()


def is_plain(path: Path) -> bool:
    """A plain (unencrypted) SQLite file: its first bytes are SQLite's header, which SQLCipher replaces by salt."""
    try:
        with open(path, "rb") as f:
            return f.read(16) == HEADER
    except OSError:
        return False


def table_counts(con) -> dict[str, int]:
    tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                        "AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}


def encrypt_copy(plain: Path, target: Path, key: bytes) -> dict[str, int]:
    """An encrypted copy of a plain SQLite file (sqlcipher_export), checked table by table against the
    original; returns the counts. The target must not exist."""
    source = driver.connect(str(plain), timeout=60)
    try:
        source.execute("PRAGMA cipher_log_level = NONE")
        source.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        counts = table_counts(source)
        source.execute(f"ATTACH DATABASE ? AS encrypted KEY \"x'{key.hex()}'\"", (str(target),))
        source.execute("SELECT sqlcipher_export('encrypted')")
        version = source.execute("PRAGMA user_version").fetchone()[0]
        source.execute(f"PRAGMA encrypted.user_version = {int(version)}")
        source.execute("DETACH DATABASE encrypted")
    finally:
        source.close()
    with opened(target, key) as con:
        if con.execute("PRAGMA integrity_check").fetchone()[0] != "ok" or table_counts(con) != counts:
            raise DatabaseError("encrypted copy differs from the original")
        con.execute("PRAGMA journal_mode=DELETE")
    return counts


def rekey(path: Path, old: bytes, new: bytes) -> None:
    """Re-encrypt every page of the store under a new key (PRAGMA rekey needs the rollback journal)."""
    with opened(path, old) as con:
        con.isolation_level = None
        mode = con.execute("PRAGMA journal_mode").fetchone()[0]
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.execute("PRAGMA journal_mode=DELETE")
        con.execute(f"PRAGMA rekey = \"x'{new.hex()}'\"")
    with opened(path, new) as con:
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()
        con.execute(f"PRAGMA journal_mode={mode}")


def remove_with_side_files(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            os.remove(f"{path}{suffix}")
