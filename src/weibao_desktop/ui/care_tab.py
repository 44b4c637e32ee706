"""The child file's 监护与照护 tab: the household the child lives in (its children and their colours) and the
child's care arrangements, with the dialog that edits one and the printed 委托照护协议 / 监护责任确认书."""
from __future__ import annotations

import datetime as dt
import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QMessageBox, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from ..domain import codes, fields
from ..domain.care import CARE_KIND, SIGNED_KINDS
from ..domain.errors import WeibaoError
from .case_dialog import CaseDialog
from .forms import FieldForm
from .operations import Changes, run_operation
from .records_table import Col, RecordsTable
from .tasks import Tasks, error_text


def _d(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def _state(a) -> str:
    if a.kind in SIGNED_KINDS and a.signed_on is None:
        return "未签订"
    if a.expiring:
        return "30天内到期"
    return "有效" if a.in_force else "已到期或未开始"


def household_html(h) -> str:
    """The household line: its name, address, and each child with its colour; the highest colour first."""
    if h is None:
        return "尚未归入家庭档案（在“家庭档案”页可新建家庭或把儿童加入已有家庭）"
    kids = "、".join(
        f"<span style='color:{codes.COLOUR_RGB.get(c.risk_colour or '', '#555')}'>■</span>{html.escape(c.name)}"
        for c in h.children)
    top = codes.RISK_COLOUR.label_of(h.highest_colour) if h.highest_colour else "未评估"
    return (f"<b>家庭：{html.escape(h.name)}</b>　{html.escape(h.address or '')}　家中儿童：{kids}"
            f"　最高风险等级：{top}<br>父母、监护人和被委托人在家庭中登记一次，家中每个儿童的档案都显示。")


class CareDialog(CaseDialog):
    title_new = "新增监护与照护安排"
    title_edit = "修改监护与照护安排"

    def __init__(self, ws, tasks: Tasks, child_uuid: str, parent: QWidget | None = None,
                 record_uuid: str | None = None):
        super().__init__(ws, tasks, child_uuid, parent, record_uuid)
        self.form = self.add_form(FieldForm(fields.CARE, self, today=self.today, columns=2))
        if record_uuid is None:
            self.form.set_values(ws.care.proposal(child_uuid))
        else:
            a = next((a for a in ws.care.for_child(child_uuid) if a.uuid == record_uuid), None)
            if a is None:
                raise WeibaoError("找不到该监护与照护安排", "uuid")
            self.form.set_values({s.name: getattr(a, s.name) for s in fields.CARE})
        self.form.editor("kind").setFocus()
        self.resize(700, self.sizeHint().height())

    def operation(self):
        values = self.form.values()
        care, child_uuid, record_uuid = self.ws.care, self.child_uuid, self.record_uuid
        if record_uuid is None:
            return lambda: care.add(child_uuid, values)
        return lambda: care.update(record_uuid, values)


class CareTab(QWidget):
    """Built by the child file; `load()` when the tab is shown, `file` is the ChildFile window."""

    def __init__(self, file) -> None:
        super().__init__(file)
        self.file = file
        self.household = QLabel(self)
        self.household.setTextFormat(Qt.RichText)
        self.household.setWordWrap(True)
        self.table = RecordsTable((
            Col("安排类型", lambda a: CARE_KIND.label_of(a.kind)),
            Col("被委托人/照护方", lambda a: a.carer_name or ""),
            Col("关系", lambda a: a.carer_relation or ""),
            Col("联系电话", lambda a: a.carer_phone or ""),
            Col("委托方/监护人", lambda a: a.parties or ""),
            Col("签订日期", lambda a: _d(a.signed_on)),
            Col("开始", lambda a: _d(a.start_on)),
            Col("到期", lambda a: _d(a.end_on)),
            Col("复核", lambda a: _d(a.review_on)),
            Col("状态", _state),
        ), title="监护与照护安排", empty="没有登记监护与照护安排（委托照护协议、监护责任确认书、临时照护、临时/长期监护等）")
        self.table.add_button("新增安排…", lambda: self.file.run_dialog(CareDialog))
        self.table.add_button("编辑…", lambda: self.file._edit_current(self.table, CareDialog), needs_row=True)
        self.table.add_button("打印协议/确认书…", self.print_current, needs_row=True)
        self.table.add_button("删除（误录）", self.remove, needs_row=True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.household)
        layout.addWidget(self.table, 1)

    def load(self) -> None:
        ws, uuid = self.file.ws, self.file.uuid
        self.household.setText(household_html(ws.households.of_child(uuid)))
        self.table.set_records(ws.care.for_child(uuid))

    def print_current(self) -> None:
        a = self.table.current()
        if a is None:
            return
        if a.kind not in SIGNED_KINDS:
            QMessageBox.information(self, "打印", "只有委托照护协议和监护责任确认书有可打印的文书。")
            return
        from . import print_actions

        print_actions.print_care(self.file, self.file.ws, self.file.tasks, a.uuid)

    def remove(self) -> None:
        a = self.table.current()
        if a is None:
            return
        answer = QMessageBox.question(self, "请确认", f"“{CARE_KIND.label_of(a.kind)}”是误录的，要删除吗？",
                                      QMessageBox.Yes | QMessageBox.No, QMessageBox.No)
        if answer != QMessageBox.Yes:
            return
        care = self.file.ws.care
        run_operation(self.file.tasks, lambda: care.remove(a.uuid), Changes(children={self.file.uuid}),
                      parent=self.file, on_done=lambda _r: self.file.reload(),
                      on_error=lambda e: QMessageBox.warning(self, "未能删除", error_text(e)))


__all__ = ["CareTab", "CareDialog", "CareWarningList", "household_html"]


class CareWarningList(QTreeWidget):
    """The dashboard's 监护与照护提醒: 被委托人 without a signed agreement, agreements ending within 30 days.
    Read on the worker pool; Enter or a double click opens the child's file (`open_child`)."""

    open_child = Signal(str)
    counted = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setRootIsDecorated(False)
        self.setHeaderLabels(["儿童", "提醒"])
        self.setAccessibleName("监护与照护提醒")
        self.itemActivated.connect(lambda item, _col: self.open_child.emit(item.data(0, Qt.UserRole)))

    def load(self, ws, tasks: Tasks) -> None:
        care = ws.care
        tasks.run(lambda progress, cancelled: care.warnings(), on_done=self._show,
                  on_error=lambda _e: self.counted.emit(0))

    def _show(self, warnings) -> None:
        self.clear()
        for w in warnings:
            item = QTreeWidgetItem([w.child_name, w.text])
            item.setData(0, Qt.UserRole, w.child_uuid)
            self.addTopLevelItem(item)
        self.resizeColumnToContents(0)
        self.counted.emit(len(warnings))
