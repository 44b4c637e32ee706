"""Assessments and colours, visits and due dates, help measures and referrals."""
from __future__ import annotations

import datetime as dt

import pytest

from factories import FIXED_DATE, RARE_NAME
from weibao_desktop.services import WeibaoError
from weibao_desktop.services.dto import ChildQuery

D = dt.date
OPENED = D(2024, 5, 1)


def risk(colour, on=FIXED_DATE, reason="走访核实", **extra):
    return {"kind": "risk", "assessed_on": on, "assessor": "张督导", "result": colour, "reason": reason, **extra}


def visit(on, **extra):
    return {"visited_on": on, "visitors": "张督导", "mode": "入户", "living": "正常", **extra}


@pytest.fixture
def opened_child(ws, make_child, clock):
    """A child whose file was opened on 2024-05-01; the clock then stands at FIXED_DATE (2024-06-14)."""
    clock.set(OPENED)
    child = make_child()
    clock.set(FIXED_DATE)
    return child


def due_of(ws, child):
    return ws.children.get(child.uuid).next_visit_due


# colours

def test_a_child_not_yet_assessed_is_due_90_days_after_the_file_was_opened(ws, opened_child):
    assert due_of(ws, opened_child) == D(2024, 7, 30)


@pytest.mark.parametrize("colour, label, days", [("blue", "蓝", 90), ("yellow", "黄色", 30), ("orange", "橙色等级", 7),
                                                 ("red", "红", 7)])
def test_a_risk_assessment_sets_the_colour_and_the_first_visit_follows_its_cadence(ws, opened_child, colour, label, days):
    ws.assessments.assess(opened_child.uuid, risk(label, on=OPENED),
                          paired_helper="刘结对", red_deferral="已报公安，等待回复" if colour == "red" else None)
    child = ws.children.get(opened_child.uuid)
    assert (child.risk_colour, child.colour_set_on) == (colour, OPENED)
    assert child.next_visit_due == OPENED + dt.timedelta(days=days)


def test_a_colour_change_is_kept_in_the_history_with_its_label(ws, opened_child, as_user):
    as_user("张督导").assessments.assess(opened_child.uuid, risk("黄"))
    [h] = [h for h in ws.children.history(opened_child.uuid) if h.field == "risk_colour"]
    assert (h.field_label, h.old, h.new, h.actor) == ("风险等级", "（空）", "黄", "张督导")


def test_changing_the_colour_needs_a_reason_but_confirming_it_does_not(ws, opened_child, db):
    ws.assessments.assess(opened_child.uuid, risk("黄", on=D(2024, 6, 1)))
    before = db.snapshot(ws.store)
    with pytest.raises(WeibaoError) as e:
        ws.assessments.assess(opened_child.uuid, risk("蓝", reason="  "))
    assert "改变风险等级须写明理由" in e.value.message and e.value.field == "reason"
    assert db.snapshot(ws.store) == before
    ws.assessments.assess(opened_child.uuid, risk("黄", reason=None))
    assert len(ws.assessments.history(opened_child.uuid, "risk")) == 2


def test_an_unknown_colour_or_guardianship_result_is_refused(ws, opened_child):
    with pytest.raises(WeibaoError) as e:
        ws.assessments.assess(opened_child.uuid, risk("紫色"))
    assert "风险等级应为：蓝、黄、橙、红" in e.value.message
    with pytest.raises(WeibaoError) as e:
        ws.assessments.assess(opened_child.uuid, {"kind": "guardianship", "assessed_on": FIXED_DATE,
                                                  "assessor": "张督导", "result": "还行"})
    assert "监护情况评估结果应为" in e.value.message


def test_an_assessment_in_the_future_is_refused(ws, opened_child):
    with pytest.raises(WeibaoError) as e:
        ws.assessments.assess(opened_child.uuid, risk("黄", on=FIXED_DATE + dt.timedelta(days=1)))
    assert "评估日期" in e.value.message and "不能晚于今天" in e.value.message


def test_a_guardianship_assessment_does_not_change_the_colour(ws, opened_child):
    ws.assessments.assess(opened_child.uuid, risk("黄"))
    ws.assessments.assess(opened_child.uuid, {"kind": "监护评估", "assessed_on": FIXED_DATE, "assessor": "张督导",
                                              "result": "较差", "guardianship_type": "无人监护"})
    assert ws.children.get(opened_child.uuid).risk_colour == "yellow"


