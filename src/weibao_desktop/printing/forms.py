"""The printed forms: 未成年人走访记录表, 走访任务单, 儿童档案卡, 强制报告线索登记表, 转介单.

Each `render_*` takes the plain data of printing.data and returns a finished `layout.Document`.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from ..domain import codes
from .data import ChildFacts, ClueSheet, FileCard, PrintedBy, ReferralSheet, RoundSheets, VisitFacts, VisitSheet
from .fonts import FontSet
from .layout import BODY, GREY, PAD, SMALL, Cell, Choice, Document, Flow, blank_date

VISIT_FORM = "未成年人走访记录表"
ROUND_FORM = "走访任务单"
FILE_CARD_FORM = "儿童档案卡"
CLUE_FORM = "强制报告线索登记表"
REFERRAL_FORM = "未成年人保护转介单"

VISIT_MODES = ("入户", "电话", "视频", "到校", "其他")
# Every option printed with a box to tick: the labels of domain.codes REPORTED_TO and CLUE_SITUATION.
REPORTED_TO = tuple(c.label for c in codes.REPORTED_TO)
CLUE_SITUATION = tuple(c.label for c in codes.CLUE_SITUATION)
SIX = (1.05, 1.55, 0.9, 1.25, 1.05, 1.5)  # label, value, label, value, label, value

# The visit boxes: field, label, hint on the blank sheet, lines to write on.
VISIT_BOXES = (
    ("living", "生活情况", "饮食起居、住房、衣着、家庭经济", 2),
    ("study", "学习情况", "上学、出勤、成绩、辍学风险", 2),
    ("health", "健康情况", "身体、疾病、残疾、就医", 2),
    ("safety", "安全情况", "居住安全、交通、溺水、欺凌、侵害", 2),
    ("psychology", "心理情况", "情绪、交往、行为变化", 2),
    ("guardianship", "监护情况", "监护人在家、照料能力、联系父母", 2),
    ("problems", "存在问题", "", 3),
    ("measures", "帮扶措施", "已采取和建议采取的措施", 3),
)

Progress = Callable[[int, int, str], None]


def _d(day: dt.date | None) -> str:
    return f"{day:%Y-%m-%d}" if day else ""


def _colour_label(code: str | None) -> str:
    from ..domain.codes import RISK_COLOUR

    return RISK_COLOUR.label_of(code) + "色" if code else "未评估"


def _colour_rgb(code: str | None) -> str | None:
    from ..domain.codes import COLOUR_RGB

    return COLOUR_RGB.get(code or "")


def new_document(fonts: FontSet, station: str, form: str, by: PrintedBy, title: str = "") -> Document:
    return Document(fonts, station, form, by.name, by.at, title or form)


# 未成年人走访记录表

def child_rows(c: ChildFacts) -> list[list[Cell]]:
    """The child's basic facts as grid rows (shared by the visit sheet and the report forms)."""
    due = _d(c.next_visit_due)
    return [
        [Cell("姓名", label=True), Cell(c.name), Cell("性别", label=True), Cell(c.sex),
         Cell("出生日期", label=True), Cell(f"{c.birth_date:%Y-%m-%d}（{c.age}）")],
        [Cell("公民身份号码", label=True), Cell(c.id_number or "（未登记）", span=3),
         Cell("民族", label=True), Cell(c.ethnicity)],
        [Cell("所属村(社区)", label=True), Cell(c.village), Cell("风险等级", label=True),
         Cell(_colour_label(c.colour), colour=_colour_rgb(c.colour)),
         Cell("结对帮扶人", label=True), Cell(c.paired_helper)],
        [Cell("现居住地", label=True), Cell(c.residence_address or c.hukou_address, span=5)],
        [Cell("儿童类别", label=True), Cell("、".join(c.categories) or "（未认定）", span=5)],
        [Cell("监护人", label=True), Cell(c.guardian), Cell("联系电话", label=True), Cell(c.guardian_phone),
         Cell("就学情况", label=True), Cell(c.schooling)],
        [Cell("上次走访", label=True), Cell(_d(c.last_visit_on) or "（尚未走访）"),
         Cell("应走访日期", label=True), Cell(due), Cell("身体情况", label=True), Cell(c.health)],
    ]


