"""Finding a ledger's header in a sheet: the row, or pair of rows (父亲 over 姓名 / 电话 …), that names the
most known columns; telling another ledger from a children ledger; a single category named in the title."""
from __future__ import annotations

from dataclasses import dataclass

from ..domain.codes import CATEGORY
from .ledger_columns import LEDGERS, HeaderIndex, Ledger, fold_header
from .safe_read import SheetData

HEADER_SCAN_ROWS = 30
# Columns that only number the rows or mark the report itself: known, never imported, never "unknown".
IGNORED_HEADERS = {fold_header(h) for h in ("原工作表", "原行号", "未导入原因", "错误原因", "序号", "栏次")}


def column_letter(n: int) -> str:
    """1 → A, 27 → AA: a column's name in the spreadsheet (without loading openpyxl to say so)."""
    letters = ""
    while n > 0:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass(frozen=True)
class MappedColumn:
    index: int  # 0-based
    key: str
    header: str  # as the file has it ("父亲 / 电话")

    @property
    def letter(self) -> str:
        return column_letter(self.index + 1)


@dataclass(frozen=True)
class HeaderFound:
    top: int  # 0-based row index of the (first) header row
    rows: int  # 1 or 2
    columns: list[MappedColumn]
    unknown: list[tuple[int, str]]
    headers: list[str]


def find_header(sheet: SheetData, index: HeaderIndex, ledger: Ledger) -> HeaderFound | None:
    """The header of the ledger in this sheet: the row (or pair of rows) naming the most known columns."""
    rows = sheet.rows
    best: HeaderFound | None = None
    best_score = 0
    spans = _horizontal_spans(sheet.merged)
    for r in range(min(HEADER_SCAN_ROWS, len(rows))):
        upper = rows[r]
        if sum(1 for v in upper if cell_text(v)) < 2:
            continue
        for found in (_one_row(upper, r, index), _two_rows(rows, r, index, spans)):
            if found is None:
                continue
            keys = {c.key for c in found.columns}
            score = len(keys)
            if ledger.anchor in keys and (score >= 3 or "id_number" in keys) and score > best_score:
                best, best_score = found, score
    return best


def _one_row(upper: list, r: int, index: HeaderIndex) -> HeaderFound:
    columns, unknown, headers = [], [], []
    seen = set()
    for c, value in enumerate(upper):
        text = cell_text(value)
        headers.append(text)
        if not text:
            continue
        key = index.lookup(text)
        if key and key not in seen:
            seen.add(key)
            columns.append(MappedColumn(c, key, text))
        elif key is None and fold_header(text) not in IGNORED_HEADERS:
            unknown.append((c, text))
    return HeaderFound(r, 1, columns, unknown, headers)


def _two_rows(rows: list[list], r: int, index: HeaderIndex, spans: dict) -> HeaderFound | None:
    if r + 1 >= len(rows):
        return None
    upper, lower = rows[r], rows[r + 1]
    group_texts = _group_texts(upper, lower, r, spans, index)
    if not any(group_texts):
        return None
    columns, unknown, headers = [], [], []
    seen = set()
    for c in range(max(len(upper), len(lower))):
        top = cell_text(upper[c]) if c < len(upper) else ""
        sub = cell_text(lower[c]) if c < len(lower) else ""
        group = group_texts[c] if c < len(group_texts) else None
        if group and sub:
            key = index.lookup(sub, group)
            header = f"{group} / {sub}"
        else:
            header = top or sub
            key = index.lookup(header) if header else None
        headers.append(header)
        if not header:
            continue
        if key and key not in seen:
            seen.add(key)
            columns.append(MappedColumn(c, key, header))
        elif key is None and fold_header(header) not in IGNORED_HEADERS:
            unknown.append((c, header))
    return HeaderFound(r, 2, columns, unknown, headers)


def _group_texts(upper: list, lower: list, r: int, spans: dict, index: HeaderIndex) -> list[str | None]:
    """For each column, the group (父亲 …) written above it: over merged cells, or (files without merge
    information, such as .ods) carried right from the group's first cell while sub-headers continue."""
    out: list[str | None] = []
    current = None
    for c in range(max(len(upper), len(lower))):
        top = cell_text(upper[c]) if c < len(upper) else ""
        sub = cell_text(lower[c]) if c < len(lower) else ""
        span = spans.get((r, c))
        if span is not None:
            start_text = cell_text(upper[span]) if span < len(upper) else ""
            current = start_text if index.group_of(start_text) else None
        elif top:
            current = top if index.group_of(top) and sub else None
        elif not sub:
            current = None
        out.append(current if sub else None)
    return out


def _horizontal_spans(merged) -> dict[tuple[int, int], int]:
    """(row, col) → first column of the merged range holding it, for ranges within one row."""
    spans = {}
    for (r1, c1), (r2, c2) in merged or ():
        if r1 == r2 and c2 > c1 and c2 - c1 < 60:
            for c in range(c1, c2 + 1):
                spans[(r1, c)] = c1
    return spans


def other_ledger(sheet: SheetData) -> str | None:
    """Which other ledger this sheet looks like, to say so instead of 'no header'. When several match (a
    走访任务表 has the 走访记录台账's columns too), the one whose signature names the most columns."""
    for r in range(min(HEADER_SCAN_ROWS, len(sheet.rows))):
        texts = {fold_header(v) for v in sheet.rows[r:r + 2][0] + (sheet.rows[r + 1] if r + 1 < len(sheet.rows) else [])
                 if cell_text(v)}
        found = [(len(ledger.signature), kind) for kind, ledger in LEDGERS.items()
                 if kind != "children" and ledger.signature
                 and all(texts & _signature_texts(ledger, h) for h in ledger.signature)]
        if found:
            return max(found)[1]
    return None


def _signature_texts(ledger, header: str) -> set[str]:
    """A signature header and, for an importable ledger, the other names hand-made ledgers give its column."""
    names = {fold_header(header)}
    if ledger.importable:
        for col in ledger.columns:
            if col.header == header:
                names.update(fold_header(h) for h in col.headers())
    return names


def category_from_title(rows: list[list], top: int) -> str | None:
    """农村留守儿童信息台账 → left_behind, when a title row above the header names one category."""
    labels = sorted(((t, c.code) for c in CATEGORY for t in (c.label, *c.synonyms) if len(t) >= 4),
                    key=lambda p: -len(p[0]))
    for r in range(top):
        text = "".join(cell_text(v) for v in rows[r])
        if not text:
            continue
        found = {code for t, code in labels if t in text}
        if len(found) == 1:
            return found.pop()
    return None


def cell_text(value) -> str:
    """A header or label cell as text."""
    if value is None or value == "":
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()
