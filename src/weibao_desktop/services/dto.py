"""Plain results the services hand to the GUI and the command line (never live ORM objects)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import NamedTuple

from ..domain.dates import in_force


@dataclass(frozen=True)
class VillageInfo:
    id: int
    name: str
    code: str


@dataclass(frozen=True)
class StationInfo:
    id: int
    name: str
    code: str
    county: str | None
    villages: tuple[VillageInfo, ...]
    cadence: dict[str, int]
    mode: str = "station"
    cadence_period: dict[str, str] = field(default_factory=dict)  # colour → days / week / month
    counting_modes: dict[str, tuple[str, ...]] = field(default_factory=dict)  # colour → visit modes that count
    demo: bool = False  # the store holds generated demo data (演示数据), not real children


@dataclass(frozen=True)
class UserInfo:
    id: int
    name: str
    role: str
    active: bool


@dataclass(frozen=True)
class PersonInfo:
    uuid: str
    relation: str
    relation_detail: str | None
    name: str | None
    birth_date: dt.date | None
    id_number: str | None
    phone: str | None
    status: str | None
    work_place: str | None
    address: str | None
    is_guardian: bool


@dataclass(frozen=True)
class CategoryInfo:
    uuid: str
    category: str
    start_on: dt.date
    end_on: dt.date | None

    def active_on(self, day: dt.date) -> bool:
        return in_force(self.start_on, self.end_on, day)


@dataclass(frozen=True)
class ReliefInfo:
    uuid: str
    kind: str
    start_on: dt.date | None
    end_on: dt.date | None
    amount: str | None
    note: str | None


@dataclass(frozen=True)
class AssessmentInfo:
    uuid: str
    child_uuid: str
    kind: str
    assessed_on: dt.date
    assessor: str
    result: str
    guardianship_type: str | None
    reason: str | None


@dataclass(frozen=True)
class AssessmentRow:
    """One line of the station's assessment list: what was decided, and what it was before."""

    uuid: str
    child_uuid: str
    child_name: str
    village: str | None
    kind: str
    assessed_on: dt.date
    assessor: str
    result: str
    previous: str | None  # the result of the child's assessment of the same kind before this one
    reason: str | None
    child_colour: str | None  # the colour the child has now


@dataclass(frozen=True)
class VisitInfo:
    uuid: str
    child_uuid: str
    child_name: str
    visited_on: dt.date
    visitors: str
    mode: str
    living: str | None
    study: str | None
    health: str | None
    safety: str | None
    psychology: str | None
    guardianship: str | None
    problems: str | None
    measures: str | None
    next_due_on: dt.date | None
    child_next_due: dt.date | None = None  # the child's next visit due now, so lists can show it overdue
    counted: bool = True  # whether it resets the child's clock (which modes count is set per colour)


@dataclass(frozen=True)
class HelpInfo:
    uuid: str
    child_uuid: str
    child_name: str
    kind: str
    started_on: dt.date
    responsible: str | None
    description: str | None
    state: str
    ended_on: dt.date | None
    result: str | None


@dataclass(frozen=True)
class ReferralInfo:
    uuid: str
    child_uuid: str | None
    child_name: str | None
    clue_uuid: str | None
    target: str
    target_name: str | None
    referred_on: dt.date
    reason: str | None
    state: str
    state_on: dt.date | None
    feedback: str | None
    handled_by: str | None


@dataclass(frozen=True)
class ClueInfo:
    uuid: str
    child_uuid: str | None
    child_name: str | None
    received_at: dt.datetime
    received_by: str
    source: str
    reporter: str | None
    reporter_phone: str | None
    content: str
    reported_to: str | None
    state: str
    investigated_at: dt.datetime | None
    investigated_by: str | None
    investigation: str | None
    handled_at: dt.datetime | None
    handled_by: str | None
    handling: str | None
    feedback_at: dt.datetime | None
    feedback_by: str | None
    feedback: str | None
    situations: str | None = None  # comma-joined CLUE_SITUATION codes (情形)
    reported_at: dt.datetime | None = None  # 报案时间
    report_receiver: str | None = None  # 接报人
    receipt: str | None = None  # 回执


