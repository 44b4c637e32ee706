"""资格核查: the month's findings of every registered check (`domain.eligibility.CHECKS`) over the station's
open files, and a person's resolution of each (认定 / 整改 / 说明), kept until the facts change."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.checks import require_text
from ..domain.eligibility import CHECKS, DECISION, CheckMonth, ChildFacts, fingerprint
from ..domain.errors import WeibaoError
from ..domain.idnumber import mask_id_number
from ..models.entities import Child, HelpMeasure, Village
from ..models.rules import CheckResolution
from .base import Context, home_station
from .queries import current_categories, current_reliefs, family_of, in_scope, live

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_CHUNK = 500  # ids per IN (...) query


@dataclass(frozen=True)
class Finding:
    check: str  # CHECKS code
    title: str
    child_uuid: str
    child_name: str
    village: str
    id_masked: str
    detail: str
    fingerprint: str
    decision: str | None = None  # DECISION code while resolved on these facts
    note: str | None = None
    resolved_by: str | None = None
    resolved_at: dt.datetime | None = None
    reopened: bool = False  # resolved before, on facts that have changed since

    @property
    def resolved(self) -> bool:
        return self.decision is not None

    @property
    def uuid(self) -> str:
        """One finding: a child and a check (lists keep the selection by it)."""
        return f"{self.child_uuid}/{self.check}"


def parse_month(text: str | None, today: dt.date) -> CheckMonth:
    """"2026-11" as a check month; the current month when not given. Refused in Chinese when malformed."""
    if not text:
        return CheckMonth.of(f"{today:%Y-%m}")
    found = _MONTH.match(text.strip())
    if not found or not 1 <= int(found.group(2)) <= 12:
        raise WeibaoError(f"核查月份“{text}”格式不正确，应为“年-月”，如 2026-11", "month")
    return CheckMonth.of(f"{found.group(1)}-{int(found.group(2)):02d}")


class CheckService:
    def __init__(self, ctx: Context):
        self.ctx = ctx

    def findings(self, month: str | CheckMonth | None = None) -> list[Finding]:
        """Every finding of the month, by village, child and check; resolved ones carry their resolution."""
        when = month if isinstance(month, CheckMonth) else parse_month(month, self.ctx.today())
        with self.ctx.read() as s:
            station = home_station(s)
            return _findings(s, station.id, when)

    def resolve(self, child_uuid: str, check_code: str, decision: str, note: str,
                month: str | CheckMonth | None = None) -> Finding:
        """Resolve a finding on the facts as they are now; it stays resolved until they change."""
        code = decision if decision in DECISION else DECISION.parse(decision)
        if code is None:
            raise WeibaoError(f"请选择处理结果：{'、'.join(DECISION.labels())}", "decision")
        text = require_text(note, "note", "处理说明", 1000)
        when = month if isinstance(month, CheckMonth) else parse_month(month, self.ctx.today())
        with self.ctx.tx() as s:
            station = home_station(s)
            current = next((f for f in _findings(s, station.id, when, child_uuid)
                            if f.check == check_code), None)
            if current is None:
                raise WeibaoError("该核查结果已不存在（情况可能已改变），请刷新后再处理", "check")
            s.add(CheckResolution(station_id=station.id, child_uuid=child_uuid, check_code=check_code,
                                  fingerprint=current.fingerprint, decision=code, note=text, month=when.label,
                                  resolved_by=self.ctx.actor.name))
            s.flush()
            return next(f for f in _findings(s, station.id, when, child_uuid) if f.check == check_code)


def _findings(s: Session, station_id: int, month: CheckMonth, child_uuid: str | None = None) -> list[Finding]:
    facts = child_facts(s, station_id, month.last, child_uuid)
    resolutions: dict[tuple[str, str], CheckResolution] = {}
    stmt = select(CheckResolution).where(CheckResolution.station_id == station_id)
    if child_uuid is not None:
        stmt = stmt.where(CheckResolution.child_uuid == child_uuid)
    for r in s.scalars(stmt.order_by(CheckResolution.id)):
        resolutions[(r.child_uuid, r.check_code)] = r  # the latest wins
    out: list[Finding] = []
    for f, village, id_masked in facts:
        for check in CHECKS.values():
            detail = check.find(f, month)
            if detail is None:
                continue
            facts_print = fingerprint(check.code, f)
            last = resolutions.get((f.uuid, check.code))
            held = last is not None and last.fingerprint == facts_print
            out.append(Finding(
                check.code, check.title, f.uuid, f.name, village, id_masked, detail, facts_print,
                decision=last.decision if held and last else None, note=last.note if held and last else None,
                resolved_by=last.resolved_by if held and last else None,
                resolved_at=last.resolved_at if held and last else None, reopened=last is not None and not held))
    return out


def child_facts(s: Session, station_id: int, on: dt.date,
                child_uuid: str | None = None) -> list[tuple[ChildFacts, str, str]]:
    """(facts, village, masked id number) of every open file of the station (or one), by village and name."""
    stmt = (select(Child.id, Child.uuid, Child.name, Village.name, Child.birth_date, Child.id_number,
                   Child.hukou_registered, Child.schooling)
            .outerjoin(Village, Village.id == Child.village_id)
            .where(live(Child), Child.status == "active"))
    stmt = in_scope(s, stmt, station_id)
    if child_uuid is not None:
        stmt = stmt.where(Child.uuid == child_uuid)
    rows = list(s.execute(stmt.order_by(Village.name, Child.name, Child.id)))
    ids = [r[0] for r in rows]
    cats: dict[int, set[str]] = {}
    reliefs: dict[int, set[str]] = {}
    helps: dict[int, set[str]] = {}
    parents: dict[int, dict[str, str | None]] = {}
    for chunk in (ids[i:i + _CHUNK] for i in range(0, len(ids), _CHUNK)):
        for cid, code in s.execute(current_categories(chunk, on)):
            cats.setdefault(cid, set()).add(code)
        for cid, kind in s.execute(current_reliefs(chunk, on)):
            reliefs.setdefault(cid, set()).add(kind)
        for cid, kind in s.execute(select(HelpMeasure.child_id, HelpMeasure.kind)
                                   .where(HelpMeasure.child_id.in_(chunk), live(HelpMeasure))):
            helps.setdefault(cid, set()).add(kind)
        for cid, person in s.execute(family_of(chunk)):  # the child's own and its household's parents
            if person.relation in ("father", "mother"):
                parents.setdefault(cid, {}).setdefault(person.relation, person.status)
    from .care import trustees_without_agreement

    unsigned = {uuid for uuid, _name, _carer in trustees_without_agreement(s, station_id, on)}
    out = []
    for cid, uuid, name, village, birth, number, hukou, schooling in rows:
        family = parents.get(cid, {})
        out.append((ChildFacts(uuid, name, village or "", birth, frozenset(cats.get(cid, ())), family.get("father"),
                               family.get("mother"), bool(hukou) if hukou is not None else True, schooling,
                               frozenset(reliefs.get(cid, ())), frozenset(helps.get(cid, ())),
                               uuid in unsigned, False),
                    village or "", mask_id_number(number) if number else ""))
    return out
