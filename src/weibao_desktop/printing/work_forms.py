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


__all__ = ["SIGN_IN_FORM", "SignInSheet", "render_sign_in"]
