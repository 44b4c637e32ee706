"""Temporary files with personal data stay in the data folder's private 0700 folder and never linger."""
from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest
from openpyxl import Workbook

from pairing_helpers import pair_store
from weibao_desktop.domain.errors import WeibaoError
from weibao_desktop.models import private_tmp
from weibao_desktop.models.private_tmp import PrivateTemp, place


def test_export_spool_files_go_to_the_private_folder_and_are_removed(tmp_path, monkeypatch):
    from openpyxl.worksheet import _writer

    monkeypatch.setattr(_writer, "create_temporary_file", _writer.create_temporary_file)  # restored afterwards
    temp = PrivateTemp(tmp_path / "data")
    temp.route_openpyxl()
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("台账")
    ws.append(["张三", "430104201503010013"])
    spooled = list(temp.folder("export").iterdir())
    assert spooled and all(p.name.startswith("openpyxl.") for p in spooled)
    assert stat.S_IMODE((tmp_path / "data" / "tmp").stat().st_mode) == 0o700
    with temp.writing(tmp_path / "out" / "台账.xlsx") as target:
        wb.save(target)
    assert (tmp_path / "out" / "台账.xlsx").exists()
    assert list(temp.folder("export").iterdir()) == []
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["台账.xlsx"]


def test_a_failed_write_leaves_nothing_under_the_final_name_or_beside_it(tmp_path):
    temp = PrivateTemp(tmp_path / "data")
    with pytest.raises(RuntimeError), temp.writing(tmp_path / "out.pdf") as target:
        target.write_bytes(b"half a file")
        raise RuntimeError("crash while writing")
    assert list(tmp_path.glob("*out*")) == [] and list(temp.folder().iterdir()) == []


def test_leftovers_of_a_crash_are_swept_at_start_but_a_running_program_keeps_its_files(tmp_path):
    import subprocess
    import sys

    temp = PrivateTemp(tmp_path)
    temp.folder()
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    crashed = temp.root / f"p{gone.stdout.strip()}"  # a process that has ended: what it left is swept
    (crashed / "print").mkdir(parents=True)
    (crashed / "print" / "档案卡.pdf").write_bytes(b"%PDF")
    (crashed / "openpyxl.x").write_bytes(b"id numbers")
    running = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        busy = temp.root / f"p{running.pid}"  # another window still exporting: left alone
        busy.mkdir()
        (busy / "openpyxl.y").write_bytes(b"in use")
        (temp.folder() / "mine.x").write_bytes(b"this process's own")
        assert temp.sweep() == 1
        assert not crashed.exists() and (busy / "openpyxl.y").exists() and (temp.folder() / "mine.x").exists()
    finally:
        running.kill()
        running.wait()
    assert temp.sweep() == 1 and not busy.exists()


def test_a_folder_that_is_a_link_or_open_to_others_is_not_trusted(tmp_path):
    elsewhere = tmp_path / "shared"
    elsewhere.mkdir(mode=0o777)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "tmp").symlink_to(elsewhere)
    with pytest.raises(WeibaoError, match="链接"):
        PrivateTemp(tmp_path / "data").folder()
    open_folder = tmp_path / "data2" / "tmp"
    open_folder.mkdir(parents=True)
    os.chmod(open_folder, 0o777)
    PrivateTemp(tmp_path / "data2").folder()
    assert stat.S_IMODE(open_folder.stat().st_mode) == 0o700


def test_across_filesystems_the_copy_is_renamed_into_place(tmp_path, monkeypatch):
    source = tmp_path / "a.xlsx"
    source.write_bytes(b"package")
    real_replace = os.replace
    calls = []

    def replace(src, dst):
        calls.append(Path(src))
        if Path(src) == source:
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        return real_replace(src, dst)

    monkeypatch.setattr(private_tmp.os, "replace", replace)
    target = tmp_path / "usb" / "数据包.xlsx"
    place(source, target)
    assert target.read_bytes() == b"package" and not source.exists()
    assert [p.name for p in target.parent.iterdir()] == ["数据包.xlsx"]


