"""The records of a station's (or county's) store.

Codes are stored as the short English codes of `domain.codes`; screens show their labels.
Records that travel to and from the county carry `SyncFields` (ARCHITECTURE.md, "Records that travel").
"""
from __future__ import annotations

import datetime as dt
import uuid as uuid_mod

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def new_uuid() -> str:
    return str(uuid_mod.uuid4())


# Named constraints, so later batch migrations on SQLite can find and alter them.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class SyncFields:
    """Columns every travelling record carries. Times are naive UTC."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    origin: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(50))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(50))
    rev: Mapped[int] = mapped_column(Integer, default=1)
    deleted_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # The store's change counter at this record's last change: what an incremental package sends.
    change_seq: Mapped[int] = mapped_column(Integer, default=0, index=True)


class Setting(Base):
    """Store-wide settings: mode (station/county), home station, schema facts."""

    __tablename__ = "setting"
    key: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[object] = mapped_column(JSON)


class Station(Base):
    __tablename__ = "station"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    code: Mapped[str] = mapped_column(String(12), unique=True)
    county: Mapped[str | None] = mapped_column(String(50))
    # Per-station rules such as the visit cadence ({"cadence": {"red": 7, ...}, "cadence_period": …,
    # "counting_modes": …}; domain.cadence.Cadence.from_settings).
    settings: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    villages: Mapped[list[Village]] = relationship(back_populates="station", order_by="Village.code")


class Village(Base):
    __tablename__ = "village"
    __table_args__ = (UniqueConstraint("station_id", "name"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("station.id"))
    name: Mapped[str] = mapped_column(String(50))
    code: Mapped[str] = mapped_column(String(12), unique=True)
    station: Mapped[Station] = relationship(back_populates="villages")


class User(Base):
    __tablename__ = "app_user"
    __table_args__ = (UniqueConstraint("station_id", "name"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    station_id: Mapped[int | None] = mapped_column(ForeignKey("station.id"))
    name: Mapped[str] = mapped_column(String(50))
    role: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    # 儿童主任: the ids of the villages they work in (migration 0008)
    villages: Mapped[list | None] = mapped_column(JSON, default=list)
    # A server store only (PostgreSQL): argon2id hash and lockout; a SQLite store keeps these in its key slots.
    password_hash: Mapped[str | None] = mapped_column(String(200))
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime)


class Child(SyncFields, Base):
    __tablename__ = "child"
    __table_args__ = (
        Index("ix_child_station_name", "station_id", "name"),
        Index("ix_child_id_number", "id_number"),
        Index("ix_child_village", "village_id", "name"),
        # The dashboard's counts read these two indexes alone (covering, migration 0016): statuses, colours,
        # villages and overdue visits from the first, the red list's filter and order from the second.
        Index("ix_child_board", "station_id", "deleted_at", "status", "next_visit_due", "risk_colour", "village_id",
              "red_deferral"),
        Index("ix_child_station_colour", "station_id", "risk_colour", "deleted_at", "status", "red_deferral",
              "colour_set_on"),
        Index("ix_child_birth", "name", "birth_date"),
        # Lists and ledgers sort by the pinyin key (migration 0012); a county store sorts every station's.
        Index("ix_child_station_name_key", "station_id", "name_key"),
        Index("ix_child_name_key", "name_key"),
        # One live file per id number and station (migration 0006); tombstoned files keep their numbers.
        Index("uq_child_station_id_number", "station_id", "id_number", unique=True,
              sqlite_where=text("deleted_at IS NULL AND id_number IS NOT NULL"),
              postgresql_where=text("deleted_at IS NULL AND id_number IS NOT NULL")),
    )
    station_id: Mapped[int] = mapped_column(ForeignKey("station.id"))
    village_id: Mapped[int | None] = mapped_column(ForeignKey("village.id"))
    name: Mapped[str] = mapped_column(String(50))
    # Derived from the name on the write path (domain.name_order): sorts names in pinyin order in SQL.
    name_key: Mapped[str | None] = mapped_column(String(255))
    sex: Mapped[str] = mapped_column(String(1))
    ethnicity: Mapped[str | None] = mapped_column(String(20))
    birth_date: Mapped[dt.date] = mapped_column(Date)
    id_number: Mapped[str | None] = mapped_column(String(18))
    hukou_registered: Mapped[bool] = mapped_column(Boolean, default=True)
    hukou_address: Mapped[str | None] = mapped_column(String(200))
    residence_address: Mapped[str | None] = mapped_column(String(200))
    health: Mapped[str | None] = mapped_column(String(20))
    disability_kind: Mapped[str | None] = mapped_column(String(50))
    disability_grade: Mapped[str | None] = mapped_column(String(20))
    illness: Mapped[str | None] = mapped_column(String(100))
    schooling: Mapped[str | None] = mapped_column(String(20))
    school_name: Mapped[str | None] = mapped_column(String(100))
    boarding: Mapped[bool | None] = mapped_column(Boolean)
    income_sources: Mapped[str | None] = mapped_column(String(100))  # comma-joined INCOME_SOURCE codes
    contact_phone: Mapped[str | None] = mapped_column(String(30))
    paired_helper: Mapped[str | None] = mapped_column(String(50))  # 结对帮扶人, required for orange
    risk_colour: Mapped[str | None] = mapped_column(String(10))
    colour_set_on: Mapped[dt.date | None] = mapped_column(Date)
    red_deferral: Mapped[str | None] = mapped_column(Text)  # why a red case has no open action yet
    # 安置情况 (PLACEMENT code), since when and where; away from home a red child is followed up, not visited.
    # Deferred (read when used; bulk reads undefer PLACEMENT_GROUP): a store held before migration 0006 until
    # its duplicates are merged has no such columns yet, and the merge (deleting a file) must still work on it.
    placement: Mapped[str | None] = mapped_column(String(20), deferred=True, deferred_group="placement")
    placed_on: Mapped[dt.date | None] = mapped_column(Date, deferred=True, deferred_group="placement")
    placement_place: Mapped[str | None] = mapped_column(String(100), deferred=True, deferred_group="placement")
    status: Mapped[str] = mapped_column(String(10), default="active")
    closed_reason: Mapped[str | None] = mapped_column(String(20))
    closed_note: Mapped[str | None] = mapped_column(Text)
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    opened_on: Mapped[dt.date] = mapped_column(Date)
    last_visit_on: Mapped[dt.date | None] = mapped_column(Date)
    next_visit_due: Mapped[dt.date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)
    # Deferred: a store held at 0005 (duplicate files to merge before 0006) has no such column, and the
    # program must still open and delete files there; the exchange loads it with the row (undefer).
    household_id: Mapped[int | None] = mapped_column(ForeignKey("household.id"), index=True, deferred=True)

    village: Mapped[Village | None] = relationship()
    people: Mapped[list[Person]] = relationship(back_populates="child", order_by="Person.id")
    categories: Mapped[list[CategoryMembership]] = relationship(back_populates="child")


PLACEMENT_GROUP = "placement"


class Person(SyncFields, Base):
    """Father, mother, 被委托人 or another guardian of a child: of one child (`child_id`), or of every child
    of a household (`household_id`, child_id empty; models/households.py)."""

    __tablename__ = "person"
    __table_args__ = (Index("ix_person_child", "child_id"), Index("ix_person_phone", "phone"),
                      Index("ix_person_household", "household_id"))
    child_id: Mapped[int | None] = mapped_column(ForeignKey("child.id"))
    household_id: Mapped[int | None] = mapped_column(ForeignKey("household.id"))
    relation: Mapped[str] = mapped_column(String(20))
    relation_detail: Mapped[str | None] = mapped_column(String(20))  # 与儿童关系 for others: 祖父, 姑姑 …
    name: Mapped[str | None] = mapped_column(String(50))
    name_key: Mapped[str | None] = mapped_column(String(255))  # pinyin sort key, as the child's
    birth_date: Mapped[dt.date | None] = mapped_column(Date)
    id_number: Mapped[str | None] = mapped_column(String(18))
    phone: Mapped[str | None] = mapped_column(String(30))
    status: Mapped[str | None] = mapped_column(String(20))
    work_place: Mapped[str | None] = mapped_column(String(100))
    address: Mapped[str | None] = mapped_column(String(200))
    is_guardian: Mapped[bool] = mapped_column(Boolean, default=False)

    child: Mapped[Child | None] = relationship(back_populates="people")


class CategoryMembership(SyncFields, Base):
    __tablename__ = "category_membership"
    __table_args__ = (Index("ix_category_live", "child_id", "deleted_at", "category", "start_on", "end_on"),
                      Index("ix_category_code", "category", "child_id"))
    child_id: Mapped[int] = mapped_column(ForeignKey("child.id"))
    category: Mapped[str] = mapped_column(String(30))
    start_on: Mapped[dt.date] = mapped_column(Date)
    end_on: Mapped[dt.date | None] = mapped_column(Date)

    child: Mapped[Child] = relationship(back_populates="categories")


class Relief(SyncFields, Base):
    """Help received (已享受救助): 低保, 临时救助, …"""

    __tablename__ = "relief"
    __table_args__ = (Index("ix_relief_child", "child_id"),)
    child_id: Mapped[int] = mapped_column(ForeignKey("child.id"))
    kind: Mapped[str] = mapped_column(String(30))
    start_on: Mapped[dt.date | None] = mapped_column(Date)
    end_on: Mapped[dt.date | None] = mapped_column(Date)
    amount: Mapped[str | None] = mapped_column(String(30))
    note: Mapped[str | None] = mapped_column(Text)


class Assessment(SyncFields, Base):
    __tablename__ = "assessment"
    __table_args__ = (Index("ix_assessment_child", "child_id", "kind", "assessed_on"),)
    child_id: Mapped[int] = mapped_column(ForeignKey("child.id"))
    kind: Mapped[str] = mapped_column(String(20))
    assessed_on: Mapped[dt.date] = mapped_column(Date)
    assessor: Mapped[str] = mapped_column(String(50))
    result: Mapped[str] = mapped_column(String(50))  # colour code, guardianship result, or needs summary
    guardianship_type: Mapped[str | None] = mapped_column(String(30))
    reason: Mapped[str | None] = mapped_column(Text)


class Visit(SyncFields, Base):
    __tablename__ = "visit"
    __table_args__ = (Index("ix_visit_child", "child_id", "visited_on"),
                      Index("ix_visit_day", "visited_on", "deleted_at", "child_id"))
    child_id: Mapped[int] = mapped_column(ForeignKey("child.id"))
    visited_on: Mapped[dt.date] = mapped_column(Date)
    visitors: Mapped[str] = mapped_column(String(100))
    mode: Mapped[str] = mapped_column(String(10))
    living: Mapped[str | None] = mapped_column(Text)
    study: Mapped[str | None] = mapped_column(Text)
    health: Mapped[str | None] = mapped_column(Text)
    safety: Mapped[str | None] = mapped_column(Text)
    psychology: Mapped[str | None] = mapped_column(Text)
    guardianship: Mapped[str | None] = mapped_column(Text)
    problems: Mapped[str | None] = mapped_column(Text)
    measures: Mapped[str | None] = mapped_column(Text)
    next_due_on: Mapped[dt.date | None] = mapped_column(Date)


class HelpMeasure(SyncFields, Base):
    __tablename__ = "help_measure"
    __table_args__ = (Index("ix_help_child", "child_id", "state"),)
    child_id: Mapped[int] = mapped_column(ForeignKey("child.id"))
    kind: Mapped[str] = mapped_column(String(30))
    started_on: Mapped[dt.date] = mapped_column(Date)
    responsible: Mapped[str | None] = mapped_column(String(50))
    description: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(10), default="open")
    ended_on: Mapped[dt.date | None] = mapped_column(Date)
    result: Mapped[str | None] = mapped_column(Text)


class Referral(SyncFields, Base):
    __tablename__ = "referral"
    __table_args__ = (Index("ix_referral_child", "child_id", "state"), Index("ix_referral_clue", "clue_id"))
    child_id: Mapped[int | None] = mapped_column(ForeignKey("child.id"))
    clue_id: Mapped[int | None] = mapped_column(ForeignKey("report_clue.id"))
    target: Mapped[str] = mapped_column(String(30))
    target_name: Mapped[str | None] = mapped_column(String(100))  # the named institution
    referred_on: Mapped[dt.date] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(10), default="referred")
    state_on: Mapped[dt.date | None] = mapped_column(Date)
    feedback: Mapped[str | None] = mapped_column(Text)
    handled_by: Mapped[str | None] = mapped_column(String(50))


class ReportClue(SyncFields, Base):
    """强制报告线索: 受理 → 调查 → 处置 → 反馈, each step with its time and who."""

    __tablename__ = "report_clue"
    __table_args__ = (Index("ix_clue_state", "state", "received_at"), Index("ix_clue_child", "child_id"))
    child_id: Mapped[int | None] = mapped_column(ForeignKey("child.id"))
    child_name: Mapped[str | None] = mapped_column(String(50))  # when the child has no file yet
    received_at: Mapped[dt.datetime] = mapped_column(DateTime)
    received_by: Mapped[str] = mapped_column(String(50))
    source: Mapped[str] = mapped_column(String(20))
    reporter: Mapped[str | None] = mapped_column(String(50))
    reporter_phone: Mapped[str | None] = mapped_column(String(30))
    content: Mapped[str] = mapped_column(Text)
    reported_to: Mapped[str | None] = mapped_column(String(50))  # comma-joined REPORTED_TO codes (接报单位)
    situations: Mapped[str | None] = mapped_column(String(200))  # comma-joined CLUE_SITUATION codes (情形)
    reported_at: Mapped[dt.datetime | None] = mapped_column(DateTime)  # 报案时间
    report_receiver: Mapped[str | None] = mapped_column(String(50))  # 接报人
    receipt: Mapped[str | None] = mapped_column(Text)  # 回执: the receiving office's receipt (number, what it says)
    state: Mapped[str] = mapped_column(String(20), default="received")
    investigated_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    investigated_by: Mapped[str | None] = mapped_column(String(50))
    investigation: Mapped[str | None] = mapped_column(Text)
    handled_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    handled_by: Mapped[str | None] = mapped_column(String(50))
    handling: Mapped[str | None] = mapped_column(Text)
    feedback_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    feedback_by: Mapped[str | None] = mapped_column(String(50))
    feedback: Mapped[str | None] = mapped_column(Text)


class HotlineCall(SyncFields, Base):
    __tablename__ = "hotline_call"
    __table_args__ = (Index("ix_call_time", "call_at"),)
    call_at: Mapped[dt.datetime] = mapped_column(DateTime)
    caller: Mapped[str | None] = mapped_column(String(50))
    caller_phone: Mapped[str | None] = mapped_column(String(30))
    child_id: Mapped[int | None] = mapped_column(ForeignKey("child.id"))
    content: Mapped[str] = mapped_column(Text)
    handling: Mapped[str | None] = mapped_column(Text)
    handled_by: Mapped[str] = mapped_column(String(50))
    state: Mapped[str] = mapped_column(String(10), default="open")
    clue_id: Mapped[int | None] = mapped_column(ForeignKey("report_clue.id"))
    source: Mapped[str | None] = mapped_column(String(10))  # CALL_SOURCE: 本站热线, 12345 工单, 其他
    order_no: Mapped[str | None] = mapped_column(String(40))  # the 12345 work order's number
    due_at: Mapped[dt.datetime | None] = mapped_column(DateTime)  # the 12345 work order's deadline (办理时限)


class ChangeLog(Base):
    """Per-field change history: who changed which field of which record, old → new.

    Creation is not repeated here field by field: the record's own created_at/updated_by say it,
    and old values of later changes chain back to what it was created with.
    """

    __tablename__ = "change_log"
    __table_args__ = (Index("ix_change_record", "entity", "record_uuid", "id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity: Mapped[str] = mapped_column(String(30))
    record_uuid: Mapped[str] = mapped_column(String(36))
    rev: Mapped[int] = mapped_column(Integer)
    field: Mapped[str] = mapped_column(String(50))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(50))
    origin: Mapped[str] = mapped_column(String(12))
    # The exchange-package apply (import_log.id) that made this change, so the apply can be undone.
    batch: Mapped[int | None] = mapped_column(Integer, index=True)


TRAVELLING = (Child, Person, CategoryMembership, Relief, Assessment, Visit, HelpMeasure, Referral, ReportClue, HotlineCall)
ENTITY_BY_NAME = {m.__tablename__: m for m in TRAVELLING}



class ImportLog(Base):
    """One row per ledger import or exchange package applied: what came in, from where, and what it did."""

    __tablename__ = "import_log"
    __table_args__ = (Index("ix_import_hash", "file_hash"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # "ledger" or "package"
    file_name: Mapped[str] = mapped_column(String(260))
    file_hash: Mapped[str] = mapped_column(String(64))
    actor: Mapped[str] = mapped_column(String(50))
    started_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    counts: Mapped[dict] = mapped_column(JSON, default=dict)
    detail: Mapped[dict] = mapped_column(JSON, default=dict)


class SyncPeer(Base):
    """The other end of an exchange: the county office (for a township), or a township (for a county)."""

    __tablename__ = "sync_peer"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    name: Mapped[str] = mapped_column(String(50))
    role: Mapped[str] = mapped_column(String(10))  # "county" or "township"
    station_id: Mapped[int | None] = mapped_column(ForeignKey("station.id"))  # the township's station (county side)
    next_seq_out: Mapped[int] = mapped_column(Integer, default=1)
    acked_out: Mapped[int] = mapped_column(Integer, default=0)  # my highest package the peer has applied
    last_seq_in: Mapped[int] = mapped_column(Integer, default=0)  # the peer's highest package applied here
    last_in_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    last_out_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    resend: Mapped[list] = mapped_column(JSON, default=list)  # uuids the peer asked for again: sent next time
    ask_again: Mapped[list] = mapped_column(JSON, default=list)  # uuids we ask the peer for (lost on the way)


class SyncOut(Base):
    """Each package written to a peer: what the store's change counter and merge bases stood at."""

    __tablename__ = "sync_out"
    __table_args__ = (UniqueConstraint("peer_id", "seq"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    peer_id: Mapped[int] = mapped_column(ForeignKey("sync_peer.id"))
    seq: Mapped[int] = mapped_column(Integer)
    change_seq: Mapped[int] = mapped_column(Integer)  # incremental packages after this one start here
    base_mark: Mapped[int] = mapped_column(Integer)  # newest SyncBase id when it was written
    ack_sent: Mapped[int] = mapped_column(Integer, default=0)  # the peer's newest package it acknowledged
    full: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class SyncSent(Base):
    """What each outgoing package said, per record: becomes the merge base once the peer acknowledges it."""

    __tablename__ = "sync_sent"
    __table_args__ = (Index("ix_sync_sent_peer_seq", "peer_id", "seq"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    peer_id: Mapped[int] = mapped_column(ForeignKey("sync_peer.id"))
    seq: Mapped[int] = mapped_column(Integer)
    entity: Mapped[str] = mapped_column(String(30))
    record_uuid: Mapped[str] = mapped_column(String(36))
    content: Mapped[dict] = mapped_column(JSON)


class SyncBase(Base):
    """The last version of a record both sides are known to hold: the base of the three-way merge.

    One row per version (batch = the apply or acknowledgement that set it), so an apply can be undone.
    """

    __tablename__ = "sync_base"
    __table_args__ = (Index("ix_sync_base_record", "peer_id", "record_uuid", "id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    peer_id: Mapped[int] = mapped_column(ForeignKey("sync_peer.id"))
    entity: Mapped[str] = mapped_column(String(30))
    record_uuid: Mapped[str] = mapped_column(String(36))
    content: Mapped[dict] = mapped_column(JSON)
    batch: Mapped[int | None] = mapped_column(Integer, index=True)


class SyncConflict(Base):
    """A field both sides changed differently: both values are kept until a person chooses."""

    __tablename__ = "sync_conflict"
    __table_args__ = (Index("ix_sync_conflict_open", "resolved_at", "peer_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    peer_id: Mapped[int] = mapped_column(ForeignKey("sync_peer.id"))
    entity: Mapped[str] = mapped_column(String(30))
    record_uuid: Mapped[str] = mapped_column(String(36))
    field: Mapped[str] = mapped_column(String(50))
    base_value: Mapped[str | None] = mapped_column(Text)
    mine_value: Mapped[str | None] = mapped_column(Text)
    theirs_value: Mapped[str | None] = mapped_column(Text)
    from_seq: Mapped[int] = mapped_column(Integer, default=0)  # the peer's package that brought theirs
    theirs_by: Mapped[str | None] = mapped_column(String(50))
    theirs_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    batch: Mapped[int | None] = mapped_column(Integer, index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    resolved_by: Mapped[str | None] = mapped_column(String(50))
    resolution: Mapped[str | None] = mapped_column(String(10))  # base, mine or theirs
