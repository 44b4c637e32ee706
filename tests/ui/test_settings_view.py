"""设置: the visit cadence moves due dates; villages and users are added with inline Chinese errors."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from ui_typing import type_text

from factories import FIXED_DATE
from weibao_desktop.ui.settings_view import SettingsView


def _view(qtbot, ws, tasks):
    view = SettingsView(ws, tasks)
    qtbot.addWidget(view)
    return view


def test_changing_the_cadence_moves_due_dates(qtbot, ws, tasks, make_child):
    child = make_child(name="郑蓝蓝")
    ws.assessments.assess(child.uuid, {"kind": "risk", "assessed_on": FIXED_DATE, "assessor": "王五",
                                       "result": "blue", "reason": "家庭稳定"})
    assert ws.children.get(child.uuid).next_visit_due == FIXED_DATE + dt.timedelta(days=90)
    view = _view(qtbot, ws, tasks)
    assert view.cadence["blue"].value() == 90
    changed = []
    tasks.did_change.connect(lambda changes, _initiator: changed.append(changes))
    view.cadence["blue"].setValue(60)
    qtbot.mouseClick(view.cadence_save, Qt.LeftButton)
    assert ws.children.get(child.uuid).next_visit_due == FIXED_DATE + dt.timedelta(days=60)
    assert ws.stations.info().cadence["blue"] == 60
    assert [(c.all_children, c.settings) for c in changed] == [(True, True)] and "已保存" in view.cadence_done.text()


def test_a_cadence_that_contradicts_the_colours_is_refused_in_place(qtbot, ws, tasks, make_child):
    child = make_child(name="郑蓝蓝")
    due = ws.children.get(child.uuid).next_visit_due
    view = _view(qtbot, ws, tasks)
    view.cadence["red"].setValue(40)  # red visited less often than yellow: refused
    view.save()  # Ctrl+S on this page
    assert view.cadence_error.isVisibleTo(view)
    assert "红 ≤ 橙 ≤ 黄 ≤ 蓝" in view.cadence_error.text()
    assert ws.stations.info().cadence["red"] == 7
    assert ws.children.get(child.uuid).next_visit_due == due


def test_adding_a_village_and_refusing_a_duplicate(qtbot, ws, tasks):
    view = _view(qtbot, ws, tasks)
    before = view.village_table.rowCount()
    type_text(view.village_name, "北村")
    qtbot.mouseClick(view.village_add, Qt.LeftButton)
    assert view.village_table.rowCount() == before + 1
    assert "北村" in [v.name for v in ws.stations.info().villages]
    type_text(view.village_name, "北村")
    qtbot.mouseClick(view.village_add, Qt.LeftButton)
    assert view.village_error.text() == "村(社区)“北村”已存在"
    assert view.village_table.rowCount() == before + 1


def test_accounts_are_added_in_the_accounts_panel_only(qtbot, ws, tasks):
    """No passwordless 用户 list any more: the 站长 manages accounts (with passwords) in 账号管理."""
    from PySide6.QtWidgets import QGroupBox

    view = _view(qtbot, ws, tasks)
    titles = [box.title() for box in view.findChildren(QGroupBox)]
    assert "用户" not in titles and view.accounts is not None
    assert not hasattr(view, "user_add")


def test_backups_in_settings_to_a_usb_folder_listed_checked_and_restored(qtbot, ws, tasks, make_child, tmp_path,
                                                                        answers):
    before = make_child(name="备份前的")
    view = _view(qtbot, ws, tasks)
    view.refresh()
    panel = view.backups
    qtbot.mouseClick(panel.backup_button, Qt.LeftButton)
    assert panel.table.rowCount() == 1 and panel.table.item(0, 3).text() == "完好", panel.status.text()
    usb = tmp_path / "U盘"
    usb.mkdir()
    answers.choose_folder(usb)
    qtbot.mouseClick(panel.usb_button, Qt.LeftButton)
    assert [p.name for p in usb.iterdir()][0].startswith("weibao.manual.") and "已检查完好" in panel.status.text()

    make_child(name="之后录入的")
    answers.confirm(False)  # 否: nothing happens
    qtbot.mouseClick(panel.restore_button, Qt.LeftButton)
    assert len(ws.children.search_ids()) == 2
    answers.confirm(True)
    qtbot.mouseClick(panel.restore_button, Qt.LeftButton)
    assert any("程序现在关闭" in text for text in answers.messages())
    from weibao_desktop.models.store import open_store
    from weibao_desktop.services import Workstation

    again = open_store(ws.store.path.parent)
    try:
        names = [Workstation(again, "测试").children.get(i).name for i in Workstation(again, "测试").children.search_ids()]
        assert names == [before.name]
        assert any(p.name.startswith("weibao.replaced-") for p in ws.store.path.parent.iterdir())
    finally:
        again.dispose()
