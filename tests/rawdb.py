"""The store file read without the program's store layer, as a test needs to: a SQLCipher connection with the
store's key (the keys this process unlocked, else the test account of the root conftest), or plain sqlite3 for
the plain files of older versions. And copying a store means copying its key slots with it."""
from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from weibao_desktop.models import cipher
from weibao_desktop.models.encryption import prepare
from weibao_desktop.vault.keyfile import keys_path


def connect(path, *, isolation_level: str | None = "", timeout: float = 30):
    path = Path(path)
    if cipher.is_plain(path):
        return sqlite3.connect(path, isolation_level=isolation_level, timeout=timeout)
    if keys_path(path).exists():
        key = prepare(path, None).key
    else:  # a backup copied alone: its key is one this process knows
        from weibao_desktop.models.encryption import key_of_copy

        key = key_of_copy(path)
        assert key is not None, f"no key for {path}"
    con = cipher.connect(path, key, timeout=timeout)
    con.isolation_level = isolation_level
    return con


def copy_store(source, target) -> None:
    """A store file and its key slots (what a copy to another folder must take)."""
    source, target = Path(source), Path(target)
    shutil.copyfile(source, target)
    if keys_path(source).exists():
        shutil.copyfile(keys_path(source), keys_path(target))
