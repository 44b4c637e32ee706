"""Who is in which category by the rules, what contradicts them, and the 资格核查 (checks before each monthly
update, 001 篇二 "每月更新系统数据", 000 "应保尽保").

The program warns and lists; it never changes a child's categories by itself. Each check is one function in
`CHECKS`, registered with `@check`; a finding carries the facts it rests on, whose fingerprint keeps a
person's resolution (认定 / 整改 / 说明) until those facts change.
"""
from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from .cadence import age_on
from .codes import PERSON_STATUS, Code, CodeTable

LEFT_BEHIND_MAX_AGE = 16  # 国发〔2016〕13号: 不满十六周岁
ADULT_AGE = 18
# A parent who cannot care for the child (国发〔2016〕13号 "无监护能力"; 民发〔2019〕62号 for 事实无人抚养).
UNABLE = ("prison", "rehab", "ill", "disabled", "missing")
GONE = ("dead", "missing")
ORPHANS = ("orphan_central", "orphan_scattered", "orphan_unspecified")

DECISION = CodeTable("check_decision", "处理结果", (
    Code("confirm", "认定", ("确认",)),
    Code("rectify", "整改", ("已整改",)),
    Code("explain", "说明", ("情况说明",)),
))


def left_behind_by_law(age: int, father: str | None, mother: str | None) -> bool:
    """农村留守儿童 (国发〔2016〕13号): under 16, both parents away working, or one away and the other unable."""
    if age >= LEFT_BEHIND_MAX_AGE:
        return False
    away = [s == "migrant" for s in (father, mother)]
    if all(away):
        return True
    return any(away) and any(s in UNABLE or s == "dead" for s in (father, mother))


def de_facto_by_law(father: str | None, mother: str | None) -> bool:
    """事实无人抚养 (民发〔2019〕62号): both parents 重残 / 重病 / 服刑在押 / 强制隔离戒毒 / 失联, or one dead or
    missing and the other one of those. Both dead is an orphan, not this."""
    statuses = (father, mother)
    if all(s in UNABLE for s in statuses):
        return True
    return any(s in GONE for s in statuses) and all(s in UNABLE or s in GONE for s in statuses) and not all(
        s == "dead" for s in statuses)


def _status(code: str | None) -> str:
    return PERSON_STATUS.label_of(code, "未填")


def category_warnings(categories: set[str] | frozenset[str], birth_date: dt.date | None, father: str | None,
                      mother: str | None, on: dt.date) -> list[str]:
    """Where a child's categories contradict its age or family (shown in the child file and an import preview)."""
    out: list[str] = []
    age = age_on(birth_date, on) if birth_date else None
    known = father is not None and mother is not None
    if age is not None and age >= ADULT_AGE:
        out.append(f"已满{ADULT_AGE}周岁，应办理销档")
    if "left_behind" in categories:
        if age is not None and age >= LEFT_BEHIND_MAX_AGE:
            out.append(f"列为农村留守儿童，但已满{LEFT_BEHIND_MAX_AGE}周岁")
        elif known and not left_behind_by_law(0, father, mother):
            out.append(f"列为农村留守儿童，但父母不是双方外出务工或一方外出、另一方无监护能力"
                       f"（父亲：{_status(father)}，母亲：{_status(mother)}）")
    if categories & set(ORPHANS):
        alive = [who for who, s in (("父亲", father), ("母亲", mother)) if s is not None and s != "dead"]
        if alive:
            out.append(f"列为孤儿，但{'、'.join(alive)}的状况不是死亡")
    if "de_facto_unsupported" in categories and known and not de_facto_by_law(father, mother):
        out.append(f"列为事实无人抚养儿童，但父母状况不符合认定条件（父亲：{_status(father)}，母亲：{_status(mother)}）")
    if "orphan_unspecified" in categories:
        out.append("孤儿未写明集中供养还是社会散居，请在资格核查中认定")
    return out


@dataclass(frozen=True)
class ChildFacts:
    """What the checks read of one child, as the store holds it on the check's cut-off day."""

    uuid: str
    name: str
    village: str
    birth_date: dt.date
    categories: frozenset[str]
    father: str | None = None  # PERSON_STATUS codes of the first live father and mother on file
    mother: str | None = None
    hukou_registered: bool = True
    schooling: str | None = None
    reliefs: frozenset[str] = field(default_factory=frozenset)
    help_kinds: frozenset[str] = field(default_factory=frozenset)
    has_entrusted: bool = False  # the family (its own or its household's) names a 被委托人
    agreement_signed: bool = False  # a signed 委托照护协议 is in force


@dataclass(frozen=True)
class CheckMonth:
    """The month checked: its first and last day; ages are counted on the last."""

    first: dt.date
    last: dt.date

    @classmethod
    def of(cls, text: str) -> CheckMonth:
        year, month = (int(p) for p in text.split("-"))
        return cls(dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1]))

    @property
    def label(self) -> str:
        return f"{self.first:%Y-%m}"


Finder = Callable[[ChildFacts, CheckMonth], str | None]


