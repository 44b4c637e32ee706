"""Opening a store: engine, SQLite pragmas, migrations to head (after a backup), session factory,
and the one way to open a write transaction.

Writes serialise: a write transaction takes the store's write lock before it reads anything
(`BEGIN IMMEDIATE` on SQLite, a transaction-scoped advisory lock on PostgreSQL), so what it read to
plan its changes cannot be changed by another writer before it commits. Reads begin deferred and never
wait for a writer (WAL). A writer waits up to WRITE_WAIT_SECONDS for another one to finish.
"""
from __future__ import annotations

import contextlib
import functools
import logging
import os
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, exc, select, text
from sqlalchemy.engine import URL, Engine
from sqlalchemy.orm import Session, sessionmaker

from ..domain.errors import WeibaoError
from ..vault import keyfile
from ..vault.login import Credentials
from . import backups, cipher, encryption
from .netfs import NETWORK_WARNING, network_filesystem
from .private_tmp import PrivateTemp

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).with_name("migrations")
DB_FILENAME = "weibao.sqlite3"
WRITE_WAIT_SECONDS = 120  # an import of a county's ledger takes tens of seconds; a second writer waits for it
_WRITE = "weibao_write"  # the execution option that makes the SQLite "begin" take the write lock
_PG_WRITE_LOCK = 0x77656962  # one advisory lock key for the whole store: writers take turns
MIGRATION_KEEP = 5  # backups taken before schema upgrades that are kept
BUSY_MESSAGE = (f"另一个程序或窗口正在写入数据库，等待{WRITE_WAIT_SECONDS}秒后仍未结束。"
                "请等它完成（如正在导入台账或数据包）后再试；数据没有被修改。")


@dataclass
class Store:
    engine: Engine
    sessions: sessionmaker[Session]
    url: str
    path: Path | None  # the SQLite file, None for a server database
    backup_path: Path | None = None  # the copy written before the last migration, if any
    warnings: list[str] = field(default_factory=list)  # for the person at start: network folder, duplicates
    temp: PrivateTemp | None = None  # where exports and previews write before a file reaches its final name
    cipher_key: KeyHolder | None = None  # the SQLCipher store key (SQLite); None for a server database
    recovery_key: str | None = None  # shown once: this open created the store or converted a plain one
    login_warnings: list[str] = field(default_factory=list)  # a lockout record that was tampered with, a conversion
    login_failures: list[tuple[str, str]] = field(default_factory=list)  # wrong passwords before this login

    @contextlib.contextmanager
    def write(self) -> Iterator[Session]:
        """A session in a write transaction holding the store's write lock; commits at the end, rolls back
        on any error. A lock not obtained in time, or a row refused by a unique index, is a WeibaoError."""
        with self.sessions() as session:
            try:
                with session.begin():
                    session.connection(execution_options={_WRITE: True})
                    if self.engine.dialect.name == "postgresql":
                        session.execute(text(f"SET LOCAL lock_timeout = '{WRITE_WAIT_SECONDS}s'"))
                        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_WRITE_LOCK})
                    yield session
            except exc.OperationalError as e:
                if _is_busy(e):
                    raise WeibaoError(BUSY_MESSAGE, "busy") from None
                raise
            except (exc.IntegrityError, sqlite3.IntegrityError, cipher.IntegrityError) as e:  # bulk path: the driver
                message = _unique_message(e)
                if message is None:
                    raise
                raise WeibaoError(message, "id_number") from None

    def private_temp(self) -> PrivateTemp:
        """Where files with personal data are written before they reach their final name: never beside the
        target, never the system temp folder."""
        if self.temp is None:
            self.temp = PrivateTemp(self.path.parent if self.path is not None else default_data_dir())
        return self.temp

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

    @property
    def key(self) -> bytes | None:
        return None if self.cipher_key is None else self.cipher_key.key

    def rekey(self, new_key: bytes) -> None:
        """Re-encrypt the whole store under a new key (every connection of this process is closed first; other
        programs must not have it open). The caller rewrites the key slots."""
        if self.cipher_key is None or self.path is None:
            raise ValueError("only an encrypted SQLite store has a key")
        self.engine.dispose()
        cipher.rekey(self.path, self.cipher_key.key, new_key)
        self.cipher_key.key = new_key
        self.engine.dispose()


