"""First start: the station set-up dialog does what `weibao init` does, with Chinese errors in place."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from ui_typing import type_text

import rawdb
from weibao_desktop.ui.first_run import FirstRunDialog


def test_first_run_dialog_creates_the_station(qtbot, store, bare_ws, clock):
    assert not bare_ws.stations.has_station()
    dialog = FirstRunDialog(store, today=clock)
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(dialog.name, "城关镇")
    type_text(dialog.code, "43010400100")  # eleven digits
    type_text(dialog.villages, "东村、西村")
    qtbot.keyClick(dialog.villages, Qt.Key_Return)  # one a line works too
    type_text(dialog.villages, "南村")
    type_text(dialog.user, "陈站长")
    dialog.accept()
    assert dialog.result() != QDialog.Accepted
    assert "区划代码应为12位数字" in dialog.error.text()
    assert not bare_ws.stations.has_station()

    type_text(dialog.code, "0")
    dialog.accept()
    assert dialog.result() == QDialog.Accepted
    info = bare_ws.stations.info()
    assert (info.name, info.code) == ("城关镇", "430104001000")
    assert [v.name for v in info.villages] == ["东村", "南村", "西村"]  # pinyin order
    assert [u.name for u in bare_ws.stations.users()] == ["陈站长"]
    assert dialog.workstation.actor.name == "陈站长"


def test_first_run_needs_a_name_for_the_operator(qtbot, store, bare_ws, clock):
    dialog = FirstRunDialog(store, today=clock)
    qtbot.addWidget(dialog)
    type_text(dialog.name, "城关镇")
    type_text(dialog.code, "430104001000")
    dialog.accept()
    assert dialog.error.text() == "请填写您的姓名"
    assert not bare_ws.stations.has_station()


def test_an_up_to_date_store_opens_without_loading_alembic(tmp_path, _migrated_template):
    """Start-up skips the migration machinery when the store is already at the newest revision."""
    import subprocess
    import sys

    rawdb.copy_store(_migrated_template, tmp_path / "weibao.sqlite3")
    code = ("import sys; from weibao_desktop.models.store import open_store; open_store(sys.argv[1]); "
            "print('alembic' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_start_opens_the_main_window_as_the_named_user(qtbot, ws, qt_settings, add_account):
    from weibao_desktop.ui.app import start

    add_account(ws.store, "陈站长")  # logged in with the suite's password (WEIBAO_PASSWORD)
    data_dir = ws.store.path.parent
    _app, window = start(data_dir, user="陈站长", start_page="children")
    qtbot.addWidget(window)
    try:
        qtbot.waitUntil(lambda: window.is_ready, timeout=10000)
        assert window.isVisible() and window.current_key() == "children"
        assert window.ws.actor.name == "陈站长"
        assert window.user_label.text() == "操作人：陈站长"
    finally:
        window.close()
        window.ws.store.dispose()


def test_start_on_an_empty_store_asks_for_the_station_first(qtbot, tmp_path, on_modal, qt_settings, monkeypatch):
    from weibao_desktop.ui.app import start

    monkeypatch.setenv("WEIBAO_USER", "陈站长")  # the new store's first admin

    def fill(dialog):
        type_text(dialog.name, "城关镇")
        type_text(dialog.code, "430104001000")
        assert dialog.user.text() == "陈站长"
        dialog.accept()

    seen = on_modal(fill)
    _app, window = start(tmp_path / "new-store")
    assert seen, "the first-run dialog appeared"
    qtbot.addWidget(window)
    try:
        assert window.ws.stations.info().name == "城关镇"
        assert window.ws.actor.name == "陈站长"
    finally:
        window.close()
        window.ws.store.dispose()


def test_a_damaged_store_at_start_is_moved_aside_and_the_newest_backup_offered(qtbot, ws, make_child, qt_settings,
                                                                               answers):
    from weibao_desktop.services.maintenance import backup
    from weibao_desktop.ui.app import start

    kept = make_child(name="备份里的")
    backup(ws.store)
    make_child(name="损坏前的")
    data_dir = ws.store.path.parent
    ws.store.dispose()
    for side in ("-wal", "-shm"):
        (data_dir / f"weibao.sqlite3{side}").unlink(missing_ok=True)
    (data_dir / "weibao.sqlite3").write_bytes(b"SQLite format 3\x00" + b"\xff" * 8192)  # a torn, unreadable file

    _app, window = start(data_dir)
    qtbot.addWidget(window)
    try:
        [asked] = [a for a in answers.asked if a[0] == "box"]
        assert "最新的可用备份" in asked[2]
        names = [window.ws.children.get(i).name for i in window.ws.children.search_ids()]
        assert kept.name in names and "损坏前的" not in names
        assert any(p.name.startswith("weibao.damaged-") for p in data_dir.iterdir())  # kept aside, not deleted
    finally:
        window.close()
        window.ws.store.dispose()


def test_start_warns_about_what_the_store_found(qtbot, ws, qt_settings, answers, monkeypatch):
    from weibao_desktop.models import store as store_module
    from weibao_desktop.ui.app import start

    monkeypatch.setattr(store_module, "network_filesystem", lambda folder: "cifs")  # no real share in CI
    data_dir = ws.store.path.parent
    ws.store.dispose()
    _app, window = start(data_dir)
    qtbot.addWidget(window)
    try:
        assert any(kind == "warning" and "网络" in text for kind, _title, text in answers.asked)
    finally:
        window.close()
        window.ws.store.dispose()


def test_gui_screenshot_without_a_password_pictures_the_setup_then_the_login_and_changes_nothing(
        qtbot, tmp_path, qt_settings, monkeypatch):
    """`weibao gui --screenshot` as an installed program's check (tests/installer/test_deb.py runs the installed
    one): no password given, the first window shown, the setup on an empty folder and the login window after."""
    from PySide6.QtGui import QImage

    from weibao_desktop.ui.app import run
    from weibao_desktop.vault.login import login

    monkeypatch.delenv("WEIBAO_PASSWORD", raising=False)
    monkeypatch.delenv("WEIBAO_USER", raising=False)
    folder = tmp_path / "station"
    assert run(folder, screenshot=tmp_path / "setup.png") == 0
    assert QImage(str(tmp_path / "setup.png")).height() > 300  # the setup form, with its village box
    assert not folder.exists() or not any(folder.iterdir())  # cancelled: no store was made
    login(folder, user="陈站长", password="synthetic-pass-2026").store.dispose()  # as `weibao init` makes it
    before = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    assert run(folder, screenshot=tmp_path / "login.png") == 0
    shot = QImage(str(tmp_path / "login.png"))
    assert 0 < shot.height() < 300 and shot.width() > 250  # the login window, not the setup form
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == before
