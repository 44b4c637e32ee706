"""The summary sheet (统计汇总表): counts per village (per township in a county store) and the 合计 row.

Every number is counted by one function, grouped by village or over the whole station; the 合计 row is
counted afresh rather than added up, so the sheet's cross-checks mean something."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from ...domain.errors import WeibaoError
from ...models.entities import CategoryMembership, Child, Station, Village, Visit
from ...sync.ledger_columns import (
    SUMMARY_CATEGORY_COLUMNS,
    SUMMARY_COLOUR_COLUMNS,
    SUMMARY_MODE_COLUMNS,
    SUMMARY_SEX_COLUMNS,
)
from ..base import store_mode
from ..queries import category_in_force, live, scope_ids, scoped

TOTAL_CHILDREN, VISITS, OTHER_MODE, OVERDUE, OPENED = 1, 21, 26, 27, 28
TOTAL = "total"


def counts(s: Session, key, active: list[ColumnElement[bool]], start: dt.date, end: dt.date,
           today: dt.date) -> dict[object, dict[int, int]]:
    """{group: {column number: count}}, grouped by `key` (a village or station id column), or with `key`
    None counted over everything, as the single group TOTAL."""
    out: dict[object, dict[int, int]] = defaultdict(dict)

    def add(group, number: int, n: int) -> None:
        out[group][number] = out[group].get(number, 0) + n

    keys = (key,) if key is not None else ()

    def grouped(stmt):
        for row in s.execute(stmt):
            yield (row[0], *row[1:]) if keys else (TOTAL, *row)

    def by(*columns, where=(), join=None):
        stmt = select(*keys, *columns, func.count(func.distinct(Child.id)) if join is not None else func.count())
        stmt = stmt.select_from(Child)
        if join is not None:
            stmt = stmt.join(*join)
        stmt = stmt.where(*active, *where)
        return grouped(stmt.group_by(*keys, *columns) if keys or columns else stmt)

    for group, n in by():
        add(group, TOTAL_CHILDREN, n)
    for group, sex, n in by(Child.sex):
        for number, sex_code in SUMMARY_SEX_COLUMNS.items():
            if sex == sex_code:
                add(group, number, n)
    for group, colour, n in by(Child.risk_colour):
        for number, colour_code in SUMMARY_COLOUR_COLUMNS.items():
            if colour == colour_code:
                add(group, number, n)
    for number, codes in SUMMARY_CATEGORY_COLUMNS.items():
        for group, n in by(join=(CategoryMembership, CategoryMembership.child_id == Child.id),
                           where=(CategoryMembership.category.in_(codes), category_in_force(end))):
            add(group, number, n)
    visits = (select(*keys, Visit.mode, func.count()).join(Child, Child.id == Visit.child_id)
              .where(*active, live(Visit), Visit.visited_on >= start, Visit.visited_on <= end)
              .group_by(*keys, Visit.mode))
    for group, mode, n in grouped(visits):
        add(group, VISITS, n)
        add(group, next((k for k, m in SUMMARY_MODE_COLUMNS.items() if m == mode), OTHER_MODE), n)
    for group, n in by(where=(Child.next_visit_due < today,)):
        add(group, OVERDUE, n)
    for group, n in by(where=(Child.opened_on >= start, Child.opened_on <= end)):
        add(group, OPENED, n)
    return out


def summary_rows(s: Session, station: Station, start: dt.date, end: dt.date, today: dt.date):
    """The village rows (township rows in a county store) and the 合计 row."""
    from ...sync.ledger_export import SummaryRow

    if start > end:
        raise WeibaoError("开始日期不能晚于结束日期", "date_from")
    active = [live(Child), Child.status == "active", *scoped(s)]
    if store_mode(s) == "station":
        active.append(Child.station_id == station.id)
        key = Child.village_id
        groups = list(s.execute(select(Village.id, Village.name).where(Village.station_id == station.id)
                                .order_by(Village.code)))
    else:  # a county office: one row per township
        key = Child.station_id
        groups = list(s.execute(select(Station.id, Station.name).where(Station.id != station.id)
                                .order_by(Station.code)))
    scope = scope_ids(s)
    if scope is not None:  # a 儿童主任's summary has rows for their own villages only
        groups = [g for g in groups if g[0] in scope[1]]
    grouped = counts(s, key, active, start, end, today)
    names = dict(groups)
    rows = [SummaryRow(names[gid], grouped.get(gid, {})) for gid, _ in groups]
    if grouped.get(None):
        rows.append(SummaryRow("未分村(社区)", grouped[None]))
    for gid, numbers in grouped.items():
        if gid is not None and gid not in names and numbers:
            rows.append(SummaryRow(f"其他工作站的村(社区)#{gid}", numbers))
    total = counts(s, None, active, start, end, today).get(TOTAL, {})
    zero = dict.fromkeys((TOTAL_CHILDREN, OVERDUE, OPENED, *SUMMARY_CATEGORY_COLUMNS), 0)
    return rows, SummaryRow("合计", {**zero, **total})
