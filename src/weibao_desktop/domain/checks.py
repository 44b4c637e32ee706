"""Small field checks shared by the services, the forms and the ledger import."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata

from . import text as text_rule
from .codes import CodeTable
from .errors import WeibaoError

_PHONE = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8}(-\d{1,6})?|\d{7,8})$")
# A phone number already in its stored form (ASCII digits and dashes): normalize_phone returns it unchanged.
STORED_PHONE = re.compile(_PHONE.pattern, re.ASCII)


def require_text(value: str | None, field: str, label: str, max_len: int = 200) -> str:
    text = clean_text(value)
    if not text:
        raise WeibaoError(f"请填写{label}", field)
    if len(text) > max_len:
        raise WeibaoError(f"{label}过长（最多{max_len}个字）", field)
    return text


def clean_text(value: object, *, multiline: bool = False) -> str | None:
    """Trimmed text with spreadsheet noise removed; None for empty. Keeps characters outside the BMP."""
    return text_rule.clean_text(value, multiline=multiline)


def optional_code(table: CodeTable, value: str | None, field: str) -> str | None:
    if value is None or value == "":
        return None
    if value in table:
        return value
    code = table.parse(value)
    if code is None:
        raise WeibaoError(f"{table.label}“{value}”不在可选范围内（{'、'.join(table.labels())}）", field)
    return code


def require_code(table: CodeTable, value: str | None, field: str) -> str:
    code = optional_code(table, value, field)
    if code is None:
        raise WeibaoError(f"请选择{table.label}", field)
    return code


def not_future(day: dt.date | None, field: str, label: str, today: dt.date | None = None) -> dt.date | None:
    if day is not None and day > (today or dt.date.today()):
        raise WeibaoError(f"{label}（{day:%Y-%m-%d}）不能晚于今天", field)
    return day


def normalize_phone(value: object, field: str = "phone", label: str = "联系电话") -> str | None:
    """Digits of a phone number as text; refuses what cannot be a Chinese phone number."""
    if value is None:
        return None
    if value.__class__ is str and STORED_PHONE.fullmatch(value):
        return value  # every step below would leave it as it is
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if text.endswith(".0"):
        text = text[:-2]
    text = re.sub(r"[\s()（）]", "", text).lstrip("'")
    if text.startswith("+86"):
        text = text[3:]
    if not text:
        return None
    if not _PHONE.match(text):
        raise WeibaoError(f"{label}“{text}”格式不正确（手机号11位，或带区号的座机号）", field)
    return text
