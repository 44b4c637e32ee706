"""切换用户 and 修改密码 from the 文件 menu, as a person uses them."""
from __future__ import annotations

from PySide6.QtCore import Qt
from ui_typing import show_active, type_text

from factories import OPERATOR, TEST_PASSWORD
from weibao_desktop.services.accounts import AccountService
from weibao_desktop.ui.app import open_main_window
from weibao_desktop.ui.login_window import LoginWindow
from weibao_desktop.ui.session import ChangePasswordDialog, current_window
from weibao_desktop.vault.login import LoginError, login


def test_switching_to_a_director_shows_only_their_village(qtbot, ws, tasks, make_child, village_ids, on_modal):
    east = make_child(village_id=village_ids["东村"])
    make_child(village_id=village_ids["西村"])
    AccountService(ws.ctx).add("王主任", "director", TEST_PASSWORD, villages=["东村"])
    window = open_main_window(ws, tasks=tasks)
    qtbot.addWidget(window)
    window.show()

    def log_in(dialog):
        assert isinstance(dialog, LoginWindow) and dialog.windowTitle().endswith("切换用户")
        type_text(dialog.user, "王主任")
        type_text(dialog.password, "错的密码")
        qtbot.mouseClick(dialog.login_button, Qt.LeftButton)
        assert "密码不正确" in dialog.error.text()
        type_text(dialog.password, TEST_PASSWORD)
        qtbot.mouseClick(dialog.login_button, Qt.LeftButton)

    seen = on_modal(log_in)
    window.switch_user_action.trigger()
    assert seen
    new = current_window()
    qtbot.addWidget(new)
    try:
        assert new is not window and not window.isVisible() and new.isVisible()
        assert new.ws.actor.name == "王主任" and new.ws.actor.role == "director"
        assert new.user_label.text().startswith("操作人：王主任")
        assert [new.ws.children.get(i).uuid for i in new.ws.children.search_ids()] == [east.uuid]
    finally:
        new.close()
        new.ws.store.dispose()
    assert ("login_failed", "王主任") in [(e.action, e.actor) for e in ws.audit.entries()]


def test_switching_keeps_a_dialog_with_unsaved_input_when_the_user_keeps_filling_in(qtbot, ws, tasks, answers,
                                                                                     make_child):
    from weibao_desktop.ui.casework_dialogs import VisitDialog
    from weibao_desktop.ui.forms import DISCARD_TITLE

    child = make_child()
    window = open_main_window(ws, tasks=tasks)
    qtbot.addWidget(window)
    window.show()
    dialog = show_active(qtbot, VisitDialog(ws, tasks, child.uuid, parent=window))
    type_text(dialog.texts.editor("living"), "祖母照料")
    answers.discard(False)  # 放弃修改？ -> 继续填写
    window.switch_user_action.trigger()
    assert answers.titles("box") == [DISCARD_TITLE]
    assert window.isVisible() and dialog.isVisible() and dialog.texts.value("living") == "祖母照料"
    dialog.done(0)


def test_change_password_asks_the_old_one_and_the_new_one_twice(qtbot, ws, answers):
    dialog = ChangePasswordDialog(ws)
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(dialog.old, "不是原密码")
    type_text(dialog.new, "xin-mima-2026")
    type_text(dialog.again, "xin-mima-2026")
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.LeftButton)
    assert "原密码不正确" in dialog.error.text() and dialog.isVisible()

    type_text(dialog.old, TEST_PASSWORD)
    type_text(dialog.new, "xin-mima-2026")
    type_text(dialog.again, "xin-mima-2027")
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.LeftButton)
    assert "两次输入的新密码不一致" in dialog.error.text()

    type_text(dialog.again, "xin-mima-2026")
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.LeftButton)
    assert not dialog.isVisible() and "密码已修改" in answers.messages()[-1]
    data_dir = ws.store.path.parent
    try:
        login(data_dir, user=OPERATOR, password=TEST_PASSWORD)
        raise AssertionError("the old password still opens the store")
    except LoginError:
        pass
    login(data_dir, user=OPERATOR, password="xin-mima-2026").store.dispose()
