"""The login window: account name and password, shown at start, on 切换用户, and (as a lock screen) when idle.

It imports only the vault's login module (standard library, argon2, cryptography) until 登录 is pressed, so
the data layer keeps loading on the start-up thread while the user types. A refusal is shown in place under
the password field, in the words of the LoginError, and the password is cleared; the user stays in the window.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from .colour import OVERDUE_TEXT
from .names import APP_NAME


def record_refusal(store, user: str, error) -> None:
    """A refused login in the audit log of a store that is already open (switching user, the idle lock). A wrong
    password on a store with key slots is not written here: the slot file records it, and the next successful
    login or unlock carries every such failure into the trail (audit.record_failed_logins), cold starts' too.
    A server store (no slot file), an unknown name and a try on a locked account are written at once."""
    reason = getattr(error, "reason", "")
    if store is None or not user:
        return
    if reason == "wrong_password" and getattr(store, "path", None) is not None:
        return
    from ..services import audit

    action = "locked" if reason == "locked" else "login_failed"
    try:
        audit.record(store, action, user, {"reason": error.reason}, actor=user, role="")
    except Exception:  # the trail must not keep a person out; the key slot file still counts the failure
        pass


class LoginWindow(QDialog):
    """`open_as(user, password)` logs in (raises LoginError, or returns None when the user gave up at a
    follow-up question such as restoring a backup); after Accepted, `logged` is what it returned."""

    def __init__(self, open_as: Callable[[str, str], Any], parent: QWidget | None = None, *, user: str = "",
                 audit_store=None, title: str = "登录", prompt: str = "请输入账号姓名和密码。",
                 fixed_user: bool = False):
        super().__init__(parent)
        self.open_as = open_as
        self.audit_store = audit_store
        self.logged: Any = None
        self.gave_up = False
        self.setWindowTitle(f"{APP_NAME} - {title}")
        heading = QLabel(APP_NAME, self)
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        heading.setFont(font)
        heading.setAlignment(Qt.AlignCenter)
        self.prompt = QLabel(prompt, self)
        self.prompt.setWordWrap(True)
        self.user = QLineEdit(user, self)
        self.user.setPlaceholderText("例如：张站长")
        self.user.setMaxLength(50)
        self.user.setReadOnly(fixed_user)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.Password)
        self.error = QLabel(self)
        self.error.setStyleSheet(f"color:{OVERDUE_TEXT.name()};")
        self.error.setWordWrap(True)
        self.error.hide()
        form = QFormLayout()
        form.addRow("账号姓名：", self.user)
        form.addRow("密码：", self.password)
        form.addRow("", self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel, self)
        self.login_button = self.buttons.button(QDialogButtonBox.Ok)
        self.login_button.setText("登录")
        self.buttons.button(QDialogButtonBox.Cancel).setText("退出")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.prompt)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        (self.password if user else self.user).setFocus()
        self.setMinimumWidth(self.fontMetrics().height() * 26)

    def show_error(self, text: str, field: QLineEdit) -> None:
        self.error.setText(text)
        self.error.show()
        self.adjustSize()  # room for a message of two lines
        field.setFocus()

    def accept(self) -> None:
        from ..vault.login import LoginError

        user = self.user.text().strip()
        if not user:
            self.show_error("请填写账号姓名。", self.user)
            return
        if not self.password.text():
            self.show_error("请输入密码。", self.password)
            return
        self.error.hide()
        self.setEnabled(False)  # a wrong password waits a little (lockout); no second click meanwhile
        try:
            logged = self.open_as(user, self.password.text())
        except LoginError as e:
            record_refusal(self.audit_store, user, e)
            self.password.clear()
            self.show_error(str(e), self.user if e.reason == "unknown_user" else self.password)
            return
        finally:
            self.setEnabled(True)
        if logged is None:  # a damaged store the user chose not to restore: nothing to log in to
            self.gave_up = True
            super().reject()
            return
        self.logged = logged
        self.password.clear()
        super().accept()
