"""The base of every page in the main window's navigation: the `Page` protocol with defaults."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from .operations import Changes


class BasePage(QWidget):
    """Implements `operations.Page`; a page overrides what it offers. By default it reloads on any change
    that `shows` says concerns it."""

    title = ""
    open_child = Signal(str)
    ready = Signal()

    def is_ready(self) -> bool:
        return True

    def refresh(self) -> None:
        """Read what is shown again."""

    def shows(self, changes: Changes) -> bool:
        """Whether this page shows any of the changed records."""
        return bool(changes)

    def on_changes(self, changes: Changes) -> None:
        if self.shows(changes):
            self.refresh()

    def save(self) -> bool:
        return False

    def print_current(self) -> bool:
        return False

    def focus_search(self) -> None:
        """Put the cursor in the page's search box, when it has one."""

    def save_state(self) -> None:
        """Remember column widths and the like."""
