"""Assessments and risk colours, visits, help measures and referrals."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from ..domain.cadence import red_without_action
from ..domain.codes import GUARDIANSHIP_RESULT, REFERRAL_OPEN_STATES, REFERRAL_STATE, RISK_COLOUR
from ..domain.errors import WeibaoError
from ..domain.fields import clean_values
from ..domain.visits import OBSERVATIONS, visit_problems
from ..models.entities import Assessment, Child, HelpMeasure, Referral, ReportClue, Village, Visit
from .base import Context, home_station
from .children import _by_uuid, get_child
from .dto import AssessmentInfo, AssessmentRow, HelpInfo, Page, ReferralInfo, VisitInfo
from .queries import latest_planned, live, open_action_count
from .records import apply_changes, new_record, recompute_due, refresh_visits, tombstone
from .stations import child_cadence


class AssessmentService:
    def __init__(self, ctx: Context):
        self.ctx = ctx

    def assess(
        self,
        child_key: str | int,
        values: dict,
        *,
        paired_helper: str | None = None,
        help_measure: dict | None = None,
        referral: dict | None = None,
        red_deferral: str | None = None,
    ) -> AssessmentInfo:
        """Record an assessment. A risk assessment sets the child's colour; a new colour needs a reason;
        red needs an open help measure or referral (given here, or already open) or a deferral reason;
        orange needs a named 结对帮扶人."""
        clean = clean_values("assessment", values, partial=False, today=self.ctx.today())
        kind = clean["kind"]
        if kind == "risk":
            colour = RISK_COLOUR.parse(clean["result"])
            if colour is None:
                raise WeibaoError(f"风险等级应为：{'、'.join(RISK_COLOUR.labels())}", "result")
            clean["result"] = colour
        elif kind == "guardianship":
            result = GUARDIANSHIP_RESULT.parse(clean["result"])
            if result is None:
                raise WeibaoError(f"监护情况评估结果应为：{'、'.join(GUARDIANSHIP_RESULT.labels())}", "result")
            clean["result"] = result
        with self.ctx.tx() as s:
            station = home_station(s)
            child = get_child(s, child_key)
            if child.status != "active":
                raise WeibaoError(f"{child.name}的档案已销档，不能再评估", "child")
            a = new_record(s, Assessment, {**clean, "child_id": child.id}, self.ctx.actor, origin=station.code)
            if kind == "risk":
                self._set_colour(s, station, child, clean, paired_helper, help_measure, referral, red_deferral)
            s.flush()
            return _assessment_info(a, child.uuid)

    def _set_colour(self, s, station, child, clean, paired_helper, help_measure, referral, red_deferral) -> None:
        colour = clean["result"]
        if child.colour_set_on is not None and clean["assessed_on"] < child.colour_set_on:
            return  # a back-dated assessment joins the history but does not replace a later colour
        if colour != child.risk_colour and not (clean.get("reason") or "").strip():
            raise WeibaoError("改变风险等级须写明理由", "reason")
        changes: dict = {"risk_colour": colour}
        if colour == "orange":
            helper = (paired_helper or child.paired_helper or "").strip()
            if not helper:
                raise WeibaoError("橙色等级须指定“一对一”结对帮扶人", "paired_helper")
            changes["paired_helper"] = helper
        if help_measure:
            HelpService(self.ctx)._add(s, station, child, help_measure)
        if referral:
            ReferralService(self.ctx)._add(s, station, child, None, referral)
        s.flush()
        deferral = (red_deferral or "").strip() or None
        if colour == "red":
            if red_without_action(colour, open_action_count(s, child.id), bool(deferral)):
                raise WeibaoError(
                    "设为红色等级须同时登记帮扶措施或转介（心理干预、生活救助、法律援助、转学安置等），"
                    "或写明暂缓的原因", "help_measure",
                )
            changes["red_deferral"] = deferral
        else:
            changes["red_deferral"] = None
        apply_changes(s, child, changes, self.ctx.actor, origin=station.code)
        child.colour_set_on = clean["assessed_on"]
        recompute_due(child, child_cadence(s, child), planned_on=latest_planned(s, child.id))

    def page(self, *, kind: str | None = "risk", changes_only: bool = False, text: str | None = None,
             offset: int = 0, limit: int = 100) -> Page:
        """The station's assessments, newest first, each with the result it replaced (风险评估 page)."""
        earlier = aliased(Assessment)
        previous = (
            select(earlier.result)
            .where(
                earlier.child_id == Assessment.child_id, earlier.kind == Assessment.kind,
                live(earlier),
                or_(earlier.assessed_on < Assessment.assessed_on,
                    and_(earlier.assessed_on == Assessment.assessed_on, earlier.id < Assessment.id)),
            )
            .order_by(earlier.assessed_on.desc(), earlier.id.desc())
            .limit(1)
            .correlate(Assessment)
            .scalar_subquery()
        )
        with self.ctx.read() as s:
            station = home_station(s)
            stmt = (
                select(Assessment, Child.uuid, Child.name, Village.name, Child.risk_colour, previous.label("previous"))
                .join(Child, Child.id == Assessment.child_id)
                .outerjoin(Village, Village.id == Child.village_id)
                .where(live(Assessment), live(Child), Child.station_id == station.id)
            )
            if kind:
                stmt = stmt.where(Assessment.kind == kind)
            if changes_only:
                stmt = stmt.where(or_(previous.is_(None), previous != Assessment.result))
            if text and text.strip():
                stmt = stmt.where(Child.name.contains(text.strip(), autoescape=True))
            total = s.scalar(select(func.count()).select_from(stmt.subquery())) or 0
            rows = s.execute(
                stmt.order_by(Assessment.assessed_on.desc(), Assessment.id.desc()).offset(offset).limit(limit))
            return Page([
                AssessmentRow(a.uuid, cuuid, name, village, a.kind, a.assessed_on, a.assessor, a.result, prev,
                              a.reason, colour)
                for a, cuuid, name, village, colour, prev in rows
            ], total, offset, limit)

    def history(self, child_key: str | int, kind: str | None = None) -> list[AssessmentInfo]:
        with self.ctx.read() as s:
            child = get_child(s, child_key, include_deleted=True)
            stmt = select(Assessment).where(Assessment.child_id == child.id, live(Assessment))
            if kind:
                stmt = stmt.where(Assessment.kind == kind)
            rows = s.scalars(stmt.order_by(Assessment.assessed_on.desc(), Assessment.id.desc()))
            return [_assessment_info(a, child.uuid) for a in rows]


