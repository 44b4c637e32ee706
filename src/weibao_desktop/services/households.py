"""Households (家庭档案): the adults and home siblings share, entered once; the review list of unsure matches
the upgrade left; a household visit that records one visit per child present.

Every change goes through `records` (the one write path). Joining a household moves the child's own
relatives into it: an adult the household already holds (same id number, or same relation and name) is
kept once, its empty fields filled from the other copy, which is tombstoned.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ..domain.care import highest_colour, person_key
from ..domain.codes import COLOUR_ORDER
from ..domain.errors import WeibaoError
from ..domain.fields import clean_values
from ..domain.visits import visit_problems
from ..models.entities import Child, Person, Village, utcnow
from ..models.households import Household, HouseholdReview
from .base import Context, home_station
from .casework import _visit_info, write_visit
from .children import _person_info, get_child
from .dto import PersonInfo, VisitInfo
from .queries import live
from .records import apply_changes, new_record, tombstone
from .stations import child_cadence

PERSON_FIELDS = ("relation_detail", "name", "birth_date", "id_number", "phone", "status", "work_place", "address",
                 "is_guardian")


@dataclass(frozen=True)
class HouseholdChild:
    uuid: str
    name: str
    sex: str
    birth_date: dt.date
    risk_colour: str | None
    status: str
    next_visit_due: dt.date | None


@dataclass(frozen=True)
class HouseholdRow:
    uuid: str
    name: str
    village: str | None
    address: str | None
    phone: str | None
    children: tuple[HouseholdChild, ...]
    highest_colour: str | None
    adults: int


@dataclass(frozen=True)
class HouseholdDetail:
    uuid: str
    rev: int
    name: str
    village_id: int | None
    village: str | None
    address: str | None
    phone: str | None
    notes: str | None
    children: tuple[HouseholdChild, ...]
    people: tuple[PersonInfo, ...]
    highest_colour: str | None


@dataclass(frozen=True)
class ReviewInfo:
    id: int
    household_uuid: str
    household_name: str
    household_children: tuple[str, ...]
    child_uuid: str
    child_name: str
    reason: str
    state: str


class HouseholdService:
    def __init__(self, ctx: Context):
        self.ctx = ctx

    def search(self, text: str | None = None, *, limit: int = 500, offset: int = 0) -> list[HouseholdRow]:
        """The station's households by village and name; `text` finds a household, child or adult by name."""
        with self.ctx.read() as s:
            station = home_station(s)
            stmt = (select(Household, Village.name).outerjoin(Village, Village.id == Household.village_id)
                    .where(Household.station_id == station.id, live(Household)))
            if text and text.strip():
                like = f"%{text.strip()}%"
                stmt = stmt.where(or_(
                    Household.name.like(like), Household.address.like(like),
                    Household.id.in_(select(Child.household_id).where(Child.name.like(like), live(Child))),
                    Household.id.in_(select(Person.household_id).where(Person.name.like(like), live(Person)))))
            rows = s.execute(stmt.order_by(Village.code, Household.name, Household.id).offset(offset).limit(limit)).all()
            ids = [h.id for h, _ in rows]
            kids = _children_of(s, ids)
            adults = dict(s.execute(select(Person.household_id, func.count()).where(
                Person.household_id.in_(ids), live(Person)).group_by(Person.household_id)).all()) if ids else {}
            return [HouseholdRow(h.uuid, h.name, village, h.address, h.phone, tuple(kids.get(h.id, ())),
                                 highest_colour(c.risk_colour for c in kids.get(h.id, ()) if c.status == "active"),
                                 adults.get(h.id, 0)) for h, village in rows]

    def get(self, uuid: str) -> HouseholdDetail:
        with self.ctx.read() as s:
            return _detail(s, _household(s, uuid))

    def of_child(self, child_key: str | int) -> HouseholdDetail | None:
        with self.ctx.read() as s:
            child = get_child(s, child_key, include_deleted=True)
            h = s.get(Household, child.household_id) if child.household_id else None
            return _detail(s, h) if h is not None and h.deleted_at is None else None

    def create(self, values: dict, child_keys: Iterable[str | int] = ()) -> HouseholdDetail:
        """A new household; the children named join it (bringing their relatives)."""
        clean = clean_values("household", values, partial=False, today=self.ctx.today())
        with self.ctx.tx() as s:
            station = home_station(s)
            h = new_record(s, Household, {**clean, "station_id": station.id}, self.ctx.actor, origin=station.code)
            s.flush()
            for key in child_keys:
                self._join(s, h, get_child(s, key), station.code)
            return _detail(s, h)

    def update(self, uuid: str, values: dict) -> HouseholdDetail:
        clean = clean_values("household", values, partial=True, today=self.ctx.today())
        with self.ctx.tx() as s:
            station = home_station(s)
            h = _household(s, uuid)
            apply_changes(s, h, clean, self.ctx.actor, origin=station.code)
            return _detail(s, h)

    def add_child(self, uuid: str, child_key: str | int) -> HouseholdDetail:
        with self.ctx.tx() as s:
            station = home_station(s)
            h = _household(s, uuid)
            self._join(s, h, get_child(s, child_key), station.code)
            return _detail(s, h)

    def remove_child(self, uuid: str, child_key: str | int) -> HouseholdDetail:
        """The child leaves the household (moved away, placed elsewhere): it keeps a copy of the adults as its own
        relatives, so its file still names its parents. A household left with no child is tombstoned."""
        with self.ctx.tx() as s:
            station = home_station(s)
            h = _household(s, uuid)
            child = get_child(s, child_key)
            if child.household_id != h.id:
                raise WeibaoError(f"{child.name}不在“{h.name}”中", "child")
            for p in _adults(s, h.id):
                new_record(s, Person, {**{f: getattr(p, f) for f in PERSON_FIELDS}, "relation": p.relation,
                                       "child_id": child.id}, self.ctx.actor, origin=station.code)
            apply_changes(s, child, {"household_id": None}, self.ctx.actor, origin=station.code)
            s.flush()
            self._drop_if_empty(s, h, station.code)
            return _detail(s, h)

    def add_person(self, uuid: str, values: dict) -> PersonInfo:
        """An adult of the household (parent, guardian, 被委托人), entered once for every child in it."""
        from .children import ChildService

        with self.ctx.tx() as s:
            station = home_station(s)
            h = _household(s, uuid)
            anchor = s.scalar(select(Child).where(Child.household_id == h.id, live(Child)).order_by(Child.id).limit(1))
            if anchor is None:
                clean = clean_values("person", values, partial=False, today=self.ctx.today())
                p = new_record(s, Person, {**clean, "household_id": h.id}, self.ctx.actor, origin=station.code)
            else:
                p = ChildService(self.ctx)._add_person(s, anchor, values, station.code)
            s.flush()
            return _person_info(p)

    def reviews(self, state: str | None = "open") -> list[ReviewInfo]:
        """Matches the upgrade was not sure of, for a person to join or keep apart."""
        with self.ctx.read() as s:
            station = home_station(s)
            stmt = (select(HouseholdReview, Household, Child).join(Household, Household.id == HouseholdReview.household_id)
                    .join(Child, Child.id == HouseholdReview.child_id).where(Household.station_id == station.id))
            if state:
                stmt = stmt.where(HouseholdReview.state == state)
            rows = s.execute(stmt.order_by(HouseholdReview.id)).all()
            kids = _children_of(s, [h.id for _, h, _ in rows])
            return [ReviewInfo(r.id, h.uuid, h.name, tuple(k.name for k in kids.get(h.id, ())), c.uuid, c.name,
                               r.reason, r.state) for r, h, c in rows]

    def resolve_review(self, review_id: int, join: bool) -> ReviewInfo:
        """确认同一家庭 (the child joins the household) or 不是同一家庭 (kept apart); either way it leaves the list."""
        with self.ctx.tx() as s:
            station = home_station(s)
            r = s.get(HouseholdReview, review_id)
            if r is None or r.state != "open":
                raise WeibaoError("该待核对记录已处理或不存在", "review")
            h = s.get_one(Household, r.household_id)
            child = s.get_one(Child, r.child_id)
            if join:
                if h.deleted_at is not None:
                    raise WeibaoError(f"“{h.name}”已删除，无法合并", "review")
                self._join(s, h, child, station.code)
            r.state, r.resolved_at, r.resolved_by = ("joined" if join else "split"), utcnow(), self.ctx.actor.name
            s.flush()
            kids = _children_of(s, [h.id])
            return ReviewInfo(r.id, h.uuid, h.name, tuple(k.name for k in kids.get(h.id, ())), child.uuid,
                              child.name, r.reason, r.state)

    def record_visit(self, uuid: str, present: Iterable[str], values: dict) -> list[VisitInfo]:
        """家庭走访: one form, one visit per child present (each a normal visit with its own next due date),
        all in one transaction. Children not present get nothing: a visit is about a child seen or asked after."""
        wanted = list(dict.fromkeys(present))
        if not wanted:
            raise WeibaoError("请至少选择一名在场的儿童", "present")
        clean = clean_values("visit", values, partial=False, today=self.ctx.today())
        for field, message in visit_problems(clean)[:1]:
            raise WeibaoError(message, field)
        with self.ctx.tx() as s:
            station = home_station(s)
            h = _household(s, uuid)
            out = []
            for key in wanted:
                child = get_child(s, key)
                if child.household_id != h.id:
                    raise WeibaoError(f"{child.name}不在“{h.name}”中", "present")
                visit = write_visit(s, station.code, child, clean, self.ctx.actor)
                out.append(_visit_info(visit, child, child_cadence(s, child)))
            return out

    def _join(self, s: Session, h: Household, child: Child, origin: str) -> None:
        if child.household_id == h.id:
            raise WeibaoError(f"{child.name}已在“{h.name}”中", "child")
        if child.station_id != h.station_id:
            raise WeibaoError(f"{child.name}与“{h.name}”不属于同一乡镇", "child")
        old = s.get(Household, child.household_id) if child.household_id else None
        moving = list(s.scalars(select(Person).where(Person.child_id == child.id, live(Person)).order_by(Person.id)))
        others = s.scalar(select(func.count()).where(Child.household_id == old.id, Child.id != child.id,
                                                     live(Child))) if old is not None else 0
        if old is not None and not others:
            moving += _adults(s, old.id)
        held = {person_key(p.relation, p.relation_detail, p.name, p.id_number, p.id): p for p in _adults(s, h.id)}
        actor = self.ctx.actor
        for p in moving:
            same = held.get(person_key(p.relation, p.relation_detail, p.name, p.id_number, p.id))
            if same is None:
                apply_changes(s, p, {"household_id": h.id, "child_id": None}, actor, origin=origin)
                continue
            missing = {f: getattr(p, f) for f in PERSON_FIELDS if getattr(same, f) is None and getattr(p, f) is not None}
            if missing:
                apply_changes(s, same, missing, actor, origin=origin)
            tombstone(s, p, actor, origin=origin)
        apply_changes(s, child, {"household_id": h.id}, actor, origin=origin)
        s.flush()
        if old is not None:
            self._drop_if_empty(s, old, origin)

    def _drop_if_empty(self, s: Session, h: Household, origin: str) -> None:
        if s.scalar(select(func.count()).where(Child.household_id == h.id, live(Child))):
            return
        for p in _adults(s, h.id):
            tombstone(s, p, self.ctx.actor, origin=origin)
        tombstone(s, h, self.ctx.actor, origin=origin)


