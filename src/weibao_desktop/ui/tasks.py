"""Background work for the GUI: nothing slow runs on the main thread, and no worker touches a widget.

A task is a plain callable ``fn(progress, cancelled) -> result``:

- ``progress(done, total, text="")`` reports how far it got (cheap to call often: reports are throttled);
- ``cancelled()`` returns True once the user pressed 取消 (or the caller superseded the task); a long task
  checks it between chunks and returns (or raises ``Cancelled``) early.

It calls services only (each service call opens its own session), never Qt widgets. Start one with::

    handle = tasks.run(fn, on_done=show_rows, on_error=show_error, on_progress=None,
                       label="正在查找…", parent=window, write=False)

Callbacks run on the main thread, delivered by queued Qt signals. ``handle.cancel()`` sets the token and
guarantees ``on_done`` is not called afterwards, so a search superseded by the next keystroke can never
paint stale rows. With ``label`` a ``TaskProgressDialog`` (progress bar and 取消 button) appears when the
task takes longer than a moment. ``write=True`` runs the task on the single writer thread, so two writes
never race for the store (ARCHITECTURE.md, "Threads"); reads use a small pool.

``Tasks`` runs on ``QThreadPool``; ``SyncTasks`` has the same API but runs each task at once on the
calling thread, so tests see the result as soon as ``run`` returns (Picard's trick of injecting a
synchronous pool). Errors that no ``on_error`` handles are emitted as ``Tasks.failed(str)`` for the main
window to show.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from ..domain.errors import WeibaoError

log = logging.getLogger(__name__)

Progress = Callable[..., None]
TaskFn = Callable[[Progress, Callable[[], bool]], Any]

_PROGRESS_INTERVAL = 0.05  # seconds between progress reports that reach the main thread


class Cancelled(Exception):
    """Raised by a task that stops because the user cancelled it; not an error."""


def error_text(exc: BaseException) -> str:
    """What the user reads: the Chinese message of a WeibaoError, a plain sentence for anything else."""
    if isinstance(exc, WeibaoError):
        return str(exc)
    return f"操作没有完成：程序内部错误（{type(exc).__name__}）。数据没有被修改，请重试；如果反复出现，请联系技术支持。"


class TaskHandle(QObject):
    """One running task, seen from the main thread."""

    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(object)  # the exception
    ended = Signal()  # always, after finished / failed / cancellation

    # Internal: emitted from the worker thread, received on the main thread (queued).
    _w_progress = Signal(int, int, str)
    _w_done = Signal(object)
    _w_error = Signal(object)

    def __init__(self, label: str | None = None, write: bool = False):
        super().__init__()
        self.label = label
        self.write = write  # a write that returned has committed: its result is delivered even if 取消 came late
        self._cancel = threading.Event()
        self.done = False
        self.result: Any = None
        self.error: BaseException | None = None
        self.dialog: QWidget | None = None  # its 请稍候 box, if it has one
        self._w_progress.connect(self._on_progress, Qt.QueuedConnection)
        self._w_done.connect(self._on_done, Qt.QueuedConnection)
        self._w_error.connect(self._on_error, Qt.QueuedConnection)

    def cancel(self) -> None:
        """Ask the task to stop; a read's result, if it still comes, is dropped (a write's is not: it happened)."""
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    @Slot(int, int, str)
    def _on_progress(self, done: int, total: int, text: str) -> None:
        if not self.is_cancelled():
            self.progress.emit(done, total, text)

    @Slot(object)
    def _on_done(self, result: Any) -> None:
        self.done = True
        self.result = result
        if not self.is_cancelled() or self.write:
            self.finished.emit(result)
        self.ended.emit()

    @Slot(object)
    def _on_error(self, exc: BaseException) -> None:
        self.done = True
        self.error = exc
        if not self.is_cancelled() and not isinstance(exc, Cancelled):
            self.failed.emit(exc)
        self.ended.emit()


class _Runner(QRunnable):
    def __init__(self, fn: TaskFn, handle: TaskHandle):
        super().__init__()
        self.fn = fn
        self.handle = handle
        self._last = 0.0

    def _progress(self, done: int, total: int = 0, text: str = "") -> None:
        now = time.monotonic()
        if now - self._last >= _PROGRESS_INTERVAL or (total and done >= total):
            self._last = now
            self._emit(self.handle._w_progress, int(done), int(total), str(text))

    def run(self) -> None:
        try:
            result = self.fn(self._progress, self.handle.is_cancelled)
        except BaseException as exc:  # reported to the main thread, never lost in a worker
            if not isinstance(exc, (Cancelled, WeibaoError)):
                log.exception("background task failed")
            self._emit(self.handle._w_error, exc)
        else:
            self._emit(self.handle._w_done, result)

    def _emit(self, signal, *args) -> None:
        try:
            signal.emit(*args)
        except RuntimeError:  # the application is closing and the handle is gone: nobody is listening
            self.handle.cancel()


class Tasks(QObject):
    """Runs tasks on worker threads; see the module docstring."""

    failed = Signal(str)  # an error no caller handled, as the text to show
    busy_changed = Signal(bool)
    # (Changes, initiator) after an operation wrote something (operations.py): the one route change
    # notices take; the main window passes them on to the pages.
    did_change = Signal(object, object)

    def __init__(self, parent: QObject | None = None, *, readers: int = 2):
        super().__init__(parent)
        self._readers = QThreadPool(self)
        self._readers.setMaxThreadCount(readers)
        self._writer = QThreadPool(self)
        self._writer.setMaxThreadCount(1)
        self._running: set[TaskHandle] = set()

    def run(
        self,
        fn: TaskFn,
        *,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        on_progress: Callable[[int, int, str], None] | None = None,
        label: str | None = None,
        parent: QWidget | None = None,
        write: bool = False,
    ) -> TaskHandle:
        handle = TaskHandle(label, write)
        if label:
            # Made before the result handlers are connected, so it hides before the result is shown; kept on
            # the handle, or a dialog without a parent would be collected at once and never appear.
            handle.dialog = TaskProgressDialog(handle, label, parent)
        if on_progress is not None:
            handle.progress.connect(on_progress)
        if on_done is not None:
            handle.finished.connect(on_done)
        if on_error is not None:
            handle.failed.connect(on_error)
        else:
            handle.failed.connect(lambda exc: self.failed.emit(error_text(exc)))
        was_idle = not self._running
        self._running.add(handle)
        handle.ended.connect(lambda h=handle: self._ended(h))
        if was_idle:
            self.busy_changed.emit(True)
        self._start(_Runner(fn, handle), write)
        return handle

    def _start(self, runner: _Runner, write: bool) -> None:
        (self._writer if write else self._readers).start(runner)

    def _ended(self, handle: TaskHandle) -> None:
        self._running.discard(handle)
        if not self._running:
            self.busy_changed.emit(False)

    def is_busy(self) -> bool:
        return bool(self._running)

    def writing(self) -> bool:
        """Whether a write is still running (closing the window now would abandon it)."""
        return any(h.write and not h.done for h in self._running)

    def cancel_all(self) -> None:
        for handle in list(self._running):
            handle.cancel()

    def wait(self, msecs: int = -1) -> bool:
        """Block until every started task has returned (used on shutdown and by tests)."""
        ok = self._readers.waitForDone(msecs) and self._writer.waitForDone(msecs)
        return ok

    def shutdown(self, msecs: int = 5000) -> None:
        self.cancel_all()
        self.wait(msecs)


class SyncTasks(Tasks):
    """Same API as Tasks, but each task runs to the end inside `run` (tests, scripts)."""

    def _start(self, runner: _Runner, write: bool) -> None:
        runner.run()
        # The handle's queued slots need one turn of the event loop; deliver them now.
        from PySide6.QtCore import QCoreApplication

        QCoreApplication.sendPostedEvents(runner.handle)


class TaskProgressDialog(QProgressDialog):
    """A progress bar with a 取消 button for one task; it appears only if the task takes a moment."""

    def __init__(self, handle: TaskHandle, label: str, parent: QWidget | None = None, *, delay_ms: int = 400):
        super().__init__(label, "取消", 0, 0, parent)
        self.setWindowTitle("请稍候")
        self.setWindowModality(Qt.WindowModal)
        self.setMinimumDuration(delay_ms)
        self.setAutoClose(False)
        self.setAutoReset(False)
        self.setAttribute(Qt.WA_DeleteOnClose)
        self._label = label
        self._handle = handle
        self.canceled.connect(self._on_cancel)
        handle.progress.connect(self._on_progress)
        handle.ended.connect(self._on_ended)
        handle.finished.connect(self._on_result)
        handle.failed.connect(self._on_result)
        self.setValue(0)

    def _on_cancel(self) -> None:
        self._handle.cancel()
        self.setLabelText("正在取消…")

    def _on_progress(self, done: int, total: int, text: str) -> None:
        if total > 0:
            self.setMaximum(total)
            self.setValue(min(done, total))
        self.setLabelText(f"{self._label}\n{text}" if text else self._label)

    def _on_ended(self) -> None:
        self.close()

    def _on_result(self, _result: object) -> None:
        """Out of sight before the caller shows the result, so a message is never under 请稍候."""
        self.hide()
