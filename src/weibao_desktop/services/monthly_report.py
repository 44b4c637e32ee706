"""月报 (001 篇七: 每月最后一周上报): a report whose columns are indicators named in a template the county can send.

The template is any spreadsheet whose header row names indicators of the vocabulary below (docs/report_vocabulary.md
says how each is counted); its first column is the unit (村(社区) at a station, 乡镇(街道) at the county). The report has
a row per unit and a 合计 row counted afresh, and is not written unless the 合计 of every child-based indicator equals
the sum of its rows and the summary sheet's cross-checks hold. A county store holds every township's records, so the
county's report sums its townships.

Activities travel in the township's package (without who took part): the county's activity indicators sum its
townships'."""
from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from ..domain.codes import ACTIVITY_KIND, CLUE_SITUATION
from ..domain.errors import WeibaoError
from ..models.entities import Child, Referral, ReportClue, Station, Village
from ..models.station_work import Activity, Incident
from ..sync.ledger_columns import SUMMARY_CHECKS, SUMMARY_COLUMNS, fold_header
from .base import Context, home_station, store_mode
from .ledger.summary import TOTAL, counts
from .queries import live

UNIT_HEADERS = ("村(社区)", "单位", "乡镇(街道)", "乡镇", "地区", "村", "社区")
Grouped = dict[object, int]


@dataclass(frozen=True)
class Indicator:
    name: str
    rule: str  # how it is counted, for the vocabulary and the report's notes
    per_child: bool  # counted over children, so 合计 = the sum of the unit rows


def _summary_name(col) -> str:
    if col.group is None or col.group == "性别":
        return col.header
    if col.group == "风险等级":
        return col.header if col.header == "未评估" else f"{col.header}色等级"
    if col.header == "小计":
        return col.group
    if col.group == "孤儿":
        return f"{col.header}孤儿"
    if col.group == "困境儿童":
        return f"{col.header}儿童"
    return f"{col.header}走访" if col.group == "本期走访" and col.header != "走访人次" else col.header


_SUMMARY_RULES = {1: "月末在册儿童人数", 21: "本月走访记录条数", 27: "月末应走访日期已过仍未走访的儿童人数",
                  28: "本月新建档案的儿童人数"}
# Every column of the summary sheet is an indicator, counted the same way (and so adding up the same way).
SUMMARY_INDICATORS = {
    _summary_name(c): (c.number, Indicator(_summary_name(c), _SUMMARY_RULES.get(
        c.number, f"月末在册儿童中属于“{_summary_name(c)}”的人数（同统计汇总表第{c.number}栏）"
        if c.number < 21 else f"本月{_summary_name(c)}的记录条数（同统计汇总表第{c.number}栏）"), True))
    for c in SUMMARY_COLUMNS
}
OTHER_INDICATORS = {
    "辍学儿童": Indicator("辍学儿童", "月末在册儿童中就学情况为“辍学”的人数", True),
    "未登记户口儿童": Indicator("未登记户口儿童", "月末在册儿童中未登记户口的人数", True),
    "线索受理": Indicator("线索受理", "本月受理的强制报告线索条数（未关联档案的只计入合计）", False),
    "线索办结": Indicator("线索办结", "本月反馈办结的线索条数（未关联档案的只计入合计）", False),
    "转介": Indicator("转介", "本月转介的次数", False),
    "重大事项": Indicator("重大事项", "本月获知的重大事项件数（未关联档案的只计入合计）", False),
    "活动次数": Indicator("活动次数", "本月开展的各类活动次数（在所在村计；不在村里的只计入合计）", False),
    "家庭教育指导活动": Indicator("家庭教育指导活动", "本月家庭教育指导/家长学校活动次数", False),
    "儿童之家开放天数": Indicator("儿童之家开放天数", "本月儿童之家/互助会开放的天数（同一天多次计一天）", False),
}
# 线索 by 情形 (a clue of several 情形 counts under each) and by stage at the month's end.
SITUATION_SHORT = {"private_injury": "隐私部位损伤", "sexual_under14": "不满14周岁女童受性侵害",
                   "sexual_over14": "14周岁以上女性受性侵害", "abuse": "疑似家暴欺凌虐待", "abnormal_harm": "非正常伤残死亡",
                   "abandoned": "遗弃或无人照料", "missing_trafficked": "失踪或被拐卖", "begging": "被组织乞讨",
                   "other_harm": "其他严重侵害"}
