"""Reading a hand-made 儿童信息台账: where its header is, which column is which, and what each cell means.

Works on the cells `safe_read` returns (python-calamine values). Knows nothing of the store: the
ledger service matches the rows to files and decides new / changed / unchanged.

What a real ledger looks like and what is done about it:
- title rows, a 填报单位 line and blank rows above the header: the header row is the one whose cells
  name the most known columns (synonyms, any order); a second header row under merged group cells
  (父亲 / 母亲 / 被委托人) is read with its group; one-row headers such as 父亲姓名 work too;
- blank rows, 合计 rows, a 栏次 row, repeated header rows and the sign-off lines are skipped;
- unknown columns are listed, not guessed at;
- values: id numbers from number cells, with ".0", spaces, full-width digits or a lowercase x
  (scientific notation has lost digits: refused with that reason); dates as Excel serials, date
  cells, date-times, 2015-03-01, 2015/3/1, 2015.3.1, 2015年3月1日, 20150301; 男/女/1/2; categories
  in one cell separated by 、，,;/ or spaces; colours as 红 / 红色 / 红色等级 …
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import zip_longest
from typing import Any

from ..domain.checks import STORED_PHONE
from ..domain.codes import CATEGORY, RELIEF, RISK_COLOUR, join_codes, parse_multi
from ..domain.errors import WeibaoError
from ..domain.fields import FieldSpec, clean_value
from ..domain.idnumber import IdInfo, mismatches
from ..domain.text import has_noise
from .ledger_columns import CHILDREN, LEDGERS, Column, Ledger, fold_header, header_index
from .ledger_header import (
    HeaderFound,
    MappedColumn,
    category_from_title,
    cell_text,
    column_letter,
    find_header,
    other_ledger,
)
from .safe_read import SheetData, WorkbookData

_SKIP_FIRST = re.compile(r"^(合\s*计|小\s*计|总\s*计|累\s*计|共\s*计)")
_FOOTER = re.compile(r"^(单位负责人|负责人|填表人|复核人|制表人|审核人|填报单位|填报日期|说明|注[:：]|注\d|备注[:：]|统计日期|联系人)")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_COLOUR_CHAR = {"红": "red", "紅": "red", "橙": "orange", "黄": "yellow", "黃": "yellow", "蓝": "blue", "藍": "blue"}


@dataclass(frozen=True)
class CellProblem:
    sheet: str
    row: int  # the sheet's row number, as the spreadsheet program shows it
    column: str  # column letter, "" for a problem of the whole row
    header: str
    reason: str
    name: str = ""  # the child's name as the row gives it, so a long list of problems says whose row it is

    def location(self) -> str:
        where = f"{self.column}列（{self.header}）" if self.column else ""
        return f"工作表“{self.sheet}”第{self.row}行{where}"

    def text(self) -> str:
        return f"{self.location()}：{self.reason}"


@dataclass
class ParsedRow:
    sheet: str
    row: int
    values: dict  # column key -> stored form; only cells that hold something
    raw: list  # the row's cells as read, for the error report
    problems: list[CellProblem] = field(default_factory=list)

    def problem(self, key: str | None, reason: str, columns: dict[str, MappedColumn]) -> None:
        col = columns.get(key) if key else None
        self.problems.append(CellProblem(self.sheet, self.row, col.letter if col else "", col.header if col else "", reason))


@dataclass
class ParsedSheet:
    name: str
    header_rows: tuple[int, ...]  # sheet row numbers
    columns: list[MappedColumn]
    unknown: list[tuple[str, str]]  # (letter, header) of columns not understood
    headers: list[str]  # every column's header text as read, for the error report
    rows: list[ParsedRow]
    skipped: int = 0  # 合计, 栏次 and sign-off rows
    category: str | None = None  # a single-category ledger (农村留守儿童信息台账) without a category column

    def column_map(self) -> dict[str, MappedColumn]:
        return {c.key: c for c in self.columns}


@dataclass
class ParsedLedger:
    file_name: str
    sha256: str
    format: str
    sheets: list[ParsedSheet]
    notes: list[str]
    ignored_sheets: list[str]


def parse_children(book: WorkbookData, today: dt.date, ledger: Ledger = CHILDREN) -> ParsedLedger:
    """Every sheet that holds a children ledger, parsed. Raises WeibaoError when none does."""
    index = header_index(ledger)
    sheets: list[ParsedSheet] = []
    ignored: list[str] = []
    others: list[str] = []
    for sheet in book.sheets:
        kind = other_ledger(sheet) if sheet.rows else None
        found = find_header(sheet, index, ledger) if kind is None else None
        if found is None:
            if kind:
                others.append(f"“{sheet.name}”是{LEDGERS[kind].title}")
            if sheet.rows:
                ignored.append(sheet.name)
            continue
        sheets.append(_parse_sheet(sheet, found, ledger, today))
    if not sheets:
        if not any(s.rows for s in book.sheets):
            raise WeibaoError(f"“{book.file_name}”里没有任何内容（空白表格）。", "file")
        if others:
            raise WeibaoError(
                f"“{book.file_name}”中{'；'.join(others)}，目前可以导入的是儿童信息台账（含姓名、身份证号、出生日期等列）"
                "和村里填好的走访任务表、走访记录台账。", "file")
        raise WeibaoError(
            f"在“{book.file_name}”中找不到儿童信息台账的表头：需要一行写有“姓名”以及“公民身份号码”（或身份证号）、"
            "“出生日期”、“性别”等列名。请检查表头是否在前 30 行内。", "file",
        )
    return ParsedLedger(book.file_name, book.sha256, book.format, sheets, list(book.notes), ignored)


def as_text(value) -> str | None:
    """A cell as the text a person reads in it (numbers without ".0", dates as 2015-03-01)."""
    if value is None:
        return None
    if value.__class__ is str:
        return value.strip() or None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="minutes") if value.time() != dt.time() else value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip() or None


def _code_text(value):
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value


def parse_colour(value) -> str:
    text = as_text(value)
    code = RISK_COLOUR.parse(text)
    if code:
        return code
    folded = unicodedata.normalize("NFKC", text or "")
    found = {_COLOUR_CHAR[ch] for ch in folded if ch in _COLOUR_CHAR}
    if len(found) == 1:
        return found.pop()
    raise WeibaoError(f"风险等级“{text}”无法识别，应为红、橙、黄、蓝之一", "risk_colour")


def parse_categories(value) -> str:
    text = as_text(value) or ""
    codes, unknown = parse_multi(CATEGORY, text)
    if unknown:
        vague = [u for u in unknown if unicodedata.normalize("NFKC", u) in ("困境儿童", "困境")]
        if vague:
            raise WeibaoError("儿童类别“困境儿童”请写明是生存困难、监护困境还是成长障碍（如“生存困难儿童”）", "categories")
        raise WeibaoError(f"儿童类别中“{'、'.join(unknown)}”无法识别", "categories")
    return join_codes(sorted(set(codes), key=CATEGORY.keys().index))


def parse_reliefs(value) -> str:
    codes, unknown = parse_multi(RELIEF, as_text(value) or "")
    if unknown:
        raise WeibaoError(f"已享受救助中“{'、'.join(unknown)}”无法识别", "reliefs")
    return join_codes(sorted(set(codes), key=RELIEF.keys().index))


@dataclass(frozen=True)
class Normaliser:
    """Cell value -> stored form (raising WeibaoError). `limit`: a text column's length, whose common case
    _normalise_column does inline; `unchanged`: a pattern of text that `fn` returns as it is."""

    fn: Callable[[Any], Any]
    limit: int = 0
    unchanged: re.Pattern | None = None


def _normaliser(col: Column, today: dt.date) -> Normaliser | None:
    """How a column's cells are read, or None for columns not imported."""
    if not col.imported:
        return None
    if col.key == "risk_colour":
        return Normaliser(parse_colour)
    if col.key == "categories":
        return Normaliser(parse_categories)
    if col.key == "reliefs":
        return Normaliser(parse_reliefs)
    if col.key == "village":
        return Normaliser(as_text)
    if col.key == "uuid":
        return Normaliser(_parse_uuid, unchanged=_UUID_AS_EXPORTED)
    spec = col.spec
    if spec is None:
        return None
    # Required fields are checked for the whole row, after the id number has filled what it can.
    spec = _optional(spec)
    kind = spec.kind
    if kind in ("text", "longtext"):
        limit = spec.max_len
        multiline = kind == "longtext"

        def text(v):
            if v.__class__ is str and not has_noise(v, multiline=multiline):  # the common case, as clean_text does it
                t = v.replace("\u3000", " ").strip()
                if len(t) <= limit:
                    return t or None
            return clean_value(spec, as_text(v), today)

        return Normaliser(text, limit=limit)
    if kind in ("code", "codes", "bool"):
        return Normaliser(lambda v: clean_value(spec, _code_text(v), today))
    if kind == "ethnicity":  # 汉 and 01 are written 汉族, as the forms do
        return Normaliser(lambda v: clean_value(spec, as_text(v), today))

    def other(v):
        return clean_value(spec, v, today)

    return Normaliser(other, unchanged=STORED_PHONE if kind == "phone" else None)


