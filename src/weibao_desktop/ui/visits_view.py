"""走访记录: the station's visits, newest first, by period and name; children now overdue in red."""
from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QComboBox, QDialog, QLabel, QWidget

from ..domain import codes
from ..domain.cadence import NOT_COUNTED, days_overdue
from .casework_dialogs import VisitDialog
from .colour import OVERDUE_TEXT
from .editors import OptionalDateEdit
from .list_page import ListPage
from .operations import Changes

PERIODS = ("全部", "本周", "本月", "上月", "近30天", "近90天", "今年", "自定义")


def period_range(name: str, today: dt.date) -> tuple[dt.date | None, dt.date | None]:
    if name == "本周":
        return today - dt.timedelta(days=today.weekday()), today
    if name == "本月":
        return today.replace(day=1), today
    if name == "上月":
        end = today.replace(day=1) - dt.timedelta(days=1)
        return end.replace(day=1), end
    if name == "近30天":
        return today - dt.timedelta(days=29), today
    if name == "近90天":
        return today - dt.timedelta(days=89), today
    if name == "今年":
        return today.replace(month=1, day=1), today
    return None, None


class VisitsView(ListPage):
    title = "走访记录"
    settings_key = "visits_view"

    def __init__(self, ws, tasks, parent: QWidget | None = None):
        super().__init__(ws, tasks, parent)
        self.period = QComboBox(self)
        self.period.addItems(PERIODS)
        self.period.setCurrentText("近30天")
        self.date_from = OptionalDateEdit(self, today=ws.ctx.today, label="起始日期")
        self.date_to = OptionalDateEdit(self, today=ws.ctx.today, label="截止日期")
        self.filters.addWidget(QLabel("时间：", self))
        self.filters.addWidget(self.period)
        self.filters.addWidget(self.date_from)
        self.filters.addWidget(QLabel("至", self))
        self.filters.addWidget(self.date_to)
        self.add_search("按儿童姓名查找")
        self.filters.addStretch(1)
        self.add_button("登记走访", self.new_visit, "为一名儿童登记走访（选择儿童后填写）")
        self.add_button("修改", self.edit_current, "修改选中的走访记录（或双击、回车）")
        self.add_button("打开档案", self.open_current_child, "打开选中儿童的档案")
        self.period.currentTextChanged.connect(self._period_chosen)
        for edit in (self.date_from, self.date_to):
            edit.edit.editingFinished.connect(self._dates_typed)
        self._period_chosen(self.period.currentText(), load=False)
        self.reload()

    def columns(self) -> list:
        def due(row):
            late = days_overdue(row.child_next_due, self.ws.ctx.today())
            return f"{row.child_next_due:%Y-%m-%d}（逾期{late}天）" if late else row.child_next_due

        return [
            ("走访日期", lambda r: r.visited_on),
            ("儿童", lambda r: r.child_name),
            ("走访方式", lambda r: codes.VISIT_MODE.label_of(r.mode) + ("" if r.counted else f"（{NOT_COUNTED}）")),
            ("走访人", lambda r: r.visitors),
            ("当前应走访", due),
            ("本次约定下次走访", lambda r: r.next_due_on),
            ("帮扶措施", lambda r: r.measures),
            ("存在问题", lambda r: r.problems),
        ]

    def row_colour(self, row) -> str | None:
        return OVERDUE_TEXT.name() if days_overdue(row.child_next_due, self.ws.ctx.today()) else None

    def _period_chosen(self, name: str, load: bool = True) -> None:
        if name == "自定义":
            self.date_from.setFocus()
            return
        start, end = period_range(name, self.ws.ctx.today())
        self.date_from.set_date(start)
        self.date_to.set_date(end)
        if load:
            self.reload()

    def _dates_typed(self) -> None:
        self.period.blockSignals(True)
        self.period.setCurrentText("自定义")
        self.period.blockSignals(False)
        self.reload()

    def query(self) -> dict:
        return {"date_from": self.date_from.date(), "date_to": self.date_to.date(),
                "text": self.search_box.text().strip() or None}

    def fetch(self, query: dict, offset: int, limit: int):
        return self.ws.visits.page(**query, offset=offset, limit=limit)

    def new_visit(self) -> None:
        self.new_for_child("为哪名儿童登记走访？", VisitDialog)

    def activate(self, row) -> None:
        if VisitDialog(self.ws, self.tasks, row.child_uuid, self, record_uuid=row.uuid).exec() == QDialog.Accepted:
            self.refresh()

    def shows(self, changes: Changes) -> bool:
        return changes.visits or changes.any_child or changes.settings


__all__ = ["VisitsView", "period_range"]
