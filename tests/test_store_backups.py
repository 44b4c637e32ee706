"""Backups are whole or absent, listed with their time, size and state, pruned by the time in their name,
and put back with the replaced store kept; a damaged store is moved aside and the newest good backup named;
a data folder on a network share uses the rollback journal."""
from __future__ import annotations

import os
import time

import pytest

import rawdb
from factories import OPERATOR, child_values
from store_helpers import cli, dump, store_file
from weibao_desktop.domain.errors import WeibaoError
from weibao_desktop.models import backups, netfs
from weibao_desktop.models.duplicates import INDEX
from weibao_desktop.models.store import alembic_config, current_revision, head_revision, open_store
from weibao_desktop.services import Workstation
from weibao_desktop.services.maintenance import backup, backup_before_import, doctor


def test_a_backup_is_verified_and_named_by_label_and_time(ws):
    ws.children.create(child_values())
    path = backup(ws.store)
    stem, label, when, _ = backups.parse_backup_name(path)
    assert (stem, label, path.suffix) == ("weibao", "manual", ".sqlite3")
    assert path.name.endswith(".bak.sqlite3") and when.year >= 2024
    verdict = backups.verify_backup(path)
    assert verdict.ok and verdict.counts["child"] == 1
    assert [p.name for p in path.parent.iterdir() if "writing" in p.name] == []


def test_a_half_written_copy_is_never_listed_kept_or_counted(ws, tmp_path):
    folder = ws.store.path.parent
    good = backup(ws.store)
    # what a backup killed half-way leaves: a partial file under the temporary name, with its journal
    partial = folder / "weibao.manual.20990101-000000.writing-999.sqlite3"
    partial.write_bytes(good.read_bytes()[:4096])
    partial.with_name(partial.name + "-journal").write_bytes(b"\0" * 512)
    # and a broken file under a backup's name (e.g. copied by hand and cut short)
    broken = folder / "weibao.manual.20990101-000001.bak.sqlite3"
    broken.write_bytes(good.read_bytes()[:4096])

    listed = backups.list_backups(folder, "weibao")
    assert [b.path for b in listed] == [broken, good]  # newest first by the time in the name
    assert [b.ok for b in listed] == [False, True]
    assert backups.newest_good_backup(folder, "weibao").path == good
    problems, _ = doctor(ws.store)
    assert any(broken.name in p for p in problems)


def test_pruning_goes_by_the_time_in_the_name_not_the_file_time(ws):
    folder = ws.store.path.parent
    made = [backup_before_import(ws.store, "ledger") for _ in range(3)]
    # copied around, the oldest now has the newest modification time
    os.utime(made[0], (time.time() + 3600, time.time() + 3600))
    made += [backup_before_import(ws.store, "ledger") for _ in range(2)]
    kept = [b.path for b in backups.list_backups(folder, "weibao", verify=False) if b.label == "before-import"]
    assert kept == made[:1:-1]
    assert not made[0].exists() and not made[1].exists()


def test_backup_to_a_chosen_folder_list_and_restore_from_the_command_line(tmp_path):
    data, stick = tmp_path / "data", tmp_path / "U盘"
    stick.mkdir()
    cli(data, "init", "--station", "城关镇", "--code", "430104001000")
    cli(data, "demo", "--children", "20", "--visits-per-child", "1")
    before = dump(store_file(data))
    out = cli(data, "backup", "--to", str(stick)).stdout
    [copy] = stick.glob("weibao.manual.*.bak.sqlite3")
    assert copy.name in out
    listing = cli(data, "backup", "--list", "--to", str(stick)).stdout
    assert copy.name in listing and "完好" in listing and "MB" in listing

    cli(data, "demo", "--children", "5", "--visits-per-child", "0", "--seed", "7")  # work done after the backup
    after = dump(store_file(data))
    out = cli(data, "restore", str(copy)).stdout
    restored = dump(store_file(data))
    # The backup's data, and its audit trail with the restore appended (the backup was taken before its entry).
    assert [row[5] for row in restored.pop("audit_log")] == ["restore"] and before.pop("audit_log") == []
    assert [r for r in restored.pop("setting") if r[0] != "audit_head"] == before.pop("setting")
    assert restored == before
    [kept] = data.glob("weibao.replaced-*.sqlite3")
    assert kept.name in out and dump(kept) == after  # the replaced store is kept whole
    assert "检查通过" in cli(data, "doctor").stdout


def test_restore_refuses_a_backup_that_does_not_verify(ws, tmp_path):
    bad = tmp_path / "weibao.manual.20240101-000000.bak.sqlite3"
    bad.write_bytes(b"SQLite format 3\0" + b"\x01" * 5000)
    before = dump(ws.store.path)
    with pytest.raises(WeibaoError, match="检查未通过"):
        backups.restore_backup(ws.store.path, bad)
    assert dump(ws.store.path) == before


