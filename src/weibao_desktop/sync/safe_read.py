"""Reading a spreadsheet someone sent, without trusting it.

Files arrive by USB stick, e-mail and chat from many programs (Excel, WPS, LibreOffice, web systems
that save HTML or SpreadsheetML 2003 as ".xls", CSV in GB18030 or UTF-8). CSV, HTML and SpreadsheetML
are read by `table_formats` with bounds of their own; for workbooks, before python-calamine parses anything
this module:

- reads the file once (bounded size) and hashes it, so what is checked is what is parsed;
- tells apart xlsx / xls / ods from things that only look like them (an encrypted xlsx is an OLE
  container, a web-page ".xls" is HTML, a truncated download is a zip without its directory);
- decrypts an encrypted xlsx in memory with the password the caller passes (`office_crypto`: the
  container and key derivation are bounded first), then checks the decrypted zip like any other;
- refuses decompression bombs: declared member sizes and ratios are checked first, then every XML
  part is inflated with the real byte count capped, and a deflate stream longer than declared is refused;
- refuses XML with a document type declaration (external entities, entity expansion), in any encoding;
- trims the classic "1,000,000 empty rows" (an empty string copied down a whole column, which would
  make the parser allocate a cell for each), or refuses when what remains is still too big.

These checks apply to every part by what it holds, never by its name: a worksheet can be stored at
any path the workbook's relationships name (xl/ws.xml, xl/worksheets/sub/sheet1.xml, a name without
".xml"), so every part is inflated within the limits, searched for a DOCTYPE and, when it holds cells,
bounded (rows, columns, the rectangle the parser allocates) before python-calamine sees it. Names
that climb out of the package ("../") and relationships that point outside it are refused. Exchange
packages go through the same reader with their own, larger limits (`limits.PACKAGE`).

Every refusal is a `LedgerFileError` with a Chinese message that says what is wrong and what to do.
"""
from __future__ import annotations

import hashlib
import io
import re
import stat
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from . import office_crypto
from .limits import LEDGER, SPLIT, LedgerFileError, Limits, over_limit
from .parts import check_names, sheet_parts
from .xml_guard import Bounds, check_bounds, check_ods, check_prolog, check_strings, check_text, sheet_bounds

MAX_FILE_BYTES = LEDGER.file_bytes
MAX_XLS_BYTES = 64 * 1024 * 1024  # BIFF has no compression: its size bounds its cells
MAX_MEMBER_BYTES = LEDGER.member_bytes
MAX_TOTAL_BYTES = LEDGER.total_bytes
MAX_RATIO = LEDGER.ratio
BIG_MEMBER = LEDGER.big_member
MAX_MEMBERS = LEDGER.members
MAX_ROWS = LEDGER.rows
MAX_COLS = LEDGER.cols
MAX_CELLS = LEDGER.cells
REPEAT_LIMIT = 1000  # an ODS row or cell repeated more often than this must be empty

_CHUNK = 1024 * 1024
_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_WIDE_CELL = re.compile(rb'<c r="(?:[D-Z][A-Z]|[A-Z]{3})\d')
# A cell value: <v>…</v> (number, or index of a shared string) or inline text that is not blank.
_VALUE = re.compile(rb"<v>([^<]+)</v>|<t(?:\s[^>]*)?>\s*[^<\s]")
_TEXT = re.compile(rb"<t(?:\s[^>]*)?>\s*[^<\s]")
_SI = re.compile(rb"<si>(.*?)</si>|<si/>", re.DOTALL)
_REF = re.compile(rb'\br="([A-Z]+)\d+"')
_DIMENSION_ELEMENT = re.compile(
    rb"<(?:[\w.\-]+:)?dimension\b[^>]*/>|<(?:[\w.\-]+:)?dimension\b[^>]*>\s*</(?:[\w.\-]+:)?dimension\s*>")
