"""强制报告线索 through all four steps, and a hotline call turned into a clue, through the real pages."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from ui_typing import choose, on_next_modal, reactivate, retype, show_active, type_text

from factories import FIXED_DATE, OPERATOR
from weibao_desktop.domain.errors import WeibaoError
from weibao_desktop.ui.clues_view import CluesView
from weibao_desktop.ui.hotline_view import HotlineView


def button(widget, text: str) -> QPushButton:
    return next(b for b in widget.findChildren(QPushButton) if b.text() == text)


def test_a_clue_without_a_child_file_goes_through_all_four_steps_in_order(qtbot, ws, tasks):
    view = show_active(qtbot, CluesView(ws, tasks))
    assert view.list.model.rows == [] and not view.steps.next_box.isVisible()

    def receive(dialog):
        type_text(dialog.form.editor("child_name"), "刘小军")
        retype(dialog.form.editor("received_at"), "2024-06-13 09:30")
        choose(dialog.form.editor("source"), "学校报告")
        type_text(dialog.form.editor("reporter"), "中心小学班主任")
        type_text(dialog.form.editor("content"), "学生身上多处淤青，称被父亲殴打")
        dialog.form.editor("situations").boxes["abuse"].click()
        dialog.form.editor("reported_to").boxes["police"].click()
        type_text(dialog.form.editor("report_receiver"), "王警官")
        qtbot.mouseClick(dialog.save_button, Qt.LeftButton)  # a receiver but no 报案时间: said beside the field
        seen["error"] = dialog.form.field_error("reported_at")
        retype(dialog.form.editor("reported_at"), "2024-06-13 10:05")
        type_text(dialog.form.editor("receipt"), "城关派出所受案回执")
        qtbot.mouseClick(dialog.save_button, Qt.LeftButton)

    seen: dict = {}
    on_next_modal(receive)
    qtbot.mouseClick(view.list.new_button, Qt.LeftButton)
    reactivate(qtbot, view)  # the window manager gives the page back the keyboard
    assert seen["error"] == "已报案的，请填写报案时间"
    [row] = view.list.model.rows
    assert (row.child_name, row.child_uuid, row.state, row.received_by) == ("刘小军", None, "received", OPERATOR)
    assert (row.situations, row.reported_at, row.report_receiver, row.receipt) == (
        "abuse", dt.datetime(2024, 6, 13, 10, 5), "王警官", "城关派出所受案回执")
    steps = view.steps
    assert "（尚未建档）" in steps.title.text() and steps.link_button.isVisible()
    assert "情形：疑似家暴、欺凌、虐待、殴打" in steps.title.text() and "回执：城关派出所受案回执" in steps.title.text()
    assert steps.next_box.title() == "下一步：调查" and steps.advance_button.text() == "记录调查"

    # A step needs what was done, and cannot be dated before the step it follows.
    qtbot.mouseClick(steps.advance_button, Qt.LeftButton)
    assert steps.next_errors["text"].text() == "请填写调查情况"
    retype(steps.next_at, "2024-06-13 08:00")
    type_text(steps.next_text, "与派出所民警一同家访核实")
    qtbot.mouseClick(steps.advance_button, Qt.LeftButton)
    assert steps.next_errors["at"].text() == "调查时间不能早于上一步的时间"
    assert ws.clues.get(row.uuid).state == "received"

    for step, at, text in (
        ("调查", "2024-06-13 15:00", None),
        ("处置", "2024-06-13 17:30", "联系其祖母临时照料，公安机关已告诫其父"),
        ("反馈", "2024-06-14 10:00", "已向学校和县民政局反馈处置结果"),
    ):
        assert steps.next_box.title() == f"下一步：{step}"
        retype(steps.next_at, at)
        if text:
            type_text(steps.next_text, text)
        qtbot.keyClick(steps.next_text, Qt.Key_Return, Qt.ControlModifier)

    clue = ws.clues.get(row.uuid)
    assert clue.state == "closed"
    assert (clue.investigated_at, clue.handled_at, clue.feedback_at) == (
        dt.datetime(2024, 6, 13, 15, 0), dt.datetime(2024, 6, 13, 17, 30), dt.datetime(2024, 6, 14, 10, 0))
    assert clue.investigated_by == clue.handled_by == clue.feedback_by == OPERATOR
    assert not steps.next_box.isVisible() and steps.done_label.isVisible()
    when = [steps.step_rows[s][1].text() for s in ("received", "investigating", "handling", "closed")]
    assert when == ["2024-06-13 09:30", "2024-06-13 15:00", "2024-06-13 17:30", "2024-06-14 10:00"]
    assert view.list.model.rows == []  # closed clues leave the default list of open ones
    view.list.open_only.setChecked(False)
    assert [r.state for r in view.list.model.rows] == ["closed"]


def test_the_page_offers_only_the_next_step_and_the_service_refuses_a_skip(qtbot, ws, tasks):
    clue = ws.clues.receive({"child_name": "赵某", "source": "public", "content": "有儿童在集市乞讨",
                             "received_at": dt.datetime(2024, 6, 12, 11, 0)})
    view = show_active(qtbot, CluesView(ws, tasks))
    view.list.table.selectRow(0)
    assert view.steps.next_step() == "investigating"
    assert [b.text() for b in view.steps.findChildren(QPushButton) if b.text().startswith("记录")] == ["记录调查"]
    with pytest.raises(WeibaoError, match="线索当前为“受理”，下一步应为“调查”"):
        ws.clues.advance(clue.uuid, "handling", "直接处置")


def test_a_clue_can_be_linked_to_a_file_and_referred(qtbot, ws, tasks, make_child):
    child = make_child(name="钱小花")
    clue = ws.clues.receive({"child_name": "钱小花", "source": "village", "content": "长期无人照料",
                             "received_at": dt.datetime(2024, 6, 12, 11, 0)})
    view = show_active(qtbot, CluesView(ws, tasks))
    view.list.table.selectRow(0)

    def pick(picker):
        type_text(picker.search, "钱小花")
        qtbot.keyClick(picker.search, Qt.Key_Return)

    on_next_modal(pick)
    qtbot.mouseClick(view.steps.link_button, Qt.LeftButton)
    assert ws.clues.get(clue.uuid).child_uuid == child.uuid
    assert view.steps.child_button.isVisible() and not view.steps.link_button.isVisible()

    def refer(dialog):
        choose(dialog.form.editor("target"), "街道/社区")
        qtbot.mouseClick(dialog.save_button, Qt.LeftButton)

    on_next_modal(refer)
    qtbot.mouseClick(view.steps.refer_button, Qt.LeftButton)
    [ref] = ws.referrals.page().rows
    assert (ref.clue_uuid, ref.child_uuid, ref.target) == (clue.uuid, child.uuid, "community")
    with qtbot.waitSignal(view.open_child) as sig:
        qtbot.mouseClick(view.steps.child_button, Qt.LeftButton)
    assert sig.args == [child.uuid]


def test_a_hotline_call_is_logged_and_turned_into_a_clue(qtbot, ws, tasks, answers):
    view = show_active(qtbot, HotlineView(ws, tasks))

    def log(dialog):
        assert dialog.form.value("handled_by") == OPERATOR
        assert dialog.form.editor("call_at").date() == FIXED_DATE
        retype(dialog.form.editor("call_at"), "2024-06-13 20:15")
        type_text(dialog.form.editor("caller"), "王女士")
        qtbot.keyClicks(dialog.form.editor("caller_phone"), "13700001111")
        type_text(dialog.form.editor("content"), "邻居家两个孩子长期独自在家，晚上哭闹")
        qtbot.keyClick(dialog.form.editor("content"), Qt.Key_S, Qt.ControlModifier)

    on_next_modal(log)
    qtbot.mouseClick(button(view, "登记来电"), Qt.LeftButton)
    [call] = view.model.rows
    assert (call.caller, call.caller_phone, call.state, call.call_at) == (
        "王女士", "13700001111", "open", dt.datetime(2024, 6, 13, 20, 15))
    view.table.selectRow(0)
    assert view.to_clue_button.isEnabled()

    seen = {}

    def convert(dialog):
        # Left blank: the error is in the form, beside the name, and the page shows no success line.
        qtbot.mouseClick(dialog.save_button, Qt.LeftButton)
        seen["blank"] = (dialog.isVisible(), dialog.name_error.text())
        type_text(dialog.name, "张小妹")
        qtbot.mouseClick(dialog.kinds.boxes["abandoned"], Qt.LeftButton)
        police = dialog.agencies["police"]
        qtbot.mouseClick(police.check, Qt.LeftButton)
        type_text(police.receiver, "李警官")
        qtbot.mouseClick(dialog.save_button, Qt.LeftButton)

    on_next_modal(convert)
    with qtbot.waitSignal(view.clue_created) as sig:
        qtbot.mouseClick(view.to_clue_button, Qt.LeftButton)
    assert seen["blank"] == (True, "请填写涉及儿童的姓名（尚未建档的儿童也可以只写姓名）")
    clue = ws.clues.get(sig.args[0])
    assert (clue.child_name, clue.source, clue.reporter, clue.reporter_phone, clue.state, clue.reported_to) == (
        "张小妹", "hotline", "王女士", "13700001111", "received", "police")
    assert clue.received_at == dt.datetime(2024, 6, 13, 20, 15) and clue.content.startswith("邻居家两个孩子")
    assert "已报告：公安" in clue.content and "接收人：李警官" in clue.content
    assert (clue.situations, clue.report_receiver, clue.reported_at is not None) == ("abandoned", "李警官", True)
    assert view.notice.text().startswith("已转为强制报告线索（涉及儿童：张小妹）") and not view.banner.isVisible()
    view.table.selectRow(0)
    assert view.model.rows[0].clue_uuid == clue.uuid and not view.to_clue_button.isEnabled()
    assert view.model.data(view.model.index(0, 6)) == "已转线索"


def test_a_call_without_content_is_refused_in_place(qtbot, ws, tasks):
    view = show_active(qtbot, HotlineView(ws, tasks))
    seen = {}

    def empty(dialog):
        qtbot.mouseClick(dialog.save_button, Qt.LeftButton)
        seen["error"] = dialog.form.field_error("content")
        seen["open"] = dialog.isVisible()

    on_next_modal(empty)
    qtbot.mouseClick(button(view, "登记来电"), Qt.LeftButton)
    assert seen == {"error": "请填写来电内容", "open": True}
    assert ws.hotline.page().total == 0


def test_a_clue_and_a_referral_print_from_their_pages(qtbot, ws, tasks):
    from weibao_desktop.ui.help_view import HelpView
    from weibao_desktop.ui.print_actions import PrintPreviewDialog

    clue = ws.clues.receive({"child_name": "打印测试", "source": "school", "content": "学校报告：多日未到校",
                             "received_at": dt.datetime(2024, 6, 12, 9, 30)})
    ws.referrals.add({"target": "公安机关", "referred_on": dt.date(2024, 6, 12), "reason": "疑似遭受侵害"},
                     clue_uuid=clue.uuid)
    view = show_active(qtbot, CluesView(ws, tasks))
    view.list.table.selectRow(0)
    assert view.steps.print_button.isVisible()
    dialog = view.steps.print_clue()
    assert isinstance(dialog, PrintPreviewDialog) and "共" in dialog.page_label.text()
    dialog.close()
    help_view = show_active(qtbot, HelpView(ws, tasks))
    help_view.referrals.table.selectRow(0)
    qtbot.mouseClick(button(help_view.referrals, "打印转介单…"), Qt.LeftButton)
    [dialog] = help_view.referrals.findChildren(PrintPreviewDialog)
    dialog.close()
