"""Encrypted ledgers through the real command line: exported with a password chosen at export, opened by
msoffcrypto and LibreOffice with it, imported with it, and refused (changing nothing) without it."""
from __future__ import annotations

import io
from pathlib import Path

import msoffcrypto
import pytest
from openpyxl import load_workbook

from factories import COUNTY, STATION_CODE, STATION_NAME, VILLAGES
from weibao_desktop.cli import main
from weibao_desktop.models.store import open_store
from weibao_desktop.services import Workstation
from weibao_desktop.sync import office_crypto

PASSWORD = "台账密码 2026"


def _password_file(folder: Path, text: str, name: str = "pw.txt") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _fresh_station(folder: Path) -> Path:
    assert main(["--data-dir", str(folder), "init", "--station", STATION_NAME, "--code", STATION_CODE,
                 "--county", COUNTY, "--villages", ",".join(VILLAGES)]) == 0
    return folder


def _children(data_dir: Path) -> list[tuple]:
    store = open_store(data_dir)
    try:
        ws = Workstation(store, "测试")
        return sorted((c.name, c.sex, c.birth_date, c.id_number_masked, c.village, c.categories)
                      for c in ws.children.page(limit=1000).rows)
    finally:
        store.dispose()


@pytest.fixture
def exported(store, ws, station, tmp_path, capsys):
    """The populated station's children ledger, exported encrypted and plain through the CLI."""
    data = str(store.path.parent)
    pw = _password_file(tmp_path, f"  {PASSWORD}  \n第二行不是密码\n")
    locked = tmp_path / "加密台账.xlsx"
    assert main(["--data-dir", data, "ledger", "export", "children", "-o", str(locked),
                 "--ledger-password-file", str(pw)]) == 0
    assert "已加密" in capsys.readouterr().out
    plain = tmp_path / "台账.xlsx"
    assert main(["--data-dir", data, "ledger", "export", "children", "-o", str(plain)]) == 0
    return locked, plain, pw


def test_encrypted_export_opens_with_the_password_and_imports_the_same_rows(exported, tmp_path, capsys):
    locked, plain, pw = exported
    with locked.open("rb") as f:
        office = msoffcrypto.OfficeFile(f)
        assert office.is_encrypted()
        office.load_key(password=PASSWORD, verify_password=True)  # first line, blanks around it stripped
        clear = io.BytesIO()
        office.decrypt(clear, verify_integrity=True)
    sheet = load_workbook(clear).worksheets[0]
    assert sheet.title == "儿童信息台账"
    assert [c.value for c in next(load_workbook(plain).worksheets[0].iter_rows(max_row=1))] == \
        [c.value for c in next(sheet.iter_rows(max_row=1))]
    assert "儿童信息台账".encode() not in locked.read_bytes()

    from_locked = _fresh_station(tmp_path / "a")
    from_plain = _fresh_station(tmp_path / "b")
    capsys.readouterr()
    assert main(["--data-dir", str(from_locked), "ledger", "import", str(locked), "--ledger-password-file", str(pw)]) == 0
    assert "导入完成" in capsys.readouterr().out
    assert main(["--data-dir", str(from_plain), "ledger", "import", str(plain)]) == 0
    imported = _children(from_locked)
    assert len(imported) == 3 and imported == _children(from_plain)


@pytest.mark.parametrize("password_text, message", [
    (None, "文件已加密：请提供密码"),
    ("台账密码 2025\n", "密码不正确"),
    ("", "第一行是空的"),
    ("   \n台账密码 2026\n", "第一行是空的"),
])
def test_missing_wrong_or_empty_password_is_refused_and_changes_nothing(exported, tmp_path, capsys, db,
                                                                        password_text, message):
    locked, *_ = exported
    target = _fresh_station(tmp_path / "c")
    store = open_store(target)
    before = db.snapshot(store)
    store.dispose()
    command = ["--data-dir", str(target), "ledger", "import", str(locked)]
    if password_text is not None:
        command += ["--ledger-password-file", str(_password_file(tmp_path, password_text, "bad.txt"))]
    capsys.readouterr()
    assert main(command) == 1
    captured = capsys.readouterr()
    assert message in captured.err and "Traceback" not in captured.err + captured.out
    store = open_store(target)
    after = db.snapshot(store)
    store.dispose()
    assert after == before
    assert _children(target) == []


def test_export_with_an_empty_or_missing_password_file_writes_nothing(store, ws, tmp_path, capsys):
    data = str(store.path.parent)
    out = tmp_path / "x.xlsx"
    assert main(["--data-dir", data, "ledger", "export", "children", "-o", str(out),
                 "--ledger-password-file", str(_password_file(tmp_path, "\n"))]) == 1
    assert "第一行是空的" in capsys.readouterr().err
    assert main(["--data-dir", data, "ledger", "export", "children", "-o", str(out),
                 "--ledger-password-file", str(tmp_path / "none.txt")]) == 1
    assert "找不到密码文件" in capsys.readouterr().err
    assert not out.exists()


def test_the_password_option_says_it_is_not_the_login_password(capsys):
    with pytest.raises(SystemExit):
        main(["ledger", "import", "--help"])
    assert "不是登录本程序的密码" in capsys.readouterr().out


def test_a_plain_ledger_imports_with_a_password_file_given(exported, tmp_path, capsys):
    _, plain, pw = exported
    target = _fresh_station(tmp_path / "d")
    assert not office_crypto.is_encrypted(plain)
    assert main(["--data-dir", str(target), "ledger", "import", str(plain), "--ledger-password-file", str(pw)]) == 0
    assert len(_children(target)) == 3