SITUATION_OF = {f"线索·{short}": code for code, short in SITUATION_SHORT.items()}  # indicator -> 情形 code
CLUE_INDICATORS = {
    **{name: Indicator(name, f"本月受理的线索中情形含“{CLUE_SITUATION.label_of(code)}”的条数"
                             "（一条线索有多个情形时分别计数）", False) for name, code in SITUATION_OF.items()},
    "线索报案": Indicator("线索报案", "报案时间在本月的线索条数", False),
    "月末在办线索": Indicator("月末在办线索", "月末已受理、尚未反馈办结的线索条数", False),
    "月末待调查线索": Indicator("月末待调查线索", "月末已受理、尚未记录调查的线索条数", False),
}
# Activities by type (家庭教育指导 and 儿童之家 have their own indicators above).
KIND_OF = {f"{c.label.split('/')[0]}活动": c.code for c in ACTIVITY_KIND
           if c.code not in ("family_education", "children_home")}  # indicator -> ACTIVITY_KIND code
ACTIVITY_INDICATORS = {name: Indicator(name, f"本月“{ACTIVITY_KIND.label_of(code)}”类活动次数", False)
                       for name, code in KIND_OF.items()}
COUNTED = {**OTHER_INDICATORS, **CLUE_INDICATORS, **ACTIVITY_INDICATORS}  # beyond the summary sheet's columns
VOCABULARY: dict[str, Indicator] = {**{k: v for k, (_n, v) in SUMMARY_INDICATORS.items()}, **COUNTED}
DEFAULT_TEMPLATE = ("在册儿童总数", "农村留守儿童", "困境儿童", "孤儿", "事实无人抚养儿童", "红色等级", "橙色等级",
                    "黄色等级", "蓝色等级", "未评估", "走访人次", "入户走访", "逾期未走访人数", "本期新建档", "辍学儿童",
                    "未登记户口儿童", "线索受理", "线索办结", "转介", "重大事项", "活动次数", "家庭教育指导活动",
                    "儿童之家开放天数")
_BY_FOLDED = {fold_header(name): name for name in VOCABULARY}


@dataclass(frozen=True)
class MonthlyReport:
    title: str
    month: str
    unit_label: str
    indicators: tuple[str, ...]
    rows: tuple[tuple[str, tuple[int, ...]], ...]
    total: tuple[int, ...]


def month_range(month: str) -> tuple[dt.date, dt.date]:
    try:
        year, mon = (int(p) for p in month.split("-"))
        return dt.date(year, mon, 1), dt.date(year, mon, calendar.monthrange(year, mon)[1])
    except ValueError:
        raise WeibaoError(f"月份“{month}”应写成 2026-11 的样式", "month") from None


def template_indicators(path: str | Path) -> tuple[str, ...]:
    """The indicators a template's header row names, in its order. Unknown headers are refused by name."""
    from ..sync.ledger_header import cell_text
    from ..sync.safe_read import read_workbook

    book = read_workbook(path)
    for sheet in book.sheets:
        for r, row in enumerate(sheet.rows[:15]):
            texts = [cell_text(v) for v in row]
            known = [t for t in texts if fold_header(t) in _BY_FOLDED]
            if len(known) < 2:
                continue
            unknown = [(i, t) for i, t in enumerate(texts) if t and fold_header(t) not in _BY_FOLDED
                       and fold_header(t) not in {fold_header(u) for u in UNIT_HEADERS}]
            if unknown:
                from ..sync.ledger_header import column_letter

                where = "、".join(f"{column_letter(i + 1)}列“{t}”" for i, t in unknown)
                raise WeibaoError(f"模板“{book.file_name}”工作表“{sheet.name}”第{r + 1}行：{where}不是可统计的指标。"
                                  "可用的指标见“weibao report indicators”或用户手册的月报指标表。", "template")
            return tuple(_BY_FOLDED[fold_header(t)] for t in known)
    raise WeibaoError(f"模板“{book.file_name}”里找不到指标表头：需要一行写有“在册儿童总数”“走访人次”等指标名称。", "template")


