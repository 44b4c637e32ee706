"""Printing: gather what each form needs from the store, lay it out, and record who printed what when.

Identity numbers are masked on paper unless the user asks for full numbers (and that choice is in the
print log). A form is first prepared as a `PrintJob` (pages in memory, nothing written); saving it as a
PDF or sending it to a printer writes one row of the print log.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain.cadence import age_text, days_overdue
from ..domain.codes import (
    ASSESSMENT_KIND,
    CATEGORY,
    CHILD_STATUS,
    CLOSE_REASON,
    CLUE_SITUATION,
    CLUE_SOURCE,
    CLUE_STATE,
    GUARDIANSHIP_RESULT,
    GUARDIANSHIP_TYPE,
    HEALTH,
    HELP_KIND,
    HELP_STATE,
    INCOME_SOURCE,
    PERSON_RELATION,
    PERSON_STATUS,
    REFERRAL_STATE,
    REFERRAL_TARGET,
    RELIEF,
    REPORTED_TO,
    SCHOOLING,
    SEX,
    VISIT_MODE,
    split_codes,
)
from ..domain.errors import WeibaoError
from ..domain.idnumber import mask_id_number
from ..domain.name_order import name_key
from ..models.entities import (
    Assessment,
    CategoryMembership,
    Child,
    HelpMeasure,
    Person,
    Referral,
    ReportClue,
    Village,
    Visit,
)
from ..models.printlog import PrintLog
from ..printing import forms
from ..printing.data import (
    ChildFacts,
    ClueSheet,
    FileCard,
    PersonLine,
    PrintedBy,
    ReferralSheet,
    RoundSheets,
    VisitFacts,
    VisitSheet,
)
from ..printing.fonts import FontSet, default_fonts
from ..printing.layout import Document
from .base import Context, home_station
from .children import _by_uuid, get_child
from .dto import ChildQuery
from .queries import current_categories, family_of, live
from .stations import station_info

FORM_LABELS = {
    "visit_sheet": forms.VISIT_FORM, "round": forms.ROUND_FORM, "file_card": forms.FILE_CARD_FORM,
    "clue": forms.CLUE_FORM, "referral": forms.REFERRAL_FORM,
    "care_agreement": "委托照护协议", "care_confirmation": "监护责任确认书", "sign_in": "活动签到表", "incident": "重大事项报告单",
    "monthly": "未成年人保护工作月报",
}
MAX_ROUND_DAYS = 366
Fonts = FontSet | str | Path | None


@dataclass
class PrintJob:
    """A laid-out form, ready to preview, save or print."""

    form: str  # key of FORM_LABELS
    title: str
    subjects: tuple[str, ...]  # uuids of what is printed
    full_id: bool
    document: Document

    @property
    def pages(self) -> int:
        return len(self.document.pages)

    @property
    def missing_report(self) -> str:
        """Characters the fonts cannot print, in Chinese; "" when there are none."""
        return self.document.missing_report()

    def pdf_bytes(self) -> bytes:
        return self.document.pdf_bytes()


@dataclass(frozen=True)
class PrintLogInfo:
    printed_at: dt.datetime  # UTC
    actor: str
    form: str
    form_label: str
    title: str
    subject_count: int
    pages: int
    full_id: bool
    target: str


class PrintService:
    def __init__(self, ctx: Context):
        self.ctx = ctx


    def visit_sheet(self, *, child: str | int | None = None, visit: str | None = None, blank: bool = False,
                    full_id: bool = False, fonts: Fonts = None) -> PrintJob:
        """未成年人走访记录表: from a recorded visit, or blank (child facts filled) to take along.
        With only a child and not blank, the child's latest visit is printed."""
        if (child is None) == (visit is None):
            raise WeibaoError("请指定儿童档案或走访记录（二选一）", "child")
        today = self.ctx.today()
        with self.ctx.read() as s:
            station = home_station(s)
            v: Visit | None = None
            if visit is not None:
                v = _by_uuid(s, Visit, visit, "走访")
                kid = s.get_one(Child, v.child_id)
            elif child is not None:
                kid = get_child(s, child, include_deleted=True)
                if not blank:
                    v = s.scalar(select(Visit).where(Visit.child_id == kid.id, live(Visit))
                                 .order_by(Visit.visited_on.desc(), Visit.id.desc()).limit(1))
                    if v is None:
                        raise WeibaoError(f"{kid.name}尚无走访记录；可打印空白走访记录表带去走访", "visit")
            facts = _facts(s, [kid], today, full_id)[0]
            recorded = None if blank or v is None else _visit_facts(v)
            sheet = VisitSheet(station.name, facts, recorded)
        subjects = (facts.uuid,) if v is None or recorded is None else (facts.uuid, v.uuid)
        doc = forms.render_visit_sheet(sheet, self._fonts(fonts), self._by())
        title = f"{forms.VISIT_FORM}（{facts.name}，{'空白' if recorded is None else f'{recorded.visited_on:%Y-%m-%d}'}）"
        return PrintJob("visit_sheet", title, subjects, full_id, doc)

    def round(self, date_from: dt.date, date_to: dt.date, *, village: str | int | None = None,
              include_overdue: bool = True, full_id: bool = False, fonts: Fonts = None,
              progress: Callable[[int, int, str], None] | None = None,
              cancelled: Callable[[], bool] | None = None) -> PrintJob | None:
        """走访任务单: a blank sheet for every child due in the period (and, by default, every child
        already overdue), grouped by village, behind a cover list. None when cancelled."""
        if date_to < date_from:
            raise WeibaoError("结束日期不能早于开始日期", "date_to")
        if (date_to - date_from).days > MAX_ROUND_DAYS:
            raise WeibaoError("走访任务单的期间不能超过一年", "date_to")
        today = self.ctx.today()
        fontset = self._fonts(fonts)
        with self.ctx.read() as s:
            info = station_info(s, home_station(s))
            village_id, village_name = _village(info, village)
            from .children import ChildService

            ids_stmt = ChildService(self.ctx).search_statement(
                s, ChildQuery(due_before=date_to, village_id=village_id, sort="village"))
            ids = list(s.scalars(ids_stmt))
            children: list[Child] = []
            for chunk in _chunks(ids, 500):
                children += s.scalars(select(Child).where(Child.id.in_(chunk))).all()
            if not include_overdue:
                children = [c for c in children if c.next_visit_due and c.next_visit_due >= date_from]
            facts = _facts(s, children, today, full_id)
        if not facts:
            where = f"{village_name}" if village_name else "本站"
            raise WeibaoError(
                f"{where}在{date_from:%Y-%m-%d}至{date_to:%Y-%m-%d}没有应走访的儿童", "date_to")
        facts.sort(key=lambda c: (c.village == "", c.village, c.next_visit_due or date_to, name_key(c.name)))
        sheets = RoundSheets(info.name, date_from, date_to, village_name, tuple(facts), include_overdue)
        doc = forms.render_round(sheets, fontset, self._by(), progress=progress, cancelled=cancelled)
        if doc is None:
            return None
        title = f"{forms.ROUND_FORM}（{date_from:%Y-%m-%d}至{date_to:%Y-%m-%d}，{len(facts)}人）"
        return PrintJob("round", title, tuple(c.uuid for c in facts), full_id, doc)

    def file_card(self, child: str | int, *, full_id: bool = False, fonts: Fonts = None,
                  last_visits: int = 5) -> PrintJob:
        """儿童档案卡: the whole file, its colour history and the last visits."""
        today = self.ctx.today()
        with self.ctx.read() as s:
            station = home_station(s)
            kid = get_child(s, child, include_deleted=True)
            facts = _facts(s, [kid], today, full_id)[0]
            card = _file_card(s, station.name, kid, facts, full_id, last_visits)
        doc = forms.render_file_card(card, self._fonts(fonts), self._by())
        return PrintJob("file_card", f"{forms.FILE_CARD_FORM}（{facts.name}）", (facts.uuid,), full_id, doc)

    def clue(self, clue_uuid: str, *, full_id: bool = False, fonts: Fonts = None) -> PrintJob:
        """强制报告线索登记表, with every step so far and blank boxes for the steps still to come."""
        today = self.ctx.today()
        with self.ctx.read() as s:
            station = home_station(s)
            c = _by_uuid(s, ReportClue, clue_uuid, "线索")
            kid = s.get_one(Child, c.child_id) if c.child_id else None
            facts = _facts(s, [kid], today, full_id)[0] if kid else None
            steps = []
            for step, (at_f, by_f, text_f) in _STEPS:
                at = getattr(c, at_f)
                steps.append((CLUE_STATE.label_of(step), f"{at:%Y-%m-%d %H:%M}" if at else "",
                              getattr(c, by_f) or "", getattr(c, text_f) or ""))
            refs = s.scalars(select(Referral).where(Referral.clue_id == c.id, live(Referral))
                             .order_by(Referral.referred_on)).all()
            sheet = ClueSheet(
                station=station.name, uuid=c.uuid, file_no=_no(c.uuid), child_name=c.child_name or "",
                child=facts, received_at=c.received_at, received_by=c.received_by,
                source=CLUE_SOURCE.label_of(c.source), reporter=c.reporter or "",
                reporter_phone=c.reporter_phone or "", content=c.content,
                reported_to=tuple(REPORTED_TO.label_of(x) for x in split_codes(c.reported_to)),
                state=CLUE_STATE.label_of(c.state), steps=tuple(steps),
                situations=tuple(CLUE_SITUATION.label_of(x) for x in split_codes(c.situations)),
                reported_at=f"{c.reported_at:%Y-%m-%d %H:%M}" if c.reported_at else "",
                report_receiver=c.report_receiver or "", receipt=c.receipt or "",
                referrals=tuple((f"{r.referred_on:%Y-%m-%d}", _target(r), REFERRAL_STATE.label_of(r.state))
                                for r in refs),
            )
        doc = forms.render_clue(sheet, self._fonts(fonts), self._by())
        subjects = (sheet.uuid,) + ((facts.uuid,) if facts else ())
        return PrintJob("clue", f"{forms.CLUE_FORM}（{sheet.file_no}）", subjects, full_id, doc)

    def referral(self, referral_uuid: str, *, full_id: bool = False, fonts: Fonts = None) -> PrintJob:
        """转介单 with a tear-off receipt for the receiving office."""
        today = self.ctx.today()
        with self.ctx.read() as s:
            station = home_station(s)
            r = _by_uuid(s, Referral, referral_uuid, "转介")
            kid = s.get_one(Child, r.child_id) if r.child_id else None
            clue = s.get(ReportClue, r.clue_id) if r.clue_id else None
            facts = _facts(s, [kid], today, full_id)[0] if kid else None
            sheet = ReferralSheet(
                station=station.name, uuid=r.uuid, file_no=_no(r.uuid), child=facts,
                child_name=kid.name if kid else (clue.child_name if clue else "") or "",
                target=REFERRAL_TARGET.label_of(r.target), target_name=r.target_name or "",
                referred_on=r.referred_on, reason=r.reason or "", state=REFERRAL_STATE.label_of(r.state),
                state_on=r.state_on, feedback=r.feedback or "", handled_by=r.handled_by or "",
                clue_no=_no(clue.uuid) if clue else "", clue_content=clue.content if clue else "",
            )
        doc = forms.render_referral(sheet, self._fonts(fonts), self._by())
        subjects = (sheet.uuid,) + ((facts.uuid,) if facts else ())
        return PrintJob("referral", f"{forms.REFERRAL_FORM}（{sheet.file_no}）", subjects, full_id, doc)


    def sign_in_sheet(self, activity_uuid: str, *, fonts: Fonts = None) -> PrintJob:
        """活动签到表 for an activity: the linked children pre-filled (names only), blank lines for the rest."""
        from ..domain.codes import ACTIVITY_KIND, PARTNER
        from ..printing.work_forms import SIGN_IN_FORM, SignInSheet, render_sign_in
        from .station_work import ActivityService

        a = ActivityService(self.ctx).get(activity_uuid)
        with self.ctx.read() as s:
            station = home_station(s)
            villages = {uuid: village for uuid, village in s.execute(
                select(Child.uuid, Village.name).join(Village, Village.id == Child.village_id)
                .where(Child.uuid.in_([uuid for uuid, _n in a.children])))}
            name = station.name
        partners = "、".join(PARTNER.label_of(c) for c in a.partners.split(",")) if a.partners else ""
        sheet = SignInSheet(name, a.held_on, f"{a.start_time}–{a.end_time}", ACTIVITY_KIND.label_of(a.kind), a.place,
                            a.organiser, partners, a.content,
                            tuple((n, villages.get(uuid, "")) for uuid, n in a.children))
        doc = render_sign_in(sheet, self._fonts(fonts), self._by())
        return PrintJob("sign_in", f"{SIGN_IN_FORM}（{a.held_on:%Y-%m-%d} {a.place}）",
                        (a.uuid, *(uuid for uuid, _n in a.children)), False, doc)

    def incident(self, incident_uuid: str, *, full_id: bool = False, fonts: Fonts = None) -> PrintJob:
        """重大事项报告单, to send with (or before) the package; the child's id masked unless asked."""
        from ..domain.codes import INCIDENT_KIND
        from ..printing.work_forms import INCIDENT_FORM, IncidentSheet, render_incident
        from .incidents import IncidentService

        info = IncidentService(self.ctx).get(incident_uuid)
        with self.ctx.read() as s:
            station = home_station(s).name
            kid = s.scalar(select(Child).where(Child.uuid == info.child_uuid)) if info.child_uuid else None
            number = (kid.id_number if full_id else mask_id_number(kid.id_number)) if kid and kid.id_number else ""
        child = f"{info.child_name or ''}{'　' + number if number else ''}"
        sheet = IncidentSheet(station, _no(info.uuid), INCIDENT_KIND.label_of(info.kind), child, info.occurred_at,
                              info.learned_at, info.reported_at, info.reported_to or "", info.receiver or "",
                              info.reported_by, info.place or "", info.summary, info.measures or "",
                              info.progress or "")
        doc = render_incident(sheet, self._fonts(fonts), self._by())
        subjects = (info.uuid,) + ((info.child_uuid,) if info.child_uuid else ())
        return PrintJob("incident", f"{INCIDENT_FORM}（{sheet.file_no}）", subjects, full_id, doc)

    def monthly(self, month: str, *, template: str | Path | None = None, fonts: Fonts = None) -> PrintJob:
        """The 月报 of a month (the default indicators, or a template's) laid out for paper: counts only."""
        from ..printing.work_forms import MonthlySheet, render_monthly
        from .monthly_report import DEFAULT_TEMPLATE, VOCABULARY, MonthlyReportService, template_indicators

        indicators = template_indicators(template) if template else DEFAULT_TEMPLATE
        report = MonthlyReportService(self.ctx).build(month, indicators)
        with self.ctx.read() as s:
            station = home_station(s).name
        sheet = MonthlySheet(station, report.title, report.month, report.unit_label, report.indicators, report.rows,
                             report.total, tuple((n, VOCABULARY[n].rule) for n in report.indicators))
        return PrintJob("monthly", report.title, (), False, render_monthly(sheet, self._fonts(fonts), self._by()))

    def save_pdf(self, job: PrintJob, path: str | Path) -> Path:
        """Write the PDF and record it in the print log."""
        path = Path(path)
        if path.suffix.lower() != ".pdf":
            raise WeibaoError("输出文件名应以 .pdf 结尾", "output")
        if not path.parent.is_dir():
            raise WeibaoError(f"文件夹“{path.parent}”不存在", "output")
        # Written in the data folder's private temporary folder and placed in one step: nothing half written,
        # and no copy of the children's data left beside the target when anything fails.
        try:
            with self.ctx.store.private_temp().writing(path) as staged:
                job.document.write_pdf(staged)
        except OSError as e:
            raise WeibaoError(f"无法写入“{path}”：{e.strerror or e}（文件是否正在被其他程序打开？）", "output") from None
        self.record(job, str(path))
        return path

    def record(self, job: PrintJob, target: str) -> None:
        """One row of the print log: who, when, which form about whom, pages, full ids or not, where to."""
        from . import audit

        with self.ctx.tx() as s:
            s.add(PrintLog(
                actor=self.ctx.actor.name, form=job.form, title=job.title[:200], subjects=list(job.subjects),
                subject_count=len(job.subjects), pages=job.pages, full_id=job.full_id, target=target[:300],
            ))
            # The chain's twin of the print-log line: uuids and counts, not the title (it names the child).
            audit.append(s, self.ctx.actor, "print", audit.file_name(target),
                         {"form": job.form, "count": len(job.subjects), "pages": job.pages, "full_id": job.full_id,
                          "subjects": list(job.subjects)[:200]})

    def log(self, limit: int = 50, offset: int = 0) -> list[PrintLogInfo]:
        """The print log, newest first."""
        with self.ctx.read() as s:
            rows = s.scalars(select(PrintLog).order_by(PrintLog.printed_at.desc(), PrintLog.id.desc())
                             .offset(offset).limit(limit))
            return [PrintLogInfo(r.printed_at, r.actor, r.form, FORM_LABELS.get(r.form, r.form), r.title,
                                 r.subject_count, r.pages, r.full_id, r.target) for r in rows]

    def log_count(self) -> int:
        with self.ctx.read() as s:
            return s.scalar(select(func.count()).select_from(PrintLog)) or 0


    def _fonts(self, fonts: Fonts) -> FontSet:
        return fonts if isinstance(fonts, FontSet) else default_fonts(fonts)

    def _by(self) -> PrintedBy:
        return PrintedBy(self.ctx.actor.name)


