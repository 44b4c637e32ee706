"""The encrypted store, its key slots, the recovery key and the lockout, in the process (the command line's
refusals are in test_vault_cli.py). Every store here is a real SQLCipher file with its .keys beside it."""
from __future__ import annotations

import datetime as dt
import json
import shutil
import stat
import sys
from pathlib import Path

import pytest

import rawdb
from factories import OPERATOR, TEST_PASSWORD
from weibao_desktop.models import backups, cipher
from weibao_desktop.models.store import DB_FILENAME, open_store
from weibao_desktop.services import Workstation
from weibao_desktop.services.accounts import AccountService
from weibao_desktop.vault import keyfile, keyring, lockout
from weibao_desktop.vault.keyfile import keys_path
from weibao_desktop.vault.login import AccountLocked, Credentials, LoginError, login, unlock

NEW_PASSWORD = "新的口令-0615"


class FakeClock:
    """Login time that moves only when told; a wrong password's wait moves it instead of sleeping."""

    def __init__(self):
        self.at = dt.datetime(2024, 6, 14, 9, 0, tzinfo=dt.UTC)
        self.waits: list[float] = []

    def now(self) -> dt.datetime:
        return self.at

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.at += dt.timedelta(seconds=seconds)

    def advance(self, minutes: float) -> None:
        self.at += dt.timedelta(minutes=minutes)


@pytest.fixture
def admin(ws):
    """The test account logged in for real (role 站长), on the `ws` store."""
    ws.store.dispose()
    logged = login(ws.store.path.parent, user=OPERATOR, password=TEST_PASSWORD)
    yield logged
    logged.store.dispose()


def accounts(logged, clock=None) -> AccountService:
    return AccountService(Workstation(logged.store, logged.actor).ctx, clock)


def store_key_with(path, user, password, clock=None) -> bytes:
    return unlock(keys_path(path), Credentials(user, password), clock).key


def opens(path, key: bytes) -> bool:
    try:
        with cipher.opened(path, key) as con:
            con.execute("SELECT count(*) FROM child").fetchone()
        return True
    except cipher.DatabaseError:
        return False


def test_nothing_of_a_child_can_be_read_in_the_store_its_wal_its_backups_or_the_key_slots(ws, make_child):
    child = make_child()
    make_child(name="𠮷𡒄宁")
    backup = backups.write_backup(ws.store.path, "manual")
    ws.children.update(child.id, {"notes": "又走访了一次"})  # a write still in the -wal
    wal = ws.store.path.with_name(DB_FILENAME + "-wal")
    assert wal.exists() and wal.stat().st_size > 0
    files = [ws.store.path, wal, backup, keys_path(ws.store.path), keys_path(backup)]
    secrets = [child.name.encode(), child.id_number.encode(), "𠮷𡒄宁".encode()]
    for path in files:
        content = path.read_bytes()
        for secret in secrets:
            assert secret not in content, f"{secret!r} readable in {path.name}"
    # the same bytes do hold the child, for whoever has the key (the check above can fail)
    with rawdb.connect(ws.store.path) as con:
        assert con.execute("SELECT name, id_number FROM child WHERE id = ?", (child.id,)).fetchone() == (
            child.name, child.id_number)
    if shutil.which("strings"):
        import subprocess

        for path in files:
            printed = subprocess.run(["strings", "-a", str(path)], capture_output=True).stdout
            assert child.id_number.encode() not in printed


@pytest.mark.skipif(sys.platform == "win32", reason="Windows keeps the per-user folder's ACL")
def test_the_data_folder_and_every_file_in_it_are_the_users_only(ws, make_child):
    make_child()
    backup = backups.write_backup(ws.store.path, "manual")
    folder = ws.store.path.parent
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    files = [p for p in folder.iterdir() if p.is_file()]
    assert {p.name for p in files} >= {DB_FILENAME, DB_FILENAME + "-wal", DB_FILENAME + "-shm", DB_FILENAME + ".keys",
                                       backup.name, backup.name + ".keys"}
    assert {p.name: oct(stat.S_IMODE(p.stat().st_mode)) for p in files} == {p.name: "0o600" for p in files}


