"""Excel 台账: export each ledger, preview and apply an import of a children ledger, write an error report.

One method per user action. Exports read in one session and write the file atomically; every export
is recorded in the print log (who saved which ledger, where). An import is previewed first (nothing
changes), then applied in ONE transaction: new files, changed fields (with change history and rev
through `apply_changes`), an import-log row with the file's name, hash, actor and counts. Rows that
cannot be imported are rejected with sheet, row, column and a Chinese reason; importing the same file
again changes nothing.
"""
from __future__ import annotations

import datetime as dt
import functools
import gc
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ..domain import codes as C
from ..domain.cadence import days_overdue, next_visit_due
from ..domain.errors import WeibaoError
from ..domain.fields import BY_ENTITY, display, label_of, to_text
from ..domain.idnumber import mask_id_number
from ..models.bulk import insert_rows, new_uuids, next_ids
from ..models.entities import (
    Assessment,
    CategoryMembership,
    Child,
    HelpMeasure,
    HotlineCall,
    ImportLog,
    Person,
    Referral,
    Relief,
    ReportClue,
    Station,
    Village,
    Visit,
    new_uuid,
    utcnow,
)
from .base import Context, apply_changes, change_seq, home_station, new_record, store_mode
from .children import ChildService, active_category_condition, category_codes
from .dto import ChildQuery
from .stations import station_cadence

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]

KIND_NAMES = {
    "children": "儿童信息台账", "visits": "走访记录台账", "risk": "风险等级台账", "help": "帮扶与转介台账",
    "reports": "强制报告线索台账", "hotline": "热线记录台账", "summary": "统计汇总表",
}
CHILD_FIELDS = [s.name for s in BY_ENTITY["child"] if s.name != "village_id"]
PERSON_FIELDS = ("name", "id_number", "phone", "status", "work_place", "relation_detail", "address")
RELATIONS = {"father": "父亲", "mother": "母亲", "entrusted": "委托监护人"}
_CHUNK = 500
_PERSON_KEYS = {r: [f"{r}.{f}" for f in PERSON_FIELDS] for r in RELATIONS}
MAX_LISTED = 2000  # rejected rows and changes kept in the import log's detail


# ---- results ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ExportResult:
    path: Path
    kind: str
    title: str
    rows: int


@dataclass(frozen=True)
class FieldChange:
    field: str  # the label the user reads: 联系电话, 父亲·联系电话, 儿童类别
    old: str
    new: str


@dataclass(frozen=True)
class PreviewRow:
    sheet: str
    row: int
    name: str
    id_masked: str
    village: str | None = None
    changes: tuple[FieldChange, ...] = ()  # for a changed file; for a new one, what it will hold


@dataclass(frozen=True)
class RejectedCell:
    sheet: str
    row: int
    column: str  # letter, "" for the whole row
    header: str
    reason: str
    name: str = ""

    def location(self) -> str:
        where = f"{self.column}列（{self.header}）" if self.column else ""
        return f"工作表“{self.sheet}”第{self.row}行{where}"


@dataclass(frozen=True)
class ImportPreview:
    file_name: str
    sha256: str
    format: str
    sheets: tuple[str, ...]
    new: tuple[PreviewRow, ...]
    changed: tuple[PreviewRow, ...]
    unchanged: tuple[PreviewRow, ...]
    rejected: tuple[RejectedCell, ...]  # one entry per problem; a row may have several
    rejected_rows: int
    unknown_columns: tuple[tuple[str, str, str], ...]  # (sheet, letter, header)
    notes: tuple[str, ...]  # how the file was read (trimmed rows, skipped sheets, single-category title …)
    warnings: tuple[str, ...]  # what will need attention after the import (red without action …)
    skipped_rows: int  # 合计, 栏次, sign-off rows
    previously: str | None = None  # "2024-06-14 10:02 由 张三 导入过" when the same file was applied before
    _rows: tuple = field(default=(), repr=False, compare=False)  # rejected rows' cells, for the error report
    _headers: tuple = field(default=(), repr=False, compare=False)

    @property
    def counts(self) -> dict[str, int]:
        return {"new": len(self.new), "changed": len(self.changed), "unchanged": len(self.unchanged),
                "rejected": self.rejected_rows}

    def summary(self) -> str:
        c = self.counts
        return (f"新增 {c['new']} 份档案，修改 {c['changed']} 份，无变化 {c['unchanged']} 份，"
                f"未导入 {c['rejected']} 行")


@dataclass(frozen=True)
class ImportResult:
    preview: ImportPreview
    log_id: int
    applied: bool


# ---- the plan of an import (internal) ---------------------------------------------------------------

@dataclass
class _Plan:
    new: list = field(default_factory=list)  # (ParsedRow, values, village_id)
    changed: list = field(default_factory=list)  # (ParsedRow, child_id, values, village_id, changes)
    unchanged: list = field(default_factory=list)
    rejected: list = field(default_factory=list)  # (ParsedRow, [CellProblem])
    warnings: list = field(default_factory=list)


def _no_cycle_collection(method):
    """Run an import with Python's cycle collector paused.

    Reading a ledger makes about a million small objects (cells, rows, values) that live until the import
    ends and hold no reference cycles; the collector's full passes over them, several per import, would
    only cost time. What is freed is freed as usual; the collector resumes (and catches up) afterwards."""
    @functools.wraps(method)
    def run(*args, **kwargs):
        paused = gc.isenabled()
        gc.disable()
        try:
            return method(*args, **kwargs)
        finally:
            if paused:
                gc.enable()

    return run