_WIDE_CELL_ELEMENT = re.compile(rb'<c r="(?:[D-Z][A-Z]|[A-Z]{3})\d+"[^>]*?(?:/>|>.*?</c>)', re.DOTALL)
_ODS_ROW_REPEAT = re.compile(rb'table:number-rows-repeated="(\d{1,9})"')
_ODS_COL_REPEAT = re.compile(rb'table:number-columns-repeated="(\d{1,9})"')
_ODS_CONTENT = re.compile(rb"<text:p[^>]*>\s*[^<\s]|office:value=\"|office:date-value=|office:boolean-value=")

WHAT_TO_DO = "请在 Excel、WPS 或 LibreOffice 中打开该文件，确认内容无误后“另存为” .xlsx 格式，再导入。"


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
    encrypted: bool = False  # the file had an open password (and was decrypted with the one given)


TABLE_FORMATS = ("csv", "html", "xml2003")  # read by sync.table_formats, not by python-calamine


def read_workbook(path: str | Path, encoding: str | None = None, password: str | None = None) -> WorkbookData:
    """Every visible sheet's cells, after the checks above. Raises LedgerFileError.

    `encoding` is the user's choice for a text file (CSV, HTML) whose encoding could not be told; `password`
    opens an encrypted workbook (office_crypto.PasswordNeeded without it, WrongPassword when it does not fit)."""
    book = read_checked(path, LEDGER, password)
    if book.format in TABLE_FORMATS:
        from .table_formats import read_table_format

        notes = list(book.notes)
        sheets = [SheetData(s.name, _trim(s.rows), s.merged)
                  for s in read_table_format(book.format, book.data, book.file_name, notes, encoding)]
        return WorkbookData(book.file_name, book.sha256, book.size, book.format, sheets, notes)
    sheets = parse_sheets(book, hidden=False)
    return WorkbookData(book.file_name, book.sha256, book.size, book.format, sheets, book.notes, book.encrypted)


@dataclass
class CheckedFile:
    """A file's bytes after every check: safe to hand to the parser."""

    file_name: str
    sha256: str  # of the file as it was read (before any trimming)
    size: int
    format: str  # xlsx, xls, ods, or one of TABLE_FORMATS
    data: bytes  # decrypted when the file was encrypted
    notes: list[str] = field(default_factory=list)
    encrypted: bool = False


_PASSWORD_HINT = "在程序中导入时会要求输入密码；用命令行导入时请用 --ledger-password-file 指定存放密码的文件。"


def read_checked(path: str | Path, limits: Limits = LEDGER, password: str | None = None) -> CheckedFile:
    """Read a spreadsheet within `limits` and check every part of it; LedgerFileError when it cannot be read.

    An encrypted workbook is decrypted in memory with `password` (never written to disk) and then checked like
    any other; its sha256 stays that of the file as it lies on disk (what "the same file again" compares)."""
    path = Path(path)
    data = _read_bytes(path, limits)
    digest = hashlib.sha256(data).hexdigest()
    encrypted = office_crypto.is_encrypted_data(data)
    if encrypted:
        hint = _PASSWORD_HINT if limits.what == LEDGER.what else ""
        data = office_crypto.decrypt_bytes(data, password, path.name, hint)
        if not data.startswith(b"PK"):
            raise LedgerFileError(f"“{path.name}”解密后不是 Excel 工作簿（.xlsx），无法读取。" + WHAT_TO_DO)
    if data.startswith(b"PK"):
        try:
            _check_sizes(zipfile.ZipFile(io.BytesIO(data)).infolist(), limits, path.name)
        except (zipfile.BadZipFile, ValueError, OSError):
            pass  # sniff() says what is wrong with it
    kind = sniff(data, path.name)
    notes: list[str] = []
    if kind in ("xlsx", "ods"):
        data = _check_zip(data, kind, notes, limits, path.name)
    return CheckedFile(path.name, digest, len(data), kind, data, notes, encrypted)


def file_sha256(path: str | Path) -> str:
    return hashlib.sha256(_read_bytes(Path(path), LEDGER)).hexdigest()


