"""One method per user action. Each opens its own session, commits once, writes the change history,
and returns plain dataclasses. Bad input raises `WeibaoError` with a Chinese message and its field."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cached_property

from ..domain.errors import WeibaoError
from ..models.store import Store
from .base import Actor, Context
from .casework import AssessmentService, HelpService, ReferralService, VisitService
from .children import ChildService, DuplicateChild
from .incidents import IncidentService
from .monthly_report import MonthlyReportService
from .reports import ClueService, HotlineService
from .station_work import ActivityService, RosterService
from .stations import StationService
from .stats import StatsService


class Workstation:
    """Everything a user can do, acting as `actor`, on one store."""

    def __init__(self, store: Store, actor: Actor | str, today: Callable[[], dt.date] = dt.date.today):
        self.ctx = Context(store, actor if isinstance(actor, Actor) else Actor(actor), today)
        self.store = store
        self.stations = StationService(self.ctx)
        self.children = ChildService(self.ctx)
        self.assessments = AssessmentService(self.ctx)
        self.visits = VisitService(self.ctx)
        self.help = HelpService(self.ctx)
        self.referrals = ReferralService(self.ctx)
        self.clues = ClueService(self.ctx)
        self.hotline = HotlineService(self.ctx)
        self.stats = StatsService(self.ctx)
        self.activities = ActivityService(self.ctx)
        self.staff = RosterService(self.ctx)
        self.incidents = IncidentService(self.ctx)
        self.monthly = MonthlyReportService(self.ctx)

    # Printing and Excel services pull in reportlab and openpyxl (with numpy): loaded on first use, so the
    # window opens without them (bench/gui.py times the start-up).
    @cached_property
    def printing(self):
        from .printing import PrintService

        return PrintService(self.ctx)

    @cached_property
    def exchange(self):
        from .exchange import ExchangeService

        return ExchangeService(self.ctx)

    @cached_property
    def ledger(self):
        from .ledger import LedgerService

        return LedgerService(self.ctx)

    @property
    def actor(self) -> Actor:
        return self.ctx.actor


__all__ = ["Actor", "Workstation", "WeibaoError", "DuplicateChild"]