@dataclass
class KeyHolder:
    """The store key the engine's connections use; changed in place by a rekey."""

    key: bytes


def default_data_dir() -> Path:
    env = os.environ.get("WEIBAO_DATA_DIR")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_data_dir("weibao-desktop", appauthor=False))


def sqlite_url(path: Path) -> str:
    """The URL of a SQLite file; built, not formatted, so a % or a space in the folder name survives."""
    return URL.create("sqlite", database=str(path)).render_as_string(hide_password=False)


def _sqlite_connect(journal: str, key: KeyHolder | None = None):
    def on_connect(dbapi_conn, _record) -> None:
        if key is not None:  # SQLCipher: the key before anything reads the file
            cipher.apply_key(dbapi_conn, key.key)
        # The driver's own transaction handling is off: SQLAlchemy's "begin" below says BEGIN itself,
        # so DDL is transactional and a write transaction can take the lock first.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout={WRITE_WAIT_SECONDS * 1000}")
        cur.execute(f"PRAGMA journal_mode={journal}")
        cur.execute("PRAGMA foreign_keys=ON")
        # A page cache of up to 128 MiB per connection (taken only as pages are read: a township store of a few
        # MB never reaches it), and sorts and temporary tables in memory. SQLCipher decrypts and checks a page
        # each time it comes from the file and encrypts temporary files too; with the default 2 MiB cache a
        # search over a 100,000-child county store decrypted the tables again at every keystroke (2-3x the plain
        # store; with this cache, 1.0x: bench/encryption.py).
        cur.execute(f"PRAGMA cache_size=-{cipher.CACHE_KIB}")
        cur.execute("PRAGMA temp_store=MEMORY")
        cur.execute("PRAGMA synchronous=NORMAL" if journal == "WAL" else "PRAGMA synchronous=FULL")
        cur.close()

    return on_connect


def write_options() -> dict:
    """Execution options for a Connection whose transaction must hold the write lock (migrations)."""
    return {_WRITE: True}


def _sqlite_begin(conn) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(_WRITE) else "BEGIN")


def make_engine(url: str, *, journal: str = "WAL", key: KeyHolder | None = None) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, module=cipher.driver) if key is not None else create_engine(url)
        event.listen(engine, "connect", _sqlite_connect(journal, key))
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _is_busy(e: exc.OperationalError) -> bool:
    text_ = str(e.orig).lower()
    return "database is locked" in text_ or "lock timeout" in text_ or "locknotavailable" in type(e.orig).__name__.lower()


def _unique_message(e: exc.IntegrityError | sqlite3.IntegrityError) -> str | None:
    text_ = str(e.orig if isinstance(e, exc.IntegrityError) else e)
    if "uq_child_station_id_number" in text_ or "child.station_id, child.id_number" in text_:
        return ("这个身份证号在本工作站已有在册档案（可能是另一个窗口或程序刚刚建档或导入），没有重复建档。"
                "请刷新后打开已有档案；数据没有被修改。")
    if "uuid" in text_ and ("UNIQUE" in text_ or "unique" in text_):
        return "这份记录已经存在（可能刚被另一个窗口或程序导入），没有重复写入；数据没有被修改。请刷新后查看。"
    return None


def alembic_config(engine: Engine | None):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


@functools.lru_cache(maxsize=1)
def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config(None)).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


_REVISION_LINE = re.compile(r"^(down_revision|revision)\s*=\s*['\"]?([\w]+|None)['\"]?\s*$", re.M)