class VisitService:
    def __init__(self, ctx: Context):
        self.ctx = ctx

    def propose_next_due(self, child_key: str | int, visited_on: dt.date | None = None) -> dt.date:
        """The date the form offers for the next visit: the visit day plus the colour's interval."""
        with self.ctx.read() as s:
            home_station(s)  # refuses, in Chinese, on a store not yet set up
            child = get_child(s, child_key)
            return (visited_on or self.ctx.today()) + child_cadence(s, child).interval(child.risk_colour)

    def record(self, child_key: str | int, values: dict) -> VisitInfo:
        clean = clean_values("visit", values, partial=False, today=self.ctx.today())
        for field, message in visit_problems(clean)[:1]:
            raise WeibaoError(message, field)
        with self.ctx.tx() as s:
            station = home_station(s)
            child = get_child(s, child_key)
            v = write_visit(s, station.code, child, clean, self.ctx.actor)
            return _visit_info(v, child)

    def update(self, visit_uuid: str, values: dict) -> VisitInfo:
        clean = clean_values("visit", values, partial=True, today=self.ctx.today())
        with self.ctx.tx() as s:
            station = home_station(s)
            v = _by_uuid(s, Visit, visit_uuid, "走访")
            stored = {name: getattr(v, name) for name in ("mode", *OBSERVATIONS)}
            for field, message in visit_problems({**stored, **clean})[:1]:
                raise WeibaoError(message, field)
            child = s.get_one(Child, v.child_id)
            check_next({"visited_on": clean.get("visited_on", v.visited_on),
                              "next_due_on": clean.get("next_due_on", v.next_due_on)},
                             child_cadence(s, child), child.risk_colour)
            apply_changes(s, v, clean, self.ctx.actor, origin=station.code)
            refresh_visits(s, child, child_cadence(s, child))
            return _visit_info(v, child)

    def delete(self, visit_uuid: str) -> None:
        with self.ctx.tx() as s:
            station = home_station(s)
            v = _by_uuid(s, Visit, visit_uuid, "走访")
            tombstone(s, v, self.ctx.actor, origin=station.code)
            child = s.get_one(Child, v.child_id)
            refresh_visits(s, child, child_cadence(s, child))

    def get(self, visit_uuid: str) -> VisitInfo:
        with self.ctx.read() as s:
            v = _by_uuid(s, Visit, visit_uuid, "走访")
            return _visit_info(v, s.get_one(Child, v.child_id))

    def for_child(self, child_key: str | int) -> list[VisitInfo]:
        with self.ctx.read() as s:
            child = get_child(s, child_key, include_deleted=True)
            rows = s.scalars(
                select(Visit).where(Visit.child_id == child.id, live(Visit))
                .order_by(Visit.visited_on.desc(), Visit.id.desc())
            )
            return [_visit_info(v, child) for v in rows]

    def page(self, *, date_from: dt.date | None = None, date_to: dt.date | None = None, text: str | None = None,
             offset: int = 0, limit: int = 100) -> Page:
        """Visits of the station, newest first, optionally in a period or for children matching a name."""
        with self.ctx.read() as s:
            station = home_station(s)
            stmt = (
                select(Visit.id)
                .join(Child, Child.id == Visit.child_id)
                .where(live(Visit), live(Child), Child.station_id == station.id)
            )
            if date_from:
                stmt = stmt.where(Visit.visited_on >= date_from)
            if date_to:
                stmt = stmt.where(Visit.visited_on <= date_to)
            if text:
                stmt = stmt.where(Child.name.contains(text.strip(), autoescape=True))
            total = s.scalar(select(func.count()).select_from(stmt.subquery())) or 0
            # The page's ids first (a narrow sort), then their rows: deep pages of a million visits stay quick.
            ids = list(s.scalars(stmt.order_by(Visit.visited_on.desc(), Visit.id.desc()).offset(offset).limit(limit)))
            found = {v.id: (v, c) for v, c in s.execute(
                select(Visit, Child).join(Child, Child.id == Visit.child_id).where(Visit.id.in_(ids)))}
            return Page([_visit_info(*found[i]) for i in ids], total, offset, limit)


