"""A small form layout engine: boxes, labelled cells, wrapped text that continues on the next page,
tables that repeat their header, signature lines, and a footer with page x / y on every page.

Layout produces a display list per page (text runs, lines and rectangles at absolute positions, in
points from the top-left corner of an A4 page). The PDF is drawn from it with reportlab, and the GUI
paints the very same list with QPainter for its preview and for the printer, so what is previewed is
what is filed. Text is cut into runs of one font face each (see fonts.FontSet); a character no face
has becomes a blank slot with a line to write it in by hand, and is reported in `Document.missing`.
"""
from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .fonts import FontFace, FontSet
from .pdf import BODY, PAGE_H, PAGE_W, draw_pdf

MARGIN_X = 45.0
MARGIN_TOP = 36.0
MARGIN_BOTTOM = 54.0  # room for the two footer lines
CONT_TOP = 56.0  # first line of a continuation page, under its running header

SMALL = 9.0  # 小五
PAD = 4.0
LINE = 1.42  # leading, as a multiple of the size
RULE = 0.6  # cell border
SHADE = "#EDEDED"
LABEL_W = (PAGE_W - 2 * MARGIN_X) * 1.05 / 7.3  # the label column of the forms' six-column grid
GREY = "#555555"

# Text op: ("t", x, baseline_y, face_name, size, text, colour or None)
# Line op: ("l", x1, y1, x2, y2, width, dash or None)
# Rect op: ("r", x, y, w, h, line_width or 0, fill colour or None)


@dataclass
class Choice:
    """Tick boxes in a cell: every option, the chosen ones ticked (none chosen on a blank form)."""

    options: Sequence[str]
    chosen: Iterable[str] = ()


@dataclass
class Cell:
    text: str | Choice | None
    span: int = 1
    label: bool = False
    align: str = "left"  # left, center, right
    colour: str | None = None  # a swatch before the text (risk colour)


