"""The one write path of travelling records (children, family, categories, help, visits, reports, calls).

Every path that writes one — the interactive services, the ledger import, the exchange apply and the demo —
creates, changes and tombstones it here, so these hold for every record whichever way it arrived:
- sync columns: uuid, origin, created/updated (UTC) and by whom, `rev` bumped once per change, `change_seq`
  (one step of the store's counter per transaction: what an incremental exchange package sends);
- change history: one line per field that really changed (who, when, old → new, the import batch);
- text: the rule of `domain.text` (no NUL, controls, zero-width or bidi characters, `_xHHHH_` escapes);
- defaults and derived fields: a child's file is registered (户口) unless said otherwise, opens active
  today; a dead relative has no phone or work place; whether a relative is the guardian, when not said,
  is inferred the same way (an entrusted carer, or a parent at home); the next visit due date follows
  colour, cadence, placement and the visits that count; category codes renamed since (0010) are mapped;
  a child's or relative's `name_key` (pinyin order, `domain.name_order`) follows the name, without a history
  line of its own.

Two forms: per record (`new_record`, `apply_changes`, `tombstone`) for interactive saves and merges, and
`Bulk` for thousands of new records at once (executemany, constants bound once, no ORM objects).
"""
from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from operator import itemgetter

from sqlalchemy import String, Text, event, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from ..domain.cadence import Cadence, next_visit_due
from ..domain.codes import LEGACY_CATEGORY
from ..domain.fields import BY_ENTITY, to_text
from ..domain.name_order import name_key
from ..domain.text import has_noise, strip_noise
from ..models.bulk import insert_rows, new_uuids, next_ids, sync_id_sequences, table_of
from ..models.entities import (
    Assessment,
    CategoryMembership,
    ChangeLog,
    Child,
    Person,
    Setting,
    Station,
    Visit,
    utcnow,
)
from .base import Actor
from .queries import counting_visit, latest_visits, live


def change_seq(session: Session) -> int:
    """This transaction's value of the store's change counter (one step per transaction).

    Records stamped with it are what an incremental exchange package sends; it only grows.
    """
    seq = session.info.get("change_seq")
    if seq is None:
        row = session.get(Setting, "change_seq", with_for_update=True)
        if row is None:
            row = Setting(key="change_seq", value=0)
            session.add(row)
        seq = int(str(row.value or 0)) + 1
        row.value = seq
        session.info["change_seq"] = seq
    return seq


