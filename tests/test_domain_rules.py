"""The corrected rules of issue 15: red followed up, which visits count, calendar periods, eligibility."""
from __future__ import annotations

import datetime as dt

import pytest

from weibao_desktop.domain.cadence import Cadence, days_overdue, next_visit_due
from weibao_desktop.domain.eligibility import (
    CHECKS,
    CheckMonth,
    ChildFacts,
    category_warnings,
    de_facto_by_law,
    fingerprint,
    left_behind_by_law,
)
from weibao_desktop.domain.errors import WeibaoError

D = dt.date


OPENED = D(2020, 1, 1)


def due(colour, last, cadence=None, opened=OPENED):
    return next_visit_due(colour, cadence or Cadence(), last_visit_on=last, opened_on=opened)


# red: immediate intervention, then a follow-up every 7 days

def test_a_placed_red_child_is_not_overdue_for_home_visits_but_is_for_follow_up():
    cadence = Cadence()
    home_visit, hospital_call = D(2026, 10, 1), D(2026, 11, 20)
    today = D(2026, 11, 24)
    # In hospital: the call to the ward is a follow-up; the home visit seven weeks ago no longer sets the clock.
    assert cadence.counts("red", "phone", placement="hospital")
    last = max(d for d, mode in ((home_visit, "home"), (hospital_call, "phone"))
               if cadence.counts("red", mode, placement="hospital"))
    assert days_overdue(due("red", last, cadence), today) == 0
    # Ten days without any contact with the child or the hospital: overdue for follow-up.
    assert due("red", D(2026, 11, 10), cadence) == D(2026, 11, 17)
    assert days_overdue(due("red", D(2026, 11, 10), cadence), today) == 7


def test_a_red_child_at_home_is_followed_up_in_person():
    cadence = Cadence()
    assert not cadence.counts("red", "phone", placement="home")
    assert not cadence.counts("red", "phone", placement=None)
    assert cadence.counts("red", "home", placement=None)


# which visits count

@pytest.mark.parametrize("colour, mode, counts", [
    ("orange", "phone", False), ("orange", "video", False), ("orange", "home", True), ("orange", "school", True),
    ("yellow", "phone", True), ("blue", "video", True), (None, "phone", True),
])
def test_by_default_only_a_visit_in_person_resets_an_orange_or_red_clock(colour, mode, counts):
    assert Cadence().counts(colour, mode) is counts


def test_a_phone_call_does_not_reset_an_orange_clock():
    cadence = Cadence()
    visits = [(D(2026, 11, 2), "home"), (D(2026, 11, 9), "phone")]
    last = max(day for day, mode in visits if cadence.counts("orange", mode))
    assert due("orange", last, cadence) == D(2026, 11, 9)
    assert days_overdue(due("orange", last, cadence), D(2026, 11, 12)) == 3


def test_a_station_chooses_which_modes_count_per_colour():
    cadence = Cadence(counting={"orange": ("home", "school", "video")})
    assert cadence.counts("orange", "video") and not cadence.counts("orange", "phone")
    with pytest.raises(WeibaoError, match="至少要有一种走访方式"):
        Cadence(counting={"yellow": ()})


def test_the_cadence_round_trips_through_station_settings():
    cadence = Cadence({"yellow": 20}, {"blue": "month"}, {"orange": ("home",)})
    again = Cadence.from_settings(cadence.to_settings())
    assert again == cadence
    assert Cadence.from_settings({"cadence": {"red": 1}}).days["red"] == 1  # an old store's setting still reads


# calendar periods

@pytest.mark.parametrize("last, expected", [
    (D(2026, 1, 31), D(2026, 2, 28)),  # Jan 31 → by the end of February
    (D(2028, 1, 31), D(2028, 2, 29)),  # a leap year
    (D(2026, 1, 1), D(2026, 2, 28)),
    (D(2026, 12, 15), D(2027, 1, 31)),  # across the year's end
    (D(2026, 2, 28), D(2026, 3, 31)),
])
def test_once_per_calendar_month_is_due_by_the_end_of_the_next_month(last, expected):
    assert due("yellow", last, Cadence(periods={"yellow": "month"})) == expected


def test_a_monthly_child_visited_on_january_31_is_overdue_on_march_1_not_before():
    cadence = Cadence(periods={"yellow": "month"})
    nxt = due("yellow", D(2026, 1, 31), cadence)
    assert days_overdue(nxt, D(2026, 2, 28)) == 0 and days_overdue(nxt, D(2026, 3, 1)) == 1


@pytest.mark.parametrize("last, expected", [
    (D(2026, 11, 30), D(2026, 12, 13)),  # a Monday: by the Sunday of the next week
    (D(2026, 12, 6), D(2026, 12, 13)),  # a Sunday
    (D(2026, 12, 31), D(2027, 1, 10)),  # across the year's end
])
def test_once_per_calendar_week_is_due_by_the_sunday_of_the_next_week(last, expected):
    assert due("orange", last, Cadence(periods={"orange": "week"})) == expected


