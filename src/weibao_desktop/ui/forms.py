"""A form built from `domain.fields.FieldSpec`s that shows a service's `WeibaoError` next to the field it
names, the red messages it uses, and the save shortcuts every dialog shares."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QGridLayout, QLabel, QLineEdit, QMessageBox, QVBoxLayout, QWidget

from ..domain.errors import WeibaoError
from ..domain.fields import FieldSpec
from .editors import (
    ERROR_RGB,
    BoolCombo,
    CodeCombo,
    EthnicityCombo,
    LongText,
    MultiCodeBox,
    OptionalDateEdit,
    Today,
    set_invalid,
)


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
                 get: Callable[[], object], put: Callable[[object], None], text: str):
        self.spec, self.label, self.editor, self.error, self.get, self.put = spec, label, editor, error, get, put
        self.text = text


def label_text(text: str, required: bool) -> str:
    """A field's label; a required one starts with a red * (the forms' legend says so)."""
    return (f"<span style='color:{ERROR_RGB}'>*</span> " if required else "") + text + "："


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
            label = QLabel(label_text(text, spec.required), self)
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
            self.fields[spec.name] = _Field(spec, label, editor, error, get, put, text)
            self._watch(spec.name, editor)
        self._last_row = row + (1 if col else 0)


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
        if kind == "ethnicity":
            w = EthnicityCombo(self)
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


    def mark_required(self, name: str, required: bool = True) -> None:
        """A field the services require only sometimes (评估理由 when the colour changes) is marked while it is."""
        f = self.fields[name]
        f.label.setText(label_text(f.text, required))

    def set_field_error(self, name: str, message: str | None) -> None:
        f = self.fields[name]
        f.error.show_message(message)
        set_invalid(f.editor, bool(message))

    def field_error(self, name: str) -> str | None:
        f = self.fields.get(name)
        return f.error.text() if f is not None and not f.error.isHidden() else None

    def show_error(self, error: WeibaoError, focus: bool = True) -> bool:
        """Show each of the error's field errors under its field (the first one focused); False when this form
        has none of those fields (the caller shows the error). `unshown(error)` is what is left over."""
        mine = [e for e in error.errors if e.field in self.fields]
        for e in mine:
            self.set_field_error(e.field or "", e.message)
        if mine and focus:
            f = self.fields[mine[0].field or ""]
            (f.editor.focusProxy() or f.editor).setFocus(Qt.OtherFocusReason)
        return bool(mine)

    def unshown(self, error: WeibaoError) -> list[WeibaoError]:
        """The parts of an error that name no field of this form."""
        return [e for e in error.errors if e.field not in self.fields]

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
    """Put each field error next to its field in the first form that has it (all at once); what names no
    field on screen goes in the banner."""
    left = list(error.errors)
    focus = True
    for form in forms:
        here = [e for e in left if e.field in form.fields]
        if here:
            form.show_error(WeibaoError.of_fields(here), focus=focus)
            focus = False
            left = [e for e in left if e not in here]
    banner.show_message("；".join(e.message for e in left) if left else None)


def add_save_shortcuts(dialog: QWidget, save: Callable[[], None]) -> None:
    """保存 with Ctrl+S and Ctrl+Enter from anywhere in the dialog."""
    for keys in (QKeySequence.Save, QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")):
        sc = QShortcut(keys, dialog)
        sc.setContext(Qt.WidgetWithChildrenShortcut)
        sc.activated.connect(save)


DISCARD_TITLE = "放弃修改？"


def discard_box(parent: QWidget | None) -> QMessageBox:
    """The question asked before a form with unsaved changes closes."""
    box = QMessageBox(QMessageBox.Question, DISCARD_TITLE, DISCARD_TITLE, parent=parent)
    box.setInformativeText("填写的内容还没有保存，关闭后这些修改会丢失。")
    box.setStyleSheet("QLabel#qt_msgbox_informativelabel { min-width: 22em; }")  # one line, not three
    box.addButton("放弃修改", QMessageBox.DestructiveRole)
    keep = box.addButton("继续填写", QMessageBox.RejectRole)
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    return box


def confirm_discard(parent: QWidget | None) -> bool:
    """True when the user chose to throw their unsaved changes away."""
    box = discard_box(parent)
    box.exec()
    clicked = box.clickedButton()
    return clicked is not None and box.buttonRole(clicked) == QMessageBox.DestructiveRole
