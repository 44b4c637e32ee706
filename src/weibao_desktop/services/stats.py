"""Counts and the lists a supervisor starts the day with."""
from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Integer, Select, case, cast, func, select
from sqlalchemy.orm import Session

from ..domain.codes import CATEGORY, COLOUR_ORDER, RISK_COLOUR
from ..domain.name_order import sorted_by_name
from ..models.entities import CategoryMembership, Child, ReportClue, Village, Visit
from .base import Context, home_station, store_mode
from .children import ChildService
from .dto import ChildQuery, ChildRow, ClueInfo, Stats
from .queries import category_in_force, has_open_action, in_scope, live, scoped
from .reports import ClueService
from .today import TodoItem, build_todo, unassessed, unassessed_count

# Rows fetched for each of the 工作台's lists, the most urgent first; their cards and tabs count them all (the
# list's tooltip says it is shortened; 逾期未走访 and 在册 open the whole list in 儿童档案). A township never
# reaches these; a county-sized store would spend a second reading files for rows nobody scrolls to.
DASHBOARD_ROWS = 100


@dataclass(frozen=True)
class Dashboard:
    """The day's work, and (`stats`) the counts behind the cards and charts. `StatsService.day_work` leaves
    `stats` None: the 工作台 shows the lists first and fills in the counts when `stats()` comes back."""

    today: dt.date
    station: str
    has_files: bool  # any child file at all (else the start page: 新建档案, 导入台账)
    due_today: list[ChildRow]  # the first DASHBOARD_ROWS of each
    due_this_week: list[ChildRow]  # after today
    today_total: int
    week_total: int  # after today
    overdue: list[ChildRow]  # red first, then orange, yellow, blue; longest overdue first within a colour
    overdue_total: int
    overdue_by_colour: dict[str, int]
    red_without_action: list[ChildRow]  # the first DASHBOARD_ROWS, longest red first
    red_total: int
    open_clues: list[ClueInfo]
    open_clue_total: int
    stats: Stats | None = None
    todo: list[TodoItem] = field(default_factory=list)  # 今日待办: services/today.py
    unassessed_total: int = 0
    reminders: list[str] = field(default_factory=list)  # the station's own work: villages, incidents


_COLOUR_RANK = case({k: v for k, v in COLOUR_ORDER.items()}, value=Child.risk_colour, else_=len(COLOUR_ORDER))


def store_mode_of(ctx: Context) -> str:
    with ctx.read() as s:
        return store_mode(s)


