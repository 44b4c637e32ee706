"""The children list as Qt item models.

`ChildrenModel` is the big one (100,000 children in a county store). It holds only the ids of the matching
files, in display order, and fetches the rows a view paints in blocks through `ChildService.rows`, keeping a
bounded cache of blocks (Anki's browser does the same). Filtering and sorting are a `ChildQuery` run in SQL by
`ChildService.search_ids` on a worker thread; while one search runs, later requests are coalesced so only the
newest text is searched next and a stale result is never shown.

`ChildRowListModel` shows a short list of `ChildRow`s already in hand (the 工作台 lists).
"""
from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from dataclasses import dataclass, replace

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from ..domain import codes
from ..domain.cadence import age_text, clock_label
from ..services.dto import ChildQuery, ChildRow
from .colour import COLOUR_ROLE, OVERDUE_TEXT, colour_label
from .tasks import Tasks

# Item-data roles besides COLOUR_ROLE.
UUID_ROLE = int(Qt.UserRole.value) + 1
ROW_ROLE = int(Qt.UserRole.value) + 2


@dataclass(frozen=True)
class Column:
    key: str  # also the services.children.SORTS key it sorts by
    title: str


COLUMNS = (
    Column("name", "姓名"),
    Column("sex", "性别"),
    Column("birth_date", "出生日期"),
    Column("id_number", "身份证号"),
    Column("village", "村(社区)"),
    Column("risk_colour", "风险等级"),
    Column("last_visit_on", "最近走访"),
    Column("next_visit_due", "下次走访"),
    Column("contact_phone", "联系电话"),
    Column("status", "档案状态"),
    Column("match", "匹配"),  # why a search found the child (监护人 张某某); shown only while searching
    Column("categories", "儿童类别"),  # the long text last: it takes the rest of the width, not cut with "…"
)
COLUMN_INDEX = {c.key: i for i, c in enumerate(COLUMNS)}
COLOUR_COLUMN = COLUMN_INDEX["risk_colour"]


def _date(d: dt.date | None) -> str:
    return d.isoformat() if d else ""


def due_text(row: ChildRow) -> str:
    if row.next_visit_due is None:
        return ""
    if row.days_overdue:
        return f"{row.next_visit_due.isoformat()}（逾期{row.days_overdue}天）"
    return row.next_visit_due.isoformat()


def cell_text(row: ChildRow, key: str, today: dt.date) -> str:
    if key == "name":
        return row.name
    if key == "sex":
        return codes.SEX.label_of(row.sex)
    if key == "birth_date":
        return f"{row.birth_date.isoformat()}（{age_text(row.birth_date, today)}）"
    if key == "id_number":
        return row.id_number_masked or ""
    if key == "village":
        return row.village or ""
    if key == "risk_colour":
        return colour_label(row.risk_colour)
    if key == "categories":
        return "、".join(codes.CATEGORY.label_of(c) for c in row.categories)
    if key == "last_visit_on":
        return _date(row.last_visit_on)
    if key == "next_visit_due":
        return due_text(row)
    if key == "contact_phone":
        return row.contact_phone or ""
    if key == "status":
        return codes.CHILD_STATUS.label_of(row.status)
    if key == "match":
        return row.match or ""
    return ""


# Plain ints: comparing a role against Qt's enum members costs microseconds per cell in PySide6.
_DISPLAY = int(Qt.DisplayRole.value)
_FOREGROUND = int(Qt.ForegroundRole.value)
_FONT = int(Qt.FontRole.value)
_TOOLTIP = int(Qt.ToolTipRole.value)
_COLOUR = int(COLOUR_ROLE)
_UUID = int(UUID_ROLE)
_ROW = int(ROW_ROLE)
ROLES = frozenset((_DISPLAY, _FOREGROUND, _FONT, _TOOLTIP, _COLOUR, _UUID, _ROW))
_OVERDUE_BRUSH = QBrush(OVERDUE_TEXT)
_CLOSED_BRUSH = QBrush(QColor("#808080"))
_BOLD = QFont()
_BOLD.setBold(True)