def _read_bytes(path: Path, limits: Limits) -> bytes:
    """The file's bytes, never more than the limit: its size is checked before it is read, and again while reading."""
    try:
        st = path.stat()
    except FileNotFoundError:
        raise LedgerFileError(f"找不到文件“{path.name}”，请确认文件还在原来的位置。") from None
    except OSError as e:
        raise LedgerFileError(f"无法读取文件“{path.name}”（{e.strerror or e}）。") from None
    if stat.S_ISDIR(st.st_mode):
        raise LedgerFileError(f"“{path.name}”是一个文件夹，请选择其中的表格文件。")
    if not stat.S_ISREG(st.st_mode):
        raise LedgerFileError(f"“{path.name}”不是普通文件（可能是设备或管道），请选择表格文件。")
    if st.st_size == 0:
        raise LedgerFileError(f"文件“{path.name}”是空的（0 字节），可能没有保存或复制完整。请重新获取文件。")
    if st.st_size > limits.file_bytes:
        raise _too_big(path.name, st.st_size, limits)
    try:
        with path.open("rb") as f:
            data = f.read(limits.file_bytes + 1)
    except OSError as e:
        raise LedgerFileError(f"无法读取文件“{path.name}”（{e.strerror or e}）。") from None
    if len(data) > limits.file_bytes:  # grew after it was measured
        raise _too_big(path.name, len(data), limits)
    return data


def _too_big(name: str, size: int, limits: Limits) -> LedgerFileError:
    return over_limit(f"文件“{name}”的大小", f"{size / 1024 / 1024:.0f}", limits.file_bytes // 1024 // 1024, " MB",
                      f"一次导入的{limits.what}不能超过这个大小，请拆分后分别导入。")


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
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError):
        raise LedgerFileError(
            f"“{name}”不完整或已损坏（文件结尾缺失），可能没有下载或复制完整。请重新获取文件后再导入。"
        ) from None
    names = set(zf.namelist())
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "xl/workbook.bin" in names:
        raise LedgerFileError(f"“{name}”是 Excel 二进制工作簿（.xlsb）。" + WHAT_TO_DO)
    if "content.xml" in names:
        info = zf.getinfo("mimetype") if "mimetype" in names else None
        mimetype = _inflate(zf, info, name)[:100] if info is not None and info.file_size < 1000 else b""
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
        raise office_crypto.password_needed(name, _PASSWORD_HINT)
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
        f"“{name}”中的“{part}”解压后异常巨大，疑似恶意文件（“压缩炸弹”）或文件已损坏，为安全起见不予读取。"
        "请确认文件来源；如确为台账，请在表格软件中打开并另存为新的 .xlsx 后再导入。"
    )


def _check_sizes(infos: list[zipfile.ZipInfo], limits: Limits, name: str) -> None:
    """What the zip declares, before anything is inflated or decrypted."""
    if len(infos) > limits.members:
        raise over_limit("文件内部部件的个数", len(infos), limits.members, " 个", "正常的表格不会有这么多部件，为安全起见不予读取。")
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > limits.member_bytes or total > limits.total_bytes:
            raise _bomb(name, info.filename)
        if info.file_size > limits.big_member and info.file_size > limits.ratio * max(info.compress_size, 1):
            raise _bomb(name, info.filename)


