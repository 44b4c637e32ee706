"""工作台: what a supervisor needs when the day starts, from `StatsService.dashboard()`.

今日待办 first (services/today.py: due today and overdue, red first then the longest overdue, with the reason),
then visits due today and this week, overdue visits grouped by colour (red first), red children without an open
help measure or referral, clues not yet closed, and counts with small charts. Double-clicking (or Enter on)
any child opens the file, and every child row has the shared child actions (right-click, keys:
ui/child_actions.py); a count card opens the list filtered to it. A store without any file shows a start page
(新建档案, 从Excel导入) instead. The dashboard is computed on a worker
thread, so a county store never freezes the window while it counts.
"""
from __future__ import annotations

import dataclasses
import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..domain import codes
from ..services.dto import Stats
from ..services.stats import DASHBOARD_ROWS, Dashboard
from . import print_actions
from .care_tab import CareWarningList
from .child_actions import ChildActions, install_on_rows
from .children_model import ChildRowListModel, due_text
from .colour import OVERDUE_TEXT, ColourChipDelegate, colour_icon, colour_label
from .page import BasePage
from .stats_view import BarChart, category_bars, colour_bars
from .tasks import TaskHandle, error_text
from .today_panel import StartPage, TodoList

WEEKDAYS = "一二三四五六日"
DASHBOARD_CATEGORIES = 6  # the biggest ones; 统计 shows them all
LIST_COLUMNS = ("name", "village", "risk_colour", "next_visit_due", "last_visit_on", "contact_phone")


class CountCard(QFrame):
    """A number with its caption; clicking it opens the matching list."""

    clicked = Signal()

    def __init__(self, caption: str, parent: QWidget | None = None, *, alarm: bool = False):
        super().__init__(parent)
        self.setFrameShape(QFrame.StyledPanel)
        self.setCursor(Qt.PointingHandCursor)
        self.alarm = alarm
        self.number = QLabel("—", self)
        f = self.number.font()
        f.setPointSizeF(f.pointSizeF() * 2)
        f.setBold(True)
        self.number.setFont(f)
        self.caption = QLabel(caption, self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.number, 0, Qt.AlignHCenter)
        layout.addWidget(self.caption, 0, Qt.AlignHCenter)
        self.setAccessibleName(caption)

    def set_value(self, n: int | None) -> None:
        """The count, or None while it is still being counted (shown as …)."""
        if n is None:
            self.number.setText("…")
            self.number.setStyleSheet("")
            self.setAccessibleDescription(f"{self.caption.text()}正在统计")
            return
        self.number.setText(f"{n:,}")
        self.number.setStyleSheet(f"color:{OVERDUE_TEXT.name()};" if self.alarm and n else "")
        self.setAccessibleDescription(f"{self.caption.text()}{n}")

    def mouseReleaseEvent(self, event) -> None:
        if event.button() == Qt.LeftButton:
            self.clicked.emit()
        super().mouseReleaseEvent(event)


class ChildList(QTableView):
    """A short list of children; Enter or double-click opens the file."""

    open_child = Signal(str)

    def __init__(self, ws, tasks, parent: QWidget | None = None, *, after_change=None):
        super().__init__(parent)
        self.list_model = ChildRowListModel(LIST_COLUMNS, self)
        self.setModel(self.list_model)
        self.setItemDelegateForColumn(LIST_COLUMNS.index("risk_colour"), ColourChipDelegate(self))
        self.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.setSelectionMode(QAbstractItemView.SingleSelection)
        self.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setStretchLastSection(True)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
        fm = QFontMetrics(self.font())
        self.verticalHeader().setDefaultSectionSize(fm.height() + 10)
        for i, sample in enumerate(("欧阳子涵宇", "东山西湖村", "风险等级", "2024-06-01（逾期100天）", "2024-06-01")):
            self.setColumnWidth(i, fm.horizontalAdvance(sample) + fm.height())
        # activated: a double click, or Enter on the current row.
        self.activated.connect(lambda index: self._open(index.row()))
        self.child_actions = install_on_rows(self, ws, tasks, uuid_of_row=self.list_model.uuid_at,
                                             open_child=self.open_child.emit, after_change=after_change)

    def set_rows(self, rows, today: dt.date) -> None:
        self.list_model.set_rows(rows, today)

    def _open(self, row: int) -> None:
        uuid = self.list_model.uuid_at(row)
        if uuid:
            self.open_child.emit(uuid)