def draw_visit_sheet(flow: Flow, sheet: VisitSheet) -> None:
    c, v = sheet.child, sheet.visit
    flow.title(f"{sheet.station}{VISIT_FORM}", 17)
    if v is None:
        due = f"应走访日期：{_d(c.next_visit_due)}" + (f"（已逾期{c.days_overdue}天）" if c.days_overdue else "")
        right = (due + "　" if c.next_visit_due else "") + "请用黑色签字笔填写，在符合的□内打“√”"
    else:
        right = f"走访记录号：{v.uuid[:8].upper()}"
    flow.meta(f"档案号：{c.file_no}", right)
    flow.section("一、儿童基本情况")
    flow.grid(SIX, child_rows(c))
    flow.section("二、走访情况")
    flow.grid(SIX, [
        [Cell("走访日期", label=True), Cell(_d(v.visited_on) if v else blank_date(), span=2),
         Cell("走访人", label=True), Cell(v.visitors if v else "", span=2)],
        [Cell("走访方式", label=True),
         Cell(Choice(VISIT_MODES, (v.mode if v.mode in VISIT_MODES else "其他",) if v else ()), span=5)],
    ])
    for name, label, hint_text, lines in VISIT_BOXES:
        if v is None:
            flow.text_box(label, None, blank_lines=lines, hint=hint_text)
        else:
            flow.text_box(label, getattr(v, name) or "无", min_lines=1)
    flow.grid(SIX, [[Cell("下次走访时间", label=True),
                     Cell(_d(v.next_due_on) if v and v.next_due_on else blank_date(), span=2),
                     Cell("风险等级建议", label=True),
                     Cell(Choice(("维持", "调高", "调低")), span=2)]])
    flow.signatures(("走访人（签字）", "监护人（签字）", "儿童主任（签字）"))


def render_visit_sheet(sheet: VisitSheet, fonts: FontSet, by: PrintedBy) -> Document:
    doc = new_document(fonts, sheet.station, VISIT_FORM, by, f"{VISIT_FORM}（{sheet.child.name}）")
    draw_visit_sheet(Flow(doc, _subject(sheet.child)), sheet)
    return doc.finish()


def _subject(c: ChildFacts) -> str:
    return f"{c.name}（{c.village or '未分村'}，档案号 {c.file_no}）"


# 走访任务单

def by_village(children) -> list[tuple[str, list[ChildFacts]]]:
    groups: dict[str, list[ChildFacts]] = {}
    for c in children:
        groups.setdefault(c.village or "未分村(社区)", []).append(c)
    return list(groups.items())


