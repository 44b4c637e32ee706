"""Editors every form shares: code combos, multi-choice boxes, empty-able dates, and a form built from
`domain.fields.FieldSpec`s that shows a service's `WeibaoError` next to the field it names."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from PySide6.QtCore import SIGNAL, QAbstractTableModel, QModelIndex, QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCalendarWidget,
    QCheckBox,
    QComboBox,
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from ..domain import codes as C
from ..domain.dates import parse_date, parse_datetime
from ..domain.errors import WeibaoError
from ..domain.fields import FieldSpec
from .tasks import error_text

ERROR_RGB = "#C62828"
_ERROR_STYLE = "border: 2px solid " + ERROR_RGB + "; border-radius: 3px;"
Today = Callable[[], dt.date]


def set_invalid(widget: QWidget, invalid: bool) -> None:
    """Mark an editor red (or clear it). Styled per class so the rule does not leak into popups."""
    target = getattr(widget, "error_target", lambda: widget)()
    target.setProperty("invalid", invalid)
    cls = next(b.__name__ for b in type(target).__mro__ if b.__module__.startswith("PySide6"))
    target.setStyleSheet(f"{cls} {{ {_ERROR_STYLE} }}" if invalid else "")


class CodeCombo(QComboBox):
    """Choose one code of a `CodeTable` by its Chinese label; an empty first entry when allowed."""

    code_changed = Signal(object)

    def __init__(self, table: C.CodeTable, allow_empty: bool = True, parent: QWidget | None = None,
                 empty_text: str = ""):
        super().__init__(parent)
        self.table = table
        self.setAccessibleName(table.label)
        if allow_empty:
            self.addItem(empty_text, None)
        for c in table:
            self.addItem(c.label, c.code)
        self.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(min(12, max((len(c.label) for c in table), default=2) + 1))
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)
        self.currentIndexChanged.connect(lambda _i: self.code_changed.emit(self.code()))

    def code(self) -> str | None:
        return self.currentData()

    def set_code(self, code: str | None) -> None:
        if code is not None and code not in self.table:
            code = self.table.parse(code)
        i = self.findData(code)
        if i < 0 and code is None:
            i = 0 if self.itemData(0) is None else -1
        self.setCurrentIndex(i)


class BoolCombo(QComboBox):
    """是 / 否 / (not recorded): a flag the register may leave blank."""

    code_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        for text, value in (("", None), ("是", True), ("否", False)):
            self.addItem(text, value)
        self.currentIndexChanged.connect(lambda _i: self.code_changed.emit(self.value()))

    def value(self) -> bool | None:
        return self.currentData()

    def set_value(self, value: bool | None) -> None:
        self.setCurrentIndex({None: 0, True: 1, False: 2}[None if value is None else bool(value)])


class MultiCodeBox(QFrame):
    """Several codes of one table as check boxes (家庭经济来源, 报告机关, 儿童类别 …)."""

    changed = Signal()

    def __init__(self, table: C.CodeTable, parent: QWidget | None = None, columns: int = 4):
        super().__init__(parent)
        self.table = table
        self.setAccessibleName(table.label)
        grid = QGridLayout(self)
        grid.setContentsMargins(2, 2, 2, 2)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(2)
        self.boxes: dict[str, QCheckBox] = {}
        for i, c in enumerate(table):
            box = QCheckBox(c.label, self)
            box.toggled.connect(lambda _on: self.changed.emit())
            grid.addWidget(box, i // columns, i % columns)
            self.boxes[c.code] = box

    def codes(self) -> list[str]:
        return [code for code, box in self.boxes.items() if box.isChecked()]

    def set_codes(self, codes: Iterable[str] | str | None) -> None:
        wanted = set(C.split_codes(codes) if isinstance(codes, str) or codes is None else codes)
        for code, box in self.boxes.items():
            box.setChecked(code in wanted)

    def error_target(self) -> QWidget:
        return self

    def setFocus(self, *args) -> None:  # noqa: N802 - Qt's name
        first = next(iter(self.boxes.values()), None)
        if first is not None:
            first.setFocus(*args)
        else:
            super().setFocus(*args)


class OptionalDateEdit(QWidget):
    """A date that may be empty, typed as 2024-06-14, 20240614, 2024/6/14 or 2024年6月14日 and shown as
    yyyy-MM-dd. ↑/↓ move a day, PgUp/PgDn a month, F4 or Alt+↓ opens a calendar; empty ↑ gives today.
    With `with_time` it holds a date and time (yyyy-MM-dd HH:mm)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None, *, today: Today | None = None, with_time: bool = False,
                 label: str = "日期"):
        super().__init__(parent)
        self._today = today or dt.date.today
        self.with_time = with_time
        self.label = label
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText("年-月-日 时:分" if with_time else "年-月-日")
        self.edit.setAccessibleName(label)
        self.edit.setMaxLength(30)
        width = self.edit.fontMetrics().horizontalAdvance("2024-06-14 23:59" if with_time else "2024-06-14")
        self.edit.setMinimumWidth(width + 24)
        self.button = QToolButton(self)
        self.button.setText("▾")
        self.button.setToolTip("选择日期（F4）")
        self.button.setFocusPolicy(Qt.NoFocus)
        self.button.clicked.connect(self.show_calendar)
        lay.addWidget(self.edit, 1)
        lay.addWidget(self.button)
        self.setFocusProxy(self.edit)
        self.edit.editingFinished.connect(self._normalise)
        self.edit.textChanged.connect(lambda _t: self.changed.emit())
        self.edit.installEventFilter(self)
        self._calendar_menu: QMenu | None = None

    # ---- value -----------------------------------------------------------------------------

    def text(self) -> str:
        return self.edit.text().strip()

    def raw(self) -> str | None:
        return self.text() or None

    def date(self) -> dt.date | None:
        """The date typed, or None when empty or not a date (see `is_valid`)."""
        value = self._parse()
        return value.date() if isinstance(value, dt.datetime) else value

    def datetime(self) -> dt.datetime | None:
        value = self._parse()
        if isinstance(value, dt.datetime) or value is None:
            return value
        return dt.datetime.combine(value, dt.time())

    def value(self):
        """What a form hands the service: the date (or datetime), None when empty, or the text as typed
        when it is not understood, so the service names the problem in Chinese."""
        if not self.text():
            return None
        parsed = self._parse()
        return parsed if parsed is not None else self.text()

    def is_valid(self) -> bool:
        return not self.text() or self._parse() is not None

    def set_date(self, value: dt.date | dt.datetime | None) -> None:
        self.edit.setText(self._format(value))

    set_value = set_date

    def clear(self) -> None:
        self.edit.clear()

    def setReadOnly(self, on: bool) -> None:  # noqa: N802 - Qt's name
        self.edit.setReadOnly(on)
        self.button.setEnabled(not on)

    def error_target(self) -> QWidget:
        return self.edit

    def _parse(self):
        text = self.text()
        if not text:
            return None
        try:
            if self.with_time:
                return parse_datetime(text, self.label)
            return parse_date(text, self.label)
        except WeibaoError:
            return None

    def _format(self, value) -> str:
        if value is None:
            return ""
        if self.with_time:
            if not isinstance(value, dt.datetime):
                value = dt.datetime.combine(value, dt.time())
            return value.strftime("%Y-%m-%d %H:%M")
        if isinstance(value, dt.datetime):
            value = value.date()
        return value.isoformat()

    def _normalise(self) -> None:
        value = self._parse()
        if value is not None:
            text = self._format(value)
            if text != self.edit.text():
                self.edit.setText(text)

    # ---- keyboard and calendar ----------------------------------------------------------------

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt's name
        if obj is self.edit and event.type() == event.Type.KeyPress and not self.edit.isReadOnly():
            key, mods = event.key(), event.modifiers()
            if key == Qt.Key_F4 or (key == Qt.Key_Down and mods & Qt.AltModifier):
                self.show_calendar()
                return True
            steps = {Qt.Key_Up: (1, 0), Qt.Key_Down: (-1, 0), Qt.Key_PageUp: (0, 1), Qt.Key_PageDown: (0, -1)}
            if key in steps and not mods & Qt.AltModifier:
                self._step(*steps[key])
                return True
        return super().eventFilter(obj, event)

    def _step(self, days: int, months: int) -> None:
        current = self._parse()
        if current is None:
            base = self._today()
            self.set_date(dt.datetime.combine(base, _now_time()) if self.with_time else base)
            return
        if months:
            day = current.date() if isinstance(current, dt.datetime) else current
            month = day.month - 1 + months
            year, month = day.year + month // 12, month % 12 + 1
            moved = day.replace(year=year, month=month, day=min(day.day, _month_len(year, month)))
            value = dt.datetime.combine(moved, current.time()) if isinstance(current, dt.datetime) else moved
        else:
            value = current + dt.timedelta(days=days)
        self.set_date(value)

    def show_calendar(self) -> None:
        menu = QMenu(self)
        cal = QCalendarWidget(menu)
        cal.setGridVisible(True)
        day = self.date() or self._today()
        cal.setSelectedDate(day)
        action = QWidgetAction(menu)
        action.setDefaultWidget(cal)
        menu.addAction(action)

        def chosen(qdate) -> None:
            picked = dt.date(qdate.year(), qdate.month(), qdate.day())
            old = self._parse()
            keep = old.time() if isinstance(old, dt.datetime) else _now_time()
            self.set_date(dt.datetime.combine(picked, keep) if self.with_time else picked)
            menu.close()
            self.edit.setFocus()

        cal.activated.connect(chosen)
        cal.clicked.connect(chosen)
        self._calendar_menu = menu
        menu.popup(self.edit.mapToGlobal(self.edit.rect().bottomLeft()))
        cal.setFocus()


