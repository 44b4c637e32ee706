"""强制报告线索台账: the list of clues, and for the chosen one its steps 受理 → 调查 → 处置 → 反馈 with
their times and who, the next step's form, its link to a child's file and its referrals.

A clue is taken in at once, even before the child has a file; steps cannot be skipped (the service refuses,
and the page only ever offers the next one)."""
from __future__ import annotations

import datetime as dt
import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ..domain import codes, fields
from ..domain.errors import WeibaoError
from . import print_actions
from .case_dialog import SavingDialog, specs
from .casework_dialogs import ReferralDialog
from .child_picker import pick_child
from .editors import LongText, OptionalDateEdit
from .forms import ErrorBanner, ErrorLabel, FieldForm, add_save_shortcuts, show_error
from .list_page import ListPage
from .looks import FINISHED_TEXT
from .operations import Changes, run_operation
from .page import BasePage
from .tasks import Tasks, error_text

_RECEIVE = ("child_name", "received_at", "received_by", "source", "reporter", "reporter_phone", "content",
            "situations", "reported_at", "reported_to", "report_receiver", "receipt")
# For each step after 受理: what the form asks (time, who, what) and the button that records it.
STEPS = {
    "investigating": ("investigated_at", "investigated_by", "investigation", "记录调查"),
    "handling": ("handled_at", "handled_by", "handling", "记录处置"),
    "closed": ("feedback_at", "feedback_by", "feedback", "记录反馈并办结"),
}
_STEP_TEXT_LABEL = {"investigating": "调查情况", "handling": "处置情况", "closed": "反馈情况"}
_GREY = "#757575"


def now_on(ws) -> dt.datetime:
    """The current time on the workstation's day (its clock can be set back, e.g. in tests)."""
    return dt.datetime.combine(ws.ctx.today(), dt.datetime.now().time().replace(second=0, microsecond=0))


class ClueDialog(SavingDialog):
    """受理 a new clue, or correct what was taken in. The child may be named without a file."""

    def __init__(self, ws, tasks: Tasks, parent: QWidget | None = None, clue_uuid: str | None = None):
        super().__init__(ws, tasks, parent)
        self.clue_uuid = clue_uuid
        self.child_uuid: str | None = None
        self.setWindowTitle("受理强制报告线索" if clue_uuid is None else "修改线索受理信息")
        lay = QVBoxLayout(self)
        self.form = FieldForm(specs("report_clue", *_RECEIVE), self, today=ws.ctx.today, columns=2,
                              labels={"child_name": "涉及儿童姓名"})
        self.link_label = QLabel(self)
        self.link_label.setStyleSheet("color: #455A64;")
        self.link_label.setWordWrap(True)
        self.link_button = QPushButton("关联已有档案…", self)
        self.link_button.clicked.connect(self.link_child)
        row = QWidget(self)
        row_lay = QHBoxLayout(row)
        row_lay.setContentsMargins(0, 0, 0, 0)
        row_lay.addWidget(self.link_label, 1)
        row_lay.addWidget(self.link_button)
        self.form.add_below("child_name", row)
        lay.addWidget(self.form)
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
        if clue_uuid is None:
            self.form.set_values({"received_at": now_on(ws), "received_by": ws.actor.name})
            self.link_label.setText("尚未建档的儿童也可以先受理，以后再关联档案。")
        else:
            c = ws.clues.get(clue_uuid)
            self.form.set_values({n: getattr(c, n) for n in _RECEIVE})
            self.child_uuid = c.child_uuid
            self.link_button.hide()
            self.link_label.setText("已关联儿童档案" if c.child_uuid else "")
        self.form.editor("child_name").setFocus()
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 100)

    def link_child(self) -> None:
        uuid = pick_child(self.ws, self, "关联哪名儿童的档案？", self.tasks)
        if uuid:
            self.set_child(uuid)

    def set_child(self, uuid: str) -> None:
        child = self.ws.children.get(uuid)
        self.child_uuid = uuid
        self.form.set_values({"child_name": child.name})
        self.form.editor("child_name").setReadOnly(True)
        self.link_label.setText(f"已关联档案：{child.name}（{child.village or '未填村(社区)'}）")

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
        clues, clue_uuid, child_uuid = self.ws.clues, self.clue_uuid, self.child_uuid
        if clue_uuid is None:
            return lambda: clues.receive(values, child_key=child_uuid)
        return lambda: clues.update(clue_uuid, values)

    def changes(self, result) -> Changes:
        return Changes(children={self.child_uuid} if self.child_uuid else None, clues=True)

    def show_error(self, e: WeibaoError) -> None:
        show_error(e, [self.form], self.banner)


