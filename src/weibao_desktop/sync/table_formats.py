"""Reading the "Excel" files that are not workbooks: CSV/TSV, SpreadsheetML 2003 and HTML tables.

Web systems (the FreeMarker / ``application/vnd.ms-excel`` pattern common in government systems) save an
HTML table or an "XML 表格 2003" document under an .xls name, and other offices send CSV in GB18030 or
UTF-8. Reading them here keeps every id number exactly as written: re-saving them in a spreadsheet program
first is where ids turn into 4.30104201E+17.

Each reader gives the same `SheetData` the workbook reader gives (cells as python-calamine would:
text, float, date/datetime, bool, "" for empty; merged ranges 0-based and inclusive), so the import
treats all formats alike. Every reader is bounded by the same limits as workbooks (rows, columns,
cells) plus a cell-size limit, and refuses with a message naming the limit and the place it was hit:

- CSV/TSV: the encoding is told from a BOM, or by which of UTF-8 and GB18030 decodes the file into
  Chinese text; when neither does, or both do into different text, `EncodingUnknown` asks the user
  (the import is retried with ``encoding=``). The delimiter is the one that splits the first lines
  into the same number of fields; quoted cells may hold line breaks.
- SpreadsheetML: parsed by defusedxml with DTDs and entities forbidden; ``ss:Type`` gives the cell
  type (so a Number stays a number and a String stays text), ``ss:Index`` skips, and
  ``ss:MergeAcross``/``ss:MergeDown`` become merged ranges like merged header cells in xlsx.
- HTML: the standard library's tokenizer (no tree, so no depth to exhaust); ``colspan``/``rowspan``
  become merged ranges, ``<br>`` a line break, and every cell is text (``mso-number-format:"\\@"``
  or not), which is how the page showed it.
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import unicodedata
from html.parser import HTMLParser

from .safe_read import MAX_CELLS, MAX_COLS, MAX_ROWS, LedgerFileError, SheetData

MAX_CELL_CHARS = 32767  # what one Excel cell holds
MAX_TABLE_DEPTH = 8  # tables inside table cells
MAX_XML_DEPTH = 32  # Workbook/Worksheet/Table/Row/Cell/Data and rich-text spans need far fewer

ENCODINGS = {"utf-8": "UTF-8", "gb18030": "GB18030（GBK、GB2312）", "utf-16": "UTF-16"}
_SS = "urn:schemas-microsoft-com:office:spreadsheet"
_X = "urn:schemas-microsoft-com:office:excel"
_SPACE = re.compile(r"[ \t\r\n\f]+")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)


class EncodingUnknown(LedgerFileError):
    """The text file's encoding could not be told; the user picks one of `choices` and the import is retried."""

    def __init__(self, name: str):
        super().__init__(
            f"无法判断文本文件“{name}”的文字编码：按 UTF-8 和按 GB18030（GBK）读出的都不是通顺的中文。"
            "请选择文件的编码后再导入（命令行加 --encoding utf-8 或 --encoding gb18030）。"
        )
        self.choices = ("utf-8", "gb18030")


def read_table_format(kind: str, data: bytes, name: str, notes: list[str], encoding: str | None = None) -> list[SheetData]:
    """The sheets of a csv / html / xml2003 file (kinds as `safe_read.sniff` names them)."""
    if kind == "csv":
        return [read_delimited(data, name, notes, encoding)]
    if kind == "html":
        return read_html_tables(data, name, notes, encoding)
    if kind == "xml2003":
        return read_spreadsheetml(data, name, notes)
    raise ValueError(kind)


def _stem(name: str) -> str:
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return stem[:31] or "表格"