def _month_len(year: int, month: int) -> int:
    nxt = dt.date(year + month // 12, month % 12 + 1, 1)
    return (nxt - dt.timedelta(days=1)).day


def _now_time() -> dt.time:
    return dt.datetime.now().time().replace(second=0, microsecond=0)


class LongText(QPlainTextEdit):
    """A few lines of free text; Tab moves on to the next field, as in every other editor."""

    def __init__(self, parent: QWidget | None = None, lines: int = 3, max_len: int = 5000):
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.max_len = max_len
        height = self.fontMetrics().lineSpacing() * lines + 12
        self.setMinimumHeight(height)
        self.setMaximumHeight(height * 2)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Preferred)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(300, self.minimumHeight())


class ErrorLabel(QLabel):
    """The red sentence under a field, or on top of a dialog, saying what is wrong and what to do."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.PlainText)
        self.setStyleSheet(f"color: {ERROR_RGB};")
        self.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.hide()

    def show_message(self, text: str | None) -> None:
        self.setText(text or "")
        self.setVisible(bool(text))


class _Field:
    def __init__(self, spec: FieldSpec, label: QLabel, editor: QWidget, error: ErrorLabel,
                 get: Callable[[], object], put: Callable[[object], None]):
        self.spec, self.label, self.editor, self.error, self.get, self.put = spec, label, editor, error, get, put


class FieldForm(QWidget):
    """Labelled editors for a tuple of FieldSpecs, in one or two columns, with inline error messages.

    `values()` gives what the services take; `show_error(WeibaoError)` marks the field the error names
    and puts its Chinese message right under it. `extra` supplies editors for fields whose kind the form
    cannot build itself (e.g. the village of a child: {"village_id": (widget, getter, setter)})."""

    changed = Signal(str)  # the name of the field the user edited

    def __init__(self, specs: Iterable[FieldSpec], parent: QWidget | None = None, *, today: Today | None = None,
                 columns: int = 1, extra: dict | None = None, labels: dict[str, str] | None = None,
                 text_lines: int = 3, wide_longtext: bool = True):
        super().__init__(parent)
        self._today = today or dt.date.today
        self._text_lines = text_lines
        self.fields: dict[str, _Field] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(4)
        for c in range(columns):
            grid.setColumnStretch(2 * c + 1, 1)
        self.grid = grid
        row, col = 0, 0
        extra = extra or {}
        labels = labels or {}
        for spec in specs:
            if spec.name in extra:
                editor, get, put = extra[spec.name]
            elif spec.kind == "ref":
                continue
            else:
                editor, get, put = self._build(spec)
            text = labels.get(spec.name, spec.label)
            label = QLabel((f"<span style='color:{ERROR_RGB}'>*</span> " if spec.required else "") + text + "：", self)
            label.setBuddy(editor.focusProxy() or editor)
            label.setAlignment(Qt.AlignRight | Qt.AlignVCenter)
            error = ErrorLabel(self)
            cell = QWidget(self)
            box = QVBoxLayout(cell)
            box.setContentsMargins(0, 0, 0, 0)
            box.setSpacing(1)
            box.addWidget(editor)
            box.addWidget(error)
            wide = (spec.kind == "longtext" and wide_longtext) or spec.kind == "codes" or columns == 1
            if wide and col:
                row, col = row + 1, 0
            if spec.kind == "longtext":
                label.setAlignment(Qt.AlignRight | Qt.AlignTop)
            grid.addWidget(label, row, 2 * col)
            grid.addWidget(cell, row, 2 * col + 1, 1, 2 * columns - 1 if wide else 1)
            if wide:
                row, col = row + 1, 0
            else:
                col += 1
                if col >= columns:
                    row, col = row + 1, 0
            self.fields[spec.name] = _Field(spec, label, editor, error, get, put)
            self._watch(spec.name, editor)
        self._last_row = row + (1 if col else 0)

    # ---- building ------------------------------------------------------------------------------

    def _build(self, spec: FieldSpec):
        kind = spec.kind
        if kind == "longtext":
            w = LongText(self, lines=self._text_lines, max_len=spec.max_len)
            return w, w.toPlainText, lambda v, w=w: w.setPlainText("" if v is None else str(v))
        if kind in ("date", "datetime"):
            w = OptionalDateEdit(self, today=self._today, with_time=kind == "datetime", label=spec.label)
            return w, w.value, w.set_date
        if kind == "code":
            w = CodeCombo(spec.table, allow_empty=True, parent=self)
            return w, w.code, w.set_code
        if kind == "codes":
            w = MultiCodeBox(spec.table, self)
            return w, w.codes, w.set_codes
        if kind == "bool":
            w = BoolCombo(self)
            return w, w.value, w.set_value
        w = QLineEdit(self)
        w.setMaxLength(spec.max_len if kind == "text" else 40)
        if kind == "id_number":
            w.setPlaceholderText("18位，末位可为X")
        elif kind == "phone":
            w.setPlaceholderText("手机或带区号的座机")
        return w, w.text, lambda v, w=w: w.setText("" if v is None else str(v))

    def _watch(self, name: str, editor: QWidget) -> None:
        emit = lambda *_a, n=name: self._edited(n)  # noqa: E731
        for signal in ("textChanged", "code_changed", "changed"):
            sig = getattr(editor, signal, None)
            if sig is not None and hasattr(sig, "connect"):
                sig.connect(emit)
                return

    def _edited(self, name: str) -> None:
        f = self.fields[name]
        target = getattr(f.editor, "error_target", lambda: f.editor)()
        if not f.error.isHidden() or target.property("invalid"):
            self.set_field_error(name, None)
        self.changed.emit(name)

    # ---- values --------------------------------------------------------------------------------

    def values(self) -> dict:
        return {name: f.get() for name, f in self.fields.items()}

    def value(self, name: str):
        return self.fields[name].get()

    def set_values(self, values: dict) -> None:
        for name, value in values.items():
            f = self.fields.get(name)
            if f is not None:
                f.editor.blockSignals(True)
                try:
                    f.put(value)
                finally:
                    f.editor.blockSignals(False)

    def set_value(self, name: str, value) -> None:
        """Set one field as if the user had, so listeners hear about it."""
        self.fields[name].put(value)

    def editor(self, name: str) -> QWidget:
        return self.fields[name].editor

    def add_below(self, name: str, widget: QWidget) -> None:
        """Put a hint or a button right under a field's editor (above its error message)."""
        cell = self.fields[name].editor.parentWidget()
        cell.layout().insertWidget(1, widget)

    def add_row(self, label: str, widget: QWidget) -> None:
        """A row that is not a field (a hint, a button) at the end of the form."""
        lab = QLabel(label, self) if label else None
        if lab is not None:
            lab.setAlignment(Qt.AlignRight | Qt.AlignVCenter)
            self.grid.addWidget(lab, self._last_row, 0)
        self.grid.addWidget(widget, self._last_row, 1, 1, max(self.grid.columnCount() - 1, 1))
        self._last_row += 1

    # ---- errors --------------------------------------------------------------------------------

    def set_field_error(self, name: str, message: str | None) -> None:
        f = self.fields[name]
        f.error.show_message(message)
        set_invalid(f.editor, bool(message))

    def field_error(self, name: str) -> str | None:
        f = self.fields.get(name)
        return f.error.text() if f is not None and not f.error.isHidden() else None

    def show_error(self, error: WeibaoError, focus: bool = True) -> bool:
        """Show the error by its field; False when this form has no such field (the caller shows it)."""
        f = self.fields.get(error.field or "")
        if f is None:
            return False
        self.set_field_error(error.field, error.message)
        if focus:
            (f.editor.focusProxy() or f.editor).setFocus(Qt.OtherFocusReason)
        return True

    def clear_errors(self) -> None:
        for name in self.fields:
            self.set_field_error(name, None)

    def has_errors(self) -> bool:
        return any(not f.error.isHidden() for f in self.fields.values())