def _optional(spec: FieldSpec) -> FieldSpec:
    if not spec.required:
        return spec
    from dataclasses import replace

    return replace(spec, required=False)


def _parse_uuid(value) -> str:
    text = (as_text(value) or "").lower()
    if not _UUID.match(text):
        raise WeibaoError(f"档案编号“{as_text(value)}”格式不正确（应为系统导出的编号，不要修改）", "uuid")
    return text


_UUID_AS_EXPORTED = re.compile(_UUID.pattern.strip("^$"))  # nothing to trim or lower


def _parse_sheet(sheet: SheetData, found: HeaderFound, ledger: Ledger, today: dt.date) -> ParsedSheet:
    rows = sheet.rows
    columns = found.columns
    by_key = {c.key: c for c in columns}
    cols = {c.key: c for c in ledger.columns}
    plan = []
    for mc in columns:
        col = cols[mc.key]
        normaliser = _normaliser(col, today)
        if normaliser is not None:
            plan.append((mc.index, mc.key, normaliser.fn, _repeating(col), normaliser.limit, normaliser.unchanged))
    header_texts = {fold_header(h) for h in found.headers if h}
    first = found.top + found.rows
    category = None if "categories" in by_key else category_from_title(rows, found.top)
    parsed: list[ParsedRow] = []
    skipped = 0
    seq_index = next((i for i, h in enumerate(found.headers) if fold_header(h) in ("序号", "编号")), None)
    name = sheet.name
    for r in range(first, len(rows)):
        row = rows[r]
        lead4 = _first_filled(row, 4)
        if not lead4 or (len(lead4) == 1 and lead4[0][0] == seq_index):
            continue
        if _skipped_row(row, lead4, header_texts):
            skipped += 1
            continue
        parsed.append(ParsedRow(name, r + 1, {}, row))
    # Column by column: one normaliser (and its cache) at a time. A row's problems still come in column order.
    cells = list(zip_longest(*(item.raw for item in parsed), fillvalue=""))
    for index, key, fn, repeating, limit, unchanged in plan:
        column = cells[index] if index < len(cells) else ()
        if repeating:
            _normalise_repeating(parsed, column, key, fn, by_key)
        else:
            _normalise_column(parsed, column, key, fn, limit, unchanged, by_key)
    for item in parsed:
        if category and "categories" not in item.values:
            item.values["categories"] = category
        _check_identity(item, by_key, complete=ledger.kind == "children")
    unknown = [(column_letter(c + 1), h) for c, h in found.unknown]
    return ParsedSheet(sheet.name, tuple(range(found.top + 1, found.top + found.rows + 1)), columns, unknown,
                       found.headers, parsed, skipped, category)


