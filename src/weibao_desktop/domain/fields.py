"""What each editable field of each record is: its label, kind, codes and limits.

Defined once here; the services validate with it, the forms and ledgers label with it, and the
change history renders old → new with it.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from . import codes
from .care import CARE_KIND
from .checks import clean_text, normalize_phone
from .dates import parse_date, parse_datetime
from .errors import WeibaoError
from .ethnicity import normalize_ethnicity
from .idnumber import IdNumberError, checked_id_number


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    kind: str = "text"  # text, longtext, date, datetime, code, codes, bool, id_number, phone, ethnicity
    table: codes.CodeTable | None = None
    required: bool = False
    max_len: int = 200
    not_future: bool = False


def _f(name, label, kind="text", table=None, **kw) -> FieldSpec:
    return FieldSpec(name, label, kind, table, **kw)


CHILD = (
    _f("name", "姓名", required=True, max_len=50),
    _f("sex", "性别", "code", codes.SEX, required=True),
    _f("ethnicity", "民族", "ethnicity", max_len=20),
    _f("birth_date", "出生日期", "date", required=True, not_future=True),
    _f("id_number", "公民身份号码", "id_number"),
    _f("hukou_registered", "是否登记户口", "bool"),
    _f("hukou_address", "户籍所在地"),
    _f("residence_address", "现居住地"),
    _f("health", "身体情况", "code", codes.HEALTH),
    _f("disability_kind", "残疾类别", max_len=50),
    _f("disability_grade", "残疾等级", max_len=20),
    _f("illness", "患病类型", max_len=100),
    _f("schooling", "就学情况", "code", codes.SCHOOLING),
    _f("school_name", "就读学校", max_len=100),
    _f("boarding", "是否寄宿", "bool"),
    _f("income_sources", "家庭经济来源", "codes", codes.INCOME_SOURCE),
    _f("contact_phone", "联系电话", "phone"),
    _f("paired_helper", "结对帮扶人", max_len=50),
    _f("placement", "安置情况", "code", codes.PLACEMENT),
    _f("placed_on", "安置日期", "date", not_future=True),
    _f("placement_place", "安置地点/机构", max_len=100),
    _f("village_id", "所属村(社区)", "ref"),
    _f("notes", "备注", "longtext", max_len=5000),
)

PERSON = (
    _f("relation", "与儿童关系", "code", codes.PERSON_RELATION, required=True),
    _f("relation_detail", "具体关系", max_len=20),
    _f("name", "姓名", max_len=50),
    _f("birth_date", "出生日期", "date", not_future=True),
    _f("id_number", "身份证号", "id_number"),
    _f("phone", "联系电话", "phone"),
    _f("status", "状况", "code", codes.PERSON_STATUS),
    _f("work_place", "务工地点", max_len=100),
    _f("address", "居住地址"),
    _f("is_guardian", "是否监护人", "bool"),
)

CATEGORY = (
    _f("category", "类别", "code", codes.CATEGORY, required=True),
    _f("start_on", "认定日期", "date", required=True, not_future=True),
    _f("end_on", "退出日期", "date"),
)

RELIEF = (
    _f("kind", "救助类型", "code", codes.RELIEF, required=True),
    _f("start_on", "开始日期", "date", not_future=True),
    _f("end_on", "结束日期", "date"),
    _f("amount", "金额/标准", max_len=30),
    _f("note", "说明", "longtext", max_len=2000),
)

ASSESSMENT = (
    _f("kind", "评估类型", "code", codes.ASSESSMENT_KIND, required=True),
    _f("assessed_on", "评估日期", "date", required=True, not_future=True),
    _f("assessor", "评估人", required=True, max_len=50),
    _f("result", "评估结果", required=True, max_len=50),
    _f("guardianship_type", "监护类型", "code", codes.GUARDIANSHIP_TYPE),
    _f("reason", "评估理由", "longtext", max_len=5000),
)

VISIT = (
    _f("visited_on", "走访日期", "date", required=True, not_future=True),
    _f("visitors", "走访人", required=True, max_len=100),
    _f("mode", "走访方式", "code", codes.VISIT_MODE, required=True),
    _f("living", "生活情况", "longtext", max_len=5000),
    _f("study", "学习情况", "longtext", max_len=5000),
    _f("health", "健康情况", "longtext", max_len=5000),
    _f("safety", "安全情况", "longtext", max_len=5000),
    _f("psychology", "心理情况", "longtext", max_len=5000),
    _f("guardianship", "监护情况", "longtext", max_len=5000),
    _f("problems", "存在问题", "longtext", max_len=5000),
    _f("measures", "帮扶措施", "longtext", max_len=5000),
    _f("next_due_on", "下次走访时间", "date"),
)

HELP = (
    _f("kind", "帮扶措施", "code", codes.HELP_KIND, required=True),
    _f("started_on", "开始日期", "date", required=True, not_future=True),
    _f("responsible", "责任人", max_len=50),
    _f("description", "具体内容", "longtext", max_len=5000),
    _f("state", "状态", "code", codes.HELP_STATE),
    _f("ended_on", "结束日期", "date", not_future=True),
    _f("result", "帮扶成效", "longtext", max_len=5000),
)

REFERRAL = (
    _f("target", "转介对象", "code", codes.REFERRAL_TARGET, required=True),
    _f("target_name", "接收单位", max_len=100),
    _f("referred_on", "转介日期", "date", required=True, not_future=True),
    _f("reason", "转介原因", "longtext", max_len=5000),
    _f("state", "转介状态", "code", codes.REFERRAL_STATE),
    _f("state_on", "状态日期", "date", not_future=True),
    _f("feedback", "反馈情况", "longtext", max_len=5000),
    _f("handled_by", "经办人", max_len=50),
)

CLUE = (
    _f("child_name", "涉及儿童", max_len=50),
    _f("received_at", "受理时间", "datetime", required=True, not_future=True),
    _f("received_by", "受理人", required=True, max_len=50),
    _f("source", "线索来源", "code", codes.CLUE_SOURCE, required=True),
    _f("reporter", "报告人", max_len=50),
    _f("reporter_phone", "报告人电话", "phone"),
    _f("content", "线索内容", "longtext", required=True, max_len=10000),
    _f("situations", "情形", "codes", codes.CLUE_SITUATION),
    _f("reported_at", "报案时间", "datetime", not_future=True),
    _f("reported_to", "接报单位", "codes", codes.REPORTED_TO),
    _f("report_receiver", "接报人", max_len=50),
    _f("receipt", "回执", "longtext", max_len=2000),
    _f("investigated_at", "调查时间", "datetime", not_future=True),
    _f("investigated_by", "调查人", max_len=50),
    _f("investigation", "调查情况", "longtext", max_len=10000),
    _f("handled_at", "处置时间", "datetime", not_future=True),
    _f("handled_by", "处置人", max_len=50),
    _f("handling", "处置情况", "longtext", max_len=10000),
    _f("feedback_at", "反馈时间", "datetime", not_future=True),
    _f("feedback_by", "反馈人", max_len=50),
    _f("feedback", "反馈情况", "longtext", max_len=10000),
)

CALL = (
    _f("call_at", "来电时间", "datetime", required=True, not_future=True),
    _f("caller", "来电人", max_len=50),
    _f("caller_phone", "来电号码", "phone"),
    _f("content", "来电内容", "longtext", required=True, max_len=10000),
    _f("handling", "处理情况", "longtext", max_len=10000),
    _f("handled_by", "接听人", required=True, max_len=50),
    _f("state", "处理状态", "code", codes.CALL_STATE),
    _f("source", "来电渠道", "code", codes.CALL_SOURCE),
    _f("order_no", "工单号", max_len=40),
    _f("due_at", "办理时限", "datetime"),
)

HOUSEHOLD = (
    _f("name", "家庭名称", required=True, max_len=50),
    _f("village_id", "所属村(社区)", "ref"),
    _f("address", "家庭住址"),
    _f("phone", "家庭联系电话", "phone"),
    _f("notes", "备注", "longtext", max_len=5000),
)

CARE = (
    _f("kind", "安排类型", "code", CARE_KIND, required=True),
    _f("carer_name", "被委托人/照护方", max_len=100),
    _f("carer_id_number", "被委托人身份证号", "id_number"),
    _f("carer_phone", "被委托人电话", "phone"),
    _f("carer_relation", "与儿童关系", max_len=20),
    _f("carer_address", "被委托人住址"),
    _f("parties", "委托方/监护人", max_len=100),
    _f("decided_by", "决定机关", max_len=100),
    _f("signed_on", "签订日期", "date", not_future=True),
    _f("start_on", "开始日期", "date"),
    _f("end_on", "到期日期", "date"),
    _f("review_on", "复核日期", "date"),
    _f("note", "说明", "longtext", max_len=5000),
)

ACTIVITY = (
    _f("held_on", "活动日期", "date", required=True, not_future=True),
    _f("start_time", "开始时间", "time", required=True),
    _f("end_time", "结束时间", "time", required=True),
    _f("kind", "活动类型", "code", codes.ACTIVITY_KIND, required=True),
    _f("place", "活动地点", max_len=100),  # or the village it was held in (the service checks)
    _f("organiser", "组织者", required=True, max_len=50),
    _f("partners", "合作单位", "codes", codes.PARTNER),
    _f("children_count", "参与儿童人数", "count"),
    _f("parents_count", "参与家长人数", "count"),
    _f("content", "活动内容", "longtext", required=True, max_len=5000),
    _f("evidence", "签到表/照片存放位置", max_len=300),
)

STAFF = (
    _f("name", "姓名", required=True, max_len=50),
    _f("role", "职务", "code", codes.STAFF_ROLE, required=True),
    _f("sex", "性别", "code", codes.SEX),
    _f("phone", "联系电话", "phone"),
    _f("committee_member", "是否村(居)委会委员", "bool"),
    _f("womens_federation_head", "是否妇联主席", "bool"),
    _f("appointed_on", "任职日期", "date", not_future=True),
    _f("social_work_cert", "社工证", "code", codes.SOCIAL_WORK_CERT),
    _f("account_name", "登录账号", max_len=50),
    _f("left_on", "离任日期", "date"),
)

TRAINING = (
    _f("held_on", "培训日期", "date", required=True, not_future=True),
    _f("hours", "学时", "hours", required=True),
    _f("topic", "培训内容", required=True, max_len=200),
    _f("organiser", "组织单位", max_len=100),
)

INCIDENT = (
    _f("kind", "事项类别", "code", codes.INCIDENT_KIND, required=True),
    _f("child_name", "涉及儿童", max_len=50),
    _f("occurred_at", "发生时间", "datetime", required=True, not_future=True),
    _f("learned_at", "获知时间", "datetime", required=True, not_future=True),
    _f("reported_at", "上报时间", "datetime", not_future=True),
    _f("reported_to", "上报单位", max_len=100),
    _f("receiver", "接报人", max_len=50),
    _f("reported_by", "报告人", required=True, max_len=50),
    _f("place", "发生地点", max_len=200),
    _f("summary", "基本情况", "longtext", required=True, max_len=10000),
    _f("measures", "已采取的措施", "longtext", max_len=10000),
    _f("progress", "后续进展", "longtext", max_len=10000),
)

BY_ENTITY = {
    "household": HOUSEHOLD, "care_arrangement": CARE,
    "child": CHILD, "person": PERSON, "category_membership": CATEGORY, "relief": RELIEF,
    "assessment": ASSESSMENT, "visit": VISIT, "help_measure": HELP, "referral": REFERRAL,
    "report_clue": CLUE, "hotline_call": CALL,
    "activity": ACTIVITY, "staff_member": STAFF, "staff_training": TRAINING, "incident": INCIDENT,
}
# Fields the services set themselves; they appear in the history but are not form fields.
SYSTEM_LABELS = {
    "status": "档案状态", "closed_reason": "销档原因", "closed_note": "销档说明", "closed_on": "销档日期",
    "risk_colour": "风险等级", "red_deferral": "红色暂缓说明", "state": "状态", "deleted_at": "删除",
    "child_id": "儿童", "clue_id": "线索",
}


_SPEC_INDEX = {(entity, spec.name): spec for entity, specs in BY_ENTITY.items() for spec in specs}


def spec_of(entity: str, name: str) -> FieldSpec | None:
    return _SPEC_INDEX.get((entity, name))


def label_of(entity: str, name: str) -> str:
    spec = spec_of(entity, name)
    return spec.label if spec else SYSTEM_LABELS.get(name, name)


def clean_value(spec: FieldSpec, value: object, today: dt.date | None = None) -> Any:
    """The stored form of one input value; raises WeibaoError naming the field."""
    kind = spec.kind
    out: Any
    if isinstance(value, str) and kind not in ("text", "longtext"):
        value = value.strip() or None
    if kind in ("text", "longtext"):
        out = clean_text(value, multiline=kind == "longtext")
        if out is not None and len(out) > spec.max_len:
            raise WeibaoError(f"{spec.label}过长（最多{spec.max_len}个字）", spec.name)
    elif kind == "date":
        out = parse_date(value, spec.label, spec.name)
    elif kind == "datetime":
        out = parse_datetime(value, spec.label, spec.name)
    elif kind == "code":
        table = table_of(spec)
        if value is None:
            out = None
        elif value in table:
            out = value
        else:
            out = table.parse(str(value))
            if out is None:
                raise WeibaoError(
                    f"{spec.label}“{value}”不在可选范围内（{'、'.join(table.labels())}）", spec.name
                )
    elif kind == "codes":
        table = table_of(spec)
        if value is None:
            out = None
        else:
            items: list
            unknown: list
            if isinstance(value, (list, tuple, set)):
                parsed = [v if v in table else table.parse(v) for v in value]
                unknown = [v for v, p in zip(value, parsed, strict=False) if p is None]
                items = [p for p in parsed if p]
            else:
                items, unknown = codes.parse_multi(table, str(value))
            if unknown:
                raise WeibaoError(f"{spec.label}中“{'、'.join(unknown)}”无法识别", spec.name)
            order = table.keys()  # one stored form per set of choices: table order, no repeats
            out = codes.join_codes(sorted(set(items), key=order.index)) or None
    elif kind == "bool":
        out = parse_bool(value, spec)
    elif kind == "id_number":
        try:
            out = checked_id_number(value)
        except IdNumberError as e:
            raise WeibaoError(e.message, spec.name) from None
    elif kind == "phone":
        out = normalize_phone(value, spec.name, spec.label)
    elif kind == "ethnicity":
        out = normalize_ethnicity(clean_text(value, multiline=False), spec.name)
    elif kind == "ref":
        out = value
    elif kind == "time":
        out = parse_clock(value, spec)
    elif kind in ("count", "hours"):
        out = parse_amount(value, spec)
    else:  # pragma: no cover - a spec table typo
        raise AssertionError(kind)
    if spec.required and (out is None or out == ""):
        raise WeibaoError(f"请填写{spec.label}", spec.name)
    if spec.not_future and out is not None:
        limit = today or dt.date.today()
        day = out.date() if isinstance(out, dt.datetime) else out
        if day > limit:
            raise WeibaoError(f"{spec.label}（{day:%Y-%m-%d}）不能晚于今天", spec.name)
    return out


def table_of(spec: FieldSpec) -> codes.CodeTable:
    """The code table of a code or codes field (every such spec names one)."""
    if spec.table is None:
        raise AssertionError(f"{spec.name} has no code table")
    return spec.table


_TRUE = {"是", "有", "y", "yes", "true", "1", "√", "寄宿", "已登记"}
_FALSE = {"否", "无", "n", "no", "false", "0", "×", "走读", "未登记"}


def parse_bool(value: object, spec: FieldSpec) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise WeibaoError(f"{spec.label}应填“是”或“否”，现为“{value}”", spec.name)


_CLOCK = re.compile(r"^(\d{1,2})\s*[:：点时.]\s*(\d{1,2})?\s*分?$")


def parse_clock(value: object, spec: FieldSpec) -> str | None:
    """A time of day as HH:MM ("9:00", "9：30", "14点", a spreadsheet time)."""
    if value is None:
        return None
    if isinstance(value, dt.time):
        return f"{value.hour:02d}:{value.minute:02d}"
    if isinstance(value, dt.datetime):
        return f"{value.hour:02d}:{value.minute:02d}"
    text = unicodedata.normalize("NFKC", str(value)).strip()
    found = _CLOCK.match(text)
    if found:
        hour, minute = int(found.group(1)), int(found.group(2) or 0)
        if hour < 24 and minute < 60:
            return f"{hour:02d}:{minute:02d}"
    raise WeibaoError(f"{spec.label}“{text}”不是时间，请写成“14:30”的样式", spec.name)


def parse_amount(value: object, spec: FieldSpec) -> int | float | None:
    """A head count (whole, 0–100000) or hours (up to one decimal, 0–1000)."""
    if value is None:
        return None
    text = unicodedata.normalize("NFKC", str(value)).strip().removesuffix("人").removesuffix("小时").strip()
    try:
        number = float(text)
    except ValueError:
        number = -1.0
    limit = 100000 if spec.kind == "count" else 1000
    whole = spec.kind == "count"
    if not (0 <= number <= limit) or (whole and number != int(number)):
        what = "0到100000之间的整数" if whole else "0到1000之间的数（如 1.5）"
        raise WeibaoError(f"{spec.label}“{text}”应为{what}", spec.name)
    return int(number) if whole else round(number, 1)


def clean_values(entity: str, values: dict, *, partial: bool, today: dt.date | None = None) -> dict:
    """Validate a form's or a row's values. `partial` (an update) checks only the fields given."""
    specs = BY_ENTITY[entity]
    known = {s.name for s in specs}
    unknown = set(values) - known
    if unknown:
        raise WeibaoError(f"未知字段：{'、'.join(sorted(unknown))}")
    out = {}
    errors: list[WeibaoError] = []  # every bad field at once, so a form shows each under its field
    for spec in specs:
        try:
            if spec.name in values:
                out[spec.name] = clean_value(spec, values[spec.name], today)
            elif not partial and spec.required:
                raise WeibaoError(f"请填写{spec.label}", spec.name)
        except WeibaoError as e:
            errors.append(e)
    if errors:
        raise WeibaoError.of_fields(errors)
    return out


def to_text(value: object) -> str | None:
    """How a value is written in the change history."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def display(entity: str, name: str, stored: str | None) -> str:
    """A history value as the user reads it: labels for codes, 是/否 for flags."""
    if stored is None or stored == "":
        return "（空）"
    spec = spec_of(entity, name)
    if spec is None:
        if name == "risk_colour":
            return codes.RISK_COLOUR.label_of(stored)
        if name == "status":
            return codes.CHILD_STATUS.label_of(stored)
        if name == "closed_reason":
            return codes.CLOSE_REASON.label_of(stored)
        return stored
    if spec.kind == "code":
        return table_of(spec).label_of(stored)
    if spec.kind == "codes":
        return "、".join(table_of(spec).label_of(c) for c in codes.split_codes(stored))
    if spec.kind == "bool":
        return "是" if stored == "1" else "否"
    if spec.kind == "id_number":
        from .idnumber import mask_id_number

        return mask_id_number(stored)
    return stored
