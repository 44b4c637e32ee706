"""Care arrangements (监护与照护安排) and households: kinds, and the rules the warnings and ledgers use.

Guardianship itself is not delegated: parents who go away entrust the *care* of the child to a 被委托人 by a
signed 委托照护协议; a 散居孤儿's guardian signs a 监护责任确认书; 民政 takes 临时监护 or 长期监护; a court
指定 or 撤销 a guardian. An arrangement runs from `start_on` to `end_on` (the term; open when empty).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from .codes import COLOUR_ORDER, Code, CodeTable

CARE_KIND = CodeTable("care_kind", "安排类型", (
    Code("entrusted_care", "委托照护协议", ("委托照护", "委托监护协议", "委托监护")),
    Code("guardian_confirmation", "监护责任确认书", ("监护责任确认", "散居孤儿监护责任确认书")),
    Code("temp_care_relative", "亲属临时照护", ("临时照护(亲属)",)),
    Code("temp_care_institution", "机构临时照护", ("临时照护(机构)", "救助保护机构临时照护")),
    Code("temp_guardianship", "民政临时监护", ("临时监护",)),
    Code("long_guardianship", "民政长期监护", ("长期监护",)),
    Code("guardian_appointed", "指定监护", ("指定监护人",)),
    Code("guardian_revoked", "撤销监护资格", ("撤销监护", "撤销监护人资格")),
))

# Kinds that are a signed document between the family and the carer: they need a signing date.
SIGNED_KINDS = ("entrusted_care", "guardian_confirmation")
EXPIRY_WARNING_DAYS = 30


def in_force(start: dt.date | None, end: dt.date | None, on: dt.date) -> bool:
    """The same rule as every dated record (domain.dates.in_force): the end day is no longer covered."""
    from .dates import in_force as dated_in_force

    return dated_in_force(start, end, on)


def expiring(end_on: dt.date | None, on: dt.date, days: int = EXPIRY_WARNING_DAYS) -> bool:
    """An arrangement still in force whose term ends within `days` days."""
    return end_on is not None and on < end_on <= on + dt.timedelta(days=days)


def highest_colour(colours: Iterable[str | None]) -> str | None:
    """The most urgent of the children's colours (红 before 橙 before 黄 before 蓝); None when none is set."""
    known = [c for c in colours if c in COLOUR_ORDER]
    return min(known, key=COLOUR_ORDER.__getitem__) if known else None


def person_key(relation: str | None, relation_detail: str | None, name: str | None, id_number: str | None,
               fallback: object) -> tuple:
    """Which records of a household are the same adult: the same id number, else the same relation and name
    (two 父亲 of one household with one name are one man). Without either, only itself (`fallback`)."""
    from .text import fold

    if id_number:
        return ("id", id_number.upper())
    if name:
        detail = relation_detail or "" if relation == "other" else ""
        return ("name", relation, detail, fold(name))
    return ("self", fallback)