def write_visit(s: Session, origin: str, child: Child, clean: dict, actor) -> Visit:
    """A new visit of a child (validated values): the one place a visit is written, from the visit form and from
    a village's 走访任务表 alike. The next due date defaults to the colour's interval; the child's due dates follow."""
    if child.status != "active":
        raise WeibaoError(f"{child.name}的档案已销档，不能再登记走访", "child")
    cadence = child_cadence(s, child)
    if clean.get("next_due_on") is None:
        clean = {**clean, "next_due_on": clean["visited_on"] + cadence.interval(child.risk_colour)}
    check_next(clean, cadence, child.risk_colour)
    v = new_record(s, Visit, {**clean, "child_id": child.id}, actor, origin=origin)
    s.flush()
    refresh_visits(s, child, cadence)
    return v


def check_next(clean: dict, cadence, colour: str | None) -> None:
    nxt = clean.get("next_due_on")
    if nxt is not None and nxt < clean["visited_on"]:
        raise WeibaoError("下次走访时间不能早于本次走访日期", "next_due_on")
    latest = clean["visited_on"] + cadence.interval(colour)
    if nxt is not None and nxt > latest:
        # A planned date may bring the next visit forward, never push it past the colour's cadence.
        raise WeibaoError(
            f"下次走访时间不能晚于{latest:%Y-%m-%d}（{RISK_COLOUR.label_of(colour or 'blue')}色等级至少每"
            f"{cadence.interval(colour).days}天走访一次）", "next_due_on")