def test_a_new_folder_is_made_private(tmp_path):
    store = open_store(tmp_path / "新目录")
    store.dispose()
    assert stat.S_IMODE((tmp_path / "新目录").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "新目录" / DB_FILENAME).stat().st_mode) == 0o600


def test_five_wrong_passwords_lock_the_account_for_a_shown_time_each_slower(store):
    clock = FakeClock()
    keys = keys_path(store.path)
    for n in range(1, 5):
        with pytest.raises(LoginError, match=f"再错{5 - n}次"):
            unlock(keys, Credentials(OPERATOR, "不对的口令"), clock)
    with pytest.raises(AccountLocked) as locked:
        unlock(keys, Credentials(OPERATOR, "不对的口令"), clock)
    assert clock.waits == [0.5, 1.0, 2.0, 4.0, 8.0]
    assert "锁定" in locked.value.message and "15分钟" in locked.value.message
    # locked: even the right password is refused until the time shown
    clock.advance(14)
    with pytest.raises(AccountLocked, match="约1分钟后"):
        unlock(keys, Credentials(OPERATOR, TEST_PASSWORD), clock)
    clock.advance(2)
    assert unlock(keys, Credentials(OPERATOR, TEST_PASSWORD), clock).key == store.key
    # a success starts the count again
    with pytest.raises(LoginError, match="再错4次"):
        unlock(keys, Credentials(OPERATOR, "不对的口令"), clock)


def test_an_admin_unlocks_a_locked_account(admin):
    clock = FakeClock()
    accounts(admin, clock).add("赵督导", "supervisor", "督导的口令123")
    keys = keys_path(admin.store.path)
    for _ in range(5):
        with pytest.raises(LoginError):
            unlock(keys, Credentials("赵督导", "错的"), clock)
    with pytest.raises(AccountLocked):
        unlock(keys, Credentials("赵督导", "督导的口令123"), clock)
    listed = {a.name: a for a in accounts(admin, clock).accounts()}
    assert dt.timedelta(minutes=14) < listed["赵督导"].locked_until - clock.at <= dt.timedelta(minutes=15)
    accounts(admin, clock).unlock("赵督导")
    assert unlock(keys, Credentials("赵督导", "督导的口令123"), clock).key == admin.store.key


def test_the_lockout_record_edited_before_the_last_success_is_reported(store):
    clock = FakeClock()
    keys = keys_path(store.path)
    for _ in range(3):
        with pytest.raises(LoginError):
            unlock(keys, Credentials(OPERATOR, "错的"), clock)
    assert unlock(keys, Credentials(OPERATOR, TEST_PASSWORD), clock).warnings == []
    data = json.loads(keys.read_text(encoding="utf-8"))
    del data["attempts"]["entries"][0]  # someone hides a failure
    keys.write_text(json.dumps(data), encoding="utf-8")
    warned = unlock(keys, Credentials(OPERATOR, TEST_PASSWORD), clock).warnings
    assert warned and "被改动" in warned[0]
    data = json.loads(keys.read_text(encoding="utf-8"))
    data["attempts"]["seal"]["mac"] = "0" * 64  # or forges the seal
    keys.write_text(json.dumps(data), encoding="utf-8")
    assert "校验码不对" in unlock(keys, Credentials(OPERATOR, TEST_PASSWORD), clock).warnings[0]


def test_changing_a_password_rewraps_the_slot_old_fails_new_works(admin):
    path = admin.store.path
    accounts(admin).change_password(TEST_PASSWORD, NEW_PASSWORD)
    with pytest.raises(LoginError, match="密码不正确"):
        store_key_with(path, OPERATOR, TEST_PASSWORD)
    assert store_key_with(path, OPERATOR, NEW_PASSWORD) == admin.store.key
    with pytest.raises(Exception, match="原密码不正确"):
        accounts(admin).change_password("猜的口令1234", "又一个口令5678")


