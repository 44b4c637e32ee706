"""openpyxl's write-only rows, written faster: a cell whose style is registered once per sheet, and a row
writer that emits each row's XML in one string instead of one element per cell (a 20,000-row ledger saves in
a fraction of the time). Used by xlsx_style; nothing here knows what a ledger is."""
from __future__ import annotations

import datetime as dt
import re

from openpyxl.cell.cell import Cell
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils.datetime import to_excel


class StyledCell(Cell):
    """A write-only cell whose style is registered once per sheet: no per-cell style lookup or copy."""

    __slots__ = ("_sid",)

    def __init__(self, ws, value, data_type: str, style: StyleArray, sid: int):
        self.parent = ws
        self._style = style
        self._sid = sid
        self.row = 1
        self.column = 1
        self._value = value
        self.data_type = data_type
        self._hyperlink = None
        self._comment = None

    @property
    def style_id(self) -> int:
        return self._sid

    @property
    def has_style(self) -> bool:
        return True


DATA_TYPE = {str: "s", int: "n", float: "n", dt.date: "d", dt.datetime: "d", bool: "b"}


def place_cells(cells, row_idx):
    """WriteOnlyWorksheet._values_to_row for rows of ready cells (None for an empty, unstyled cell)."""
    for col, cell in enumerate(cells, 1):
        if cell is None:
            continue
        cell.column = col
        cell.row = row_idx
        yield cell


_ESCAPE = re.compile(r"[&<>\r]")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def fast_rows(writer, letters: list[str]):
    """The worksheet writer's write_row for rows of `StyledCell`s: the row's XML as one string.

    openpyxl serialises each cell through an element tree; for the thousands of plain rows of a ledger
    that is most of the time spent. Other rows (layout, merged headers) go the usual way."""
    original = writer.write_row
    dims = writer.ws.row_dimensions
    epoch = writer.ws.parent.epoch

    def write_row(xf, row, row_idx):
        cells = list(row)
        out = getattr(xf, "_file", None)
        if out is None or not cells or any(c.__class__ is not StyledCell for c in cells):
            return original(xf, cells, row_idx)
        r = str(row_idx)
        head = f'<row r="{r}"'
        if row_idx in dims:
            head += "".join(f' {k}="{v}"' for k, v in dims[row_idx])
        parts = [head, ">"]
        for c in cells:
            ref = letters[c.column] + r
            value = c._value
            if value is None:
                parts.append(f'<c r="{ref}" s="{c._sid}"/>')
                continue
            t = c.data_type
            if t == "s":
                if _ESCAPE.search(value):
                    value = _escape(value)
                space = ' xml:space="preserve"' if value[0].isspace() or value[-1].isspace() else ""
                parts.append(f'<c r="{ref}" s="{c._sid}" t="inlineStr"><is><t{space}>{value}</t></is></c>')
            elif t == "d":
                parts.append(f'<c r="{ref}" s="{c._sid}" t="n"><v>{to_excel(value, epoch)}</v></c>')
            elif t == "b":
                parts.append(f'<c r="{ref}" s="{c._sid}" t="b"><v>{int(value)}</v></c>')
            else:
                text = str(value) if value.__class__ is int else f"{value:.16g}"
                parts.append(f'<c r="{ref}" s="{c._sid}" t="n"><v>{text}</v></c>')
        parts.append("</row>")
        out("".join(parts))

    return write_row