def _check_zip(data: bytes, kind: str, notes: list[str], limits: Limits = LEDGER, name: str = "文件") -> bytes:
    """Size, ratio and content checks on every part; returns the bytes to parse (trimmed when needed)."""
    zf = zipfile.ZipFile(io.BytesIO(data))
    infos = zf.infolist()
    _check_sizes(infos, limits, name)
    check_names(infos, name)
    for info in infos:
        if info.flag_bits & 0x1:
            raise LedgerFileError(_encrypted(name))

    def read(info: zipfile.ZipInfo) -> bytes:
        return _inflate(zf, info, name, limits)

    sheets, string_parts = sheet_parts(zf, name, read) if kind == "xlsx" else (set(), set())
    replaced: dict[str, bytes] = {}
    strings = _SharedStrings(zf, name, limits, string_parts)
    inflated = 0
    for info in infos:
        part = read(info)
        inflated += len(part)
        if inflated > limits.total_bytes:
            raise _bomb(name, info.filename)
        check_prolog(part, info.filename)
        check_text(part, info.filename, limits)
        if info.filename in string_parts or b"<sst" in part[:4096] or b":sst" in part[:4096]:
            check_strings(part, info.filename, limits)
        fixed = None
        if kind == "xlsx" and (info.filename in sheets or b"sheetData" in part):
            fixed = _check_xlsx_sheet(part, notes, strings, limits, info.filename)
        elif kind == "ods" and (info.filename == "content.xml" or b"table-row" in part):
            fixed = _check_ods_content(part, notes)
            check_ods(part if fixed is None else fixed, limits)
        if fixed is not None:
            replaced[info.filename] = fixed
        del part
    if not replaced:
        return data
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
        for info in infos:
            body = replaced.get(info.filename)
            if body is None:
                body = read(info) if info.file_size else b""
            method = zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED
            new.writestr(info.filename, body, compress_type=method)
    return out.getvalue()


def _inflate(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, limits: Limits = LEDGER) -> bytes:
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
                if got > limits.member_bytes or got > info.file_size:
                    raise _bomb(name, info.filename)
                chunks.append(chunk)
            decompressor = getattr(f, "_decompressor", None)
            if decompressor is not None and hasattr(decompressor, "eof") and not decompressor.eof:
                raise _bomb(name, info.filename)  # more deflate data than the declared size
    except LedgerFileError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, RuntimeError) as e:
        raise LedgerFileError(
            f"“{info.filename}”已损坏（{type(e).__name__}），文件可能没有下载或复制完整。请重新获取文件后再导入。"
        ) from None
    except NotImplementedError:
        raise LedgerFileError(f"文件使用了不支持的压缩方式（{info.filename}）。" + WHAT_TO_DO) from None
    return b"".join(chunks)


def _row_count(sheet: bytes) -> int:
    return sheet.count(b"<row ") + sheet.count(b"<row>")


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


class _SharedStrings:
    """Which shared-string indexes hold only blanks (a cell pointing at one is empty)."""

    def __init__(self, zf: zipfile.ZipFile, name: str, limits: Limits, parts: set[str]):
        self._zf = zf
        self._name = name
        self._limits = limits
        self._parts = sorted(parts) or ["xl/sharedStrings.xml"]
        self._blank: set[int] | None = None

    def blank(self) -> set[int]:
        if self._blank is None:
            self._blank = set()
            try:
                info = self._zf.getinfo(self._parts[0])
            except KeyError:
                return self._blank
            data = _inflate(self._zf, info, self._name, self._limits)
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


