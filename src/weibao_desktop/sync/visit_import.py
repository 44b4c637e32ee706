"""Reading visits back from a village: a filled 走访任务表, or a hand-made 走访记录台账, found by their headers
like a children ledger. The ledger service matches the rows to children and decides what is new."""
from __future__ import annotations

import datetime as dt

from .ledger_columns import LEDGERS, header_index
from .ledger_header import find_header, other_ledger
from .ledger_import import ParsedLedger, ParsedSheet, _parse_sheet
from .safe_read import WorkbookData

VISIT_LEDGERS = ("visit_tasks", "visits")


def visit_sheets(book: WorkbookData) -> list[str]:
    """Names of the sheets that are visit ledgers (走访任务表 or 走访记录台账)."""
    return [sheet.name for sheet in book.sheets if sheet.rows and other_ledger(sheet) in VISIT_LEDGERS]


def parse_visits(book: WorkbookData, today: dt.date) -> ParsedLedger:
    """Every sheet holding a visit ledger, parsed with its own columns; other sheets are listed as ignored."""
    sheets: list[ParsedSheet] = []
    ignored: list[str] = []
    for sheet in book.sheets:
        kind = other_ledger(sheet) if sheet.rows else None
        if kind not in VISIT_LEDGERS:
            if sheet.rows:
                ignored.append(sheet.name)
            continue
        ledger = LEDGERS[str(kind)]
        found = find_header(sheet, header_index(ledger), ledger)
        if found is None:
            ignored.append(sheet.name)
            continue
        sheets.append(_parse_sheet(sheet, found, ledger, today))
    return ParsedLedger(book.file_name, book.sha256, book.format, sheets, list(book.notes), ignored)
