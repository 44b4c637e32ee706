"""Checks on one XML part of a spreadsheet, judged by what it holds and not by its name.

- A document type declaration (external entities, "billion laughs") is found in any encoding: the
  prolog is decoded per its byte-order mark or XML declaration before it is searched, so a UTF-16
  part cannot hide one. Parts in an encoding whose markup is not ASCII are refused afterwards: the
  byte-level checks below would not see their tags.
- A worksheet is bounded (rows, columns, cells of the rectangle the parser allocates) before the
  parser sees it. Files written by Excel, WPS, LibreOffice and openpyxl are checked with a few
  byte searches; anything unusual (prefixed tags, cells without a position, odd quoting) is walked
  element by element with expat, counting positions the way the parser does.
- ODS rows and cells "repeated" N times are multiplied out, never expanded.
- A run of text longer than any cell can hold (a "100 MB cell") is refused.
"""
from __future__ import annotations

import codecs
import re
import xml.parsers.expat
from dataclasses import dataclass

from .limits import RESAVE, SPLIT, LedgerFileError, Limits, over_limit

_DOCTYPE_TEXT = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_DOCTYPE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_DECLARED = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']""")
# Encodings whose markup bytes are ASCII, so that the byte searches below see every tag.
_ASCII_MARKUP = {"utf-8", "ascii", "latin-1", "iso8859-1", "iso8859-15", "cp1252", "gbk", "gb2312", "gb18030"}
_PREFIXED = re.compile(rb"<[A-Za-z_][\w.\-]*:(?:c|row|dimension|sheetData|si)[\s/>]")
_CANON_REF = re.compile(rb'<c r="(?![A-Z]{1,3}\d{1,7}")')
_CELL_ROW = re.compile(rb'<c r="[A-Z]{1,3}(\d{1,7})"')
_CELL_REF = re.compile(rb'<c r="([A-Z]{1,3})(\d{1,7})"')
_DIMENSION = re.compile(rb'<dimension ref="(?:[A-Z]{1,3}\d{1,7}:)?([A-Z]{1,3})(\d{1,7})"\s*/>')
_REF = re.compile(r"^([A-Za-z]{1,3})(\d{1,7})$")


