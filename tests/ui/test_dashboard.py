"""工作台: what is due, overdue by colour (red first), red children without action, open clues, counts."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from ui_typing import choose, type_text

from factories import FIXED_DATE
from weibao_desktop.ui.dashboard import DashboardView


def _names(child_list):
    m = child_list.list_model
    return [m.index(r, 0).data() for r in range(m.rowCount())]


def _dashboard(qtbot, ws, tasks):
    view = DashboardView(ws, tasks)
    qtbot.addWidget(view)
    assert view.is_ready()
    return view


def test_red_child_without_action_appears_after_the_services_set_red(qtbot, ws, tasks, make_child):
    child = make_child(name="孙红红")
    view = _dashboard(qtbot, ws, tasks)
    assert "孙红红" not in _names(view.red_list)
    help_ = {"kind": "psychological", "started_on": FIXED_DATE, "description": "心理疏导"}
    ws.assessments.assess(child.uuid, {"kind": "risk", "assessed_on": FIXED_DATE, "assessor": "王五",
                                       "result": "red", "reason": "遭受家庭暴力"}, help_measure=help_)
    view.refresh()
    assert "孙红红" not in _names(view.red_list)  # red, but with an open help measure
    # red is followed up within a week (not visited daily): due next Friday, not this week, not overdue
    assert ws.children.get(child.uuid).next_visit_due == FIXED_DATE + dt.timedelta(days=7)
    assert "孙红红" not in _names(view.week_list) and "孙红红" not in _names(view.today_list)
    [measure] = ws.help.for_child(child.uuid)
    ws.help.finish(measure.uuid, "已结束")
    view.refresh()
    assert _names(view.red_list) == ["孙红红"]
    assert view.cards["red"].number.text() == "1"
    assert view.lists.tabText(view.lists.indexOf(view.red_list)) == "红色未采取措施（1）"
    assert view.colour_chart.bars[0].label == "红色" and view.colour_chart.bars[0].value == 1


def test_red_through_the_assessment_dialog_reaches_the_dashboard(qtbot, ws, tasks, make_child, on_modal):
    from weibao_desktop.ui.child_file import ChildFile

    child = make_child(name="周小红")
    view = _dashboard(qtbot, ws, tasks)
    win = ChildFile(ws, tasks, child.uuid)
    qtbot.addWidget(win)
    tasks.did_change.connect(lambda changes, _initiator: view.on_changes(changes))  # as the main window does

    def assess(dlg):
        choose(dlg.colour_combo, "红")
        type_text(dlg.form.editor("reason"), "监护人失联")
        qtbot.mouseClick(dlg.red_help, Qt.LeftButton)
        choose(dlg.help_form.editor("kind"), "临时照料")
        type_text(dlg.help_form.editor("description"), "由村委会临时照料")
        qtbot.mouseClick(dlg.save_button, Qt.LeftButton)

    seen = on_modal(assess)
    qtbot.mouseClick(win.assess_button, Qt.LeftButton)
    assert seen and seen[0].result() == QDialog.Accepted
    assert ws.children.get(child.uuid).next_visit_due == FIXED_DATE + dt.timedelta(days=7)  # follow-up in a week
    assert "周小红" not in _names(view.red_list)  # red with an open help measure
    assert view.colour_chart.bars[0].value == 1  # 红色 1


def test_overdue_grouped_by_colour_red_first_and_opens_the_file(qtbot, demo_ws, tasks):
    view = _dashboard(qtbot, demo_ws, tasks)
    tree = view.overdue
    groups = [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]
    assert groups, "the demo store has overdue children"
    order = [g[0] for g in groups]
    rank = {"红": 0, "橙": 1, "黄": 2, "蓝": 3, "未": 4}
    assert order == sorted(order, key=rank.__getitem__)
    stats = demo_ws.stats.stats()
    assert view.cards["overdue"].number.text() == f"{sum(stats.overdue_by_colour.values()):,}"
    first = tree.topLevelItem(0).child(0)
    opened = []
    view.open_child.connect(opened.append)
    tree.itemActivated.emit(first, 0)
    assert opened and demo_ws.children.get(opened[0]).name == first.text(0)
    # Within a colour, the longest overdue comes first.
    days = [int(tree.topLevelItem(0).child(i).text(3).rstrip("天")) for i in range(tree.topLevelItem(0).childCount())]
    assert days == sorted(days, reverse=True)


def test_due_today_lists_open_files_on_double_click(qtbot, ws, tasks, make_child, clock):
    clock.set(FIXED_DATE - dt.timedelta(days=90))
    make_child(name="吴今天")  # unassessed: visited like blue, every 90 days from opening
    clock.set(FIXED_DATE)
    view = _dashboard(qtbot, ws, tasks)
    assert _names(view.today_list) == ["吴今天"]
    assert view.cards["today"].number.text() == "1"
    opened = []
    view.open_child.connect(opened.append)
    view.show()
    qtbot.waitExposed(view)
    view.lists.setCurrentWidget(view.today_list)
    rect = view.today_list.visualRect(view.today_list.list_model.index(0, 0))
    qtbot.mouseClick(view.today_list.viewport(), Qt.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.today_list.viewport(), Qt.LeftButton, pos=rect.center())
    assert len(opened) == 1
    view.today_list.setFocus()
    qtbot.keyClick(view.today_list, Qt.Key_Return)
    assert len(opened) == 2


def test_open_clues_are_listed(qtbot, ws, tasks):
    ws.clues.receive({"source": "school", "content": "学生身上多处伤痕", "reporter": "班主任", "child_name": "小明",
                      "received_at": dt.datetime.combine(FIXED_DATE, dt.time(9, 30))})
    view = _dashboard(qtbot, ws, tasks)
    assert view.clue_list.topLevelItemCount() == 1
    assert view.clue_list.topLevelItem(0).text(4) == "学生身上多处伤痕"
    assert view.clue_list.topLevelItem(0).text(2) == "小明"
    assert view.lists.tabText(view.lists.indexOf(view.clue_list)) == "未办结线索（1）"
    clues = []
    view.open_clue.connect(clues.append)
    view.clue_list.itemActivated.emit(view.clue_list.topLevelItem(0), 0)
    assert clues == [ws.clues.page().rows[0].uuid]  # the clue opens, on the clue page


def test_statistics_page_counts_and_charts(qtbot, demo_ws, tasks):
    from weibao_desktop.ui.stats_view import StatsView

    view = StatsView(demo_ws, tasks)
    qtbot.addWidget(view)
    stats = demo_ws.stats.stats()
    assert view.is_ready()
    assert f"在册儿童 {stats.total_active:,} 名" in view.summary.text()
    assert {b.label: b.value for b in view.colour_chart.bars}["红色"] == stats.by_colour["red"]
    assert sum(b.value for b in view.overdue_chart.bars) == sum(stats.overdue_by_colour.values())
    assert len(view.category_chart.bars) == len([v for v in stats.by_category.values() if v])
    counts = [view.village_table.item(i, 1).data(0) for i in range(view.village_table.rowCount())]
    assert counts == sorted(counts, reverse=True) and sum(counts) == stats.total_active


def test_the_days_work_shows_first_and_the_counts_follow(qtbot, ws, make_child, clock):
    """After login the lists come first (a 100,000-child county store counts for half a second more): real
    worker threads, as the program runs them."""
    from weibao_desktop.ui.tasks import Tasks

    clock.set(FIXED_DATE - dt.timedelta(days=90))
    make_child(name="吴今天")
    clock.set(FIXED_DATE)
    tasks = Tasks()
    seen = {}

    def on_day_shown():
        seen["today"] = _names(view.today_list)
        seen["active"] = view.cards["active"].number.text()
        seen["today_card"] = view.cards["today"].number.text()
        seen["charts"] = [bar.value for bar in view.colour_chart.bars]
        seen["chart_text"] = view.colour_chart.empty_text

    view = DashboardView(ws, tasks)  # the reads start here; their results arrive through the event loop
    qtbot.addWidget(view)
    view.day_shown.connect(on_day_shown)
    with qtbot.waitSignal(view.ready, timeout=20000):
        pass
    assert seen == {"today": ["吴今天"], "active": "…", "today_card": "1", "charts": [], "chart_text": "正在统计…"}
    assert view.cards["active"].number.text() == "1" and view.is_ready()
    assert [bar.value for bar in view.colour_chart.bars if bar.value] == [1]  # 未评估
    tasks.shutdown()


def test_a_long_list_shows_its_most_urgent_rows_and_its_tab_counts_them_all(qtbot, ws, tasks, make_child, clock,
                                                                          monkeypatch):
    from weibao_desktop.services import stats as stats_module

    monkeypatch.setattr(stats_module, "DASHBOARD_ROWS", 1)
    clock.set(FIXED_DATE - dt.timedelta(days=90))
    make_child(name="吴今天")
    make_child(name="郑今天")
    clock.set(FIXED_DATE)
    view = _dashboard(qtbot, ws, tasks)
    assert len(_names(view.today_list)) == 1
    assert view.cards["today"].number.text() == "2"
    index = view.lists.indexOf(view.today_list)
    assert view.lists.tabText(index) == "今日应走访（2）"
    assert view.today_list.toolTip() == "这里只列出最急的1个，共2个"


def test_the_refresh_button_counts_again(qtbot, ws, tasks, make_child, clock):
    """Clicked as a user clicks it (clicked(checked) once reached refresh() as its first argument)."""
    view = _dashboard(qtbot, ws, tasks)
    assert view.cards["active"].number.text() == "0"
    make_child(name="吴新来")
    qtbot.mouseClick(view.refresh_button, Qt.LeftButton)
    assert view.cards["active"].number.text() == "1"
    assert view.refresh_button.isEnabled() and view.status.text() == ""


def test_counts_that_fail_say_so_and_leave_no_wait_on_screen(qtbot, ws, tasks, make_child, monkeypatch):
    from weibao_desktop.domain.errors import WeibaoError
    from weibao_desktop.services.stats import StatsService

    make_child(name="吴今天")
    view = _dashboard(qtbot, ws, tasks)

    def refused(self):
        raise WeibaoError("数据库正忙，统计没有完成")

    monkeypatch.setattr(StatsService, "stats", refused)
    qtbot.mouseClick(view.refresh_button, Qt.LeftButton)
    assert view.status.text() == "数据库正忙，统计没有完成"
    assert view.cards["active"].number.text() == "—" and view.cards["today"].number.text() != "…"
    assert "正在统计" not in view.colour_chart.empty_text
    assert view.refresh_button.isEnabled()
