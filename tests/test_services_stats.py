"""Counts and the dashboard a supervisor starts the day with (roster: tests/scenario.py)."""
from __future__ import annotations

import datetime as dt

from factories import FIXED_DATE, child_values

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


def test_the_days_work_lists_the_most_urgent_rows_and_counts_them_all(roster, monkeypatch):
    """A county-sized store lists only the first rows of each of the 工作台's lists; their counts stay whole."""
    from weibao_desktop.services import stats as stats_module

    ws = roster.ws
    [h] = ws.help.for_child(roster.uuids["A"])
    ws.help.finish(h.uuid, "已结束")  # A: red without action
    other = ws.children.create(child_values(name="孙红二"), categories=["left_behind"])
    ws.assessments.assess(other.uuid, {"kind": "risk", "assessed_on": FIXED_DATE, "assessor": "张督导",
                                       "result": "red", "reason": "遭受家庭暴力"},
                          help_measure={"kind": "psychological", "started_on": FIXED_DATE, "description": "心理疏导"})
    [h] = ws.help.for_child(other.uuid)
    ws.help.finish(h.uuid, "已结束")  # red without action, due in a week (not this one)
    whole = ws.stats.day_work()
    assert whole.stats is None  # the counts behind the cards and charts come from stats(), after
    assert (whole.today_total, whole.week_total, whole.overdue_total, whole.red_total) == (1, 1, 3, 2)
    monkeypatch.setattr(stats_module, "DASHBOARD_ROWS", 1)
    short = ws.stats.day_work()
    # Each list its own first rows: a long day does not crowd the rest of the week out.
    assert roster.keys_of([r.id for r in short.due_today]) == ["A"]
    assert roster.keys_of([r.id for r in short.due_this_week]) == ["B"]
    assert roster.keys_of([r.id for r in short.overdue]) == ["C"]  # the most urgent one
    assert len(short.red_without_action) == 1
    assert (short.today_total, short.week_total, short.overdue_total, short.red_total) == (1, 1, 3, 2)
    assert short.overdue_by_colour == whole.overdue_by_colour and sum(short.overdue_by_colour.values()) == 3
    counts = ws.stats.stats()
    assert (counts.red_without_action, counts.open_clues) == (short.red_total, short.open_clue_total) == (2, 1)


def test_the_dashboards_counts_read_covering_indexes_only_even_without_statistics(roster):
    """Migration 0016: on a 100,000-child store a count that reads the wide child or visit rows takes seconds
    after login. The plans hold without ANALYZE's statistics (a store that just grew from a ledger has none)."""
    from sqlalchemy import text

    ws = roster.ws
    with ws.store.engine.begin() as conn:
        if conn.execute(text("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")).first():
            conn.execute(text("DELETE FROM sqlite_stat1"))
    with ws.ctx.read() as s:
        for name, stmt in ws.stats.statements(s, FIXED_DATE).items():
            sql = str(stmt.compile(s.bind, compile_kwargs={"literal_binds": True}))
            plan = [row[3] for row in s.execute(text("EXPLAIN QUERY PLAN " + sql))]
            for step in plan:
                if any(f" {table} " in f" {step} " for table in ("child", "visit", "category_membership")):
                    assert "COVERING INDEX" in step, (name, plan)
            assert not any(step.startswith("SCAN child") for step in plan), (name, plan)
