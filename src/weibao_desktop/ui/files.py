"""Where files go: each kind of file (Excel 台账, PDF, exchange package, error report, backup copy) is saved in
the folder the user last chose for that kind, at first a 未保工作站 folder in the user's documents — never the
folder the program was started from (under Program Files from a Start-menu shortcut, / from a desktop entry).
`ask_save` and `ask_open` are the only way the GUI asks for a file name, so every dialog behaves alike."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

from .options import Option

FOLDER_NAME = "未保工作站"
KINDS = {
    "ledger": "Excel 台账",
    "pdf": "PDF 打印稿",
    "package": "交换数据包",
    "report": "错误报告",
    "import": "导入的台账",
    "backup": "备份",
}
FOLDERS = {kind: Option(f"files/{kind}", "", str, f"{title}的文件夹") for kind, title in KINDS.items()}
EXCEL_FILTER = "Excel 表格 (*.xlsx)"
PDF_FILTER = "PDF 文件 (*.pdf)"


def work_folder() -> Path:
    """<documents>/未保工作站, made when first asked for (the home folder when there is no documents folder)."""
    documents = QStandardPaths.writableLocation(QStandardPaths.DocumentsLocation) or str(Path.home())
    folder = Path(documents) / FOLDER_NAME
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return Path(documents)
    return folder


def folder_for(kind: str | None) -> Path:
    """The folder last used for this kind of file, while it still exists; otherwise the work folder."""
    if kind in FOLDERS:
        remembered = FOLDERS[kind].get()
        if remembered and Path(remembered).is_dir():
            return Path(remembered)
    return work_folder()


def remember(kind: str | None, path: str | Path) -> None:
    """Keep the folder of a file the user chose, for the next file of the same kind."""
    if kind in FOLDERS:
        target = Path(path)
        FOLDERS[kind].set(str(target if target.is_dir() else target.parent))


def suggested(name: str = "", kind: str | None = None) -> str:
    """A file name for a save dialog, in the kind's folder unless it already names a folder."""
    if not name:
        return str(folder_for(kind))
    path = Path(name)
    return name if path.is_absolute() else str(folder_for(kind) / path)


def ask_save(parent: QWidget | None, kind: str, title: str, name: str, file_filter: str = EXCEL_FILTER) -> Path | None:
    """Ask where to save; the suffix of the filter is added when the user typed none; the folder is remembered."""
    path, _ = QFileDialog.getSaveFileName(parent, title, suggested(name, kind), file_filter)
    if not path:
        return None
    suffix = Path(name).suffix
    if suffix and not path.lower().endswith(suffix.lower()):
        path += suffix
    remember(kind, path)
    return Path(path)


def ask_open(parent: QWidget | None, kind: str, title: str, file_filter: str = EXCEL_FILTER) -> Path | None:
    path, _ = QFileDialog.getOpenFileName(parent, title, suggested("", kind), file_filter)
    if not path:
        return None
    remember(kind, path)
    return Path(path)


__all__ = ["FOLDER_NAME", "KINDS", "ask_open", "ask_save", "folder_for", "remember", "suggested", "work_folder"]
