"""A monkey at the keyboard: every page of the main window on a demo store, every enabled button clicked and
every enabled menu action triggered, with a row selected in each list so the row buttons are live too.
File and message dialogs are answered by the `answers` fixture (cancelled, or 否); any other modal dialog is
closed as soon as it opens. Any exception, or any "程序内部错误" said anywhere, fails the test."""
from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtPrintSupport import QPrintDialog
from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QApplication, QDialog, QLabel, QMenu, QTabWidget
from shiboken6 import isValid

from weibao_desktop.ui.main_window import PAGES, MainWindow

INTERNAL = "程序内部错误"
SKIP_ACTIONS = {"退出"}  # closing the window ends the walk, not a finding


def said_anywhere() -> list[str]:
    texts = []
    for top in QApplication.topLevelWidgets():
        if isValid(top):
            texts += [label.text() for label in top.findChildren(QLabel) if INTERNAL in label.text()]
    return texts


def test_every_button_and_action_on_every_page(qtbot, demo_ws, tasks, answers, monkeypatch):
    opened: list[str] = []

    def close_at_once(dialog):
        opened.append(type(dialog).__name__)
        return QDialog.Rejected

    monkeypatch.setattr(QDialog, "exec", close_at_once)
    # Qt's print dialog has its own exec (the system's dialog): a monkey cannot answer it, so it closes too.
    monkeypatch.setattr(QPrintDialog, "exec", close_at_once)
    monkeypatch.setattr(QMenu, "exec", lambda *_a, **_k: None)
    failures: list[str] = []
    tasks.failed.connect(failures.append)
    win = MainWindow(demo_ws, tasks)
    qtbot.addWidget(win)
    win.show()
    clicked = 0

    def check(where: str) -> None:
        bad = [text for text in answers.messages() + failures + said_anywhere() if INTERNAL in text]
        assert not bad, f"{where}: {bad[0]}"

    for spec in PAGES:
        page = win.show_page(spec.key)
        tab_sets = [tabs for tabs in page.findChildren(QTabWidget)] or [None]
        for tabs in tab_sets:
            for index in range(tabs.count() if tabs is not None else 1):
                if tabs is not None:
                    if not isValid(tabs):
                        continue
                    tabs.setCurrentIndex(index)
                for view in page.findChildren(QAbstractItemView):
                    if view.isVisible() and view.model() is not None and view.model().rowCount() > 0:
                        view.setCurrentIndex(view.model().index(0, 0))
                for button in page.findChildren(QAbstractButton):
                    if isValid(button) and button.isVisible() and button.isEnabled():
                        label = button.text() or button.toolTip()
                        button.click()
                        clicked += 1
                        check(f"{spec.title} / {label}")
        for top in QApplication.topLevelWidgets():  # files and previews a click opened
            if isValid(top) and top is not win and top.isVisible() and top.isWindow():
                top.close()
    for action in win.findChildren(QAction):
        if isValid(action) and action.isEnabled() and action.text() and action.text() not in SKIP_ACTIONS \
                and not action.isSeparator():
            action.trigger()
            clicked += 1
            check(f"菜单 / {action.text()}")
    assert clicked > 80 and opened  # the walk reached the buttons, and some opened dialogs
    win.close()
