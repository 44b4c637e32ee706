"""Casework dialogs on a real store: a visit moves the due date, red needs an action, referrals move on."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog
from ui_typing import choose, retype, show_active, type_text

from factories import FIXED_DATE, OPERATOR
from weibao_desktop.ui.casework_dialogs import (
    AssessmentDialog,
    CategoryDialog,
    ChildPicker,
    HelpDialog,
    PersonDialog,
    ReferralDialog,
    ReliefDialog,
    VisitDialog,
)

RED_REFUSED = "设为红色等级须同时登记帮扶措施或转介（心理干预、生活救助、法律援助、转学安置等），或写明暂缓的原因"


@pytest.fixture
def yellow_child(ws, make_child, clock):
    """A file opened on 2024-05-01 and assessed yellow that day: due 2024-05-31, overdue on the test day."""
    clock.set(dt.date(2024, 5, 1))
    child = make_child(name="李小花")
    ws.assessments.assess(child.uuid, {"kind": "risk", "assessed_on": dt.date(2024, 5, 1), "assessor": "王五",
                                       "result": "yellow", "reason": "父母外出务工"})
    clock.set(FIXED_DATE)
    return ws.children.get(child.uuid)


def save_by_keyboard(qtbot, dialog, keys=(Qt.Key_Return, Qt.ControlModifier)) -> None:
    qtbot.keyClick(QApplication.focusWidget() or dialog, *keys)


def test_visit_is_keyboard_first_and_moves_the_next_due_date(qtbot, ws, tasks, yellow_child):
    assert yellow_child.next_visit_due == dt.date(2024, 5, 31)  # 30 days from the yellow assessment: overdue
    dlg = show_active(qtbot, VisitDialog(ws, tasks, yellow_child.uuid))
    top = dlg.top
    assert top.editor("visited_on").date() == FIXED_DATE
    assert top.value("visitors") == OPERATOR and top.editor("mode").currentText() == "入户"
    assert top.editor("next_due_on").date() == FIXED_DATE + dt.timedelta(days=30)
    assert dlg.next_hint.text() == "按黄色等级每30天走访一次，可修改"

    # The worker types over the selected date; the proposal follows it.
    assert QApplication.focusWidget() is top.editor("visited_on").edit
    qtbot.keyClicks(top.editor("visited_on").edit, "2024-06-10")
    assert top.editor("next_due_on").date() == dt.date(2024, 7, 10)
    # Tab walks 走访方式 → 走访人 → 下次走访时间 → 生活情况, in reading order.
    order = []
    for _ in range(4):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Tab)
        order.append(QApplication.focusWidget())
    assert order == [top.editor("mode"), top.editor("visitors"), top.editor("next_due_on").edit,
                     dlg.texts.editor("living")]
    type_text(dlg.texts.editor("living"), "生活正常，祖母照料")
    save_by_keyboard(qtbot, dlg)

    assert dlg.result() == QDialog.Accepted
    child = ws.children.get(yellow_child.uuid)
    assert child.last_visit_on == dt.date(2024, 6, 10)
    assert child.next_visit_due == dt.date(2024, 7, 10)
    [visit] = ws.visits.for_child(child.uuid)
    assert (visit.visitors, visit.mode, visit.living) == (OPERATOR, "home", "生活正常，祖母照料")


def test_a_next_date_the_worker_chose_is_kept_and_saved(qtbot, ws, tasks, yellow_child):
    dlg = show_active(qtbot, VisitDialog(ws, tasks, yellow_child.uuid))
    retype(dlg.top.editor("next_due_on"), "2024-06-21")
    retype(dlg.top.editor("visited_on"), "2024-06-13")
    assert dlg.top.editor("next_due_on").date() == dt.date(2024, 6, 21)  # not overwritten
    type_text(dlg.texts.editor("health"), "身体健康")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key_S, Qt.ControlModifier)
    assert dlg.result() == QDialog.Accepted
    assert ws.children.get(yellow_child.uuid).next_visit_due == dt.date(2024, 6, 21)


def test_a_future_visit_date_is_refused_in_place_and_nothing_saved(qtbot, ws, tasks, yellow_child):
    dlg = show_active(qtbot, VisitDialog(ws, tasks, yellow_child.uuid))
    retype(dlg.top.editor("visited_on"), "2024-06-20")
    type_text(dlg.texts.editor("living"), "生活正常")
    qtbot.mouseClick(dlg.save_button, Qt.LeftButton)
    assert dlg.result() != QDialog.Accepted
    assert dlg.top.field_error("visited_on") == "走访日期（2024-06-20）不能晚于今天"
    assert ws.visits.for_child(yellow_child.uuid) == []


def test_editing_a_visit(qtbot, ws, tasks, yellow_child):
    v = ws.visits.record(yellow_child.uuid, {"visited_on": dt.date(2024, 6, 1), "visitors": "王五", "mode": "phone",
                                               "living": "电话里说一切正常"})
    dlg = show_active(qtbot, VisitDialog(ws, tasks, yellow_child.uuid, record_uuid=v.uuid))
    assert dlg.top.editor("mode").currentText() == "电话" and dlg.top.value("visitors") == "王五"
    choose(dlg.top.editor("mode"), "入户")
    qtbot.mouseClick(dlg.save_button, Qt.LeftButton)
    assert ws.visits.get(v.uuid).mode == "home"


def test_red_is_refused_without_an_action_then_accepted_with_a_help_measure(qtbot, ws, tasks, yellow_child):
    dlg = show_active(qtbot, AssessmentDialog(ws, tasks, yellow_child.uuid))
    assert not dlg.red_box.isVisible() and dlg.current_label.text() == "当前等级：黄（2024-05-01评定）"
    choose(dlg.colour_combo, "红")
    assert dlg.red_box.isVisible()
    type_text(dlg.form.editor("reason"), "发现遭受家庭暴力")
    qtbot.mouseClick(dlg.save_button, Qt.LeftButton)
    assert dlg.result() != QDialog.Accepted
    assert dlg.red_error.text() == RED_REFUSED and dlg.red_error.isVisible()
    assert ws.children.get(yellow_child.uuid).risk_colour == "yellow"
    assert len(ws.assessments.history(yellow_child.uuid)) == 1 and ws.help.for_child(yellow_child.uuid) == []

    qtbot.mouseClick(dlg.red_help, Qt.LeftButton)
    qtbot.mouseClick(dlg.save_button, Qt.LeftButton)
    assert dlg.help_form.field_error("kind") == "请填写帮扶措施"  # on the help form, not the assessment's 类型
    choose(dlg.help_form.editor("kind"), "心理疏导")
    type_text(dlg.help_form.editor("description"), "联系心理老师每周疏导")
    qtbot.mouseClick(dlg.save_button, Qt.LeftButton)

    assert dlg.result() == QDialog.Accepted
    child = ws.children.get(yellow_child.uuid)
    assert child.risk_colour == "red" and not child.needs_action
    [measure] = ws.help.for_child(child.uuid)
    assert (measure.kind, measure.state, measure.description) == ("psychological", "open", "联系心理老师每周疏导")
    latest = ws.assessments.history(child.uuid)[0]
    assert (latest.result, latest.reason) == ("red", "发现遭受家庭暴力")


def test_red_can_be_deferred_with_a_reason(qtbot, ws, tasks, yellow_child):
    dlg = show_active(qtbot, AssessmentDialog(ws, tasks, yellow_child.uuid))
    choose(dlg.colour_combo, "红")
    type_text(dlg.form.editor("reason"), "监护人失联")
    qtbot.mouseClick(dlg.red_defer, Qt.LeftButton)
    qtbot.mouseClick(dlg.save_button, Qt.LeftButton)
    assert dlg.deferral_error.text() == "请写明暂缓采取措施的原因"
    type_text(dlg.deferral, "等待县公安机关核实后转介")
    qtbot.mouseClick(dlg.save_button, Qt.LeftButton)
    assert dlg.result() == QDialog.Accepted
    child = ws.children.get(yellow_child.uuid)
    assert child.risk_colour == "red" and child.red_deferral == "等待县公安机关核实后转介"


def test_red_with_a_referral(qtbot, ws, tasks, yellow_child):
    dlg = show_active(qtbot, AssessmentDialog(ws, tasks, yellow_child.uuid))
    choose(dlg.colour_combo, "红")
    type_text(dlg.form.editor("reason"), "疑似被胁迫乞讨")
    qtbot.mouseClick(dlg.red_referral, Qt.LeftButton)
    choose(dlg.referral_form.editor("target"), "救助管理机构")
    qtbot.mouseClick(dlg.save_button, Qt.LeftButton)
    assert dlg.result() == QDialog.Accepted
    [ref] = ws.referrals.for_child(yellow_child.uuid)
    assert (ref.target, ref.state) == ("relief_agency", "referred")


def test_orange_needs_a_paired_helper_and_a_new_colour_a_reason(qtbot, ws, tasks, yellow_child):
    dlg = show_active(qtbot, AssessmentDialog(ws, tasks, yellow_child.uuid))
    choose(dlg.colour_combo, "橙")
    assert dlg.helper_box.isVisible() and not dlg.red_box.isVisible()
    qtbot.mouseClick(dlg.save_button, Qt.LeftButton)
    assert dlg.form.field_error("reason") == "改变风险等级须写明理由"
    type_text(dlg.form.editor("reason"), "母亲外出，祖母年老")
    qtbot.mouseClick(dlg.save_button, Qt.LeftButton)
    assert dlg.helper_form.field_error("paired_helper") == "橙色等级须指定“一对一”结对帮扶人"
    type_text(dlg.helper_form.editor("paired_helper"), "赵村主任")
    qtbot.mouseClick(dlg.save_button, Qt.LeftButton)
    assert dlg.result() == QDialog.Accepted
    child = ws.children.get(yellow_child.uuid)
    assert (child.risk_colour, child.paired_helper) == ("orange", "赵村主任")
    assert child.next_visit_due == dt.date(2024, 5, 8)  # weekly from the opening, as no visit yet: overdue


def test_a_saved_assessment_opens_read_only(qtbot, ws, tasks, yellow_child):
    [a] = ws.assessments.history(yellow_child.uuid)
    dlg = show_active(qtbot, AssessmentDialog(ws, tasks, yellow_child.uuid, record_uuid=a.uuid))
    assert dlg.colour_combo.currentText() == "黄" and not dlg.colour_combo.isEnabled()
    assert dlg.form.value("reason") == "父母外出务工" and not dlg.save_button.isVisible()


def test_referral_moves_through_its_states_with_feedback(qtbot, ws, tasks, yellow_child):
    dlg = show_active(qtbot, ReferralDialog(ws, tasks, yellow_child.uuid))
    choose(dlg.form.editor("target"), "公安机关")
    type_text(dlg.form.editor("target_name"), "城关派出所")
    type_text(dlg.form.editor("reason"), "疑似遭受家庭暴力")
    qtbot.mouseClick(dlg.save_button, Qt.LeftButton)
    assert dlg.result() == QDialog.Accepted
    [ref] = ws.referrals.for_child(yellow_child.uuid)
    assert (ref.state, ref.target_name, ref.handled_by) == ("referred", "城关派出所", OPERATOR)

    dlg = show_active(qtbot, ReferralDialog(ws, tasks, yellow_child.uuid, record_uuid=ref.uuid))
    combo = dlg.state_form.editor("state")
    assert [combo.itemText(i) for i in range(combo.count())] == ["（不改变）", "已接收", "已办结", "退回"]
    choose(combo, "退回")
    qtbot.mouseClick(dlg.save_button, Qt.LeftButton)
    assert dlg.state_form.field_error("feedback") == "退回的转介请填写退回原因"
    assert ws.referrals.for_child(yellow_child.uuid)[0].state == "referred"
    choose(combo, "已接收")
    type_text(dlg.state_form.editor("feedback"), "派出所已立案")
    qtbot.mouseClick(dlg.save_button, Qt.LeftButton)
    assert dlg.result() == QDialog.Accepted
    ref = ws.referrals.for_child(yellow_child.uuid)[0]
    assert (ref.state, ref.state_on, ref.feedback) == ("accepted", FIXED_DATE, "派出所已立案")


def test_help_person_category_and_relief_dialogs_save_through_the_services(qtbot, ws, tasks, yellow_child):
    uuid = yellow_child.uuid
    dlg = show_active(qtbot, HelpDialog(ws, tasks, uuid))
    choose(dlg.form.editor("kind"), "教育资助")
    qtbot.mouseClick(dlg.save_button, Qt.LeftButton)
    [h] = ws.help.for_child(uuid)
    assert (h.kind, h.state, h.started_on, h.responsible) == ("education", "open", FIXED_DATE, OPERATOR)
    dlg = show_active(qtbot, HelpDialog(ws, tasks, uuid, record_uuid=h.uuid))
    choose(dlg.form.editor("state"), "已完成")
    assert dlg.form.editor("ended_on").date() == FIXED_DATE
    type_text(dlg.form.editor("result"), "已发放助学金")
    qtbot.mouseClick(dlg.save_button, Qt.LeftButton)
    h = ws.help.for_child(uuid)[0]
    assert (h.state, h.ended_on, h.result) == ("done", FIXED_DATE, "已发放助学金")

    dlg = show_active(qtbot, PersonDialog(ws, tasks, uuid))
    choose(dlg.form.editor("relation"), "被委托人")
    type_text(dlg.form.editor("relation_detail"), "祖母")
    type_text(dlg.form.editor("name"), "刘桂英")
    qtbot.keyClicks(dlg.form.editor("phone"), "0731-8888888")
    qtbot.mouseClick(dlg.save_button, Qt.LeftButton)
    [p] = ws.children.get(uuid).people
    assert (p.relation, p.relation_detail, p.name, p.phone) == ("entrusted", "祖母", "刘桂英", "0731-8888888")

    dlg = show_active(qtbot, CategoryDialog(ws, tasks, uuid))
    qtbot.mouseClick(dlg.save_button, Qt.LeftButton)
    assert dlg.form.field_error("category") == "请填写类别"
    choose(dlg.form.editor("category"), "低保家庭儿童")
    qtbot.mouseClick(dlg.save_button, Qt.LeftButton)
    [m] = ws.children.get(uuid).categories
    assert (m.category, m.start_on, m.end_on) == ("dibao", FIXED_DATE, None)
    dlg = show_active(qtbot, CategoryDialog(ws, tasks, uuid, record_uuid=m.uuid))
    qtbot.mouseClick(dlg.save_button, Qt.LeftButton)
    assert ws.children.get(uuid).categories[0].end_on == FIXED_DATE

    dlg = show_active(qtbot, ReliefDialog(ws, tasks, uuid))
    choose(dlg.form.editor("kind"), "低保")
    type_text(dlg.form.editor("amount"), "每月300元")
    qtbot.mouseClick(dlg.save_button, Qt.LeftButton)
    [r] = ws.children.get(uuid).reliefs
    assert (r.kind, r.amount) == ("dibao", "每月300元")


def test_child_picker_finds_by_name_and_enter_chooses(qtbot, ws, tasks, make_child):
    make_child(name="王大宝")
    wanted = make_child(name="陈小雨")
    picker = show_active(qtbot, ChildPicker(ws))
    assert picker.list.count() == 2
    type_text(picker.search, "陈")
    assert picker.list.count() == 1 and picker.info.text() == "找到1名在册儿童"
    qtbot.keyClick(picker.search, Qt.Key_Return)
    assert picker.result() == QDialog.Accepted and picker.chosen_uuid == wanted.uuid
