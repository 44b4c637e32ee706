"""活动与服务台账 and the 儿童主任名册: what a station head records and what the progress panel tells them."""
from __future__ import annotations

import datetime as dt

import pytest

from factories import FIXED_DATE
from weibao_desktop.domain.errors import WeibaoError

FRIDAY = FIXED_DATE  # 2024-06-14; its week runs Monday 06-10 to Sunday 06-16


def activity(**overrides) -> dict:
    values = {"held_on": FRIDAY, "start_time": "14:00", "end_time": "16:30", "kind": "儿童之家开放",
              "organiser": "王站长", "content": "绘本共读、作业辅导"}
    return {**values, **overrides}


def test_an_activity_records_its_children_and_counts_them(ws, make_child):
    a, b = make_child(name="林小禾"), make_child(name="周一诺")
    info = ws.activities.create(activity(kind="家长学校", partners="妇联、学校", parents_count="12人"),
                                village="东村", children=(a.uuid, b.uuid))
    assert info.kind == "family_education"
    assert info.place == "东村"  # no place given: the village is the place
    assert info.children_count == 2 and info.parents_count == 12
    assert info.partners == "womens_federation,school"
    assert info.hours == 2.5
    assert {name for _uuid, name in info.children} == {"林小禾", "周一诺"}
    again = ws.activities.update(info.uuid, {"children_count": 30}, children=(a.uuid,))
    assert again.children_count == 30 and [n for _u, n in again.children] == ["林小禾"]
    assert again.rev == 2


@pytest.mark.parametrize(("values", "field", "words"), [
    ({"end_time": "13:00"}, "end_time", "应晚于开始时间"),
    ({"start_time": "25:00"}, "start_time", "不是时间"),
    ({"children_count": "两个"}, "children_count", "整数"),
    ({"held_on": FRIDAY + dt.timedelta(days=3)}, "held_on", ""),
    ({"kind": "跳广场舞"}, "kind", "不在可选范围内"),
])
def test_bad_activity_input_is_refused_by_field_and_saves_nothing(ws, values, field, words):
    with pytest.raises(WeibaoError) as e:
        ws.activities.create(activity(**values), village="东村")
    assert e.value.field == field and words in e.value.message
    assert ws.activities.page().total == 0


def test_fewer_children_than_linked_files_is_refused(ws, make_child):
    a, b = make_child(), make_child(name="周一诺")
    with pytest.raises(WeibaoError, match="少于关联的儿童档案（2名）"):
        ws.activities.create(activity(children_count=1), village="东村", children=(a.uuid, b.uuid))


def test_progress_against_the_plans_norms(ws):
    for day, start, end in [(FRIDAY - dt.timedelta(days=4), "15:00", "17:00"), (FRIDAY, "15:00", "16:00"),
                            (FRIDAY - dt.timedelta(days=11), "15:00", "17:00")]:
        ws.activities.create(activity(held_on=day, start_time=start, end_time=end), village="东村")
    for month in (3, 5):
        ws.activities.create(activity(kind="家庭教育指导", held_on=dt.date(2024, month, 2)), village="西村")
    ws.activities.create(activity(kind="家庭教育指导", held_on=dt.date(2023, 12, 30)), village="西村")
    p = ws.activities.progress()
    assert p.family_education == 2  # last year's does not count
    assert p.home_days_week == 2 and p.home_short_openings_week == 1  # Friday's lasted one hour
    assert p.home_days_year == 3 and p.home_hours_year == 5
    texts = [(text, met) for text, met in p.lines]
    assert texts[0] == ("2024年家庭教育指导活动：2 次（要求每年不少于 4 次）", False)
    assert texts[1][0].startswith("本周儿童之家开放：2 天") and "1 次不足 2 小时" in texts[1][0]


def test_photos_are_kept_in_the_store_and_other_files_refused(ws, tmp_path):
    info = ws.activities.create(activity(), village="东村")
    photo = tmp_path / "签到表.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 2000)
    att = ws.activities.attach(info.uuid, photo)
    photo.unlink()  # the copy in the store stays
    out = ws.activities.save_attachment(att.id, tmp_path / "取出.jpg")
    assert out.read_bytes().startswith(b"\xff\xd8\xff") and out.stat().st_size == 2004
    fake = tmp_path / "照片.jpg"
    fake.write_bytes(b"MZ\x90\x00 not a photo")
    with pytest.raises(WeibaoError, match="不是照片"):
        ws.activities.attach(info.uuid, fake)
    assert [a.file_name for a in ws.activities.get(info.uuid).attachments] == ["签到表.jpg"]
    ws.activities.remove_attachment(att.id)
    assert ws.activities.get(info.uuid).attachments == ()


def test_roster_flags_villages_without_a_director(ws):
    assert ws.staff.villages_without_director() == ["东村", "西村", "南村"]
    d = ws.staff.add({"name": "赵春梅", "role": "儿童主任", "sex": "女", "phone": "13900000001",
                      "committee_member": "是", "social_work_cert": "助理社会工作师"}, villages=("东村", "西村"))
    ws.staff.add({"name": "钱立新", "role": "第一报告人"}, villages=("南村",))
    assert ws.staff.villages_without_director() == ["南村"]
    ws.staff.update(d.uuid, {"left_on": FIXED_DATE - dt.timedelta(days=1)})
    assert ws.staff.villages_without_director() == ["东村", "西村", "南村"]  # she left
    assert [m.name for m in ws.staff.roster()] == ["钱立新"]
    assert [m.name for m in ws.staff.roster(include_left=True)] == ["赵春梅", "钱立新"]


def test_a_director_needs_a_village_and_an_account_must_exist(ws):
    with pytest.raises(WeibaoError, match="负责的村") as e:
        ws.staff.add({"name": "赵春梅", "role": "儿童主任"})
    assert e.value.field == "villages"
    with pytest.raises(WeibaoError, match="没有名为“不存在”的登录账号"):
        ws.staff.add({"name": "赵春梅", "role": "儿童督导员", "account_name": "不存在"})
    assert ws.staff.roster() == []


def test_training_records_add_up(ws):
    m = ws.staff.add({"name": "孙晓雯", "role": "儿童督导员"})
    ws.staff.add_training(m.uuid, {"held_on": "2024-03-05", "hours": "3.5", "topic": "强制报告制度", "organiser": "县民政局"})
    t = ws.staff.add_training(m.uuid, {"held_on": "2024-05-20", "hours": 2, "topic": "心理疏导技巧"})
    assert ws.staff.get(m.uuid).training_hours == 5.5
    ws.staff.remove_training(t.uuid)
    assert [x.topic for x in ws.staff.get(m.uuid).trainings] == ["强制报告制度"]
    with pytest.raises(WeibaoError, match="学时"):
        ws.staff.add_training(m.uuid, {"held_on": "2024-05-20", "hours": "半天", "topic": "x"})
