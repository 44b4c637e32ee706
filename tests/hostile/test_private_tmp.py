"""Temporary files with personal data stay in the data folder's private 0700 folder and never linger."""
from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest
from openpyxl import Workbook

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