def test_a_damaged_store_is_moved_aside_and_the_newest_good_backup_named(tmp_path):
    data = tmp_path / "data"
    cli(data, "init", "--station", "城关镇", "--code", "430104001000")
    first = open_store(data)
    good = backup(first)
    first.dispose()  # closed before the damage, as after the program exits
    db = store_file(data)
    with open(db, "r+b") as f:  # a disk error in the first page
        f.seek(0)
        f.write(b"\0" * 100)
    Path_wal = db.with_name(db.name + "-wal")
    Path_wal.write_bytes(b"")

    with pytest.raises(backups.DamagedStore) as damaged:
        open_store(data)
    assert damaged.value.newest.path == good and good.name in damaged.value.message
    assert "weibao restore" in damaged.value.message
    assert not db.exists() and damaged.value.moved_to.exists()
    assert damaged.value.moved_to.with_name(damaged.value.moved_to.name + "-wal").exists()

    # the program does not quietly start on an empty store; the command line says what to do
    failed = cli(data, "stats", check=False)
    assert failed.returncode == 1 and good.name in failed.stderr and "Traceback" not in failed.stderr
    cli(data, "restore", str(good))
    assert "检查通过" in cli(data, "doctor").stdout


def test_duplicate_live_files_keep_the_index_out_and_are_listed_for_merging(tmp_path):
    store = open_store(tmp_path)
    ws = Workstation(store, OPERATOR)
    ws.stations.init("城关镇", "430104001000", "岳麓区", ["东村"])
    first = ws.children.create(values := child_values())
    from alembic import command

    command.downgrade(alembic_config(store.engine), "0005")
    with rawdb.connect(store.path) as con:  # a second file for the same number, as an old race left it
        row = con.execute("SELECT * FROM child WHERE uuid = ?", (first.uuid,)).fetchone()
        cols = [d[1] for d in con.execute("PRAGMA table_info(child)")]
        copy = dict(zip(cols, row, strict=True), id=None, uuid="6f1c0e1e-0000-4000-8000-00000000dup1")
        con.execute(f"INSERT INTO child ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", list(copy.values()))
    store.dispose()

    again = open_store(tmp_path)
    try:
        # later migrations run (the schema is the program's), only the unique index waits for the merge
        assert current_revision(again.engine) == head_revision() and INDEX not in _indexes(again.path)
        with rawdb.connect(again.path) as con:  # the program never merges files by itself
            assert con.execute("SELECT count(*) FROM child WHERE deleted_at IS NULL").fetchone()[0] == 2
        [warning] = again.warnings
        masked = values["id_number"][:6] + "********" + values["id_number"][-4:]
        assert masked in warning and first.uuid in warning and "合并" in warning
        assert values["id_number"] not in warning
        problems, _ = doctor(again)
        assert any(masked in p for p in problems)
        Workstation(again, OPERATOR).children.delete("6f1c0e1e-0000-4000-8000-00000000dup1")  # the merge
    finally:
        again.dispose()
    merged = open_store(tmp_path)
    try:
        assert merged.warnings == [] and INDEX in {ix for ix in _indexes(merged.path)}
    finally:
        merged.dispose()


def _indexes(path):
    with rawdb.connect(path) as con:
        return [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'index'")]


def test_a_network_folder_is_recognised_from_the_mount_table(tmp_path):
    table = tmp_path / "mountinfo"
    table.write_text(
        "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
        "40 22 0:45 / /mnt/共享\\040盘 rw,relatime shared:30 - cifs //server/share rw,vers=3.0\n"
        "41 22 0:46 / /mnt/nfs rw - nfs4 server:/export rw\n", encoding="utf-8")
    assert netfs._linux_fs_type(tmp_path, str(table)) is None
    from pathlib import Path

    assert netfs._linux_fs_type(Path("/mnt/共享 盘/站里"), str(table)) == "cifs"
    assert netfs._linux_fs_type(Path("/mnt/nfs"), str(table)) == "nfs4"


def test_a_store_on_a_network_folder_uses_the_rollback_journal_and_says_so(tmp_path, monkeypatch):
    monkeypatch.setattr("weibao_desktop.models.store.network_filesystem", lambda folder: "cifs")
    store = open_store(tmp_path)
    try:
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "delete"
        assert any("共享盘" in w and "WAL" in w for w in store.warnings)
        Workstation(store, OPERATOR).stations.init("城关镇", "430104001000", "岳麓区", ["东村"])
        assert not tmp_path.joinpath("weibao.sqlite3-wal").exists()
    finally:
        store.dispose()


def test_a_store_that_cannot_be_read_for_a_passing_reason_is_not_moved_aside(tmp_path, monkeypatch):
    """A disk or USB hiccup is not damage: the file stays where it is and the message says to retry."""
    from weibao_desktop.domain.errors import WeibaoError
    from weibao_desktop.models import backups, cipher
    from weibao_desktop.models.store import open_store

    store = open_store(tmp_path)
    store.dispose()

    class Flaky:
        def execute(self, *_a):
            error = cipher.driver.OperationalError("disk I/O error")
            error.sqlite_errorname = "SQLITE_IOERR"  # what SQLite says when the medium fails, not the file
            raise error

        def close(self):
            pass

    monkeypatch.setattr(backups.cipher, "connect", lambda *a, **k: Flaky())
    with pytest.raises(WeibaoError, match="文件没有被移动或改动"):
        backups.check_store_file(tmp_path / "weibao.sqlite3")
    assert (tmp_path / "weibao.sqlite3").exists()
    assert not [p for p in tmp_path.iterdir() if ".damaged-" in p.name]
