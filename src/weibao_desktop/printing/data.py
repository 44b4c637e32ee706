"""What each form prints, as plain values already in the words the paper shows (labels, not codes).

services/printing.py fills these from the store; the form modules only lay them out. Identity numbers
arrive here already masked unless the user asked for full numbers.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ChildFacts:
    uuid: str
    file_no: str  # short file number printed on the sheet, to match paper to the file
    name: str
    sex: str
    birth_date: dt.date
    age: str  # domain.cadence.age_text: 10岁, or 7个月 for a baby
    id_number: str  # masked unless full numbers were asked for
    ethnicity: str = ""
    village: str = ""
    residence_address: str = ""
    hukou_address: str = ""
    categories: tuple[str, ...] = ()
    colour: str | None = None  # risk colour code
    colour_set_on: dt.date | None = None
    guardian: str = ""  # "姓名（关系）"
    guardian_phone: str = ""
    schooling: str = ""
    health: str = ""
    paired_helper: str = ""
    last_visit_on: dt.date | None = None
    next_visit_due: dt.date | None = None
    days_overdue: int = 0


@dataclass(frozen=True)
class VisitFacts:
    uuid: str
    visited_on: dt.date
    visitors: str
    mode: str  # label
    living: str = ""
    study: str = ""
    health: str = ""
    safety: str = ""
    psychology: str = ""
    guardianship: str = ""
    problems: str = ""
    measures: str = ""
    next_due_on: dt.date | None = None


@dataclass(frozen=True)
class VisitSheet:
    station: str
    child: ChildFacts
    visit: VisitFacts | None = None  # None: the blank sheet to take along


@dataclass(frozen=True)
class RoundSheets:
    """走访任务单: every child due in the period, in village order, each with a blank sheet."""

    station: str
    date_from: dt.date
    date_to: dt.date
    village: str | None  # the one village asked for, or None for all
    children: tuple[ChildFacts, ...]
    include_overdue: bool = True


@dataclass(frozen=True)
class PersonLine:
    relation: str
    name: str
    birth_date: str
    id_number: str
    phone: str
    status: str
    work_place: str
    guardian: bool


@dataclass(frozen=True)
class FileCard:
    station: str
    child: ChildFacts
    status: str
    opened_on: dt.date
    updated: str  # "2024-06-14 操作人"
    closed: str = ""  # "2024-06-01 年满18周岁" when closed
    schooling_detail: str = ""
    health_detail: str = ""
    income_sources: str = ""
    notes: str = ""
    people: tuple[PersonLine, ...] = ()
    categories: tuple[tuple[str, str, str], ...] = ()  # label, from, to
    reliefs: tuple[tuple[str, str, str, str], ...] = ()  # kind, period, amount, note
    assessments: tuple[tuple[str, str, str, str, str], ...] = ()  # date, kind, result (colour code for risk), assessor, reason
    helps: tuple[tuple[str, str, str, str, str], ...] = ()  # started, kind, responsible, state, description
    referrals: tuple[tuple[str, str, str, str, str], ...] = ()  # date, target, state, reason, feedback
    visits: tuple[VisitFacts, ...] = ()  # the most recent first
    visit_total: int = 0


@dataclass(frozen=True)
class ClueSheet:
    station: str
    uuid: str
    file_no: str
    child_name: str
    child: ChildFacts | None
    received_at: dt.datetime
    received_by: str
    source: str
    reporter: str
    reporter_phone: str
    content: str
    reported_to: tuple[str, ...]  # labels ticked
    state: str
    steps: tuple[tuple[str, str, str, str], ...] = ()  # step label, time, who, text
    referrals: tuple[tuple[str, str, str], ...] = ()  # date, target, state
    situations: tuple[str, ...] = ()  # 情形 labels ticked
    reported_at: str = ""  # 报案时间, "" when not yet reported
    report_receiver: str = ""  # 接报人
    receipt: str = ""  # 回执


@dataclass(frozen=True)
class ReferralSheet:
    station: str
    uuid: str
    file_no: str
    child: ChildFacts | None
    child_name: str
    target: str
    target_name: str
    referred_on: dt.date
    reason: str
    state: str
    state_on: dt.date | None
    feedback: str
    handled_by: str
    clue_no: str = ""
    clue_content: str = ""


@dataclass(frozen=True)
class PrintedBy:
    """Who prints, and when (local time), for the footer of every page."""

    name: str
    at: dt.datetime = field(default_factory=lambda: dt.datetime.now().replace(microsecond=0))
