"""Care arrangements (监护与照护安排) of a child, and the warnings they raise.

The queries the dashboard and the 资格核查 ask are module functions on a session
(`trustees_without_agreement`, `expiring_agreements`), so another service can use them in its own read.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, exists, select
from sqlalchemy.orm import Session

from ..domain.care import CARE_KIND, EXPIRY_WARNING_DAYS, SIGNED_KINDS
from ..domain.codes import PERSON_RELATION
from ..domain.errors import WeibaoError
from ..domain.fields import clean_values
from ..models.entities import Child, Person
from ..models.households import CareArrangement
from .base import Context, home_station
from .children import get_child
from .queries import family_join, family_of, in_force, live
from .records import apply_changes, new_record, tombstone


@dataclass(frozen=True)
class CareInfo:
    uuid: str
    rev: int
    child_uuid: str
    kind: str
    kind_label: str
    carer_name: str | None
    carer_id_number: str | None
    carer_phone: str | None
    carer_relation: str | None
    carer_address: str | None
    parties: str | None
    decided_by: str | None
    signed_on: dt.date | None
    start_on: dt.date | None
    end_on: dt.date | None
    review_on: dt.date | None
    note: str | None
    in_force: bool
    expiring: bool  # in force, and its term ends within 30 days


@dataclass(frozen=True)
class CareWarning:
    child_uuid: str
    child_name: str
    text: str


class CareService:
    def __init__(self, ctx: Context):
        self.ctx = ctx

    def for_child(self, child_key: str | int) -> list[CareInfo]:
        with self.ctx.read() as s:
            child = get_child(s, child_key, include_deleted=True)
            rows = s.scalars(select(CareArrangement).where(CareArrangement.child_id == child.id, live(CareArrangement))
                             .order_by(CareArrangement.start_on.desc(), CareArrangement.id.desc()))
            return [self._info(a, child.uuid) for a in rows]

    def proposal(self, child_key: str | int, kind: str = "entrusted_care") -> dict:
        """A new arrangement's fields taken from the family: the 被委托人 and the parents who sign."""
        with self.ctx.read() as s:
            child = get_child(s, child_key)
            people = [p for _, p in s.execute(family_of([child.id]))]
        out: dict = {"kind": kind, "start_on": self.ctx.today()}
        carer = next((p for p in people if p.relation == "entrusted"), None)
        if carer is not None and kind in ("entrusted_care", "temp_care_relative"):
            out.update(carer_name=carer.name, carer_id_number=carer.id_number, carer_phone=carer.phone,
                       carer_relation=carer.relation_detail, carer_address=carer.address)
        guardian = next((p for p in people if p.is_guardian and p.relation != "entrusted"), None)
        if kind == "guardian_confirmation" and guardian is not None:
            out.update(carer_name=guardian.name, carer_id_number=guardian.id_number, carer_phone=guardian.phone,
                       carer_relation=guardian.relation_detail or PERSON_RELATION.label_of(guardian.relation),
                       carer_address=guardian.address)
        parents = [p.name for p in people if p.relation in ("father", "mother") and p.name and p.status != "dead"]
        if parents and kind == "entrusted_care":
            out["parties"] = "、".join(parents)
        return out

    def add(self, child_key: str | int, values: dict) -> CareInfo:
        clean = self._checked(values, partial=False)
        with self.ctx.tx() as s:
            station = home_station(s)
            child = get_child(s, child_key)
            a = new_record(s, CareArrangement, {**clean, "child_id": child.id}, self.ctx.actor, origin=station.code)
            s.flush()
            return self._info(a, child.uuid)

    def update(self, uuid: str, values: dict) -> CareInfo:
        clean = self._checked(values, partial=True)
        with self.ctx.tx() as s:
            station = home_station(s)
            a = _arrangement(s, uuid)
            _check_term({"start_on": a.start_on, "end_on": a.end_on, "signed_on": a.signed_on, **clean})
            apply_changes(s, a, clean, self.ctx.actor, origin=station.code)
            return self._info(a, s.get_one(Child, a.child_id).uuid)

    def remove(self, uuid: str) -> None:
        with self.ctx.tx() as s:
            station = home_station(s)
            tombstone(s, _arrangement(s, uuid), self.ctx.actor, origin=station.code)

    def warnings(self) -> list[CareWarning]:
        """The dashboard's care warnings: 被委托人 without a signed agreement, agreements ending within 30 days, and a
        red child with no placement recorded (红色: immediate intervention; where is the child now?)."""
        today = self.ctx.today()
        with self.ctx.read() as s:
            station = home_station(s)
            out = [CareWarning(u, name, f"被委托人{carer or ''}未签订委托照护协议")
                   for u, name, carer in trustees_without_agreement(s, station.id, today)]
            out += [CareWarning(u, name, f"{CARE_KIND.label_of(kind)}将于{end:%Y-%m-%d}到期（{carer or ''}）")
                    for u, name, kind, carer, end in expiring_agreements(s, station.id, today)]
            out += [CareWarning(u, name, "红色等级，尚未登记安置情况") for u, name in s.execute(
                select(Child.uuid, Child.name).where(Child.station_id == station.id, live(Child),
                                                     Child.status == "active", Child.risk_colour == "red",
                                                     Child.placement.is_(None)).order_by(Child.name))]
            return out

    def _checked(self, values: dict, *, partial: bool) -> dict:
        clean = clean_values("care_arrangement", values, partial=partial, today=self.ctx.today())
        if not partial:
            _check_term(clean)
            if clean["kind"] in ("entrusted_care", "guardian_confirmation", "temp_care_relative") \
                    and not clean.get("carer_name"):
                raise WeibaoError("请填写被委托人（或监护人、照护人）姓名", "carer_name")
        return clean

    def _info(self, a: CareArrangement, child_uuid: str) -> CareInfo:
        today = self.ctx.today()
        current = in_force_on(a, today)
        return CareInfo(a.uuid, a.rev, child_uuid, a.kind, CARE_KIND.label_of(a.kind), a.carer_name, a.carer_id_number,
                        a.carer_phone, a.carer_relation, a.carer_address, a.parties, a.decided_by, a.signed_on,
                        a.start_on, a.end_on, a.review_on, a.note, current,
                        current and a.end_on is not None and a.end_on <= today + dt.timedelta(days=EXPIRY_WARNING_DAYS))