def test_orange_needs_a_named_paired_helper(ws, opened_child, make_child, db):
    before = db.snapshot(ws.store)
    with pytest.raises(WeibaoError) as e:
        ws.assessments.assess(opened_child.uuid, risk("橙"))
    assert "结对帮扶人" in e.value.message and e.value.field == "paired_helper"
    assert db.snapshot(ws.store) == before
    ws.assessments.assess(opened_child.uuid, risk("橙"), paired_helper=" 刘结对 ")
    assert ws.children.get(opened_child.uuid).paired_helper == "刘结对"
    # a helper already on the file is enough
    other = make_child(paired_helper="周帮扶")
    ws.assessments.assess(other.uuid, risk("橙"))
    assert ws.children.get(other.uuid).risk_colour == "orange"


def test_a_back_dated_assessment_joins_the_history_but_does_not_replace_a_later_colour(ws, opened_child):
    ws.assessments.assess(opened_child.uuid, risk("黄", on=D(2024, 6, 10)))
    ws.assessments.assess(opened_child.uuid, risk("蓝", on=D(2024, 5, 20), reason="补录五月的评估"))
    assert ws.children.get(opened_child.uuid).risk_colour == "yellow"
    assert [a.result for a in ws.assessments.history(opened_child.uuid, "risk")] == ["yellow", "blue"]


# red cases

def test_red_without_help_referral_or_deferral_reason_is_refused_and_nothing_is_saved(ws, opened_child, db):
    before = db.snapshot(ws.store)
    with pytest.raises(WeibaoError) as e:
        ws.assessments.assess(opened_child.uuid, risk("红", reason="发现受伤"))
    assert "红色等级须同时登记帮扶措施或转介" in e.value.message
    assert db.snapshot(ws.store) == before  # not even the assessment row
    with pytest.raises(WeibaoError):
        ws.assessments.assess(opened_child.uuid, risk("红", reason="发现受伤"), red_deferral="   ")
    assert db.snapshot(ws.store) == before


def test_red_with_a_help_measure_given_at_once_is_accepted_and_not_flagged(ws, opened_child):
    ws.assessments.assess(opened_child.uuid, risk("红", reason="发现受伤"),
                          help_measure={"kind": "心理疏导", "started_on": FIXED_DATE, "responsible": "李老师"})
    child = ws.children.get(opened_child.uuid)
    assert (child.risk_colour, child.open_actions, child.needs_action) == ("red", 1, False)
    assert [h.kind for h in ws.help.for_child(child.uuid)] == ["psychological"]
    assert ws.stats.red_without_action() == []


def test_a_red_child_whose_last_help_ends_is_flagged_for_action(ws, opened_child):
    ws.assessments.assess(opened_child.uuid, risk("红", reason="发现受伤"),
                          help_measure={"kind": "生活救助", "started_on": FIXED_DATE})
    [h] = ws.help.for_child(opened_child.uuid)
    ws.help.finish(h.uuid, "已发放")
    child = ws.children.get(opened_child.uuid)
    assert (child.open_actions, child.needs_action) == (0, True)
    assert [r.uuid for r in ws.stats.red_without_action()] == [child.uuid]
    assert ws.stats.stats().red_without_action == 1
    assert [r.uuid for r in ws.stats.dashboard().red_without_action] == [child.uuid]


@pytest.mark.parametrize("final_state, feedback", [("已办结", "已处理"), ("退回", "不属于本机构职责")])
def test_a_red_child_whose_referral_is_no_longer_open_is_flagged(ws, opened_child, final_state, feedback):
    ws.assessments.assess(opened_child.uuid, risk("红", reason="遭受家暴"),
                          referral={"target": "公安", "referred_on": FIXED_DATE})
    assert ws.children.get(opened_child.uuid).needs_action is False
    [r] = ws.referrals.for_child(opened_child.uuid)
    ws.referrals.set_state(r.uuid, "已接收")
    assert ws.children.get(opened_child.uuid).needs_action is False  # accepted is still open
    ws.referrals.set_state(r.uuid, final_state, feedback=feedback)
    assert ws.children.get(opened_child.uuid).needs_action is True
    assert ws.stats.stats().red_without_action == 1


def test_red_deferred_with_a_reason_is_not_flagged_and_lowering_clears_the_deferral(ws, opened_child):
    ws.assessments.assess(opened_child.uuid, risk("红", reason="失联"), red_deferral="家长拒绝入户，已报派出所协查")
    child = ws.children.get(opened_child.uuid)
    assert (child.risk_colour, child.red_deferral, child.needs_action) == ("red", "家长拒绝入户，已报派出所协查", False)
    assert ws.stats.red_without_action() == [] and ws.stats.stats().red_without_action == 0
    ws.assessments.assess(opened_child.uuid, risk("黄", reason="已找到，家中照料正常"))
    assert ws.children.get(opened_child.uuid).red_deferral is None


