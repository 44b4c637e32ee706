"""Background tasks: results, errors and cancellation reach the main thread; the sync pool runs at once."""
from __future__ import annotations

import threading

from weibao_desktop.domain.errors import WeibaoError
from weibao_desktop.ui.tasks import Cancelled, SyncTasks, Tasks, error_text


def test_threaded_task_delivers_result_on_main_thread(qtbot, qapp):
    tasks = Tasks()
    seen = {}
    main = threading.get_ident()

    def work(progress, cancelled):
        seen["worker"] = threading.get_ident()
        for i in range(3):
            progress(i + 1, 3, f"第{i + 1}步")
        return 42

    def done(result):
        seen["result"] = result
        seen["callback"] = threading.get_ident()

    handle = tasks.run(work, on_done=done)
    qtbot.waitUntil(lambda: "result" in seen, timeout=5000)
    assert seen["result"] == 42
    assert seen["worker"] != main  # the work ran off the GUI thread
    assert seen["callback"] == main  # but the result is handled on it
    qtbot.waitUntil(lambda: not tasks.is_busy(), timeout=5000)
    assert handle.done
    tasks.shutdown()


def test_cancelled_task_never_delivers_its_result(qtbot, qapp):
    tasks = Tasks()
    started = threading.Event()
    release = threading.Event()
    results = []

    def work(progress, cancelled):
        started.set()
        release.wait(5)
        return "stale rows"

    handle = tasks.run(work, on_done=results.append)
    assert started.wait(5)
    handle.cancel()
    release.set()
    with qtbot.waitSignal(handle.ended, timeout=5000):
        pass
    assert results == []
    tasks.shutdown()


def test_cooperative_cancel_stops_a_long_task(qtbot, qapp):
    tasks = Tasks()
    steps = []
    started = threading.Event()

    def work(progress, cancelled):
        for i in range(10_000):
            started.set()
            if cancelled():
                raise Cancelled()
            steps.append(i)
            threading.Event().wait(0.001)
        return "finished"

    errors, results = [], []
    handle = tasks.run(work, on_done=results.append, on_error=errors.append)
    assert started.wait(5)
    handle.cancel()
    with qtbot.waitSignal(handle.ended, timeout=5000):
        pass
    assert len(steps) < 10_000 and results == [] and errors == []
    tasks.shutdown()


def test_errors_come_back_as_chinese_messages(qapp):
    tasks = SyncTasks()
    shown = []
    tasks.failed.connect(shown.append)

    def bad(progress, cancelled):
        raise WeibaoError("身份证号校验位不正确", "id_number")

    tasks.run(bad)
    assert shown == ["身份证号校验位不正确"]

    caught = []
    tasks.run(lambda p, c: 1 / 0, on_error=caught.append)
    assert isinstance(caught[0], ZeroDivisionError)
    assert "数据没有被修改" in error_text(caught[0])


def test_sync_tasks_run_inside_run(qapp):
    tasks = SyncTasks()
    out = []
    progress = []
    tasks.run(lambda p, c: (p(1, 2), p(2, 2), "ok")[-1], on_done=out.append,
              on_progress=lambda d, t, s: progress.append((d, t)))
    assert out == ["ok"]
    assert progress[-1] == (2, 2)
    assert not tasks.is_busy()


def test_progress_dialog_cancel_button_cancels(qtbot, qapp):
    tasks = Tasks()
    release = threading.Event()

    def work(progress, cancelled):
        while not cancelled() and not release.is_set():
            progress(1, 10, "处理中")
            threading.Event().wait(0.01)
        return "done"

    from PySide6.QtWidgets import QPushButton, QWidget

    from weibao_desktop.ui.tasks import TaskProgressDialog

    parent = QWidget()
    qtbot.addWidget(parent)
    handle = tasks.run(work, label="正在导出…", parent=parent)
    dialog = parent.findChild(TaskProgressDialog)
    button = dialog.findChild(QPushButton)
    assert button.text() == "取消"
    button.click()
    with qtbot.waitSignal(handle.ended, timeout=5000):
        pass
    assert handle.is_cancelled()
    assert handle.result == "done"  # the worker noticed and stopped
    release.set()
    tasks.shutdown()


def test_a_write_that_finished_after_cancel_still_delivers_what_it_did(qtbot, qapp):
    """取消 pressed while a write was already committing: the window must still hear what changed."""
    tasks = Tasks()
    started, release = threading.Event(), threading.Event()
    results = []

    def write(progress, cancelled):
        started.set()
        release.wait(5)
        return "restored"  # never looked at cancelled(): it committed

    handle = tasks.run(write, on_done=results.append, write=True)
    assert started.wait(5)
    handle.cancel()
    release.set()
    with qtbot.waitSignal(handle.ended, timeout=5000):
        pass
    assert results == ["restored"]
    tasks.shutdown()


def test_the_main_window_does_not_close_while_a_write_runs(qtbot, ws, answers):
    from weibao_desktop.ui.main_window import MainWindow

    tasks = Tasks()
    window = MainWindow(ws, tasks)
    qtbot.addWidget(window)
    window.show()
    started, release = threading.Event(), threading.Event()
    handle = tasks.run(lambda progress, cancelled: (started.set(), release.wait(10)), write=True)
    assert started.wait(5)
    window.close()
    assert window.isVisible() and any("请等它完成" in text for text in answers.messages())
    release.set()
    with qtbot.waitSignal(handle.ended, timeout=5000):
        pass
    window.close()
    assert not window.isVisible()
