"""The children list: text search, filters, every sort key, paging, and the rows it shows."""
from __future__ import annotations

import datetime as dt

import pytest

from factories import FIXED_DATE, RARE_1, RARE_NAME, to_fullwidth
from weibao_desktop.domain.codes import CATEGORY, COLOUR_ORDER
from weibao_desktop.domain.name_order import name_key
from weibao_desktop.services import WeibaoError
from weibao_desktop.services.children import SORTS
from weibao_desktop.services.dto import ChildQuery

D = dt.date


@pytest.fixture
def ws(roster):
    return roster.ws


def found(ws, roster, **query) -> set[str]:
    return set(roster.keys_of(ws.children.search_ids(ChildQuery(**query))))


# text search

@pytest.mark.parametrize(
    "text, expected",
    [
        ("子涵", {"A"}),
        ("王子涵", {"A"}),
        (RARE_1, {"B"}),
        (RARE_NAME, {"B"}),
        ("4301042012", set()),  # more than the six digits a list shows of the start of an id number
        ("20160115", set()),  # the birth date hidden in the middle of an id number
        ("郑雨芳", {"C"}),  # the mother's name
        ("雨芳", {"C"}),
        ("13800000001", {"A"}),  # the child's own phone
        ("912345", {"C"}),  # a fragment of the mother's phone
        ("南村", {"C", "G"}),
        ("村", {"A", "B", "C", "G"}),
        ("刘欣怡", set()),  # deleted
        ("陈思远", set()),  # closed: not in the working list
        ("不存在的名字", set()),
        ("%", set()),  # LIKE wildcards are taken literally
        ("_", set()),
    ],
)
def test_text_search_finds_names_id_numbers_phones_and_villages(ws, roster, text, expected):
    assert found(ws, roster, text=text) == expected


def test_an_id_number_fragment_ending_in_lowercase_x_finds_the_file(ws, roster):
    number = roster.numbers["B"]
    assert number.endswith("X")
    assert found(ws, roster, text=number[-4:].lower()) == {"B"}
    assert found(ws, roster, text=number[-5:].lower()) == set()  # the fifth digit from the end is hidden
    assert found(ws, roster, text=f" {number.lower()} ") == {"B"}


def test_digits_typed_in_full_width_mode_find_the_same_files(ws, roster):
    # A Chinese input method left in full-width mode types １３８… instead of 138…
    assert found(ws, roster, text=to_fullwidth(roster.numbers["A"][-4:])) == {"A"}
    assert found(ws, roster, text=to_fullwidth("912345")) == {"C"}
    assert found(ws, roster, text=to_fullwidth(roster.numbers["B"][-4:].lower())) == {"B"}


def test_digits_match_only_the_parts_of_an_id_number_a_list_shows(ws, roster):
    number = roster.numbers["D"]  # born 2016-01-15
    assert found(ws, roster, text=number) == {"D"}
    assert "D" in found(ws, roster, text=number[:6])
    assert found(ws, roster, text=number[-4:]) == {"D"}
    for hidden in (number[6:10], number[10:14], number[8:12], number[6:14]):
        assert "D" not in found(ws, roster, text=hidden), hidden


def test_rows_say_why_a_search_found_them(ws, roster):
    def match(text):
        ids = ws.children.search_ids(ChildQuery(text=text))
        return {roster.keys_of([r.id])[0]: r.match for r in ws.children.rows(ids, text)}

    assert match("郑雨芳") == {"C": "母亲 郑雨芳"}
    assert match("912345") == {"C": "母亲 郑雨芳 电话 13912345678"}
    assert match(roster.numbers["D"][-4:]) == {"D": "身份证号后4位"}
    assert match("13800000001") == {"A": "联系电话 13800000001"}
    assert match("南村") == {"C": "村(社区) 南村", "G": "村(社区) 南村"}
    assert match("王子涵") == {"A": None}  # the name is in the row itself
    assert ws.children.page(ChildQuery(text="郑雨芳")).rows[0].match == "母亲 郑雨芳"


def test_a_guardian_found_by_name_is_called_the_guardian(ws, make_child):
    from factories import person

    made = make_child(people=[person("委托监护人", 7, name="钱老太", relation_detail="祖母", phone="13700000077")])
    rows = ws.children.page(ChildQuery(text="钱老太")).rows
    assert [(r.uuid, r.match) for r in rows] == [(made.uuid, "祖母（监护人） 钱老太")]
    assert ws.children.page(ChildQuery(text="1370000007")).rows[0].match == "祖母（监护人） 钱老太 电话 13700000077"


def test_text_search_with_all_statuses_includes_closed_files(ws, roster):
    assert found(ws, roster, text="陈思远", status=None) == {"E"}
    assert found(ws, roster, text="东村", status=None) == {"A", "E"}


# filters

@pytest.mark.parametrize(
    "query, expected",
    [
        (dict(), {"A", "B", "C", "D", "G"}),
        (dict(status=None), {"A", "B", "C", "D", "E", "G"}),
        (dict(status="closed"), {"E"}),
        (dict(category="left_behind"), {"A", "G"}),
        (dict(category="留守儿童"), {"A", "G"}),
        (dict(category="困境儿童"), {"B", "C"}),
        (dict(category="低保家庭"), {"C"}),
        (dict(category="残疾儿童"), set()),  # the membership ended on 2024-03-01
        (dict(category="left_behind", status=None), {"A", "E", "G"}),
        (dict(colour="red"), {"A"}),
        (dict(colour="orange"), {"C"}),
        (dict(colour="none"), {"D"}),
        (dict(overdue=True), {"C", "D", "G"}),
        (dict(overdue=True, colour="blue"), {"G"}),
        (dict(due_before=D(2024, 6, 15)), {"A", "B", "C", "D", "G"}),
        (dict(due_before=D(2024, 6, 14)), {"A", "C", "D", "G"}),
        (dict(due_before=D(2024, 5, 1)), {"C", "D"}),
        (dict(category="困境儿童", text="可馨"), {"C"}),
    ],
)
def test_filters(ws, roster, query, expected):
    assert found(ws, roster, **query) == expected


