"""Editors every form shares: code combos, multi-choice boxes, empty-able dates, a few lines of text."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QCalendarWidget,
    QCheckBox,
    QComboBox,
    QCompleter,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QSizePolicy,
    QToolButton,
    QWidget,
    QWidgetAction,
)

from ..domain import codes, ethnicity
from ..domain.dates import parse_date, parse_datetime
from ..domain.errors import WeibaoError

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

    def __init__(self, table: codes.CodeTable, allow_empty: bool = True, parent: QWidget | None = None,
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


class EthnicityCombo(QComboBox):
    """民族: the 56 of GB/T 3304 to choose from, and typing filters them (土 shows 土家族 and 土族). What is
    typed is kept as typed until the field is left, then written in full (汉 → 汉族); the services refuse the
    rest with a message, as they would from a spreadsheet."""

    changed = Signal()
    editingFinished = Signal()  # noqa: N815 - the same name as QLineEdit's, so forms treat it alike

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.NoInsert)
        self.setAccessibleName("民族")
        self.addItem("")
        self.addItems(list(ethnicity.CHOICES))
        self.setMaxVisibleItems(15)
        completer = QCompleter(list(ethnicity.CHOICES), self)
        completer.setFilterMode(Qt.MatchContains)
        completer.setCompletionMode(QCompleter.PopupCompletion)
        completer.setMaxVisibleItems(12)
        self.setCompleter(completer)
        self.lineEdit().setPlaceholderText("输入“汉”或“土家”可筛选")
        self.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(8)
        self.editTextChanged.connect(lambda _t: self.changed.emit())
        self.lineEdit().editingFinished.connect(self._finished)

    def value(self) -> str | None:
        return self.currentText().strip() or None

    def set_value(self, value: str | None) -> None:
        self.setEditText(value or "")

    def _finished(self) -> None:
        try:
            full = ethnicity.normalize_ethnicity(self.value())
        except WeibaoError:
            full = None
        if full and full != self.value():
            self.setEditText(full)
        self.editingFinished.emit()


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

    def __init__(self, table: codes.CodeTable, parent: QWidget | None = None, columns: int | None = None):
        super().__init__(parent)
        if columns is None:  # long labels (the 情形 of 强制报告) in two columns, so none is cut off
            columns = 4 if max((len(c.label) for c in table), default=0) <= 8 else 2
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

    def set_codes(self, chosen: Iterable[str] | str | None) -> None:
        wanted = set(codes.split_codes(chosen) if isinstance(chosen, str) or chosen is None else chosen)
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
