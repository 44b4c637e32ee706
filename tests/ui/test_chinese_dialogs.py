"""Chinese everywhere: Qt's own file dialog in Chinese (with the program's catalogue for what Qt's lacks), and
dates as 2026-12-02 in file dialogs and date editors whatever the computer's locale."""
from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QDate, QDateTime, Qt
from PySide6.QtWidgets import QAbstractButton, QDateEdit, QDateTimeEdit, QFileDialog, QLabel, QTreeView

from weibao_desktop.ui.app import make_app
from weibao_desktop.ui.chinese import own_catalogue

ISO_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$")


def open_file_dialog(qtbot, folder: Path) -> QFileDialog:
    make_app()
    dialog = QFileDialog(None, "保存台账", str(folder), "Excel 表格 (*.xlsx)")
    dialog.setOption(QFileDialog.DontUseNativeDialog, True)  # the dialog UOS/Kylin and Linux desktops show
    dialog.setAcceptMode(QFileDialog.AcceptSave)
    dialog.setViewMode(QFileDialog.Detail)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_the_file_dialog_speaks_chinese(qtbot, tmp_path):
    (tmp_path / "子文件夹").mkdir()
    (tmp_path / "台账.xlsx").write_bytes(b"x" * 3000)
    dialog = open_file_dialog(qtbot, tmp_path)
    labels = {w.text() for w in dialog.findChildren(QLabel) if w.text()}
    assert {"查找范围(&L)：", "文件名称(&N)：", "文件类型(&T)："} <= labels, labels
    buttons = {b.text() for b in dialog.findChildren(QAbstractButton) if b.text()}
    assert {"保存(&S)", "取消"} <= buttons
    view = dialog.findChild(QTreeView, "treeView")
    model = view.model()
    headers = [model.headerData(i, Qt.Horizontal) for i in range(model.columnCount())]
    assert headers == ["名称", "体积", "类型", "修改日期"]
    qtbot.waitUntil(lambda: model.rowCount(view.rootIndex()) == 2)
    rows = {model.index(r, 0, view.rootIndex()).data(): [model.index(r, c, view.rootIndex()).data() for c in range(4)]
            for r in range(2)}
    assert rows["子文件夹"][2] == "文件夹"
    for row in rows.values():
        assert ISO_DATE_TIME.match(row[3]), row  # 2026-12-02 05:29, not "2 12 2026 05:29"
    assert rows["台账.xlsx"][1] == "2.9 kB"
    everything = " ".join([*labels, *buttons, *headers, *(str(v) for row in rows.values() for v in row)])
    assert not re.search(r"Look in|Files of|Folder|File\b", everything), everything


def test_date_editors_show_iso_dates_whatever_their_default(qtbot):
    make_app()
    date = QDateEdit(QDate(2026, 12, 2))
    stamp = QDateTimeEdit(QDateTime(QDate(2026, 12, 2), QDateTime.currentDateTime().time()))
    for w in (date, stamp):
        qtbot.addWidget(w)
        w.show()
    assert date.text() == "2026-12-02"
    assert stamp.text().startswith("2026-12-02 ")


def test_the_catalogue_is_packaged_and_built_from_its_source(tmp_path):
    qm = Path(own_catalogue())
    assert qm.is_file() and qm.with_suffix(".ts").is_file()
    lrelease = Path(sys.executable).parent / "pyside6-lrelease"
    built = tmp_path / qm.name
    subprocess.run([str(lrelease), "-silent", str(qm.with_suffix(".ts")), "-qm", str(built)], check=True,
                   env={**os.environ})
    assert built.read_bytes() == qm.read_bytes(), "run tools/build_translations.py after editing the .ts"


def test_the_dates_the_program_writes_itself_are_iso():
    from weibao_desktop.ui.children_model import _date

    assert _date(dt.date(2026, 12, 2)) == "2026-12-02"