def has_run_over(part: bytes, limit: int) -> bool:
    """Whether some run of non-markup bytes (text between tags) is `limit` bytes or longer.

    Such a run covers a whole aligned block of limit/2 bytes, so only blocks without any "<" need a closer look:
    a few calls of bytes.find per megabyte instead of a regex step per byte (a 43 MB sheet: 1 ms, not 1 s)."""
    step = max(1, limit // 2)
    n = len(part)
    for start in range(0, n, step):
        if part.find(b"<", start, min(n, start + step)) != -1:
            continue
        left = part.rfind(b"<", 0, start) + 1
        right = part.find(b"<", start)
        if (n if right == -1 else right) - left >= limit:
            return True
    return False


def check_prolog(part: bytes, part_name: str) -> None:
    """Refuses a DOCTYPE/ENTITY declaration in any encoding, then XML whose markup is not ASCII."""
    encoding, start, is_xml = _encoding(part)
    if encoding in _ASCII_MARKUP:
        if _DOCTYPE.search(part, start, prolog_end(part, start)):
            raise _doctype(part_name)
        return
    try:
        decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    except LookupError:
        decoder = None
    if decoder is not None:
        text = decoder.decode(part[start:start + 4 * 1024 * 1024])
        root = re.search(r"<[A-Za-z_]", text)
        if _DOCTYPE_TEXT.search(text, 0, root.start() if root else len(text)):
            raise _doctype(part_name)
        is_xml = is_xml or text.lstrip().startswith("<")
    if is_xml:
        raise LedgerFileError(
            f"文件中的“{part_name}”使用了 {encoding} 编码，正常的表格文件使用 UTF-8，为安全起见不予读取。" + RESAVE)


def _encoding(part: bytes) -> tuple[str, int, bool]:
    """(Python codec name, where the text starts, whether the bytes say "XML" by themselves)."""
    if part.startswith(codecs.BOM_UTF8):
        return "utf-8", 3, False
    if part.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32", 0, True
    if part.startswith(codecs.BOM_UTF16_LE):
        return "utf-16-le", 2, True
    if part.startswith(codecs.BOM_UTF16_BE):
        return "utf-16-be", 2, True
    if part.startswith(b"<\x00") and not part.startswith(b"<\x00\x00"):
        return "utf-16-le", 0, True
    if part.startswith(b"\x00<"):
        return "utf-16-be", 0, True
    declared = _DECLARED.match(part[:256])
    if declared:
        try:
            return codecs.lookup(declared.group(1).decode("ascii")).name, 0, True
        except LookupError:
            return declared.group(1).decode("ascii").lower(), 0, True
    return "utf-8", 0, False


def prolog_end(part: bytes, start: int = 0) -> int:
    """Where the root element starts: a DOCTYPE can only come before it."""
    i = start
    while True:
        j = part.find(b"<", i)
        if j < 0 or j + 1 >= len(part):
            return len(part)
        nxt = part[j + 1:j + 2]
        if nxt == b"?":
            i = part.find(b"?>", j) + 2 or len(part)
        elif part.startswith(b"<!--", j):
            i = part.find(b"-->", j) + 3 or len(part)
        elif nxt == b"!":
            return min(len(part), j + 64)  # a declaration: include it in what is searched
        else:
            return j
        if i <= j:
            return len(part)


def _doctype(part_name: str) -> LedgerFileError:
    return LedgerFileError(
        f"文件中的“{part_name}”含有 XML 文档类型声明（可引用外部实体），正常的表格文件不会有，为安全起见不予读取。" + RESAVE)


def check_text(part: bytes, part_name: str, limits: Limits) -> None:
    """A run of text over the limit: more than any spreadsheet cell can hold."""
    if len(part) >= limits.text_run and has_run_over(part, limits.text_run):
        size = limits.text_run // 1024 // 1024
        raise LedgerFileError(
            f"“{part_name}”中有一段连续文字超过 {size} MB，超过了单段文字的上限（{size} MB）。"
            "一个单元格最多只能有 32767 个字，这样的文件不是正常的表格。" + RESAVE)


def check_strings(part: bytes, part_name: str, limits: Limits) -> None:
    """The shared-string table: the parser keeps every entry in memory."""
    if part.count(b"<") // 2 <= limits.strings:
        return
    count = part.count(b"<si>") + part.count(b"<si ") + part.count(b"<si/")
    if _PREFIXED.search(part):
        count = max(count, sum(1 for _ in re.finditer(rb"<[\w.\-]+:si[\s/>]", part)))
    if count > limits.strings:
        raise over_limit("共享文字表的条目数", count, limits.strings, " 条", SPLIT)


@dataclass
class Bounds:
    rows: int  # highest row number holding a cell
    cols: int  # highest column number holding a cell
    cells: int  # cells written
    dimension: tuple[int, int] | None  # what <dimension> declares, when it declares more than the cells


def column_number(letters: bytes | str) -> int:
    n = 0
    for ch in letters.upper() if isinstance(letters, str) else letters.upper():
        n = n * 26 + (ch if isinstance(ch, int) else ord(ch)) - 64
    return n


def sheet_bounds(sheet: bytes, limits: Limits) -> Bounds:
    """The rectangle the parser would allocate for this sheet, without parsing it into cells."""
    cells = sum(sheet.count(b"<c" + end) for end in (b" ", b">", b"/", b"\t", b"\n", b"\r"))
    if cells > limits.cells:
        return Bounds(0, 0, cells, None)  # too many to walk; check_bounds says so
    if cells == 0 and b"<c" not in sheet and b":c" not in sheet and b"dimension" not in sheet:
        return Bounds(0, 0, 0, None)
    canonical = (sheet.count(b'<c r="') == cells and not _PREFIXED.search(sheet) and not _CANON_REF.search(sheet)
                 and sheet.count(b"<dimension") == len(_DIMENSION.findall(sheet, 0, 1 << 20)))
    if not canonical:
        return _walk(sheet, limits)
    dim = None
    m = _DIMENSION.search(sheet, 0, 1 << 20)
    if m:
        dim = (int(m.group(2)), column_number(m.group(1)))
    if not cells:
        return Bounds(0, 0, 0, dim)
    # The common case proves itself with two searches: no cell right of the column limit, and none below
    # the row that keeps the rectangle within the cell limit. Otherwise every cell's position is read.
    rows_allowed = min(limits.rows, limits.cells // limits.cols)
    if (re.search(rb'<c r="(?:%s)\d' % _letters_above(limits.cols), sheet) is None
            and re.search(rb'<c r="[A-Z]{1,3}(?:%s)"' % _above(rows_allowed), sheet) is None):
        return Bounds(min(rows_allowed, max(_last_row(sheet), 1)), limits.cols, cells, dim)
    rows = cols = 0
    numbers: dict[bytes, int] = {}
    for m in _CELL_REF.finditer(sheet):
        letters = m.group(1)
        col = numbers.get(letters)
        if col is None:
            col = numbers[letters] = column_number(letters)
        cols = max(cols, col)
        rows = max(rows, int(m.group(2)))
    return Bounds(rows, cols, cells, dim)


def _letters_above(n: int) -> bytes:
    """A regex for column letters after column n (n between 27 and 701: two letters)."""
    first, second = divmod(n - 1, 26)
    a, b = chr(64 + first), chr(65 + second)
    options = [b"[A-Z]{3}"]
    if a < "Z":
        options.append(b"[%s-Z][A-Z]" % chr(ord(a) + 1).encode())
    if b < "Z":
        options.append(b"%s[%s-Z]" % (a.encode(), chr(ord(b) + 1).encode()))
    return b"|".join(options)


def _last_row(sheet: bytes) -> int:
    """The row of the last cell written (a lower bound of the highest row; exact when rows are in order)."""
    at = sheet.rfind(b'<c r="')
    m = _CELL_ROW.match(sheet, at) if at >= 0 else None
    return int(m.group(1)) if m else 0


def _above(n: int) -> bytes:
    """A regex for decimal numbers (no sign) greater than n: longer ones, or greater at the first digit that differs."""
    digits = str(n)
    options = [rb"\d{%d,}" % (len(digits) + 1)]
    for i, ch in enumerate(digits):
        if ch != "9":
            rest = len(digits) - i - 1
            options.append(digits[:i].encode() + b"[%d-9]" % (int(ch) + 1) + (rb"\d{%d}" % rest if rest else b""))
    return b"|".join(options)


class _Walk:
    """Positions the way the parser counts them: a cell without "r" is the next column, a row without it the next row."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.row = 0
        self.col = 0
        self.rows = 0
        self.cols = 0
        self.cells = 0
        self.dimension: tuple[int, int] | None = None

    def start(self, name: str, attrs: dict[str, str]) -> None:
        local = name.rsplit("}", 1)[-1]
        if local == "row":
            r = attrs.get("r")
            self.row = _number(r, "行号") if r is not None else self.row + 1
            self.col = 0
            self.rows = max(self.rows, self.row)
        elif local == "c":
            r = attrs.get("r")
            if r is None:
                self.col += 1
            else:
                self.row, self.col = _ref(r)
            self.cells += 1
            self.rows = max(self.rows, self.row)
            self.cols = max(self.cols, self.col)
        elif local == "dimension" and attrs.get("ref"):
            last = attrs["ref"].split(":")[-1]
            self.dimension = _ref(last)


def _number(text: str, what: str) -> int:
    if not text.isdigit() or len(text) > 9:
        raise LedgerFileError(f"工作表中的{what}“{text[:20]}”无法识别，文件已损坏。" + RESAVE)
    return int(text)


def _ref(text: str) -> tuple[int, int]:
    m = _REF.match(text)
    if not m:
        raise LedgerFileError(f"工作表中的单元格位置“{text[:20]}”无法识别，文件已损坏。" + RESAVE)
    return int(m.group(2)), column_number(m.group(1))


def _walk(sheet: bytes, limits: Limits) -> Bounds:
    walk = _Walk(limits)
    parser = xml.parsers.expat.ParserCreate(namespace_separator="}")
    parser.StartElementHandler = walk.start
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_doctype
    _feed(parser, sheet)
    dim = walk.dimension if walk.dimension and walk.dimension[0] * walk.dimension[1] > walk.rows * walk.cols else None
    return Bounds(walk.rows, walk.cols, walk.cells, dim)


def _refuse_doctype(*_args) -> None:
    raise _doctype("工作表")


def _feed(parser, data: bytes) -> None:
    try:
        for at in range(0, len(data), 1 << 22):
            parser.Parse(data[at:at + (1 << 22)], False)
        parser.Parse(b"", True)
    except xml.parsers.expat.ExpatError as e:
        raise LedgerFileError(f"工作表的 XML 内容已损坏（{xml.parsers.expat.ErrorString(e.code)}）。" + RESAVE) from None


def check_bounds(bounds: Bounds, limits: Limits, sheet_name: str) -> None:
    if bounds.cells > limits.cells:
        raise over_limit(f"工作表“{sheet_name}”中的单元格数", bounds.cells, limits.cells, " 个", SPLIT)
    if bounds.rows > limits.rows:
        raise over_limit(f"工作表“{sheet_name}”的行数", bounds.rows, limits.rows, " 行", SPLIT)
    if bounds.cols > limits.cols:
        raise LedgerFileError(
            f"工作表“{sheet_name}”在第 {limits.cols} 列以后还有内容（到第 {bounds.cols} 列），超过了列数上限。"
            "请删除多余的列（或把台账复制到新表格）后再导入。")
    if bounds.rows * bounds.cols > limits.cells:
        raise over_limit(f"工作表“{sheet_name}”的单元格区域（{bounds.rows} 行 × {bounds.cols} 列）",
                         bounds.rows * bounds.cols, limits.cells, " 个单元格", SPLIT)


class _OdsWalk:
    """Each table's rows and cells with their repeat counts multiplied out."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.rows = 0
        self.width = 0
        self.row_repeat = 1
        self.row_width = 0
        self.cells = 0
        self.table = ""

    def start(self, name: str, attrs: dict[str, str]) -> None:
        local = name.rsplit("}", 1)[-1]
        if local == "table":
            self.rows, self.width, self.cells = 0, 0, 0
            self.table = next((v for k, v in attrs.items() if k.endswith("}name")), "")[:40]
        elif local == "table-row":
            self.row_repeat = self._repeat(attrs, "number-rows-repeated")
            self.row_width = 0
            self.rows += self.row_repeat
            if self.rows > self.limits.rows:
                raise over_limit(f"工作表“{self.table}”的行数（重复的行逐一计算）", self.rows, self.limits.rows, " 行", SPLIT)
        elif local in ("table-cell", "covered-table-cell"):
            self.row_width += self._repeat(attrs, "number-columns-repeated")
            self.width = max(self.width, self.row_width)
            if self.width * self.rows > self.limits.cells:
                raise over_limit(f"工作表“{self.table}”的单元格区域（重复的单元格逐一计算）", self.width * self.rows,
                                 self.limits.cells, " 个单元格", SPLIT)

    def end(self, name: str) -> None:
        if name.rsplit("}", 1)[-1] == "table-row":
            self.cells += self.row_repeat * self.row_width
            if self.cells > self.limits.cells:
                raise over_limit(f"工作表“{self.table}”的单元格数（重复的单元格逐一计算）", self.cells,
                                 self.limits.cells, " 个", SPLIT)

    @staticmethod
    def _repeat(attrs: dict[str, str], key: str) -> int:
        for k, v in attrs.items():
            if k.endswith("}" + key) or k == key:
                return _number(v.strip(), "重复次数") or 1
        return 1


def check_ods(content: bytes, limits: Limits) -> None:
    walk = _OdsWalk(limits)
    parser = xml.parsers.expat.ParserCreate(namespace_separator="}")
    parser.StartElementHandler = walk.start
    parser.EndElementHandler = walk.end
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_doctype
    _feed(parser, content)
