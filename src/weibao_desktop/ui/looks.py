"""How lists and toolbars look, decided once: column widths that fit their content with the long text last,
the colour of finished rows, and the toolbar icons (SVG files in resources/icons)."""
from __future__ import annotations

from importlib import resources

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QBoxLayout, QHeaderView, QLabel, QTableView, QWidget

# Finished rows (a closed clue, an ended help measure, a handled call): dark green, as readable as black text
# and still told apart from open rows at a glance; grey was too light to read on a laptop screen.
FINISHED_TEXT = "#2E6B30"
FIT_ROWS = 100  # rows measured, besides those in view, when a column is fitted to its content
WIDEST_CHARS = 30  # a column wider than this many average characters is cut with "…" (the last one stretches)


def fit_columns(view: QTableView, widest_chars: int = WIDEST_CHARS, rows: int = FIT_ROWS) -> None:
    """Every column as wide as its content (within reason); the last one, the long text, takes the rest.
    `rows`: how many rows besides those in view are measured."""
    header = view.horizontalHeader()
    model = view.model()
    if model is None or model.columnCount() == 0:
        return
    blocked = header.blockSignals(True)  # a page that remembers widths saves only what the user drags
    widest = view.fontMetrics().averageCharWidth() * widest_chars
    # Measured on the rows in view and 100 more, not Qt's default 1,000: a 今日待办 of thousands of children
    # on a county-sized store took a fifth of a second to fit, right after login.
    header.setResizeContentsPrecision(rows)
    last = model.columnCount() - 1
    for column in range(last):
        view.resizeColumnToContents(column)
        view.setColumnWidth(column, min(view.columnWidth(column) + 8, widest))
    header.setStretchLastSection(True)
    header.setSectionResizeMode(QHeaderView.Interactive)
    header.blockSignals(blocked)


def add_title(page: QWidget, text: str) -> QLabel | None:
    """A page's title above its content (the dashboard writes its own, with the date: has_heading)."""
    layout = page.layout()
    if getattr(page, "has_heading", False) or not isinstance(layout, QBoxLayout):
        return None
    label = QLabel(text, page)
    label.setObjectName("page_title")
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.35)
    font.setBold(True)
    label.setFont(font)
    label.setContentsMargins(4 if layout.contentsMargins().left() == 0 else 0, 4, 0, 2)
    layout.insertWidget(0, label)
    return label


def icon(name: str) -> QIcon:
    """A toolbar icon by name (resources/icons/<name>.svg); an empty icon when the file is missing."""
    path = resources.files("weibao_desktop") / "resources" / "icons" / f"{name}.svg"
    return QIcon(str(path)) if path.is_file() else QIcon()


__all__ = ["FINISHED_TEXT", "add_title", "fit_columns", "icon"]
