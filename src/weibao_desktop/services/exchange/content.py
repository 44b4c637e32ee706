"""How a record's exchange content maps to this store: content text to column values and back, references
by uuid, scoping a station's records, the per-peer merge bases and open conflicts."""
from __future__ import annotations

import datetime as dt
import functools

from sqlalchemy import Boolean, Date, DateTime, Integer, and_, or_, select
from sqlalchemy.orm import Session, undefer

from ...domain.errors import WeibaoError
from ...models.entities import Child, Person, ReportClue, Setting, Station, SyncBase, SyncConflict, SyncPeer, Village
from ...models.households import Household
from ...sync.records import BY_NAME, EntitySpec
from ..base import Context, store_mode
from ..records import apply_changes
from ..records import refresh_children as refresh_derived
from ..stations import station_cadence


class Steps:
    """Progress by steps for a window, and the point where a cancel takes effect (rolling back)."""

    def __init__(self, progress, cancelled, total: int):
        self.progress, self.cancelled, self.total, self.done = progress, cancelled, total, 0

    def __call__(self, text: str) -> None:
        if self.cancelled is not None and self.cancelled():
            raise WeibaoError("已取消，没有做任何改动")
        if self.progress is not None:
            self.progress(self.done, self.total, text)
        self.done += 1


class RefLookup(dict):
    """(entity, local id) -> uuid, fetched on demand for references of a merged record."""

    def __init__(self, s: Session, known: dict):
        super().__init__(known)
        self.s = s

    def get(self, key, default=None):
        if key in self:
            return self[key]
        entity, local = key
        model = BY_NAME[entity].model
        uuid = self.s.scalar(select(model.uuid).where(model.id == local))
        self[key] = uuid
        return uuid


class VillageLookup(dict):
    def __init__(self, s: Session):
        super().__init__()
        self.s = s

    def get(self, key, default=None):
        if key not in self:
            self[key] = self.s.scalar(select(Village.code).where(Village.id == key))
        return self[key]


def set_content(s: Session, rec, spec: EntitySpec, content: dict, ctx: Context, origin: str, batch: int | None,
                 refs_local: dict | None = None, village=None) -> None:
    values = {}
    for k, v in content.items():
        ref = next((r for r in spec.refs if r.key == k), None)
        if ref is not None:
            if refs_local is not None and ref.column in refs_local:
                values[ref.column] = refs_local[ref.column]
            else:
                model = BY_NAME[ref.entity].model
                values[ref.column] = s.scalar(select(model.id).where(model.uuid == v)) if v else None
        elif k == "village_code":
            values["village_id"] = (village(v) if village else
                                    s.scalar(select(Village.id).where(Village.code == v))) if v else None
        else:
            values[k] = from_text(rec.__table__.c[k], v)
    apply_changes(s, rec, values, ctx.actor, origin=origin, batch=batch)


def from_text(column, text: str | None):
    return None if text is None else converter(column)(text)


def converter(column):
    """Content text back to the column's Python value."""
    t = column.type
    if isinstance(t, DateTime):
        return dt.datetime.fromisoformat
    if isinstance(t, Date):
        return lambda text: dt.date.fromisoformat(text[:10])
    if isinstance(t, Boolean):
        return lambda text: text in ("1", "true", "True")
    if isinstance(t, Integer):
        return int
    return str


@functools.cache
def converters(entity: str) -> tuple:
    """(content key, converter) for an entity's own fields, references excluded."""
    spec = BY_NAME[entity]
    refs = {r.key for r in spec.refs}
    table = spec.model.__table__
    return tuple((k, None if k == "village_code" else converter(table.c[k]))
                 for k in spec.content_keys if k not in refs)


def refresh_children(s: Session, ids: set[int | None]) -> None:
    """Derived fields of children whose records changed: colour, last visit and next due date."""
    refresh_derived(s, ids, station_cadence)


