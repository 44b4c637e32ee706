"""What every casework dialog shares: the child's line on top, forms, a banner, 保存 / 取消, saving as an
operation on the writer thread, and asking before unsaved work is thrown away."""
from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QDialog, QDialogButtonBox, QGroupBox, QLabel, QVBoxLayout, QWidget

from ..domain import codes, fields
from ..domain.errors import WeibaoError
from ..domain.idnumber import mask_id_number
from .forms import ErrorBanner, FieldForm, add_save_shortcuts, confirm_discard, show_error
from .operations import Changes, run_operation
from .tasks import Tasks, error_text


def specs(entity: str, *names: str) -> tuple:
    """Some of an entity's field specs, in the order given."""
    return tuple(fields.spec_of(entity, n) for n in names)


def child_summary(d) -> str:
    """One line that tells the worker whose file this is (the id number masked)."""
    colour = d.risk_colour
    chip = (f"<span style='color:{codes.COLOUR_RGB[colour]}'>■</span> {codes.RISK_COLOUR.label_of(colour)}"
            if colour else "未评估")
    parts = [f"<b>{html.escape(d.name)}</b>", codes.SEX.label_of(d.sex), f"{d.birth_date:%Y-%m-%d}"]
    if d.village:
        parts.append(html.escape(d.village))
    if d.id_number:
        parts.append(mask_id_number(d.id_number))
    parts.append(f"风险等级：{chip}")
    if d.status != "active":
        parts.append("<span style='color:#C62828'>已销档</span>")
    return " · ".join(parts)


class SavingDialog(QDialog):
    """A dialog whose 保存 runs as an operation: it stays open while the writer thread saves, closes when
    the save succeeded and shows the error when it did not. Escape, 取消 or closing the window with
    unsaved changes asks 放弃修改？ first.

    Subclasses define `operation()` (collect the values here, on the GUI thread; raise WeibaoError for a
    check that needs no store; return the function that writes), `changes()` and `show_error()`."""

    def __init__(self, ws, tasks: Tasks, parent: QWidget | None = None):
        super().__init__(parent)
        self.ws = ws
        self.tasks = tasks
        self.saved: Any = None  # what the service returned
        self.saving = False
        self._clean_state: object = None  # snapshot() when shown; None until then

    def snapshot(self) -> object:
        """Everything the user can change, to tell whether they changed anything."""
        return None

    def mark_clean(self) -> None:
        """The values on screen now are the saved (or untouched new) ones."""
        self._clean_state = self.snapshot()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if self._clean_state is None:
            self.mark_clean()  # what the dialog opened with is not a change
        super().showEvent(event)

    def is_dirty(self) -> bool:
        return self.snapshot() != self._clean_state

    def operation(self) -> Callable[[], Any] | None:  # pragma: no cover - every dialog defines it
        raise NotImplementedError

    def changes(self, result: Any) -> Changes:  # pragma: no cover - every dialog defines it
        raise NotImplementedError

    def show_error(self, e: WeibaoError) -> None:  # pragma: no cover - every dialog defines it
        raise NotImplementedError

    def clear_errors(self) -> None:
        """Hide the messages of the last attempt."""

    def set_saving(self, saving: bool) -> None:
        self.saving = saving

    def save(self) -> None:
        if self.saving:
            return
        self.clear_errors()
        try:
            write = self.operation()
        except WeibaoError as e:
            self.show_error(e)
            return
        if write is None:
            self.accept()
            return
        self.set_saving(True)
        run_operation(self.tasks, write, self.changes, parent=self, initiator=self.parentWidget(),
                      on_done=self._saved, on_error=self._failed)

    def _saved(self, result: Any) -> None:
        self.set_saving(False)
        self.saved = result
        self.mark_clean()
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.set_saving(False)
        if isinstance(exc, WeibaoError):
            self.show_error(exc)
        else:
            self.show_error(WeibaoError(error_text(exc)))

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        """Enter moves to the next field, as on a paper form; it never saves (Ctrl+S does). On a button it
        presses the button. A multi-line text keeps its Enter for a new line (Tab leaves it)."""
        if event.key() in (Qt.Key_Return, Qt.Key_Enter) and not event.modifiers() & ~Qt.KeypadModifier:
            focus = self.focusWidget()
            if isinstance(focus, QAbstractButton):
                focus.click()
            else:
                self.focusNextChild()
            return
        super().keyPressEvent(event)

    def reject(self) -> None:
        if self.saving:
            return  # the save already runs; its result closes the dialog or shows why not
        if self.is_dirty() and not confirm_discard(self):
            return
        super().reject()


class CaseDialog(SavingDialog):
    """A record of a child's casework. `Dialog(ws, tasks, child_uuid, parent=None, record_uuid=None)`:
    new when record_uuid is None, otherwise the record is edited."""

    title_new = "新增"
    title_edit = "修改"
    changed_kind: dict[str, bool] = {}  # which lists besides the child's file show this record

    def __init__(self, ws, tasks: Tasks, child_uuid: str | None, parent: QWidget | None = None,
                 record_uuid: str | None = None):
        super().__init__(ws, tasks, parent)
        self.child_uuid = child_uuid
        self.record_uuid = record_uuid
        self.today = ws.ctx.today
        self.child = ws.children.get(child_uuid) if child_uuid else None
        self.setWindowTitle(self.title_new if record_uuid is None else self.title_edit)
        self.layout_ = QVBoxLayout(self)
        if self.child is not None:
            head = QLabel(child_summary(self.child), self)
            head.setTextFormat(Qt.RichText)
            head.setStyleSheet("padding: 4px 2px;")
            self.layout_.addWidget(head)
        self.body = QVBoxLayout()
        self.layout_.addLayout(self.body, 1)
        self.banner = ErrorBanner(self)
        self.layout_.addWidget(self.banner)
        self.buttons = QDialogButtonBox(self)
        self.save_button = self.buttons.addButton("保存", QDialogButtonBox.AcceptRole)
        self.save_button.setToolTip("保存（Ctrl+S 或 Ctrl+Enter）")
        self.save_button.setAutoDefault(False)
        self.cancel_button = self.buttons.addButton("取消", QDialogButtonBox.RejectRole)
        self.cancel_button.setAutoDefault(False)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.layout_.addWidget(self.buttons)
        add_save_shortcuts(self, self.save)
        self.forms: list[FieldForm] = []
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 80)

    def add_form(self, form: FieldForm, title: str | None = None) -> FieldForm:
        self.forms.append(form)
        if title:
            box = QGroupBox(title, self)
            QVBoxLayout(box).addWidget(form)
            self.body.addWidget(box)
        else:
            self.body.addWidget(form)
        return form

    def snapshot(self) -> object:
        return [form.values() for form in self.forms]

    def set_saving(self, saving: bool) -> None:
        super().set_saving(saving)
        self.save_button.setEnabled(not saving)
        self.save_button.setText("正在保存…" if saving else "保存")

    def clear_errors(self) -> None:
        self.banner.show_message(None)
        for form in self.forms:
            form.clear_errors()

    def changes(self, result: Any) -> Changes:
        return Changes(children={self.child_uuid} if self.child_uuid else None, **self.changed_kind)

    def show_error(self, e: WeibaoError) -> None:
        show_error(e, [f for f in self.forms if f.isVisibleTo(self)], self.banner)


__all__ = ["CaseDialog", "SavingDialog", "child_summary", "specs"]
