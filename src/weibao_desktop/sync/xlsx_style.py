"""Government-ledger formatting for openpyxl workbooks, written in write-only (streaming) mode.

A sheet made here looks like the paper template a county office hands out: a merged title row,
a 填报单位 / 填报日期 line, bold bordered headers (one row, or two with merged group cells such as
父亲 / 母亲 / 被委托人), a frozen header, fitted column widths, A4 landscape with the header rows
repeated on every printed page and page numbers in the footer, drop-down lists for coded columns,
id and phone numbers kept as text, real dates shown yyyy-mm-dd, risk colours as fills, and a
单位负责人 / 复核人 / 填表人 line under the table.

Styles are built once per workbook and copied onto each cell as a style array, so a styled row costs
little more than an unstyled one. Text that a spreadsheet program could run as a formula (starting
with = + - @ or a tab) is stored as a plain string with the quote-prefix flag set.

Usage::

    book = LedgerBook()
    sheet = book.add_sheet("儿童信息台账", title="城关镇农村留守儿童信息台账", unit="城关镇未成年人保护工作站",
                           date=dt.date.today(), columns=[SheetColumn("姓名"), SheetColumn("出生日期", kind="date"), ...],
                           sample=rows[:500])
    for row in rows:
        sheet.append(row)
    sheet.close(filled_by="张三")
    book.save(path)
"""
from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.properties import PageSetupProperties

from ..domain.codes import COLOUR_RGB, RISK_COLOUR
from ..models.private_tmp import PrivateTemp
from .xlsx_fast import DATA_TYPE, StyledCell, fast_rows, place_cells

BODY_FONT = "宋体"
TITLE_FONT = "黑体"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
TEXT_FORMAT = "@"
# Cells whose text starts with one of these are formulas to some spreadsheet program.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Colours whose fill is dark enough to need white text.
_DARK_FILLS = {"blue", "red", "orange"}
SIGN_OFF = ("单位负责人", "复核人", "填表人")

KINDS = ("text", "longtext", "date", "datetime", "id", "phone", "int", "colour", "seq")


@dataclass(frozen=True)
class SheetColumn:
    """One printed column: its header (and group for a two-row header) and how its cells look.

    kind: text, longtext (wrapped), date, datetime, id / phone (text-formatted numbers), int, colour
    (a risk colour label with its fill), seq (序号). `choices` puts a drop-down list on the data cells;
    `multi` allows several choices in one cell ("留守儿童、低保家庭"), so the list only offers.
    """

    header: str
    group: str | None = None
    kind: str = "text"
    width: float | None = None
    choices: tuple[str, ...] = ()
    multi: bool = False
    number: int | None = None  # 栏次 of a numbered summary column
    fill_in: bool = False  # a column people fill in: unlocked on a protected sheet (走访任务表)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(self.kind)


def display_width(text: str) -> float:
    """Width in 'character units' of Excel's column width: CJK and full-width characters count two."""
    # UTF-8 length is 1 for ASCII, 3 for CJK (4 outside the BMP): (bytes + chars) / 2 gives 1 and 2.
    if text.isascii():
        return len(text)
    return (len(text.encode("utf-8")) + len(text)) / 2


def needs_quote(text: str) -> bool:
    return text.startswith(FORMULA_TRIGGERS)


def clean_text(text: str) -> str:
    """Text as a worksheet can hold it: control characters dropped, at most 32,767 characters."""
    if _ILLEGAL.search(text):
        text = _ILLEGAL.sub("", text)
    return text[:32767]


def _width_of(value) -> float:
    if value is None:
        return 0
    if isinstance(value, str):
        longest = max(value.split("\n"), key=len) if "\n" in value else value
        return display_width(longest)
    if isinstance(value, dt.datetime):
        return 16
    if isinstance(value, dt.date):
        return 10
    return len(str(value))


_KIND_WIDTH = {"date": 11.5, "datetime": 16.5, "id": 20.5, "phone": 13.5, "seq": 5.5, "colour": 7}
_KIND_MAX = {"longtext": 36, "text": 28}