class ClueList(ListPage):
    settings_key = "clues_view/list"

    def __init__(self, ws, tasks, parent: QWidget | None = None):
        super().__init__(ws, tasks, parent)
        self.open_only = QCheckBox("只看未办结", self)
        self.open_only.setChecked(True)
        self.open_only.toggled.connect(lambda _on: self.reload())
        self.filters.addWidget(self.open_only)
        self.filters.addStretch(1)
        self.new_button = self.add_button("受理新线索", lambda: None, "登记一条强制报告线索；尚未建档的儿童也可以先受理")

    def columns(self) -> list:
        return [
            ("受理时间", lambda r: r.received_at),
            ("涉及儿童", lambda r: r.child_name),
            ("线索来源", lambda r: codes.CLUE_SOURCE.label_of(r.source)),
            ("状态", lambda r: codes.CLUE_STATE.label_of(r.state)),
            ("受理人", lambda r: r.received_by),
            ("情形", lambda r: "、".join(codes.CLUE_SITUATION.label_of(c) for c in codes.split_codes(r.situations))),
            ("接报单位", lambda r: "、".join(codes.REPORTED_TO.label_of(c) for c in codes.split_codes(r.reported_to))),
            ("线索内容", lambda r: r.content),
        ]

    def row_colour(self, row) -> str | None:
        return FINISHED_TEXT if row.state == "closed" else None

    def query(self) -> bool:
        return self.open_only.isChecked()

    def fetch(self, open_only: bool, offset: int, limit: int):
        return self.ws.clues.page(open_only=open_only, offset=offset, limit=limit)


