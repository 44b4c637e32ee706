"""Child files: identity checks, duplicates, change history, close/reopen, tombstones."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from factories import FIXED_DATE, RARE_NAME, child_values, id_number, person
from weibao_desktop.models.entities import ChangeLog, Child, Person
from weibao_desktop.services import DuplicateChild, WeibaoError
from weibao_desktop.services.dto import ChildQuery

D = dt.date
BIRTH = D(2015, 3, 1)


def history_rows(ws, uuid=None):
    with ws.store.sessions() as s:
        stmt = select(ChangeLog.entity, ChangeLog.field, ChangeLog.old_value, ChangeLog.new_value, ChangeLog.actor,
                      ChangeLog.rev).order_by(ChangeLog.id)
        if uuid:
            stmt = stmt.where(ChangeLog.record_uuid == uuid)
        return s.execute(stmt).all()


# identity

def test_a_birth_date_that_contradicts_the_id_number_is_refused_on_create(ws, db):
    with pytest.raises(WeibaoError) as e:
        ws.children.create(child_values(birth_date=D(2015, 3, 2), id_number=id_number(BIRTH, "M")))
    assert e.value.field == "id_number"
    assert "出生日期2015-03-02与身份证号中的2015-03-01不一致" in e.value.message
    assert db.count(ws.store, "child") == 0


def test_a_sex_that_contradicts_the_id_number_is_refused_on_create(ws, db):
    with pytest.raises(WeibaoError) as e:
        ws.children.create(child_values(sex="女", birth_date=BIRTH, id_number=id_number(BIRTH, "M")))
    assert "性别“女”与身份证号（第17位表示男）不一致" in e.value.message
    assert db.count(ws.store, "child") == 0


def test_an_edit_that_would_contradict_the_id_number_is_refused(ws, make_child):
    child = make_child(sex="M", birth_date=BIRTH, id_number=id_number(BIRTH, "M"))
    with pytest.raises(WeibaoError) as e:
        ws.children.update(child.uuid, {"birth_date": D(2015, 4, 1)})
    assert "不一致" in e.value.message
    assert ws.children.get(child.uuid).birth_date == BIRTH


@pytest.mark.parametrize(
    "bad, words",
    [
        ("4.30104201503011E+17", "丢失"),
        (4.30104201503011e17, "丢失"),
        (id_number(BIRTH, "M")[:17] + ("1" if id_number(BIRTH, "M")[17] != "1" else "2"), "校验位不正确"),
        ("430104201502301236", "出生日期“20150230”不是有效日期"),  # check character is right
    ],
)
def test_a_damaged_id_number_is_refused_with_the_reason(ws, db, bad, words):
    with pytest.raises(WeibaoError) as e:
        ws.children.create(child_values(birth_date=BIRTH, sex="M", id_number=bad))
    assert words in e.value.message and e.value.field == "id_number"
    assert db.count(ws.store, "child") == 0


def test_a_file_can_be_found_by_its_id_number(ws, make_child):
    child = make_child(sex="M", birth_date=BIRTH, id_number=id_number(BIRTH, "M"))
    assert ws.children.get(id_number(BIRTH, "M")).uuid == child.uuid
    assert ws.children.get(child.id).uuid == child.uuid
    with pytest.raises(WeibaoError) as e:
        ws.children.get("no-such-file")
    assert "找不到儿童档案" in e.value.message


# duplicates

def test_the_same_id_number_twice_is_refused_naming_the_existing_file(ws, make_child, village_ids, db):
    number = id_number(BIRTH, "F", 5)
    first = make_child(sex="F", birth_date=BIRTH, id_number=number, village_id=village_ids["西村"])
    before = db.snapshot(ws.store)
    with pytest.raises(DuplicateChild) as e:
        ws.children.create(child_values(sex="女", birth_date=BIRTH, id_number=number.lower()))
    assert e.value.existing_uuid == first.uuid
    assert e.value.field == "id_number"
    assert first.name in e.value.message and "西村" in e.value.message
    assert number not in e.value.message  # masked: the message may be read over a shoulder
    assert number[:6] + "********" + number[-4:] in e.value.message
    assert db.snapshot(ws.store) == before
    assert ws.children.find_existing(id_number=number).uuid == first.uuid


def test_same_name_and_birth_date_is_refused_unless_confirmed(ws, make_child, db):
    first = make_child(name="王子涵", birth_date=BIRTH, sex="M", id_number=None)
    with pytest.raises(DuplicateChild) as e:
        ws.children.create({"name": "王子涵", "sex": "M", "birth_date": "2015-03-01"})
    assert e.value.existing_uuid == first.uuid and e.value.field == "name"
    assert db.count(ws.store, "child") == 1
    second = ws.children.create({"name": "王子涵", "sex": "M", "birth_date": BIRTH}, allow_same_name_birth=True)
    assert second.uuid != first.uuid
    assert db.count(ws.store, "child") == 2
    assert ws.children.find_existing(name="王子涵", birth_date=BIRTH).uuid == first.uuid


def test_a_closed_file_still_counts_as_a_duplicate(ws, make_child):
    number = id_number(BIRTH, "M", 8)
    first = make_child(sex="M", birth_date=BIRTH, id_number=number)
    ws.children.close(first.uuid, "迁出")
    with pytest.raises(DuplicateChild) as e:
        ws.children.create(child_values(sex="M", birth_date=BIRTH, id_number=number))
    assert e.value.existing_uuid == first.uuid and "已销档" in e.value.message


def test_a_file_deleted_by_mistake_does_not_block_entering_the_child_again(ws, make_child):
    number = id_number(BIRTH, "M", 9)
    first = make_child(sex="M", birth_date=BIRTH, id_number=number)
    ws.children.delete(first.uuid)
    again = ws.children.create(child_values(sex="M", birth_date=BIRTH, id_number=number))
    assert again.uuid != first.uuid


def test_giving_a_file_another_files_id_number_is_refused(ws, make_child):
    a = make_child(sex="M", birth_date=BIRTH, id_number=id_number(BIRTH, "M", 1))
    b = make_child(sex="M", birth_date=BIRTH, id_number=None)
    with pytest.raises(DuplicateChild) as e:
        ws.children.update(b.uuid, {"id_number": id_number(BIRTH, "M", 1)})
    assert e.value.existing_uuid == a.uuid
    assert ws.children.get(b.uuid).id_number is None


# change history

def test_an_edit_records_each_changed_field_old_and_new_with_who_and_bumps_rev(ws, make_child, as_user):
    child = make_child(residence_address="东村1组", schooling="小学")
    updated = as_user("李四").children.update(child.uuid, {"residence_address": "西村2组", "schooling": "初中",
                                                           "ethnicity": "汉族"})
    assert updated.rev == 2 and updated.updated_by == "李四"
    rows = history_rows(ws, child.uuid)
    assert sorted(rows) == sorted([
        ("child", "residence_address", "东村1组", "西村2组", "李四", 2),
        ("child", "schooling", "primary", "junior", "李四", 2),
        ("child", "ethnicity", None, "汉族", "李四", 2),
    ])


def test_an_edit_that_changes_nothing_writes_nothing_and_keeps_rev(ws, make_child, db):
    number = id_number(BIRTH, "F", 2)
    child = make_child(sex="F", birth_date=BIRTH, id_number=number, income_sources="打工、政府救助",
                       boarding=True, residence_address="东村1组")
    before = db.snapshot(ws.store)
    same = ws.children.update(child.uuid, {
        "sex": "女", "birth_date": "2015/3/1", "id_number": f" {number.lower()} ", "income_sources": "政府救助，打工",
        "boarding": "是", "residence_address": "  东村1组 ",
    })
    assert same.rev == 1
    assert db.snapshot(ws.store) == before


def test_history_shows_labels_readable_values_and_the_creation_of_each_record(ws, make_child, as_user):
    child = make_child(people=[person("母亲", 1, status="外出务工")], categories=["留守儿童"],
                       reliefs=[{"kind": "低保"}], residence_address="东村1组", schooling="小学")
    as_user("李四").children.update(child.uuid, {"residence_address": "西村2组", "schooling": "初中"})
    [mother] = ws.children.get(child.uuid).people
    as_user("王五").children.update_person(mother.uuid, {"status": "在家"})
    history = ws.children.history(child.uuid)

    address = next(h for h in history if h.field == "residence_address")
    assert (address.field_label, address.old, address.new, address.actor, address.rev) == (
        "现居住地", "东村1组", "西村2组", "李四", 2)
    schooling = next(h for h in history if h.field == "schooling")
    assert (schooling.field_label, schooling.old, schooling.new) == ("就学情况", "小学", "初中")
    status = next(h for h in history if h.entity == "person")
    assert (status.field_label, status.old, status.new, status.actor) == ("状况", "外出务工", "在家", "王五")
    created = {h.new for h in history if h.field_label == "新建"}
    assert created == {"儿童档案", "家庭成员", "儿童类别", "救助记录"}
    assert history[0].actor == "王五"  # newest first
    assert history[-1].field_label == "新建"


def test_history_shows_an_id_number_change_masked(ws, make_child):
    child = make_child(sex="M", birth_date=BIRTH, id_number=None)
    ws.children.update(child.uuid, {"id_number": id_number(BIRTH, "M", 4)})
    [h] = [h for h in ws.children.history(child.uuid) if h.field == "id_number"]
    assert h.old == "（空）"
    assert h.new == id_number(BIRTH, "M", 4)[:6] + "********" + id_number(BIRTH, "M", 4)[-4:]


def test_an_edit_on_a_stale_copy_is_refused(ws, make_child, as_user):
    child = make_child()
    as_user("李四").children.update(child.uuid, {"notes": "第一次修改"})
    with pytest.raises(WeibaoError) as e:
        ws.children.update(child.uuid, {"notes": "基于旧版本的修改"}, expected_rev=child.rev)
    assert "李四" in e.value.message
    assert ws.children.get(child.uuid).notes == "第一次修改"
    assert ws.children.update(child.uuid, {"notes": "重新打开后修改"}, expected_rev=2).rev == 3


def test_a_village_of_another_station_is_refused(ws, make_child):
    with pytest.raises(WeibaoError) as e:
        make_child(village_id=9999)
    assert "不属于本工作站" in e.value.message


# family, categories

def test_a_child_has_at_most_one_father_and_one_mother(ws, make_child, db):
    child = make_child(people=[person("父亲", 1)])
    with pytest.raises(WeibaoError) as e:
        ws.children.add_person(child.uuid, person("父亲", 2))
    assert "已登记父亲" in e.value.message
    ws.children.add_person(child.uuid, person("其他监护人", 3, relation_detail="姑姑"))
    ws.children.add_person(child.uuid, person("其他监护人", 4, relation_detail="祖父"))
    assert [p.relation for p in ws.children.get(child.uuid).people] == ["father", "other", "other"]


def test_removing_a_family_member_tombstones_it(ws, make_child):
    child = make_child(people=[person("父亲", 1), person("母亲", 2)])
    father = ws.children.get(child.uuid).people[0]
    ws.children.remove_person(father.uuid)
    assert [p.relation for p in ws.children.get(child.uuid).people] == ["mother"]
    with ws.store.sessions() as s:
        row = s.scalar(select(Person).where(Person.uuid == father.uuid))
        assert row.deleted_at is not None and row.rev == 2
    # a new father may now be entered
    ws.children.add_person(child.uuid, person("父亲", 3))


def test_a_category_cannot_be_held_twice_and_cannot_end_before_it_started(ws, make_child):
    child = make_child(categories=[("留守儿童", D(2024, 1, 1))])
    with pytest.raises(WeibaoError) as e:
        ws.children.add_category(child.uuid, "留守")
    assert "已属于“农村留守儿童”" in e.value.message
    [m] = ws.children.get(child.uuid).categories
    with pytest.raises(WeibaoError) as e:
        ws.children.end_category(m.uuid, D(2023, 12, 31))
    assert "退出日期不能早于认定日期" in e.value.message
    ws.children.end_category(m.uuid, D(2024, 5, 31))
    ws.children.add_category(child.uuid, "留守儿童", D(2024, 6, 10))  # in scope again later
    assert [(c.start_on, c.end_on) for c in ws.children.get(child.uuid).categories] == [
        (D(2024, 1, 1), D(2024, 5, 31)), (D(2024, 6, 10), None)]


def test_relief_can_be_edited_and_removed(ws, make_child):
    child = make_child(reliefs=[{"kind": "低保", "amount": "300元/月"}])
    [r] = ws.children.get(child.uuid).reliefs
    ws.children.update_relief(r.uuid, {"amount": "350元/月"})
    assert ws.children.get(child.uuid).reliefs[0].amount == "350元/月"
    assert any(h.field == "amount" and h.old == "300元/月" for h in ws.children.history(child.uuid))
    ws.children.remove_relief(r.uuid)
    assert ws.children.get(child.uuid).reliefs == ()


# close and reopen

@pytest.mark.parametrize(
    "reason, note, words",
    [("", None, "请选择销档原因"), ("不想管了", None, "请选择销档原因"), ("其他", None, "请写明具体原因"),
     ("其他", "   ", "请写明具体原因")],
)
def test_closing_a_file_needs_a_reason(ws, make_child, db, reason, note, words):
    child = make_child()
    before = db.snapshot(ws.store)
    with pytest.raises(WeibaoError) as e:
        ws.children.close(child.uuid, reason, note)
    assert words in e.value.message
    assert db.snapshot(ws.store) == before


def test_closing_on_a_future_day_is_refused(ws, make_child):
    child = make_child()
    with pytest.raises(WeibaoError) as e:
        ws.children.close(child.uuid, "迁出", closed_on=FIXED_DATE + dt.timedelta(days=1))
    assert "不能晚于今天" in e.value.message


def test_a_closed_file_leaves_the_working_list_but_stays_searchable_and_can_be_reopened(ws, make_child):
    child = make_child(name="陈思远")
    ws.visits.record(child.uuid, {"living": "正常", "visited_on": D(2024, 6, 1), "visitors": "张督导", "mode": "入户"})
    closed = ws.children.close(child.uuid, "年满18周岁", "已成年")
    assert (closed.status, closed.closed_reason, closed.closed_note, closed.closed_on) == (
        "closed", "adult", "已成年", FIXED_DATE)
    assert closed.next_visit_due is None  # nothing is due on a closed file
    assert ws.children.search_ids(ChildQuery(text="陈思远")) == []
    assert ws.children.search_ids(ChildQuery(text="陈思远", status=None)) == [child.id]
    assert ws.children.search_ids(ChildQuery(status="closed")) == [child.id]
    with pytest.raises(WeibaoError) as e:
        ws.children.close(child.uuid, "迁出")
    assert "已于2024-06-14销档" in e.value.message
    status = next(h for h in ws.children.history(child.uuid) if h.field == "status")
    assert (status.field_label, status.old, status.new) == ("档案状态", "在册", "已销档")

    reopened = ws.children.reopen(child.uuid)
    assert (reopened.status, reopened.closed_reason, reopened.closed_on) == ("active", None, None)
    assert reopened.next_visit_due == D(2024, 8, 30)  # from the last visit again
    assert ws.children.search_ids(ChildQuery(text="陈思远")) == [child.id]
    with pytest.raises(WeibaoError) as e:
        ws.children.reopen(child.uuid)
    assert "无需恢复" in e.value.message


def test_no_assessment_or_visit_is_recorded_on_a_closed_file(ws, make_child, db):
    child = make_child()
    ws.children.close(child.uuid, "迁出")
    before = db.snapshot(ws.store)
    with pytest.raises(WeibaoError) as e:
        ws.visits.record(child.uuid, {"living": "正常", "visited_on": FIXED_DATE, "visitors": "张督导", "mode": "电话"})
    assert "已销档" in e.value.message
    with pytest.raises(WeibaoError) as e:
        ws.assessments.assess(child.uuid, {"kind": "risk", "assessed_on": FIXED_DATE, "assessor": "张督导",
                                           "result": "蓝", "reason": "复评"})
    assert "已销档" in e.value.message
    assert db.snapshot(ws.store) == before


# tombstones

def test_deleting_a_file_hides_it_but_keeps_the_record_with_a_tombstone_and_history(ws, make_child, db):
    child = make_child(name=RARE_NAME)
    ws.children.delete(child.uuid)
    assert ws.children.search_ids(ChildQuery(status=None)) == []
    assert ws.children.page(ChildQuery(status=None)).total == 0
    assert ws.stats.stats().total_active == 0
    [(name, deleted_at, rev)] = db.query(ws.store, "SELECT name, deleted_at, rev FROM child")
    assert name == RARE_NAME and deleted_at is not None and rev == 2
    assert [(f, actor) for f, actor in db.query(ws.store, "SELECT field, actor FROM change_log")] == [
        ("deleted_at", "操作人姓名")]
    assert ws.children.get(child.uuid).uuid == child.uuid  # still readable, e.g. from the history view
    with pytest.raises(WeibaoError):
        ws.children.update(child.uuid, {"notes": "x"})
    with pytest.raises(WeibaoError):
        ws.visits.record(child.uuid, {"living": "正常", "visited_on": FIXED_DATE, "visitors": "张督导", "mode": "入户"})


def test_a_deleted_file_has_nothing_due(ws, make_child):
    child = make_child()
    ws.children.delete(child.uuid)
    with ws.store.sessions() as s:
        assert s.get(Child, child.id).next_visit_due is None
    assert ws.stats.overdue() == []
