"""Encrypted ledgers and LibreOffice: it opens ours with the password (and not without), and a ledger it
encrypted is imported by ours with the password. Through UNO, since `soffice --convert-to` takes no password."""
from __future__ import annotations

import csv
import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import Workbook

from factories import id_number
from weibao_desktop.cli import main
from weibao_desktop.sync import office_crypto

LO_PYTHON = "/usr/bin/python3"
SCRIPT = Path(__file__).with_name("lo_password.py")
pytestmark = pytest.mark.libreoffice


@pytest.fixture(scope="module")
def lo_profile(tmp_path_factory) -> Path:
    ok = shutil.which("soffice") and subprocess.run([LO_PYTHON, "-c", "import uno"], capture_output=True).returncode == 0
    if not ok:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice with python3-uno is required in CI (dev.sh installs it)")
        pytest.skip("LibreOffice / python3-uno not installed")
    return tmp_path_factory.mktemp("lo-password-profile")


def _lo(action: str, source: Path, password: str, out: Path, profile: Path) -> int:
    return subprocess.run([LO_PYTHON, str(SCRIPT), action, str(source), password, str(out), str(profile)],
                          capture_output=True, timeout=300).returncode


def test_libreoffice_opens_our_encrypted_ledger_only_with_its_password(store, ws, station, tmp_path, lo_profile):
    data = str(store.path.parent)
    pw = tmp_path / "pw.txt"
    pw.write_text("开门 Sesame-9\n", encoding="utf-8")
    locked = tmp_path / "加密台账.xlsx"
    assert main(["--data-dir", data, "ledger", "export", "children", "-o", str(locked),
                 "--ledger-password-file", str(pw)]) == 0
    shown = tmp_path / "shown.csv"
    assert _lo("open", locked, "开门 Sesame-9", shown, lo_profile) == 0
    with shown.open(encoding="utf-8") as f:
        text = "\n".join(",".join(row) for row in csv.reader(f))
    assert "儿童信息台账" in text and "东村" in text and "西村" in text
    assert _lo("open", locked, "开门 sesame-9", tmp_path / "wrong.csv", lo_profile) == 3
    assert not (tmp_path / "wrong.csv").exists()
    # a plain headless convert has no password to give: LibreOffice cannot load the file at all
    subprocess.run(["soffice", f"-env:UserInstallation={lo_profile.as_uri()}", "--headless", "--convert-to", "csv",
                    "--outdir", str(tmp_path / "converted"), str(locked)], capture_output=True, timeout=300)
    assert not list((tmp_path / "converted").glob("*.csv"))


def test_a_ledger_encrypted_by_libreoffice_imports_with_the_password(ws, store, tmp_path, lo_profile, db, capsys):
    wb = Workbook()
    wb.active.append(["姓名", "性别", "出生日期", "公民身份号码", "所属村(社区)", "儿童类别"])
    wb.active.append(["林小雨", "女", "2015-03-01", id_number(dt.date(2015, 3, 1), "F", 11), "东村", "农村留守儿童"])
    plain = tmp_path / "plain.xlsx"
    wb.save(plain)
    locked = tmp_path / "LibreOffice加密.xlsx"
    assert _lo("encrypt", plain, "口令2026", locked, lo_profile) == 0
    assert office_crypto.is_encrypted(locked)
    data = str(store.path.parent)
    before = db.snapshot(store)
    assert main(["--data-dir", data, "ledger", "import", str(locked)]) == 1
    assert "文件已加密：请提供密码" in capsys.readouterr().err
    assert db.snapshot(store) == before
    pw = tmp_path / "pw.txt"
    pw.write_text("口令2026", encoding="gb18030")  # saved by an older Notepad: GBK, no newline
    assert main(["--data-dir", data, "ledger", "import", str(locked), "--ledger-password-file", str(pw)]) == 0
    assert "导入完成" in capsys.readouterr().out
    assert [c.name for c in ws.children.page().rows] == ["林小雨"]
