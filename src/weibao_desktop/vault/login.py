"""Logging in: a name and a password (or the recovery key) give the store key and an Actor.

For a login window: `unlock()` checks the password against the key slot file with only the standard library,
argon2 and cryptography loaded; `login()` then opens the store (importing SQLAlchemy) and returns the Actor.
Every refusal is a LoginError whose message can be shown as it is; AccountLocked says until when.
"""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..domain.errors import WeibaoError
from . import keyfile, keyring, lockout
from .keyfile import RECOVERY, USER, KeyFile

if TYPE_CHECKING:
    from ..models.store import Store
    from ..services.base import Actor

ADMIN_ROLES = ("head", "county_admin", "admin")
NO_PASSWORD = ("没有提供密码：请设置环境变量 WEIBAO_PASSWORD，或用 --password-file 指定密码文件，"
               "或在终端中直接运行本命令以输入密码。")
NO_USER = "请用 --user 或环境变量 WEIBAO_USER 指明账号姓名。"


class LoginError(WeibaoError):
    """A refused login; `reason` is one of no_user, no_password, unknown_user, wrong_password, locked, no_keys."""

    def __init__(self, message: str, reason: str):
        super().__init__(message, "password" if reason in ("wrong_password", "no_password") else "user")
        self.reason = reason


class AccountLocked(LoginError):
    def __init__(self, user: str, until: dt.datetime, now: dt.datetime):
        minutes = max(1, int((until - now).total_seconds() + 59) // 60)
        local = until.astimezone()
        super().__init__(f"账号“{user}”因连续{lockout.MAX_FAILURES}次密码错误已被锁定，请在{local:%H:%M}（约{minutes}分钟后）"
                         "再试，或请站长（管理员）解锁。", "locked")
        self.until = until


@dataclass(frozen=True)
class Credentials:
    user: str
    password: str = field(repr=False)
    recovery: bool = False  # `password` is the recovery key

    @classmethod
    def from_environment(cls) -> Credentials | None:
        """WEIBAO_USER and WEIBAO_PASSWORD (scripts, tests); an empty value counts as none."""
        user, password = os.environ.get("WEIBAO_USER", "").strip(), os.environ.get("WEIBAO_PASSWORD", "")
        return cls(user, password) if user and password else None


@dataclass
class Unlocked:
    key: bytes
    keyfile: KeyFile
    warnings: list[str] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)  # wrong passwords the audit log has not seen


def unknown_user(user: str) -> LoginError:
    return LoginError(f"没有名为“{user}”的账号，或该账号已停用。请检查姓名，或请站长（管理员）添加账号。", "unknown_user")


def unlock(keys_file: Path, credentials: Credentials, clock: Any = None, *, record: bool = True) -> Unlocked:
    """The store key from the slot file, checking the lockout first; a wrong password is recorded, waits
    (lockout.delay_after) and raises. `record=False` checks a backup's slots without writing to them."""
    clock = clock or lockout.SystemClock()
    found = keyfile.read(keys_file)
    if found is None:
        raise LoginError(f"找不到密钥文件 {Path(keys_file).name}：没有它无法打开加密的数据库。请从备份中找回同名的 .keys 文件。",
                         "no_keys")
    if credentials.recovery:
        recovery_key = keyfile.normalise_recovery_key(credentials.password)
        slot = found.slot(RECOVERY)
        key = found.open_slot(slot, recovery_key) if (slot is not None and recovery_key) else None
        if key is None:
            raise LoginError("恢复密钥不正确。请核对保存在站内保险柜中的恢复密钥（共8组数字）。", "wrong_password")
        return _success(keys_file, found, key, None, clock, record)
    user = credentials.user.strip()
    if not user:
        raise LoginError(NO_USER, "no_user")
    if not credentials.password:
        raise LoginError(NO_PASSWORD, "no_password")
    now = clock.now()
    state = lockout.state(found, user, now)
    if state.locked_until is not None:
        raise AccountLocked(user, state.locked_until, now)
    slot = found.slot(USER, user)
    if slot is None:
        raise unknown_user(user)
    key = found.open_slot(slot, credentials.password)
    if key is None:
        failures = state.failures + 1
        if record:  # a backup's slots (record=False) can be guessed at offline anyway: no wait there
            lockout.append(found, user, lockout.FAIL, now)
            keyfile.write(keys_file, found)
            clock.sleep(lockout.delay_after(failures))
        if failures >= lockout.MAX_FAILURES:
            raise AccountLocked(user, now + dt.timedelta(minutes=lockout.LOCK_MINUTES), now)
        raise LoginError(f"密码不正确（账号“{user}”）。再错{lockout.MAX_FAILURES - failures}次，账号将被锁定"
                         f"{lockout.LOCK_MINUTES}分钟。", "wrong_password")
    return _success(keys_file, found, key, user, clock, record)


def _success(keys_file: Path, found: KeyFile, key: bytes, user: str | None, clock: Any, record: bool) -> Unlocked:
    warnings = []
    failures = lockout.unsealed_failures(found) if record else []
    problem = lockout.chain_problem(found, key)
    if problem is not None:
        warnings.append(f"注意：{problem}。登录成功，但请站长留意是否有人试图猜测密码。")
        if record:  # said once; the record starts again from this login
            lockout.reset_chain(found, key)
    if record:
        if user is not None:
            lockout.append(found, user, lockout.OK, clock.now())
        lockout.seal(found, key)
        keyfile.write(keys_file, found)
    keyring.remember(key, *found.unwrap_previous(key))
    return Unlocked(key, found, warnings, failures)


def known_key(keys_file: Path) -> bytes | None:
    """The store key if this process has already unlocked it (keyring), without asking anyone."""
    found = keyfile.read(keys_file)
    return None if found is None else keyring.find(found.key_id)


@dataclass
class LoggedIn:
    store: Store
    actor: Actor
    warnings: list[str] = field(default_factory=list)
    recovery_key: str | None = None  # set once, when this login created or converted the store


def login(data_dir: Path | None = None, db_url: str | None = None, *, user: str, password: str,
          recovery: bool = False, clock: Any = None) -> LoggedIn:
    """Open the store as `user`: the password unlocks the store key (SQLite) or is checked against the
    account's argon2 hash (PostgreSQL); the account must be active. Returns the store and the Actor."""
    from ..models.store import open_store
    from ..services.accounts import actor_for, check_server_password

    credentials = Credentials(user.strip(), password, recovery)
    store = open_store(data_dir, db_url, credentials=credentials, clock=clock)
    try:
        if not store.is_sqlite:
            check_server_password(store, credentials, clock or lockout.SystemClock())
        actor = actor_for(store, credentials.user, recovery=recovery)
    except BaseException:
        store.dispose()
        raise
    from ..services.audit import record_failed_logins

    record_failed_logins(store, store.login_failures)
    return LoggedIn(store, actor, list(store.login_warnings), store.recovery_key)
