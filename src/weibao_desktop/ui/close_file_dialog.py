"""销档: why and since when; the file stays searchable and can be reopened."""
from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QComboBox, QDateEdit, QDialogButtonBox, QFormLayout, QLabel, QPlainTextEdit, QVBoxLayout

from ..domain import codes
from ..domain.errors import WeibaoError
from ..services.dto import ChildDetail
from .case_dialog import SavingDialog
from .colour import OVERDUE_TEXT
from .operations import Changes
from .tasks import Tasks


class CloseFileDialog(SavingDialog):
    """销档: why (a reason from the list, with a note), and since when. The file stays searchable."""

    def __init__(self, ws, tasks: Tasks, child: ChildDetail, parent=None):
        super().__init__(ws, tasks, parent)
        self.child = child
        self.setWindowTitle(f"销档：{child.name}")
        self.reason = QComboBox(self)
        self.reason.addItem("请选择…", "")
        for c in codes.CLOSE_REASON:
            self.reason.addItem(c.label, c.code)
        self.reason.setAccessibleName("销档原因")
        self.closed_on = QDateEdit(self)
        self.closed_on.setCalendarPopup(True)
        self.closed_on.setDisplayFormat("yyyy-MM-dd")
        today = ws.ctx.today()
        self.closed_on.setMaximumDate(QDate(today.year, today.month, today.day))
        self.closed_on.setDate(QDate(today.year, today.month, today.day))
        self.note = QPlainTextEdit(self)
        self.note.setPlaceholderText("说明（原因为“其他”时必填），例如迁往何处、由谁接收")
        self.note.setTabChangesFocus(True)
        self.error = QLabel(self)
        self.error.setStyleSheet(f"color:{OVERDUE_TEXT.name()};")
        self.error.setWordWrap(True)
        self.error.hide()
        form = QFormLayout()
        form.addRow("销档原因：", self.reason)
        form.addRow("销档日期：", self.closed_on)
        form.addRow("说明：", self.note)
        hint = QLabel("销档后档案仍保存在本机，可在“儿童档案”中选择“已销档”查到，需要时可以恢复。", self)
        hint.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel, self)
        self.confirm_button = buttons.button(QDialogButtonBox.Ok)
        self.confirm_button.setText("确定销档")
        buttons.button(QDialogButtonBox.Cancel).setText("取消")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def snapshot(self) -> object:
        return (self.reason.currentIndex(), self.closed_on.date(), self.note.toPlainText())

    def operation(self):
        picked = self.closed_on.date()
        children, uuid = self.ws.children, self.child.uuid
        reason, note = self.reason.currentData() or "", self.note.toPlainText()
        day = dt.date(picked.year(), picked.month(), picked.day())
        return lambda: children.close(uuid, reason, note, day)

    def changes(self, result: Any) -> Changes:
        return Changes(children={self.child.uuid}, visits=True)  # a closed file leaves the due lists

    def clear_errors(self) -> None:
        self.error.hide()

    def show_error(self, e: WeibaoError) -> None:
        self.error.setText(str(e))
        self.error.show()
        {"closed_note": self.note, "closed_on": self.closed_on}.get(e.field, self.reason).setFocus()


__all__ = ["CloseFileDialog"]
