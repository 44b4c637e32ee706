"""Risk colour → visit cadence, next visit due, overdue, and the red-case rule (DOMAIN.md)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .codes import RISK_COLOUR
from .errors import WeibaoError

DEFAULT_CADENCE_DAYS = {"blue": 90, "yellow": 30, "orange": 7, "red": 1}
# A child in scope who has not been assessed yet is visited at least as often as a blue one.
UNASSESSED = "blue"


@dataclass(frozen=True)
class Cadence:
    """Days between visits for each colour; configurable per station."""

    days: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_CADENCE_DAYS))

    def __post_init__(self) -> None:
        merged = dict(DEFAULT_CADENCE_DAYS)
        merged.update(self.days or {})
        for colour, n in merged.items():
            if colour not in RISK_COLOUR:
                raise WeibaoError(f"未知的风险等级“{colour}”", "cadence")
            if not isinstance(n, int) or not 1 <= n <= 366:
                raise WeibaoError(
                    f"{RISK_COLOUR.label_of(colour)}色的走访间隔应为1到366天之间的整数，现为“{n}”", "cadence"
                )
        if not merged["red"] <= merged["orange"] <= merged["yellow"] <= merged["blue"]:
            raise WeibaoError("走访间隔须随风险升高而缩短：红 ≤ 橙 ≤ 黄 ≤ 蓝", "cadence")
        object.__setattr__(self, "days", merged)

    def interval(self, colour: str | None) -> dt.timedelta:
        return dt.timedelta(days=self.days[colour or UNASSESSED])

    def to_json(self) -> dict[str, int]:
        return dict(self.days)


def next_visit_due(
    colour: str | None,
    cadence: Cadence,
    *,
    last_visit_on: dt.date | None,
    opened_on: dt.date,
    planned_on: dt.date | None = None,
    colour_set_on: dt.date | None = None,
) -> dt.date:
    """When the child must next be visited.

    From the last visit (or, before any visit, the day the file was opened) plus the colour's
    interval. The date the visitor planned at the last visit holds while the colour has not changed
    since; an assessment after that visit puts the cadence back in charge, so a raise to red makes
    the child due at once and a lowering does not keep a needlessly close date.
    """
    anchor = last_visit_on or opened_on
    computed = anchor + cadence.interval(colour)
    if planned_on is None or last_visit_on is None:
        return computed
    if colour_set_on is None or colour_set_on < last_visit_on:
        return planned_on
    if colour_set_on == last_visit_on:  # assessed and visited the same day: the closer date is the safe one
        return min(planned_on, computed)
    return computed


def days_overdue(due: dt.date | None, today: dt.date) -> int:
    """Days past the due date; 0 when not overdue."""
    if due is None or due >= today:
        return 0
    return (today - due).days


def is_overdue(due: dt.date | None, today: dt.date) -> bool:
    return days_overdue(due, today) > 0


def red_without_action(colour: str | None, open_actions: int, deferred: bool = False) -> bool:
    """A red child must have an open help measure or referral; flag the ones that do not."""
    return colour == "red" and open_actions == 0 and not deferred


def age_on(birth: dt.date, on: dt.date) -> int:
    """Whole years at a cut-off date, as the registration templates count age."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def age_text(birth: dt.date, on: dt.date) -> str:
    """An age as every screen and form shows it: 10岁, and a baby in months (7个月, 不满1个月), not 0岁."""
    years = age_on(birth, on)
    if years >= 1:
        return f"{years}岁"
    months = (on.year - birth.year) * 12 + on.month - birth.month - (on.day < birth.day)
    return f"{months}个月" if months >= 1 else "不满1个月"