class DashboardView(BasePage):
    title = "工作台"
    has_heading = True  # its own heading, with the station and the date
    filter_children = Signal(dict)  # ChildrenView.set_filters keyword arguments, and "sort"
    day_shown = Signal()  # the day's work is on screen; the counts and charts follow (`ready`)
    open_page = Signal(str)
    open_clue = Signal(str)
    new_child = Signal()
    import_ledger = Signal()

    def __init__(self, ws, tasks, parent: QWidget | None = None, *, first: TaskHandle | None = None):
        """`first`: the day's work already being read (`read_day_work`), as the main window does at login."""
        super().__init__(parent)
        self.ws = ws
        self.tasks = tasks
        self.data: Dashboard | None = None
        self._handle = None
        self._build()
        self._read(first)

    @staticmethod
    def read_day_work(ws, tasks) -> TaskHandle:
        stats = ws.stats
        return tasks.run(lambda progress, cancelled: stats.day_work(), on_error=lambda _exc: None)

    def _build(self) -> None:
        self.heading = QLabel(self)
        f = self.heading.font()
        f.setPointSizeF(f.pointSizeF() * 1.4)
        f.setBold(True)
        self.heading.setFont(f)
        self.status = QLabel(self)
        self.refresh_button = QPushButton("刷新", self)
        self.refresh_button.clicked.connect(self.refresh)
        self.print_button = QPushButton("打印走访计划…", self)
        self.print_button.setToolTip("打印本周应走访和逾期未走访的名单，带去走访")
        self.print_button.clicked.connect(self.print_current)

        self.cards = {
            "active": CountCard("在册儿童"),
            "today": CountCard("今日应走访"),
            "week": CountCard("本周应走访"),
            "overdue": CountCard("逾期未走访", alarm=True),
            "red": CountCard("红色未采取措施", alarm=True),
            "unassessed": CountCard("未评估", alarm=True),
            "clues": CountCard("未办结线索", alarm=True),
            "month": CountCard("本月已走访"),
        }
        self.cards["active"].clicked.connect(lambda: self.filter_children.emit({"status": "active"}))
        # The most overdue first: the ones to visit first.
        self.cards["overdue"].clicked.connect(lambda: self.filter_children.emit(
            {"overdue": True, "status": "active", "sort": "next_visit_due"}))
        self.cards["unassessed"].clicked.connect(lambda: self.filter_children.emit({"colour": "none", "status": "active"}))
        self.cards["red"].clicked.connect(lambda: self.lists.setCurrentWidget(self.red_list))
        self.cards["today"].clicked.connect(lambda: self.lists.setCurrentWidget(self.todo))
        self.cards["week"].clicked.connect(lambda: self.lists.setCurrentWidget(self.week_list))
        self.cards["clues"].clicked.connect(lambda: self.lists.setCurrentWidget(self.clue_list))
        self.cards["month"].clicked.connect(lambda: self.open_page.emit("visits"))

        self.todo = TodoList(self.ws, self.tasks, after_change=self.refresh)
        self.todo.open_child.connect(self.open_child)
        self.todo.open_clue.connect(self.open_clue)
        self.today_list = ChildList(self.ws, self.tasks, after_change=self.refresh)
        self.week_list = ChildList(self.ws, self.tasks, after_change=self.refresh)
        self.red_list = ChildList(self.ws, self.tasks, after_change=self.refresh)
        for w in (self.today_list, self.week_list, self.red_list):
            w.open_child.connect(self.open_child)
        self.clue_list = QTreeWidget()
        self.clue_list.setRootIsDecorated(False)
        self.clue_list.setHeaderLabels(["受理时间", "状态", "儿童", "来源", "内容"])
        self.clue_list.itemActivated.connect(self._open_clue)
        self.clue_actions = self._tree_actions(self.clue_list)
        self.lists = QTabWidget(self)
        self.lists.addTab(self.todo, "今日待办")
        self.lists.addTab(self.today_list, "今日应走访")
        self.lists.addTab(self.week_list, "本周应走访")
        self.lists.addTab(self.red_list, "红色未采取措施")
        self.lists.addTab(self.clue_list, "未办结线索")
        self.care_list = CareWarningList()  # 被委托人 without a signed agreement, agreements about to end
        self.care_list.open_child.connect(self.open_child)
        self.care_list.counted.connect(lambda n: self.lists.setTabText(
            self.lists.indexOf(self.care_list), f"监护与照护提醒（{n}）"))
        self.lists.addTab(self.care_list, "监护与照护提醒")

        self.overdue = QTreeWidget(self)
        self.overdue.setHeaderLabels(["姓名", "村(社区)", "应走访日期", "逾期天数", "联系电话"])
        self.overdue.setAlternatingRowColors(True)
        self.overdue.itemActivated.connect(self._open_item)
        self.overdue.setAccessibleName("逾期未走访")
        self.overdue_actions = self._tree_actions(self.overdue)
        self.overdue_note = QLabel(self)
        self.overdue_note.setWordWrap(True)
        overdue_box = QWidget(self)
        ol = QVBoxLayout(overdue_box)
        ol.setContentsMargins(0, 0, 0, 0)
        title = QLabel("逾期未走访（红色优先）", overdue_box)
        tf = title.font()
        tf.setBold(True)
        title.setFont(tf)
        ol.addWidget(title)
        ol.addWidget(self.overdue, 1)
        ol.addWidget(self.overdue_note)

        self.colour_chart = BarChart("在册儿童按风险等级")
        self.colour_chart.bar_clicked.connect(self._colour_clicked)
        self.category_chart = BarChart("在册儿童最多的类别")
        for chart in (self.colour_chart, self.category_chart):
            chart.empty_text = "正在统计…"  # until the first counts come

        cards = QHBoxLayout()
        for card in self.cards.values():
            cards.addWidget(card)
        head = QHBoxLayout()
        head.addWidget(self.heading)
        head.addStretch(1)
        head.addWidget(self.status)
        head.addWidget(self.print_button)
        head.addWidget(self.refresh_button)

        upper = QSplitter(Qt.Horizontal, self)
        upper.addWidget(self.lists)
        upper.addWidget(overdue_box)
        upper.setStretchFactor(0, 3)
        upper.setStretchFactor(1, 2)
        charts = QWidget(self)
        cl = QHBoxLayout(charts)
        cl.setContentsMargins(0, 0, 0, 0)
        cl.addWidget(self.colour_chart, 1, Qt.AlignTop)
        cl.addWidget(self.category_chart, 2, Qt.AlignTop)
        # In a scroll area, so on a small or 200% screen the lists keep the room and the charts scroll.
        chart_area = QScrollArea(self)
        chart_area.setWidget(charts)
        chart_area.setWidgetResizable(True)
        chart_area.setFrameShape(QFrame.NoFrame)
        body = QSplitter(Qt.Vertical, self)
        body.addWidget(upper)
        body.addWidget(chart_area)
        body.setStretchFactor(0, 3)
        body.setStretchFactor(1, 1)
        body.setChildrenCollapsible(False)
        self.body, self.charts = body, charts

        board = QWidget(self)
        bl = QVBoxLayout(board)
        bl.setContentsMargins(0, 0, 0, 0)
        bl.addLayout(cards)
        bl.addWidget(body, 1)
        self.start = StartPage(self)
        self.start.new_child.connect(self.new_child)
        self.start.import_ledger.connect(self.import_ledger)
        start_holder = QWidget(self)
        sl = QHBoxLayout(start_holder)
        sl.addWidget(self.start)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(board)
        self.pages.addWidget(start_holder)
        self.board = board

        self.reminders = QLabel(self)  # the station's own work: villages without a 儿童主任, unreported incidents
        self.reminders.setWordWrap(True)
        self.reminders.setStyleSheet("color: #B71C1C;")
        self.reminders.hide()
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.reminders)
        layout.addWidget(self.pages, 1)

    def _tree_actions(self, tree: QTreeWidget) -> ChildActions:
        """The shared child actions on a tree whose first column holds the child's uuid (or "")."""
        return ChildActions(tree, self.ws, self.tasks, child_at=lambda index: index.siblingAtColumn(0).data(
            Qt.UserRole) or None, open_child=self.open_child.emit, after_change=self.refresh)

    def showing_start_page(self) -> bool:
        return self.pages.currentWidget() is not self.board

    def is_ready(self) -> bool:
        """Everything on screen: the day's work, the counts and the charts."""
        return self.data is not None and self.data.stats is not None

    def refresh(self) -> None:
        """Count again (刷新, a change elsewhere). Takes no argument, so a signal's clicked(checked) cannot
        reach it as a task."""
        self._read(None)

    def _read(self, first: TaskHandle | None) -> None:
        """Two steps on the worker thread: the day's work (lists and their counts) shows first, then the counts
        behind 在册儿童, 本月已走访 and the charts, then the care reminders; `day_shown` after the first, `ready`
        when all of it is on screen. `first`: the day's work already being read."""
        if self._handle is not None:
            self._handle.cancel()
        self.status.setText("正在统计…")
        self.refresh_button.setEnabled(False)
        if first is None:
            first = self.read_day_work(self.ws, self.tasks)
        self._handle = first
        if first.done:  # read already (tests run tasks at once)
            if first.error is not None:
                self._failed(first.error)
            elif not first.is_cancelled():
                self._show_work(first.result)
            return
        first.finished.connect(self._show_work)
        first.failed.connect(self._failed)

    def _failed(self, exc) -> None:
        self._handle = None
        self.refresh_button.setEnabled(True)
        self.status.setText(error_text(exc))
        for card in self.cards.values():
            if card.number.text() == "…":  # not counted: no number rather than a wait that never ends
                card.number.setText("—")
        for chart in (self.colour_chart, self.category_chart):
            if chart.empty_text == "正在统计…":
                chart.empty_text = "没有统计出来（见上方的提示）"
                chart.update()
        if self.data is not None:  # the lists came: the care reminders do not depend on the counts
            self.care_list.load(self.ws, self.tasks)

    def _show_work(self, d: Dashboard) -> None:
        self.data = d
        self.heading.setText(f"{d.station} 工作台　{d.today.isoformat()} 星期{WEEKDAYS[d.today.weekday()]}")
        self.reminders.setText("\n".join(f"● {r}" for r in d.reminders))
        self.reminders.setVisible(bool(d.reminders))
        self.cards["today"].set_value(d.today_total)
        self.cards["week"].set_value(d.week_total)
        self.cards["overdue"].set_value(d.overdue_total)
        self.cards["red"].set_value(d.red_total)
        self.cards["unassessed"].set_value(d.unassessed_total)
        self.cards["clues"].set_value(d.open_clue_total)
        for key in ("active", "month"):
            self.cards[key].set_value(None)
        self.today_list.set_rows(d.due_today, d.today)
        self.week_list.set_rows(d.due_this_week, d.today)
        self.red_list.set_rows(d.red_without_action, d.today)
        self.todo.set_items(d.todo)
        self.pages.setCurrentIndex(0 if d.has_files else 1)
        for i, (widget, title, n, shown) in enumerate((
            (self.todo, "今日待办", len(d.todo), len(d.todo)),
            (self.today_list, "今日应走访", d.today_total, len(d.due_today)),
            (self.week_list, "本周应走访", d.week_total, len(d.due_this_week)),
            (self.red_list, "红色未采取措施", d.red_total, len(d.red_without_action)),
            (self.clue_list, "未办结线索", d.open_clue_total, len(d.open_clues)),
        )):
            self.lists.setTabText(i, f"{title}（{n}）")
            # A county-sized store: the list holds the most urgent ones; the tab counts them all.
            widget.setToolTip(f"这里只列出最急的{shown}个，共{n}个" if n > shown else "")
        shortened = (d.today_total > len(d.due_today) or d.overdue_total > len(d.overdue)
                     or d.red_total > len(d.red_without_action))
        self.todo.setToolTip(f"名单很长，待办只含今日应走访、逾期未走访和红色未采取措施中各自最急的{DASHBOARD_ROWS}个"
                             if shortened else "")
        self._fill_clues(d)
        self._fill_overdue(d)
        self.day_shown.emit()
        stats = self.ws.stats
        self._handle = self.tasks.run(lambda progress, cancelled: stats.stats(), on_done=self._show_stats,
                                      on_error=self._failed)

    def _show_stats(self, s: Stats) -> None:
        self._handle = None
        if self.data is not None:
            self.data = dataclasses.replace(self.data, stats=s)
        self.refresh_button.setEnabled(True)
        self.status.setText("")
        self.cards["active"].set_value(s.total_active)
        self.cards["month"].set_value(s.visits_this_month)
        for chart in (self.colour_chart, self.category_chart):
            chart.empty_text = "暂无数据"
        self.colour_chart.set_bars(colour_bars(s.by_colour))
        bars = sorted(category_bars(s.by_category), key=lambda b: -b.value)
        self.category_chart.set_bars(bars[:DASHBOARD_CATEGORIES])
        self._fit_charts()
        self.care_list.load(self.ws, self.tasks)
        self.ready.emit()

    def _fit_charts(self) -> None:
        """The charts get their full height when the window has room, at most two fifths of it."""
        total = sum(self.body.sizes())
        if total <= 0:
            return
        chart_h = min(self.charts.sizeHint().height(), int(total * 0.4))
        self.body.setSizes([total - chart_h, chart_h])

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.data is not None:
            self._fit_charts()

    def _fill_clues(self, d: Dashboard) -> None:
        self.clue_list.clear()
        for clue in d.open_clues:
            item = QTreeWidgetItem([
                clue.received_at.strftime("%Y-%m-%d %H:%M"), codes.CLUE_STATE.label_of(clue.state),
                clue.child_name or "（未关联儿童）", codes.CLUE_SOURCE.label_of(clue.source),
                clue.content.replace("\n", " ")[:60],
            ])
            item.setData(0, Qt.UserRole, clue.child_uuid or "")
            item.setData(1, Qt.UserRole, clue.uuid)
            self.clue_list.addTopLevelItem(item)
        for i in range(4):
            self.clue_list.resizeColumnToContents(i)

    def _fill_overdue(self, d: Dashboard) -> None:
        self.overdue.clear()
        totals = d.overdue_by_colour
        groups: dict[str, QTreeWidgetItem] = {}
        order = sorted(codes.RISK_COLOUR.keys(), key=codes.COLOUR_ORDER.__getitem__) + ["none"]
        for code in order:
            if not totals.get(code):
                continue
            head = QTreeWidgetItem([f"{colour_label(None if code == 'none' else code)}（{totals[code]}名）"])
            head.setIcon(0, colour_icon(None if code == "none" else code))
            head.setFirstColumnSpanned(False)
            f = head.font(0)
            f.setBold(True)
            head.setFont(0, f)
            head.setData(0, Qt.UserRole, "")
            self.overdue.addTopLevelItem(head)
            groups[code] = head
        red = QBrush(OVERDUE_TEXT)
        for row in d.overdue:
            parent = groups.get(row.risk_colour or "none")
            if parent is None:
                continue
            item = QTreeWidgetItem([
                row.name, row.village or "", row.next_visit_due.isoformat() if row.next_visit_due else "",
                f"{row.days_overdue}天", row.contact_phone or "",
            ])
            item.setData(0, Qt.UserRole, row.uuid)
            item.setForeground(2, red)
            item.setForeground(3, red)
            item.setToolTip(0, due_text(row))
            parent.addChild(item)
        for code, head in groups.items():
            head.setExpanded(code in ("red", "orange") or len(d.overdue) < 100)
        for i in range(5):
            self.overdue.resizeColumnToContents(i)
        shown = len(d.overdue)
        if d.overdue_total > shown:
            self.overdue_note.setText(
                f"只列出最紧急的{shown}名（共{d.overdue_total}名）。点上方“逾期未走访”可在儿童档案中看全部。")
        elif not d.overdue_total:
            self.overdue_note.setText("没有逾期未走访的儿童。")
        else:
            self.overdue_note.setText("")

    def _open_item(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        uuid = item.data(0, Qt.UserRole)
        if uuid:
            self.open_child.emit(uuid)

    def _open_clue(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        self.open_clue.emit(item.data(1, Qt.UserRole))

    def _colour_clicked(self, index: int) -> None:
        order = sorted(codes.RISK_COLOUR.keys(), key=codes.COLOUR_ORDER.__getitem__) + ["none"]
        if index < len(order):
            self.filter_children.emit({"colour": order[index], "status": "active"})

    def print_current(self) -> bool:
        print_actions.print_round(self, self.ws, self.tasks)
        return True