class MonthlyReportService:
    def __init__(self, ctx: Context):
        self.ctx = ctx

    def build(self, month: str, indicators: tuple[str, ...] = DEFAULT_TEMPLATE) -> MonthlyReport:
        start, end = month_range(month)
        today = min(self.ctx.today(), end)
        with self.ctx.read() as s:
            station = home_station(s)
            county = store_mode(s) == "county"
            active = [live(Child), Child.status == "active", Child.opened_on <= end]
            key: InstrumentedAttribute
            if county:
                key = Child.station_id
                units = list(s.execute(select(Station.id, Station.name).where(Station.id != station.id)
                                       .order_by(Station.code)))
            else:
                active.append(Child.station_id == station.id)
                key = Child.village_id
                units = list(s.execute(select(Village.id, Village.name).where(Village.station_id == station.id)
                                       .order_by(Village.code)))
            summary = counts(s, key, active, start, end, today)
            summary_total = counts(s, None, active, start, end, today).get(TOTAL, {})
            extra = {name: _count(s, name, key, active, start, end, county, station.id)
                     for name in indicators if name in COUNTED}
        ids: list[int | None] = [uid for uid, _name in units] + ([None] if any(None in g for g in extra.values())
                                                or summary.get(None) else [])
        names: dict[int | None, str] = dict(units)

        def value(name: str, group) -> int:
            if name in SUMMARY_INDICATORS:
                number = SUMMARY_INDICATORS[name][0]
                source = summary_total if group is TOTAL else summary.get(group, {})
                return int(source.get(number, 0))
            return int(extra[name].get(group, 0))

        rows = tuple((names.get(uid, "未分村(社区)"), tuple(value(n, uid) for n in indicators)) for uid in ids)
        total = tuple(value(n, TOTAL) for n in indicators)
        unit_label = "乡镇(街道)" if county else "村(社区)"
        title = f"{station.name}{start.year}年{start.month}月未成年人保护工作月报"
        report = MonthlyReport(title, month, unit_label, tuple(indicators), rows, total)
        _check(report, summary_total)
        return report

    def export(self, month: str, path: str | Path, *, template: str | Path | None = None) -> MonthlyReport:
        from ..sync.ledger_export import SheetHeading
        from ..sync.xlsx_style import LedgerBook, SheetColumn, fit_widths
        from .ledger.export import write_error

        indicators = template_indicators(template) if template else DEFAULT_TEMPLATE
        report = self.build(month, indicators)
        path = Path(path)
        if path.suffix.lower() != ".xlsx":
            raise WeibaoError("月报请保存为 .xlsx 文件", "output")
        with self.ctx.read() as s:
            unit = f"{home_station(s).name}未成年人保护工作站"
        heading = SheetHeading(report.title, unit, self.ctx.today(), self.ctx.actor.name, f"统计月份：{month}")
        columns = [SheetColumn(report.unit_label, kind="text", width=14)]
        columns += [SheetColumn(n, kind="int", width=max(6.0, min(10.0, len(n) * 1.7 + 1))) for n in indicators]
        try:
            book = LedgerBook(self.ctx.store.private_temp())
            sheet = book.add_sheet("月报", title=heading.title, unit=heading.unit, date=heading.date, columns=columns,
                                   widths=fit_widths(columns), freeze_cols=1, extra_line=heading.extra_line)
            for label, values in report.rows:
                sheet.append([label, *values])
            sheet.append_total("合计", [None, *report.total])
            sheet.close(filled_by=heading.filled_by, notes=[
                "指标口径：" + "；".join(f"{n}：{VOCABULARY[n].rule}" for n in indicators) + "。"])
            book.save(path)
        except OSError as e:
            raise write_error(path, e) from None
        self._record(report, path)
        return report

    def _record(self, report: MonthlyReport, path: Path) -> None:
        """Every export is on record (DOMAIN.md, Privacy): a line in the print log. Counts only, no names."""
        from ..models.printlog import PrintLog

        with self.ctx.tx() as s:
            s.add(PrintLog(actor=self.ctx.actor.name, form="report_monthly", title=report.title[:200], subjects=[],
                           subject_count=len(report.rows), pages=0, full_id=False, target=str(path)[:300]))

    def write_template(self, path: str | Path) -> Path:
        """The default template, for a county to edit (delete or reorder columns) and send to its townships."""
        from ..sync.xlsx_style import LedgerBook, SheetColumn, fit_widths

        columns = [SheetColumn("村(社区)", kind="text", width=14)]
        columns += [SheetColumn(n, kind="int") for n in DEFAULT_TEMPLATE]
        book = LedgerBook(self.ctx.store.private_temp())
        sheet = book.add_sheet("月报模板", title="未成年人保护工作月报（模板）", unit="（由程序填写）",
                               date="（由程序填写）", columns=columns, widths=fit_widths(columns), freeze_cols=1)
        sheet.close(notes=["说明：可删除或调整指标列的顺序，指标名称须与用户手册“月报指标表”一致。"], sign_off=False)
        return book.save(path)