class StatsService:
    def __init__(self, ctx: Context):
        self.ctx = ctx

    def _scope(self, s: Session, stmt):
        return in_scope(s, stmt.where(live(Child)), home_station(s).id)

    def statements(self, s: Session, today: dt.date) -> dict[str, Select[Any]]:
        """Every query `stats` runs, by name (the benchmarks time them bare). Each reads covering indexes only
        (migration 0016). Two read a MATERIALIZED part first: without fresh statistics the planner would rather
        walk every child (the visits of the month) or the colour index (overdue, for its grouping)."""
        active = Child.status == "active"
        month_start = today.replace(day=1)
        active_ids = self._scope(s, select(Child.id).where(active))
        month = (select(Visit.child_id).where(live(Visit), Visit.visited_on >= month_start, Visit.visited_on <= today)
                 .cte("month_visits").prefix_with("MATERIALIZED"))
        overdue = self._scope(s, select(Child.risk_colour).where(active, Child.next_visit_due < today)).cte(
            "overdue_children").prefix_with("MATERIALIZED")
        per_village = self._scope(
            s, select(Child.village_id, func.count().label("n")).where(active).group_by(Child.village_id)
        ).subquery()
        return {
            "status": self._scope(s, select(Child.status, func.count()).group_by(Child.status)),
            "category": select(CategoryMembership.category, func.count(func.distinct(CategoryMembership.child_id)))
            .where(category_in_force(today), CategoryMembership.child_id.in_(active_ids))
            .group_by(CategoryMembership.category),
            "colour": self._scope(s, select(Child.risk_colour, func.count()).where(active).group_by(Child.risk_colour)),
            # By name, as before (a county store names its townships' villages 城关镇·东村, so they stay apart).
            "village": select(Village.name, cast(func.sum(per_village.c.n), Integer)).select_from(per_village)
            .outerjoin(Village, Village.id == per_village.c.village_id).group_by(Village.name),
            "overdue": select(overdue.c.risk_colour, func.count()).group_by(overdue.c.risk_colour),
            "red_without_action": self._scope(
                s,
                select(func.count()).select_from(Child)
                .where(active, Child.risk_colour == "red", Child.red_deferral.is_(None), ~has_open_action()),
            ),
            "open_clues": select(func.count()).select_from(ReportClue)
            .where(live(ReportClue), ReportClue.state != "closed", *scoped(s, ReportClue.child_id)),
            "visits_this_month": select(func.count()).select_from(month)
            .where(month.c.child_id.in_(self._scope(s, select(Child.id)))),
        }

    def stats(self) -> Stats:
        today = self.ctx.today()
        with self.ctx.read() as s:
            station = home_station(s)
            q = self.statements(s, today)
            status: dict[str, int] = {status: n for status, n in s.execute(q["status"]).all()}
            by_category: dict[str, int] = {code: n for code, n in s.execute(q["category"]).all()}
            by_colour = {(k or "none"): v for k, v in s.execute(q["colour"]).all()}
            by_village = {(k or "未分村"): v for k, v in s.execute(q["village"]).all()}
            overdue = {(k or "none"): v for k, v in s.execute(q["overdue"]).all()}
            red_no_action = s.scalar(q["red_without_action"])
            open_clues = s.scalar(q["open_clues"])
            visits_month = s.scalar(q["visits_this_month"])
        order = CATEGORY.keys()
        colours = [*RISK_COLOUR.keys(), "none"]
        return Stats(
            station=station.name,
            total_active=status.get("active", 0),
            total_closed=status.get("closed", 0),
            by_category={k: by_category[k] for k in order if k in by_category},
            by_colour={k: by_colour.get(k, 0) for k in colours},
            by_village=dict(sorted_by_name(by_village.items(), lambda item: item[0])),  # pinyin order
            overdue_by_colour={k: overdue.get(k, 0) for k in colours},
            red_without_action=red_no_action,
            open_clues=open_clues,
            visits_this_month=visits_month,
            day=today,
        )

    def overdue_statement(self, s: Session, today: dt.date):
        return self._scope(
            s,
            select(Child.id).where(Child.status == "active", Child.next_visit_due < today)
            .order_by(_COLOUR_RANK, Child.next_visit_due, Child.id),
        )

    def overdue(self, limit: int | None = None) -> list[ChildRow]:
        """Overdue visits, red first; within a colour the longest overdue first."""
        today = self.ctx.today()
        with self.ctx.read() as s:
            stmt = self.overdue_statement(s, today)
            if limit:
                stmt = stmt.limit(limit)
            return ChildService(self.ctx).rows_for(s, stmt)

    def overdue_count(self) -> int:
        today = self.ctx.today()
        with self.ctx.read() as s:
            stmt = self.overdue_statement(s, today).order_by(None)
            return s.scalar(select(func.count()).select_from(stmt.subquery())) or 0

    def red_without_action(self, limit: int | None = None) -> list[ChildRow]:
        """Red children without an open help measure or referral (nor a recorded reason), red longest first."""
        with self.ctx.read() as s:
            stmt = self._scope(
                s,
                select(Child.id).where(
                    Child.status == "active", Child.risk_colour == "red", Child.red_deferral.is_(None),
                    ~has_open_action(),
                ).order_by(Child.colour_set_on, Child.id),
            )
            return ChildService(self.ctx).rows_for(s, stmt if limit is None else stmt.limit(limit))

    def dashboard(self, overdue_limit: int | None = None) -> Dashboard:
        """The day's work and the counts together."""
        return dataclasses.replace(self.day_work(overdue_limit), stats=self.stats())

    def day_work(self, overdue_limit: int | None = None) -> Dashboard:
        """What is due and what waits for action, without the counts of `stats()`: every query here reads an
        index range or a short list, so the 工作台 of a 100,000-child store shows its lists at once."""
        today = self.ctx.today()
        children = ChildService(self.ctx)
        week_end = today + dt.timedelta(days=6 - today.weekday())
        def due(first: dt.date, last: dt.date) -> list[ChildRow]:
            if first > last:  # Sunday: the week ends today
                return []
            return children.rows(children.search_ids(
                ChildQuery(due_from=first, due_before=last, sort="next_visit_due"), limit=DASHBOARD_ROWS))

        due_today = due(today, today)
        week_rows = due(today + dt.timedelta(days=1), week_end)
        overdue = self.overdue(overdue_limit or DASHBOARD_ROWS)
        red = self.red_without_action(DASHBOARD_ROWS)
        waiting = unassessed(self.ctx)
        clue_page = ClueService(self.ctx).page(open_only=True, limit=200)
        clues = clue_page.rows
        with self.ctx.read() as s:
            station = home_station(s).name
            q = self.statements(s, today)
            overdue_by_colour = {(k or "none"): v for k, v in s.execute(q["overdue"]).all()}
            red_total = s.scalar(q["red_without_action"]) or 0
            due_now, due_week = s.execute(self._scope(s, select(
                func.count(case((Child.next_visit_due == today, 1))), func.count()).where(
                Child.status == "active", Child.next_visit_due >= today, Child.next_visit_due <= week_end))).one()
            has_files = s.scalar(self._scope(s, select(Child.id).where(Child.status.in_(("active", "closed"))))
                                 .limit(1)) is not None
        return Dashboard(
            today=today,
            station=station,
            has_files=has_files,
            due_today=due_today,
            due_this_week=week_rows,
            today_total=due_now,
            week_total=due_week - due_now,
            overdue=overdue,
            overdue_total=sum(overdue_by_colour.values()),
            overdue_by_colour=overdue_by_colour,
            red_without_action=red,
            red_total=red_total,
            open_clues=clues,
            open_clue_total=clue_page.total,
            todo=build_todo(today, due_today=due_today, overdue=overdue, red_without_action=red,
                            unassessed=waiting, open_clues=clues),
            unassessed_total=unassessed_count(self.ctx),
            reminders=self.reminders(),
        )

    def reminders(self) -> list[str]:
        """What the station itself still owes, beyond children: a village without a 儿童主任 (000: 每个村(社区)至少
        设立一名儿童主任), and a 重大事项 not yet reported upward."""
        from .incidents import IncidentService
        from .reports import HotlineService
        from .station_work import RosterService

        out = []
        if store_mode_of(self.ctx) == "station":
            gaps = RosterService(self.ctx).villages_without_director()
            if gaps:
                out.append(f"还没有儿童主任的村(社区)：{'、'.join(gaps[:10])}{'等' if len(gaps) > 10 else ''}"
                           f"（共{len(gaps)}个，见“儿童主任名册”）")
        orders = HotlineService(self.ctx).work_orders_due()
        if orders:
            late = sum(1 for o in orders if o.due_at and o.due_at.date() < self.ctx.today())
            out.append(f"12345热线工单{len(orders)}件两天内到期" + (f"（其中{late}件已超期）" if late else "")
                       + "：" + "、".join(o.order_no or "" for o in orders[:5]) + "（见“热线记录”）")
        pending = IncidentService(self.ctx).unreported()
        if pending:
            out.append(f"有{len(pending)}件重大事项尚未上报县民政局（见“重大事项”）")
        return out
