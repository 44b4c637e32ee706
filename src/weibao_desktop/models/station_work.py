"""The station's other work: activities and services (活动与服务台账) and the people who do the work
(儿童主任 / 儿童督导员名册, with their training).

They carry the sync columns for their change history and so a later version can send them to the county; they do
not travel in packages yet (entities.TRAVELLING)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from .entities import Base, SyncFields, utcnow


class Activity(SyncFields, Base):
    __tablename__ = "activity"
    __table_args__ = (Index("ix_activity_station_day", "station_id", "held_on"),)
    station_id: Mapped[int] = mapped_column(ForeignKey("station.id"))
    held_on: Mapped[dt.date] = mapped_column(Date)
    start_time: Mapped[str] = mapped_column(String(5))  # HH:MM, local time
    end_time: Mapped[str] = mapped_column(String(5))
    kind: Mapped[str] = mapped_column(String(20))
    village_id: Mapped[int | None] = mapped_column(ForeignKey("village.id"))
    place: Mapped[str] = mapped_column(String(100))
    organiser: Mapped[str] = mapped_column(String(50))
    partners: Mapped[str | None] = mapped_column(String(200))
    children_count: Mapped[int | None] = mapped_column(Integer)
    parents_count: Mapped[int | None] = mapped_column(Integer)
    content: Mapped[str] = mapped_column(Text)
    evidence: Mapped[str | None] = mapped_column(String(300))


class ActivityChild(Base):
    """A child who took part in an activity (linked to their file)."""

    __tablename__ = "activity_child"
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id"), primary_key=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("child.id"), primary_key=True, index=True)


class Attachment(Base):
    """A photo or scanned sign-in sheet, kept inside the store (so encrypted with it), not as a loose file."""

    __tablename__ = "attachment"
    __table_args__ = (Index("ix_attachment_owner", "owner_uuid"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_uuid: Mapped[str] = mapped_column(String(36))
    file_name: Mapped[str] = mapped_column(String(200))
    media_type: Mapped[str] = mapped_column(String(50))
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    added_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    added_by: Mapped[str] = mapped_column(String(50))
    deleted_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class StaffMember(SyncFields, Base):
    """A 儿童主任, 儿童督导员 or 第一报告人 of the station's roster."""

    __tablename__ = "staff_member"
    __table_args__ = (Index("ix_staff_station", "station_id", "role"),)
    station_id: Mapped[int] = mapped_column(ForeignKey("station.id"))
    name: Mapped[str] = mapped_column(String(50))
    role: Mapped[str] = mapped_column(String(20))
    sex: Mapped[str | None] = mapped_column(String(1))
    phone: Mapped[str | None] = mapped_column(String(30))
    committee_member: Mapped[bool | None] = mapped_column(Boolean)
    womens_federation_head: Mapped[bool | None] = mapped_column(Boolean)
    appointed_on: Mapped[dt.date | None] = mapped_column(Date)
    social_work_cert: Mapped[str | None] = mapped_column(String(20))
    account_name: Mapped[str | None] = mapped_column(String(50))
    left_on: Mapped[dt.date | None] = mapped_column(Date)


class StaffVillage(Base):
    """The village(s) a roster member serves."""

    __tablename__ = "staff_village"
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"), primary_key=True)
    village_id: Mapped[int] = mapped_column(ForeignKey("village.id"), primary_key=True, index=True)


class Incident(SyncFields, Base):
    """重大事项报告单 (001 篇二: 早发现、早报告、早处置，及时上报县民政局): a child's death, serious injury,
    disappearance or a public-opinion incident, with when it happened, was learned of and was reported. It
    travels to the county in the next package."""

    __tablename__ = "incident"
    __table_args__ = (Index("ix_incident_time", "learned_at"),)
    child_id: Mapped[int | None] = mapped_column(ForeignKey("child.id"))
    child_name: Mapped[str | None] = mapped_column(String(50))
    kind: Mapped[str] = mapped_column(String(20))
    occurred_at: Mapped[dt.datetime] = mapped_column(DateTime)
    learned_at: Mapped[dt.datetime] = mapped_column(DateTime)
    reported_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    reported_to: Mapped[str | None] = mapped_column(String(100))
    receiver: Mapped[str | None] = mapped_column(String(50))
    reported_by: Mapped[str] = mapped_column(String(50))
    place: Mapped[str | None] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)
    measures: Mapped[str | None] = mapped_column(Text)
    progress: Mapped[str | None] = mapped_column(Text)


class StaffTraining(SyncFields, Base):
    __tablename__ = "staff_training"
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_member.id"), index=True)
    held_on: Mapped[dt.date] = mapped_column(Date)
    hours: Mapped[float] = mapped_column(Float)
    topic: Mapped[str] = mapped_column(String(200))
    organiser: Mapped[str | None] = mapped_column(String(100))
