"""What the ledger services return, and the names of the children ledger's columns they share."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ...domain.fields import BY_ENTITY
from ...sync.ledger_columns import LEDGERS, SUMMARY_TITLE
from ...sync.ledger_import import CellProblem

# A ledger's title is its spec's; the summary sheet has no column spec of its own.
KIND_NAMES = {**{kind: ledger.title for kind, ledger in LEDGERS.items()}, "summary": SUMMARY_TITLE}
CHILD_FIELDS = [s.name for s in BY_ENTITY["child"] if s.name != "village_id"]
PERSON_FIELDS = ("name", "id_number", "phone", "status", "work_place", "relation_detail", "address")
RELATIONS = {"father": "父亲", "mother": "母亲", "entrusted": "被委托人"}
PERSON_KEYS = {r: [f"{r}.{f}" for f in PERSON_FIELDS] for r in RELATIONS}
CHUNK = 500  # ids per IN (...) query
MAX_LISTED = 2000  # rejected rows and changes kept in the import log's detail

# A rejected cell of an import is the reader's CellProblem, with the row's child name filled in.
RejectedCell = CellProblem


@dataclass(frozen=True)
class ExportResult:
    path: Path
    kind: str
    title: str
    rows: int


@dataclass(frozen=True)
class FieldChange:
    field: str  # the label the user reads: 联系电话, 父亲·联系电话, 儿童类别
    old: str
    new: str


@dataclass(frozen=True)
class PreviewRow:
    sheet: str
    row: int
    name: str
    id_masked: str
    village: str | None = None
    changes: tuple[FieldChange, ...] = ()  # for a changed file; for a new one, what it will hold


@dataclass(frozen=True)
class ImportPreview:
    file_name: str
    sha256: str
    format: str
    sheets: tuple[str, ...]
    new: tuple[PreviewRow, ...]
    changed: tuple[PreviewRow, ...]
    unchanged: tuple[PreviewRow, ...]
    rejected: tuple[CellProblem, ...]  # one entry per problem; a row may have several
    rejected_rows: int
    unknown_columns: tuple[tuple[str, str, str], ...]  # (sheet, letter, header)
    notes: tuple[str, ...]  # how the file was read (trimmed rows, skipped sheets, single-category title …)
    warnings: tuple[str, ...]  # what will need attention after the import (red without action …)
    skipped_rows: int  # 合计, 栏次, sign-off rows
    previously: str | None = None  # "2024-06-14 10:02 由 张三 导入过" when the same file was applied before
    _rows: tuple = field(default=(), repr=False, compare=False)  # rejected rows' cells, for the error report
    _headers: tuple = field(default=(), repr=False, compare=False)
    kind: str = "children"  # or "visits": a 走访任务表 / 走访记录台账 from a village

    @property
    def counts(self) -> dict[str, int]:
        return {"new": len(self.new), "changed": len(self.changed), "unchanged": len(self.unchanged),
                "rejected": self.rejected_rows}

    def summary(self) -> str:
        counts = self.counts
        if self.kind == "activities":
            return f"新增 {counts['new']} 次活动，已有 {counts['unchanged']} 次，未导入 {counts['rejected']} 行"
        if self.kind == "visits":
            return (f"新增 {counts['new']} 条走访记录，已导入过 {counts['unchanged']} 条，"
                    f"未导入 {counts['rejected']} 行")
        return (f"新增 {counts['new']} 份档案，修改 {counts['changed']} 份，无变化 {counts['unchanged']} 份，"
                f"未导入 {counts['rejected']} 行")


@dataclass(frozen=True)
class ImportResult:
    preview: ImportPreview
    log_id: int
    applied: bool


def chunks(items, n: int = CHUNK):
    items = list(items)
    for i in range(0, len(items), n):
        yield items[i:i + n]
