"""Reading records other than children back from a spreadsheet: a village's filled 走访任务表 or hand-made
走访记录台账 (visits), and a 活动与服务台账 (activities), found by their headers like a children ledger. The ledger
service matches the rows to the store and decides what is new."""
from __future__ import annotations

import datetime as dt

from .ledger_columns import LEDGERS, header_index
from .ledger_header import find_header, other_ledger
from .ledger_import import ParsedLedger, ParsedSheet, _parse_sheet
from .safe_read import WorkbookData

# What an import of each kind reads: the ledgers whose sheets hold that kind of record.
IMPORT_KINDS = {"visits": ("visit_tasks", "visits"), "activities": ("activities",)}


def record_kind(book: WorkbookData) -> str | None:
    """"visits" or "activities" when a sheet of the book is such a ledger; None (a children ledger, or nothing
    importable: the children import says which)."""
    for sheet in book.sheets:
        ledger = other_ledger(sheet) if sheet.rows else None
        for kind, ledgers in IMPORT_KINDS.items():
            if ledger in ledgers:
                return kind
    return None


def parse_records(book: WorkbookData, today: dt.date, kind: str) -> ParsedLedger:
    """Every sheet holding a ledger of this kind, parsed with its own columns; other sheets are listed as ignored."""
    sheets: list[ParsedSheet] = []
    ignored: list[str] = []
    for sheet in book.sheets:
        found_kind = other_ledger(sheet) if sheet.rows else None
        if found_kind not in IMPORT_KINDS[kind]:
            if sheet.rows:
                ignored.append(sheet.name)
            continue
        ledger = LEDGERS[str(found_kind)]
        found = find_header(sheet, header_index(ledger), ledger)
        if found is None:
            ignored.append(sheet.name)
            continue
        sheets.append(_parse_sheet(sheet, found, ledger, today))
    return ParsedLedger(book.file_name, book.sha256, book.format, sheets, list(book.notes), ignored)
