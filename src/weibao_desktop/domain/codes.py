"""Every coded value the program stores, with the Chinese label users see.

The database stores the code; screens, ledgers and printouts show the label. Ledger import maps
labels and their usual variants back to codes through `CodeTable.parse`.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

_MULTI_SPLIT = re.compile(r"[、，,;；/／|\s]+")


@dataclass(frozen=True)
class Code:
    code: str
    label: str
    synonyms: tuple[str, ...] = ()


@dataclass(frozen=True)
class CodeTable:
    name: str
    label: str
    codes: tuple[Code, ...]
    _by_code: dict = field(init=False, repr=False, compare=False, hash=False)
    _by_text: dict = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        by_code = {c.code: c for c in self.codes}
        by_text: dict[str, str] = {}
        for c in self.codes:
            for text in (c.code, c.label, *c.synonyms):
                by_text[_fold(text)] = c.code
        object.__setattr__(self, "_by_code", by_code)
        object.__setattr__(self, "_by_text", by_text)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def __iter__(self):
        return iter(self.codes)

    def label_of(self, code: str | None, default: str = "") -> str:
        if code is None:
            return default
        c = self._by_code.get(code)
        return c.label if c else code

    def labels(self) -> list[str]:
        return [c.label for c in self.codes]

    def keys(self) -> list[str]:
        return [c.code for c in self.codes]

    def separated_labels(self) -> list[tuple[str, str]]:
        pairs = [(t, c.code) for c in self.codes for t in (c.label, *c.synonyms) if _MULTI_SPLIT.search(t)]
        return sorted(pairs, key=lambda p: -len(p[0]))

    def parse(self, text: str | None) -> str | None:
        """Code for a label, code or known variant; None when unknown or empty."""
        if text is None:
            return None
        return self._by_text.get(_fold(str(text)))


def _fold(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


def _table(name: str, label: str, *rows: tuple) -> CodeTable:
    return CodeTable(name, label, tuple(Code(r[0], r[1], tuple(r[2:])) for r in rows))


SEX = _table("sex", "性别", ("M", "男", "男性", "1"), ("F", "女", "女性", "2"))

RISK_COLOUR = _table(
    "risk_colour",
    "风险等级",
    ("blue", "蓝", "蓝色", "蓝色等级", "蓝级", "低风险", "蓝色预警"),
    ("yellow", "黄", "黄色", "黄色等级", "黄级", "较低风险", "黄色预警"),
    ("orange", "橙", "橙色", "橙色等级", "橙级", "较高风险", "橙色预警"),
    ("red", "红", "红色", "红色等级", "红级", "高风险", "红色预警"),
)
# Severity order, lowest first; used for sorting and "red first" lists.
COLOUR_ORDER = {"red": 0, "orange": 1, "yellow": 2, "blue": 3}
COLOUR_RGB = {"blue": "#2F6FD0", "yellow": "#F2C200", "orange": "#F08A00", "red": "#D32F2F"}

CATEGORY = _table(
    "category",
    "儿童类别",
    ("left_behind", "农村留守儿童", "留守儿童", "留守"),
    # The plans' words (001 篇八, 004): 生存困难 / 监护困境 / 成长障碍; older ledgers and codes still arrive.
    ("plight_survival", "生存困难儿童", "困境儿童(生存困难)", "生存困难", "生活困境儿童", "困境儿童(生活困境)",
     "生活困境", "生存困境儿童", "生存困境", "plight_life"),
    ("plight_guardian", "监护困境儿童", "困境儿童(监护困境)", "监护困境"),
    ("plight_development", "成长障碍儿童", "困境儿童(成长障碍)", "成长障碍", "成长困境儿童", "困境儿童(成长困境)",
     "成长困境", "plight_growth"),
    ("orphan_central", "孤儿(集中供养)", "集中供养孤儿"),
    ("orphan_scattered", "孤儿(社会散居)", "社会散居孤儿", "散居孤儿"),
    # A bare 孤儿 says neither kind: kept as such for a person to decide (资格核查), never guessed.
    ("orphan_unspecified", "孤儿(未细分)", "孤儿"),
    ("de_facto_unsupported", "事实无人抚养儿童", "事实无人抚养"),
    ("guardian_absent", "监护缺失未成年人", "监护缺失"),
    ("guardian_unable", "监护人无力履行监护职责未成年人", "监护人无力履行监护职责", "监护人无力履职"),
    ("disabled", "残疾儿童"),
    ("seriously_ill", "重病儿童", "重病"),
    ("severe_disability_illness", "重残重病未成年人", "重残重病", "重残、重病未成年人"),
    ("vagrant", "流浪乞讨未成年人", "流浪乞讨", "流浪未成年人", "流浪"),
    ("trafficked", "被拐卖/胁迫未成年人", "被拐卖", "被胁迫", "被拐卖拐骗", "被拐卖、胁迫未成年人"),
    ("parent_detained", "父母服刑在押或强制隔离戒毒人员子女", "服刑人员子女", "父母服刑在押"),
    ("dibao", "低保家庭儿童", "低保家庭"),
    ("tekun", "特困供养儿童", "特困供养"),
    ("idle", "闲散未成年人", "闲散"),
    ("bad_behaviour", "有严重不良行为未成年人", "严重不良行为"),
    ("single_parent", "离异/单亲家庭未成年人", "单亲家庭", "离异家庭", "离异单亲"),
    ("victim", "受侵害未成年人", "刑事案件被害人"),
    ("involved_in_case", "涉案未成年人", "涉案"),
    ("hiv_affected", "受艾滋病影响儿童", "受艾滋病影响"),
    ("other", "其他"),
)
# Codes of older stores and packages, renamed by migration 0010 (the write path maps any that still arrive).
LEGACY_CATEGORY = {"plight_life": "plight_survival", "plight_growth": "plight_development"}
# 困境儿童 as one ledger category covers its three sub-kinds; the 六类 of 001 篇八 and the 五类 of 004 are
# groupings of the same categories, offered as list filters and ledger groupings.
CATEGORY_GROUPS = {
    "困境儿童": ("plight_survival", "plight_guardian", "plight_development"),
    "孤儿": ("orphan_central", "orphan_scattered", "orphan_unspecified"),
    "六类·孤儿": ("orphan_central", "orphan_scattered", "orphan_unspecified"),
    "六类·监护缺失": ("guardian_absent", "parent_detained", "de_facto_unsupported"),
    "六类·监护人无力履行监护职责": ("guardian_unable",),
    "六类·重残重病": ("severe_disability_illness", "seriously_ill"),
    "六类·流浪": ("vagrant",),
    "六类·其他特殊困难": ("victim", "left_behind", "involved_in_case", "single_parent", "plight_survival", "dibao",
                    "trafficked"),
    "五类·流浪乞讨或被拐卖胁迫": ("vagrant", "trafficked"),
    "五类·失去有效监护": ("guardian_absent", "guardian_unable", "de_facto_unsupported", "parent_detained"),
    "五类·父母长期外出": ("left_behind",),
    "五类·遭受虐待暴力": ("victim",),
    "五类·贫困重病重残涉案": ("plight_survival", "dibao", "tekun", "severe_disability_illness", "seriously_ill",
                      "involved_in_case"),
}

CHILD_STATUS = _table("child_status", "档案状态", ("active", "在册"), ("closed", "已销档", "销档", "结案"))

CLOSE_REASON = _table(
    "close_reason",
    "销档原因",
    ("adult", "年满18周岁", "满18周岁", "成年"),
    ("moved", "迁出本辖区", "迁出"),
    ("resolved", "困境已消除", "不再符合条件"),
    ("died", "死亡"),
    ("other", "其他"),
)

PERSON_RELATION = _table(
    "person_relation",
    "与儿童关系",
    ("father", "父亲"),
    ("mother", "母亲"),
    # 委托照护: care is entrusted, guardianship is not; older forms say 委托监护人.
    ("entrusted", "被委托人", "委托照护人", "委托监护人", "监护人", "受委托监护人"),
    ("other", "其他监护人", "其他"),
)

PERSON_STATUS = _table(
    "person_status",
    "状况",
    ("home", "在家", "在家务农", "在本地"),
    ("migrant", "外出务工", "务工", "外出"),
    ("prison", "服刑在押", "服刑", "在押"),
    ("rehab", "强制戒毒", "强制隔离戒毒", "戒毒"),
    ("ill", "重病"),
    ("disabled", "重残", "残疾"),
    ("missing", "失联"),
    ("dead", "死亡", "已故"),
)

VISIT_MODE = _table(
    "visit_mode",
    "走访方式",
    ("home", "入户", "入户走访", "上门"),
    ("phone", "电话", "电话回访"),
    ("video", "视频", "视频通话"),
    ("school", "到校", "学校"),
    ("other", "其他"),
)

# 安置情况 of a child, above all a red one: where the child is now (DOMAIN.md, risk colours).
PLACEMENT = _table(
    "placement",
    "安置情况",
    ("home", "在家"),
    ("relative", "亲属临时照护", "亲属照护"),
    ("shelter", "救助保护机构", "未成年人救助保护机构", "救助站"),
    ("hospital", "医院", "住院"),
    ("police", "公安处置中", "公安"),
    ("school", "学校", "住校"),
    ("other", "其他"),
)
# Away from home: the station follows up the intervention (a contact with the child or the receiving body).
PLACED_AWAY = ("relative", "shelter", "hospital", "police", "school", "other")

HEALTH = _table("health", "身体情况", ("healthy", "健康", "良好"), ("disabled", "残疾"), ("ill", "患病", "疾病"))

SCHOOLING = _table(
    "schooling",
    "就学情况",
    ("none_preschool", "未入园"),
    ("kindergarten", "幼儿园", "学前"),
    ("primary", "小学"),
    ("junior", "初中"),
    ("senior", "高中"),
    ("vocational", "中职", "职高", "中专"),
    ("dropout", "辍学"),
    ("not_in_school", "不在学", "未上学"),
)

INCOME_SOURCE = _table(
    "income_source",
    "家庭经济来源",
    ("work", "打工", "务工"),
    ("farming", "种养殖", "务农"),
    ("government", "政府救助"),
    ("relatives", "亲朋接济"),
    ("other", "其他"),
)

RELIEF = _table(
    "relief",
    "已享受救助",
    ("dibao", "低保", "最低生活保障"),
    ("temporary", "临时救助"),
    ("medical", "医疗救助"),
    ("housing", "住房救助"),
    ("tekun", "特困供养"),
    ("orphan_allowance", "孤儿基本生活费"),
    ("unsupported_allowance", "事实无人抚养儿童基本生活补贴", "事实无人抚养补贴"),
    ("disability_two", "残疾人两项补贴", "两项补贴", "困难残疾人生活补贴和重度残疾人护理补贴"),
    ("rehabilitation", "康复救助", "残疾儿童康复救助"),
    ("education_aid", "教育资助", "助学金"),
    ("insurance_aid", "参保资助", "医保参保资助"),
    ("other", "其他"),
)

ASSESSMENT_KIND = _table(
    "assessment_kind",
    "评估类型",
    ("guardianship", "监护情况评估", "监护评估"),
    ("risk", "风险等级评估", "风险评估"),
    ("needs", "需求评估"),
)

GUARDIANSHIP_RESULT = _table("guardianship_result", "监护情况", ("good", "较好"), ("fair", "一般"), ("poor", "差", "较差"))

GUARDIANSHIP_TYPE = _table(
    "guardianship_type",
    "监护类型",
    ("none", "无人监护"),
    ("parent_incapable", "父或母无监护能力"),
    ("entrusted_weak", "被委托人照护能力不足", "受委托监护人监护能力不足"),
    ("fair", "一般"),
    ("good", "较好"),
)

HELP_KIND = _table(
    "help_kind",
    "帮扶措施",
    ("living", "生活救助"),
    ("medical", "医疗救助"),
    ("education", "教育资助"),
    ("psychological", "心理疏导", "心理干预"),
    ("legal", "法律援助"),
    ("guardian_guidance", "监护指导"),
    ("temporary_care", "临时照料"),
    ("substitute_care", "委托照护/替代照料", "替代照料", "委托照护", "委托监护/替代照料", "委托监护"),
    ("employment", "家庭就业帮扶", "就业帮扶"),
    ("school_transfer", "转学安置"),
    ("return_to_school", "劝返复学", "控辍保学"),
    ("other", "其他"),
)

HELP_STATE = _table("help_state", "帮扶状态", ("open", "进行中"), ("done", "已完成", "已结束"))

REFERRAL_TARGET = _table(
    "referral_target",
    "转介对象",
    ("relief_agency", "救助管理机构", "救助站"),
    ("police", "公安机关", "公安", "派出所"),
    ("hospital", "医院", "医疗机构"),
    ("community", "街道/社区", "社区", "村委会", "居委会"),
    ("education", "教育部门", "学校", "教育局"),
    ("court", "司法机关", "法院", "检察院"),
    ("womens_federation", "妇联"),
    ("other", "其他"),
)

REFERRAL_STATE = _table(
    "referral_state",
    "转介状态",
    ("referred", "已转介"),
    ("accepted", "已接收"),
    ("done", "已办结"),
    ("returned", "退回", "已退回"),
)
REFERRAL_OPEN_STATES = ("referred", "accepted")

CLUE_STATE = _table(
    "clue_state",
    "线索状态",
    ("received", "受理", "已受理"),
    ("investigating", "调查", "调查中"),
    ("handling", "处置", "处置中"),
    ("closed", "反馈", "已反馈", "已办结"),
)
# The order a clue moves through; a clue may not skip back.
CLUE_STEPS = ("received", "investigating", "handling", "closed")

CLUE_SOURCE = _table(
    "clue_source",
    "线索来源",
    ("staff", "工作人员发现"),
    ("school", "学校报告"),
    ("hospital", "医疗机构报告"),
    ("village", "村(居)委会报告"),
    ("public", "群众举报"),
    ("hotline", "热线来电"),
    ("other", "其他"),
)

# 接报单位: where a clue was reported (强制报告 goes to 公安; 民政, 教育 and 检察院 are told as the case needs).
REPORTED_TO = _table("reported_to", "接报单位", ("police", "公安", "公安机关", "派出所"), ("civil_affairs", "民政", "民政部门"),
                     ("education", "教育", "教育部门"), ("procuratorate", "检察院", "人民检察院"), ("other", "其他"))

# 情形: the situations of the 强制报告 rules (侵害未成年人案件强制报告制度, art. 4), short enough for a check box;
# the long wording is each code's first variant, so a ledger that writes it out still reads.
CLUE_SITUATION = _table(
    "clue_situation",
    "情形",
    ("private_injury", "隐私部位异常损伤", "生殖器官或隐私部位遭受或疑似遭受非正常损伤"),
    ("sexual_under14", "不满14周岁女童遭性侵、怀孕、流产",
     "不满十四周岁的女性未成年人遭受或疑似遭受性侵害、怀孕、流产"),
    ("sexual_over14", "14周岁以上女性遭性侵致怀孕、流产", "十四周岁以上女性未成年人遭受或疑似遭受性侵害所致怀孕、流产"),
    ("abuse", "疑似家暴、欺凌、虐待、殴打", "身体存在多处损伤、严重营养不良、意识不清，存在或疑似存在受到家庭暴力、欺凌、虐待、殴打或者被人麻醉等情形"),
    ("abnormal_harm", "非正常原因伤残、死亡", "因自杀、自残、工伤、中毒、被人麻醉、殴打等非正常原因导致伤残、死亡"),
    ("abandoned", "被遗弃或长期无人照料", "被遗弃或长期处于无人照料状态"),
    ("missing_trafficked", "来源不明、失踪或被拐卖", "来源不明、失踪或者被拐卖、收买"),
    ("begging", "被组织乞讨", "被组织乞讨的"),
    ("other_harm", "其他严重侵害或面临侵害危险", "其他严重侵害未成年人身心健康的情形或未成年人正在面临不法侵害危险"),
)

CALL_STATE = _table("call_state", "处理状态", ("open", "处理中"), ("done", "已办结"))
# Where a call came from: the station's own protection hotline, or a 12345 work order with its own deadline.
CALL_SOURCE = _table("call_source", "来电渠道", ("station", "本站热线", "热线", "保护热线"),
                     ("12345", "12345热线工单", "12345", "12345热线", "12345政务服务便民热线"), ("other", "其他渠道", "其他"))

# What each role may do is services/access.py's policy. Stores made before roles were enforced may hold
# "admin": it is the station head (migration 0009 rewrites it; the policy reads it as head meanwhile).
ROLE = _table(
    "role",
    "角色",
    ("head", "站长(管理员)", "站长", "管理员", "admin"),
    ("supervisor", "工作人员(儿童督导员)", "儿童督导员", "工作人员", "督导员"),
    ("director", "儿童主任", "主任"),
    ("viewer", "查看", "只读", "查看人员"),
    ("county_admin", "县级管理员"),
    ("county", "县级工作人员", "县级"),
)

# The station's other work (活动与服务台账, 儿童主任名册): 000, 001 篇八, 002, 003 in ../shared/seeds.
ACTIVITY_KIND = _table(
    "activity_kind",
    "活动类型",
    ("publicity", "宣传", "宣传活动", "宣传月", "普法宣传"),
    ("training", "培训", "业务培训", "儿童主任培训", "儿童督导员培训"),
    ("family_education", "家庭教育指导/家长学校", "家庭教育指导", "家长学校", "家庭教育"),
    ("children_home", "儿童之家/互助会开放", "儿童之家开放", "儿童之家", "互助会"),
    ("counselling", "心理辅导", "心理健康", "心理疏导"),
    ("volunteer", "志愿服务", "志愿者服务"),
    ("holiday_care", "寒暑假关爱", "寒暑假", "假期关爱"),
    ("other", "其他"),
)
PARTNER = _table(
    "partner",
    "合作单位",
    ("womens_federation", "妇联"),
    ("youth_league", "团委", "共青团"),
    ("school", "学校"),
    ("social_work", "社工机构", "社会工作服务机构", "社工站"),
    ("police", "派出所", "公安"),
    ("court", "法院"),
    ("procuratorate", "检察院"),
    ("health", "卫生院", "医院"),
    ("volunteers", "志愿者组织", "志愿者"),
    ("other_partner", "其他单位"),
)
STAFF_ROLE = _table(
    "staff_role",
    "职务",
    ("director", "儿童主任"),
    ("supervisor", "儿童督导员"),
    ("first_reporter", "第一报告人", "监测哨点报告人", "哨点报告人"),
)
SOCIAL_WORK_CERT = _table(
    "social_work_cert",
    "社工证",
    ("none", "无"),
    ("assistant", "助理社会工作师", "初级"),
    ("social_worker", "社会工作师", "中级"),
    ("senior", "高级社会工作师", "高级"),
)
INCIDENT_KIND = _table(
    "incident_kind",
    "事项类别",
    ("death", "儿童死亡", "死亡"),
    ("injury", "儿童重伤", "重伤", "严重受伤"),
    ("missing", "儿童失踪/走失", "失踪", "走失"),
    ("opinion", "舆情事件", "舆情", "网络舆情"),
    ("other", "其他重大事项", "其他"),
)

ALL_TABLES = {
    t.name: t
    for t in (
        SEX, RISK_COLOUR, CATEGORY, CHILD_STATUS, CLOSE_REASON, PERSON_RELATION, PERSON_STATUS, VISIT_MODE, PLACEMENT,
        HEALTH, SCHOOLING, INCOME_SOURCE, RELIEF, ASSESSMENT_KIND, GUARDIANSHIP_RESULT, GUARDIANSHIP_TYPE,
        HELP_KIND, HELP_STATE, REFERRAL_TARGET, REFERRAL_STATE, CLUE_STATE, CLUE_SOURCE, REPORTED_TO,
        CLUE_SITUATION,
        CALL_STATE, CALL_SOURCE, ROLE, ACTIVITY_KIND, PARTNER, STAFF_ROLE, SOCIAL_WORK_CERT, INCIDENT_KIND,
    )
}

def parse_multi(table: CodeTable, text: str | None) -> tuple[list[str], list[str]]:
    """Split a cell holding several labels ("留守儿童、低保家庭") into codes, and the parts not understood."""
    if not text:
        return [], []
    text = unicodedata.normalize("NFKC", str(text)).strip()  # "街道／社区" is "街道/社区"
    # Labels that themselves hold a separator ("街道/社区") are swapped for their code before splitting.
    for label, code in table.separated_labels():
        text = text.replace(label, f" {code} ")
    codes: list[str] = []
    unknown: list[str] = []
    for part in _MULTI_SPLIT.split(text):
        if not part:
            continue
        found = table.parse(part)
        if found is None:
            unknown.append(part)
        elif found not in codes:
            codes.append(found)
    return codes, unknown


def join_codes(codes) -> str:
    """Storage form of a multi-valued code field."""
    return ",".join(codes)


def split_codes(stored: str | None) -> list[str]:
    return [c for c in (stored or "").split(",") if c]
