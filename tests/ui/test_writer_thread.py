"""No write runs on the GUI thread: with the real Tasks (worker threads, not SyncTasks), a visit saved while a
ledger import is running goes to the one writer thread, waits its turn there, and the window keeps drawing.

Every SQL statement that writes through the store's engine is recorded with the thread it ran on (an
SQLAlchemy event), and so are the calls of the two service methods that write here (the import's bulk path
writes below SQLAlchemy's events), so a write from the GUI thread fails the test. Nothing here measures
time: the proof is the order of events."""
from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QPushButton
from sqlalchemy import event
from ui_typing import type_text

import rawdb
from factories import OPERATOR, child_values
from weibao_desktop.models.store import DB_FILENAME, open_store
from weibao_desktop.services import Workstation
from weibao_desktop.ui.casework_dialogs import VisitDialog
from weibao_desktop.ui.main_window import MainWindow
from weibao_desktop.ui.tasks import Tasks

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


@pytest.fixture
def import_target(tmp_path, big_ws, _migrated_template, clock):
    """A 3,000-row children ledger exported from the demo store, and an empty store of the same station
    (so every row is new) holding one child of its own."""
    ledger = big_ws.ledger.export("children", tmp_path / "儿童台账.xlsx").path
    info = big_ws.stations.info()
    (tmp_path / "target").mkdir()
    rawdb.copy_store(_migrated_template, tmp_path / "target" / DB_FILENAME)
    store = open_store(tmp_path / "target")
    ws = Workstation(store, OPERATOR, today=clock)
    ws.stations.init(info.name, info.code, info.county, [v.name for v in info.villages])
    child = ws.children.create(child_values(name="等候保存"))
    yield ws, ledger, child
    store.dispose()


def test_a_visit_saved_during_a_ledger_import_waits_on_the_writer_and_the_window_keeps_drawing(
        qtbot, import_target, answers, monkeypatch):
    ws, ledger_file, child = import_target
    events: list[tuple[str, str, str]] = []  # (what, thread name, statement)
    main = threading.main_thread()
    importing = threading.Event()

    def watched(name: str, method, started: threading.Event | None = None):
        def call(*args, **kwargs):
            events.append(("call", threading.current_thread().name, name))
            assert threading.current_thread() is not main, f"{name} called on the GUI thread"
            if started is not None:
                started.set()
            return method(*args, **kwargs)
        return call

    monkeypatch.setattr(ws.ledger, "apply", watched("ledger.apply", ws.ledger.apply, importing))
    monkeypatch.setattr(ws.visits, "record", watched("visits.record", ws.visits.record))

    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        if statement.lstrip().upper().startswith(WRITES):
            events.append(("write", threading.current_thread().name, statement.split("(")[0].strip()))
            assert threading.current_thread() is not main, f"written on the GUI thread: {statement[:60]}"

    event.listen(ws.store.engine, "before_cursor_execute", record)
    tasks = Tasks()
    window = MainWindow(ws, tasks, start_page="exchange")
    qtbot.addWidget(window)
    window.show()
    ledger = window.pages["exchange"].ledger
    try:
        answers.open_file(ledger_file)
        qtbot.mouseClick(next(b for b in ledger.findChildren(QPushButton) if b.text() == "选择文件…"), Qt.LeftButton)
        qtbot.waitUntil(lambda: ledger.pages.currentIndex() == 1, timeout=60_000)
        assert ledger.tabs.tabText(0) == "新增（3000）"

        ticks = QTimer()
        ticks.setInterval(1)
        ticks.timeout.connect(lambda: events.append(("tick", "", "")))
        ticks.start()
        events.append(("import clicked", "", ""))
        qtbot.mouseClick(ledger.confirm_button, Qt.LeftButton)
        qtbot.waitUntil(importing.is_set, timeout=60_000)

        # While the import writes, the worker records a visit in a dialog and saves it.
        dialog = VisitDialog(ws, tasks, child.uuid, parent=window)
        dialog.show()
        type_text(dialog.texts.editor("living"), "祖母照料，生活正常")
        events.append(("save clicked", "", ""))
        qtbot.mouseClick(dialog.save_button, Qt.LeftButton)
        assert dialog.isVisible() and not dialog.save_button.isEnabled()  # dispatched; it waits for the writer
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=120_000)
        qtbot.waitUntil(lambda: ledger.pages.currentIndex() == 2, timeout=120_000)
        ticks.stop()
    finally:
        tasks.shutdown()
        event.remove(ws.store.engine, "before_cursor_execute", record)

    def first(kind: str, text: str = "") -> int:
        return next(i for i, (k, _t, s) in enumerate(events) if k == kind and s.startswith(text))

    import_clicked, save_clicked = first("import clicked"), first("save clicked")
    import_logged, visit_written = first("write", "INSERT INTO import_log"), first("write", "INSERT INTO visit")
    # Saved while the import ran, written after the import had finished: one writer, each in turn.
    assert import_clicked < first("call", "ledger.apply") < save_clicked < import_logged < visit_written
    assert first("call", "visits.record") > import_logged
    # The event loop kept running between the click on 确认导入 and the import's end (a write on the GUI
    # thread would have held every tick back until afterwards).
    assert any(kind == "tick" for kind, _t, _s in events[import_clicked:import_logged])
    assert {thread for kind, thread, _s in events if kind in ("write", "call")}.isdisjoint({main.name})
    assert ws.children.page().total == 3001
    assert ws.visits.for_child(child.uuid)[0].living == "祖母照料，生活正常"
