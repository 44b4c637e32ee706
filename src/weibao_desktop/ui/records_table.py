"""Short lists of records inside a child's file: named columns, a row of buttons, the colour chip."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from .colour import colour_label, colour_qcolor, text_on


@dataclass(frozen=True)
class Col:
    title: str
    get: Callable[[Any], str]
    colour: Callable[[Any], Any] | None = None  # a QColor for the text, or None


class RecordsModel(QAbstractTableModel):
    """A short list of records (dataclasses) shown with named columns."""

    def __init__(self, columns: tuple[Col, ...], parent=None):
        super().__init__(parent)
        self.columns = columns
        self.records: list = []

    def set_records(self, records: list) -> None:
        self.beginResetModel()
        self.records = list(records)
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.records)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return self.columns[section].title
        return None

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole):
        if not index.isValid():
            return None
        rec = self.records[index.row()]
        col = self.columns[index.column()]
        if role == Qt.DisplayRole:
            return col.get(rec)
        if role == Qt.ToolTipRole:
            text = col.get(rec)
            return text if len(text) > 20 else None
        if role == Qt.ForegroundRole and col.colour is not None:
            return col.colour(rec)
        return None


class RecordsTable(QWidget):
    """A table of records with a row of buttons under it; double-click runs the first row action."""

    def __init__(self, columns: tuple[Col, ...], parent=None, *, title: str | None = None, empty: str = "暂无记录"):
        super().__init__(parent)
        self.model = RecordsModel(columns, self)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
        self.empty = QLabel(empty, self)
        self.empty.setStyleSheet("color: gray;")
        self.buttons = QHBoxLayout()
        self._row_actions: list[QPushButton] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        if title:
            heading = QLabel(title, self)
            f = heading.font()
            f.setBold(True)
            heading.setFont(f)
            layout.addWidget(heading)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty)
        layout.addLayout(self.buttons)
        self.buttons.addStretch(1)
        self.view.doubleClicked.connect(self._double_clicked)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())

    def add_button(self, text: str, slot: Callable[[], None], *, needs_row: bool = False) -> QPushButton:
        b = QPushButton(text, self)
        b.clicked.connect(slot)
        self.buttons.insertWidget(self.buttons.count() - 1, b)
        if needs_row:
            self._row_actions.append(b)
            b.setEnabled(False)
        return b

    def set_records(self, records: list) -> None:
        self.model.set_records(records)
        self.empty.setVisible(not records)
        self.view.resizeColumnsToContents()
        self._update_buttons()

    def current(self):
        index = self.view.currentIndex()
        if not index.isValid() or not self.view.selectionModel().hasSelection():
            return None
        return self.model.records[index.row()]

    def select_row(self, row: int) -> None:
        self.view.selectRow(row)

    def _update_buttons(self) -> None:
        has = self.current() is not None
        for b in self._row_actions:
            b.setEnabled(has)

    def _double_clicked(self, _index) -> None:
        if self._row_actions:
            self._row_actions[0].click()


class ColourChip(QLabel):
    """The risk colour as a label with the colour's fill (for the file's header)."""

    def set_colour(self, code: str | None) -> None:
        fill = colour_qcolor(code).name()
        if code:
            style = f"background:{fill}; color:{text_on(code).name()}; border-radius:4px; padding:2px 10px;"
        else:
            style = f"color:{fill}; border:1px solid {fill}; border-radius:4px; padding:2px 10px;"
        self.setStyleSheet(style)
        self.setText(colour_label(code) + ("色" if code else ""))
        self.setAccessibleName(f"风险等级：{colour_label(code)}")


__all__ = ["Col", "ColourChip", "RecordsModel", "RecordsTable"]
