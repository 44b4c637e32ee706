"""Activities coming in from a 活动与服务台账 (one exported earlier, or kept by hand): each row a new activity,
validated like one entered in the form, written by the activities' service rules. A row whose 记录编号 is already in
the store, or that repeats an activity already there (same day, start, type and place), is unchanged: importing the
same ledger again adds nothing. The 参与儿童 column is not linked to files (names alone do not say which child)."""
from __future__ import annotations

import datetime as dt
from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...domain.codes import ACTIVITY_KIND
from ...domain.errors import WeibaoError
from ...domain.fields import clean_values, label_of
from ...models.entities import Station, Village
from ...models.station_work import Activity
from ...sync.ledger_import import CellProblem, ParsedLedger, ParsedRow
from ..queries import live
from ..records import new_record
from ..station_work import ActivityService
from .results import FieldChange, ImportPreview, PreviewRow

FIELDS = ("held_on", "start_time", "end_time", "kind", "place", "organiser", "partners", "children_count",
          "parents_count", "content", "evidence")


class ActivityImport:
    def __init__(self, s: Session, station: Station, parsed: ParsedLedger, today: dt.date):
        self.s, self.station, self.parsed = s, station, parsed
        self.new: list[tuple[ParsedRow, dict, Village | None]] = []
        self.unchanged: list[ParsedRow] = []
        self.rejected: list[tuple[ParsedRow, list[CellProblem]]] = []
        villages = {v.name: v for v in s.scalars(select(Village).where(Village.station_id == station.id))}
        seen: dict[tuple, int] = {}
        for sheet in parsed.sheets:
            columns = sheet.column_map()
            for row in sheet.rows:
                values = {k: row.values[k] for k in FIELDS if row.values.get(k) is not None}
                village = villages.get(row.values.get("village") or "")
                if row.values.get("village") and village is None:
                    row.problem("village", f"本工作站没有村(社区)“{row.values['village']}”", columns)
                if not row.problems:
                    try:
                        clean = ActivityService.checked(clean_values("activity", values, partial=False, today=today),
                                                        village, 0)
                    except WeibaoError as e:
                        row.problem(e.field if e.field in columns else None, e.message, columns)
                if row.problems:
                    self.rejected.append((row, list(row.problems)))
                    continue
                key = (clean["held_on"], clean["start_time"], clean["kind"], clean["place"])
                if self._known(row.values.get("uuid"), key):
                    self.unchanged.append(row)
                elif key in seen:
                    row.problem(None, f"与第{seen[key]}行是同一次活动（同一天、同一开始时间、类型和地点）", columns)
                    self.rejected.append((row, list(row.problems)))
                else:
                    seen[key] = row.row
                    self.new.append((row, clean, village))

    def _known(self, uuid: str | None, key: tuple) -> bool:
        base = select(Activity.id).where(Activity.station_id == self.station.id, live(Activity))
        if uuid and self.s.scalar(base.where(Activity.uuid == uuid)) is not None:
            return True
        held_on, start, kind, place = key
        return self.s.scalar(base.where(Activity.held_on == held_on, Activity.start_time == start,
                                        Activity.kind == kind, Activity.place == place).limit(1)) is not None

    def preview(self, previously: str | None) -> ImportPreview:
        def shown(k: str, v) -> str:
            if k == "kind":
                return ACTIVITY_KIND.label_of(v)
            return f"{v:%Y-%m-%d}" if isinstance(v, dt.date) else str(v)

        def head(row: ParsedRow, village: Village | None, changes=()) -> PreviewRow:
            return PreviewRow(row.sheet, row.row, f"{row.values.get('held_on') or ''} {row.values.get('place') or ''}"
                              .strip(), "", village.name if village else None, tuple(changes))

        new = tuple(head(r, v, (FieldChange(label_of("activity", k), "", shown(k, x)) for k, x in clean.items()
                                if x is not None)) for r, clean, v in self.new)
        unchanged = tuple(head(r, None) for r in self.unchanged)
        rejected = [replace(p, name=str(row.values.get("held_on") or "")) for row, problems in self.rejected
                    for p in problems]
        notes = list(self.parsed.notes)
        if self.parsed.ignored_sheets:
            notes.append(f"以下工作表不是活动与服务台账，未读取：{'、'.join(self.parsed.ignored_sheets)}。")
        notes.append("“参与儿童”一栏不导入（仅凭姓名无法确定是哪份档案），需要时请在活动中关联儿童档案。")
        unknown = tuple((sh.name, letter, header) for sh in self.parsed.sheets for letter, header in sh.unknown)
        rejected_rows = tuple((row.sheet, row.row, list(row.raw), [(p.column, p.reason) for p in problems])
                              for row, problems in self.rejected)
        headers = {sh.name: list(sh.headers) for sh in self.parsed.sheets}
        return ImportPreview(
            self.parsed.file_name, self.parsed.sha256, self.parsed.format, tuple(sh.name for sh in self.parsed.sheets),
            new, (), unchanged, tuple(rejected), len(self.rejected), unknown, tuple(notes), (),
            sum(sh.skipped for sh in self.parsed.sheets), previously, rejected_rows, tuple(headers.items()),
            kind="activities",
        )

    def write(self, actor) -> None:
        for _row, clean, village in self.new:
            new_record(self.s, Activity, {**clean, "station_id": self.station.id,
                                          "village_id": village.id if village else None}, actor,
                       origin=self.station.code)
