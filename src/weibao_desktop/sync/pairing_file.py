"""The two pairing files: the county's 开通文件 (its public keys) and the township's 回执 (its own).

Each is a small .xlsx a person can open: a visible sheet saying what it is and what to do, and a hidden
`_pair` sheet with the machine values, signed by the station that wrote it. No pairing file carries a
private key or a password. Read through the same safe reader as every file the program opens.
"""
from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook

from ..domain.errors import WeibaoError
from ..models.private_tmp import PrivateTemp
from . import signing
from .limits import LEDGER
from .safe_read import parse_sheets, read_checked

FORMAT = "weibao-pairing"
VERSION = 1
SHEET = "_pair"
_KEYS = ("county_code", "county_name", "township_code", "township_name", "county_sign_public", "county_dh_public")
_RECEIPT_KEYS = ("township_sign_public", "township_dh_public")


@dataclass(frozen=True)
class PairingFile:
    kind: str  # "invite" (开通文件) or "receipt" (回执)
    county_code: str
    county_name: str
    township_code: str
    township_name: str
    county_sign_public: str
    county_dh_public: str
    township_sign_public: str | None = None
    township_dh_public: str | None = None
    created_at: str = ""
    created_by: str = ""

    def values(self) -> dict:
        return {"format": FORMAT, "version": VERSION, **self.__dict__}

    @property
    def signer_key(self) -> str:
        return self.county_sign_public if self.kind == "invite" else str(self.township_sign_public)


def _message(values: dict) -> bytes:
    body = {k: v for k, v in values.items() if k != "signature"}
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def write_pairing(path: Path, pairing: PairingFile, sign_private: str, safety_code: str | None = None,
                  temp: PrivateTemp | None = None) -> Path:
    """Write the file aside (in the store's private temporary folder when given), then put it in place."""
    if temp is not None:
        temp.route_openpyxl()
    values = pairing.values()
    values["signature"] = signing.sign(sign_private, _message(values))
    wb = Workbook()
    ws = wb.worksheets[0]
    if pairing.kind == "invite":
        ws.title = "开通文件"
        lines = [
            [f"{pairing.county_name} → {pairing.township_name}　交换数据包开通文件"],
            ["县级单位", pairing.county_name, pairing.county_code],
            ["乡镇", pairing.township_name, pairing.township_code],
            ["县级签名公钥指纹", signing.key_id(pairing.county_sign_public)],
            [],
            ["乡镇：在程序的 设置 → 配对 中点“导入开通文件”（或运行 weibao pair accept 本文件 -o 回执.xlsx），"],
            ["把生成的回执交回县级；双方电话核对显示的6位安全码一致后，配对才算完成。"],
            ["本文件只含公钥，不含任何密码，可以通过聊天工具或U盘传递。"],
        ]
    else:
        ws.title = "回执"
        lines = [
            [f"{pairing.township_name} → {pairing.county_name}　交换数据包配对回执"],
            ["乡镇", pairing.township_name, pairing.township_code],
            ["县级单位", pairing.county_name, pairing.county_code],
            ["乡镇签名公钥指纹", signing.key_id(str(pairing.township_sign_public))],
            ["安全码", safety_code or ""],
            [],
            ["县级：在程序的 设置 → 配对 中点“导入回执”（或运行 weibao pair confirm 本文件），"],
            ["电话核对双方显示的6位安全码一致后再确认。本文件只含公钥，不含任何密码。"],
        ]
    for line in lines:
        ws.append(line)
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 30
    ws.column_dimensions["C"].width = 16
    hidden = wb.create_sheet(SHEET)
    hidden.sheet_state = "hidden"
    hidden.protection.sheet = True
    for key, value in values.items():
        hidden.append([key, json.dumps(value, ensure_ascii=False)])
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if temp is not None:
        with temp.writing(path) as staged:
            wb.save(staged)
        return path
    fd, tmp = tempfile.mkstemp(prefix=".~", suffix=".xlsx", dir=path.parent)
    os.close(fd)
    try:
        wb.save(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def read_pairing(path: Path, kind: str) -> PairingFile:
    """Read and check a pairing file of the expected kind; WeibaoError (in Chinese) when it cannot be used."""
    path = Path(path)
    what = "开通文件" if kind == "invite" else "回执"
    book = read_checked(path, LEDGER)
    if book.format != "xlsx":
        raise WeibaoError(f"“{path.name}”不是程序生成的{what}（.xlsx），未做任何改动")
    sheets = {s.name: s.rows for s in parse_sheets(book, hidden=True, limits=LEDGER, as_written=True)}
    if SHEET not in sheets:
        raise WeibaoError(f"“{path.name}”不是配对{what}（缺少 {SHEET} 工作表），未做任何改动")
    values: dict = {}
    for row in sheets[SHEET]:
        if not row or not isinstance(row[0], str) or not row[0]:
            continue
        try:
            values[row[0]] = json.loads(row[1]) if len(row) > 1 and isinstance(row[1], str) else None
        except (ValueError, RecursionError):
            raise WeibaoError(f"“{path.name}”的 {SHEET} 工作表中“{row[0][:40]}”无法识别（文件被改动或损坏），未做任何改动") from None
    if values.get("format") != FORMAT or values.get("version") != VERSION:
        raise WeibaoError(f"“{path.name}”不是本程序的配对文件，未做任何改动")
    if values.get("kind") != kind:
        other = "开通文件" if values.get("kind") == "invite" else "回执"
        raise WeibaoError(f"“{path.name}”是{other}，这里需要{what}，未做任何改动")
    keys = _KEYS + (_RECEIPT_KEYS if kind == "receipt" else ())
    bad = [k for k in keys if not isinstance(values.get(k), str) or len(values[k]) > 200]
    bad += [k for k in keys if k.endswith("_public") and k not in bad and not signing.valid_public_key(values[k])]
    if bad:
        raise WeibaoError(f"“{path.name}”的配对信息不完整或已损坏（{'、'.join(bad)}），未做任何改动")
    fields = {k: values[k] for k in PairingFile.__dataclass_fields__ if k in values and isinstance(values[k], str)}
    pairing = PairingFile(**fields)
    if not signing.verify(pairing.signer_key, _message(values), values.get("signature")):
        raise WeibaoError(f"“{path.name}”的签名不符：文件在生成之后被改动过，未做任何改动。请对方重新生成。")
    return pairing