class HelpService:
    def __init__(self, ctx: Context):
        self.ctx = ctx

    def add(self, child_key: str | int, values: dict) -> HelpInfo:
        with self.ctx.tx() as s:
            station = home_station(s)
            child = get_child(s, child_key)
            h = self._add(s, station, child, values)
            s.flush()
            return _help_info(h, child)

    def _add(self, s: Session, station, child: Child, values: dict) -> HelpMeasure:
        clean = clean_values("help_measure", values, partial=False, today=self.ctx.today())
        clean.setdefault("state", "open")
        clean["state"] = clean["state"] or "open"
        return new_record(s, HelpMeasure, {**clean, "child_id": child.id}, self.ctx.actor, origin=station.code)

    def update(self, help_uuid: str, values: dict) -> HelpInfo:
        clean = clean_values("help_measure", values, partial=True, today=self.ctx.today())
        with self.ctx.tx() as s:
            station = home_station(s)
            h = _by_uuid(s, HelpMeasure, help_uuid, "帮扶措施")
            apply_changes(s, h, clean, self.ctx.actor, origin=station.code)
            return _help_info(h, s.get_one(Child, h.child_id))

    def finish(self, help_uuid: str, result: str | None = None, ended_on: dt.date | None = None) -> HelpInfo:
        return self.update(help_uuid, {"state": "done", "ended_on": ended_on or self.ctx.today(), "result": result})

    def for_child(self, child_key: str | int) -> list[HelpInfo]:
        with self.ctx.read() as s:
            child = get_child(s, child_key, include_deleted=True)
            rows = s.scalars(
                select(HelpMeasure).where(HelpMeasure.child_id == child.id, live(HelpMeasure))
                .order_by(HelpMeasure.started_on.desc(), HelpMeasure.id.desc())
            )
            return [_help_info(h, child) for h in rows]

    def page(self, *, open_only: bool = False, offset: int = 0, limit: int = 100) -> Page:
        with self.ctx.read() as s:
            station = home_station(s)
            stmt = (
                select(HelpMeasure, Child).join(Child, Child.id == HelpMeasure.child_id)
                .where(live(HelpMeasure), Child.station_id == station.id, live(Child))
            )
            if open_only:
                stmt = stmt.where(HelpMeasure.state == "open")
            total = s.scalar(select(func.count()).select_from(stmt.subquery())) or 0
            rows = s.execute(stmt.order_by(HelpMeasure.started_on.desc(), HelpMeasure.id.desc()).offset(offset).limit(limit))
            return Page([_help_info(h, c) for h, c in rows], total, offset, limit)


