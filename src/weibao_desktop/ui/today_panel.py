"""The dashboard's 今日待办 list (from `services.today`) and the start page of a store with no files yet."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..domain import codes
from ..services.today import TodoItem
from .child_actions import install_on_rows
from .colour import OVERDUE_TEXT, colour_icon, colour_label
from .list_page import RowsModel
from .looks import fit_columns

TODO_COLUMNS = [
    ("姓名", lambda item: item.name),
    ("风险等级", lambda item: colour_label(item.risk_colour) if item.kind == "child" else ""),
    ("村(社区)", lambda item: item.village or ""),
    ("应走访日期", lambda item: item.due),
    ("联系电话", lambda item: item.phone or ""),
    ("待办事项", lambda item: item.reason_text),
]
COLOUR_COLUMN = 1


def _foreground(item: TodoItem) -> str | None:
    return OVERDUE_TEXT.name() if item.risk_colour == "red" or item.days_overdue else None


TODO_FIT_ROWS = 30  # the list is sorted by urgency: its first rows are the ones read; fitted right after login


class TodoList(QTableView):
    """今日待办: Enter or double-click opens the file (a clue: the clue); the shared child actions on each row."""

    open_child = Signal(str)
    open_clue = Signal(str)

    def __init__(self, ws, tasks, parent: QWidget | None = None, *, after_change=None):
        super().__init__(parent)
        self.todo_model = RowsModel(TODO_COLUMNS, self, foreground=_foreground,
                                    icons={COLOUR_COLUMN: lambda item: colour_icon(item.risk_colour)
                                           if item.kind == "child" else None})
        self.setModel(self.todo_model)
        self.setAccessibleName("今日待办")
        self.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.setSelectionMode(QAbstractItemView.SingleSelection)
        self.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
        self.horizontalHeader().setStretchLastSection(True)
        self.activated.connect(lambda index: self._open(index.row()))
        self.child_actions = install_on_rows(self, ws, tasks, uuid_of_row=self.child_of_row,
                                             open_child=self.open_child.emit, after_change=after_change)

    def set_items(self, items: list[TodoItem]) -> None:
        self.todo_model.set_rows(items)
        fit_columns(self, rows=TODO_FIT_ROWS)

    def items(self) -> list[TodoItem]:
        return list(self.todo_model.rows)

    def child_of_row(self, row: int) -> str | None:
        rows = self.todo_model.rows
        return rows[row].child_uuid if 0 <= row < len(rows) else None

    def _open(self, row: int) -> None:
        if not 0 <= row < len(self.todo_model.rows):
            return
        item = self.todo_model.rows[row]
        if item.kind == "clue":
            self.open_clue.emit(item.uuid)
        elif item.child_uuid:
            self.open_child.emit(item.child_uuid)


class StartPage(QWidget):
    """What a new station sees instead of empty lists: the two ways to put its children on file."""

    new_child = Signal()
    import_ledger = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        title = QLabel("还没有儿童档案", self)
        f = title.font()
        f.setPointSizeF(f.pointSizeF() * 1.6)
        f.setBold(True)
        title.setFont(f)
        text = QLabel(
            "先把本站的儿童登记进来：一名一名地新建档案，或者把已有的 Excel 台账（儿童信息台账、"
            "留守儿童登记表等）一次导入。导入前会先显示将导入的内容，确认后才写入。", self)
        text.setWordWrap(True)
        self.new_button = QPushButton("新建档案", self)
        self.new_button.setToolTip("登记一名儿童（Ctrl+N）")
        self.import_button = QPushButton("从Excel导入", self)
        self.import_button.setToolTip("导入已有的 Excel 台账")
        for button in (self.new_button, self.import_button):
            bf = button.font()
            bf.setPointSizeF(bf.pointSizeF() * 1.2)
            button.setFont(bf)
            button.setMinimumHeight(button.fontMetrics().height() * 2 + 8)
            button.setMinimumWidth(button.fontMetrics().horizontalAdvance("从Excel导入") + button.fontMetrics().height() * 3)
        self.new_button.clicked.connect(self.new_child)
        self.import_button.clicked.connect(self.import_ledger)
        next_steps = QLabel(
            "建档后，每名儿童要做一次风险评估（蓝、黄、橙、红），程序按等级安排走访；"
            "每天打开“工作台”，今日待办里就是当天要做的事。", self)
        next_steps.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.addStretch(1)
        lay.addWidget(title, 0, Qt.AlignHCenter)
        lay.addWidget(text)
        lay.addSpacing(12)
        lay.addWidget(self.new_button, 0, Qt.AlignHCenter)
        lay.addWidget(self.import_button, 0, Qt.AlignHCenter)
        lay.addSpacing(12)
        lay.addWidget(next_steps)
        lay.addStretch(2)
        lay.setContentsMargins(48, 24, 48, 24)
        self.setMaximumWidth(self.fontMetrics().averageCharWidth() * 90)


def describe(item: TodoItem) -> str:
    """One line for a tooltip or a test: name, colour, reasons."""
    colour = codes.RISK_COLOUR.label_of(item.risk_colour) if item.risk_colour else "未评估"
    return f"{item.name}（{colour}）：{item.reason_text}"


__all__ = ["TodoList", "StartPage", "TODO_COLUMNS", "describe"]
