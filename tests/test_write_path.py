"""The one write path: what every path that writes a child's record agrees on — which categories are current
(one in_force rule), what text is stored (the text rule), and who is a guardian (one inference)."""
from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from factories import FIXED_DATE, child_values, id_number
from weibao_desktop.domain.dates import in_force
from weibao_desktop.services.dto import ChildQuery

NOISY = "王\x00小\u200b明\u202e"  # NUL, a zero-width space, a bidi override: invisible, but they defeat search
CLEAN = "王小明"


def _ledger(tmp_path, rows, merges=()) -> str:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    for cells in merges:
        book.active.merge_cells(cells)
    path = tmp_path / "台账.xlsx"
    book.save(path)
    return str(path)


def _found(ws, text: str) -> list[str]:
    return [ws.children.get(i).name for i in ws.children.search_ids(ChildQuery(text=text, status=None))]


def test_in_force_begins_on_the_start_day_and_ends_on_the_end_day():
    day = FIXED_DATE
    assert in_force(day, None, day) and in_force(None, None, day)
    assert in_force(day - dt.timedelta(days=9), day + dt.timedelta(days=30), day)  # ends next month: current
    assert not in_force(day - dt.timedelta(days=9), day, day)  # ended today
    assert not in_force(day + dt.timedelta(days=1), None, day)  # not begun


def test_a_category_ending_next_month_is_current_in_the_list_and_to_a_ledger_reimport(ws, tmp_path):
    values = child_values()
    child = ws.children.create(values, categories=[("left_behind", FIXED_DATE - dt.timedelta(days=100))])
    membership = child.categories[0]
    ws.children.end_category(membership.uuid, FIXED_DATE + dt.timedelta(days=30))
    in_list = ws.children.search_ids(ChildQuery(category="left_behind", status=None))
    assert in_list == [child.id]
    assert [r.categories for r in ws.children.rows(in_list)] == [("left_behind",)]
    ledger = _ledger(tmp_path, [["姓名", "公民身份号码", "儿童类别"], [values["name"], values["id_number"], "农村留守儿童"]])
    preview = ws.ledger.preview(ledger)
    assert preview.counts == {"new": 0, "changed": 0, "unchanged": 1, "rejected": 0}
    ws.ledger.apply(ledger)
    assert [c.category for c in ws.children.get(child.uuid).categories] == ["left_behind"]  # no second membership


def test_a_category_that_ended_today_is_not_current(ws):
    child = ws.children.create(child_values(), categories=[("left_behind", FIXED_DATE - dt.timedelta(days=100))])
    ws.children.end_category(child.categories[0].uuid, FIXED_DATE)
    assert ws.children.search_ids(ChildQuery(category="left_behind", status=None)) == []
    assert ws.stats.stats().by_category.get("left_behind", 0) == 0


def test_interactive_create_stores_clean_text_and_search_finds_it(ws):
    child = ws.children.create(child_values(name=NOISY, notes="第一行\r\n第二行\u200b"))
    assert child.name == CLEAN
    assert child.notes == "第一行\n第二行"  # a long text keeps its line break
    assert _found(ws, CLEAN) == [CLEAN]
    assert _found(ws, "王小\u200b明") == [CLEAN]  # noise typed into the search box is ignored too


def test_ledger_import_stores_clean_text_and_search_finds_it(ws, tmp_path):
    number = id_number(dt.date(2014, 5, 6), "M", 41)
    ledger = _ledger(tmp_path, [["姓名", "性别", "出生日期", "公民身份号码", "现居住地"],
                                ["王\u200b小明\u2066", "男", "2014-05-06", number, "东村_x0000_三组\u200d"]])
    result = ws.ledger.apply(ledger)
    assert result.preview.counts["new"] == 1
    assert [r.name for r in result.preview.new] == [CLEAN]
    child = ws.children.get(number)
    assert (child.name, child.residence_address) == (CLEAN, "东村三组")
    assert _found(ws, CLEAN) == [CLEAN]


def test_guardian_is_inferred_the_same_on_the_interactive_and_the_import_path(ws, tmp_path):
    people = [{"relation": "father", "name": "王大芳", "status": "外出务工", "work_place": "广东省东莞市"},
              {"relation": "mother", "name": "李二芳", "status": "在家", "phone": "13900000001"},
              {"relation": "entrusted", "name": "张三芳", "relation_detail": "祖母"}]
    typed = ws.children.create(child_values(), people=people)
    number = id_number(dt.date(2013, 4, 5), "F", 42)
    ledger = _ledger(tmp_path, [
        ["姓名", "性别", "出生日期", "公民身份号码", "父亲", None, "母亲", None, "委托监护人", None],
        [None, None, None, None, "姓名", "状况", "姓名", "状况", "姓名", "与儿童关系"],
        ["赵小芬", "女", "2013-04-05", number, "王大芳", "外出务工", "李二芳", "在家", "张三芳", "祖母"],
    ], merges=("E1:F1", "G1:H1", "I1:J1"))
    ws.ledger.apply(ledger)
    imported = ws.children.get(number)

    def guardians(child):
        return {p.relation: p.is_guardian for p in child.people}

    assert guardians(typed) == guardians(imported) == {"father": False, "mother": True, "entrusted": True}


@pytest.mark.parametrize("path", ["interactive", "import"])
def test_a_dead_relative_has_no_phone_or_work_place(ws, tmp_path, path):
    if path == "interactive":
        child = ws.children.create(child_values(), people=[
            {"relation": "father", "name": "王大芳", "status": "已故", "phone": "13900000002", "work_place": "东莞"}])
    else:
        number = id_number(dt.date(2013, 4, 5), "F", 43)
        ws.ledger.apply(_ledger(tmp_path, [
            ["姓名", "性别", "出生日期", "公民身份号码", "父亲", None, None, None],
            [None, None, None, None, "姓名", "状况", "联系电话", "务工地点"],
            ["赵小芬", "女", "2013-04-05", number, "王大芳", "已故", "13900000002", "东莞"],
        ], merges=("E1:H1",)))
        child = ws.children.get(number)
    father = child.people[0]
    assert (father.status, father.phone, father.work_place, father.is_guardian) == ("dead", None, None, False)


def test_the_same_name_in_full_width_is_the_same_child(ws):
    from weibao_desktop.services import DuplicateChild

    birth = dt.date(2014, 2, 3)
    ws.children.create(child_values(name="Ｌｉ小明", birth_date=birth, id_number=None))
    with pytest.raises(DuplicateChild):
        ws.children.create(child_values(name="Li小明", birth_date=birth, id_number=None))
