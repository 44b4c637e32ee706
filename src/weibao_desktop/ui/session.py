"""The logged-in session: which main window is current, the open dialogs to ask about before 切换用户
(app.switch_user: back to the login window, then a main window as the new account), and 修改密码.

Switching closes the main window the same way quitting does (settings saved, child files closed), after the
open dialogs with unsaved input were asked about (放弃修改？), so nothing typed is lost without a question.
"""
from __future__ import annotations

from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from ..domain.errors import WeibaoError
from .colour import OVERDUE_TEXT
from .names import APP_NAME

_current: list = []  # the main window on screen now; run() disposes its store at the end


def current_window(default=None):
    return _current[-1] if _current else default


def set_current(window) -> None:
    _current[:] = [window]


def dirty_dialogs() -> list[QDialog]:
    """Open dialogs holding input not saved yet (forms: is_dirty())."""
    found = []
    for widget in QApplication.topLevelWidgets():
        dirty = getattr(widget, "is_dirty", None)
        if isinstance(widget, QDialog) and widget.isVisible() and callable(dirty) and dirty():
            found.append(widget)
    return found


def leave_dialogs(parent: QWidget) -> bool:
    """Close every open dialog, asking 放弃修改？ first when one has unsaved input; False when the user chose
    to keep filling in."""
    from .forms import confirm_discard

    if dirty_dialogs() and not confirm_discard(parent):
        return False
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QDialog) and widget.isVisible():
            widget.done(QDialog.Rejected)  # done(), not reject(): the question was asked once for all
    return True


class ChangePasswordDialog(QDialog):
    """The acting account's own password: the old one, the new one twice."""

    def __init__(self, ws, parent: QWidget | None = None):
        super().__init__(parent)
        self.ws = ws
        self.setWindowTitle("修改密码")
        self.old = self._field()
        self.new = self._field()
        self.again = self._field()
        self.error = QLabel(self)
        self.error.setStyleSheet(f"color:{OVERDUE_TEXT.name()};")
        self.error.setWordWrap(True)
        self.error.hide()
        form = QFormLayout()
        form.addRow("账号：", QLabel(ws.actor.name, self))
        form.addRow("原密码：", self.old)
        form.addRow("新密码：", self.new)
        form.addRow("再次输入新密码：", self.again)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel, self)
        self.buttons.button(QDialogButtonBox.Ok).setText("修改")
        self.buttons.button(QDialogButtonBox.Cancel).setText("取消")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def _field(self) -> QLineEdit:
        field = QLineEdit(self)
        field.setEchoMode(QLineEdit.Password)
        return field

    def _refuse(self, text: str, field: QLineEdit) -> None:
        self.error.setText(text)
        self.error.show()
        field.setFocus()

    def accept(self) -> None:
        from ..services.accounts import AccountService

        if self.new.text() != self.again.text():
            self.again.clear()
            return self._refuse("两次输入的新密码不一致，请重新输入。", self.new)
        try:
            AccountService(self.ws.ctx).change_password(self.old.text(), self.new.text())
        except WeibaoError as e:
            for field in (self.old, self.new, self.again):
                field.clear()
            return self._refuse(str(e), self.old if e.field == "old_password" else self.new)
        QMessageBox.information(self, APP_NAME, "密码已修改。下次登录请使用新密码。")
        super().accept()
