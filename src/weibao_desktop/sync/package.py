"""The exchange package: one .xlsx that is a readable ledger and a machine-exact copy.

Each record type has a sheet with Chinese headers a clerk can read and correct, plus machine columns
(记录编号 = uuid, 版本 = rev, 校验码 = checksum of the row's canonical content). A hidden, protected
`_meta` sheet says who sent it to whom, its sequence number, what the sender had received (the
acknowledgement) and a checksum over the machine part; a hidden `_rows` sheet holds every row's
canonical content exactly as the sender's store had it. Cells corrected by hand change what the
visible row says but not the machine copy: the difference is read as a correction made on the
sender's side, on top of the sender's true state. Rows deleted or added by hand are detected
against `_rows`.
"""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from ..domain.codes import (
    CHILD_STATUS,
    CLOSE_REASON,
    CLUE_STATE,
    GUARDIANSHIP_RESULT,
    RISK_COLOUR,
    CodeTable,
    split_codes,
)
from ..domain.errors import WeibaoError
from ..domain.fields import FieldSpec, clean_value, spec_of, to_text
from ..models.private_tmp import PrivateTemp
from . import package_check as check
from . import signing
from .limits import PACKAGE
from .records import BY_SHEET, ENTITIES, EntitySpec, checksum, kind, label
from .safe_read import TABLE_FORMATS, parse_sheets, read_checked
from .xlsx_style import LedgerBook, SheetColumn, clean_text

FORMAT = "weibao-exchange"
FORMAT_VERSION = 1
META_SHEET = "_meta"
ROWS_SHEET = "_rows"
UUID_H, REV_H, SUM_H, ORIGIN_H, CREATED_H, CREATOR_H = "记录编号", "版本", "校验码", "来源单位", "创建时间", "创建人"
MACHINE = (UUID_H, REV_H, SUM_H, ORIGIN_H, CREATED_H, CREATOR_H)
CHILD_NAME_H, CHILD_ID_H = "儿童姓名", "儿童身份证号"  # for reading and for matching rows added by hand
VILLAGE_H = "所属村(社区)"  # the village's name beside its code, so the receiver can name it

_CODE_FIELDS = {("child", "status"): CHILD_STATUS, ("child", "closed_reason"): CLOSE_REASON,
                ("report_clue", "state"): CLUE_STATE}


@dataclass
class Meta:
    sender_code: str
    sender_name: str
    sender_role: str  # "township" or "county"
    county: str | None
    receiver_code: str
    receiver_name: str
    seq: int
    based_on: int  # the sender's newest package the receiver had acknowledged; 0 = everything (full)
    ack: int  # the receiver's newest package the sender has applied
    missing: list[str]  # uuids the sender asks to be sent again (rows that went missing on the way)
    declined: list  # [uuid, field, seq]: fields of the receiver's packages the sender holds in conflict
    full: bool
    created_at: str
    created_by: str
    schema: str
    program: str = __version__
    counts: dict[str, int] = field(default_factory=dict)
    signer: str | None = None  # the key id of the sender's signing key
    signature: str | None = None  # Ed25519 over `signing.canonical` of _meta and _rows

    def as_dict(self) -> dict:
        return {"format": FORMAT, "format_version": FORMAT_VERSION, **self.__dict__}


@dataclass
class PackageRow:
    sheet: str
    row: int  # 1-based row number in the sheet, as a spreadsheet program shows it
    uuid: str | None
    rev: int | None
    written_sum: str | None
    origin: str | None
    created_at: dt.datetime | None
    created_by: str | None
    content: dict  # what the visible row says now
    original: dict | None = None  # the sender's content as written (None for a row added by hand)
    child_id_number: str | None = None
    village_name: str | None = None
    hand_edited: bool = False  # the visible row no longer says what the sender wrote
    deleted: bool = False  # the visible row was deleted by hand: this is the sender's signed copy of it


@dataclass
class Package:
    meta: Meta
    rows: dict[str, list[PackageRow]]  # entity name -> rows in sheet order
    missing_rows: list[tuple[str, str]]  # (entity, uuid) listed in _rows but not found in the sheet
    added_rows: int
    file_hash: str
    signed: bytes = b""  # the canonical content the signature covers
    deleted_rows: list[PackageRow] = field(default_factory=list)  # signed rows deleted from the sheets by hand


@dataclass
class OutRecord:
    uuid: str
    rev: int
    origin: str
    created_at: dt.datetime
    created_by: str
    content: dict
    child_name: str | None = None
    child_id_number: str | None = None
    village_name: str | None = None


