"""Records of the 资格核查 (eligibility checks before each monthly update): how a finding was resolved.

A resolution is local to the station that made it and is not exchanged: it holds the fingerprint of the facts
it was made on, so a finding stays resolved until those facts change, and then it is open again.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .entities import Base, utcnow


class CheckResolution(Base):
    __tablename__ = "check_resolution"
    __table_args__ = (Index("ix_check_resolution_child", "station_id", "child_uuid", "check_code", "id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    station_id: Mapped[int] = mapped_column(ForeignKey("station.id"))
    child_uuid: Mapped[str] = mapped_column(String(36))
    check_code: Mapped[str] = mapped_column(String(40))
    fingerprint: Mapped[str] = mapped_column(String(64))  # of the facts the finding was made on
    decision: Mapped[str] = mapped_column(String(10))  # domain.eligibility.DECISION: confirm / rectify / explain
    note: Mapped[str] = mapped_column(Text)
    month: Mapped[str] = mapped_column(String(7))  # the check month it was resolved in, YYYY-MM
    resolved_by: Mapped[str] = mapped_column(String(50))
    resolved_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
