"""活动签到表: the sheet a station takes to an activity, the children already linked pre-filled, the rest blank
for people to sign on the day. It carries names only, never id numbers."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .data import PrintedBy
from .fonts import FontSet
from .forms import SIX, new_document
from .layout import SMALL, Cell, Document, Flow

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

MONTHLY_FORM = "未成年人保护工作月报"
UNITS_PER_TABLE = 6  # unit columns beside the indicator names on a portrait page; more units: more tables


@dataclass(frozen=True)
class MonthlySheet:
    station: str
    title: str
    month: str
    unit_label: str  # 村(社区) at a station, 乡镇(街道) at the county
    indicators: tuple[str, ...]
    rows: tuple[tuple[str, tuple[int, ...]], ...]  # (unit, a count per indicator)
    total: tuple[int, ...]
    rules: tuple[tuple[str, str], ...]  # (indicator, how it is counted)


def render_monthly(sheet: MonthlySheet, fonts: FontSet, by: PrintedBy) -> Document:
    """The 月报 on paper: indicators down the page, units across (a few per table, 合计 in each), the counting
    rules after, then who filled it in and who checked it."""
    doc = new_document(fonts, sheet.station, MONTHLY_FORM, by, sheet.title)
    flow = Flow(doc, f"统计月份 {sheet.month}")
    flow.title(sheet.title)
    flow.meta(f"填报单位：{sheet.station}", f"统计月份：{sheet.month}")
    units = list(sheet.rows)
    chunks = [units[i:i + UNITS_PER_TABLE] for i in range(0, len(units), UNITS_PER_TABLE)] or [[]]
    for n, chunk in enumerate(chunks, 1):
        if len(chunks) > 1:
            flow.section(f"表{n}（共{len(chunks)}表）：{chunk[0][0] if chunk else ''}至{chunk[-1][0] if chunk else ''}")
        headers = ("指标", *(name for name, _v in chunk), "合计")
        cols = (2.4, *([1.0] * len(chunk)), 1.0)
        rows = [(name, *(str(values[i]) for _u, values in chunk), str(sheet.total[i]))
                for i, name in enumerate(sheet.indicators)]
        flow.table(headers, cols, rows, aligns=("left", *(["right"] * (len(chunk) + 1))))
        flow.space(6)
    flow.section("指标口径")
    for name, rule in sheet.rules:
        flow.paragraph(f"{name}：{rule}", size=SMALL)
    flow.signatures(("填报人", "审核人（站长）"))
    return doc.finish()


__all__ = ["INCIDENT_FORM", "MONTHLY_FORM", "SIGN_IN_FORM", "IncidentSheet", "MonthlySheet", "SignInSheet",
           "render_incident", "render_monthly", "render_sign_in"]
