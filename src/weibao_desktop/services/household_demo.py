"""Demo households and care arrangements, so the 家庭档案 page, the child file's 监护与照护 tab, the care and
household ledgers and the dashboard's care warnings all show something in a demo store.

Written after the demo's children, through the one write path: siblings are made by giving two or three
children of one village the first one's family (their own copies tombstoned, as the upgrade does), then every
other demo child with a family gets a household of its own.
"""
from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models.entities import Child, Person
from ..models.households import CareArrangement, Household
from .base import Context, home_station
from .queries import live
from .records import apply_changes, new_record, tombstone

SIBLING_GROUPS = 40
CARE_CHILDREN = 45


def demo_households(s: Session, ctx: Context, seed: int = 2026) -> None:
    """In the demo's own write transaction (`s`), after its children were inserted."""
    rng = random.Random(seed)
    today = ctx.today()
    actor = ctx.actor
    station = home_station(s)
    origin = station.code
    kids = list(s.scalars(select(Child).where(Child.station_id == station.id, live(Child),
                                              Child.household_id.is_(None), Child.status == "active")
                          .order_by(Child.id).limit(400)))
    if not kids:
        return
    people: dict[int, list[Person]] = {}
    for p in s.scalars(select(Person).where(Person.child_id.in_([k.id for k in kids]), live(Person))
                       .order_by(Person.id)):
        people.setdefault(p.child_id or 0, []).append(p)
    by_village: dict[int | None, list[Child]] = {}
    for k in kids:
        if people.get(k.id):
            by_village.setdefault(k.village_id, []).append(k)
    groups: list[list[Child]] = []
    for members in by_village.values():
        while len(members) >= 3 and len(groups) < SIBLING_GROUPS:
            size = rng.choice((2, 2, 3))
            groups.append(members[:size])
            del members[:size]
    grouped = {k.id for g in groups for k in g}
    groups += [[k] for k in kids if people.get(k.id) and k.id not in grouped]
    for group in groups:
        first = group[0]
        adults = people[first.id]
        father = next((p for p in adults if p.relation == "father"), adults[0])
        h = new_record(s, Household, {"station_id": station.id, "village_id": first.village_id,
                                      "name": f"{father.name}家", "address": first.residence_address,
                                      "phone": father.phone}, actor, origin=origin)
        s.flush()
        for p in adults:
            apply_changes(s, p, {"household_id": h.id, "child_id": None}, actor, origin=origin)
        for sibling in group:
            if sibling is not first:
                for p in people[sibling.id]:
                    tombstone(s, p, actor, origin=origin)
                surname = (father.name or first.name)[0]
                apply_changes(s, sibling, {"name": surname + sibling.name[1:],
                                           "residence_address": first.residence_address}, actor, origin=origin)
            apply_changes(s, sibling, {"household_id": h.id}, actor, origin=origin)
    s.flush()
    _care(s, ctx, station.id, origin, rng, today)


def _care(s, ctx: Context, station_id: int, origin: str, rng: random.Random, today: dt.date) -> None:
    """Agreements for most children with a 被委托人: some ending within 30 days, some never signed."""
    rows = s.execute(
        select(Child, Person).join(Person, Person.household_id == Child.household_id)
        .where(Child.station_id == station_id, live(Child), live(Person), Person.relation == "entrusted")
        .order_by(Child.id).limit(CARE_CHILDREN)).all()
    for n, (child, carer) in enumerate(rows):
        parents = [p.name for p in s.scalars(select(Person).where(
            Person.household_id == child.household_id, Person.relation.in_(("father", "mother")), live(Person)))
            if p.name]
        start = today - dt.timedelta(days=rng.randrange(200, 700))
        end = start + dt.timedelta(days=730) if n % 5 else today + dt.timedelta(days=rng.randrange(3, 28))
        signed = None if n % 7 == 3 else start
        new_record(s, CareArrangement, {
            "child_id": child.id, "kind": "entrusted_care", "carer_name": carer.name, "carer_phone": carer.phone,
            "carer_relation": carer.relation_detail, "carer_address": child.residence_address,
            "parties": "、".join(parents) or None, "signed_on": signed, "start_on": start, "end_on": end,
            "review_on": start + dt.timedelta(days=365)}, ctx.actor, origin=origin)
    for n, child in enumerate(s.scalars(select(Child).where(Child.station_id == station_id, live(Child),
                                                            Child.risk_colour == "red").order_by(Child.id).limit(4))):
        kind = ("temp_care_institution", "temp_guardianship", "temp_care_relative", "guardian_appointed")[n]
        new_record(s, CareArrangement, {
            "child_id": child.id, "kind": kind,
            "carer_name": ("县儿童福利院", "县民政局", "外祖母", "祖父")[n], "decided_by": "县民政局" if n < 2 else None,
            "start_on": today - dt.timedelta(days=20 + n), "end_on": today + dt.timedelta(days=90),
            "review_on": today + dt.timedelta(days=30)}, ctx.actor, origin=origin)
