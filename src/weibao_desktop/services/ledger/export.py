"""Writing a ledger: the title and filters in its heading, and one row source per ledger spec."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from ...domain.cadence import days_overdue
from ...domain.codes import (
    CATEGORY,
    CATEGORY_GROUPS,
    HELP_KIND,
    HELP_STATE,
    REFERRAL_OPEN_STATES,
    REFERRAL_STATE,
    REFERRAL_TARGET,
    RELIEF,
    RISK_COLOUR,
    join_codes,
)
from ...domain.errors import WeibaoError
from ...domain.fields import BY_ENTITY
from ...domain.idnumber import mask_id_number
from ...domain.name_order import name_key
from ...domain.roles import masks_ids
from ...models.entities import (
    Assessment,
    Child,
    HelpMeasure,
    HotlineCall,
    Person,
    Referral,
    ReportClue,
    Station,
    Village,
    Visit,
)
from ...sync.office_crypto import check_password, encrypt_file
from ..base import Context, home_station, store_mode
from ..dto import ChildQuery
from ..queries import (
    SelectT,
    category_codes,
    children_filter,
    current_categories,
    current_reliefs,
    family_join,
    in_category,
    in_scope,
    live,
    scoped,
)
from .care_rows import care_rows, household_rows
from .results import CHILD_FIELDS, KIND_NAMES, PERSON_FIELDS, PERSON_KEYS, RELATIONS, ExportResult, chunks
from .summary import summary_rows
from .visit_tasks import NOTE as VISIT_TASK_NOTE

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]
Rows = tuple[Iterable[dict], int]


@dataclass(frozen=True)
class Selection:
    """What a ledger export covers: the children list's filter and, for dated records, a period."""

    station: Station
    query: ChildQuery
    date_from: dt.date | None
    date_to: dt.date | None
    today: dt.date


