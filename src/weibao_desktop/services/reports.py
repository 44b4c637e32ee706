"""强制报告线索 (受理 → 调查 → 处置 → 反馈) and the hotline log."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain.codes import CLUE_STATE, CLUE_STEPS, REPORTED_TO
from ..domain.errors import WeibaoError
from ..domain.fields import clean_values
from ..models.entities import Child, HotlineCall, ReportClue, utcnow
from .base import Context, home_station
from .children import _by_uuid, get_child
from .dto import CallInfo, ClueInfo, Page
from .queries import live, scoped
from .records import apply_changes, new_record

# For each step after 受理: the fields that record it (time, who, what was done).
STEP_FIELDS = {
    "investigating": ("investigated_at", "investigated_by", "investigation"),
    "handling": ("handled_at", "handled_by", "handling"),
    "closed": ("feedback_at", "feedback_by", "feedback"),
}


class ClueService:
    def __init__(self, ctx: Context):
        self.ctx = ctx

    def receive(self, values: dict, *, child_key: str | int | None = None) -> ClueInfo:
        """受理: a clue is logged at once, even before the child has a file."""
        values = {"received_by": self.ctx.actor.name, "received_at": _now_local(self.ctx), **values}
        clean = clean_values("report_clue", values, partial=False, today=self.ctx.today())
        with self.ctx.tx() as s:
            station = home_station(s)
            child = get_child(s, child_key) if child_key is not None else None
            if child is None and not clean.get("child_name"):
                raise WeibaoError("请填写涉及儿童的姓名，或关联已有档案", "child_name")
            if child is not None:
                clean["child_name"] = child.name
            check_report(clean)
            c = new_record(
                s, ReportClue, {**clean, "child_id": child.id if child else None, "state": "received"},
                self.ctx.actor, origin=station.code,
            )
            s.flush()
            return _clue_info(s, c)

    def advance(self, clue_uuid: str, step: str, text: str, *, at: dt.datetime | None = None,
                by: str | None = None) -> ClueInfo:
        """Move a clue to its next step, recording when, who and what. Steps are not skipped."""
        step = step if step in CLUE_STATE else (CLUE_STATE.parse(step) or step)
        if step not in STEP_FIELDS:
            raise WeibaoError(f"线索只能进入：{'、'.join(CLUE_STATE.label_of(k) for k in STEP_FIELDS)}", "state")
        at_f, by_f, text_f = STEP_FIELDS[step]
        values = {at_f: at or _now_local(self.ctx), by_f: by or self.ctx.actor.name, text_f: text}
        clean = clean_values("report_clue", values, partial=True, today=self.ctx.today())
        if not clean.get(text_f):
            raise WeibaoError(f"请填写{CLUE_STATE.label_of(step)}情况", text_f)
        with self.ctx.tx() as s:
            station = home_station(s)
            c = _by_uuid(s, ReportClue, clue_uuid, "线索")
            current = CLUE_STEPS.index(c.state)
            wanted = CLUE_STEPS.index(step)
            if wanted != current + 1:
                raise WeibaoError(
                    f"线索当前为“{CLUE_STATE.label_of(c.state)}”，下一步应为“"
                    f"{CLUE_STATE.label_of(CLUE_STEPS[min(current + 1, 3)])}”", "state",
                )
            previous_at = c.received_at if current == 0 else getattr(c, STEP_FIELDS[c.state][0])
            if previous_at and clean[at_f] < previous_at:
                raise WeibaoError(f"{CLUE_STATE.label_of(step)}时间不能早于上一步的时间", at_f)
            apply_changes(s, c, {**clean, "state": step}, self.ctx.actor, origin=station.code)
            return _clue_info(s, c)

    def update(self, clue_uuid: str, values: dict) -> ClueInfo:
        clean = clean_values("report_clue", values, partial=True, today=self.ctx.today())
        with self.ctx.tx() as s:
            station = home_station(s)
            c = _by_uuid(s, ReportClue, clue_uuid, "线索")
            check_report({f: getattr(c, f) for f in _REPORT_FIELDS} | clean)
            apply_changes(s, c, clean, self.ctx.actor, origin=station.code)
            return _clue_info(s, c)

    def link_child(self, clue_uuid: str, child_key: str | int) -> ClueInfo:
        with self.ctx.tx() as s:
            station = home_station(s)
            c = _by_uuid(s, ReportClue, clue_uuid, "线索")
            child = get_child(s, child_key)
            apply_changes(s, c, {"child_id": child.id, "child_name": child.name}, self.ctx.actor, origin=station.code)
            return _clue_info(s, c)

    def get(self, clue_uuid: str) -> ClueInfo:
        with self.ctx.read() as s:
            return _clue_info(s, _by_uuid(s, ReportClue, clue_uuid, "线索"))

    def page(self, *, open_only: bool = False, offset: int = 0, limit: int = 100) -> Page:
        with self.ctx.read() as s:
            home_station(s)
            stmt = select(ReportClue).where(live(ReportClue), *scoped(s, ReportClue.child_id))
            if open_only:
                stmt = stmt.where(ReportClue.state != "closed")
            total = s.scalar(select(func.count()).select_from(stmt.subquery())) or 0
            rows = s.scalars(stmt.order_by(ReportClue.received_at.desc(), ReportClue.id.desc()).offset(offset)
                             .limit(limit)).all()
            # The children's uuids in one query: a file loaded per clue took a tenth of a second for the
            # dashboard's 200 on a county-sized store.
            uuids = dict(s.execute(select(Child.id, Child.uuid).where(
                Child.id.in_({c.child_id for c in rows if c.child_id}))).all())
            return Page([_clue_info(s, c, uuids) for c in rows], total, offset, limit)


class HotlineService:
    def __init__(self, ctx: Context):
        self.ctx = ctx

    def log(self, values: dict, *, child_key: str | int | None = None) -> CallInfo:
        values = {"handled_by": self.ctx.actor.name, "call_at": _now_local(self.ctx), **values}
        clean = clean_values("hotline_call", values, partial=False, today=self.ctx.today())
        clean["state"] = clean.get("state") or "open"
        clean["source"] = clean.get("source") or "station"
        _check_work_order(clean)
        with self.ctx.tx() as s:
            station = home_station(s)
            child = get_child(s, child_key) if child_key is not None else None
            c = new_record(s, HotlineCall, {**clean, "child_id": child.id if child else None}, self.ctx.actor,
                           origin=station.code)
            s.flush()
            return _call_info(s, c)

    def update(self, call_uuid: str, values: dict) -> CallInfo:
        clean = clean_values("hotline_call", values, partial=True, today=self.ctx.today())
        with self.ctx.tx() as s:
            station = home_station(s)
            c = _by_uuid(s, HotlineCall, call_uuid, "来电")
            _check_work_order({k: getattr(c, k) for k in ("source", "order_no", "due_at", "call_at")} | clean)
            apply_changes(s, c, clean, self.ctx.actor, origin=station.code)
            return _call_info(s, c)

    def work_orders_due(self, within: dt.timedelta = dt.timedelta(days=2)) -> list[CallInfo]:
        """Open 12345 work orders whose deadline (办理时限) has passed or comes within `within`: the dashboard
        names them."""
        limit = dt.datetime.combine(self.ctx.today(), dt.time()) + within + dt.timedelta(days=1)
        with self.ctx.read() as s:
            home_station(s)
            rows = s.scalars(select(HotlineCall).where(live(HotlineCall), HotlineCall.state == "open",
                                                       HotlineCall.due_at.is_not(None), HotlineCall.due_at < limit)
                             .order_by(HotlineCall.due_at))
            return [_call_info(s, c) for c in rows]

    def to_clue(self, call_uuid: str, child_name: str | None = None, *, child_key: str | None = None,
                situation: str | None = None, notified: list[Notified] | tuple[Notified, ...] = (),
                situations: list[str] | tuple[str, ...] = ()) -> ClueInfo:
        """A call that reveals harm becomes a mandatory-report clue, linked both ways, in one step.

        The child is the call's, or `child_key` (a file), or a name without a file. `situation` is what
        happened (the call's content when not given); `situations` are its 情形 codes (CLUE_SITUATION).
        `notified` says which agency was told, when, and who received it: the agencies go to 接报单位, the
        earliest time to 报案时间, the receivers to 接报人, and each agency's own time and receiver into a line
        of the clue's text."""
        for n in notified:
            if not n.receiver.strip():
                raise WeibaoError(f"请填写{REPORTED_TO.label_of(n.agency)}的接收人", f"receiver_{n.agency}")
        with self.ctx.tx() as s:
            station = home_station(s)
            call = _by_uuid(s, HotlineCall, call_uuid, "来电")
            if call.clue_id is not None:
                raise WeibaoError("该来电已转为强制报告线索", "clue")
            child = s.get_one(Child, call.child_id) if call.child_id else None
            if child is None and child_key is not None:
                child = get_child(s, child_key)
            name = child.name if child else (child_name or "").strip()
            if not name:
                raise WeibaoError("请填写涉及儿童的姓名（尚未建档的儿童也可以只写姓名）", "child_name")
            content = (situation or "").strip() or call.content
            if notified:
                content = f"{content}\n{notified_text(notified)}"
            values = {
                "child_name": name, "received_at": call.call_at, "received_by": self.ctx.actor.name,
                "source": "hotline", "reporter": call.caller, "reporter_phone": call.caller_phone,
                "content": content, "reported_to": [n.agency for n in notified] or None,
                "situations": list(situations) or None,
                "reported_at": min((n.at for n in notified), default=None),
                "report_receiver": _receivers(notified),
            }
            clean = clean_values("report_clue", values, partial=True, today=self.ctx.today())
            check_report(clean)
            clue = new_record(
                s, ReportClue, {**clean, "child_id": child.id if child else None, "state": "received"},
                self.ctx.actor, origin=station.code,
            )
            s.flush()
            apply_changes(s, call, {"clue_id": clue.id}, self.ctx.actor, origin=station.code)
            return _clue_info(s, clue)

    def page(self, *, open_only: bool = False, offset: int = 0, limit: int = 100) -> Page:
        with self.ctx.read() as s:
            home_station(s)
            stmt = select(HotlineCall).where(live(HotlineCall), *scoped(s, HotlineCall.child_id))
            if open_only:
                stmt = stmt.where(HotlineCall.state != "done")
            total = s.scalar(select(func.count()).select_from(stmt.subquery())) or 0
            rows = s.scalars(stmt.order_by(HotlineCall.call_at.desc(), HotlineCall.id.desc()).offset(offset).limit(limit))
            return Page([_call_info(s, c) for c in rows], total, offset, limit)


@dataclass(frozen=True)
class Notified:
    """An agency told of a clue at once (强制报告): which (REPORTED_TO code), when, and who received it."""

    agency: str
    at: dt.datetime
    receiver: str


def notified_text(notified) -> str:
    """报告情况 as one line of the clue's text, e.g. 已报告：公安 2024-06-14 10:30（接收人：李警官）。"""
    parts = [f"{REPORTED_TO.label_of(n.agency)} {n.at:%Y-%m-%d %H:%M}（接收人：{n.receiver.strip()}）" for n in notified]
    return "已报告：" + "；".join(parts) + "。"


def _receivers(notified) -> str | None:
    """接报人: the one receiver, or each agency's (公安 李警官、检察院 王检察官), cut to the column's 50 characters."""
    if not notified:
        return None
    if len(notified) == 1:
        return notified[0].receiver.strip()[:50]
    return "、".join(f"{REPORTED_TO.label_of(n.agency)} {n.receiver.strip()}" for n in notified)[:50]


_REPORT_FIELDS = ("reported_at", "reported_to", "report_receiver", "receipt")


def check_report(v: dict) -> None:
    """报案 (强制报告): the one rule for a clue's report fields, on every path that writes them."""
    if (v.get("reported_at") or v.get("report_receiver") or v.get("receipt")) and not v.get("reported_to"):
        raise WeibaoError("已报案的，请勾选接报单位（公安、检察院、民政、教育或其他）", "reported_to")
    if v.get("reported_to") and v.get("report_receiver") and not v.get("reported_at"):
        raise WeibaoError("已报案的，请填写报案时间", "reported_at")


def _now_local(ctx: Context) -> dt.datetime:
    """Now on the workstation's today: the wall clock, unless the workstation was given its own clock."""
    return dt.datetime.combine(ctx.today(), dt.datetime.now().time().replace(microsecond=0))


def _clue_info(s: Session, c: ReportClue, child_uuids: dict[int, str] | None = None) -> ClueInfo:
    """`child_uuids`: the uuids of the children of a page of clues, read at once."""
    if child_uuids is not None:
        child_uuid = child_uuids.get(c.child_id) if c.child_id else None
    else:
        child_uuid = s.get_one(Child, c.child_id).uuid if c.child_id else None
    return ClueInfo(
        c.uuid, child_uuid, c.child_name, c.received_at, c.received_by, c.source, c.reporter,
        c.reporter_phone, c.content, c.reported_to, c.state, c.investigated_at, c.investigated_by, c.investigation,
        c.handled_at, c.handled_by, c.handling, c.feedback_at, c.feedback_by, c.feedback,
        c.situations, c.reported_at, c.report_receiver, c.receipt,
    )


def _check_work_order(v: dict) -> None:
    """A 12345 call is a work order: it needs its number; its deadline cannot come before the call."""
    if v.get("source") == "12345" and not v.get("order_no"):
        raise WeibaoError("12345热线工单请填写工单号", "order_no")
    if v.get("due_at") and v.get("call_at") and v["due_at"] < v["call_at"]:
        raise WeibaoError("办理时限不能早于来电时间", "due_at")


def _call_info(s: Session, c: HotlineCall) -> CallInfo:
    child = s.get_one(Child, c.child_id) if c.child_id else None
    clue = s.get(ReportClue, c.clue_id) if c.clue_id else None
    return CallInfo(
        c.uuid, c.call_at, c.caller, c.caller_phone, child.uuid if child else None, child.name if child else None,
        c.content, c.handling, c.handled_by, c.state, clue.uuid if clue else None, c.source, c.order_no, c.due_at,
    )


__all__ = ["ClueService", "HotlineService", "Notified", "notified_text", "utcnow"]