class LedgerService:
    def __init__(self, ctx: Context):
        self.ctx = ctx

    # ---- export ---------------------------------------------------------------------------------

    def export(self, kind: str, path: str | Path, *, category: str | None = None, village: str | None = None,
               date_from: dt.date | None = None, date_to: dt.date | None = None, query: ChildQuery | None = None,
               progress: Progress | None = None, cancelled: Cancelled | None = None) -> ExportResult:
        """Write one ledger to `path` (.xlsx). Filters: category and village (children, risk, visits, help),
        a period (visits, help, reports, hotline, summary); `query` exports the children list's current filter."""
        from ..sync import ledger_columns as L
        from ..sync.ledger_export import Cancelled as ExportCancelled
        from ..sync.ledger_export import SheetHeading, write_ledger, write_summary

        if kind not in KIND_NAMES:
            raise WeibaoError(f"未知的台账类型“{kind}”，可选：{'、'.join(KIND_NAMES)}", "kind")
        path = Path(path)
        if path.suffix.lower() != ".xlsx":
            raise WeibaoError("台账请保存为 .xlsx 文件", "output")
        if date_from and date_to and date_from > date_to:
            raise WeibaoError("开始日期不能晚于结束日期", "date_from")
        today = self.ctx.today()
        with self.ctx.read() as s:
            station = home_station(s)
            village_id = self._village_id(s, station.id, village) if village else None
            if category:
                category_codes(category)
            if query is None:
                query = ChildQuery(category=category, village_id=village_id, sort="village")
            title, filters = self._title(station.name, kind, query, village, date_from, date_to, s)
            heading = SheetHeading(title, f"{station.name}未成年人保护工作站", today, self.ctx.actor.name,
                                   filters or None)
            if kind == "summary":
                rows, total = self._summary_rows(s, station, date_from or today.replace(day=1), date_to or today)
                try:
                    n = write_summary(path, heading, rows, total,
                                      unit_label="乡镇(街道)" if store_mode(s) == "county" else "村(社区)")
                except OSError as e:
                    raise _write_error(path, e) from None
            else:
                ledger = L.LEDGERS[kind]
                rows_iter, count = self._rows(s, kind, station, query, date_from, date_to)
                villages = tuple(v.name for v in s.scalars(
                    select(Village).where(Village.station_id == station.id).order_by(Village.code)))
                try:
                    n = write_ledger(path, ledger, heading, rows_iter, count, choices={"village": villages},
                                     notes=_notes(kind), progress=progress, cancelled=cancelled)
                except OSError as e:
                    raise _write_error(path, e) from None
                except ExportCancelled:
                    raise WeibaoError("已取消导出，没有写入文件", "cancelled") from None
        self._record_export(kind, title, n, path)
        return ExportResult(path, kind, title, n)

    def _record_export(self, kind: str, title: str, rows: int, path: Path) -> None:
        """Who saved which ledger where (DOMAIN.md, Privacy): a line in the store's print log."""
        from ..models.printlog import PrintLog

        with self.ctx.tx() as s:
            s.add(PrintLog(actor=self.ctx.actor.name, form=f"ledger_{kind}", title=title[:200], subjects=[],
                           subject_count=rows, pages=0, full_id=kind in ("children", "visits", "risk", "help", "reports"),
                           target=str(path)[:300]))

    def _village_id(self, s: Session, station_id: int, name: str) -> int:
        v = s.scalar(select(Village).where(Village.station_id == station_id, Village.name == name.strip()))
        if v is None:
            names = "、".join(s.scalars(select(Village.name).where(Village.station_id == station_id)))
            raise WeibaoError(f"本工作站没有村(社区)“{name}”（现有：{names or '无'}）", "village")
        return v.id

    def _title(self, station: str, kind: str, q: ChildQuery, village: str | None, date_from, date_to, s) -> tuple[str, str]:
        name = KIND_NAMES[kind]
        if kind in ("children", "risk") and q.category:
            label = q.category if q.category in C.CATEGORY_GROUPS else C.CATEGORY.label_of(category_codes(q.category)[0])
            name = f"{label}{'信息台账' if kind == 'children' else '风险等级台账'}"
        place = village or (self._village_name(s, q.village_id) if q.village_id else None)
        title = f"{station}{place or ''}{name}"
        parts = []
        if kind in ("visits", "help", "reports", "hotline", "summary") and (date_from or date_to or kind == "summary"):
            today = self.ctx.today()
            start = date_from or (today.replace(day=1) if kind == "summary" else None)
            end = date_to or today
            parts.append(f"统计期间：{start:%Y-%m-%d} 至 {end:%Y-%m-%d}" if start else f"截至 {end:%Y-%m-%d}")
        if kind in ("children", "risk"):
            if q.colour:
                parts.append(f"风险等级：{'未评估' if q.colour == 'none' else C.RISK_COLOUR.label_of(q.colour)}")
            if q.text:
                parts.append(f"查找：{q.text}")
            if q.overdue:
                parts.append("仅逾期未走访")
            parts.append({"active": "在册儿童", "closed": "已销档儿童", None: "含已销档"}.get(q.status, ""))
        return title, "　".join(p for p in parts if p)

    @staticmethod
    def _village_name(s: Session, village_id: int) -> str | None:
        v = s.get(Village, village_id)
        return v.name if v else None

    def _rows(self, s: Session, kind: str, station, q: ChildQuery, date_from, date_to) -> tuple[Iterable[dict], int]:
        if kind in ("children", "risk"):
            return self._child_rows(s, kind, q)
        if kind == "visits":
            return self._visit_rows(s, station, q, date_from, date_to)
        if kind == "help":
            return self._help_rows(s, station, q, date_from, date_to)
        if kind == "reports":
            return self._clue_rows(s, date_from, date_to)
        return self._call_rows(s, date_from, date_to)

    def _child_ids(self, s: Session, q: ChildQuery) -> list[int]:
        stmt = ChildService(self.ctx)._filtered(s, q, select(Child.id))
        return list(s.scalars(stmt))

    def _child_rows(self, s: Session, kind: str, q: ChildQuery) -> tuple[Iterable[dict], int]:
        ids = self._child_ids(s, q)
        today = self.ctx.today()
        cols = [Child.id, Child.uuid, Village.name.label("village"), *(getattr(Child, f) for f in CHILD_FIELDS),
                Child.risk_colour, Child.colour_set_on, Child.opened_on, Child.last_visit_on, Child.next_visit_due,
                Child.status]
        people: dict[int, dict] = {}
        cats: dict[int, list[str]] = {}
        reliefs: dict[int, list[str]] = {}
        latest: dict[int, tuple] = {}
        actions: dict[int, int] = {}
        records: dict[int, dict] = {}
        for chunk in _chunks(ids, _CHUNK):
            for r in s.execute(select(*cols).outerjoin(Village, Village.id == Child.village_id).where(Child.id.in_(chunk))):
                records[r.id] = r._asdict()
            if kind == "children":
                person_cols = [getattr(Person, f) for f in PERSON_FIELDS]
                for cid, relation, *fields in s.execute(
                        select(Person.child_id, Person.relation, *person_cols)
                        .where(Person.child_id.in_(chunk), Person.deleted_at.is_(None)).order_by(Person.id)):
                    slot = people.setdefault(cid, {})
                    if relation in RELATIONS and relation not in slot:
                        slot[relation] = fields
                for cid, kind_ in s.execute(select(Relief.child_id, Relief.kind).where(
                        Relief.child_id.in_(chunk), Relief.deleted_at.is_(None),
                        or_(Relief.end_on.is_(None), Relief.end_on > today))):
                    reliefs.setdefault(cid, []).append(kind_)
            for cid, code in s.execute(select(CategoryMembership.child_id, CategoryMembership.category).where(
                    CategoryMembership.child_id.in_(chunk), CategoryMembership.deleted_at.is_(None),
                    or_(CategoryMembership.end_on.is_(None), CategoryMembership.end_on > today))):
                cats.setdefault(cid, []).append(code)
            if kind == "risk":
                for a in s.execute(select(Assessment.child_id, Assessment.assessed_on, Assessment.assessor,
                                          Assessment.reason).where(Assessment.child_id.in_(chunk), Assessment.kind == "risk",
                                                                   Assessment.deleted_at.is_(None))
                                   .order_by(Assessment.assessed_on, Assessment.id)):
                    latest[a.child_id] = (a.assessed_on, a.assessor, a.reason)
                for cid, n in s.execute(select(HelpMeasure.child_id, func.count()).where(
                        HelpMeasure.child_id.in_(chunk), HelpMeasure.state == "open", HelpMeasure.deleted_at.is_(None))
                        .group_by(HelpMeasure.child_id)):
                    actions[cid] = actions.get(cid, 0) + n
                for cid, n in s.execute(select(Referral.child_id, func.count()).where(
                        Referral.child_id.in_(chunk), Referral.state.in_(C.REFERRAL_OPEN_STATES),
                        Referral.deleted_at.is_(None)).group_by(Referral.child_id)):
                    actions[cid] = actions.get(cid, 0) + n
        order = {code: i for i, code in enumerate(C.CATEGORY.keys())}
        relief_order = {code: i for i, code in enumerate(C.RELIEF.keys())}

        def rows():
            for cid in ids:
                row = records.get(cid)
                if row is None:
                    continue
                row["categories"] = C.join_codes(sorted(set(cats.get(cid, ())), key=order.__getitem__))
                if kind == "children":
                    row["reliefs"] = C.join_codes(sorted(set(reliefs.get(cid, ())), key=relief_order.__getitem__))
                    for relation, fields in people.get(cid, {}).items():
                        row.update(zip(_PERSON_KEYS[relation], fields, strict=False))
                else:
                    if cid in latest:
                        row["assessor"], row["reason"] = latest[cid][1], latest[cid][2]
                    row["open_actions"] = actions.get(cid, 0)
                    row["days_overdue"] = days_overdue(row["next_visit_due"], today) if row["status"] == "active" else 0
                yield row

        return rows(), len(ids)

    def _visit_rows(self, s: Session, station, q: ChildQuery, date_from, date_to):
        stmt = (
            select(Visit, Child.name, Child.id_number, Child.risk_colour, Village.name.label("village"))
            .join(Child, Child.id == Visit.child_id).outerjoin(Village, Village.id == Child.village_id)
            .where(Visit.deleted_at.is_(None), Child.deleted_at.is_(None))
        )
        stmt = self._scope(s, stmt, station, q)
        if date_from:
            stmt = stmt.where(Visit.visited_on >= date_from)
        if date_to:
            stmt = stmt.where(Visit.visited_on <= date_to)
        count = s.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
        stmt = stmt.order_by(Visit.visited_on, Village.name, Child.name, Visit.id).execution_options(yield_per=2000)

        def rows():
            for v, name, number, colour, village in s.execute(stmt):
                yield {
                    "name": name, "id_number": number, "village": village, "risk_colour": colour, "uuid": v.uuid,
                    **{f: getattr(v, f) for f in ("visited_on", "mode", "visitors", "living", "study", "health", "safety",
                                                   "psychology", "guardianship", "problems", "measures", "next_due_on")},
                }

        return rows(), count

    def _scope(self, s: Session, stmt, station, q: ChildQuery):
        if store_mode(s) == "station":
            stmt = stmt.where(Child.station_id == station.id)
        if q.village_id is not None:
            stmt = stmt.where(Child.village_id == q.village_id)
        if q.category:
            stmt = stmt.where(active_category_condition(category_codes(q.category), self.ctx.today()))
        return stmt

    def _help_rows(self, s: Session, station, q: ChildQuery, date_from, date_to):
        base = [Child.name, Child.id_number, Child.risk_colour, Village.name.label("village")]
        helps = (select(HelpMeasure, *base).join(Child, Child.id == HelpMeasure.child_id)
                 .outerjoin(Village, Village.id == Child.village_id)
                 .where(HelpMeasure.deleted_at.is_(None), Child.deleted_at.is_(None)))
        refs = (select(Referral, *base).join(Child, Child.id == Referral.child_id)
                .outerjoin(Village, Village.id == Child.village_id)
                .where(Referral.deleted_at.is_(None), Child.deleted_at.is_(None)))
        helps, refs = self._scope(s, helps, station, q), self._scope(s, refs, station, q)
        if date_from:
            helps = helps.where(HelpMeasure.started_on >= date_from)
            refs = refs.where(Referral.referred_on >= date_from)
        if date_to:
            helps = helps.where(HelpMeasure.started_on <= date_to)
            refs = refs.where(Referral.referred_on <= date_to)
        out = []
        for h, name, number, colour, village in s.execute(helps):
            out.append({"type": "帮扶措施", "name": name, "id_number": number, "risk_colour": colour, "village": village,
                        "what": C.HELP_KIND.label_of(h.kind), "target_name": None, "started_on": h.started_on,
                        "responsible": h.responsible, "description": h.description,
                        "state": C.HELP_STATE.label_of(h.state), "ended_on": h.ended_on, "result": h.result, "uuid": h.uuid})
        for r, name, number, colour, village in s.execute(refs):
            out.append({"type": "转介", "name": name, "id_number": number, "risk_colour": colour, "village": village,
                        "what": C.REFERRAL_TARGET.label_of(r.target), "target_name": r.target_name,
                        "started_on": r.referred_on, "responsible": r.handled_by, "description": r.reason,
                        "state": C.REFERRAL_STATE.label_of(r.state), "ended_on": r.state_on, "result": r.feedback,
                        "uuid": r.uuid})
        out.sort(key=lambda d: (d["village"] or "", d["name"], d["started_on"]))
        return out, len(out)

    def _clue_rows(self, s: Session, date_from, date_to):
        stmt = (select(ReportClue, Child.id_number).outerjoin(Child, Child.id == ReportClue.child_id)
                .where(ReportClue.deleted_at.is_(None)))
        stmt = _in_period(stmt, ReportClue.received_at, date_from, date_to)
        out = []
        for c, number in s.execute(stmt.order_by(ReportClue.received_at, ReportClue.id)):
            row = {f.name: getattr(c, f.name) for f in BY_ENTITY["report_clue"]}
            row.update(child_id_number=number, state=c.state, uuid=c.uuid)
            out.append(row)
        return out, len(out)

    def _call_rows(self, s: Session, date_from, date_to):
        stmt = (select(HotlineCall, Child.name).outerjoin(Child, Child.id == HotlineCall.child_id)
                .where(HotlineCall.deleted_at.is_(None)))
        stmt = _in_period(stmt, HotlineCall.call_at, date_from, date_to)
        out = []
        for c, child_name in s.execute(stmt.order_by(HotlineCall.call_at, HotlineCall.id)):
            row = {f.name: getattr(c, f.name) for f in BY_ENTITY["hotline_call"]}
            row.update(child_name=child_name, to_clue="是" if c.clue_id else "否", uuid=c.uuid)
            out.append(row)
        return out, len(out)

    # ---- the summary sheet ------------------------------------------------------------------------

    def summary(self, date_from: dt.date | None = None, date_to: dt.date | None = None):
        """The summary sheet's rows (village rows and the 合计 row), without writing anything."""
        today = self.ctx.today()
        with self.ctx.read() as s:
            station = home_station(s)
            return self._summary_rows(s, station, date_from or today.replace(day=1), date_to or today)

    def _summary_rows(self, s: Session, station, start: dt.date, end: dt.date):
        from ..sync import ledger_columns as L
        from ..sync.ledger_export import SummaryRow

        today = self.ctx.today()
        if start > end:
            raise WeibaoError("开始日期不能晚于结束日期", "date_from")
        active = [Child.deleted_at.is_(None), Child.status == "active"]
        if store_mode(s) == "station":
            active.append(Child.station_id == station.id)
            key = Child.village_id
            villages = list(s.execute(select(Village.id, Village.name).where(Village.station_id == station.id)
                                      .order_by(Village.code)))
        else:  # a county office: one row per township
            key = Child.station_id
            villages = list(s.execute(select(Station.id, Station.name).where(Station.id != station.id)
                                      .order_by(Station.code)))
        counts: dict[int | None, dict[int, int]] = {vid: {} for vid, _ in villages}

        def add(vid, number, n):
            counts.setdefault(vid, {})
            counts[vid][number] = counts[vid].get(number, 0) + n

        total_stmt = select(key, func.count()).where(*active).group_by(key)
        for vid, n in s.execute(total_stmt):
            add(vid, 1, n)
        for vid, sex, n in s.execute(select(key, Child.sex, func.count()).where(*active)
                                     .group_by(key, Child.sex)):
            for number, code in L.SUMMARY_SEX_COLUMNS.items():
                if sex == code:
                    add(vid, number, n)
        for vid, colour, n in s.execute(select(key, Child.risk_colour, func.count()).where(*active)
                                        .group_by(key, Child.risk_colour)):
            for number, code in L.SUMMARY_COLOUR_COLUMNS.items():
                if colour == code:
                    add(vid, number, n)
        for number, codes in L.SUMMARY_CATEGORY_COLUMNS.items():
            stmt = (select(key, func.count(func.distinct(Child.id)))
                    .join(CategoryMembership, CategoryMembership.child_id == Child.id)
                    .where(*active, CategoryMembership.deleted_at.is_(None), CategoryMembership.category.in_(codes),
                           CategoryMembership.start_on <= end,
                           or_(CategoryMembership.end_on.is_(None), CategoryMembership.end_on > end))
                    .group_by(key))
            for vid, n in s.execute(stmt):
                add(vid, number, n)
        visits = (select(key, Visit.mode, func.count()).join(Child, Child.id == Visit.child_id)
                  .where(*active, Visit.deleted_at.is_(None), Visit.visited_on >= start, Visit.visited_on <= end)
                  .group_by(key, Visit.mode))
        for vid, mode, n in s.execute(visits):
            add(vid, 21, n)
            number = next((k for k, m in L.SUMMARY_MODE_COLUMNS.items() if m == mode), 26)
            add(vid, number, n)
        for vid, n in s.execute(select(key, func.count()).where(*active, Child.next_visit_due < today)
                                .group_by(key)):
            add(vid, 27, n)
        for vid, n in s.execute(select(key, func.count()).where(
                *active, Child.opened_on >= start, Child.opened_on <= end).group_by(key)):
            add(vid, 28, n)
        names = dict(villages)
        rows = [SummaryRow(names[vid], counts.get(vid, {})) for vid, _ in villages]
        if counts.get(None):
            rows.append(SummaryRow("未分村(社区)", counts[None]))
        for vid in counts:
            if vid is not None and vid not in names and counts[vid]:
                rows.append(SummaryRow(f"其他工作站的村(社区)#{vid}", counts[vid]))
        total_counts: dict[int, int] = {}
        # The 合计 row is counted afresh over the whole station, not added up, so the cross-check means something.
        for number, n in self._station_totals(s, active, start, end, today).items():
            total_counts[number] = n
        return rows, SummaryRow("合计", total_counts)

    def _station_totals(self, s: Session, active, start, end, today) -> dict[int, int]:
        from ..sync import ledger_columns as L

        out: dict[int, int] = {1: s.scalar(select(func.count()).select_from(Child).where(*active))}
        for sex, n in s.execute(select(Child.sex, func.count()).where(*active).group_by(Child.sex)):
            for number, code in L.SUMMARY_SEX_COLUMNS.items():
                if sex == code:
                    out[number] = n
        for colour, n in s.execute(select(Child.risk_colour, func.count()).where(*active).group_by(Child.risk_colour)):
            for number, code in L.SUMMARY_COLOUR_COLUMNS.items():
                if colour == code:
                    out[number] = n
        for number, codes in L.SUMMARY_CATEGORY_COLUMNS.items():
            out[number] = s.scalar(
                select(func.count(func.distinct(Child.id))).join(CategoryMembership, CategoryMembership.child_id == Child.id)
                .where(*active, CategoryMembership.deleted_at.is_(None), CategoryMembership.category.in_(codes),
                       CategoryMembership.start_on <= end,
                       or_(CategoryMembership.end_on.is_(None), CategoryMembership.end_on > end)))
        for mode, n in s.execute(select(Visit.mode, func.count()).join(Child, Child.id == Visit.child_id).where(
                *active, Visit.deleted_at.is_(None), Visit.visited_on >= start, Visit.visited_on <= end)
                .group_by(Visit.mode)):
            out[21] = out.get(21, 0) + n
            number = next((k for k, m in L.SUMMARY_MODE_COLUMNS.items() if m == mode), 26)
            out[number] = out.get(number, 0) + n
        out[27] = s.scalar(select(func.count()).select_from(Child).where(*active, Child.next_visit_due < today))
        out[28] = s.scalar(select(func.count()).select_from(Child).where(*active, Child.opened_on >= start,
                                                                            Child.opened_on <= end))
        return out

    # ---- import -----------------------------------------------------------------------------------

    @_no_cycle_collection
    def preview(self, path: str | Path, progress: Progress | None = None,
                cancelled: Cancelled | None = None, encoding: str | None = None) -> ImportPreview:
        """What importing the file would do. Changes nothing. Raises WeibaoError when the file cannot be read.

        `encoding` is the user's answer when a text file's encoding could not be told (EncodingUnknown)."""
        parsed = self._parse(path, progress, encoding)
        with self.ctx.read() as s:
            station = home_station(s)
            plan = self._plan(s, station, parsed, cancelled)
            previously = self._previously(s, parsed.sha256)
        return self._preview(parsed, plan, previously)

    @_no_cycle_collection
    def apply(self, path: str | Path, *, expected_sha256: str | None = None, progress: Progress | None = None,
              cancelled: Cancelled | None = None, encoding: str | None = None) -> ImportResult:
        """Import every accepted row in one transaction, or nothing. Rejected rows are left out (and listed).

        `expected_sha256` (from the preview the user confirmed) refuses a file that changed since."""
        parsed = self._parse(path, progress, encoding)
        if expected_sha256 and parsed.sha256 != expected_sha256:
            raise WeibaoError("文件在预览之后被修改过，请重新预览后再导入", "file")
        with self.ctx.tx() as s:
            station = home_station(s)
            plan = self._plan(s, station, parsed, cancelled)
            previously = self._previously(s, parsed.sha256)
            preview = self._preview(parsed, plan, previously)
            if cancelled is not None and cancelled():
                raise WeibaoError("已取消导入，数据没有被修改", "cancelled")
            log = ImportLog(kind="ledger", file_name=parsed.file_name[:260], file_hash=parsed.sha256,
                            actor=self.ctx.actor.name, started_at=utcnow(), counts=preview.counts,
                            detail=_log_detail(preview))
            s.add(log)
            s.flush()
            self._write(s, station, plan, parsed.file_name, log.id, progress)
            return ImportResult(preview, log.id, True)

    def imports(self, limit: int = 20) -> list[tuple[dt.datetime, str, str, dict]]:
        """Recent ledger imports: (when, file name, who, counts), newest first."""
        with self.ctx.read() as s:
            rows = s.scalars(select(ImportLog).where(ImportLog.kind == "ledger")
                             .order_by(ImportLog.started_at.desc(), ImportLog.id.desc()).limit(limit))
            return [(r.started_at, r.file_name, r.actor, dict(r.counts or {})) for r in rows]

    def write_error_report(self, preview: ImportPreview, path: str | Path) -> Path:
        """The rejected rows as the file had them, the reason beside each, the bad cells highlighted.

        The sender fixes the rows in this workbook and sends it again: it imports like any ledger."""
        from ..sync.error_report import write_error_report

        try:
            return write_error_report(preview, path)
        except OSError as e:
            raise _write_error(Path(path), e) from None

    # ---- import internals -------------------------------------------------------------------------

    def _parse(self, path, progress, encoding=None):
        from ..sync.ledger_import import parse_children
        from ..sync.safe_read import read_workbook

        if progress:
            progress(0, 0)
        book = read_workbook(path, encoding)
        return parse_children(book, self.ctx.today())

    @staticmethod
    def _previously(s: Session, sha256: str) -> str | None:
        log = s.scalar(select(ImportLog).where(ImportLog.file_hash == sha256, ImportLog.kind == "ledger")
                       .order_by(ImportLog.id.desc()).limit(1))
        if log is None:
            return None
        return f"{log.started_at:%Y-%m-%d %H:%M}（UTC）由{log.actor}导入过"

    def _plan(self, s: Session, station, parsed, cancelled) -> _Plan:
        from ..sync.ledger_import import CellProblem

        plan = _Plan()
        villages = {_fold(v.name): v.id for v in s.scalars(select(Village).where(Village.station_id == station.id))}
        village_of: dict[str, int | None] = {}  # the village cell as written -> its id
        rows = [r for sheet in parsed.sheets for r in sheet.rows]
        columns = {sheet.name: sheet.column_map() for sheet in parsed.sheets}
        by_uuid, by_number, by_name = self._existing(s, rows)
        seen_numbers: dict[str, tuple[str, int]] = {}
        seen_uuids: dict[str, tuple[str, int]] = {}
        matched: dict[int, tuple[str, int]] = {}
        existing_ids = {c.id for c in (*by_uuid.values(), *by_number.values(), *by_name.values())}
        state = self._state(s, existing_ids)
        cadence = station_cadence(station)
        for i, row in enumerate(rows):
            if cancelled is not None and i % 1000 == 0 and cancelled():
                raise WeibaoError("已取消", "cancelled")
            cols = columns[row.sheet]
            values = dict(row.values)
            problems = list(row.problems)

            def problem(key, reason, cols=cols, problems=problems, row=row):
                col = cols.get(key)
                problems.append(CellProblem(row.sheet, row.row, col.letter if col else "", col.header if col else "", reason))

            village_id = None
            if "village" in values:
                written = values["village"]
                if written not in village_of:
                    village_of[written] = villages.get(_fold(written))
                village_id = village_of[written]
                if village_id is None:
                    problem("village", f"村(社区)“{values['village']}”不在本工作站的村(社区)名单中，"
                                       "请改正村名，或先在“设置”中添加该村(社区)")
            number = values.get("id_number")
            uid = values.get("uuid")
            for key, table, what in ((number, seen_numbers, "身份证号"), (uid, seen_uuids, "档案编号")):
                if key and key in table:
                    first = table[key]
                    problem("id_number" if what == "身份证号" else "uuid",
                            f"与{'' if first[0] == row.sheet else f'工作表“{first[0]}”'}第{first[1]}行的{what}重复")
            child = by_uuid.get(uid) if uid else None
            if child is not None and child.deleted_at is not None:
                problem("uuid", f"档案编号对应的档案（{child.name}）已被删除，不能再导入；如确需恢复，请联系县级管理员")
                child = None
            if child is not None and number and child.id_number and child.id_number != number:
                other = by_number.get(number)
                if other is not None and other.id != child.id:
                    problem("id_number", f"身份证号{mask_id_number(number)}已属于另一份档案（{other.name}），与档案编号不符")
            if child is None and number:
                child = by_number.get(number)
            if child is None and not number and not uid and values.get("name") and values.get("birth_date"):
                child = by_name.get((values["name"], values["birth_date"]))
            if child is not None and child.id in matched and not problems:
                first = matched[child.id]
                problem(None, f"与第{first[1]}行是同一名儿童（{child.name}），同一文件中只能出现一次")
            colour = values.get("risk_colour")
            if colour == "orange" and not values.get("paired_helper") and not (child and child.paired_helper):
                problem("risk_colour" if "risk_colour" in cols else None, "橙色等级须填写“结对帮扶人”（一对一帮扶）")
            if problems:
                plan.rejected.append((row, problems))
                continue
            if number:
                seen_numbers[number] = (row.sheet, row.row)
            if uid:
                seen_uuids[uid] = (row.sheet, row.row)
            if child is None:
                plan.new.append((row, values, village_id))
                if colour == "red":
                    plan.warnings.append(f"{values['name']}（第{row.row}行）为红色等级，导入后请尽快登记帮扶措施或转介")
                continue
            matched[child.id] = (row.sheet, row.row)
            changes = self._diff(child, values, village_id, state, cadence)
            if changes:
                plan.changed.append((row, child.id, values, village_id, changes))
                if colour == "red" and child.risk_colour != "red":
                    plan.warnings.append(f"{child.name}（第{row.row}行）将改为红色等级，导入后请尽快登记帮扶措施或转介")
            else:
                plan.unchanged.append((row, child))
        return plan

    def _existing(self, s: Session, rows) -> tuple[dict, dict, dict]:
        uuids = {r.values["uuid"] for r in rows if r.values.get("uuid")}
        numbers = {r.values["id_number"] for r in rows if r.values.get("id_number")}
        names = {r.values["name"] for r in rows if not r.values.get("id_number") and r.values.get("name")}
        by_uuid, by_number, by_name = {}, {}, {}  # first the ids, then the files themselves
        wanted = len(uuids) + len(numbers) + len(names)
        if not wanted:
            return by_uuid, by_number, by_name
        if s.scalar(select(func.count()).select_from(Child)) <= wanted:
            # A store no bigger than the file (a first import): one pass over it, not thousands of lookups.
            for cid, uid, number, name, birth, deleted in s.execute(
                    select(Child.id, Child.uuid, Child.id_number, Child.name, Child.birth_date, Child.deleted_at)
                    .order_by(Child.id)):
                if uid in uuids:
                    by_uuid[uid] = cid
                if deleted is None:
                    if number in numbers:
                        by_number.setdefault(number, cid)
                    if name in names:
                        by_name.setdefault((name, birth), cid)
        else:
            live = Child.deleted_at.is_(None)
            for chunk in _chunks(sorted(uuids), _CHUNK):
                for uid, cid in s.execute(select(Child.uuid, Child.id).where(Child.uuid.in_(chunk))):
                    by_uuid[uid] = cid
            for chunk in _chunks(sorted(numbers), _CHUNK):
                for number, cid in s.execute(select(Child.id_number, Child.id).where(Child.id_number.in_(chunk), live)
                                             .order_by(Child.id)):
                    by_number.setdefault(number, cid)
            for chunk in _chunks(sorted(names), _CHUNK):
                for name, birth, cid in s.execute(select(Child.name, Child.birth_date, Child.id)
                                                  .where(Child.name.in_(chunk), live).order_by(Child.id)):
                    by_name.setdefault((name, birth), cid)
        # A deleted file is in by_uuid too: its number is taken and the row is refused.
        children = {}
        for chunk in _chunks(sorted({*by_uuid.values(), *by_number.values(), *by_name.values()}), _CHUNK):
            children.update((c.id, c) for c in s.scalars(select(Child).where(Child.id.in_(chunk))))
        return ({k: children[i] for k, i in by_uuid.items()}, {k: children[i] for k, i in by_number.items()},
                {k: children[i] for k, i in by_name.items()})

    @staticmethod
    def _state(s: Session, ids: set[int]) -> dict[int, dict]:
        """Each matched child's family, active categories and reliefs, to compare with the file."""
        state: dict[int, dict] = {i: {"people": {}, "categories": set(), "reliefs": set()} for i in ids}
        for chunk in _chunks(sorted(ids), _CHUNK):
            for p in s.scalars(select(Person).where(Person.child_id.in_(chunk), Person.deleted_at.is_(None))
                               .order_by(Person.id)):
                state[p.child_id]["people"].setdefault(p.relation, p)
            for cid, code in s.execute(select(CategoryMembership.child_id, CategoryMembership.category).where(
                    CategoryMembership.child_id.in_(chunk), CategoryMembership.deleted_at.is_(None),
                    CategoryMembership.end_on.is_(None))):
                state[cid]["categories"].add(code)
            for cid, kind in s.execute(select(Relief.child_id, Relief.kind).where(
                    Relief.child_id.in_(chunk), Relief.deleted_at.is_(None), Relief.end_on.is_(None))):
                state[cid]["reliefs"].add(kind)
        return state

    def _diff(self, child: Child, values: dict, village_id, state, cadence) -> list[FieldChange]:
        """What the row would change on this file, field by field. Blank cells change nothing."""
        out: list[FieldChange] = []
        for name in CHILD_FIELDS:
            if name in values and values[name] != getattr(child, name):
                out.append(_change("child", name, getattr(child, name), values[name]))
        if village_id is not None and village_id != child.village_id:
            out.append(FieldChange("所属村(社区)", _village_label(child), values["village"]))
        if values.get("risk_colour") and values["risk_colour"] != child.risk_colour:
            out.append(FieldChange("风险等级", C.RISK_COLOUR.label_of(child.risk_colour, "未评估"),
                                   C.RISK_COLOUR.label_of(values["risk_colour"])))
        st = state[child.id]
        for code in C.split_codes(values.get("categories")):
            if code not in st["categories"]:
                out.append(FieldChange("儿童类别", "（无）", "新增 " + C.CATEGORY.label_of(code)))
        for code in C.split_codes(values.get("reliefs")):
            if code not in st["reliefs"]:
                out.append(FieldChange("已享受救助", "（无）", "新增 " + C.RELIEF.label_of(code)))
        for relation, group in RELATIONS.items():
            given = _person_values(values, relation)
            if not given:
                continue
            person = st["people"].get(relation)
            if person is None:
                if given.get("name"):
                    out.append(FieldChange(group, "（无）", "新增 " + given["name"]))
                continue
            for f, v in given.items():
                if v != getattr(person, f):
                    out.append(FieldChange(f"{group}·{label_of('person', f)}",
                                           display("person", f, to_text(getattr(person, f))), display("person", f, to_text(v))))
        return out

    def _preview(self, parsed, plan: _Plan, previously) -> ImportPreview:
        def head(row, values, village=None, changes=()):
            return PreviewRow(row.sheet, row.row, values.get("name") or "", mask_id_number(values.get("id_number")),
                              village, tuple(changes))

        summaries: dict[tuple, tuple] = {}  # many new files share village, categories and colour

        def summary(v):
            key = (v.get("village"), v.get("categories"), v.get("risk_colour"))
            if key not in summaries:
                summaries[key] = tuple(_new_summary(v))
            return summaries[key]

        new = tuple(head(r, v, v.get("village"), summary(v)) for r, v, _ in plan.new)
        changed = tuple(head(r, {**v, "name": v.get("name")}, v.get("village"), ch) for r, _, v, _, ch in plan.changed)
        unchanged = tuple(PreviewRow(r.sheet, r.row, c.name, mask_id_number(c.id_number)) for r, c in plan.unchanged)
        rejected = []
        for row, problems in plan.rejected:
            name = row.values.get("name") or ""
            for p in problems:
                rejected.append(RejectedCell(p.sheet, p.row, p.column, p.header, p.reason, name))
        unknown = tuple((sh.name, letter, header) for sh in parsed.sheets for letter, header in sh.unknown)
        notes = list(parsed.notes)
        for sh in parsed.sheets:
            if sh.category:
                notes.append(f"工作表“{sh.name}”没有“儿童类别”列，按标题记为“{C.CATEGORY.label_of(sh.category)}”。")
        if parsed.ignored_sheets:
            notes.append(f"以下工作表没有儿童信息台账的表头，未读取：{'、'.join(parsed.ignored_sheets)}。")
        headers = {sh.name: list(sh.headers) for sh in parsed.sheets}
        rejected_rows = tuple((row.sheet, row.row, list(row.raw), [(p.column, p.reason) for p in problems])
                              for row, problems in plan.rejected)
        return ImportPreview(
            parsed.file_name, parsed.sha256, parsed.format, tuple(sh.name for sh in parsed.sheets), new, changed,
            unchanged, tuple(rejected), len(plan.rejected), unknown, tuple(notes), tuple(plan.warnings),
            sum(sh.skipped for sh in parsed.sheets), previously, rejected_rows, tuple(headers.items()),
        )

    def _write(self, s: Session, station, plan: _Plan, file_name: str, batch: int, progress) -> None:
        actor = self.ctx.actor
        today = self.ctx.today()
        cadence = station_cadence(station)
        seq = change_seq(s)
        now = utcnow()
        reason = f"依据台账《{file_name}》导入"[:5000]
        total = len(plan.new) + len(plan.changed)
        conn = s.connection()
        self._insert_new(conn, station, plan.new, today, cadence, reason,
                         {"origin": station.code, "created_at": now, "created_by": actor.name, "updated_at": now,
                          "updated_by": actor.name, "rev": 1, "deleted_at": None, "change_seq": seq})
        if progress:
            progress(len(plan.new), total)
        # Changed files: through apply_changes, so every field change has its history line and rev.
        for n, (_row, child_id, values, village_id, _) in enumerate(plan.changed, start=1):
            self._update(s, station, s.get(Child, child_id), values, village_id, reason, batch, today, cadence)
            if progress and n % 200 == 0:
                progress(len(plan.new) + n, total)
        s.flush()

    @staticmethod
    def _insert_new(conn, station, new: list, today: dt.date, cadence, reason: str, sync: dict) -> None:
        """New files and what hangs on them, as bulk inserts (no history lines: a new record's creation is
        its own record). Rows are tuples; what every row shares is passed once."""
        child_ids = next_ids(conn, Child.__table__, len(new))
        uuid = _uuid_stream()
        due: dict = {}  # next visit due per colour: every new file is opened today
        hukou = CHILD_FIELDS.index("hukou_registered")
        children, people, cats, reliefs, assessments = [], [], [], [], []
        split: dict = {}
        for cid, (_, values, village_id) in zip(child_ids, new, strict=False):
            get = values.get
            colour = get("risk_colour")
            if colour not in due:
                due[colour] = next_visit_due(colour, cadence, last_visit_on=None, opened_on=today)
            record = list(map(get, CHILD_FIELDS))
            if record[hukou] is None:
                record[hukou] = True
            children.append((*record, cid, get("uuid") or uuid(), village_id, colour, today if colour else None,
                             due[colour]))
            for relation, keys in _PERSON_KEYS.items():
                if values.keys().isdisjoint(keys):
                    continue
                name, number, phone, status, work_place, detail, address = map(get, keys)
                if status == "dead":
                    phone = work_place = None
                people.append((cid, relation, name, number, phone, status, work_place, detail, address,
                                relation == "entrusted" or status == "home", uuid()))
            for key, out in (("categories", cats), ("reliefs", reliefs)):
                stored = get(key)
                if stored:
                    codes = split.get(stored)
                    if codes is None:
                        codes = split[stored] = C.split_codes(stored)
                    out.extend((cid, code, uuid()) for code in codes)
            if colour:
                assessments.append((cid, colour, uuid()))
        insert_rows(conn, Child.__table__, (*CHILD_FIELDS, "id", "uuid", "village_id", "risk_colour", "colour_set_on",
                                            "next_visit_due"), children,
                    {**sync, "station_id": station.id, "red_deferral": None, "status": "active", "closed_reason": None,
                     "closed_note": None, "closed_on": None, "opened_on": today, "last_visit_on": None})
        insert_rows(conn, Person.__table__, ("child_id", "relation", *PERSON_FIELDS, "is_guardian", "uuid"), people,
                    {**sync, "birth_date": None})
        insert_rows(conn, CategoryMembership.__table__, ("child_id", "category", "uuid"), cats,
                    {**sync, "start_on": today, "end_on": None})
        insert_rows(conn, Relief.__table__, ("child_id", "kind", "uuid"), reliefs,
                    {**sync, "start_on": today, "end_on": None, "amount": None, "note": reason})
        insert_rows(conn, Assessment.__table__, ("child_id", "result", "uuid"), assessments,
                    {**sync, "kind": "risk", "assessed_on": today, "assessor": sync["created_by"],
                     "guardianship_type": None, "reason": reason})

    def _update(self, s: Session, station, child: Child, values: dict, village_id, reason, batch, today, cadence) -> None:
        from .casework import _latest_planned
        from .due import recompute_due

        actor = self.ctx.actor
        origin = station.code
        fields = {name: values[name] for name in CHILD_FIELDS if name in values}
        if village_id is not None:
            fields["village_id"] = village_id
        colour = values.get("risk_colour")
        if colour and colour != child.risk_colour:
            new_record(s, Assessment, {"child_id": child.id, "kind": "risk", "assessed_on": today, "assessor": actor.name,
                                       "result": colour, "guardianship_type": None, "reason": reason}, actor, origin=origin)
            fields["risk_colour"] = colour
            if colour != "red":
                fields["red_deferral"] = None
        colour_changed = "risk_colour" in fields
        apply_changes(s, child, fields, actor, origin=origin, batch=batch)
        if colour_changed:
            child.colour_set_on = today
            recompute_due(child, cadence, planned_on=_latest_planned(s, child.id))
        active_cats = set(s.scalars(select(CategoryMembership.category).where(
            CategoryMembership.child_id == child.id, CategoryMembership.deleted_at.is_(None),
            CategoryMembership.end_on.is_(None))))
        for code in C.split_codes(values.get("categories")):
            if code not in active_cats:
                new_record(s, CategoryMembership, {"child_id": child.id, "category": code, "start_on": today}, actor,
                           origin=origin)
        active_reliefs = set(s.scalars(select(Relief.kind).where(
            Relief.child_id == child.id, Relief.deleted_at.is_(None), Relief.end_on.is_(None))))
        for code in C.split_codes(values.get("reliefs")):
            if code not in active_reliefs:
                new_record(s, Relief, {"child_id": child.id, "kind": code, "start_on": today, "note": reason}, actor,
                           origin=origin)
        for relation in RELATIONS:
            given = _person_values(values, relation)
            if not given:
                continue
            person = s.scalar(select(Person).where(Person.child_id == child.id, Person.relation == relation,
                                                   Person.deleted_at.is_(None)).order_by(Person.id).limit(1))
            if person is None:
                if given.get("name"):
                    row = _person_row(child.id, relation, given, {})
                    new_record(s, Person, row, actor, origin=origin)
                continue
            if given.get("status") == "dead":
                given = {**given, "phone": None, "work_place": None}
            apply_changes(s, person, given, actor, origin=origin, batch=batch)