def fit_widths(columns: Sequence[SheetColumn], sample: Iterable[Sequence] = ()) -> list[float]:
    """Column widths that fit the header and the sampled values, within sensible limits per kind."""
    widths = []
    best = [0.0] * len(columns)
    for row in sample:
        for i, value in enumerate(row[: len(columns)]):
            if value is not None:
                w = _width_of(value)
                if w > best[i]:
                    best[i] = w
    for i, col in enumerate(columns):
        if col.width is not None:
            widths.append(col.width)
            continue
        # Headers wrap onto two lines when needed, so they count for about half their length.
        header = max(display_width(col.header) / (2 if display_width(col.header) > 8 else 1), 4)
        if col.kind in _KIND_WIDTH:
            widths.append(max(_KIND_WIDTH[col.kind], header + 1.5))
            continue
        content = min(best[i], _KIND_MAX.get(col.kind, 28))
        widths.append(round(max(header, content) + 2, 1))
    return widths


class Styles:
    """The workbook's style arrays: built once, copied onto every cell."""

    def __init__(self, book: Workbook, ws):
        self._ws = ws
        thin = Side(style="thin", color="000000")
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        body = Font(name=BODY_FONT, size=10)
        self.title = self._make(Font(name=TITLE_FONT, size=16, bold=True), Alignment(horizontal="center", vertical="center"))
        self.subtitle_left = self._make(Font(name=BODY_FONT, size=10), Alignment(horizontal="left", vertical="center"))
        self.subtitle_right = self._make(Font(name=BODY_FONT, size=10), Alignment(horizontal="right", vertical="center"))
        self.header = self._make(
            Font(name=BODY_FONT, size=10, bold=True), Alignment(horizontal="center", vertical="center", wrap_text=True),
            border=self.border, fill=PatternFill("solid", fgColor="F2F2F2"),
        )
        self.number_row = self._make(
            Font(name=BODY_FONT, size=9), Alignment(horizontal="center", vertical="center"), border=self.border,
            fill=PatternFill("solid", fgColor="F2F2F2"),
        )
        self.footer = self._make(Font(name=BODY_FONT, size=10), Alignment(horizontal="left", vertical="center"))
        self.note = self._make(Font(name=BODY_FONT, size=9, color="555555"), Alignment(horizontal="left", vertical="top", wrap_text=True))
        centred = Alignment(horizontal="center", vertical="center")
        left = Alignment(horizontal="left", vertical="center")
        wrapped = Alignment(horizontal="left", vertical="center", wrap_text=True)
        self.kind: dict[str, StyleArray] = {
            "text": self._make(body, left, border=self.border),
            "longtext": self._make(body, wrapped, border=self.border),
            "date": self._make(body, centred, border=self.border, fmt=DATE_FORMAT),
            "datetime": self._make(body, centred, border=self.border, fmt=DATETIME_FORMAT),
            "id": self._make(body, centred, border=self.border, fmt=TEXT_FORMAT),
            "phone": self._make(body, centred, border=self.border, fmt=TEXT_FORMAT),
            "int": self._make(body, centred, border=self.border, fmt="0"),
            "seq": self._make(body, centred, border=self.border, fmt="0"),
            "colour": self._make(body, centred, border=self.border),
        }
        self.total = self._make(Font(name=BODY_FONT, size=10, bold=True), centred, border=self.border, fmt="0")
        self.total_label = self._make(Font(name=BODY_FONT, size=10, bold=True), centred, border=self.border)
        self.colour: dict[str, StyleArray] = {}
        for code, rgb in COLOUR_RGB.items():
            font = Font(name=BODY_FONT, size=10, bold=True, color="FFFFFF" if code in _DARK_FILLS else "000000")
            self.colour[code] = self._make(font, centred, border=self.border,
                                           fill=PatternFill("solid", fgColor=rgb.lstrip("#")))
        # Formula-looking text: the same look as its column, plus the quote prefix.
        self.quoted: dict[str, StyleArray] = {}
        for kind, style in self.kind.items():
            quoted = StyleArray(style)
            quoted.quotePrefix = 1
            self.quoted[kind] = quoted
        self.error_fill = self._make(body, left, border=self.border, fill=PatternFill("solid", fgColor="FFC7CE"))
        # A data cell flagged as wrong (error reports): its column's look on a red fill.
        self.highlight: dict[str, StyleArray] = {}
        for kind, style in self.kind.items():
            marked = StyleArray(style)
            marked.fillId = self.error_fill.fillId
            self.highlight[kind] = marked

    def _make(self, font, alignment, *, border=None, fill=None, fmt=None) -> StyleArray:
        cell = Cell(self._ws, row=1, column=1)  # a scratch cell, never written: only its style is kept
        cell.font = font
        cell.alignment = alignment
        if border is not None:
            cell.border = border
        if fill is not None:
            cell.fill = fill
        if fmt is not None:
            cell.number_format = fmt
        return StyleArray(cell._style)  # type: ignore[attr-defined]  # openpyxl's stubs omit the style array

    def unlocked(self, style: StyleArray) -> StyleArray:
        """The same look, but editable when the sheet is protected."""
        cell = Cell(self._ws, row=1, column=1)
        cell._style = StyleArray(style)  # type: ignore[attr-defined]
        cell.protection = Protection(locked=False)
        return StyleArray(cell._style)  # type: ignore[attr-defined]


