"""Risk colours on screen: a chip for 蓝/黄/橙/红 in tables and combo boxes, and red text for what is overdue.

Colours come from `domain.codes.COLOUR_RGB`, so a printout, a ledger and the screen agree. Sizes follow the
font, so chips scale with the display (100%–200%).
"""
from __future__ import annotations

from PySide6.QtCore import QModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetrics, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from ..domain.codes import COLOUR_RGB, RISK_COLOUR

# Item-data role holding a risk colour code ("red", …, or "" for not yet assessed).
COLOUR_ROLE = int(Qt.UserRole.value) + 10

OVERDUE_TEXT = QColor("#C62828")  # readable red on white and on the light selection colour
NONE_LABEL = "未评估"
_NONE_RGB = "#9E9E9E"


def colour_label(code: str | None) -> str:
    return RISK_COLOUR.label_of(code) if code else NONE_LABEL


def colour_qcolor(code: str | None) -> QColor:
    return QColor(COLOUR_RGB.get(code or "", _NONE_RGB))


def text_on(code: str | None) -> QColor:
    """Dark text on yellow, white on the others: both pass contrast checks on these fills."""
    return QColor("#212121") if code == "yellow" else QColor("#FFFFFF")


def paint_chip(painter: QPainter, rect: QRect, code: str | None, font=None) -> None:
    """A rounded chip with the colour's label, centred vertically in `rect`, as wide as its text."""
    painter.save()
    painter.setRenderHint(QPainter.Antialiasing)
    if font is not None:
        painter.setFont(font)
    fm = QFontMetrics(painter.font())
    label = colour_label(code)
    pad = max(4, fm.height() // 3)
    w = min(rect.width() - 2, fm.horizontalAdvance(label) + 2 * pad)
    h = min(rect.height() - 2, fm.height() + 2)
    chip = QRectF(rect.x() + pad / 2, rect.y() + (rect.height() - h) / 2, w, h)
    fill = colour_qcolor(code)
    if code is None:
        painter.setPen(fill)
        painter.setBrush(Qt.NoBrush)
    else:
        painter.setPen(Qt.NoPen)
        painter.setBrush(QBrush(fill))
    radius = h / 2.5
    painter.drawRoundedRect(chip, radius, radius)
    painter.setPen(fill if code is None else text_on(code))
    painter.drawText(chip, Qt.AlignCenter, label)
    painter.restore()


def chip_size(font) -> QSize:
    fm = QFontMetrics(font)
    pad = max(4, fm.height() // 3)
    return QSize(fm.horizontalAdvance(NONE_LABEL) + 3 * pad, fm.height() + 6)


def colour_icon(code: str | None, size: int | None = None) -> QIcon:
    """A filled circle for combo boxes and lists (scaled to the font's height)."""
    if size is None:
        app = QApplication.instance()
        size = QFontMetrics(app.font()).height() if app else 16
    ratio = QApplication.instance().devicePixelRatio() if QApplication.instance() else 1.0
    pm = QPixmap(int(size * ratio), int(size * ratio))
    pm.setDevicePixelRatio(ratio)
    pm.fill(Qt.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.Antialiasing)
    colour = colour_qcolor(code)
    if code is None:
        p.setPen(colour)
        p.setBrush(Qt.NoBrush)
    else:
        p.setPen(Qt.NoPen)
        p.setBrush(colour)
    p.drawEllipse(QRectF(1, 1, size - 2, size - 2))
    p.end()
    return QIcon(pm)


class ColourChipDelegate(QStyledItemDelegate):
    """Paints the cell's COLOUR_ROLE as a chip; selection and focus are drawn by the style as usual."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.CE_ItemViewItem, opt, painter, opt.widget)
        # The model's own data(): going through QModelIndex.data() would convert a QVariant per cell.
        code = index.model().data(index, COLOUR_ROLE) or None
        paint_chip(painter, opt.rect, code, opt.font)

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        base = super().sizeHint(option, index)
        chip = chip_size(option.font)
        return QSize(max(base.width(), chip.width()), max(base.height(), chip.height()))


def overdue_palette(palette: QPalette) -> QPalette:
    """A palette whose text is the overdue red (for labels that show an overdue date)."""
    p = QPalette(palette)
    p.setColor(QPalette.WindowText, OVERDUE_TEXT)
    p.setColor(QPalette.Text, OVERDUE_TEXT)
    return p