def _blank(v) -> bool:
    return v == "" or v is None or (v.__class__ is str and v.isspace())


def _first_filled(row: list, n: int) -> list[tuple[int, object]]:
    """The first n cells holding something, as (index, value); all of them when there are fewer."""
    out = []
    for i, v in enumerate(row):
        if v != "" and v is not None and not (v.__class__ is str and v.isspace()):
            out.append((i, v))
            if len(out) == n:
                break
    return out


def _skipped_row(row: list, lead: list, header_texts: set[str]) -> bool:
    """合计 / 小计 rows, the sign-off lines, a 栏次 row and a repeated header row: not children.

    `lead` is the row's first four filled cells; the whole row is looked at only when they make it a candidate."""
    for n, (_, v) in enumerate(lead[:3]):
        if v.__class__ in _NOT_TEXT:
            continue  # a number or a date never reads 合计, 单位负责人 or 栏次
        text = v.strip() if v.__class__ is str else cell_text(v)
        if _SKIP_FIRST.match(text) or (n == 0 and (_FOOTER.match(text) or text == "栏次")):
            return True
    if (len(lead) == 4 and isinstance(lead[1][1], (int, float)) and _is_number_row(lead)
            and _is_number_row(_first_filled(row, len(row)))):
        return True
    if _folded(lead[0][1]) in header_texts:
        return sum(_folded(v) in header_texts for _, v in _first_filled(row, len(row))) >= 3
    return False


_NOT_TEXT = {float, int, bool, dt.date, dt.datetime, dt.time, dt.timedelta}


