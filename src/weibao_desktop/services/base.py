"""What every service shares: the store, the acting user, the clock, one transaction per action,
and the change history written on every change of a travelling record."""
from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from ..domain.errors import WeibaoError
from ..domain.fields import to_text
from ..models.entities import ChangeLog, Setting, Station, utcnow
from ..models.store import Store


@dataclass(frozen=True)
class Actor:
    """Who is acting. Every service call runs as one; the audit trail names them."""

    name: str
    role: str = "supervisor"

    def __post_init__(self) -> None:
        if not self.name or not self.name.strip():
            raise WeibaoError("操作人不能为空", "actor")


@dataclass
class Context:
    store: Store
    actor: Actor
    today: Callable[[], dt.date] = field(default=dt.date.today)

    @contextlib.contextmanager
    def tx(self) -> Iterator[Session]:
        """One user action: one session, one commit; any error rolls everything back.

        It holds the store's write lock from its start (Store.write): read the plan inside it."""
        with self.store.write() as session:
            yield session

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        with self.store.sessions() as session:
            yield session


def home_station(session: Session) -> Station:
    """The station this store belongs to; commands that need one say so when there is none."""
    row = session.get(Setting, "home_station_id")
    station = session.get(Station, row.value) if row else None
    if station is None:
        raise WeibaoError("本机还没有设置工作站。请先运行“weibao init --station 名称 --code 区划代码”，或在程序首次启动时填写工作站信息。")
    return station


def store_mode(session: Session) -> str:
    row = session.get(Setting, "mode")
    return row.value if row else "station"


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
        seq = int(row.value or 0) + 1
        row.value = seq
        session.info["change_seq"] = seq
    return seq


@event.listens_for(Session, "after_transaction_end")
def _forget_change_seq(session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop("change_seq", None)


def apply_changes(session: Session, record, values: dict, actor: Actor, *, origin: str,
                  batch: int | None = None) -> dict[str, tuple]:
    """Set the given fields; for each one whose value really changes, bump rev once and write history.

    Returns {field: (old, new)} of what changed; nothing is written when nothing changed.
    """
    changed = {}
    for name, new in values.items():
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


def new_record(session: Session, model, values: dict, actor: Actor, *, origin: str):
    """A new travelling record. `values` may carry created_at/created_by of a record born elsewhere."""
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


def live(model):
    """select() of the records that are not tombstoned."""
    return select(model).where(model.deleted_at.is_(None))


def _same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return a == b
