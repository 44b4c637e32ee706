"""Getting the key of a SQLite store at open: unlock its slots, create a new encrypted store, or convert a
plain store left by an older version (a verified encrypted copy replaces it; its plain backups are converted
the same way, and plain copies that cannot be read are removed, so no plain copy stays in the data folder)."""
from __future__ import annotations

import logging
import os
import shutil
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..domain.errors import WeibaoError
from ..vault import keyfile, keyring, lockout
from ..vault.keyfile import RECOVERY, USER, KeyFile, keys_path
from ..vault.login import ADMIN_ROLES, NO_PASSWORD, NO_USER, Credentials, LoginError, known_key, unlock
from . import cipher

log = logging.getLogger(__name__)

CONVERTIBLE_ROLES = (*ADMIN_ROLES, "county")  # a county store's first user was made "county" before 0008
RECOVERY_NOTICE = ("恢复密钥（只显示这一次，请抄写或打印后锁在站内保险柜中）：\n    {key}\n"
                   "所有账号的密码都忘记时，只有它能打开数据库。密码和恢复密钥全部丢失，数据就再也无法打开，"
                   "任何人（包括开发者）都无法找回。")


@dataclass
class Prepared:
    key: bytes
    recovery_key: str | None = None  # a new store or a converted one: shown once
    first_user: str | None = None  # the account to add to app_user (a new store, or a plain one without users)
    warnings: list[str] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)  # unlock's: for the audit log once it is open


def _credentials(credentials: Credentials | None, why: str) -> Credentials:
    credentials = credentials or Credentials.from_environment()
    if credentials is None:
        user = os.environ.get("WEIBAO_USER", "").strip()
        raise LoginError(f"{why}{NO_PASSWORD if user else NO_USER}", "no_password" if user else "no_user")
    return credentials


def prepare(path: Path, credentials: Credentials | None, clock: Any = None) -> Prepared:
    """The store key for the SQLite file at `path`. With no credentials given, a key this process already
    unlocked is used, else WEIBAO_USER / WEIBAO_PASSWORD."""
    keys = keys_path(path)
    exists = path.exists() and path.stat().st_size > 0
    if exists and cipher.is_plain(path):
        if _plain_readable(path):  # also a conversion that stopped before the copy took the plain file's place
            return convert_plain(path, _credentials(credentials, "数据库需要转换为加密格式，需要站长（管理员）登录。"))
        if not keys.exists():  # damaged before it was ever encrypted: the damage check that follows says so
            return Prepared(keyfile.new_store_key())
    if not keys.exists():
        if exists:
            raise LoginError(f"找不到密钥文件 {keys.name}：没有它无法打开加密的数据库 {path.name}。"
                             "请从备份中找回同名的 .keys 文件放回数据目录。", "no_keys")
        return create(path, _credentials(credentials, "新建数据库需要先设定第一个管理员账号和密码。"))
    if credentials is None:
        key = known_key(keys)
        if key is not None:
            return Prepared(key)
    unlocked = unlock(keys, _credentials(credentials, "数据库已加密，需要登录。"), clock)
    if exists:
        finish_rekey(path, unlocked.key, unlocked.keyfile.unwrap_previous(unlocked.key))
    return Prepared(unlocked.key, warnings=unlocked.warnings, failures=unlocked.failures)


def finish_rekey(path: Path, key: bytes, previous: list[bytes]) -> None:
    """A rekey writes the new slots first; if it stopped there, the store still has the previous key: finish it."""
    try:
        with cipher.opened(path, key, readonly=True) as con:
            con.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return
    except cipher.DatabaseError as e:
        if getattr(e, "sqlite_errorname", "") != "SQLITE_NOTADB":
            return  # busy or damaged: the damage check that follows decides
    for old in previous:
        try:
            with cipher.opened(path, old, readonly=True) as con:
                con.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except cipher.DatabaseError:
            continue
        log.warning("finishing a rekey that was interrupted")
        cipher.rekey(path, old, key)
        return


def _first_slots(key: bytes, user: str, password: str) -> tuple[KeyFile, str]:
    if not password:
        raise LoginError(NO_PASSWORD, "no_password")
    found = KeyFile.new(key)
    found.set_slot(USER, user, password, key)
    recovery_key = keyfile.new_recovery_key()
    found.set_slot(RECOVERY, "", recovery_key, key)
    lockout.reset_chain(found, key)
    return found, recovery_key


def create(path: Path, credentials: Credentials) -> Prepared:
    """A new store: a random key, the first user's slot and the recovery slot. The store file itself is made
    by the first connection, with this key."""
    if credentials.recovery:
        raise LoginError("新建数据库不能用恢复密钥。", "no_password")
    key = keyfile.new_store_key()
    found, recovery_key = _first_slots(key, credentials.user, credentials.password)
    keyfile.create_private(path)  # the first connection makes the store in this empty 0600 file
    keyfile.write(keys_path(path), found)
    keyring.remember(key)
    log.info("new encrypted store")
    return Prepared(key, recovery_key, credentials.user)