class ReferralService:
    def __init__(self, ctx: Context):
        self.ctx = ctx

    def add(self, values: dict, *, child_key: str | int | None = None, clue_uuid: str | None = None) -> ReferralInfo:
        if child_key is None and clue_uuid is None:
            raise WeibaoError("转介须关联儿童档案或强制报告线索", "child")
        with self.ctx.tx() as s:
            station = home_station(s)
            child = get_child(s, child_key) if child_key is not None else None
            clue = _by_uuid(s, ReportClue, clue_uuid, "线索") if clue_uuid else None
            r = self._add(s, station, child, clue, values)
            s.flush()
            return _referral_info(s, r)

    def _add(self, s: Session, station, child: Child | None, clue, values: dict) -> Referral:
        clean = clean_values("referral", values, partial=False, today=self.ctx.today())
        clean["state"] = clean.get("state") or "referred"
        clean["state_on"] = clean.get("state_on") or clean["referred_on"]
        return new_record(
            s, Referral,
            {**clean, "child_id": child.id if child else None, "clue_id": clue.id if clue else None},
            self.ctx.actor, origin=station.code,
        )

    def set_state(self, referral_uuid: str, state: str, feedback: str | None = None,
                  on: dt.date | None = None) -> ReferralInfo:
        """已转介 → 已接收 → 已办结, or 退回; each step with its date and the receiving side's feedback."""
        values = {"state": state, "state_on": on or self.ctx.today()}
        if feedback is not None:
            values["feedback"] = feedback
        clean = clean_values("referral", values, partial=True, today=self.ctx.today())
        with self.ctx.tx() as s:
            station = home_station(s)
            r = _by_uuid(s, Referral, referral_uuid, "转介")
            if r.state in ("done", "returned") and clean["state"] != r.state:
                raise WeibaoError(f"该转介已是“{REFERRAL_STATE.label_of(r.state)}”，不能再改状态；如需再次转介请新建", "state")
            if clean["state"] == "returned" and not (clean.get("feedback") or r.feedback):
                raise WeibaoError("退回的转介请填写退回原因", "feedback")
            apply_changes(s, r, clean, self.ctx.actor, origin=station.code)
            return _referral_info(s, r)

    def update(self, referral_uuid: str, values: dict) -> ReferralInfo:
        clean = clean_values("referral", values, partial=True, today=self.ctx.today())
        with self.ctx.tx() as s:
            station = home_station(s)
            r = _by_uuid(s, Referral, referral_uuid, "转介")
            apply_changes(s, r, clean, self.ctx.actor, origin=station.code)
            return _referral_info(s, r)

    def for_child(self, child_key: str | int) -> list[ReferralInfo]:
        with self.ctx.read() as s:
            child = get_child(s, child_key, include_deleted=True)
            rows = s.scalars(
                select(Referral).where(Referral.child_id == child.id, live(Referral))
                .order_by(Referral.referred_on.desc(), Referral.id.desc())
            )
            return [_referral_info(s, r) for r in rows]

    def page(self, *, open_only: bool = False, offset: int = 0, limit: int = 100) -> Page:
        with self.ctx.read() as s:
            home_station(s)
            stmt = select(Referral).where(live(Referral))
            if open_only:
                stmt = stmt.where(Referral.state.in_(REFERRAL_OPEN_STATES))
            total = s.scalar(select(func.count()).select_from(stmt.subquery())) or 0
            rows = s.scalars(stmt.order_by(Referral.referred_on.desc(), Referral.id.desc()).offset(offset).limit(limit))
            return Page([_referral_info(s, r) for r in rows], total, offset, limit)


def _assessment_info(a: Assessment, child_uuid: str) -> AssessmentInfo:
    return AssessmentInfo(a.uuid, child_uuid, a.kind, a.assessed_on, a.assessor, a.result, a.guardianship_type, a.reason)


def _visit_info(v: Visit, child: Child) -> VisitInfo:
    return VisitInfo(
        v.uuid, child.uuid, child.name, v.visited_on, v.visitors, v.mode, v.living, v.study, v.health, v.safety,
        v.psychology, v.guardianship, v.problems, v.measures, v.next_due_on, child.next_visit_due,
    )


def _help_info(h: HelpMeasure, child: Child) -> HelpInfo:
    return HelpInfo(h.uuid, child.uuid, child.name, h.kind, h.started_on, h.responsible, h.description, h.state,
                    h.ended_on, h.result)


def _referral_info(s: Session, r: Referral) -> ReferralInfo:
    child = s.get_one(Child, r.child_id) if r.child_id else None
    clue = s.get(ReportClue, r.clue_id) if r.clue_id else None
    return ReferralInfo(
        r.uuid, child.uuid if child else None, child.name if child else (clue.child_name if clue else None),
        clue.uuid if clue else None, r.target, r.target_name, r.referred_on, r.reason, r.state, r.state_on,
        r.feedback, r.handled_by,
    )
