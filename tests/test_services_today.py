"""今日待办: what is due today and overdue, red first then the longest overdue, each with its reasons
(roster: tests/scenario.py, the clock at Friday 2024-06-14)."""
from __future__ import annotations

import datetime as dt

from weibao_desktop.services.today import REASON_CLUE

D = dt.date


def _lines(board):
    return [(item.name, item.reasons) for item in board.todo]


def test_todo_is_red_first_then_most_overdue_with_the_reasons(roster):
    board = roster.ws.stats.dashboard()
    assert _lines(board)[:4] == [
        ("王子涵", ("应走访",)),                # red, due today: first although not overdue
        ("李可馨", ("逾期149天",)),             # orange, due 01-17
        ("张浩宇", ("逾期66天", "未评估")),      # no colour yet, due 04-09: one line, both reasons
        ("赵梓轩", ("逾期15天",)),              # blue, due 05-30
    ]
    assert [item.reasons for item in board.todo[4:]] == [(REASON_CLUE,)]
    assert board.unassessed_total == 1


def test_a_red_child_whose_help_ended_says_so(roster):
    ws = roster.ws
    [h] = ws.help.for_child(roster.uuids["A"])
    ws.help.finish(h.uuid, "已结束")
    first = ws.stats.dashboard().todo[0]
    assert (first.name, first.reasons) == ("王子涵", ("应走访", "红色未采取措施"))


def test_a_clue_about_a_red_child_comes_before_other_children(roster):
    ws = roster.ws
    ws.clues.receive({"child_name": "王子涵", "source": "群众举报", "content": "邻居反映"}, child_key=roster.uuids["A"])
    board = ws.stats.dashboard()
    assert [(item.kind, item.name) for item in board.todo[:2]] == [("child", "王子涵"), ("clue", "王子涵")]


def test_a_visit_takes_the_child_off_the_list(roster):
    ws = roster.ws
    ws.visits.record(roster.uuids["C"], {"living": "正常", "visited_on": D(2024, 6, 14), "visitors": "张督导",
                                         "mode": "入户"})
    assert [(i.kind, i.name) for i in ws.stats.dashboard().todo if i.name == "李可馨"] == [("clue", "李可馨")]


def test_an_empty_station_has_nothing_to_do(ws):
    board = ws.stats.dashboard()
    assert (board.todo, board.unassessed_total) == ([], 0)
