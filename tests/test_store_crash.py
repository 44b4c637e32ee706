"""Killed at any moment (SIGKILL, as a power cut or the task manager does it), a write leaves the store
exactly as it was before or as it is after, never a mixture, and no half-written file under a backup's
name. Real `weibao` processes, killed at random times within each operation's measured duration.

More kill points: WEIBAO_CRASH_POINTS=20 (per operation; default 5, i.e. 30 in all); WEIBAO_CRASH_SEED."""
from __future__ import annotations

import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import rawdb
from store_helpers import build_world, cli, cli_command, cli_env, dump, store_file
from weibao_desktop.models import backups
from weibao_desktop.models.store import alembic_config, open_store
from weibao_desktop.services.maintenance import doctor

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")

POINTS = int(os.environ.get("WEIBAO_CRASH_POINTS", "5"))
SEED = int(os.environ.get("WEIBAO_CRASH_SEED", "2026"))
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_TIME = re.compile(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d+)?")
_HASH = re.compile(r"\b[0-9a-f]{64}\b")  # audit entries' hashes: they cover the entry's time
_FILE_STAMP = re.compile(r"\d{8}-\d{6}")  # a backup's name, as an audit entry names it


def comparable(path: Path) -> dict:
    """The dump with what differs between two runs of one operation (new uuids, clock times) blanked."""
    def blank(value):
        if isinstance(value, str):
            return _FILE_STAMP.sub("T", _HASH.sub("H", _TIME.sub("T", _UUID.sub("U", value))))
        return value

    return {table: sorted((tuple(blank(v) for v in row) for row in rows), key=repr)
            for table, rows in dump(path).items()}


@pytest.fixture(scope="module")
def start_up(world, tmp_path_factory) -> float:
    """How long a command takes before it does anything: kills are spread over the rest, where the work is."""
    directory = shutil.copytree(world["town"], tmp_path_factory.mktemp("idle") / "town")
    return min(_run(directory, ["find", "无此人"], None) for _ in range(2))


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    root = tmp_path_factory.mktemp("crash")
    found = build_world(root, children=120)
    # a store one schema version back, with data, for the migration
    old = root / "old"
    old.mkdir()
    rawdb.copy_store(store_file(found["town"]), store_file(old))
    from alembic import command

    store = open_store(old)
    command.downgrade(alembic_config(store.engine), "0005")
    store.dispose()
    # a backup of the town before more demo data, for restore
    found["town_backup"] = backups.write_backup(store_file(found["town"]), "manual", directory=root)
    cli(found["town"], "demo", "--children", "60", "--visits-per-child", "1", "--seed", "11")
    found["old"] = old
    return found


OPERATIONS = {
    "ledger import": ("fresh", lambda w: ["ledger", "import", str(w["ledger"])]),
    "exchange apply": ("county", lambda w: ["sync", "import", str(w["package"])]),
    "demo": ("fresh", lambda w: ["demo", "--children", "300", "--visits-per-child", "3", "--seed", "5"]),
    "backup": ("town", lambda w: ["backup"]),
    "restore": ("town", lambda w: ["restore", str(w["town_backup"])]),
    "schema migration": ("old", lambda w: ["stats"]),
}


def _run(directory: Path, args: list[str], kill_after: float | None) -> float:
    started = time.perf_counter()
    process = subprocess.Popen(cli_command(directory, *args), env=cli_env(), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    if kill_after is None:
        assert process.wait(timeout=300) == 0, args
    else:
        try:
            process.wait(timeout=kill_after)
        except subprocess.TimeoutExpired:  # still running: kill it where it stands
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=60)
    return time.perf_counter() - started


def _check_files(directory: Path, case: str) -> None:
    for path in directory.glob("*.bak.*"):
        if backups.parse_backup_name(path):
            assert backups.verify_backup(path).ok, f"{case}: {path.name} is under a backup's name but not whole"


@pytest.mark.parametrize("operation", list(OPERATIONS))
def test_a_kill_at_any_moment_leaves_the_before_or_the_after_state(world, start_up, tmp_path, operation):
    source, make_args = OPERATIONS[operation]
    args = make_args(world)
    before = comparable(store_file(world[source]))

    done = shutil.copytree(world[source], tmp_path / "whole")
    duration = _run(done, args, None)
    after = comparable(store_file(done))
    allowed = [before, after]
    if operation == "restore":
        # Killed after the backup was put in place but before its restore entry was appended to the audit trail:
        # the backup's own state, whole.
        restored = shutil.copytree(world[source], tmp_path / "restored")
        shutil.copyfile(world["town_backup"], store_file(restored))
        allowed.append(comparable(store_file(restored)))
    if operation not in ("backup",):
        assert after != before, "the operation changed nothing: the test would prove nothing"

    rng = random.Random(f"{SEED}-{operation}")
    outcomes = []
    for k in range(POINTS):
        delay = rng.uniform(0, duration) if k == 0 else rng.uniform(min(start_up * 0.8, duration * 0.5), duration)
        case = f"{operation}, killed after {delay:.2f}s of {duration:.2f}s (seed {SEED})"
        directory = shutil.copytree(world[source], tmp_path / f"k{k}")
        _run(directory, args, delay)
        state = comparable(store_file(directory))
        assert state in allowed, f"{case}: the store is neither the before nor the after state"
        outcomes.append("before" if state == before else "after" if state == after else "restored, not yet audited")
        _check_files(directory, case)
        store = open_store(directory)
        try:
            problems, _ = doctor(store)
            assert problems == [], f"{case}: {problems}"
        finally:
            store.dispose()
    print(f"{operation}: {outcomes}")
