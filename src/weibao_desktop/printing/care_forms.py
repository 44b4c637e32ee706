"""Printed care documents: the 委托照护协议 and the 散居孤儿监护责任确认书, filled with the child's and the
family's data (what is not on file is left as a line to write on)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .data import ChildFacts, PrintedBy
from .fonts import FontSet
from .forms import SIX, child_rows, new_document
from .layout import BODY, PAD, Cell, Document, Flow

AGREEMENT_FORM = "委托照护协议"
CONFIRMATION_FORM = "监护责任确认书"
BLANK = "＿＿＿＿＿＿"


@dataclass(frozen=True)
class CareSheet:
    station: str
    file_no: str
    child: ChildFacts
    kind: str  # entrusted_care or guardian_confirmation
    carer_name: str
    carer_id_number: str  # masked unless full numbers were asked for
    carer_phone: str
    carer_relation: str
    carer_address: str
    parties: tuple[tuple[str, str, str, str], ...]  # parents or guardians: (relation, name, id number, phone)
    signed_on: dt.date | None
    start_on: dt.date | None
    end_on: dt.date | None
    review_on: dt.date | None
    note: str


def _day(day: dt.date | None) -> str:
    return f"{day:%Y年%m月%d日}" if day else "　　　　年　　月　　日"


def _carer_rows(sheet: CareSheet, who: str) -> list[list[Cell]]:
    return [
        [Cell(f"{who}姓名", label=True), Cell(sheet.carer_name or ""), Cell("与儿童关系", label=True),
         Cell(sheet.carer_relation), Cell("联系电话", label=True), Cell(sheet.carer_phone)],
        [Cell("公民身份号码", label=True), Cell(sheet.carer_id_number, span=5)],
        [Cell("居住地址", label=True), Cell(sheet.carer_address, span=5)],
    ]


def _party_rows(sheet: CareSheet) -> list[list[Cell]]:
    parties = sheet.parties or (("父亲", "", "", ""), ("母亲", "", "", ""))
    return [[Cell(f"{rel}姓名", label=True), Cell(name), Cell("身份证号", label=True), Cell(number),
             Cell("联系电话", label=True), Cell(phone)] for rel, name, number, phone in parties]


def render_agreement(sheet: CareSheet, fonts: FontSet, by: PrintedBy) -> Document:
    c = sheet.child
    doc = new_document(fonts, sheet.station, AGREEMENT_FORM, by, f"{AGREEMENT_FORM}（{c.name}）")
    flow = Flow(doc, f"{c.name} 档案号 {c.file_no}")
    flow.title(f"农村留守儿童{AGREEMENT_FORM}")
    flow.meta(f"协议编号：{sheet.file_no}", f"{sheet.station}未成年人保护工作站")
    flow.section("一、委托方（甲方：儿童的父母或其他监护人）")
    flow.grid(SIX, _party_rows(sheet))
    flow.section("二、被委托人（乙方）")
    flow.grid(SIX, _carer_rows(sheet, "被委托人"))
    flow.section("三、被照护儿童")
    flow.grid(SIX, child_rows(c)[:5])
    flow.section("四、协议内容")
    term = f"{_day(sheet.start_on)}起至{_day(sheet.end_on)}止" if sheet.end_on else f"{_day(sheet.start_on)}起"
    for n, text in enumerate((
        f"甲方因外出务工等原因不能与儿童共同生活，委托乙方照护儿童{c.name}的日常生活、学习和安全。"
        "监护职责仍由甲方承担，不因委托而转移或免除。",
        f"委托期限：{term}。期满或情况变化时，甲方应及时告知村（居）儿童主任并重新确定照护安排。",
        "乙方应保障儿童的饮食起居、人身安全和按时就学，发现儿童患病、受到侵害、辍学或情绪行为异常，"
        "应及时告知甲方和村（居）儿童主任。",
        "甲方应至少每周与儿童联系一次，按时支付儿童生活、教育、医疗等费用，每年至少回家探望一次。",
        f"本协议由村（居）儿童主任见证，于{_day(sheet.review_on)}前复核一次。本协议一式三份，"
        "甲、乙双方及村（居）民委员会各执一份。",
    ), start=1):
        flow.paragraph(f"{n}．{text}", BODY)
        flow.space(PAD / 2)
    if sheet.note:
        flow.paragraph(f"其他约定：{sheet.note}", BODY)
    flow.space(PAD)
    flow.signatures(("甲方（签字）", "乙方（签字）", "见证人（儿童主任）"))
    flow.paragraph(f"签订日期：{_day(sheet.signed_on)}", BODY)
    return doc.finish()


def render_confirmation(sheet: CareSheet, fonts: FontSet, by: PrintedBy) -> Document:
    c = sheet.child
    doc = new_document(fonts, sheet.station, CONFIRMATION_FORM, by, f"{CONFIRMATION_FORM}（{c.name}）")
    flow = Flow(doc, f"{c.name} 档案号 {c.file_no}")
    flow.title(f"散居孤儿{CONFIRMATION_FORM}")
    flow.meta(f"编号：{sheet.file_no}", f"{sheet.station}未成年人保护工作站")
    flow.section("一、儿童基本情况")
    flow.grid(SIX, child_rows(c)[:5])
    flow.section("二、监护人")
    flow.grid(SIX, _carer_rows(sheet, "监护人"))
    flow.section("三、监护责任")
    for n, text in enumerate((
        f"本人自愿担任孤儿{c.name}的监护人，依照《中华人民共和国民法典》《中华人民共和国未成年人保护法》"
        "履行监护职责。",
        "保障儿童的生活、教育、医疗和人身安全，不得虐待、遗弃、歧视儿童，不得侵占孤儿基本生活费和儿童的财产。",
        "孤儿基本生活费专款用于儿童，接受民政部门和村（居）民委员会的监督检查。",
        "儿童住址、就学、健康等情况发生变化，或本人不能继续履行监护职责时，及时报告村（居）儿童主任和乡镇"
        "（街道）未成年人保护工作站。",
        f"确认期间：{_day(sheet.start_on)}起" + (f"至{_day(sheet.end_on)}止" if sheet.end_on else "")
        + f"；复核日期：{_day(sheet.review_on)}。",
    ), start=1):
        flow.paragraph(f"{n}．{text}", BODY)
        flow.space(PAD / 2)
    if sheet.note:
        flow.paragraph(f"说明：{sheet.note}", BODY)
    flow.space(PAD)
    flow.signatures(("监护人（签字）", "村（居）委会（盖章）", "乡镇民政（盖章）"))
    flow.paragraph(f"确认日期：{_day(sheet.signed_on)}", BODY)
    return doc.finish()