def _household(s: Session, uuid: str) -> Household:
    h = s.scalar(select(Household).where(Household.uuid == uuid, live(Household)))
    if h is None:
        raise WeibaoError("找不到该家庭档案", "household")
    return h


def _adults(s: Session, household_id: int) -> list[Person]:
    return list(s.scalars(select(Person).where(Person.household_id == household_id, live(Person)).order_by(Person.id)))


def _children_of(s: Session, household_ids: list[int]) -> dict[int, list[HouseholdChild]]:
    out: dict[int, list[HouseholdChild]] = {}
    for i in range(0, len(household_ids), 500):
        for c in s.scalars(select(Child).where(Child.household_id.in_(household_ids[i:i + 500]), live(Child))
                           .order_by(Child.birth_date, Child.id)):
            out.setdefault(c.household_id or 0, []).append(HouseholdChild(
                c.uuid, c.name, c.sex, c.birth_date, c.risk_colour, c.status, c.next_visit_due))
    return out


def _detail(s: Session, h: Household) -> HouseholdDetail:
    kids = _children_of(s, [h.id]).get(h.id, [])
    village = s.get(Village, h.village_id) if h.village_id else None
    return HouseholdDetail(
        h.uuid, h.rev, h.name, h.village_id, village.name if village else None, h.address, h.phone, h.notes,
        tuple(kids), tuple(_person_info(p) for p in _adults(s, h.id)),
        highest_colour(k.risk_colour for k in kids if k.status == "active"))


def colour_rank(colour: str | None) -> int:
    """Sort key: the most urgent colour first, households with no colour last."""
    return COLOUR_ORDER.get(colour or "", len(COLOUR_ORDER))
