"""Reading a spreadsheet someone sent, without trusting it.

Files arrive by USB stick, e-mail and chat from many programs (Excel, WPS, LibreOffice, web systems
that save HTML or SpreadsheetML 2003 as ".xls", CSV in GB18030 or UTF-8). CSV, HTML and SpreadsheetML
are read by `table_formats` with bounds of their own; for workbooks, before python-calamine parses anything
this module:

- reads the file once (bounded size) and hashes it, so what is checked is what is parsed;
- tells apart xlsx / xls / ods from things that only look like them (an encrypted xlsx is an OLE
  container, a web-page ".xls" is HTML, a truncated download is a zip without its directory);
- refuses decompression bombs: declared member sizes and ratios are checked first, then every XML
  part is inflated with the real byte count capped, and a deflate stream longer than declared is refused;
- refuses XML with a document type declaration (external entities, entity expansion);
- trims the classic "1,000,000 empty rows" (an empty string copied down a whole column, which would
  make the parser allocate a cell for each), or refuses when what remains is still too big.

Every refusal is a `LedgerFileError` with a Chinese message that says what is wrong and what to do.
"""
from __future__ import annotations

import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..domain.errors import WeibaoError

MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_XLS_BYTES = 64 * 1024 * 1024  # BIFF has no compression: its size bounds its cells
MAX_MEMBER_BYTES = 256 * 1024 * 1024  # one XML part, inflated
MAX_TOTAL_BYTES = 512 * 1024 * 1024  # all parts, inflated
MAX_RATIO = 100  # inflated / compressed, for parts over BIG_MEMBER
BIG_MEMBER = 4 * 1024 * 1024
MAX_MEMBERS = 5000
MAX_ROWS = 200_000  # rows with content, per sheet
MAX_COLS = 104  # up to column CZ; ledgers have fewer than 60
MAX_CELLS = 8_000_000  # the parser allocates every cell of the rectangle holding values
REPEAT_LIMIT = 1000  # an ODS row or cell repeated more often than this must be empty

_CHUNK = 1024 * 1024
_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_DOCTYPE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_WIDE_CELL = re.compile(rb'<c r="(?:[D-Z][A-Z]|[A-Z]{3})\d')
# A cell value: <v>…</v> (number, or index of a shared string) or inline text that is not blank.
_VALUE = re.compile(rb"<v>([^<]+)</v>|<t(?:\s[^>]*)?>\s*[^<\s]")
_TEXT = re.compile(rb"<t(?:\s[^>]*)?>\s*[^<\s]")
_SI = re.compile(rb"<si>(.*?)</si>|<si/>", re.DOTALL)
_REF = re.compile(rb'\br="([A-Z]+)\d+"')
_DIMENSION = re.compile(rb'<dimension ref="(?:[A-Z]+\d+:)?([A-Z]+)(\d+)"\s*/>')
_WIDE_CELL_ELEMENT = re.compile(rb'<c r="(?:[D-Z][A-Z]|[A-Z]{3})\d+"[^>]*?(?:/>|>.*?</c>)', re.DOTALL)
_ODS_ROW_REPEAT = re.compile(rb'table:number-rows-repeated="(\d+)"')
_ODS_COL_REPEAT = re.compile(rb'table:number-columns-repeated="(\d+)"')
_ODS_CONTENT = re.compile(rb"<text:p[^>]*>\s*[^<\s]|office:value=\"|office:date-value=|office:boolean-value=")

WHAT_TO_DO = "请在 Excel、WPS 或 LibreOffice 中打开该文件，确认内容无误后“另存为” .xlsx 格式，再导入。"


class LedgerFileError(WeibaoError):
    """The file cannot be read as a ledger at all (nothing in it was imported)."""

    def __init__(self, message: str):
        super().__init__(message, "file")


@dataclass
class SheetData:
    name: str
    rows: list[list]  # rows[0] is the sheet's row 1; cells as python-calamine gives them ("" for empty)
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)  # 0-based, inclusive


@dataclass
class WorkbookData:
    file_name: str
    sha256: str
    size: int
    format: str  # xlsx, xls, ods
    sheets: list[SheetData]
    notes: list[str] = field(default_factory=list)  # what was done to read it (trimmed rows, hidden sheets)


TABLE_FORMATS = ("csv", "html", "xml2003")  # read by sync.table_formats, not by python-calamine


