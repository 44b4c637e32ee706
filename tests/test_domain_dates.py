"""Dates as people and spreadsheets write them."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from weibao_desktop.domain.dates import parse_date, parse_datetime
from weibao_desktop.domain.errors import WeibaoError

MARCH_1 = dt.date(2015, 3, 1)


@pytest.mark.parametrize(
    "value",
    [
        "2015-03-01", "2015-3-1", "2015/3/1", "2015/03/01", "2015.3.1", "2015.03.01",
        "2015年3月1日", "2015年03月01日", "2015年3月1", "20150301", " 2015-03-01 ",
        "２０１５－０３－０１", "2015-03-01 00:00:00", "2015-03-01T08:30", "2015/3/1 8:30:15",
        20150301, 42064, 42064.0, 42064.75,
        dt.datetime(2015, 3, 1, 8, 30), MARCH_1,
    ],
)
def test_the_usual_written_forms_excel_serials_and_datetimes_give_the_date(value):
    assert parse_date(value) == MARCH_1


def test_excel_serial_numbers_count_from_the_1900_system_epoch():
    assert parse_date(1) == dt.date(1899, 12, 31)
    assert parse_date(45457) == dt.date(2024, 6, 14)


@given(st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_every_date_survives_each_written_form(day):
    serial = (day - dt.date(1899, 12, 30)).days
    for form in (day.isoformat(), f"{day.year}/{day.month}/{day.day}", f"{day.year}.{day.month}.{day.day}",
                 f"{day.year}年{day.month}月{day.day}日", day.strftime("%Y%m%d"), serial, int(day.strftime("%Y%m%d"))):
        assert parse_date(form) == day, form


@pytest.mark.parametrize("empty", [None, "", "   "])
def test_an_empty_cell_is_no_date(empty):
    assert parse_date(empty) is None


@pytest.mark.parametrize(
    "value, words",
    [
        ("2015-02-30", "不是有效日期（2015年2月没有30日）"),
        ("2015年2月29日", "不是有效日期"),
        ("20151301", "不是有效日期"),
        ("2015-3", "无法识别，请写成 2015-03-01 这样的格式"),
        ("明天", "无法识别"),
        ("15-3-1", "无法识别"),
        (True, "不是日期"),
        (-3, "不是日期"),
        (99999999, "不是日期"),
    ],
)
def test_invalid_dates_are_refused_in_chinese_naming_the_field(value, words):
    with pytest.raises(WeibaoError) as e:
        parse_date(value, "出生日期", "birth_date")
    assert words in e.value.message
    assert e.value.message.startswith("出生日期")
    assert e.value.field == "birth_date"


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2024-06-01 09:30", dt.datetime(2024, 6, 1, 9, 30)),
        ("2024-06-01 09:30:15", dt.datetime(2024, 6, 1, 9, 30, 15)),
        ("2024/06/01 09:30", dt.datetime(2024, 6, 1, 9, 30)),
        ("2024-06-01T09:30:00", dt.datetime(2024, 6, 1, 9, 30)),
        ("2024年6月1日", dt.datetime(2024, 6, 1)),
        (dt.datetime(2024, 6, 1, 9, 30), dt.datetime(2024, 6, 1, 9, 30)),
        (dt.date(2024, 6, 1), dt.datetime(2024, 6, 1)),
        ("", None),
        (None, None),
    ],
)
def test_parse_datetime(value, expected):
    assert parse_datetime(value) == expected


def test_parse_datetime_refuses_nonsense_in_chinese():
    with pytest.raises(WeibaoError) as e:
        parse_datetime("昨天下午", "受理时间", "received_at")
    assert "受理时间" in e.value.message and e.value.field == "received_at"