# The steps after 受理 (whose content has its own box), each printed with its time, who and what.
_STEPS = (
    ("investigating", ("investigated_at", "investigated_by", "investigation")),
    ("handling", ("handled_at", "handled_by", "handling")),
    ("closed", ("feedback_at", "feedback_by", "feedback")),
)


def _no(uuid: str) -> str:
    """The short number printed on paper to find the record again (first 8 characters of its uuid)."""
    return uuid.replace("-", "")[:8].upper()


def _target(r: Referral) -> str:
    label = REFERRAL_TARGET.label_of(r.target)
    return f"{label}（{r.target_name}）" if r.target_name else label


def _chunks(items: list, n: int):
    for i in range(0, len(items), n):
        yield items[i:i + n]


def _village(info, village: str | int | None) -> tuple[int | None, str | None]:
    if village is None or village == "":
        return None, None
    for v in info.villages:
        if v.id == village or v.name == village or v.code == village:
            return v.id, v.name
    raise WeibaoError(f"本站没有村(社区)“{village}”", "village")


def _guardian(people: list[Person]) -> tuple[str, str]:
    """The person a visitor asks for: the marked guardian, else an entrusted one, else a parent at home."""
    def rank(p: Person) -> tuple:
        return (not p.is_guardian, p.relation != "entrusted", p.status != "home", p.id)

    alive = [p for p in people if p.status != "dead" and p.name]
    if not alive:
        return "", ""
    p = min(alive, key=rank)
    relation = p.relation_detail or PERSON_RELATION.label_of(p.relation)
    return f"{p.name}（{relation}）", p.phone or ""


