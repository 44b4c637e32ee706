"""Rules that are queries, each written once: which records are live, which dated records are in force
on a day (a child's current categories, the help received now), a child's latest planned visit, and the
children a list filter selects. Every list, ledger, statistic, print and import asks these."""
from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, and_, case, exists, false, func, or_, select
from sqlalchemy.orm import Session

from ..domain.cadence import UNASSESSED, Cadence
from ..domain.codes import CATEGORY, CATEGORY_GROUPS, COLOUR_ORDER, PLACED_AWAY, REFERRAL_OPEN_STATES
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


def latest_visits(s: Session, *where) -> dict[int, tuple[dt.date, dt.date | None]]:
    """(last visit day, planned next date) per child, from the most recent live visit of each child that
    `where` (conditions on Visit and Child, such as `counting_visit`) selects."""
    out: dict[int, tuple[dt.date, dt.date | None]] = {}
    stmt = (select(Visit.child_id, Visit.visited_on, Visit.next_due_on).join(Child, Child.id == Visit.child_id)
            .where(live(Visit), *where).order_by(Visit.child_id, Visit.visited_on, Visit.id))
    for cid, day, planned in s.execute(stmt):
        out[cid] = (day, planned)
    return out


def counting_visit(cadence: Cadence) -> ColumnElement[bool]:
    """SQL condition on a Visit joined to its Child: the visit resets the child's clock. The same rule as
    `Cadence.counts` (per colour, the modes that count; a red child placed away from home is followed up by
    any contact)."""
    return or_(
        *(and_(Child.risk_colour == colour, Visit.mode.in_(modes)) for colour, modes in cadence.counting.items()),
        and_(Child.risk_colour.is_(None), Visit.mode.in_(cadence.counting[UNASSESSED])),
        and_(Child.risk_colour == "red", Child.placement.in_(PLACED_AWAY)),
    )


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
    """A station store sees its own children; a county store sees every township's. Within that, the acting
    account's scope (`child_scope`): a 儿童主任 only the children of their villages."""
    if store_mode(s) == "station":
        stmt = stmt.where(Child.station_id == station_id)
    condition = child_scope(s)
    if condition is not None:
        stmt = stmt.where(condition)
    return stmt


def scope_ids(s: Session) -> tuple[str, frozenset[int]] | None:
    """("village", ids) for a director, ("station", ids) for a county account limited to some townships,
    None when the session's account sees every child. Names are resolved once per session."""
    actor = s.info.get("actor")
    if actor is None:
        return None
    if "scope" in s.info:
        return s.info["scope"]
    from ..domain.roles import is_county, is_village_scoped
    from ..models.entities import Station, Village

    scope: tuple[str, frozenset[int]] | None = None
    if is_village_scoped(actor.role):
        names = sorted(actor.villages)
        villages = select(Village.id).where(or_(Village.name.in_(names), Village.code.in_(names)))
        scope = ("village", frozenset(s.scalars(villages)) if names else frozenset())
    elif is_county(actor.role) and actor.townships:
        names = sorted(actor.townships)
        stations = select(Station.id).where(or_(Station.name.in_(names), Station.code.in_(names)))
        scope = ("station", frozenset(s.scalars(stations)))
    s.info["scope"] = scope
    return scope


def child_scope(s: Session) -> ColumnElement[bool] | None:
    """SQL condition on Child: the children the session's account may see; None when it sees them all."""
    scope = scope_ids(s)
    if scope is None:
        return None
    kind, ids = scope
    column = Child.village_id if kind == "village" else Child.station_id
    return column.in_(sorted(ids)) if ids else false()


def linked_in_scope(s: Session, child_id_column) -> ColumnElement[bool] | None:
    """SQL condition on a record that names a child (a referral, a clue): its child is in the account's
    scope. A scoped account does not see records linked to no child. None when it sees everything."""
    condition = child_scope(s)
    if condition is None:
        return None
    return child_id_column.in_(select(Child.id).where(condition))


def scoped(s: Session, child_id_column=None) -> list[ColumnElement[bool]]:
    """The account's scope as a list of conditions to splat into `.where(...)`: on Child (a statement joined
    to it), or on a record's child id column. Empty when the account sees everything."""
    condition = child_scope(s) if child_id_column is None else linked_in_scope(s, child_id_column)
    return [] if condition is None else [condition]


def child_visible(s: Session, child: Child | None) -> bool:
    """The one-child form of `child_scope`: may the session's account open this file?"""
    scope = scope_ids(s)
    if scope is None:
        return True
    if child is None:
        return False
    kind, ids = scope
    return (child.village_id if kind == "village" else child.station_id) in ids


