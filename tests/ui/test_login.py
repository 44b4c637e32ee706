"""The login window and the first start: what a person sees when typing a right or wrong password, a locked
account, and a new computer whose encrypted store is made with the first admin."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from ui_typing import type_text

from factories import OPERATOR, TEST_PASSWORD
from weibao_desktop.services import Workstation
from weibao_desktop.ui.app import log_in, start
from weibao_desktop.ui.login_window import LoginWindow
from weibao_desktop.vault.login import Credentials


class FakeClock:
    """The lockout's clock: wrong passwords wait on it, which costs a test nothing."""

    def __init__(self):
        self.at = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
        self.slept = 0.0

    def now(self) -> dt.datetime:
        return self.at

    def sleep(self, seconds: float) -> None:
        self.slept += seconds


def login_window(qtbot, store, clock, user: str = "") -> LoginWindow:
    data_dir = store.path.parent
    window = LoginWindow(lambda name, password: log_in(data_dir, None, Credentials(name, password), clock),
                         user=user, audit_store=store)
    qtbot.addWidget(window)
    window.show()
    return window


def press_login(qtbot, window: LoginWindow) -> None:
    qtbot.mouseClick(window.login_button, Qt.LeftButton)


def audit_actions(ws) -> list[tuple[str, str]]:
    return [(e.action, e.actor) for e in ws.audit.entries()]


def test_the_right_password_logs_in_as_that_account(qtbot, ws):
    window = login_window(qtbot, ws.store, FakeClock())
    type_text(window.user, OPERATOR)
    type_text(window.password, TEST_PASSWORD)
    press_login(qtbot, window)
    assert window.result() == QDialog.Accepted
    assert window.logged.actor.name == OPERATOR and window.logged.actor.role == "head"
    assert window.password.text() == ""
    assert ("login", OPERATOR) in audit_actions(ws)
    window.logged.store.dispose()


def test_a_wrong_password_says_so_under_the_field_and_clears_it(qtbot, ws):
    window = login_window(qtbot, ws.store, FakeClock(), user=OPERATOR)
    type_text(window.password, "不是这个密码")
    press_login(qtbot, window)
    assert window.result() != QDialog.Accepted and window.isVisible()
    assert window.error.isVisible()
    assert "密码不正确" in window.error.text() and "再错4次" in window.error.text()
    assert window.password.text() == ""

    type_text(window.password, TEST_PASSWORD)  # the user stays in the window and tries again
    press_login(qtbot, window)
    assert window.result() == QDialog.Accepted
    # The failure is in the trail, written by the login that succeeded, with its own time.
    [failed] = [e for e in ws.audit.entries() if e.action == "login_failed"]
    assert failed.actor == OPERATOR and failed.detail["at"].startswith("2026-03-02")
    window.logged.store.dispose()


def test_wrong_passwords_at_a_cold_start_reach_the_trail_at_the_next_login(ws):
    """No store is open while nobody has logged in: the key slot file keeps the failures, and the next login
    (here from the command line's login function, as a fresh start would) writes each one to the audit log."""
    import pytest

    from weibao_desktop.vault.login import LoginError, login

    folder = ws.store.path.parent
    for _ in range(2):
        with pytest.raises(LoginError):
            login(folder, user=OPERATOR, password="猜的密码", clock=FakeClock())
    assert [a for a, _u in audit_actions(ws)].count("login_failed") == 0
    logged = login(folder, user=OPERATOR, password=TEST_PASSWORD, clock=FakeClock())
    logged.store.dispose()
    assert [a for a, _u in audit_actions(ws)].count("login_failed") == 2
    logged = login(folder, user=OPERATOR, password=TEST_PASSWORD, clock=FakeClock())  # carried once only
    logged.store.dispose()
    assert [a for a, _u in audit_actions(ws)].count("login_failed") == 2
    assert ws.audit.verify().intact


def test_an_unknown_name_is_named(qtbot, ws):
    window = login_window(qtbot, ws.store, FakeClock(), user="没有这个人")
    type_text(window.password, TEST_PASSWORD)
    press_login(qtbot, window)
    assert "没有名为“没有这个人”的账号" in window.error.text()


def test_five_wrong_passwords_lock_the_account_and_say_until_when(qtbot, ws):
    clock = FakeClock()
    window = login_window(qtbot, ws.store, clock, user=OPERATOR)
    for _ in range(5):
        type_text(window.password, "错误的密码")
        press_login(qtbot, window)
    assert "已被锁定" in window.error.text() and "约15分钟后" in window.error.text()
    type_text(window.password, TEST_PASSWORD)  # even the right password waits for the lock to end
    press_login(qtbot, window)
    assert window.result() != QDialog.Accepted and "已被锁定" in window.error.text()
    assert ("locked", OPERATOR) in audit_actions(ws)

    clock.at += dt.timedelta(minutes=16)
    type_text(window.password, TEST_PASSWORD)
    press_login(qtbot, window)
    assert window.result() == QDialog.Accepted
    window.logged.store.dispose()


def test_start_without_credentials_shows_the_login_window(qtbot, ws, on_modal, monkeypatch, add_account):
    monkeypatch.delenv("WEIBAO_PASSWORD")
    monkeypatch.delenv("WEIBAO_USER")
    add_account(ws.store, "陈督导")
    data_dir = ws.store.path.parent

    def log_in_as(window):
        assert isinstance(window, LoginWindow)
        type_text(window.user, "陈督导")
        type_text(window.password, TEST_PASSWORD)
        qtbot.mouseClick(window.login_button, Qt.LeftButton)

    seen = on_modal(log_in_as)
    _app, main = start(data_dir, start_page="children")
    assert seen, "the login window appeared"
    qtbot.addWidget(main)
    try:
        assert main.ws.actor.name == "陈督导"
        assert main.user_label.text().startswith("操作人：陈督导")
    finally:
        main.close()
        main.ws.store.dispose()