def test_village_filter(ws, roster):
    assert found(ws, roster, village_id=roster.village_ids["南村"]) == {"C", "G"}
    assert found(ws, roster, village_id=roster.village_ids["东村"], status=None) == {"A", "E"}


def test_an_unknown_category_or_sort_is_refused(ws, roster):
    with pytest.raises(WeibaoError) as e:
        ws.children.search_ids(ChildQuery(category="外星儿童"))
    assert "未知的儿童类别“外星儿童”" in e.value.message
    with pytest.raises(WeibaoError) as e:
        ws.children.search_ids(ChildQuery(sort="shoe_size"))
    assert "不能按“shoe_size”排序" in e.value.message


# sorting

def _current_categories(d):
    return [c.category for c in d.categories if c.end_on is None]


# What each sort key means to the user, computed from the files themselves. None sorts last.
SORT_VALUE = {
    "name": lambda d: name_key(d.name),  # pinyin order (test_name_order.py spells it out by hand)
    "birth_date": lambda d: d.birth_date,
    "village": lambda d: d.village,
    "risk_colour": lambda d: COLOUR_ORDER.get(d.risk_colour, len(COLOUR_ORDER)),  # red first, unassessed last
    "next_visit_due": lambda d: d.next_visit_due,
    "last_visit_on": lambda d: d.last_visit_on,
    "status": lambda d: d.status,
    "id_number": lambda d: d.id_number,
    "sex": lambda d: d.sex,
    "contact_phone": lambda d: d.contact_phone,
    "categories": lambda d: min((CATEGORY.keys().index(c) for c in _current_categories(d)), default=None),
}


def expected_order(details, key, descending):
    value = SORT_VALUE[key]
    by_name = sorted(details, key=lambda d: (name_key(d.name), d.id))
    present = [d for d in by_name if value(d) is not None]
    missing = [d for d in by_name if value(d) is None]
    present.sort(key=value, reverse=descending)  # stable: ties stay by name, then id
    return [d.id for d in present + missing]


@pytest.mark.parametrize("descending", [False, True], ids=["asc", "desc"])
@pytest.mark.parametrize("key", sorted(SORTS))
def test_every_sort_key_orders_the_list_with_ties_by_name(ws, roster, key, descending):
    assert key in SORT_VALUE, f"new sort key {key!r}: say in SORT_VALUE what order users should see"
    query = ChildQuery(status=None, sort=key, descending=descending)
    ids = ws.children.search_ids(query)
    details = [ws.children.get(i) for i in ids]
    assert ids == expected_order(details, key, descending)
    assert len({SORT_VALUE[key](d) for d in details}) > 1  # the roster really exercises this key


def test_sorting_by_colour_puts_red_first_and_unassessed_last(ws, roster):
    ids = ws.children.search_ids(ChildQuery(sort="risk_colour"))
    assert roster.keys_of(ids) == ["A", "C", "B", "G", "D"]


# paging and rows

def test_pages_give_the_total_and_together_the_whole_list(ws, roster):
    query = ChildQuery(status=None, sort="birth_date")
    first = ws.children.page(query, offset=0, limit=4)
    second = ws.children.page(query, offset=4, limit=4)
    assert (first.total, second.total) == (6, 6)
    assert (len(first.rows), len(second.rows)) == (4, 2)
    assert [r.id for r in first.rows + second.rows] == ws.children.search_ids(query)
    assert ws.children.page(ChildQuery(overdue=True), limit=1).total == 3
    assert ws.children.page(ChildQuery(text="nobody")).rows == []


def test_rows_show_masked_id_numbers_current_categories_and_days_overdue(ws, roster):
    rows = {r.uuid: r for r in ws.children.rows(ws.children.search_ids(ChildQuery(status=None)))}
    a = rows[roster.uuids["A"]]
    number = roster.numbers["A"]
    assert a.id_number_masked == number[:6] + "********" + number[-4:]
    assert (a.name, a.village, a.risk_colour, a.status, a.last_visit_on, a.next_visit_due, a.days_overdue) == (
        "王子涵", "东村", "red", "active", D(2024, 6, 13), D(2024, 6, 14), 0)
    assert a.contact_phone == "13800000001"
    c = rows[roster.uuids["C"]]
    assert (c.id_number_masked, c.categories, c.days_overdue) == (
        "", ("plight_guardian", "dibao"), (FIXED_DATE - D(2024, 1, 17)).days)
    assert rows[roster.uuids["D"]].categories == ()  # the ended category is not shown as current
    assert rows[roster.uuids["E"]].days_overdue == 0  # a closed file is never overdue
    assert rows[roster.uuids["B"]].name == RARE_NAME


def test_rows_come_back_in_the_order_asked_and_skip_unknown_ids(ws, roster):
    ids = [roster.ids["G"], 99999, roster.ids["A"]]
    assert [r.id for r in ws.children.rows(ids)] == [roster.ids["G"], roster.ids["A"]]
    assert ws.children.rows([]) == []


def test_the_find_command_shows_why_a_child_was_found(roster, capsys):
    from weibao_desktop.cli import main

    assert main(["--data-dir", str(roster.ws.ctx.store.path.parent), "find", "郑雨芳"]) == 0
    out = capsys.readouterr().out
    assert "找到 1 人" in out and "李可馨" in out and "匹配：母亲 郑雨芳" in out
