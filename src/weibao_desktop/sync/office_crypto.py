"""Office "open password" encryption (ECMA-376 agile AES) of the workbooks the program writes and reads.

Excel, WPS and LibreOffice all open a workbook encrypted this way after asking for its password, so an
encrypted ledger or exchange package stays an ordinary file for the person who has the password, and
unreadable to whoever finds it on a USB stick or in a chat group.

The encrypted file is an OLE compound file holding two streams: `EncryptionInfo` (an XML description of
the key derivation) and `EncryptedPackage` (the xlsx zip, AES-encrypted). A file someone sent is hostile
until proven otherwise, so before msoffcrypto-tool parses anything:

- the compound file is opened strictly (any structural defect, a FAT loop, a stream longer than its
  chain is refused), and `EncryptedPackage` may not claim more bytes than the file holds: what is
  decrypted is never larger than the file, which `limits` already bounds;
- `EncryptionInfo` is small and its XML has no document type declaration (entity expansion);
- the password's spin count (hash iterations, run in Python) is bounded, so a file cannot make the
  program hash for minutes before it asks anything.

Decryption happens in memory only: the decrypted workbook never lies on disk. The zip it yields then goes
through every check of `safe_read` like any other workbook, so a small encrypted file that decrypts into a
zip bomb is refused there. A missing or wrong password changes nothing and says so in Chinese.
"""
from __future__ import annotations

import io
import os
import re
import tempfile
from pathlib import Path

from .limits import LedgerFileError
from .xml_guard import check_prolog

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
INFO_STREAM = "EncryptionInfo"
PACKAGE_STREAM = "EncryptedPackage"
MAX_INFO_BYTES = 64 * 1024  # Excel writes about 1 KB
# ECMA-376 allows 10,000,000; Excel, WPS and LibreOffice write 100,000. Each password try hashes this often twice.
MAX_SPIN = 1_000_000
MAX_PASSWORD = 255  # Excel's limit: a longer password could not be typed there
_SPIN = re.compile(rb'spinCount\s*=\s*["\']\s*(\d{1,12})\s*["\']')
_NAMES = (INFO_STREAM.encode("utf-16-le"), PACKAGE_STREAM.encode("utf-16-le"))


class PasswordNeeded(LedgerFileError):
    """The file is encrypted and no password was given."""

    password_prompt = "该文件设置了打开密码，请输入密码："  # the GUI asks for a password when it sees this


class WrongPassword(LedgerFileError):
    """The password given does not open the file."""

    password_prompt = "密码不正确，请重新输入（区分大小写）："


def password_needed(name: str, hint: str = "") -> PasswordNeeded:
    return PasswordNeeded(f"文件已加密：请提供密码。“{name}”设置了打开密码，没有密码无法读取，未导入任何数据。{hint}")


def wrong_password(name: str) -> WrongPassword:
    return WrongPassword(f"密码不正确：无法打开“{name}”，未导入任何数据。请确认密码（区分大小写、全角半角）后重试。")


def check_password(password: str) -> str:
    """A password the program will encrypt with: not empty, not longer than Excel accepts."""
    if not password:
        raise LedgerFileError("密码不能为空。")
    if len(password) > MAX_PASSWORD:
        raise LedgerFileError(f"密码不能超过 {MAX_PASSWORD} 个字符（Excel 和 WPS 无法输入更长的密码）。")
    return password


SPIN = 100_000  # hash iterations of the password, as Excel writes
# Only for the test suite (the same switch as the key slots' cheap KDF, set by tests/conftest.py): packages and
# ledgers are encrypted with few iterations, so hundreds of them take seconds, not minutes. The count is written
# in each file, so every reader (Excel, WPS, LibreOffice, this program) opens them all the same.
CHEAP_SPIN = 1_000
CHEAP_ENV = "WEIBAO_TEST_CHEAP_KDF"


def encrypt_bytes(data: bytes, password: str) -> bytes:
    """An xlsx's bytes, encrypted with `password` (agile AES-256, SHA-512, 100,000 spins, as Excel writes)."""
    import olefile
    from msoffcrypto.format.ooxml import OOXMLFile
    from msoffcrypto.method.ecma376_agile import ECMA376Agile

    check_password(password)
    OOXMLFile(io.BytesIO(data))  # refuses what is not an Office Open XML file, as its encrypt() would
    spin = CHEAP_SPIN if os.environ.get(CHEAP_ENV) == "1" else SPIN
    encrypted = ECMA376Agile.encrypt(password, io.BytesIO(data), spin_count=spin)
    if not olefile.isOleFile(encrypted):  # what msoffcrypto's OOXMLFile.encrypt checks too
        raise OSError("加密失败")
    return encrypted