class _Bounds:
    """Counts what a reader has produced and refuses, naming the place, once a limit is passed."""

    def __init__(self, name: str, sheet: str):
        self.name, self.sheet, self.cells = name, sheet, 0

    def where(self, row: int, col: int | None = None) -> str:
        at = f"第{row}行" + (f"第{col}列" if col else "")
        return f"文件“{self.name}”的工作表“{self.sheet}”{at}"

    def row(self, row: int) -> None:
        if row > MAX_ROWS:
            raise LedgerFileError(f"{self.where(row)}：超过了一次导入的上限（{MAX_ROWS} 行）。请把表格拆分成几个文件后分别导入。")

    def col(self, row: int, col: int) -> None:
        if col > MAX_COLS:
            raise LedgerFileError(f"{self.where(row, col)}：超过了列数上限（{MAX_COLS} 列），这不像是一份台账。")

    def cell(self, row: int, col: int, text: str) -> None:
        if len(text) > MAX_CELL_CHARS:
            raise LedgerFileError(
                f"{self.where(row, col)}：单元格有 {len(text)} 个字符，超过了单元格上限（{MAX_CELL_CHARS} 个字符）。")

    def add(self, n: int, row: int) -> None:
        self.cells += n
        if self.cells > MAX_CELLS:
            raise LedgerFileError(f"{self.where(row)}：单元格总数超过了上限（{MAX_CELLS} 个）。请把表格拆分成几个文件后分别导入。")


# Text decoding

def _plausible(text: str) -> bool:
    """Text a Chinese ledger could hold: no control characters and no letters of scripts such a file never uses.

    A few GBK bytes can happen to be valid UTF-8 (中文 in GBK reads as Hebrew and Greek letters in UTF-8), so
    validity alone does not tell the encodings apart."""
    for ch in text:
        o = ord(ch)
        if o < 0x80:
            if o < 0x20 and ch not in "\t\r\n":
                return False
            continue
        if 0x0370 <= o < 0x2000 and not (0x1E00 <= o < 0x1F00):
            return False  # Greek, Cyrillic, Hebrew, Arabic, Indic … : a misread, not a ledger
        cat = unicodedata.category(ch)
        if cat in ("Cc", "Co", "Cn", "Cs"):
            return False
    return True


