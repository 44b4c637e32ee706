"""Excel 台账: export each ledger, preview and apply an import of a children ledger, write an error report.

One method per user action. Exports read in one session and write the file atomically; every export
is recorded in the print log (who saved which ledger, where). An import is previewed first (nothing
changes), then applied in ONE write transaction that reads its plan inside it (so two imports of the same
file cannot both add its children): new files in bulk, changed fields with change history and rev, an
import-log row with the file's name, hash, actor and counts. Rows that cannot be imported are rejected with
sheet, row, column and a Chinese reason; importing the same file again changes nothing.

The package follows the write path: `export` (a row source per ledger), `summary` (the summary sheet's
counts), `import_plan` (what an import would do: a read) and `import_write` (writing it).
"""
from __future__ import annotations

import datetime as dt
import functools
import gc
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...domain.errors import WeibaoError
from ...models.entities import ImportLog, Station, utcnow
from ...sync.ledger_import import ParsedLedger
from .. import audit
from ..base import Context, home_station
from ..dto import ChildQuery
from ..maintenance import backup_before_import
from .export import LedgerExport, write_error
from .import_plan import build_preview, make_plan, previously_imported
from .import_write import log_detail, write_plan
from .results import KIND_NAMES, ExportResult, FieldChange, ImportPreview, ImportResult, PreviewRow, RejectedCell
from .summary import summary_rows

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


def _no_cycle_collection(method):
    """Run an import with Python's cycle collector paused.

    Reading a ledger makes about a million small objects (cells, rows, values) that live until the import
    ends and hold no reference cycles; the collector's full passes over them, several per import, would
    only cost time. What is freed is freed as usual; the collector resumes (and catches up) afterwards."""
    @functools.wraps(method)
    def run(*args, **kwargs):
        paused = gc.isenabled()
        gc.disable()
        try:
            return method(*args, **kwargs)
        finally:
            if paused:
                gc.enable()

    return run


