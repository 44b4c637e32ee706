"""Code ⇄ Chinese label tables: what ledger cells and forms may say, and what is stored."""
from __future__ import annotations

import pytest

from weibao_desktop.domain.codes import (
    ALL_TABLES,
    CATEGORY,
    CATEGORY_GROUPS,
    CLOSE_REASON,
    CLUE_STATE,
    COLOUR_ORDER,
    HELP_KIND,
    PERSON_RELATION,
    PERSON_STATUS,
    REFERRAL_TARGET,
    RISK_COLOUR,
    SEX,
    join_codes,
    parse_multi,
    split_codes,
)

TABLES = list(ALL_TABLES.values())


@pytest.mark.parametrize("table", TABLES, ids=[t.name for t in TABLES])
def test_every_label_code_and_synonym_reads_back_as_its_own_code(table):
    for c in table:
        assert table.parse(c.label) == c.code, c.label
        assert table.parse(c.code) == c.code
        assert table.label_of(c.code) == c.label
        for synonym in c.synonyms:
            assert table.parse(synonym) == c.code, synonym


@pytest.mark.parametrize("table", TABLES, ids=[t.name for t in TABLES])
def test_no_table_has_two_codes_with_the_same_label(table):
    labels = table.labels()
    assert len(labels) == len(set(labels))
    assert len(table.keys()) == len(set(table.keys()))


@pytest.mark.parametrize(
    "table, text, code",
    [
        (RISK_COLOUR, "红色", "red"),
        (RISK_COLOUR, "高风险", "red"),
        (RISK_COLOUR, " 蓝 ", "blue"),
        (RISK_COLOUR, "黄色预警", "yellow"),
        (RISK_COLOUR, "Orange", "orange"),
        (SEX, "女性", "F"),
        (SEX, "1", "M"),
        (CATEGORY, "留守", "left_behind"),
        (CATEGORY, "孤儿", "orphan_unspecified"),  # never silently 社会散居
        (CATEGORY, "散居孤儿", "orphan_scattered"),
        (CATEGORY, "困境儿童(生活困境)", "plight_survival"),
        (CATEGORY, "生存困境", "plight_survival"),
        (CATEGORY, "生存困难儿童", "plight_survival"),
        (CATEGORY, "成长困境", "plight_development"),
        (CATEGORY, "成长障碍", "plight_development"),
        (CATEGORY, "plight_life", "plight_survival"),  # a code of an older store or package
        (CATEGORY, "流浪", "vagrant"),
        (CATEGORY, "涉案未成年人", "involved_in_case"),
        (PERSON_RELATION, "委托监护人", "entrusted"),
        (PERSON_RELATION, "被委托人", "entrusted"),
        (CATEGORY, "困境儿童（监护困境）", "plight_guardian"),  # full-width brackets
        (CATEGORY, "离异/单亲家庭未成年人", "single_parent"),
        (PERSON_STATUS, "外出务工", "migrant"),
        (PERSON_STATUS, "已故", "dead"),
        (REFERRAL_TARGET, "派出所", "police"),
        (REFERRAL_TARGET, "街道/社区", "community"),
        (HELP_KIND, "心理干预", "psychological"),
        (CLUE_STATE, "调查", "investigating"),
        (CLUE_STATE, "反馈", "closed"),
        (CLOSE_REASON, "满18周岁", "adult"),
    ],
)
def test_labels_and_their_usual_variants_parse_to_the_stored_code(table, text, code):
    assert table.parse(text) == code


@pytest.mark.parametrize("text", [None, "", "紫色", "超高风险"])
def test_unknown_or_empty_text_parses_to_none(text):
    assert RISK_COLOUR.parse(text) is None


def test_label_of_shows_the_label_a_default_or_an_unknown_code_as_is():
    assert RISK_COLOUR.label_of("orange") == "橙"
    assert RISK_COLOUR.label_of(None) == ""
    assert RISK_COLOUR.label_of(None, "未评估") == "未评估"
    assert RISK_COLOUR.label_of("violet") == "violet"
    assert "red" in RISK_COLOUR and "红" not in RISK_COLOUR


@pytest.mark.parametrize(
    "cell",
    [
        "留守儿童、低保家庭、残疾儿童",
        "留守儿童，低保家庭，残疾儿童",
        "留守儿童,低保家庭,残疾儿童",
        "留守儿童;低保家庭；残疾儿童",
        "留守儿童/低保家庭／残疾儿童",
        "留守儿童 低保家庭\u3000残疾儿童",
        "留守儿童|低保家庭\n残疾儿童",
        " 留守 、 低保家庭 ,, 残疾儿童、留守儿童 ",  # blanks, empty parts and a repeat
    ],
)
def test_parse_multi_splits_on_every_separator_clerks_use(cell):
    assert parse_multi(CATEGORY, cell) == (["left_behind", "dibao", "disabled"], [])


def test_parse_multi_keeps_labels_that_contain_a_slash_whole():
    assert parse_multi(CATEGORY, "离异/单亲家庭未成年人、留守儿童") == (["single_parent", "left_behind"], [])
    assert parse_multi(HELP_KIND, "委托监护/替代照料、心理疏导") == (["substitute_care", "psychological"], [])
    assert parse_multi(REFERRAL_TARGET, "街道/社区/公安") == (["community", "police"], [])
    assert parse_multi(REFERRAL_TARGET, "公安，街道/社区") == (["police", "community"], [])


def test_parse_multi_keeps_a_slash_label_whole_when_typed_with_a_full_width_slash():
    assert parse_multi(REFERRAL_TARGET, "街道／社区、公安") == (["community", "police"], [])


def test_parse_multi_returns_what_it_did_not_understand():
    codes, unknown = parse_multi(CATEGORY, "留守儿童、外星儿童、低保")
    assert codes == ["left_behind"]
    assert unknown == ["外星儿童", "低保"]  # 低保 is a relief, not a category


@pytest.mark.parametrize("empty", [None, ""])
def test_parse_multi_of_an_empty_cell_is_empty(empty):
    assert parse_multi(CATEGORY, empty) == ([], [])


def test_multi_codes_are_stored_comma_joined_and_read_back():
    stored = join_codes(["work", "government"])
    assert stored == "work,government"
    assert split_codes(stored) == ["work", "government"]
    assert split_codes(None) == [] and split_codes("") == []


def test_category_groups_cover_their_sub_kinds():
    assert set(CATEGORY_GROUPS["困境儿童"]) == {"plight_survival", "plight_guardian", "plight_development"}
    assert [CATEGORY.label_of(c) for c in CATEGORY_GROUPS["困境儿童"]] == ["生存困难儿童", "监护困境儿童", "成长障碍儿童"]
    assert all(code in CATEGORY for group in CATEGORY_GROUPS.values() for code in group)


def test_the_six_kinds_of_001_and_the_five_kinds_of_004_are_groupings():
    six = [g for g in CATEGORY_GROUPS if g.startswith("六类")]
    five = [g for g in CATEGORY_GROUPS if g.startswith("五类")]
    assert len(six) == 6 and len(five) == 5
    assert "orphan_unspecified" in CATEGORY_GROUPS["六类·孤儿"]
    assert "left_behind" in CATEGORY_GROUPS["五类·父母长期外出"]


def test_colour_order_puts_red_first():
    assert sorted(RISK_COLOUR.keys(), key=COLOUR_ORDER.get) == ["red", "orange", "yellow", "blue"]
