"""Setting up a store: its station, villages, users and per-station rules."""
from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain.cadence import Cadence
from ..domain.checks import require_text
from ..domain.codes import ROLE
from ..domain.errors import WeibaoError
from ..domain.name_order import sorted_by_name
from ..models.entities import Child, ImportLog, Setting, Station, User, Village
from . import audit
from .base import Context, home_station, store_mode
from .dto import StationInfo, UserInfo, VillageInfo
from .queries import counting_visit, latest_visits, live
from .records import recompute_due

_CODE12 = re.compile(r"^\d{12}$")


def station_cadence(station: Station) -> Cadence:
    return Cadence.from_settings(station.settings)


def child_cadence(session: Session, child) -> Cadence:
    """The cadence of the station the child belongs to (in a county store, the township's own)."""
    return station_cadence(session.get_one(Station, child.station_id))


def holds_demo_data(session: Session) -> bool:
    """Whether `weibao demo` filled the store (the window is marked 演示数据)."""
    return bool(getattr(session.get(Setting, "demo_data"), "value", False))


def station_info(session: Session, station: Station) -> StationInfo:
    # Every village list (forms, filters, settings) shows them in pinyin order, as names are.
    villages = sorted_by_name(session.scalars(select(Village).where(Village.station_id == station.id)).all(),
                              lambda v: v.name)
    return StationInfo(
        id=station.id,
        name=station.name,
        code=station.code,
        county=station.county,
        villages=tuple(VillageInfo(v.id, v.name, v.code) for v in villages),
        cadence=station_cadence(station).to_json(),
        cadence_period=dict(station_cadence(station).periods),
        counting_modes={c: tuple(m) for c, m in station_cadence(station).counting.items()},
        mode=store_mode(session),
        demo=holds_demo_data(session),
    )


