"""重大事项报告单: a child's death, serious injury or disappearance, or a public-opinion incident, reported to the
county at once (001 篇二: 早发现、早报告、早处置，及时上报县民政局). It keeps when the event happened, when the station
learned of it and when and to whom it was reported, and travels to the county in the next package."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain.errors import WeibaoError
from ..domain.fields import clean_values
from ..models.entities import Child, Station
from ..models.station_work import Incident
from .base import Context, home_station, store_mode
from .children import _by_uuid, get_child
from .dto import Page
from .queries import live
from .records import apply_changes, new_record, tombstone

REPORT_WITHIN = dt.timedelta(hours=24)  # what "及时上报" is taken to mean: flagged when later


@dataclass(frozen=True)
class IncidentInfo:
    uuid: str
    kind: str
    child_uuid: str | None
    child_name: str | None
    occurred_at: dt.datetime
    learned_at: dt.datetime
    reported_at: dt.datetime | None
    reported_to: str | None
    receiver: str | None
    reported_by: str
    place: str | None
    summary: str
    measures: str | None
    progress: str | None
    station: str | None  # the township, in a county store
    rev: int

    @property
    def late(self) -> bool:
        """Not reported within 24 hours of being learned of (or not yet, 24 hours on)."""
        end = self.reported_at or dt.datetime.now()
        return end - self.learned_at > REPORT_WITHIN

    @property
    def report_delay(self) -> str:
        if self.reported_at is None:
            return "尚未上报"
        hours = (self.reported_at - self.learned_at).total_seconds() / 3600
        return f"获知后{hours:.0f}小时上报" if hours >= 1 else "获知后1小时内上报"


class IncidentService:
    def __init__(self, ctx: Context):
        self.ctx = ctx

    def report(self, values: dict, *, child_key: str | int | None = None) -> IncidentInfo:
        values = {"reported_by": self.ctx.actor.name, **values}
        clean = clean_values("incident", values, partial=False, today=self.ctx.today())
        with self.ctx.tx() as s:
            station = home_station(s)
            child = get_child(s, child_key) if child_key is not None else None
            if child is None and not clean.get("child_name"):
                raise WeibaoError("请填写涉及儿童的姓名，或关联已有档案", "child_name")
            if child is not None:
                clean["child_name"] = child.name
            _check_times(clean)
            rec = new_record(s, Incident, {**clean, "child_id": child.id if child else None}, self.ctx.actor,
                             origin=station.code)
            s.flush()
            return _info(s, rec)

    def update(self, uuid: str, values: dict) -> IncidentInfo:
        clean = clean_values("incident", values, partial=True, today=self.ctx.today())
        with self.ctx.tx() as s:
            station = home_station(s)
            rec = _by_uuid(s, Incident, uuid, "重大事项")
            merged = {k: getattr(rec, k) for k in ("occurred_at", "learned_at", "reported_at", "reported_to")}
            _check_times({**merged, **clean})
            apply_changes(s, rec, clean, self.ctx.actor, origin=station.code)
            return _info(s, rec)

    def delete(self, uuid: str) -> None:
        with self.ctx.tx() as s:
            station = home_station(s)
            tombstone(s, _by_uuid(s, Incident, uuid, "重大事项"), self.ctx.actor, origin=station.code)

    def get(self, uuid: str) -> IncidentInfo:
        with self.ctx.read() as s:
            home_station(s)
            return _info(s, _by_uuid(s, Incident, uuid, "重大事项"))

    def page(self, *, offset: int = 0, limit: int = 100) -> Page:
        with self.ctx.read() as s:
            home_station(s)
            stmt = select(Incident).where(live(Incident))
            total = s.scalar(select(func.count()).select_from(stmt.subquery())) or 0
            rows = s.scalars(stmt.order_by(Incident.learned_at.desc(), Incident.id.desc()).offset(offset).limit(limit))
            return Page([_info(s, r) for r in rows], total, offset, limit)

    def unreported(self) -> list[IncidentInfo]:
        """Incidents learned of but not yet reported upward: the dashboard asks about them."""
        with self.ctx.read() as s:
            home_station(s)
            rows = s.scalars(select(Incident).where(live(Incident), Incident.reported_at.is_(None))
                             .order_by(Incident.learned_at))
            return [_info(s, r) for r in rows]


def _check_times(v: dict) -> None:
    if v.get("learned_at") and v.get("occurred_at") and v["learned_at"] < v["occurred_at"]:
        raise WeibaoError("获知时间不能早于发生时间", "learned_at")
    if v.get("reported_at") and v.get("learned_at") and v["reported_at"] < v["learned_at"]:
        raise WeibaoError("上报时间不能早于获知时间", "reported_at")
    if v.get("reported_at") and not v.get("reported_to"):
        raise WeibaoError("已上报的，请填写上报单位（如 县民政局）", "reported_to")


def _info(s: Session, r: Incident) -> IncidentInfo:
    child = s.get(Child, r.child_id) if r.child_id else None
    station = None
    if store_mode(s) == "county":
        station_id = child.station_id if child else None
        found = s.get(Station, station_id) if station_id else s.scalar(select(Station).where(Station.code == r.origin))
        station = found.name if found else None
    return IncidentInfo(r.uuid, r.kind, child.uuid if child else None, r.child_name, r.occurred_at, r.learned_at,
                        r.reported_at, r.reported_to, r.receiver, r.reported_by, r.place, r.summary, r.measures,
                        r.progress, station, r.rev)


__all__ = ["IncidentInfo", "IncidentService"]
