"""What of each travelling record crosses to the other side, in one canonical text form.

A record's *content* is a dict {field: text or None}: its own fields (stored values rendered with
`domain.fields.to_text`), references to other records by uuid, and its tombstone. Local ids,
bookkeeping (rev, updated_*) and values derived locally (a child's colour and due dates) are not
content: each side derives them from the records it holds. The row checksum is taken over content.
"""
from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from ..domain.fields import BY_ENTITY, label_of, spec_of, to_text
from ..models.entities import (
    Assessment,
    CategoryMembership,
    Child,
    HelpMeasure,
    HotlineCall,
    Person,
    Referral,
    Relief,
    ReportClue,
    Visit,
)
from ..models.households import CareArrangement, Household
from ..models.station_work import Activity, Incident


@dataclass(frozen=True)
class Ref:
    column: str  # the foreign-key column on the record
    key: str  # its name in content: the referenced record's uuid
    entity: str
    label: str


@dataclass(frozen=True)
class EntitySpec:
    name: str
    model: type[Any]  # the entity's ORM class; its columns are looked up by name
    sheet: str
    fields: tuple[str, ...]  # own content fields, in sheet order
    refs: tuple[Ref, ...] = ()
    # A record of a station as such (it has station_id and a village, not a child): found, scoped and created
    # by its station, and a township's package may name only that township's villages for it.
    by_station: bool = False

    @property
    def content_keys(self) -> tuple[str, ...]:
        return (*(r.key for r in self.refs), *self.fields, "deleted_at")


_CHILD_REF = Ref("child_id", "child_uuid", "child", "儿童编号")
_CLUE_REF = Ref("clue_id", "clue_uuid", "report_clue", "线索编号")
_HOUSEHOLD_REF = Ref("household_id", "household_uuid", "household", "家庭编号")


def _own(entity: str, *extra: str) -> tuple[str, ...]:
    return (*(s.name for s in BY_ENTITY[entity] if s.kind != "ref"), *extra)


# Apply order: a record's references come before it.
ENTITIES: tuple[EntitySpec, ...] = (
    EntitySpec("household", Household, "家庭档案", ("village_code", *_own("household")), by_station=True),
    EntitySpec("child", Child, "儿童档案",
               ("village_code", *_own("child", "red_deferral", "status", "closed_reason", "closed_note", "closed_on",
                                      "opened_on")), (_HOUSEHOLD_REF,)),
    EntitySpec("person", Person, "家庭成员", _own("person"), (_CHILD_REF, _HOUSEHOLD_REF)),
    EntitySpec("care_arrangement", CareArrangement, "监护与照护安排", _own("care_arrangement"), (_CHILD_REF,)),
    EntitySpec("category_membership", CategoryMembership, "儿童类别", _own("category_membership"), (_CHILD_REF,)),
    EntitySpec("relief", Relief, "已享受救助", _own("relief"), (_CHILD_REF,)),
    EntitySpec("assessment", Assessment, "评估记录", _own("assessment"), (_CHILD_REF,)),
    EntitySpec("visit", Visit, "走访记录", _own("visit"), (_CHILD_REF,)),
    EntitySpec("help_measure", HelpMeasure, "帮扶措施", _own("help_measure"), (_CHILD_REF,)),
    EntitySpec("report_clue", ReportClue, "强制报告线索", _own("report_clue", "state"), (_CHILD_REF,)),
    EntitySpec("referral", Referral, "转介记录", _own("referral"), (_CHILD_REF, _CLUE_REF)),
    EntitySpec("hotline_call", HotlineCall, "热线记录", _own("hotline_call"), (_CHILD_REF, _CLUE_REF)),
    EntitySpec("incident", Incident, "重大事项", _own("incident"), (_CHILD_REF,)),
    # Activities travel so the county's 月报 sums its townships'; who took part (links to files), photos and
    # sign-in sheets stay at the station: the county gets the numbers (children_count, parents_count).
    EntitySpec("activity", Activity, "活动记录", ("village_code", *_own("activity")), by_station=True),
)
BY_NAME = {e.name: e for e in ENTITIES}
BY_SHEET = {e.sheet: e for e in ENTITIES}

# Fields that are not in domain.fields because the services set them; how they are labelled and kept.
EXTRA_LABELS = {
    "village_code": "村(社区)代码", "red_deferral": "红色暂缓说明", "status": "档案状态", "closed_reason": "销档原因",
    "closed_note": "销档说明", "closed_on": "销档日期", "opened_on": "建档日期", "state": "状态", "deleted_at": "删除时间",
}
EXTRA_KINDS = {"closed_on": "date", "opened_on": "date", "deleted_at": "datetime"}


@functools.cache
def label(entity: str, field: str) -> str:
    spec = spec_of(entity, field)
    return spec.label if spec else EXTRA_LABELS.get(field, label_of(entity, field))


@functools.cache
def kind(entity: str, field: str) -> str:
    spec = spec_of(entity, field)
    return spec.kind if spec else EXTRA_KINDS.get(field, "text")


def content_of(record, spec: EntitySpec, uuids: dict[tuple[str, int], str], village_codes: dict[int, str]) -> dict:
    """The canonical content of a record. `uuids` maps (entity, local id) to uuid for references."""
    out: dict[str, str | None] = {}
    for ref in spec.refs:
        local = getattr(record, ref.column)
        out[ref.key] = uuids.get((ref.entity, local)) if local is not None else None
    for name in spec.fields:
        if name == "village_code":
            out[name] = village_codes.get(record.village_id) if record.village_id else None
        else:
            out[name] = to_text(_trim(getattr(record, name)))
    out["deleted_at"] = to_text(_trim(record.deleted_at))
    return out


def _trim(value):
    # Spreadsheets keep times to the second; content does too, so a round trip is exact.
    if hasattr(value, "microsecond") and hasattr(value, "hour"):
        return value.replace(microsecond=0)
    return value


def checksum(content: dict) -> str:
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
