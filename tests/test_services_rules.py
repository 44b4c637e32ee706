"""Issue 15 through the services: red placed and followed up, visits that do not count, calendar periods,
renamed codes on the write path, and the 资格核查 found, resolved and re-opened."""
from __future__ import annotations

import datetime as dt

import pytest

from factories import FIXED_DATE, person
from weibao_desktop.services import WeibaoError
from weibao_desktop.services.dto import ChildQuery

D = dt.date


def risk(colour, on, reason="走访核实"):
    return {"kind": "risk", "assessed_on": on, "assessor": "张督导", "result": colour, "reason": reason}


def visit(on, mode="入户", **extra):
    return {"visited_on": on, "visitors": "张督导", "mode": mode, "living": "正常", **extra}


def overdue_uuids(ws):
    return {r.uuid for r in ws.children.rows(ws.children.search_ids(ChildQuery(overdue=True)))}


def test_a_placed_red_child_is_followed_up_not_visited_at_home(ws, make_child, clock):
    clock.set(D(2024, 5, 1))
    child = make_child()
    clock.set(D(2024, 5, 20))
    ws.assessments.assess(child.uuid, risk("红", D(2024, 5, 20), "遭受家庭暴力"),
                          help_measure={"kind": "心理疏导", "started_on": D(2024, 5, 20)})
    ws.visits.record(child.uuid, visit(D(2024, 5, 20)))
    clock.set(FIXED_DATE)  # 2024-06-14: no home visit for 25 days
    ws.children.update(child.uuid, {"placement": "医院", "placed_on": D(2024, 5, 21), "placement_place": "县人民医院"})
    assert child.uuid in overdue_uuids(ws)
    call = ws.visits.record(child.uuid, visit(D(2024, 6, 12), mode="电话", living="与病区护士联系，伤情稳定"))
    assert call.counted  # a contact with the receiving body is the follow-up
    got = ws.children.get(child.uuid)
    assert (got.placement, got.placement_place) == ("hospital", "县人民医院")
    assert got.next_visit_due == D(2024, 6, 19) and child.uuid not in overdue_uuids(ws)
    # Back home, the phone call no longer counts: the follow-up is in person again.
    ws.children.update(child.uuid, {"placement": "在家"})
    assert ws.children.get(child.uuid).next_visit_due == D(2024, 5, 27)
    assert child.uuid in overdue_uuids(ws)


def test_a_phone_call_is_recorded_for_an_orange_child_but_does_not_reset_the_clock(ws, make_child, clock):
    clock.set(D(2024, 6, 1))
    child = make_child()
    ws.assessments.assess(child.uuid, risk("橙", D(2024, 6, 1)), paired_helper="刘结对")
    clock.set(FIXED_DATE)
    ws.visits.record(child.uuid, visit(D(2024, 6, 3)))
    call = ws.visits.record(child.uuid, visit(D(2024, 6, 12), mode="电话"))
    assert not call.counted
    assert ws.children.get(child.uuid).next_visit_due == D(2024, 6, 10)
    assert [v.counted for v in ws.visits.for_child(child.uuid)] == [False, True]
    # The station may let video calls count for orange: the clock follows at once.
    ws.stations.set_cadence({}, counting={"orange": ["home", "school", "phone"]})
    assert ws.children.get(child.uuid).next_visit_due == D(2024, 6, 19)


def test_a_monthly_cadence_is_kept_and_every_due_date_follows(ws, make_child, reopen):
    child = make_child()
    ws.assessments.assess(child.uuid, risk("黄", FIXED_DATE))
    ws.visits.record(child.uuid, visit(D(2024, 5, 31)))
    info = ws.stations.set_cadence({}, periods={"yellow": "month"})
    assert info.cadence_period["yellow"] == "month"
    assert ws.children.get(child.uuid).next_visit_due == D(2024, 6, 30)
    assert reopen().stations.info().cadence_period["yellow"] == "month"
    with pytest.raises(WeibaoError, match="不能晚于2024-07-31"):
        ws.visits.record(child.uuid, visit(FIXED_DATE, next_due_on=D(2024, 8, 1)))


def test_an_old_category_code_arriving_on_the_write_path_is_stored_as_renamed(ws, make_child):
    child = make_child(categories=["plight_life"])
    ws.children.add_category(child.uuid, "成长困境")
    assert {c.category for c in ws.children.get(child.uuid).categories} == {"plight_survival", "plight_development"}


# 资格核查

def titles(ws, month="2024-06"):
    return {(f.child_name, f.check): f for f in ws.checks.findings(month)}


def test_checks_find_resolve_and_reopen_when_the_facts_change(ws, make_child, clock):
    unsupported = make_child(people=[person("父亲", 1, status="服刑在押"), person("母亲", 2, status="重病")])
    left = make_child(categories=["left_behind"], people=[person("父亲", 3), person("母亲", 4)])
    orphan = make_child(categories=["孤儿"])
    adult = make_child(birth_date=D(2006, 6, 20))
    found = titles(ws)
    assert (unsupported.name, "de_facto_candidate") in found
    assert (left.name, "left_behind_invalid") in found
    assert (orphan.name, "orphan_unspecified") in found and (orphan.name, "no_allowance") in found
    assert (adult.name, "turning_18") in found
    assert not any(f.resolved for f in found.values())

    done = ws.checks.resolve(left.uuid, "left_behind_invalid", "整改", "已核实，退出留守儿童", "2024-06")
    assert done.resolved and done.decision == "rectify"
    with pytest.raises(WeibaoError, match="处理说明"):
        ws.checks.resolve(adult.uuid, "turning_18", "说明", "  ")
    with pytest.raises(WeibaoError, match="处理结果"):
        ws.checks.resolve(adult.uuid, "turning_18", "忽略", "x")
    ws.checks.resolve(unsupported.uuid, "de_facto_candidate", "说明", "母亲病愈在即，下月复核")
    again = titles(ws)
    assert again[(left.name, "left_behind_invalid")].resolved
    assert again[(unsupported.name, "de_facto_candidate")].note == "母亲病愈在即，下月复核"

    # The mother's status changes: the finding is open again, marked as re-opened.
    mother = next(p for p in ws.children.get(unsupported.uuid).people if p.relation == "mother")
    ws.children.update_person(mother.uuid, {"status": "失联"})
    reopened = titles(ws)[(unsupported.name, "de_facto_candidate")]
    assert not reopened.resolved and reopened.reopened
    # Facts that the check does not rest on leave a resolution alone.
    ws.children.update(left.uuid, {"school_name": "城关小学"})
    assert titles(ws)[(left.name, "left_behind_invalid")].resolved


def test_a_check_month_is_written_as_year_and_month(ws):
    with pytest.raises(WeibaoError, match="核查月份“2024/13”格式不正确"):
        ws.checks.findings("2024/13")


def test_the_six_and_five_kinds_filter_the_list(ws, make_child):
    orphan = make_child(categories=["孤儿"])
    absent = make_child(categories=["监护缺失"])
    trafficked = make_child(categories=["被拐卖"])
    left = make_child(categories=["留守儿童"])

    def found(group):
        return set(ws.children.search_ids(ChildQuery(category=group)))

    ids = {c.uuid: ws.children.get(c.uuid).id for c in (orphan, absent, trafficked, left)}
    assert found("六类·孤儿") == {ids[orphan.uuid]}
    assert found("五类·失去有效监护") == {ids[absent.uuid]}
    assert found("五类·流浪乞讨或被拐卖胁迫") == {ids[trafficked.uuid]}
    assert found("五类·父母长期外出") == {ids[left.uuid]}
