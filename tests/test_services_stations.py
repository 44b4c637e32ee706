"""Setting up a store: station, villages, users, and the per-station visit cadence."""
from __future__ import annotations

import datetime as dt

import pytest

from factories import FIXED_DATE, STATION_CODE
from weibao_desktop.services import WeibaoError


def test_a_new_store_has_no_station_and_says_how_to_set_one_up(bare_ws):
    assert bare_ws.stations.has_station() is False
    with pytest.raises(WeibaoError) as e:
        bare_ws.children.page()
    assert "还没有设置工作站" in e.value.message


def test_init_sets_up_the_station_its_villages_and_the_default_cadence(bare_ws):
    info = bare_ws.stations.init("城关镇", "430104001000", "岳麓区", ["东村", "西村", "南村"])
    assert bare_ws.stations.has_station()
    assert (info.name, info.code, info.county, info.mode) == ("城关镇", "430104001000", "岳麓区", "station")
    assert [v.name for v in info.villages] == ["东村", "南村", "西村"]  # listed in pinyin order
    assert all(len(v.code) == 12 and v.code.isdigit() and v.code.startswith("430104001") for v in info.villages)
    assert len({v.code for v in info.villages}) == 3
    assert info.cadence == {"blue": 90, "yellow": 30, "orange": 7, "red": 7}
    assert bare_ws.stations.info() == info
    assert [(u.name, u.role) for u in bare_ws.stations.users()] == [("操作人姓名", "head")]


@pytest.mark.parametrize(
    "args, words",
    [
        (("城关镇", "4301040010"), "区划代码应为12位数字"),
        (("城关镇", "43010400100A"), "区划代码应为12位数字"),
        (("", "430104001000"), "请填写工作站名称"),
        (("城关镇", "430104001000", None, ["东村", "东村"]), "村(社区)名称有重复"),
    ],
)
def test_init_refuses_bad_input(bare_ws, db, args, words):
    with pytest.raises(WeibaoError) as e:
        bare_ws.stations.init(*args)
    assert words in e.value.message
    assert db.count(bare_ws.store, "station") == 0
    assert not bare_ws.stations.has_station()


def test_init_cannot_run_twice(ws, db):
    before = db.snapshot(ws.store)
    with pytest.raises(WeibaoError) as e:
        ws.stations.init("另一个镇", "430104002000")
    assert "不能重复初始化" in e.value.message
    assert db.snapshot(ws.store) == before


def test_add_village_gives_it_a_fresh_code_and_refuses_a_repeated_name(ws):
    v = ws.stations.add_village("北村")
    codes = [x.code for x in ws.stations.info().villages]
    assert v.name == "北村" and codes.count(v.code) == 1
    with pytest.raises(WeibaoError) as e:
        ws.stations.add_village("北村")
    assert "已存在" in e.value.message
    with pytest.raises(WeibaoError):
        ws.stations.add_village("中村", code="12345")


def test_users_can_be_added_by_role_label(ws):
    u = ws.stations.add_user("李儿童主任", "儿童主任")
    assert u.role == "director"
    assert [x.name for x in ws.stations.users()] == ["操作人姓名", "李儿童主任"]
    with pytest.raises(WeibaoError) as e:
        ws.stations.add_user("赵某", "局长")
    assert "角色应为" in e.value.message
    with pytest.raises(WeibaoError):
        ws.stations.add_user("李儿童主任", "director")


def test_set_cadence_is_kept_and_moves_every_open_files_due_date(ws, make_child, reopen):
    child = make_child()
    ws.assessments.assess(child.uuid, {"kind": "risk", "assessed_on": FIXED_DATE, "assessor": "张督导",
                                       "result": "黄", "reason": "父母外出务工"})
    assert ws.children.get(child.uuid).next_visit_due == FIXED_DATE + dt.timedelta(days=30)
    info = ws.stations.set_cadence({"yellow": 14})
    assert info.cadence == {"blue": 90, "yellow": 14, "orange": 7, "red": 7}
    assert ws.children.get(child.uuid).next_visit_due == FIXED_DATE + dt.timedelta(days=14)
    assert reopen().stations.info().cadence["yellow"] == 14
    # a visit now proposes the station's interval
    assert ws.visits.propose_next_due(child.uuid, FIXED_DATE) == FIXED_DATE + dt.timedelta(days=14)


def test_set_cadence_keeps_the_date_planned_at_the_last_visit(ws, make_child):
    child = make_child()
    ws.visits.record(child.uuid, {"living": "正常", "visited_on": FIXED_DATE, "visitors": "张督导", "mode": "入户",
                                  "next_due_on": FIXED_DATE + dt.timedelta(days=10)})
    ws.stations.set_cadence({"blue": 60})
    assert ws.children.get(child.uuid).next_visit_due == FIXED_DATE + dt.timedelta(days=10)


@pytest.mark.parametrize(
    "days, words",
    [
        ({"red": 0}, "红色的走访间隔应为1到366天之间的整数"),
        ({"blue": 400}, "蓝色的走访间隔"),
        ({"red": 30}, "红 ≤ 橙 ≤ 黄 ≤ 蓝"),
        ({"grey": 10}, "未知的风险等级"),
    ],
)
def test_an_invalid_cadence_is_refused_in_chinese_and_nothing_changes(ws, make_child, db, days, words):
    make_child()
    before = db.snapshot(ws.store)
    with pytest.raises(WeibaoError) as e:
        ws.stations.set_cadence(days)
    assert words in e.value.message
    assert db.snapshot(ws.store) == before
    assert ws.stations.info().cadence == {"blue": 90, "yellow": 30, "orange": 7, "red": 7}


def test_station_code_is_the_origin_of_every_record(ws, make_child):
    assert make_child().origin == STATION_CODE
