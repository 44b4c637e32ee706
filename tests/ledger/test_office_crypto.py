"""Office encryption of workbooks: what Excel/WPS open with a password, and what the safe reader decrypts."""
from __future__ import annotations

import io
from pathlib import Path

import msoffcrypto
import pytest
from openpyxl import Workbook, load_workbook

from weibao_desktop.sync import office_crypto, safe_read
from weibao_desktop.sync.limits import LedgerFileError

DATA = Path(__file__).resolve().parents[1] / "data"


def _xlsx(path: Path, rows: list[list]) -> Path:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    return path


def _decrypted_by_msoffcrypto(path: Path, password: str) -> bytes:
    with path.open("rb") as f:
        office = msoffcrypto.OfficeFile(f)
        assert office.is_encrypted()
        office.load_key(password=password, verify_password=True)
        out = io.BytesIO()
        office.decrypt(out, verify_integrity=True)
    return out.getvalue()


def test_encrypted_file_opens_with_its_password_and_reads_back(tmp_path):
    plain = _xlsx(tmp_path / "花名册.xlsx", [["姓名", "村"], ["王小明", "东村"]])
    locked = office_crypto.encrypt_file(plain, tmp_path / "加密.xlsx", "口令 Pass-1")
    assert office_crypto.is_encrypted(locked) and not office_crypto.is_encrypted(plain)
    assert b"\xe7\x8e\x8b" not in locked.read_bytes()  # no trace of the clear text (王) in the file
    assert load_workbook(io.BytesIO(_decrypted_by_msoffcrypto(locked, "口令 Pass-1"))).active["A2"].value == "王小明"
    book = safe_read.read_workbook(locked, password="口令 Pass-1")
    assert book.encrypted and book.sheets[0].rows == [["姓名", "村"], ["王小明", "东村"]]
    assert book.sha256 == safe_read.file_sha256(locked)  # the file as it lies on disk, not what it decrypts to


@pytest.mark.parametrize("password, refusal, message", [
    (None, office_crypto.PasswordNeeded, "文件已加密：请提供密码"),
    ("", office_crypto.PasswordNeeded, "文件已加密：请提供密码"),
    ("1235", office_crypto.WrongPassword, "密码不正确"),
])
def test_missing_or_wrong_password_is_refused_in_chinese(password, refusal, message):
    with pytest.raises(refusal, match=message) as caught:
        safe_read.read_workbook(DATA / "encrypted.xlsx", password=password)
    assert "encrypted.xlsx" in str(caught.value)
    assert safe_read.read_workbook(DATA / "encrypted.xlsx", password="1234").sheets[0].rows[1][0] == "测试"


def test_a_legacy_xls_is_not_an_encrypted_workbook():
    xls = DATA / "儿童台账_文本格式.xls"
    assert xls.read_bytes()[:8] == office_crypto.OLE_MAGIC
    assert not office_crypto.is_encrypted(xls)
    assert safe_read.read_workbook(xls, password="unused").format == "xls"


def test_package_is_encrypted_in_place_and_nothing_is_left_beside_it(tmp_path):
    package = _xlsx(tmp_path / "数据包.xlsx", [["记录编号"], ["abc"]])
    office_crypto.encrypt_package(package, "包密码")
    assert [p.name for p in tmp_path.iterdir()] == ["数据包.xlsx"]
    assert load_workbook(io.BytesIO(_decrypted_by_msoffcrypto(package, "包密码"))).active["A2"].value == "abc"


def test_a_failed_encryption_leaves_the_target_as_it_was(tmp_path):
    target = tmp_path / "旧.xlsx"
    target.write_bytes(b"old")
    not_a_workbook = tmp_path / "x.txt"
    not_a_workbook.write_text("plain text")
    with pytest.raises(Exception):  # noqa: B017 - whatever msoffcrypto says, nothing may be half written
        office_crypto.encrypt_file(not_a_workbook, target, "pw")
    assert target.read_bytes() == b"old" and sorted(p.name for p in tmp_path.iterdir()) == ["x.txt", "旧.xlsx"]


@pytest.mark.parametrize("password", ["", "x" * 256])
def test_a_password_the_program_would_not_encrypt_with_is_refused(tmp_path, password):
    plain = _xlsx(tmp_path / "a.xlsx", [["x"]])
    with pytest.raises(LedgerFileError, match="密码"):
        office_crypto.encrypt_file(plain, tmp_path / "b.xlsx", password)
    assert not (tmp_path / "b.xlsx").exists()
