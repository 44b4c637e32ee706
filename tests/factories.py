"""Synthetic people and files for the tests: no real person's name or number is used anywhere.

Names are drawn from common surname and given-name characters by a counter, so they are stable
between runs; identity numbers are built with `make_id_number` and carry a valid check character.
"""
from __future__ import annotations

import datetime as dt
import itertools

from weibao_desktop.domain.idnumber import make_id_number
from weibao_desktop.services.base import Actor

FIXED_DATE = dt.date(2024, 6, 14)  # a Friday; the week ends on Sunday 2024-06-16
REGION = "430104"  # 长沙市岳麓区
OPERATOR = "操作人姓名"  # also the test account every test store is made with (tests/conftest.py)
TEST_PASSWORD = "测试口令-2024"
# The station's first account: `init` makes it the head (站长), so the fixtures act with its role.
OPERATOR_HEAD = Actor(OPERATOR, "head")

# Characters outside the Basic Multilingual Plane that real registers contain.
RARE_1 = "\U00020BB7"  # 𠮷
RARE_2 = "\U00021484"  # 𡒄
RARE_NAME = f"{RARE_1}{RARE_2}宁"

_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
_GIVEN = "子涵浩宇欣怡俊杰梓轩雨桐思远嘉乐可馨博文若曦一诺"
_ADULT_SURNAMES = "钱郑冯褚卫蒋沈韩秦尤许吕施"

# The station every test store is set up for (tests import these from here, not from a conftest).
STATION_NAME = "城关镇"
STATION_CODE = "430104001000"
COUNTY = "岳麓区"
VILLAGES = ["东村", "西村", "南村"]


def synthetic_name(n: int) -> str:
    """A plausible two- or three-character name for counter value n (distinct for n < 400)."""
    surname = _SURNAMES[n % len(_SURNAMES)]
    given = _GIVEN[(n // len(_SURNAMES)) % len(_GIVEN)]
    if n % 3:
        given += _GIVEN[(n * 7 + 3) % len(_GIVEN)]
    return surname + given


def id_number(birth: dt.date, sex: str = "M", n: int = 0, region: str = REGION) -> str:
    """A valid-checksum number whose birth date and sex digit agree with the arguments."""
    seq = (2 * n + (1 if sex == "M" else 2)) % 1000
    return make_id_number(region, birth, seq)


def id_number_ending_in_x(birth: dt.date = dt.date(2015, 3, 1)) -> str:
    for seq in range(1, 1000):
        number = make_id_number(REGION, birth, seq)
        if number.endswith("X"):
            return number
    raise AssertionError("no sequence gives a check character X")  # pragma: no cover


def mod11_2_check(body17: str) -> str:
    """ISO 7064 MOD 11-2, written out independently of the code under test."""
    total = sum(int(ch) * (2 ** (17 - i) % 11) for i, ch in enumerate(body17))
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)


def to_fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


_counter = itertools.count(1)


def child_values(**overrides) -> dict:
    """Form values for a new child file: a unique synthetic name, a birth date and a matching id number."""
    n = next(_counter)
    sex = overrides.get("sex", "F" if n % 2 == 0 else "M")
    birth = overrides.get("birth_date", dt.date(2010 + n % 10, 1 + n % 12, 1 + n % 28))
    id_sex = "M" if sex in ("M", "男") else "F"
    values = {
        "name": synthetic_name(n),
        "sex": sex,
        "birth_date": birth,
        "id_number": id_number(birth, id_sex, n) if isinstance(birth, dt.date) else None,
    }
    values.update(overrides)
    return values


def person(relation: str, n: int = 0, **overrides) -> dict:
    """A parent or guardian with a synthetic name and phone."""
    values = {
        "relation": relation,
        # adults' surnames are ones no child's name starts with, so no child's name is ever part of an adult's
        "name": _ADULT_SURNAMES[n % len(_ADULT_SURNAMES)] + synthetic_name(200 + n)[1] + "芳",
        "phone": f"139{n:08d}",
        "status": "在家",
    }
    values.update(overrides)
    return values