def read_workbook(path: str | Path, encoding: str | None = None) -> WorkbookData:
    """Every visible sheet's cells, after the checks above. Raises LedgerFileError.

    `encoding` is the user's choice for a text file (CSV, HTML) whose encoding could not be told."""
    path = Path(path)
    data = _read_bytes(path)
    digest = hashlib.sha256(data).hexdigest()
    kind = sniff(data, path.name)
    notes: list[str] = []
    if kind in TABLE_FORMATS:
        from .table_formats import read_table_format

        sheets = [SheetData(s.name, _trim(s.rows), s.merged)
                  for s in read_table_format(kind, data, path.name, notes, encoding)]
        return WorkbookData(path.name, digest, len(data), kind, sheets, notes)
    if kind in ("xlsx", "ods"):
        data = _check_zip(data, kind, notes)
    sheets = _parse(data, kind, path.name, notes)
    return WorkbookData(path.name, digest, len(data), kind, sheets, notes)


def file_sha256(path: str | Path) -> str:
    return hashlib.sha256(_read_bytes(Path(path))).hexdigest()


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise LedgerFileError(f"找不到文件“{path.name}”，请确认文件还在原来的位置。") from None
    except OSError as e:
        raise LedgerFileError(f"无法读取文件“{path.name}”（{e.strerror or e}）。") from None
    if path.is_dir():
        raise LedgerFileError(f"“{path.name}”是一个文件夹，请选择其中的表格文件。")
    if size == 0:
        raise LedgerFileError(f"文件“{path.name}”是空的（0 字节），可能没有保存或复制完整。请重新获取文件。")
    if size > MAX_FILE_BYTES:
        raise LedgerFileError(
            f"文件“{path.name}”有 {size / 1024 / 1024:.0f} MB，超过了一次导入的上限（{MAX_FILE_BYTES // 1024 // 1024} MB）。"
            "请把表格拆分成几个文件后分别导入。"
        )
    try:
        return path.read_bytes()
    except OSError as e:
        raise LedgerFileError(f"无法读取文件“{path.name}”（{e.strerror or e}）。") from None


def sniff(data: bytes, name: str = "") -> str:
    """xlsx, xls, ods, csv, html or xml2003 from the content (never from the name); anything else is refused
    with its reason."""
    head = data[:8]
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _zip_kind(data, name)
    if head == _CFB_MAGIC:
        return _cfb_kind(data, name)
    text = _head_text(data).lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith(b"%pdf"):
        raise LedgerFileError(f"“{name}”是 PDF 文件，不是表格，无法导入。请向对方索取 Excel（.xlsx）格式的台账。")
    if text.startswith(b"<?xml") and (b"progid=\"excel.sheet\"" in text or b"urn:schemas-microsoft-com:office:spreadsheet" in text):
        return "xml2003"
    if text.startswith((b"<html", b"<!doctype html", b"<table", b"<meta", b"<head", b"<body", b"<style", b"<!--")) or (
            text.startswith(b"<?xml") and b"<html" in text):
        return "html"
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or _looks_like_text(data[:4096]):
        return "csv"
    raise LedgerFileError(f"“{name}”不是表格文件（无法识别的文件格式），可能已损坏或不是台账。请确认选择的是 .xlsx、.xls、.ods 或 .csv 文件。")


def _head_text(data: bytes) -> bytes:
    """The first bytes as ASCII-compatible text, so a UTF-16 file is recognised by what it says."""
    head = data[:8192]
    for bom, codec in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            return head[2:len(head) - len(head) % 2].decode(codec, "replace").encode("utf-8", "replace")
    return head


_BINARY = bytes(b for b in range(32) if b not in b"\t\n\r\x0c\x1a")


def _looks_like_text(sample: bytes) -> bool:
    """No control bytes: text in some encoding (which one, `table_formats.decode_text` tells or asks)."""
    return bool(sample) and not any(b in _BINARY for b in sample)


def _zip_kind(data: bytes, name: str) -> str:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise LedgerFileError(
            f"“{name}”不完整或已损坏（文件结尾缺失），可能没有下载或复制完整。请重新获取文件后再导入。"
        ) from None
    names = set(zf.namelist())
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "xl/workbook.bin" in names:
        raise LedgerFileError(f"“{name}”是 Excel 二进制工作簿（.xlsb）。" + WHAT_TO_DO)
    if "content.xml" in names:
        mimetype = zf.read("mimetype")[:100] if "mimetype" in names else b""
        if b"spreadsheet" in mimetype or not mimetype:
            return "ods"
        raise LedgerFileError(f"“{name}”是 OpenDocument 文字或演示文稿，不是表格，无法导入。")
    if "word/document.xml" in names:
        raise LedgerFileError(f"“{name}”是 Word 文档，不是表格。请把台账做成 Excel 表格后再导入。")
    if "ppt/presentation.xml" in names:
        raise LedgerFileError(f"“{name}”是演示文稿（PPT），不是表格，无法导入。")
    raise LedgerFileError(f"“{name}”是一个压缩包，不是表格文件。请解压后选择其中的 .xlsx 表格。")


