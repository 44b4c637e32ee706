"""打印 in the GUI: lay a form out, preview it, print it through Qt's print dialog, or save it as PDF.

Preview and printing paint the form's display list (printing.layout) with QPainter, using the same font
files the PDF embeds, at the same positions. So no PDF renderer is needed: PySide6-Essentials has no
QtPdf, PySide6-Addons would add well over 100 MB to every installer for this alone, and poppler is not
on Windows. "用系统程序打开" writes the PDF and hands it to the system viewer (QDesktopServices) for
anyone who prefers it. Every print, save or hand-over is written to the print log.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QDate, QEvent, QSize, Qt, QUrl
from PySide6.QtGui import QColor, QDesktopServices, QFont, QFontDatabase, QImage, QPainter, QPen, QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..domain.errors import WeibaoError
from ..printing.fonts import FontError, default_fonts, find_fonts
from ..printing.layout import PAGE_H, PAGE_W, Document
from . import screens
from .files import PDF_FILTER, ask_save
from .operations import NOTHING, run_operation
from .options import PRINT_FONT, PRINT_FULL_ID
from .saved import show_saved
from .tasks import Cancelled, Tasks, error_text

FIT_WIDTH = "fit"  # the zoom box's 适合宽度
ZOOM_STEPS = (50, 75, 100, 150, 200)


def print_settings(ws=None) -> tuple[str | None, bool]:
    """(chosen font file or None for automatic, full id numbers on paper), as the user set them. Full numbers
    only for a role that may see them: a director's or a viewer's forms are masked whatever the switch says."""
    allowed = ws is None or ws.may("children.reveal_id")
    return PRINT_FONT.get() or None, PRINT_FULL_ID.get() and allowed


class PrintSettingsWidget(QWidget):
    """设置 → 打印: the Chinese font file (automatic unless chosen) and full id numbers (off by default)."""

    def __init__(self, ws=None, parent: QWidget | None = None):
        if isinstance(ws, QWidget) and parent is None:
            ws, parent = None, ws
        super().__init__(parent)
        font, full = print_settings()
        self.font_edit = QLineEdit(font or "", self)
        self.font_edit.setPlaceholderText("自动查找（宋体、黑体、微软雅黑、文泉驿等）")
        self.font_edit.setReadOnly(True)
        choose = QPushButton("选择字体文件…", self)
        choose.clicked.connect(self.choose_font)
        auto = QPushButton("自动", self)
        auto.setToolTip("不指定字体，由程序自动查找")
        auto.clicked.connect(lambda: self.set_font(None))
        row = QHBoxLayout()
        row.addWidget(self.font_edit, 1)
        row.addWidget(choose)
        row.addWidget(auto)
        self.full_id = QCheckBox("打印完整身份证号（默认只打印前6位和后4位）", self)
        self.full_id.setChecked(full)
        self.full_id.toggled.connect(lambda on: PRINT_FULL_ID.set(bool(on)))
        if ws is not None and not ws.may("children.reveal_id"):
            self.full_id.hide()
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextSelectableByMouse)
        form = QFormLayout(self)
        form.addRow("中文字体", row)
        form.addRow("", self.status)
        form.addRow("身份证号", self.full_id)
        self._describe(font)

    def choose_font(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择中文字体文件", self._font_dir(),
                                              "TrueType 字体 (*.ttf *.ttc *.TTF *.TTC)")
        if path:
            self.set_font(path)

    def set_font(self, path: str | None) -> bool:
        """Use this font file (None: automatic). A file that cannot print Chinese is refused with the reason."""
        try:
            find_fonts(path)
        except WeibaoError as e:
            self.status.setText(e.message)
            self.status.setStyleSheet("color: #b00020;")
            return False
        PRINT_FONT.set(path or "")
        self.font_edit.setText(path or "")
        self._describe(path)
        return True

    def _describe(self, path: str | None) -> None:
        try:
            self.status.setText(default_fonts(path).describe())
            self.status.setStyleSheet("color: gray;")
        except WeibaoError as e:
            self.status.setText(e.message)
            self.status.setStyleSheet("color: #b00020;")

    @staticmethod
    def _font_dir() -> str:
        import sys

        if sys.platform.startswith("win"):
            import os

            return str(Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts")
        return "/usr/share/fonts"


_families: dict[str, str] = {}


def _family(face) -> str:
    """The Qt family of a font file the PDF embeds, loading the file into the application once."""
    key = f"{face.path}#{face.index}"
    if key not in _families:
        fid = QFontDatabase.addApplicationFont(str(face.path))
        names = QFontDatabase.applicationFontFamilies(fid) if fid >= 0 else []
        match = [n for n in names if n == face.family]
        _families[key] = match[0] if match else (names[min(face.index, len(names) - 1)] if names else face.family)
    return _families[key]


def paint_page(painter: QPainter, doc: Document, index: int) -> None:
    """Paint one page in points (the painter is already scaled so that one unit is one point)."""
    dpi = painter.device().logicalDpiY() or 72
    faces = doc.faces()
    fonts: dict[tuple[str, float], QFont] = {}
    pen = QPen(Qt.black)
    for op in doc.pages[index]:
        kind = op[0]
        if kind == "t":
            _, x, y, name, size, text, colour = op
            font = fonts.get((name, size))
            if font is None:
                font = QFont(_family(faces[name]))
                font.setPointSizeF(size * 72.0 / dpi)
                font.setKerning(False)
                font.setHintingPreference(QFont.PreferNoHinting)
                font.setStyleStrategy(QFont.StyleStrategy(QFont.NoFontMerging | QFont.PreferAntialias))
                fonts[(name, size)] = font
            painter.setFont(font)
            painter.setPen(QColor(colour or "#000000"))
            painter.drawText(_point(x, y), text)
        elif kind == "l":
            _, x1, y1, x2, y2, w, dash = op
            pen = QPen(QColor("#000000"), w)
            if dash:
                pen.setStyle(Qt.DotLine if dash[0] <= 1 else Qt.DashLine)
            painter.setPen(pen)
            painter.drawLine(_point(x1, y1), _point(x2, y2))
        else:
            _, x, y, w, h, lw, colour = op
            if colour:
                painter.fillRect(_rect(x, y, w, h), QColor(colour))
            if lw:
                painter.setPen(QPen(QColor("#000000"), lw))
                painter.setBrush(Qt.NoBrush)
                painter.drawRect(_rect(x, y, w, h))


def _point(x: float, y: float):
    from PySide6.QtCore import QPointF

    return QPointF(x, y)


def _rect(x: float, y: float, w: float, h: float):
    from PySide6.QtCore import QRectF

    return QRectF(x, y, w, h)


def page_image(doc: Document, index: int, zoom: float = 1.0) -> QImage:
    """One page as an image, `zoom` pixels per point (1.0 = 72 dpi)."""
    img = QImage(int(PAGE_W * zoom), int(PAGE_H * zoom), QImage.Format_RGB32)
    img.setDotsPerMeterX(int(72 / 0.0254))
    img.setDotsPerMeterY(int(72 / 0.0254))
    img.fill(Qt.white)
    p = QPainter(img)
    p.setRenderHint(QPainter.Antialiasing)
    p.setRenderHint(QPainter.TextAntialiasing)
    p.scale(zoom, zoom)
    paint_page(p, doc, index)
    p.end()
    return img


def print_document(doc: Document, printer: QPrinter, first: int = 1, last: int = 0) -> int:
    """Paint pages first..last (1-based; 0 = to the end) onto the printer; returns the pages printed."""
    doc.finish()
    last = last or len(doc.pages)
    printer.setFullPage(True)
    painter = QPainter()
    if not painter.begin(printer):
        raise WeibaoError("无法开始打印：请检查打印机是否已连接并开机", "printer")
    try:
        scale = printer.logicalDpiX() / 72.0
        painter.scale(scale, printer.logicalDpiY() / 72.0)
        count = 0
        for i in range(first - 1, min(last, len(doc.pages))):
            if count:
                printer.newPage()
            paint_page(painter, doc, i)
            count += 1
    finally:
        painter.end()
    return count


def new_printer() -> QPrinter:
    from PySide6.QtGui import QPageLayout, QPageSize

    printer = QPrinter(QPrinter.HighResolution)
    printer.setPageSize(QPageSize(QPageSize.A4))
    printer.setPageOrientation(QPageLayout.Portrait)
    printer.setFullPage(True)
    return printer


class PrintPreviewDialog(QDialog):
    """A page at a time, with 打印…, 保存为PDF…, 用系统程序打开, and a warning for unprintable characters."""

    def __init__(self, ws, tasks: Tasks, job, parent: QWidget | None = None):
        super().__init__(parent)
        self.ws = ws
        self.tasks = tasks
        self.job = job
        self.doc = job.document.finish()
        self.index = 0
        self.setWindowTitle(f"打印预览 — {job.title}")
        self.setSizeGripEnabled(True)
        # As tall as the screen allows, a little wider than an A4 page at the font's scale; resizable.
        area = screens.available_for(parent)
        h = self.fontMetrics().height()
        self.resize(screens.bounded(QSize(h * 52, h * 70), area))
        self.image = QLabel(self)
        self.image.setAlignment(Qt.AlignCenter)
        scroll = QScrollArea(self)
        scroll.setWidget(self.image)
        scroll.setWidgetResizable(True)
        scroll.setAlignment(Qt.AlignCenter)
        scroll.viewport().installEventFilter(self)  # Ctrl + wheel zooms
        self.scroll = scroll
        self.zoom_factor = 1.0  # pixels per point
        self.prev_btn = QPushButton("上一页", self)
        self.next_btn = QPushButton("下一页", self)
        self.page_box = QSpinBox(self)
        self.page_box.setRange(1, len(self.doc.pages))
        self.page_label = QLabel(self)
        self.zoom = QComboBox(self)
        self.zoom.addItem("适合宽度", FIT_WIDTH)
        for percent in ZOOM_STEPS:
            self.zoom.addItem(f"{percent}%", percent / 100 * 96 / 72)
        self.zoom.setCurrentIndex(0)
        self.zoom.setToolTip("按住 Ctrl 滚动鼠标滚轮也可以缩放")
        self.prev_btn.clicked.connect(lambda: self.show_page(self.index - 1))
        self.next_btn.clicked.connect(lambda: self.show_page(self.index + 1))
        self.page_box.valueChanged.connect(lambda v: self.show_page(v - 1))
        self.zoom.currentIndexChanged.connect(lambda _i: self._zoom_chosen())
        nav = QHBoxLayout()
        for w in (self.prev_btn, self.page_box, self.page_label, self.next_btn):
            nav.addWidget(w)
        nav.addStretch(1)
        nav.addWidget(QLabel("缩放", self))
        nav.addWidget(self.zoom)
        self.print_btn = QPushButton("打印…", self)
        self.print_btn.setDefault(True)
        self.save_btn = QPushButton("保存为PDF…", self)
        self.open_btn = QPushButton("用系统程序打开", self)
        close = QPushButton("关闭", self)
        self.print_btn.clicked.connect(self.print_dialog)
        self.save_btn.clicked.connect(self.save_dialog)
        self.open_btn.clicked.connect(self.open_external)
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.print_btn)
        buttons.addWidget(self.save_btn)
        buttons.addWidget(self.open_btn)
        buttons.addStretch(1)
        buttons.addWidget(close)
        lay = QVBoxLayout(self)
        notes = []
        if job.missing_report:
            notes.append(job.missing_report)
        if job.full_id:
            notes.append("本打印稿含完整身份证号，请妥善保管。")
        self.notice = QLabel("\n".join(notes), self)
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet("background: #fff4e5; color: #7a4100; padding: 6px;")
        self.notice.setVisible(bool(notes))
        lay.addWidget(self.notice)
        lay.addLayout(nav)
        lay.addWidget(scroll, 1)
        lay.addLayout(buttons)
        self._zoom_chosen()

    def _zoom_chosen(self) -> None:
        data = self.zoom.currentData()
        if data is not None and data != FIT_WIDTH:
            self.zoom_factor = float(data)
        self.show_page(self.index)

    def fit_width_factor(self) -> float:
        """Pixels per point at which a page is as wide as the visible area (less the scroll bar)."""
        room = self.scroll.viewport().width() - self.scroll.verticalScrollBar().sizeHint().width() - 8
        return max(0.2, room / PAGE_W)

    def zoom_by(self, steps: int) -> None:
        """Ctrl + wheel: 10 % per step, from the zoom on screen now, between 25 % and 400 %."""
        current = self.zoom_factor
        self.zoom_factor = min(4 * 96 / 72, max(0.25 * 96 / 72, current * (1.1 ** steps)))
        self.zoom.blockSignals(True)
        index = self.zoom.findText(f"{round(self.zoom_factor * 72 / 96 * 100)}%")
        if index < 0:
            self.zoom.addItem(f"{round(self.zoom_factor * 72 / 96 * 100)}%", self.zoom_factor)
            index = self.zoom.count() - 1
        self.zoom.setCurrentIndex(index)
        self.zoom.blockSignals(False)
        self.show_page(self.index)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Resize and self.zoom.currentData() == FIT_WIDTH:
            self.show_page(self.index)  # the visible width changed: the page follows it
        if event.type() == QEvent.Wheel and event.modifiers() & Qt.ControlModifier:
            delta = event.angleDelta().y()
            if delta:
                self.zoom_by(1 if delta > 0 else -1)
            return True
        return super().eventFilter(watched, event)

    def show_page(self, index: int) -> None:
        index = max(0, min(index, len(self.doc.pages) - 1))
        self.index = index
        if self.zoom.currentData() == FIT_WIDTH:
            self.zoom_factor = self.fit_width_factor()
        zoom = self.zoom_factor
        self.image.setPixmap(QPixmap.fromImage(page_image(self.doc, index, zoom)))
        self.page_label.setText(f"/ 共 {len(self.doc.pages)} 页")
        self.page_box.blockSignals(True)
        self.page_box.setValue(index + 1)
        self.page_box.blockSignals(False)
        self.prev_btn.setEnabled(index > 0)
        self.next_btn.setEnabled(index < len(self.doc.pages) - 1)

    def print_to(self, printer: QPrinter, first: int = 1, last: int = 0) -> int:
        """Print (no dialog) and log it; used by the dialog and by tests with a PDF-file printer. The painting
        needs the GUI thread; the log entry is written on the writer thread."""
        pages = print_document(self.doc, printer, first, last)
        target = printer.outputFileName() or printer.printerName() or "默认打印机"
        printing, job = self.ws.printing, self.job
        run_operation(self.tasks, lambda: printing.record(job, f"打印机：{target}（{pages}页）"), NOTHING,
                      parent=self, on_error=self._failed)
        return pages

    def print_dialog(self) -> None:
        printer = new_printer()
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("打印")
        dialog.setMinMax(1, len(self.doc.pages))
        dialog.setOption(QPrintDialog.PrintPageRange, True)
        if dialog.exec() != QDialog.Accepted:
            return
        first, last = (printer.fromPage(), printer.toPage()) if printer.fromPage() else (1, 0)
        try:
            self.print_to(printer, first, last)
        except WeibaoError as e:
            self._failed(e)

    def save_pdf(self, path: str | Path, on_done=None):
        """Write the PDF and log it, on the writer thread; `on_done(path)` once it is there."""
        printing, job = self.ws.printing, self.job
        return run_operation(self.tasks, lambda: printing.save_pdf(job, path), NOTHING, parent=self,
                             on_done=on_done, on_error=self._failed)

    def save_dialog(self) -> None:
        path = ask_save(self, "pdf", "保存为PDF", f"{self.job.title}.pdf", PDF_FILTER)
        if path is not None:
            self.save_pdf(path, on_done=lambda saved: show_saved(self, "保存为PDF", "PDF 已保存。", Path(saved)))

    def open_external(self) -> None:
        """Write the PDF to the data folder's private temporary folder (0700, this user's alone; swept at the next
        start once this program has ended) and open it with the system's PDF viewer."""
        try:
            folder = self.ws.store.private_temp().folder("print")
        except WeibaoError as e:
            QMessageBox.warning(self, "打印", e.message)
            return
        path = folder / f"{self.job.form}-{dt.datetime.now():%Y%m%d-%H%M%S}.pdf"
        self.save_pdf(path, on_done=self._open_saved)

    def _open_saved(self, saved: Path) -> None:
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(saved))):
            QMessageBox.information(self, "用系统程序打开", f"没有找到能打开PDF的程序。文件已保存在：\n{saved}")

    def _failed(self, exc: BaseException) -> None:
        QMessageBox.warning(self, "打印", error_text(exc))