def render_round(sheets: RoundSheets, fonts: FontSet, by: PrintedBy, *, progress: Progress | None = None,
                 cancelled: Callable[[], bool] | None = None) -> Document | None:
    """Cover pages listing the children per village, then one blank visit sheet per child in the same
    order. Returns None when cancelled."""
    doc = new_document(fonts, sheets.station, ROUND_FORM, by,
                       f"{ROUND_FORM}（{sheets.date_from:%Y-%m-%d}至{sheets.date_to:%Y-%m-%d}）")
    groups = by_village(sheets.children)
    flow = Flow(doc, "名单")
    flow.title(f"{sheets.station}{ROUND_FORM}")
    where = f"　村(社区)：{sheets.village}" if sheets.village else ""
    flow.meta(f"走访期间：{sheets.date_from:%Y-%m-%d} 至 {sheets.date_to:%Y-%m-%d}{where}",
              f"共 {len(sheets.children)} 名儿童，{len(groups)} 个村(社区)")
    overdue = "以及此前已到期仍未走访（逾期）的儿童，" if sheets.include_overdue else ""
    flow.paragraph(
        f"说明：本名单列出本期应走访的儿童，{overdue}按村(社区)分组，组内逾期的在前。名单后附每名儿童的走访记录表"
        "各一份：走访时逐项填写，请监护人签字，走访结束后连同本名单交回工作站录入。", SMALL, colour=GREY)
    flow.space(4)
    total = len(sheets.children)
    for village, kids in groups:
        flow.section(f"{village}（{len(kids)}人）")
        flow.table(
            ("序号", "姓名", "性别", "年龄", "风险等级", "应走访日期", "逾期", "监护人", "联系电话", "完成"),
            (0.42, 0.95, 0.42, 0.55, 0.78, 1.0, 0.55, 1.12, 1.12, 0.45),
            ([str(i), c.name, c.sex, c.age, c.colour or "", _d(c.next_visit_due),
              f"{c.days_overdue}天" if c.days_overdue else "", c.guardian, c.guardian_phone, "□"]
             for i, c in enumerate(kids, start=1)),
            aligns=("center", "left", "center", "center", "left", "left", "right", "left", "left", "center"),
            colours=(4,),
        )
        flow.space(6)
    flow.signatures(("任务领取人", "交回核对人"))
    done = 0
    for village, kids in groups:
        for c in kids:
            if cancelled is not None and cancelled():
                return None
            draw_visit_sheet(Flow(doc, _subject(c)), VisitSheet(sheets.station, c, None))
            done += 1
            if progress is not None:
                progress(done, total, f"{village}　{c.name}")
    return doc.finish()


# 儿童档案卡

def render_file_card(card: FileCard, fonts: FontSet, by: PrintedBy) -> Document:
    c = card.child
    doc = new_document(fonts, card.station, FILE_CARD_FORM, by, f"{FILE_CARD_FORM}（{c.name}）")
    flow = Flow(doc, _subject(c))
    flow.title(f"{card.station}{FILE_CARD_FORM}")
    flow.meta(f"档案号：{c.file_no}　档案状态：{card.status}{'（' + card.closed + '）' if card.closed else ''}",
              f"建档日期：{card.opened_on:%Y-%m-%d}　最后更新：{card.updated}")
    flow.section("一、基本情况")
    flow.grid(SIX, [
        [Cell("姓名", label=True), Cell(c.name), Cell("性别", label=True), Cell(c.sex),
         Cell("出生日期", label=True), Cell(f"{c.birth_date:%Y-%m-%d}（{c.age}）")],
        [Cell("公民身份号码", label=True), Cell(c.id_number or "（未登记）", span=3),
         Cell("民族", label=True), Cell(c.ethnicity)],
        [Cell("所属村(社区)", label=True), Cell(c.village), Cell("风险等级", label=True),
         Cell(_colour_label(c.colour) + (f"（{c.colour_set_on:%Y-%m-%d}起）" if c.colour_set_on else ""),
              colour=_colour_rgb(c.colour), span=3)],
        [Cell("户籍所在地", label=True), Cell(c.hukou_address, span=5)],
        [Cell("现居住地", label=True), Cell(c.residence_address, span=5)],
        [Cell("儿童类别", label=True), Cell("、".join(c.categories) or "（未认定）", span=5)],
        [Cell("身体情况", label=True), Cell(card.health_detail, span=3),
         Cell("结对帮扶人", label=True), Cell(c.paired_helper)],
        [Cell("就学情况", label=True), Cell(card.schooling_detail, span=3),
         Cell("家庭经济来源", label=True), Cell(card.income_sources)],
        [Cell("上次走访", label=True), Cell(_d(c.last_visit_on) or "（尚未走访）"),
         Cell("下次应走访", label=True),
         Cell(_d(c.next_visit_due) + (f"（已逾期{c.days_overdue}天）" if c.days_overdue else "")),
         Cell("累计走访", label=True), Cell(f"{card.visit_total} 次")],
    ])
    flow.section("二、家庭成员及监护人")
    flow.table(("关系", "姓名", "出生日期", "身份证号", "联系电话", "状况", "务工地点", "监护人"),
               (0.8, 0.9, 0.95, 1.65, 1.1, 0.75, 1.25, 0.6),
               ([p.relation, p.name, p.birth_date, p.id_number, p.phone, p.status, p.work_place,
                 "是" if p.guardian else ""] for p in card.people),
               aligns=("left",) * 7 + ("center",))
    flow.section("三、儿童类别认定与已享受救助")
    flow.table(("儿童类别", "认定日期", "退出日期"), (3, 1.2, 1.2), card.categories)
    flow.space(4)
    flow.table(("救助类型", "起止日期", "金额/标准", "说明"), (1.6, 1.8, 1.0, 2.2), card.reliefs, empty="（未登记救助）")
    flow.section("四、风险等级及评估记录")
    flow.table(("评估日期", "评估类型", "结果", "评估人", "理由"), (0.95, 1.05, 0.85, 0.8, 3.2),
               card.assessments, colours=(2,), empty="（尚未评估）")
    flow.section("五、帮扶措施与转介")
    flow.table(("开始日期", "帮扶措施", "责任人", "状态", "具体内容"), (0.95, 1.2, 0.8, 0.7, 3.2), card.helps,
               empty="（无帮扶措施）")
    flow.space(4)
    flow.table(("转介日期", "转介对象", "状态", "转介原因", "反馈"), (0.95, 1.1, 0.7, 2.0, 2.0), card.referrals,
               empty="（无转介）")
    shown = len(card.visits)
    flow.section(f"六、最近走访（共 {card.visit_total} 次，列最近 {shown} 次）" if shown else "六、最近走访")
    flow.table(("走访日期", "方式", "走访人", "存在问题", "帮扶措施", "下次走访"), (0.95, 0.6, 0.9, 2.0, 2.0, 0.95),
               ([_d(v.visited_on), v.mode, v.visitors, v.problems, v.measures, _d(v.next_due_on)] for v in card.visits),
               empty="（尚未走访）")
    if card.notes:
        flow.section("七、备注")
        flow.paragraph(card.notes)
    flow.signatures(("填表人", "审核人（站长）"))
    return doc.finish()