def test_only_an_admin_manages_accounts(admin):
    accounts(admin).add("钱主任", "director", "主任的口令123", ["东村"])
    director = login(admin.store.path.parent, user="钱主任", password="主任的口令123")
    try:
        assert director.actor.role == "director" and len(director.actor.villages) == 1
        with pytest.raises(Exception, match="只有站长"):
            accounts(director).add("冒充的人", "head", "随便的口令123")
        with pytest.raises(Exception, match="只有站长"):
            accounts(director).reset_password(OPERATOR, "随便的口令123")
        accounts(director).change_password("主任的口令123", "主任的新口令456")  # their own: allowed
    finally:
        director.store.dispose()


def test_a_removed_users_old_slot_file_cannot_open_the_rekeyed_store(admin, make_child):
    path = admin.store.path
    accounts(admin).add("孙督导", "supervisor", "孙的口令12345")
    stolen = path.with_name("stolen.keys")
    shutil.copyfile(keys_path(path), stolen)  # what the user could have copied while still at the station
    old_key = store_key_with(path, "孙督导", "孙的口令12345")
    accounts(admin).remove("孙督导")
    Workstation(admin.store, admin.actor).children.create(
        {"name": "周新档", "sex": "F", "birth_date": dt.date(2016, 5, 1)})
    admin.store.dispose()

    assert unlock(stolen, Credentials("孙督导", "孙的口令12345"), record=False).key == old_key
    assert not opens(path, old_key)
    with pytest.raises(LoginError, match="没有名为“孙督导”的账号"):
        login(path.parent, user="孙督导", password="孙的口令12345")
    again = login(path.parent, user=OPERATOR, password=TEST_PASSWORD)  # the others still open it
    try:
        assert again.store.key != old_key and opens(path, again.store.key)
    finally:
        again.store.dispose()


def test_the_recovery_key_opens_the_store_and_sets_a_new_admin_password(tmp_path):
    made = login(tmp_path, user="新站长", password="第一个口令123")
    made.store.dispose()
    recovery = made.recovery_key
    assert recovery is not None and len(recovery.replace("-", "")) == 40
    keyring.forget_all()
    typed = recovery.replace("-", " ")  # as someone types it from the paper
    rescued = login(tmp_path, user="新站长", password=typed, recovery=True)
    try:
        accounts(rescued).reset_password("新站长", "找回后的口令456")
    finally:
        rescued.store.dispose()
    assert login(tmp_path, user="新站长", password="找回后的口令456").actor.name == "新站长"
    with pytest.raises(LoginError, match="恢复密钥不正确"):
        login(tmp_path, user="新站长", password="1" * 40, recovery=True)


def test_a_backup_opens_with_the_passwords_valid_when_it_was_made(admin, make_child):
    path = admin.store.path
    backup = backups.write_backup(path, "manual")
    accounts(admin).change_password(TEST_PASSWORD, NEW_PASSWORD)
    admin.store.dispose()
    keyring.forget_all()
    assert not backups.verify_backup(backup).ok  # no key known to this process: it cannot be read
    with pytest.raises(LoginError):
        unlock(keys_path(backup), Credentials(OPERATOR, NEW_PASSWORD), record=False)
    key = unlock(keys_path(backup), Credentials(OPERATOR, TEST_PASSWORD), record=False).key
    assert backups.verify_backup(backup).ok and opens(backup, key)


def test_a_backup_made_before_a_rekey_is_still_checked_and_restored_by_todays_admin(admin):
    path = admin.store.path
    accounts(admin).add("李督导", "supervisor", "李的口令12345")
    backup = backups.write_backup(path, "manual")
    accounts(admin).remove("李督导")
    admin.store.dispose()
    keyring.forget_all()
    login(path.parent, user=OPERATOR, password=TEST_PASSWORD).store.dispose()  # today's key and those before it
    assert backups.verify_backup(backup).ok
    backups.restore_backup(path, backup)
    restored = login(path.parent, user=OPERATOR, password=TEST_PASSWORD)
    try:  # the accounts of the backup's day come back with it
        assert {a.name for a in accounts(restored).accounts() if a.active} == {OPERATOR, "李督导"}
    finally:
        restored.store.dispose()