def test_exports_leave_nothing_in_the_system_temp_folder_or_beside_the_file(tmp_path):
    """The real program, as a clerk runs it: ledgers and a package exported, then every temp folder looked at."""
    import subprocess
    import sys

    system_temp = tmp_path / "system-temp"
    system_temp.mkdir()
    out = tmp_path / "U盘"
    data = tmp_path / "data"
    env = {**os.environ, "TMPDIR": str(system_temp), "TEMP": str(system_temp), "TMP": str(system_temp)}
    base = [sys.executable, "-m", "weibao_desktop", "--data-dir", str(data), "--user", "测试员"]

    def run(*args):
        done = subprocess.run([*base, *args], env=env, capture_output=True, text=True, encoding="utf-8", timeout=300)
        assert done.returncode == 0, done.stderr

    run("init", "--station", "测试镇", "--code", "430104001000", "--county", "岳麓区")
    run("demo", "--children", "60", "--visits-per-child", "2")
    pair_store(data, tmp_path / "county")
    run("ledger", "export", "children", "-o", str(out / "儿童台账.xlsx"))
    run("ledger", "export", "visits", "-o", str(out / "走访台账.xlsx"))
    run("sync", "export", "-o", str(out / "数据包.xlsx"))
    assert sorted(p.name for p in out.iterdir()) == ["儿童台账.xlsx", "数据包.xlsx", "走访台账.xlsx"]
    assert [p for p in system_temp.rglob("*") if p.is_file()] == []
    assert [p for p in (data / "tmp").rglob("*") if p.is_file()] == []


def test_an_export_killed_while_saving_leaves_its_data_only_in_the_private_folder_until_the_next_start(tmp_path):
    import subprocess
    import sys

    system_temp = tmp_path / "system-temp"
    system_temp.mkdir()
    out = tmp_path / "U盘"
    data = tmp_path / "data"
    env = {**os.environ, "TMPDIR": str(system_temp), "TEMP": str(system_temp), "TMP": str(system_temp)}
    base = ["--data-dir", str(data), "--user", "测试员"]
    # The process dies the moment the workbook is on disk, before it reaches its final name.
    crash = ("import os, sys\n"
             "from openpyxl.workbook.workbook import Workbook\n"
             "real = Workbook.save\n"
             "def save(self, filename):\n"
             "    real(self, filename)\n"
             "    os._exit(9)\n"
             "Workbook.save = save\n"
             "from weibao_desktop.cli import main\n"
             "sys.exit(main(sys.argv[1:]))\n")

    def run(*args, code=None):
        cmd = [sys.executable, "-c", code, *args] if code else [sys.executable, "-m", "weibao_desktop", *args]
        return subprocess.run(cmd, env=env, capture_output=True, text=True, encoding="utf-8", timeout=300)

    assert run(*base, "init", "--station", "测试镇", "--code", "430104001000", "--county", "岳麓区").returncode == 0
    assert run(*base, "demo", "--children", "40", "--visits-per-child", "1").returncode == 0
    pair_store(data, tmp_path / "county")
    assert run(*base, "ledger", "export", "children", "-o", str(out / "儿童台账.xlsx"), code=crash).returncode == 9
    assert run(*base, "sync", "export", "-o", str(out / "数据包.xlsx"), code=crash).returncode == 9
    assert not out.exists() or list(out.iterdir()) == []  # nothing under the final name, nothing beside it
    assert [p for p in system_temp.rglob("*") if p.is_file()] == []
    assert [p for p in (data / "tmp").rglob("*") if p.is_file()]  # what the crash left is in the private folder
    assert stat.S_IMODE((data / "tmp").stat().st_mode) == 0o700
    assert run(*base, "stats").returncode == 0  # the next start sweeps it
    assert [p for p in (data / "tmp").rglob("*") if p.is_file()] == []


def test_a_scratch_file_a_viewer_still_holds_does_not_stop_the_work_and_goes_at_the_next_start(tmp_path, monkeypatch):
    """Windows refuses to delete a file another program has open (a PDF preview in a viewer): the work that
    used it still finishes; the next start's sweep removes it."""
    temp = PrivateTemp(tmp_path / "data")
    real_unlink = Path.unlink

    def held_open(self, missing_ok=False):
        if self.name.startswith("weibao."):
            raise PermissionError(errno.EACCES, "being used by another process", str(self))
        return real_unlink(self, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", held_open)
    with temp.scratch(".pdf", "print") as pdf:
        pdf.write_bytes(b"%PDF-1.4 synthetic")
    assert pdf.exists()  # still there, and no error reached the user
    monkeypatch.setattr(Path, "unlink", real_unlink)
    # The next start: another process, and this one no longer runs.
    monkeypatch.setattr(private_tmp, "_alive", lambda pid: False)
    monkeypatch.setattr(private_tmp.os, "getpid", lambda: -1)
    PrivateTemp(tmp_path / "data").sweep()
    assert not pdf.exists()
