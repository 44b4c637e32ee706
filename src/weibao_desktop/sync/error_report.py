"""The error report of a ledger import: the rows that were not imported, as the sender wrote them, with
the reason beside each row and the wrong cells filled red.

Its header row uses the file's own header texts (a two-row header becomes "父亲 / 电话"), so the sender
can correct the cells in this workbook and send it back: it imports like any ledger. The columns
原工作表 / 原行号 / 未导入原因 are known to the importer and ignored.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl.utils import column_index_from_string

from ..models.private_tmp import PrivateTemp
from .ledger_columns import CHILDREN, header_index
from .xlsx_style import LedgerBook, SheetColumn

LEAD = ("原工作表", "原行号", "未导入原因")


def write_error_report(preview, path: str | Path, temp: PrivateTemp | None = None) -> Path:
    """`preview` is a services.ledger.ImportPreview; writes one sheet per source sheet with rejected rows."""
    headers = dict(preview._headers)
    by_sheet: dict[str, list] = {}
    for sheet, row, raw, problems in preview._rows:
        by_sheet.setdefault(sheet, []).append((row, raw, problems))
    book = LedgerBook(temp)
    index = header_index(CHILDREN)
    kinds = {c.key: c.kind for c in CHILDREN.columns}
    today = dt.date.today()
    if not by_sheet:
        by_sheet = {preview.sheets[0] if preview.sheets else "台账": []}
    for sheet_name, rows in by_sheet.items():
        original = list(headers.get(sheet_name, []))
        width = max([len(original)] + [len(raw) for _, raw, _ in rows])
        original += [""] * (width - len(original))
        columns = [SheetColumn(LEAD[0], width=12), SheetColumn(LEAD[1], kind="int", width=7),
                   SheetColumn(LEAD[2], kind="longtext", width=40)]
        for i, h in enumerate(original):
            key = index.lookup(h) if h else None
            kind = kinds.get(key, "text") if key else "text"
            if kind in ("colour", "seq"):
                kind = "text"
            columns.append(SheetColumn(h or f"第{i + 1}列", kind=kind))
        sample = [[None, None, None, *raw] for _, raw, _ in rows[:200]]
        sheet = book.add_sheet(
            f"未导入-{sheet_name}"[:31], title=f"导入错误报告：{preview.file_name}", unit=f"原工作表“{sheet_name}”",
            date=today, columns=columns, sample=sample, freeze_cols=3,
            extra_line=f"以下 {len(rows)} 行没有导入。请按“未导入原因”改正标红的单元格后保存，再导入本文件（或把改正后的行抄回原表）。",
        )
        for row, raw, problems in rows:
            reason = "；".join(f"{col}列：{text}" if col else text for col, text in problems)
            marked = {2}
            for col, _ in problems:
                if col:
                    marked.add(column_index_from_string(col) - 1 + len(LEAD))
            values = [sheet_name, row, reason, *(_cell(v) for v in raw)]
            values += [None] * (len(columns) - len(values))
            sheet.append(values[:len(columns)], highlight=sorted(i for i in marked if i < len(columns)))
        sheet.close(sign_off=False)
    return book.save(path)


def _cell(value):
    if value == "" or value is None:
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    if isinstance(value, (dt.time, dt.timedelta)):
        return str(value)
    return value
