"""The rules behind the data-entry forms, on every path: 民族 written in full, every bad field named at once,
and ages as people say them."""
from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import Workbook

from factories import child_values
from weibao_desktop.domain.cadence import age_text
from weibao_desktop.domain.errors import WeibaoError
from weibao_desktop.domain.ethnicity import ETHNIC_GROUPS, normalize_ethnicity
from weibao_desktop.domain.fields import clean_values


def test_the_56_groups_in_the_standards_order_and_what_people_write_for_them():
    assert len(ETHNIC_GROUPS) == len(set(ETHNIC_GROUPS)) == 56
    assert (ETHNIC_GROUPS[0], ETHNIC_GROUPS[14], ETHNIC_GROUPS[55]) == ("汉族", "土家族", "基诺族")
    for typed, stored in (("汉", "汉族"), (" 汉族 ", "汉族"), ("01", "汉族"), ("15", "土家族"), ("蒙古", "蒙古族"),
                          ("崩龙族", "德昂族"), ("98", "外国血统中国籍人士"), ("", None), (None, None)):
        assert normalize_ethnicity(typed) == stored, typed
    with pytest.raises(WeibaoError, match="民族“火星”不在56个民族名称中") as e:
        normalize_ethnicity("火星")
    assert e.value.field == "ethnicity"


def test_a_file_saved_with_han_is_stored_as_han_zu(ws):
    made = ws.children.create(child_values(ethnicity="汉"))
    assert ws.children.get(made.uuid).ethnicity == "汉族"
    ws.children.update(made.uuid, {"ethnicity": "土家"})
    assert ws.children.get(made.uuid).ethnicity == "土家族"


def test_a_ledger_row_with_han_is_imported_as_han_zu(ws, tmp_path):
    values = child_values()
    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "性别", "民族", "出生日期", "公民身份号码"])
    sheet.append([values["name"], "男" if values["sex"] == "M" else "女", "汉", values["birth_date"].isoformat(),
                  values["id_number"]])
    path = tmp_path / "花名册.xlsx"
    book.save(path)
    ws.ledger.apply(path)
    found = ws.children.find_existing(id_number=values["id_number"])
    assert ws.children.get(found.uuid).ethnicity == "汉族"


def test_every_bad_field_is_named_at_once_and_callers_still_see_one_message():
    with pytest.raises(WeibaoError) as e:
        clean_values("child", {"name": "", "contact_phone": "123", "birth_date": "2030-01-01"}, partial=False,
                     today=dt.date(2024, 6, 14))
    assert [(x.field, x.message) for x in e.value.errors] == [
        ("name", "请填写姓名"),
        ("sex", "请填写性别"),
        ("birth_date", "出生日期（2030-01-01）不能晚于今天"),
        ("contact_phone", "联系电话“123”格式不正确（手机号11位，或带区号的座机号）"),
    ]
    assert e.value.field == "name" and e.value.message.startswith("请填写姓名；请填写性别；")


def test_a_service_refuses_with_every_bad_field(ws):
    with pytest.raises(WeibaoError) as e:
        ws.children.create({"name": "", "sex": "男", "birth_date": "2030-01-01"})
    assert {x.field for x in e.value.errors} == {"name", "birth_date"}


def test_one_error_is_its_own_only_field_error():
    error = WeibaoError("请填写姓名", "name")
    assert error.errors == (error,) and WeibaoError.of_fields([error]) is error


@pytest.mark.parametrize("birth, text", [
    (dt.date(2024, 6, 14), "不满1个月"),
    (dt.date(2024, 5, 15), "不满1个月"),
    (dt.date(2024, 5, 14), "1个月"),
    (dt.date(2023, 11, 14), "7个月"),
    (dt.date(2023, 6, 15), "11个月"),
    (dt.date(2023, 6, 14), "1岁"),
    (dt.date(2014, 6, 15), "9岁"),
])
def test_ages_under_one_year_are_in_months(birth, text):
    assert age_text(birth, dt.date(2024, 6, 14)) == text