class LedgerExport:
    def __init__(self, ctx: Context):
        self.ctx = ctx

    def export(self, kind: str, path: str | Path, *, category: str | None = None, village: str | None = None,
               date_from: dt.date | None = None, date_to: dt.date | None = None, query: ChildQuery | None = None,
               progress: Progress | None = None, cancelled: Cancelled | None = None,
               password: str | None = None) -> ExportResult:
        """`password`: the file is encrypted with it (written plain only in the private temporary folder)."""
        if password is None:
            result = self._export(kind, Path(path), category, village, date_from, date_to, query, progress, cancelled)
        else:
            check_password(password)  # before anything is written: an empty one never means "no encryption"
            with self.ctx.store.private_temp().scratch(suffix=".xlsx", purpose="export") as plain:
                result = self._export(kind, plain, category, village, date_from, date_to, query, progress,
                                      cancelled, shown=Path(path))
                try:
                    encrypt_file(plain, Path(path), password)
                except OSError as e:
                    raise write_error(Path(path), e) from None
        full_id = not masks_ids(self.ctx.actor.role) and kind in FULL_ID_KINDS
        self._record_export(kind, result.title, result.rows, result.path, full_id=full_id)
        return result

    def _export(self, kind: str, path: Path, category: str | None, village: str | None, date_from: dt.date | None,
                date_to: dt.date | None, query: ChildQuery | None, progress: Progress | None,
                cancelled: Cancelled | None, shown: Path | None = None) -> ExportResult:
        """Write the ledger to `path`; `shown` is where the user asked for it (when `path` is a temporary file)."""
        from ...sync.ledger_columns import LEDGERS
        from ...sync.ledger_export import Cancelled as ExportCancelled
        from ...sync.ledger_export import SheetHeading, write_ledger, write_summary

        if kind not in KIND_NAMES:
            raise WeibaoError(f"未知的台账类型“{kind}”，可选：{'、'.join(KIND_NAMES)}", "kind")
        shown = shown or path
        if shown.suffix.lower() != ".xlsx":
            raise WeibaoError("台账请保存为 .xlsx 文件", "output")
        if date_from and date_to and date_from > date_to:
            raise WeibaoError("开始日期不能晚于结束日期", "date_from")
        today = self.ctx.today()
        masked = masks_ids(self.ctx.actor.role)  # a director's or a viewer's ledgers carry masked id numbers
        with self.ctx.read() as s:
            station = home_station(s)
            village_id = _village_id(s, station.id, village) if village else None
            if category:
                category_codes(category)
            if query is None:
                query = ChildQuery(category=category, village_id=village_id, sort="village")
            title, filters = self._title(s, station.name, kind, query, village, date_from, date_to)
            heading = SheetHeading(title, f"{station.name}未成年人保护工作站", today, self.ctx.actor.name,
                                   filters or None)
            try:
                if kind == "summary":
                    rows, total = summary_rows(s, station, date_from or today.replace(day=1), date_to or today, today)
                    n = write_summary(path, heading, rows, total,
                                      unit_label="乡镇(街道)" if store_mode(s) == "county" else "村(社区)",
                                      temp=self.ctx.store.private_temp())
                else:
                    selection = Selection(station, query, date_from, date_to, today)
                    rows_iter, count = self._rows(s, kind, selection)
                    if masked:
                        rows_iter = _masked_rows(rows_iter, LEDGERS[kind])
                    villages = tuple(v.name for v in s.scalars(
                        select(Village).where(Village.station_id == station.id).order_by(Village.code)))
                    n = write_ledger(path, LEDGERS[kind], heading, rows_iter, count, choices={"village": villages},
                                     notes=NOTES.get(kind, []), progress=progress, cancelled=cancelled,
                                     temp=self.ctx.store.private_temp())
            except OSError as e:
                raise write_error(shown, e) from None
            except ExportCancelled:
                raise WeibaoError("已取消导出，没有写入文件", "cancelled") from None
        return ExportResult(shown, kind, title, n)

    def _rows(self, s: Session, kind: str, sel: Selection) -> Rows:
        from .visit_tasks import period_end, task_rows
        from .work_rows import activity_rows, staff_rows

        if kind == "visit_tasks":
            village = s.get(Village, sel.query.village_id) if sel.query.village_id else None
            if village is None:
                raise WeibaoError("走访任务表按村(社区)生成，请选择一个村(社区)", "village")
            return task_rows(s, sel.station.id, village, sel.date_from, sel.date_to or period_end(sel.today))
        if kind == "activities":
            return activity_rows(s, sel.station.id, sel.date_from, sel.date_to)
        if kind == "staff":
            return staff_rows(s, sel.station.id, sel.today)
        return ROW_SOURCES[kind](s, sel)

    def _record_export(self, kind: str, title: str, rows: int, path: Path, *, full_id: bool) -> None:
        """Who saved which ledger where (DOMAIN.md, Privacy): a line in the store's print log and an entry in
        the audit trail (full id numbers exported are audited)."""
        from ...models.printlog import PrintLog
        from .. import audit

        with self.ctx.tx() as s:
            s.add(PrintLog(actor=self.ctx.actor.name, form=f"ledger_{kind}", title=title[:200], subjects=[],
                           subject_count=rows, pages=0, full_id=full_id, target=str(path)[:300]))
            audit.append(s, self.ctx.actor, "ledger_export", audit.file_name(path),
                         {"kind": kind, "rows": rows, "full_id": full_id})

    def _title(self, s: Session, station: str, kind: str, q: ChildQuery, village: str | None,
               date_from: dt.date | None, date_to: dt.date | None) -> tuple[str, str]:
        name = KIND_NAMES[kind]
        if kind in ("children", "risk") and q.category:
            label = q.category if q.category in CATEGORY_GROUPS else CATEGORY.label_of(category_codes(q.category)[0])
            name = f"{label}{'信息台账' if kind == 'children' else '风险等级台账'}"
        place = village or (_village_name(s, q.village_id) if q.village_id else None)
        title = f"{station}{place or ''}{name}"
        parts = []
        if kind == "checks":
            parts.append(f"核查月份：{date_from or self.ctx.today():%Y年%m月}")
        elif kind in ("visits", "help", "reports", "hotline", "summary", "activities") and (date_from or date_to or kind == "summary"):
            today = self.ctx.today()
            start = date_from or (today.replace(day=1) if kind == "summary" else None)
            end = date_to or today
            parts.append(f"统计期间：{start:%Y-%m-%d} 至 {end:%Y-%m-%d}" if start else f"截至 {end:%Y-%m-%d}")
        if kind in ("children", "risk"):
            if q.colour:
                parts.append(f"风险等级：{'未评估' if q.colour == 'none' else RISK_COLOUR.label_of(q.colour)}")
            if q.text:
                parts.append(f"查找：{q.text}")
            if q.overdue:
                parts.append("仅逾期未走访")
            parts.append({"active": "在册儿童", "closed": "已销档儿童", None: "含已销档"}.get(q.status, ""))
        return title, "　".join(p for p in parts if p)


