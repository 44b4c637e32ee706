"""活动签到表: the sheet a station takes to an activity, the children already linked pre-filled, the rest blank
for people to sign on the day. It carries names only, never id numbers."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .data import PrintedBy
from .fonts import FontSet
from .forms import SIX, new_document
from .layout import Cell, Document, Flow

SIGN_IN_FORM = "活动签到表"
BLANK_ROWS = 18


@dataclass(frozen=True)
class SignInSheet:
    station: str
    held_on: dt.date
    time: str
    kind: str
    place: str
    organiser: str
    partners: str
    content: str
    children: tuple[tuple[str, str], ...]  # (name, village) of the children linked to the activity


def render_sign_in(sheet: SignInSheet, fonts: FontSet, by: PrintedBy) -> Document:
    title = f"{SIGN_IN_FORM}（{sheet.held_on:%Y-%m-%d} {sheet.place}）"
    doc = new_document(fonts, sheet.station, SIGN_IN_FORM, by, title)
    flow = Flow(doc, f"{sheet.held_on:%Y-%m-%d} {sheet.place}")
    flow.title(f"{sheet.station}{SIGN_IN_FORM}")
    flow.grid(SIX, [
        [Cell("活动日期", label=True), Cell(f"{sheet.held_on:%Y-%m-%d}"), Cell("活动时间", label=True),
         Cell(sheet.time), Cell("活动类型", label=True), Cell(sheet.kind)],
        [Cell("活动地点", label=True), Cell(sheet.place, span=3), Cell("组织者", label=True), Cell(sheet.organiser)],
        [Cell("合作单位", label=True), Cell(sheet.partners or "无", span=5)],
        [Cell("活动内容", label=True), Cell(sheet.content, span=5)],
    ])
    flow.space(6)
    rows = [[str(i), name, "儿童", village, "", ""] for i, (name, village) in enumerate(sheet.children, 1)]
    start = len(rows) + 1
    rows += [[str(i), "", "", "", "", ""] for i in range(start, start + max(BLANK_ROWS - len(rows), 6))]
    flow.table(("序号", "姓名", "身份（儿童/家长/其他）", "所属村(社区)/单位", "联系电话", "签名"),
               (0.6, 1.4, 1.6, 1.6, 1.5, 1.3), rows, aligns=("center", "left", "center", "left", "left", "left"))
    flow.signatures(("记录人", "工作站负责人"))
    return doc.finish()





INCIDENT_FORM = "重大事项报告单"


@dataclass(frozen=True)
class IncidentSheet:
    station: str
    file_no: str
    kind: str
    child: str  # name (and masked id when the child has a file)
    occurred_at: dt.datetime
    learned_at: dt.datetime
    reported_at: dt.datetime | None
    reported_to: str
    receiver: str
    reported_by: str
    place: str
    summary: str
    measures: str
    progress: str


def _t(moment: dt.datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M}" if moment else "　　年　　月　　日　　时　　分"


def render_incident(sheet: IncidentSheet, fonts: FontSet, by: PrintedBy) -> Document:
    doc = new_document(fonts, sheet.station, INCIDENT_FORM, by, f"{INCIDENT_FORM}（{sheet.file_no}）")
    flow = Flow(doc, f"编号 {sheet.file_no}")
    flow.title(f"{sheet.station}{INCIDENT_FORM}")
    flow.meta(f"编号：{sheet.file_no}", f"事项类别：{sheet.kind}")
    flow.grid(SIX, [
        [Cell("涉及儿童", label=True), Cell(sheet.child, span=3), Cell("事项类别", label=True), Cell(sheet.kind)],
        [Cell("发生时间", label=True), Cell(_t(sheet.occurred_at)), Cell("获知时间", label=True),
         Cell(_t(sheet.learned_at)), Cell("上报时间", label=True), Cell(_t(sheet.reported_at))],
        [Cell("发生地点", label=True), Cell(sheet.place, span=5)],
        [Cell("上报单位", label=True), Cell(sheet.reported_to), Cell("接报人", label=True), Cell(sheet.receiver),
         Cell("报告人", label=True), Cell(sheet.reported_by)],
    ])
    flow.section("一、基本情况")
    flow.text_box("基本情况", sheet.summary, min_lines=5)
    flow.section("二、已采取的措施")
    flow.text_box("已采取的措施", sheet.measures or None, min_lines=3, blank_lines=0 if sheet.measures else 4)
    flow.section("三、后续进展")
    flow.text_box("后续进展", sheet.progress or None, min_lines=2, blank_lines=0 if sheet.progress else 3)
    flow.signatures(("报告人", "工作站负责人（盖章）"))
    return doc.finish()

__all__ = ["INCIDENT_FORM", "SIGN_IN_FORM", "IncidentSheet", "SignInSheet", "render_incident", "render_sign_in"]