def _prepare(parent: QWidget, make, ws=None):
    """Lay out a form with the user's font and id settings; say in Chinese what stops it."""
    font, full = print_settings(ws)
    try:
        return make(font, full)
    except FontError as e:
        QMessageBox.warning(parent, "打印", e.message)
    except WeibaoError as e:
        QMessageBox.warning(parent, "打印", e.message)
    return None


def _preview(parent: QWidget, ws, tasks: Tasks, job) -> PrintPreviewDialog | None:
    if job is None:
        return None
    dialog = PrintPreviewDialog(ws, tasks, job, parent)
    dialog.setAttribute(Qt.WA_DeleteOnClose)
    dialog.open()
    return dialog


def print_child_sheet(parent: QWidget, ws, tasks: Tasks, child_uuid: str, blank: bool = True) -> PrintPreviewDialog | None:
    """未成年人走访记录表 for a child: blank to take along, or the latest visit."""
    return _preview(parent, ws, tasks, _prepare(parent, lambda font, full: ws.printing.visit_sheet(
        child=child_uuid, blank=blank, full_id=full, fonts=font), ws))


def print_visit(parent: QWidget, ws, tasks: Tasks, visit_uuid: str) -> PrintPreviewDialog | None:
    return _preview(parent, ws, tasks, _prepare(parent, lambda font, full: ws.printing.visit_sheet(
        visit=visit_uuid, full_id=full, fonts=font), ws))


