"""Child files (一人一档): create, edit, close, the family, categories, help received, lists, history."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ..domain.cadence import days_overdue, red_without_action
from ..domain.codes import CATEGORY, CLOSE_REASON, PERSON_RELATION
from ..domain.dates import in_force
from ..domain.eligibility import category_warnings
from ..domain.errors import WeibaoError
from ..domain.fields import clean_value, clean_values, display, label_of, spec_of
from ..domain.idnumber import mask_id_number, mismatches, validate_id_number
from ..domain.text import fold
from ..models.entities import (
    CategoryMembership,
    ChangeLog,
    Child,
    Person,
    Relief,
    Station,
    Village,
)
from .base import Context, home_station, store_mode
from .concurrency import refuse_stale
from .dto import (
    CategoryInfo,
    ChangeInfo,
    ChildDetail,
    ChildQuery,
    ChildRow,
    Page,
    PersonInfo,
    ReliefInfo,
)
from .queries import (
    SORT_KEYS,
    category_codes,
    category_in_force,
    child_scope,
    children_filter,
    current_categories,
    family_join,
    family_of,
    has_open_action,
    in_category,
    live,
    match_reasons,
    open_action_count,
    require_visible,
    scope_ids,
)
from .records import apply_changes, new_record, recompute_due, refresh_visits, tombstone
from .stations import child_cadence, station_cadence


class DuplicateChild(WeibaoError):
    """The child already has a file; `existing_uuid` names it so the caller can open it instead."""

    def __init__(self, message: str, existing_uuid: str, field: str):
        super().__init__(message, field)
        self.existing_uuid = existing_uuid


SORTS = SORT_KEYS  # the keys a list can be sorted by (the GUI offers these)


def get_child(session: Session, key: str | int, *, include_deleted: bool = False) -> Child:
    """A child by uuid, by database id, or by id number."""
    child: Child | None
    if isinstance(key, int):
        child = session.get(Child, key)
    elif len(key) == 18 and key[:17].isdigit():
        child = session.scalar(select(Child).where(Child.id_number == key.upper(), live(Child)))
    else:
        child = session.scalar(select(Child).where(Child.uuid == key))
    if child is None or (child.deleted_at is not None and not include_deleted):
        raise WeibaoError(f"找不到儿童档案“{key}”", "child")
    require_visible(session, child)
    return child


class ChildService:
    def __init__(self, ctx: Context):
        self.ctx = ctx


    def create(
        self,
        values: dict,
        *,
        categories: Iterable[str | tuple[str, dt.date]] = (),
        people: Iterable[dict] = (),
        reliefs: Iterable[dict] = (),
        allow_same_name_birth: bool = False,
        station_code: str | None = None,
    ) -> ChildDetail:
        """Open a file. A child whose id number, or name and birth date, already has one is refused
        with `DuplicateChild` naming the existing file."""
        today = self.ctx.today()
        clean = clean_values("child", values, partial=False, today=today)
        with self.ctx.tx() as s:
            home = home_station(s)
            station = _owning_station(s, home, station_code)
            self._check_village(s, station.id, clean.get("village_id"))
            self._check_identity(s, clean, None, allow_same_name_birth)
            child = new_record(
                s, Child, {**clean, "station_id": station.id, "opened_on": today, "status": "active"},
                self.ctx.actor, origin=home.code, today=today,
            )
            s.flush()
            for item in categories:
                code, start = item if isinstance(item, tuple) else (item, today)
                self._add_category(s, child, code, start, station.code)
            for p in people:
                self._add_person(s, child, p, station.code)
            for r in reliefs:
                self._add_relief(s, child, r, station.code)
            recompute_due(child, station_cadence(station), planned_on=None)
            s.flush()
            require_visible(s, child)  # a 儿童主任 opens files in their own villages only
            return self._detail(s, child)

    def update(self, key: str | int, values: dict, *, expected_rev: int | None = None) -> ChildDetail:
        """Change fields of a file; `expected_rev` refuses an edit made on a stale copy."""
        clean = clean_values("child", _without_masked_id(values), partial=True, today=self.ctx.today())
        with self.ctx.tx() as s:
            station = home_station(s)
            child = get_child(s, key)
            refuse_stale(s, child, expected_rev)
            if "village_id" in clean:
                self._check_village(s, child.station_id, clean["village_id"])
            if clean.keys() & _IDENTITY:  # a file whose twin is on file elsewhere (a county store) stays editable
                merged = {**{k: getattr(child, k) for k in _IDENTITY}, **clean}
                self._check_identity(s, merged, child.id, True)
            changed = apply_changes(s, child, clean, self.ctx.actor, origin=station.code)
            require_visible(s, child)  # nor moves one out of them
            if "placement" in changed:  # a red child placed away is followed up: other visits count
                refresh_visits(s, child, child_cadence(s, child))
            return self._detail(s, child)

    def close(self, key: str | int, reason: str, note: str | None = None, closed_on: dt.date | None = None) -> ChildDetail:
        """销档: the file stays, searchable, with why and when."""
        code = CLOSE_REASON.parse(reason) if reason not in CLOSE_REASON else reason
        if code is None:
            raise WeibaoError(f"请选择销档原因：{'、'.join(CLOSE_REASON.labels())}", "closed_reason")
        if code == "other" and not (note or "").strip():
            raise WeibaoError("销档原因为“其他”时请写明具体原因", "closed_note")
        day = closed_on or self.ctx.today()
        if day > self.ctx.today():
            raise WeibaoError("销档日期不能晚于今天", "closed_on")
        with self.ctx.tx() as s:
            station = home_station(s)
            child = get_child(s, key)
            if child.status == "closed":
                raise WeibaoError(f"{child.name}的档案已于{child.closed_on:%Y-%m-%d}销档", "status")
            apply_changes(
                s, child,
                {"status": "closed", "closed_reason": code, "closed_note": (note or "").strip() or None, "closed_on": day},
                self.ctx.actor, origin=station.code,
            )
            recompute_due(child, child_cadence(s, child), planned_on=None)
            return self._detail(s, child)

    def reopen(self, key: str | int) -> ChildDetail:
        with self.ctx.tx() as s:
            station = home_station(s)
            child = get_child(s, key)
            if child.status != "closed":
                raise WeibaoError(f"{child.name}的档案在册，无需恢复", "status")
            apply_changes(
                s, child, {"status": "active", "closed_reason": None, "closed_note": None, "closed_on": None},
                self.ctx.actor, origin=station.code,
            )
            refresh_visits(s, child, child_cadence(s, child))
            return self._detail(s, child)

    def delete(self, key: str | int) -> None:
        """Remove a file entered by mistake. It is tombstoned, never erased, so the county learns of it."""
        with self.ctx.tx() as s:
            station = home_station(s)
            child = get_child(s, key)
            tombstone(s, child, self.ctx.actor, origin=station.code)
            child.next_visit_due = None

    def get(self, key: str | int) -> ChildDetail:
        with self.ctx.read() as s:
            return self._detail(s, get_child(s, key, include_deleted=True))

    def find_existing(self, id_number: str | None = None, name: str | None = None,
                      birth_date: dt.date | None = None) -> ChildDetail | None:
        """The file a new entry would duplicate, for the form to offer instead."""
        with self.ctx.read() as s:
            child = self._find_duplicate(s, id_number, name, birth_date, None)
            if child is not None:
                require_visible(s, child)
            return self._detail(s, child) if child else None

    def reveal_id(self, key: str | int) -> str:
        """显示完整号码: the child's full id number, and an audit entry saying who saw it."""
        from . import audit

        with self.ctx.tx() as s:
            child = get_child(s, key, include_deleted=True)
            audit.append(s, self.ctx.actor, "reveal_id", f"child:{child.uuid}")
            return child.id_number or ""


    def add_person(self, child_key: str | int, values: dict) -> PersonInfo:
        with self.ctx.tx() as s:
            station = home_station(s)
            child = get_child(s, child_key)
            p = self._add_person(s, child, values, station.code)
            s.flush()
            return _person_info(p)

    def update_person(self, person_uuid: str, values: dict) -> PersonInfo:
        clean = clean_values("person", _without_masked_id(values), partial=True, today=self.ctx.today())
        with self.ctx.tx() as s:
            station = home_station(s)
            p = _by_uuid(s, Person, person_uuid, "家庭成员")
            self._check_single_parent(s, p.child_id, p.household_id, clean.get("relation"), p.id)
            apply_changes(s, p, clean, self.ctx.actor, origin=station.code)
            return _person_info(p)

    def remove_person(self, person_uuid: str) -> None:
        with self.ctx.tx() as s:
            station = home_station(s)
            tombstone(s, _by_uuid(s, Person, person_uuid, "家庭成员"), self.ctx.actor, origin=station.code)

    def add_category(self, child_key: str | int, category: str, start_on: dt.date | None = None) -> CategoryInfo:
        with self.ctx.tx() as s:
            station = home_station(s)
            child = get_child(s, child_key)
            m = self._add_category(s, child, category, start_on or self.ctx.today(), station.code)
            s.flush()
            return _category_info(m)

    def end_category(self, membership_uuid: str, end_on: dt.date | None = None) -> CategoryInfo:
        day = end_on or self.ctx.today()
        with self.ctx.tx() as s:
            station = home_station(s)
            m = _by_uuid(s, CategoryMembership, membership_uuid, "儿童类别")
            if day < m.start_on:
                raise WeibaoError("退出日期不能早于认定日期", "end_on")
            apply_changes(s, m, {"end_on": day}, self.ctx.actor, origin=station.code)
            return _category_info(m)

    def remove_category(self, membership_uuid: str) -> None:
        with self.ctx.tx() as s:
            station = home_station(s)
            tombstone(s, _by_uuid(s, CategoryMembership, membership_uuid, "儿童类别"), self.ctx.actor, origin=station.code)

    def add_relief(self, child_key: str | int, values: dict) -> ReliefInfo:
        with self.ctx.tx() as s:
            station = home_station(s)
            child = get_child(s, child_key)
            r = self._add_relief(s, child, values, station.code)
            s.flush()
            return _relief_info(r)

    def update_relief(self, relief_uuid: str, values: dict) -> ReliefInfo:
        clean = clean_values("relief", values, partial=True, today=self.ctx.today())
        with self.ctx.tx() as s:
            station = home_station(s)
            r = _by_uuid(s, Relief, relief_uuid, "救助记录")
            apply_changes(s, r, clean, self.ctx.actor, origin=station.code)
            return _relief_info(r)

    def remove_relief(self, relief_uuid: str) -> None:
        with self.ctx.tx() as s:
            station = home_station(s)
            tombstone(s, _by_uuid(s, Relief, relief_uuid, "救助记录"), self.ctx.actor, origin=station.code)


    def history(self, key: str | int) -> list[ChangeInfo]:
        """变更记录: every field change of the file and of its family, categories and help received,
        newest first, with the creation of each record at the end of its own story."""
        with self.ctx.read() as s:
            child = get_child(s, key, include_deleted=True)
            owned = {child.uuid: ("child", child.created_at, child.created_by)}
            for model in (Person, CategoryMembership, Relief):
                owner = model.child_id == child.id
                if model is Person and child.household_id is not None:
                    owner = or_(owner, Person.household_id == child.household_id)
                for uuid, created, by in s.execute(
                    select(model.uuid, model.created_at, model.created_by).where(owner)
                ):
                    owned[uuid] = (model.__tablename__, created, by)
            logs = s.scalars(
                select(ChangeLog).where(ChangeLog.record_uuid.in_(list(owned))).order_by(ChangeLog.id.desc())
            ).all()
        out = [
            ChangeInfo(
                entity=c.entity, record_uuid=c.record_uuid, field=c.field, field_label=label_of(c.entity, c.field),
                old=display(c.entity, c.field, c.old_value), new=display(c.entity, c.field, c.new_value),
                changed_at=c.changed_at, actor=c.actor, rev=c.rev,
            )
            for c in logs
        ]
        for uuid, (entity, created, by) in owned.items():
            out.append(ChangeInfo(entity, uuid, "*", "新建", "", _ENTITY_LABEL[entity], created, by, 1))
        out.sort(key=lambda c: (c.changed_at, c.rev), reverse=True)
        return out


    def search_ids(self, query: ChildQuery = ChildQuery(), limit: int | None = None) -> list[int]:
        """Ids of every matching file in display order: what a big table model holds. With `limit`, only the
        first ones (a screenful comes back at once while the whole list is still being counted)."""
        with self.ctx.read() as s:
            stmt = self._filtered(s, query, select(Child.id))
            if limit is not None:
                stmt = stmt.limit(limit)
            return list(s.scalars(stmt))

    def search_statement(self, session: Session, query: ChildQuery):
        """The SQL the list runs (for the benchmarks, which time it bare)."""
        return self._filtered(session, query, select(Child.id))

    def rows(self, ids: list[int], text: str | None = None) -> list[ChildRow]:
        """List rows for these ids, in the same order (a big table model asks for a screenful); with the search
        `text`, each row says why it matched (`queries.match_reasons`)."""
        if not ids:
            return []
        found: dict[int, ChildRow] = {}
        with self.ctx.read() as s:
            scope = child_scope(s)
            for chunk in _chunks(ids, 500):
                reasons = match_reasons(s, chunk, text) if text else {}
                stmt = select(Child.id).where(Child.id.in_(chunk))
                for row in self.rows_for(s, stmt if scope is None else stmt.where(scope)):
                    found[row.id] = row._replace(match=reasons[row.id]) if row.id in reasons else row
        return [found[i] for i in ids if i in found]

    def row_statements(self, id_stmt):
        """The two queries behind list rows: the rows in the id statement's order, and their categories."""
        ids = id_stmt.with_only_columns(Child.id)
        if id_stmt._limit_clause is None and id_stmt._offset_clause is None:
            ids = ids.order_by(None)  # the order only matters to which rows a LIMIT keeps
        ids = ids.scalar_subquery()
        rows = (
            select(*_ROW_COLUMNS)
            .outerjoin(Village, Village.id == Child.village_id)
            .where(Child.id.in_(ids))
            .order_by(*id_stmt._order_by_clauses)
        )
        today = self.ctx.today()
        return rows, current_categories(ids, today)

    def rows_for(self, s: Session, id_stmt) -> list[ChildRow]:
        """List rows of every child the id statement selects, in its order, in two queries."""
        rows_stmt, cats_stmt = self.row_statements(id_stmt)
        today = self.ctx.today()
        conn = s.connection()  # plain column rows: the Core path, without the ORM's row loading
        cats: dict[int, list[str]] = {}
        for cid, code in conn.execute(cats_stmt).fetchall():  # fetchall: one call, not one per row
            cats.setdefault(cid, []).append(code)
        order = _CATEGORY_ORDER
        none: tuple = ()
        return [
            ChildRow(
                r[0], r[1], r[2], r[3], r[4], mask_id_number(r[5]), r[6], r[7], r[8], r[9], r[10],
                days_overdue(r[10], today) if r[8] == "active" else 0,
                tuple(sorted(c, key=order.__getitem__)) if (c := cats.get(r[0], none)) and len(c) > 1 else tuple(c),
                r[11],
            )
            for r in conn.execute(rows_stmt).fetchall()
        ]

    def page(self, query: ChildQuery = ChildQuery(), offset: int = 0, limit: int = 50) -> Page:
        with self.ctx.read() as s:
            stmt = self._filtered(s, query, select(Child.id))
            total = s.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
            ids = list(s.scalars(stmt.offset(offset).limit(limit)))
        return Page(self.rows(ids, query.text), total, offset, limit)

    def _filtered(self, s: Session, q: ChildQuery, stmt):
        return children_filter(s, q, stmt, home_station(s).id, self.ctx.today())

    def _check_village(self, s: Session, station_id: int, village_id: int | None) -> None:
        if village_id is None:
            return
        v = s.get(Village, village_id)
        if v is None or v.station_id != station_id:
            raise WeibaoError("所选村(社区)不属于本工作站", "village_id")

    def _check_identity(self, s: Session, values: dict, own_id: int | None, allow_same_name_birth: bool) -> None:
        number = values.get("id_number")
        if number:
            problems = mismatches(validate_id_number(number), values.get("birth_date"), values.get("sex"))
            if problems:
                raise WeibaoError("；".join(problems) + "。请核对身份证号或出生日期、性别", "id_number")
        dup = self._find_duplicate(
            s, number, None if allow_same_name_birth else values.get("name"), values.get("birth_date"), own_id
        )
        if dup is not None:
            where = f"（{dup.village.name}）" if dup.village else ""
            closed = "，已销档" if dup.status == "closed" else ""
            if number and dup.id_number == number:
                raise DuplicateChild(
                    f"身份证号{mask_id_number(number)}已有档案：{dup.name}{where}{closed}。请打开已有档案，不要重复建档。",
                    dup.uuid, "id_number",
                )
            raise DuplicateChild(
                f"已有同名同出生日期的档案：{dup.name}，{dup.birth_date:%Y-%m-%d}{where}{closed}。"
                "请确认是否为同一人；如果不是，请确认后再建档。",
                dup.uuid, "name",
            )

    def _find_duplicate(self, s, number, name, birth, own_id) -> Child | None:
        conds = []
        if number:
            conds.append(Child.id_number == number)
        if name and birth:
            conds.append(Child.birth_date == birth)  # the name is compared below, after NFKC
        if not conds:
            return None
        stmt = select(Child).where(or_(*conds), live(Child))
        if own_id is not None:
            stmt = stmt.where(Child.id != own_id)
        # Ｌｉ and Li, or a name with an invisible character in it, are the same name.
        wanted = fold(name) if name and birth else None
        found = [c for c in s.scalars(stmt.order_by(Child.id))
                 if (number and c.id_number == number) or (wanted and c.birth_date == birth and fold(c.name) == wanted)]
        if not found:
            return None
        # A match on the id number outranks a name-and-birth match.
        return next((c for c in found if number and c.id_number == number), found[0])

    def _add_person(self, s: Session, child: Child, values: dict, origin: str) -> Person:
        clean = clean_values("person", values, partial=False, today=self.ctx.today())
        self._check_single_parent(s, child.id, child.household_id, clean.get("relation"), None)
        # A child in a household: the adult is entered once, for every child of the household.
        owner = {"household_id": child.household_id} if child.household_id else {"child_id": child.id}
        return new_record(s, Person, {**clean, **owner}, self.ctx.actor, origin=origin)

    def _check_single_parent(self, s: Session, child_id: int | None, household_id: int | None, relation: str | None,
                             own_id: int | None) -> None:
        if relation not in ("father", "mother"):
            return
        # One father and one mother per child: among the child's own relatives and its household's.
        ids = (list(s.scalars(select(Child.id).where(Child.household_id == household_id, live(Child))))
               if household_id else [child_id])
        stmt = select(Person.id).select_from(Child).join(Person, family_join()).where(
            Child.id.in_(ids), Person.relation == relation, live(Person))
        if own_id is not None:
            stmt = stmt.where(Person.id != own_id)
        if s.scalar(stmt.limit(1)) is not None:
            raise WeibaoError(f"该儿童已登记{PERSON_RELATION.label_of(relation)}", "relation")

    def _add_category(self, s: Session, child: Child, category: str, start: dt.date, origin: str) -> CategoryMembership:
        clean = clean_values("category_membership", {"category": category, "start_on": start}, partial=False,
                             today=self.ctx.today())
        current = s.scalar(
            select(CategoryMembership).where(
                CategoryMembership.child_id == child.id,
                CategoryMembership.category == clean["category"],
                category_in_force(self.ctx.today()),
            )
        )
        if current is not None:
            raise WeibaoError(f"{child.name}已属于“{CATEGORY.label_of(clean['category'])}”", "category")
        return new_record(s, CategoryMembership, {**clean, "child_id": child.id}, self.ctx.actor, origin=origin)

    def _add_relief(self, s: Session, child: Child, values: dict, origin: str) -> Relief:
        clean = clean_values("relief", values, partial=False, today=self.ctx.today())
        return new_record(s, Relief, {**clean, "child_id": child.id}, self.ctx.actor, origin=origin)

    def _detail(self, s: Session, child: Child) -> ChildDetail:
        people = [p for _, p in s.execute(family_of([child.id]))]
        cats = s.scalars(
            select(CategoryMembership)
            .where(CategoryMembership.child_id == child.id, live(CategoryMembership))
            .order_by(CategoryMembership.start_on, CategoryMembership.id)
        ).all()
        reliefs = s.scalars(
            select(Relief).where(Relief.child_id == child.id, live(Relief)).order_by(Relief.id)
        ).all()
        problems: tuple[str, ...] = ()
        if child.id_number:
            try:
                problems = tuple(mismatches(validate_id_number(child.id_number), child.birth_date, child.sex))
            except WeibaoError as e:
                problems = (e.message,)
        actions = open_action_count(s, child.id)
        village = s.get(Village, child.village_id) if child.village_id else None
        return ChildDetail(
            id=child.id, uuid=child.uuid, rev=child.rev, origin=child.origin, station_id=child.station_id,
            village_id=child.village_id, village=village.name if village else None, name=child.name, sex=child.sex,
            ethnicity=child.ethnicity, birth_date=child.birth_date, id_number=child.id_number,
            hukou_registered=child.hukou_registered, hukou_address=child.hukou_address,
            residence_address=child.residence_address, health=child.health, disability_kind=child.disability_kind,
            disability_grade=child.disability_grade, illness=child.illness, schooling=child.schooling,
            school_name=child.school_name, boarding=child.boarding, income_sources=child.income_sources,
            contact_phone=child.contact_phone, paired_helper=child.paired_helper, risk_colour=child.risk_colour,
            colour_set_on=child.colour_set_on, red_deferral=child.red_deferral, status=child.status,
            closed_reason=child.closed_reason, closed_note=child.closed_note, closed_on=child.closed_on,
            opened_on=child.opened_on, last_visit_on=child.last_visit_on, next_visit_due=child.next_visit_due,
            notes=child.notes, created_at=child.created_at, updated_at=child.updated_at, updated_by=child.updated_by,
            id_problems=problems, people=tuple(_person_info(p) for p in people),
            categories=tuple(_category_info(c) for c in cats), reliefs=tuple(_relief_info(r) for r in reliefs),
            open_actions=actions,
            needs_action=child.status == "active" and red_without_action(child.risk_colour, actions, bool(child.red_deferral)),
            placement=child.placement, placed_on=child.placed_on, placement_place=child.placement_place,
            category_warnings=self._category_warnings(child, people, cats),
        )

    def _category_warnings(self, child: Child, people, cats) -> tuple[str, ...]:
        if child.status != "active":
            return ()
        today = self.ctx.today()
        current = frozenset(c.category for c in cats if in_force(c.start_on, c.end_on, today))
        status: dict[str, str | None] = {}
        for p in people:
            status.setdefault(p.relation, p.status)
        return tuple(category_warnings(current, child.birth_date, status.get("father"), status.get("mother"), today))