FULL_ID_KINDS = ("children", "visits", "risk", "help", "reports")  # ledgers with an id number column


def _masked_rows(rows: Iterable[dict], ledger) -> Iterator[dict]:
    keys = [c.key for c in ledger.columns if c.kind == "id"]
    for row in rows:
        for key in keys:
            if row.get(key):
                row[key] = mask_id_number(row[key])
        yield row


def _village_id(s: Session, station_id: int, name: str) -> int:
    v = s.scalar(select(Village).where(Village.station_id == station_id, Village.name == name.strip()))
    if v is None:
        names = "、".join(s.scalars(select(Village.name).where(Village.station_id == station_id)))
        raise WeibaoError(f"本工作站没有村(社区)“{name}”（现有：{names or '无'}）", "village")
    return v.id


def _village_name(s: Session, village_id: int) -> str | None:
    v = s.get(Village, village_id)
    return v.name if v else None


_CHILD_COLUMNS = (Child.id, Child.uuid, Village.name.label("village"), *(getattr(Child, f) for f in CHILD_FIELDS),
                  Child.risk_colour, Child.colour_set_on, Child.opened_on, Child.last_visit_on, Child.next_visit_due,
                  Child.status)
_CATEGORY_ORDER = {code: i for i, code in enumerate(CATEGORY.keys())}
_RELIEF_ORDER = {code: i for i, code in enumerate(RELIEF.keys())}


def _child_records(s: Session, sel: Selection) -> tuple[list[int], dict[int, dict]]:
    """The children the list's filter selects, in its order, each row with its current categories."""
    ids = list(s.scalars(children_filter(s, sel.query, select(Child.id), sel.station.id, sel.today)))
    records: dict[int, dict] = {}
    cats: dict[int, set[str]] = {}
    for chunk in chunks(ids):
        for r in s.execute(select(*_CHILD_COLUMNS).outerjoin(Village, Village.id == Child.village_id)
                           .where(Child.id.in_(chunk))):
            records[r.id] = r._asdict()
        for cid, code in s.execute(current_categories(chunk, sel.today)):
            cats.setdefault(cid, set()).add(code)
    for cid, row in records.items():
        row["categories"] = join_codes(sorted(cats.get(cid, ()), key=_CATEGORY_ORDER.__getitem__))
    return ids, records


def children_rows(s: Session, sel: Selection) -> Rows:
    """儿童信息台账: the file, its current categories and help received, father, mother and entrusted carer."""
    ids, records = _child_records(s, sel)
    people: dict[int, dict] = {}
    reliefs: dict[int, set[str]] = {}
    person_cols = [getattr(Person, f) for f in PERSON_FIELDS]
    for chunk in chunks(ids):
        for cid, relation, *fields in s.execute(
                select(Child.id, Person.relation, *person_cols).join(Person, family_join())
                .where(Child.id.in_(chunk), live(Person)).order_by(Person.id)):
            slot = people.setdefault(cid, {})
            if relation in RELATIONS and relation not in slot:
                slot[relation] = fields
        for cid, kind in s.execute(current_reliefs(chunk, sel.today)):
            reliefs.setdefault(cid, set()).add(kind)

    def rows() -> Iterator[dict]:
        for cid in ids:
            row = records.get(cid)
            if row is None:
                continue
            row["reliefs"] = join_codes(sorted(reliefs.get(cid, ()), key=_RELIEF_ORDER.__getitem__))
            for relation, fields in people.get(cid, {}).items():
                row.update(zip(PERSON_KEYS[relation], fields, strict=False))
            yield row

    return rows(), len(ids)