def write_package(path: Path, meta: Meta, records: dict[str, list[OutRecord]], title: str,
                  temp: PrivateTemp | None = None, signer: signing.Signer | None = None) -> None:
    """Write the workbook: one ledger-formatted sheet per record type, then the hidden machine sheets,
    signed by `signer` (the sender station's key)."""
    book = LedgerBook(temp)
    listing: list[list] = []
    for spec in ENTITIES:
        recs = records.get(spec.name, [])
        meta.counts[spec.name] = len(recs)
        _write_sheet(book, spec, recs, f"{title}　{spec.sheet}", meta)
        listing += [[spec.sheet, r.uuid, r.rev, checksum(r.content), *_json_cells(r.content)] for r in recs]
    if signer is not None:
        meta.signer = signer.key_id  # part of what is signed
    meta_dict = meta.as_dict()
    meta_dict.pop("signature", None)
    if signer is not None:
        meta_dict["signature"] = meta.signature = signer.sign(signing.canonical(meta_dict, listing))
    meta_dict["checksum"] = _whole_checksum(meta_dict, listing)
    ws = book.wb.create_sheet(META_SHEET)
    ws.sheet_state = "hidden"
    ws.protection.sheet = True
    for key, value in meta_dict.items():
        ws.append([key, json.dumps(value, ensure_ascii=False)])
    ws = book.wb.create_sheet(ROWS_SHEET)
    ws.sheet_state = "hidden"
    ws.protection.sheet = True
    for line in listing:
        ws.append(line)
    book.save(path)  # written aside, then renamed: never half a package where a user would pick it up


def _write_sheet(book: LedgerBook, spec: EntitySpec, recs: list[OutRecord], title: str, meta: Meta) -> None:
    refs = {r.key for r in spec.refs}
    human = [k for k in spec.content_keys if k not in refs and k != "deleted_at"]
    info = [CHILD_NAME_H, CHILD_ID_H] if "child_uuid" in refs else []
    columns = [SheetColumn(CHILD_NAME_H), SheetColumn(CHILD_ID_H, kind="id")][: len(info)]
    village = spec.name == "child" or spec.by_station
    if village:
        columns.append(SheetColumn(VILLAGE_H))
    columns += [_column(spec.name, k) for k in human]
    columns += [SheetColumn(label(spec.name, "deleted_at"), kind="datetime")]
    columns += [SheetColumn(r.label, width=38) for r in spec.refs]
    columns += [SheetColumn(UUID_H, width=38), SheetColumn(REV_H, kind="int", width=6), SheetColumn(SUM_H, width=18),
                SheetColumn(ORIGIN_H, kind="id", width=14), SheetColumn(CREATED_H, kind="datetime"),
                SheetColumn(CREATOR_H)]
    rows = [
        ([r.child_name, r.child_id_number] if info else []) + ([r.village_name] if village else [])
        + [_cell_value(spec.name, k, r.content) for k in human]
        + [_parse_dt(r.content.get("deleted_at"))] + [r.content.get(ref.key) for ref in spec.refs]
        + [r.uuid, r.rev, checksum(r.content), r.origin, r.created_at.replace(microsecond=0), r.created_by]
        for r in recs
    ]
    sheet = book.add_sheet(
        spec.sheet, title=title, unit=meta.sender_name, date=meta.created_at[:10], columns=columns,
        sample=rows[:200], freeze_cols=1 + len(info) // 2,
        extra_line=f"接收单位：{meta.receiver_name}　数据包第{meta.seq}号（{'完整' if meta.full else '增量'}）　"
                   f"生成时间：{meta.created_at}　请勿修改“{UUID_H}”及其右侧各列；新增的行请留空这些列",
    )
    for row in rows:
        sheet.append(row)
    sheet.close(filled_by=meta.created_by)


def _column(entity: str, key: str) -> SheetColumn:
    k = kind(entity, key)
    header = label(entity, key)
    table = None if (entity, key) == ("assessment", "result") else _code_table(entity, key, {})
    if k == "bool":
        return SheetColumn(header, choices=("是", "否"))
    if table is not None:
        return SheetColumn(header, choices=tuple(table.labels()), multi=k == "codes")
    return SheetColumn(header, kind={"longtext": "longtext", "date": "date", "datetime": "datetime",
                                     "id_number": "id", "phone": "phone"}.get(k, "text"))


