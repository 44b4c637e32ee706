"""Writing ledgers: rows of stored values (codes, dates, text) in, a formatted workbook out.

The ledger service queries the store and hands rows here as dicts keyed by column key; this module
turns codes into their labels, lays the sheet out with `xlsx_style`, and checks the summary sheet's
sums before a single byte is written.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..domain.codes import split_codes
from ..domain.errors import WeibaoError
from ..models.private_tmp import PrivateTemp
from .ledger_columns import (
    SUMMARY_BOUNDS,
    SUMMARY_CHECKS,
    SUMMARY_COLUMNS,
    Column,
    Ledger,
    summary_header,
    summary_rule_text,
)
from .xlsx_style import LedgerBook, SheetColumn, fit_widths

Progress = Callable[[int, int], None]
SAMPLE_ROWS = 400  # rows looked at to fit column widths (the sheet is streamed after that)


class Cancelled(Exception):
    """The user cancelled an export; nothing was written."""


@dataclass(frozen=True)
class SheetHeading:
    title: str  # 城关镇农村留守儿童信息台账
    unit: str  # 城关镇未成年人保护工作站
    date: dt.date
    filled_by: str
    extra_line: str | None = None  # 统计期间 …, 筛选条件 …


def cell_value(col: Column, value):
    """A stored value as the ledger shows it: labels for codes, 是/否, joined labels for multi-codes."""
    if value is None or value == "":
        return None
    if col.key == "risk_colour":
        return value  # the sheet prints the label with the colour's fill
    if col.table is not None:
        if col.multi:
            return "、".join(col.table.label_of(c) for c in split_codes(value))
        return col.table.label_of(value)
    if col.spec is not None and col.spec.kind == "bool":
        return "是" if value else "否"
    return value


def write_ledger(path: str | Path, ledger: Ledger, heading: SheetHeading, rows: Iterable[dict], total: int,
                 *, choices: dict[str, tuple[str, ...]] | None = None, notes: Sequence[str] = (),
                 progress: Progress | None = None, cancelled: Callable[[], bool] | None = None,
                 temp: PrivateTemp | None = None) -> int:
    """Write one ledger sheet; returns the number of data rows. Rows are dicts keyed by column key."""
    columns = list(ledger.columns)
    choices = choices or {}
    sheet_columns = [_sheet_column(c, choices) for c in columns]
    converters = [_converter(c) for c in columns]
    keys = [c.key for c in columns]
    iterator = iter(rows)
    first: list[list] = []
    for n, row in enumerate(iterator, start=1):
        first.append(_values(row, keys, converters, n))
        if len(first) >= SAMPLE_ROWS:
            break
    book = LedgerBook(temp)
    sheet = book.add_sheet(
        ledger.title, title=heading.title, unit=heading.unit, date=heading.date, columns=sheet_columns,
        sample=first, freeze_cols=ledger.freeze_cols, extra_line=heading.extra_line,
        print_last_column=columns[-1].key != "uuid",
    )
    done = 0
    for values in first:
        sheet.append(values)
        done += 1
    step = max(1, total // 100)
    for row in iterator:
        done += 1
        sheet.append(_values(row, keys, converters, done))
        if done % step == 0:
            if cancelled is not None and cancelled():
                raise Cancelled()
            if progress is not None:
                progress(done, total)
    if cancelled is not None and cancelled():
        raise Cancelled()
    sheet.append_blank(ledger.blank_rows)
    sheet.close(filled_by=heading.filled_by, notes=notes)
    book.save(path)
    if progress is not None:
        progress(total, total)
    return done


def _sheet_column(col: Column, choices: dict[str, tuple[str, ...]]) -> SheetColumn:
    sc = col.sheet_column()
    if col.key in choices:
        from dataclasses import replace

        sc = replace(sc, choices=choices[col.key])
    return sc


def _converter(col: Column):
    if col.key == "seq" or col.key == "risk_colour":
        return None
    if col.table is not None or (col.spec is not None and col.spec.kind == "bool"):
        return lambda v, c=col: cell_value(c, v)
    return None


def _values(row: dict, keys: list[str], converters: list, n: int) -> list:
    out: list = []
    get = row.get
    for key, conv in zip(keys, converters, strict=False):
        if key == "seq":
            out.append(n)
            continue
        v = get(key)
        out.append(conv(v) if conv is not None and v is not None else v)
    return out


# the summary sheet

@dataclass(frozen=True)
class SummaryRow:
    label: str  # the village, 未分村, or 合计
    counts: dict[int, int]  # column number -> count


def check_summary(rows: Sequence[SummaryRow], total: SummaryRow) -> None:
    """Every cross-check of the sheet on every row, and the 合计 row against the rows above it.

    Raises WeibaoError naming the first sum that fails; the caller then writes nothing.
    """
    for row in [*rows, total]:
        for lhs, parts in SUMMARY_CHECKS:
            left = row.counts.get(lhs, 0)
            right = sum(row.counts.get(p, 0) for p in parts)
            if left != right:
                raise WeibaoError(
                    f"统计汇总表自检未通过，未导出：{row.label}第{lhs}栏“{summary_header(lhs)}”为{left}，"
                    f"而第{'+'.join(str(p) for p in parts)}栏之和为{right}（应相等）。{_hint(lhs)}", "summary",
                )
        for whole, parts in SUMMARY_BOUNDS:
            for p in parts:
                if row.counts.get(p, 0) > row.counts.get(whole, 0):
                    raise WeibaoError(
                        f"统计汇总表自检未通过，未导出：{row.label}第{p}栏“{summary_header(p)}”为{row.counts.get(p, 0)}，"
                        f"大于第{whole}栏“{summary_header(whole)}”的{row.counts.get(whole, 0)}。", "summary",
                    )
    for col in SUMMARY_COLUMNS:
        summed = sum(r.counts.get(col.number, 0) for r in rows)
        if total.counts.get(col.number, 0) != summed:
            raise WeibaoError(
                f"统计汇总表自检未通过，未导出：合计行第{col.number}栏“{summary_header(col.number)}”为"
                f"{total.counts.get(col.number, 0)}，而各村(社区)之和为{summed}（应相等）。"
                "请检查是否有儿童未归属到村(社区)或归属到了其他工作站的村。", "summary",
            )


def _hint(lhs: int) -> str:
    if lhs == 14:
        return "请检查是否有儿童同时登记为集中供养孤儿和社会散居孤儿。"
    if lhs == 1:
        return "请检查儿童档案的性别和风险等级是否填写完整。"
    return "请检查走访记录的走访方式。"


def write_summary(path: str | Path, heading: SheetHeading, rows: Sequence[SummaryRow], total: SummaryRow,
                  unit_label: str = "村(社区)", temp: PrivateTemp | None = None) -> int:
    """`unit_label`: what each row is — a village for a station, a township for a county office."""
    check_summary(rows, total)
    columns = [SheetColumn(unit_label, kind="text", width=14)]
    columns += [SheetColumn(c.header, c.group, "int", width=max(5.5, min(9.5, len(c.header) * 1.6 + 1)),
                            number=c.number) for c in SUMMARY_COLUMNS]
    book = LedgerBook(temp)
    sheet = book.add_sheet("统计汇总表", title=heading.title, unit=heading.unit, date=heading.date, columns=columns,
                           widths=fit_widths(columns), freeze_cols=1, numbered=True, extra_line=heading.extra_line)
    for row in rows:
        sheet.append([row.label, *(row.counts.get(c.number, 0) for c in SUMMARY_COLUMNS)])
    sheet.append_total("合计", [None, *(total.counts.get(c.number, 0) for c in SUMMARY_COLUMNS)])
    sheet.close(filled_by=heading.filled_by, notes=[
        summary_rule_text() + "儿童数为统计日在册人数，一名儿童属于多个类别时在各类别中分别计数；走访人次为统计期间内的走访记录数。",
    ])
    book.save(path)
    return len(rows)