_ROW_COLUMNS = (
    Child.id, Child.uuid, Child.name, Child.sex, Child.birth_date, Child.id_number, Village.name,
    Child.risk_colour, Child.status, Child.last_visit_on, Child.next_visit_due, Child.contact_phone,
)
_IDENTITY = ("name", "birth_date", "sex", "id_number")
_CATEGORY_ORDER = {code: i for i, code in enumerate(CATEGORY.keys())}
_ENTITY_LABEL = {"child": "儿童档案", "person": "家庭成员", "category_membership": "儿童类别", "relief": "救助记录"}


def _owning_station(s: Session, home: Station, station_code: str | None) -> Station:
    """The station a new file belongs to: this one, or in a county store the township named."""
    if store_mode(s) != "county":
        return home
    if not station_code:
        raise WeibaoError("县级模式下新建档案须指定所属乡镇", "station")
    station = s.scalar(select(Station).where(or_(Station.code == station_code, Station.name == station_code)))
    if station is None or station.id == home.id:
        raise WeibaoError(f"找不到乡镇“{station_code}”（须先导入过该乡镇的数据包）", "station")
    return station


def _by_uuid(s: Session, model, uuid: str, what: str):
    rec = s.scalar(select(model).where(model.uuid == uuid, live(model)))
    if rec is None:
        raise WeibaoError(f"找不到该{what}记录", "uuid")
    if scope_ids(s) is not None:  # a record of a child outside the account's villages is refused like the file
        child_id = getattr(rec, "child_id", None)
        require_visible(s, s.get(Child, child_id) if child_id is not None else None)
    return rec


def _without_masked_id(values: dict) -> dict:
    """A form filled from a masked file sends the masked number back: that is no change, not a new number."""
    number = values.get("id_number")
    if isinstance(number, str) and "*" in number:
        return {k: v for k, v in values.items() if k != "id_number"}
    return values


def _chunks(items: list, n: int):
    for i in range(0, len(items), n):
        yield items[i:i + n]


def _person_info(p: Person) -> PersonInfo:
    return PersonInfo(p.uuid, p.relation, p.relation_detail, p.name, p.birth_date, p.id_number, p.phone, p.status,
                      p.work_place, p.address, bool(p.is_guardian))


def _category_info(m: CategoryMembership) -> CategoryInfo:
    return CategoryInfo(m.uuid, m.category, m.start_on, m.end_on)


def _relief_info(r: Relief) -> ReliefInfo:
    return ReliefInfo(r.uuid, r.kind, r.start_on, r.end_on, r.amount, r.note)


__all__ = ["ChildService", "DuplicateChild", "get_child", "clean_value", "spec_of", "SORTS", "category_codes",
           "has_open_action", "in_category", "open_action_count"]