@dataclass
class Document:
    """Pages of a printed form, ready to be written as PDF or painted by the GUI."""

    fonts: FontSet
    station: str
    form: str
    printed_by: str
    printed_at: dt.datetime
    title: str = ""
    pages: list[list[tuple]] = field(default_factory=list)
    subjects: list[str] = field(default_factory=list)  # whose sheet each page belongs to
    continued: list[bool] = field(default_factory=list)  # page continues a sheet begun before
    missing: dict[str, list[str]] = field(default_factory=dict)  # character → where it was wanted
    finished: bool = False

    def __post_init__(self) -> None:
        self._em: dict[tuple[str, bool], float] = {}

    # measuring and drawing text

    def em(self, ch: str, heading: bool = False) -> float:
        """Advance width of one character in ems (a missing character keeps one em for writing in)."""
        key = (ch, heading)
        w = self._em.get(key)
        if w is None:
            face = self.fonts.face_for(ch, heading)
            w = 1.0 if face is None else face.widths.get(ord(ch), face.default_width) / 1000.0
            self._em[key] = w
        return w

    def measure(self, text: str, size: float, heading: bool = False) -> float:
        em = self._em
        total = 0.0
        for ch in text:
            w = em.get((ch, heading))
            if w is None:
                w = self.em(ch, heading)
            total += w
        return total * size

    def text(self, page: list, x: float, y: float, text: str, size: float = BODY, *, heading: bool = False,
             colour: str | None = None, align: str = "left", width: float = 0.0, where: str = "") -> float:
        """Draw one line with its baseline at y; returns its width. `where` names the field for the
        report of characters that cannot be printed."""
        if not text:
            return 0.0
        runs = self.fonts.runs(text, heading)
        if len(runs) == 1 and runs[0].face is not None:
            w = self.measure(text, size, heading) if align != "left" else 0.0
            if align == "center":
                x += (width - w) / 2
            elif align == "right":
                x += width - w
            page.append(("t", x, y, runs[0].face.name, size, text, colour))
            return w
        w = self.measure(text, size, heading)
        if align == "center":
            x += (width - w) / 2
        elif align == "right":
            x += width - w
        for run in runs:
            rw = self.measure(run.text, size, heading)
            if run.face is None:
                for ch in run.text:
                    self.missing.setdefault(ch, [])
                    if where and where not in self.missing[ch]:
                        self.missing[ch].append(where)
                cw = size
                for i in range(len(run.text)):
                    page.append(("l", x + i * cw + 1, y + 1.5, x + (i + 1) * cw - 1, y + 1.5, 0.5, None))
            else:
                page.append(("t", x, y, run.face.name, size, run.text, colour))
            x += rw
        return w

    def wrap(self, text: str | None, size: float, width: float, heading: bool = False) -> list[str]:
        """Lines of at most `width` points; never drops a character. Chinese breaks between any two
        characters (not before closing punctuation); Latin words and numbers stay whole if they fit."""
        if not text:
            return []
        out: list[str] = []
        for para in str(text).replace("\r\n", "\n").replace("\r", "\n").split("\n"):
            if not para.strip():
                out.append("")
                continue
            self._wrap_para(para.rstrip(), size, width, heading, out)
        while out and not out[-1]:
            out.pop()
        return out

    def _wrap_para(self, para: str, size: float, width: float, heading: bool, out: list[str]) -> None:
        limit = width / size  # in ems
        if self.measure(para, 1.0, heading) <= limit:
            out.append(para)
            return
        em = self.em
        line: list[str] = []
        line_w = 0.0
        for atom in _ATOMS.findall(para):
            aw = sum(em(c, heading) for c in atom)
            if line_w + aw <= limit or (atom.isspace() and line):
                line.append(atom)
                line_w += aw
                continue
            if atom in _NO_LINE_START and line and len(line) > 1 and not line[-1].isspace():
                carried = line.pop()  # keep the closing mark with the character before it
                out.append("".join(line).rstrip())
                line, line_w = [carried, atom], sum(em(c, heading) for c in carried + atom)
                continue
            if line:
                out.append("".join(line).rstrip())
                line, line_w = [], 0.0
            if atom.isspace():
                continue
            if aw <= limit:
                line, line_w = [atom], aw
                continue
            for ch in atom:  # a word longer than the line is cut where it must be
                cw = em(ch, heading)
                if line_w + cw > limit and line:
                    out.append("".join(line))
                    line, line_w = [], 0.0
                line.append(ch)
                line_w += cw
        if line:
            out.append("".join(line).rstrip())

    # pages

    def new_page(self, subject: str = "", continued: bool = False) -> list:
        page: list[tuple] = []
        self.pages.append(page)
        self.subjects.append(subject)
        self.continued.append(continued)
        return page

    def finish(self) -> Document:
        """Running header on continuation pages; on every page the footer: station, form, page x / y,
        who printed it and when."""
        if self.finished:
            return self
        total = len(self.pages)
        when = f"{self.printed_at:%Y-%m-%d %H:%M}"
        left = f"{self.station}　{self.form}"
        right = f"打印：{self.printed_by}　{when}"
        y_rule = PAGE_H - MARGIN_BOTTOM + 14
        for n, page in enumerate(self.pages, start=1):
            if self.continued[n - 1]:
                self.text(page, MARGIN_X, 34, f"{self.form}（续）　{self.subjects[n - 1]}", SMALL, colour=GREY,
                          where="页眉")
                page.append(("l", MARGIN_X, 39, PAGE_W - MARGIN_X, 39, 0.4, None))
            page.append(("l", MARGIN_X, y_rule, PAGE_W - MARGIN_X, y_rule, 0.4, None))
            y = y_rule + 12
            self.text(page, MARGIN_X, y, left, SMALL, where="页脚")
            self.text(page, MARGIN_X, y, f"第 {n} 页 / 共 {total} 页", SMALL, align="center",
                      width=PAGE_W - 2 * MARGIN_X)
            self.text(page, MARGIN_X, y, right, SMALL, align="right", width=PAGE_W - 2 * MARGIN_X, where="页脚")
            self.text(page, MARGIN_X, y + 12, "本表含未成年人个人信息，请妥善保管，不得外传；用毕归档或按规定销毁。", 7.5,
                      colour=GREY, align="center", width=PAGE_W - 2 * MARGIN_X)
        self.finished = True
        return self

    def missing_report(self) -> str:
        """What could not be printed, in Chinese, or "" when everything could."""
        if not self.missing:
            return ""
        parts = []
        for ch, where in self.missing.items():
            parts.append(f"“{ch}”（U+{ord(ch):04X}{'，' + '、'.join(where[:3]) if where else ''}）")
        return (
            f"当前字体缺少{len(self.missing)}个字：{'；'.join(parts)}。打印稿中这些字的位置留了空白横线，"
            "请手工补写；或在“设置 → 打印”中选择含有这些字的字体（如 Windows 的 SimSun-ExtB：simsunb.ttf）。"
        )

    # output

    def faces(self) -> dict[str, FontFace]:
        return {f.name: f for f in self.fonts.faces()}

    def write_pdf(self, target: str | Path | io.BytesIO) -> None:
        self.finish()
        draw_pdf(self.pages, target, self.fonts.body.name,
                 title=self.title or self.form, author=self.station, subject=self.form)

    def pdf_bytes(self) -> bytes:
        buf = io.BytesIO()
        self.write_pdf(buf)
        return buf.getvalue()


