"""File dialogs start in a 未保工作站 folder under the user's documents, not where the program was started."""
from __future__ import annotations

import datetime as dt
import os

from PySide6.QtCore import Qt

from weibao_desktop.ui.files import FOLDER_NAME, work_folder


def test_save_and_open_dialogs_start_in_the_work_folder_under_documents(qtbot, ws, tasks, answers, tmp_path,
                                                                        monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))  # no user-dirs file: documents is ~/Documents
    monkeypatch.chdir(tmp_path)  # where a Start-menu shortcut would leave the program: not where files go
    assert work_folder() == home / "Documents" / FOLDER_NAME

    from weibao_desktop.ui.ledger_view import LedgerView

    view = LedgerView(ws, tasks)
    qtbot.addWidget(view)
    qtbot.mouseClick(view.choose_button, Qt.LeftButton)  # answered with no file: nothing else happens
    from weibao_desktop.ui.ledger_actions import ask_save_path

    ask_save_path(view, "导出儿童信息台账", f"儿童信息台账_{dt.date.today():%Y%m%d}.xlsx")
    starts = [directory for kind, _title, directory in answers.asked if kind in ("open", "save")]
    assert len(starts) == 2
    assert all(d.startswith(str(home / "Documents" / FOLDER_NAME)) for d in starts), starts
    assert (home / "Documents" / FOLDER_NAME).is_dir() and not os.listdir(tmp_path / "home" / "Documents" / FOLDER_NAME)