def print_file_card(parent: QWidget, ws, tasks: Tasks, child_uuid: str) -> PrintPreviewDialog | None:
    return _preview(parent, ws, tasks, _prepare(parent, lambda font, full: ws.printing.file_card(
        child_uuid, full_id=full, fonts=font), ws))


def print_clue(parent: QWidget, ws, tasks: Tasks, clue_uuid: str) -> PrintPreviewDialog | None:
    return _preview(parent, ws, tasks, _prepare(parent, lambda font, full: ws.printing.clue(
        clue_uuid, full_id=full, fonts=font), ws))


def print_referral(parent: QWidget, ws, tasks: Tasks, referral_uuid: str) -> PrintPreviewDialog | None:
    return _preview(parent, ws, tasks, _prepare(parent, lambda font, full: ws.printing.referral(
        referral_uuid, full_id=full, fonts=font), ws))


def print_care(parent: QWidget, ws, tasks: Tasks, arrangement_uuid: str) -> PrintPreviewDialog | None:
    """委托照护协议 or 监护责任确认书 (services.care)."""
    from ..services.care import care_print_job

    return _preview(parent, ws, tasks, _prepare(parent, lambda font, full: care_print_job(
        ws.ctx, arrangement_uuid, full_id=full, fonts=font)))


def print_sign_in(parent: QWidget, ws, tasks: Tasks, activity_uuid: str) -> PrintPreviewDialog | None:
    """活动签到表: names only, so the id setting does not apply."""
    return _preview(parent, ws, tasks, _prepare(parent, lambda font, _full: ws.printing.sign_in_sheet(
        activity_uuid, fonts=font)))