def test_red_is_accepted_when_help_is_already_open(ws, opened_child):
    ws.help.add(opened_child.uuid, {"kind": "法律援助", "started_on": D(2024, 6, 1)})
    ws.assessments.assess(opened_child.uuid, risk("红", reason="监护人侵害"))
    assert ws.children.get(opened_child.uuid).needs_action is False


def test_a_closed_red_file_is_not_flagged(ws, opened_child):
    ws.assessments.assess(opened_child.uuid, risk("红", reason="受伤"), help_measure={"kind": "医疗救助",
                                                                                    "started_on": FIXED_DATE})
    [h] = ws.help.for_child(opened_child.uuid)
    ws.help.finish(h.uuid)
    ws.children.close(opened_child.uuid, "迁出")
    assert ws.children.get(opened_child.uuid).needs_action is False
    assert ws.stats.red_without_action() == []


# visits and due dates

def test_a_visit_moves_the_due_date_to_the_colours_interval_after_it(ws, opened_child):
    ws.assessments.assess(opened_child.uuid, risk("黄", on=OPENED))
    v = ws.visits.record(opened_child.uuid, visit(D(2024, 6, 1)))
    assert v.next_due_on == D(2024, 7, 1)  # proposed from the cadence when the visitor leaves it empty
    child = ws.children.get(opened_child.uuid)
    assert (child.last_visit_on, child.next_visit_due) == (D(2024, 6, 1), D(2024, 7, 1))


@pytest.mark.parametrize("planned", [D(2024, 6, 5), D(2024, 6, 20)])
def test_the_date_planned_at_the_visit_holds_while_the_colour_is_unchanged(ws, opened_child, planned):
    ws.assessments.assess(opened_child.uuid, risk("黄", on=OPENED))
    ws.visits.record(opened_child.uuid, visit(D(2024, 6, 1), next_due_on=planned))
    assert due_of(ws, opened_child) == planned
    overdue_ids = ws.children.search_ids(ChildQuery(overdue=True))
    assert (opened_child.id in overdue_ids) == (planned < FIXED_DATE)


def test_raising_the_colour_after_a_visit_makes_the_child_due_sooner_and_overdue(ws, opened_child):
    ws.assessments.assess(opened_child.uuid, risk("蓝", on=OPENED))
    ws.visits.record(opened_child.uuid, visit(D(2024, 6, 1)))
    assert due_of(ws, opened_child) == D(2024, 8, 30)
    ws.assessments.assess(opened_child.uuid, risk("红", on=D(2024, 6, 10), reason="发现受伤"),
                          help_measure={"kind": "医疗救助", "started_on": D(2024, 6, 10)})
    assert due_of(ws, opened_child) == D(2024, 6, 8)  # red: followed up a week after the last home visit
    [row] = ws.children.rows(ws.children.search_ids(ChildQuery(overdue=True)))
    assert (row.uuid, row.days_overdue) == (opened_child.uuid, 6)
    assert [r.uuid for r in ws.stats.overdue()] == [opened_child.uuid]


def test_lowering_the_colour_after_a_visit_relaxes_the_due_date(ws, opened_child):
    ws.assessments.assess(opened_child.uuid, risk("橙", on=OPENED), paired_helper="刘结对")
    ws.visits.record(opened_child.uuid, visit(D(2024, 6, 10)))
    assert due_of(ws, opened_child) == D(2024, 6, 17)
    ws.assessments.assess(opened_child.uuid, risk("蓝", on=D(2024, 6, 12), reason="情况好转"))
    assert due_of(ws, opened_child) == D(2024, 9, 8)


def test_deleting_a_visit_recomputes_the_due_date_from_the_visits_left(ws, opened_child, db):
    ws.assessments.assess(opened_child.uuid, risk("黄", on=OPENED))
    first = ws.visits.record(opened_child.uuid, visit(D(2024, 5, 10)))
    second = ws.visits.record(opened_child.uuid, visit(D(2024, 6, 1)))
    assert due_of(ws, opened_child) == D(2024, 7, 1)
    ws.visits.delete(second.uuid)
    child = ws.children.get(opened_child.uuid)
    assert (child.last_visit_on, child.next_visit_due) == (D(2024, 5, 10), D(2024, 6, 9))
    assert [v.uuid for v in ws.visits.for_child(opened_child.uuid)] == [first.uuid]
    assert db.query(ws.store, "SELECT deleted_at IS NOT NULL FROM visit WHERE uuid = ?", second.uuid) == [(1,)]
    assert db.query(ws.store, "SELECT field FROM change_log WHERE record_uuid = ?", second.uuid) == [("deleted_at",)]
    ws.visits.delete(first.uuid)
    child = ws.children.get(opened_child.uuid)
    assert (child.last_visit_on, child.next_visit_due) == (None, D(2024, 5, 31))
    with pytest.raises(WeibaoError):
        ws.visits.get(first.uuid)


