"""Forging packages as an attacker would: change `_meta` or `_rows`, recompute the (unkeyed) checksum, and
sign again with some key, or with none."""
from __future__ import annotations

import io
import json
from pathlib import Path

from openpyxl import load_workbook

from pairing_helpers import unlock
from weibao_desktop.services.pairing import own_keys_readonly
from weibao_desktop.sync import signing
from weibao_desktop.sync.package import _whole_checksum
from weibao_desktop.sync.records import checksum


def station_key(site) -> tuple[str, str]:
    """(public, private) signing key of a store: what an attacker holding that computer has."""
    with getattr(site, "ws", site).ctx.read() as s:
        key = own_keys_readonly(s)
        return key.sign_public, key.sign_private


def rewrite(src: Path, out: Path, *, meta=None, rows=None, key: tuple[str, str] | None = None,
            unsigned: bool = False, rename: dict[str, str] | None = None) -> Path:
    """A copy of a package with `meta(dict)` and `rows(list of [sheet, uuid, rev, sum, content])` applied,
    record numbers replaced everywhere by `rename` (visible cells too), the checksum recomputed, and the
    signature kept, dropped (`unsigned`) or made with `key`."""
    wb = load_workbook(io.BytesIO(unlock(src, out).read_bytes()))
    for ws in wb.worksheets:
        if rename and ws.title not in ("_meta", "_rows"):
            for line in ws.iter_rows():
                for cell in line:
                    if cell.value in rename:
                        cell.value = rename[cell.value]
    meta_ws, rows_ws = wb["_meta"], wb["_rows"]
    values = {r[0].value: json.loads(r[1].value) for r in meta_ws.iter_rows() if r[0].value}
    lines = [[str(r[0]), str(r[1]), int(r[2]), str(r[3]), json.loads("".join(str(x) for x in r[4:] if x))]
             for r in rows_ws.iter_rows(values_only=True) if r and r[0]]
    if meta:
        meta(values)
    if rows:
        rows(lines)
    for line in lines if rename else ():
        line[1] = rename.get(line[1], line[1])
        line[4] = {k: rename.get(v, v) if isinstance(v, str) else v for k, v in line[4].items()}
    listing = []
    for sheet, uuid, rev, _, content in lines:
        text = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        listing.append([sheet, uuid, rev, checksum(content), text])
    if unsigned:
        values.pop("signature", None)
        values.pop("signer", None)
    if key is not None:
        values["signer"] = signing.key_id(key[0])
        values.pop("signature", None)
        values["signature"] = signing.sign(key[1], signing.canonical(values, listing))
    values["checksum"] = _whole_checksum(values, listing)
    meta_ws.delete_rows(1, meta_ws.max_row)
    for k, v in values.items():
        meta_ws.append([k, json.dumps(v, ensure_ascii=False)])
    rows_ws.delete_rows(1, rows_ws.max_row)
    for line in listing:
        rows_ws.append(line)
    wb.save(out)
    return out


def delete_record(uuid: str, when: str = "2026-11-30 10:00:00"):
    """A `rows` change that tombstones one record."""
    def change(lines):
        for line in lines:
            if line[1] == uuid:
                line[4]["deleted_at"] = when
    return change
