"""A navigation page that shows one service list a page at a time: the table model of plain rows, the
上一页 / 下一页 bar, and `ListPage` itself."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from .child_actions import install_on_rows
from .child_picker import pick_child
from .forms import ErrorBanner
from .looks import fit_columns
from .options import LIST_HEADERS
from .page import BasePage
from .tasks import error_text


class RowsModel(QAbstractTableModel):
    """A read-only table of plain rows (dataclasses from a service page): named columns, each a
    function of the row; an optional per-row colour (red for overdue)."""

    def __init__(self, columns: list[tuple[str, Callable[[object], object]]], parent=None,
                 foreground: Callable[[object], str | None] | None = None,
                 icons: dict[int, Callable[[object], object]] | None = None):
        super().__init__(parent)
        self.columns = columns
        self.rows: list = []
        self._foreground = foreground
        self._icons = icons or {}

    def set_rows(self, rows: list) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def row(self, index: int):
        return self.rows[index]

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role in (Qt.DisplayRole, Qt.ToolTipRole):
            value = self.columns[index.column()][1](row)
            return _cell_text(value)
        if role == Qt.DecorationRole and index.column() in self._icons:
            return self._icons[index.column()](row)
        if role == Qt.ForegroundRole and self._foreground is not None:
            colour = self._foreground(row)
            return QColor(colour) if colour else None
        return None

    def headerData(self, section: int, orientation, role: int = Qt.DisplayRole):  # noqa: N802 - Qt's name
        if role == Qt.DisplayRole and orientation == Qt.Horizontal:
            return self.columns[section][0]
        return None


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "是" if value else "否"
    text = str(value)
    return text if len(text) <= 60 else text[:58] + "…"


class PageBar(QWidget):
    """上一页 / 下一页 under a list, with where we are: lists are read a page at a time, never whole."""

    page_changed = Signal(int)  # the new offset

    def __init__(self, page_size: int = 100, parent: QWidget | None = None):
        super().__init__(parent)
        self.page_size = page_size
        self.offset = 0
        self.total = 0
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.info = QLabel(self)
        self.prev = QPushButton("上一页", self)
        self.next = QPushButton("下一页", self)
        self.prev.clicked.connect(lambda: self._go(self.offset - self.page_size))
        self.next.clicked.connect(lambda: self._go(self.offset + self.page_size))
        lay.addWidget(self.info, 1)
        lay.addWidget(self.prev)
        lay.addWidget(self.next)
        self.set_page(0, 0, 0)

    def set_page(self, offset: int, shown: int, total: int) -> None:
        self.offset, self.total = offset, total
        if total:
            self.info.setText(f"第 {offset + 1}–{offset + shown} 条，共 {total} 条")
        else:
            self.info.setText("没有记录")
        self.prev.setEnabled(offset > 0)
        self.next.setEnabled(offset + shown < total)

    def _go(self, offset: int) -> None:
        self.offset = max(0, offset)
        self.page_changed.emit(self.offset)



class ListPage(BasePage):
    """A navigation page showing one service list a page at a time, read on a worker thread.

    Subclasses give `columns()` (title, function of a row), put their filters in `self.filters`, and define
    `query()` (read the filters, on the main thread), `fetch(query, offset, limit) -> Page` (run on a worker
    thread: services only, no widgets) and `activate(row)`.
    """

    loaded = Signal()  # a page of rows is on screen
    page_size = 100
    settings_key = "list"  # its column widths are remembered under options.LIST_HEADERS[settings_key]

    def __init__(self, ws, tasks, parent: QWidget | None = None):
        super().__init__(parent)
        self.ws = ws
        self.tasks = tasks
        self._handle = None
        self.offset = 0
        self.search_box: QLineEdit | None = None
        lay = QVBoxLayout(self)
        self.filters = QHBoxLayout()
        lay.addLayout(self.filters)
        self.banner = ErrorBanner(self)
        lay.addWidget(self.banner)
        self.notice = QLabel(self)
        self.notice.setStyleSheet("color: #2E7D32;")
        self.notice.setWordWrap(True)
        self.notice.hide()
        lay.addWidget(self.notice)
        self.model = RowsModel(self.columns(), self, foreground=self.row_colour, icons=self.icons())
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda index: self._activate(index.row()))
        self.table.activated.connect(lambda index: self._activate(index.row()))
        lay.addWidget(self.table, 1)
        self.child_actions = install_on_rows(self.table, ws, tasks, uuid_of_row=self.child_of_row,
                                             open_child=self.open_child.emit, after_change=self.refresh)
        self.pager = PageBar(self.page_size, self)
        self.pager.page_changed.connect(self._go)
        lay.addWidget(self.pager)
        self._restore_header()
        self.table.horizontalHeader().sectionResized.connect(lambda *_a: self._save_header())


    def columns(self) -> list:
        raise NotImplementedError

    def query(self):
        return None

    def fetch(self, query, offset: int, limit: int):
        raise NotImplementedError

    def activate(self, row) -> None:
        """Enter / double-click on a row."""

    def row_colour(self, row) -> str | None:
        return None

    def icons(self) -> dict:
        """{column index: function of a row giving a QIcon}, e.g. a colour dot."""
        return {}

    def add_button(self, text: str, slot, tip: str | None = None) -> QPushButton:
        button = QPushButton(text, self)
        if tip:
            button.setToolTip(tip)
        button.clicked.connect(slot)
        self.filters.addWidget(button)
        return button

    def add_search(self, placeholder: str) -> QLineEdit:
        """A search box that re-reads the list shortly after the user stops typing."""
        box = QLineEdit(self)
        box.setPlaceholderText(placeholder)
        box.setClearButtonEnabled(True)
        box.setMinimumWidth(self.fontMetrics().averageCharWidth() * 24)
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(250)
        timer.timeout.connect(self.reload)
        box.textChanged.connect(lambda _t: timer.start())
        box.returnPressed.connect(lambda: (timer.stop(), self.reload()))
        self.filters.addWidget(box)
        self.search_box = box
        self.search_timer = timer
        return box

    def focus_search(self) -> None:
        if self.search_box is not None:
            self.search_box.setFocus()
            self.search_box.selectAll()


    def refresh(self) -> None:
        """Read the current page again (after a change, or F5)."""
        self._load(self.offset)

    def reload(self) -> None:
        """Filters changed: back to the first page."""
        self._load(0)

    def _go(self, offset: int) -> None:
        self._load(offset)

    def _load(self, offset: int) -> None:
        if self._handle is not None:
            self._handle.cancel()  # a newer filter supersedes a read still running
        limit = self.page_size
        query = self.query()
        self._handle = self.tasks.run(
            lambda progress, cancelled: self.fetch(query, offset, limit),
            on_done=self._show_page, on_error=self._show_failure,
        )

    def _show_page(self, page) -> None:
        self.banner.show_message(None)
        selected = self.current()
        self.offset = page.offset
        self.model.set_rows(page.rows)
        if not self._sized and page.rows:
            self._fit_columns()
        self.pager.set_page(page.offset, len(page.rows), page.total)
        uuid = getattr(selected, "uuid", None)
        for i, row in enumerate(page.rows):
            if getattr(row, "uuid", None) == uuid:
                self.table.selectRow(i)
                break
        self.loaded.emit()

    def _show_failure(self, exc) -> None:
        self.banner.show_message(error_text(exc))

    def current(self):
        index = self.table.currentIndex()
        if not index.isValid() or index.row() >= len(self.model.rows):
            return None
        return self.model.rows[index.row()]

    def edit_current(self) -> None:
        """Open the selected row's record, as a double-click or Enter would."""
        row = self.current()
        if row is not None:
            self.activate(row)

    def child_of_row(self, row_index: int) -> str | None:
        """The child a row is about (None for a row without a file), for the shared child actions."""
        if not 0 <= row_index < len(self.model.rows):
            return None
        return getattr(self.model.rows[row_index], "child_uuid", None)

    def open_current_child(self) -> None:
        row = self.current()
        child = getattr(row, "child_uuid", None) if row is not None else None
        if child:
            self.open_child.emit(child)

    def new_for_child(self, question: str, dialog_cls) -> None:
        """Pick a child, then open the record dialog for them; the list refreshes after a save."""
        uuid = pick_child(self.ws, self, question, self.tasks)
        if uuid and dialog_cls(self.ws, self.tasks, uuid, self).exec() == QDialog.Accepted:
            self.refresh()

    def _activate(self, row_index: int) -> None:
        if 0 <= row_index < len(self.model.rows):
            self.activate(self.model.rows[row_index])

    def tell(self, text: str | None) -> None:
        """A short confirmation above the list (what was just done and what comes next)."""
        self.notice.setText(text or "")
        self.notice.setVisible(bool(text))


    def _restore_header(self) -> None:
        state = LIST_HEADERS[self.settings_key].get() if self.settings_key in LIST_HEADERS else None
        self._sized = state is not None and self.table.horizontalHeader().restoreState(state)
        if not self._sized:
            for i, (title, _fn) in enumerate(self.model.columns):
                self.table.setColumnWidth(i, self.fontMetrics().horizontalAdvance(title) + 48)

    def _fit_columns(self) -> None:
        """First time on this computer: columns as wide as the first page needs, the long text last."""
        self._sized = True
        fit_columns(self.table)

    def _save_header(self) -> None:
        if self.settings_key in LIST_HEADERS:
            LIST_HEADERS[self.settings_key].set(self.table.horizontalHeader().saveState())
