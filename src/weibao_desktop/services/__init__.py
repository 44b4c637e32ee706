"""One method per user action. Each opens its own session, commits once, writes the change history,
and returns plain dataclasses. Bad input raises `WeibaoError` with a Chinese message and its field."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cached_property

from ..domain.errors import WeibaoError
from ..models.store import Store
from .access import account_actor, guard, may
from .audit import AuditService
from .base import Actor, Context
from .care import CareService
from .casework import AssessmentService, HelpService, ReferralService, VisitService
from .checks import CheckService
from .children import ChildService, DuplicateChild
from .households import HouseholdService
from .incidents import IncidentService
from .maintenance import MaintenanceService
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
        # Every service is behind the access policy (services/access.py): one guard line per service.
        ctx = self.ctx
        self.stations = guard(StationService(ctx), "stations", ctx)
        self.children = guard(ChildService(ctx), "children", ctx)
        self.assessments = guard(AssessmentService(ctx), "assessments", ctx)
        self.visits = guard(VisitService(ctx), "visits", ctx)
        self.help = guard(HelpService(ctx), "help", ctx)
        self.referrals = guard(ReferralService(ctx), "referrals", ctx)
        self.clues = guard(ClueService(ctx), "clues", ctx)
        self.hotline = guard(HotlineService(ctx), "hotline", ctx)
        self.stats = guard(StatsService(ctx), "stats", ctx)
        self.maintenance = guard(MaintenanceService(ctx), "maintenance", ctx)
        self.audit = guard(AuditService(ctx), "audit", ctx)
        self.checks = guard(CheckService(ctx), "checks", ctx)
        self.households = guard(HouseholdService(ctx), "households", ctx)
        self.care = guard(CareService(ctx), "care", ctx)
        self.activities = guard(ActivityService(ctx), "activities", ctx)
        self.staff = guard(RosterService(ctx), "staff", ctx)
        self.incidents = guard(IncidentService(ctx), "incidents", ctx)
        self.monthly = guard(MonthlyReportService(ctx), "monthly", ctx)

    # Printing and Excel services pull in reportlab and openpyxl (with numpy): loaded on first use, so the
    # window opens without them (bench/gui.py times the start-up).
    @cached_property
    def printing(self):
        from .printing import PrintService

        return guard(PrintService(self.ctx), "printing", self.ctx)

    @cached_property
    def exchange(self):
        from .exchange import ExchangeService

        return guard(ExchangeService(self.ctx), "exchange", self.ctx)

    @cached_property
    def pairing(self):
        from .pairing import PairingService

        return guard(PairingService(self.ctx), "pairing", self.ctx)

    @cached_property
    def ledger(self):
        from .ledger import LedgerService

        return guard(LedgerService(self.ctx), "ledger", self.ctx)

    @classmethod
    def as_account(cls, store: Store, name: str, today: Callable[[], dt.date] = dt.date.today) -> Workstation:
        """A workstation acting as the store's account of that name, with its role (the supervisor default
        for a name that is no account). Until the login (issue 12) checks a password, this is how the GUI
        and the CLI take the role of the user they name."""
        return cls(store, account_actor(store, name), today)

    def may(self, key: str) -> bool:
        """Whether the acting account may call `family.method` (the GUI hides what it may not)."""
        return may(self.ctx, key)

    @property
    def actor(self) -> Actor:
        return self.ctx.actor


__all__ = ["Actor", "Workstation", "WeibaoError", "DuplicateChild"]
