"""How big a file the program agrees to read, and the message that names the limit a file hit.

Two sets: a ledger (台账) someone typed, and an exchange package the program wrote (a township's
whole store can travel in one, so its sheets may be longer). Both keep what the parser allocates
well under 1 GB: the parser makes a cell for every position of the rectangle that holds values,
so rows x columns is bounded, not only the count of cells written.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..domain.errors import WeibaoError

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    file_bytes: int  # the file as it lies on disk, checked before anything is read or inflated
    member_bytes: int  # one part of the zip, inflated
    total_bytes: int  # all parts, inflated
    ratio: int  # inflated / compressed, for parts over big_member
    big_member: int
    members: int  # parts in the zip
    rows: int  # rows per sheet
    cols: int  # columns per sheet that may hold content
    cells: int  # rows x columns of the rectangle the parser allocates, per sheet
    strings: int  # entries of the shared-string table
    text_run: int  # bytes of text without markup: far beyond a cell's 32,767 characters
    what: str  # how the file is called in messages


LEDGER = Limits(
    file_bytes=100 * MB, member_bytes=256 * MB, total_bytes=512 * MB, ratio=100, big_member=4 * MB,
    members=5000, rows=200_000, cols=104, cells=8_000_000, strings=2_000_000, text_run=1 * MB, what="台账",
)
# A township of 20,000 children with 200,000 visits: about 70 MB on disk, 550 MB of sheet XML.
PACKAGE = Limits(
    file_bytes=200 * MB, member_bytes=512 * MB, total_bytes=1536 * MB, ratio=100, big_member=4 * MB,
    members=200, rows=1_000_000, cols=104, cells=12_000_000, strings=8_000_000, text_run=1 * MB,
    what="数据包",
)


class LedgerFileError(WeibaoError):
    """The file cannot be read at all (nothing in it was imported)."""

    def __init__(self, message: str):
        super().__init__(message, "file")


def over_limit(what: str, got: int | str, limit: int | str, unit: str, advice: str) -> LedgerFileError:
    """A refusal that says which limit was hit, by how much, and what to do."""
    return LedgerFileError(f"{what}为 {got}{unit}，超过了上限（{limit}{unit}）。{advice}")


SPLIT = "请把表格拆分成几个文件后分别导入。"
RESAVE = "请在 Excel、WPS 或 LibreOffice 中打开该文件，确认内容无误后“另存为”新的 .xlsx 文件，再导入。"