class StepsPanel(QWidget):
    """One clue: what was taken in, each step done so far, and the form for the next step only."""

    advanced = Signal()
    open_child = Signal(str)

    def __init__(self, ws, tasks: Tasks, parent: QWidget | None = None):
        super().__init__(parent)
        self.ws = ws
        self.tasks = tasks
        self.clue = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        area = QScrollArea(self)
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.NoFrame)
        area.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)  # long text wraps instead
        holder = QWidget(area)
        self.lay = QVBoxLayout(holder)
        area.setWidget(holder)
        outer.addWidget(area)

        self.title = QLabel("请在左边选择一条线索", holder)
        self.title.setTextFormat(Qt.RichText)
        self.title.setWordWrap(True)
        self.lay.addWidget(self.title)
        actions = QHBoxLayout()
        self.edit_button = QPushButton("修改受理信息", holder)
        self.link_button = QPushButton("关联档案…", holder)
        self.child_button = QPushButton("打开档案", holder)
        self.refer_button = QPushButton("转介…", holder)
        self.refer_button.setToolTip("把线索转介给公安、救助管理机构、医院、社区或教育部门")
        self.print_button = QPushButton("打印登记表…", holder)
        self.print_button.setToolTip("强制报告线索登记表（预览后打印或保存为 PDF）")
        for b in (self.edit_button, self.link_button, self.child_button, self.refer_button, self.print_button):
            actions.addWidget(b)
        actions.addStretch(1)
        self.lay.addLayout(actions)
        self.edit_button.clicked.connect(self.edit_clue)
        self.link_button.clicked.connect(self.link_child)
        self.child_button.clicked.connect(lambda: self.clue and self.open_child.emit(self.clue.child_uuid))
        self.refer_button.clicked.connect(self.refer)
        self.print_button.clicked.connect(self.print_clue)

        self.timeline = QGroupBox("办理步骤", holder)
        self.grid = QGridLayout(self.timeline)
        self.grid.setColumnStretch(3, 1)
        self.step_rows: dict[str, tuple[QLabel, QLabel, QLabel, QLabel]] = {}
        for i, code in enumerate(codes.CLUE_STEPS):
            cells = tuple(QLabel(self.timeline) for _ in range(4))
            cells[0].setText(codes.CLUE_STATE.codes[i].label)
            cells[3].setWordWrap(True)
            cells[3].setTextInteractionFlags(Qt.TextSelectableByMouse)
            for col, cell in enumerate(cells):
                cell.setAlignment(Qt.AlignLeft | Qt.AlignTop)
                self.grid.addWidget(cell, i, col)
            self.step_rows[code] = cells
        self.lay.addWidget(self.timeline)

        self.next_box = QGroupBox(holder)
        next_lay = QGridLayout(self.next_box)
        self.next_at = OptionalDateEdit(self.next_box, today=ws.ctx.today, with_time=True, label="时间")
        self.next_by = QLineEdit(self.next_box)
        self.next_by.setMaxLength(50)
        self.next_text = LongText(self.next_box, lines=4, max_len=10000)
        self.next_text_label = QLabel(self.next_box)
        self.next_errors = {name: ErrorLabel(self.next_box) for name in ("at", "by", "text")}
        rows = (("时间：", self.next_at, "at"), ("经办人：", self.next_by, "by"))
        for i, (label, editor, key) in enumerate(rows):
            next_lay.addWidget(QLabel(label, self.next_box), 2 * i, 0)
            next_lay.addWidget(editor, 2 * i, 1)
            next_lay.addWidget(self.next_errors[key], 2 * i + 1, 1)
        next_lay.addWidget(self.next_text_label, 4, 0, Qt.AlignTop)
        next_lay.addWidget(self.next_text, 4, 1)
        next_lay.addWidget(self.next_errors["text"], 5, 1)
        self.next_banner = ErrorBanner(self.next_box)
        next_lay.addWidget(self.next_banner, 6, 0, 1, 2)
        self.advance_button = QPushButton(self.next_box)
        self.advance_button.setToolTip("记录这一步（Ctrl+Enter）")
        self.advance_button.clicked.connect(self.advance)
        next_lay.addWidget(self.advance_button, 7, 1, Qt.AlignRight)
        next_lay.setColumnStretch(1, 1)
        add_save_shortcuts(self.next_box, self.advance)
        self.lay.addWidget(self.next_box)
        self.done_label = QLabel("该线索已反馈办结。", holder)
        self.done_label.setStyleSheet("color: #2E7D32;")
        self.lay.addWidget(self.done_label)
        self.lay.addStretch(1)
        self.show_clue(None)

    def next_step(self) -> str | None:
        if self.clue is None:
            return None
        i = codes.CLUE_STEPS.index(self.clue.state)
        return codes.CLUE_STEPS[i + 1] if i + 1 < len(codes.CLUE_STEPS) else None

    def print_clue(self):
        """The 强制报告线索登记表 of the clue on screen, through the print preview."""
        if self.clue is None:
            return None
        return print_actions.print_clue(self, self.ws, self.tasks, self.clue.uuid)

    def show_clue(self, uuid: str | None) -> None:
        self.clue = self.ws.clues.get(uuid) if uuid else None
        c = self.clue
        has = c is not None
        for w in (self.edit_button, self.link_button, self.child_button, self.refer_button, self.print_button,
                  self.timeline):
            w.setVisible(has)
        if not has:
            self.title.setText("请在左边选择一条线索，或点“受理新线索”。")
            self.next_box.hide()
            self.done_label.hide()
            return
        reported = "、".join(codes.REPORTED_TO.label_of(x) for x in codes.split_codes(c.reported_to)) or "（未填）"
        reporter = c.reporter or "（未填）"
        if c.reporter_phone:
            reporter += f"，{c.reporter_phone}"
        situations = "、".join(codes.CLUE_SITUATION.label_of(x) for x in codes.split_codes(c.situations))
        report = f"接报单位：{reported}"
        if c.reported_at:
            report += f"　报案时间：{c.reported_at:%Y-%m-%d %H:%M}"
        if c.report_receiver:
            report += f"　接报人：{_html(c.report_receiver)}"
        report += f"　回执：{_html(c.receipt) if c.receipt else '（未收到）'}"
        self.title.setText(
            f"<b>涉及儿童：{_html(c.child_name or '（未填）')}</b>{'' if c.child_uuid else '（尚未建档）'}<br>"
            f"来源：{codes.CLUE_SOURCE.label_of(c.source)}　报告人：{_html(reporter)}<br>"
            f"情形：{_html(situations) if situations else '（未填）'}<br>{report}<br>"
            f"线索内容：{_html(c.content)}"
        )
        self.link_button.setVisible(c.child_uuid is None)
        self.child_button.setVisible(c.child_uuid is not None)
        done = codes.CLUE_STEPS.index(c.state)
        values = {
            "received": (c.received_at, c.received_by, "已受理"),
            "investigating": (c.investigated_at, c.investigated_by, c.investigation),
            "handling": (c.handled_at, c.handled_by, c.handling),
            "closed": (c.feedback_at, c.feedback_by, c.feedback),
        }
        for i, code in enumerate(codes.CLUE_STEPS):
            name, at, by, text = self.step_rows[code]
            when, who, what = values[code]
            reached = i <= done
            name.setText(("✓ " if reached else "○ ") + codes.CLUE_STATE.codes[i].label)
            at.setText(f"{when:%Y-%m-%d %H:%M}" if reached and when else "")
            by.setText((who or "") if reached else "")
            text.setText((what or "") if reached else "")
            style = "" if reached else f"color: {_GREY};"
            for cell in (name, at, by, text):
                cell.setStyleSheet(style)
        step = self.next_step()
        self.next_box.setVisible(step is not None)
        self.done_label.setVisible(step is None)
        if step is not None:
            label = codes.CLUE_STATE.label_of(step)
            self.next_box.setTitle(f"下一步：{label}")
            self.next_text_label.setText(f"{_STEP_TEXT_LABEL[step]}：")
            self.advance_button.setText(STEPS[step][3])
            self.next_at.set_date(now_on(self.ws))
            self.next_by.setText(self.ws.actor.name)
            self.next_text.clear()
            for e in self.next_errors.values():
                e.show_message(None)
            self.next_banner.show_message(None)

    def advance(self) -> None:
        step = self.next_step()
        if step is None:
            return
        for e in self.next_errors.values():
            e.show_message(None)
        self.next_banner.show_message(None)
        at_field, by_field, text_field, _button = STEPS[step]
        step_fields = {at_field: "at", by_field: "by", text_field: "text"}
        try:
            at = fields.clean_value(fields.spec_of("report_clue", at_field), self.next_at.value(), self.ws.ctx.today())
        except WeibaoError as e:
            self._step_failed(e, step_fields)
            return
        clues, uuid, text, by = self.ws.clues, self.clue.uuid, self.next_text.toPlainText(), self.next_by.text().strip()
        self.advance_button.setEnabled(False)
        run_operation(self.tasks, lambda: clues.advance(uuid, step, text, at=at, by=by or None),
                      Changes(children={self.clue.child_uuid}, clues=True), parent=self,
                      on_done=self._advanced, on_error=lambda e: self._step_failed(e, step_fields))

    def _advanced(self, clue) -> None:
        self.advance_button.setEnabled(True)
        self.clue = clue
        self.show_clue(clue.uuid)
        self.advanced.emit()

    def _step_failed(self, e: BaseException, step_fields: dict[str, str]) -> None:
        self.advance_button.setEnabled(True)
        if not isinstance(e, WeibaoError):
            self.next_banner.show_message(error_text(e))
            return
        where = step_fields.get(e.field or "")
        if where:
            self.next_errors[where].show_message(e.message)
            {"at": self.next_at, "by": self.next_by, "text": self.next_text}[where].setFocus()
        else:
            self.next_banner.show_message(e.message)

    def edit_clue(self) -> None:
        if self.clue and ClueDialog(self.ws, self.tasks, self, self.clue.uuid).exec() == QDialog.Accepted:
            self.show_clue(self.clue.uuid)
            self.advanced.emit()

    def link_child(self) -> None:
        if self.clue is None:
            return
        uuid = pick_child(self.ws, self, "关联哪名儿童的档案？", self.tasks)
        if uuid:
            clues, clue_uuid = self.ws.clues, self.clue.uuid
            run_operation(self.tasks, lambda: clues.link_child(clue_uuid, uuid),
                          Changes(children={uuid}, clues=True), parent=self,
                          on_done=lambda _result: (self.show_clue(clue_uuid), self.advanced.emit()),
                          on_error=lambda e: self.next_banner.show_message(error_text(e)))

    def refer(self) -> None:
        if self.clue is None:
            return
        dialog = ReferralDialog(self.ws, self.tasks, self.clue.child_uuid, self, clue_uuid=self.clue.uuid)
        if dialog.exec() == QDialog.Accepted:
            self.advanced.emit()


