"""Each role calls each service family: allowed calls work, refused ones say why in Chinese and write nothing.

The expected roles of every case are written out here by hand (not read from the policy), so a change to the
policy that lets a role do more, or less, fails a test."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from factories import FIXED_DATE, VILLAGES, child_values, id_number, person
from weibao_desktop.services import Actor, WeibaoError, Workstation

D = dt.date
T = dt.datetime
DATA = Path(__file__).parent / "data"

ROLES = {
    "head": Actor("陈站长", "head"),
    "supervisor": Actor("王督导", "supervisor"),
    "director": Actor("李主任", "director", frozenset({"东村"})),
    "viewer": Actor("赵查看", "viewer"),
    "county_admin": Actor("县管理员", "county_admin"),
    "county": Actor("县科员", "county"),
}
LABELS = {"head": "站长(管理员)", "supervisor": "工作人员(儿童督导员)", "director": "儿童主任", "viewer": "查看",
          "county_admin": "县级管理员", "county": "县级工作人员"}
ALL = set(ROLES)
STAFF = {"head", "supervisor", "county_admin", "county"}
CASEWORKERS = STAFF | {"director"}
ADMINS = {"head", "county_admin"}


def _visit():
    return {"living": "正常", "visited_on": D(2024, 6, 1), "visitors": "张督导", "mode": "入户"}


def _risk(colour):
    return {"kind": "risk", "assessed_on": FIXED_DATE, "assessor": "张督导", "result": colour, "reason": "复评"}


# family: (roles allowed, the action's words in the refusal, the call given (ws, the 东村 child's uuid, tmp_path))
CASES = {
    "children: open a file": (CASEWORKERS, "新建儿童档案", lambda ws, c, tmp: ws.children.create(
        child_values(name="周子轩", village_id=_village(ws, "东村"), birth_date=D(2016, 2, 3)))),
    "children: change a file": (CASEWORKERS, "修改儿童档案", lambda ws, c, tmp: ws.children.update(
        c, {"notes": "新备注"})),
    "children: add a relative": (CASEWORKERS, "添加家庭成员", lambda ws, c, tmp: ws.children.add_person(
        c, person("母亲", 7))),
    "children: read a file": (ALL, "", lambda ws, c, tmp: ws.children.get(c)),
    "children: the list": (ALL, "", lambda ws, c, tmp: ws.children.page()),
    "children: show the full id number": (STAFF, "显示完整号码", lambda ws, c, tmp: ws.children.reveal_id(c)),
    "assessments: assess": (CASEWORKERS, "风险评估", lambda ws, c, tmp: ws.assessments.assess(c, _risk("黄"))),
    "visits: record a visit": (CASEWORKERS, "记录走访", lambda ws, c, tmp: ws.visits.record(c, _visit())),
    "visits: the list": (ALL, "", lambda ws, c, tmp: ws.visits.page()),
    "help: add a measure": (CASEWORKERS, "添加帮扶措施", lambda ws, c, tmp: ws.help.add(
        c, {"kind": "监护指导", "started_on": D(2024, 6, 1)})),
    "referrals: refer": (CASEWORKERS, "转介", lambda ws, c, tmp: ws.referrals.add(
        {"target": "医院", "referred_on": D(2024, 6, 1)}, child_key=c)),
    "clues: receive a clue": (STAFF, "登记线索", lambda ws, c, tmp: ws.clues.receive(
        {"child_name": "某儿童", "received_at": T(2024, 6, 13, 9), "source": "学校报告", "content": "受伤"})),
    "clues: the list": (STAFF | {"viewer"}, "查看线索", lambda ws, c, tmp: ws.clues.page()),
    "hotline: log a call": (STAFF, "登记来电", lambda ws, c, tmp: ws.hotline.log(
        {"call_at": T(2024, 6, 13, 9), "content": "求助"})),
    "stats: the dashboard": (ALL, "", lambda ws, c, tmp: ws.stats.dashboard()),
    "printing: a file card as PDF": (ALL, "", lambda ws, c, tmp: ws.printing.save_pdf(
        ws.printing.file_card(c), tmp / "card.pdf")),
    "printing: with full id numbers": (STAFF, "打印完整身份证号", lambda ws, c, tmp: ws.printing.file_card(
        c, full_id=True)),
    "printing: the print log": (STAFF | {"viewer"}, "查看打印记录", lambda ws, c, tmp: ws.printing.log()),
    "ledger: export": (ALL, "", lambda ws, c, tmp: ws.ledger.export("children", tmp / "children.xlsx")),
    "ledger: import": (STAFF, "导入台账", lambda ws, c, tmp: ws.ledger.apply(DATA / "东村留守儿童花名册.xlsx")),
    "exchange: the log": (STAFF | {"viewer"}, "查看数据交换", lambda ws, c, tmp: ws.exchange.log()),
    "exchange: apply a package": (STAFF, "导入数据包", lambda ws, c, tmp: ws.exchange.apply(tmp / "none.xlsx")),
    "exchange: export a package": (STAFF, "生成数据包", lambda ws, c, tmp: ws.exchange.export(tmp / "p.xlsx")),
    "stations: change the cadence": (ADMINS, "修改走访周期", lambda ws, c, tmp: ws.stations.set_cadence(
        {"yellow": 20})),
    "stations: add a village": (ADMINS, "添加村(社区)", lambda ws, c, tmp: ws.stations.add_village("北村")),
    "stations: add an account": (ADMINS, "新增账号", lambda ws, c, tmp: ws.stations.add_user("钱主任", "儿童主任")),
    "maintenance: back up": (STAFF, "备份数据库", lambda ws, c, tmp: ws.maintenance.backup(tmp)),
    "maintenance: restore": (ADMINS, "恢复数据库", lambda ws, c, tmp: ws.maintenance.restore(tmp / "none.sqlite3")),
    "audit: read the trail": (ADMINS, "查看审计日志", lambda ws, c, tmp: ws.audit.entries()),
    "audit: export the trail": (ADMINS, "导出审计日志", lambda ws, c, tmp: ws.audit.export(tmp / "audit.xlsx")),
}
# Allowed calls that fail for a reason of their own (a package file that is not there; no county to send to
# from a plain station store): the role check passed, and that is what these cases are about.
OWN_FAILURE = {"exchange: apply a package", "exchange: export a package", "maintenance: restore"}


def _village(ws, name: str) -> int:
    return next(v.id for v in ws.stations.info().villages if v.name == name)


@pytest.fixture
def east_child(ws, make_child):
    """A child of 东村 (the director's village) and one of 西村, with a family and a full id number."""
    father = {"id_number": id_number(D(1985, 1, 1), "M", 5, region="430104")}
    east = make_child(village_id=_village(ws, "东村"), people=[person("父亲", 1, **father)])
    make_child(name="吴雨桐", village_id=_village(ws, "西村"), birth_date=D(2013, 9, 9), sex="F")
    return east


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("case", list(CASES))
def test_each_role_may_do_what_its_role_allows_and_a_refusal_writes_nothing(ws, east_child, db, tmp_path, role,
                                                                             case):
    allowed, action, call = CASES[case]
    actor_ws = Workstation(ws.store, ROLES[role], today=ws.ctx.today)
    out = tmp_path / "out"  # the store is in tmp_path itself
    out.mkdir()
    before = db.snapshot(ws.store)
    if role in allowed:
        try:
            call(actor_ws, east_child.uuid, out)
        except WeibaoError as e:
            assert case in OWN_FAILURE and "无权" not in e.message, e.message
        return
    with pytest.raises(WeibaoError) as refused:
        call(actor_ws, east_child.uuid, out)
    assert refused.value.message == f"当前账号（{LABELS[role]}）无权进行此操作：{action}"
    assert db.snapshot(ws.store) == before
    assert not list(out.iterdir())  # no file written either


def _as(ws, role: str) -> Workstation:
    return Workstation(ws.store, ROLES[role], today=ws.ctx.today)


def test_a_director_sees_only_the_children_of_their_villages(ws, east_child, tmp_path):
    director = _as(ws, "director")
    west = next(r for r in ws.children.page().rows if r.name == "吴雨桐")
    assert [r.name for r in director.children.page().rows] == [east_child.name]
    assert director.children.rows(ws.children.search_ids()) == director.children.page().rows
    assert director.stats.stats().total_active == 1 and ws.stats.stats().total_active == 2
    assert director.stats.dashboard().stats.by_village == {"东村": 1}
    for refused in (lambda: director.children.get(west.uuid), lambda: director.visits.record(west.uuid, _visit()),
                    lambda: director.visits.for_child(west.uuid), lambda: director.printing.file_card(west.uuid),
                    lambda: director.children.update(west.uuid, {"notes": "x"})):
        with pytest.raises(WeibaoError, match="不在负责的村"):
            refused()
    # Records of the other village's child are refused like the file, and lists leave them out.
    visit = ws.visits.record(west.uuid, _visit())
    with pytest.raises(WeibaoError, match="不在负责的村"):
        director.visits.update(visit.uuid, {"problems": "无"})
    assert director.visits.page().total == 0
    # A file opened in another village, or moved to one, is refused and not kept.
    with pytest.raises(WeibaoError, match="不在负责的村"):
        director.children.create(child_values(name="郭一诺", village_id=_village(ws, "西村")))
    with pytest.raises(WeibaoError, match="不在负责的村"):
        director.children.update(east_child.uuid, {"village_id": _village(ws, "西村")})
    assert ws.children.page().total == 2 and ws.children.get(east_child.uuid).village == "东村"


def test_a_director_without_villages_sees_no_child(ws, east_child):
    nobody = Workstation(ws.store, Actor("新主任", "director"), today=ws.ctx.today)
    assert nobody.children.page().total == 0 and nobody.stats.stats().total_active == 0


def test_ledgers_and_the_round_are_scoped_to_the_directors_villages(ws, east_child, tmp_path):
    from openpyxl import load_workbook

    director = _as(ws, "director")
    director.ledger.export("children", tmp_path / "children.xlsx")
    text = "\n".join(str(c.value) for row in load_workbook(tmp_path / "children.xlsx").active.iter_rows() for c in row
                     if c.value is not None)
    assert east_child.name in text and "吴雨桐" not in text
    assert east_child.id_number not in text and east_child.id_number[:6] in text  # masked: 430104********1234
    job = director.printing.round(D(2024, 6, 1), D(2024, 12, 31))
    assert job is not None and job.subjects == (east_child.uuid,)
    summary = director.ledger.summary()
    assert [r.label for r in summary[0]] == ["东村"]


def test_director_and_viewer_get_masked_id_numbers_staff_get_them_whole(ws, east_child, tmp_path):
    from openpyxl import load_workbook

    number = east_child.id_number
    father = east_child.people[0].id_number
    ws.children.update(east_child.uuid, {"id_number": number})  # no change: the history holds the creation only
    for role in ("director", "viewer"):
        other = _as(ws, role)
        detail = other.children.get(east_child.uuid)
        assert detail.id_number == f"{number[:6]}********{number[-4:]}"
        assert detail.people[0].id_number != father and detail.people[0].id_number.endswith(father[-4:])
        assert number not in repr(other.children.page()) and number not in repr(other.stats.dashboard())
        other.ledger.export("children", tmp_path / f"{role}.xlsx")
        cells = [str(c.value) for row in load_workbook(tmp_path / f"{role}.xlsx").active.iter_rows() for c in row]
        assert number not in cells and father not in cells
    supervisor = _as(ws, "supervisor")
    assert supervisor.children.get(east_child.uuid).id_number == number
    supervisor.ledger.export("children", tmp_path / "full.xlsx")
    cells = [str(c.value) for row in load_workbook(tmp_path / "full.xlsx").active.iter_rows() for c in row]
    assert number in cells


def test_a_masked_number_sent_back_from_a_form_changes_nothing(ws, east_child):
    director = _as(ws, "director")
    shown = director.children.get(east_child.uuid)
    director.children.update(east_child.uuid, {"id_number": shown.id_number, "notes": "主任走访后补充"})
    assert ws.children.get(east_child.uuid).id_number == east_child.id_number


def test_the_change_history_masks_an_id_number_change_for_a_director(ws, east_child):
    new_number = id_number(east_child.birth_date, east_child.sex, 77)
    ws.children.update(east_child.uuid, {"id_number": new_number})
    history = _as(ws, "director").children.history(east_child.uuid)
    lines = [c for c in history if c.field == "id_number"]
    assert lines and all("*" in c.new and "*" in c.old for c in lines)
    assert new_number not in repr(history) and east_child.id_number not in repr(history)


def test_a_county_account_limited_to_some_townships(ws, east_child):
    elsewhere = Workstation(ws.store, Actor("县科员", "county", townships=frozenset({"别的镇"})), today=ws.ctx.today)
    here = Workstation(ws.store, Actor("县科员", "county", townships=frozenset({ws.stations.info().name})),
                       today=ws.ctx.today)
    everywhere = Workstation(ws.store, Actor("县科员", "county"), today=ws.ctx.today)
    assert elsewhere.children.page().total == 0
    with pytest.raises(WeibaoError, match="不在负责的村"):
        elsewhere.children.get(east_child.uuid)
    assert here.children.page().total == everywhere.children.page().total == 2


def test_old_admin_role_is_the_head_and_a_plain_name_acts_as_supervisor(ws):
    old = Workstation(ws.store, Actor("老站长", "admin"), today=ws.ctx.today)
    assert old.may("stations.set_cadence") and old.stations.set_cadence({"yellow": 20})
    plain = Workstation(ws.store, "某工作人员")
    assert plain.actor.role == "supervisor" and plain.may("children.create") and not plain.may("stations.add_user")
    assert {v for v in VILLAGES} >= {"东村"}


def test_as_account_takes_the_role_of_the_named_account(ws):
    ws.stations.add_user("钱主任", "儿童主任")
    assert Workstation.as_account(ws.store, "钱主任").actor.role == "director"
    assert Workstation.as_account(ws.store, ws.actor.name).actor.role == "head"
    assert Workstation.as_account(ws.store, "不存在的人").actor.role == "supervisor"


def test_the_first_account_of_a_county_store_is_its_administrator(bare_ws):
    bare_ws.stations.init("岳麓区", "430104000000", "岳麓区", [], mode="county")
    assert [(u.name, u.role) for u in bare_ws.stations.users()] == [(bare_ws.actor.name, "county_admin")]
    admin = Workstation.as_account(bare_ws.store, bare_ws.actor.name)
    assert admin.may("audit.verify") and admin.may("stations.add_user")