def test_first_start_makes_an_encrypted_store_and_shows_the_recovery_key_once(qtbot, tmp_path, on_modal,
                                                                             monkeypatch):
    from weibao_desktop.models import cipher
    from weibao_desktop.ui.first_run import FirstStartDialog, RecoveryKeyDialog

    monkeypatch.delenv("WEIBAO_PASSWORD")
    monkeypatch.delenv("WEIBAO_USER")
    data_dir = tmp_path / "new"
    shown: list[str] = []

    def fill(dialog):
        assert isinstance(dialog, FirstStartDialog)
        type_text(dialog.name, "城关镇")
        type_text(dialog.code, "430104001000")
        dialog.villages.setFocus()
        dialog.villages.insertPlainText("东村\n西村\n南村\n")  # a column pasted from a spreadsheet
        type_text(dialog.user, "陈站长")
        type_text(dialog.password, "short")
        type_text(dialog.again, "short")
        dialog.accept()
        assert "至少需要8个字符" in dialog.error.text()
        dialog.password.clear()
        dialog.again.clear()
        type_text(dialog.password, "zhanzhang-2026")
        type_text(dialog.again, "zhanzhang-2025")
        dialog.accept()
        assert "两次输入的密码不一致" in dialog.error.text()
        assert not (data_dir / "weibao.sqlite3").exists()
        type_text(dialog.again, "zhanzhang-2026")

        def read_key(box):
            assert isinstance(box, RecoveryKeyDialog)
            shown.append(box.shown.text())
            qtbot.mouseClick(box.copy_button, Qt.LeftButton)
            qtbot.mouseClick(box.close_button, Qt.LeftButton)

        on_modal(read_key)
        dialog.accept()

    seen = on_modal(fill)
    _app, main = start(data_dir)
    assert seen
    qtbot.addWidget(main)
    try:
        assert main.ws.actor.name == "陈站长" and main.ws.actor.role == "head"
        info = main.ws.stations.info()
        assert info.name == "城关镇" and [v.name for v in info.villages] == ["东村", "南村", "西村"]
        [key] = shown
        from PySide6.QtGui import QGuiApplication

        assert QGuiApplication.clipboard().text() == key
        assert not cipher.is_plain(data_dir / "weibao.sqlite3")
    finally:
        main.close()
        main.ws.store.dispose()
    # The admin's password and the recovery key both open it.
    logged = log_in(data_dir, None, Credentials("陈站长", "zhanzhang-2026"))
    assert logged.actor.name == "陈站长"
    logged.store.dispose()
    from weibao_desktop.vault.login import login

    again = login(data_dir, user="陈站长", password=key, recovery=True)
    again.store.dispose()


def test_first_start_with_a_bad_code_leaves_the_folder_empty(qtbot, tmp_path):
    from weibao_desktop.ui.first_run import FirstStartDialog

    dialog = FirstStartDialog(tmp_path, show_recovery_key=lambda key: None)
    qtbot.addWidget(dialog)
    type_text(dialog.name, "城关镇")
    type_text(dialog.code, "4301")
    type_text(dialog.user, "陈站长")
    type_text(dialog.password, "zhanzhang-2026")
    type_text(dialog.again, "zhanzhang-2026")
    dialog.accept()
    assert "区划代码应为12位数字" in dialog.error.text()
    assert dialog.result() != QDialog.Accepted
    assert not (tmp_path / "weibao.sqlite3").exists() and not (tmp_path / "weibao.sqlite3.keys").exists()
    type_text(dialog.code, "00100000000"[:8])
    dialog.accept()
    assert dialog.result() == QDialog.Accepted
    assert isinstance(dialog.workstation, Workstation)
    dialog.workstation.store.dispose()


def test_a_folder_with_only_a_damaged_store_or_backups_is_no_first_start(tmp_path):
    from weibao_desktop.ui.app import is_first_start

    assert is_first_start(tmp_path, None)
    (tmp_path / "weibao.damaged-20260302-0900.sqlite3").write_bytes(b"x")
    assert not is_first_start(tmp_path, None)
    other = tmp_path / "other"
    other.mkdir()
    (other / "weibao.bak.20260301-0900.sqlite3").write_bytes(b"x")
    assert not is_first_start(other, None)
    assert not is_first_start(tmp_path / "new", "postgresql://server/weibao")


def test_an_admins_unlock_carries_the_failures_it_seals_into_the_trail(ws):
    """Unlocking seals the lockout record afresh: the wrong passwords before it are written to the trail first."""
    import pytest

    from weibao_desktop.services.accounts import AccountService
    from weibao_desktop.vault.login import LoginError, login

    accounts = AccountService(ws.ctx)
    accounts.add("王主任", "supervisor", "wangzhuren-2026")
    folder = ws.store.path.parent
    for _ in range(3):
        with pytest.raises(LoginError):
            login(folder, user="王主任", password="猜的密码", clock=FakeClock())
    accounts.unlock("王主任")
    assert [u for a, u in audit_actions(ws) if a == "login_failed"] == ["王主任"] * 3
    logged = login(folder, user=OPERATOR, password=TEST_PASSWORD, clock=FakeClock())  # nothing carried twice
    logged.store.dispose()
    assert [a for a, _u in audit_actions(ws)].count("login_failed") == 3