def child_of(s: Session, spec: EntitySpec, rec) -> int | None:
    return rec.id if spec.name == "child" else getattr(rec, "child_id", None)


def scoped(stmt, spec: EntitySpec, station_id: int | None, county_peer: SyncPeer | None):
    model = spec.model
    if spec.name == "child" or spec.by_station:
        return stmt.where(model.station_id == station_id).options(undefer("*"))
    if model is Person:
        # A household's adults have no child: they belong to the station of their household.
        stmt = stmt.outerjoin(Child, Child.id == Person.child_id).outerjoin(Household, Household.id == Person.household_id)
        own = or_(Child.station_id == station_id, Household.station_id == station_id)
        return stmt.where(own)
    if any(r.key == "child_uuid" for r in spec.refs):
        stmt = stmt.outerjoin(Child, Child.id == model.child_id)
        own = Child.station_id == station_id
        if county_peer is not None:
            return stmt.where(or_(own, and_(model.child_id.is_(None), model.origin == county_peer.code)))
        return stmt.where(or_(own, model.child_id.is_(None)))
    return stmt


def uuid_maps(s: Session, station_id: int | None) -> dict:
    out = {("child", i): u for i, u in s.execute(select(Child.id, Child.uuid).where(Child.station_id == station_id))}
    out.update({("report_clue", i): u for i, u in s.execute(select(ReportClue.id, ReportClue.uuid))})
    out.update({("household", i): u for i, u in s.execute(
        select(Household.id, Household.uuid).where(Household.station_id == station_id))})
    return out


def latest_base_rows(s: Session, peer_id: int, uuids: list[str]) -> dict[str, SyncBase]:
    out: dict[str, SyncBase] = {}
    for i in range(0, len(uuids), 900):
        for row in s.scalars(select(SyncBase).where(SyncBase.peer_id == peer_id,
                                                    SyncBase.record_uuid.in_(uuids[i:i + 900])).order_by(SyncBase.id)):
            out[row.record_uuid] = row
    return out


def latest_bases(s: Session, peer_id: int, uuids: list[str]) -> dict[str, dict]:
    return {u: r.content for u, r in latest_base_rows(s, peer_id, uuids).items()}


def open_conflicts(s: Session, peer_id: int, uuids: list[str]) -> dict[str, dict[str, SyncConflict]]:
    out: dict[str, dict[str, SyncConflict]] = {}
    for i in range(0, len(uuids), 900):
        for c in s.scalars(select(SyncConflict).where(SyncConflict.peer_id == peer_id, SyncConflict.resolved_at.is_(None),
                                                      SyncConflict.record_uuid.in_(uuids[i:i + 900]))):
            out.setdefault(c.record_uuid, {})[c.field] = c
    return out


def open_conflict_fields(s: Session, peer_id: int, uuids: list[str]) -> dict[str, set[str]]:
    return {u: set(d) for u, d in open_conflicts(s, peer_id, uuids).items()}


def counter(s: Session) -> int:
    row = s.get(Setting, "change_seq")
    return int(str(row.value)) if row else 0


def role_of(s: Session) -> str:
    return "county" if store_mode(s) == "county" else "township"


def late_days(home: Station) -> int:
    return int((home.settings or {}).get("late_after_days", 35))


def parse_when(text: str | None) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


def row_title(spec: EntitySpec, content: dict) -> str:
    for key in ("name", "child_name", "caller", "kind", "category", "visited_on"):
        if content.get(key):
            return str(content[key])
    return ""


def record_title(s: Session, spec: EntitySpec, uuid: str) -> str:
    rec = s.scalar(select(spec.model).where(spec.model.uuid == uuid))
    if rec is None:
        return uuid
    if spec.name == "child":
        return rec.name
    child = s.get_one(Child, rec.child_id) if getattr(rec, "child_id", None) else None
    return f"{child.name if child else ''} {spec.sheet}".strip()
