"""Counts and the lists a supervisor starts the day with."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, case, func, select
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


@dataclass(frozen=True)
class Dashboard:
    today: dt.date
    due_today: list[ChildRow]
    due_this_week: list[ChildRow]
    overdue: list[ChildRow]  # red first, then orange, yellow, blue; longest overdue first within a colour
    overdue_total: int
    red_without_action: list[ChildRow]
    open_clues: list[ClueInfo]
    stats: Stats
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
        """Every query `stats` runs, by name (the benchmarks time them bare)."""
        active = Child.status == "active"
        month_start = today.replace(day=1)
        return {
            "status": self._scope(s, select(Child.status, func.count()).group_by(Child.status)),
            "category": self._scope(
                s,
                select(CategoryMembership.category, func.count(func.distinct(Child.id)))
                .join(Child, Child.id == CategoryMembership.child_id)
                .where(active, category_in_force(today))
                .group_by(CategoryMembership.category),
            ),
            "colour": self._scope(s, select(Child.risk_colour, func.count()).where(active).group_by(Child.risk_colour)),
            "village": self._scope(
                s,
                select(Village.name, func.count()).select_from(Child).outerjoin(Village, Village.id == Child.village_id)
                .where(active).group_by(Village.name),
            ),
            "overdue": self._scope(
                s,
                select(Child.risk_colour, func.count()).where(active, Child.next_visit_due < today)
                .group_by(Child.risk_colour),
            ),
            "red_without_action": self._scope(
                s,
                select(func.count()).select_from(Child)
                .where(active, Child.risk_colour == "red", Child.red_deferral.is_(None), ~has_open_action()),
            ),
            "open_clues": select(func.count()).select_from(ReportClue)
            .where(live(ReportClue), ReportClue.state != "closed", *scoped(s, ReportClue.child_id)),
            "visits_this_month": self._scope(
                s,
                select(func.count()).select_from(Visit).join(Child, Child.id == Visit.child_id)
                .where(live(Visit), Visit.visited_on >= month_start, Visit.visited_on <= today),
            ),
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

    def red_without_action(self) -> list[ChildRow]:
        with self.ctx.read() as s:
            stmt = self._scope(
                s,
                select(Child.id).where(
                    Child.status == "active", Child.risk_colour == "red", Child.red_deferral.is_(None),
                    ~has_open_action(),
                ).order_by(Child.colour_set_on, Child.id),
            )
            return ChildService(self.ctx).rows_for(s, stmt)

    def dashboard(self, overdue_limit: int = 500) -> Dashboard:
        today = self.ctx.today()
        children = ChildService(self.ctx)
        week_end = today + dt.timedelta(days=6 - today.weekday())
        due_week_ids = children.search_ids(ChildQuery(due_before=week_end, sort="next_visit_due"))
        due_rows = children.rows(due_week_ids[:2000])
        due_today = [r for r in due_rows if r.next_visit_due == today]
        overdue = self.overdue(overdue_limit)
        red = self.red_without_action()
        waiting = unassessed(self.ctx)
        clues = ClueService(self.ctx).page(open_only=True, limit=200).rows
        return Dashboard(
            today=today,
            due_today=due_today,
            due_this_week=[r for r in due_rows if r.next_visit_due and today < r.next_visit_due <= week_end],
            overdue=overdue,
            overdue_total=self.overdue_count(),
            red_without_action=red,
            open_clues=clues,
            stats=self.stats(),
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