def test_a_plain_store_and_its_plain_backups_are_encrypted_at_the_first_admin_login(tmp_path):
    source = Path(__file__).parent / "data" / "stores" / "v0.1.0.sqlite3"
    shutil.copyfile(source, tmp_path / DB_FILENAME)
    plain_backup = tmp_path / "weibao.manual.20240101-080000.bak.sqlite3"
    shutil.copyfile(source, plain_backup)
    torn = tmp_path / "weibao.damaged-20240102-080000.sqlite3"
    torn.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4096)
    with pytest.raises(LoginError, match="站长"):
        login(tmp_path, user="不存在的人", password=TEST_PASSWORD)
    assert cipher.is_plain(tmp_path / DB_FILENAME) and not keys_path(tmp_path / DB_FILENAME).exists()

    logged = login(tmp_path, user="陈站长", password=TEST_PASSWORD)
    logged.store.dispose()
    assert logged.recovery_key and any("已转换为加密格式" in w for w in logged.warnings)
    assert not torn.exists(), "a plain copy that cannot be read is removed"
    assert not [p for p in tmp_path.iterdir() if p.is_file() and cipher.is_plain(p)]
    assert backups.verify_backup(plain_backup).ok and keys_path(plain_backup).exists()
    name = json.loads(source.with_suffix(".json").read_text(encoding="utf-8"))["sample"]["child"][0]["name"]
    for path in tmp_path.iterdir():
        if path.is_file():
            assert name.encode() not in path.read_bytes(), path.name


def test_a_key_slot_file_cannot_lend_one_users_slot_to_another(admin):
    accounts(admin).add("吴查看", "supervisor", "吴的口令12345")
    keys = keys_path(admin.store.path)
    data = json.loads(keys.read_text(encoding="utf-8"))
    theirs = next(slot for slot in data["slots"] if slot["name"] == "吴查看")
    data["slots"] = [dict(theirs, name=OPERATOR) if slot["name"] == OPERATOR else slot for slot in data["slots"]]
    keys.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(LoginError, match="密码不正确"):
        unlock(keys, Credentials(OPERATOR, "吴的口令12345"), record=False)


def test_the_test_suite_kdf_is_cheap_only_by_its_own_switch(monkeypatch):
    assert keyfile.kdf_params() == keyfile.KDF_CHEAP
    monkeypatch.delenv(keyfile.CHEAP_KDF_ENV)
    assert keyfile.kdf_params() == keyfile.KDF_DEFAULT and keyfile.KDF_DEFAULT["memory_kib"] >= 65536
    assert lockout.MAX_FAILURES == 5


def test_a_server_store_keeps_accounts_with_argon2_hashes_and_the_same_lockout(pg_server):
    url = pg_server.new_database()
    first = login(db_url=url, user="县管理员", password="县里的口令123")  # a new server store: its first admin
    clock = FakeClock()
    try:
        assert first.actor.role == "head" and first.recovery_key is None
        accounts(first, clock).add("县科员", "county", "科员的口令123")
        with first.store.sessions() as session:
            from weibao_desktop.models.entities import User

            hashes = [u.password_hash for u in session.query(User)]
        assert all(h.startswith("$argon2id$") for h in hashes) and "科员的口令123" not in str(hashes)
        for _ in range(4):
            with pytest.raises(LoginError, match="密码不正确"):
                login(db_url=url, user="县科员", password="错的口令", clock=clock)
        with pytest.raises(LoginError):
            login(db_url=url, user="县科员", password="错的口令", clock=clock)
        with pytest.raises(AccountLocked):
            login(db_url=url, user="县科员", password="科员的口令123", clock=clock)
        accounts(first, clock).unlock("县科员")
        clerk = login(db_url=url, user="县科员", password="科员的口令123", clock=clock)
        assert clerk.actor.role == "county"
        clerk.store.dispose()
        with pytest.raises(LoginError, match="没有名为"):
            login(db_url=url, user="不存在的人", password="随便的口令123")
    finally:
        first.store.dispose()
