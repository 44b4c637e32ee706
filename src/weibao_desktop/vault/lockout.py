"""Wrong passwords slow down and lock an account; the record lives in the key slot file, readable before
the store is opened.

The record is a hash chain of events (a failure, a success, an admin's unlock), each entry carrying the hash of
the one before. A failure is written by whoever typed the wrong password, who holds no secret, so each success
(which does hold the store key) seals the chain's head with an HMAC under a key derived from the store key. At
the next success the chain is checked against that seal: an entry before the seal edited, removed or reordered
is found and reported. Its limit: failures written after the last success can be cut off the end by someone
who can write the file (a rollback to an older copy looks like fewer failures); the lockout stops guessing
through this program, not an attacker with a copy of the file, against whom the argon2id cost is the defence.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import time
from dataclasses import dataclass

from .keyfile import KeyFile, subkey

MAX_FAILURES = 5
LOCK_MINUTES = 15
KEEP_ENTRIES = 200
FAIL, OK, UNLOCK = "fail", "ok", "unlock"
_GENESIS = "0" * 64


class SystemClock:
    """The real time; tests pass a fake clock with the same two methods."""

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


def delay_after(failures: int) -> float:
    """Seconds a wrong password waits before the answer: 0.5, 1, 2, 4, 8 … capped at 8."""
    return 0.0 if failures <= 0 else min(0.5 * 2 ** (failures - 1), 8.0)


def _entry_hash(previous: str, entry: dict) -> str:
    body = json.dumps({k: entry[k] for k in ("user", "event", "at")}, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(f"{previous}|{body}".encode()).hexdigest()


def _record(keyfile: KeyFile) -> dict:
    record = keyfile.attempts
    record.setdefault("base", _GENESIS)
    record.setdefault("entries", [])
    return record


def append(keyfile: KeyFile, user: str, event: str, now: dt.datetime) -> None:
    record = _record(keyfile)
    entries = record["entries"]
    previous = entries[-1]["hash"] if entries else record["base"]
    entry = {"user": user, "event": event, "at": now.astimezone(dt.UTC).isoformat(timespec="seconds")}
    entry["hash"] = _entry_hash(previous, entry)
    entries.append(entry)


@dataclass(frozen=True)
class State:
    failures: int  # consecutive wrong passwords since the last success or unlock
    locked_until: dt.datetime | None


def state(keyfile: KeyFile, user: str, now: dt.datetime) -> State:
    failures = 0
    last_failure = None
    for entry in reversed(_record(keyfile)["entries"]):
        if entry.get("user") != user:
            continue
        if entry.get("event") != FAIL:
            break
        failures += 1
        last_failure = last_failure or dt.datetime.fromisoformat(entry["at"])
    if failures >= MAX_FAILURES and last_failure is not None:
        until = last_failure + dt.timedelta(minutes=LOCK_MINUTES)
        if until > now:
            return State(failures, until)
    return State(failures, None)


def chain_problem(keyfile: KeyFile, store_key: bytes) -> str | None:
    """Why the record cannot be trusted, or None: a broken chain, or a sealed head that is gone or not sealed
    by this store's key."""
    record = _record(keyfile)
    previous = record["base"]
    heads = {previous}
    for entry in record["entries"]:
        if entry.get("hash") != _entry_hash(previous, entry):
            return "登录失败记录中有一条被改动、删除或调换了顺序"
        previous = entry["hash"]
        heads.add(previous)
    seal = record.get("seal")
    if seal is None:
        return "登录失败记录的校验码不见了（文件被改动过）"
    expected = hmac.new(subkey(store_key, "lockout"), f"{keyfile.store_id}|{seal['head']}".encode(),
                        hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, str(seal.get("mac", ""))):
        return "登录失败记录的校验码不对（文件被改动过）"
    if seal["head"] not in heads:
        return "登录失败记录中上次成功登录之前的部分被删除或改动过"
    return None


def unsealed_failures(keyfile: KeyFile) -> list[tuple[str, str]]:
    """(account, UTC time) of the wrong passwords since the last sealed success: the ones no audit log has seen
    yet (at a cold start there is no open store to write them to). The next success carries them into it."""
    record = _record(keyfile)
    head = (record.get("seal") or {}).get("head", record["base"])
    entries = record["entries"]
    start = next((i + 1 for i, e in enumerate(entries) if e.get("hash") == head), 0)
    return [(e["user"], e["at"]) for e in entries[start:] if e.get("event") == FAIL]


def seal(keyfile: KeyFile, store_key: bytes) -> None:
    """After a success: keep the last KEEP_ENTRIES entries and seal the head with the store key."""
    record = _record(keyfile)
    entries = record["entries"]
    if len(entries) > KEEP_ENTRIES:
        record["base"] = entries[-KEEP_ENTRIES - 1]["hash"]
        record["entries"] = entries = entries[-KEEP_ENTRIES:]
    head = entries[-1]["hash"] if entries else record["base"]
    mac = hmac.new(subkey(store_key, "lockout"), f"{keyfile.store_id}|{head}".encode(), hashlib.sha256).hexdigest()
    record["seal"] = {"head": head, "mac": mac}


def reset_chain(keyfile: KeyFile, store_key: bytes) -> None:
    """A fresh record (a new store, a restored backup's slots), sealed."""
    keyfile.attempts = {}
    seal(keyfile, store_key)
