"""Who printed or saved which form, when, and whether full id numbers were on it (DOMAIN.md, Privacy).

Local to the store: it is an audit trail of this workstation, not a record that travels to the county.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, DateTime, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .entities import Base, utcnow


class PrintLog(Base):
    __tablename__ = "print_log"
    __table_args__ = (Index("ix_print_log_time", "printed_at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    printed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)  # UTC
    actor: Mapped[str] = mapped_column(String(50))
    form: Mapped[str] = mapped_column(String(30))  # visit_sheet, round, file_card, clue, referral
    title: Mapped[str] = mapped_column(String(200))
    subjects: Mapped[list] = mapped_column(JSON, default=list)  # uuids of the children / clue / referral
    subject_count: Mapped[int] = mapped_column(Integer, default=0)
    pages: Mapped[int] = mapped_column(Integer, default=0)
    full_id: Mapped[bool] = mapped_column(Boolean, default=False)
    target: Mapped[str] = mapped_column(String(300))  # the PDF file, or the printer
