"""First start on a new computer: set up the station (the same as `weibao init`)."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

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