def row_data(row: ChildRow, column: Column, role: int, today: dt.date):
    """What a cell shows for a role; shared by both models so every list looks the same."""
    if role == _DISPLAY:
        return cell_text(row, column.key, today)
    if role == _COLOUR:
        return row.risk_colour or ""
    if role == _UUID:
        return row.uuid
    if role == _ROW:
        return row
    if role == _FOREGROUND:
        if row.days_overdue and column.key in ("next_visit_due", "name"):
            return _OVERDUE_BRUSH
        if row.status == "closed":
            return _CLOSED_BRUSH
    elif role == _FONT:
        if row.days_overdue and column.key == "next_visit_due":
            return _BOLD
    elif role == _TOOLTIP:
        if column.key == "next_visit_due" and row.days_overdue:
            return f"已逾期{row.days_overdue}天未{clock_label(row.risk_colour)}"
        if column.key == "categories" and row.categories:
            return cell_text(row, "categories", today)
        if row.match:
            return f"匹配：{row.match}"
    return None


class ChildrenModel(QAbstractTableModel):
    """Ids of every matching file; rows fetched a block at a time when a view asks for them."""

    search_started = Signal()
    first_page = Signal()  # the first screenful of a new search is shown (the count may still be coming)
    search_finished = Signal(int)  # number of matching files
    search_failed = Signal(str)

    def __init__(self, ws, tasks: Tasks, parent: QObject | None = None, *, block: int = 100, max_blocks: int = 20,
                 query: ChildQuery | None = None):
        super().__init__(parent)
        self.ws = ws
        self.tasks = tasks
        self.block = block
        self.max_blocks = max_blocks
        self._query = query or ChildQuery()
        self._ids: list[int] = []
        self._blocks: OrderedDict[int, list[ChildRow | None]] = OrderedDict()
        self._today = ws.ctx.today()
        self._generation = 0
        self._searching = False
        self._partial = False  # only the first page is known; the full id list is still coming
        self._pending: ChildQuery | None = None
        self.searched = False  # a first search has completed
        # Counters the tests and benchmarks read: the model must never hold every row.
        self.fetches = 0
        self.rows_fetched = 0
        self.peak_cached_rows = 0


    def query(self) -> ChildQuery:
        return self._pending or self._query

    def set_query(self, query: ChildQuery) -> None:
        """Run this search; while another is running, only the newest request is kept for after it."""
        if self._searching:
            self._pending = query
            return
        self._start(query)

    def refresh(self) -> None:
        """Search again with the same query (after an edit)."""
        self.set_query(self.query())

    def is_searching(self) -> bool:
        return self._searching

    def is_partial(self) -> bool:
        return self._partial

    def _start(self, query: ChildQuery) -> None:
        """Two reads side by side: the first screenful (a LIMIT query, milliseconds even on a county store)
        is shown at once; the full id list, which the scroll bar and the count need, follows."""
        self._pending = None
        self._generation += 1
        gen = self._generation
        self._searching = True
        children = self.ws.children
        block = self.block

        def first(progress, cancelled):
            ids = children.search_ids(query, limit=block)
            return ids, children.rows(ids, query.text)

        def everything(progress, cancelled):
            return children.search_ids(query)

        self.search_started.emit()
        self.tasks.run(first, on_done=lambda r: self._on_first(gen, query, r), on_error=lambda e: None)
        self.tasks.run(everything, on_done=lambda r: self._on_all(gen, query, r),
                       on_error=lambda e: self._on_error(gen, e))

    def _stale(self, gen: int) -> bool:
        return gen != self._generation or self._pending is not None

    def _on_first(self, gen: int, query: ChildQuery, result) -> None:
        if self._stale(gen) or not self._searching:  # superseded, or the full list was quicker
            return
        ids, rows = result
        self.beginResetModel()
        self._set(query, ids, rows)
        self._partial = True
        self.endResetModel()
        self.first_page.emit()

    def _on_all(self, gen: int, query: ChildQuery, ids: list[int]) -> None:
        if gen != self._generation:
            return
        self._searching = False
        if self._pending is not None:  # a newer request came in meanwhile: this result is already stale
            self._next()
            return
        shown = len(self._ids)
        if self._partial and ids[:shown] == self._ids:
            # The first page on screen stays (with the selection); the rest is appended below it.
            if len(ids) > shown:
                self.beginInsertRows(QModelIndex(), shown, len(ids) - 1)
                self._ids = ids
                self.endInsertRows()
        else:
            first_rows = self.ws.children.rows(ids[:self.block], query.text)
            self.beginResetModel()
            self._set(query, ids, first_rows)
            self.endResetModel()
            self.first_page.emit()
        self._partial = False
        self.searched = True
        self.search_finished.emit(len(ids))

    def _set(self, query: ChildQuery, ids: list[int], first_rows: list[ChildRow]) -> None:
        self._query = query
        self._ids = list(ids)
        self._blocks.clear()
        self._today = self.ws.ctx.today()
        if ids:
            by_id = {r.id: r for r in first_rows}
            self._blocks[0] = [by_id.get(i) for i in ids[:self.block]]
        self._track()

    def _on_error(self, gen: int, exc: BaseException) -> None:
        from .tasks import error_text

        if gen != self._generation:
            return
        self._searching = False
        self._partial = False
        self.search_failed.emit(error_text(exc))
        self._next()

    def _next(self) -> None:
        if self._pending is not None and not self._searching:
            self._start(self._pending)


    def cached_rows(self) -> int:
        return sum(len(b) for b in self._blocks.values())

    def total(self) -> int:
        return len(self._ids)

    def id_at(self, row: int) -> int:
        return self._ids[row]

    def row_at(self, row: int) -> ChildRow | None:
        if not 0 <= row < len(self._ids):
            return None
        number = row // self.block
        block = self._blocks.get(number)
        if block is None:
            block = self._load_block(number)
        else:
            self._blocks.move_to_end(number)
        return block[row - number * self.block]

    def uuid_at(self, row: int) -> str | None:
        r = self.row_at(row)
        return r.uuid if r else None

    def row_of_uuid(self, uuid: str) -> int | None:
        """Row of a child already in the cache (e.g. to keep the selection after a refresh)."""
        for number, block in self._blocks.items():
            for i, r in enumerate(block):
                if r is not None and r.uuid == uuid:
                    return number * self.block + i
        return None

    def _load_block(self, number: int) -> list[ChildRow | None]:
        start = number * self.block
        ids = self._ids[start:start + self.block]
        rows = self.ws.children.rows(ids, self._query.text)
        by_id = {r.id: r for r in rows}
        block = [by_id.get(i) for i in ids]  # None for a file deleted since the search
        self.fetches += 1
        self.rows_fetched += len(rows)
        self._blocks[number] = block
        while len(self._blocks) > self.max_blocks:
            self._blocks.popitem(last=False)
        self._track()
        return block

    def _track(self) -> None:
        self.peak_cached_rows = max(self.peak_cached_rows, self.cached_rows())


    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation, role: int = Qt.DisplayRole):
        if orientation == Qt.Horizontal and role == Qt.DisplayRole and 0 <= section < len(COLUMNS):
            return COLUMNS[section].title
        if orientation == Qt.Vertical and role == Qt.DisplayRole:
            return str(section + 1)
        return None

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole):
        if not index.isValid():
            return None
        if role not in ROLES:
            return None
        row = self.row_at(index.row())
        if row is None:
            return "（已删除）" if role == _DISPLAY and index.column() == 0 else None
        return row_data(row, COLUMNS[index.column()], role, self._today)

    def sort(self, column: int, order: Qt.SortOrder = Qt.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS) or COLUMNS[column].key == "match":
            return
        q = self.query()
        self.set_query(replace(q, sort=COLUMNS[column].key, descending=order == Qt.DescendingOrder))


class ChildRowListModel(QAbstractTableModel):
    """A short list of rows in hand (a dashboard list), with the same cells as the big list."""

    def __init__(self, columns: tuple[str, ...], parent: QObject | None = None):
        super().__init__(parent)
        self.columns = tuple(COLUMNS[COLUMN_INDEX[k]] for k in columns)
        self.rows: list[ChildRow] = []
        self.today = dt.date.today()

    def set_rows(self, rows: list[ChildRow], today: dt.date) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.today = today
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation, role: int = Qt.DisplayRole):
        if orientation == Qt.Horizontal and role == Qt.DisplayRole and 0 <= section < len(self.columns):
            return self.columns[section].title
        return None

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole):
        if not index.isValid() or role not in ROLES:
            return None
        return row_data(self.rows[index.row()], self.columns[index.column()], role, self.today)

    def uuid_at(self, row: int) -> str | None:
        return self.rows[row].uuid if 0 <= row < len(self.rows) else None
