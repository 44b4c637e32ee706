"""Every refused action leaves the store exactly as it was: one action, one transaction.

Most cases fail after the service has already written part of the action (the child before its
family, the assessment before the colour rule), which is where a missing rollback would show.
"""
from __future__ import annotations

import datetime as dt

import pytest

from factories import FIXED_DATE, child_values, person
from weibao_desktop.services import DuplicateChild, WeibaoError

D = dt.date
T = dt.datetime


def _risk(colour, **extra):
    return {"kind": "risk", "assessed_on": FIXED_DATE, "assessor": "张督导", "result": colour, "reason": "复评", **extra}


# Each case: (ws, child) -> the failing call, after any setup of its own.
CASES = {
    "create: second father in the family list": lambda ws, c: lambda: ws.children.create(
        child_values(), people=[person("父亲", 1), person("父亲", 2)]),
    "create: unknown relief after a good one": lambda ws, c: lambda: ws.children.create(
        child_values(), reliefs=[{"kind": "低保"}, {"kind": "彩票救助"}]),
    "create: the same category twice": lambda ws, c: lambda: ws.children.create(
        child_values(), categories=["留守儿童", "留守"]),
    "create: unknown category": lambda ws, c: lambda: ws.children.create(child_values(), categories=["外星儿童"]),
    "create: person with a damaged id number": lambda ws, c: lambda: ws.children.create(
        child_values(), people=[person("母亲", 3, id_number="4.30104198501011E+17")]),
    "create: duplicate id number": lambda ws, c: lambda: ws.children.create(
        child_values(sex=c.sex, birth_date=c.birth_date, id_number=c.id_number)),
    "update: stale revision": lambda ws, c: (ws.children.update(c.uuid, {"notes": "v2"}),
                                             lambda: ws.children.update(c.uuid, {"notes": "v3"}, expected_rev=1))[1],
    "update: unknown field among good ones": lambda ws, c: lambda: ws.children.update(
        c.uuid, {"notes": "新备注", "risk_colour": "red"}),
    "update_person: a second father": lambda ws, c: lambda: ws.children.update_person(
        ws.children.get(c.uuid).people[1].uuid, {"relation": "父亲", "name": "改名"}),
    "end_category: before it started": lambda ws, c: lambda: ws.children.end_category(
        ws.children.get(c.uuid).categories[0].uuid, D(2000, 1, 1)),
    "close: other without a note": lambda ws, c: lambda: ws.children.close(c.uuid, "其他"),
    "reopen: an active file": lambda ws, c: lambda: ws.children.reopen(c.uuid),
    "assess: red with an invalid help measure": lambda ws, c: lambda: ws.assessments.assess(
        c.uuid, _risk("红"), help_measure={"kind": "发红包", "started_on": FIXED_DATE}),
    "assess: red with an incomplete referral": lambda ws, c: lambda: ws.assessments.assess(
        c.uuid, _risk("红"), referral={"target": "公安"}),
    "assess: red, the help measure given but the deferral only blank": lambda ws, c: (
        ws.help.finish(ws.help.for_child(c.uuid)[0].uuid),
        lambda: ws.assessments.assess(c.uuid, _risk("红"), red_deferral=" "))[1],
    "assess: orange without a helper": lambda ws, c: lambda: ws.assessments.assess(c.uuid, _risk("橙")),
    "visit: on a future day": lambda ws, c: lambda: ws.visits.record(
        c.uuid, {"living": "正常", "visited_on": FIXED_DATE + dt.timedelta(days=3), "visitors": "张督导", "mode": "入户"}),
    "visit update: next date before the visit": lambda ws, c: (
        v := ws.visits.record(c.uuid, {"living": "正常", "visited_on": D(2024, 6, 1), "visitors": "张督导", "mode": "入户"}),
        lambda: ws.visits.update(v.uuid, {"next_due_on": D(2024, 5, 1), "problems": "新问题"}))[1],
    "help update: unknown state": lambda ws, c: lambda: ws.help.update(
        ws.help.for_child(c.uuid)[0].uuid, {"state": "搁置", "result": "x"}),
    "referral: returned without a reason": lambda ws, c: (
        r := ws.referrals.add({"target": "医院", "referred_on": D(2024, 6, 1)}, child_key=c.uuid),
        lambda: ws.referrals.set_state(r.uuid, "退回"))[1],
    "referral: to an unknown clue": lambda ws, c: lambda: ws.referrals.add(
        {"target": "医院", "referred_on": D(2024, 6, 1)}, clue_uuid="no-such-clue"),
    "clue: for an unknown child": lambda ws, c: lambda: ws.clues.receive(
        {"received_at": T(2024, 6, 13, 9), "source": "学校报告", "content": "受伤"}, child_key="no-such-child"),
    "clue: skipping 调查": lambda ws, c: (
        k := ws.clues.receive({"child_name": "某儿童", "received_at": T(2024, 6, 13, 9), "source": "学校报告",
                               "content": "受伤"}),
        lambda: ws.clues.advance(k.uuid, "处置", "报警", at=T(2024, 6, 13, 10)))[1],
    "hotline: the same call to a clue twice": lambda ws, c: (
        call := ws.hotline.log({"call_at": T(2024, 6, 13, 9), "content": "求助"}, child_key=c.uuid),
        ws.hotline.to_clue(call.uuid),
        lambda: ws.hotline.to_clue(call.uuid))[2],
    "station: invalid cadence": lambda ws, c: lambda: ws.stations.set_cadence({"yellow": 0}),
    "station: initialised twice": lambda ws, c: lambda: ws.stations.init("又一个镇", "430104009000"),
    "station: a village name again": lambda ws, c: lambda: ws.stations.add_village("东村"),
}


@pytest.fixture
def child(ws, make_child):
    c = make_child(people=[person("父亲", 1), person("母亲", 2)], categories=[("留守儿童", D(2024, 1, 1))],
                   reliefs=[{"kind": "临时救助"}])
    ws.assessments.assess(c.uuid, _risk("黄"))
    ws.help.add(c.uuid, {"kind": "监护指导", "started_on": D(2024, 6, 1)})
    return ws.children.get(c.uuid)


@pytest.mark.parametrize("case", list(CASES))
def test_a_refused_action_changes_nothing(ws, child, db, case):
    call = CASES[case](ws, child)
    before = db.snapshot(ws.store)
    with pytest.raises(WeibaoError) as e:
        call()
    assert e.value.message  # a message for the user, in Chinese
    assert any("\u4e00" <= ch <= "\u9fff" for ch in e.value.message)
    assert db.snapshot(ws.store) == before


def test_a_duplicate_is_reported_as_such(ws, child):
    with pytest.raises(DuplicateChild):
        CASES["create: duplicate id number"](ws, child)()
