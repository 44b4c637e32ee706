"""Ledger actions other screens call: the children list's 导出 button exports what the list shows."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from ..domain.errors import WeibaoError
from ..services.dto import ChildQuery
from .files import ask_save
from .password_dialog import PasswordDialog
from .saved import show_saved
from .tasks import Cancelled, TaskHandle, error_text


def ask_save_path(parent: QWidget | None, title: str, suggested: str, kind: str = "ledger") -> Path | None:
    """Where to save an Excel file (in the folder last used for this kind; .xlsx added when missing)."""
    return ask_save(parent, kind, title, suggested)


def show_exported(parent: QWidget | None, result) -> None:
    show_saved(parent, "导出台账", f"已导出《{result.title}》，共 {result.rows} 行。", Path(result.path))


def ask_new_password(parent: QWidget | None, title: str) -> str | None:
    """The open password for an encrypted export, typed twice; None when cancelled."""
    password, ok = PasswordDialog.get_password(parent, title, "设置台账文件的打开密码：", confirm=True)
    return password if ok and password else None


def run_export(parent: QWidget | None, ws, tasks, kind: str, path: Path, *, label: str, on_done=None,
               on_error=None, password: str | None = None, **filters) -> TaskHandle:
    """Export on a worker with a progress dialog (取消 stops it and nothing is written). With `password` the
    file is encrypted (Excel and WPS ask for it when opening)."""

    def job(progress, cancelled):
        try:
            return ws.ledger.export(kind, path, progress=progress, cancelled=cancelled, password=password, **filters)
        except WeibaoError:
            if cancelled():
                raise Cancelled() from None
            raise

    def done(result) -> None:
        if on_done is not None:
            on_done(result)
        else:
            show_exported(parent, result)

    def failed(exc) -> None:
        if on_error is not None:
            on_error(exc)
        else:
            QMessageBox.warning(parent, "导出台账", error_text(exc))

    # write=True: an export records itself in the print/export log, a write like any other
    return tasks.run(job, on_done=done, on_error=failed, label=label, parent=parent, write=True)


def export_children(parent: QWidget | None, ws, tasks, query: ChildQuery, path: Path | None = None,
                    *, on_done=None, on_error=None) -> TaskHandle | None:
    """The children list's current filter as a 儿童信息台账 (the same rows, in the same order)."""
    if path is None:
        path = ask_save_path(parent, "导出儿童信息台账", f"儿童信息台账_{dt.date.today():%Y%m%d}.xlsx")
        if path is None:
            return None
    return run_export(parent, ws, tasks, "children", path, label="正在导出儿童信息台账…", query=query,
                      on_done=on_done, on_error=on_error)


__all__ = ["export_children", "run_export", "ask_save_path", "ask_new_password", "show_exported"]
