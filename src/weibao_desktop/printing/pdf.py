"""Drawing a layout's display lists (see layout) onto PDF pages with reportlab: no measuring, no decisions."""
from __future__ import annotations

from pathlib import Path

from reportlab.lib.colors import HexColor
from reportlab.pdfgen.canvas import Canvas

PAGE_W, PAGE_H = 595.2756, 841.8898  # A4 portrait, points
BODY = 10.0  # body text size: the layout sets its text in it, and a page starts in it


def draw_pdf(pages: list[list[tuple]], target, initial_font: str, *, title: str = "", author: str = "",
             subject: str = "") -> None:
    """Draw display lists onto reportlab canvas pages: no measuring, no decisions."""
    c = Canvas(target if not isinstance(target, Path) else str(target), pagesize=(PAGE_W, PAGE_H),
               pageCompression=1, initialFontName=initial_font, initialFontSize=BODY)
    c.setTitle(title)
    c.setAuthor(author)
    c.setSubject(subject)
    c.setCreator("未保工作站 weibao-desktop")
    colours: dict[str, HexColor] = {}  # parsing "#EDEDED" on every call costs more than the drawing

    def rgb(text: str) -> HexColor:
        found = colours.get(text)
        if found is None:
            found = colours[text] = HexColor(text)
        return found

    for ops in pages:
        font = None
        fill = "#000000"
        width = None
        dash = None
        c.setFillColor(rgb(fill))
        for op in ops:
            kind = op[0]
            if kind == "t":
                _, x, y, name, size, text, colour = op
                if font != (name, size):
                    c.setFont(name, size)
                    font = (name, size)
                colour = colour or "#000000"
                if colour != fill:
                    c.setFillColor(rgb(colour))
                    fill = colour
                c.drawString(x, PAGE_H - y, text)
            elif kind == "l":
                _, x1, y1, x2, y2, w, d = op
                if w != width:
                    c.setLineWidth(w)
                    width = w
                if d != dash:
                    c.setDash(d or [])
                    dash = d
                c.line(x1, PAGE_H - y1, x2, PAGE_H - y2)
            else:
                _, x, y, w, h, lw, colour = op
                if colour and colour != fill:
                    c.setFillColor(rgb(colour))
                    fill = colour
                if lw and lw != width:
                    c.setLineWidth(lw)
                    width = lw
                if lw and dash:
                    c.setDash([])
                    dash = None
                c.rect(x, PAGE_H - y - h, w, h, stroke=1 if lw else 0, fill=1 if colour else 0)
        c.showPage()
    c.save()
