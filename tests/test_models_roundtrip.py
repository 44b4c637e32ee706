"""Every record, created through the services, read back from the file exactly as entered.

Names and texts carry characters outside the BMP (𠮷, 𡒄): they must survive every round trip.
"""
from __future__ import annotations

import datetime as dt

from factories import FIXED_DATE, RARE_1, RARE_2, RARE_NAME, id_number, person

D = dt.date
T = dt.datetime
BIRTH = D(2015, 3, 1)
FATHER_BIRTH = D(1985, 7, 9)


def full_child_values(village_id: int) -> dict:
    return {
        "name": RARE_NAME,
        "sex": "女",
        "ethnicity": "土家族",
        "birth_date": "2015年3月1日",
        "id_number": " " + id_number(BIRTH, "F", 7).lower() + ".0",  # as a damaged spreadsheet cell
        "hukou_registered": "是",
        "hukou_address": f"湖南省长沙市岳麓区{RARE_2}家湾村3组",
        "residence_address": f"东村{RARE_1}家坪12号",
        "health": "残疾",
        "disability_kind": "肢体残疾",
        "disability_grade": "二级",
        "illness": "哮喘",
        "schooling": "小学",
        "school_name": "城关镇中心小学",
        "boarding": "寄宿",
        "income_sources": "打工、政府救助",
        "contact_phone": "138 0013 8000",
        "paired_helper": f"{RARE_2}志愿",
        "village_id": village_id,
        "notes": f"由祖母{RARE_1}氏照料\n多行备注",
    }


def test_a_child_with_every_registration_field_round_trips(ws, village_ids, reopen, db):
    created = ws.children.create(full_child_values(village_ids["东村"]))
    got = reopen().children.get(created.uuid)
    assert got == created
    assert got.name == RARE_NAME
    assert (got.sex, got.ethnicity, got.birth_date) == ("F", "土家族", BIRTH)
    assert got.id_number == id_number(BIRTH, "F", 7)
    assert got.id_problems == ()
    assert got.hukou_registered is True
    assert got.hukou_address == f"湖南省长沙市岳麓区{RARE_2}家湾村3组"
    assert got.residence_address == f"东村{RARE_1}家坪12号"
    assert (got.health, got.disability_kind, got.disability_grade, got.illness) == ("disabled", "肢体残疾", "二级", "哮喘")
    assert (got.schooling, got.school_name, got.boarding) == ("primary", "城关镇中心小学", True)
    assert got.income_sources == "work,government"
    assert got.contact_phone == "13800138000"
    assert got.paired_helper == f"{RARE_2}志愿"
    assert (got.village_id, got.village) == (village_ids["东村"], "东村")
    assert got.notes == f"由祖母{RARE_1}氏照料\n多行备注"
    assert (got.status, got.opened_on, got.rev, got.origin) == ("active", FIXED_DATE, 1, "430104001000")
    assert got.updated_by == "操作人姓名"
    assert got.risk_colour is None and got.last_visit_on is None
    # in the file itself: the characters, not replacement marks or surrogate pairs
    [(name, length, notes)] = db.query(ws.store, "SELECT name, length(name), notes FROM child")
    assert (name, length) == (RARE_NAME, 3)
    assert RARE_1 in notes


def test_a_child_created_with_no_optional_fields_reads_back_empty(ws, reopen):
    created = ws.children.create({"name": "李可馨", "sex": "F", "birth_date": D(2012, 5, 6)})
    got = reopen().children.get(created.uuid)
    assert got.id_number is None and got.village is None and got.income_sources is None
    assert got.hukou_registered is True  # the template's default: registered
    assert got.people == () and got.categories == () and got.reliefs == ()


def test_family_members_round_trip_with_their_statuses(ws, make_child, reopen):
    father = person("父亲", 1, name=f"{RARE_1}大山", birth_date="1985-07-09", id_number=id_number(FATHER_BIRTH, "M", 3),
                    status="外出务工", work_place="广东省深圳市", address="深圳市宝安区")
    mother = person("母亲", 2, name=f"{RARE_2}小梅", status="服刑在押", phone=None)
    entrusted = person("委托监护人", 3, name="赵一诺", relation_detail="祖母", status="在家", is_guardian="是",
                       address="东村5组", phone="0731-8888888")
    child = make_child(people=[father, mother, entrusted])
    got = reopen().children.get(child.uuid).people
    assert [p.relation for p in got] == ["father", "mother", "entrusted"]
    f, m, e = got
    assert (f.name, f.birth_date, f.id_number, f.phone, f.status, f.work_place, f.address, f.is_guardian) == (
        f"{RARE_1}大山", FATHER_BIRTH, id_number(FATHER_BIRTH, "M", 3), "13900000001", "migrant", "广东省深圳市",
        "深圳市宝安区", False)
    assert (m.name, m.status, m.phone) == (f"{RARE_2}小梅", "prison", None)
    assert (e.name, e.relation_detail, e.status, e.is_guardian, e.address, e.phone) == (
        "赵一诺", "祖母", "home", True, "东村5组", "0731-8888888")