def require_visible(s: Session, child: Child | None) -> None:
    """Refuse a file outside the account's scope (a 儿童主任 opening another village's child)."""
    if not child_visible(s, child):
        from ..domain.roles import role_label

        actor = s.info["actor"]
        raise WeibaoError(f"当前账号（{role_label(actor.role)}）无权查看或修改此儿童档案：不在负责的村(社区)或乡镇范围内",
                          "child")


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
    if q.due_from is not None:
        stmt = stmt.where(Child.next_visit_due >= q.due_from, Child.status == "active")
    text = strip_noise(q.text or "").strip()
    if text:
        stmt = stmt.where(_text_condition(text))
    key = _sort_key(q.sort, today)
    order = key.desc() if q.descending else key.asc()
    if q.sort in ("next_visit_due", "last_visit_on", "village", "id_number", "contact_phone", "categories"):
        order = order.nulls_last()
    # Ties in pinyin order of the name, then by id (one key: SQLite walks the index instead of sorting).
    return stmt.order_by(order, Child.id) if q.sort == "name" else stmt.order_by(order, Child.name_key, Child.id)


def _sort_key(sort: str, today: dt.date):
    from ..models.entities import Village

    keys = {
        "name": Child.name_key,
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


# What of an id number a list shows (430104********1234): a number typed in the search box matches only there,
# so "1231" never finds a child through the birth date hidden in the middle of the number.
ID_SHOWN_HEAD = 6
ID_SHOWN_TAIL = 4


def search_digits(text: str) -> str | None:
    """The text as an id-number or phone fragment (full-width １３８ is 138, x is X), or None for a name."""
    digits = unicodedata.normalize("NFKC", text).upper().replace(" ", "")
    return digits if digits.isdigit() or (digits[:-1].isdigit() and digits[-1:] == "X") else None


def _id_shown(column, digits: str) -> ColumnElement[bool]:
    """The id number is `digits`, or begins or ends with them within the part a list shows."""
    conds = [column == digits]
    if len(digits) <= ID_SHOWN_HEAD and digits.isdigit():
        conds.append(column.like(digits.replace("_", "") + "%"))
    if len(digits) <= ID_SHOWN_TAIL:
        conds.append(column.like("%" + digits))
    return or_(*conds)


def _person_matches(text: str, digits: str | None) -> ColumnElement[bool]:
    """A live relative of the child (guardian, parent, carer) whose name, phone or full id number matches."""
    conds: list[ColumnElement[bool]] = [Person.name.like(_like(text), escape="\\")]
    if digits:
        conds += [Person.phone.like(_like(digits), escape="\\"), Person.id_number == digits]
    return and_(family_join(), live(Person), or_(*conds))


def _text_condition(text: str):
    from ..models.entities import Village

    pattern = _like(text)
    digits = search_digits(text)
    conds: list[ColumnElement[bool]] = [Child.name.like(pattern, escape="\\"), Village.name.like(pattern, escape="\\")]
    if digits:
        conds += [_id_shown(Child.id_number, digits), Child.contact_phone.like(_like(digits), escape="\\")]
    conds.append(exists().where(_person_matches(text, digits)))
    return or_(*conds)


def match_reasons(s: Session, ids: list[int], text: str | None) -> dict[int, str]:
    """Why each of these children matched the search text, as the list shows it (匹配：监护人 张某某): the
    child's own name needs no words; a relative, a village, a phone or a part of the id number does."""
    from ..domain.codes import PERSON_RELATION
    from ..domain.idnumber import mask_id_number
    from ..models.entities import Village

    text = strip_noise(text or "").strip()
    if not text or not ids:
        return {}
    digits = search_digits(text)
    folded = unicodedata.normalize("NFKC", text)
    out: dict[int, str] = {}
    by_name: set[int] = set()
    rows = s.execute(select(Child.id, Child.name, Village.name, Child.id_number, Child.contact_phone)
                     .outerjoin(Village, Village.id == Child.village_id).where(Child.id.in_(ids)))
    for cid, name, village, number, phone in rows:
        if text in (name or "") or folded in (name or ""):
            by_name.add(cid)
        elif digits and number and (number == digits or (len(digits) <= ID_SHOWN_HEAD and number.startswith(digits))):
            out[cid] = "身份证号" if number == digits else f"身份证号前{len(digits)}位"
        elif digits and number and len(digits) <= ID_SHOWN_TAIL and number.endswith(digits):
            out[cid] = f"身份证号后{len(digits)}位"
        elif digits and phone and digits in phone:
            out[cid] = f"联系电话 {phone}"
        elif village and (text in village or folded in village):
            out[cid] = f"村(社区) {village}"
    people = s.execute(select(Child.id, Person.relation, Person.relation_detail, Person.name, Person.phone,
                              Person.id_number, Person.is_guardian)
                       .join(Person, family_join())
                       .where(Child.id.in_(ids), _person_matches(text, digits)).order_by(Person.id))
    for cid, relation, detail, person_name, phone, own_number, guardian in people:
        if cid in out or cid in by_name:
            continue
        who = detail or PERSON_RELATION.label_of(relation)
        if guardian and "监护" not in who:
            who = f"{who}（监护人）"
        what = f"{who} {person_name or ''}".strip()
        if digits and phone and digits in phone:
            what += f" 电话 {phone}"
        elif digits and own_number == digits:
            what += f" 身份证号 {mask_id_number(own_number)}"
        out[cid] = what
    return out
