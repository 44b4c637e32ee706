"""Where file dialogs start: a 未保工作站 folder in the user's documents, never the folder the program was started
from (under Program Files from a Start-menu shortcut, / from a desktop entry)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths

FOLDER_NAME = "未保工作站"


def work_folder() -> Path:
    """<documents>/未保工作站, made when first asked for (the home folder when there is no documents folder)."""
    documents = QStandardPaths.writableLocation(QStandardPaths.DocumentsLocation) or str(Path.home())
    folder = Path(documents) / FOLDER_NAME
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return Path(documents)
    return folder


def suggested(name: str = "") -> str:
    """A file name for a save dialog, in the work folder unless it already names a folder."""
    if not name:
        return str(work_folder())
    path = Path(name)
    return name if path.is_absolute() else str(work_folder() / path)
