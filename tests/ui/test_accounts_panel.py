"""设置 → 账号: an admin adds, resets, unlocks and deactivates accounts; what they add can log in."""
from __future__ import annotations

from PySide6.QtCore import Qt
from ui_typing import type_text

from factories import TEST_PASSWORD
from weibao_desktop.services.base import Actor
from weibao_desktop.ui.settings_view import SettingsView
from weibao_desktop.vault.keyfile import keys_path
from weibao_desktop.vault.login import AccountLocked, Credentials, LoginError, login, unlock


class NoWait:
    def now(self):
        import datetime as dt

        return dt.datetime.now(dt.UTC)

    def sleep(self, seconds: float) -> None:
        pass


def select(view, name: str) -> None:
    view.accounts.table.selectRow(view.accounts.names().index(name))


def test_an_admin_adds_a_director_who_can_then_log_in(qtbot, ws, tasks, make_child, village_ids, answers):
    east = make_child(village_id=village_ids["东村"])
    make_child(village_id=village_ids["西村"])
    view = SettingsView(ws, tasks)
    qtbot.addWidget(view)
    panel = view.accounts
    assert panel is not None
    type_text(panel.name, "赵主任")
    panel.role.setCurrentIndex(panel.role.findData("director"))
    type_text(panel.password, "zhaozhuren-1")
    qtbot.mouseClick(panel.add_button, Qt.LeftButton)
    assert "请为儿童主任勾选负责的村(社区)" in panel.error.text()
    panel.villages.findItems("东村", Qt.MatchExactly)[0].setCheckState(Qt.Checked)
    qtbot.mouseClick(panel.add_button, Qt.LeftButton)
    assert "已添加账号“赵主任”" in answers.messages()[-1]
    row = panel.names().index("赵主任")
    assert [panel.table.item(row, c).text() for c in range(4)] == ["赵主任", "儿童主任", "东村", "正常"]

    logged = login(ws.store.path.parent, user="赵主任", password="zhaozhuren-1")
    try:
        from weibao_desktop.services import Workstation

        director = Workstation(logged.store, logged.actor)
        assert [director.children.get(i).uuid for i in director.children.search_ids()] == [east.uuid]
    finally:
        logged.store.dispose()


def test_reset_unlock_and_deactivate(qtbot, ws, tasks, add_account, answers):
    add_account(ws.store, "钱督导")
    keys = keys_path(ws.store.path)
    for _ in range(5):
        try:
            unlock(keys, Credentials("钱督导", "错误的密码"), NoWait())
        except LoginError:
            pass
    view = SettingsView(ws, tasks)
    qtbot.addWidget(view)
    panel = view.accounts
    row = panel.names().index("钱督导")
    assert panel.table.item(row, 3).text().startswith("已锁定")

    select(view, "钱督导")
    qtbot.mouseClick(panel.unlock_button, Qt.LeftButton)
    assert panel.table.item(panel.names().index("钱督导"), 3).text() == "正常"
    unlock(keys, Credentials("钱督导", TEST_PASSWORD), NoWait())

    select(view, "钱督导")
    answers.texts.append("qian-xinmima")
    qtbot.mouseClick(panel.reset_button, Qt.LeftButton)
    assert "密码已重置" in answers.messages()[-1]
    unlock(keys, Credentials("钱督导", "qian-xinmima"), NoWait())

    select(view, "钱督导")
    answers.confirm(True)
    qtbot.mouseClick(panel.remove_button, Qt.LeftButton)
    assert "已停用" in answers.messages()[-1]
    assert panel.table.item(panel.names().index("钱督导"), 3).text() == "已停用"
    try:
        login(ws.store.path.parent, user="钱督导", password="qian-xinmima")
        raise AssertionError("a deactivated account logged in")
    except LoginError as e:
        assert not isinstance(e, AccountLocked)


def test_the_panel_is_only_for_admins(qtbot, ws, tasks, clock):
    from weibao_desktop.services import Workstation

    view = SettingsView(Workstation(ws.store, Actor("孙督导", "supervisor"), today=clock), tasks)
    qtbot.addWidget(view)
    assert view.accounts is None
