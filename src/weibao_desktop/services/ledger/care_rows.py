"""Row sources of the 家庭档案台账 and the 监护与照护台账 (services.ledger.export.ROW_SOURCES)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...domain.care import CARE_KIND, EXPIRY_WARNING_DAYS, SIGNED_KINDS, highest_colour
from ...domain.care import in_force as care_in_force
from ...domain.codes import PERSON_STATUS, RISK_COLOUR
from ...models.entities import Child, Person, Village
from ...models.households import CareArrangement, Household
from ..queries import live

if TYPE_CHECKING:
    from .export import Rows, Selection


def household_rows(s: Session, sel: Selection) -> Rows:
    """One row per live household of the station (the village filter applies): its children with their colours,
    the highest, and the father, mother and 被委托人 entered for it."""
    stmt = (select(Household, Village.name).outerjoin(Village, Village.id == Household.village_id)
            .where(Household.station_id == sel.station.id, live(Household)))
    if sel.query.village_id is not None:
        stmt = stmt.where(Household.village_id == sel.query.village_id)
    households = s.execute(stmt.order_by(Village.code, Household.name, Household.id)).all()
    ids = [h.id for h, _ in households]
    kids: dict[int, list[tuple[str, str | None, str]]] = {}
    adults: dict[int, dict[str, Person]] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        for hid, name, colour, status in s.execute(
                select(Child.household_id, Child.name, Child.risk_colour, Child.status)
                .where(Child.household_id.in_(chunk), live(Child)).order_by(Child.birth_date, Child.id)):
            kids.setdefault(hid or 0, []).append((name, colour, status))
        for p in s.scalars(select(Person).where(Person.household_id.in_(chunk), live(Person)).order_by(Person.id)):
            adults.setdefault(p.household_id or 0, {}).setdefault(p.relation, p)

    def rows() -> Iterator[dict]:
        for h, village in households:
            children = kids.get(h.id, [])
            row = {"name": h.name, "village": village, "address": h.address, "phone": h.phone, "uuid": h.uuid,
                   "child_count": len(children),
                   "children": "、".join(f"{n}（{RISK_COLOUR.label_of(c) or '未评估'}）" for n, c, _ in children),
                   "risk_colour": highest_colour(c for _, c, st in children if st == "active")}
            for relation, p in adults.get(h.id, {}).items():
                row.update({f"{relation}.name": p.name, f"{relation}.phone": p.phone,
                            f"{relation}.status": PERSON_STATUS.label_of(p.status) or None,
                            f"{relation}.relation_detail": p.relation_detail})
            yield row

    return rows(), len(households)


def care_state(kind: str, signed_on: dt.date | None, start: dt.date | None, end: dt.date | None,
               today: dt.date) -> str:
    """What the ledger's 状态 column says: 未签订 first (a signed kind without a date), then the term."""
    if kind in SIGNED_KINDS and signed_on is None:
        return "未签订"
    if start is not None and start > today:
        return "未开始"
    if not care_in_force(start, end, today):
        return "已到期"
    if end is not None and end <= today + dt.timedelta(days=EXPIRY_WARNING_DAYS):
        return "30天内到期"
    return "有效"


def care_rows(s: Session, sel: Selection) -> Rows:
    """Every live care arrangement of the station's live children (village and category filters apply)."""
    from .export import _of_children

    fields = ("kind", "carer_name", "carer_relation", "carer_phone", "parties", "decided_by", "signed_on",
              "start_on", "end_on", "review_on", "note")
    stmt = (select(CareArrangement, Child.name, Child.id_number, Child.risk_colour, Village.name.label("village"))
            .join(Child, Child.id == CareArrangement.child_id).outerjoin(Village, Village.id == Child.village_id)
            .where(live(CareArrangement)))
    stmt = _of_children(s, stmt, sel)
    out = []
    for a, name, number, colour, village in s.execute(stmt.order_by(Village.code, Child.name, CareArrangement.start_on,
                                                                    CareArrangement.id)):
        row = {f: getattr(a, f) for f in fields}
        row.update(name=name, id_number=number, village=village, risk_colour=colour, uuid=a.uuid,
                   state=care_state(a.kind, a.signed_on, a.start_on, a.end_on, sel.today))
        out.append(row)
    return out, len(out)


__all__ = ["household_rows", "care_rows", "care_state", "CARE_KIND"]