@functools.lru_cache(maxsize=1)
def _revision_files() -> tuple[frozenset[str], frozenset[str]] | None:
    """(revisions, their down revisions) as the files say, read without importing Alembic; None when a file
    is not understood."""
    revisions: set[str] = set()
    downs: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        found = dict(_REVISION_LINE.findall(path.read_text(encoding="utf-8")))
        if "revision" not in found:
            return None
        revisions.add(found["revision"])
        downs.add(found.get("down_revision", "None"))  # the text "None" for the first one
    if not revisions:  # a broken installation: Alembic decides (and says so), no store is called newer
        return None
    return frozenset(revisions), frozenset(downs)


def _up_to_date(engine: Engine) -> bool:
    """True when the store is certainly at head, found without importing Alembic (half a second of start-up):
    the single head of the revision files equals the version recorded in the store. Anything unusual
    (no version table, several heads, a file not understood) answers False and Alembic decides."""
    files = _revision_files()
    if files is None:
        return False
    heads = files[0] - files[1]
    if len(heads) != 1:
        return False
    try:
        with engine.connect() as conn:
            current = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    except Exception:  # no version table yet: a new store
        return False
    return current == list(heads)


def open_store(data_dir: Path | None = None, db_url: str | None = None, *, migrate: bool = True,
               credentials: Credentials | None = None, clock: Any = None, plain: bool = False) -> Store:
    """Open (and create or upgrade) the store. A SQLite file is copied aside before any migration.

    A SQLite store is encrypted (SQLCipher); its key comes from the key slots beside it, unlocked by
    `credentials` (checked, counted by the lockout), else by a key this process has already unlocked, else by
    WEIBAO_USER / WEIBAO_PASSWORD; a new store or a plain one from an older version takes these credentials as
    its first admin (store.recovery_key is then set, to be shown once). See models.encryption.

    `plain=True` (the benchmarks only, bench/encryption.py) opens or makes a store without encryption, to
    measure what encryption costs.

    A SQLite file that cannot be read is moved aside and backups.DamagedStore raised, naming the newest
    good backup; on a network folder the rollback journal replaces WAL (see store.warnings)."""
    path = store_file(data_dir, db_url)
    if path is not None:
        make_private_folder(path.parent)
        db_url = db_url or sqlite_url(path)
    assert db_url is not None
    warnings = []
    journal = "WAL"
    holder = None
    prepared = None
    if path is not None:
        leftovers = backups.damaged_leftovers(path)
        if leftovers and not path.exists():
            encryption.learn_keys([leftovers[-1], *(b.path for b in backups.list_backups(path.parent, path.stem,
                                                                                           verify=False))], credentials)
            raise backups.damaged_error(path, "数据库文件曾损坏，已被移开，还没有恢复备份", leftovers[-1])
        if not plain:
            prepared = encryption.prepare(path, credentials, clock)
            holder = KeyHolder(prepared.key)
        check_sqlite_file(path)
        for side in (path, *(path.with_name(path.name + s) for s in ("-wal", "-shm", ".keys"))):
            if side.exists():
                keyfile.restrict(side)
        kind = network_filesystem(path.parent)
        if kind:
            journal = "DELETE"
            warnings.append(NETWORK_WARNING.format(folder=path.parent, kind=kind))
            log.warning("data folder on a network filesystem (%s): rollback journal", kind)
    engine = make_engine(db_url, journal=journal, key=holder)
    # Temporary files with personal data stay in the data folder (a server store: the user's own data folder).
    temp = PrivateTemp(path.parent if path is not None else (Path(data_dir) if data_dir else default_data_dir()))
    temp.sweep()  # what a crashed run left; openpyxl is routed there when a workbook is written (xlsx_style)
    store = Store(engine, sessionmaker(engine, expire_on_commit=False), db_url, path, warnings=warnings, temp=temp,
                  cipher_key=holder)
    if prepared is not None:
        store.recovery_key = prepared.recovery_key
        store.login_warnings = prepared.warnings
        store.login_failures = prepared.failures
    if migrate:
        upgrade(store)
        if prepared is not None and prepared.first_user:
            _add_first_user(store, prepared.first_user)
    return store


