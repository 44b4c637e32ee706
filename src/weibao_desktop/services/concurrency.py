"""Several people on one store: an edit made on a copy older than the record is refused, with what the
other person changed, so nobody's work is silently overwritten (optimistic concurrency on `rev`).

The check runs inside the write transaction (Context.tx holds the store's write lock), so two saves of
the same version cannot both pass it."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.errors import WeibaoError
from ..domain.fields import display, label_of
from ..models.entities import ChangeLog

SHOWN = 8  # changed fields listed in the message


@dataclass(frozen=True)
class OtherChange:
    actor: str
    changed_at: dt.datetime  # UTC
    field_label: str
    old: str
    new: str


class StaleEdit(WeibaoError):
    """The record changed since the copy the edit was made on; `changes` says who, when and what."""

    def __init__(self, message: str, changes: tuple[OtherChange, ...]):
        super().__init__(message, "rev")
        self.changes = changes


def refuse_stale(session: Session, record, expected_rev: int | None, what: str = "档案") -> None:
    """Raise StaleEdit when `record` is no longer at `expected_rev` (None: no check)."""
    if expected_rev is None or record.rev == expected_rev:
        return
    entity = record.__tablename__
    logs = session.scalars(
        select(ChangeLog).where(ChangeLog.entity == entity, ChangeLog.record_uuid == record.uuid,
                                ChangeLog.rev > expected_rev).order_by(ChangeLog.id)).all()
    changes = tuple(
        OtherChange(c.actor, c.changed_at, label_of(entity, c.field) or c.field,
                    display(entity, c.field, c.old_value) or "（空）", display(entity, c.field, c.new_value) or "（空）")
        for c in logs)
    raise StaleEdit(stale_message(record, changes, what), changes)


def stale_message(record, changes: tuple[OtherChange, ...], what: str = "档案") -> str:
    name = getattr(record, "name", None)
    subject = f"{name}的{what}" if name else f"这份{what}"
    if changes:
        who = "、".join(dict.fromkeys(c.actor for c in changes))
        when = _local(max(c.changed_at for c in changes))
        detail = "；".join(f"{c.field_label}：{c.old} → {c.new}" for c in changes[:SHOWN])
        if len(changes) > SHOWN:
            detail += f"；另有{len(changes) - SHOWN}项"
    else:
        who, when, detail = record.updated_by or "其他人", _local(record.updated_at), "（无变更明细）"
    return (f"没有保存：您打开{subject}之后，{who}于{when}修改了它（{detail}）。"
            "为了不覆盖别人的修改，您的修改没有保存。请重新打开后核对，再修改。")


def _local(when: dt.datetime | None) -> str:
    if when is None:
        return "刚才"
    return when.replace(tzinfo=dt.UTC).astimezone().strftime("%Y-%m-%d %H:%M")
