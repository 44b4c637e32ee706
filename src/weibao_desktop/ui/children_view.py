"""儿童档案: every file of the station in one list, searched as you type, filtered and sorted in SQL."""
from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..domain import codes
from ..services.dto import ChildQuery
from . import print_actions
from .child_actions import install_on_rows
from .children_model import COLOUR_COLUMN, COLUMN_INDEX, COLUMNS, ChildrenModel
from .colour import NONE_LABEL, ColourChipDelegate, colour_icon
from .ledger_actions import export_children
from .operations import Changes
from .options import CHILDREN_DESCENDING, CHILDREN_HEADER, CHILDREN_SORT
from .page import BasePage
from .tasks import Tasks

# How long typing must pause before a search starts when one is already running; an idle list searches at
# once, and keystrokes during a search are coalesced into one search for the newest text.
SEARCH_PAUSE_MS = 150
ALL = "all"  # the 全部档案 choice (a combo never holds None: see ui/__init__.py)


class ChildrenView(BasePage):
    title = "儿童档案"
    new_child = Signal()

    def __init__(self, ws, tasks: Tasks, parent: QWidget | None = None, *, block: int = 100):
        super().__init__(parent)
        self.ws = ws
        self.tasks = tasks
        sort = CHILDREN_SORT.get()
        descending = CHILDREN_DESCENDING.get()
        from ..services.children import SORTS

        initial = ChildQuery(sort=sort if sort in SORTS else "name", descending=descending)
        self.model = ChildrenModel(ws, tasks, self, block=block, query=initial)
        self.model.search_started.connect(self._on_search_started)
        self.model.first_page.connect(self._on_first_page)
        self.model.search_finished.connect(self._on_search_finished)
        self.model.search_failed.connect(self._on_search_failed)
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_PAUSE_MS)
        self._search_timer.timeout.connect(self.apply_filters)
        self._ready_sent = False
        self._restore_scroll: int | None = None
        self._build()
        self._restore_state()
        # Only now: a header click (or restoring the header) asks the model to sort, i.e. to search.
        self.table.setSortingEnabled(True)
        self.apply_filters()

    def _build(self) -> None:
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("姓名、监护人或家人姓名、电话、身份证号前6位或后4位、村名")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("查找")
        self.search.textChanged.connect(self._on_text)
        self.search.returnPressed.connect(self._open_first_on_enter)

        self.category = QComboBox(self)
        self.category.setAccessibleName("儿童类别")
        self.category.addItem("全部类别", "")
        for group in codes.CATEGORY_GROUPS:
            self.category.addItem(f"{group}（全部）", group)
        for c in codes.CATEGORY:
            self.category.addItem(c.label, c.code)

        self.colour = QComboBox(self)
        self.colour.setAccessibleName("风险等级")
        self.colour.addItem("全部等级", "")
        for code in sorted(codes.RISK_COLOUR.keys(), key=codes.COLOUR_ORDER.__getitem__):
            self.colour.addItem(colour_icon(code), codes.RISK_COLOUR.label_of(code), code)
        self.colour.addItem(colour_icon(None), NONE_LABEL, "none")

        self.village = QComboBox(self)
        self.village.setAccessibleName("村(社区)")
        self.load_villages()

        self.status = QComboBox(self)
        self.status.setAccessibleName("档案状态")
        self.status.addItem("在册", "active")
        self.status.addItem("已销档", "closed")
        self.status.addItem("全部档案", ALL)

        self.overdue = QCheckBox("只看逾期", self)
        self.overdue.setToolTip("只看逾期未走访的儿童")

        for w, chars in ((self.category, 9), (self.colour, 4), (self.village, 7), (self.status, 4)):
            # Narrow boxes (the list opens with full labels), so the window still fits a screen at 200%.
            w.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
            w.setMinimumContentsLength(chars)
            w.view().setMinimumWidth(w.view().sizeHintForColumn(0) + w.fontMetrics().height() * 2)
            w.currentIndexChanged.connect(self.apply_filters)
        self.overdue.toggled.connect(self.apply_filters)

        self.reset_button = QPushButton("清除", self)
        self.reset_button.setToolTip("清除查找文字和所有筛选条件")
        self.reset_button.clicked.connect(self.clear_filters)
        self.new_button = QPushButton("新建档案", self)
        self.new_button.setToolTip("新建儿童档案（Ctrl+N）")
        self.new_button.clicked.connect(self.new_child)
        self.export_button = QPushButton("导出台账…", self)
        self.export_button.setToolTip("把当前筛选出的档案导出为 Excel 台账")
        self.export_button.clicked.connect(self.export)

        self.count = QLabel(self)
        self.count.setAccessibleName("查找结果")

        top = QHBoxLayout()
        top.addWidget(self.search, 3)
        top.addWidget(self.count)
        top.addWidget(self.new_button)
        top.addWidget(self.export_button)
        filters = QHBoxLayout()
        for w in (self.category, self.colour, self.village, self.status, self.overdue, self.reset_button):
            filters.addWidget(w)
        filters.addStretch(1)

        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(COLOUR_COLUMN, ColourChipDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollPerPixel)
        self.child_actions = install_on_rows(self.table, self.ws, self.tasks, uuid_of_row=self._uuid_of_row,
                                             open_child=self.open_child.emit, after_change=self.refresh)
        # activated: a double click, or Enter on the current row.
        self.table.activated.connect(lambda index: self._open_row(index.row()))
        vh = self.table.verticalHeader()
        vh.setVisible(False)
        # Fixed row heights: with 100,000 rows the view must not ask every row for its size.
        vh.setSectionResizeMode(QHeaderView.Fixed)
        vh.setDefaultSectionSize(QFontMetrics(self.font()).height() + 10)
        hh = self.table.horizontalHeader()
        hh.setSectionResizeMode(QHeaderView.Interactive)
        hh.setStretchLastSection(True)
        q = self.model.query()
        hh.setSortIndicator(COLUMN_INDEX.get(q.sort, 0), Qt.DescendingOrder if q.descending else Qt.AscendingOrder)
        hh.setSortIndicatorShown(True)
        # 匹配 (why a search found the child) sits right after the name, where the eye is.
        hh.moveSection(hh.visualIndex(COLUMN_INDEX["match"]), 1)
        self._default_widths()

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)

    def _default_widths(self) -> None:
        fm = QFontMetrics(self.table.font())
        samples = {
            "name": "欧阳子涵宇", "sex": "性别", "birth_date": "2015-06-01（10岁）", "id_number": "430104********1234",
            "village": "东山西湖村民委员会", "risk_colour": "风险等级", "categories": "农村留守儿童、低保家庭儿童",
            "last_visit_on": "2024-06-01", "next_visit_due": "2024-06-01（逾期1000天）", "contact_phone": "13800000000",
            "status": "已销档", "match": "祖母（监护人） 欧阳某某 电话 13800000000",
        }
        for i, col in enumerate(COLUMNS):
            self.table.setColumnWidth(i, fm.horizontalAdvance(samples[col.key]) + fm.height())

    def load_villages(self) -> None:
        current = self.village.currentData()
        self.village.blockSignals(True)
        self.village.clear()
        self.village.addItem("全部村(社区)", -1)
        try:
            villages = self.ws.stations.info().villages
        except Exception:  # no station yet: the list is empty anyway
            villages = ()
        for v in villages:
            self.village.addItem(v.name, v.id)
        i = self.village.findData(current)
        self.village.setCurrentIndex(max(i, 0))
        self.village.blockSignals(False)

    def current_query(self) -> ChildQuery:
        sort = self.model.query()
        return ChildQuery(
            text=self.search.text().strip() or None,
            village_id=None if self.village.currentData() in (None, -1) else self.village.currentData(),
            category=self.category.currentData() or None,
            colour=self.colour.currentData() or None,
            overdue=self.overdue.isChecked(),
            status=None if self.status.currentData() == ALL else self.status.currentData(),
            sort=sort.sort,
            descending=sort.descending,
        )

    def _on_text(self, _text: str) -> None:
        if self.model.is_searching():
            self._search_timer.start()  # the running search will be followed by this text anyway
        else:
            self.apply_filters()

    def apply_filters(self) -> None:
        self._search_timer.stop()
        q = self.current_query()
        if q != self.model.query() or not (self.model.searched or self.model.is_searching()):
            self.model.set_query(q)

    def clear_filters(self) -> None:
        for w in (self.category, self.colour, self.village, self.status, self.overdue, self.search):
            w.blockSignals(True)
        self.search.clear()
        self.category.setCurrentIndex(0)
        self.colour.setCurrentIndex(0)
        self.village.setCurrentIndex(0)
        self.status.setCurrentIndex(0)
        self.overdue.setChecked(False)
        for w in (self.category, self.colour, self.village, self.status, self.overdue, self.search):
            w.blockSignals(False)
        self.apply_filters()

    def set_filters(self, *, text: str = "", colour: str | None = None, overdue: bool = False,
                    status: str | None = "active", category: str | None = None,
                    village_id: int | None = None) -> None:
        """Show the list with exactly these filters, in one search (the dashboard's links use this)."""
        widgets = (self.search, self.overdue, self.status, self.colour, self.category, self.village)
        for w in widgets:
            w.blockSignals(True)
        self.search.setText(text)
        for combo, value in ((self.colour, colour or ""), (self.category, category or ""),
                             (self.village, -1 if village_id is None else village_id),
                             (self.status, ALL if status is None else status)):
            combo.setCurrentIndex(max(combo.findData(value), 0))
        self.overdue.setChecked(overdue)
        for w in widgets:
            w.blockSignals(False)
        self.apply_filters()

    def refresh(self) -> None:
        """Search again after a change elsewhere, keeping the place in the list."""
        self._restore_scroll = self.table.verticalScrollBar().value()
        self.load_villages()
        self.model.refresh()

    def is_ready(self) -> bool:
        return self._ready_sent

    def shows(self, changes: Changes) -> bool:
        return changes.any_child or changes.visits or changes.assessments or changes.settings

    def _on_search_started(self) -> None:
        self.count.setText("正在查找…")

    def _on_first_page(self) -> None:
        # 匹配 says why a search found each child (a guardian's name, the last four digits …): only while searching.
        self.table.setColumnHidden(COLUMN_INDEX["match"], not self.model.query().text)
        if self._restore_scroll is not None and not self.model.is_partial():
            QTimer.singleShot(0, lambda v=self._restore_scroll: self.table.verticalScrollBar().setValue(v))
            self._restore_scroll = None
        if not self._ready_sent:
            self._ready_sent = True
            self.ready.emit()

    def _on_search_finished(self, n: int) -> None:
        q = self.model.query()
        if n == 0:
            self.count.setText("没有找到符合条件的档案")
        else:
            self.count.setText(f"共 {n:,} 名")
        hh = self.table.horizontalHeader()
        hh.blockSignals(True)
        hh.setSortIndicator(COLUMN_INDEX.get(q.sort, 0), Qt.DescendingOrder if q.descending else Qt.AscendingOrder)
        hh.blockSignals(False)
        self._on_first_page()

    def _on_search_failed(self, text: str) -> None:
        self.count.setText("查找失败")
        QMessageBox.warning(self, "查找失败", text)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.ShortcutFocusReason)
        self.search.selectAll()

    def _open_first_on_enter(self) -> None:
        if self.model.rowCount() == 1:
            self._open_row(0)
        elif self.model.rowCount() > 1:
            self.table.setFocus()
            self.table.selectRow(0)

    def current_uuid(self) -> str | None:
        index = self.table.currentIndex()
        return self.model.uuid_at(index.row()) if index.isValid() else None

    def _open_row(self, row: int) -> None:
        uuid = self.model.uuid_at(row) if row >= 0 else None
        if uuid:
            self.open_child.emit(uuid)

    def _uuid_of_row(self, row: int) -> str | None:
        return self.model.uuid_at(row) if row >= 0 else None

    def record_visit(self, uuid: str) -> None:
        self.child_actions.record_visit(uuid)

    def print_sheet(self, uuid: str | None = None) -> None:
        uuid = uuid or self.current_uuid()
        if not uuid:
            QMessageBox.information(self, "打印", "请先在列表中选中一名儿童。")
            return
        print_actions.print_child_sheet(self, self.ws, self.tasks, uuid, blank=True)

    def print_current(self) -> bool:
        self.print_sheet()
        return True

    def export(self) -> None:
        export_children(self, self.ws, self.tasks, self.model.query())

    def _restore_state(self) -> None:
        state = CHILDREN_HEADER.get()
        if state is not None:
            self.table.horizontalHeader().restoreState(state)

    def save_state(self) -> None:
        CHILDREN_HEADER.set(self.table.horizontalHeader().saveState())
        q = self.model.query()
        CHILDREN_SORT.set(q.sort)
        CHILDREN_DESCENDING.set(q.descending)

    def set_query_sort(self, sort: str, descending: bool = False) -> None:
        self.model.set_query(replace(self.current_query(), sort=sort, descending=descending))