def _cfb_kind(data: bytes, name: str) -> str:
    # An encrypted xlsx (Excel/WPS "用密码进行加密") is an OLE compound file holding EncryptedPackage.
    if "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data:
        raise LedgerFileError(_encrypted(name))
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
        if len(data) > MAX_XLS_BYTES:
            raise LedgerFileError(
                f"“{name}”是旧版 .xls 文件，大小 {len(data) / 1024 / 1024:.0f} MB，超过上限。"
                "请拆分文件，或另存为 .xlsx 后再导入。"
            )
        return "xls"
    if "WordDocument".encode("utf-16-le") in data:
        raise LedgerFileError(f"“{name}”是旧版 Word 文档（.doc），不是表格，无法导入。")
    raise LedgerFileError(f"“{name}”是 Office 文件，但不是表格，无法导入。")


def _encrypted(name: str) -> str:
    return (f"“{name}”设置了打开密码（文件已加密），程序无法读取。请在 Excel 或 WPS 中用密码打开，"
            "取消加密（文件 → 信息 → 保护工作簿 → 用密码进行加密，清空密码）后保存，再导入。")


def _bomb(name: str, part: str) -> LedgerFileError:
    return LedgerFileError(
        f"“{name}”中的“{part}”解压后异常巨大（疑似“压缩炸弹”，或文件已损坏），为安全起见不予读取。"
        "请确认文件来源；如确为台账，请在表格软件中打开并另存为新的 .xlsx 后再导入。"
    )


def _check_zip(data: bytes, kind: str, notes: list[str]) -> bytes:
    """Size, ratio and XML checks on every part; returns the bytes to parse (trimmed when needed)."""
    zf = zipfile.ZipFile(io.BytesIO(data))
    infos = zf.infolist()
    name = "文件"
    if len(infos) > MAX_MEMBERS:
        raise LedgerFileError(f"该文件包含 {len(infos)} 个内部部件，远多于正常表格，为安全起见不予读取。")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise LedgerFileError(_encrypted(name))
        total += info.file_size
        if info.file_size > MAX_MEMBER_BYTES or total > MAX_TOTAL_BYTES:
            raise _bomb(name, info.filename)
        if info.file_size > BIG_MEMBER and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise _bomb(name, info.filename)
    replaced: dict[str, bytes] = {}
    strings = _SharedStrings(zf, name)
    inflated = 0
    for info in infos:
        lower = info.filename.lower()
        if not lower.endswith((".xml", ".rels")):
            continue
        part = _inflate(zf, info, name)
        inflated += len(part)
        if inflated > MAX_TOTAL_BYTES:
            raise _bomb(name, info.filename)
        if _DOCTYPE.search(part[:_prolog_end(part)]):
            raise LedgerFileError(
                f"文件中的“{info.filename}”含有 XML 文档类型声明（可引用外部实体），正常的表格文件不会有，"
                "为安全起见不予读取。请在表格软件中打开并另存为新的 .xlsx 后再导入。"
            )
        if kind == "xlsx" and lower.startswith("xl/worksheets/") and lower.count("/") == 2:
            fixed = _check_xlsx_sheet(part, notes, strings)
        elif kind == "ods" and lower == "content.xml":
            fixed = _check_ods_content(part, notes)
        else:
            fixed = None
        if fixed is not None:
            replaced[info.filename] = fixed
    if not replaced:
        return data
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
        for info in infos:
            body = replaced.get(info.filename)
            if body is None:
                body = _inflate(zf, info, name) if info.file_size else b""
            method = zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED
            new.writestr(info.filename, body, compress_type=method)
    return out.getvalue()