class ErrorBanner(ErrorLabel):
    """The dialog-wide message for an error that names no field on screen."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setStyleSheet(
            f"color: {ERROR_RGB}; background: #FDECEA; border: 1px solid #F5C2C0; border-radius: 3px; padding: 6px;"
        )


def show_error(error: WeibaoError, forms: Iterable[FieldForm], banner: ErrorLabel) -> None:
    """Put an error next to its field in the first form that has it; otherwise in the banner."""
    for form in forms:
        if form.show_error(error):
            banner.show_message(None)
            return
    banner.show_message(error.message)


def add_save_shortcuts(dialog: QWidget, save: Callable[[], None]) -> None:
    """保存 with Ctrl+S and Ctrl+Enter from anywhere in the dialog."""
    for keys in (QKeySequence.Save, QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")):
        sc = QShortcut(keys, dialog)
        sc.setContext(Qt.WidgetWithChildrenShortcut)
        sc.activated.connect(save)


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



def announce_change(page: QWidget) -> None:
    """After a save on a page: emit its `changed`; when nobody listens to that, tell the main window
    directly (its `data_changed` marks the other pages and the status bar out of date)."""
    page.changed.emit()
    if page.receivers(SIGNAL("changed()")) == 0:
        window_changed = getattr(page.window(), "data_changed", None)
        if window_changed is not None:
            window_changed.emit()


class ListPage(QWidget):
    """A navigation page showing one service list a page at a time, read on a worker thread.

    Subclasses give `columns()` (title, function of a row), put their filters in `self.filters`, and define
    `query()` (read the filters, on the main thread), `fetch(query, offset, limit) -> Page` (run on a worker
    thread: services only, no widgets) and `activate(row)`.
    """

    open_child = Signal(str)
    changed = Signal()  # something was saved from this page; other pages may be stale
    loaded = Signal()  # a page of rows is on screen
    page_size = 100
    settings_key = "list"

    def __init__(self, ws, tasks, parent: QWidget | None = None):
        super().__init__(parent)
        self.ws = ws
        self.tasks = tasks
        self._handle = None
        self.offset = 0
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
        self.pager = PageBar(self.page_size, self)
        self.pager.page_changed.connect(self._go)
        lay.addWidget(self.pager)
        self._restore_header()
        self.table.horizontalHeader().sectionResized.connect(lambda *_a: self._save_header())

    # ---- for subclasses ------------------------------------------------------------------------

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
        box = getattr(self, "search_box", None)
        if box is not None:
            box.setFocus()
            box.selectAll()

    # ---- reading ---------------------------------------------------------------------------------

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

    def open_current_child(self) -> None:
        row = self.current()
        child = getattr(row, "child_uuid", None) if row is not None else None
        if child:
            self.open_child.emit(child)

    def new_for_child(self, question: str, dialog_cls) -> None:
        """Pick a child, then open the record dialog for them; the list refreshes after a save."""
        from .casework_dialogs import pick_child

        uuid = pick_child(self.ws, self, question, self.tasks)
        if uuid and dialog_cls(self.ws, uuid, self).exec() == QDialog.Accepted:
            self.after_save()

    def _activate(self, row_index: int) -> None:
        if 0 <= row_index < len(self.model.rows):
            self.activate(self.model.rows[row_index])

    def tell(self, text: str | None) -> None:
        """A short confirmation above the list (what was just done and what comes next)."""
        self.notice.setText(text or "")
        self.notice.setVisible(bool(text))

    def after_save(self) -> None:
        self.refresh()
        announce_change(self)

    # ---- remembered column widths ------------------------------------------------------------------

    def _restore_header(self) -> None:
        state = QSettings().value(f"{self.settings_key}/header")
        self._sized = state is not None and self.table.horizontalHeader().restoreState(state)
        if not self._sized:
            for i, (title, _fn) in enumerate(self.model.columns):
                self.table.setColumnWidth(i, self.fontMetrics().horizontalAdvance(title) + 48)

    def _fit_columns(self) -> None:
        """First time on this computer: columns as wide as the first page needs, within reason."""
        self._sized = True
        header = self.table.horizontalHeader()
        header.blockSignals(True)
        self.table.resizeColumnsToContents()
        widest = self.fontMetrics().averageCharWidth() * 36
        for i in range(self.model.columnCount()):
            self.table.setColumnWidth(i, min(self.table.columnWidth(i) + 12, widest))
        header.blockSignals(False)

    def _save_header(self) -> None:
        QSettings().setValue(f"{self.settings_key}/header", self.table.horizontalHeader().saveState())


__all__ = [
    "BoolCombo", "CodeCombo", "ErrorBanner", "ErrorLabel", "FieldForm", "ListPage", "LongText", "MultiCodeBox",
    "OptionalDateEdit", "PageBar", "RowsModel", "add_save_shortcuts", "announce_change", "set_invalid", "show_error",
]
