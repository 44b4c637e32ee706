"""The child file: tabs, history after an edit, closing with a reason, and finding the closed file again."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from ui_typing import choose, retype, type_text

from weibao_desktop.domain.idnumber import mask_id_number
from weibao_desktop.ui.child_file import TAB_TITLES, ChildFile, CloseFileDialog
from weibao_desktop.ui.children_model import COLUMN_INDEX
from weibao_desktop.ui.children_view import ChildrenView


def _file(qtbot, ws, tasks, uuid):
    win = ChildFile(ws, tasks, uuid)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_file_shows_every_tab_and_masks_the_id_number(qtbot, ws, tasks, make_child):
    child = make_child(name="李小花", contact_phone="13800001111")
    win = _file(qtbot, ws, tasks, child.uuid)
    assert [win.tabs.tabText(i) for i in range(win.tabs.count())] == list(TAB_TITLES)
    assert win.title.text() == "李小花"
    assert win.chip.text() == "未评估"
    assert win._id_label.text() == mask_id_number(child.id_number)
    assert child.id_number not in win._id_label.text()
    for i in range(win.tabs.count()):  # every tab fills without an error
        win.tabs.setCurrentIndex(i)


def test_history_tab_after_an_edit_names_who_changed_what(qtbot, ws, tasks, make_child, as_user):
    child = make_child(name="李小花", residence_address="东村3组")
    as_user("王主任").children.update(child.uuid, {"residence_address": "西村5组"})
    win = _file(qtbot, ws, tasks, child.uuid)
    win.tabs.setCurrentIndex(TAB_TITLES.index("变更记录"))
    model = win.history.model
    rows = [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]
    change = next(r for r in rows if r[3] == "现居住地")
    assert change[1:] == ["王主任", "基本信息", "现居住地", "东村3组", "西村5组"]
    assert rows[-1][3] == "新建"  # the story starts with the file being opened


def test_history_after_editing_through_the_form(qtbot, ws, tasks, make_child, on_modal):
    child = make_child(name="李小花", residence_address="东村3组")
    win = _file(qtbot, ws, tasks, child.uuid)

    def edit(form):
        retype(form.basic.editor("residence_address"), "西村5组")
        qtbot.mouseClick(form.save_button, Qt.LeftButton)

    changed = []
    tasks.did_change.connect(lambda changes, _initiator: changed.append(changes))
    seen = on_modal(edit)
    qtbot.mouseClick(win.edit_button, Qt.LeftButton)
    assert seen, "the edit form opened"
    assert [c.children for c in changed] == [{child.uuid}]
    assert ws.children.get(child.uuid).residence_address == "西村5组"
    win.tabs.setCurrentIndex(TAB_TITLES.index("变更记录"))
    rows = [[win.history.model.index(r, c).data() for c in (3, 4, 5)] for r in range(win.history.model.rowCount())]
    assert ["现居住地", "东村3组", "西村5组"] in rows


def test_closing_asks_for_a_reason_and_the_file_stays_findable(qtbot, ws, tasks, make_child, on_modal):
    child = make_child(name="赵销档")
    other = make_child(name="钱在册")
    win = _file(qtbot, ws, tasks, child.uuid)

    def refuse_then_close(dialog: CloseFileDialog):
        qtbot.mouseClick(dialog.confirm_button, Qt.LeftButton)  # no reason chosen yet
        assert dialog.isVisible() and "请选择销档原因" in dialog.error.text()
        assert ws.children.get(child.uuid).status == "active"
        choose(dialog.reason, "迁出本辖区")
        type_text(dialog.note, "随父母迁往长沙")
        qtbot.mouseClick(dialog.confirm_button, Qt.LeftButton)

    seen = on_modal(refuse_then_close)
    qtbot.mouseClick(win.close_button, Qt.LeftButton)
    assert seen
    closed = ws.children.get(child.uuid)
    assert (closed.status, closed.closed_reason, closed.closed_note) == ("closed", "moved", "随父母迁往长沙")
    assert win.close_button.text() == "恢复在册…"
    assert "已销档" in win.summary.text()

    view = ChildrenView(ws, tasks)
    qtbot.addWidget(view)
    names = lambda: [view.model.row_at(i).name for i in range(view.model.rowCount())]  # noqa: E731
    assert names() == ["钱在册"]  # the default list shows files in the register
    view.status.setCurrentIndex(view.status.findText("已销档"))
    assert names() == ["赵销档"]
    view.status.setCurrentIndex(view.status.findText("全部档案"))
    type_text(view.search, "赵销")
    assert names() == ["赵销档"]
    assert view.model.index(0, COLUMN_INDEX["status"]).data() == "已销档"
    assert other.uuid != child.uuid


def test_reopening_a_closed_file(qtbot, ws, tasks, make_child, answers):
    child = make_child(name="赵销档")
    ws.children.close(child.uuid, "moved", "迁出")
    win = _file(qtbot, ws, tasks, child.uuid)
    answers.confirm(False)
    qtbot.mouseClick(win.close_button, Qt.LeftButton)
    assert ws.children.get(child.uuid).status == "closed"  # 否: nothing changes
    answers.confirm(True)
    qtbot.mouseClick(win.close_button, Qt.LeftButton)
    assert answers.titles("question") == ["恢复在册", "恢复在册"]
    assert ws.children.get(child.uuid).status == "active"
    assert win.close_button.text() == "销档…"


def test_red_set_in_the_assessment_dialog_shows_in_the_file(qtbot, ws, tasks, make_child, on_modal):
    child = make_child(name="孙红红")
    win = _file(qtbot, ws, tasks, child.uuid)

    def assess(dlg):
        choose(dlg.colour_combo, "红")
        type_text(dlg.form.editor("reason"), "发现遭受家庭暴力")
        qtbot.mouseClick(dlg.red_defer, Qt.LeftButton)
        type_text(dlg.deferral, "等待派出所核实")
        qtbot.mouseClick(dlg.save_button, Qt.LeftButton)

    seen = on_modal(assess)
    qtbot.mouseClick(win.assess_button, Qt.LeftButton)
    assert seen and seen[0].result() == QDialog.Accepted
    assert win.chip.text() == "红色"
    assert "暂缓" in win.warning.text()
    win.tabs.setCurrentIndex(TAB_TITLES.index("评估与等级"))
    assert win.assessments.model.index(0, 2).data() == "红"