@event.listens_for(Session, "after_transaction_end")
def _forget_change_seq(session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop("change_seq", None)


@functools.cache
def _text_columns(table_name: str, columns: tuple[str, ...] | None = None) -> dict[str, bool]:
    """{column: multiline} of the text columns of a table (all, or those named): long texts keep line breaks."""
    from ..models.entities import Base

    table = Base.metadata.tables[table_name]
    long = {s.name for s in BY_ENTITY.get(table_name, ()) if s.kind == "longtext"}
    names = columns if columns is not None else tuple(c.name for c in table.columns)
    return {n: n in long for n in names if n in table.c and isinstance(table.c[n].type, (String, Text))}


def stored_text(table_name: str, values: dict) -> dict:
    """`values` with the text rule applied to its text columns (a copy only when something changes)."""
    out = values
    for name, multiline in _text_columns(table_name).items():
        v = values.get(name)
        if v.__class__ is str and has_noise(v, multiline=multiline):
            if out is values:
                out = dict(values)
            out[name] = strip_noise(v, multiline=multiline)
    return out


def person_values(values: dict, *, new: bool) -> dict:
    """A relative's derived fields: a dead relative has no phone or work place; a new relative whose
    guardianship is not stated is the guardian when an entrusted carer or a parent living at home."""
    out = dict(values)
    if out.get("status") == "dead":
        out["phone"] = out["work_place"] = None
    if new and out.get("is_guardian") is None:
        out["is_guardian"] = is_guardian(out.get("relation"), out.get("status"))
    return out


def is_guardian(relation: str | None, status: str | None) -> bool:
    return relation == "entrusted" or status == "home"


def child_defaults(values: dict, today: dt.date) -> dict:
    """A new child's file: registered unless said otherwise, active, opened today unless it says when."""
    out = dict(values)
    if out.get("hukou_registered") is None:
        out["hukou_registered"] = True
    out["status"] = out.get("status") or "active"
    out["opened_on"] = out.get("opened_on") or today
    return out


_NAMED = (Child, Person)  # records whose name carries a pinyin sort key


def _derived(model, values: dict, *, new: bool) -> dict:
    values = stored_text(model.__tablename__, values)
    if model is CategoryMembership and values.get("category") in LEGACY_CATEGORY:
        values = {**values, "category": LEGACY_CATEGORY[values["category"]]}
    if model is Person and (new or "status" in values):
        values = person_values(values, new=new)
    if new and model in _NAMED:
        values = {**values, "name_key": name_key(values.get("name"))}
    return values


def apply_changes(session: Session, record, values: dict, actor: Actor, *, origin: str,
                  batch: int | None = None) -> dict[str, tuple]:
    """Set the given fields; for each one whose value really changes, bump rev once and write history.

    Returns {field: (old, new)} of what changed; nothing is written when nothing changed.
    """
    values = _derived(type(record), values, new=False)
    changed = {}
    for name, new in values.items():
        if name == "name_key":  # derived below, never a change of its own
            continue
        old = getattr(record, name)
        if _same(old, new):
            continue
        changed[name] = (old, new)
    if not changed:
        return changed
    now = utcnow()
    record.rev = (record.rev or 0) + 1
    record.updated_at = now
    record.updated_by = actor.name
    record.change_seq = change_seq(session)
    for name, (_old, new) in changed.items():
        setattr(record, name, new)
    if "name" in changed and isinstance(record, _NAMED):
        record.name_key = name_key(record.name)
    session.add_all(
        ChangeLog(
            entity=record.__tablename__,
            record_uuid=record.uuid,
            rev=record.rev,
            field=name,
            old_value=to_text(old),
            new_value=to_text(new),
            changed_at=now,
            actor=actor.name,
            origin=origin,
            batch=batch,
        )
        for name, (old, new) in changed.items()
    )
    return changed


def new_record(session: Session, model, values: dict, actor: Actor, *, origin: str, today: dt.date | None = None):
    """A new travelling record. `values` may carry created_at/created_by of a record born elsewhere."""
    values = _derived(model, values, new=True)
    if model is Child:
        values = child_defaults(values, today or dt.date.today())
    now = utcnow()
    fields = {"created_at": now, "created_by": actor.name, **values}
    record = model(
        origin=origin, updated_at=now, updated_by=actor.name, rev=1, change_seq=change_seq(session), **fields)
    session.add(record)
    return record


def tombstone(session: Session, record, actor: Actor, *, origin: str) -> None:
    """A record that may have travelled is never hard-deleted: it is marked, with history."""
    if record.deleted_at is None:
        apply_changes(session, record, {"deleted_at": utcnow()}, actor, origin=origin)


def _same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return a == b


@dataclass
class Bulk:
    """The bulk form: many new records in the session's transaction, as executemany inserts.

    Sync columns are stamped the same for every row and passed once; text columns are checked a column at a
    time (one regex search over the column's distinct values joined), so clean data costs almost nothing."""

    conn: Connection
    actor: str
    origin: str
    seq: int
    now: dt.datetime = field(default_factory=utcnow)

    def __post_init__(self) -> None:
        # A fresh uuid per call, drawn from pools of thousands: a million rows do not call uuid4 a million times.
        self.uuid: Callable[[], str] = uuid_stream().__next__

    @classmethod
    def begin(cls, session: Session, actor: str, origin: str) -> Bulk:
        return cls(session.connection(), actor, origin, change_seq(session))

    def sync(self) -> dict:
        """The sync columns every record born in this batch shares."""
        return {"origin": self.origin, "created_at": self.now, "created_by": self.actor, "updated_at": self.now,
                "updated_by": self.actor, "rev": 1, "deleted_at": None, "change_seq": self.seq}

    def ids(self, model, n: int) -> list[int]:
        return next_ids(self.conn, table_of(model), n)

    def insert(self, model, columns: Sequence[str], rows: list[tuple], constants: dict | None = None) -> None:
        """Rows as tuples in `columns` order; what every row shares (sync columns included) passed once."""
        table = table_of(model)
        rows = _clean_tuples(table.name, columns, rows)
        if model in _NAMED and "name" in columns and "name_key" not in columns:
            at = list(columns).index("name")
            columns = (*columns, "name_key")
            rows = [(*row, name_key(row[at])) for row in rows]
        if model is CategoryMembership and "category" in columns:
            rows = _renamed_codes(rows, list(columns).index("category"), LEGACY_CATEGORY)
        shared = {**self.sync(), **(constants or {})}
        for name in columns:
            shared.pop(name, None)
        insert_rows(self.conn, table, columns, rows, stored_text(table.name, shared))

    def insert_dicts(self, model, rows: list[dict]) -> None:
        """Whole rows as dicts with the same keys (records born elsewhere carry their own sync columns)."""
        if not rows:
            return
        columns = tuple(rows[0])
        rows_as_tuples = list(map(itemgetter(*columns), rows)) if len(columns) > 1 else [(r[columns[0]],) for r in rows]
        self.insert(model, columns, rows_as_tuples, {})
        sync_id_sequences(self.conn, [table_of(model)])


def uuid_stream() -> Iterator[str]:
    """Fresh random uuids without end, made thousands at a time (`models.bulk.new_uuids`)."""
    while True:
        yield from new_uuids(4096)


def _renamed_codes(rows: list[tuple], at: int, renamed: dict[str, str]) -> list[tuple]:
    """Codes an older store or package may still send (`domain.codes.LEGACY_CATEGORY`), as they are now."""
    return [row if row[at] not in renamed else (*row[:at], renamed[row[at]], *row[at + 1:]) for row in rows]


def _clean_tuples(table_name: str, columns: Sequence[str], rows: list[tuple]) -> list[tuple]:
    text = _text_columns(table_name, tuple(columns))
    for i, name in enumerate(columns):
        if name not in text:
            continue
        multiline = text[name]
        # Each distinct value once (texts repeat: villages, visitors, stock phrases); str(None) holds no noise.
        if not has_noise(" ".join(map(str, set(map(itemgetter(i), rows)))), multiline=multiline):
            continue
        for n, c in enumerate(map(itemgetter(i), rows)):
            if c.__class__ is str and has_noise(c, multiline=multiline):
                row = list(rows[n])
                row[i] = strip_noise(c, multiline=multiline)
                rows[n] = tuple(row)
    return rows


def recompute_due(child: Child, cadence: Cadence, *, planned_on: dt.date | None) -> None:
    """Derived, not user-edited: written without change history; closed files have nothing due.
    `child.last_visit_on` is the last visit that counts for the child's colour and placement."""
    if child.status != "active" or child.deleted_at is not None:
        child.next_visit_due = None
        return
    child.next_visit_due = next_visit_due(
        child.risk_colour, cadence, last_visit_on=child.last_visit_on, opened_on=child.opened_on,
        planned_on=planned_on, colour_set_on=child.colour_set_on,
    )


def refresh_visits(session: Session, child: Child, cadence: Cadence) -> None:
    """After a visit is added, edited or deleted, or the colour or placement changed (which visits count
    may change with them): last counting visit and next due from the live visits."""
    session.flush()
    last = latest_visits(session, Visit.child_id == child.id, counting_visit(cadence)).get(child.id)
    child.last_visit_on = last[0] if last else None
    recompute_due(child, cadence, planned_on=last[1] if last else None)


def refresh_colour_due(session: Session, child: Child, cadence: Cadence, today: dt.date) -> None:
    """After the colour changed: set today, and the due date follows (from the latest counting visit)."""
    child.colour_set_on = today
    refresh_visits(session, child, cadence)


def refresh_children(session: Session, ids: Iterable[int | None], cadence_of: Callable[[Station], Cadence]) -> None:
    """Derived fields of many children whose records changed elsewhere (an exchange): colour from the latest
    risk assessment, last counting visit and next due from the visits. A few queries per thousand children."""
    wanted = sorted({i for i in ids if i})
    if not wanted:
        return
    session.flush()
    cadences: dict[int, Cadence] = {}
    for i in range(0, len(wanted), 900):
        chunk = wanted[i:i + 900]
        colour = {}
        for cid, result, day in session.execute(
            select(Assessment.child_id, Assessment.result, Assessment.assessed_on)
            .where(Assessment.child_id.in_(chunk), Assessment.kind == "risk", live(Assessment))
            .order_by(Assessment.child_id, Assessment.assessed_on, Assessment.id)
        ):
            colour[cid] = (result, day)
        children = list(session.scalars(select(Child).where(Child.id.in_(chunk))))
        for child in children:
            if child.station_id not in cadences:
                cadences[child.station_id] = cadence_of(session.get_one(Station, child.station_id))
            child.risk_colour, child.colour_set_on = colour.get(child.id, (None, None))
        session.flush()  # which visits count depends on the colour just derived
        last: dict[int, tuple[dt.date, dt.date | None]] = {}
        for station_id, cadence in cadences.items():
            last.update(latest_visits(session, Visit.child_id.in_(chunk), Child.station_id == station_id,
                                      counting_visit(cadence)))
        for child in children:
            child.last_visit_on, planned = last.get(child.id, (None, None))
            recompute_due(child, cadences[child.station_id], planned_on=planned)
