"""Hostile files for the reader: `python tests/hostile/make_hostile.py OUT_DIR [PACKAGE.xlsx]`.

Each file is what an attacker with only the program and a spreadsheet could send: XML with a DOCTYPE in
every part and in UTF-16, entity bombs, zip names that climb out, relationships that point outside,
worksheets stored at odd paths that claim a cell at XFD1048576, ODS rows repeated a million times,
a 100 MB cell, text full of NUL and controls, impossible dates, and exchange packages that were edited,
forged or replayed, and Office-encrypted files (with HOSTILE_PASSWORD) that decrypt into a zip bomb or a DOCTYPE,
or whose encryption header is truncated, garbage, or claims huge sizes. `make(out, package)` returns {file name: expectation}: "refused" (exit 1, nothing
changed) or "any" (read or refused, never a crash). Files are made at test time (the 100 MB cell is
generated compressed), so nothing large is committed.
"""
from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import struct
import sys
import warnings
import zipfile
import zlib
from pathlib import Path

import openpyxl

from weibao_desktop.domain.idnumber import make_id_number

NUMBER = make_id_number("430104", dt.date(2015, 3, 1), 1)  # synthetic, with a valid check digit
XXE = b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
LAUGHS = (b'<!DOCTYPE lolz [<!ENTITY lol "lol">' + b"".join(
    b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10)) + b"]>")