def test_a_dead_parent_keeps_no_phone_or_work_place(ws, make_child):
    child = make_child(people=[person("父亲", 4, status="死亡", phone="13900000004", work_place="广东省")])
    [father] = ws.children.get(child.uuid).people
    assert father.status == "dead"
    assert father.phone is None and father.work_place is None


def test_a_parent_recorded_as_dead_later_keeps_no_phone_or_work_place_either(ws, make_child):
    child = make_child(people=[person("母亲", 5, status="外出务工", work_place="浙江省杭州市")])
    [mother] = ws.children.get(child.uuid).people
    ws.children.update_person(mother.uuid, {"status": "死亡"})
    [mother] = ws.children.get(child.uuid).people
    assert (mother.status, mother.phone, mother.work_place) == ("dead", None, None)


def test_categories_round_trip_with_start_and_end(ws, make_child, reopen):
    child = make_child(categories=["留守儿童", ("低保家庭", D(2023, 1, 1))])
    ws.children.add_category(child.uuid, "残疾儿童", D(2022, 9, 1))
    low_income = next(c for c in ws.children.get(child.uuid).categories if c.category == "dibao")
    ws.children.end_category(low_income.uuid, D(2024, 3, 31))
    got = reopen().children.get(child.uuid).categories
    assert [(c.category, c.start_on, c.end_on) for c in got] == [
        ("disabled", D(2022, 9, 1), None),
        ("dibao", D(2023, 1, 1), D(2024, 3, 31)),
        ("left_behind", FIXED_DATE, None),
    ]
    assert [c.active_on(FIXED_DATE) for c in got] == [True, False, True]


def test_relief_round_trips(ws, make_child, reopen):
    child = make_child(reliefs=[{"kind": "低保", "start_on": "2023-01-01", "amount": "300元/月", "note": f"{RARE_1}村上报"}])
    ws.children.add_relief(child.uuid, {"kind": "临时救助", "start_on": D(2024, 2, 1), "end_on": D(2024, 2, 29),
                                        "amount": "1000元"})
    got = reopen().children.get(child.uuid).reliefs
    assert [(r.kind, r.start_on, r.end_on, r.amount, r.note) for r in got] == [
        ("dibao", D(2023, 1, 1), None, "300元/月", f"{RARE_1}村上报"),
        ("temporary", D(2024, 2, 1), D(2024, 2, 29), "1000元", None),
    ]


def test_assessments_round_trip(ws, make_child, reopen):
    child = make_child()
    ws.assessments.assess(child.uuid, {"kind": "监护情况评估", "assessed_on": D(2024, 6, 1), "assessor": f"{RARE_2}督导",
                                       "result": "差", "guardianship_type": "父或母无监护能力", "reason": "父亲服刑"})
    ws.assessments.assess(child.uuid, {"kind": "风险评估", "assessed_on": D(2024, 6, 2), "assessor": "张督导",
                                       "result": "黄色", "reason": f"祖母{RARE_1}氏年迈"})
    ws.assessments.assess(child.uuid, {"kind": "需求评估", "assessed_on": D(2024, 6, 3), "assessor": "张督导",
                                       "result": "心理疏导、教育资助"})
    got = reopen().assessments.history(child.uuid)
    assert [(a.kind, a.assessed_on, a.assessor, a.result, a.guardianship_type, a.reason) for a in got] == [
        ("needs", D(2024, 6, 3), "张督导", "心理疏导、教育资助", None, None),
        ("risk", D(2024, 6, 2), "张督导", "yellow", None, f"祖母{RARE_1}氏年迈"),
        ("guardianship", D(2024, 6, 1), f"{RARE_2}督导", "poor", "parent_incapable", "父亲服刑"),
    ]
    assert [a.kind for a in reopen().assessments.history(child.uuid, "risk")] == ["risk"]
    assert all(a.child_uuid == child.uuid for a in got)


def test_visits_round_trip_with_every_field(ws, make_child, reopen):
    child = make_child(name=RARE_NAME)
    texts = {k: f"{k}：{RARE_1}情况良好" for k in
             ("living", "study", "health", "safety", "psychology", "guardianship", "problems", "measures")}
    v = ws.visits.record(child.uuid, {"living": "正常", "visited_on": "2024/6/10", "visitors": f"张督导、{RARE_2}主任", "mode": "入户走访",
                                      "next_due_on": "2024-07-01", **texts})
    [got] = reopen().visits.for_child(child.uuid)
    assert got == v
    assert (got.child_name, got.visited_on, got.visitors, got.mode, got.next_due_on) == (
        RARE_NAME, D(2024, 6, 10), f"张督导、{RARE_2}主任", "home", D(2024, 7, 1))
    assert {k: getattr(got, k) for k in texts} == texts
    assert reopen().visits.get(v.uuid) == v


