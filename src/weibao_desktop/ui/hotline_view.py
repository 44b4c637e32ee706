"""热线记录台账: every call to the station's protection hotline (time, caller, content, handling), and
turning a call that reveals harm into a mandatory-report clue in one step."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..domain import codes, fields
from ..domain.errors import WeibaoError
from .case_dialog import SavingDialog
from .child_picker import pick_child
from .clue_from_call import ClueFromCallDialog
from .clues_view import now_on
from .forms import ErrorBanner, FieldForm, add_save_shortcuts, show_error
from .list_page import ListPage
from .looks import FINISHED_TEXT
from .operations import Changes
from .tasks import Tasks

_CALL_ORDER = ("call_at", "handled_by", "source", "order_no", "due_at", "caller", "caller_phone", "content", "handling",
               "state")


class CallDialog(SavingDialog):
    """登记来电 (new) or 修改 (call_uuid). The time and the person answering are filled in."""

    def __init__(self, ws, tasks: Tasks, parent: QWidget | None = None, call_uuid: str | None = None, call=None):
        super().__init__(ws, tasks, parent)
        self.call_uuid = call_uuid
        self.child_uuid: str | None = None
        self.setWindowTitle("登记热线来电" if call_uuid is None else "修改来电记录")
        lay = QVBoxLayout(self)
        self.form = FieldForm(tuple(fields.spec_of("hotline_call", n) for n in _CALL_ORDER), self,
                              today=ws.ctx.today, columns=2)
        lay.addWidget(self.form)
        link_row = QHBoxLayout()
        self.link_label = QLabel("涉及的儿童已有档案的，可以关联。", self)
        self.link_label.setStyleSheet("color: #455A64;")
        self.link_button = QPushButton("关联儿童档案…", self)
        self.link_button.clicked.connect(self.link_child)
        link_row.addWidget(self.link_label, 1)
        link_row.addWidget(self.link_button)
        lay.addLayout(link_row)
        self.banner = ErrorBanner(self)
        lay.addWidget(self.banner)
        buttons = QDialogButtonBox(self)
        self.save_button = buttons.addButton("保存", QDialogButtonBox.AcceptRole)
        self.save_button.setAutoDefault(False)
        buttons.addButton("取消", QDialogButtonBox.RejectRole).setAutoDefault(False)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        add_save_shortcuts(self, self.save)
        if call is None:
            self.form.set_values({"call_at": now_on(ws), "handled_by": ws.actor.name, "state": "open"})
        else:
            self.form.set_values({n: getattr(call, n) for n in _CALL_ORDER})
            self.link_button.hide()
            self.link_label.setText(f"涉及儿童：{call.child_name}" if call.child_name else "")
        self.form.editor("caller").setFocus()
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 96)

    def link_child(self) -> None:
        uuid = pick_child(self.ws, self, "来电涉及哪名儿童？", self.tasks)
        if uuid:
            self.child_uuid = uuid
            self.link_label.setText(f"涉及儿童：{self.ws.children.get(uuid).name}")

    def snapshot(self) -> object:
        return (self.form.values(), self.child_uuid)

    def clear_errors(self) -> None:
        self.banner.show_message(None)
        self.form.clear_errors()

    def set_saving(self, saving: bool) -> None:
        super().set_saving(saving)
        self.save_button.setEnabled(not saving)

    def operation(self):
        values = self.form.values()
        hotline, call_uuid, child_uuid = self.ws.hotline, self.call_uuid, self.child_uuid
        if call_uuid is None:
            return lambda: hotline.log(values, child_key=child_uuid)
        return lambda: hotline.update(call_uuid, values)

    def changes(self, result) -> Changes:
        return Changes(hotline=True)

    def show_error(self, e: WeibaoError) -> None:
        show_error(e, [self.form], self.banner)


class HotlineView(ListPage):
    title = "热线记录"
    settings_key = "hotline_view"
    clue_created = Signal(str)  # the new clue's uuid, for a window that wants to show it

    def __init__(self, ws, tasks, parent: QWidget | None = None):
        super().__init__(ws, tasks, parent)
        self.open_only = QCheckBox("只看处理中", self)
        self.open_only.toggled.connect(lambda _on: self.reload())
        self.filters.addWidget(self.open_only)
        self.filters.addStretch(1)
        self.add_button("登记来电", self.new_call, "登记一次热线来电")
        self.add_button("修改", self.edit_current, "修改选中的来电记录（或双击、回车）")
        self.to_clue_button = self.add_button(
            "转为强制报告线索", self.convert_current, "来电反映儿童遭受或可能遭受侵害、无人照料时，转为线索跟进")
        self.add_button("打开档案", self.open_current_child)
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._update_buttons())
        self.loaded.connect(self._update_buttons)
        self.reload()

    def columns(self) -> list:
        return [
            ("来电时间", lambda r: r.call_at),
            ("来电人", lambda r: r.caller),
            ("来电号码", lambda r: r.caller_phone),
            ("涉及儿童", lambda r: r.child_name),
            ("接听人", lambda r: r.handled_by),
            ("处理状态", lambda r: codes.CALL_STATE.label_of(r.state)),
            ("强制报告", lambda r: "已转线索" if r.clue_uuid else ""),
            ("12345工单号", lambda r: r.order_no if r.source == "12345" else ""),
            ("办理时限", lambda r: r.due_at),
            ("处理情况", lambda r: r.handling),
            ("来电内容", lambda r: r.content),  # the long text last: it takes the rest of the width
        ]

    def row_colour(self, row) -> str | None:
        if row.state == "open" and row.due_at is not None and row.due_at.date() <= self.ws.ctx.today():
            return "#C62828"  # a 12345 work order due today or late
        return FINISHED_TEXT if row.state == "done" else None

    def query(self) -> bool:
        return self.open_only.isChecked()

    def fetch(self, open_only: bool, offset: int, limit: int):
        return self.ws.hotline.page(open_only=open_only, offset=offset, limit=limit)

    def _update_buttons(self) -> None:
        row = self.current()
        self.to_clue_button.setEnabled(row is not None and row.clue_uuid is None)

    def new_call(self) -> None:
        if CallDialog(self.ws, self.tasks, self).exec() == QDialog.Accepted:
            self.tell("来电已登记。")
            self.refresh()

    def activate(self, row) -> None:
        if CallDialog(self.ws, self.tasks, self, row.uuid, row).exec() == QDialog.Accepted:
            self.refresh()

    def convert_current(self) -> None:
        """转为强制报告线索: a form for the child, the situation and who was notified; the new clue opens."""
        row = self.current()
        if row is None:
            return
        if row.clue_uuid:
            self.tell("该来电已转为强制报告线索。")
            return
        self.tell(None)
        dialog = ClueFromCallDialog(self.ws, self.tasks, row, self)
        if dialog.exec() == QDialog.Accepted and dialog.saved is not None:
            self._converted(dialog.saved)

    def _converted(self, clue) -> None:
        self.tell(f"已转为强制报告线索（涉及儿童：{clue.child_name}），请在“强制报告线索”页面跟进调查、处置和反馈。")
        self.refresh()
        self.clue_created.emit(clue.uuid)

    def shows(self, changes: Changes) -> bool:
        return changes.hotline


__all__ = ["CallDialog", "HotlineView"]