class StationService:
    def __init__(self, ctx: Context):
        self.ctx = ctx

    def has_station(self) -> bool:
        with self.ctx.read() as s:
            return s.get(Setting, "home_station_id") is not None

    def init(self, name: str, code: str, county: str | None = None, villages: list[str] | None = None,
             *, mode: str = "station") -> StationInfo:
        """Set up a new store for a station (or a county office with mode="county")."""
        name = require_text(name, "name", "工作站名称", 50)
        code = (code or "").strip()
        if not _CODE12.match(code):
            raise WeibaoError(f"区划代码应为12位数字（统计用区划代码），现为“{code}”", "code")
        if mode not in ("station", "county"):
            raise WeibaoError(f"未知的运行模式“{mode}”", "mode")
        names = [require_text(v, "villages", "村(社区)名称", 50) for v in (villages or [])]
        if len(set(names)) != len(names):
            raise WeibaoError("村(社区)名称有重复", "villages")
        with self.ctx.tx() as s:
            if s.get(Setting, "home_station_id") is not None:
                raise WeibaoError("本机已经设置过工作站，不能重复初始化", "name")
            if s.scalar(select(Station).where(Station.code == code)) is not None:
                raise WeibaoError(f"区划代码{code}已被使用", "code")
            station = Station(name=name, code=code, county=county, settings={})
            s.add(station)
            s.flush()
            for i, vname in enumerate(names, start=1):
                s.add(Village(station_id=station.id, name=vname, code=_village_code(code, i)))
            s.add(Setting(key="home_station_id", value=station.id))
            s.add(Setting(key="mode", value=mode))
            first = s.scalar(select(User).where(User.station_id.is_(None), User.name == self.ctx.actor.name))
            if first is not None:  # the admin whose key slot created the store
                first.station_id = station.id
                first.role = "head" if mode == "station" else "county_admin"
            else:
                s.add(User(station_id=station.id, name=self.ctx.actor.name,
                           role="head" if mode == "station" else "county_admin"))
            s.flush()
            return station_info(s, station)

    def info(self) -> StationInfo:
        with self.ctx.read() as s:
            return station_info(s, home_station(s))

    def label(self) -> tuple[str, bool]:
        """(county and station name, whether the store holds demo data): the window's title and status bar,
        without `info()`'s village list, which a county store sorts by pinyin (a tenth of a second at login)."""
        with self.ctx.read() as s:
            station = home_station(s)
            return (f"{station.county or ''}{station.name}",
                    holds_demo_data(s))

    def add_village(self, name: str, code: str | None = None) -> VillageInfo:
        name = require_text(name, "name", "村(社区)名称", 50)
        with self.ctx.tx() as s:
            station = home_station(s)
            if s.scalar(select(Village).where(Village.station_id == station.id, Village.name == name)):
                raise WeibaoError(f"村(社区)“{name}”已存在", "name")
            if code is None:
                n = s.scalar(select(func.count()).select_from(Village).where(Village.station_id == station.id)) or 0
                code = _village_code(station.code, n + 1)
                while s.scalar(select(Village).where(Village.code == code)):
                    n += 1
                    code = _village_code(station.code, n + 1)
            elif not _CODE12.match(code):
                raise WeibaoError(f"村(社区)区划代码应为12位数字，现为“{code}”", "code")
            v = Village(station_id=station.id, name=name, code=code)
            s.add(v)
            s.flush()
            audit.append(s, self.ctx.actor, "settings", f"village:{v.code}", {"key": "add_village"})
            return VillageInfo(v.id, v.name, v.code)

    def rename(self, name: str) -> StationInfo:
        """The station's name as it appears in the window, on printouts and ledgers (its code stays)."""
        name = require_text(name, "name", "工作站名称", 50)
        with self.ctx.tx() as s:
            station = home_station(s)
            station.name = name
            return station_info(s, station)

    def set_cadence(self, days: dict[str, int], periods: dict[str, str] | None = None,
                    counting: dict[str, tuple[str, ...] | list[str]] | None = None) -> StationInfo:
        """Change the visit period and the visits that count per colour; every open file's due date follows.
        What is not given keeps its saved value."""
        with self.ctx.tx() as s:
            station = home_station(s)
            saved = station_cadence(station)
            cadence = Cadence(days, periods if periods is not None else saved.periods,
                              {c: tuple(m) for c, m in counting.items()} if counting is not None else saved.counting)
            station.settings = {**(station.settings or {}), **cadence.to_settings()}
            children = s.scalars(
                select(Child).where(Child.station_id == station.id, Child.status == "active", live(Child))
            )
            latest = latest_visits(s, Child.station_id == station.id, counting_visit(cadence))
            for child in children:
                child.last_visit_on, planned = latest.get(child.id, (None, None))
                recompute_due(child, cadence, planned_on=planned)
            audit.append(s, self.ctx.actor, "settings", "cadence", {"key": "cadence", **cadence.to_json()})
            return station_info(s, station)

    def last_exchange(self) -> dt.datetime | None:
        """When a county exchange package was last applied here (for the status bar); None if never."""
        with self.ctx.read() as s:
            return s.scalar(select(func.max(ImportLog.started_at)).where(ImportLog.kind == "package"))

    def add_user(self, name: str, role: str) -> UserInfo:
        name = require_text(name, "name", "姓名", 50)
        if role not in ROLE:
            role = ROLE.parse(role) or ""
        if role not in ROLE:
            raise WeibaoError(f"角色应为：{'、'.join(ROLE.labels())}", "role")
        with self.ctx.tx() as s:
            station = home_station(s)
            if s.scalar(select(User).where(User.station_id == station.id, User.name == name)):
                raise WeibaoError(f"用户“{name}”已存在", "name")
            u = User(station_id=station.id, name=name, role=role)
            s.add(u)
            s.flush()
            audit.append(s, self.ctx.actor, "account_add", f"user:{u.id}", {"role": role})
            return UserInfo(u.id, u.name, u.role, u.active)

    def users(self) -> list[UserInfo]:
        with self.ctx.read() as s:
            station = home_station(s)
            rows = s.scalars(select(User).where(User.station_id == station.id).order_by(User.id))
            return [UserInfo(u.id, u.name, u.role, u.active) for u in rows]


def _village_code(station_code: str, n: int) -> str:
    # 统计用区划代码: the village part is the last three digits under the township's first nine.
    return f"{station_code[:9]}{200 + n:03d}" if n < 800 else f"{station_code[:9]}{n:03d}"
