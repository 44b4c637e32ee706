"""Writes the ledgers under tests/data/ again in the formats web systems and other offices send: CSV
(UTF-8 with BOM, GB18030, UTF-16 tab-separated as Excel's "Unicode 文本"), SpreadsheetML 2003 saved as
.xls (with WPS's KSOProductBuildVer, as WPS writes it) and an HTML table saved as .xls (the FreeMarker
pattern, GBK with a meta charset). Each is the twin of its workbook: the same cells, merged header cells
as colspan/rowspan or ss:MergeAcross/ss:MergeDown, so importing it must give exactly the same preview.

Text formats hold what a person sees in a cell (a number without ".0", a date as 2015-03-01), which is what
a web system writes; SpreadsheetML keeps each cell's type. Run from the repository root:

    python tests/data/make_other_formats.py
"""
from __future__ import annotations

import csv
import datetime as dt
import html
import io
import sys
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from weibao_desktop.sync.ledger_import import as_text  # noqa: E402
from weibao_desktop.sync.safe_read import read_workbook  # noqa: E402

DATA = Path(__file__).resolve().parent
OUT = DATA / "formats"
TWINS = ("东村留守儿童花名册.xlsx", "南村两行表头.xlsx", "儿童台账_文本格式.xls")


def _text(value) -> str:
    if isinstance(value, float) and abs(value) >= 1e15:
        return f"{value:.5E}"  # how a spreadsheet shows (and saves as CSV) a long number: 4.30104E+17
    return "" if value == "" or value is None else as_text(value) or ""


def _spans(merged) -> tuple[dict, set]:
    """{(r, c): (across, down)} for the top-left cell of each merge, and the cells a merge covers."""
    starts, covered = {}, set()
    for (r0, c0), (r1, c1) in merged:
        starts[(r0, c0)] = (c1 - c0, r1 - r0)
        covered |= {(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)} - {(r0, c0)}
    return starts, covered


def write_csv(rows, path: Path, encoding: str, delimiter: str = ",") -> None:
    buf = io.StringIO(newline="")
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows([[_text(v) for v in r] for r in rows])
    path.write_bytes(buf.getvalue().encode(encoding))


def write_html(sheet, path: Path) -> None:
    starts, covered = _spans(sheet.merged)
    out = ['<html xmlns:x="urn:schemas-microsoft-com:office:excel">',
           '<head><meta http-equiv="Content-Type" content="text/html; charset=GBK">',
           '<style>td{mso-number-format:"\\@";}</style></head><body>',
           '<table border="1" cellspacing="0">']
    for r, row in enumerate(sheet.rows):
        out.append("  <tr>")
        for c, value in enumerate(row):
            if (r, c) in covered:
                continue
            across, down = starts.get((r, c), (0, 0))
            attrs = (f' colspan="{across + 1}"' if across else "") + (f' rowspan="{down + 1}"' if down else "")
            text = html.escape(_text(value)).replace("\n", "<br>")
            out.append(f'    <td{attrs} style="mso-number-format:\'\\@\'">{text}</td>')
        out.append("  </tr>")
    out.append("</table></body></html>")
    path.write_bytes("\n".join(out).encode("gb18030"))


def _ss_cell(value) -> tuple[str, str]:
    if isinstance(value, bool):
        return "Boolean", "1" if value else "0"
    if isinstance(value, (int, float)):
        return "Number", repr(float(value))
    if isinstance(value, dt.datetime):
        return "DateTime", value.strftime("%Y-%m-%dT%H:%M:%S.000")
    if isinstance(value, dt.date):
        return "DateTime", value.strftime("%Y-%m-%dT00:00:00.000")
    return "String", str(value)


def write_spreadsheetml(book, path: Path) -> None:
    out = ['<?xml version="1.0" encoding="UTF-8"?>', '<?mso-application progid="Excel.Sheet"?>',
           '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:o="urn:schemas-microsoft-com:office:office"'
           ' xmlns:x="urn:schemas-microsoft-com:office:excel" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"'
           ' xmlns:html="http://www.w3.org/TR/REC-html40">',
           ' <DocumentProperties xmlns="urn:schemas-microsoft-com:office:office"><Author>系统导出</Author></DocumentProperties>',
           ' <CustomDocumentProperties xmlns="urn:schemas-microsoft-com:office:office">'
           '<KSOProductBuildVer dt:dt="string" xmlns:dt="uuid:C2F41010-65B3-11d1-A29F-00AA00C14882">2052-12.1.0.16120'
           '</KSOProductBuildVer></CustomDocumentProperties>']
    for sheet in book.sheets:
        starts, covered = _spans(sheet.merged)
        out.append(f" <Worksheet ss:Name={quoteattr(sheet.name)}><Table>")
        for r, row in enumerate(sheet.rows):
            cells, skipped = [], False
            for c, value in enumerate(row):
                if (r, c) in covered or value == "" and (r, c) not in starts:
                    skipped = True
                    continue
                across, down = starts.get((r, c), (0, 0))
                attrs = f' ss:Index="{c + 1}"' if skipped else ""
                attrs += (f' ss:MergeAcross="{across}"' if across else "") + (f' ss:MergeDown="{down}"' if down else "")
                skipped = bool(across)
                if value == "":
                    cells.append(f"<Cell{attrs}/>")
                else:
                    kind, text = _ss_cell(value)
                    cells.append(f'<Cell{attrs}><Data ss:Type="{kind}">{escape(text)}</Data></Cell>')
            out.append(f'  <Row ss:Index="{r + 1}">{"".join(cells)}</Row>')
        out.append(" </Table></Worksheet>")
    out.append("</Workbook>")
    path.write_text("\n".join(out), encoding="utf-8")


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for name in TWINS:
        book = read_workbook(DATA / name)
        stem = name.rsplit(".", 1)[0]
        rows = book.sheets[0].rows
        write_csv(rows, OUT / f"{stem}.utf8.csv", "utf-8-sig")
        write_csv(rows, OUT / f"{stem}.gbk.csv", "gb18030")
        write_csv(rows, OUT / f"{stem}.unicode.txt", "utf-16", delimiter="\t")
        write_html(book.sheets[0], OUT / f"{stem}.网页.xls")
        write_spreadsheetml(book, OUT / f"{stem}.xml2003.xls")


if __name__ == "__main__":
    main()