@dataclass(frozen=True)
class CallInfo:
    uuid: str
    call_at: dt.datetime
    caller: str | None
    caller_phone: str | None
    child_uuid: str | None
    child_name: str | None
    content: str
    handling: str | None
    handled_by: str
    state: str
    clue_uuid: str | None
    source: str | None = None  # CALL_SOURCE
    order_no: str | None = None  # a 12345 work order's number
    due_at: dt.datetime | None = None  # its deadline (办理时限)


@dataclass(frozen=True)
class ChangeInfo:
    entity: str
    record_uuid: str
    field: str
    field_label: str
    old: str
    new: str
    changed_at: dt.datetime
    actor: str
    rev: int


class ChildRow(NamedTuple):
    """One line of the children list. A named tuple: lists build thousands at a time."""

    id: int
    uuid: str
    name: str
    sex: str
    birth_date: dt.date
    id_number_masked: str
    village: str | None
    risk_colour: str | None
    status: str
    last_visit_on: dt.date | None
    next_visit_due: dt.date | None
    days_overdue: int
    categories: tuple[str, ...]
    contact_phone: str | None
    match: str | None = None  # why a search found it, when not by the child's own name: 监护人 张某某, 身份证号后4位


@dataclass(frozen=True)
class ChildDetail:
    id: int
    uuid: str
    rev: int
    origin: str
    station_id: int
    village_id: int | None
    village: str | None
    name: str
    sex: str
    ethnicity: str | None
    birth_date: dt.date
    id_number: str | None
    hukou_registered: bool
    hukou_address: str | None
    residence_address: str | None
    health: str | None
    disability_kind: str | None
    disability_grade: str | None
    illness: str | None
    schooling: str | None
    school_name: str | None
    boarding: bool | None
    income_sources: str | None
    contact_phone: str | None
    paired_helper: str | None
    risk_colour: str | None
    colour_set_on: dt.date | None
    red_deferral: str | None
    status: str
    closed_reason: str | None
    closed_note: str | None
    closed_on: dt.date | None
    opened_on: dt.date
    last_visit_on: dt.date | None
    next_visit_due: dt.date | None
    notes: str | None
    created_at: dt.datetime
    updated_at: dt.datetime
    updated_by: str
    id_problems: tuple[str, ...]  # birth date / sex contradicting the id number
    people: tuple[PersonInfo, ...] = ()
    categories: tuple[CategoryInfo, ...] = ()
    reliefs: tuple[ReliefInfo, ...] = ()
    open_actions: int = 0
    needs_action: bool = False  # red without an open help measure or referral, and no deferral
    placement: str | None = None  # 安置情况 (PLACEMENT code), since when and where
    placed_on: dt.date | None = None
    placement_place: str | None = None
    category_warnings: tuple[str, ...] = ()  # categories contradicting age or family (never changed by the program)


@dataclass(frozen=True)
class Page:
    rows: list
    total: int
    offset: int
    limit: int


@dataclass(frozen=True)
class ChildQuery:
    """Filters of the children list; every one runs in SQL."""

    text: str | None = None  # name, id number, phone or village
    village_id: int | None = None
    category: str | None = None
    colour: str | None = None  # a colour code, or "none" for not yet assessed
    overdue: bool = False
    status: str | None = "active"  # None = all
    due_before: dt.date | None = None  # due on or before this day
    due_from: dt.date | None = None  # due on or after this day (the dashboard's week: not the overdue ones)
    sort: str = "name"
    descending: bool = False


@dataclass(frozen=True)
class Stats:
    station: str
    total_active: int
    total_closed: int
    by_category: dict[str, int]
    by_colour: dict[str, int]
    by_village: dict[str, int]
    overdue_by_colour: dict[str, int]
    red_without_action: int
    open_clues: int
    visits_this_month: int
    day: dt.date = field(default_factory=dt.date.today)
