"""Households (家庭档案) and care arrangements (监护与照护安排).

A household holds what siblings share: the home address and the adults (parents, guardians, 被委托人),
each entered once as a `Person` whose `household_id` is set and whose `child_id` is empty. Children link to
their household through `Child.household_id`; a relative that concerns one child only stays on that child.

A care arrangement is a dated, per-child record of who looks after the child on what footing: a 委托照护协议,
a 监护责任确认书 for a 散居孤儿, 临时照护 by a relative or an institution, 临时/长期监护 by 民政, or a court's
指定/撤销 of guardianship. Both travel like every other record (SyncFields).
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .entities import Base, SyncFields, utcnow


class Household(SyncFields, Base):
    __tablename__ = "household"
    __table_args__ = (Index("ix_household_station", "station_id", "name"),)
    station_id: Mapped[int] = mapped_column(ForeignKey("station.id"))
    village_id: Mapped[int | None] = mapped_column(ForeignKey("village.id"))
    name: Mapped[str] = mapped_column(String(50))  # how the village calls it: 王建国家
    address: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(30))
    notes: Mapped[str | None] = mapped_column(Text)


class HouseholdReview(Base):
    """A match the upgrade (or a later check) was not sure of: this child may belong to that household.

    Local to the store (a person at this station decides); it does not travel. `state`: open, joined
    (the child was added to the household), split (kept apart)."""

    __tablename__ = "household_review"
    __table_args__ = (Index("ix_household_review_state", "state", "household_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id"))
    child_id: Mapped[int] = mapped_column(ForeignKey("child.id"))
    reason: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(10), default="open")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    resolved_by: Mapped[str | None] = mapped_column(String(50))


class CareArrangement(SyncFields, Base):
    __tablename__ = "care_arrangement"
    __table_args__ = (Index("ix_care_child", "child_id", "kind"), Index("ix_care_end", "end_on"))
    child_id: Mapped[int] = mapped_column(ForeignKey("child.id"))
    kind: Mapped[str] = mapped_column(String(30))
    carer_name: Mapped[str | None] = mapped_column(String(100))  # 被委托人, relative, institution or 民政
    carer_id_number: Mapped[str | None] = mapped_column(String(18))
    carer_phone: Mapped[str | None] = mapped_column(String(30))
    carer_relation: Mapped[str | None] = mapped_column(String(20))
    carer_address: Mapped[str | None] = mapped_column(String(200))
    parties: Mapped[str | None] = mapped_column(String(100))  # the parents or guardians who signed
    decided_by: Mapped[str | None] = mapped_column(String(100))  # 民政局, 人民法院 …
    signed_on: Mapped[dt.date | None] = mapped_column(Date)
    start_on: Mapped[dt.date | None] = mapped_column(Date)
    end_on: Mapped[dt.date | None] = mapped_column(Date)
    review_on: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
