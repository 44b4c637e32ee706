"""Accounts: add, list, reset and change passwords, remove (with a rekey), unlock; and the Actor a login gives.

On a SQLite store an account is a row in app_user (role, villages, active) plus a key slot beside the store
(vault.keyfile); its password exists nowhere else. On a server store (PostgreSQL) the row holds an argon2id hash
and the lockout counter. Slot file changes are made inside the store's write transaction, so two admins
changing accounts at once take turns.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from ..domain.checks import require_text
from ..domain.codes import ROLE
from ..domain.errors import WeibaoError
from ..domain.roles import canonical_role
from ..models import cipher
from ..models.entities import User, Village
from ..models.store import Store
from ..vault import keyfile, keyring, lockout
from ..vault.keyfile import USER, keys_path
from ..vault.login import ADMIN_ROLES, Credentials, LoginError, unknown_user
from .audit import append_failed_logins, record_failed_logins
from .base import Actor, Context

MIN_PASSWORD = 8
NOT_ADMIN = "只有站长（管理员）可以管理账号。"


@dataclass(frozen=True)
class AccountInfo:
    name: str
    role: str
    active: bool
    villages: tuple[str, ...]  # names, for a 儿童主任
    locked_until: dt.datetime | None


def check_new_password(password: str, name: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise WeibaoError(f"密码至少需要{MIN_PASSWORD}个字符。", "password")
    if password.strip() == name.strip():
        raise WeibaoError("密码不能与姓名相同。", "password")
    return password


def _row(session, name: str) -> User | None:
    return session.scalar(select(User).where(User.name == name).order_by(User.station_id.is_(None), User.id))


def actor_for(store: Store, name: str, *, recovery: bool = False) -> Actor:
    """The Actor of an active account, as a login gives it; refused for a name that is none."""
    from sqlalchemy.exc import OperationalError

    order = (User.station_id.is_(None), User.id)
    with store.sessions() as session:
        found = session.execute(select(User.name, User.role, User.active).where(User.name == name).order_by(*order)).first()
        if found is None or not found.active:
            raise unknown_user(name)
        if recovery and found.role not in ADMIN_ROLES:
            raise LoginError("恢复密钥只能用于站长（管理员）账号。", "unknown_user")
        try:
            villages = session.scalar(select(User.villages).where(User.name == name).order_by(*order)) or []
        except OperationalError:  # a store whose upgrade waits for duplicates to be merged has no villages column yet
            villages = []
        # The access rules name villages by their 12-digit codes (ids differ between stores).
        codes: list[str] = list(session.scalars(select(Village.code).where(Village.id.in_([int(v) for v in villages])))) if villages else []
        return Actor(found.name, canonical_role(found.role), frozenset(codes))


def check_server_password(store: Store, credentials: Credentials, clock: Any) -> None:
    """A server store: the password against the account's argon2id hash, with the same lockout as slots."""
    from argon2 import PasswordHasher
    from argon2.exceptions import VerificationError

    now = clock.now()
    with store.write() as session:
        row = _row(session, credentials.user)
        if session.scalar(select(User.id).where(User.password_hash.is_not(None)).limit(1)) is None:
            _first_server_account(session, row, credentials)
            return
        if row is None or not row.active or not row.password_hash:
            raise unknown_user(credentials.user)
        locked = row.locked_until.replace(tzinfo=dt.UTC) if row.locked_until else None
        if locked is not None and locked > now:
            from ..vault.login import AccountLocked

            raise AccountLocked(row.name, locked, now)
        try:
            PasswordHasher().verify(row.password_hash, credentials.password)
        except VerificationError:
            row.failed_logins = (row.failed_logins or 0) + 1
            failures = row.failed_logins
            if failures >= lockout.MAX_FAILURES:
                row.locked_until = (now + dt.timedelta(minutes=lockout.LOCK_MINUTES)).replace(tzinfo=None)
        else:
            row.failed_logins, row.locked_until = 0, None
            return
    clock.sleep(lockout.delay_after(failures))
    raise LoginError(f"密码不正确（账号“{credentials.user}”）。", "wrong_password")


