"""Whole backups of a SQLite store, and putting one back.

Every backup the program writes (before a migration, before an import, by hand, to a USB stick) goes
through `write_backup`, so each one is whole or absent:
- the copy is written under a temporary name without "bak" in it (SQLite's online backup, so the WAL's
  content is included and the copy is one consistent moment); a copy killed half-way is never mistaken
  for a backup, by a person or by pruning;
- it is checked (`PRAGMA integrity_check`, every table counted) and flushed to disk, then renamed to
  `<store>.<label>.<YYYYMMDD-HHMMSS>.bak.<ext>` in one step (os.replace);
- pruning goes by the time in the name, which a copy to a stick or an unzip does not change (mtime does).

Backups are encrypted with the store's key (SQLCipher's online backup keeps the pages encrypted) and carry
the key slots valid when they were made in `<backup>.keys`, so a backup opens with the passwords of that day
or the recovery key, wherever it is copied; the key itself is looked up among the keys this process has
unlocked (vault.keyring). A plain backup from an older version is still accepted by restore (the next start
encrypts it).

A store that cannot be read at start is moved aside with its -wal/-shm (Home Assistant's recorder does
the same) and the newest backup that verifies is named, for `weibao restore` or the GUI to put back.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..domain.errors import WeibaoError
from ..vault import keyfile, keyring, lockout
from ..vault.keyfile import keys_path
from . import cipher
from .encryption import key_of_copy

STAMP = "%Y%m%d-%H%M%S"
WRITING = "writing"  # the temporary name's marker: no "bak" in it
STALE_PARTIAL_SECONDS = 3600  # a temporary copy this old belongs to no running backup
SIDE_FILES = ("-wal", "-shm", "-journal")
_NAME = re.compile(r"^(?P<stem>.+?)\.(?P<label>[A-Za-z0-9_-]+?)\.(?P<stamp>\d{8}-\d{6})(?:-(?P<n>\d+))?\.bak(?P<ext>\.\w+)$")


@dataclass(frozen=True)
class Verdict:
    ok: bool
    problem: str | None = None
    counts: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    label: str
    taken_at: dt.datetime
    size: int
    verdict: Verdict | None = None  # None when not checked
    order: int = 0  # the -N of a second backup with the same label in the same second

    @property
    def ok(self) -> bool:
        return self.verdict is not None and self.verdict.ok


class DamagedStore(WeibaoError):
    """The store file cannot be read. It has been moved aside; `newest` is the backup to offer."""

    def __init__(self, message: str, moved_to: Path | None, newest: BackupInfo | None):
        super().__init__(message, "store")
        self.moved_to = moved_to
        self.newest = newest


def parse_backup_name(path: Path) -> tuple[str, str, dt.datetime, int] | None:
    """(store stem, label, time, same-second order) from a backup's file name, or None for any other file."""
    m = _NAME.match(path.name)
    if not m:
        return None
    try:
        when = dt.datetime.strptime(m["stamp"], STAMP)
    except ValueError:
        return None
    return m["stem"], m["label"], when, int(m["n"] or 0)


def write_backup(db_path: Path, label: str, *, directory: Path | None = None, keep: int | None = None) -> Path:
    """A verified, whole copy of the store under its final name. `keep` prunes older copies of this label."""
    if not re.fullmatch(r"[A-Za-z0-9_-]+", label):
        raise ValueError(f"backup label {label!r}")
    db_path = Path(db_path)
    directory = Path(directory) if directory is not None else db_path.parent
    if not directory.is_dir():
        raise WeibaoError(f"备份目录不存在：{directory}", "directory")
    _remove_stale_partials(directory, db_path)
    stamp = dt.datetime.now().strftime(STAMP)
    partial = directory / f"{db_path.stem}.{label}.{stamp}.{WRITING}-{os.getpid()}{db_path.suffix}"
    try:
        _copy(db_path, partial)
        verdict = verify_backup(partial, None if cipher.is_plain(partial) else key_of_copy(db_path))
        if not verdict.ok:
            raise WeibaoError(f"备份写入后检查未通过（{verdict.problem}），没有保存。请检查磁盘空间和磁盘是否完好后重试。")
        _fsync(partial)
        target = _free_name(directory, db_path, label, stamp)
        _write_slots(db_path, target)
        os.replace(partial, target)
        _fsync_dir(directory)
    except OSError as e:
        raise WeibaoError(f"无法写入备份到 {directory}：{e.strerror or e}。请检查磁盘空间和写入权限。", "directory") from None
    finally:
        for leftover in (partial, *(partial.with_name(partial.name + s) for s in SIDE_FILES)):
            leftover.unlink(missing_ok=True)
    if keep is not None:
        prune_backups(directory, db_path.stem, label, keep)
    return target


