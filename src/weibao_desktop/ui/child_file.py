"""One child's file (一人一档) in its own window: tabs for every part of the file and its history.

Reading a file is a handful of small queries, done when a tab is first shown. Every change goes through a
dialog or an operation on the writer thread; the window reloads itself afterwards, and the main window
passes the change on to the pages (and to this window when someone else changed this child).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..domain import codes
from ..domain.cadence import NOT_COUNTED, age_text, clock_label, days_overdue
from ..domain.dates import in_force
from ..domain.errors import WeibaoError
from ..domain.idnumber import mask_id_number
from ..services.dto import ChildDetail
from . import print_actions
from .assessment_dialog import AssessmentDialog
from .care_tab import CareTab
from .case_dialog import CaseDialog
from .casework_dialogs import CategoryDialog, HelpDialog, PersonDialog, ReferralDialog, ReliefDialog, VisitDialog
from .child_form import ChildForm
from .close_file_dialog import CloseFileDialog
from .colour import OVERDUE_TEXT, colour_label
from .operations import Changes, run_operation
from .options import CHILD_FILE_GEOMETRY
from .records_table import Col, ColourChip, RecordsTable
from .tasks import Tasks, error_text
from .times import local_stamp

TAB_TITLES = ("基本信息", "家庭与监护", "类别与救助", "评估与等级", "走访记录", "帮扶与转介", "监护与照护", "变更记录")


def _d(day: dt.date | dt.datetime | None) -> str:
    if day is None:
        return ""
    if isinstance(day, dt.datetime):
        return day.strftime("%Y-%m-%d %H:%M")
    return day.isoformat()


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("是" if value else "否")


class ChildFile(QWidget):
    """The file window."""

    def __init__(self, ws, tasks: Tasks, child_uuid: str, parent: QWidget | None = None):
        super().__init__(parent, Qt.Window)
        self.ws = ws
        self.tasks = tasks
        self.uuid = child_uuid
        self.child: ChildDetail | None = None
        self._loaded: set[int] = set()
        self.setAttribute(Qt.WA_DeleteOnClose)
        self._build()
        self.reload()
        state = CHILD_FILE_GEOMETRY.get()
        if state is not None:
            self.restoreGeometry(state)
        else:
            self.resize(self.fontMetrics().height() * 60, self.fontMetrics().height() * 40)

    def _build(self) -> None:
        self.title = QLabel(self)
        f = self.title.font()
        f.setPointSizeF(f.pointSizeF() * 1.5)
        f.setBold(True)
        self.title.setFont(f)
        self.chip = ColourChip(self)
        self.summary = QLabel(self)
        self.due = QLabel(self)
        self.warning = QLabel(self)
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(f"color:{OVERDUE_TEXT.name()}; font-weight:bold;")

        self.edit_button = QPushButton("编辑档案", self)
        self.edit_button.clicked.connect(self.edit)
        self.visit_button = QPushButton("记录走访", self)
        self.visit_button.clicked.connect(lambda: self.run_dialog(VisitDialog))
        self.assess_button = QPushButton("风险评估", self)
        self.assess_button.clicked.connect(lambda: self.run_dialog(AssessmentDialog))
        self.close_button = QPushButton("销档…", self)
        self.close_button.clicked.connect(self.close_or_reopen)
        self.print_button = QPushButton("打印", self)
        menu = QMenu(self.print_button)
        menu.addAction("档案卡…", self.print_card)
        menu.addAction("走访记录表（空白，带儿童信息）…", self.print_sheet)
        self.print_button.setMenu(menu)

        head = QGridLayout()
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addWidget(self.chip)
        top.addStretch(1)
        for b in (self.edit_button, self.visit_button, self.assess_button, self.print_button, self.close_button):
            top.addWidget(b)
        if not self.ws.may("children.update"):  # a viewer reads the file; the services refuse changes anyway
            for b in (self.edit_button, self.visit_button, self.assess_button, self.close_button):
                b.hide()
        head.addLayout(top, 0, 0)
        head.addWidget(self.summary, 1, 0)
        head.addWidget(self.due, 2, 0)
        head.addWidget(self.warning, 3, 0)

        self.tabs = QTabWidget(self)
        self.basic = QWidget()
        self.basic_grid = QGridLayout(self.basic)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.NoFrame)
        scroll.setWidget(self.basic)
        self.tabs.addTab(scroll, TAB_TITLES[0])

        self.people = RecordsTable((
            Col("关系", lambda p: codes.PERSON_RELATION.label_of(p.relation) + (f"（{p.relation_detail}）" if p.relation_detail else "")),
            Col("姓名", lambda p: p.name or ""),
            Col("出生日期", lambda p: _d(p.birth_date)),
            Col("身份证号", lambda p: mask_id_number(p.id_number) if p.id_number else ""),
            Col("联系电话", lambda p: p.phone or ""),
            Col("状况", lambda p: codes.PERSON_STATUS.label_of(p.status)),
            Col("务工地点", lambda p: p.work_place or ""),
            Col("监护人", lambda p: "是" if p.is_guardian else ""),
            Col("住址", lambda p: p.address or ""),
        ), empty="还没有登记家庭成员和监护人")
        self.people.add_button("新增成员…", lambda: self.run_dialog(PersonDialog))
        self.people.add_button("编辑…", lambda: self._edit_current(self.people, PersonDialog), needs_row=True)
        self.people.add_button("删除", self._remove_person, needs_row=True)
        self.tabs.addTab(self.people, TAB_TITLES[1])

        cats = QWidget()
        self.categories = RecordsTable((
            Col("儿童类别", lambda c: codes.CATEGORY.label_of(c.category)),
            Col("认定日期", lambda c: _d(c.start_on)),
            Col("退出日期", lambda c: _d(c.end_on)),
            Col("状态", lambda c: _category_state(c.start_on, c.end_on, self.ws.ctx.today())),
        ), title="儿童类别", empty="还没有认定类别")
        self.categories.add_button("新增类别…", lambda: self.run_dialog(CategoryDialog))
        self.categories.add_button("退出该类别", self._end_category, needs_row=True)
        self.categories.add_button("删除（误录）", self._remove_category, needs_row=True)
        self.reliefs = RecordsTable((
            Col("救助类型", lambda r: codes.RELIEF.label_of(r.kind)),
            Col("开始日期", lambda r: _d(r.start_on)),
            Col("结束日期", lambda r: _d(r.end_on)),
            Col("金额", lambda r: r.amount or ""),
            Col("备注", lambda r: r.note or ""),
        ), title="已享受救助", empty="没有登记已享受的救助")
        self.reliefs.add_button("新增救助…", lambda: self.run_dialog(ReliefDialog))
        self.reliefs.add_button("编辑…", lambda: self._edit_current(self.reliefs, ReliefDialog), needs_row=True)
        self.reliefs.add_button("删除", self._remove_relief, needs_row=True)
        cl = QVBoxLayout(cats)
        cl.addWidget(self.categories)
        cl.addWidget(self.reliefs)
        self.tabs.addTab(cats, TAB_TITLES[2])

        self.assessments = RecordsTable((
            Col("评估日期", lambda a: _d(a.assessed_on)),
            Col("评估类型", lambda a: codes.ASSESSMENT_KIND.label_of(a.kind)),
            Col("结果", self._assessment_result),
            Col("监护类型", lambda a: codes.GUARDIANSHIP_TYPE.label_of(a.guardianship_type)),
            Col("评估人", lambda a: a.assessor),
            Col("理由", lambda a: a.reason or ""),
        ), empty="还没有评估记录")
        self.assessments.add_button("新评估…", lambda: self.run_dialog(AssessmentDialog))
        self.tabs.addTab(self.assessments, TAB_TITLES[3])

        self.visits = RecordsTable((
            Col("走访日期", lambda v: _d(v.visited_on)),
            Col("方式", lambda v: codes.VISIT_MODE.label_of(v.mode) + ("" if v.counted else f"（{NOT_COUNTED}）")),
            Col("走访人", lambda v: v.visitors),
            Col("计划下次走访", lambda v: _d(v.next_due_on)),
            Col("发现的问题", lambda v: v.problems or ""),
            Col("采取的措施", lambda v: v.measures or ""),
        ), empty="还没有走访记录")
        self.visits.add_button("记录走访…", lambda: self.run_dialog(VisitDialog))
        self.visits.add_button("查看/编辑…", lambda: self._edit_current(self.visits, VisitDialog), needs_row=True)
        self.visits.add_button("打印走访记录…", self._print_visit, needs_row=True)
        self.visits.add_button("删除（误录）", self._delete_visit, needs_row=True)
        self.tabs.addTab(self.visits, TAB_TITLES[4])

        helps = QWidget()
        self.helps = RecordsTable((
            Col("帮扶措施", lambda h: codes.HELP_KIND.label_of(h.kind)),
            Col("状态", lambda h: codes.HELP_STATE.label_of(h.state)),
            Col("开始日期", lambda h: _d(h.started_on)),
            Col("结束日期", lambda h: _d(h.ended_on)),
            Col("责任人", lambda h: h.responsible or ""),
            Col("内容", lambda h: h.description or ""),
            Col("效果", lambda h: h.result or ""),
        ), title="帮扶措施", empty="没有帮扶措施")
        self.helps.add_button("新增帮扶…", lambda: self.run_dialog(HelpDialog))
        self.helps.add_button("编辑…", lambda: self._edit_current(self.helps, HelpDialog), needs_row=True)
        self.helps.add_button("结束帮扶…", self._finish_help, needs_row=True)
        self.referrals = RecordsTable((
            Col("转介对象", lambda r: codes.REFERRAL_TARGET.label_of(r.target) + (f"（{r.target_name}）" if r.target_name else "")),
            Col("转介日期", lambda r: _d(r.referred_on)),
            Col("状态", lambda r: codes.REFERRAL_STATE.label_of(r.state)),
            Col("状态日期", lambda r: _d(r.state_on)),
            Col("原因", lambda r: r.reason or ""),
            Col("反馈", lambda r: r.feedback or ""),
        ), title="转介", empty="没有转介")
        self.referrals.add_button("新增转介…", lambda: self.run_dialog(ReferralDialog))
        self.referrals.add_button("编辑/反馈…", lambda: self._edit_current(self.referrals, ReferralDialog), needs_row=True)
        self.referrals.add_button("打印转介单…", self._print_referral, needs_row=True)
        hl = QVBoxLayout(helps)
        hl.addWidget(self.helps)
        hl.addWidget(self.referrals)
        self.tabs.addTab(helps, TAB_TITLES[5])
        self.care = CareTab(self)
        self.tabs.addTab(self.care, TAB_TITLES[6])

        self.history = RecordsTable((
            Col("时间", lambda c: local_stamp(c.changed_at)),
            Col("操作人", lambda c: c.actor),
            Col("内容", lambda c: _ENTITY_LABELS.get(c.entity, c.entity)),
            Col("项目", lambda c: c.field_label),
            Col("原值", lambda c: c.old if c.field != "*" else ""),
            Col("新值", lambda c: c.new if c.field != "*" else ""),
        ), empty="没有变更记录")
        self.tabs.addTab(self.history, TAB_TITLES[7])
        self.tabs.currentChanged.connect(self._load_tab)

        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.tabs, 1)
        QShortcut(QKeySequence.Close, self, self.close)
        QShortcut(QKeySequence("Ctrl+P"), self, self.print_card)

    @staticmethod
    def _assessment_result(a) -> str:
        if a.kind == "risk":
            return colour_label(a.result)
        if a.kind == "guardianship":
            return codes.GUARDIANSHIP_RESULT.label_of(a.result)
        return a.result

    def reload(self) -> None:
        """Read the file again; tabs other than the one shown reload when next shown."""
        try:
            self.child = self.ws.children.get(self.uuid)
        except WeibaoError as e:
            QMessageBox.warning(self, "打开档案", str(e))
            self.close()
            return
        self._show_head()
        self._loaded.clear()
        self._load_tab(self.tabs.currentIndex())

    def _show_head(self) -> None:
        c = self.child
        today = self.ws.ctx.today()
        self.setWindowTitle(f"{c.name} — 儿童档案")
        self.title.setText(c.name)
        self.chip.set_colour(c.risk_colour)
        status = codes.CHILD_STATUS.label_of(c.status)
        if c.status == "closed":
            status += f"（{_d(c.closed_on)}，{codes.CLOSE_REASON.label_of(c.closed_reason)}）"
        parts = [codes.SEX.label_of(c.sex), age_text(c.birth_date, today), c.village or "未分村", status]
        self.summary.setText("　".join(parts))
        late = days_overdue(c.next_visit_due, today) if c.status == "active" else 0
        clock = clock_label(c.risk_colour)  # a red child's clock is the follow-up of the intervention
        last = f"最近{clock}：{_d(c.last_visit_on) or '无'}"
        if c.placement:
            place = f"，{c.placement_place}" if c.placement_place else ""
            since = f"（{_d(c.placed_on)}起{place}）" if c.placed_on else (f"（{c.placement_place}）" if place else "")
            last = f"安置情况：{codes.PLACEMENT.label_of(c.placement)}{since}　" + last
        if c.status != "active":
            self.due.setText(last)
            self.due.setStyleSheet("")
        elif late:
            self.due.setText(f"{last}　下次{clock}：{_d(c.next_visit_due)}（已逾期{late}天）")
            self.due.setStyleSheet(f"color:{OVERDUE_TEXT.name()}; font-weight:bold;")
        else:
            self.due.setText(f"{last}　下次{clock}：{_d(c.next_visit_due)}")
            self.due.setStyleSheet("")
        warnings = list(c.id_problems)
        if c.needs_action:
            warnings.append("红色等级：尚无进行中的帮扶措施或转介，请立即登记帮扶或转介")
        if c.red_deferral:
            warnings.append(f"红色等级帮扶暂缓：{c.red_deferral}")
        warnings.extend(f"类别核查：{text}" for text in c.category_warnings)
        self.warning.setText("\n".join(warnings))
        self.warning.setVisible(bool(warnings))
        self.close_button.setText("恢复在册…" if c.status == "closed" else "销档…")
        active = c.status == "active"
        for b in (self.visit_button, self.assess_button):
            b.setEnabled(active)

    def _load_tab(self, index: int) -> None:
        if index in self._loaded or self.child is None:
            return
        self._loaded.add(index)
        try:
            self._fill_tab(index)
        except WeibaoError as e:
            QMessageBox.warning(self, "读取档案", str(e))

    def _fill_tab(self, index: int) -> None:
        c = self.child
        ws = self.ws
        if index == 0:
            self._fill_basic()
        elif index == 1:
            self.people.set_records(list(c.people))
        elif index == 2:
            self.categories.set_records(list(c.categories))
            self.reliefs.set_records(list(c.reliefs))
        elif index == 3:
            self.assessments.set_records(ws.assessments.history(self.uuid))
        elif index == 4:
            self.visits.set_records(ws.visits.for_child(self.uuid))
        elif index == 5:
            self.helps.set_records(ws.help.for_child(self.uuid))
            self.referrals.set_records(ws.referrals.for_child(self.uuid))
        elif index == 6:
            self.care.load()
        elif index == 7:
            self.history.set_records(ws.children.history(self.uuid))

    def _reveal_id(self, button: QPushButton) -> None:
        """The full number comes from the service, which records who saw it in the audit trail."""
        children, uuid, label = self.ws.children, self.uuid, self._id_label
        button.setEnabled(False)
        run_operation(self.tasks, lambda: children.reveal_id(uuid), Changes(), parent=self,
                      on_done=label.setText, on_error=lambda _exc: button.setEnabled(True))

    def _fill_basic(self) -> None:
        c = self.child
        grid = self.basic_grid
        while grid.count():
            item = grid.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self._id_label = QLabel(mask_id_number(c.id_number) if c.id_number else "（未登记）")
        self._id_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        show = QPushButton("显示完整号码")
        show.setEnabled(bool(c.id_number))
        if not self.ws.may("children.reveal_id"):  # a director or a viewer only ever sees it masked
            show.hide()
        show.clicked.connect(lambda: self._reveal_id(show))
        id_row = QWidget()
        id_layout = QHBoxLayout(id_row)
        id_layout.setContentsMargins(0, 0, 0, 0)
        id_layout.addWidget(self._id_label)
        id_layout.addWidget(show)
        id_layout.addStretch(1)
        rows: list[tuple[str, Any]] = [
            ("姓名", c.name),
            ("性别", codes.SEX.label_of(c.sex)),
            ("民族", c.ethnicity or ""),
            ("出生日期", f"{_d(c.birth_date)}（{age_text(c.birth_date, self.ws.ctx.today())}）"),
            ("公民身份号码", id_row),
            ("是否登记户口", _yes_no(c.hukou_registered)),
            ("户籍所在地", c.hukou_address or ""),
            ("现居住地", c.residence_address or ""),
            ("所属村(社区)", c.village or ""),
            ("联系电话", c.contact_phone or ""),
            ("身体情况", codes.HEALTH.label_of(c.health)),
            ("残疾类别及等级", " ".join(x for x in (c.disability_kind, c.disability_grade) if x)),
            ("患病类型", c.illness or ""),
            ("就学情况", codes.SCHOOLING.label_of(c.schooling)),
            ("就读学校", c.school_name or ""),
            ("是否寄宿", _yes_no(c.boarding)),
            ("家庭经济来源", "、".join(codes.INCOME_SOURCE.label_of(x) for x in codes.split_codes(c.income_sources))),
            ("结对帮扶人", c.paired_helper or ""),
            ("风险等级", colour_label(c.risk_colour) + (f"（{_d(c.colour_set_on)}评定）" if c.colour_set_on else "")),
            ("建档日期", _d(c.opened_on)),
            ("档案状态", codes.CHILD_STATUS.label_of(c.status)),
        ]
        if c.status == "closed":
            rows += [
                ("销档日期", _d(c.closed_on)),
                ("销档原因", codes.CLOSE_REASON.label_of(c.closed_reason)),
                ("销档说明", c.closed_note or ""),
            ]
        rows += [
            ("备注", c.notes or ""),
            ("最后修改", f"{local_stamp(c.updated_at)}　{c.updated_by}"),
        ]
        # Two columns of label/value pairs; long texts (notes) take the full width at the end.
        long_rows = [r for r in rows if isinstance(r[1], str) and len(r[1]) > 30]
        short_rows = [r for r in rows if r not in long_rows]
        half = (len(short_rows) + 1) // 2
        for i, (label, value) in enumerate(short_rows):
            col = 0 if i < half else 2
            row = i if i < half else i - half
            grid.addWidget(self._caption(label), row, col, Qt.AlignRight | Qt.AlignTop)
            grid.addWidget(value if isinstance(value, QWidget) else self._value(value), row, col + 1)
        for j, (label, value) in enumerate(long_rows):
            grid.addWidget(self._caption(label), half + j, 0, Qt.AlignRight | Qt.AlignTop)
            grid.addWidget(self._value(value, wrap=True), half + j, 1, 1, 3)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        grid.setRowStretch(half + len(long_rows), 1)

    @staticmethod
    def _caption(text: str) -> QLabel:
        label = QLabel(f"{text}：")
        label.setStyleSheet("color: #555;")
        return label

    @staticmethod
    def _value(text: str, wrap: bool = False) -> QLabel:
        label = QLabel(text)
        label.setWordWrap(wrap)
        label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        return label

    def on_changes(self, changes: Changes) -> None:
        """Someone else (a page, a list, an import) wrote: reload when it concerns this child."""
        if changes.child(self.uuid):
            self.reload()

    def run_dialog(self, dialog_cls: type[CaseDialog], record_uuid: str | None = None) -> bool:
        dialog = dialog_cls(self.ws, self.tasks, self.uuid, parent=self, record_uuid=record_uuid)
        if dialog.exec() == QDialog.Accepted:
            self.reload()
            return True
        return False

    def _edit_current(self, table: RecordsTable, dialog: type[CaseDialog]) -> None:
        rec = table.current()
        if rec is not None:
            self.run_dialog(dialog, rec.uuid)

    def edit(self) -> None:
        form = ChildForm(self.ws, self.tasks, parent=self, child_uuid=self.uuid)
        if form.exec() == QDialog.Accepted:
            self.reload()

    def close_or_reopen(self) -> None:
        if self.child.status == "closed":
            answer = QMessageBox.question(
                self, "恢复在册", f"把{self.child.name}的档案恢复为在册，重新安排走访？",
                QMessageBox.Yes | QMessageBox.No, QMessageBox.No,
            )
            if answer == QMessageBox.Yes:
                children, uuid = self.ws.children, self.uuid
                self._write(lambda: children.reopen(uuid), visits=True)
            return
        if CloseFileDialog(self.ws, self.tasks, self.child, self).exec() == QDialog.Accepted:
            self.reload()

    def _write(self, write: Callable[[], Any], **kinds: bool) -> None:
        """One change to this file, as an operation; the file reloads when it is done."""
        run_operation(self.tasks, write, Changes(children={self.uuid}, **kinds), parent=self,
                      on_done=lambda _result: self.reload(), on_error=self._write_failed)

    def _write_failed(self, exc: BaseException) -> None:
        QMessageBox.warning(self, "未能保存", error_text(exc))

    def _confirm(self, text: str) -> bool:
        return QMessageBox.question(self, "请确认", text, QMessageBox.Yes | QMessageBox.No,
                                    QMessageBox.No) == QMessageBox.Yes

    def _remove_person(self) -> None:
        p = self.people.current()
        if p and self._confirm(f"删除家庭成员“{p.name or codes.PERSON_RELATION.label_of(p.relation)}”？删除会记入变更记录。"):
            children = self.ws.children
            self._write(lambda: children.remove_person(p.uuid))

    def _end_category(self) -> None:
        m = self.categories.current()
        if m and self._confirm(f"从今天起不再认定为“{codes.CATEGORY.label_of(m.category)}”？"):
            children = self.ws.children
            self._write(lambda: children.end_category(m.uuid))

    def _remove_category(self) -> None:
        m = self.categories.current()
        if m and self._confirm(f"“{codes.CATEGORY.label_of(m.category)}”是误录的，要删除吗？（不再认定请用“退出该类别”）"):
            children = self.ws.children
            self._write(lambda: children.remove_category(m.uuid))

    def _remove_relief(self) -> None:
        r = self.reliefs.current()
        if r and self._confirm(f"删除救助记录“{codes.RELIEF.label_of(r.kind)}”？"):
            children = self.ws.children
            self._write(lambda: children.remove_relief(r.uuid))

    def _delete_visit(self) -> None:
        v = self.visits.current()
        if v and self._confirm(f"{_d(v.visited_on)}的走访记录是误录的，要删除吗？下次走访日期会重新计算。"):
            visits = self.ws.visits
            self._write(lambda: visits.delete(v.uuid), visits=True)

    def _finish_help(self) -> None:
        h = self.helps.current()
        if h is None:
            return
        if h.state != "open":
            QMessageBox.information(self, "结束帮扶", "这项帮扶已经结束。")
            return
        dialog = QDialog(self)
        dialog.setWindowTitle("结束帮扶")
        result = QPlainTextEdit(dialog)
        result.setPlaceholderText("帮扶效果")
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel, dialog)
        buttons.button(QDialogButtonBox.Ok).setText("确定")
        buttons.button(QDialogButtonBox.Cancel).setText("取消")
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        lay = QVBoxLayout(dialog)
        lay.addWidget(QLabel(f"结束“{codes.HELP_KIND.label_of(h.kind)}”，请填写帮扶效果："))
        lay.addWidget(result)
        lay.addWidget(buttons)
        if dialog.exec() == QDialog.Accepted:
            helps, text = self.ws.help, result.toPlainText().strip() or None
            self._write(lambda: helps.finish(h.uuid, text), help=True)

    def print_card(self) -> None:
        print_actions.print_file_card(self, self.ws, self.tasks, self.uuid)

    def print_sheet(self) -> None:
        print_actions.print_child_sheet(self, self.ws, self.tasks, self.uuid, blank=True)

    def _print_visit(self) -> None:
        v = self.visits.current()
        if v is not None:
            print_actions.print_visit(self, self.ws, self.tasks, v.uuid)

    def _print_referral(self) -> None:
        r = self.referrals.current()
        if r is not None:
            print_actions.print_referral(self, self.ws, self.tasks, r.uuid)

    def print_current(self) -> None:
        self.print_card()

    def closeEvent(self, event) -> None:
        CHILD_FILE_GEOMETRY.set(self.saveGeometry())
        super().closeEvent(event)


_ENTITY_LABELS = {"child": "基本信息", "person": "家庭成员", "category_membership": "儿童类别", "relief": "救助记录",
                  "household": "家庭档案", "care_arrangement": "监护与照护"}


def _category_state(start, end, today) -> str:
    if in_force(start, end, today):
        return "有效"
    return "尚未开始" if start is not None and start > today else "已退出"

