"""Counts and the dashboard a supervisor starts the day with (roster: tests/scenario.py)."""
from __future__ import annotations

import datetime as dt

from factories import FIXED_DATE

D = dt.date


def test_an_empty_station_counts_nothing(ws):
    stats = ws.stats.stats()
    assert (stats.station, stats.total_active, stats.total_closed) == ("城关镇", 0, 0)
    assert stats.by_category == {} and stats.by_village == {}
    assert stats.by_colour == {"blue": 0, "yellow": 0, "orange": 0, "red": 0, "none": 0}
    assert (stats.red_without_action, stats.open_clues, stats.visits_this_month, stats.day) == (0, 0, 0, FIXED_DATE)
    board = ws.stats.dashboard()
    assert (board.due_today, board.due_this_week, board.overdue, board.overdue_total) == ([], [], [], 0)


def test_stats_count_active_files_by_category_colour_village_and_overdue(roster):
    stats = roster.ws.stats.stats()
    assert (stats.total_active, stats.total_closed) == (5, 1)  # the deleted file is not counted at all
    # current memberships of active files only: the ended 残疾儿童, the closed and the deleted file drop out
    assert stats.by_category == {"left_behind": 2, "plight_survival": 1, "plight_guardian": 1, "dibao": 1}
    assert list(stats.by_category) == ["left_behind", "plight_survival", "plight_guardian", "dibao"]  # table order
    assert stats.by_colour == {"blue": 1, "yellow": 1, "orange": 1, "red": 1, "none": 1}
    assert stats.by_village == {"东村": 1, "南村": 2, "未分村": 1, "西村": 1}
    assert stats.overdue_by_colour == {"blue": 1, "yellow": 0, "orange": 1, "red": 0, "none": 1}
    assert stats.red_without_action == 0
    assert stats.open_clues == 1
    assert stats.visits_this_month == 1  # 06-13; May's visit and the deleted file's June visit do not count


def test_visits_this_month_counts_from_the_first_of_the_month_to_today(roster):
    ws = roster.ws
    ws.visits.record(roster.uuids["C"], {"living": "正常", "visited_on": D(2024, 6, 1), "visitors": "张督导", "mode": "电话"})
    ws.visits.record(roster.uuids["D"], {"living": "正常", "visited_on": D(2024, 5, 31), "visitors": "张督导", "mode": "电话"})
    assert ws.stats.stats().visits_this_month == 2


def test_visiting_an_overdue_child_takes_it_off_the_overdue_counts(roster):
    ws = roster.ws
    assert ws.stats.overdue_count() == 3
    ws.visits.record(roster.uuids["D"], {"living": "正常", "visited_on": FIXED_DATE, "visitors": "张督导", "mode": "入户"})
    assert ws.stats.overdue_count() == 2
    assert ws.stats.stats().overdue_by_colour["none"] == 0


def test_overdue_list_is_red_first_then_by_colour_then_longest_overdue(roster):
    ws = roster.ws
    assert roster.keys_of([r.id for r in ws.stats.overdue()]) == ["C", "G", "D"]
    assert roster.keys_of([r.id for r in ws.stats.overdue(limit=2)]) == ["C", "G"]
    # a red child whose daily visit is missed goes to the top
    ws.visits.record(roster.uuids["A"], {"living": "正常", "visited_on": D(2024, 6, 13), "visitors": "张督导", "mode": "入户",
                                         "next_due_on": D(2024, 6, 13)})
    assert roster.keys_of([r.id for r in ws.stats.overdue()])[0] == "A"


def test_two_overdue_children_of_one_colour_longest_overdue_first(roster):
    ws = roster.ws
    ws.assessments.assess(roster.uuids["D"], {"kind": "risk", "assessed_on": D(2024, 1, 10), "assessor": "张督导",
                                              "result": "蓝", "reason": "补评"})
    # D: blue since 01-10, no visit: due 04-09; G: blue, visited 03-01: due 05-30
    assert roster.keys_of([r.id for r in ws.stats.overdue()]) == ["C", "D", "G"]


def test_the_dashboard_lists_due_today_due_this_week_overdue_red_cases_and_open_clues(roster):
    board = roster.ws.stats.dashboard()
    assert board.today == FIXED_DATE
    assert roster.keys_of([r.id for r in board.due_today]) == ["A"]
    assert roster.keys_of([r.id for r in board.due_this_week]) == ["B"]  # Saturday 06-15, within the week
    assert roster.keys_of([r.id for r in board.overdue]) == ["C", "G", "D"]
    assert board.overdue_total == 3
    assert board.red_without_action == []
    assert [c.child_name for c in board.open_clues] == ["李可馨"]
    assert board.stats.total_active == 5


def test_the_dashboard_flags_a_red_child_once_its_help_ends(roster):
    ws = roster.ws
    [h] = ws.help.for_child(roster.uuids["A"])
    ws.help.finish(h.uuid, "已结束")
    board = ws.stats.dashboard()
    assert roster.keys_of([r.id for r in board.red_without_action]) == ["A"]
    assert board.stats.red_without_action == 1


def test_due_this_week_ends_on_sunday(roster):
    ws = roster.ws
    # B is due Saturday 06-15; seen from Monday 06-17 it is overdue, not due this week
    ws.ctx.today.set(D(2024, 6, 17))
    board = ws.stats.dashboard()
    assert "B" not in roster.keys_of([r.id for r in board.due_this_week])
    assert "B" in roster.keys_of([r.id for r in board.overdue])