def _code_table(entity: str, key: str, content: dict) -> CodeTable | None:
    if (entity, key) in _CODE_FIELDS:
        return _CODE_FIELDS[(entity, key)]
    if entity == "assessment" and key == "result":
        return {"risk": RISK_COLOUR, "guardianship": GUARDIANSHIP_RESULT}.get(str(content.get("kind")))
    spec = spec_of(entity, key)
    return spec.table if spec and spec.kind in ("code", "codes") else None


def _cell_value(entity: str, key: str, content: dict):
    """A content value as the clerk should see it: labels for codes, real dates, 是/否."""
    text = content.get(key)
    return None if text is None else _renderer(entity, key)(text, content)


@functools.cache
def _renderer(entity: str, key: str):
    """How one column's content text is shown in its cell (worked out once per column)."""
    if key == "deleted_at":
        return lambda text, content: _parse_dt(text)
    if entity == "assessment" and key == "result":
        def result(text, content):
            table = _code_table(entity, key, content)
            return table.label_of(text) if table else text
        return result
    k = kind(entity, key)
    table = _code_table(entity, key, {})
    if k == "codes" and table:
        return lambda text, content: "、".join(table.label_of(c) for c in split_codes(text))
    if table is not None:
        return lambda text, content: table.label_of(text)
    if k == "date":
        return lambda text, content: dt.date.fromisoformat(text)
    if k == "datetime":
        return lambda text, content: _parse_dt(text)
    if k == "bool":
        return lambda text, content: "是" if text == "1" else "否"
    return lambda text, content: text


