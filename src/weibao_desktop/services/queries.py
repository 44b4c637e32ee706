"""Rules that are queries, each written once: which records are live, which dated records are in force
on a day (a child's current categories, the help received now), a child's latest planned visit, and the
children a list filter selects. Every list, ledger, statistic, print and import asks these."""
from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, and_, case, exists, func, or_, select
from sqlalchemy.orm import Session

from ..domain.codes import CATEGORY, CATEGORY_GROUPS, COLOUR_ORDER, REFERRAL_OPEN_STATES
from ..domain.errors import WeibaoError
from ..domain.text import strip_noise
from ..models.entities import CategoryMembership, Child, HelpMeasure, Person, Referral, Relief, Visit
from .base import store_mode
from .dto import ChildQuery

SelectT = TypeVar("SelectT", bound="Select[*tuple[Any, ...]]")


def in_force(start, end, on: dt.date) -> ColumnElement[bool]:
    """A dated record (category, relief) is in force on `on` when it has begun and not yet ended: a category
    that ends next month is current today; one that ended today is not. An unknown start counts as begun.
    The same rule in Python is `domain.dates.in_force`."""
    return and_(or_(start.is_(None), start <= on), or_(end.is_(None), end > on))


def live(model) -> ColumnElement[bool]:
    """SQL condition: the record (of this model) is not tombstoned."""
    return model.deleted_at.is_(None)


def family_join() -> ColumnElement[bool]:
    """Join condition of a Child and a Person: the child's own relatives and the adults of its household."""
    return or_(Person.child_id == Child.id,
               and_(Child.household_id.is_not(None), Person.household_id == Child.household_id))


def family_of(child_ids) -> Select:
    """(child id, Person) of the live relatives of these children (ids or a subquery), oldest record first."""
    return (select(Child.id, Person).join(Person, family_join()).where(Child.id.in_(child_ids), live(Person))
            .order_by(Child.id, Person.id))


def category_in_force(on: dt.date) -> ColumnElement[bool]:
    """Conditions on CategoryMembership: live and in force on `on`."""
    return and_(live(CategoryMembership),
                in_force(CategoryMembership.start_on, CategoryMembership.end_on, on))


def relief_in_force(on: dt.date) -> ColumnElement[bool]:
    return and_(live(Relief), in_force(Relief.start_on, Relief.end_on, on))


def current_categories(child_ids, on: dt.date) -> Select:
    """(child_id, category) of the categories in force on `on`, for these children (ids or a subquery)."""
    return select(CategoryMembership.child_id, CategoryMembership.category).where(
        CategoryMembership.child_id.in_(child_ids), category_in_force(on))


def current_reliefs(child_ids, on: dt.date) -> Select:
    """(child_id, kind) of the help received on `on`, for these children."""
    return select(Relief.child_id, Relief.kind).where(Relief.child_id.in_(child_ids), relief_in_force(on))


def in_category(categories: Iterable[str], on: dt.date) -> ColumnElement[bool]:
    """SQL condition on a Child row: the child belongs to one of these categories on `on`."""
    return exists().where(CategoryMembership.child_id == Child.id,
                          CategoryMembership.category.in_(list(categories)), category_in_force(on))


def first_category_rank(on: dt.date):
    """The first of the child's current categories in table order (for sorting a list by category)."""
    return select(
        func.min(case({code: i for i, code in enumerate(CATEGORY.keys())}, value=CategoryMembership.category))
    ).where(CategoryMembership.child_id == Child.id, category_in_force(on)).correlate(Child).scalar_subquery()


def category_codes(name: str) -> tuple[str, ...]:
    """A category code, or a group name such as 困境儿童, as the codes it covers."""
    if name in CATEGORY_GROUPS:
        return CATEGORY_GROUPS[name]
    code = name if name in CATEGORY else CATEGORY.parse(name)
    if code is None:
        raise WeibaoError(f"未知的儿童类别“{name}”", "category")
    return (code,)


def latest_planned(s: Session, child_id: int) -> dt.date | None:
    """The next visit date planned at the child's most recent live visit."""
    return s.scalar(
        select(Visit.next_due_on).where(Visit.child_id == child_id, live(Visit))
        .order_by(Visit.visited_on.desc(), Visit.id.desc()).limit(1)
    )


def latest_visits(s: Session, *where) -> dict[int, tuple[dt.date, dt.date | None]]:
    """(last visit day, planned next date) per child, from the most recent live visit of each child that
    `where` (conditions on Visit and Child) selects: the many-children form of `latest_planned`."""
    out: dict[int, tuple[dt.date, dt.date | None]] = {}
    stmt = (select(Visit.child_id, Visit.visited_on, Visit.next_due_on).join(Child, Child.id == Visit.child_id)
            .where(live(Visit), *where).order_by(Visit.child_id, Visit.visited_on, Visit.id))
    for cid, day, planned in s.execute(stmt):
        out[cid] = (day, planned)
    return out


