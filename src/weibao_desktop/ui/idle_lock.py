"""The idle lock: after the minutes set in 设置 (default 10) without a key press or a mouse action anywhere in
the program, every window is covered and a lock screen asks the current account's password.

Nothing is closed while locked: open dialogs stay open under a cover (a dialog's exec() keeps running, so what
was typed is still there after unlocking). Wrong passwords count toward the account's lockout as at login.
The clock is a function returning seconds, so tests move time on by hand.
"""
from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QSpinBox,
    QWidget,
)

from . import options
from .login_window import LoginWindow

INPUT_EVENTS = frozenset({QEvent.KeyPress, QEvent.MouseButtonPress, QEvent.MouseMove, QEvent.Wheel,
                          QEvent.TouchBegin})


class LockScreen(LoginWindow):
    """The login window for the account already working: only the password; Escape does not leave it. The way
    out for someone else at the computer is 退出程序…, which says that unsaved input is lost and asks first."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.quit_requested = False
        self.buttons.rejected.disconnect()
        self.quit_button = self.buttons.button(QDialogButtonBox.Cancel)
        self.quit_button.setText("退出程序…")
        self.buttons.rejected.connect(self.ask_quit)

    def reject(self) -> None:
        self.show_error("请输入密码解锁。", self.password)

    def ask_quit(self) -> None:
        answer = QMessageBox.question(self, "退出程序", "退出程序后，没有保存的内容将丢失。确定退出吗？",
                                      QMessageBox.Yes | QMessageBox.No, QMessageBox.No)
        if answer == QMessageBox.Yes:
            self.quit_requested = True
            self.done(LoginWindow.Rejected)


class Cover(QWidget):
    """An opaque sheet over a window's content while the program is locked (a child's data stays hidden)."""

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.setAutoFillBackground(True)
        self.setGeometry(parent.rect())
        text = QLabel("已锁定", self)
        text.move(parent.rect().center())
        self.show()
        self.raise_()


class IdleLock(QObject):
    """Watches input for the whole application; `check()` locks when the idle time has passed (a timer calls
    it every few seconds; tests call it after moving `now` on)."""

    def __init__(self, window, *, now: Callable[[], float] = time.monotonic, login_clock=None,
                 interval_ms: int = 15000):
        super().__init__(window)
        self.window = window
        self.now = now
        self.login_clock = login_clock
        self.last_input = now()
        self.locked = False
        QApplication.instance().installEventFilter(self)
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)
        self.timer.start(interval_ms)
        window.destroyed.connect(self.stop)

    def stop(self) -> None:
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if not self.locked and event.type() in INPUT_EVENTS:
            self.last_input = self.now()
        return False

    @staticmethod
    def minutes() -> int:
        return max(0, options.IDLE_MINUTES.get())

    def check(self) -> None:
        minutes = self.minutes()
        if self.locked or minutes == 0 or not self.window.isVisible():
            return
        if self.now() - self.last_input >= minutes * 60:
            self.lock()

    def lock(self) -> None:
        """Cover every window and wait for the password; returns once unlocked."""
        self.locked = True
        covers = [Cover(w) for w in QApplication.topLevelWidgets() if w.isVisible() and w.isWindow()]
        try:
            screen = LockScreen(self._check_password, self.window, user=self.window.ws.actor.name,
                                audit_store=self.window.ws.store, title="已锁定", fixed_user=True,
                                prompt=f"{self.minutes()}分钟没有操作，程序已锁定。请输入密码继续，"
                                       "未保存的内容都还在。")
            screen.exec()
            if screen.quit_requested:  # under the covers still: nothing shows while the program ends
                from ..services import audit

                try:
                    audit.record(self.window.ws.store, "logout", detail={"reason": "锁定时退出程序"},
                                 actor=self.window.ws.actor)
                except Exception:  # noqa: BLE001 - a busy store must not keep the program from ending
                    pass
                self.quit_program()
        finally:
            for cover in covers:
                cover.deleteLater()
            self.last_input = self.now()
            self.locked = False

    def quit_program(self) -> None:
        """Leave every event loop (the dialogs under the covers and the main one): the program ends."""
        QApplication.instance().exit(0)

    def _check_password(self, name: str, password: str) -> bool:
        from ..vault.login import Credentials

        store = self.window.ws.store
        credentials = Credentials(name, password)
        if store.path is not None:
            from ..services.audit import record_failed_logins
            from ..vault.keyfile import keys_path
            from ..vault.login import unlock

            record_failed_logins(store, unlock(keys_path(store.path), credentials, self.login_clock).failures)
        else:
            from ..services.accounts import check_server_password
            from ..vault.lockout import SystemClock

            check_server_password(store, credentials, self.login_clock or SystemClock())
        return True


class IdleSetting(QWidget):
    """设置 → 自动锁定: the idle minutes (0: never)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.minutes = QSpinBox(self)
        self.minutes.setRange(0, 240)
        self.minutes.setSuffix(" 分钟")
        self.minutes.setSpecialValueText("从不")
        self.minutes.setValue(IdleLock.minutes())
        self.minutes.valueChanged.connect(options.IDLE_MINUTES.set)
        form = QFormLayout(self)
        form.addRow("无操作自动锁定：", self.minutes)
        note = QLabel("离开电脑时，程序在这段时间后自动锁定，需要输入密码才能继续（未保存的内容不会丢失）。", self)
        note.setWordWrap(True)
        note.setStyleSheet("color: gray;")
        form.addRow(note)