def test_an_earlier_visit_entered_late_does_not_move_the_last_visit_back(ws, opened_child):
    ws.visits.record(opened_child.uuid, visit(D(2024, 6, 1)))
    ws.visits.record(opened_child.uuid, visit(D(2024, 5, 15)))
    assert ws.children.get(opened_child.uuid).last_visit_on == D(2024, 6, 1)
    assert [v.visited_on for v in ws.visits.for_child(opened_child.uuid)] == [D(2024, 6, 1), D(2024, 5, 15)]


def test_editing_a_visit_date_recomputes_the_due_date_and_keeps_history(ws, opened_child):
    v = ws.visits.record(opened_child.uuid, visit(D(2024, 6, 1), next_due_on=None))
    ws.visits.update(v.uuid, {"visited_on": D(2024, 6, 3), "next_due_on": D(2024, 6, 20)})
    child = ws.children.get(opened_child.uuid)
    assert (child.last_visit_on, child.next_visit_due) == (D(2024, 6, 3), D(2024, 6, 20))


@pytest.mark.parametrize(
    "values, words",
    [
        (visit(FIXED_DATE + dt.timedelta(days=1)), "走访日期（2024-06-15）不能晚于今天"),
        (visit(D(2024, 6, 10), next_due_on=D(2024, 6, 9)), "下次走访时间不能早于本次走访日期"),
        ({"visited_on": D(2024, 6, 10), "visitors": "", "mode": "入户"}, "请填写走访人"),
        (visit(D(2024, 6, 10), mode="飞鸽传书"), "走访方式“飞鸽传书”不在可选范围内"),
    ],
)
def test_a_bad_visit_is_refused_and_nothing_changes(ws, opened_child, db, values, words):
    before = db.snapshot(ws.store)
    with pytest.raises(WeibaoError) as e:
        ws.visits.record(opened_child.uuid, values)
    assert words in e.value.message
    assert db.snapshot(ws.store) == before


def test_an_edit_making_the_next_date_precede_the_visit_is_refused(ws, opened_child):
    v = ws.visits.record(opened_child.uuid, visit(D(2024, 6, 1), next_due_on=D(2024, 6, 20)))
    with pytest.raises(WeibaoError):
        ws.visits.update(v.uuid, {"visited_on": D(2024, 6, 21)})
    assert ws.visits.get(v.uuid).visited_on == D(2024, 6, 1)


def test_visit_list_filters_by_period_and_child_name(ws, make_child, clock):
    clock.set(D(2024, 1, 1))
    a = make_child(name=RARE_NAME)
    b = make_child(name="吴嘉乐")
    clock.set(FIXED_DATE)
    ws.visits.record(a.uuid, visit(D(2024, 3, 1)))
    ws.visits.record(a.uuid, visit(D(2024, 6, 1)))
    ws.visits.record(b.uuid, visit(D(2024, 6, 2)))
    page = ws.visits.page()
    assert page.total == 3 and [v.visited_on for v in page.rows] == [D(2024, 6, 2), D(2024, 6, 1), D(2024, 3, 1)]
    assert ws.visits.page(date_from=D(2024, 6, 1), date_to=D(2024, 6, 30)).total == 2
    assert [v.child_name for v in ws.visits.page(text=RARE_NAME[:2]).rows] == [RARE_NAME, RARE_NAME]
    assert ws.visits.page(limit=1, offset=1).rows[0].visited_on == D(2024, 6, 1)


# help and referrals

def test_help_measures_list_open_ones_and_keep_edits_in_history(ws, opened_child):
    a = ws.help.add(opened_child.uuid, {"kind": "教育资助", "started_on": D(2024, 6, 1)})
    b = ws.help.add(opened_child.uuid, {"kind": "监护指导", "started_on": D(2024, 6, 2)})
    ws.help.finish(a.uuid, "已资助")
    assert [h.uuid for h in ws.help.page(open_only=True).rows] == [b.uuid]
    assert ws.help.page().total == 2
    updated = ws.help.update(b.uuid, {"responsible": "李老师"})
    assert updated.responsible == "李老师"
    with pytest.raises(WeibaoError) as e:
        ws.help.add(opened_child.uuid, {"kind": "发红包", "started_on": FIXED_DATE})
    assert "帮扶措施“发红包”不在可选范围内" in e.value.message