def decode_text(data: bytes, name: str, encoding: str | None = None, declared: str | None = None) -> tuple[str, str]:
    """(text, encoding) of a text file: the chosen or declared encoding, a BOM, or the one that reads as Chinese."""
    if encoding:
        codec = _codec(encoding)
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError as e:
            raise LedgerFileError(
                f"文件“{name}”不能按 {ENCODINGS.get(codec, encoding)} 编码读取（第 {e.start} 个字节处不符合该编码），请选择另一种编码。"
            ) from None
    for bom, codec in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode("utf-8-sig" if codec == "utf-8" else codec), codec
            except UnicodeDecodeError:
                raise LedgerFileError(f"文件“{name}”以 {ENCODINGS[codec]} 标记开头，但内容不符合该编码，可能已损坏。") from None
    if declared:
        try:
            codec = _codec(declared)
            return data.decode(codec), codec
        except (LookupError, LedgerFileError, UnicodeDecodeError):
            pass  # a wrong declaration is common: tell by the content below
    readings = {}
    for codec in ("utf-8", "gb18030"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if _plausible(text):
            readings[codec] = text
    if "utf-8" in readings:  # GB18030 reads UTF-8 bytes as valid but odd Chinese: UTF-8 wins when it reads at all
        return readings["utf-8"], "utf-8"
    if "gb18030" in readings:
        return readings["gb18030"], "gb18030"
    raise EncodingUnknown(name)


def _codec(encoding: str) -> str:
    key = encoding.strip().lower().replace("_", "-")
    if key in ("utf8", "utf-8", "utf-8-sig"):
        return "utf-8"
    if key in ("gbk", "gb2312", "gb18030", "cp936", "936", "euc-cn", "x-gbk"):
        return "gb18030"
    if key in ("utf-16", "utf16", "utf-16le", "utf-16be", "unicode"):
        return "utf-16"
    raise LedgerFileError(f"不支持的文字编码“{encoding}”，请选择 UTF-8 或 GB18030（GBK）。")


# CSV and TSV

_DELIMITERS = (",", "\t", ";", "|")


def _delimiter(text: str) -> str:
    """The delimiter that splits the first lines into the same number (> 1) of fields most often."""
    lines = [line for line in text[:65536].splitlines()[:30] if line.strip()]
    best, best_score = ",", -1
    for d in _DELIMITERS:
        counts = [len(next(csv.reader([line], delimiter=d), [])) for line in lines]
        if not counts:
            continue
        common = max(set(counts), key=counts.count)
        if common < 2:
            continue
        score = counts.count(common) * 1000 + common
        if score > best_score:
            best, best_score = d, score
    return best


def read_delimited(data: bytes, name: str, notes: list[str], encoding: str | None = None) -> SheetData:
    text, codec = decode_text(data, name, encoding)
    delimiter = _delimiter(text)
    sheet = _stem(name)
    bounds = _Bounds(name, sheet)
    rows: list[list] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for r, record in enumerate(reader, start=1):
            bounds.row(r)
            while record and not record[-1].strip():
                record.pop()
            if len(record) > MAX_COLS:
                bounds.col(r, len(record))
            for c, value in enumerate(record, start=1):
                if len(value) > MAX_CELL_CHARS:
                    bounds.cell(r, c, value)
            bounds.add(len(record), r)
            rows.append(record)
    except csv.Error as e:
        raise LedgerFileError(f"文件“{name}”第{reader.line_num}行无法按 CSV 读取（{_csv_reason(e)}）。请检查引号是否成对。") from None
    label = {",": "逗号", "\t": "制表符", ";": "分号", "|": "竖线"}[delimiter]
    notes.append(f"按文本表格读取：{ENCODINGS.get(codec, codec)} 编码，{label}分隔。")
    return SheetData(sheet, _rectangle(rows))


def _csv_reason(error: csv.Error) -> str:
    text = str(error)
    if "field larger than field limit" in text:
        return f"有单元格超过了 {csv.field_size_limit()} 个字符"
    if "NUL" in text or "null byte" in text:
        return "含有空字符（NUL）"
    return "格式不正确"


def _rectangle(rows: list[list]) -> list[list]:
    """Rows padded with "" to one width, as python-calamine gives them."""
    width = max((len(r) for r in rows), default=0)
    for r in rows:
        if len(r) < width:
            r.extend([""] * (width - len(r)))
    return rows


# A grid filled cell by cell, with spans (shared by the HTML and SpreadsheetML readers)

class _Grid:
    def __init__(self, bounds: _Bounds):
        self.bounds = bounds
        self.cells: dict[int, dict[int, object]] = {}
        self.taken: dict[int, set[int]] = {}  # covered by a rowspan/MergeDown from above
        self.merged: list[tuple[tuple[int, int], tuple[int, int]]] = []

    def free_col(self, r: int, c: int) -> int:
        taken = self.taken.get(r, ())
        while c in taken:
            c += 1
        return c

    def put(self, r: int, c: int, value: object, across: int = 0, down: int = 0) -> int:
        """Place a value at 0-based (r, c) spanning across/down more cells; returns the next free column."""
        self.bounds.row(r + down + 1)
        self.bounds.col(r + 1, c + across + 1)
        if isinstance(value, str):
            self.bounds.cell(r + 1, c + 1, value)
        self.bounds.add((across + 1) * (down + 1), r + 1)
        if value != "":
            self.cells.setdefault(r, {})[c] = value
        if across or down:
            self.merged.append(((r, c), (r + down, c + across)))
            for rr in range(r, r + down + 1):
                self.taken.setdefault(rr, set()).update(range(c, c + across + 1))
        return c + across + 1

    def rows(self) -> list[list]:
        if not self.cells:
            return []
        height = max(max(self.cells), max(self.taken, default=0)) + 1
        width = max(max(row) for row in self.cells.values()) + 1
        out: list[list[object]] = [[""] * width for _ in range(height)]
        for r, row in self.cells.items():
            for c, v in row.items():
                out[r][c] = v
        return out


# SpreadsheetML 2003

def read_spreadsheetml(data: bytes, name: str, notes: list[str]) -> list[SheetData]:
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import iterparse

    sheets: list[SheetData] = []
    depth = 0
    sheet_name = ""
    grid: _Grid | None = None
    hidden = False
    r = c = 0
    try:
        for event, el in iterparse(io.BytesIO(data), events=("start", "end"), forbid_dtd=True):
            tag = el.tag.rsplit("}", 1)[-1]
            if event == "start":
                depth += 1
                if depth > MAX_XML_DEPTH:
                    raise LedgerFileError(f"文件“{name}”的 XML 嵌套超过 {MAX_XML_DEPTH} 层，不是正常的表格文件，已拒绝。")
                if tag == "Worksheet":
                    sheet_name = (el.get(f"{{{_SS}}}Name") or f"Sheet{len(sheets) + 1}")[:31]
                    grid, hidden, r = _Grid(_Bounds(name, sheet_name)), False, -1
                elif tag == "Row" and grid is not None:
                    index = _index(el, name, sheet_name)
                    r = index - 1 if index else r + 1
                    c = 0
                continue
            depth -= 1
            if grid is None:
                el.clear()
                continue
            if tag == "Cell":
                index = _index(el, name, sheet_name)
                c = grid.free_col(r, index - 1 if index else c)
                across = _span(el, "MergeAcross", name, sheet_name)
                down = _span(el, "MergeDown", name, sheet_name)
                c = grid.put(r, c, _ss_value(el, grid.bounds, r + 1, c + 1), across, down)
                el.clear()
            elif tag == "Row":
                el.clear()
            elif tag == "Visible" and el.tag.startswith(f"{{{_X}}}") and (el.text or "").strip() in (
                    "SheetHidden", "SheetVeryHidden"):
                hidden = True
            elif tag == "Worksheet":
                if hidden:
                    notes.append(f"跳过了隐藏的工作表“{sheet_name}”。")
                else:
                    sheets.append(SheetData(sheet_name, grid.rows(), grid.merged))
                grid = None
                el.clear()
    except DefusedXmlException:
        raise LedgerFileError(
            f"文件“{name}”含有文档类型声明（DOCTYPE）或实体定义。正常的表格文件不含这些，可能是恶意文件，已拒绝。") from None
    except ParseError as e:
        raise LedgerFileError(f"文件“{name}”不是完整的 XML 表格（第{e.position[0]}行出错），可能已损坏或没有保存完整。") from None
    if not sheets:
        raise LedgerFileError(f"文件“{name}”是 XML 表格，但其中没有可见的工作表。")
    notes.append("按“XML 表格 2003”格式读取。")
    return sheets


def _index(el, name: str, sheet: str) -> int | None:
    raw = el.get(f"{{{_SS}}}Index")
    if raw is None:
        return None
    if not raw.strip().isdigit() or not 0 < int(raw) <= MAX_ROWS + 1:
        raise LedgerFileError(f"文件“{name}”的工作表“{sheet}”中有不合理的位置编号 ss:Index=“{raw[:20]}”，文件可能已损坏。")
    return int(raw)


def _span(el, attr: str, name: str, sheet: str) -> int:
    raw = el.get(f"{{{_SS}}}{attr}")
    if raw is None:
        return 0
    if not raw.strip().isdigit() or int(raw) > MAX_ROWS:
        raise LedgerFileError(f"文件“{name}”的工作表“{sheet}”中有不合理的合并范围 ss:{attr}=“{raw[:20]}”，文件可能已损坏。")
    return int(raw)


def _ss_value(cell, bounds: _Bounds, row: int, col: int) -> object:
    data = next((child for child in cell if child.tag.rsplit("}", 1)[-1] == "Data"), None)
    if data is None:
        return ""
    text = "".join(data.itertext())
    bounds.cell(row, col, text)
    kind = data.get(f"{{{_SS}}}Type") or "String"
    if kind == "Number":
        try:
            return float(text)
        except ValueError:
            return text
    if kind == "DateTime":
        try:
            when = dt.datetime.fromisoformat(text.strip().rstrip("Z"))
        except ValueError:
            return text
        return when.date() if when.time() == dt.time() else when
    if kind == "Boolean":
        return text.strip() in ("1", "true", "TRUE")
    return text


# HTML tables

def _declared_charset(data: bytes) -> str | None:
    found = _META_CHARSET.search(data[:8192])
    return found.group(1).decode("ascii", "replace") if found else None


def read_html_tables(data: bytes, name: str, notes: list[str], encoding: str | None = None) -> list[SheetData]:
    text, codec = decode_text(data, name, encoding, declared=_declared_charset(data))
    parser = _TableParser(name)
    parser.feed(text)
    parser.close()
    if not parser.tables:
        raise LedgerFileError(f"文件“{name}”是网页格式，但其中没有表格。")
    stem = _stem(name)
    sheets = []
    for i, grid in enumerate(parser.tables, start=1):
        sheet = stem if len(parser.tables) == 1 else f"{stem[:26]}（表{i}）"
        grid.bounds.sheet = sheet
        sheets.append(SheetData(sheet, grid.rows(), grid.merged))
    notes.append(f"按网页表格读取：{ENCODINGS.get(codec, codec)} 编码，共 {len(sheets)} 个表格。")
    return sheets


class _TableParser(HTMLParser):
    """Top-level <table>s as grids; text of a table nested in a cell stays in that cell."""

    def __init__(self, name: str):
        super().__init__(convert_charrefs=True)
        self.name = name
        self.tables: list[_Grid] = []
        self.depth = 0
        self.grid: _Grid | None = None
        self.r = -1
        self.c = 0
        self.cell: list[str] | None = None
        self.cell_chars = 0  # the cell's length so far: a cell of many small pieces is not summed again each time
        self.span = (0, 0)
        self.ignore = 0  # inside <script>/<style>

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.ignore += 1
        elif tag == "table":
            self.depth += 1
            if self.depth > MAX_TABLE_DEPTH:
                raise LedgerFileError(f"文件“{self.name}”的表格嵌套超过 {MAX_TABLE_DEPTH} 层，不是正常的台账，已拒绝。")
            if self.depth == 1:
                self.grid = _Grid(_Bounds(self.name, f"表{len(self.tables) + 1}"))
                self.tables.append(self.grid)
                self.r = -1
        elif self.depth != 1 or self.grid is None:
            if tag == "br" and self.cell is not None:
                self.cell.append("\n")
        elif tag == "tr":
            self._end_cell()
            self.r += 1
            self.c = 0
            self.grid.bounds.row(self.r + 1)
        elif tag in ("td", "th"):
            self._end_cell()
            if self.r < 0:
                self.r = 0
            values = dict(attrs)
            self.span = (self._span(values.get("colspan"), across=True), self._span(values.get("rowspan"), across=False))
            self.cell = []
            self.cell_chars = 0
        elif tag == "br" and self.cell is not None:
            self.cell.append("\n")

    def handle_startendtag(self, tag, attrs):
        if tag == "br" and self.cell is not None:
            self.cell.append("\n")
        elif tag not in ("td", "th", "tr", "table"):
            return
        else:
            self.handle_starttag(tag, attrs)
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.ignore = max(0, self.ignore - 1)
        elif tag == "table" and self.depth:
            if self.depth == 1:
                self._end_cell()
            self.depth -= 1
        elif self.depth == 1 and tag in ("td", "th", "tr"):
            self._end_cell()
        elif tag in ("p", "div") and self.cell is not None and self.cell and self.cell[-1] != "\n":
            self.cell.append("\n")

    def handle_data(self, data):
        if self.cell is not None and not self.ignore:
            piece = _SPACE.sub(" ", data)  # HTML shows a run of spaces and line breaks as one space
            self.cell.append(piece)
            self.cell_chars += len(piece)
            if self.cell_chars > MAX_CELL_CHARS:
                assert self.grid is not None
                self.grid.bounds.cell(self.r + 1, self.c + 1, "".join(self.cell))

    def _span(self, raw: str | None, across: bool) -> int:
        if raw is None or not raw.strip().isdigit():
            return 1
        n = int(raw)
        assert self.grid is not None
        if across:
            self.grid.bounds.col(self.r + 1, self.c + n)
        else:
            self.grid.bounds.row(self.r + n)
        return max(n, 1)

    def _end_cell(self) -> None:
        if self.cell is None or self.grid is None:
            return
        text = "".join(self.cell).replace("\xa0", " ")
        text = "\n".join(line.strip() for line in text.split("\n")).strip("\n ")
        self.cell = None
        across, down = self.span
        self.c = self.grid.free_col(self.r, self.c)
        self.c = self.grid.put(self.r, self.c, text, across - 1, down - 1)
