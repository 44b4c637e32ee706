"""Visits coming back from the villages: a filled 走访任务表 or a hand-made 走访记录台账.

Each filled row is matched to a child of this station: by 档案编号 (the task list's own rows), else by id number,
else by name and birth date (rows the village added by hand). A row needs a date, a mode and at least one of the
情况 or 存在问题; the visitor defaults to the village's 儿童主任 on the roster. A visit already in the store (same
child, day and mode) is unchanged, so importing the same workbook again adds nothing. Rows the village left empty
are not visits and are counted, not refused. New visits are written by casework.write_visit, the one place a
visit is written."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...domain.codes import VISIT_MODE
from ...domain.fields import label_of
from ...domain.idnumber import mask_id_number
from ...domain.visits import OBSERVATIONS, visit_problems
from ...models.entities import Child, Station, Village, Visit
from ...models.station_work import StaffMember, StaffVillage
from ...sync.ledger_import import CellProblem, ParsedLedger, ParsedRow
from ..queries import live
from .results import FieldChange, ImportPreview, PreviewRow

VISIT_FIELDS = ("visited_on", "mode", "visitors", *OBSERVATIONS, "measures", "next_due_on")
_FILLED_BY_VILLAGE = ("visited_on", "mode", *OBSERVATIONS, "measures")


@dataclass
class VisitPlan:
    new: list[tuple[ParsedRow, Child, dict]] = field(default_factory=list)
    unchanged: list[tuple[ParsedRow, Child]] = field(default_factory=list)
    rejected: list[tuple[ParsedRow, list[CellProblem]]] = field(default_factory=list)
    not_filled: int = 0


def make_visit_plan(s: Session, station: Station, parsed: ParsedLedger) -> VisitPlan:
    plan = VisitPlan()
    directors = _directors(s, station.id)
    seen: dict[tuple, int] = {}
    for sheet in parsed.sheets:
        columns = sheet.column_map()
        for row in sheet.rows:
            values = row.values
            if not any(values.get(k) for k in _FILLED_BY_VILLAGE):
                plan.not_filled += 1  # a task the village has not done (yet): not a visit, not an error
                continue
            child = _child(s, station.id, row, columns)
            visit = {k: values[k] for k in VISIT_FIELDS if values.get(k) is not None}
            if child is not None and not visit.get("visitors"):
                names = directors.get(child.village_id or 0)
                if names:
                    visit["visitors"] = names
            refused = {p.header for p in row.problems}
            for field_name, message in _missing(visit):
                if field_name not in columns or columns[field_name].header not in refused:  # one reason per cell
                    row.problem(field_name, message, columns)
            problems = row.problems
            if child is not None and child.status != "active":
                row.problem(None, f"{child.name}的档案已销档，不能再登记走访", columns)
            if child is not None and not problems:
                key = (child.id, visit["visited_on"], visit["mode"])
                if key in seen:
                    row.problem(None, f"与第{seen[key]}行是同一次走访（同一儿童、同一天、同一方式）", columns)
                else:
                    seen[key] = row.row
            if problems or child is None:
                plan.rejected.append((row, list(problems)))
            elif _already_there(s, child.id, visit):
                plan.unchanged.append((row, child))
            else:
                plan.new.append((row, child, visit))
    return plan


def _missing(visit: dict) -> list[tuple[str, str]]:
    out = []
    if not visit.get("visited_on"):
        out.append(("visited_on", "请填写走访日期"))
    if not visit.get("visitors"):
        out.append(("visitors", "请填写走访人（本村在名册中没有儿童主任）"))
    return out + visit_problems(visit)


def _child(s: Session, station_id: int, row: ParsedRow, columns) -> Child | None:
    values = row.values
    uuid, number, name, birth = values.get("uuid"), values.get("id_number"), values.get("name"), values.get("birth_date")
    base = select(Child).where(Child.station_id == station_id, live(Child))
    if uuid:
        child = s.scalar(base.where(Child.uuid == uuid))
        if child is None:
            row.problem("uuid", "档案编号不是本工作站的儿童档案，请勿修改此列", columns)
            return None
        if name and name.replace(" ", "") != child.name.replace(" ", ""):
            row.problem("name", f"姓名与档案编号不符（档案中为“{child.name}”），请勿调换行或修改姓名", columns)
            return None
        return child
    if number:
        child = s.scalar(base.where(Child.id_number == number))
        if child is None:
            row.problem("id_number", f"本工作站没有身份证号为{mask_id_number(number)}的儿童档案", columns)
        return child
    if not name or not birth:
        row.problem("name", "名单外的儿童请写明姓名和出生日期（或身份证号），以便找到档案", columns)
        return None
    found = list(s.scalars(base.where(Child.name == name, Child.birth_date == birth).limit(3)))
    if len(found) == 1:
        return found[0]
    if not found:
        row.problem("name", f"找不到{name}（出生日期{birth:%Y-%m-%d}）的档案，请先建档", columns)
    else:
        row.problem("name", f"同名同出生日期的儿童有{len(found)}名，请填写身份证号", columns)
    return None


def _already_there(s: Session, child_id: int, visit: dict) -> bool:
    return s.scalar(select(Visit.id).where(Visit.child_id == child_id, Visit.visited_on == visit["visited_on"],
                                           Visit.mode == visit["mode"], live(Visit)).limit(1)) is not None


def _directors(s: Session, station_id: int) -> dict[int, str]:
    """Village id → its serving 儿童主任 (names joined), the default visitor of its rows."""
    out: dict[int, list[str]] = {}
    for village_id, name in s.execute(
            select(StaffVillage.village_id, StaffMember.name).join(StaffMember, StaffMember.id == StaffVillage.staff_id)
            .join(Village, Village.id == StaffVillage.village_id)
            .where(Village.station_id == station_id, StaffMember.role == "director", live(StaffMember),
                   StaffMember.left_on.is_(None)).order_by(StaffMember.name)):
        out.setdefault(village_id, []).append(name)
    return {k: "、".join(v) for k, v in out.items()}


def _shown(key: str, value) -> str:
    if key == "mode":
        return VISIT_MODE.label_of(value)
    if isinstance(value, dt.date):
        return f"{value:%Y-%m-%d}"
    return str(value)


def build_visit_preview(parsed: ParsedLedger, plan: VisitPlan, previously: str | None,
                        villages: dict[int, str]) -> ImportPreview:
    def head(row: ParsedRow, child: Child, changes=()) -> PreviewRow:
        return PreviewRow(row.sheet, row.row, child.name, mask_id_number(child.id_number),
                          villages.get(child.village_id or 0), tuple(changes))

    new = tuple(head(r, c, (FieldChange(label_of("visit", k), "", _shown(k, v)) for k, v in visit.items()))
                for r, c, visit in plan.new)
    unchanged = tuple(head(r, c) for r, c in plan.unchanged)
    rejected: list[CellProblem] = []
    for row, problems in plan.rejected:
        rejected.extend(replace(p, name=row.values.get("name") or "") for p in problems)
    unknown = tuple((sh.name, letter, header) for sh in parsed.sheets for letter, header in sh.unknown)
    notes = list(parsed.notes)
    if plan.not_filled:
        notes.append(f"{plan.not_filled}行没有填写走访情况（尚未走访），不导入。")
    if parsed.ignored_sheets:
        notes.append(f"以下工作表不是走访任务表或走访记录台账，未读取：{'、'.join(parsed.ignored_sheets)}。")
    rejected_rows = tuple((row.sheet, row.row, list(row.raw), [(p.column, p.reason) for p in problems])
                          for row, problems in plan.rejected)
    headers = {sh.name: list(sh.headers) for sh in parsed.sheets}
    return ImportPreview(
        parsed.file_name, parsed.sha256, parsed.format, tuple(sh.name for sh in parsed.sheets), new, (), unchanged,
        tuple(rejected), len(plan.rejected), unknown, tuple(notes), (), sum(sh.skipped for sh in parsed.sheets),
        previously, rejected_rows, tuple(headers.items()), kind="visits",
    )


class VisitImport:
    """A visits workbook's plan, previewed and written (see the module's docstring)."""

    def __init__(self, s: Session, station: Station, parsed: ParsedLedger, today: dt.date):
        self.s, self.station, self.parsed = s, station, parsed
        self.plan = make_visit_plan(s, station, parsed)

    def preview(self, previously: str | None) -> ImportPreview:
        villages = {v.id: v.name for v in self.s.scalars(select(Village).where(Village.station_id == self.station.id))}
        return build_visit_preview(self.parsed, self.plan, previously, villages)

    def write(self, actor) -> None:
        from ..casework import write_visit

        for _row, child, visit in self.plan.new:
            write_visit(self.s, self.station.code, child, visit, actor)


__all__ = ["VisitImport", "VisitPlan", "make_visit_plan", "build_visit_preview"]
