"""公民身份号码 (GB 11643-1999): repair what spreadsheets do to it, validate, compare, mask.

Checksum and birth-date parsing come from python-stdnum (`stdnum.cn.ric`); this module adds the
repairs and the refusals a ledger clerk needs, with reasons in Chinese.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from stdnum import numdb
from stdnum.cn import ric
from stdnum.exceptions import InvalidComponent, ValidationError

from .errors import WeibaoError

_SCIENTIFIC = re.compile(r"^[+-]?\d+(\.\d+)?[eE][+-]?\d+$")
_DECORATION = re.compile(r"[\s\-_'‘’\"“”`]")
_PLAIN = re.compile(r"[0-9]{17}[0-9X]")


class IdNumberError(WeibaoError):
    def __init__(self, message: str):
        super().__init__(message, "id_number")


@dataclass(frozen=True)
class IdInfo:
    number: str
    birth_date: dt.date
    sex: str  # "M" or "F"
    region: str


def normalize_id_number(value: object) -> str | None:
    """The 18-character text a cell should have held; None when empty.

    Raises IdNumberError for damage that cannot be repaired: a number stored as a spreadsheet number
    keeps only 15 significant digits, so its tail is gone.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise IdNumberError("身份证号不能是是/否值")
    if isinstance(value, (int, float, Decimal)):
        digits = _numeric_digits(value)
        # A number cell keeps an 18-digit id intact only when the writer stored every digit (some
        # programs do) and it was read as an integer; a double holds about 16 significant digits, so
        # an 18-digit float is rounded even when its digits happen to pass the check.
        if (len(digits) == 18 and not isinstance(value, float) and not digits.endswith("000")
                and ric.calc_check_digit(digits) == digits[17]):
            return digits
        if len(digits) > 15:
            raise IdNumberError(_stored_as_number(digits))
        raise IdNumberError(f"身份证号只有{len(digits)}位数字，应为18位")
    if value.__class__ is str and _PLAIN.fullmatch(value):
        return value  # 18 ASCII characters as stored: nothing below would change it
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if not text:
        return None
    if _SCIENTIFIC.match(text.replace(" ", "")):
        # the same damage as a number cell, written out by a CSV or web export: the same message
        raise IdNumberError(_stored_as_number(re.sub(r"\D", "", text.upper().split("E")[0])))
    text = _DECORATION.sub("", text)
    if text.endswith(".0"):
        text = text[:-2]
    return text.upper()


def _stored_as_number(digits: str) -> str:
    return (f"身份证号被表格软件当作数字保存（显示为科学计数法，{digits[:6]}…），第15位以后的数字已丢失，无法恢复；"
            "请把该列设为“文本”格式后重新录入")


def _numeric_digits(value: int | float | Decimal) -> str:
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return ""
        value = Decimal(repr(value))
    return str(abs(int(value)))


def validate_id_number(number: str) -> IdInfo:
    """Check an already normalised number; the reason names what is wrong."""
    birth = _checked_birth_date(number)
    sex = "M" if int(number[16]) % 2 == 1 else "F"
    return IdInfo(number=number, birth_date=birth, sex=sex, region=number[:6])


def _checked_birth_date(number: str) -> dt.date:
    """Every check of validate_id_number; the birth date it read on the way."""
    if len(number) != 18:
        raise IdNumberError(f"身份证号应为18位，现为{len(number)}位")
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise IdNumberError("身份证号前17位须为数字，最后一位为数字或X")
    try:
        birth = _birth_date(number)
    except ValidationError:
        raise IdNumberError(f"身份证号中的出生日期“{number[6:14]}”不是有效日期") from None
    if birth > dt.date.today() or birth.year < 1900:
        raise IdNumberError(f"身份证号中的出生日期“{birth:%Y-%m-%d}”不合理")
    if not _known_region(number[:6]):
        raise IdNumberError(f"身份证号前6位“{number[:6]}”不是有效的行政区划代码")
    expected = ric.calc_check_digit(number)
    if number[17] != expected:
        raise IdNumberError("身份证号校验位不正确，请逐位核对（可能有数字录错）")
    return birth


def _birth_date(number: str) -> dt.date:
    if not _PLAIN.fullmatch(number):
        return ric.get_birth_date(number)
    # What ric.get_birth_date does, without its clean-up: 18 ASCII characters have nothing to clean.
    try:
        return dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise InvalidComponent() from None


def parse_id_number(value: object) -> IdInfo | None:
    """Normalise and validate in one step; None when the cell is empty."""
    number = normalize_id_number(value)
    if number is None:
        return None
    return validate_id_number(number)


def checked_id_number(value: object) -> str | None:
    """What parse_id_number(value).number is (None when empty), for callers that need only the number."""
    number = normalize_id_number(value)
    if number is None:
        return None
    _checked_birth_date(number)
    return number


def is_valid_id_number(value: object) -> bool:
    try:
        return parse_id_number(value) is not None
    except IdNumberError:
        return False


def mismatches(info: IdInfo, birth_date: dt.date | None, sex: str | None) -> list[str]:
    """What the file says that the number contradicts. Shown to the user, never silently fixed."""
    problems = []
    if birth_date is not None and birth_date != info.birth_date:
        problems.append(f"出生日期{birth_date:%Y-%m-%d}与身份证号中的{info.birth_date:%Y-%m-%d}不一致")
    if sex is not None and sex != info.sex:
        said = "男" if sex == "M" else "女"
        implied = "男" if info.sex == "M" else "女"
        problems.append(f"性别“{said}”与身份证号（第17位表示{implied}）不一致")
    return problems


def mask_id_number(number: str | None) -> str:
    """430104********1234: region and the last four, enough to tell files apart on paper."""
    if not number:
        return ""
    if len(number) <= 10:
        return number[:2] + "*" * max(len(number) - 2, 0)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def make_id_number(region: str, birth: dt.date, sequence: int) -> str:
    """A valid-checksum number, for synthetic test and demo data only."""
    body = f"{region}{birth:%Y%m%d}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")


@functools.lru_cache(maxsize=8192)  # a ledger import checks thousands of numbers from a few regions
def _known_region(code: str) -> bool:
    return any(props for _, props in numdb.get("cn/loc").info(code)[1:])