def test_help_measures_round_trip_and_finish(ws, make_child, reopen):
    child = make_child()
    h = ws.help.add(child.uuid, {"kind": "心理疏导", "started_on": D(2024, 6, 1), "responsible": f"{RARE_1}老师",
                                 "description": "每周一次谈心"})
    assert (h.state, h.ended_on) == ("open", None)
    ws.help.finish(h.uuid, result="情绪稳定", ended_on=D(2024, 6, 12))
    [got] = reopen().help.for_child(child.uuid)
    assert (got.kind, got.started_on, got.responsible, got.description, got.state, got.ended_on, got.result) == (
        "psychological", D(2024, 6, 1), f"{RARE_1}老师", "每周一次谈心", "done", D(2024, 6, 12), "情绪稳定")


def test_referrals_round_trip_through_their_states(ws, make_child, reopen):
    child = make_child()
    r = ws.referrals.add({"target": "公安机关", "target_name": f"城关{RARE_2}派出所", "referred_on": D(2024, 6, 1),
                          "reason": "疑似家庭暴力", "handled_by": "张督导"}, child_key=child.uuid)
    assert (r.state, r.state_on) == ("referred", D(2024, 6, 1))
    ws.referrals.set_state(r.uuid, "已接收", on=D(2024, 6, 2))
    ws.referrals.set_state(r.uuid, "已办结", feedback="已立案调查", on=D(2024, 6, 10))
    [got] = reopen().referrals.for_child(child.uuid)
    assert (got.child_uuid, got.target, got.target_name, got.referred_on, got.reason, got.state, got.state_on,
            got.feedback, got.handled_by) == (
        child.uuid, "police", f"城关{RARE_2}派出所", D(2024, 6, 1), "疑似家庭暴力", "done", D(2024, 6, 10),
        "已立案调查", "张督导")


def test_a_report_clue_round_trips_through_every_step(ws, reopen):
    c = ws.clues.receive({"child_name": RARE_NAME, "received_at": T(2024, 6, 10, 9, 0), "source": "学校报告",
                          "reporter": "王老师", "reporter_phone": "13800138001", "content": f"{RARE_1}同学身上有伤",
                          "reported_to": "公安、民政"})
    ws.clues.advance(c.uuid, "调查", "入户核实", at=T(2024, 6, 10, 14, 0), by="张督导")
    ws.clues.advance(c.uuid, "处置", "报公安并安排临时照料", at=T(2024, 6, 11, 10, 0))
    ws.clues.advance(c.uuid, "反馈", "公安已受理", at=T(2024, 6, 12, 16, 30), by=f"{RARE_2}站长")
    got = reopen().clues.get(c.uuid)
    assert (got.child_name, got.received_at, got.received_by, got.source, got.reporter, got.reporter_phone,
            got.content, got.reported_to, got.state) == (
        RARE_NAME, T(2024, 6, 10, 9, 0), "操作人姓名", "school", "王老师", "13800138001", f"{RARE_1}同学身上有伤",
        "police,civil_affairs", "closed")
    assert (got.investigated_at, got.investigated_by, got.investigation) == (T(2024, 6, 10, 14, 0), "张督导", "入户核实")
    assert (got.handled_at, got.handled_by, got.handling) == (T(2024, 6, 11, 10, 0), "操作人姓名", "报公安并安排临时照料")
    assert (got.feedback_at, got.feedback_by, got.feedback) == (T(2024, 6, 12, 16, 30), f"{RARE_2}站长", "公安已受理")


def test_a_hotline_call_round_trips_and_becomes_a_clue(ws, make_child, reopen):
    child = make_child(name=RARE_NAME)
    call = ws.hotline.log({"call_at": T(2024, 6, 13, 20, 15), "caller": f"{RARE_2}女士", "caller_phone": "13800138002",
                           "content": "邻居家孩子常被打", "handling": "已记录，转线索"}, child_key=child.uuid)
    assert (call.state, call.clue_uuid, call.child_name) == ("open", None, RARE_NAME)
    clue = ws.hotline.to_clue(call.uuid)
    w = reopen()
    [got_call] = w.hotline.page().rows
    assert (got_call.call_at, got_call.caller, got_call.caller_phone, got_call.content, got_call.handling,
            got_call.handled_by, got_call.child_uuid, got_call.clue_uuid) == (
        T(2024, 6, 13, 20, 15), f"{RARE_2}女士", "13800138002", "邻居家孩子常被打", "已记录，转线索", "操作人姓名",
        child.uuid, clue.uuid)
    got_clue = w.clues.get(clue.uuid)
    assert (got_clue.child_uuid, got_clue.child_name, got_clue.received_at, got_clue.source, got_clue.reporter,
            got_clue.reporter_phone, got_clue.content, got_clue.state) == (
        child.uuid, RARE_NAME, T(2024, 6, 13, 20, 15), "hotline", f"{RARE_2}女士", "13800138002", "邻居家孩子常被打",
        "received")