def _parse_dt(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


_CELL = 30000  # under a spreadsheet cell's 32,767-character limit


def _json_cells(content: dict) -> list[str]:
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return [text[i:i + _CELL] for i in range(0, len(text), _CELL)] or [""]


def _whole_checksum(meta: dict, listing: list[list]) -> str:
    h = hashlib.sha256()
    h.update(json.dumps({k: v for k, v in meta.items() if k != "checksum"}, ensure_ascii=False,
                        sort_keys=True).encode("utf-8"))
    for line in listing:
        h.update(("\t".join(str(x) for x in line) + "\n").encode("utf-8"))
    return h.hexdigest()


def read_package(path: Path, password: str | None = None) -> Package:
    """Read and verify a package; WeibaoError (in Chinese, with sheet/row/column) when it cannot be used.

    The file goes through the same checks as a ledger (`safe_read`), with the package's limits; an encrypted
    package is decrypted in memory with `password` (office_crypto.PasswordNeeded / WrongPassword otherwise)."""
    path = Path(path)
    book = read_checked(path, PACKAGE, password)
    if book.format in TABLE_FORMATS:
        raise WeibaoError(f"“{path.name}”不是 Excel 工作簿（是文本、CSV 或网页文件）；交换数据包必须是程序生成的 .xlsx 文件")
    if book.format != "xlsx":
        raise WeibaoError(f"“{path.name}”是加密或旧格式（.{book.format}）的文件；交换数据包必须是程序生成的 .xlsx 文件")
    sheets = {s.name: s.rows for s in parse_sheets(book, hidden=True, limits=PACKAGE, as_written=True)}
    if META_SHEET not in sheets or ROWS_SHEET not in sheets:
        raise WeibaoError(f"“{path.name}”不是交换数据包（缺少 {META_SHEET} 工作表）。普通台账请用“台账导入”。")
    meta_dict = check.read_meta(sheets[META_SHEET])
    if meta_dict.get("format") != FORMAT:
        raise WeibaoError(f"“{path.name}”不是交换数据包")
    if meta_dict.get("format_version") != FORMAT_VERSION:
        shown = str(meta_dict.get("format_version"))[:20]
        raise WeibaoError(f"数据包格式版本为{shown}，本程序只能读取第{FORMAT_VERSION}版；请升级程序")
    listing = check.read_listing(sheets[ROWS_SHEET])
    if _whole_checksum(meta_dict, listing) != meta_dict.get("checksum"):
        raise WeibaoError("数据包校验失败：隐藏的校验信息与内容不符（文件被改动或损坏），未导入任何数据。请对方重新生成并发送。")
    check.check_meta(meta_dict)
    signed = signing.canonical(meta_dict, listing)
    meta = Meta(**{k: meta_dict[k] for k in Meta.__dataclass_fields__ if k in meta_dict})
    try:
        return _read_content(path, book, sheets, meta, listing, signed)
    except WeibaoError as e:
        sender = str(meta.program)[:20]
        if sender == __version__:
            raise
        # A package from another version of the program: its columns may differ from ours (the usual cause).
        raise WeibaoError(f"{e}\n\n这个数据包由未保工作站 {sender} 生成，本程序是 {__version__}。县里和乡镇请升级到同一"
                          f"版本后，由对方重新生成数据包。", e.field) from None


def _read_content(path: Path, book, sheets: dict, meta: Meta, listing: list, signed) -> Package:
    listed: dict[str, dict[str, tuple[int, str, dict]]] = {}
    for n, (sheet, uuid, rev, rowsum, *parts) in enumerate(listing, start=1):
        content = check.content(parts, f"第{n}条记录")
        spec = BY_SHEET.get(sheet)
        if spec is not None:
            _check_dates(spec, content, n)
        listed.setdefault(sheet, {})[uuid] = (rev, rowsum, content)
    rows: dict[str, list[PackageRow]] = {}
    errors: list[str] = []
    missing: list[tuple[str, str]] = []
    deleted: list[PackageRow] = []
    added = 0
    for spec in ENTITIES:
        if spec.sheet not in sheets:
            if listed.get(spec.sheet):
                raise WeibaoError(f"数据包缺少“{spec.sheet}”工作表（被删除了？），未导入任何数据")
            continue
        got, errs = _read_sheet(sheets[spec.sheet], spec, listed.get(spec.sheet, {}))
        rows[spec.name] = got
        errors += errs
        seen = {r.uuid for r in got if r.uuid}
        gone = [u for u in listed.get(spec.sheet, {}) if u not in seen]
        missing += [(spec.name, u) for u in gone]
        for u in gone:
            rev, _, content = listed[spec.sheet][u]
            deleted.append(PackageRow(spec.sheet, 0, u, rev, None, None, None, None, dict(content), content,
                                      deleted=True))
        added += sum(1 for r in got if r.uuid is None)
    if errors:
        shown = "\n".join(errors[:20]) + (f"\n……共{len(errors)}处" if len(errors) > 20 else "")
        raise WeibaoError(f"数据包中有手工修改的内容无法识别，未导入任何数据：\n{shown}")
    return Package(meta, rows, missing, added, book.sha256, signed, deleted)


def _check_dates(spec: EntitySpec, content: dict, n: int) -> None:
    """Dates in the machine copy are shown in the visible sheet: one no calendar has is refused here."""
    for key, text in content.items():
        if text is None:
            continue
        k = "datetime" if key == "deleted_at" else kind(spec.name, key)
        try:
            if k == "date":
                dt.date.fromisoformat(text)
            elif k == "datetime":
                dt.datetime.fromisoformat(text)
        except (ValueError, TypeError):
            raise WeibaoError(f"数据包的隐藏工作表 _rows 中第{n}条记录的“{label(spec.name, key)}”"
                              f"（{str(text)[:30]}）不是有效的日期，未导入任何数据") from None


def _read_sheet(table: list[list], spec: EntitySpec, listed: dict) -> tuple[list[PackageRow], list[str]]:
    header_at = next((i for i, r in enumerate(table[:10]) if UUID_H in [str(c).strip() for c in r]), None)
    if header_at is None:
        raise WeibaoError(f"“{spec.sheet}”工作表找不到表头（{UUID_H}）")
    headers = [str(c).strip() for c in table[header_at]]
    col = {h: i for i, h in enumerate(headers) if h}
    human = [k for k in spec.content_keys if k not in {r.key for r in spec.refs}]
    needed = [label(spec.name, k) for k in human] + [r.label for r in spec.refs] + list(MACHINE)
    lost = [h for h in needed if h not in col]
    if lost:
        raise WeibaoError(f"“{spec.sheet}”工作表缺少列：{'、'.join(lost)}（列被删除了？），未导入任何数据")
    plan = [(col[r.label], r.key, _renderer(spec.name, r.key)) for r in spec.refs] + \
        [(col[label(spec.name, k)], k, _renderer(spec.name, k)) for k in human]
    out: list[PackageRow] = []
    errors: list[str] = []
    signed_at: int | None = None
    for n, cells in enumerate(table[header_at + 1:], start=header_at + 2):
        def get(h, cells=cells):
            i = col[h]
            v = cells[i] if i < len(cells) else None
            return None if v == "" else v
        if all(v in (None, "") for v in cells):
            continue
        if signed_at is not None:
            errors.append(f"“{spec.sheet}”第{n}行在第{signed_at}行“单位负责人”签字行的下方，不会被导入；"
                          "请把这一行移到签字行上方（或删除它）后再导入")
            continue
        if any(isinstance(v, str) and v.startswith("单位负责人") for v in cells[:3]):
            signed_at = n  # the sign-off line under the table: nothing may follow it
            continue
        uuid = get(UUID_H)
        uuid = str(uuid).strip() if uuid else None
        written, original = listed.get(uuid, (None, None, None))[1:] if uuid else (None, None)
        if original is not None and _unchanged(plan, cells, original):
            content = dict(original)  # the row says exactly what was written: no need to read it cell by cell
        else:
            content = {}
            for ref in spec.refs:
                v = get(ref.label)
                content[ref.key] = str(v).strip() if v else None
            for k in human:
                h = label(spec.name, k)
                try:
                    content[k] = _parse_cell(spec.name, k, get(h), content)
                except WeibaoError as e:
                    errors.append(f"“{spec.sheet}”第{n}行“{h}”列：{e.message}")
        rev = get(REV_H)
        if rev is not None:
            try:
                rev = check.version(rev, f"“{spec.sheet}”第{n}行“{REV_H}”列")
            except WeibaoError as e:
                errors.append(e.message)
                rev = None
        created = get(CREATED_H)
        out.append(PackageRow(
            spec.sheet, n, uuid, rev, written,
            str(get(ORIGIN_H)) if get(ORIGIN_H) else None,
            created if isinstance(created, dt.datetime) else None,
            str(get(CREATOR_H)) if get(CREATOR_H) else None, content, original,
            child_id_number=str(get(CHILD_ID_H)).strip() if CHILD_ID_H in col and get(CHILD_ID_H) else None,
            village_name=str(get(VILLAGE_H)).strip() if VILLAGE_H in col and get(VILLAGE_H) else None,
            hand_edited=original is not None and content != original,
        ))
        if uuid and uuid not in listed:
            errors.append(f"“{spec.sheet}”第{n}行：记录编号“{uuid}”不属于本数据包（新增的行请清空记录编号）")
    return out, errors


def _unchanged(plan, cells: list, original: dict) -> bool:
    """Whether every content cell of a row still holds what was written for it."""
    width = len(cells)
    for i, key, render in plan:
        text = original.get(key)
        read = cells[i] if i < width else None
        if text is None:
            if read is not None and read != "":
                return False
        elif not _same_cell(render(text, original), read):
            return False
    return True


def _same_cell(written, read) -> bool:
    """Whether a cell read back still holds what was written (spreadsheet types differ a little)."""
    if written.__class__ is str:
        return read.__class__ is str and (read == written or read == clean_text(written))
    if written is None or written == "":
        return read is None or read == ""
    if isinstance(written, dt.datetime):
        return isinstance(read, dt.datetime) and abs((read - written).total_seconds()) < 1
    if isinstance(written, dt.date):
        return isinstance(read, dt.date) and (read.date() if isinstance(read, dt.datetime) else read) == written
    return written == read


def _parse_cell(entity: str, key: str, value, content: dict) -> str | None:
    """A cell back to content text; the inverse of `_cell_value`, tolerant of what a clerk types."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    k = kind(entity, key)
    if key == "village_code":
        return str(int(value)) if isinstance(value, float) else str(value).strip()
    table = _code_table(entity, key, content)
    if table is not None and k != "codes":
        code = value if value in table else table.parse(str(value))
        if code is None:
            raise WeibaoError(f"“{value}”不在可选范围内（{'、'.join(table.labels())}）")
        return code
    if key == "deleted_at":
        from ..domain.dates import parse_datetime

        return to_text(_second(parse_datetime(value, "删除时间")))
    spec = spec_of(entity, key)
    if spec is None:
        if k == "date":
            from ..domain.dates import parse_date

            return to_text(parse_date(value, label(entity, key)))
        return str(value).strip()
    if spec.kind == "datetime" and isinstance(value, dt.datetime):
        return to_text(_second(value))
    out = clean_value(FieldSpec(spec.name, spec.label, spec.kind, spec.table, False, spec.max_len, False), value)
    if isinstance(out, dt.datetime):
        out = _second(out)
    return to_text(out)


def _second(value: dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    # A spreadsheet may store 10:00:00 as 09:59:59.9999; round to the nearest second.
    return (value + dt.timedelta(microseconds=500_000)).replace(microsecond=0)


__all__ = ["Meta", "Package", "PackageRow", "OutRecord", "write_package", "read_package", "BY_SHEET"]
