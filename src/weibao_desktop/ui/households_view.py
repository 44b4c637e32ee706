"""家庭档案: the station's households with their children's colours (the highest first in view), the adults
entered once for all the children, a household visit in one form, and the list of unsure matches to check."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..domain import codes
from ..domain.errors import WeibaoError
from ..domain.idnumber import mask_id_number
from .care_tab import household_html
from .case_dialog import CaseDialog, specs
from .child_picker import pick_child
from .forms import FieldForm
from .operations import Changes, run_operation
from .page import BasePage
from .records_table import Col, RecordsTable
from .tasks import Tasks, error_text

REVIEW_STATES = {"open": "待核对", "joined": "已合并", "split": "不是同一家庭"}


def _colours(children) -> str:
    return "、".join(f"{c.name}（{codes.RISK_COLOUR.label_of(c.risk_colour) or '未评估'}）" for c in children)


class HouseholdVisitDialog(CaseDialog):
    """家庭走访: one form for the household; saving records one visit for each child ticked as present, each
    child's next visit following its own colour."""

    title_new = "家庭走访"
    changed_kind = {"visits": True}

    def __init__(self, ws, tasks: Tasks, household, parent: QWidget | None = None):
        super().__init__(ws, tasks, None, parent)
        self.household = household
        head = QLabel(household_html(household), self)
        head.setTextFormat(Qt.RichText)
        head.setWordWrap(True)
        self.body.addWidget(head)
        box = QGroupBox("在场（或本次了解情况）的儿童：每人记一条走访记录", self)
        row = QHBoxLayout(box)
        self.present: dict[str, QCheckBox] = {}
        for c in household.children:
            check = QCheckBox(f"{c.name}（{codes.RISK_COLOUR.label_of(c.risk_colour) or '未评估'}）", box)
            check.setChecked(c.status == "active")
            check.setEnabled(c.status == "active")
            self.present[c.uuid] = check
            row.addWidget(check)
        row.addStretch(1)
        self.body.addWidget(box)
        self.top = self.add_form(FieldForm(specs("visit", "visited_on", "mode", "visitors"), self, today=self.today,
                                           columns=3))
        self.texts = self.add_form(FieldForm(specs("visit", "living", "study", "health", "safety", "psychology",
                                                   "guardianship", "problems", "measures"), self, today=self.today,
                                             columns=2, text_lines=2, wide_longtext=False))
        self.top.set_values({"visited_on": self.today(), "visitors": ws.actor.name, "mode": "home"})
        self.resize(800, self.sizeHint().height())

    def snapshot(self) -> object:
        return [*super().snapshot(), [c.isChecked() for c in self.present.values()]]

    def chosen(self) -> list[str]:
        return [uuid for uuid, check in self.present.items() if check.isChecked()]

    def operation(self):
        present = self.chosen()
        if not present:
            raise WeibaoError("请至少选择一名在场的儿童", "present")
        values = {**self.top.values(), **self.texts.values()}
        households, uuid = self.ws.households, self.household.uuid
        return lambda: households.record_visit(uuid, present, values)

    def changes(self, result) -> Changes:
        return Changes(children=self.chosen(), visits=True)