def ledger() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "花名册"
    ws.append(["姓名", "性别", "出生日期", "身份证号", "村(社区)"])
    ws.append(["王小明", "男", "2015-03-01", NUMBER, "东村"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {i.filename: z.read(i.filename) for i in z.infolist()}


def build(members: dict[str, bytes] | list[tuple[str, bytes]], level: int = 6) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as z:
        for name, body in members.items() if isinstance(members, dict) else members:
            z.writestr(zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0)), body, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def with_doctype(xml: bytes, doctype: bytes = XXE) -> bytes:
    if xml.startswith(b"<?xml"):
        head, _, rest = xml.partition(b"?>")
        return head + b"?>" + doctype + rest
    return b'<?xml version="1.0" encoding="UTF-8"?>' + doctype + xml


def changed(data: bytes, part: str, fn) -> bytes:
    members = parts(data)
    members[part] = fn(members[part])
    return build(members)


def replaced(data: bytes, old: bytes, new: bytes) -> bytes:
    """`old` replaced by `new` in whichever parts hold it (shared strings or inline text)."""
    return build({name: body.replace(old, new) for name, body in parts(data).items()})


def moved_sheet(data: bytes, new_path: str, target: str, sheet: bytes | None = None) -> bytes:
    """The first worksheet stored at another path, named there by the workbook's relationships."""
    members = parts(data)
    body = members.pop("xl/worksheets/sheet1.xml")
    members[new_path] = sheet if sheet is not None else body
    rels = members["xl/_rels/workbook.xml.rels"]
    members["xl/_rels/workbook.xml.rels"] = rels.replace(b"/xl/worksheets/sheet1.xml", target.encode()).replace(
        b'"worksheets/sheet1.xml"', b'"' + target.encode() + b'"')
    ct = members["[Content_Types].xml"]
    members["[Content_Types].xml"] = ct.replace(b"/xl/worksheets/sheet1.xml", b"/" + new_path.encode())
    return build(members)


def sheet_xml(rows: bytes, dimension: bytes = b"") -> bytes:
    return (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main">' + dimension + b"<sheetData>" + rows + b"</sheetData></worksheet>")


FAR = (b'<row r="1"><c r="A1" t="inlineStr"><is><t>\xe5\xa7\x93\xe5\x90\x8d</t></is></c></row>'
       b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')


def utf16(xml: bytes, codec: str, bom: bytes = b"") -> bytes:
    text = xml.decode("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"')
    return bom + text.encode(codec)


def ods(content_rows: str, extra: dict[str, bytes] | None = None, doctype: bytes = b"") -> bytes:
    content = ('<?xml version="1.0" encoding="UTF-8"?>' + doctype.decode() +
               '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>'
               '<table:table table:name="花名册">' + content_rows + "</table:table></office:spreadsheet></office:body>"
               "</office:document-content>").encode()
    members = [("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"), ("content.xml", content),
               ("META-INF/manifest.xml", b'<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                b'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>')]
    members += list((extra or {}).items())
    return build(members)


def cell(text: str, repeat: int = 1) -> str:
    rep = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    return f'<table:table-cell office:value-type="string"{rep}><text:p>{text}</text:p></table:table-cell>'


def row(cells: str, repeat: int = 1) -> str:
    rep = f' table:number-rows-repeated="{repeat}"' if repeat > 1 else ""
    return f"<table:table-row{rep}>{cells}</table:table-row>"


def huge_cell(size: int) -> bytes:
    """A shared string of `size` bytes of hex digits: about 2:1 compressed, so under every ratio check."""
    members = parts(ledger())
    text = os.urandom(size // 2).hex().encode()
    members["xl/sharedStrings.xml"] = (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.'
                                       b'openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
                                       b"<si><t>" + text + b"</t></si></sst>")
    return build(members, level=1)


def ledger_files() -> dict[str, tuple[bytes, str]]:
    base = ledger()
    names = parts(base)
    sheet = names["xl/worksheets/sheet1.xml"]
    files: dict[str, tuple[bytes, str]] = {}
    for part, label in (("xl/workbook.xml", "workbook"), ("xl/worksheets/sheet1.xml", "sheet"),
                        ("xl/_rels/workbook.xml.rels", "rels"), ("[Content_Types].xml", "content_types"),
                        ("xl/styles.xml", "styles"), ("docProps/core.xml", "core")):
        files[f"xxe_{label}.xlsx"] = (changed(base, part, with_doctype), "refused")
    if "xl/sharedStrings.xml" in names:
        files["xxe_shared_strings.xlsx"] = (changed(base, "xl/sharedStrings.xml", with_doctype), "refused")
    doc = with_doctype(sheet)
    files["xxe_utf16le_bom.xlsx"] = (changed(base, "xl/worksheets/sheet1.xml", lambda _: utf16(doc, "utf-16-le", b"\xff\xfe")), "refused")
    files["xxe_utf16be_bom.xlsx"] = (changed(base, "xl/worksheets/sheet1.xml", lambda _: utf16(doc, "utf-16-be", b"\xfe\xff")), "refused")
    files["xxe_utf16le_nobom.xlsx"] = (changed(base, "xl/worksheets/sheet1.xml", lambda _: utf16(doc, "utf-16-le")), "refused")
    files["xxe_utf16be_nobom.xlsx"] = (changed(base, "xl/worksheets/sheet1.xml", lambda _: utf16(doc, "utf-16-be")), "refused")
    files["utf16_sheet_no_doctype.xlsx"] = (changed(base, "xl/worksheets/sheet1.xml", lambda s: utf16(s, "utf-16-le", b"\xff\xfe")), "refused")
    files["xxe_after_long_comment.xlsx"] = (changed(base, "xl/workbook.xml", lambda x: with_doctype(x, b"<!--" + b"-" * 70000 + b"-->" + XXE)), "refused")
    files["billion_laughs_sheet.xlsx"] = (changed(base, "xl/worksheets/sheet1.xml", lambda s: with_doctype(s, LAUGHS)), "refused")
    files["billion_laughs_workbook.xlsx"] = (changed(base, "xl/workbook.xml", lambda s: with_doctype(s, LAUGHS)), "refused")
    files["zipslip_dotdot.xlsx"] = (build({**names, "../../evil.sh": b"#!/bin/sh\n"}), "refused")
    files["zipslip_absolute.xlsx"] = (build({**names, "/tmp/evil.sh": b"#!/bin/sh\n"}), "refused")
    files["zipslip_backslash.xlsx"] = (build({**names, "..\\..\\evil.bat": b"echo\r\n"}), "refused")
    files["duplicate_member.xlsx"] = (build(list(names.items()) + [("xl/worksheets/sheet1.xml", sheet_xml(FAR))]), "refused")
    files["rels_traversal.xlsx"] = (moved_sheet(base, "xl/worksheets/sheet1.xml", "../../../etc/passwd"), "refused")
    files["rels_file_uri.xlsx"] = (moved_sheet(base, "xl/worksheets/sheet1.xml", "file:///etc/passwd"), "refused")
    files["dimension_bomb_sub_path.xlsx"] = (moved_sheet(base, "xl/worksheets/sub/sheet1.xml", "worksheets/sub/sheet1.xml", sheet_xml(FAR)), "refused")
    far_cz = b'<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row><row r="1000000"><c r="CZ1000000"><v>1</v></c></row>'
    files["row_bomb_xl_ws.xlsx"] = (moved_sheet(base, "xl/ws.xml", "ws.xml", sheet_xml(far_cz)), "refused")
    files["sheet_named_bin.xlsx"] = (moved_sheet(base, "xl/worksheets/sheet1.bin", "/xl/worksheets/sheet1.bin", sheet_xml(FAR)), "refused")
    files["dimension_declared_only.xlsx"] = (changed(base, "xl/worksheets/sheet1.xml", lambda s: s.replace(b'<dimension ref="A1:E2"/>', b'<dimension ref="A1:XFD1048576"/>')), "any")
    prefixed = (b'<?xml version="1.0" encoding="UTF-8"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/'
                b'spreadsheetml/2006/main"><x:sheetData><x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>x</x:t>'
                b'</x:is></x:c></x:row><x:row r="1048576"><x:c r="XFD1048576"><x:v>1</x:v></x:c></x:row>'
                b"</x:sheetData></x:worksheet>")
    files["prefixed_tags_bomb.xlsx"] = (changed(base, "xl/worksheets/sheet1.xml", lambda _: prefixed), "refused")
    wide = b'<row r="1">' + b"<c><v>1</v></c>" * 20000 + b"</row>" + b"".join(b"<row><c><v>1</v></c></row>" for _ in range(1000))
    files["implicit_cells_wide.xlsx"] = (changed(base, "xl/worksheets/sheet1.xml", lambda _: sheet_xml(wide)), "refused")
    far_row = b'<row r="1"><c t="inlineStr"><is><t>x</t></is></c></row><row r="1048576"><c><v>1</v></c>' + b"<c/>" * 200 + b"</row>"
    files["row_number_bomb_no_cell_refs.xlsx"] = (changed(base, "xl/worksheets/sheet1.xml", lambda _: sheet_xml(far_row)), "refused")
    single_quoted = sheet.replace(b'r="A1"', b"r='XFD1048576'")
    files["single_quoted_ref.xlsx"] = (changed(base, "xl/worksheets/sheet1.xml", lambda _: single_quoted), "refused")
    strings = (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
               + b"".join(b"<si><t>%d</t></si>" % i for i in range(2_100_000)) + b"</sst>")
    files["huge_shared_strings.xlsx"] = (build({**names, "xl/sharedStrings.xml": strings}), "refused")
    files["cell_100mb.xlsx"] = (huge_cell(100 * 1024 * 1024), "refused")
    files["whitespace_bomb.xlsx"] = (changed(base, "xl/worksheets/sheet1.xml", lambda s: s.replace(b"<sheetData>", b"<sheetData>" + b" " * 60_000_000)), "refused")
    files["many_members.xlsx"] = (build({**names, **{f"xl/media/m{i}.bin": b"" for i in range(6000)}}), "refused")
    encrypted = bytearray(base)
    at = encrypted.find(b"PK\x01\x02")
    encrypted[at + 8] |= 1  # the "encrypted" flag of the first member in the central directory
    files["member_flagged_encrypted.xlsx"] = (bytes(encrypted), "refused")
    files["truncated.xlsx"] = (base[: len(base) // 2], "refused")
    files["ods_row_repeat_bomb.ods"] = (ods(row(cell("姓名") + cell("性别")) + row(cell("王小明"), 1_000_000)), "refused")
    files["ods_nested_repeat_bomb.ods"] = (ods(row(cell("姓名") + cell("性别")) + row(cell("甲", 1000), 1000) * 50), "refused")
    files["ods_column_repeat_bomb.ods"] = (ods(row(cell("姓名") + cell("x", 16384), 900) * 3), "refused")
    files["ods_xxe_content.ods"] = (ods(row(cell("姓名")), doctype=XXE), "refused")
    files["ods_xxe_styles.ods"] = (ods(row(cell("姓名")), {"styles.xml": with_doctype(b"<office:document-styles/>")}), "refused")
    files["nul_controls_zero_width.xlsx"] = (_ledger_with("王\x00小_x0000_明\u200b\u202e", "东\x01村\x7f"), "any")
    files["surrogate_char_refs.xlsx"] = (replaced(_ledger_with("SURROGATE", "东村"), b"SURROGATE", b"&#xD800;&#xDFFF;"), "any")
    files["impossible_dates.xlsx"] = (_impossible_dates(), "any")
    files["iso_date_year_10000.xlsx"] = (changed(base, "xl/worksheets/sheet1.xml", lambda s: s.replace(b"</row></sheetData>", b'<c r="F2" t="d"><v>10000-13-45T99:99:99</v></c></row></sheetData>')), "any")
    files["not_a_spreadsheet.xlsx"] = (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "refused")
    files.update(text_format_files())
    files.update(encrypted_files(files))
    return files


HOSTILE_PASSWORD = "hostile-口令1"
ENCRYPTED_CONTROL = "enc_valid_ledger.xlsx"  # the one encrypted file that imports with the password


def encrypt(data: bytes, password: str = HOSTILE_PASSWORD) -> bytes:
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(data)).encrypt(password, out)
    return out.getvalue()


def streams(encrypted: bytes) -> tuple[bytes, bytes]:
    """(EncryptionInfo, EncryptedPackage) of an encrypted workbook."""
    import olefile

    with olefile.OleFileIO(io.BytesIO(encrypted)) as ole:
        return ole.openstream("EncryptionInfo").read(), ole.openstream("EncryptedPackage").read()


def container(info: bytes, package: bytes) -> bytes:
    """A well-formed compound file holding whatever EncryptionInfo and EncryptedPackage it is given."""
    from msoffcrypto.method.container.ecma376_encrypted import ECMA376Encrypted

    out = io.BytesIO()
    ECMA376Encrypted(package, info).write_to(out)
    return out.getvalue()


def spaces_bomb(size: int, declared: int | None = None) -> bytes:
    """A ledger whose sheet inflates to `size` bytes (blanks inside <sheetData>), about 1 MB compressed.

    Deflate blocks ending in a full flush stand alone, so one compressed megabyte of blanks is repeated
    instead of compressing a gigabyte. `declared`: the size the zip headers claim (a lie when given)."""
    members = parts(ledger())
    head, _, tail = sheet_xml(b"").partition(b"</sheetData>")
    tail = b"</sheetData>" + tail
    mega = b" " * (1 << 20)
    blanks = size >> 20

    def flushed(data: bytes, final: bool = False) -> bytes:
        c = zlib.compressobj(9, zlib.DEFLATED, -15)
        return c.compress(data) + c.flush(zlib.Z_FINISH if final else zlib.Z_FULL_FLUSH)

    stream = flushed(head) + flushed(mega) * blanks + flushed(tail, final=True)
    crc = zlib.crc32(head)
    for _ in range(blanks):
        crc = zlib.crc32(mega, crc)
    crc = zlib.crc32(tail, crc)
    full = len(head) + blanks * len(mega) + len(tail)
    entries = [(n.encode(), zlib.compress(b, 6)[2:-4], zlib.crc32(b), len(b)) for n, b in members.items()
               if n != "xl/worksheets/sheet1.xml"]
    entries.append((b"xl/worksheets/sheet1.xml", stream, crc, full if declared is None else declared))
    out = io.BytesIO()
    central = io.BytesIO()
    for name, body, entry_crc, usize in entries:
        offset = out.tell()
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, entry_crc, len(body), usize, len(name), 0))
        out.write(name + body)
        central.write(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, entry_crc, len(body), usize,
                                  len(name), 0, 0, 0, 0, 0, offset) + name)
    start = out.tell()
    out.write(central.getvalue())
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central.getvalue()), start, 0))
    return out.getvalue()


def _patched(data: bytes, at: int, value: bytes) -> bytes:
    return data[:at] + value + data[at + len(value):]


def encrypted_files(plain: dict[str, tuple[bytes, str]]) -> dict[str, tuple[bytes, str]]:
    """Encrypted with HOSTILE_PASSWORD: what only decrypting reveals, and encryption headers that lie."""
    valid = encrypt(ledger())
    info, package = streams(valid)
    entry = valid.find("EncryptedPackage".encode("utf-16-le"))  # its 128-byte directory entry; size at 0x78
    files = {
        ENCRYPTED_CONTROL: (valid, "any"),
        "enc_zip_bomb_1gb.xlsx": (encrypt(spaces_bomb(1 << 30)), "refused"),
        "enc_zip_bomb_lying_size.xlsx": (encrypt(spaces_bomb(1 << 30, declared=1000)), "refused"),
        "enc_xxe_sheet.xlsx": (encrypt(plain["xxe_sheet.xlsx"][0]), "refused"),
        "enc_info_truncated.xlsx": (container(info[:40], package), "refused"),
        "enc_info_garbage.xlsx": (container(b"\x04\x00\x04\x00\x40\x00\x00\x00" + bytes(range(256)) * 4, package), "refused"),
        "enc_info_billion_laughs.xlsx": (container(info[:8] + with_doctype(info[8:], LAUGHS), package), "refused"),
        "enc_info_spin_count_huge.xlsx": (container(re.sub(rb'spinCount="\d+"', b'spinCount="9999999"', info), package),
                                          "refused"),
        "enc_info_extensible.xlsx": (container(b"\x04\x00\x03\x00" + info[4:], package), "refused"),
        "enc_package_truncated.xlsx": (container(info, package[: len(package) // 2]), "refused"),
        "enc_package_claims_huge_size.xlsx": (container(info, struct.pack("<Q", (1 << 63) - 1) + package[8:]), "refused"),
        "enc_package_tampered.xlsx": (container(info, package[:-100] + bytes(100)), "refused"),
        "enc_directory_size_huge.xlsx": (_patched(valid, entry + 0x78, struct.pack("<Q", 0x7FFF_FFFF_FFFF)), "refused"),
        "enc_fat_sectors_huge.xlsx": (_patched(valid, 0x2C, struct.pack("<I", 0x7FFF_FFFF)), "any"),
        "enc_sector_size_huge.xlsx": (_patched(valid, 0x1E, struct.pack("<H", 30)), "refused"),
        "enc_mini_cutoff_huge.xlsx": (_patched(valid, 0x38, struct.pack("<I", 0xFFFF_FFFF)), "refused"),
        "enc_names_only.xlsx": (valid[:8] + bytes(504) + "EncryptionInfo".encode("utf-16-le") * 8, "refused"),
    }
    return files


SS_HEAD = (b'<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?>'
           b'<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
           b'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">')


def text_format_files() -> dict[str, tuple[bytes, str]]:
    """CSV, HTML-table and SpreadsheetML 2003 files made to hurt (sync/table_formats.py)."""
    header = "姓名,公民身份号码,性别\r\n".encode()
    return {
        "xml2003_xxe.xls": (SS_HEAD.replace(b"<Workbook", XXE + b"<Workbook") + b"</Workbook>", "refused"),
        "xml2003_laughs.xls": (SS_HEAD.replace(b"<Workbook", LAUGHS + b"<Workbook") + b"&lol9;</Workbook>", "refused"),
        "xml2003_xxe_utf16.xml": (utf16(SS_HEAD.replace(b"<Workbook", XXE + b"<Workbook") + b"</Workbook>",
                                        "utf-16-le", b"\xff\xfe"), "refused"),
        "xml2003_index_bomb.xls": (SS_HEAD + b'<Worksheet ss:Name="a"><Table><Row><Cell ss:Index="16384"><Data '
                                   b'ss:Type="String">x</Data></Cell></Row><Row ss:Index="1048576"/></Table>'
                                   b"</Worksheet></Workbook>", "refused"),
        "xml2003_merge_bomb.xls": (SS_HEAD + b'<Worksheet ss:Name="a"><Table><Row><Cell ss:MergeAcross="100" '
                                   b'ss:MergeDown="199999"><Data ss:Type="String">x</Data></Cell></Row></Table>'
                                   b"</Worksheet></Workbook>", "refused"),
        "xml2003_deep.xls": (SS_HEAD + b"<Worksheet><Table><Row><Cell><Data>" + b"<B>" * 100_000 + b"x"
                             + b"</B>" * 100_000 + b"</Data></Cell></Row></Table></Worksheet></Workbook>", "refused"),
        "html_colspan_bomb.xls": (b"<html><table><tr>" + b'<td colspan="1000" rowspan="100000">x</td>' * 3
                                  + b"</tr></table></html>", "refused"),
        "html_nested_tables.xls": (b"<html>" + b"<table><tr><td>" * 200_000 + b"</html>", "refused"),
        "html_cell_100mb.xls": (b"<html><table><tr><td>" + b"x" * (99 * 1024 * 1024) + b"</td></tr></table></html>",
                                "refused"),
        "csv_million_columns.csv": (header + b"," * 1_000_000 + b"x\r\n", "refused"),
        "csv_cell_40k.csv": (header + b'"' + b"x" * 40_000 + b'",1,2\r\n', "refused"),
        "csv_unclosed_quote.csv": (header + b'"\xe7\x8e\x8b' + b"x" * 200_000, "refused"),
        "csv_nul_bytes.csv": (header + "王小明".encode() + b"\x00\x00," + NUMBER.encode() + b",\xe7\x94\xb7\r\n", "refused"),
        "csv_undecodable.csv": (header + b"\x81\x20\xff\xfe,1,2\r\n", "refused"),
    }


def _ledger_with(name: str, village: str) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["姓名", "性别", "出生日期", "身份证号", "村(社区)"])
    ws.append([name.replace("\x00", "").replace("\x01", "").replace("\x7f", ""), "男", "2015-03-01", NUMBER, "东村"])
    out = io.BytesIO()
    wb.save(out)
    data = out.getvalue()
    # openpyxl refuses control characters: put them in the XML as a careless exporter would.
    data = replaced(data, name.replace("\x00", "").replace("\x01", "").replace("\x7f", "").encode(), name.encode())
    return replaced(data, ">\u4e1c\u6751<".encode(), f">{village}<".encode())


def _impossible_dates() -> bytes:
    base = ledger()
    sheet = (b'<row r="1"><c r="A1" t="inlineStr"><is><t>\xe5\xa7\x93\xe5\x90\x8d</t></is></c><c r="B1" t="inlineStr">'
             b'<is><t>\xe5\x87\xba\xe7\x94\x9f\xe6\x97\xa5\xe6\x9c\x9f</t></is></c></row>'
             b'<row r="2"><c r="A2" t="inlineStr"><is><t>x</t></is></c><c r="B2" s="1"><v>1e300</v></c></row>'
             b'<row r="3"><c r="A3" t="inlineStr"><is><t>y</t></is></c><c r="B3" s="1"><v>-1e20</v></c></row>')
    styles = (b'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
              b'2006/main"><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs>'
              b"</styleSheet>")
    members = parts(base)
    members["xl/worksheets/sheet1.xml"] = sheet_xml(sheet)
    members["xl/styles.xml"] = styles
    return build(members)


def package_files(package: Path) -> dict[str, tuple[bytes, str]]:
    """Edited, forged and damaged copies of a real package."""
    from weibao_desktop.sync.package import _whole_checksum

    original = package.read_bytes()
    files: dict[str, tuple[bytes, str]] = {}

    def forged(change_meta=None, change_rows=None, change_sheet=None) -> bytes:
        wb = openpyxl.load_workbook(io.BytesIO(original))
        meta_ws, rows_ws = wb["_meta"], wb["_rows"]
        meta = {r[0].value: json.loads(r[1].value) for r in meta_ws.iter_rows() if r[0].value}
        if change_meta:
            change_meta(meta)
        if change_rows:
            change_rows(rows_ws)
        if change_sheet:
            change_sheet(wb)
        listing = [[str(r[0]), str(r[1]), int(r[2]), str(r[3]), *[str(x) for x in r[4:] if x not in (None, "")]]
                   for r in rows_ws.iter_rows(values_only=True) if r and r[0]]
        meta["checksum"] = _whole_checksum(meta, listing)
        meta_ws.delete_rows(1, meta_ws.max_row)
        for key, value in meta.items():
            meta_ws.append([key, json.dumps(value, ensure_ascii=False)])
        out = io.BytesIO()
        wb.save(out)
        return out.getvalue()

    files["pkg_seq_missing.xlsx"] = (forged(lambda m: m.pop("seq")), "refused")
    files["pkg_seq_text.xlsx"] = (forged(lambda m: m.update(seq="第三号")), "refused")
    files["pkg_seq_10e30.xlsx"] = (forged(lambda m: m.update(seq=10**30)), "refused")
    files["pkg_full_as_text.xlsx"] = (forged(lambda m: m.update(full="yes")), "refused")
    files["pkg_foreign_receiver.xlsx"] = (forged(lambda m: m.update(receiver_code="110101000000", receiver_name="别处")), "refused")
    files["pkg_bad_date_in_rows.xlsx"] = (forged(change_rows=_bad_date), "refused")

    def rev_text(wb):
        ws = wb["儿童信息"] if "儿童信息" in wb.sheetnames else wb.worksheets[0]
        for r in ws.iter_rows():
            for c in r:
                if c.value == "版本":
                    ws.cell(row=c.row + 1, column=c.column).value = "第二版"
                    return

    def below_footer(wb):
        ws = wb.worksheets[0]
        ws.append(["签字行下面手工加的一行", "男"])

    files["pkg_rev_cell_text.xlsx"] = (forged(change_sheet=rev_text), "refused")
    files["pkg_row_below_sign_off.xlsx"] = (forged(change_sheet=below_footer), "refused")
    files["pkg_meta_checksum_edited.xlsx"] = (_edit_meta_cell(original), "refused")
    files["pkg_xxe_meta.xlsx"] = (changed(original, _sheet_part(original, "_meta"), with_doctype), "refused")
    files["pkg_dimension_bomb.xlsx"] = (changed(original, _sheet_part(original, "_rows"),
                                                lambda s: s.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>')), "refused")
    files["pkg_truncated.xlsx"] = (original[: len(original) // 3], "refused")
    return files


def _bad_date(rows_ws) -> None:
    for r in rows_ws.iter_rows():
        if r[4].value and '"birth_date"' in str(r[4].value):
            r[4].value = str(r[4].value).replace('"birth_date":"', '"birth_date":"99999-', 1)
            return


def _edit_meta_cell(original: bytes) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(original))
    for r in wb["_meta"].iter_rows():
        if r[0].value == "seq":
            r[1].value = "999"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _sheet_part(data: bytes, title: str) -> str:
    members = parts(data)
    workbook = members["xl/workbook.xml"].decode()
    at = workbook.index(f'name="{title}"')
    rid = workbook[at:].split('r:id="', 1)[1].split('"', 1)[0] if 'r:id="' in workbook[at:at + 300] else None
    rels = members["xl/_rels/workbook.xml.rels"].decode()
    for rel in rels.split("<Relationship ")[1:]:
        if f'Id="{rid}"' in rel:
            target = rel.split('Target="', 1)[1].split('"', 1)[0]
            return target.lstrip("/") if target.startswith("/") else "xl/" + target
    raise LookupError(title)


def make(out: Path, package: Path | None = None) -> dict[str, str]:
    """Write every hostile file into `out`; {name: "refused" | "any"}."""
    out.mkdir(parents=True, exist_ok=True)
    warnings.filterwarnings("ignore", "Duplicate name", UserWarning)
    files = ledger_files()
    if package is not None:
        files.update(package_files(package))
    expected = {}
    for name, (body, expect) in files.items():
        (out / name).write_bytes(body)
        expected[name] = expect
    (out / "a_folder.xlsx").mkdir(exist_ok=True)
    expected["a_folder.xlsx"] = "refused"
    return expected


if __name__ == "__main__":
    made = make(Path(sys.argv[1]), Path(sys.argv[2]) if len(sys.argv) > 2 else None)
    print(f"{len(made)} files written to {sys.argv[1]} ({dt.date.today()})")