def test_calendar_periods_keep_the_higher_risk_the_closer_rule():
    with pytest.raises(WeibaoError, match="红 ≤ 橙 ≤ 黄 ≤ 蓝"):
        Cadence({"yellow": 14}, periods={"orange": "month"})
    assert Cadence(periods={"yellow": "month", "orange": "week"}).describe("yellow") == "每自然月至少一次"


# eligibility

@pytest.mark.parametrize("age, father, mother, expected", [
    (10, "migrant", "migrant", True),
    (10, "migrant", "prison", True),  # one away, the other unable
    (10, "migrant", "home", False),
    (10, "home", "home", False),
    (16, "migrant", "migrant", False),  # 16 and over is not 留守 by 国发〔2016〕13号
])
def test_left_behind_by_law(age, father, mother, expected):
    assert left_behind_by_law(age, father, mother) is expected


@pytest.mark.parametrize("father, mother, expected", [
    ("prison", "ill", True), ("dead", "missing", True), ("missing", "rehab", True),
    ("dead", "dead", False),  # an orphan
    ("migrant", "prison", False), ("home", "disabled", False),
])
def test_de_facto_unsupported_follows_from_the_parents(father, mother, expected):
    assert de_facto_by_law(father, mother) is expected


def test_categories_that_contradict_age_or_family_are_warned_about_never_changed():
    on = D(2026, 11, 30)
    cats = frozenset({"left_behind"})
    assert category_warnings(cats, D(2010, 1, 1), "migrant", "migrant", on) == ["列为农村留守儿童，但已满16周岁"]
    assert "父母不是双方外出务工" in category_warnings(cats, D(2016, 1, 1), "home", "home", on)[0]
    assert category_warnings(cats, D(2016, 1, 1), "migrant", "migrant", on) == []
    assert "母亲的状况不是死亡" in category_warnings(frozenset({"orphan_scattered"}), D(2016, 1, 1), "dead", "home",
                                                     on)[0]
    assert category_warnings(frozenset({"orphan_unspecified"}), D(2016, 1, 1), None, None, on) == [
        "孤儿未写明集中供养还是社会散居，请在资格核查中认定"]


def facts(**kw):
    base = dict(uuid="u1", name="甲", village="东村", birth_date=D(2015, 3, 1), categories=frozenset())
    return ChildFacts(**{**base, **kw})


NOV = CheckMonth.of("2026-11")


@pytest.mark.parametrize("code, kw", [
    ("de_facto_candidate", dict(father="prison", mother="ill")),
    ("left_behind_invalid", dict(categories=frozenset({"left_behind"}), father="home", mother="home")),
    ("left_behind_invalid", dict(categories=frozenset({"left_behind"}), birth_date=D(2010, 11, 2))),
    ("no_allowance", dict(categories=frozenset({"orphan_scattered"}))),
    ("no_allowance", dict(categories=frozenset({"de_facto_unsupported"}), reliefs=frozenset({"dibao"}))),
    ("dropout_no_return", dict(schooling="dropout")),
    ("no_hukou", dict(hukou_registered=False)),
    ("turning_18", dict(birth_date=D(2008, 11, 20))),
    ("orphan_unspecified", dict(categories=frozenset({"orphan_unspecified"}))),
])
def test_each_check_finds_its_children(code, kw):
    assert CHECKS[code].find(facts(**kw), NOV)


@pytest.mark.parametrize("code, kw", [
    ("de_facto_candidate", dict(father="prison", mother="ill", categories=frozenset({"de_facto_unsupported"}))),
    ("left_behind_invalid", dict(categories=frozenset({"left_behind"}), father="migrant", mother="home")),
    ("no_allowance", dict(categories=frozenset({"orphan_central"}), reliefs=frozenset({"orphan_allowance"}))),
    ("dropout_no_return", dict(schooling="dropout", help_kinds=frozenset({"return_to_school"}))),
    ("dropout_no_return", dict(schooling="dropout", birth_date=D(2010, 1, 1))),  # 16: past compulsory age
    ("turning_18", dict(birth_date=D(2008, 12, 1))),
])
def test_a_check_passes_children_that_meet_it(code, kw):
    assert CHECKS[code].find(facts(**kw), NOV) is None


def test_a_findings_fingerprint_changes_with_its_facts_only():
    a = facts(father="prison", mother="ill")
    assert fingerprint("de_facto_candidate", a) == fingerprint("de_facto_candidate", facts(
        father="prison", mother="ill", schooling="primary"))
    assert fingerprint("de_facto_candidate", a) != fingerprint("de_facto_candidate", facts(
        father="prison", mother="missing"))