def _first_server_account(session, row: User | None, credentials: Credentials) -> None:
    """No account has a password yet: a new server store takes the first login as its admin (as `init` does on
    SQLite); one from before 0008 lets an existing admin set theirs at their first login."""
    from argon2 import PasswordHasher

    from ..models.encryption import CONVERTIBLE_ROLES

    check_new_password(credentials.password, credentials.user)
    if row is None:
        if session.scalar(select(User.id).limit(1)) is not None:
            raise unknown_user(credentials.user)
        row = User(station_id=None, name=credentials.user, role="head", active=True)
        session.add(row)
    elif not row.active or row.role not in CONVERTIBLE_ROLES:
        raise LoginError(f"还没有设置密码的数据库需要站长（管理员）第一次登录，而不是“{credentials.user}”。", "unknown_user")
    row.password_hash = PasswordHasher().hash(credentials.password)


class AccountService:
    def __init__(self, ctx: Context, clock: Any = None):
        self.ctx = ctx
        self.clock = clock or lockout.SystemClock()

    @property
    def _keys(self):
        store = self.ctx.store
        return keys_path(store.path) if store.path is not None and store.key is not None else None

    def _require_admin(self) -> None:
        if self.ctx.actor.role not in ADMIN_ROLES:
            raise WeibaoError(NOT_ADMIN, "actor")

    def accounts(self) -> list[AccountInfo]:
        self._require_admin()
        found = keyfile.read(self._keys) if self._keys is not None else None
        now = self.clock.now()
        with self.ctx.read() as s:
            names = {v.id: v.name for v in s.scalars(select(Village))}
            out = []
            for row in s.scalars(select(User).order_by(User.id)):
                if found is not None:
                    until = lockout.state(found, row.name, now).locked_until
                else:
                    until = row.locked_until.replace(tzinfo=dt.UTC) if row.locked_until else None
                    until = until if until is not None and until > now else None
                out.append(AccountInfo(row.name, row.role, row.active,
                                       tuple(names.get(int(v), str(v)) for v in row.villages or []), until))
            return out

    def add(self, name: str, role: str, password: str, villages: tuple[str, ...] | list[str] = ()) -> AccountInfo:
        """A new account (admin only); a 儿童主任 names their villages."""
        self._require_admin()
        name = require_text(name, "name", "姓名", 50)
        role = role if role in ROLE else (ROLE.parse(role) or role)
        if role not in ROLE:
            raise WeibaoError(f"角色应为：{'、'.join(ROLE.labels())}", "role")
        check_new_password(password, name)
        with self.ctx.tx() as s:
            if _row(s, name) is not None:
                raise WeibaoError(f"账号“{name}”已存在（停用的账号也占用这个名字）", "name")
            station_id = s.scalar(select(User.station_id).where(User.name == self.ctx.actor.name))
            known = {v.name: v.id for v in s.scalars(select(Village))}
            unknown = [v for v in villages if v not in known]
            if unknown:
                raise WeibaoError(f"没有这些村(社区)：{'、'.join(unknown)}", "villages")
            row = User(station_id=station_id, name=name, role=role, active=True,
                       villages=[known[v] for v in villages])
            s.add(row)
            s.flush()
            self._set_secret(s, row, password)
            return AccountInfo(name, role, True, tuple(villages), None)

    def reset_password(self, name: str, new_password: str) -> None:
        """An admin sets a new password for someone who forgot theirs; their lock is lifted too."""
        self._require_admin()
        check_new_password(new_password, name)
        with self.ctx.tx() as s:
            row = _row(s, name)
            if row is None or not row.active:
                raise unknown_user(name)
            self._set_secret(s, row, new_password)

    def change_password(self, old_password: str, new_password: str) -> None:
        """The acting user changes their own password; the old one must be right."""
        name = self.ctx.actor.name
        check_new_password(new_password, name)
        with self.ctx.tx() as s:
            row = _row(s, name)
            if row is None or not row.active:
                raise unknown_user(name)
            if self._keys is not None:
                found = keyfile.read(self._keys)
                slot = found.slot(USER, name) if found is not None else None
                if slot is None or found is None or found.open_slot(slot, old_password) is None:
                    raise WeibaoError("原密码不正确，密码没有修改。", "old_password")
            else:
                from argon2 import PasswordHasher
                from argon2.exceptions import VerificationError

                try:
                    PasswordHasher().verify(row.password_hash or "", old_password)
                except (VerificationError, ValueError):
                    raise WeibaoError("原密码不正确，密码没有修改。", "old_password") from None
            self._set_secret(s, row, new_password)

    def _set_secret(self, session, row: User, password: str) -> None:
        """The account's slot made anew (SQLite), or its hash (server); the lockout record starts afresh."""
        keys = self._keys
        if keys is None:
            from argon2 import PasswordHasher

            row.password_hash = PasswordHasher().hash(password)
            row.failed_logins, row.locked_until = 0, None
            return
        found = keyfile.read(keys)
        key = self.ctx.store.key
        assert found is not None and key is not None
        found.set_slot(USER, row.name, password, key)
        append_failed_logins(session, lockout.unsealed_failures(found))  # before the seal hides them
        lockout.append(found, row.name, lockout.UNLOCK, self.clock.now())
        lockout.seal(found, key)
        keyfile.write(keys, found)

    def unlock(self, name: str) -> None:
        """Lift a lock after too many wrong passwords (admin)."""
        self._require_admin()
        with self.ctx.tx() as s:
            row = _row(s, name)
            if row is None:
                raise unknown_user(name)
            row.failed_logins, row.locked_until = 0, None
            keys, key = self._keys, self.ctx.store.key
            if keys is not None and key is not None:
                found = keyfile.read(keys)
                assert found is not None
                append_failed_logins(s, lockout.unsealed_failures(found))  # before the seal hides them
                lockout.append(found, name, lockout.UNLOCK, self.clock.now())
                lockout.seal(found, key)
                keyfile.write(keys, found)

    def remove(self, name: str) -> None:
        """Deactivate an account (its history keeps the name) and, on a SQLite store, drop its slot and rekey
        the store: a copy of the old slot file then opens nothing written from now on. Every other window or
        program using the store must be closed (the rekey needs the file to itself)."""
        self._require_admin()
        if name == self.ctx.actor.name:
            raise WeibaoError("不能停用自己正在使用的账号。", "name")
        with self.ctx.tx() as s:
            row = _row(s, name)
            if row is None or not row.active:
                raise unknown_user(name)
            admins = s.scalars(select(User).where(User.active.is_(True), User.role.in_(ADMIN_ROLES))).all()
            if row.role in ADMIN_ROLES and len(admins) <= 1:
                raise WeibaoError("这是最后一个站长（管理员）账号，不能停用。", "name")
            row.active = False
            row.password_hash = None
        if self._keys is not None:
            self._rekey_without(name)

    def _rekey_without(self, name: str) -> None:
        store, keys = self.ctx.store, self._keys
        assert keys is not None and store.key is not None
        old_key = store.key
        found = keyfile.read(keys)
        assert found is not None
        before = keyfile.read(keys)
        new_key = keyfile.new_store_key()
        found.remove_slot(USER, name)
        found.remember_previous(old_key, new_key)
        found.reseal_all(new_key)
        record_failed_logins(store, lockout.unsealed_failures(found))  # before the seal hides them
        lockout.seal(found, new_key)
        # The slots first (they name the old key among the previous ones, so a stop before the rekey is finished
        # at the next open: models.encryption.finish_rekey); put back if the store cannot be rekeyed now.
        keyfile.write(keys, found)
        try:
            store.rekey(new_key)
        except cipher.Error:
            assert before is not None
            keyfile.write(keys, before)
            raise WeibaoError("无法更换数据库密钥：还有其他窗口或程序正在使用数据库。请关闭它们后重新停用该账号。"
                              "（账号已停用。）", "store") from None
        keyring.remember(new_key)
