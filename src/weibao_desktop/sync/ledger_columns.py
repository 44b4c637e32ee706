"""The columns of every 台账: header text (and group), how a cell prints, the field it holds, and the other
header texts a hand-made ledger uses for it (for import).

Fields, labels and code tables come from `domain.fields` and `domain.codes`; what is added here is
only what a ledger needs on top: the order, the grouping, and the synonyms.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from ..domain.codes import CATEGORY, CATEGORY_GROUPS, CLUE_STATE, RELIEF, RISK_COLOUR, VISIT_MODE, CodeTable
from ..domain.fields import FieldSpec, label_of, spec_of

if TYPE_CHECKING:  # the xlsx writer (openpyxl) is loaded by exports, not by reading a ledger
    from .xlsx_style import SheetColumn

_PRINT_KIND = {
    "text": "text", "longtext": "longtext", "date": "date", "datetime": "datetime", "code": "text",
    "codes": "text", "bool": "text", "id_number": "id", "phone": "phone", "ref": "text", "ethnicity": "text",
    "time": "text", "count": "int", "hours": "text",
}
YES_NO = ("是", "否")


@dataclass(frozen=True)
class Column:
    """One column of a ledger.

    `key` names what the column holds: a field of the row's record ("name"), a field of a related
    record ("father.phone"), or a computed value ("categories", "village", "uuid"). `spec` is the
    field's spec when the column is a plain field: import validates with it. `imported` is False for
    values the program derives (next visit due …): import knows them and leaves them alone.
    """

    key: str
    header: str
    group: str | None = None
    kind: str = "text"  # print kind, see xlsx_style.SheetColumn
    spec: FieldSpec | None = None
    table: CodeTable | None = None
    multi: bool = False
    synonyms: tuple[str, ...] = ()
    imported: bool = True
    width: float | None = None
    fill_in: bool = False  # filled in by the village on a 走访任务表 (the rest of the sheet is protected)

    def sheet_column(self, choices: tuple[str, ...] | None = None) -> SheetColumn:
        from .xlsx_style import SheetColumn

        if choices is None:
            choices = tuple(self.table.labels()) if self.table is not None else ()
            if self.spec is not None and self.spec.kind == "bool":
                choices = YES_NO
        return SheetColumn(self.header, self.group, self.kind, self.width, choices, self.multi, fill_in=self.fill_in)

    def headers(self) -> tuple[str, ...]:
        return (self.header, *self.synonyms)


@dataclass(frozen=True)
class Ledger:
    kind: str  # children, visits, risk, help, reports, hotline, summary
    title: str  # 儿童信息台账; the sheet title is prefixed with the station's name
    columns: tuple[Column, ...]
    freeze_cols: int = 2
    importable: bool = False
    # Header texts that, found together, say a sheet is this ledger (for telling ledgers apart on import).
    signature: tuple[str, ...] = ()
    blank_rows: int = 0  # empty editable rows after the data, for rows people add (走访任务表)
    anchor: str = "name"  # the column a header row must name to be this ledger's header

    def column(self, key: str) -> Column:
        for c in self.columns:
            if c.key == key:
                return c
        raise KeyError(key)

    def keys(self) -> list[str]:
        return [c.key for c in self.columns]


def field_column(entity: str, name: str, *, key: str | None = None, header: str | None = None,
                 group: str | None = None, synonyms: tuple[str, ...] = (), kind: str | None = None,
                 imported: bool = True, width: float | None = None) -> Column:
    spec = spec_of(entity, name)
    if spec is None:
        raise KeyError(f"{entity}.{name}")
    return Column(
        key=key or name, header=header or spec.label, group=group, kind=kind or _PRINT_KIND[spec.kind], spec=spec,
        table=spec.table, multi=spec.kind == "codes", synonyms=synonyms, imported=imported, width=width,
    )


def _col(key: str, header: str, kind: str = "text", **kw) -> Column:
    return Column(key, header, kind=kind, **kw)


SEQ = _col("seq", "序号", "seq", synonyms=("编号", "序", "No", "NO.", "No."), imported=False)
UUID = _col("uuid", "档案编号", synonyms=("系统编号", "UUID", "档案编号(系统)", "唯一编号"), width=38)
RECORD_UUID = _col("uuid", "记录编号", synonyms=("系统编号", "UUID"), imported=False, width=38)
VILLAGE = _col("village", "所属村(社区)", synonyms=(
    "村(社区)", "村/社区", "村社区", "所在村", "所在村(社区)", "村别", "村名", "所属村", "村居", "村(居)", "所属村居",
    "所属社区", "社区", "村", "村委会", "所属村(居)",
))
CATEGORIES = Column("categories", "儿童类别", table=CATEGORY, multi=True, synonyms=(
    "类别", "人员类别", "儿童类型", "类型", "困境类型", "重点未成年人类别", "未成年人类别", "所属类别",
))
COLOUR = Column("risk_colour", "风险等级", kind="colour", table=RISK_COLOUR, synonyms=(
    "等级", "预警等级", "风险评估等级", "颜色等级", "分级", "风险级别", "风险等级评估", "关爱等级",
))
RELIEFS = Column("reliefs", "已享受救助", table=RELIEF, multi=True, synonyms=(
    "享受救助", "救助情况", "享受政策", "已享受救助政策", "享受救助情况", "救助政策",
))
CHILD_NAME = field_column("child", "name", synonyms=("儿童姓名", "学生姓名", "未成年人姓名", "名字"))
CHILD_ID = field_column("child", "id_number", synonyms=(
    "身份证号", "身份证号码", "证件号码", "身份证", "儿童身份证号", "儿童身份证号码", "公民身份证号码", "身份证件号码",
    "公民身份证号", "证件号",
))
CHILD_SEX = field_column("child", "sex", width=6)
CHILD_BIRTH = field_column("child", "birth_date", synonyms=("出生年月日", "出生年月", "生日", "出生时间"))

# Sub-columns of the father / mother / guardian groups, with the words hand-made ledgers use.
PERSON_SYNONYMS = {
    "name": ("名字",),
    "id_number": ("身份证号码", "证件号码", "公民身份号码", "身份证", "公民身份证号码"),
    "phone": ("电话", "手机", "手机号", "手机号码", "联系方式"),
    "status": ("情况", "现状", "状态", "目前状况", "就业状况", "基本情况"),
    "work_place": ("外出务工地点", "务工地", "务工省市", "工作地点", "务工所在地", "务工地点(省市)"),
    "relation_detail": ("关系", "与儿童的关系", "与未成年人关系"),
    "address": ("地址", "住址", "现居住地", "家庭住址"),
}
GROUP_SYNONYMS = {
    "父亲": ("父亲情况", "父亲信息", "父"),
    "母亲": ("母亲情况", "母亲信息", "母"),
    "被委托人": ("委托监护人", "监护人", "受委托监护人", "实际监护人", "监护人情况", "委托监护人情况", "委托照料人",
             "实际照料人", "委托照护人", "被委托人情况"),
}
RELATION_OF_GROUP = {"父亲": "father", "母亲": "mother", "被委托人": "entrusted"}


def _person(group: str, name: str, header: str | None = None) -> Column:
    prefix = RELATION_OF_GROUP[group]
    return field_column("person", name, key=f"{prefix}.{name}", header=header, group=group,
                        synonyms=PERSON_SYNONYMS.get(name, ()))


def _parent(group: str) -> tuple[Column, ...]:
    return (
        _person(group, "name", "姓名"), _person(group, "id_number"), _person(group, "phone"),
        _person(group, "status"), _person(group, "work_place"),
    )


CHILDREN = Ledger(
    "children", "儿童信息台账",
    (
        SEQ,
        CHILD_NAME,
        CHILD_SEX,
        field_column("child", "ethnicity", synonyms=("族别",), width=7),
        CHILD_BIRTH,
        CHILD_ID,
        VILLAGE,
        CATEGORIES,
        COLOUR,
        field_column("child", "hukou_registered", synonyms=("登记户口", "是否有户口", "户口登记"), width=7),
        field_column("child", "hukou_address", synonyms=("户籍地", "户籍地址", "户口所在地", "户籍")),
        field_column("child", "residence_address", synonyms=("现住址", "家庭住址", "居住地址", "现居住地址", "家庭地址", "住址")),
        field_column("child", "health", synonyms=("健康状况", "身体状况", "健康情况")),
        field_column("child", "disability_kind", synonyms=("残疾类型", "残疾类别及等级")),
        field_column("child", "disability_grade", synonyms=("残疾级别",)),
        field_column("child", "illness", synonyms=("患病情况", "疾病类型", "所患疾病")),
        field_column("child", "schooling", synonyms=("就学状况", "在校情况", "学段", "就读情况", "在学情况")),
        field_column("child", "school_name", synonyms=("学校", "学校名称", "就读学校名称", "所在学校")),
        field_column("child", "boarding", synonyms=("寄宿", "是否住校", "住校"), width=7),
        field_column("child", "contact_phone", synonyms=("电话", "联系方式", "手机号", "手机号码", "家庭电话", "联系电话号码")),
        *_parent("父亲"),
        *_parent("母亲"),
        _person("被委托人", "name", "姓名"),
        _person("被委托人", "relation_detail", "与儿童关系"),
        _person("被委托人", "id_number"),
        _person("被委托人", "phone"),
        _person("被委托人", "address"),
        field_column("child", "income_sources", synonyms=("经济来源", "家庭收入来源", "主要经济来源")),
        RELIEFS,
        field_column("child", "paired_helper", synonyms=("帮扶人", "一对一帮扶人", "结对人", "帮扶责任人", "结对帮扶责任人")),
        field_column("child", "placement", synonyms=("安置", "安置方式", "目前安置"), width=9),
        field_column("child", "placed_on", synonyms=("安置时间",)),
        field_column("child", "placement_place", synonyms=("安置地点", "安置机构", "安置单位")),
        _col("opened_on", "建档日期", "date", imported=False, synonyms=("建档时间",)),
        _col("last_visit_on", "最近走访日期", "date", imported=False, synonyms=("最近走访", "上次走访日期", "上次走访")),
        _col("next_visit_due", "下次走访日期", "date", imported=False, synonyms=("下次走访", "应走访日期")),
        field_column("child", "notes", synonyms=("说明", "其他情况"), kind="longtext"),
        UUID,
    ),
    importable=True,
    signature=("姓名", "公民身份号码", "出生日期", "性别"),
)

VISIT_GROUP = "走访情况"
VISITS = Ledger(
    "visits", "走访记录台账",
    (
        SEQ, CHILD_NAME, CHILD_ID, VILLAGE, COLOUR,
        field_column("visit", "visited_on", synonyms=("走访时间",)),
        field_column("visit", "mode"),
        field_column("visit", "visitors", synonyms=("走访人员",)),
        *(field_column("visit", n, group=VISIT_GROUP, header=label_of("visit", n).removesuffix("情况"), width=16)
          for n in ("living", "study", "health", "safety", "psychology", "guardianship")),
        field_column("visit", "problems", width=20),
        field_column("visit", "measures", width=20),
        field_column("visit", "next_due_on"),
        RECORD_UUID,
    ),
    signature=("走访日期", "走访人"),
)

RISK = Ledger(
    "risk", "风险等级台账",
    (
        SEQ, CHILD_NAME, CHILD_SEX, CHILD_BIRTH, CHILD_ID, VILLAGE, CATEGORIES, COLOUR,
        _col("colour_set_on", "评定日期", "date", group="最近一次风险等级评估"),
        _col("assessor", "评估人", group="最近一次风险等级评估"),
        _col("reason", "评估理由", "longtext", group="最近一次风险等级评估", width=28),
        field_column("child", "paired_helper"),
        _col("open_actions", "在办帮扶/转介", "int", width=9),
        _col("last_visit_on", "最近走访日期", "date"),
        _col("next_visit_due", "下次走访日期", "date"),
        _col("days_overdue", "逾期天数", "int", width=7),
        UUID,
    ),
    signature=("评定日期", "评估人", "逾期天数"),
)

ACTION_GROUP = "帮扶措施 / 转介"
HELP = Ledger(
    "help", "帮扶与转介台账",
    (
        SEQ,
        _col("type", "类型", width=7),
        CHILD_NAME, CHILD_ID, VILLAGE, COLOUR,
        _col("what", "措施 / 转介对象", group=ACTION_GROUP),
        _col("target_name", "接收单位", group=ACTION_GROUP),
        _col("started_on", "开始 / 转介日期", "date", group=ACTION_GROUP),
        _col("responsible", "责任人 / 经办人", group=ACTION_GROUP),
        _col("description", "内容 / 原因", "longtext", group=ACTION_GROUP, width=26),
        _col("state", "状态", group=ACTION_GROUP, width=8),
        _col("ended_on", "结束 / 状态日期", "date", group=ACTION_GROUP),
        _col("result", "成效 / 反馈", "longtext", group=ACTION_GROUP, width=26),
        RECORD_UUID,
    ),
    signature=("措施 / 转介对象", "接收单位"),
)

REPORTS = Ledger(
    "reports", "强制报告线索台账",
    (
        SEQ,
        field_column("report_clue", "child_name"),
        _col("child_id_number", "公民身份号码", "id"),
        *(field_column("report_clue", n, group="受理") for n in ("received_at", "received_by", "source", "reporter")),
        field_column("report_clue", "reporter_phone", group="受理", header="报告人电话"),
        field_column("report_clue", "content", group="受理", width=28),
        field_column("report_clue", "situations", group="受理", width=22),
        field_column("report_clue", "reported_at", group="报案", header="报案时间"),
        field_column("report_clue", "reported_to", group="报案"),
        field_column("report_clue", "report_receiver", group="报案"),
        field_column("report_clue", "receipt", group="报案", width=20),
        field_column("report_clue", "investigated_at", group="调查", header="时间"),
        field_column("report_clue", "investigated_by", group="调查", header="调查人"),
        field_column("report_clue", "investigation", group="调查", header="调查情况", width=22),
        field_column("report_clue", "handled_at", group="处置", header="时间"),
        field_column("report_clue", "handled_by", group="处置", header="处置人"),
        field_column("report_clue", "handling", group="处置", header="处置情况", width=22),
        field_column("report_clue", "feedback_at", group="反馈", header="时间"),
        field_column("report_clue", "feedback_by", group="反馈", header="反馈人"),
        field_column("report_clue", "feedback", group="反馈", header="反馈情况", width=22),
        Column("state", "当前环节", table=CLUE_STATE, width=8),
        RECORD_UUID,
    ),
    freeze_cols=2,
    signature=("线索来源", "线索内容"),
)

HOTLINE = Ledger(
    "hotline", "热线记录台账",
    (
        SEQ,
        field_column("hotline_call", "call_at"),
        field_column("hotline_call", "caller"),
        field_column("hotline_call", "caller_phone"),
        _col("child_name", "涉及儿童"),
        field_column("hotline_call", "content", width=30),
        field_column("hotline_call", "handling", width=26),
        field_column("hotline_call", "handled_by"),
        field_column("hotline_call", "state", width=8),
        field_column("hotline_call", "source", width=10),
        field_column("hotline_call", "order_no", width=14),
        field_column("hotline_call", "due_at"),
        _col("to_clue", "转为强制报告线索", width=9),
        RECORD_UUID,
    ),
    signature=("来电时间", "来电内容"),
)

CHECK_GROUP = "处理情况"
CHECKS = Ledger(
    "checks", "核查整改台账",
    (
        SEQ, VILLAGE, CHILD_NAME,
        _col("id_masked", "公民身份号码（隐去部分）", width=20),
        _col("title", "核查项目", width=24),
        _col("detail", "核查发现", "longtext", width=34),
        _col("state", "状态", width=9, group=CHECK_GROUP),
        _col("decision", "处理结果", width=7, group=CHECK_GROUP),
        _col("note", "处理说明", "longtext", width=28, group=CHECK_GROUP),
        _col("resolved_by", "处理人", group=CHECK_GROUP),
        _col("resolved_at", "处理时间", "datetime", group=CHECK_GROUP),
    ),
    signature=("核查项目", "核查发现"),
)

def care_ledgers() -> dict[str, Ledger]:
    """The household and care ledgers (sync/care_ledgers.py), which build on the columns above."""
    from .care_ledgers import CARE, HOUSEHOLDS

    return {HOUSEHOLDS.kind: HOUSEHOLDS, CARE.kind: CARE}


def _visit_fill(name: str, **kw) -> Column:
    return replace(field_column("visit", name, **kw), fill_in=True)


# 走访任务表: what the township sends a village (the children due, one row per visit to fill), and what comes
# back filled in. The township's columns are protected; 档案编号 tells the program whose row it is.
VISIT_TASKS = Ledger(
    "visit_tasks", "走访任务表",
    (
        SEQ, CHILD_NAME, CHILD_SEX, CHILD_BIRTH, VILLAGE,
        replace(COLOUR, imported=False),
        _col("due_on", "应走访日期", "date", imported=False),
        _col("guardian", "监护人", imported=False),
        _col("guardian_phone", "联系电话", "phone", imported=False),
        _visit_fill("visited_on", synonyms=("走访时间",)),
        _visit_fill("mode"),
        _visit_fill("visitors", synonyms=("走访人员",)),
        *(_visit_fill(n, header=label_of("visit", n), width=14)
          for n in ("living", "study", "health", "safety", "psychology", "guardianship")),
        _visit_fill("problems", width=16),
        _visit_fill("measures", width=16),
        _visit_fill("next_due_on"),
        replace(UUID, width=12),
    ),
    freeze_cols=2,
    importable=True,
    signature=("应走访日期", "走访日期", "走访方式"),
    blank_rows=10,
)

ACTIVITIES = Ledger(
    "activities", "活动与服务台账",
    (
        SEQ,
        field_column("activity", "held_on", synonyms=("日期", "时间", "开展日期")),
        field_column("activity", "start_time", width=7),
        field_column("activity", "end_time", width=7),
        _col("hours", "时长(小时)", width=7, imported=False),
        field_column("activity", "kind", width=14, synonyms=("类型", "活动形式", "活动类别")),
        VILLAGE,
        field_column("activity", "place", synonyms=("地点", "开展地点")),
        field_column("activity", "organiser", synonyms=("组织人", "负责人", "组织单位")),
        field_column("activity", "partners", width=14),
        field_column("activity", "children_count", header="儿童人数", width=7),
        field_column("activity", "parents_count", header="家长人数", width=7),
        _col("children", "参与儿童", "longtext", width=20, imported=False),
        field_column("activity", "content", width=30, synonyms=("内容", "活动情况", "主要内容")),
        field_column("activity", "evidence", header="签到表/照片", width=16, synonyms=("签到表", "照片", "佐证材料")),
        _col("attachments", "附件数", "int", width=6, imported=False),
        replace(RECORD_UUID, imported=True),
    ),
    freeze_cols=3,
    importable=True,
    signature=("活动日期", "活动类型", "活动内容"),
    anchor="held_on",
)

STAFF = Ledger(
    "staff", "儿童主任（儿童督导员）名册",
    (
        SEQ,
        field_column("staff_member", "name"),
        field_column("staff_member", "sex", width=6),
        field_column("staff_member", "role", width=10),
        _col("villages", "负责村(社区)", width=16),
        field_column("staff_member", "phone"),
        field_column("staff_member", "committee_member", header="村(居)委会委员", width=8),
        field_column("staff_member", "womens_federation_head", header="妇联主席", width=7),
        field_column("staff_member", "appointed_on"),
        field_column("staff_member", "social_work_cert", width=12),
        _col("training_count", "培训次数", "int", width=7),
        _col("training_hours", "培训学时", width=7),
        _col("last_training", "最近一次培训", width=24),
        field_column("staff_member", "left_on"),
        RECORD_UUID,
    ),
    signature=("姓名", "职务", "负责村(社区)"),
)

LEDGERS = {ledger.kind: ledger for ledger in (CHILDREN, VISITS, RISK, HELP, REPORTS, HOTLINE, CHECKS, ACTIVITIES, STAFF,
                                              VISIT_TASKS)}
LEDGERS.update(care_ledgers())
SUMMARY_TITLE = "统计汇总表"


# The summary sheet: numbered count columns (栏次) and the checks between them.

@dataclass(frozen=True)
class SummaryColumn:
    """A numbered count column (栏次) of the summary sheet."""

    number: int
    header: str
    group: str | None = None


def _summary_columns() -> tuple[SummaryColumn, ...]:
    cols = [SummaryColumn(1, "在册儿童总数"), SummaryColumn(2, "男", "性别"), SummaryColumn(3, "女", "性别")]
    for n, code in enumerate(RISK_COLOUR.keys(), start=4):
        cols.append(SummaryColumn(n, RISK_COLOUR.label_of(code), "风险等级"))
    cols.append(SummaryColumn(8, "未评估", "风险等级"))
    cols.append(SummaryColumn(9, "农村留守儿童"))
    cols += [SummaryColumn(10, "小计", "困境儿童"), SummaryColumn(11, "生存困难", "困境儿童"),
             SummaryColumn(12, "监护困境", "困境儿童"), SummaryColumn(13, "成长障碍", "困境儿童")]
    cols += [SummaryColumn(14, "小计", "孤儿"), SummaryColumn(15, "集中供养", "孤儿"), SummaryColumn(16, "社会散居", "孤儿")]
    cols += [SummaryColumn(17, "事实无人抚养儿童"), SummaryColumn(18, "残疾儿童"), SummaryColumn(19, "重病儿童"),
             SummaryColumn(20, "低保家庭儿童")]
    cols.append(SummaryColumn(21, "走访人次", "本期走访"))
    for n, code in enumerate(("home", "phone", "video", "school", "other"), start=22):
        cols.append(SummaryColumn(n, VISIT_MODE.label_of(code), "本期走访"))
    cols += [SummaryColumn(27, "逾期未走访人数"), SummaryColumn(28, "本期新建档")]
    return tuple(cols)


SUMMARY_COLUMNS = _summary_columns()
# The cross-checks of the sheet: column = sum of columns. Checked on every row and on the 合计 row.
SUMMARY_CHECKS: tuple[tuple[int, tuple[int, ...]], ...] = (
    (1, (2, 3)),
    (1, (4, 5, 6, 7, 8)),
    (14, (15, 16)),  # an orphan is either in central care or scattered, never both
    (21, (22, 23, 24, 25, 26)),
)
# "其中" columns: each part is at most its whole (a child may be in several kinds of plight).
SUMMARY_BOUNDS: tuple[tuple[int, tuple[int, ...]], ...] = (
    (10, (11, 12, 13)),
    (1, (9, 10, 14, 17, 18, 19, 20, 27, 28)),
)
# What each count column counts (a child counts once per column).
SUMMARY_SEX_COLUMNS = {2: "M", 3: "F"}
SUMMARY_COLOUR_COLUMNS = {4: "blue", 5: "yellow", 6: "orange", 7: "red", 8: None}
SUMMARY_CATEGORY_COLUMNS = {
    9: ("left_behind",), 10: CATEGORY_GROUPS["困境儿童"], 11: ("plight_survival",), 12: ("plight_guardian",),
    13: ("plight_development",),
    # A 孤儿(未细分) enters the sheet once the 资格核查 has said which kind: until then it is listed there.
    14: ("orphan_central", "orphan_scattered"), 15: ("orphan_central",), 16: ("orphan_scattered",),
    17: ("de_facto_unsupported",), 18: ("disabled",), 19: ("seriously_ill",), 20: ("dibao",),
}
SUMMARY_MODE_COLUMNS = {22: "home", 23: "phone", 24: "video", 25: "school", 26: "other"}


def summary_header(number: int) -> str:
    col = SUMMARY_COLUMNS[number - 1]
    return f"{col.group}{col.header}" if col.group and col.header in ("小计", "合计") else (
        f"{col.group}“{col.header}”" if col.group else col.header)


def summary_rule_text() -> str:
    rules = [f"{lhs}={'+'.join(str(p) for p in parts)}" for lhs, parts in SUMMARY_CHECKS]
    rules += [f"{'、'.join(str(p) for p in parts)}≤{lhs}" for lhs, parts in SUMMARY_BOUNDS]
    return "校验关系：" + "；".join(rules) + "；合计行 = 各村(社区)之和。"


# header matching (import)

_PAREN = re.compile(r"[(（\[【].*?[)）\]】]")
_NOISE = re.compile(r"[\s*＊:：#№'\"“”‘’]")


def fold_header(text: object) -> str:
    """Header text reduced to what matters: full-width → half-width, no spaces, stars or colons."""
    if text is None:
        return ""
    s = unicodedata.normalize("NFKC", str(text))
    return _NOISE.sub("", s).lower()


def strip_hint(folded: str) -> str:
    """'身份证号(18位)' → '身份证号': a bracketed hint after the name."""
    return _PAREN.sub("", folded)


@dataclass
class HeaderIndex:
    """Folded header texts → column keys, for one ledger."""

    plain: dict[str, str] = field(default_factory=dict)  # a header alone: "身份证号" → "id_number"
    grouped: dict[tuple[str, str], str] = field(default_factory=dict)  # ("父亲", "电话") → "father.phone"
    groups: dict[str, str] = field(default_factory=dict)  # "监护人" → "被委托人"

    def lookup(self, text: object, group: object = None) -> str | None:
        h = fold_header(text)
        if not h:
            return None
        if group in (None, "") and ("/" in h or "·" in h):
            # "父亲 / 电话", as the error report writes a two-row header on one row.
            g_text, _, sub = h.replace("·", "/").partition("/")
            if self.group_of(g_text):
                return self.lookup(sub, g_text)
        g = self.group_of(group) if group not in (None, "") else None
        for candidate in (h, strip_hint(h)):
            if g is not None:
                key = self.grouped.get((g, candidate))
                if key:
                    return key
            else:
                key = self.plain.get(candidate)
                if key:
                    return key
        return None

    def group_of(self, text: object) -> str | None:
        h = fold_header(text)
        return self.groups.get(h) or self.groups.get(strip_hint(h))


def header_index(ledger: Ledger) -> HeaderIndex:
    index = HeaderIndex()
    for group, synonyms in GROUP_SYNONYMS.items():
        for text in (group, *synonyms):
            index.groups[fold_header(text)] = group
    for col in ledger.columns:
        if col.group and col.key.endswith(".name"):
            # A one-row ledger may have just "监护人" for the guardian's name.
            for g in (col.group, *GROUP_SYNONYMS.get(col.group, ())):
                index.plain.setdefault(fold_header(g), col.key)
        if col.group:
            group_texts = (col.group, *GROUP_SYNONYMS.get(col.group, ()))
            for h in col.headers():
                index.grouped.setdefault((col.group, fold_header(h)), col.key)
                # One-row ledgers write the group into the header: 父亲姓名, 监护人电话.
                for g in group_texts:
                    index.plain.setdefault(fold_header(g + h), col.key)
        else:
            for h in col.headers():
                index.plain.setdefault(fold_header(h), col.key)
    return index
