"""The open password of an encrypted ledger: asked once to open a file, twice when one is set at export.

This is the file's own password (what Excel or WPS ask for when the file is opened), never the password
that logs into the program; the dialog says so, since a clerk would otherwise reuse the one she knows.
"""
from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

MAX_LENGTH = 255  # Excel's limit: a longer password could not be typed there
NOT_LOGIN = "这是台账文件自己的打开密码（在 Excel、WPS 中打开时输入），不是登录本程序的密码，请勿使用登录密码。"
FROM_SENDER = "请输入发送方另行告知的文件打开密码（不是登录本程序的密码）。"
SHARE_HINT = "请另行告知接收人（打电话或当面），不要和文件放在同一条消息里发送。忘记密码将无法打开文件。"


class PasswordDialog(QDialog):
    """One password field, or two that must agree (`confirm`); 确定 only when there is something to use."""

    def __init__(self, parent: QWidget | None, title: str, prompt: str, confirm: bool = False):
        super().__init__(parent)
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        text = QLabel(prompt + "\n" + (NOT_LOGIN + "\n" + SHARE_HINT if confirm else FROM_SENDER))
        text.setWordWrap(True)
        layout.addWidget(text)
        form = QFormLayout()
        self.password = self._field()
        form.addRow("密码", self.password)
        self.again: QLineEdit | None = None
        if confirm:
            self.again = self._field()
            form.addRow("再次输入", self.again)
        layout.addLayout(form)
        self.problem = QLabel("")
        self.problem.setStyleSheet("color: #b00020")
        layout.addWidget(self.problem)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Ok).setText("确定")
        self.buttons.button(QDialogButtonBox.Cancel).setText("取消")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._check()
        self.resize(440, self.sizeHint().height())

    def _field(self) -> QLineEdit:
        field = QLineEdit()
        field.setEchoMode(QLineEdit.Password)
        field.setMaxLength(MAX_LENGTH)
        field.textChanged.connect(self._check)
        return field

    def _check(self) -> None:
        first = self.password.text()
        problem = ""
        if self.again is not None and self.again.text() and self.again.text() != first:
            problem = "两次输入的密码不一致"
        elif self.again is not None and first != first.strip():  # a password file's line is read stripped
            problem = "密码首尾不能有空格（别处输入时容易漏掉）"
        self.problem.setText(problem)
        ready = bool(first) and not problem and (self.again is None or self.again.text() == first)
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(ready)

    def value(self) -> str:
        return self.password.text()

    @staticmethod
    def get_password(parent: QWidget | None, title: str, prompt: str, confirm: bool = False) -> tuple[str, bool]:
        """(password, True) when the user pressed 确定; ("", False) when cancelled. Tests answer it directly."""
        dialog = PasswordDialog(parent, title, prompt, confirm)
        if dialog.exec() != QDialog.Accepted:
            return "", False
        return dialog.value(), True


__all__ = ["PasswordDialog"]
