"""Encrypted ledgers in the GUI: 加密（设置打开密码） on export asks the password twice and writes a file only that
password opens; the import wizard asks for the password of an encrypted file, again while it is wrong."""
from __future__ import annotations

import datetime as dt
import io

import msoffcrypto
import openpyxl
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from factories import id_number, synthetic_name
from weibao_desktop.sync import office_crypto
from weibao_desktop.sync.safe_read import read_workbook
from weibao_desktop.ui.ledger_view import LedgerView
from weibao_desktop.ui.password_dialog import PasswordDialog


def _view(qtbot, ws, tasks) -> LedgerView:
    view = LedgerView(ws, tasks)
    qtbot.addWidget(view)
    return view


def test_export_with_encryption_asks_twice_and_only_that_password_opens_the_file(qtbot, ws, tasks, make_child,
                                                                                village_ids, tmp_path, answers):
    child = make_child(village_id=village_ids["东村"], categories=["left_behind"])
    view = _view(qtbot, ws, tasks)
    locked = tmp_path / "加密台账.xlsx"
    view.encrypt.setChecked(True)
    answers.save_as(locked)
    answers.password("台账Pw-2026")
    qtbot.mouseClick(view.export_buttons["children"], Qt.LeftButton)
    assert answers.titles("password_twice") == ["加密儿童信息台账"]
    assert "已加密" in view.export_status.text()
    assert office_crypto.is_encrypted(locked)
    with locked.open("rb") as f:
        office = msoffcrypto.OfficeFile(f)
        office.load_key(password="台账Pw-2026", verify_password=True)
        clear = io.BytesIO()
        office.decrypt(clear)
    sheet = openpyxl.load_workbook(clear).worksheets[0]
    assert child.name in [c.value for row in sheet.iter_rows() for c in row]

    plain = tmp_path / "台账.xlsx"
    view.encrypt.setChecked(False)
    answers.save_as(plain)
    qtbot.mouseClick(view.export_buttons["children"], Qt.LeftButton)
    assert answers.titles("password_twice") == ["加密儿童信息台账"]  # not asked again
    assert read_workbook(locked, password="台账Pw-2026").sheets[0].rows == read_workbook(plain).sheets[0].rows


def test_cancelling_the_password_writes_nothing(qtbot, ws, tasks, tmp_path, answers):
    view = _view(qtbot, ws, tasks)
    view.encrypt.setChecked(True)
    answers.save_as(tmp_path / "x.xlsx")
    qtbot.mouseClick(view.export_buttons["risk"], Qt.LeftButton)
    assert answers.titles("password_twice") == ["加密风险等级台账"]
    assert not (tmp_path / "x.xlsx").exists() and "已取消导出" in view.export_status.text()


def _encrypted_ledger(tmp_path, password: str) -> tuple[object, str]:
    name = synthetic_name(61)
    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "公民身份号码", "性别", "村(社区)"])
    wb.active.append([name, id_number(dt.date(2013, 5, 6), "F", 61), "女", "西村"])
    plain = tmp_path / "plain.xlsx"
    wb.save(plain)
    return office_crypto.encrypt_file(plain, tmp_path / "县里发来的加密台账.xlsx", password), name


def test_import_asks_for_the_password_again_while_it_is_wrong(qtbot, ws, tasks, tmp_path, answers, db, store):
    locked, name = _encrypted_ledger(tmp_path, "县里的密码")
    view = _view(qtbot, ws, tasks)
    before = db.snapshot(store)
    answers.open_file(locked)
    answers.password("县里的密玛")  # a wrong character
    answers.password("县里的密码")
    qtbot.mouseClick(view.choose_button, Qt.LeftButton)
    prompts = [text for kind, _, text in answers.asked if kind == "password"]
    assert prompts == [office_crypto.PasswordNeeded.password_prompt, office_crypto.WrongPassword.password_prompt]
    assert db.snapshot(store) == before  # reading with a wrong password changed nothing
    assert view.pages.currentIndex() == 1 and view.preview.counts["new"] == 1
    qtbot.mouseClick(view.confirm_button, Qt.LeftButton)
    assert view.pages.currentIndex() == 2, answers.messages()
    assert [ws.children.get(i).name for i in ws.children.search_ids()] == [name]
    assert view.preview_password is None  # not kept once the import is done


def test_import_cancelled_at_the_password_stays_on_the_first_step(qtbot, ws, tasks, tmp_path, answers, db, store):
    locked, _ = _encrypted_ledger(tmp_path, "pw")
    view = _view(qtbot, ws, tasks)
    before = db.snapshot(store)
    answers.open_file(locked)
    qtbot.mouseClick(view.choose_button, Qt.LeftButton)
    assert answers.titles("password") == [f"打开“{locked.name}”"]
    assert view.pages.currentIndex() == 0 and "文件已加密：请提供密码" in view.choose_error.text()
    assert db.snapshot(store) == before


def test_the_password_dialog_wants_the_same_password_twice(qtbot, on_modal):
    def type_passwords(dialog):
        ok = dialog.buttons.button(QDialogButtonBox.Ok)
        assert "不是登录本程序的密码" in dialog.findChildren(type(dialog.problem))[0].text()
        assert not ok.isEnabled()
        QTest.keyClicks(dialog.password, "abc123")
        QTest.keyClicks(dialog.again, "abc124")
        assert not ok.isEnabled() and dialog.problem.text() == "两次输入的密码不一致"
        dialog.again.clear()
        QTest.keyClicks(dialog.again, "abc123")
        assert ok.isEnabled() and dialog.problem.text() == ""
        qtbot.mouseClick(ok, Qt.LeftButton)

    seen = on_modal(type_passwords)
    dialog = PasswordDialog(None, "加密", "设置台账文件的打开密码：", confirm=True)  # the real one (get_password is answered)
    assert dialog.exec() == QDialog.Accepted and dialog.value() == "abc123"
    assert seen == [dialog]