_ATOMS = re.compile(r"[A-Za-z0-9@._%+\-/:#']+|\s+|.", re.S)
_NO_LINE_START = set("，。、；：？！）》」』”’〉】,.;:!?)]%")


class Flow:
    """Lays out one sheet from the top of a page downwards, starting new pages as it fills them."""

    def __init__(self, doc: Document, subject: str = ""):
        self.doc = doc
        self.subject = subject
        self.x0 = MARGIN_X
        self.width = PAGE_W - 2 * MARGIN_X
        self.bottom = PAGE_H - MARGIN_BOTTOM
        self.page = doc.new_page(subject)
        self.y = MARGIN_TOP

    # pages

    def page_break(self) -> None:
        self.page = self.doc.new_page(self.subject, continued=True)
        self.y = CONT_TOP

    def room(self) -> float:
        return self.bottom - self.y

    def ensure(self, h: float) -> None:
        if self.y + h > self.bottom:
            self.page_break()

    def space(self, h: float) -> None:
        self.y += h

    # pieces

    def title(self, text: str, size: float = 18.0) -> None:
        self.y += size
        self.doc.text(self.page, self.x0, self.y, text, size, heading=True, align="center", width=self.width,
                      where="标题")
        self.y += size * 0.55

    def meta(self, left: str = "", right: str = "") -> None:
        """A small line under the title: form number on the left, dates on the right."""
        self.y += SMALL * 1.3
        if left:
            self.doc.text(self.page, self.x0, self.y, left, SMALL, where="表头")
        if right:
            self.doc.text(self.page, self.x0, self.y, right, SMALL, align="right", width=self.width, where="表头")
        self.y += 5

    def section(self, text: str, h: float = 19.0) -> None:
        """A shaded band naming a part of the form; kept with at least two lines of what follows."""
        self.ensure(h + 40)
        p = self.page
        p.append(("r", self.x0, self.y, self.width, h, RULE, SHADE))
        self.doc.text(p, self.x0 + 6, self.y + h / 2 + 4, text, 11.0, heading=True, where=text)
        self.y += h

    def paragraph(self, text: str, size: float = BODY, indent: float = 0.0, colour: str | None = None) -> None:
        lead = size * LINE
        for line in self.doc.wrap(text, size, self.width - indent):
            self.ensure(lead)
            self.y += lead
            self.doc.text(self.page, self.x0 + indent, self.y - lead * 0.28, line, size, colour=colour,
                          where=text[:12])

    def grid(self, cols: Sequence[float], rows: Sequence[Sequence[Cell]], size: float = BODY,
             min_h: float = 20.0) -> None:
        """Rows of labelled cells over columns of the given widths (scaled to the line width)."""
        scale = self.width / sum(cols)
        widths = [c * scale for c in cols]
        lead = size * LINE
        for row in rows:
            cells = []
            i = 0
            for cell in row:
                w = sum(widths[i:i + cell.span])
                cells.append((cell, self.x0 + sum(widths[:i]), w))
                i += cell.span
            wrapped = [self._cell_lines(cell, w, size) for cell, _, w in cells]
            h = max(min_h, max(len(lines) for lines in wrapped) * lead + 2 * PAD)
            self.ensure(h)
            for (cell, x, w), lines in zip(cells, wrapped, strict=False):
                self._draw_cell(cell, lines, x, self.y, w, h, size)
            self.y += h

    def _cell_lines(self, cell: Cell, w: float, size: float) -> list:
        if isinstance(cell.text, Choice):
            return self._choice_lines(cell.text, w - 2 * PAD, size)
        inner = w - 2 * PAD - (size * 1.3 if cell.colour else 0)
        return self.doc.wrap(cell.text, size, inner, heading=False) or [""]

    def _draw_cell(self, cell: Cell, lines: list, x: float, y: float, w: float, h: float, size: float) -> None:
        p = self.page
        p.append(("r", x, y, w, h, RULE, SHADE if cell.label else None))
        lead = size * LINE
        if lines and isinstance(lines[0], Choice):
            top = y + (h - len(lines) * lead) / 2
            for k, line in enumerate(lines):
                self._draw_choice(line, x + PAD, top + (k + 0.5) * lead, w - 2 * PAD, size)
            return
        top = y + (h - len(lines) * lead) / 2
        tx = x + PAD
        if cell.colour:
            sw = size * 0.95
            p.append(("r", tx, top + (lead - sw) / 2, sw, sw, 0.4, cell.colour))
            tx += size * 1.3
        for k, line in enumerate(lines):
            base = top + (k + 1) * lead - lead * 0.28
            self.doc.text(p, tx, base, line, size, align=cell.align, width=w - (tx - x) - PAD,
                          where=_where(cell, lines))

    def _choice_width(self, opt: str, size: float) -> float:
        return size * 0.85 + 2.5 + self.doc.measure(opt, size) + size * 0.9

    def _choice_lines(self, choice: Choice, w: float, size: float) -> list[Choice]:
        """The options in as many lines as the cell's width needs (the 情形 of 强制报告 take several)."""
        chosen = tuple(choice.chosen)
        lines: list[list[str]] = [[]]
        used = 0.0
        for opt in choice.options:
            need = self._choice_width(opt, size)
            if lines[-1] and used + need > w:
                lines.append([])
                used = 0.0
            lines[-1].append(opt)
            used += need
        return [Choice(tuple(opts), chosen) for opts in lines]

    def _draw_choice(self, choice: Choice, x: float, mid: float, w: float, size: float) -> None:
        p = self.page
        chosen = set(choice.chosen)
        box = size * 0.85
        for opt in choice.options:
            p.append(("r", x, mid - box / 2, box, box, 0.6, None))
            if opt in chosen:  # a tick drawn as two strokes, so no font needs a ✓ glyph
                p.append(("l", x + box * 0.18, mid, x + box * 0.42, mid + box * 0.3, 1.1, None))
                p.append(("l", x + box * 0.42, mid + box * 0.3, x + box * 0.86, mid - box * 0.36, 1.1, None))
            x += box + 2.5
            x += self.doc.text(p, x, mid + size * 0.36, opt, size, where="选项") or self.doc.measure(opt, size)
            x += size * 0.9

    def text_box(self, label: str, text: str | None, *, min_lines: int = 2, blank_lines: int = 0,
                 label_w: float = LABEL_W, size: float = BODY, hint: str = "") -> None:
        """A labelled box of wrapped text. When the page fills, the box closes and continues on the next
        page under the label "…（续）", so no word is lost. `blank_lines` draws ruled lines to write on."""
        lead = size * LINE
        x_text = self.x0 + label_w
        w_text = self.width - label_w
        if blank_lines:
            pitch = 19.0
            h = blank_lines * pitch + PAD
            self.ensure(h)
            self._label_cell(label, self.y, h, label_w, size, hint)
            self.page.append(("r", x_text, self.y, w_text, h, RULE, None))
            for k in range(1, blank_lines + 1):
                ly = self.y + k * pitch
                if k < blank_lines or pitch - PAD > 6:
                    self.page.append(("l", x_text + PAD, ly, x_text + w_text - PAD, ly, 0.35, (1, 2)))
            self.y += h
            return
        lines = self.doc.wrap(text, size, w_text - 2 * PAD)
        pending = lines or [""]
        first = True
        while True:
            wanted = max(len(pending), min_lines if first else 1)
            fit = int((self.room() - 2 * PAD) // lead)
            if fit < min(wanted, 2):
                self.page_break()
                fit = int((self.room() - 2 * PAD) // lead)
            n = min(wanted, fit)
            chunk, pending = pending[:n], pending[n:]
            h = n * lead + 2 * PAD
            self._label_cell(label if first else f"{label}\n（续）", self.y, h, label_w, size)
            self.page.append(("r", x_text, self.y, w_text, h, RULE, None))
            for k, line in enumerate(chunk):
                self.doc.text(self.page, x_text + PAD, self.y + PAD + (k + 1) * lead - lead * 0.28, line, size,
                              where=label)
            self.y += h
            first = False
            if not pending:
                return
            self.page_break()

    def _label_cell(self, label: str, y: float, h: float, w: float, size: float, hint: str = "") -> None:
        """The shaded label of a box; a hint of what to write goes under it in small grey type."""
        self.page.append(("r", self.x0, y, w, h, RULE, SHADE))
        lines = self.doc.wrap(label, size, w - 2 * PAD)
        hints = self.doc.wrap(hint, 7.0, w - 2 * PAD) if hint else []
        lead = size * LINE
        body_h = len(lines) * lead + len(hints) * 8.5
        top = y + min(PAD, (h - body_h) / 2) if h > 3 * lead else y + (h - body_h) / 2
        for k, line in enumerate(lines):
            self.doc.text(self.page, self.x0 + PAD, top + (k + 1) * lead - lead * 0.28, line, size, align="center",
                          width=w - 2 * PAD, where=label)
        top += len(lines) * lead
        for k, line in enumerate(hints):
            self.doc.text(self.page, self.x0 + PAD, top + (k + 1) * 8.5, line, 7.0, colour=GREY, align="center",
                          width=w - 2 * PAD)

    def cut_line(self, note: str) -> None:
        """A dashed line across the page with a note in its middle, for a tear-off receipt."""
        self.ensure(60)
        self.y += 16
        w = self.doc.measure(note, 7.5)
        mid = self.x0 + self.width / 2
        self.page.append(("l", self.x0, self.y, mid - w / 2 - 6, self.y, 0.6, (4, 3)))
        self.page.append(("l", mid + w / 2 + 6, self.y, self.x0 + self.width, self.y, 0.6, (4, 3)))
        self.doc.text(self.page, mid - w / 2, self.y + 2.5, note, 7.5, colour=GREY, where="剪切线")
        self.y += 6

    def table(self, headers: Sequence[str], cols: Sequence[float], rows: Iterable[Sequence[str | None]],
              *, size: float = SMALL, aligns: Sequence[str] | None = None, empty: str = "（无）",
              colours: Sequence[int] = ()) -> int:
        """A ruled table whose header repeats at the top of every page it runs onto. A row taller than the
        room left is split line by line, so a long cell is never cut short. Returns the row count.
        Columns listed in `colours` hold risk-colour codes and are printed as swatch plus label."""
        scale = self.width / sum(cols)
        widths = [c * scale for c in cols]
        xs = [self.x0 + sum(widths[:i]) for i in range(len(widths))]
        aligns = aligns or ["left"] * len(cols)
        lead = size * LINE
        head_lines = [self.doc.wrap(h, size, w - 2 * PAD, heading=True) or [""] for h, w in zip(headers, widths, strict=False)]
        head_h = max(len(h) for h in head_lines) * lead + 2 * PAD

        def header() -> None:
            for x, w, lines in zip(xs, widths, head_lines, strict=False):
                self.page.append(("r", x, self.y, w, head_h, RULE, SHADE))
                top = self.y + (head_h - len(lines) * lead) / 2
                for k, line in enumerate(lines):
                    self.doc.text(self.page, x + PAD, top + (k + 1) * lead - lead * 0.28, line, size, heading=True,
                                  align="center", width=w - 2 * PAD, where="表头")
            self.y += head_h

        self.ensure(head_h + lead + 2 * PAD)
        header()
        count = 0
        for row in rows:
            count += 1
            cells = []
            for i, (value, w) in enumerate(zip(row, widths, strict=False)):
                swatch = _colour_rgb(value) if i in colours else None
                text = _colour_label(value) if i in colours else value
                cells.append((self.doc.wrap(text, size, w - 2 * PAD - (size * 1.2 if swatch else 0)) or [""], swatch))
            pending = [c[0] for c in cells]
            while True:
                n = max(len(p) for p in pending)
                fit = int((self.room() - 2 * PAD) // lead)
                if fit < min(n, 2):
                    self.page_break()
                    header()
                    fit = int((self.room() - 2 * PAD) // lead)
                take = min(n, fit)
                h = max(take, 1) * lead + 2 * PAD
                for i, (x, w) in enumerate(zip(xs, widths, strict=False)):
                    self.page.append(("r", x, self.y, w, h, RULE, None))
                    tx = x + PAD
                    swatch = cells[i][1]
                    if swatch and pending[i]:
                        sw = size * 0.9
                        self.page.append(("r", tx, self.y + PAD + (lead - sw) / 2, sw, sw, 0.4, swatch))
                        tx += size * 1.2
                    for k, line in enumerate(pending[i][:take]):
                        self.doc.text(self.page, tx, self.y + PAD + (k + 1) * lead - lead * 0.28, line, size,
                                      align=aligns[i], width=w - (tx - x) - PAD, where=headers[i])
                    pending[i] = pending[i][take:]
                self.y += h
                if not any(pending):
                    break
                self.page_break()
                header()
        if count == 0:
            h = lead + 2 * PAD
            self.ensure(h)
            self.page.append(("r", self.x0, self.y, self.width, h, RULE, None))
            self.doc.text(self.page, self.x0, self.y + PAD + lead * 0.72, empty, size, colour=GREY, align="center",
                          width=self.width)
            self.y += h
        return count

    def signatures(self, labels: Sequence[str], *, date: bool = True, size: float = BODY) -> None:
        """Signature lines side by side ("走访人（签字）：______"), each with its own date line below."""
        h = 58.0 if date else 34.0
        self.ensure(h + 6)
        self.y += 6
        col = self.width / len(labels)
        for i, label in enumerate(labels):
            x = self.x0 + i * col
            base = self.y + 24
            w = self.doc.text(self.page, x, base, f"{label}：", size, where="签字") or self.doc.measure(f"{label}：", size)
            self.page.append(("l", x + w, base + 2, x + col - 12, base + 2, 0.6, None))
            if date:
                self._date_blank(x, base + 24, size)
        self.y += h

    def _date_blank(self, x: float, base: float, size: float) -> None:
        """"日期：____年___月___日" with lines to write on."""
        p = self.page
        x += self.doc.text(p, x, base, "日期：", size) or self.doc.measure("日期：", size)
        for gap, unit in ((34, "年"), (20, "月"), (20, "日")):
            p.append(("l", x, base + 2, x + gap, base + 2, 0.6, None))
            x += gap + 1
            x += self.doc.text(p, x, base, unit, size) or self.doc.measure(unit, size)
            x += 1


def blank_date() -> str:
    """How a date to be filled in by hand reads in a cell."""
    return "　　　　年　　月　　日"


def _where(cell: Cell, lines: list) -> str:
    return lines[0][:12] if lines and isinstance(lines[0], str) else ""


def _colour_label(code: str | None) -> str:
    """A risk colour code as printed ("黄色"); any other text in a colour column is printed as it is."""
    from ..domain.codes import RISK_COLOUR

    if code in (None, "", "none"):
        return "未评估"
    return RISK_COLOUR.label_of(code) + "色" if code in RISK_COLOUR else code


def _colour_rgb(code: str | None) -> str | None:
    from ..domain.codes import COLOUR_RGB

    return COLOUR_RGB.get(code or "")
