"""Data entry as a station worker does it: the keyboard only, the id number doing the typing it can, every
problem shown at once under its field, 民族 from the list, required fields marked, babies' ages in months."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from ui_typing import choose, show_active, type_text

from factories import FIXED_DATE
from weibao_desktop.domain.idnumber import make_id_number
from weibao_desktop.services.dto import ChildQuery
from weibao_desktop.ui.child_form import ChildForm

BIRTH = dt.date(2015, 3, 1)
GIRL_ID = make_id_number("430104", BIRTH, 12)  # even sequence: a girl


def open_form(qtbot, ws, tasks) -> ChildForm:
    return show_active(qtbot, ChildForm(ws, tasks))


def count_children(ws) -> int:
    return ws.children.page(ChildQuery(status=None)).total


def test_typing_a_valid_id_number_fills_birth_date_and_sex_at_once(qtbot, ws, tasks):
    form = open_form(qtbot, ws, tasks)
    b = form.basic
    assert b.editor("birth_date").text() == "" and b.value("sex") is None
    qtbot.keyClicks(b.editor("id_number"), GIRL_ID)
    assert b.editor("birth_date").text() == "2015-03-01"
    assert b.editor("sex").currentText() == "女"
    assert b.field_error("id_number") is None and not form.fill_button.isVisible()


def test_enter_moves_to_the_next_field_and_never_saves_ctrl_s_does(qtbot, ws, tasks):
    form = open_form(qtbot, ws, tasks)
    b = form.basic
    name = b.editor("name")
    type_text(name, "王小红")
    assert form.focusWidget() is name
    qtbot.keyClick(name, Qt.Key_Return)
    assert form.focusWidget() is not name and form.isVisible() and count_children(ws) == 0
    after_name = form.focusWidget()
    qtbot.keyClick(after_name, Qt.Key_Enter, Qt.KeypadModifier)  # the number pad's Enter too
    assert form.focusWidget() is not after_name and count_children(ws) == 0
    qtbot.keyClicks(b.editor("id_number"), GIRL_ID)
    qtbot.keyClick(b.editor("id_number"), Qt.Key_Return)
    assert form.isVisible() and count_children(ws) == 0
    qtbot.keyClick(form.focusWidget(), Qt.Key_S, Qt.ControlModifier)
    assert form.result() == QDialog.Accepted and count_children(ws) == 1
    saved = ws.children.get(form.saved_uuid)
    assert (saved.name, saved.sex, saved.birth_date) == ("王小红", "F", BIRTH)


def test_every_problem_is_shown_at_once_under_its_own_field(qtbot, ws, tasks):
    form = open_form(qtbot, ws, tasks)
    b = form.basic
    qtbot.keyClicks(b.editor("contact_phone"), "12345")
    qtbot.keyClicks(b.editor("birth_date").edit, "2030-01-01")
    form.tabs.setCurrentIndex(2)
    father = form.people[0].form
    qtbot.keyClicks(father.editor("phone"), "999")
    qtbot.mouseClick(form.save_button, Qt.LeftButton)
    assert b.field_error("name") == "请填写姓名"
    assert b.field_error("sex") == "请填写性别"
    assert b.field_error("birth_date") == "出生日期（2030-01-01）不能晚于今天"
    assert b.field_error("contact_phone") == "联系电话“12345”格式不正确（手机号11位，或带区号的座机号）"
    assert father.field_error("phone") == "联系电话“999”格式不正确（手机号11位，或带区号的座机号）"
    # The first problem is where the worker starts: the child's name, on the first tab.
    assert form.tabs.currentIndex() == 0 and form.focusWidget() is b.editor("name")
    assert count_children(ws) == 0


def test_required_fields_are_marked_with_a_star(qtbot, ws, tasks):
    form = open_form(qtbot, ws, tasks)
    marked = {n for n, f in form.basic.fields.items() if f.label.text().startswith("<span")}
    assert marked == {"name", "sex", "birth_date"}


def test_ethnicity_is_chosen_from_the_56_by_typing_and_written_in_full(qtbot, ws, tasks):
    form = open_form(qtbot, ws, tasks)
    b = form.basic
    combo = b.editor("ethnicity")
    assert combo.count() == 1 + 56 + 2  # empty, the 56, and the standard's two others
    type_text(combo.lineEdit(), "土")
    completer = combo.completer()
    shown = {completer.completionModel().index(i, 0).data() for i in range(completer.completionCount())}
    assert shown == {"土家族", "土族"}
    combo.lineEdit().clear()
    type_text(combo.lineEdit(), "汉")
    combo.lineEdit().editingFinished.emit()  # leaving the field
    assert combo.currentText() == "汉族"
    type_text(b.editor("name"), "刘一")
    qtbot.keyClicks(b.editor("id_number"), GIRL_ID)
    qtbot.keyClick(form.focusWidget(), Qt.Key_S, Qt.ControlModifier)
    assert ws.children.get(form.saved_uuid).ethnicity == "汉族"


def test_an_unknown_ethnicity_is_named_under_the_field(qtbot, ws, tasks):
    form = open_form(qtbot, ws, tasks)
    b = form.basic
    type_text(b.editor("name"), "刘二")
    qtbot.keyClicks(b.editor("id_number"), GIRL_ID)
    type_text(b.editor("ethnicity").lineEdit(), "火星族")
    qtbot.mouseClick(form.save_button, Qt.LeftButton)
    assert b.field_error("ethnicity").startswith("民族“火星族”不在56个民族名称中")
    assert count_children(ws) == 0


def test_villages_are_offered_in_pinyin_order(qtbot, ws, tasks):
    form = open_form(qtbot, ws, tasks)
    names = [form.village.itemText(i) for i in range(1, form.village.count())]
    assert names == ["东村", "南村", "西村"]  # dong < nan < xi


def test_the_assessment_reason_is_marked_required_when_the_colour_changes(qtbot, ws, tasks, make_child):
    from weibao_desktop.ui.assessment_dialog import AssessmentDialog

    child = make_child()
    dialog = show_active(qtbot, AssessmentDialog(ws, tasks, child.uuid))
    reason = dialog.form.fields["reason"].label
    assert not reason.text().startswith("<span")
    choose(dialog.colour_combo, "黄")
    assert reason.text().startswith("<span") and "评估理由" in reason.text()


def test_a_baby_is_seven_months_old_not_zero_in_the_list_and_the_file(qtbot, ws, tasks, make_child):
    from PySide6.QtWidgets import QLabel

    from weibao_desktop.ui.child_file import ChildFile
    from weibao_desktop.ui.children_model import COLUMN_INDEX
    from weibao_desktop.ui.children_view import ChildrenView

    assert FIXED_DATE == dt.date(2024, 6, 14)
    born = dt.date(2023, 11, 14)  # seven months to the day
    baby = make_child(name="小宝", birth_date=born)
    view = ChildrenView(ws, tasks)
    qtbot.addWidget(view)
    cell = view.model.index(0, COLUMN_INDEX["birth_date"]).data()
    assert cell == f"{born:%Y-%m-%d}（7个月）"
    window = ChildFile(ws, tasks, baby.uuid)
    qtbot.addWidget(window)
    texts = " ".join(label.text() for label in window.findChildren(QLabel))
    assert "7个月" in texts and "0岁" not in texts