# ---- helpers ------------------------------------------------------------------------------------------

def _uuid_stream():
    """new_uuid() for many rows: next(stream) gives the next one."""
    def gen():
        while True:
            yield from new_uuids(4096)

    return gen().__next__


def _chunks(items, n):
    items = list(items)
    for i in range(0, len(items), n):
        yield items[i:i + n]


def _fold(name: str) -> str:
    import unicodedata

    text = unicodedata.normalize("NFKC", name or "").strip().replace(" ", "")
    for suffix in ("村民委员会", "居民委员会", "村委会", "居委会"):
        if text.endswith(suffix) and len(text) > len(suffix):
            text = text[: -len(suffix)] + ("社区" if suffix.startswith("居") else "村")
    return text


def _change(entity: str, name: str, old, new) -> FieldChange:
    return FieldChange(label_of(entity, name), display(entity, name, to_text(old)), display(entity, name, to_text(new)))


def _village_label(child: Child) -> str:
    return child.village.name if child.village is not None else "（未分村）"


def _person_values(values: dict, relation: str) -> dict:
    keys = _PERSON_KEYS[relation]
    return {f: values[k] for f, k in zip(PERSON_FIELDS, keys, strict=False) if k in values}


def _person_row(child_id: int, relation: str, given: dict, sync: dict) -> dict:
    status = given.get("status")
    row = {f: given.get(f) for f in PERSON_FIELDS}
    if status == "dead":
        row.update(phone=None, work_place=None)
    row.update(child_id=child_id, relation=relation, birth_date=None,
               is_guardian=relation == "entrusted" or status == "home")
    if sync:
        row.update(sync, uuid=new_uuid())
    return row


