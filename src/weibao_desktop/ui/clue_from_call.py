"""转为强制报告线索: a call that reveals harm becomes a clue, through a form that asks what a clue needs.

Which child (the call's, an existing file, or only a name for a child without a file), what happened (情形,
the call's content to start with), and for each of 公安 / 检察院 / 民政 whether it was told, when, and who
received it. Errors stay in the form, beside their field; nothing is written until 保存 succeeds.
"""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import (
    QCheckBox,
    QDateTimeEdit,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..domain import codes
from ..domain.errors import WeibaoError
from ..services.reports import Notified
from .case_dialog import SavingDialog
from .child_picker import pick_child
from .clues_view import now_on
from .editors import MultiCodeBox
from .forms import ErrorBanner, ErrorLabel, add_save_shortcuts
from .operations import Changes
from .tasks import Tasks

AGENCIES = ("police", "procuratorate", "civil_affairs", "education")


class AgencyRow:
    """已报告 X: a check box, the time (now, once ticked) and who received it."""

    def __init__(self, agency: str, grid: QGridLayout, row: int, parent: QWidget, now: dt.datetime):
        self.agency = agency
        label = codes.REPORTED_TO.label_of(agency)
        self.check = QCheckBox(f"已报告{label}", parent)
        self.at = QDateTimeEdit(QDateTime(now), parent)
        self.at.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.at.setCalendarPopup(True)
        self.receiver = QLineEdit(parent)
        self.receiver.setPlaceholderText(f"{label}接收人姓名")
        self.receiver.setAccessibleName(f"{label}接收人")
        self.error = ErrorLabel(parent)
        grid.addWidget(self.check, row * 2, 0)
        grid.addWidget(QLabel("时间", parent), row * 2, 1)
        grid.addWidget(self.at, row * 2, 2)
        grid.addWidget(QLabel("接收人", parent), row * 2, 3)
        grid.addWidget(self.receiver, row * 2, 4)
        grid.addWidget(self.error, row * 2 + 1, 2, 1, 3)
        self.check.toggled.connect(self._enable)
        self._enable(False)

    def _enable(self, on: bool) -> None:
        self.at.setEnabled(on)
        self.receiver.setEnabled(on)
        if on:
            self.receiver.setFocus()

    def value(self) -> Notified | None:
        if not self.check.isChecked():
            return None
        return Notified(self.agency, self.at.dateTime().toPython().replace(second=0, microsecond=0),
                        self.receiver.text().strip())


class ClueFromCallDialog(SavingDialog):
    def __init__(self, ws, tasks: Tasks, call, parent: QWidget | None = None):
        super().__init__(ws, tasks, parent)
        self.call = call
        self.child_uuid: str | None = call.child_uuid
        self.setWindowTitle("转为强制报告线索")
        intro = QLabel("来电反映儿童遭受或可能遭受侵害、无人照料的，应立即向公安、民政等报告，并作为线索跟进。", self)
        intro.setWordWrap(True)

        self.name = QLineEdit(self)
        self.name.setAccessibleName("涉及儿童姓名")
        self.name.setPlaceholderText("儿童姓名（尚未建档也可以只写姓名）")
        self.link_button = QPushButton("关联已有档案…", self)
        self.link_button.clicked.connect(self.link_child)
        self.name_error = ErrorLabel(self)
        child_row = QHBoxLayout()
        child_row.addWidget(self.name, 1)
        child_row.addWidget(self.link_button)
        if call.child_uuid:
            self.name.setText(call.child_name or "")
            self.name.setReadOnly(True)
            self.link_button.hide()

        self.kinds = MultiCodeBox(codes.CLUE_SITUATION, self, columns=2)
        self.situation = QPlainTextEdit(self)
        self.situation.setAccessibleName("线索内容")
        self.situation.setPlainText(call.content or "")
        self.situation.setMinimumHeight(self.fontMetrics().height() * 4)
        self.situation_error = ErrorLabel(self)

        form = QFormLayout()
        form.addRow("涉及儿童 *", child_row)
        form.addRow("", self.name_error)
        form.addRow("情形", self.kinds)
        form.addRow("线索内容 *", self.situation)
        form.addRow("", self.situation_error)

        box = QGroupBox("报告情况（已经报告的请勾选，写明时间和接收人）", self)
        grid = QGridLayout(box)
        now = now_on(ws)
        self.agencies = {agency: AgencyRow(agency, grid, i, box, now) for i, agency in enumerate(AGENCIES)}
        grid.setColumnStretch(4, 1)

        self.banner = ErrorBanner(self)
        buttons = QDialogButtonBox(self)
        self.save_button = buttons.addButton("保存并打开线索", QDialogButtonBox.AcceptRole)
        self.save_button.setAutoDefault(False)
        buttons.addButton("取消", QDialogButtonBox.RejectRole).setAutoDefault(False)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        add_save_shortcuts(self, self.save)

        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addLayout(form)
        lay.addWidget(box)
        lay.addWidget(self.banner)
        lay.addWidget(buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 90)
        (self.situation if call.child_uuid else self.name).setFocus()

    def link_child(self) -> None:
        uuid = pick_child(self.ws, self, "来电涉及哪名儿童？", self.tasks)
        if uuid:
            self.child_uuid = uuid
            self.name.setText(self.ws.children.get(uuid).name)
            self.name.setReadOnly(True)

    def snapshot(self) -> object:
        return (self.name.text(), self.situation.toPlainText(), self.child_uuid, tuple(self.kinds.codes()),
                tuple((a.check.isChecked(), a.receiver.text()) for a in self.agencies.values()))

    def clear_errors(self) -> None:
        self.banner.show_message(None)
        for label in (self.name_error, self.situation_error, *(a.error for a in self.agencies.values())):
            label.show_message(None)

    def set_saving(self, saving: bool) -> None:
        super().set_saving(saving)
        self.save_button.setEnabled(not saving)

    def operation(self):
        name = self.name.text().strip()
        situation = self.situation.toPlainText().strip()
        if not name:
            raise WeibaoError("请填写涉及儿童的姓名（尚未建档的儿童也可以只写姓名）", "child_name")
        if not situation:
            raise WeibaoError("请写明线索内容：发生了什么、在哪里、儿童现在是否安全", "content")
        notified = [n for n in (a.value() for a in self.agencies.values()) if n is not None]
        hotline, call_uuid, child_uuid, kinds = self.ws.hotline, self.call.uuid, self.child_uuid, self.kinds.codes()
        return lambda: hotline.to_clue(call_uuid, name, child_key=child_uuid, situation=situation,
                                       notified=notified, situations=kinds)

    def changes(self, result) -> Changes:
        return Changes(hotline=True, clues=True)

    def show_error(self, e: WeibaoError) -> None:
        field = e.field or ""
        if field == "child_name":
            self.name_error.show_message(e.message)
            self.name.setFocus()
        elif field == "content":
            self.situation_error.show_message(e.message)
            self.situation.setFocus()
        elif field.startswith("receiver_") and field[9:] in self.agencies:
            row = self.agencies[field[9:]]
            row.error.show_message(e.message)
            row.receiver.setFocus()
        else:
            self.banner.show_message(e.message)


__all__ = ["ClueFromCallDialog", "AGENCIES"]