def _folded(value) -> str:
    # str() of a float has nothing fold_header would change; anything else is folded.
    return str(value) if value.__class__ is float else fold_header(value)


def _normalise_column(items: list[ParsedRow], cells, key: str, fn, limit: int, unchanged, columns) -> None:
    """`limit`: a text column's length, its common case done inline; `unchanged`: text that fn returns as is."""
    if limit and _plain_text(cells):
        for item, v in zip(items, cells, strict=False):
            if v:
                t = v.strip()  # what fn does, with nothing to replace in this column
                if t:
                    if len(t) <= limit:
                        item.values[key] = t
                    else:
                        _apply(item, key, fn, v, columns)
        return
    for item, v in zip(items, cells, strict=False):
        if v.__class__ is str:
            if not v:
                continue
            if limit and not has_noise(v):
                t = v.replace("\u3000", " ").strip()
                if not t:
                    continue
                if len(t) <= limit:
                    item.values[key] = t
                    continue
            elif unchanged is not None and unchanged.fullmatch(v):
                item.values[key] = v
                continue
            elif v.isspace():
                continue
        elif v is None:
            continue
        _apply(item, key, fn, v, columns)


def _apply(item: ParsedRow, key: str, fn, v, columns) -> None:
    try:
        out = fn(v)
    except WeibaoError as e:
        item.problem(key, e.message, columns)
        return
    if out is not None and out != "":
        item.values[key] = out


def _plain_text(cells) -> bool:
    """Every cell is text, and none holds an ideographic space or anything the text rule removes."""
    try:
        joined = "".join(cells)
    except TypeError:
        return False
    return "\u3000" not in joined and not has_noise(joined)


def _normalise_repeating(items: list[ParsedRow], cells, key: str, fn, columns) -> None:
    """A column whose few distinct values repeat down the sheet: each value is normalised once."""
    seen: dict = {}
    for item, v in zip(items, cells, strict=False):
        # Text keys stand for themselves; other values with their type (1, 1.0 and True are equal keys).
        k = v if v.__class__ is str else (v.__class__, v)
        hit = seen.get(k)
        if hit is None:
            if _blank(v):
                hit = (None, None)
            else:
                try:
                    hit = (fn(v), None)
                except WeibaoError as e:
                    hit = (None, e.message)
            if len(seen) < 10_000:
                seen[k] = hit
        out, problem = hit
        if problem is not None:
            item.problem(key, problem, columns)
        elif out is not None and out != "":
            item.values[key] = out


def _repeating(col: Column) -> bool:
    """Columns whose few distinct values repeat down the sheet: each is normalised once."""
    return col.key in ("risk_colour", "categories", "reliefs", "village") or (
        col.spec is not None and col.spec.kind in ("code", "codes", "bool", "date"))


def _is_number_row(filled: list) -> bool:
    """A 栏次 row under the header: 1, 2, 3 … in consecutive columns."""
    if len(filled) < 4:
        return False
    numbers = [v for _, v in filled]
    return all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in numbers) and \
        [int(v) for v in numbers] == list(range(int(numbers[0]), int(numbers[0]) + len(numbers))) and \
        [i for i, _ in filled] == list(range(filled[0][0], filled[0][0] + len(filled)))


def _check_identity(item: ParsedRow, columns: dict[str, MappedColumn], *, complete: bool = True) -> None:
    """Birth date and sex from the id number when the row lacks them; a contradiction is a problem. `complete`:
    a child's file needs name, sex and birth date (a visit row only has to find a file)."""
    values = item.values
    number = values.get("id_number")
    if number:
        # Already checked when the cell was read: only its birth date and sex are needed here.
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        sex = "M" if int(number[16]) % 2 else "F"
        given_birth, given_sex = values.get("birth_date"), values.get("sex")
        if (given_birth is not None and given_birth != birth) or (given_sex is not None and given_sex != sex):
            problems = mismatches(IdInfo(number, birth, sex, number[:6]), given_birth, given_sex)
            if problems:
                item.problem("id_number", "；".join(problems), columns)
        values.setdefault("birth_date", birth)
        values.setdefault("sex", sex)
    if not complete or ("name" in values and "sex" in values and "birth_date" in values):
        return  # nothing missing (the common case)
    bad = {p.column for p in item.problems}
    for key, label in (("name", "姓名"), ("sex", "性别"), ("birth_date", "出生日期")):
        if key not in values and not (key in columns and columns[key].letter in bad):
            if key == "name" or key in columns or not number:
                item.problem(key if key in columns else None, f"缺少{label}", columns)