def _new_summary(values: dict) -> list[FieldChange]:
    shown = []
    for key, label in (("village", "所属村(社区)"), ("categories", "儿童类别"), ("risk_colour", "风险等级")):
        v = values.get(key)
        if not v:
            continue
        if key == "categories":
            v = "、".join(C.CATEGORY.label_of(c) for c in C.split_codes(v))
        elif key == "risk_colour":
            v = C.RISK_COLOUR.label_of(v)
        shown.append(FieldChange(label, "", v))
    return shown


def _log_detail(preview: ImportPreview) -> dict:
    return {
        "format": preview.format,
        "sheets": list(preview.sheets),
        "unknown_columns": [list(u) for u in preview.unknown_columns],
        "rejected": [{"sheet": r.sheet, "row": r.row, "column": r.column, "reason": r.reason}
                     for r in preview.rejected[:MAX_LISTED]],
        "skipped_rows": preview.skipped_rows,
        "notes": list(preview.notes),
    }


def _notes(kind: str) -> list[str]:
    if kind == "children":
        return ["说明：身份证号、电话按文本保存，请勿改为数字格式；“档案编号”供系统识别同一儿童，请勿修改。"
                "一名儿童属于多个类别时用“、”分隔。"]
    if kind == "visits":
        return ["说明：风险等级为导出时的当前等级。"]
    return []


def _write_error(path: Path, e: OSError) -> WeibaoError:
    return WeibaoError(f"无法写入“{path}”：{e.strerror or e}（文件是否正在被 Excel/WPS 打开？请关闭后重试）", "output")


__all__ = ["LedgerService", "ExportResult", "ImportPreview", "ImportResult", "PreviewRow", "RejectedCell",
           "FieldChange", "KIND_NAMES"]


def _in_period(stmt, column, date_from: dt.date | None, date_to: dt.date | None):
    """Rows whose time falls on a day of the period (both ends included)."""
    if date_from:
        stmt = stmt.where(column >= dt.datetime.combine(date_from, dt.time()))
    if date_to:
        stmt = stmt.where(column < dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time()))
    return stmt
