"""登记建档 through the real form on a real store: typed as a worker types, checked as a worker would."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from ui_typing import choose, retype, show_active, type_text

from weibao_desktop.domain.idnumber import make_id_number
from weibao_desktop.services.dto import ChildQuery
from weibao_desktop.ui.child_form import OPEN_EXISTING, ChildForm

BIRTH = dt.date(2015, 3, 1)
GOOD_ID = make_id_number("430104", BIRTH, 11)  # 11: odd sequence, a boy
BAD_ID = GOOD_ID[:-1] + ("0" if GOOD_ID[-1] != "0" else "1")


def open_form(qtbot, ws, tasks, **kw) -> ChildForm:
    return show_active(qtbot, ChildForm(ws, tasks, **kw))


def count_children(ws) -> int:
    return ws.children.page(ChildQuery(status=None)).total


def test_new_file_typed_in_with_a_bad_then_a_good_id_number(qtbot, ws, tasks):
    form = open_form(qtbot, ws, tasks)
    b = form.basic
    type_text(b.editor("name"), "王小明")
    choose(b.editor("sex"), "男")
    qtbot.keyClicks(b.editor("birth_date").edit, "2015-03-01")
    qtbot.keyClicks(b.editor("id_number"), BAD_ID)
    # The checksum is checked as soon as the 18th character is typed.
    assert b.field_error("id_number") == "身份证号校验位不正确，请逐位核对（可能有数字录错）"
    qtbot.mouseClick(form.save_button, Qt.LeftButton)
    assert form.result() != QDialog.Accepted and count_children(ws) == 0
    assert b.field_error("id_number") == "身份证号校验位不正确，请逐位核对（可能有数字录错）"

    retype(b.editor("id_number"), GOOD_ID)
    assert b.field_error("id_number") is None
    assert "2015-03-01 出生，男" in form.id_hint_text.text()
    choose(form.village, "西村")
    type_text(b.editor("residence_address"), "西村三组12号")
    form.tabs.setCurrentIndex(1)
    form.categories.boxes["left_behind"].click()
    form.tabs.setCurrentIndex(2)
    father = form.people[0].form
    type_text(father.editor("name"), "王大山")
    qtbot.keyClicks(father.editor("phone"), "13900001111")
    choose(father.editor("status"), "外出务工")
    type_text(father.editor("work_place"), "广东省东莞市")

    qtbot.keyClick(form.focusWidget(), Qt.Key_S, Qt.ControlModifier)
    assert form.result() == QDialog.Accepted
    child = ws.children.get(form.saved_uuid)
    assert (child.name, child.sex, child.birth_date, child.id_number) == ("王小明", "M", BIRTH, GOOD_ID)
    assert child.village == "西村" and child.residence_address == "西村三组12号"
    assert [c.category for c in child.categories] == ["left_behind"]
    assert [(p.relation, p.name, p.phone, p.status) for p in child.people] == [
        ("father", "王大山", "13900001111", "migrant")]


def test_birth_date_and_sex_are_offered_from_the_id_number_and_mismatches_named(qtbot, ws, tasks):
    form = open_form(qtbot, ws, tasks)
    b = form.basic
    type_text(b.editor("name"), "李思")
    qtbot.keyClicks(b.editor("id_number"), GOOD_ID)
    choose(b.editor("sex"), "女")
    assert b.field_error("id_number") == "性别“女”与身份证号（第17位表示男）不一致。请核对身份证号或出生日期、性别"
    assert form.fill_button.isVisible()
    qtbot.mouseClick(form.fill_button, Qt.LeftButton)
    assert b.editor("birth_date").date() == BIRTH and b.value("sex") == "M"
    assert b.field_error("id_number") is None and not form.fill_button.isVisible()
    qtbot.mouseClick(form.save_button, Qt.LeftButton)
    assert form.result() == QDialog.Accepted
    assert ws.children.get(form.saved_uuid).birth_date == BIRTH


def test_required_fields_and_future_dates_are_refused_in_place(qtbot, ws, tasks):
    form = open_form(qtbot, ws, tasks)
    b = form.basic
    qtbot.mouseClick(form.save_button, Qt.LeftButton)
    assert b.field_error("name") == "请填写姓名"
    assert form.focusWidget() is b.editor("name")
    type_text(b.editor("name"), "赵一")
    assert b.field_error("name") is None
    choose(b.editor("sex"), "女")
    qtbot.keyClicks(b.editor("birth_date").edit, "2030-01-01")
    b.editor("birth_date").edit.editingFinished.emit()
    assert b.field_error("birth_date") == "出生日期（2030-01-01）不能晚于今天"
    qtbot.mouseClick(form.save_button, Qt.LeftButton)
    assert count_children(ws) == 0


def test_a_parents_bad_phone_is_shown_on_the_parent_not_the_child(qtbot, ws, tasks):
    form = open_form(qtbot, ws, tasks)
    b = form.basic
    type_text(b.editor("name"), "钱二")
    qtbot.keyClicks(b.editor("id_number"), GOOD_ID)
    qtbot.mouseClick(form.fill_button, Qt.LeftButton)
    form.tabs.setCurrentIndex(2)
    mother = form.people[1].form
    type_text(mother.editor("name"), "孙梅")
    qtbot.keyClicks(mother.editor("phone"), "12345")
    qtbot.mouseClick(form.save_button, Qt.LeftButton)
    assert mother.field_error("phone") == "联系电话“12345”格式不正确（手机号11位，或带区号的座机号）"
    assert b.field_error("contact_phone") is None
    assert form.tabs.currentIndex() == 2 and count_children(ws) == 0


def test_an_existing_file_is_offered_instead_of_a_duplicate(qtbot, ws, tasks, make_child):
    existing = make_child(name="周五", sex="M", birth_date=BIRTH, id_number=GOOD_ID)
    form = open_form(qtbot, ws, tasks)
    b = form.basic
    type_text(b.editor("name"), "周伍")  # the same child, the name written differently
    qtbot.keyClicks(b.editor("id_number"), GOOD_ID)
    qtbot.mouseClick(form.fill_button, Qt.LeftButton)
    qtbot.mouseClick(form.save_button, Qt.LeftButton)
    masked = GOOD_ID[:6] + "********" + GOOD_ID[-4:]
    assert form.banner.text() == f"身份证号{masked}已有档案：周五。请打开已有档案，不要重复建档。"
    assert form.open_button.isVisible() and count_children(ws) == 1
    with qtbot.waitSignal(form.open_existing) as sig:
        qtbot.mouseClick(form.open_button, Qt.LeftButton)
    assert sig.args == [existing.uuid]
    assert form.result() == OPEN_EXISTING and form.existing_uuid == existing.uuid
    assert count_children(ws) == 1


def test_same_name_and_birth_date_can_be_confirmed_as_a_different_child(qtbot, ws, tasks, make_child):
    make_child(name="吴六", sex="F", birth_date=BIRTH, id_number=None)
    form = open_form(qtbot, ws, tasks)
    b = form.basic
    type_text(b.editor("name"), "吴六")
    choose(b.editor("sex"), "女")
    qtbot.keyClicks(b.editor("birth_date").edit, "2015-03-01")
    qtbot.mouseClick(form.save_button, Qt.LeftButton)
    assert form.banner.text().startswith("已有同名同出生日期的档案：吴六，2015-03-01")
    assert form.same_person_button.isVisible()
    qtbot.mouseClick(form.same_person_button, Qt.LeftButton)
    assert form.result() == QDialog.Accepted and count_children(ws) == 2


def test_editing_a_file_saves_the_change_and_refuses_a_stale_copy(qtbot, ws, tasks, make_child, as_user):
    child = make_child(name="郑七", residence_address="东村")
    form = open_form(qtbot, ws, tasks, child_uuid=child.uuid)
    assert form.windowTitle() == "编辑儿童档案：郑七"
    assert form.basic.value("residence_address") == "东村" and form.tabs.count() == 1
    retype(form.basic.editor("residence_address"), "南村五组")
    qtbot.mouseClick(form.save_button, Qt.LeftButton)
    assert form.result() == QDialog.Accepted
    assert ws.children.get(child.uuid).residence_address == "南村五组"
    changes = [(c.field_label, c.old, c.new) for c in ws.children.history(child.uuid) if c.field != "*"]
    assert changes == [("现居住地", "东村", "南村五组")]

    stale = open_form(qtbot, ws, tasks, child_uuid=child.uuid)
    as_user("李四").children.update(child.uuid, {"school_name": "中心小学"})
    retype(stale.basic.editor("residence_address"), "北村")
    qtbot.mouseClick(stale.save_button, Qt.LeftButton)
    banner = stale.banner.text()
    assert banner.startswith("没有保存：您打开郑七的档案之后，李四于") and "就读学校：（空） → 中心小学" in banner
    assert ws.children.get(child.uuid).residence_address == "南村五组"