def _inflate(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> bytes:
    """A part's bytes, never more than it declares; a stream that would go on is a bomb."""
    chunks = []
    got = 0
    try:
        with zf.open(info) as f:
            while True:
                chunk = f.read(_CHUNK)
                if not chunk:
                    break
                got += len(chunk)
                if got > MAX_MEMBER_BYTES:
                    raise _bomb(name, info.filename)
                chunks.append(chunk)
            decompressor = getattr(f, "_decompressor", None)
            if decompressor is not None and hasattr(decompressor, "eof") and not decompressor.eof:
                raise _bomb(name, info.filename)  # more deflate data than the declared size
    except (zipfile.BadZipFile, EOFError, OSError, ValueError) as e:
        if isinstance(e, LedgerFileError):
            raise
        raise LedgerFileError(
            f"“{info.filename}”已损坏（{type(e).__name__}），文件可能没有下载或复制完整。请重新获取文件后再导入。"
        ) from None
    except NotImplementedError:
        raise LedgerFileError(f"文件使用了不支持的压缩方式（{info.filename}）。" + WHAT_TO_DO) from None
    return b"".join(chunks)


def _prolog_end(part: bytes) -> int:
    """Where the root element starts: a DOCTYPE can only come before it."""
    i = 0
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
            return len(part[: j + 64])  # a declaration: include it in what is searched
        else:
            return j
        if i <= j:
            return len(part)


def _row_count(sheet: bytes) -> int:
    return sheet.count(b"<row ") + sheet.count(b"<row>")


def _dimension(sheet: bytes) -> tuple[int, int] | None:
    """(rows, columns) the sheet says it spans, from <dimension ref="A1:AR20005"/>."""
    m = _DIMENSION.search(sheet, 0, 4096)
    if not m:
        return None
    return int(m.group(2)), _column_number(m.group(1))


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


class _SharedStrings:
    """Which shared-string indexes hold only blanks (a cell pointing at one is empty)."""

    def __init__(self, zf: zipfile.ZipFile, name: str):
        self._zf = zf
        self._name = name
        self._blank: set[int] | None = None

    def blank(self) -> set[int]:
        if self._blank is None:
            self._blank = set()
            try:
                info = self._zf.getinfo("xl/sharedStrings.xml")
            except KeyError:
                return self._blank
            data = _inflate(self._zf, info, self._name)
            for i, m in enumerate(_SI.finditer(data)):
                if not _TEXT.search(m.group(1) or b""):
                    self._blank.add(i)
        return self._blank


def _last_content(sheet: bytes, start: int, end: int, strings: _SharedStrings) -> tuple[int, int]:
    """(end offset of the last row holding a value, highest column holding one); (-1, 0) when none."""
    last = -1
    max_col = 0
    blank = None
    for m in _VALUE.finditer(sheet, start, end):
        if m.group(1) is not None:  # <v>…</v>: a blank shared string is no content
            cell = sheet.rfind(b"<c ", start, m.start())
            tag = sheet[cell:sheet.find(b">", cell)]
            if b't="s"' in tag:
                if blank is None:
                    blank = strings.blank()
                try:
                    if int(m.group(1)) in blank:
                        continue
                except ValueError:
                    pass
        else:
            cell = sheet.rfind(b"<c ", start, m.start())
            tag = sheet[cell:sheet.find(b">", cell)]
        ref = _REF.search(tag)
        if ref:
            max_col = max(max_col, _column_number(ref.group(1)))
        last = m.end()
    if last < 0:
        return -1, 0
    row_end = sheet.find(b"</row>", last, end)
    return (end if row_end < 0 else row_end + len(b"</row>")), max_col


def _check_xlsx_sheet(sheet: bytes, notes: list[str], strings: _SharedStrings) -> bytes | None:
    """None when the sheet is fine as it is; else a trimmed copy. Refuses sheets that are really too big."""
    dim = _dimension(sheet)
    wide = _WIDE_CELL.search(sheet) is not None
    # "<row" counts every row tag and a few others: when even that is small enough, one pass is all it takes.
    if sheet.count(b"<row") <= MAX_ROWS and not wide and (dim is None or dim[0] * dim[1] <= MAX_CELLS):
        return None
    rows = _row_count(sheet)
    if rows <= MAX_ROWS and not wide and (dim is None or dim[0] * dim[1] <= MAX_CELLS):
        return None
    data_start = sheet.find(b"<sheetData")
    data_end = sheet.find(b"</sheetData>")
    if data_start < 0 or data_end < 0:
        return None
    cut, max_col = _last_content(sheet, data_start, data_end, strings)
    if cut < 0:
        cut = sheet.find(b">", data_start) + 1  # nothing in it: keep an empty <sheetData>
    kept_rows = _row_count(sheet[data_start:cut])
    if kept_rows > MAX_ROWS or kept_rows * max_col > MAX_CELLS:
        raise LedgerFileError(
            f"工作表有 {kept_rows} 行、{max_col} 列内容，超过了一次导入的上限（{MAX_ROWS} 行）。"
            "请把表格拆分成几个文件后分别导入。"
        )
    if max_col > MAX_COLS:
        raise LedgerFileError(
            f"工作表在第 {MAX_COLS} 列以后还有内容，台账不会有这么多列。请删除多余的列（或把台账复制到新表格）后再导入。"
        )
    trimmed = sheet[:cut] + sheet[data_end:]
    trimmed = _DIMENSION.sub(b"", trimmed, count=1)
    if _WIDE_CELL.search(trimmed):
        trimmed = _WIDE_CELL_ELEMENT.sub(b"", trimmed)
        notes.append(f"忽略了第 {MAX_COLS} 列以后的空白单元格。")
    dropped = rows - kept_rows
    if dropped > 0:
        notes.append(f"忽略了表格末尾的 {dropped} 个空白行。")
    return trimmed


def _check_ods_content(content: bytes, notes: list[str]) -> bytes | None:
    """Rows or cells repeated a huge number of times must be empty: then they are repeated once."""
    changed = False
    out = content
    for pattern, closing, _what in (
        (_ODS_ROW_REPEAT, b"</table:table-row>", "行"),
        (_ODS_COL_REPEAT, None, "列"),
    ):
        pieces = []
        pos = 0
        for m in pattern.finditer(out):
            count = int(m.group(1))
            if count <= REPEAT_LIMIT:
                continue
            start = out.rfind(b"<", 0, m.start())
            if closing is not None:
                end = out.find(closing, m.end())
                element = out[start:end if end >= 0 else len(out)]
            else:
                tag_end = out.find(b">", m.end())
                self_closing = out[tag_end - 1:tag_end] == b"/"
                end = tag_end if self_closing else out.find(b"</table:table-cell>", m.end())
                element = out[start:end if end >= 0 else len(out)]
            if _ODS_CONTENT.search(element):
                if closing is not None:
                    raise LedgerFileError(
                        f"工作表中有一行内容被重复了 {count} 次，超过了一次导入的上限。请检查表格后再导入。")
                continue
            pieces.append(out[pos:m.start(1)])
            pieces.append(b"1")
            pos = m.end(1)
            changed = True
            if closing is not None:
                notes.append(f"忽略了表格中的 {count - 1} 个空白行。")
        pieces.append(out[pos:])
        out = b"".join(pieces)
    return out if changed else None


def _parse(data: bytes, kind: str, name: str, notes: list[str]) -> list[SheetData]:
    import python_calamine as pc

    try:
        wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except pc.PasswordError:
        raise LedgerFileError(_encrypted(name)) from None
    except (pc.CalamineError, ValueError, OSError) as e:
        raise LedgerFileError(_unreadable(name, e)) from None
    sheets = []
    try:
        for meta in wb.sheets_metadata:
            if str(meta.typ) != str(pc.SheetTypeEnum.WorkSheet):
                continue
            if str(meta.visible) != str(pc.SheetVisibleEnum.Visible):
                notes.append(f"跳过了隐藏的工作表“{meta.name}”。")
                continue
            try:
                sheet = wb.get_sheet_by_name(meta.name)
            except pc.PasswordError:
                raise LedgerFileError(_encrypted(name)) from None
            except (pc.CalamineError, ValueError) as e:
                raise LedgerFileError(_unreadable(name, e, meta.name)) from None
            if sheet.height > MAX_ROWS + 1000 or sheet.width > MAX_COLS * 4:
                raise LedgerFileError(
                    f"工作表“{meta.name}”有 {sheet.height} 行、{sheet.width} 列，超过了一次导入的上限"
                    f"（{MAX_ROWS} 行）。请把表格拆分成几个文件后分别导入。"
                )
            rows = sheet.to_python(skip_empty_area=False)
            rows = _trim(rows)
            merged = sheet.merged_cell_ranges or []
            sheets.append(SheetData(meta.name, rows, list(merged)))
    finally:
        wb.close()
    return sheets


def _unreadable(name: str, error: Exception, sheet: str | None = None) -> str:
    where = f"的工作表“{sheet}”" if sheet else ""
    text = str(error)
    if "password" in text.lower() or "encrypt" in text.lower():
        return _encrypted(name)
    return f"无法读取“{name}”{where}：文件已损坏或格式不正确。" + WHAT_TO_DO


def _trim(rows: list[list]) -> list[list]:
    """Drop empty rows at the end and empty columns on the right."""
    end = len(rows)
    while end and not any(_filled(v) for v in rows[end - 1]):
        end -= 1
    rows = rows[:end]
    width = 0
    for row in rows:
        for i in range(len(row) - 1, width - 1, -1):
            if _filled(row[i]):
                width = i + 1
                break
    if width and rows and len(rows[0]) > width:
        rows = [r[:width] for r in rows]
    return rows


def _filled(value) -> bool:
    if value is None:
        return False
    if value.__class__ is str:
        return bool(value) and not value.isspace()
    return True