class LedgerSheet:
    """One ledger sheet, written top to bottom: layout rows at creation, then data rows, then sign-off."""

    def __init__(self, book: LedgerBook, name: str, *, title: str, unit: str, date: dt.date | str,
                 columns: Sequence[SheetColumn], sample: Iterable[Sequence] = (), widths: Sequence[float] | None = None,
                 freeze_cols: int = 0, numbered: bool = False, extra_line: str | None = None,
                 print_last_column: bool = True):
        self.book = book
        self.ws = book.wb.create_sheet(_sheet_name(name))
        self.columns = list(columns)
        self.n = len(self.columns)
        self.styles = Styles(book.wb, self.ws)
        self._row = 0
        self._data_start = 0
        self._merges: list[str] = []
        self._colour_index = {i for i, c in enumerate(self.columns) if c.kind == "colour"}
        self._kinds = [c.kind for c in self.columns]
        self._wrapped: list[tuple[int, float]] = []  # (index, width) of wrapped columns, for row heights
        self.ws._values_to_row = place_cells
        open_cells = [c.fill_in for c in self.columns]
        self._plain = [self._registered(self._open(self.styles.kind[k], o)) for k, o in zip(self._kinds, open_cells,
                                                                                            strict=True)]
        self._quoted = [self._registered(self._open(self.styles.quoted[k], o)) for k, o in zip(self._kinds, open_cells,
                                                                                               strict=True)]
        # Rows left blank for people to add (走访任务表): every cell editable.
        self._blank = [self._registered(self.styles.unlocked(self.styles.kind[k])) for k in self._kinds]
        self._marked = [self._registered(self.styles.highlight[k]) for k in self._kinds]
        marked_quoted = []
        for k in self._kinds:
            q = StyleArray(self.styles.highlight[k])
            q.quotePrefix = 1
            marked_quoted.append(self._registered(q))
        self._marked_quoted = marked_quoted
        self._colour_styles = {code: self._registered(st) for code, st in self.styles.colour.items()}
        self._colour_labels = {RISK_COLOUR.label_of(code): code for code in COLOUR_RGB}
        self.rows = 0
        ws = self.ws
        widths = list(widths or fit_widths(self.columns, sample))
        for i, w in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = w
            if self.columns[i - 1].kind == "longtext":
                self._wrapped.append((i - 1, w))
        last = get_column_letter(self.n)
        grouped = any(c.group for c in self.columns)
        header_rows = 2 if grouped else 1
        header_top = 3 + (1 if extra_line else 0)
        header_end = header_top + header_rows - 1 + (1 if numbered else 0)
        self._data_start = header_end + 1
        # Everything above <sheetData> (sheet properties, views, columns) is written with the first row.
        ws.freeze_panes = f"{get_column_letter(freeze_cols + 1)}{self._data_start}"
        if any(open_cells):
            # What the township filled in stays as it was; people may still resize, sort and filter.
            ws.protection.sheet = True
            ws.protection.formatColumns = ws.protection.formatRows = False
            ws.protection.sort = ws.protection.autoFilter = False
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.print_title_rows = f"{header_top}:{header_end}"
        ws.page_setup.paperSize = 9  # A4
        ws.page_setup.orientation = "landscape"
        # A4 landscape holds about 170 width units legibly; wider ledgers print across pages, each page
        # repeating the first columns (序号, 姓名) so the halves can be matched.
        printed = widths if print_last_column else widths[:-1]
        across = max(1, round(sum(printed) / 170))
        ws.page_setup.fitToWidth = across
        if across > 1 and freeze_cols:
            ws.print_title_cols = f"A:{get_column_letter(freeze_cols)}"
        # The title and the unit/date line span what the first printed page shows, so they print there.
        span = self.n
        if across > 1:
            share, total, span = sum(printed) / across, 0.0, 0
            while span < self.n and total + widths[span] <= share:
                total += widths[span]
                span += 1
            span = max(span, 2)
        ws.page_setup.fitToHeight = 0
        ws.print_options.horizontalCentered = True
        ws.page_margins.left = ws.page_margins.right = 0.4
        ws.page_margins.top = 0.5
        ws.page_margins.bottom = 0.6
        ws.oddFooter.center.text = "第 &P 页，共 &N 页"
        ws.oddFooter.center.size = 9
        self._print_cols = last if print_last_column else get_column_letter(max(1, self.n - 1))
        ws.row_dimensions[1].height = 32
        ws.row_dimensions[2].height = 20
        for r in range(header_top, header_top + header_rows):
            ws.row_dimensions[r].height = 30 if header_rows == 2 else 36
        ws._get_writer()  # writes what comes before the rows, so everything above must be set by now
        ws._writer.write_row = fast_rows(ws._writer, [""] + [get_column_letter(i) for i in range(1, self.n + 1)])
        # Layout: title, unit/date line, optional line, header row(s), optional 栏次 row.
        self._emit([self._cell(title, self.styles.title)] + [None] * (self.n - 1))
        self._merge(1, 1, 1, span)
        day = date if isinstance(date, str) else f"{date.year}年{date.month}月{date.day}日"
        split = max(1, span // 2)
        row2: list[Cell | None] = [None] * self.n
        row2[0] = self._cell(f"填报单位（盖章）：{unit}", self.styles.subtitle_left)
        row2[split] = self._cell(f"填报日期：{day}", self.styles.subtitle_right)
        self._emit(row2)
        self._merge(2, 1, 2, split)
        self._merge(2, split + 1, 2, span)
        if extra_line:
            self._emit([self._cell(extra_line, self.styles.subtitle_left)] + [None] * (self.n - 1))
            self._merge(3, 1, 3, span)
        self._write_headers(header_top, grouped)
        if numbered:
            self._emit([self._cell(c.number if c.number is not None else ("栏次" if i == 0 else ""),
                                   self.styles.number_row) for i, c in enumerate(self.columns)])
        assert self._row + 1 == self._data_start

    # writing

    def _cell(self, value, style: StyleArray) -> Cell:
        c = Cell(self.ws, 1, 1, None, style)
        if value is not None:
            if isinstance(value, str):
                value = clean_text(value)
                c.value = value
                if needs_quote(value):
                    c.data_type = "s"
                    c.quotePrefix = True
            else:
                c.value = value
        return c

    def _emit(self, cells: list) -> None:
        self.ws.append(cells)
        self._row += 1

    def _merge(self, r1: int, c1: int, r2: int, c2: int) -> None:
        if (r1, c1) != (r2, c2):
            self._merges.append(f"{get_column_letter(c1)}{r1}:{get_column_letter(c2)}{r2}")

    def _write_headers(self, top: int, grouped: bool) -> None:
        style = self.styles.header
        if not grouped:
            self._emit([self._cell(c.header, style) for c in self.columns])
            return
        upper: list[Cell | None] = []
        lower: list[Cell | None] = []
        i = 0
        while i < self.n:
            col = self.columns[i]
            if col.group:
                j = i
                while j + 1 < self.n and self.columns[j + 1].group == col.group:
                    j += 1
                upper.append(self._cell(col.group, style))
                upper.extend(self._cell(None, style) for _ in range(j - i))
                lower.extend(self._cell(c.header, style) for c in self.columns[i:j + 1])
                self._merge(top, i + 1, top, j + 1)
                i = j + 1
            else:
                upper.append(self._cell(col.header, style))
                lower.append(self._cell(None, style))
                self._merge(top, i + 1, top + 1, i + 1)
                i += 1
        self._emit(upper)
        self._emit(lower)

    def _open(self, style: StyleArray, fill_in: bool) -> StyleArray:
        return self.styles.unlocked(style) if fill_in else style

    def append_blank(self, n: int) -> None:
        """Empty rows below the data for rows people add themselves, editable on a protected sheet."""
        for _ in range(n):
            self.ws.append([StyledCell(self.ws, None, "n", style, sid) for style, sid in self._blank])
            self._row += 1
            self.rows += 1

    def _registered(self, style: StyleArray) -> tuple[StyleArray, int]:
        # the workbook's style table: openpyxl keeps it private, and the fast row writer shares it
        return style, self.book.wb._cell_styles.add(style)  # type: ignore[attr-defined]

    def append(self, values: Sequence, highlight: Iterable[int] = ()) -> None:
        """One data row, values in column order: str, date, datetime, int/float or None.

        `highlight`: indexes of cells to mark as wrong (red fill), for error reports."""
        ws = self.ws
        plain = self._plain
        quoted = self._quoted
        if highlight:
            plain = list(plain)
            quoted = list(quoted)
            for i in highlight:
                plain[i] = self._marked[i]
                quoted[i] = self._marked_quoted[i]
        colours = self._colour_index
        cells = []
        for i, value in enumerate(values):
            if value is None or value == "":
                style, sid = plain[i]
                cells.append(StyledCell(ws, None, "n", style, sid))
                continue
            if i in colours:
                code = value if value in COLOUR_RGB else self._colour_labels.get(value)
                style, sid = self._colour_styles[code] if code else plain[i]
                cells.append(StyledCell(ws, RISK_COLOUR.label_of(code) if code else str(value), "s", style, sid))
                continue
            kind = value.__class__
            if kind is str:
                if len(value) > 32767 or _ILLEGAL.search(value):
                    value = clean_text(value)
                style, sid = quoted[i] if value[0] in "=+-@\t\r" else plain[i]
                cells.append(StyledCell(ws, value, "s", style, sid))
                continue
            data_type = DATA_TYPE.get(kind)
            if data_type is None:
                value, data_type = str(value), "s"
            style, sid = plain[i]
            cells.append(StyledCell(ws, value, data_type, style, sid))
        if self._wrapped:
            self._fit_height(values)
        ws.append(cells)
        self._row += 1
        self.rows += 1

    def _fit_height(self, values: Sequence) -> None:
        # Spreadsheet programs do not grow rows for wrapped text on opening a file: give the height here.
        lines = 1
        for i, width in self._wrapped:
            value = values[i]
            if value.__class__ is str and (len(value) * 2 > width - 1 or "\n" in value):
                # A 10-point CJK character takes about 1.85 width units; round up to whole lines.
                n = sum(-int(-display_width(part) * 0.93 // max(width - 1, 1)) or 1 for part in value.split("\n"))
                lines = max(lines, n)
        if lines > 1:
            self.ws.row_dimensions[self._row + 1].height = min(409, 12.5 * lines + 2)

    def append_total(self, label: str, values: Sequence) -> None:
        """A bold 合计 row: `label` in the first column, numbers after it."""
        cells = [self._cell(label, self.styles.total_label)]
        cells += [self._cell(v, self.styles.total) for v in values[1:]]
        self._emit(cells)
        self.rows += 1

    def close(self, *, filled_by: str = "", notes: Sequence[str] = (), sign_off: bool = True) -> None:
        """Notes under the table, the sign-off line, drop-down lists, merges and the print area."""
        last_data = self._row
        ws = self.ws
        for note in notes:
            ws.row_dimensions[self._row + 1].height = 15 * max(1, display_width(note) // 120 + 1)
            self._emit([self._cell(note, self.styles.note)] + [None] * (self.n - 1))
            self._merge(self._row, 1, self._row, self.n)
        if sign_off:
            self._emit([None])
            ws.row_dimensions[self._row + 1].height = 24
            row: list[Cell | None] = [None] * self.n
            parts = len(SIGN_OFF)
            starts = [1 + (self.n * k) // parts for k in range(parts)] + [self.n + 1]
            for k, label in enumerate(SIGN_OFF):
                text = f"{label}：{filled_by}" if label == "填表人" and filled_by else f"{label}："
                row[starts[k] - 1] = self._cell(text, self.styles.footer)
            self._emit(row)
            for k in range(parts):
                if starts[k + 1] - 1 >= starts[k]:
                    self._merge(self._row, starts[k], self._row, starts[k + 1] - 1)
        self._add_validations(last_data)
        for ref in self._merges:
            ws.merged_cells.add(ref)
        ws.print_area = f"A1:{self._print_cols}{self._row}"

    def _add_validations(self, last_data: int) -> None:
        if last_data < self._data_start:
            return
        for i, col in enumerate(self.columns, start=1):
            if not col.choices:
                continue
            source = self.book.choice_range(col.header, col.choices)
            dv = DataValidation(type="list", formula1=source, allow_blank=True, showDropDown=False)
            if col.multi:
                # Several choices may share a cell: the list offers, it does not refuse.
                dv.showErrorMessage = False
            else:
                dv.showErrorMessage = True
                dv.errorStyle = "stop"
                dv.errorTitle = "输入有误"
                dv.error = f"请从下拉列表中选择{col.header}"
            dv.promptTitle = col.header
            dv.prompt = "请从下拉列表中选择" + ("，可填多个，用“、”分隔" if col.multi else "")
            dv.showInputMessage = False
            letter = get_column_letter(i)
            dv.add(f"{letter}{self._data_start}:{letter}{last_data}")
            self.ws.data_validations.append(dv)


class LedgerBook:
    """A write-only workbook of ledger sheets, saved atomically."""

    CHOICES_SHEET = "下拉选项"

    def __init__(self, temp: PrivateTemp | None = None):
        """`temp`: the data folder's private temporary folder. openpyxl spools each write-only sheet to a
        temporary file (full id numbers and all) and the finished workbook is written there before it is
        placed: with it, nothing with personal data lands in the system temp folder or beside the target."""
        self.temp = temp
        if temp is not None:
            temp.route_openpyxl()
        self.wb = Workbook(write_only=True)
        self._choices: dict[tuple[str, ...], str] = {}
        self._choice_columns: list[tuple[str, tuple[str, ...]]] = []

    def add_sheet(self, name: str, **kw) -> LedgerSheet:
        return LedgerSheet(self, name, **kw)

    def choice_range(self, header: str, choices: tuple[str, ...]) -> str:
        """A reference to the list of choices on the hidden options sheet (inline lists cap at 255 characters)."""
        key = tuple(choices)
        if key not in self._choices:
            self._choice_columns.append((header, key))
            letter = get_column_letter(len(self._choice_columns))
            self._choices[key] = f"'{self.CHOICES_SHEET}'!${letter}$2:${letter}${len(key) + 1}"
        return self._choices[key]

    def _write_choices(self) -> None:
        if not self._choice_columns:
            return
        ws = self.wb.create_sheet(self.CHOICES_SHEET)
        ws.sheet_state = "hidden"
        height = max(len(c) for _, c in self._choice_columns)
        ws.append([h for h, _ in self._choice_columns])
        for r in range(height):
            ws.append([c[r] if r < len(c) else None for _, c in self._choice_columns])

    def save(self, path: str | os.PathLike) -> Path:
        """Write to a temporary file, then rename: a failed save never leaves half a file."""
        self._write_choices()
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        if self.temp is not None:
            with self.temp.writing(path) as staged:
                self.wb.save(staged)
            return path
        fd, tmp = tempfile.mkstemp(prefix=".~", suffix=".xlsx", dir=path.parent)
        os.close(fd)
        try:
            self.wb.save(tmp)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return path


def _sheet_name(name: str) -> str:
    """Sheet names: at most 31 characters and none of : \\ / ? * [ ]."""
    return re.sub(r"[:\\/?*\[\]]", "_", name)[:31] or "Sheet1"