def make_private_folder(folder: Path) -> None:
    """The data folder: created 0700 on Linux and narrowed to it if it was wider (Windows: the per-user
    folder's ACL)."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    keyfile.restrict(folder, folder=True)


def _add_first_user(store: Store, name: str) -> None:
    """The account whose slot a new store was made with: an admin, adopted by the station at init."""
    from .entities import User

    with store.write() as session:
        if session.scalar(select(User).where(User.name == name)) is None:
            session.add(User(station_id=None, name=name, role="head", active=True))


def store_file(data_dir: Path | None = None, db_url: str | None = None) -> Path | None:
    """The SQLite file open_store would use (without opening it), None for a server database."""
    if db_url is None:
        return (Path(data_dir) if data_dir else default_data_dir()) / DB_FILENAME
    if db_url.startswith("sqlite:///"):
        return Path(db_url[len("sqlite:///"):])
    return None


def check_sqlite_file(path: Path) -> None:
    """Raise backups.DamagedStore (after moving the file aside) when the store cannot be read with its key."""
    problem = backups.check_store_file(path)
    if problem is not None:
        log.error("store cannot be read; moved aside")
        raise backups.handle_damaged(path, problem)


PROGRAM_VERSION = "program_version"  # the setting: the version of the program that last opened the store
NEWER_STORE = ("这个数据库已经由较新版本的未保工作站（{version}）打开并升级过，本程序（{ours}）读不了它。"
               "请把本程序升级到 {version} 或更新的版本；数据库没有被修改。")


def upgrade(store: Store, revision: str = "head") -> None:
    """The store's schema up to `revision` (a SQLite file backed up first), then the program's version
    recorded in it. A store a newer program has upgraded is refused, unchanged."""
    if revision == "head" and _up_to_date(store.engine):
        _settle_unique_index(store)
        _record_program_version(store)
        return
    from alembic import command

    current = current_revision(store.engine)
    files = _revision_files()
    if current is not None and files is not None and current not in files[0]:
        from .. import __version__

        raise WeibaoError(NEWER_STORE.format(version=recorded_program_version(store) or "更新的版本",
                                             ours=__version__), "newer_store")
    target = head_revision() if revision == "head" else revision
    if current == target:
        return
    if current is not None and store.path is not None and store.path.exists():
        store.backup_path = backups.write_backup(store.path, f"before-{target}", keep=MIGRATION_KEEP)
        log.info("store backed up before migration %s -> %s", current, target)
    command.upgrade(alembic_config(store.engine), revision)
    if revision == "head":
        _settle_unique_index(store)
        _record_program_version(store)


def recorded_program_version(store: Store) -> str | None:
    """The version of the program that last opened the store; None for a store no version has recorded in yet."""
    from .entities import Setting

    try:
        with store.sessions() as s:
            row = s.get(Setting, PROGRAM_VERSION)
    except exc.DBAPIError:  # no setting table: not a store this program made
        return None
    return None if row is None or row.value is None else str(row.value)


def _record_program_version(store: Store) -> None:
    from .. import __version__
    from .entities import Setting

    if recorded_program_version(store) == __version__:
        return
    with store.write() as s:
        s.merge(Setting(key=PROGRAM_VERSION, value=__version__))


def _settle_unique_index(store: Store) -> None:
    """Duplicate child files keep the unique index out until a person merges them: said at every start."""
    from .duplicates import settle_unique_index

    blocked = settle_unique_index(store.engine)
    if blocked is not None:
        store.warnings.append(blocked.message)
        log.warning("unique id-number index waits for duplicate children to be merged")


def backup_sqlite(path: Path, label: str, *, directory: Path | None = None, keep: int | None = None) -> Path:
    """A whole, verified copy of the SQLite store (see models.backups.write_backup): every backup goes here."""
    return backups.write_backup(path, label, directory=directory, keep=keep)