def has_open_action() -> ColumnElement[bool]:
    """SQL condition: the child (Child row in the query) has an open help measure or referral."""
    return or_(
        exists().where(HelpMeasure.child_id == Child.id, HelpMeasure.state == "open", live(HelpMeasure)),
        exists().where(
            Referral.child_id == Child.id, Referral.state.in_(REFERRAL_OPEN_STATES), live(Referral)
        ),
    )


def open_action_count(session: Session, child_id: int) -> int:
    helps = select(func.count()).select_from(HelpMeasure).where(
        HelpMeasure.child_id == child_id, HelpMeasure.state == "open", live(HelpMeasure)
    )
    refs = select(func.count()).select_from(Referral).where(
        Referral.child_id == child_id, Referral.state.in_(REFERRAL_OPEN_STATES), live(Referral)
    )
    return (session.scalar(helps) or 0) + (session.scalar(refs) or 0)


def in_scope(s: Session, stmt: SelectT, station_id: int) -> SelectT:
    """A station store sees its own children; a county store sees every township's."""
    if store_mode(s) == "station":
        stmt = stmt.where(Child.station_id == station_id)
    return stmt


def children_filter(s: Session, q: ChildQuery, stmt: Select, station_id: int, today: dt.date) -> Select:
    """The children list's filter (ChildQuery) on a statement over Child, joined to its village: the list,
    its export and the statistics all select children with it. Ordered as the list shows them."""
    from ..models.entities import Village

    stmt = stmt.outerjoin(Village, Village.id == Child.village_id).where(live(Child))
    stmt = in_scope(s, stmt, station_id)
    if q.status:
        stmt = stmt.where(Child.status == q.status)
    if q.village_id is not None:
        stmt = stmt.where(Child.village_id == q.village_id)
    if q.colour == "none":
        stmt = stmt.where(Child.risk_colour.is_(None))
    elif q.colour:
        stmt = stmt.where(Child.risk_colour == q.colour)
    if q.category:
        stmt = stmt.where(in_category(category_codes(q.category), today))
    if q.overdue:
        stmt = stmt.where(Child.next_visit_due < today, Child.status == "active")
    if q.due_before is not None:
        stmt = stmt.where(Child.next_visit_due <= q.due_before, Child.status == "active")
    text = strip_noise(q.text or "").strip()
    if text:
        stmt = stmt.where(_text_condition(text))
    key = _sort_key(q.sort, today)
    order = key.desc() if q.descending else key.asc()
    if q.sort in ("next_visit_due", "last_visit_on", "village", "id_number", "contact_phone", "categories"):
        order = order.nulls_last()
    return stmt.order_by(order, Child.name, Child.id)


def _sort_key(sort: str, today: dt.date):
    from ..models.entities import Village

    keys = {
        "name": Child.name,
        "birth_date": Child.birth_date,
        "village": Village.name,
        "risk_colour": case({k: v for k, v in COLOUR_ORDER.items()}, value=Child.risk_colour,
                            else_=len(COLOUR_ORDER)),
        "next_visit_due": Child.next_visit_due,
        "last_visit_on": Child.last_visit_on,
        "status": Child.status,
        "id_number": Child.id_number,
        "sex": Child.sex,
        "contact_phone": Child.contact_phone,
    }
    if sort == "categories":
        return first_category_rank(today)
    if sort not in keys:
        raise WeibaoError(f"不能按“{sort}”排序", "sort")
    return keys[sort]


SORT_KEYS = ("name", "birth_date", "village", "risk_colour", "next_visit_due", "last_visit_on", "status",
             "id_number", "sex", "contact_phone", "categories")


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _text_condition(text: str):
    from ..models.entities import Village

    pattern = _like(text)
    conds: list[ColumnElement[bool]] = [Child.name.like(pattern, escape="\\"), Village.name.like(pattern, escape="\\")]
    digits = unicodedata.normalize("NFKC", text).upper().replace(" ", "")  # full-width input: １３８ is 138
    if digits[:-1].isdigit() or digits.isdigit():
        conds += [
            Child.id_number.like(_like(digits), escape="\\"),
            Child.contact_phone.like(_like(digits), escape="\\"),
            exists().where(family_join(), Person.phone.like(_like(digits), escape="\\")),
        ]
    return or_(*conds)