def _facts(s: Session, children: list[Child], today: dt.date, full_id: bool) -> list[ChildFacts]:
    """ChildFacts for many children in four queries."""
    if not children:
        return []
    ids = [c.id for c in children]
    villages: dict[int | None, str] = dict(s.execute(select(Village.id, Village.name).where(
        Village.id.in_({c.village_id for c in children if c.village_id}))).all())
    people: dict[int, list[Person]] = {}
    cats: dict[int, list[str]] = {}
    for chunk in _chunks(ids, 500):
        for cid, p in s.execute(family_of(chunk)):
            people.setdefault(cid, []).append(p)
        for cid, code in s.execute(current_categories(chunk, today)):
            cats.setdefault(cid, []).append(code)
    order = {code: i for i, code in enumerate(CATEGORY.keys())}
    out = []
    for c in children:
        guardian, phone = _guardian(people.get(c.id, []))
        school = SCHOOLING.label_of(c.schooling)
        if c.school_name:
            school = f"{school}（{c.school_name}）" if school else c.school_name
        health = HEALTH.label_of(c.health)
        out.append(ChildFacts(
            uuid=c.uuid, file_no=_no(c.uuid), name=c.name, sex=SEX.label_of(c.sex), birth_date=c.birth_date,
            age=age_text(c.birth_date, today),
            id_number=(c.id_number or "") if full_id else mask_id_number(c.id_number),
            ethnicity=c.ethnicity or "", village=villages.get(c.village_id, ""),
            residence_address=c.residence_address or "", hukou_address=c.hukou_address or "",
            categories=tuple(CATEGORY.label_of(k) for k in sorted(cats.get(c.id, []), key=order.__getitem__)),
            colour=c.risk_colour, colour_set_on=c.colour_set_on, guardian=guardian,
            guardian_phone=phone or c.contact_phone or "", schooling=school, health=health,
            paired_helper=c.paired_helper or "", last_visit_on=c.last_visit_on, next_visit_due=c.next_visit_due,
            days_overdue=days_overdue(c.next_visit_due, today) if c.status == "active" else 0,
        ))
    return out


