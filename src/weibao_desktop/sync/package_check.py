"""The machine sheets of an exchange package, type- and range-checked before anything trusts them.

The checksum over `_meta` and `_rows` proves only that the two agree: anyone can write a workbook
whose checksum matches. So every value is checked for what the importer will do with it: a sequence
number becomes part of a backup's file name and a database integer, a version is compared and
stored, a row's content is a JSON object of texts. Anything else is refused with a message that
names the key or the row, before the store is touched.
"""
from __future__ import annotations

import json
from typing import Any

from ..domain.errors import WeibaoError

MAX_SEQ = 10**9  # a package a day for two million years; far inside a database integer
MAX_REV = 2**31 - 1
_TEXT_KEYS = ("sender_code", "sender_name", "sender_role", "receiver_code", "receiver_name", "created_at",
              "created_by", "schema", "program", "signer", "signature")
_COUNT_KEYS = ("seq", "based_on", "ack")
_REQUIRED = ("sender_code", "sender_name", "sender_role", "receiver_code", "receiver_name", "seq", "based_on",
             "ack", "full", "created_at", "created_by", "schema")


def _broken(what: str) -> WeibaoError:
    return WeibaoError(f"数据包的隐藏工作表 _meta 已被改动或损坏（{what}），未导入任何数据。请对方重新生成数据包后发送。")


def read_meta(rows: list[list]) -> dict[str, Any]:
    """key -> JSON value, from the _meta sheet's two columns."""
    meta: dict[str, Any] = {}
    for row in rows:
        if not row or row[0] in (None, ""):
            continue
        key = row[0]
        if not isinstance(key, str):
            raise _broken(f"第一列应为名称，却是“{str(key)[:20]}”")
        text = row[1] if len(row) > 1 else None
        if not isinstance(text, str):
            raise _broken(f"“{key[:40]}”的值不是文字")
        try:
            meta[key] = json.loads(text)
        except (ValueError, RecursionError):
            raise _broken(f"“{key[:40]}”的值无法识别") from None
    return meta


def check_meta(meta: dict[str, Any]) -> dict[str, Any]:
    """The fields of Meta, each of the type and range the importer relies on."""
    missing = [k for k in _REQUIRED if k not in meta]
    if missing:
        raise _broken(f"缺少 {'、'.join(missing)}")
    for key in _TEXT_KEYS:
        if key in meta and not (isinstance(meta[key], str) and len(meta[key]) <= 200):
            raise _broken(f"“{key}”应为文字")
    if meta.get("county") is not None and not isinstance(meta["county"], str):
        raise _broken("“county”应为文字")
    for key in _COUNT_KEYS:
        value = meta[key]
        if not isinstance(value, int) or isinstance(value, bool):
            raise _broken(f"“{key}”应为整数，却是“{str(value)[:20]}”")
        low = 1 if key == "seq" else 0
        if not low <= value <= MAX_SEQ:
            raise _broken(f"“{key}”为 {str(value)[:40]}，超出了允许的范围（{low}～{MAX_SEQ}）")
    if not isinstance(meta["full"], bool):
        raise _broken("“full”应为是或否")
    if not _texts(meta.get("missing", [])):
        raise _broken("“missing”应为记录编号的列表")
    declined = meta.get("declined", [])
    if not isinstance(declined, list) or not all(
            isinstance(d, list) and len(d) == 3 and isinstance(d[0], str) and isinstance(d[1], str)
            and isinstance(d[2], int) and not isinstance(d[2], bool) and 0 <= d[2] <= MAX_SEQ for d in declined):
        raise _broken("“declined”格式不正确")
    counts = meta.get("counts", {})
    if not isinstance(counts, dict) or not all(
            isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= MAX_SEQ for v in counts.values()):
        raise _broken("“counts”格式不正确")
    return meta


def _texts(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def read_listing(rows: list[list]) -> list[list]:
    """The _rows sheet: [sheet, uuid, rev, checksum, json parts…] per record, as written."""
    out: list[list] = []
    for n, row in enumerate(rows, start=1):
        if not row or row[0] in (None, ""):
            continue
        if len(row) < 5:
            raise _rows_broken(n, "列数不足")
        sheet, uuid, rev, rowsum = row[0], row[1], row[2], row[3]
        if not all(isinstance(v, str) for v in (sheet, uuid, rowsum)):
            raise _rows_broken(n, "记录编号或校验码不是文字")
        out.append([sheet, uuid, version(rev, f"_rows 第{n}行"), rowsum,
                    *[x if isinstance(x, str) else str(x) for x in row[4:] if x not in (None, "")]])
    return out


def _rows_broken(n: int, what: str) -> WeibaoError:
    return WeibaoError(f"数据包的隐藏工作表 _rows 第{n}行已被改动或损坏（{what}），未导入任何数据。请对方重新生成数据包后发送。")


def version(value: Any, where: str) -> int:
    """A 版本 cell: a whole number in range (the parser gives numbers as floats)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise WeibaoError(f"{where}的版本号“{str(value)[:20]}”不是数字（版本列不能手工修改），未导入任何数据")
    if value != value or not 0 <= value <= MAX_REV or int(value) != value:
        raise WeibaoError(f"{where}的版本号“{str(value)[:20]}”超出了允许的范围（0～{MAX_REV}），未导入任何数据")
    return int(value)


def content(parts: list[str], where: str) -> dict[str, str | None]:
    """A row's content as the sender's store had it: a JSON object of texts."""
    try:
        value = json.loads("".join(parts))
    except (ValueError, RecursionError):
        raise WeibaoError(f"数据包的隐藏工作表 _rows 中{where}的内容无法识别，未导入任何数据") from None
    if not isinstance(value, dict) or not all(isinstance(k, str) and (v is None or isinstance(v, str))
                                              for k, v in value.items()):
        raise WeibaoError(f"数据包的隐藏工作表 _rows 中{where}的内容格式不正确，未导入任何数据")
    return value


def replay_note(seq: int, newest: int, sender: str) -> str:
    """Said when a package is not newer than the newest one applied from its sender."""
    if seq == newest:
        return f"{sender}的第{seq}号数据包已经导入过，这次没有任何变化。"
    return (f"这是{sender}较早的第{seq}号数据包：本机已经导入了更新的第{newest}号，其中已包含这个数据包的内容，"
            "因此没有导入任何数据。")