def risk_rows(s: Session, sel: Selection) -> Rows:
    """风险等级台账: the file's colour, the latest risk assessment, open actions and days overdue."""
    ids, records = _child_records(s, sel)
    latest: dict[int, tuple] = {}
    actions: dict[int | None, int] = {}
    for chunk in chunks(ids):
        for a in s.execute(select(Assessment.child_id, Assessment.assessor, Assessment.reason)
                           .where(Assessment.child_id.in_(chunk), Assessment.kind == "risk",
                                  live(Assessment))
                           .order_by(Assessment.assessed_on, Assessment.id)):
            latest[a.child_id] = (a.assessor, a.reason)
        for model, open_state in ((HelpMeasure, HelpMeasure.state == "open"),
                                  (Referral, Referral.state.in_(REFERRAL_OPEN_STATES))):
            for cid, n in s.execute(select(model.child_id, func.count()).where(
                    model.child_id.in_(chunk), open_state, live(model)).group_by(model.child_id)):
                actions[cid] = actions.get(cid, 0) + n

    def rows() -> Iterator[dict]:
        for cid in ids:
            row = records.get(cid)
            if row is None:
                continue
            if cid in latest:
                row["assessor"], row["reason"] = latest[cid]
            row["open_actions"] = actions.get(cid, 0)
            row["days_overdue"] = days_overdue(row["next_visit_due"], sel.today) if row["status"] == "active" else 0
            yield row

    return rows(), len(ids)


def _of_children(s: Session, stmt: SelectT, sel: Selection) -> SelectT:
    """Records of live children that the list's village and category filter selects."""
    stmt = in_scope(s, stmt.where(live(Child)), sel.station.id)
    if sel.query.village_id is not None:
        stmt = stmt.where(Child.village_id == sel.query.village_id)
    if sel.query.category:
        stmt = stmt.where(in_category(category_codes(sel.query.category), sel.today))
    return stmt


_VISIT_FIELDS = ("visited_on", "mode", "visitors", "living", "study", "health", "safety", "psychology",
                 "guardianship", "problems", "measures", "next_due_on")


def visit_rows(s: Session, sel: Selection) -> Rows:
    stmt = (
        select(Visit, Child.name, Child.id_number, Child.risk_colour, Village.name.label("village"))
        .join(Child, Child.id == Visit.child_id).outerjoin(Village, Village.id == Child.village_id)
        .where(live(Visit))
    )
    stmt = _of_children(s, stmt, sel)
    if sel.date_from:
        stmt = stmt.where(Visit.visited_on >= sel.date_from)
    if sel.date_to:
        stmt = stmt.where(Visit.visited_on <= sel.date_to)
    count = s.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    stmt = stmt.order_by(Visit.visited_on, Village.name, Child.name_key, Visit.id).execution_options(yield_per=2000)

    def rows() -> Iterator[dict]:
        for v, name, number, colour, village in s.execute(stmt):
            yield {"name": name, "id_number": number, "village": village, "risk_colour": colour, "uuid": v.uuid,
                   **{f: getattr(v, f) for f in _VISIT_FIELDS}}

    return rows(), count


def help_rows(s: Session, sel: Selection) -> Rows:
    base = [Child.name, Child.id_number, Child.risk_colour, Village.name.label("village")]
    helps = (select(HelpMeasure, *base).join(Child, Child.id == HelpMeasure.child_id)
             .outerjoin(Village, Village.id == Child.village_id).where(live(HelpMeasure)))
    refs = (select(Referral, *base).join(Child, Child.id == Referral.child_id)
            .outerjoin(Village, Village.id == Child.village_id).where(live(Referral)))
    helps, refs = _of_children(s, helps, sel), _of_children(s, refs, sel)
    if sel.date_from:
        helps = helps.where(HelpMeasure.started_on >= sel.date_from)
        refs = refs.where(Referral.referred_on >= sel.date_from)
    if sel.date_to:
        helps = helps.where(HelpMeasure.started_on <= sel.date_to)
        refs = refs.where(Referral.referred_on <= sel.date_to)
    out = []
    help_rows: list[Any] = list(s.execute(helps))
    referral_rows: list[Any] = list(s.execute(refs))
    for h, name, number, colour, village in help_rows:
        out.append({"type": "帮扶措施", "name": name, "id_number": number, "risk_colour": colour, "village": village,
                    "what": HELP_KIND.label_of(h.kind), "target_name": None, "started_on": h.started_on,
                    "responsible": h.responsible, "description": h.description,
                    "state": HELP_STATE.label_of(h.state), "ended_on": h.ended_on, "result": h.result, "uuid": h.uuid})
    for r, name, number, colour, village in referral_rows:
        out.append({"type": "转介", "name": name, "id_number": number, "risk_colour": colour, "village": village,
                    "what": REFERRAL_TARGET.label_of(r.target), "target_name": r.target_name,
                    "started_on": r.referred_on, "responsible": r.handled_by, "description": r.reason,
                    "state": REFERRAL_STATE.label_of(r.state), "ended_on": r.state_on, "result": r.feedback,
                    "uuid": r.uuid})
    out.sort(key=lambda d: (d["village"] or "", name_key(d["name"]), d["started_on"]))
    return out, len(out)


