"""The audit log: one append-only table, each entry carrying the hash of the one before (a hash chain).

Local to the store, like the print log: it says who did what on this workstation and never travels.
An entry names its object without personal data beyond what is needed: a child's uuid, not their name;
counts; file names. Changing, deleting or reordering entries breaks the chain, and `weibao audit verify`
says where. The chain's head (last number and hash) is also kept in the setting table, so cutting entries
off the end shows too."""
from __future__ import annotations

import datetime as dt
import hashlib
import json

from sqlalchemy import JSON, DateTime, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .entities import Base, utcnow

GENESIS = "0" * 64  # the "previous hash" of the first entry
HEAD_SETTING = "audit_head"  # {"seq": n, "hash": h} of the newest entry


class AuditEntry(Base):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_action", "action", "at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)  # 1, 2, 3… in the order entries were appended
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)  # UTC
    actor: Mapped[str] = mapped_column(String(50))
    role: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(40))
    object: Mapped[str] = mapped_column(String(300), default="")
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


def plain_detail(detail: dict | None) -> dict:
    """The detail as the JSON column gives it back (tuples become lists), so its hash survives a round trip."""
    return json.loads(json.dumps(detail or {}, ensure_ascii=False, default=str))


def entry_hash(seq: int, at: dt.datetime, actor: str, role: str, action: str, object_: str, detail: dict,
               prev_hash: str) -> str:
    """SHA-256 over the entry's fields and the previous entry's hash, in one canonical JSON text."""
    text = json.dumps([seq, at.isoformat(timespec="microseconds"), actor, role, action, object_, detail, prev_hash],
                      ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def hash_of(entry: AuditEntry) -> str:
    return entry_hash(entry.seq, entry.at, entry.actor, entry.role, entry.action, entry.object or "",
                      plain_detail(entry.detail), entry.prev_hash)
