"""帮助 → 用户手册 (F1): the Chinese manual shipped inside the program, one Markdown file per chapter with
screenshots (resources/manual/, pictures made by tools/manual_screenshots.py), shown in a QTextBrowser with the
chapters listed on the left. It opens without a network and without a web browser."""
from __future__ import annotations

from importlib import resources
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QListWidgetItem, QTextBrowser, QWidget

# (file, title) in reading order; the files are in resources/manual/.
CHAPTERS: tuple[tuple[str, str], ...] = (
    ("index.md", "目录"),
    ("01-start.md", "开始使用"),
    ("02-dashboard.md", "工作台"),
    ("03-children.md", "儿童档案"),
    ("04-visits.md", "走访"),
    ("05-assessments.md", "风险评估"),
    ("06-clues-hotline.md", "线索与热线"),
    ("07-ledgers.md", "台账导入导出"),
    ("08-exchange.md", "与县级交换"),
    ("09-printing.md", "打印"),
    ("10-settings-backup.md", "设置与备份"),
    ("11-households-care.md", "家庭档案与监护照护"),
    ("12-eligibility-checks.md", "资格核查"),
    ("13-activities-roster.md", "活动、名册与走访任务表"),
    ("14-accounts-roles-audit.md", "账号、角色与审计日志"),
)


def manual_folder() -> Path:
    """The manual inside the installed package (a wheel, the .deb or the Windows build alike)."""
    return Path(str(resources.files(__package__.rpartition(".")[0]) / "resources" / "manual"))


class ManualWindow(QWidget):
    """The manual: chapters on the left, the page on the right; links between chapters work, Alt+← goes back."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent, Qt.Window)
        self.setWindowTitle("用户手册 - 未保工作站")
        self.folder = manual_folder()
        self.chapters = QListWidget(self)
        self.chapters.setAccessibleName("手册目录")
        for file, title in CHAPTERS:
            item = QListWidgetItem(title)
            item.setData(Qt.UserRole, file)
            self.chapters.addItem(item)
        fm = self.chapters.fontMetrics()
        self.chapters.setFixedWidth(fm.horizontalAdvance("台账导入导出") + fm.height() * 3)
        self.browser = QTextBrowser(self)
        self.browser.setOpenExternalLinks(False)
        self.browser.setSearchPaths([str(self.folder)])
        self.browser.sourceChanged.connect(self._follow)
        self.chapters.currentRowChanged.connect(self._chosen)
        lay = QHBoxLayout(self)
        lay.addWidget(self.chapters)
        lay.addWidget(self.browser, 1)
        back = QShortcut(QKeySequence.Back, self)
        back.activated.connect(self.browser.backward)
        close = QShortcut(QKeySequence("Esc"), self)
        close.activated.connect(self.close)
        h = fm.height()
        self.resize(h * 68, h * 42)  # pictures are 760 px wide (tools/manual_screenshots.py)
        self.show_chapter("index.md")

    def show_chapter(self, file: str) -> None:
        self.browser.setSource(QUrl.fromLocalFile(str(self.folder / file)))

    def current_file(self) -> str:
        return Path(self.browser.source().toLocalFile()).name

    def _chosen(self, row: int) -> None:
        if 0 <= row < len(CHAPTERS) and CHAPTERS[row][0] != self.current_file():
            self.show_chapter(CHAPTERS[row][0])

    def _follow(self, url: QUrl) -> None:
        """The list follows the page (a link was clicked, or Back)."""
        name = Path(url.toLocalFile()).name
        row = next((i for i, (file, _t) in enumerate(CHAPTERS) if file == name), -1)
        if row >= 0 and row != self.chapters.currentRow():
            self.chapters.blockSignals(True)
            self.chapters.setCurrentRow(row)
            self.chapters.blockSignals(False)
        self.setWindowTitle(f"用户手册：{CHAPTERS[row][1]} - 未保工作站" if row > 0 else "用户手册 - 未保工作站")


__all__ = ["CHAPTERS", "ManualWindow", "manual_folder"]
