"""Writing a planned children-ledger import: new files in bulk, changed files record by record (with their
change history), through the one write path of `services.records`."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy.orm import Session

from ...domain.cadence import Cadence, next_visit_due
from ...domain.codes import split_codes
from ...models.entities import Assessment, CategoryMembership, Child, Person, Relief, Station
from ..base import Actor
from ..queries import current_categories, current_reliefs, family_of
from ..records import Bulk, apply_changes, child_defaults, new_record, person_values, refresh_colour_due, refresh_visits
from ..stations import station_cadence
from .import_plan import ImportPlan
from .import_plan import person_values as given_person_values
from .results import CHILD_FIELDS, MAX_LISTED, PERSON_FIELDS, PERSON_KEYS, RELATIONS, ImportPreview


def write_plan(s: Session, station: Station, plan: ImportPlan, file_name: str, batch: int, actor: Actor,
               today: dt.date, progress: Callable[[int, int], None] | None) -> None:
    cadence = station_cadence(station)
    reason = f"依据台账《{file_name}》导入"[:5000]
    total = len(plan.new) + len(plan.changed)
    insert_new(Bulk.begin(s, actor.name, station.code), station, plan.new, today, cadence, reason)
    if progress:
        progress(len(plan.new), total)
    for n, (_row, child_id, values, village_id, _) in enumerate(plan.changed, start=1):
        update(s, station, s.get_one(Child, child_id), values, village_id, reason, batch, today, cadence, actor)
        if progress and n % 200 == 0:
            progress(len(plan.new) + n, total)
    s.flush()


_CHILD_FIELDS = [f for f in CHILD_FIELDS if f != "hukou_registered"]
_CHILD_COLUMNS = (*_CHILD_FIELDS, "id", "uuid", "village_id", "station_id", "risk_colour", "colour_set_on",
                  "next_visit_due", "hukou_registered")
_PERSON_COLUMNS = ("child_id", "relation", *PERSON_FIELDS, "is_guardian", "uuid")


def insert_new(bulk: Bulk, station: Station, new: list, today: dt.date, cadence: Cadence, reason: str) -> None:
    """New files and what hangs on them, as bulk inserts (no history lines: a new record's creation is
    its own record). Rows are tuples; what every row shares is passed once."""
    child_ids = bulk.ids(Child, len(new))
    uuid = bulk.uuid
    due: dict = {}  # next visit due per colour: every new file is opened today
    defaults = child_defaults({}, today)
    hukou_at = CHILD_FIELDS.index("hukou_registered")
    children: list[tuple] = []
    people: list[tuple] = []
    cats: list[tuple] = []
    reliefs: list[tuple] = []
    assessments: list[tuple] = []
    split: dict = {}
    for cid, (_, values, village_id, station_id) in zip(child_ids, new, strict=False):
        get = values.get
        colour = get("risk_colour")
        if colour not in due:
            due[colour] = next_visit_due(colour, cadence, last_visit_on=None, opened_on=today)
        record = list(map(get, CHILD_FIELDS))
        hukou = record[hukou_at]
        del record[hukou_at]
        children.append((*record, cid, get("uuid") or uuid(), village_id, station_id, colour,
                         today if colour else None, due[colour], defaults["hukou_registered"] if hukou is None else hukou))
        for relation, keys in PERSON_KEYS.items():
            if values.keys().isdisjoint(keys):
                continue
            person = person_values({"relation": relation, **dict(zip(PERSON_FIELDS, map(get, keys), strict=True))},
                                   new=True)
            people.append((cid, relation, *(person[f] for f in PERSON_FIELDS), person["is_guardian"], uuid()))
        for key, out in (("categories", cats), ("reliefs", reliefs)):
            stored = get(key)
            if stored:
                codes = split.get(stored)
                if codes is None:
                    codes = split[stored] = split_codes(stored)
                out.extend((cid, code, uuid()) for code in codes)
        if colour:
            assessments.append((cid, colour, uuid()))
    bulk.insert(Child, _CHILD_COLUMNS, children,
                {"red_deferral": None, "closed_reason": None, "closed_note": None,
                 "closed_on": None, "last_visit_on": None, "status": defaults["status"],
                 "opened_on": defaults["opened_on"]})
    bulk.insert(Person, _PERSON_COLUMNS, people, {"birth_date": None})
    bulk.insert(CategoryMembership, ("child_id", "category", "uuid"), cats, {"start_on": today, "end_on": None})
    bulk.insert(Relief, ("child_id", "kind", "uuid"), reliefs,
                {"start_on": today, "end_on": None, "amount": None, "note": reason})
    bulk.insert(Assessment, ("child_id", "result", "uuid"), assessments,
                {"kind": "risk", "assessed_on": today, "assessor": bulk.actor, "guardianship_type": None,
                 "reason": reason})


def update(s: Session, station: Station, child: Child, values: dict, village_id: int | None, reason: str,
           batch: int, today: dt.date, cadence: Cadence, actor: Actor) -> None:
    origin = station.code
    fields = {name: values[name] for name in CHILD_FIELDS if name in values}
    if village_id is not None:
        fields["village_id"] = village_id
    colour = values.get("risk_colour")
    if colour and colour != child.risk_colour:
        new_record(s, Assessment, {"child_id": child.id, "kind": "risk", "assessed_on": today, "assessor": actor.name,
                                   "result": colour, "guardianship_type": None, "reason": reason}, actor, origin=origin)
        fields["risk_colour"] = colour
        if colour != "red":
            fields["red_deferral"] = None
    colour_changed = "risk_colour" in fields
    changed = apply_changes(s, child, fields, actor, origin=origin, batch=batch)
    if colour_changed:
        refresh_colour_due(s, child, cadence, today)
    elif "placement" in changed:
        refresh_visits(s, child, cadence)
    current = {code for _, code in s.execute(current_categories([child.id], today))}
    for code in split_codes(values.get("categories")):
        if code not in current:
            new_record(s, CategoryMembership, {"child_id": child.id, "category": code, "start_on": today}, actor,
                       origin=origin)
    current = {kind for _, kind in s.execute(current_reliefs([child.id], today))}
    for code in split_codes(values.get("reliefs")):
        if code not in current:
            new_record(s, Relief, {"child_id": child.id, "kind": code, "start_on": today, "note": reason}, actor,
                       origin=origin)
    for relation in RELATIONS:
        given = given_person_values(values, relation)
        if not given:
            continue
        person = next((p for _, p in s.execute(family_of([child.id])) if p.relation == relation), None)
        if person is None:
            if given.get("name"):
                owner = {"household_id": child.household_id} if child.household_id else {"child_id": child.id}
                new_record(s, Person, {**dict.fromkeys(PERSON_FIELDS), **given, **owner,
                                       "relation": relation, "birth_date": None}, actor, origin=origin)
            continue
        apply_changes(s, person, given, actor, origin=origin, batch=batch)


def log_detail(preview: ImportPreview) -> dict:
    return {
        "format": preview.format,
        "sheets": list(preview.sheets),
        "unknown_columns": [list(u) for u in preview.unknown_columns],
        "rejected": [{"sheet": r.sheet, "row": r.row, "column": r.column, "reason": r.reason}
                     for r in preview.rejected[:MAX_LISTED]],
        "skipped_rows": preview.skipped_rows,
        "notes": list(preview.notes),
    }
