"""Windows that fit the screen they are on: 1366×768 laptops at 100 %, 1920×1080 at 150 % (1280×720 logical).

Every size here is in Qt's logical pixels, so one rule covers every scale. `available` is the screen's
available geometry (without the taskbar); tests pass a simulated one. `ScreenFit`, installed on the
application, applies `fit_window` to every top-level window and dialog as it is first shown, so a dialog
that would be taller than the screen opens at the screen's height with its buttons on screen.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMainWindow, QWidget

MARGIN = 8  # keep clear of the screen edge (and room for the window frame)
FRAME = 32  # a title bar the window manager adds above the client area
CASCADE_STEP = 28


def available_for(widget: QWidget | None = None) -> QRect:
    """The available geometry of the widget's screen (the primary screen without a widget)."""
    screen = widget.screen() if widget is not None else None
    screen = screen or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, 1366, 728)


def bounded(size: QSize, available: QRect) -> QSize:
    """`size`, no bigger than the available area less the margin and the title bar."""
    return QSize(min(size.width(), available.width() - 2 * MARGIN),
                 min(size.height(), available.height() - 2 * MARGIN - FRAME))


def fit_window(widget: QWidget, available: QRect | None = None) -> None:
    """Shrink a window that is bigger than the screen and move it back inside (its frame included)."""
    area = available if available is not None else available_for(widget)
    size = bounded(widget.size(), area)
    if size != widget.size():
        floor = widget.minimumSize()
        if not isinstance(widget, QMainWindow):  # a form is never shrunk below what its fields need (nothing clipped)
            floor = floor.expandedTo(widget.minimumSizeHint())
        widget.resize(size.expandedTo(floor))
    pos = widget.pos()
    x = min(max(pos.x(), area.left() + MARGIN), area.right() - MARGIN - widget.width())
    y = min(max(pos.y(), area.top() + MARGIN), area.bottom() - MARGIN - FRAME - widget.height())
    if QPoint(x, y) != pos:
        widget.move(max(x, area.left()), max(y, area.top()))


def fits(widget: QWidget, available: QRect) -> bool:
    """Whether the window's size (and the least its layout can shrink to) fits the available area."""
    need = widget.minimumSizeHint().expandedTo(widget.minimumSize())
    room = bounded(QSize(10 ** 6, 10 ** 6), available)
    return (need.width() <= room.width() and need.height() <= room.height()
            and widget.width() <= room.width() and widget.height() <= room.height())


def cascade(widget: QWidget, index: int, available: QRect) -> None:
    """Place the index-th child-file window a step down and right of the one before, inside the screen."""
    widget.resize(bounded(widget.size(), available))
    room_x = max(1, available.width() - widget.width() - 2 * MARGIN)
    room_y = max(1, available.height() - widget.height() - 2 * MARGIN - FRAME)
    steps_x, steps_y = max(1, room_x // CASCADE_STEP), max(1, room_y // CASCADE_STEP)
    step = index % min(steps_x, steps_y) if min(steps_x, steps_y) > 1 else 0
    widget.move(available.left() + MARGIN + (step * CASCADE_STEP) % room_x,
                available.top() + MARGIN + (step * CASCADE_STEP) % room_y)


class ScreenFit(QObject):
    """Application event filter: every top-level window is fitted to its screen when first shown."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Show and isinstance(watched, QWidget) and watched.isWindow():
            kind = watched.windowType()
            if kind in (Qt.Window, Qt.Dialog, Qt.Sheet) and not watched.property("weibao_fitted"):
                watched.setProperty("weibao_fitted", True)
                fit_window(watched)
        return False


def install(app) -> ScreenFit:
    """Once per application (make_app may be called again by tests and scripts)."""
    fitter = app.findChild(ScreenFit)
    if fitter is None:
        fitter = ScreenFit(app)
        app.installEventFilter(fitter)
    return fitter


__all__ = ["available_for", "bounded", "fit_window", "fits", "cascade", "install", "ScreenFit"]