def _check(report: MonthlyReport, summary_total: dict) -> None:
    """Never hand over a report that does not add up."""
    for i, name in enumerate(report.indicators):
        if VOCABULARY[name].per_child:
            added = sum(values[i] for _label, values in report.rows)
            if added != report.total[i]:
                raise WeibaoError(f"月报核对未通过：“{name}”合计 {report.total[i]} 不等于各{report.unit_label}之和 {added}"
                                  "，请运行“weibao doctor”检查数据后重试。", "report")
    for whole, parts in SUMMARY_CHECKS:
        if summary_total.get(whole, 0) != sum(summary_total.get(p, 0) for p in parts):
            raise WeibaoError(f"月报核对未通过：统计汇总表第{whole}栏不等于第{'、'.join(map(str, parts))}栏之和。",
                              "report")


def _count(s: Session, name: str, key, active: list[ColumnElement[bool]], start: dt.date, end: dt.date,
           county: bool, station_id: int) -> Grouped:
    """{unit id (None: no unit) or TOTAL: count} for one of the indicators beyond the summary sheet's."""
    begin, stop = dt.datetime.combine(start, dt.time()), dt.datetime.combine(end + dt.timedelta(days=1), dt.time())
    out: Grouped = {}

    def children(*where) -> None:
        for group, n in s.execute(select(key, func.count()).select_from(Child).where(*active, *where).group_by(key)):
            out[group] = n
        out[TOTAL] = s.scalar(select(func.count()).select_from(Child).where(*active, *where)) or 0

    def linked(model, *where) -> None:
        """Records that may have a child: by the child's unit, and all of them in the total."""
        scope = [] if county else [Child.station_id == station_id]
        for group, n in s.execute(select(key, func.count()).select_from(model).join(Child, Child.id == model.child_id)
                                  .where(live(model), *scope, *where).group_by(key)):
            out[group] = n
        total = select(func.count()).select_from(model).outerjoin(Child, Child.id == model.child_id).where(
            live(model), *where, *([] if county else [(Child.station_id == station_id) | model.child_id.is_(None)]))
        out[TOTAL] = s.scalar(total) or 0

    activity_key = Activity.station_id if county else Activity.village_id

    def activities(value, *where) -> None:
        base = [live(Activity), Activity.held_on >= start, Activity.held_on <= end, *where]
        # A station counts its own; a county its townships' (a row each; its own office is not a township).
        base.append(Activity.station_id != station_id if county else Activity.station_id == station_id)
        for group, n in s.execute(select(activity_key, value).where(*base).group_by(activity_key)):
            out[group] = n
        # At a county the 合计 is the townships' sum: two townships open on one day are two opening days.
        out[TOTAL] = sum(out.values()) if county else (s.scalar(select(value).where(*base)) or 0)

    rules: dict[str, Callable[[], None]] = {
        "辍学儿童": lambda: children(Child.schooling == "dropout"),
        "未登记户口儿童": lambda: children(Child.hukou_registered.is_(False)),
        "线索受理": lambda: linked(ReportClue, ReportClue.received_at >= begin, ReportClue.received_at < stop),
        "线索办结": lambda: linked(ReportClue, ReportClue.feedback_at >= begin, ReportClue.feedback_at < stop),
        "转介": lambda: linked(Referral, Referral.referred_on >= start, Referral.referred_on <= end),
        "重大事项": lambda: linked(Incident, Incident.learned_at >= begin, Incident.learned_at < stop),
        "活动次数": lambda: activities(func.count()),
        "家庭教育指导活动": lambda: activities(func.count(), Activity.kind == "family_education"),
        "儿童之家开放天数": lambda: activities(func.count(func.distinct(Activity.held_on)),
                                               Activity.kind == "children_home"),
        "线索报案": lambda: linked(ReportClue, ReportClue.reported_at >= begin, ReportClue.reported_at < stop),
        "月末在办线索": lambda: linked(ReportClue, ReportClue.received_at < stop,
                                       ReportClue.feedback_at.is_(None) | (ReportClue.feedback_at >= stop)),
        "月末待调查线索": lambda: linked(ReportClue, ReportClue.received_at < stop,
                                         ReportClue.investigated_at.is_(None) | (ReportClue.investigated_at >= stop)),
    }
    if name in SITUATION_OF:
        linked(ReportClue, ReportClue.received_at >= begin, ReportClue.received_at < stop,
               ("," + ReportClue.situations + ",").contains(f",{SITUATION_OF[name]},", autoescape=True))
    elif name in KIND_OF:
        activities(func.count(), Activity.kind == KIND_OF[name])
    else:
        rules[name]()
    return out


__all__ = ["DEFAULT_TEMPLATE", "VOCABULARY", "MonthlyReport", "MonthlyReportService", "month_range",
           "template_indicators"]