def verify_backup(path: Path, key: bytes | None = None) -> Verdict:
    """Whole and readable: integrity_check passes, every table can be counted, it has a schema version. An
    encrypted backup needs its .keys file and a key this process knows (the store's, or one it had before)."""
    path = Path(path)
    if not path.is_file() or path.stat().st_size == 0:
        return Verdict(False, "文件为空或不存在")
    for suffix in ("-wal", "-journal"):
        side = path.with_name(path.name + suffix)
        if side.exists() and side.stat().st_size > 0:
            return Verdict(False, f"旁边有未完成的 {suffix[1:]} 文件，备份可能没有写完")
    try:
        con = _connect(path, readonly=True, key=key)
    except WeibaoError as e:
        return Verdict(False, e.message)
    except (sqlite3.Error, cipher.Error) as e:
        return Verdict(False, str(e))
    try:
        result = [r[0] for r in con.execute("PRAGMA integrity_check").fetchall()]
        if result != ["ok"]:
            return Verdict(False, "完整性检查失败：" + "；".join(result[:3]))
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                            "AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        if "alembic_version" not in tables:
            return Verdict(False, "不是本程序的数据库（没有结构版本表）")
        counts = {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
        return Verdict(True, None, counts)
    except (sqlite3.Error, cipher.Error) as e:
        return Verdict(False, str(e))
    finally:
        con.close()


def _connect(path: Path, *, readonly: bool = False, timeout: float = 30, key: bytes | None = None):
    """A connection to a store or a copy: plain SQLite for a file from an older version, else SQLCipher with
    the key named by the .keys file beside it. WeibaoError when that key is missing or unknown here."""
    if cipher.is_plain(path):
        target = f"{Path(path).resolve().as_uri()}?mode=ro" if readonly else str(path)
        return sqlite3.connect(target, uri=readonly, timeout=timeout)
    if key is not None:
        return cipher.connect(path, key, readonly=readonly, timeout=timeout)
    if not keys_path(path).exists():
        raise WeibaoError(f"缺少密钥文件 {keys_path(path).name}（与备份一起复制的 .keys 文件），无法打开", "keys")
    key = key_of_copy(path)
    if key is None:
        raise WeibaoError("本次登录的账号不认识这个备份的密钥：请用做备份时有效的账号密码或恢复密钥打开", "keys")
    return cipher.connect(path, key, readonly=readonly, timeout=timeout)


def _write_slots(db_path: Path, backup: Path) -> None:
    """The store's key slots as they are now, beside a backup (its own lockout record, fresh)."""
    found = keyfile.read(keys_path(db_path))
    key = key_of_copy(db_path)
    if found is None or key is None:
        return  # a plain store (only while it is being converted) has no slots
    lockout.reset_chain(found, key)
    keyfile.write(keys_path(backup), found)


def list_backups(directory: Path, stem: str | None = None, *, verify: bool = True) -> list[BackupInfo]:
    """The backups in a folder, newest first (by the time in the name)."""
    out = []
    for path in Path(directory).glob("*.bak.*"):
        parsed = parse_backup_name(path)
        if parsed is None or (stem is not None and parsed[0] != stem) or not path.is_file():
            continue
        out.append(BackupInfo(path, parsed[1], parsed[2], path.stat().st_size,
                              verify_backup(path) if verify else None, parsed[3]))
    out.sort(key=lambda b: (b.taken_at, b.order), reverse=True)
    return out


def newest_good_backup(directory: Path, stem: str) -> BackupInfo | None:
    for info in list_backups(directory, stem, verify=False):
        verdict = verify_backup(info.path)
        if verdict.ok:
            return BackupInfo(info.path, info.label, info.taken_at, info.size, verdict, info.order)
    return None


def prune_backups(directory: Path, stem: str, label: str, keep: int) -> list[Path]:
    """Keep the newest `keep` backups of one label, by the time in their names; return what was removed."""
    same = [b for b in list_backups(directory, stem, verify=False) if b.label == label]
    removed = []
    for old in same[keep:]:
        try:
            old.path.unlink(missing_ok=True)
            keys_path(old.path).unlink(missing_ok=True)
        except OSError:  # held open by another program (Windows): kept now, pruned next time
            continue
        removed.append(old.path)
    return removed


def move_aside(db_path: Path, why: str) -> Path | None:
    """Rename the store and its -wal/-shm together (so the pair stays openable); return the new main name."""
    db_path = Path(db_path)
    if not db_path.exists():
        return None
    stamp = dt.datetime.now().strftime(STAMP)
    target = db_path.with_name(f"{db_path.stem}.{why}-{stamp}{db_path.suffix}")
    n = 1
    while target.exists():
        target = db_path.with_name(f"{db_path.stem}.{why}-{stamp}-{n}{db_path.suffix}")
        n += 1
    # The side files first. A crash in between leaves the (damaged) main file in place without its journal;
    # the next start finds it still unreadable and moves it again, and the journal is beside the moved copy.
    for suffix in SIDE_FILES:
        side = db_path.with_name(db_path.name + suffix)
        if side.exists():
            os.replace(side, target.with_name(target.name + suffix))
    os.replace(db_path, target)
    if keys_path(db_path).exists():  # its key slots go with it: it opens with them, and a fresh start makes new ones
        os.replace(keys_path(db_path), keys_path(target))
    _fsync_dir(db_path.parent)
    return target


def restore_backup(db_path: Path, backup: Path) -> Path | None:
    """Put a backup in the store's place. The current store is kept aside first (with its -wal/-shm);
    returns where. Close every program using the store first.

    The backup is copied and checked under a temporary name; the store is folded into one file
    (WAL checkpoint) and copied aside; then the copy replaces it in one rename. Killed at any moment,
    the store is the old one or the restored one."""
    db_path, backup = Path(db_path), Path(backup)
    verdict = verify_backup(backup)
    if not verdict.ok:
        raise WeibaoError(f"备份文件 {backup.name} 检查未通过（{verdict.problem}），没有恢复。", "file")
    stamp = dt.datetime.now().strftime(STAMP)
    incoming = db_path.with_name(f"{db_path.stem}.restoring-{os.getpid()}{db_path.suffix}")
    aside: Path | None = None
    try:
        _copy(backup, incoming)
        if keys_path(backup).exists():
            keyfile.create_private(keys_path(incoming))
            shutil.copyfile(keys_path(backup), keys_path(incoming))
        if not verify_backup(incoming).ok:
            raise WeibaoError("复制备份后检查未通过，没有恢复。请检查磁盘空间。", "file")
        _fsync(incoming)
        if db_path.exists():
            _checkpoint(db_path)
            aside = db_path.with_name(f"{db_path.stem}.replaced-{stamp}{db_path.suffix}")
            keyfile.create_private(aside)
            shutil.copyfile(db_path, aside)
            _fsync(aside)
            for suffix in SIDE_FILES:
                side = db_path.with_name(db_path.name + suffix)
                if side.exists():
                    os.replace(side, aside.with_name(aside.name + suffix))
            if keys_path(db_path).exists():
                keyfile.create_private(keys_path(aside))
                shutil.copyfile(keys_path(db_path), keys_path(aside))
        # The store first, then its slots: a backup made since the last rekey has the same key, so a stop
        # between the two leaves a store that still opens.
        os.replace(incoming, db_path)
        if keys_path(incoming).exists():
            _reseal(keys_path(incoming), db_path)
            os.replace(keys_path(incoming), keys_path(db_path))
        else:  # a plain backup from an older version: the next start encrypts it and makes new slots
            keys_path(db_path).unlink(missing_ok=True)
        _fsync_dir(db_path.parent)
    except OSError as e:
        raise WeibaoError(f"恢复失败：{e.strerror or e}。数据库没有被替换。", "file") from None
    finally:
        incoming.unlink(missing_ok=True)
        keys_path(incoming).unlink(missing_ok=True)
    return aside


def _reseal(keys_file: Path, db_path: Path) -> None:
    """A restored store starts a fresh lockout record, sealed with its key."""
    found = keyfile.read(keys_file)
    key = keyring.find(found.key_id) if found is not None else None
    if found is not None and key is not None:
        lockout.reset_chain(found, key)
        keyfile.write(keys_file, found)


def check_store_file(db_path: Path) -> str | None:
    """Why the store file cannot be used, or None. Cheap: header, schema and version table are read,
    not every page (a full check is `weibao doctor`'s). An encrypted store is read with its key: its key slots
    have just given that key, so a page SQLCipher refuses is damage, not a wrong password."""
    db_path = Path(db_path)
    if not db_path.exists():
        return None
    size = db_path.stat().st_size
    if size == 0:
        return "数据库文件是空的" if _has_backups(db_path) and not keys_path(db_path).exists() else None
    try:
        con = _connect(db_path)  # SQLCipher reads the first page already while the connection is set up
    except (sqlite3.DatabaseError, cipher.DatabaseError) as e:
        if getattr(e, "sqlite_errorname", "") in ("SQLITE_CORRUPT", "SQLITE_NOTADB"):
            return f"数据库文件已损坏（{e}）"
        raise _unreadable(e) from None
    except (sqlite3.Error, cipher.Error) as e:
        raise _unreadable(e) from None
    try:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        for table in ("alembic_version", "setting"):
            if table in tables:
                con.execute(f"SELECT * FROM {table}").fetchall()
        return None
    except (sqlite3.DatabaseError, cipher.DatabaseError) as e:
        if "locked" in str(e) or "busy" in str(e):
            return None
        # Only a file SQLite itself calls damaged is moved aside; a disk, USB or permission error is not the
        # file's fault, and moving a healthy store aside would hide it from the next start.
        if getattr(e, "sqlite_errorname", "") in ("SQLITE_CORRUPT", "SQLITE_NOTADB"):
            return f"数据库文件已损坏（{e}）"
        raise _unreadable(e) from None
    finally:
        con.close()


def _unreadable(error: Exception) -> WeibaoError:
    return WeibaoError(f"暂时无法读取数据库文件（{error}）。文件没有被移动或改动；请检查磁盘、U盘是否插好，以及文件权限，"
                       "然后重试。", "store")


def handle_damaged(db_path: Path, problem: str) -> DamagedStore:
    """Move a damaged store aside and build the message that names the newest good backup."""
    moved = move_aside(db_path, "damaged")
    return damaged_error(db_path, problem, moved)


def damaged_error(db_path: Path, problem: str, moved: Path | None) -> DamagedStore:
    newest = newest_good_backup(db_path.parent, db_path.stem)
    lines = [f"数据库无法使用：{problem}。"]
    if moved is not None:
        lines.append(f"已把损坏的文件移到：{moved.name}（连同其 -wal/-shm 文件），未删除任何数据。")
    if newest is not None:
        lines.append(f"最新的完好备份：{newest.path.name}（{newest.taken_at:%Y-%m-%d %H:%M:%S}）。"
                     f"恢复请运行：weibao restore \"{newest.path}\"，或在程序中选择恢复备份。")
    else:
        lines.append("数据目录中没有可用的备份；请找到以前复制到U盘等处的备份，用 weibao restore 文件 恢复。")
    lines.append("如确实要从空数据库重新开始，请把损坏的文件移出数据目录后再启动程序。")
    return DamagedStore("\n".join(lines), moved, newest)


def damaged_leftovers(db_path: Path) -> list[Path]:
    """Stores moved aside as damaged; with no store beside them, starting afresh would hide the damage."""
    return sorted(db_path.parent.glob(f"{db_path.stem}.damaged-*{db_path.suffix}"))


def _has_backups(db_path: Path) -> bool:
    return bool(list_backups(db_path.parent, db_path.stem, verify=False))


def _copy(source: Path, target: Path) -> None:
    """SQLite's online backup: a consistent copy even while another program writes (WAL included). Source and
    copy share the key, so the pages stay encrypted; the copy is made 0600."""
    keyfile.create_private(target)
    src = _connect(source, readonly=True, timeout=60)
    try:
        key = key_of_copy(source) if not cipher.is_plain(source) else None
        dst = cipher.connect(target, key) if key is not None else sqlite3.connect(target)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")  # the copy stands alone: no -wal beside it
        finally:
            dst.close()
    except (sqlite3.DatabaseError, cipher.DatabaseError) as e:
        raise WeibaoError(f"无法读取数据库，备份没有完成：{e}", "store") from None
    finally:
        src.close()


def _checkpoint(db_path: Path) -> None:
    """Fold the WAL into the main file so the main file alone is the whole store."""
    try:
        con = _connect(db_path)
        try:
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            con.close()
    except (sqlite3.Error, cipher.Error, WeibaoError):
        pass  # a damaged store: its WAL goes aside with it


def _free_name(directory: Path, db_path: Path, label: str, stamp: str) -> Path:
    """The name for a new backup; several in one second count up past every one still there (pruning may
    have removed the first), so the order of names stays the order of backups."""
    same = [parse_backup_name(p) for p in directory.glob(f"{db_path.stem}.{label}.{stamp}*.bak{db_path.suffix}")]
    taken = [parsed[3] for parsed in same if parsed is not None and parsed[1] == label]
    if not taken:
        return directory / f"{db_path.stem}.{label}.{stamp}.bak{db_path.suffix}"
    return directory / f"{db_path.stem}.{label}.{stamp}-{max(taken) + 1}.bak{db_path.suffix}"


def _remove_stale_partials(directory: Path, db_path: Path) -> None:
    now = time.time()
    for path in directory.glob(f"{db_path.stem}.*.{WRITING}-*"):
        try:
            if now - path.stat().st_mtime > STALE_PARTIAL_SECONDS:
                path.unlink()
        except OSError:
            pass


def _fsync(path: Path) -> None:
    with open(path, "rb+") as f:
        os.fsync(f.fileno())


def _fsync_dir(directory: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
