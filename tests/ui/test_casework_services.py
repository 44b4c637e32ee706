"""The service reads the 风险评估 and 走访记录 pages need (no windows)."""
from __future__ import annotations

import datetime as dt


def assess(ws, child, colour, on, reason="复评", **kw):
    return ws.assessments.assess(child.uuid, {"kind": "risk", "assessed_on": on, "assessor": "王五",
                                              "result": colour, "reason": reason}, **kw)


def test_assessment_page_lists_colour_changes_newest_first_with_what_they_replaced(ws, make_child, clock):
    clock.set(dt.date(2024, 3, 1))
    a = make_child(name="甲")
    b = make_child(name="乙")
    clock.set(dt.date(2024, 6, 14))
    assess(ws, a, "blue", dt.date(2024, 3, 1))
    assess(ws, a, "blue", dt.date(2024, 4, 1))  # reassessed, no change
    assess(ws, a, "yellow", dt.date(2024, 5, 1))
    assess(ws, b, "orange", dt.date(2024, 4, 15), paired_helper="赵六")
    ws.assessments.assess(b.uuid, {"kind": "needs", "assessed_on": dt.date(2024, 4, 16), "assessor": "王五",
                                   "result": "心理疏导"})
    page = ws.assessments.page()
    assert page.total == 4
    assert [(r.child_name, r.assessed_on, r.previous, r.result) for r in page.rows] == [
        ("甲", dt.date(2024, 5, 1), "blue", "yellow"),
        ("乙", dt.date(2024, 4, 15), None, "orange"),
        ("甲", dt.date(2024, 4, 1), "blue", "blue"),
        ("甲", dt.date(2024, 3, 1), None, "blue"),
    ]
    changes = ws.assessments.page(changes_only=True)
    assert [(r.child_name, r.result) for r in changes.rows] == [("甲", "yellow"), ("乙", "orange"), ("甲", "blue")]
    assert changes.rows[0].child_colour == "yellow"
    assert [r.result for r in ws.assessments.page(kind="needs").rows] == ["心理疏导"]
    assert [r.child_name for r in ws.assessments.page(text="乙").rows] == ["乙"]
    second = ws.assessments.page(offset=1, limit=2)
    assert [r.assessed_on for r in second.rows] == [dt.date(2024, 4, 15), dt.date(2024, 4, 1)] and second.total == 4


def test_visit_rows_carry_the_childs_current_due_date(ws, make_child, clock):
    clock.set(dt.date(2024, 3, 1))
    child = make_child(name="丙")
    ws.visits.record(child.uuid, {"living": "正常", "visited_on": dt.date(2024, 3, 1), "visitors": "王五", "mode": "home"})
    clock.set(dt.date(2024, 6, 14))
    [row] = ws.visits.page().rows
    assert row.child_next_due == dt.date(2024, 5, 30)  # 90 days (not yet assessed): overdue on 06-14
    ws.visits.record(child.uuid, {"living": "正常", "visited_on": dt.date(2024, 6, 14), "visitors": "王五", "mode": "home"})
    assert {r.child_next_due for r in ws.visits.page().rows} == {dt.date(2024, 9, 12)}


def test_hotline_page_can_show_only_calls_still_being_handled(ws):
    open_call = ws.hotline.log({"content": "邻居反映孩子独自在家", "call_at": dt.datetime(2024, 6, 13, 9, 0)})
    ws.hotline.log({"content": "咨询低保政策", "call_at": dt.datetime(2024, 6, 12, 15, 0), "state": "done"})
    assert ws.hotline.page().total == 2
    assert [c.uuid for c in ws.hotline.page(open_only=True).rows] == [open_call.uuid]