def _html(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


class CluesView(BasePage):
    title = "强制报告线索"

    def __init__(self, ws, tasks: Tasks, parent: QWidget | None = None):
        super().__init__(parent)
        self.ws = ws
        self.tasks = tasks
        self.list = ClueList(ws, tasks, self)
        self.steps = StepsPanel(ws, tasks, self)
        self.list.new_button.clicked.connect(self.new_clue)
        splitter = QSplitter(Qt.Horizontal, self)
        splitter.addWidget(self.list)
        splitter.addWidget(self.steps)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        self.steps.setMinimumWidth(self.fontMetrics().averageCharWidth() * 60)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(splitter)
        self.list.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.list.activate = lambda row: self.steps.next_text.setFocus()
        self.steps.advanced.connect(self._after_change)
        self.steps.open_child.connect(self.open_child)
        self.list.open_child.connect(self.open_child)
        self._pending: str | None = None
        self.list.loaded.connect(self._loaded)
        self.splitter = splitter
        self._split_done = False
        self.list.reload()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if not self._split_done:  # half and half the first time; the user's drag is kept after
            self._split_done = True
            total = max(self.width(), 800)
            self.splitter.setSizes([total * 11 // 20, total * 9 // 20])

    def refresh(self) -> None:
        self.list.refresh()
        if self.steps.clue is not None:
            self.steps.show_clue(self.steps.clue.uuid)

    def shows(self, changes: Changes) -> bool:
        return changes.clues or changes.hotline or changes.help

    def focus_search(self) -> None:
        self.list.table.setFocus()

    def save(self) -> bool:
        """保存 (Ctrl+S) on this page records the step being written."""
        if not self.steps.next_box.isVisible():
            return False
        self.steps.advance()
        return True

    def print_current(self) -> bool:
        return self.steps.print_clue() is not None

    def save_state(self) -> None:
        self.list.save_state()

    def open_clue(self, uuid: str) -> None:
        """Show this clue (just made from a call, or chosen on the dashboard) and select it in the list."""
        self._pending = uuid
        self.steps.show_clue(uuid)
        self.list.reload()

    def show_in_list(self, uuid: str) -> bool:
        for i, row in enumerate(self.list.model.rows):
            if row.uuid == uuid:
                self.list.table.selectRow(i)
                return True
        return False

    def _row_changed(self, current, _previous) -> None:
        row = self.list.current()
        if row is not None:  # a clue that left the list (just closed) stays on the right
            self.steps.show_clue(row.uuid)

    def _loaded(self) -> None:
        if self._pending is not None:
            self.show_in_list(self._pending)
            self._pending = None

    def _after_change(self) -> None:
        self.list.refresh()

    def new_clue(self) -> None:
        dialog = ClueDialog(self.ws, self.tasks, self)
        if dialog.exec() == QDialog.Accepted:
            self._pending = dialog.saved.uuid
            self.steps.show_clue(dialog.saved.uuid)
            self.list.reload()


__all__ = ["ClueDialog", "CluesView", "StepsPanel"]