def _check_xlsx_sheet(sheet: bytes, notes: list[str], strings: _SharedStrings, limits: Limits = LEDGER,
                      part: str = "工作表") -> bytes | None:
    """None when the sheet is fine as it is; else a trimmed copy. Refuses sheets that are really too big."""
    bounds = sheet_bounds(sheet, limits)
    rows = _row_count(sheet)
    if _within(bounds, limits) and rows <= limits.rows:
        if bounds.dimension and not _within(Bounds(*bounds.dimension, 0, None), limits):
            return _DIMENSION_ELEMENT.sub(b"", sheet, count=1)  # declares a rectangle far larger than its cells
        return None
    # Over a limit: perhaps only because of blank cells copied down or across (then they are cut off).
    data_start = sheet.find(b"<sheetData")
    data_end = sheet.find(b"</sheetData>")
    if data_start < 0 or data_end < 0:
        check_bounds(bounds, limits, part)
        return None
    cut, max_col = _last_content(sheet, data_start, data_end, strings)
    if cut < 0:
        cut = sheet.find(b">", data_start) + 1  # nothing in it: keep an empty <sheetData>
    kept_rows = _row_count(sheet[data_start:cut])
    if kept_rows > limits.rows or kept_rows * max_col > limits.cells:
        raise over_limit(f"工作表“{part}”中有内容的区域（{kept_rows} 行 × {max_col} 列）", kept_rows * max_col,
                         limits.cells, " 个单元格", SPLIT)
    if max_col > limits.cols:
        raise LedgerFileError(
            f"工作表在第 {limits.cols} 列以后还有内容，台账不会有这么多列。请删除多余的列（或把台账复制到新表格）后再导入。"
        )
    trimmed = sheet[:cut] + sheet[data_end:]
    trimmed = _DIMENSION_ELEMENT.sub(b"", trimmed, count=1)
    if _WIDE_CELL.search(trimmed):
        trimmed = _WIDE_CELL_ELEMENT.sub(b"", trimmed)
        notes.append(f"忽略了第 {limits.cols} 列以后的空白单元格。")
    check_bounds(sheet_bounds(trimmed, limits), limits, part)
    dropped = rows - kept_rows
    if dropped > 0:
        notes.append(f"忽略了表格末尾的 {dropped} 个空白行。")
    return trimmed


def _within(bounds: Bounds, limits: Limits) -> bool:
    return (bounds.rows <= limits.rows and bounds.cols <= limits.cols and bounds.cells <= limits.cells
            and bounds.rows * bounds.cols <= limits.cells)


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


def parse_sheets(book: CheckedFile, *, hidden: bool, limits: Limits = LEDGER, as_written: bool = False
                 ) -> list[SheetData]:
    """The worksheets' cells. `hidden`: include hidden sheets (an exchange package's machine sheets);
    `as_written`: rows as the parser gives them (leading blank rows skipped, nothing trimmed)."""
    import python_calamine as pc

    name = book.file_name
    try:
        wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(book.data))
    except pc.PasswordError:
        raise LedgerFileError(_encrypted(name)) from None
    except (pc.CalamineError, ValueError, OSError) as e:
        raise LedgerFileError(_unreadable(name, e)) from None
    sheets = []
    try:
        for meta in wb.sheets_metadata:
            if str(meta.typ) != str(pc.SheetTypeEnum.WorkSheet):
                continue
            if not hidden and str(meta.visible) != str(pc.SheetVisibleEnum.Visible):
                book.notes.append(f"跳过了隐藏的工作表“{meta.name}”。")
                continue
            try:
                sheet = wb.get_sheet_by_name(meta.name)
            except pc.PasswordError:
                raise LedgerFileError(_encrypted(name)) from None
            except (pc.CalamineError, ValueError) as e:
                raise LedgerFileError(_unreadable(name, e, meta.name)) from None
            if sheet.height > limits.rows + 1000 or sheet.width > limits.cols * 4:
                raise over_limit(f"工作表“{meta.name}”的大小（{sheet.height} 行、{sheet.width} 列）", sheet.height,
                                 limits.rows, " 行", SPLIT)
            try:
                rows = sheet.to_python() if as_written else _trim(sheet.to_python(skip_empty_area=False))
            except BaseException as e:
                # The parser panics (PanicException, a BaseException) on a date serial beyond any calendar.
                if not isinstance(e, (pc.CalamineError, ValueError, OverflowError)) and not _panic(e):
                    raise
                # A date or time no calendar has (year 10000, a serial number of 10**20): Python cannot hold it.
                raise LedgerFileError(
                    f"“{name}”的工作表“{meta.name}”中有无法识别的日期或时间（{type(e).__name__}），"
                    "请检查日期列后另存为新的 .xlsx 再导入。") from None
            merged = sheet.merged_cell_ranges or []
            sheets.append(SheetData(meta.name, rows, list(merged)))
    finally:
        wb.close()
    return sheets


def _panic(error: BaseException) -> bool:
    return type(error).__name__ == "PanicException"


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