def _visit_facts(v: Visit) -> VisitFacts:
    return VisitFacts(
        uuid=v.uuid, visited_on=v.visited_on, visitors=v.visitors, mode=VISIT_MODE.label_of(v.mode),
        living=v.living or "", study=v.study or "", health=v.health or "", safety=v.safety or "",
        psychology=v.psychology or "", guardianship=v.guardianship or "", problems=v.problems or "",
        measures=v.measures or "", next_due_on=v.next_due_on,
    )


def _d(day: dt.date | None) -> str:
    return f"{day:%Y-%m-%d}" if day else ""


def _file_card(s: Session, station: str, kid: Child, facts: ChildFacts, full_id: bool, last: int) -> FileCard:
    people = [p for _, p in s.execute(family_of([kid.id]))]
    cats = s.scalars(select(CategoryMembership).where(
        CategoryMembership.child_id == kid.id, live(CategoryMembership))
        .order_by(CategoryMembership.start_on)).all()
    from ..models.entities import Relief

    reliefs = s.scalars(select(Relief).where(Relief.child_id == kid.id, live(Relief))
                        .order_by(Relief.id)).all()
    assessments = s.scalars(select(Assessment).where(Assessment.child_id == kid.id, live(Assessment))
                            .order_by(Assessment.assessed_on.desc(), Assessment.id.desc())).all()
    helps = s.scalars(select(HelpMeasure).where(HelpMeasure.child_id == kid.id, live(HelpMeasure))
                      .order_by(HelpMeasure.started_on.desc())).all()
    refs = s.scalars(select(Referral).where(Referral.child_id == kid.id, live(Referral))
                     .order_by(Referral.referred_on.desc())).all()
    visits = s.scalars(select(Visit).where(Visit.child_id == kid.id, live(Visit))
                       .order_by(Visit.visited_on.desc(), Visit.id.desc()).limit(last)).all()
    visit_total = s.scalar(select(func.count()).select_from(Visit).where(
        Visit.child_id == kid.id, live(Visit))) or 0

    def result(a: Assessment) -> str:
        if a.kind == "risk":
            return a.result  # a colour code: the form prints a swatch and its name
        if a.kind == "guardianship":
            text = GUARDIANSHIP_RESULT.label_of(a.result)
            kind = GUARDIANSHIP_TYPE.label_of(a.guardianship_type)
            return text + (f"（{kind}）" if kind and kind != text else "")
        return a.result

    def idn(number: str | None) -> str:
        return (number or "") if full_id else mask_id_number(number)

    health = HEALTH.label_of(kid.health)
    extra = "；".join(x for x in (
        f"残疾：{kid.disability_kind or ''}{kid.disability_grade or ''}" if kid.disability_kind else "",
        f"患病：{kid.illness}" if kid.illness else "") if x)
    schooling = facts.schooling + ("，寄宿" if kid.boarding else "")
    closed = ""
    if kid.status == "closed":
        closed = f"{_d(kid.closed_on)} {CLOSE_REASON.label_of(kid.closed_reason)}" + (
            f"：{kid.closed_note}" if kid.closed_note else "")
    return FileCard(
        station=station, child=facts, status=CHILD_STATUS.label_of(kid.status), opened_on=kid.opened_on,
        updated=f"{kid.updated_at:%Y-%m-%d} {kid.updated_by}", closed=closed, schooling_detail=schooling,
        health_detail="；".join(x for x in (health, extra) if x),
        income_sources="、".join(INCOME_SOURCE.label_of(x) for x in split_codes(kid.income_sources)),
        notes=kid.notes or "",
        people=tuple(PersonLine(
            relation=p.relation_detail or PERSON_RELATION.label_of(p.relation), name=p.name or "",
            birth_date=_d(p.birth_date), id_number=idn(p.id_number), phone=p.phone or "",
            status=PERSON_STATUS.label_of(p.status), work_place=p.work_place or "", guardian=bool(p.is_guardian),
        ) for p in people),
        categories=tuple((CATEGORY.label_of(m.category), _d(m.start_on), _d(m.end_on) or "—") for m in cats),
        reliefs=tuple((RELIEF.label_of(r.kind), f"{_d(r.start_on)} 至 {_d(r.end_on) or '今'}" if r.start_on else "",
                       r.amount or "", r.note or "") for r in reliefs),
        assessments=tuple((_d(a.assessed_on), ASSESSMENT_KIND.label_of(a.kind), result(a), a.assessor,
                           a.reason or "") for a in assessments),
        helps=tuple((_d(h.started_on), HELP_KIND.label_of(h.kind), h.responsible or "",
                     HELP_STATE.label_of(h.state), h.description or "") for h in helps),
        referrals=tuple((_d(r.referred_on), _target(r), REFERRAL_STATE.label_of(r.state), r.reason or "",
                         r.feedback or "") for r in refs),
        visits=tuple(_visit_facts(v) for v in visits), visit_total=visit_total,
    )


__all__ = ["PrintService", "PrintJob", "PrintLogInfo", "FORM_LABELS"]
