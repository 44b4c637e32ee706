"""The imports of records other than children, by what the workbook holds (sync.record_import.record_kind)."""
from __future__ import annotations

import datetime as dt
from typing import Protocol

from sqlalchemy.orm import Session

from ...models.entities import Station
from ...sync.ledger_import import ParsedLedger
from .activity_import import ActivityImport
from .results import ImportPreview
from .visit_import import VisitImport


class RecordImport(Protocol):
    def __init__(self, s: Session, station: Station, parsed: ParsedLedger, today: dt.date): ...

    def preview(self, previously: str | None) -> ImportPreview: ...

    def write(self, actor) -> None: ...


PLANNERS: dict[str, type[RecordImport]] = {"visits": VisitImport, "activities": ActivityImport}
