"""公民身份号码: what spreadsheets do to it, what is repaired, what is refused and why."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factories import REGION, id_number_ending_in_x, mod11_2_check, to_fullwidth
from weibao_desktop.domain.idnumber import (
    IdNumberError,
    is_valid_id_number,
    make_id_number,
    mask_id_number,
    mismatches,
    normalize_id_number,
    parse_id_number,
)

BIRTH = dt.date(2015, 3, 1)
NUMBER = make_id_number(REGION, BIRTH, 123)  # 430104 20150301 123 + check; 123 is odd: male
WITH_X = id_number_ending_in_x(BIRTH)

births = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2023, 12, 31))
sequences = st.integers(min_value=0, max_value=999)


def test_make_id_number_builds_a_number_with_the_gb11643_check_character():
    assert NUMBER == "430104201503011230"
    assert NUMBER[17] == mod11_2_check(NUMBER[:17])
    assert WITH_X[17] == "X" == mod11_2_check(WITH_X[:17])


@given(births, sequences)
def test_every_made_number_validates_and_tells_birth_date_and_sex(birth, seq):
    number = make_id_number(REGION, birth, seq)
    info = parse_id_number(number)
    assert info.number == number
    assert info.birth_date == birth
    assert info.sex == ("M" if seq % 2 else "F")
    assert info.region == REGION


@pytest.mark.parametrize(
    "damaged",
    [
        NUMBER + ".0",  # a text cell that went through a float
        f"  {NUMBER}  ",
        f"{NUMBER[:6]} {NUMBER[6:14]} {NUMBER[14:]}",  # typed in groups
        f"{NUMBER[:6]}-{NUMBER[6:14]}-{NUMBER[14:]}",
        "\t" + NUMBER + "\n",
        "'" + NUMBER,  # Excel's text prefix
        to_fullwidth(NUMBER),  # full-width digits from a Chinese input method
        "\u3000" + NUMBER + "\u3000",  # ideographic spaces
        int(NUMBER),  # a number cell that kept every digit
    ],
    ids=["dot-zero", "spaces-around", "spaces-inside", "hyphens", "tab-newline", "apostrophe", "full-width",
         "ideographic-space", "int-cell"],
)
def test_damaged_cells_that_still_hold_every_digit_are_repaired(damaged):
    assert normalize_id_number(damaged) == NUMBER
    assert parse_id_number(damaged).number == NUMBER


@pytest.mark.parametrize("damaged", [WITH_X.lower(), to_fullwidth(WITH_X.lower()), WITH_X[:-1] + " x", WITH_X.lower() + ".0"])
def test_lowercase_x_is_read_as_the_check_character_x(damaged):
    assert parse_id_number(damaged).number == WITH_X


@pytest.mark.parametrize(
    "cell",
    ["4.30104201503011E+17", "4.30104201503011e+17", "4.30104201503011E17", " 4.30104201503011E+17 "],
)
def test_scientific_notation_is_refused_saying_digits_are_lost(cell):
    with pytest.raises(IdNumberError) as e:
        parse_id_number(cell)
    assert "科学计数法" in e.value.message
    assert "丢失" in e.value.message
    assert e.value.field == "id_number"


def test_a_float_cell_rounded_by_excel_is_refused_saying_digits_are_lost():
    with pytest.raises(IdNumberError) as e:
        parse_id_number(4.30104201503011e17)
    assert "丢失" in e.value.message
    assert "文本" in e.value.message  # tells the clerk how to fix the sheet


@settings(max_examples=300)
@given(births, sequences)
def test_a_float_cell_is_never_taken_as_a_number_even_when_its_rounded_digits_pass_the_check(birth, seq):
    # A double holds about 16 significant digits; whatever it shows of an 18-digit number was rounded,
    # so accepting it could file a child under somebody else's number.
    number = make_id_number(REGION, birth, seq)
    if number.endswith("X"):
        return
    with pytest.raises(IdNumberError) as e:
        normalize_id_number(float(number))
    assert "丢失" in e.value.message


def test_a_short_number_cell_says_how_many_digits_it_has():
    with pytest.raises(IdNumberError) as e:
        parse_id_number(43010420150301)
    assert "14位" in e.value.message


def test_wrong_check_character_is_refused():
    last = NUMBER[17]
    wrong = NUMBER[:17] + ("1" if last != "1" else "2")
    with pytest.raises(IdNumberError) as e:
        parse_id_number(wrong)
    assert "校验位不正确" in e.value.message
    assert not is_valid_id_number(wrong)


def test_a_single_mistyped_digit_is_caught_by_the_check_character():
    typo = NUMBER[:10] + ("9" if NUMBER[10] != "9" else "8") + NUMBER[11:]
    assert not is_valid_id_number(typo)


@pytest.mark.parametrize("date_part", ["20150230", "20151301", "20150000"])
def test_a_birth_date_that_does_not_exist_is_refused(date_part):
    body = REGION + date_part + "123"
    with pytest.raises(IdNumberError) as e:
        parse_id_number(body + mod11_2_check(body))
    assert "出生日期" in e.value.message
    assert date_part in e.value.message


@pytest.mark.parametrize("date_part", ["20990101", "18991231"])
def test_an_impossible_birth_year_is_refused(date_part):
    body = REGION + date_part + "123"
    with pytest.raises(IdNumberError) as e:
        parse_id_number(body + mod11_2_check(body))
    assert "不合理" in e.value.message


@pytest.mark.parametrize("region", ["000000", "999999", "430199"])
def test_an_unknown_region_code_is_refused(region):
    body = region + "20150301123"
    with pytest.raises(IdNumberError) as e:
        parse_id_number(body + mod11_2_check(body))
    assert "行政区划代码" in e.value.message
    assert region in e.value.message


@pytest.mark.parametrize(
    "value, words",
    [
        (NUMBER[:17], "现为17位"),
        (NUMBER + "1", "现为19位"),
        (NUMBER[:10] + "A" + NUMBER[11:], "前17位须为数字"),
        (NUMBER[:17] + "Y", "前17位须为数字"),
    ],
)
def test_malformed_text_is_refused_with_the_reason(value, words):
    with pytest.raises(IdNumberError) as e:
        parse_id_number(value)
    assert words in e.value.message


@pytest.mark.parametrize("empty", [None, "", "   ", "\u3000"])
def test_an_empty_cell_is_no_number_not_an_error(empty):
    assert normalize_id_number(empty) is None
    assert parse_id_number(empty) is None


def test_a_yes_no_cell_is_not_a_number():
    with pytest.raises(IdNumberError):
        parse_id_number(True)


def test_mismatches_name_birth_date_and_sex_disagreements():
    info = parse_id_number(NUMBER)
    assert mismatches(info, BIRTH, "M") == []
    assert mismatches(info, None, None) == []
    problems = mismatches(info, dt.date(2015, 3, 2), "F")
    assert len(problems) == 2
    assert "2015-03-02" in problems[0] and "2015-03-01" in problems[0]
    assert "性别" in problems[1] and "女" in problems[1] and "男" in problems[1]


def test_mask_keeps_region_and_last_four():
    assert mask_id_number(NUMBER) == "430104********1230"
    assert mask_id_number(WITH_X) == WITH_X[:6] + "*" * 8 + WITH_X[-4:]
    assert mask_id_number(None) == ""
    assert mask_id_number("") == ""


@given(births, sequences)
def test_mask_never_shows_the_birth_date(birth, seq):
    number = make_id_number(REGION, birth, seq)
    masked = mask_id_number(number)
    assert len(masked) == 18
    assert masked[6:14] == "********"
    assert f"{birth:%Y%m%d}" not in masked