def encrypt_file(src: Path, dst: Path, password: str) -> Path:
    """Write `src` (an xlsx) encrypted to `dst`; `dst` appears whole or not at all. `src` may be `dst`."""
    src, dst = Path(src), Path(dst)
    encrypted = encrypt_bytes(src.read_bytes(), password)
    fd, name = tempfile.mkstemp(prefix=".~weibao.", suffix=".part", dir=dst.parent)
    staged = Path(name)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(encrypted)
            out.flush()
            os.fsync(out.fileno())
        os.replace(staged, dst)
    except BaseException:
        staged.unlink(missing_ok=True)
        raise
    return dst


def encrypt_package(path: Path, password: str) -> Path:
    """Encrypt a finished package in place: a temporary file in the same folder replaces it in one step."""
    return encrypt_file(path, path, password)


def is_encrypted(path: str | Path) -> bool:
    """Whether the file is an Office-encrypted workbook (an OLE compound file with EncryptionInfo).

    A legacy .xls is an OLE file too, but holds a Workbook stream instead: it is not an encrypted xlsx."""
    try:
        with Path(path).open("rb") as f:
            if f.read(8) != OLE_MAGIC:
                return False
            f.seek(0)
            return _has_info(f, f.read(1024 * 1024))  # olefile reads only the sectors it needs
    except OSError:
        return False


def is_encrypted_data(data: bytes) -> bool:
    """`is_encrypted` for a file's bytes already read."""
    return data[:8] == OLE_MAGIC and _has_info(io.BytesIO(data), data)


def _has_info(file, head: bytes) -> bool:
    import olefile

    try:
        file.seek(0)
        with olefile.OleFileIO(file) as ole:
            return bool(ole.exists(INFO_STREAM))
    except Exception:
        # A compound file too damaged to list its streams: the stream names still tell what it claims to be.
        return any(stream in head for stream in _NAMES)


def decrypt_bytes(data: bytes, password: str | None, name: str, hint: str = "") -> bytes:
    """The xlsx inside an encrypted workbook, in memory. PasswordNeeded, WrongPassword or LedgerFileError."""
    import msoffcrypto
    from msoffcrypto import exceptions as ms_errors

    _check_container(data, name)
    if not password:
        raise password_needed(name, hint)
    try:
        office = msoffcrypto.OfficeFile(io.BytesIO(data))
        office.load_key(password=password, verify_password=True)
    except ms_errors.InvalidKeyError:
        raise wrong_password(name) from None
    except ms_errors.DecryptionError as e:
        raise LedgerFileError(_unsupported(name, e)) from None
    except Exception as e:  # msoffcrypto parses hostile bytes: any failure there is a damaged file
        raise damaged(name, e) from None
    out = io.BytesIO()
    try:
        if getattr(office, "type", "") == "agile":
            office.decrypt(out, verify_integrity=True)  # the HMAC over the encrypted bytes: changed in transit?
        else:
            office.decrypt(out)
    except ms_errors.InvalidKeyError:
        raise damaged(name, None) from None
    except Exception as e:
        raise damaged(name, e) from None
    return out.getvalue()


def _check_container(data: bytes, name: str) -> None:
    """The compound file is sound, its streams are where and as big as they say, and the key derivation is bounded."""
    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(data), raise_defects=olefile.DEFECT_INCORRECT) as ole:
            if not ole.exists(INFO_STREAM) or not ole.exists(PACKAGE_STREAM):
                raise damaged(name, None)
            info_size = ole.get_size(INFO_STREAM)
            package_size = ole.get_size(PACKAGE_STREAM)
            if info_size > MAX_INFO_BYTES or package_size > len(data) or package_size < 8:
                raise damaged(name, None)
            with ole.openstream(INFO_STREAM) as stream:
                info = stream.read(MAX_INFO_BYTES + 1)
    except LedgerFileError:
        raise
    except Exception as e:
        raise damaged(name, e) from None
    if len(info) < 8:
        raise damaged(name, None)
    if info[:4] == b"\x04\x00\x04\x00":  # agile: XML after an 8-byte header
        check_prolog(info[8:], INFO_STREAM)
        spin = _SPIN.search(info)
        if spin is None:
            raise damaged(name, None)
        if int(spin.group(1)) > MAX_SPIN:
            raise LedgerFileError(
                f"“{name}”的加密参数异常（密码迭代 {int(spin.group(1))} 次，超过上限 {MAX_SPIN} 次），"
                "Excel、WPS 和 LibreOffice 不会这样加密，为安全起见不予读取。请让对方重新加密后发送。")


def damaged(name: str, error: BaseException | None) -> LedgerFileError:
    what = f"（{type(error).__name__}）" if error is not None else ""
    return LedgerFileError(
        f"“{name}”是加密文件，但加密信息或加密内容已损坏{what}，无法解密，未导入任何数据。"
        "文件可能没有下载或复制完整，或在传递中被改动。请重新获取文件。")


def _unsupported(name: str, error: BaseException) -> str:
    return (f"“{name}”使用了本程序不支持的加密方式（{str(error)[:80]}），未导入任何数据。请在 Excel 或 WPS 中用密码打开，"
            "用“文件 → 信息 → 保护工作簿 → 用密码进行加密”重新设置密码并保存后再导入。")