def in_force_on(a: CareArrangement, on: dt.date) -> bool:
    from ..domain.care import in_force as care_in_force

    return care_in_force(a.start_on, a.end_on, on)


def _check_term(values: dict) -> None:
    start, end, signed = values.get("start_on"), values.get("end_on"), values.get("signed_on")
    if start and end and end < start:
        raise WeibaoError("到期日期不能早于开始日期", "end_on")
    if values.get("review_on") and start and values["review_on"] < start:
        raise WeibaoError("复核日期不能早于开始日期", "review_on")
    if signed and end and signed > end:
        raise WeibaoError("签订日期不能晚于到期日期", "signed_on")


def _arrangement(s: Session, uuid: str) -> CareArrangement:
    a = s.scalar(select(CareArrangement).where(CareArrangement.uuid == uuid, live(CareArrangement)))
    if a is None:
        raise WeibaoError("找不到该监护与照护安排", "uuid")
    return a


def signed_agreement(on: dt.date):
    """SQL condition on a Child: it has a signed 委托照护协议 in force on `on`."""
    return exists().where(CareArrangement.child_id == Child.id, CareArrangement.kind == "entrusted_care",
                          CareArrangement.signed_on.is_not(None), live(CareArrangement),
                          in_force(CareArrangement.start_on, CareArrangement.end_on, on))


