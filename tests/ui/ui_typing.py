"""Typing as a user does, including Chinese.

QTest.keyClicks only knows ASCII keys, so Chinese text arrives the way a Chinese input method delivers
it: as a committed QInputMethodEvent. ASCII goes through real key presses.
"""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QTest


def type_text(widget, text: str) -> None:
    """Type `text` into the focused-to widget (a QLineEdit, a QPlainTextEdit or an OptionalDateEdit)."""
    target = widget.focusProxy() or widget
    target.setFocus()
    run = ""
    for ch in text + "\0":
        if ch != "\0" and ch.isascii():
            run += ch
            continue
        if run:
            QTest.keyClicks(target, run)
            run = ""
        if ch != "\0":
            event = QInputMethodEvent()
            event.setCommitString(ch)
            QCoreApplication.sendEvent(target, event)


def retype(widget, text: str) -> None:
    """Empty the field, then type `text` into it."""
    target = widget.focusProxy() or widget
    target.clear()
    type_text(widget, text)


def choose(combo, label: str) -> None:
    """Pick an entry by keyboard: focus the combo and press ↓ until it shows the label."""
    combo.setFocus()
    combo.setCurrentIndex(0)
    for _ in range(combo.count()):
        if combo.currentText() == label:
            return
        QTest.keyClick(combo, Qt.Key_Down)
    assert combo.currentText() == label, f"no entry “{label}” in {combo.accessibleName()}"


def show_active(qtbot, widget):
    """Show a window and wait until it is the active one, so shortcuts and focus behave as on a desktop."""
    qtbot.addWidget(widget)
    with qtbot.waitActive(widget):
        widget.show()
        widget.activateWindow()
    return widget


def on_next_modal(fn, *, after=None) -> None:
    """Run fn(dialog) on the next modal dialog a click opens (its exec() blocks the test's call).

    `after` is the dialog fn should skip (the one already handled), for a second dialog opened by the first.
    A dialog left open after fn is rejected, so a failing step never hangs the suite.
    """
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    tries = [0]

    def run():
        w = QApplication.activeModalWidget()
        if w is None or w is after or not w.isActiveWindow():
            if w is not None and w is not after:
                w.activateWindow()  # as a window manager would; keyboard focus follows
            tries[0] += 1
            if tries[0] < 200:
                QTimer.singleShot(10, run)
            return
        try:
            fn(w)
        finally:
            if w.isVisible() and QApplication.activeModalWidget() is w:
                w.reject()

    QTimer.singleShot(0, run)


def reactivate(qtbot, widget) -> None:
    """After a modal dialog closed: make the window active again, as a desktop's window manager does."""
    with qtbot.waitActive(widget):
        widget.activateWindow()
