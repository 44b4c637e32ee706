"""The import wizard reads a CSV or web file as a clerk picks it, and asks for the encoding when it cannot tell."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from factories import id_number, synthetic_name
from weibao_desktop.ui.ledger_view import LedgerView


def test_a_csv_whose_encoding_cannot_be_told_is_read_in_the_encoding_the_user_picks(qtbot, ws, tasks, tmp_path,
                                                                                   answers):
    number = id_number(dt.date(2012, 3, 4), "F", 41)
    name = synthetic_name(41)
    # GB18030 text with one byte that no encoding reads (a torn character in the 备注 column)
    data = f"姓名,公民身份号码,性别,村(社区)\r\n{name},{number},女,东村\r\n".encode("gb18030") + b"\x81\r\n"
    path = tmp_path / "花名册.csv"
    path.write_bytes(data)
    view = LedgerView(ws, tasks)
    qtbot.addWidget(view)

    answers.open_file(path)
    answers.choose_item("GB18030")
    qtbot.mouseClick(view.choose_button, Qt.LeftButton)
    assert "选择文字编码" in answers.titles("item")
    assert view.pages.currentIndex() == 0 and "不能按 GB18030" in view.choose_error.text()  # torn byte: still no

    path.write_bytes(data[:-3])  # without the torn byte: GB18030 reads it, UTF-8 does not; told by content
    answers.open_file(path)
    qtbot.mouseClick(view.choose_button, Qt.LeftButton)
    assert view.pages.currentIndex() == 1 and view.preview.counts["new"] == 1
    qtbot.mouseClick(view.confirm_button, Qt.LeftButton)
    assert [ws.children.get(i).name for i in ws.children.search_ids()] == [name]


def test_asked_encoding_is_used_for_the_preview_and_the_import(qtbot, ws, tasks, tmp_path, answers):
    number = id_number(dt.date(2012, 3, 4), "M", 43)
    name = synthetic_name(43)
    text = f"姓名,公民身份号码,性别,村(社区),备注\r\n{name},{number},男,东村,"
    data = text.encode("gb18030") + b"\xa1\x40\r\n"  # a GBK user-defined area character: not plain Chinese
    path = tmp_path / "名单.csv"
    path.write_bytes(data)
    view = LedgerView(ws, tasks)
    qtbot.addWidget(view)
    answers.open_file(path)
    answers.choose_item("GB18030")
    qtbot.mouseClick(view.choose_button, Qt.LeftButton)
    assert view.pages.currentIndex() == 1, view.choose_error.text()
    assert view.preview_encoding == "gb18030" and view.preview.counts["new"] == 1
    qtbot.mouseClick(view.confirm_button, Qt.LeftButton)
    assert [ws.children.get(i).name for i in ws.children.search_ids()] == [name]