class LedgerService:
    def __init__(self, ctx: Context):
        self.ctx = ctx

    def export(self, kind: str, path: str | Path, *, category: str | None = None, village: str | None = None,
               date_from: dt.date | None = None, date_to: dt.date | None = None, query: ChildQuery | None = None,
               progress: Progress | None = None, cancelled: Cancelled | None = None,
               password: str | None = None) -> ExportResult:
        """Write one ledger to `path` (.xlsx). Filters: category and village (children, risk, visits, help),
        a period (visits, help, reports, hotline, summary); `query` exports the children list's current filter.
        `password`: an open password chosen at export (Office encryption that Excel/WPS open), never the login's."""
        return LedgerExport(self.ctx).export(kind, path, category=category, village=village, date_from=date_from,
                                             date_to=date_to, query=query, progress=progress, cancelled=cancelled,
                                             password=password)

    def summary(self, date_from: dt.date | None = None, date_to: dt.date | None = None):
        """The summary sheet's rows (village rows and the 合计 row), without writing anything."""
        today = self.ctx.today()
        with self.ctx.read() as s:
            station = home_station(s)
            return summary_rows(s, station, date_from or today.replace(day=1), date_to or today, today)

    @_no_cycle_collection
    def preview(self, path: str | Path, progress: Progress | None = None,
                cancelled: Cancelled | None = None, encoding: str | None = None,
                password: str | None = None) -> ImportPreview:
        """What importing the file would do. Changes nothing. Raises WeibaoError when the file cannot be read.

        `encoding` is the user's answer when a text file's encoding could not be told (EncodingUnknown);
        `password` opens an encrypted workbook (office_crypto.PasswordNeeded / WrongPassword otherwise)."""
        parsed, kind = self._parse(path, progress, encoding, password)
        with self.ctx.read() as s:
            station = home_station(s)
            if kind != "children":
                return self._record_preview(s, station, parsed, kind)
            plan = make_plan(s, station, parsed, self.ctx.today(), cancelled)
            previously = previously_imported(s, parsed.sha256)
        return build_preview(parsed, plan, previously)

    @_no_cycle_collection
    def apply(self, path: str | Path, *, expected_sha256: str | None = None, progress: Progress | None = None,
              cancelled: Cancelled | None = None, encoding: str | None = None,
              password: str | None = None) -> ImportResult:
        """Import every accepted row in one transaction, or nothing. Rejected rows are left out (and listed).

        `expected_sha256` (from the preview the user confirmed) refuses a file that changed since. The file is
        read first; the plan is read inside the write transaction, against the store as it is then. The store
        is backed up before anything else (a long read of a big file must not come before the safety copy)."""
        backup_before_import(self.ctx.store, "ledger")
        parsed, kind = self._parse(path, progress, encoding, password)
        if expected_sha256 and parsed.sha256 != expected_sha256:
            raise WeibaoError("文件在预览之后被修改过，请重新预览后再导入", "file")
        today = self.ctx.today()
        with self.ctx.tx() as s:
            station = home_station(s)
            if kind != "children":
                return self._apply_records(s, station, parsed, kind)
            plan = make_plan(s, station, parsed, today, cancelled)
            preview = build_preview(parsed, plan, previously_imported(s, parsed.sha256))
            if cancelled is not None and cancelled():
                raise WeibaoError("已取消导入，数据没有被修改", "cancelled")
            log = ImportLog(kind="ledger", file_name=parsed.file_name[:260], file_hash=parsed.sha256,
                            actor=self.ctx.actor.name, started_at=utcnow(), counts=preview.counts,
                            detail=log_detail(preview))
            s.add(log)
            s.flush()
            write_plan(s, station, plan, parsed.file_name, log.id, self.ctx.actor, today, progress)
            audit.append(s, self.ctx.actor, "ledger_import", audit.file_name(parsed.file_name),
                         {k: v for k, v in preview.counts.items() if isinstance(v, int)})
            return ImportResult(preview, log.id, True)

    def imports(self, limit: int = 20) -> list[tuple[dt.datetime, str, str, dict]]:
        """Recent ledger imports: (when, file name, who, counts), newest first."""
        with self.ctx.read() as s:
            rows = s.scalars(select(ImportLog).where(ImportLog.kind == "ledger")
                             .order_by(ImportLog.started_at.desc(), ImportLog.id.desc()).limit(limit))
            return [(r.started_at, r.file_name, r.actor, dict(r.counts or {})) for r in rows]

    def write_error_report(self, preview: ImportPreview, path: str | Path) -> Path:
        """The rejected rows as the file had them, the reason beside each, the bad cells highlighted.

        The sender fixes the rows in this workbook and sends it again: it imports like any ledger."""
        from ...sync.error_report import write_error_report

        try:
            written = write_error_report(preview, path, self.ctx.store.private_temp())
        except OSError as e:
            raise write_error(Path(path), e) from None
        audit.record(self.ctx, "error_report", audit.file_name(written), {"rows": len(preview.rejected)})
        return written

    def _record_preview(self, s: Session, station: Station, parsed: ParsedLedger, kind: str) -> ImportPreview:
        from .record_import import PLANNERS

        planner = PLANNERS[kind](s, station, parsed, self.ctx.today())
        return planner.preview(previously_imported(s, parsed.sha256))

    def _apply_records(self, s: Session, station: Station, parsed: ParsedLedger, kind: str) -> ImportResult:
        """Every new record of the workbook through its one write path, in this transaction."""
        from .record_import import PLANNERS

        planner = PLANNERS[kind](s, station, parsed, self.ctx.today())
        preview = planner.preview(previously_imported(s, parsed.sha256))
        log = ImportLog(kind="ledger", file_name=parsed.file_name[:260], file_hash=parsed.sha256,
                        actor=self.ctx.actor.name, started_at=utcnow(), counts=preview.counts,
                        detail=log_detail(preview))
        s.add(log)
        s.flush()
        planner.write(self.ctx.actor)
        return ImportResult(preview, log.id, True)

    def _parse(self, path: str | Path, progress: Progress | None, encoding: str | None = None,
               password: str | None = None) -> tuple[ParsedLedger, str]:
        """The file's ledger, parsed, and what it holds: "children", "visits" (a 走访任务表 or 走访记录台账) or
        "activities" (a 活动与服务台账)."""
        from ...sync.ledger_import import parse_children
        from ...sync.record_import import parse_records, record_kind
        from ...sync.safe_read import read_workbook

        if progress:
            progress(0, 0)
        book = read_workbook(path, encoding, password)
        kind = record_kind(book)
        if kind is not None:
            return parse_records(book, self.ctx.today(), kind), kind
        return parse_children(book, self.ctx.today()), "children"


__all__ = ["LedgerService", "ExportResult", "ImportPreview", "ImportResult", "PreviewRow", "RejectedCell",
           "FieldChange", "KIND_NAMES"]