def test_a_referral_needs_a_child_or_a_clue(ws):
    with pytest.raises(WeibaoError) as e:
        ws.referrals.add({"target": "医院", "referred_on": FIXED_DATE})
    assert "须关联儿童档案或强制报告线索" in e.value.message


def test_a_finished_referral_cannot_change_state_again(ws, opened_child, db):
    r = ws.referrals.add({"target": "教育部门", "referred_on": D(2024, 6, 1), "reason": "辍学"},
                         child_key=opened_child.uuid)
    ws.referrals.set_state(r.uuid, "已办结", feedback="已复学")
    before = db.snapshot(ws.store)
    with pytest.raises(WeibaoError) as e:
        ws.referrals.set_state(r.uuid, "已接收")
    assert "已办结" in e.value.message and "不能再改状态" in e.value.message
    assert "已已" not in e.value.message
    assert db.snapshot(ws.store) == before
    assert db.query(ws.store, "SELECT old_value, new_value FROM change_log WHERE field = 'state'") == [
        ("referred", "done")]


def test_a_returned_referral_needs_the_reason_it_came_back(ws, opened_child):
    r = ws.referrals.add({"target": "救助站", "referred_on": D(2024, 6, 1)}, child_key=opened_child.uuid)
    with pytest.raises(WeibaoError) as e:
        ws.referrals.set_state(r.uuid, "退回")
    assert "请填写退回原因" in e.value.message
    back = ws.referrals.set_state(r.uuid, "退回", feedback="非本辖区", on=D(2024, 6, 5))
    assert (back.state, back.state_on, back.feedback) == ("returned", D(2024, 6, 5), "非本辖区")


def test_a_referral_from_a_clue_carries_the_clues_child_name(ws):
    clue = ws.clues.receive({"child_name": RARE_NAME, "received_at": dt.datetime(2024, 6, 13, 9), "source": "群众举报",
                             "content": "独自在家多日"})
    r = ws.referrals.add({"target": "公安", "referred_on": FIXED_DATE}, clue_uuid=clue.uuid)
    assert (r.clue_uuid, r.child_uuid, r.child_name) == (clue.uuid, None, RARE_NAME)
    assert [x.uuid for x in ws.referrals.page(open_only=True).rows] == [r.uuid]


def test_a_planned_next_visit_may_come_sooner_but_never_later_than_the_colour_allows(ws, opened_child):
    ws.assessments.assess(opened_child.uuid, risk("黄"))  # yellow: every 30 days
    soon = ws.visits.record(opened_child.uuid, visit(FIXED_DATE, next_due_on=FIXED_DATE + dt.timedelta(days=10)))
    assert due_of(ws, opened_child) == FIXED_DATE + dt.timedelta(days=10)
    with pytest.raises(WeibaoError, match="不能晚于.*黄色等级的走访周期：每30天") as e:
        ws.visits.record(opened_child.uuid, visit(FIXED_DATE, next_due_on=FIXED_DATE + dt.timedelta(days=200)))
    assert e.value.field == "next_due_on"
    with pytest.raises(WeibaoError, match="不能晚于"):
        ws.visits.update(soon.uuid, {"next_due_on": FIXED_DATE + dt.timedelta(days=31)})
    assert due_of(ws, opened_child) == FIXED_DATE + dt.timedelta(days=10)


def test_an_empty_visit_is_refused_below_the_window_and_changes_nothing(ws, opened_child, db, store):
    before = db.snapshot(store)
    with pytest.raises(WeibaoError, match="至少要写一项情况") as e:
        ws.visits.record(opened_child.uuid, {"visited_on": D(2024, 6, 1), "visitors": "张督导", "mode": "入户"})
    assert e.value.field == "living"
    with pytest.raises(WeibaoError, match="走访方式"):
        ws.visits.record(opened_child.uuid, {"visited_on": D(2024, 6, 1), "visitors": "张督导", "living": "正常"})
    assert db.snapshot(store) == before
    unseen = ws.visits.record(opened_child.uuid, {"visited_on": D(2024, 6, 1), "visitors": "张督导", "mode": "入户",
                                                 "problems": "未见到儿童，家中无人"})
    with pytest.raises(WeibaoError, match="至少要写一项情况"):
        ws.visits.update(unseen.uuid, {"problems": ""})  # the stored values count: emptying the only one is refused
    assert ws.visits.get(unseen.uuid).problems == "未见到儿童，家中无人"
