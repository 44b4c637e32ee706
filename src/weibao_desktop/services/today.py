"""今日待办: one list of what needs doing today, for the dashboard.

A child is on it when a visit is due today or overdue, when the child is red without an open help measure or
referral, or when the file has no risk colour yet (未评估: put on the default cycle until someone assesses).
An open mandatory-report clue is on it until its feedback is recorded. Red comes first, then the longest
overdue; a child with several reasons is one line that names them all.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from ..domain.codes import COLOUR_ORDER
from ..models.entities import Child
from .base import Context, home_station
from .children import ChildService
from .dto import ChildRow, ClueInfo
from .queries import in_scope, live

REASON_DUE = "应走访"
REASON_RED = "红色未采取措施"
REASON_UNASSESSED = "未评估"
REASON_CLUE = "线索待反馈"


def overdue_reason(days: int) -> str:
    return f"逾期{days}天"


@dataclass(frozen=True)
class TodoItem:
    """One line of 今日待办: a child (kind "child") or an open clue (kind "clue", `uuid` is the clue's)."""

    kind: str
    uuid: str
    child_uuid: str | None
    name: str
    village: str | None
    risk_colour: str | None
    reasons: tuple[str, ...]
    days_overdue: int
    due: dt.date | None
    phone: str | None

    @property
    def reason_text(self) -> str:
        return "、".join(self.reasons)


def _rank(item: TodoItem) -> tuple:
    red = 0 if item.risk_colour == "red" else 1
    kind = 0 if item.kind == "child" else 1
    return (red, -item.days_overdue, kind, COLOUR_ORDER.get(item.risk_colour or "", len(COLOUR_ORDER)), item.name)


def build_todo(today: dt.date, *, due_today: list[ChildRow], overdue: list[ChildRow],
               red_without_action: list[ChildRow], unassessed: list[ChildRow],
               open_clues: list[ClueInfo]) -> list[TodoItem]:
    """Merge the lists a dashboard reads into 今日待办 (the rule of order and wording, kept in one place)."""
    reasons: dict[str, list[str]] = {}
    rows: dict[str, ChildRow] = {}
    for group, reason_of in (
        (overdue, lambda r: overdue_reason(r.days_overdue)),
        (due_today, lambda r: REASON_DUE),
        (red_without_action, lambda r: REASON_RED),
        (unassessed, lambda r: REASON_UNASSESSED),
    ):
        for row in group:
            rows.setdefault(row.uuid, row)
            said = reasons.setdefault(row.uuid, [])
            reason = reason_of(row)
            if reason not in said:
                said.append(reason)
    items = [
        TodoItem("child", uuid, uuid, row.name, row.village, row.risk_colour, tuple(reasons[uuid]),
                 row.days_overdue, row.next_visit_due, row.contact_phone)
        for uuid, row in rows.items()
    ]
    colours = {row.uuid: row.risk_colour for row in rows.values()}
    for clue in open_clues:
        items.append(TodoItem(
            "clue", clue.uuid, clue.child_uuid, clue.child_name or "（未关联儿童）", None,
            colours.get(clue.child_uuid or ""), (REASON_CLUE,), 0, None, clue.reporter_phone,
        ))
    return sorted(items, key=_rank)


def unassessed(ctx: Context, limit: int = 200) -> list[ChildRow]:
    """Files in the register without a risk colour, the longest waiting first."""
    with ctx.read() as s:
        stmt = in_scope(
            s,
            select(Child.id).where(live(Child), Child.status == "active", Child.risk_colour.is_(None))
            .order_by(Child.opened_on, Child.id).limit(limit),
            home_station(s).id,
        )
        return ChildService(ctx).rows_for(s, stmt)


def unassessed_count(ctx: Context) -> int:
    with ctx.read() as s:
        stmt = in_scope(
            s,
            select(func.count()).select_from(Child)
            .where(live(Child), Child.status == "active", Child.risk_colour.is_(None)),
            home_station(s).id,
        )
        return s.scalar(stmt) or 0


__all__ = ["TodoItem", "build_todo", "unassessed", "unassessed_count", "overdue_reason", "REASON_CLUE",
           "REASON_DUE", "REASON_RED", "REASON_UNASSESSED"]
