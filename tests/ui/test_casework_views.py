"""The casework pages of the main window, on real stores, with background reads run synchronously."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from ui_typing import choose, on_next_modal, show_active, type_text

from factories import FIXED_DATE
from weibao_desktop.ui.assessments_view import AssessmentsView
from weibao_desktop.ui.colour import OVERDUE_TEXT
from weibao_desktop.ui.help_view import HelpView
from weibao_desktop.ui.visits_view import VisitsView, period_range


def cell(view, row: int, col: int, role=Qt.DisplayRole):
    return view.model.data(view.model.index(row, col), role)


def column(view, title: str) -> int:
    return [t for t, _f in view.model.columns].index(title)


@pytest.fixture
def two_children(ws, make_child, clock):
    """甲 visited in time; 乙 last visited long ago and now overdue."""
    clock.set(dt.date(2024, 1, 2))
    a = make_child(name="甲小明")
    b = make_child(name="乙小红")
    ws.visits.record(b.uuid, {"living": "正常", "visited_on": dt.date(2024, 1, 2), "visitors": "王五", "mode": "home"})
    clock.set(FIXED_DATE)
    ws.visits.record(a.uuid, {"visited_on": dt.date(2024, 6, 10), "visitors": "王五", "mode": "phone",
                              "problems": "成绩下滑"})
    return a, b


def test_visits_page_lists_newest_first_with_overdue_children_in_red(qtbot, ws, tasks, two_children):
    a, b = two_children
    view = VisitsView(ws, tasks)
    qtbot.addWidget(view)
    view.period.setCurrentText("全部")
    assert [r.child_name for r in view.model.rows] == ["甲小明", "乙小红"]
    due = column(view, "当前应走访")
    assert cell(view, 1, due) == "2024-04-01（逾期74天）"  # 90 days after 01-02; 74 days late on 06-14
    assert cell(view, 1, 0, Qt.ForegroundRole) == OVERDUE_TEXT
    assert cell(view, 0, 0, Qt.ForegroundRole) is None
    assert cell(view, 0, column(view, "走访方式")) == "电话" and cell(view, 0, column(view, "存在问题")) == "成绩下滑"

    view.period.setCurrentText("近30天")
    assert view.date_from.date() == dt.date(2024, 5, 16) and view.date_to.date() == FIXED_DATE
    assert [r.child_name for r in view.model.rows] == ["甲小明"]
    view.period.setCurrentText("全部")
    type_text(view.search_box, "乙")
    qtbot.keyClick(view.search_box, Qt.Key_Return)
    assert [r.child_name for r in view.model.rows] == ["乙小红"] and view.pager.info.text() == "第 1–1 条，共 1 条"


def test_period_ranges():
    day = dt.date(2024, 3, 13)  # a Wednesday
    assert period_range("本周", day) == (dt.date(2024, 3, 11), day)
    assert period_range("上月", day) == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert period_range("今年", day) == (dt.date(2024, 1, 1), day)
    assert period_range("全部", day) == (None, None)


def test_visits_page_reads_a_page_at_a_time(qtbot, demo_ws, tasks):
    view = VisitsView(demo_ws, tasks)
    qtbot.addWidget(view)
    view.period.setCurrentText("全部")
    total = demo_ws.visits.page(limit=1).total
    assert total > 2 * view.page_size
    assert len(view.model.rows) == view.page_size and view.pager.info.text() == f"第 1–100 条，共 {total} 条"
    first = [r.uuid for r in view.model.rows]
    qtbot.mouseClick(view.pager.next, Qt.LeftButton)
    assert view.pager.info.text() == f"第 101–200 条，共 {total} 条"
    assert not set(first) & {r.uuid for r in view.model.rows}
    dates = [r.visited_on for r in view.model.rows]
    assert dates == sorted(dates, reverse=True)


def test_new_visit_from_the_page_picks_a_child_then_records(qtbot, ws, tasks, two_children):
    a, b = two_children
    view = show_active(qtbot, VisitsView(ws, tasks))
    view.period.setCurrentText("全部")

    def in_picker(picker):
        type_text(picker.search, "乙小")
        qtbot.keyClick(picker.search, Qt.Key_Return)
        on_next_modal(in_visit, after=picker)

    def in_visit(dialog):
        assert dialog.top.editor("visited_on").date() == FIXED_DATE
        type_text(dialog.texts.editor("living"), "祖父母照料，生活正常")
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key_S, Qt.ControlModifier)

    on_next_modal(in_picker)
    qtbot.mouseClick(next(b for b in view.findChildren(type(view.pager.next)) if b.text() == "登记走访"),
                     Qt.LeftButton)
    assert ws.children.get(b.uuid).next_visit_due == FIXED_DATE + dt.timedelta(days=90)
    top = view.model.rows[0]
    assert (top.child_name, top.visited_on, top.living) == ("乙小红", FIXED_DATE, "祖父母照料，生活正常")
    assert cell(view, 0, 0, Qt.ForegroundRole) is None  # no longer overdue


def test_assessments_page_shows_the_colour_change(qtbot, ws, tasks, make_child):
    child = make_child(name="丙小刚")
    for colour, reason in (("yellow", "父母外出"), ("yellow", "复评无变化"), ("red", "遭受侵害")):
        extra = {"red_deferral": "等待公安核实"} if colour == "red" else {}
        ws.assessments.assess(child.uuid, {"kind": "risk", "assessed_on": FIXED_DATE, "assessor": "王五",
                                           "result": colour, "reason": reason}, **extra)
    view = AssessmentsView(ws, tasks)
    qtbot.addWidget(view)
    result = column(view, "结果")
    assert [cell(view, i, result) for i in range(len(view.model.rows))] == ["黄 → 红", "黄（首次）"]
    assert cell(view, 0, 0, Qt.ForegroundRole).name().upper() == "#D32F2F"
    view.changes_only.setChecked(False)
    assert [cell(view, i, result) for i in range(len(view.model.rows))] == ["黄 → 红", "黄", "黄（首次）"]
    choose(view.kind, "需求评估")
    assert view.model.rows == [] and view.pager.info.text() == "没有记录"


def test_help_page_changes_a_referral_state(qtbot, ws, tasks, make_child):
    child = make_child(name="丁小雨")
    ws.help.add(child.uuid, {"kind": "living", "started_on": FIXED_DATE})
    ref = ws.referrals.add({"target": "hospital", "referred_on": FIXED_DATE, "reason": "需要住院治疗"},
                           child_key=child.uuid)
    view = show_active(qtbot, HelpView(ws, tasks))
    assert [r.kind for r in view.helps.model.rows] == ["living"]
    refs = view.referrals
    assert [r.uuid for r in refs.model.rows] == [ref.uuid]
    view.tabs.setCurrentWidget(refs)
    refs.table.selectRow(0)

    def done(dialog):
        choose(dialog.state_form.editor("state"), "已办结")
        type_text(dialog.state_form.editor("feedback"), "已出院回家")
        qtbot.mouseClick(dialog.save_button, Qt.LeftButton)

    on_next_modal(done)
    with qtbot.waitSignal(tasks.did_change):
        qtbot.keyClick(refs.table, Qt.Key_Return)
    assert ws.referrals.for_child(child.uuid)[0].state == "done"
    assert refs.model.rows == []  # only open referrals are listed by default
    refs.open_only.setChecked(False)
    assert cell(refs, 0, column(refs, "状态")) == "已办结"


def test_pages_tell_the_window_which_child_to_open(qtbot, ws, tasks, two_children):
    a, _b = two_children
    view = VisitsView(ws, tasks)
    qtbot.addWidget(view)
    view.table.selectRow(0)
    with qtbot.waitSignal(view.open_child) as sig:
        view.open_current_child()
    assert sig.args == [a.uuid]
