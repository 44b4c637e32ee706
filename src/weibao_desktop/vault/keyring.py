"""The store keys this process has unlocked, by key id: a store reopened in the same process (a restore, a
second window, a backup check) needs no second password. Held in memory only, never written."""
from __future__ import annotations

from .keyfile import key_id

_KNOWN: dict[str, bytes] = {}


def remember(*keys: bytes) -> None:
    for key in keys:
        _KNOWN[key_id(key)] = key


def find(wanted: str) -> bytes | None:
    return _KNOWN.get(wanted)


def forget_all() -> None:
    """For tests that prove a password is really asked for."""
    _KNOWN.clear()
