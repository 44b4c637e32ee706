"""Opening a store: engine, SQLite pragmas, migrations to head (after a backup), session factory."""
from __future__ import annotations

import datetime as dt
import functools
import logging
import os
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).with_name("migrations")
DB_FILENAME = "weibao.sqlite3"


@dataclass
class Store:
    engine: Engine
    sessions: sessionmaker[Session]
    url: str
    path: Path | None  # the SQLite file, None for a server database
    backup_path: Path | None = None  # the copy written before the last migration, if any

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def size_bytes(self) -> int | None:
        if self.path is None or not self.path.exists():
            return None
        total = self.path.stat().st_size
        wal = self.path.with_name(self.path.name + "-wal")
        return total + (wal.stat().st_size if wal.exists() else 0)

    def dispose(self) -> None:
        self.engine.dispose()


def default_data_dir() -> Path:
    env = os.environ.get("WEIBAO_DATA_DIR")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_data_dir("weibao-desktop", appauthor=False))


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def _on_sqlite_connect(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url)
        event.listen(engine, "connect", _on_sqlite_connect)
        return engine
    return create_engine(url, pool_pre_ping=True)


def alembic_config(engine: Engine):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


@functools.lru_cache(maxsize=1)
def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(None)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


_REVISION_LINE = re.compile(r"^(down_revision|revision)\s*=\s*['\"]?([\w]+|None)['\"]?\s*$", re.M)


def _up_to_date(engine: Engine) -> bool:
    """True when the store is certainly at head, found without importing Alembic (half a second of start-up):
    the single head of the revision files equals the version recorded in the store. Anything unusual
    (no version table, several heads, a file not understood) answers False and Alembic decides."""
    revisions, downs = set(), set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        found = dict(_REVISION_LINE.findall(path.read_text(encoding="utf-8")))
        if "revision" not in found:
            return False
        revisions.add(found["revision"])
        downs.add(found.get("down_revision"))
    heads = revisions - downs
    if len(heads) != 1:
        return False
    try:
        with engine.connect() as conn:
            current = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    except Exception:  # no version table yet: a new store
        return False
    return current == list(heads)


def open_store(data_dir: Path | None = None, db_url: str | None = None, *, migrate: bool = True) -> Store:
    """Open (and create or upgrade) the store. A SQLite file is copied aside before any migration."""
    path: Path | None = None
    if db_url is None:
        directory = Path(data_dir) if data_dir else default_data_dir()
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / DB_FILENAME
        db_url = sqlite_url(path)
    elif db_url.startswith("sqlite:///"):
        path = Path(db_url[len("sqlite:///"):])
    engine = make_engine(db_url)
    store = Store(engine, sessionmaker(engine, expire_on_commit=False), db_url, path)
    if migrate:
        upgrade(store)
    return store


def upgrade(store: Store, revision: str = "head") -> None:
    if revision == "head" and _up_to_date(store.engine):
        return
    from alembic import command

    current = current_revision(store.engine)
    target = head_revision() if revision == "head" else revision
    if current == target:
        return
    if current is not None and store.path is not None and store.path.exists():
        store.backup_path = backup_sqlite(store.path, f"before-{target}")
        log.info("store backed up before migration %s -> %s", current, target)
    command.upgrade(alembic_config(store.engine), revision)


def backup_sqlite(path: Path, label: str) -> Path:
    """A consistent copy next to the file (SQLite's online backup, so WAL content is included)."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.{label}.{stamp}.bak{path.suffix}")
    n = 1
    while target.exists():
        target = path.with_name(f"{path.stem}.{label}.{stamp}-{n}.bak{path.suffix}")
        n += 1
    src = sqlite3.connect(path)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    return target
