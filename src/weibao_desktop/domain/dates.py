"""Dates as people and spreadsheets write them."""
from __future__ import annotations

import datetime as dt
import re
import unicodedata

from .errors import WeibaoError

_EXCEL_EPOCH = dt.date(1899, 12, 30)
_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_SERIAL = re.compile(r"^[1-7]\d{4}$")  # 1927-05-18 … 2119-02-06
_TIME_TAIL = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")


def parse_date(value: object, label: str = "日期", field: str | None = None) -> dt.date | None:
    """A date from a date, datetime, Excel serial number or one of the usual written forms."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise WeibaoError(f"{label}“{value}”不是日期", field)
    if isinstance(value, (int, float)):
        if 19000101 <= value <= 21001231 and float(value).is_integer():
            return parse_date(str(int(value)), label, field)
        if 1 <= value < 80000:  # an Excel serial day number (1900 date system)
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise WeibaoError(f"{label}“{value}”不是日期", field)
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if not text:
        return None
    text = _TIME_TAIL.sub("", text).strip()
    if _SERIAL.match(text):  # a serial day number a spreadsheet wrote out as text (a CSV of a General column)
        return parse_date(int(text), label, field)
    for pattern in _PATTERNS:
        m = pattern.match(text)
        if m:
            y, mo, d = (int(g) for g in m.groups())
            try:
                return dt.date(y, mo, d)
            except ValueError:
                raise WeibaoError(f"{label}“{value}”不是有效日期（{y}年{mo}月没有{d}日）", field) from None
    raise WeibaoError(f"{label}“{value}”无法识别，请写成 2015-03-01 这样的格式", field)


def parse_datetime(value: object, label: str = "时间", field: str | None = None) -> dt.datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip()
        for fmt in ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y/%m/%d %H:%M", "%Y-%m-%dT%H:%M"):
            try:
                return dt.datetime.strptime(text, fmt)
            except ValueError:
                pass
    day = parse_date(value, label, field)
    return dt.datetime.combine(day, dt.time()) if day else None


def in_force(start: dt.date | None, end: dt.date | None, on: dt.date) -> bool:
    """A dated record (a category, a relief) is in force on `on` when it has begun and not yet ended: one that
    ends next month is current today, one that ended today is not; an unknown start counts as begun.
    `services.queries.in_force` is the same rule in SQL."""
    return (start is None or start <= on) and (end is None or end > on)