def clue_rows(s: Session, sel: Selection) -> Rows:
    stmt = (select(ReportClue, Child.id_number).outerjoin(Child, Child.id == ReportClue.child_id)
            .where(live(ReportClue)))
    stmt = in_period(stmt, ReportClue.received_at, sel.date_from, sel.date_to)
    out = []
    for c, number in s.execute(stmt.where(*scoped(s, ReportClue.child_id)).order_by(ReportClue.received_at, ReportClue.id)):
        row = {f.name: getattr(c, f.name) for f in BY_ENTITY["report_clue"]}
        row.update(child_id_number=number, state=c.state, uuid=c.uuid)
        out.append(row)
    return out, len(out)


def call_rows(s: Session, sel: Selection) -> Rows:
    stmt = (select(HotlineCall, Child.name).outerjoin(Child, Child.id == HotlineCall.child_id)
            .where(live(HotlineCall)))
    stmt = in_period(stmt, HotlineCall.call_at, sel.date_from, sel.date_to)
    out = []
    for c, child_name in s.execute(stmt.where(*scoped(s, HotlineCall.child_id)).order_by(HotlineCall.call_at, HotlineCall.id)):
        row = {f.name: getattr(c, f.name) for f in BY_ENTITY["hotline_call"]}
        row.update(child_name=child_name, to_clue="是" if c.clue_id else "否", uuid=c.uuid)
        out.append(row)
    return out, len(out)


def check_rows(s: Session, sel: Selection) -> Rows:
    """核查整改台账: the month's 资格核查 findings (the month of the period's start) and how each was resolved."""
    from ...domain.eligibility import DECISION, CheckMonth
    from ..checks import _findings

    month = CheckMonth.of(f"{sel.date_from or sel.today:%Y-%m}")
    out = []
    for f in _findings(s, sel.station.id, month):
        out.append({"village": f.village, "name": f.child_name, "id_masked": f.id_masked, "title": f.title,
                    "detail": f.detail, "state": "已处理" if f.resolved else ("情况变化待复核" if f.reopened else "待处理"),
                    "decision": DECISION.label_of(f.decision), "note": f.note, "resolved_by": f.resolved_by,
                    "resolved_at": f.resolved_at})
    return out, len(out)


# One row source per ledger spec (sync.ledger_columns.LEDGERS); the summary sheet has its own writer.
ROW_SOURCES: dict[str, Callable[[Session, Selection], Rows]] = {
    "children": children_rows, "risk": risk_rows, "visits": visit_rows, "help": help_rows, "reports": clue_rows,
    "hotline": call_rows, "checks": check_rows, "households": household_rows, "care": care_rows,
}

NOTES = {
    "children": ["说明：身份证号、电话按文本保存，请勿改为数字格式；“档案编号”供系统识别同一儿童，请勿修改。"
                 "一名儿童属于多个类别时用“、”分隔。"],
    "visits": ["说明：风险等级为导出时的当前等级。"],
    "visit_tasks": [VISIT_TASK_NOTE],
    "activities": ["说明：签到表、照片的原件按“签到表/照片”一栏所写位置存放；“附件数”为程序内保存的照片、扫描件数量。"],
}


def in_period(stmt: Select, column, date_from: dt.date | None, date_to: dt.date | None) -> Select:
    """Rows whose time falls on a day of the period (both ends included)."""
    if date_from:
        stmt = stmt.where(column >= dt.datetime.combine(date_from, dt.time()))
    if date_to:
        stmt = stmt.where(column < dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time()))
    return stmt


def write_error(path: Path, e: OSError) -> WeibaoError:
    return WeibaoError(f"无法写入“{path}”：{e.strerror or e}（文件是否正在被 Excel/WPS 打开？请关闭后重试）", "output")
