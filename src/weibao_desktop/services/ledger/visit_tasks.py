"""The 走访任务表 a township sends a village: the children of that village due for a visit by the end of the
period (overdue ones included), one row each to fill in, the village's 儿童主任 as the visitor."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models.entities import Child, Person, Village
from ...models.station_work import StaffMember, StaffVillage
from ..printing import _guardian
from ..queries import family_of, live
from .results import chunks

NOTE = ("说明：灰底以外的各列由村(社区)填写：走访日期、走访方式（下拉选择）必填，生活、学习、健康、安全、心理、监护情况"
        "和存在问题至少填一项；“档案编号”供系统识别儿童，请勿修改。名单外的儿童请填在下方空行，写明姓名和出生日期。")


def period_end(today: dt.date) -> dt.date:
    """Default end of a task list: the end of this month."""
    following = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    return following - dt.timedelta(days=1)


def task_rows(s: Session, station_id: int, village: Village, date_from: dt.date | None,
              date_to: dt.date) -> tuple[list[dict], int]:
    stmt = (select(Child).where(Child.station_id == station_id, Child.village_id == village.id, live(Child),
                                Child.status == "active", Child.next_visit_due.is_not(None),
                                Child.next_visit_due <= date_to)
            .order_by(Child.next_visit_due, Child.name, Child.id))
    if date_from is not None:
        stmt = stmt.where(Child.next_visit_due >= date_from)
    children = list(s.scalars(stmt))
    people: dict[int, list[Person]] = {}
    for chunk in chunks([c.id for c in children]):
        for cid, p in s.execute(family_of(chunk)):  # the child's own relatives and its household's
            people.setdefault(cid, []).append(p)
    visitors = "、".join(s.scalars(
        select(StaffMember.name).join(StaffVillage, StaffVillage.staff_id == StaffMember.id)
        .where(StaffVillage.village_id == village.id, StaffMember.role == "director", live(StaffMember),
               StaffMember.left_on.is_(None)).order_by(StaffMember.name)))
    rows = []
    for c in children:
        guardian, phone = _guardian(people.get(c.id, []))
        rows.append({
            "name": c.name, "sex": c.sex, "birth_date": c.birth_date, "village": village.name,
            "risk_colour": c.risk_colour, "due_on": c.next_visit_due, "guardian": guardian or None,
            "guardian_phone": phone or c.contact_phone, "visitors": visitors or None, "uuid": c.uuid,
        })
    return rows, len(rows)
