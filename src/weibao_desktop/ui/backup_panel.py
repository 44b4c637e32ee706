"""设置 → 数据备份: the backups beside the store (each checked), a backup now, a backup to a USB stick, and
putting a backup back. The copying runs on the writer thread; restoring closes the window afterwards, so
nothing keeps using the store that was replaced."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..services import maintenance
from . import files
from .tasks import Tasks, error_text

LABELS = {"manual": "手动备份", "before-import": "导入台账前", "before-package": "导入数据包前"}


def label_text(label: str) -> str:
    """What a backup was taken for, as a person reads it (before-0006: before upgrading to schema 0006)."""
    if label in LABELS:
        return LABELS[label]
    return "升级前" if label.startswith("before-") else label


class BackupPanel(QGroupBox):
    def __init__(self, ws, tasks: Tasks, parent: QWidget | None = None):
        super().__init__("数据备份", parent)
        self.ws, self.tasks = ws, tasks
        self.backups: list = []
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, 4, self)
        self.table.setHorizontalHeaderLabels(["备份时间", "类型", "大小", "检查"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setMinimumHeight(140)
        layout.addWidget(self.table)
        buttons = QHBoxLayout()
        self.backup_button = QPushButton("立即备份", self)
        self.usb_button = QPushButton("备份到U盘或其他文件夹…", self)
        self.restore_button = QPushButton("从所选备份恢复…", self)
        for b in (self.backup_button, self.usb_button, self.restore_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextSelectableByMouse)
        layout.addWidget(self.status)
        self.backup_button.clicked.connect(lambda: self.back_up(None))
        self.usb_button.clicked.connect(self.back_up_elsewhere)
        self.restore_button.clicked.connect(self.restore_selected)
        server = ws.store.path is None
        for b in (self.backup_button, self.usb_button, self.restore_button):
            b.setEnabled(not server)
        if server:
            self.status.setText(maintenance.SERVER_BACKUP)

    def refresh(self) -> None:
        if self.ws.store.path is None:
            return
        service = self.ws.maintenance
        self.tasks.run(lambda progress, cancelled: service.list_backups(), on_done=self._show,
                       on_error=self._failed)

    def _show(self, backups: list) -> None:
        self.backups = backups
        self.table.setRowCount(len(backups))
        for r, b in enumerate(backups):
            verdict = "完好" if b.ok else "已损坏，不能用于恢复"
            cells = (f"{b.taken_at:%Y-%m-%d %H:%M:%S}", label_text(b.label),
                     f"{b.size / 1024 / 1024:.1f} MB", verdict)
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(str(b.path))
                self.table.setItem(r, c, item)
        if backups:
            self.table.selectRow(0)

    def back_up(self, directory: Path | None) -> None:
        service = self.ws.maintenance
        self.tasks.run(lambda progress, cancelled: service.backup(directory), on_done=self._backed_up,
                       on_error=self._failed, label="正在备份数据库…", parent=self, write=True)

    def back_up_elsewhere(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "选择备份到的文件夹（如U盘）", str(files.folder_for("backup")))
        if folder:
            files.remember("backup", folder)
            self.back_up(Path(folder))

    def _backed_up(self, target: Path) -> None:
        self.status.setText(f"已备份到：{target}（已检查完好）。")
        self.refresh()

    def restore_selected(self) -> None:
        row = self.table.currentRow()
        if row < 0 or row >= len(self.backups):
            self.status.setText("请先在上表中选择一个备份。")
            return
        chosen = self.backups[row]
        if not chosen.ok:
            self.status.setText("所选备份已损坏，不能用于恢复，请选择另一个。")
            return
        asked = QMessageBox.question(
            self, "从备份恢复",
            f"用 {chosen.taken_at:%Y-%m-%d %H:%M} 的备份替换现在的数据库？\n\n此后录入的内容需要重新录入；"
            "现在的数据库会先另存一份，不会删除。恢复后程序将关闭，请重新打开。\n请先关闭其他正在使用本数据库的窗口。")
        if asked != QMessageBox.Yes:
            return
        service, path = self.ws.maintenance, chosen.path
        self.tasks.run(lambda progress, cancelled: service.restore(path), on_done=self._restored,
                       on_error=self._failed, label="正在从备份恢复…", parent=self, write=True)

    def _restored(self, kept: Path | None) -> None:
        QMessageBox.information(self, "从备份恢复", "已从备份恢复。" + (f"原来的数据库另存为：\n{kept}\n\n" if kept else "")
                                + "程序现在关闭，请重新打开。")
        self.window().close()

    def _failed(self, exc: BaseException) -> None:
        self.status.setText(error_text(exc))