class HouseholdsView(BasePage):
    title = "家庭档案"

    def __init__(self, ws, tasks: Tasks, parent: QWidget | None = None):
        super().__init__(parent)
        self.ws, self.tasks = ws, tasks
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("查找家庭、儿童或家长姓名")
        self.search.returnPressed.connect(self.refresh)
        find = QPushButton("查找", self)
        find.clicked.connect(self.refresh)
        self.households = RecordsTable((
            Col("家庭", lambda h: h.name),
            Col("村(社区)", lambda h: h.village or ""),
            Col("最高风险等级", lambda h: codes.RISK_COLOUR.label_of(h.highest_colour) or "未评估"),
            Col("儿童（风险等级）", lambda h: _colours(h.children)),
            Col("家长等", lambda h: f"{h.adults}人"),
            Col("住址", lambda h: h.address or ""),
        ), empty="还没有家庭档案")
        self.households.add_button("新建家庭…", self.new_household)
        self.households.add_button("家庭走访…", self.visit, needs_row=True)
        self.households.add_button("加入儿童…", self.add_child, needs_row=True)
        self.households.view.selectionModel().selectionChanged.connect(lambda *_: self._show_detail())
        self.detail = QLabel(self)
        self.detail.setTextFormat(Qt.RichText)
        self.detail.setWordWrap(True)
        self.children = RecordsTable((
            Col("儿童", lambda c: c.name),
            Col("性别", lambda c: codes.SEX.label_of(c.sex)),
            Col("出生日期", lambda c: c.birth_date.isoformat()),
            Col("风险等级", lambda c: codes.RISK_COLOUR.label_of(c.risk_colour) or "未评估"),
            Col("下次走访", lambda c: c.next_visit_due.isoformat() if c.next_visit_due else ""),
        ), title="家中的儿童", empty="")
        self.children.add_button("打开档案", self._open_child, needs_row=True)
        self.children.add_button("移出家庭…", self.remove_child, needs_row=True)
        self.adults = RecordsTable((
            Col("关系", lambda p: codes.PERSON_RELATION.label_of(p.relation)
                + (f"（{p.relation_detail}）" if p.relation_detail else "")),
            Col("姓名", lambda p: p.name or ""),
            Col("身份证号", lambda p: mask_id_number(p.id_number) if p.id_number else ""),
            Col("联系电话", lambda p: p.phone or ""),
            Col("状况", lambda p: codes.PERSON_STATUS.label_of(p.status)),
            Col("监护人", lambda p: "是" if p.is_guardian else ""),
        ), title="父母、监护人和被委托人（家中儿童共用，在任一儿童档案的“家庭与监护”中修改）", empty="未登记")
        right = QWidget(self)
        rl = QVBoxLayout(right)
        rl.addWidget(self.detail)
        rl.addWidget(self.children, 1)
        rl.addWidget(self.adults, 1)
        split = QSplitter(Qt.Horizontal, self)
        split.addWidget(self.households)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        self.reviews = RecordsTable((
            Col("儿童", lambda r: r.child_name),
            Col("可能属于的家庭", lambda r: f"{r.household_name}（{'、'.join(r.household_children)}）"),
            Col("原因", lambda r: r.reason),
            Col("状态", lambda r: REVIEW_STATES.get(r.state, r.state)),
        ), empty="没有需要核对的家庭匹配")
        self.reviews.add_button("是同一家庭（合并）", lambda: self.resolve(True), needs_row=True)
        self.reviews.add_button("不是同一家庭", lambda: self.resolve(False), needs_row=True)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(split, "家庭")
        self.tabs.addTab(self.reviews, "待核对")
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(find)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        self.refresh()

    def shows(self, changes: Changes) -> bool:
        return bool(changes.children) or changes.all_children or changes.assessments or changes.visits

    def refresh(self) -> None:
        current = self.households.current()
        try:
            rows = self.ws.households.search(self.search.text())
            reviews = self.ws.households.reviews()
        except WeibaoError as e:
            self.detail.setText(str(e))
            return
        self.households.set_records(rows)
        self.reviews.set_records(reviews)
        self.tabs.setTabText(1, f"待核对（{len(reviews)}）" if reviews else "待核对")
        if current is not None:
            row = next((i for i, h in enumerate(rows) if h.uuid == current.uuid), None)
            if row is not None:
                self.households.select_row(row)
        self._show_detail()

    def focus_search(self) -> None:
        self.search.setFocus()

    def _show_detail(self) -> None:
        h = self.households.current()
        detail = self.ws.households.get(h.uuid) if h is not None else None
        self.detail.setText(household_html(detail) if detail else "选择一个家庭查看家中的儿童和家长")
        self.children.set_records(list(detail.children) if detail else [])
        self.adults.set_records(list(detail.people) if detail else [])

    def _write(self, write, changes: Changes) -> None:
        run_operation(self.tasks, write, changes, parent=self, on_done=lambda _r: self.refresh(),
                      on_error=lambda e: QMessageBox.warning(self, "未能保存", error_text(e)))

    def new_household(self) -> None:
        uuid = pick_child(self.ws, self, "新建家庭：选择家中的一名儿童", self.tasks)
        if not uuid:
            return
        child = self.ws.children.get(uuid)
        father = next((p.name for p in child.people if p.relation == "father" and p.name), None)
        name, ok = QInputDialog.getText(self, "新建家庭", "家庭名称：", text=f"{father or child.name}家")
        if not ok or not name.strip():
            return
        households = self.ws.households
        values = {"name": name.strip(), "address": child.residence_address, "village_id": child.village_id}
        self._write(lambda: households.create(values, [uuid]), Changes(children={uuid}))

    def add_child(self) -> None:
        h = self.households.current()
        uuid = pick_child(self.ws, self, f"加入“{h.name}”的儿童", self.tasks) if h else None
        if uuid:
            households = self.ws.households
            self._write(lambda: households.add_child(h.uuid, uuid), Changes(children={uuid}))

    def remove_child(self) -> None:
        h, c = self.households.current(), self.children.current()
        if h is None or c is None:
            return
        if QMessageBox.question(self, "移出家庭", f"把{c.name}移出“{h.name}”？家长信息会复制到{c.name}自己的档案。",
                                QMessageBox.Yes | QMessageBox.No, QMessageBox.No) == QMessageBox.Yes:
            households = self.ws.households
            self._write(lambda: households.remove_child(h.uuid, c.uuid), Changes(children={c.uuid}))

    def visit(self) -> None:
        h = self.households.current()
        if h is None:
            return
        dialog = HouseholdVisitDialog(self.ws, self.tasks, self.ws.households.get(h.uuid), self)
        if dialog.exec():
            self.refresh()

    def resolve(self, join: bool) -> None:
        r = self.reviews.current()
        if r is None:
            return
        households = self.ws.households
        self._write(lambda: households.resolve_review(r.id, join), Changes(children={r.child_uuid}))

    def _open_child(self) -> None:
        c = self.children.current()
        if c is not None:
            self.open_child.emit(c.uuid)


__all__ = ["HouseholdsView", "HouseholdVisitDialog"]
