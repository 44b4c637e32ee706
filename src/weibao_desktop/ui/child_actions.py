"""What can be done with a child from any list: 打开档案, 记录走访, 风险评估, 打印走访记录表.

One helper for every list that shows children (the dashboard's lists, 儿童档案, 走访记录, 风险评估, …): the
same right-click menu, the same keys (Enter opens; the menu key or Shift+F10 shows the menu; the shortcuts
below act on the selected row), so what a worker learns in one list works in all of them.
"""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QObject, QPoint, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QDialog, QMenu, QWidget

from . import print_actions

# Shortcuts that do not collide with the main window's (Ctrl+N, Ctrl+F, Ctrl+S, Ctrl+P, Ctrl+1…9).
SHORTCUTS = {
    "open": "Ctrl+O",
    "visit": "Ctrl+Shift+V",
    "assess": "Ctrl+Shift+A",
    "print": "Ctrl+Shift+P",
}
LABELS = {
    "open": "打开档案",
    "visit": "记录走访…",
    "assess": "风险评估…",
    "print": "打印走访记录表…",
}


class ChildActions(QObject):
    """Installs the child actions on `view`. `child_at(index)` gives the child's uuid of a row (or None for a
    row without a child); `open_child(uuid)` opens the file; `after_change()` runs after a saved dialog."""

    def __init__(self, view: QAbstractItemView, ws, tasks, *, child_at: Callable[[QModelIndex], str | None],
                 open_child: Callable[[str], None], after_change: Callable[[], None] | None = None):
        super().__init__(view)
        self.view = view
        self.ws = ws
        self.tasks = tasks
        self.child_at = child_at
        self.open_child = open_child
        self.after_change = after_change
        self.actions: dict[str, QAction] = {}
        for key, slot in (("open", self._open), ("visit", self.record_visit), ("assess", self.assess),
                          ("print", self.print_sheet)):
            action = QAction(LABELS[key], view)
            action.setShortcut(QKeySequence(SHORTCUTS[key]))
            action.setShortcutContext(Qt.WidgetWithChildrenShortcut)
            action.setToolTip(f"{LABELS[key].rstrip('…')}（{SHORTCUTS[key]}）")
            action.triggered.connect(lambda _checked=False, fn=slot: self._on_current(fn))
            view.addAction(action)
            self.actions[key] = action
        view.setContextMenuPolicy(Qt.CustomContextMenu)
        view.customContextMenuRequested.connect(self.show_menu)

    def current_child(self) -> str | None:
        index = self.view.currentIndex()
        return self.child_at(index) if index.isValid() else None

    def _on_current(self, fn: Callable[[str], object]) -> None:
        uuid = self.current_child()
        if uuid:
            fn(uuid)

    def menu_for(self, index: QModelIndex) -> QMenu | None:
        """The menu for a row (None when the row has no child); tests trigger its actions."""
        if not index.isValid() or not self.child_at(index):
            return None
        self.view.setCurrentIndex(index)
        menu = QMenu(self.view)
        menu.addAction(self.actions["open"])
        menu.addSeparator()
        menu.addAction(self.actions["visit"])
        menu.addAction(self.actions["assess"])
        menu.addSeparator()
        menu.addAction(self.actions["print"])
        return menu

    def show_menu(self, pos: QPoint) -> None:
        index = self.view.indexAt(pos)
        if not index.isValid():  # the menu key: the selected row
            index = self.view.currentIndex()
            pos = self.view.visualRect(index).center()
        menu = self.menu_for(index)
        if menu is not None:
            menu.exec(self.view.viewport().mapToGlobal(pos))
            menu.deleteLater()

    def _parent(self) -> QWidget:
        return self.view.window()

    def _open(self, uuid: str) -> None:
        self.open_child(uuid)

    def record_visit(self, uuid: str) -> bool:
        from .casework_dialogs import VisitDialog

        return self._run(VisitDialog, uuid)

    def assess(self, uuid: str) -> bool:
        from .assessment_dialog import AssessmentDialog

        return self._run(AssessmentDialog, uuid)

    def _run(self, dialog_cls, uuid: str) -> bool:
        dialog = dialog_cls(self.ws, self.tasks, uuid, parent=self._parent())
        saved = dialog.exec() == QDialog.Accepted
        if saved and self.after_change is not None:
            self.after_change()
        return saved

    def print_sheet(self, uuid: str) -> None:
        print_actions.print_child_sheet(self._parent(), self.ws, self.tasks, uuid, blank=True)


def install_on_rows(view: QAbstractItemView, ws, tasks, *, uuid_of_row: Callable[[int], str | None],
                    open_child: Callable[[str], None], after_change: Callable[[], None] | None = None) -> ChildActions:
    """The usual case: the child's uuid is a function of the row number."""
    return ChildActions(view, ws, tasks, child_at=lambda index: uuid_of_row(index.row()), open_child=open_child,
                        after_change=after_change)


__all__ = ["ChildActions", "install_on_rows", "SHORTCUTS", "LABELS"]