@dataclass(frozen=True)
class Check:
    code: str
    title: str
    find: Finder  # the finding's detail for this child, or None
    facts: Callable[[ChildFacts], tuple]  # what a finding rests on: a change re-opens a resolved finding


CHECKS: dict[str, Check] = {}


def check(code: str, title: str, facts: Callable[[ChildFacts], tuple]) -> Callable[[Finder], Finder]:
    """Register a check: one function from a child's facts and the month to a finding's detail (or None)."""
    def register(find: Finder) -> Finder:
        CHECKS[code] = Check(code, title, find, facts)
        return find
    return register


def fingerprint(check_code: str, facts: ChildFacts) -> str:
    parts = [check_code, *(sorted(p) if isinstance(p, frozenset) else p for p in CHECKS[check_code].facts(facts))]
    return hashlib.sha256(json.dumps(parts, default=str, ensure_ascii=False).encode()).hexdigest()[:32]


def _parents(f: ChildFacts) -> tuple:
    return (f.father, f.mother)


@check("de_facto_candidate", "事实无人抚养待认定", lambda f: (*_parents(f), f.categories & {"de_facto_unsupported",
                                                                                          *ORPHANS}))
def _de_facto_candidate(f: ChildFacts, month: CheckMonth) -> str | None:
    if f.categories & {"de_facto_unsupported", *ORPHANS} or not de_facto_by_law(f.father, f.mother):
        return None
    return f"父亲：{_status(f.father)}，母亲：{_status(f.mother)}，符合事实无人抚养儿童条件，尚未认定"


@check("left_behind_invalid", "留守儿童条件不符", lambda f: (f.birth_date, *_parents(f), "left_behind" in f.categories))
def _left_behind_invalid(f: ChildFacts, month: CheckMonth) -> str | None:
    if "left_behind" not in f.categories:
        return None
    age = age_on(f.birth_date, month.last)
    if age >= LEFT_BEHIND_MAX_AGE:
        return f"列为农村留守儿童，{month.last:%Y-%m-%d}已满{age}周岁"
    if f.father == "home" and f.mother == "home":
        return "列为农村留守儿童，但父母均在家"
    return None


@check("no_allowance", "未享受基本生活保障",
       lambda f: (f.categories & {"de_facto_unsupported", *ORPHANS},
                  f.reliefs & {"orphan_allowance", "unsupported_allowance"}))
def _no_allowance(f: ChildFacts, month: CheckMonth) -> str | None:
    if f.categories & set(ORPHANS) and "orphan_allowance" not in f.reliefs:
        return "孤儿，没有在享的孤儿基本生活费记录"
    if "de_facto_unsupported" in f.categories and "unsupported_allowance" not in f.reliefs:
        return "事实无人抚养儿童，没有在享的基本生活补贴记录"
    return None


@check("entrusted_no_agreement", "被委托人未签委托照护协议", lambda f: (f.has_entrusted, f.agreement_signed))
def _entrusted_no_agreement(f: ChildFacts, month: CheckMonth) -> str | None:
    """000: 必须签订委托照护协议."""
    return "有被委托人，没有签订的委托照护协议" if f.has_entrusted and not f.agreement_signed else None


@check("dropout_no_return", "未满16周岁辍学未劝返复学",
       lambda f: (f.birth_date, f.schooling, "return_to_school" in f.help_kinds))
def _dropout(f: ChildFacts, month: CheckMonth) -> str | None:
    if f.schooling != "dropout" or "return_to_school" in f.help_kinds:
        return None
    age = age_on(f.birth_date, month.last)
    return f"{age}周岁，就学情况为辍学，没有劝返复学记录" if age < LEFT_BEHIND_MAX_AGE else None


@check("no_hukou", "未登记户口", lambda f: (f.hukou_registered,))
def _no_hukou(f: ChildFacts, month: CheckMonth) -> str | None:
    return None if f.hukou_registered else "未登记户口，请协助办理户籍登记"


@check("turning_18", "本月年满18周岁", lambda f: (f.birth_date,))
def _turning_18(f: ChildFacts, month: CheckMonth) -> str | None:
    try:
        birthday = f.birth_date.replace(year=f.birth_date.year + ADULT_AGE)
    except ValueError:  # born on 29 February
        birthday = dt.date(f.birth_date.year + ADULT_AGE, 3, 1)
    if month.first <= birthday <= month.last:
        return f"{birthday:%Y-%m-%d}年满18周岁，请办理销档或转衔"
    return None


@check("orphan_unspecified", "孤儿未细分", lambda f: (f.categories & set(ORPHANS),))
def _orphan_unspecified(f: ChildFacts, month: CheckMonth) -> str | None:
    if "orphan_unspecified" not in f.categories:
        return None
    return "类别为“孤儿（未细分）”，请认定为集中供养或社会散居"


__all__ = ["CHECKS", "DECISION", "Check", "CheckMonth", "ChildFacts", "category_warnings", "check",
           "de_facto_by_law", "fingerprint", "left_behind_by_law"]
