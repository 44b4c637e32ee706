"""Printing fixtures: a child with a family, a colour history and visits."""
from __future__ import annotations

import datetime as dt

import pytest

from factories import person

D = dt.date


@pytest.fixture
def village_id(ws):
    return {v.name: v.id for v in ws.stations.info().villages}


@pytest.fixture
def family_child(ws, make_child, village_id):
    """东村的一个孩子: entrusted to a grandfather, left behind, yellow since a risk assessment, two visits."""
    child = make_child(
        village_id=village_id["东村"], residence_address="东村三组12号", ethnicity="汉族", schooling="小学",
        school_name="东村小学", categories=["left_behind", "dibao"],
        people=[person("father", 1, status="外出务工", work_place="广东省东莞市"),
                person("entrusted", 2, relation_detail="祖父", is_guardian=True)],
    )
    ws.assessments.assess(child.uuid, {"kind": "risk", "assessed_on": D(2024, 5, 2), "assessor": "张督导",
                                       "result": "黄", "reason": "祖父年老体弱，监护能力下降"})
    ws.visits.record(child.uuid, {"visited_on": D(2024, 5, 20), "visitors": "张主任", "mode": "入户",
                                  "living": "饮食起居正常", "problems": "作业无人辅导"})
    ws.visits.record(child.uuid, {"visited_on": D(2024, 6, 10), "visitors": "张主任、李督导", "mode": "电话",
                                  "living": "生活正常", "study": "按时上学", "problems": "情绪低落，想念父母",
                                  "measures": "联系班主任关注"})
    return ws.children.get(child.uuid)


@pytest.fixture
def out(tmp_path):
    return lambda name: tmp_path / name
