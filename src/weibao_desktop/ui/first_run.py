"""First start on a new computer: the encrypted store, its first admin and the station (as `weibao init`);
FirstRunDialog sets up the station of a store that exists already."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ..domain.errors import WeibaoError
from .colour import OVERDUE_TEXT

_SPLIT = re.compile(r"[\n、，,;；]+")


class FirstRunDialog(QDialog):
    """Asks for the station's name, 12-digit code, county, villages and the head's name, then sets the store
    up. After `exec()` returns Accepted, `workstation` acts as that person on the new station."""

    def __init__(self, store, parent: QWidget | None = None, *, user: str | None = None,
                 today: Callable[[], dt.date] = dt.date.today):
        super().__init__(parent)
        self.store = store
        self.today = today
        self.workstation = None
        self.setWindowTitle("首次使用：设置工作站")
        intro = QLabel(
            "欢迎使用未保工作站。请先填写本工作站的信息（以后可在“设置”中添加村(社区)和用户）。\n"
            "区划代码是国家统计局的12位统计用区划代码，例如“430104001000”。", self)
        intro.setWordWrap(True)
        self.name = QLineEdit(self)
        self.name.setPlaceholderText("例如：城关镇")
        self.code = QLineEdit(self)
        self.code.setPlaceholderText("12位数字")
        self.code.setMaxLength(12)
        self.county = QLineEdit(self)
        self.county.setPlaceholderText("例如：岳麓区（可不填）")
        self.villages = QPlainTextEdit(self)
        self.villages.setPlaceholderText("每行一个，或用顿号分隔，例如：东村、西村、南村")
        self.villages.setTabChangesFocus(True)
        self.user = QLineEdit(self)
        self.user.setPlaceholderText("站长或儿童督导员的姓名")
        if user:
            self.user.setText(user)
        self.error = QLabel(self)
        self.error.setStyleSheet(f"color:{OVERDUE_TEXT.name()};")
        self.error.setWordWrap(True)
        self.error.hide()
        form = QFormLayout()
        form.addRow("工作站名称：", self.name)
        form.addRow("区划代码：", self.code)
        form.addRow("所属县(区)：", self.county)
        form.addRow("村(社区)：", self.villages)
        form.addRow("您的姓名：", self.user)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel, self)
        buttons.button(QDialogButtonBox.Ok).setText("开始使用")
        buttons.button(QDialogButtonBox.Cancel).setText("退出")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self._fields = {"name": self.name, "code": self.code, "villages": self.villages, "actor": self.user}

    def village_names(self) -> list[str]:
        return [v.strip() for v in _SPLIT.split(self.villages.toPlainText()) if v.strip()]

    def accept(self) -> None:
        from ..services import Workstation

        self.error.hide()
        try:
            ws = Workstation(self.store, self.user.text().strip(), today=self.today)
            ws.stations.init(self.name.text(), self.code.text(), self.county.text().strip() or None,
                             self.village_names())
        except WeibaoError as e:
            message = "请填写您的姓名" if e.field == "actor" else str(e)
            self.error.setText(message)
            self.error.show()
            self._fields.get(e.field, self.name).setFocus()
            return
        self.workstation = Workstation.as_account(self.store, ws.actor.name, today=self.today)  # now the head
        super().accept()


RECOVERY_WARNING = (
    "这是数据库的恢复密钥，只显示这一次。\n"
    "所有账号的密码都忘记时，只有它能打开数据库。如果所有密码和这个恢复密钥都丢失了，数据就再也无法打开，"
    "任何人（包括开发者）都无法找回。\n"
    "请现在打印或抄写下来，放进站内的保险柜；不要存在这台电脑上，也不要拍照发到群里。")


class FirstStartDialog(QDialog):
    """First start on an empty data folder: the station, its villages and the first admin (name and password
    twice). 开始使用 creates the encrypted store with that admin (as `weibao init` does), sets up the station
    and shows the recovery key once; after Accepted, `workstation` acts as the admin."""

    def __init__(self, data_dir, db_url: str | None = None, parent: QWidget | None = None, *,
                 today: Callable[[], dt.date] = dt.date.today, show_recovery_key: Callable | None = None):
        super().__init__(parent)
        self.data_dir, self.db_url, self.today = data_dir, db_url, today
        self.show_recovery_key = show_recovery_key or (lambda key: RecoveryKeyDialog(key, self).exec())
        self.workstation = None
        self.setWindowTitle("首次使用：设置工作站和管理员")
        intro = QLabel(
            "欢迎使用未保工作站。请填写本工作站的信息，并设定第一个管理员（站长）账号。数据库将加密保存，"
            "只有凭账号密码（或恢复密钥）才能打开。\n区划代码是国家统计局的12位统计用区划代码，例如“430104001000”。",
            self)
        intro.setWordWrap(True)
        self.name = QLineEdit(self)
        self.name.setPlaceholderText("例如：城关镇")
        self.code = QLineEdit(self)
        self.code.setPlaceholderText("12位数字")
        self.code.setMaxLength(12)
        self.county = QLineEdit(self)
        self.county.setPlaceholderText("例如：岳麓区（可不填）")
        self.villages = QPlainTextEdit(self)
        self.villages.setPlaceholderText("每行一个（可从表格中复制一列粘贴），或用顿号分隔，例如：东村、西村")
        self.villages.setTabChangesFocus(True)
        self.user = QLineEdit(self)
        self.user.setPlaceholderText("站长的姓名，登录时使用")
        self.user.setMaxLength(50)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.Password)
        self.again = QLineEdit(self)
        self.again.setEchoMode(QLineEdit.Password)
        self.error = QLabel(self)
        self.error.setStyleSheet(f"color:{OVERDUE_TEXT.name()};")
        self.error.setWordWrap(True)
        self.error.hide()
        form = QFormLayout()
        form.addRow("工作站名称：", self.name)
        form.addRow("区划代码：", self.code)
        form.addRow("所属县(区)：", self.county)
        form.addRow("村(社区)：", self.villages)
        form.addRow("管理员姓名：", self.user)
        form.addRow("密码：", self.password)
        form.addRow("再次输入密码：", self.again)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel, self)
        buttons.button(QDialogButtonBox.Ok).setText("开始使用")
        buttons.button(QDialogButtonBox.Cancel).setText("退出")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self._fields = {"name": self.name, "code": self.code, "villages": self.villages, "actor": self.user,
                        "password": self.password}

    def village_names(self) -> list[str]:
        return [v.strip() for v in _SPLIT.split(self.villages.toPlainText()) if v.strip()]

    def _refuse(self, message: str, field: str) -> None:
        self.error.setText(message)
        self.error.show()
        self._fields.get(field, self.name).setFocus()

    def accept(self) -> None:
        from ..services.accounts import check_new_password
        from ..vault.login import login

        self.error.hide()
        admin, password = self.user.text().strip(), self.password.text()
        if not admin:
            return self._refuse("请填写管理员姓名。", "actor")
        try:
            check_new_password(password, admin)
        except WeibaoError as e:
            return self._refuse(str(e), "password")
        if password != self.again.text():
            self.again.clear()
            return self._refuse("两次输入的密码不一致，请重新输入。", "password")
        from ..services import Workstation, audit
        from ..vault.login import LoginError

        try:
            logged = login(self.data_dir, self.db_url, user=admin, password=password)
        except LoginError as e:  # a store appeared in the folder meanwhile (another window): say so
            return self._refuse(str(e), "password")
        try:
            ws = Workstation(logged.store, logged.actor, today=self.today)
            ws.stations.init(self.name.text(), self.code.text(), self.county.text().strip() or None,
                             self.village_names())
        except WeibaoError as e:
            # The store made a moment ago holds nothing: removed, so the next try (or start) begins afresh.
            self._discard(logged.store)
            return self._refuse(str(e), e.field)
        audit.record(logged.store, "login", actor=logged.actor)
        self.workstation = Workstation.as_account(logged.store, admin, today=self.today)
        if logged.recovery_key:
            self.show_recovery_key(logged.recovery_key)
        super().accept()

    @staticmethod
    def _discard(store) -> None:
        path = store.path
        store.dispose()
        if path is not None:
            for side in ("", "-wal", "-shm", "-journal", ".keys"):
                path.with_name(path.name + side).unlink(missing_ok=True)


class RecoveryKeyDialog(QDialog):
    """The recovery key, once, with what losing it means; 复制 or 打印, then 我已妥善保存."""

    def __init__(self, key: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.key = key
        self.setWindowTitle("恢复密钥（只显示这一次）")
        warning = QLabel(RECOVERY_WARNING, self)
        warning.setWordWrap(True)
        warning.setStyleSheet(f"color:{OVERDUE_TEXT.name()};")
        shown = QLabel(key, self)
        shown.setTextInteractionFlags(Qt.TextSelectableByMouse)
        font = QFontDatabase.systemFont(QFontDatabase.FixedFont)
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        shown.setFont(font)
        shown.setAlignment(Qt.AlignCenter)
        self.shown = shown
        self.done_label = QLabel(self)
        buttons = QDialogButtonBox(self)
        self.copy_button = buttons.addButton("复制", QDialogButtonBox.ActionRole)
        self.print_button = buttons.addButton("打印", QDialogButtonBox.ActionRole)
        self.close_button = buttons.addButton("我已妥善保存", QDialogButtonBox.AcceptRole)
        self.copy_button.clicked.connect(self.copy)
        self.print_button.clicked.connect(self.print_key)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(warning)
        layout.addWidget(shown)
        layout.addWidget(self.done_label)
        layout.addWidget(buttons)
        self.setMinimumWidth(self.fontMetrics().height() * 32)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.key)
        self.done_label.setText("已复制。请粘贴到要打印的文档中打印后删除，不要留在电脑上。")

    def print_key(self) -> None:
        from PySide6.QtGui import QTextDocument
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.HighResolution)
        if QPrintDialog(printer, self).exec() != QDialog.Accepted:
            return
        doc = QTextDocument()
        doc.setPlainText(f"未保工作站 数据库恢复密钥\n\n{self.key}\n\n{RECOVERY_WARNING}")
        doc.print_(printer)
        self.done_label.setText("已发送到打印机。")
