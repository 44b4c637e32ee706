"""Risk colour → visit cadence (period and which visits count), next visit due, overdue, and the red-case
rule (DOMAIN.md)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .codes import PLACED_AWAY, RISK_COLOUR, VISIT_MODE
from .errors import WeibaoError

# Red is immediate intervention: its clock is the follow-up of the intervention (跟进), every 7 days by default.
DEFAULT_CADENCE_DAYS = {"blue": 90, "yellow": 30, "orange": 7, "red": 7}
# A child in scope who has not been assessed yet is visited at least as often as a blue one.
UNASSESSED = "blue"

# Every N days, or at least once per calendar week / month (001 篇六 "每月定期探访"; counties check by month).
PERIODS = {"days": "每隔N天", "week": "每自然周至少一次", "month": "每自然月至少一次"}
# Nominal lengths, only to keep "the higher the risk, the closer the visits" checkable across kinds of period.
_NOMINAL_DAYS = {"week": 7, "month": 30}
DEFAULT_PERIODS = {"blue": "days", "yellow": "days", "orange": "days", "red": "days"}
# Which visit modes reset the clock (002 "定期入户探访", 003 "家访频率"): orange and red need a visit in person.
ALL_MODES = tuple(VISIT_MODE.keys())
DEFAULT_COUNTING = {
    "blue": ("home", "phone", "video", "school", "other"),
    "yellow": ("home", "phone", "video", "school", "other"),
    "orange": ("home", "school"),
    "red": ("home", "school"),
}
NOT_COUNTED = "不计入走访周期"


def _ordered(modes) -> tuple[str, ...]:
    return tuple(m for m in ALL_MODES if m in set(modes))


@dataclass(frozen=True)
class Cadence:
    """Per colour: the period between visits (N days, or a calendar week or month) and which visit modes
    count; configurable per station. Red's period is that of the follow-up of the intervention."""

    days: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_CADENCE_DAYS))
    periods: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_PERIODS))
    counting: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict(DEFAULT_COUNTING))

    def __post_init__(self) -> None:
        days = {**DEFAULT_CADENCE_DAYS, **(self.days or {})}
        periods = {**DEFAULT_PERIODS, **(self.periods or {})}
        counting = {**DEFAULT_COUNTING, **{c: _ordered(m) for c, m in (self.counting or {}).items()}}
        for colour in (*days, *periods, *counting):
            if colour not in RISK_COLOUR:
                raise WeibaoError(f"未知的风险等级“{colour}”", "cadence")
        for colour, n in days.items():
            if not isinstance(n, int) or not 1 <= n <= 366:
                raise WeibaoError(
                    f"{RISK_COLOUR.label_of(colour)}色的走访间隔应为1到366天之间的整数，现为“{n}”", "cadence"
                )
        for colour, period in periods.items():
            if period not in PERIODS:
                raise WeibaoError(f"{RISK_COLOUR.label_of(colour)}色的走访周期“{period}”无效", "cadence")
        for colour, modes in counting.items():
            if not modes:
                raise WeibaoError(f"{RISK_COLOUR.label_of(colour)}色至少要有一种走访方式计入走访周期", "cadence")
        length = {c: _NOMINAL_DAYS.get(periods[c], days[c]) for c in days}
        if not length["red"] <= length["orange"] <= length["yellow"] <= length["blue"]:
            raise WeibaoError("走访间隔须随风险升高而缩短：红 ≤ 橙 ≤ 黄 ≤ 蓝", "cadence")
        object.__setattr__(self, "days", days)
        object.__setattr__(self, "periods", periods)
        object.__setattr__(self, "counting", counting)

    @classmethod
    def from_settings(cls, settings: dict | None) -> Cadence:
        """The cadence kept in a station's settings (keys cadence, cadence_period, counting_modes)."""
        settings = settings or {}
        return cls(settings.get("cadence") or {}, settings.get("cadence_period") or {},
                   {c: tuple(m) for c, m in (settings.get("counting_modes") or {}).items()})

    def to_settings(self) -> dict:
        return {"cadence": dict(self.days), "cadence_period": dict(self.periods),
                "counting_modes": {c: list(m) for c, m in self.counting.items()}}

    def due_after(self, colour: str | None, day: dt.date) -> dt.date:
        """The last day the next visit may be made, after a (counting) visit or the opening on `day`."""
        colour = colour or UNASSESSED
        period = self.periods[colour]
        if period == "month":  # at least once in each calendar month: by the end of the next one
            following = (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
            return (following + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        if period == "week":  # at least once in each ISO week (Monday to Sunday): by the end of the next one
            return day + dt.timedelta(days=13 - day.weekday())
        return day + dt.timedelta(days=self.days[colour])

    def counts(self, colour: str | None, mode: str | None, placement: str | None = None) -> bool:
        """Whether a visit made this way resets the clock of a child of this colour. A red child placed away
        from home is followed up by any contact with the child or the receiving body."""
        if colour == "red" and placement in PLACED_AWAY:
            return True
        return mode in self.counting[colour or UNASSESSED]

    def describe(self, colour: str | None) -> str:
        colour = colour or UNASSESSED
        period = self.periods[colour]
        return PERIODS[period] if period != "days" else f"每{self.days[colour]}天"

    def to_json(self) -> dict[str, int]:
        return dict(self.days)


def clock_label(colour: str | None) -> str:
    """What a child's due date is for: a red child's is the follow-up of the intervention."""
    return "跟进" if colour == "red" else "走访"


def next_visit_due(
    colour: str | None,
    cadence: Cadence,
    *,
    last_visit_on: dt.date | None,
    opened_on: dt.date,
    planned_on: dt.date | None = None,
    colour_set_on: dt.date | None = None,
) -> dt.date:
    """When the child must next be visited (red: followed up).

    From the last counting visit (or, before any, the day the file was opened) and the colour's period.
    The date the visitor planned at the last visit holds while the colour has not changed since; an
    assessment after that visit puts the cadence back in charge, so a raise to red makes the child due
    sooner and a lowering does not keep a needlessly close date.
    """
    anchor = last_visit_on or opened_on
    computed = cadence.due_after(colour, anchor)
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
