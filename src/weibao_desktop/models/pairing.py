"""This station's keys and the stations it is paired with (issue 11).

Local to the store, never travelling: the private keys are read only to sign a package or to derive a
package password, and no file the program writes carries them. Keys are raw 32-byte values in base64.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .entities import Base, utcnow


class StationKey(Base):
    """This station's Ed25519 signing key and X25519 key; the newest row is the one in use."""

    __tablename__ = "station_key"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    sign_private: Mapped[str] = mapped_column(String(64))
    sign_public: Mapped[str] = mapped_column(String(64))
    dh_private: Mapped[str] = mapped_column(String(64))
    dh_public: Mapped[str] = mapped_column(String(64))


class PairPartner(Base):
    """A station this one exchanges packages with, and the public keys it was paired with.

    state: "invited" (county: 开通文件 written, no receipt yet), "paired". A paired township invited again
    (a new computer) stays paired with its old key until the county confirms the new receipt."""

    __tablename__ = "pair_partner"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    name: Mapped[str] = mapped_column(String(50))
    role: Mapped[str] = mapped_column(String(10))  # the partner's role: "county" or "township"
    state: Mapped[str] = mapped_column(String(10))
    sign_public: Mapped[str | None] = mapped_column(String(64))
    dh_public: Mapped[str | None] = mapped_column(String(64))
    invited_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    paired_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    paired_by: Mapped[str | None] = mapped_column(String(50))
    rekeyed: Mapped[int] = mapped_column(Integer, default=0)  # how many times the partner's key was replaced