def trustees_without_agreement(s: Session, station_id: int, on: dt.date) -> list[tuple[str, str, str | None]]:
    """(child uuid, child name, 被委托人 name) of active children whose family names a 被委托人 (their own
    relative or their household's) but who have no signed 委托照护协议 in force on `on`. One row per child.
    The 资格核查 lists the same children."""
    rows = s.execute(
        select(Child.uuid, Child.name, Person.name).join(Person, family_join())
        .where(Child.station_id == station_id, live(Child), Child.status == "active", live(Person),
               Person.relation == "entrusted", ~signed_agreement(on))
        .order_by(Child.name, Child.id, Person.id))
    out: dict[str, tuple[str, str, str | None]] = {}
    for uuid, name, carer in rows:
        out.setdefault(uuid, (uuid, name, carer))
    return list(out.values())


def expiring_agreements(s: Session, station_id: int, on: dt.date, days: int = EXPIRY_WARNING_DAYS
                        ) -> list[tuple[str, str, str, str | None, dt.date]]:
    """(child uuid, name, kind, carer, end) of arrangements in force whose term ends within `days` days."""
    return [tuple(r) for r in s.execute(  # type: ignore[misc]
        select(Child.uuid, Child.name, CareArrangement.kind, CareArrangement.carer_name, CareArrangement.end_on)
        .join(Child, Child.id == CareArrangement.child_id)
        .where(Child.station_id == station_id, live(Child), Child.status == "active", live(CareArrangement),
               and_(CareArrangement.end_on > on, CareArrangement.end_on <= on + dt.timedelta(days=days)),
               in_force(CareArrangement.start_on, CareArrangement.end_on, on))
        .order_by(CareArrangement.end_on, Child.name))]


__all__ = ["CareService", "CareInfo", "CareWarning", "trustees_without_agreement", "expiring_agreements",
           "signed_agreement", "SIGNED_KINDS"]


def care_print_job(ctx: Context, uuid: str, *, full_id: bool = False, fonts=None):
    """The 委托照护协议 or 监护责任确认书 of an arrangement, filled from the file (services.printing.PrintJob)."""
    from ..domain.idnumber import mask_id_number
    from ..printing import care_forms
    from .printing import PrintJob, PrintService, _facts, _no

    with ctx.read() as s:
        station = home_station(s)
        a = _arrangement(s, uuid)
        if a.kind not in SIGNED_KINDS:
            raise WeibaoError(f"“{CARE_KIND.label_of(a.kind)}”没有可打印的文书（可打印委托照护协议、监护责任确认书）",
                              "kind")
        child = s.get_one(Child, a.child_id)
        facts = _facts(s, [child], ctx.today(), full_id)[0]
        parents = [p for _, p in s.execute(family_of([child.id])) if p.relation in ("father", "mother")]

        def number(value: str | None) -> str:
            return (value or "") if full_id else mask_id_number(value)

        sheet = care_forms.CareSheet(
            station=station.name, file_no=_no(a.uuid), child=facts, kind=a.kind, carer_name=a.carer_name or "",
            carer_id_number=number(a.carer_id_number), carer_phone=a.carer_phone or "",
            carer_relation=a.carer_relation or "", carer_address=a.carer_address or "",
            parties=tuple((PERSON_RELATION.label_of(p.relation), p.name or "", number(p.id_number), p.phone or "")
                          for p in parents),
            signed_on=a.signed_on, start_on=a.start_on, end_on=a.end_on, review_on=a.review_on, note=a.note or "")
    service = PrintService(ctx)
    if a.kind == "entrusted_care":
        doc, form, label = care_forms.render_agreement(sheet, service._fonts(fonts), service._by()), \
            "care_agreement", care_forms.AGREEMENT_FORM
    else:
        doc, form, label = care_forms.render_confirmation(sheet, service._fonts(fonts), service._by()), \
            "care_confirmation", care_forms.CONFIRMATION_FORM
    return PrintJob(form, f"{label}（{facts.name}）", (uuid, facts.uuid), full_id, doc)
