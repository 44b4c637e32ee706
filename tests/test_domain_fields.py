"""Field specs: how each form or ledger value is checked and stored, and how history shows it."""
from __future__ import annotations

import datetime as dt

import pytest

from factories import FIXED_DATE, RARE_NAME, id_number
from weibao_desktop.domain.checks import clean_text, normalize_phone
from weibao_desktop.domain.errors import WeibaoError
from weibao_desktop.domain.fields import clean_values, display, label_of, to_text

BIRTH = dt.date(2015, 3, 1)


def child(**values):
    base = {"name": "王子涵", "sex": "男", "birth_date": BIRTH}
    return clean_values("child", {**base, **values}, partial=False, today=FIXED_DATE)


def test_a_new_file_needs_name_sex_and_birth_date():
    for missing, label in [("name", "姓名"), ("sex", "性别"), ("birth_date", "出生日期")]:
        values = {"name": "王子涵", "sex": "男", "birth_date": BIRTH}
        del values[missing]
        with pytest.raises(WeibaoError) as e:
            clean_values("child", values, partial=False, today=FIXED_DATE)
        assert e.value.message == f"请填写{label}"
        assert e.value.field == missing


def test_an_edit_checks_only_the_fields_it_changes():
    assert clean_values("child", {"residence_address": "东村3组"}, partial=True) == {"residence_address": "东村3组"}


def test_an_unknown_field_is_refused():
    with pytest.raises(WeibaoError) as e:
        clean_values("child", {"risk_colour": "red"}, partial=True)
    assert "未知字段" in e.value.message and "risk_colour" in e.value.message


def test_labels_are_stored_as_codes_and_values_are_tidied():
    out = child(sex="女", health="患病", schooling="初中", boarding="寄宿", hukou_registered="否",
                contact_phone="138 0013 8000", id_number=id_number(BIRTH, "F").lower(), ethnicity=" 土家族 ")
    assert out["sex"] == "F"
    assert out["health"] == "ill"
    assert out["schooling"] == "junior"
    assert out["boarding"] is True
    assert out["hukou_registered"] is False
    assert out["contact_phone"] == "13800138000"
    assert out["id_number"] == id_number(BIRTH, "F")
    assert out["ethnicity"] == "土家族"


def test_a_value_outside_a_code_table_is_refused_listing_the_choices():
    with pytest.raises(WeibaoError) as e:
        child(schooling="大学")
    assert "就学情况“大学”不在可选范围内" in e.value.message
    assert "小学" in e.value.message and "初中" in e.value.message
    assert e.value.field == "schooling"


def test_multi_choice_fields_take_a_cell_or_a_list():
    assert child(income_sources="打工、政府救助")["income_sources"] == "work,government"
    assert child(income_sources=["打工", "government"])["income_sources"] == "work,government"
    assert child(income_sources="")["income_sources"] is None


def test_multi_choice_fields_store_the_same_choices_the_same_way_whatever_the_order():
    a = child(income_sources="政府救助、打工")["income_sources"]
    b = child(income_sources=["打工", "政府救助", "打工"])["income_sources"]
    assert a == b


def test_a_multi_choice_field_names_the_parts_it_cannot_read():
    with pytest.raises(WeibaoError) as e:
        child(income_sources="打工、炒股")
    assert "“炒股”无法识别" in e.value.message


def test_a_birth_date_after_today_is_refused():
    with pytest.raises(WeibaoError) as e:
        child(birth_date=FIXED_DATE + dt.timedelta(days=1))
    assert "不能晚于今天" in e.value.message and e.value.field == "birth_date"


def test_text_longer_than_allowed_is_refused():
    with pytest.raises(WeibaoError) as e:
        child(name="王" * 51)
    assert "姓名过长（最多50个字）" == e.value.message


@pytest.mark.parametrize("value", ["也许", "2", "Y/N"])
def test_a_yes_no_field_refuses_anything_else(value):
    with pytest.raises(WeibaoError) as e:
        child(boarding=value)
    assert "是否寄宿应填“是”或“否”" in e.value.message


@pytest.mark.parametrize(
    "value, expected",
    [
        ("13800138000", "13800138000"), (" 138 0013 8000 ", "13800138000"), (13800138000.0, "13800138000"),
        ("13800138000.0", "13800138000"), ("+86 13800138000", "13800138000"), ("０７３１－８８８８８８８", "0731-8888888"),
        ("(0731)88888888", "073188888888"), ("'13800138000", "13800138000"), (None, None), ("", None),
    ],
)
def test_phone_numbers_are_kept_as_digits(value, expected):
    assert normalize_phone(value) == expected


@pytest.mark.parametrize("value", ["12345", "2380013800", "138001380001", "电话"])
def test_what_cannot_be_a_phone_number_is_refused(value):
    with pytest.raises(WeibaoError) as e:
        normalize_phone(value)
    assert "格式不正确" in e.value.message


def test_clean_text_keeps_characters_outside_the_bmp():
    assert clean_text(f"\u3000{RARE_NAME} ") == RARE_NAME
    assert clean_text("  ") is None and clean_text(None) is None


def test_history_shows_labels_not_codes_and_masks_id_numbers():
    number = id_number(BIRTH, "M")
    assert label_of("child", "residence_address") == "现居住地"
    assert label_of("child", "risk_colour") == "风险等级"
    assert display("child", "schooling", "junior") == "初中"
    assert display("child", "income_sources", "work,government") == "打工、政府救助"
    assert display("child", "boarding", to_text(True)) == "是"
    assert display("child", "boarding", to_text(False)) == "否"
    assert display("child", "risk_colour", "red") == "红"
    assert display("child", "status", "closed") == "已销档"
    assert display("child", "id_number", number) == number[:6] + "********" + number[-4:]
    assert display("child", "notes", None) == "（空）"
    assert to_text(dt.datetime(2024, 6, 1, 9, 30, 5, 123)) == "2024-06-01 09:30:05"