def _plain_readable(path: Path) -> bool:
    """A plain file SQLite can read (a torn file that still starts with SQLite's header is damage, not a store to
    convert, and its key slots must stay)."""
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
        try:
            con.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return True
        finally:
            con.close()
    except sqlite3.Error:
        return False


def _plain_users(path: Path) -> list[tuple[str, str, bool]]:
    con = sqlite3.connect(path, timeout=30)
    try:
        if not con.execute("SELECT 1 FROM sqlite_master WHERE name = 'app_user'").fetchone():
            return []
        return [(r[0], r[1], bool(r[2])) for r in con.execute("SELECT name, role, active FROM app_user")]
    finally:
        con.close()


def convert_plain(path: Path, credentials: Credentials) -> Prepared:
    users = _plain_users(path)
    first_user = None
    if users:
        match = [u for u in users if u[0] == credentials.user and u[2]]
        if not match:
            raise LoginError(f"数据库需要转换为加密格式，这需要一个站长（管理员）账号登录；“{credentials.user}”不是本站的有效账号。"
                             f"本站账号：{'、'.join(u[0] for u in users if u[2])}。", "unknown_user")
        if match[0][1] not in CONVERTIBLE_ROLES:
            raise LoginError(f"数据库需要转换为加密格式，请由站长（管理员）第一次登录，而不是“{credentials.user}”。",
                             "unknown_user")
    else:
        first_user = credentials.user
    key = keyfile.new_store_key()
    found, recovery_key = _first_slots(key, credentials.user, credentials.password)
    target = path.with_name(f"{path.stem}.encrypting-{os.getpid()}{path.suffix}")
    try:
        keyfile.create_private(target)
        counts = cipher.encrypt_copy(path, target, key)
        keyfile.write(keys_path(path), found)
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.replace(target, path)
    except cipher.Error as e:
        keys_path(path).unlink(missing_ok=True)
        raise WeibaoError(f"无法把数据库转换为加密格式（{e}）。原数据库没有改动。请检查磁盘空间后重试。", "store") from None
    finally:
        target.unlink(missing_ok=True)
    keyfile.restrict(path)
    keyring.remember(key)
    converted, removed = convert_plain_copies(path, key, found)
    log.info("plain store converted: %d tables, %d plain copies converted, %d removed", len(counts), converted, removed)
    warnings = [f"数据库已转换为加密格式（{len(counts)}张表逐一核对无误）；数据目录中的 {converted} 个旧备份也已加密"
                + (f"，{removed} 个无法读取的未加密副本已删除" if removed else "") + "。"]
    return Prepared(key, recovery_key, first_user, warnings)


def convert_plain_copies(path: Path, key: bytes, found: KeyFile) -> tuple[int, int]:
    """Every plain copy of the store in its folder (backups, stores moved aside) encrypted in place with the
    store's key and given the store's slots; one that cannot be read is removed. Returns (converted, removed)."""
    converted = removed = 0
    for copy in sorted(path.parent.glob(f"{path.stem}.*{path.suffix}")):
        if copy == path or not copy.is_file() or not cipher.is_plain(copy):
            continue
        target = copy.with_name(copy.name + ".encrypting")
        try:
            keyfile.create_private(target)
            cipher.encrypt_copy(copy, target, key)
            keyfile.create_private(keys_path(copy))
            shutil.copyfile(keys_path(path), keys_path(copy))
            os.replace(target, copy)
            keyfile.restrict(copy)
            keyfile.restrict(keys_path(copy))
            converted += 1
        except (cipher.Error, sqlite3.Error, OSError):
            target.unlink(missing_ok=True)
            cipher.remove_with_side_files(copy)
            removed += 1
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{copy}{suffix}").unlink(missing_ok=True)
    return converted, removed


def key_of_copy(path: Path) -> bytes | None:
    """The key of a backup or any copy with its .keys file beside it, if this process knows it."""
    try:
        found = keyfile.read(keys_path(path))
    except WeibaoError:
        return None
    return None if found is None else keyring.find(found.key_id)


def learn_keys(copies: list[Path], credentials: Credentials | None) -> None:
    """Make the keys of these copies (backups, a store moved aside) known to this process by unlocking their own
    slots with the login (nothing is recorded in them), so they can be checked and offered; best effort."""
    credentials = credentials or Credentials.from_environment()
    if credentials is None:
        return
    for copy in copies:
        if keys_path(copy).exists() and key_of_copy(copy) is None:
            try:
                unlock(keys_path(copy), credentials, record=False)
            except WeibaoError:
                continue
