"""Risk colour → visit cadence, next visit due, overdue and the red-case rule."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from weibao_desktop.domain.cadence import (
    Cadence,
    age_on,
    days_overdue,
    is_overdue,
    next_visit_due,
    red_without_action,
)
from weibao_desktop.domain.errors import WeibaoError

D = dt.date
COLOURS = ["red", "orange", "yellow", "blue"]  # most severe first


def test_default_cadence_is_blue_90_yellow_30_orange_7_and_red_followed_up_every_7():
    c = Cadence()
    assert c.to_json() == {"blue": 90, "yellow": 30, "orange": 7, "red": 7}
    day = D(2024, 6, 1)
    assert c.due_after("blue", day) == D(2024, 8, 30)
    assert c.due_after("yellow", day) == D(2024, 7, 1)
    assert c.due_after("orange", day) == D(2024, 6, 8)
    assert c.due_after("red", day) == D(2024, 6, 8)


def test_a_child_not_yet_assessed_is_visited_as_often_as_a_blue_one():
    assert Cadence().due_after(None, D(2024, 6, 1)) == D(2024, 8, 30)
    assert Cadence({"blue": 60}).due_after(None, D(2024, 6, 1)) == D(2024, 7, 31)


def test_a_station_may_change_some_colours_and_keep_the_defaults_for_the_others():
    c = Cadence({"yellow": 14, "blue": 60})
    assert c.to_json() == {"blue": 60, "yellow": 14, "orange": 7, "red": 7}


@pytest.mark.parametrize(
    "days, words",
    [
        ({"red": 0}, "红色的走访间隔应为1到366天之间的整数"),
        ({"blue": 367}, "蓝色的走访间隔应为1到366天之间的整数"),
        ({"yellow": -5}, "黄色的走访间隔"),
        ({"yellow": "30"}, "黄色的走访间隔"),
        ({"orange": 7.5}, "橙色的走访间隔"),
        ({"orange": None}, "橙色的走访间隔"),
        ({"purple": 5}, "未知的风险等级“purple”"),
        ({"red": 10}, "红 ≤ 橙 ≤ 黄 ≤ 蓝"),  # red less often than orange
        ({"yellow": 120}, "红 ≤ 橙 ≤ 黄 ≤ 蓝"),  # yellow less often than blue
    ],
)
def test_invalid_cadences_are_refused_in_chinese(days, words):
    with pytest.raises(WeibaoError) as e:
        Cadence(days)
    assert words in e.value.message
    assert e.value.field == "cadence"


def test_equal_intervals_for_neighbouring_colours_are_allowed():
    assert Cadence({"red": 7, "orange": 7}).due_after("red", D(2024, 6, 1)) == D(2024, 6, 8)


# next visit due

def test_before_any_visit_the_first_is_due_from_the_day_the_file_was_opened():
    opened = D(2024, 6, 1)
    for colour, days in [("blue", 90), ("yellow", 30), ("orange", 7), ("red", 7), (None, 90)]:
        due = next_visit_due(colour, Cadence(), last_visit_on=None, opened_on=opened)
        assert due == opened + dt.timedelta(days=days), colour


def test_after_a_visit_the_next_is_due_from_that_visit():
    due = next_visit_due("yellow", Cadence(), last_visit_on=D(2024, 5, 20), opened_on=D(2023, 1, 1))
    assert due == D(2024, 6, 19)


def test_the_date_planned_at_the_last_visit_holds_while_the_colour_is_unchanged():
    kwargs = dict(last_visit_on=D(2024, 6, 1), opened_on=D(2024, 1, 1), colour_set_on=D(2024, 5, 1))
    assert next_visit_due("blue", Cadence(), planned_on=D(2024, 6, 10), **kwargs) == D(2024, 6, 10)
    # no assessment on record at all: the plan holds too
    assert next_visit_due(None, Cadence(), last_visit_on=D(2024, 6, 1), opened_on=D(2024, 1, 1),
                          planned_on=D(2024, 6, 10)) == D(2024, 6, 10)


def test_raising_the_colour_after_a_visit_makes_the_child_due_sooner():
    last = D(2024, 6, 1)
    planned_as_blue = next_visit_due("blue", Cadence(), last_visit_on=last, opened_on=D(2024, 1, 1),
                                     planned_on=D(2024, 8, 30), colour_set_on=D(2024, 5, 1))
    raised = next_visit_due("red", Cadence(), last_visit_on=last, opened_on=D(2024, 1, 1),
                            planned_on=D(2024, 8, 30), colour_set_on=D(2024, 6, 5))
    assert planned_as_blue == D(2024, 8, 30)
    assert raised == D(2024, 6, 8)
    assert is_overdue(raised, D(2024, 6, 10))
    assert days_overdue(raised, D(2024, 6, 10)) == 2


def test_lowering_the_colour_after_a_visit_does_not_keep_a_needlessly_close_date():
    due = next_visit_due("blue", Cadence(), last_visit_on=D(2024, 6, 1), opened_on=D(2024, 1, 1),
                         planned_on=D(2024, 6, 2), colour_set_on=D(2024, 6, 3))
    assert due == D(2024, 8, 30)


def test_assessed_and_visited_the_same_day_the_closer_date_is_kept():
    kwargs = dict(last_visit_on=D(2024, 6, 1), opened_on=D(2024, 1, 1), colour_set_on=D(2024, 6, 1))
    assert next_visit_due("orange", Cadence(), planned_on=D(2024, 6, 30), **kwargs) == D(2024, 6, 8)
    assert next_visit_due("blue", Cadence(), planned_on=D(2024, 6, 5), **kwargs) == D(2024, 6, 5)


def test_the_station_cadence_is_what_counts():
    due = next_visit_due("yellow", Cadence({"yellow": 14}), last_visit_on=D(2024, 6, 1), opened_on=D(2024, 1, 1))
    assert due == D(2024, 6, 15)


@given(
    st.sampled_from(COLOURS), st.sampled_from(COLOURS),
    st.dates(min_value=D(2020, 1, 1), max_value=D(2030, 1, 1)),
    st.integers(min_value=1, max_value=60), st.integers(min_value=0, max_value=400),
)
def test_a_more_severe_colour_set_after_the_visit_is_never_due_later(low, high, last, gap, plan_in):
    if COLOURS.index(high) > COLOURS.index(low):
        low, high = high, low
    kwargs = dict(last_visit_on=last, opened_on=D(2019, 1, 1), planned_on=last + dt.timedelta(days=plan_in),
                  colour_set_on=last + dt.timedelta(days=gap))
    assert next_visit_due(high, Cadence(), **kwargs) <= next_visit_due(low, Cadence(), **kwargs)


# overdue

def test_overdue_counts_whole_days_after_the_due_date():
    today = D(2024, 6, 14)
    assert days_overdue(D(2024, 6, 14), today) == 0 and not is_overdue(D(2024, 6, 14), today)
    assert days_overdue(D(2024, 6, 20), today) == 0 and not is_overdue(D(2024, 6, 20), today)
    assert days_overdue(D(2024, 6, 13), today) == 1 and is_overdue(D(2024, 6, 13), today)
    assert days_overdue(D(2024, 5, 15), today) == 30
    assert days_overdue(None, today) == 0 and not is_overdue(None, today)


# red cases

@pytest.mark.parametrize(
    "colour, open_actions, deferred, flagged",
    [
        ("red", 0, False, True),
        ("red", 1, False, False),
        ("red", 2, False, False),
        ("red", 0, True, False),
        ("orange", 0, False, False),
        ("blue", 0, False, False),
        (None, 0, False, False),
    ],
)
def test_a_red_child_without_open_help_or_referral_is_flagged_unless_deferred(colour, open_actions, deferred, flagged):
    assert red_without_action(colour, open_actions, deferred) is flagged


def test_age_is_counted_in_whole_years_at_the_cut_off_date():
    birth = D(2006, 6, 15)
    assert age_on(birth, D(2024, 6, 14)) == 17
    assert age_on(birth, D(2024, 6, 15)) == 18
    assert age_on(D(2012, 2, 29), D(2024, 2, 28)) == 11
    assert age_on(D(2012, 2, 29), D(2024, 2, 29)) == 12