def print_incident(parent: QWidget, ws, tasks: Tasks, incident_uuid: str) -> PrintPreviewDialog | None:
    return _preview(parent, ws, tasks, _prepare(parent, lambda font, full: ws.printing.incident(
        incident_uuid, full_id=full, fonts=font)))


def print_monthly(parent: QWidget, ws, tasks: Tasks, month: str, template=None) -> PrintPreviewDialog | None:
    return _preview(parent, ws, tasks, _prepare(parent, lambda font, _full: ws.printing.monthly(
        month, template=template, fonts=font), ws))


class RoundDialog(QDialog):
    """Asks for the period and the village of a 走访任务单."""

    def __init__(self, ws, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("打印走访任务单")
        today = ws.ctx.today()
        self.date_from = QDateEdit(QDate(today.year, today.month, today.day), self)
        self.date_to = QDateEdit(QDate(today.year, today.month, today.day).addDays(7), self)
        for w in (self.date_from, self.date_to):
            w.setCalendarPopup(True)
            w.setDisplayFormat("yyyy-MM-dd")
        self.village = QComboBox(self)
        self.village.addItem("全部村(社区)", None)
        try:
            for v in ws.stations.info().villages:
                self.village.addItem(v.name, v.id)
        except WeibaoError:
            pass
        self.overdue = QCheckBox("包括此前已逾期、尚未走访的儿童", self)
        self.overdue.setChecked(True)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel, self)
        buttons.button(QDialogButtonBox.Ok).setText("生成")
        buttons.button(QDialogButtonBox.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("开始日期", self.date_from)
        form.addRow("结束日期", self.date_to)
        form.addRow("村(社区)", self.village)
        form.addRow("", self.overdue)
        form.addRow(buttons)

    def values(self) -> tuple[dt.date, dt.date, int | None, bool]:
        return (self.date_from.date().toPython(), self.date_to.date().toPython(), self.village.currentData(),
                self.overdue.isChecked())


def print_round(parent: QWidget, ws, tasks):
    """走访任务单: ask the period and village, lay it out in the background with progress and 取消, then
    preview. Returns the task handle (None when the user cancelled the question)."""
    dialog = RoundDialog(ws, parent)
    if dialog.exec() != QDialog.Accepted:
        return None
    start, end, village, overdue = dialog.values()
    font, full = print_settings(ws)

    def work(progress, cancelled):
        job = ws.printing.round(start, end, village=village, include_overdue=overdue, full_id=full, fonts=font,
                                progress=progress, cancelled=cancelled)
        if job is None:
            raise Cancelled()
        return job

    return tasks.run(
        work, label="正在生成走访任务单…", parent=parent,
        on_done=lambda job: _preview(parent, ws, tasks, job),
        on_error=lambda exc: QMessageBox.warning(parent, "打印走访任务单", error_text(exc)),
    )


__all__ = [
    "PrintSettingsWidget", "PrintPreviewDialog", "RoundDialog", "print_child_sheet", "print_visit",
    "print_round", "print_file_card", "print_clue", "print_referral", "page_image", "print_document",
]
