"""What the exchange services return, and the county office's code of a township."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class PeerInfo:
    code: str
    name: str
    role: str
    next_seq_out: int
    acked_out: int
    last_seq_in: int
    last_in_at: dt.datetime | None
    last_out_at: dt.datetime | None
    open_conflicts: int
    children: int = 0
    late: bool = False


@dataclass(frozen=True)
class ExportResult:
    path: Path
    peer: str
    seq: int
    full: bool
    counts: dict[str, int]


@dataclass(frozen=True)
class HandEdit:
    """A visible cell (or row) that differs from the sender's signed machine copy (手工修改)."""

    id: str  # what a person accepts: "sheet:row:field", "sheet:row:+" (row added), "sheet:-:uuid" (row deleted)
    sheet: str
    row: int  # as a spreadsheet shows it; 0 for a row deleted by hand
    column: str
    old: str
    new: str
    accepted: bool


@dataclass
class ApplyResult:
    """What a package did (or, for a dry run, would do)."""

    file_name: str
    sender: str
    seq: int
    status: str  # applied, dry-run, duplicate
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    conflicts: int = 0
    refused: int = 0
    hand_edited: int = 0
    hand_added: int = 0
    missing_rows: int = 0
    notes: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)  # readable lines: 儿童档案 王某 现居住地：A → B
    hand_edits: list[HandEdit] = field(default_factory=list)
    import_id: int | None = None

    def summary(self) -> str:
        if self.status == "duplicate":
            return "；".join(self.notes) if self.notes else f"第{self.seq}号数据包已经导入过，没有任何改动"
        verb = "将" if self.status == "dry-run" else "已"
        return (f"{verb}导入{self.sender}第{self.seq}号数据包：新增{self.new}条，更新{self.changed}条，"
                f"未变{self.unchanged}条，冲突{self.conflicts}处，拒收{self.refused}条")


@dataclass(frozen=True)
class ConflictInfo:
    id: int
    peer: str
    entity: str
    entity_label: str
    record_uuid: str
    record_title: str
    field: str
    field_label: str
    base: str | None
    mine: str | None
    theirs: str | None
    theirs_by: str | None
    theirs_at: dt.datetime | None
    created_at: dt.datetime


@dataclass(frozen=True)
class DuplicateInfo:
    id_number_masked: str
    children: tuple[tuple[str, str, str], ...]  # (station name, child name, uuid)




def county_code(station_code: str) -> str:
    """The county office's code: the county part of a township's 12-digit code."""
    return station_code[:6] + "000000"