# 强制报告线索登记表

def _child_grid(flow: Flow, c: ChildFacts | None, name: str) -> None:
    if c is None:
        flow.grid(SIX, [
            [Cell("姓名", label=True), Cell(name or "（不详）"), Cell("性别", label=True), Cell(""),
             Cell("年龄", label=True), Cell("")],
            [Cell("现居住地", label=True), Cell("（尚未建档，请调查后补录）", span=5)],
        ])
        return
    flow.grid(SIX, child_rows(c)[:6])


def render_clue(sheet: ClueSheet, fonts: FontSet, by: PrintedBy) -> Document:
    doc = new_document(fonts, sheet.station, CLUE_FORM, by, f"{CLUE_FORM}（{sheet.file_no}）")
    flow = Flow(doc, f"线索编号 {sheet.file_no}")
    flow.title(f"{sheet.station}{CLUE_FORM}")
    flow.meta(f"线索编号：{sheet.file_no}", f"受理日期：{sheet.received_at:%Y-%m-%d}")
    flow.section("一、受理登记")
    flow.grid(SIX, [
        [Cell("受理时间", label=True), Cell(f"{sheet.received_at:%Y-%m-%d %H:%M}"),
         Cell("受理人", label=True), Cell(sheet.received_by), Cell("线索来源", label=True), Cell(sheet.source)],
        [Cell("报告人", label=True), Cell(sheet.reporter or "（匿名）"), Cell("联系电话", label=True),
         Cell(sheet.reporter_phone), Cell("当前环节", label=True), Cell(sheet.state)],
        [Cell("情形", label=True), Cell(Choice(CLUE_SITUATION, sheet.situations), span=5)],
    ])
    flow.grid(SIX, [
        [Cell("接报单位", label=True), Cell(Choice(REPORTED_TO, sheet.reported_to), span=5)],
        [Cell("报案时间", label=True), Cell(sheet.reported_at or blank_date()), Cell("接报人", label=True),
         Cell(sheet.report_receiver, span=3)],
        [Cell("回执", label=True), Cell(sheet.receipt, span=5)],
    ])
    flow.section("二、涉及儿童")
    _child_grid(flow, sheet.child, sheet.child_name)
    flow.section("三、线索内容")
    flow.text_box("线索内容", sheet.content, min_lines=4)
    flow.section("四、办理经过（受理 → 调查 → 处置 → 反馈）")
    for label, when, who, text in sheet.steps:
        flow.grid(SIX, [[Cell(f"{label}时间", label=True), Cell(when or blank_date(), span=2),
                         Cell(f"{label}人", label=True), Cell(who, span=2)]])
        if text:
            flow.text_box(f"{label}情况", text, min_lines=2)
        else:
            flow.text_box(f"{label}情况", None, blank_lines=3)
    if sheet.referrals:
        flow.section("五、转介情况")
        flow.table(("转介日期", "转介对象", "状态"), (1, 2, 1), sheet.referrals)
    flow.signatures(("受理人（签字）", "工作站负责人（签字）"))
    return doc.finish()


