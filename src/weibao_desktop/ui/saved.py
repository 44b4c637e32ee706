"""After every export, PDF or backup: say where the file is, with 打开文件 and 打开所在文件夹 buttons.

The buttons hand the file or folder to the system (QDesktopServices): the spreadsheet program, the PDF viewer
or the file manager the user already knows."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget


def open_path(path: Path) -> bool:
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class SavedBox(QMessageBox):
    """「已保存」 with the path, 打开文件, 打开所在文件夹 and 关闭. The open buttons keep the box open, so the user
    can open the file and the folder both."""

    def __init__(self, parent: QWidget | None, title: str, text: str, path: Path):
        super().__init__(parent)
        self.path = Path(path)
        self.setIcon(QMessageBox.Information)
        self.setWindowTitle(title)
        self.setText(f"{text}\n\n保存在：{self.path}")
        self.open_file = self.addButton("打开文件", QMessageBox.ActionRole)
        self.open_folder = self.addButton("打开所在文件夹", QMessageBox.ActionRole)
        self.close_button = self.addButton("关闭", QMessageBox.RejectRole)
        self.setDefaultButton(self.close_button)
        self.setEscapeButton(self.close_button)
        self.open_file.setVisible(self.path.is_file())
        # ActionRole buttons close a message box; reconnect them so the box stays for the other button.
        for button, target in ((self.open_file, lambda: self.path), (self.open_folder, self.folder)):
            button.clicked.disconnect()
            button.clicked.connect(lambda _checked=False, t=target: self._open(t()))
        self.opened: list[Path] = []

    def folder(self) -> Path:
        return self.path if self.path.is_dir() else self.path.parent

    def _open(self, target: Path) -> None:
        self.opened.append(target)
        if not open_path(target):
            self.setInformativeText("没有找到能打开它的程序，请在文件管理器中按上面的位置找到它。")


def show_saved(parent: QWidget | None, title: str, text: str, path: Path) -> SavedBox:
    box = SavedBox(parent, title, text, Path(path))
    box.exec()
    return box


__all__ = ["SavedBox", "show_saved", "open_path"]
