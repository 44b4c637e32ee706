"""统计: counts by category, colour, village and overdue, with small bar charts drawn with QPainter.

The counts come from `StatsService.stats()`, computed on a worker thread (a county store takes a moment).
"""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..domain import codes
from ..services.dto import Stats
from .colour import NONE_LABEL, colour_qcolor
from .page import BasePage

BAR_RGB = "#5B7DB1"


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    colour: QColor | None = None


class BarChart(QWidget):
    """Horizontal bars with their labels and values; every size follows the font, so it scales."""

    bar_clicked = Signal(int)  # index of the bar

    def __init__(self, title: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.title = title
        self.bars: list[Bar] = []
        self.empty_text = "暂无数据"  # shown without bars ("正在统计…" while the 工作台 still counts)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)
        self.setAccessibleName(title or "图表")

    def set_bars(self, bars: list[Bar]) -> None:
        self.bars = list(bars)
        self.setFixedHeight(self.sizeHint().height())
        self.setAccessibleDescription("；".join(f"{b.label}{b.value}" for b in self.bars))
        self.updateGeometry()
        self.update()

    def _row_height(self) -> int:
        return int(QFontMetrics(self.font()).height() * 1.5)

    def sizeHint(self) -> QSize:
        fm = QFontMetrics(self.font())
        rows = len(self.bars) + (1 if self.title else 0)
        return QSize(fm.horizontalAdvance("有严重不良行为未成年人") * 2, max(1, rows) * self._row_height() + fm.height())

    def minimumSizeHint(self) -> QSize:
        fm = QFontMetrics(self.font())
        rows = len(self.bars) + (1 if self.title else 0)
        return QSize(fm.horizontalAdvance("有严重不良行为") * 2, max(1, rows) * self._row_height())

    def _geometry(self):
        fm = QFontMetrics(self.font())
        label_w = max([fm.horizontalAdvance(b.label) for b in self.bars] or [0]) + fm.height() // 2
        value_w = max([fm.horizontalAdvance(f"{b.value:,}") for b in self.bars] or [0]) + fm.height() // 2
        top = self._row_height() if self.title else 0
        return fm, label_w, value_w, top

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.Antialiasing)
        fm, label_w, value_w, top = self._geometry()
        row_h = self._row_height()
        text = self.palette().color(QPalette.WindowText)
        if self.title:
            f = p.font()
            f.setBold(True)
            p.setFont(f)
            p.setPen(text)
            p.drawText(QRectF(0, 0, self.width(), row_h), Qt.AlignLeft | Qt.AlignVCenter, self.title)
            p.setFont(self.font())
        if not self.bars:
            p.setPen(QColor("gray"))
            p.drawText(QRectF(0, top, self.width(), row_h), Qt.AlignLeft | Qt.AlignVCenter, self.empty_text)
            return
        biggest = max(b.value for b in self.bars) or 1
        span = max(10, self.width() - label_w - value_w - 4)
        for i, bar in enumerate(self.bars):
            y = top + i * row_h
            p.setPen(text)
            p.drawText(QRectF(0, y, label_w - fm.height() // 4, row_h), Qt.AlignRight | Qt.AlignVCenter, bar.label)
            w = span * bar.value / biggest
            rect = QRectF(label_w, y + row_h * 0.2, max(w, 1 if bar.value else 0), row_h * 0.6)
            p.setPen(Qt.NoPen)
            p.setBrush(bar.colour or QColor(BAR_RGB))
            p.drawRoundedRect(rect, 2, 2)
            p.setPen(text)
            p.drawText(QRectF(label_w + w + 4, y, value_w, row_h), Qt.AlignLeft | Qt.AlignVCenter, f"{bar.value:,}")

    def mousePressEvent(self, event) -> None:
        _, _, _, top = self._geometry()
        i = int((event.position().y() - top) // self._row_height())
        if 0 <= i < len(self.bars):
            self.bar_clicked.emit(i)
        super().mousePressEvent(event)


def colour_bars(counts: dict[str, int]) -> list[Bar]:
    order = sorted(codes.RISK_COLOUR.keys(), key=codes.COLOUR_ORDER.__getitem__)
    bars = [Bar(codes.RISK_COLOUR.label_of(k) + "色", counts.get(k, 0), colour_qcolor(k)) for k in order]
    if counts.get("none"):
        bars.append(Bar(NONE_LABEL, counts["none"], colour_qcolor(None)))
    return bars


def category_bars(counts: dict[str, int]) -> list[Bar]:
    return [Bar(codes.CATEGORY.label_of(k), v) for k, v in counts.items() if v]


class StatsView(BasePage):
    title = "统计"

    def __init__(self, ws, tasks, parent: QWidget | None = None):
        super().__init__(parent)
        self.ws = ws
        self.tasks = tasks
        self.stats: Stats | None = None
        self._handle = None
        self.heading = QLabel(self)
        f = self.heading.font()
        f.setPointSizeF(f.pointSizeF() * 1.3)
        f.setBold(True)
        self.heading.setFont(f)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.refresh_button = QPushButton("重新统计", self)
        self.refresh_button.clicked.connect(self.refresh)
        self.colour_chart = BarChart("在册儿童按风险等级")
        self.overdue_chart = BarChart("逾期未走访按风险等级")
        self.category_chart = BarChart("在册儿童按类别（一名儿童可属多个类别）")
        self.village_table = QTableWidget(0, 2, self)
        self.village_table.setHorizontalHeaderLabels(["村(社区)", "在册儿童"])
        self.village_table.verticalHeader().setVisible(False)
        self.village_table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.village_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        self.village_table.setSortingEnabled(True)

        head = QHBoxLayout()
        head.addWidget(self.heading)
        head.addStretch(1)
        head.addWidget(self.refresh_button)
        charts = QWidget()
        grid = QGridLayout(charts)
        grid.addWidget(self.colour_chart, 0, 0)
        grid.addWidget(self.overdue_chart, 0, 1)
        grid.addWidget(self.category_chart, 1, 0, 1, 2)
        grid.setRowStretch(2, 1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(charts)
        villages = QGroupBox("按村(社区)", self)
        QVBoxLayout(villages).addWidget(self.village_table)
        body = QHBoxLayout()
        body.addWidget(scroll, 3)
        body.addWidget(villages, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.summary)
        layout.addLayout(body, 1)
        self.refresh()

    def is_ready(self) -> bool:
        return self.stats is not None

    def refresh(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
        self.heading.setText("统计")
        self.summary.setText("正在统计…")
        self.refresh_button.setEnabled(False)
        stats = self.ws.stats
        self._handle = self.tasks.run(lambda progress, cancelled: stats.stats(), on_done=self._show,
                                      on_error=self._failed)

    def _failed(self, exc) -> None:
        from .tasks import error_text

        self.refresh_button.setEnabled(True)
        self.summary.setText(error_text(exc))

    def _show(self, stats: Stats) -> None:
        self._handle = None
        self.stats = stats
        self.refresh_button.setEnabled(True)
        self.heading.setText(f"{stats.station} 统计（{stats.day.isoformat()}）")
        overdue = sum(stats.overdue_by_colour.values())
        self.summary.setText(
            f"在册儿童 {stats.total_active:,} 名，已销档 {stats.total_closed:,} 名；逾期未走访 {overdue:,} 名；"
            f"红色等级未采取措施 {stats.red_without_action:,} 名；未办结强制报告线索 {stats.open_clues:,} 条；"
            f"本月走访 {stats.visits_this_month:,} 次。"
        )
        self.colour_chart.set_bars(colour_bars(stats.by_colour))
        self.overdue_chart.set_bars(colour_bars(stats.overdue_by_colour))
        self.category_chart.set_bars(category_bars(stats.by_category))
        self.village_table.setSortingEnabled(False)
        self.village_table.setRowCount(len(stats.by_village))
        for i, (name, n) in enumerate(stats.by_village.items()):
            self.village_table.setItem(i, 0, QTableWidgetItem(name))
            count = QTableWidgetItem()
            count.setData(Qt.DisplayRole, n)
            count.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
            self.village_table.setItem(i, 1, count)
        self.village_table.setSortingEnabled(True)
        self.village_table.sortItems(1, Qt.DescendingOrder)  # the biggest villages first
        self.ready.emit()