# 转介单

def render_referral(sheet: ReferralSheet, fonts: FontSet, by: PrintedBy) -> Document:
    doc = new_document(fonts, sheet.station, REFERRAL_FORM, by, f"{REFERRAL_FORM}（{sheet.file_no}）")
    flow = Flow(doc, f"转介编号 {sheet.file_no}")
    flow.title(f"{sheet.station}{REFERRAL_FORM}")
    flow.meta(f"转介编号：{sheet.file_no}", f"转介日期：{sheet.referred_on:%Y-%m-%d}")
    flow.section("一、转介信息")
    state = sheet.state + (f" {sheet.state_on:%Y-%m-%d}" if sheet.state_on else "")
    flow.grid(SIX, [
        [Cell("转介对象", label=True), Cell(sheet.target), Cell("接收单位", label=True),
         Cell(sheet.target_name, span=3)],
        [Cell("经办人", label=True), Cell(sheet.handled_by), Cell("关联线索", label=True),
         Cell(sheet.clue_no or "无"), Cell("当前状态", label=True), Cell(state)],
    ])
    flow.section("二、儿童基本情况")
    _child_grid(flow, sheet.child, sheet.child_name)
    flow.section("三、转介原因及需协助事项")
    flow.text_box("转介原因", sheet.reason or (sheet.clue_content if sheet.clue_no else ""), min_lines=4)
    flow.section("四、接收单位办理反馈")
    if sheet.feedback:
        flow.text_box("反馈情况", sheet.feedback, min_lines=3)
    else:
        flow.text_box("反馈情况", None, blank_lines=4)
    flow.signatures(("转出单位经办人", "转出单位负责人（盖章）"))
    flow.cut_line("沿此线剪开，回执由接收单位填写后交回")
    flow.title("转介回执", 14)
    who = sheet.child.name if sheet.child else sheet.child_name
    flow.space(6)
    flow.paragraph(
        f"{sheet.station}未成年人保护工作站：你站于{sheet.referred_on:%Y年%m月%d日}转介的未成年人{who}"
        f"（转介编号 {sheet.file_no}），我单位已于　　　　年　　月　　日接收，将依法依规办理，办理结果另行书面反馈。",
        BODY, indent=0)
    flow.space(PAD)
    flow.signatures(("接收单位经办人", "接收单位（盖章）"))
    return doc.finish()


__all__ = [
    "render_visit_sheet", "render_round", "render_file_card", "render_clue", "render_referral",
    "VISIT_FORM", "ROUND_FORM", "FILE_CARD_FORM", "CLUE_FORM", "REFERRAL_FORM", "VisitFacts",
]
