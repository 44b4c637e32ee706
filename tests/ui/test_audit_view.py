"""The GUI by role: the head sees the 审计日志 page and a changed trail flagged red; a director is not offered
exchange, intake, the audit page or the full id number; 显示完整号码 is recorded in the trail."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

import rawdb
from weibao_desktop.services import Actor, Workstation
from weibao_desktop.ui.child_file import ChildFile
from weibao_desktop.ui.main_window import PAGES, MainWindow


def _window(qtbot, ws, tasks):
    win = MainWindow(ws, tasks)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def _offered(win) -> list[str]:
    return [win.nav.item(i).text() for i in range(win.nav.count()) if not win.nav.item(i).isHidden()]


def _reveal_button(win) -> QPushButton:
    return next(b for b in win.findChildren(QPushButton) if b.text() == "显示完整号码")


def test_the_head_reads_the_audit_trail_and_sees_when_it_was_changed(qtbot, ws, tasks, make_child, tmp_path):
    child = make_child()
    file = ChildFile(ws, tasks, child.uuid)
    qtbot.addWidget(file)
    file.show()
    qtbot.mouseClick(_reveal_button(file), Qt.LeftButton)
    assert file._id_label.text() == child.id_number
    ws.stations.set_cadence({"yellow": 20})

    win = _window(qtbot, ws, tasks)
    assert "审计日志" in _offered(win)
    page = win.show_page("audit")
    assert page.state.text() == "校验通过：共2条，记录完整"
    rows = [[page.table.model.index(r, c).data() for c in range(7)] for r in range(page.table.model.rowCount())]
    assert [r[4] for r in rows] == ["修改设置", "显示完整号码"]
    assert rows[1][5] == f"child:{child.uuid}" and child.name not in str(rows)
    page.grab().save(str(tmp_path / "audit.png"))

    with rawdb.connect(ws.store.path) as con:
        con.execute("UPDATE audit_log SET actor = '别人' WHERE seq = 1")
    qtbot.mouseClick(page.verify_button, Qt.LeftButton)
    assert page.state.text().startswith("审计日志已被改动：第1条被修改")


def test_a_director_is_not_offered_what_the_role_may_not_do(qtbot, ws, tasks, make_child):
    east = next(v.id for v in ws.stations.info().villages if v.name == "东村")
    child = make_child(village_id=east)
    director = Workstation(ws.store, Actor("李主任", "director", frozenset({"东村"})), today=ws.ctx.today)
    win = _window(qtbot, director, tasks)
    hidden = {"强制报告线索", "热线记录", "重大事项", "台账交换", "资格核查", "审计日志"}
    assert _offered(win) == [p.title for p in PAGES if p.title not in hidden]
    assert win.new_action.isEnabled() and not win.backup_action.isVisible()
    assert win.show_page("audit") is win.page("dashboard")  # asked for by key, it is still not shown
    settings = win.show_page("settings")
    assert not settings.cadence_save.isEnabled() and settings.accounts is None
    assert not settings.backups.isVisible()
    file = ChildFile(director, tasks, child.uuid)
    qtbot.addWidget(file)
    file.show()
    assert not _reveal_button(file).isVisible()
    assert "*" in file._id_label.text()


def test_a_viewer_reads_but_is_not_offered_changes(qtbot, ws, tasks, make_child):
    child = make_child()
    viewer = Workstation(ws.store, Actor("赵查看", "viewer"), today=ws.ctx.today)
    win = _window(qtbot, viewer, tasks)
    assert not win.new_action.isEnabled()
    assert "台账交换" not in _offered(win) and "审计日志" not in _offered(win)
    file = ChildFile(viewer, tasks, child.uuid)
    qtbot.addWidget(file)
    file.show()
    assert file.title.text() == child.name and file.print_button.isVisible()
    assert not any(b.isVisible() for b in (file.edit_button, file.visit_button, file.assess_button, file.close_button))
