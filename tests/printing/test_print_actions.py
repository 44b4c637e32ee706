"""The GUI side of printing: preview pages painted from the same layout, printing through QPrinter (to a
PDF file here), saving, the settings page, and the round laid out as a background task."""
from __future__ import annotations

import datetime as dt

import pytest

pytest.importorskip("PySide6.QtPrintSupport")

from pdftools import pdftotext  # noqa: E402
from PySide6.QtCore import QSettings, QTimer  # noqa: E402
from PySide6.QtPrintSupport import QPrinter  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from weibao_desktop.domain.idnumber import mask_id_number  # noqa: E402
from weibao_desktop.ui import print_actions as P  # noqa: E402
from weibao_desktop.ui.options import PRINT_FONT, PRINT_FULL_ID  # noqa: E402
from weibao_desktop.ui.tasks import SyncTasks  # noqa: E402

WQY = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"


@pytest.fixture(autouse=True)
def qt_settings(tmp_path, qapp):
    QSettings.setDefaultFormat(QSettings.IniFormat)
    QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, str(tmp_path / "qsettings"))
    qapp.setOrganizationName("weibao-test")
    qapp.setApplicationName("weibao-print-test")
    QSettings().clear()
    yield


@pytest.fixture
def tasks(qapp):
    t = SyncTasks()
    yield t
    t.shutdown()


@pytest.fixture
def parent(qtbot):
    w = QWidget()
    qtbot.addWidget(w)
    return w


def ink(img, x0, y0, x1, y1) -> int:
    """Dark pixels in a region of the page image (points at zoom 1)."""
    return sum(1 for x in range(x0, x1, 2) for y in range(y0, y1, 2) if img.pixelColor(x, y).lightness() < 128)


def test_preview_paints_the_sheet_and_printing_through_qprinter_keeps_the_text(ws, tasks, family_child, parent, tmp_path):
    dialog = P.print_child_sheet(parent, ws, tasks, family_child.uuid, blank=True)
    assert isinstance(dialog, P.PrintPreviewDialog) and dialog.page_label.text() == "/ 共 1 页"
    img = P.page_image(dialog.doc, 0)
    assert ink(img, 150, 20, 450, 60) > 50  # the title
    assert ink(img, 40, 800, 560, 835) > 10  # the footer
    assert ink(img, 40, 300, 560, 330) > 0 and ink(img, 0, 0, 30, 800) == 0  # ruled boxes, clear margin
    printer = QPrinter(QPrinter.HighResolution)
    printer.setOutputFormat(QPrinter.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert dialog.print_to(printer) == 1
    text = pdftotext(tmp_path / "printed.pdf")
    assert family_child.name in text and mask_id_number(family_child.id_number) in text
    assert "儿童主任（签字）" in text and "第 1 页 / 共 1 页" in text
    [entry] = ws.printing.log()
    assert entry.target.startswith("打印机：") and entry.form == "visit_sheet"


def test_save_as_pdf_and_every_other_form_opens_a_preview(ws, tasks, family_child, parent, tmp_path):
    clue = ws.clues.receive({"received_at": dt.datetime(2024, 6, 12, 9, 0), "source": "群众举报",
                             "content": "孩子夜间独自在家"}, child_key=family_child.uuid)
    ref = ws.referrals.add({"target": "医院", "referred_on": dt.date(2024, 6, 13)}, child_key=family_child.uuid)
    visit = ws.visits.for_child(family_child.uuid)[0]
    dialogs = [P.print_visit(parent, ws, tasks, visit.uuid), P.print_file_card(parent, ws, tasks, family_child.uuid),
               P.print_clue(parent, ws, tasks, clue.uuid), P.print_referral(parent, ws, tasks, ref.uuid)]
    assert all(isinstance(d, P.PrintPreviewDialog) for d in dialogs)
    card = dialogs[1]
    if len(card.doc.pages) > 1:
        card.next_btn.click()
        assert card.index == 1 and card.page_box.value() == 2
    saved = card.save_pdf(tmp_path / "card.pdf").result
    assert "儿童档案卡" in pdftotext(saved)
    assert [e.form for e in ws.printing.log()] == ["file_card"]


def test_full_id_setting_reaches_the_paper_and_the_preview_warns(ws, tasks, family_child, parent):
    PRINT_FULL_ID.set(True)
    dialog = P.print_child_sheet(parent, ws, tasks, family_child.uuid)
    assert dialog.job.full_id and "完整身份证号" in dialog.notice.text() and not dialog.notice.isHidden()
    assert family_child.id_number in str(dialog.doc.pages[0])


def test_settings_widget_keeps_a_good_font_and_refuses_a_bad_one(qtbot, ws, tmp_path):
    w = P.PrintSettingsWidget(ws)
    qtbot.addWidget(w)
    assert "正文字体" in w.status.text() and not w.full_id.isChecked()
    assert w.set_font(WQY)
    assert PRINT_FONT.get() == WQY and P.print_settings()[0] == WQY
    bad = tmp_path / "latin.ttf"
    bad.write_bytes(b"not a font")
    assert not w.set_font(str(bad))
    assert "无法读取字体文件" in w.status.text() and PRINT_FONT.get() == WQY
    w.full_id.setChecked(True)
    assert P.print_settings() == (WQY, True)
    assert w.set_font(None) and P.print_settings()[0] is None


def test_an_unknown_record_is_a_message_not_a_crash(ws, tasks, parent, monkeypatch):
    shown = []
    monkeypatch.setattr(P.QMessageBox, "warning", lambda *a: shown.append(a[2]))
    assert P.print_visit(parent, ws, tasks, "no-such-visit") is None
    assert shown and "找不到" in shown[0]


def test_round_asks_the_period_and_lays_out_in_the_background(ws, tasks, make_child, village_id, parent, qtbot):
    for _ in range(3):
        make_child(village_id=village_id["西村"])  # never visited: due 90 days after opening

    def answer():
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, P.RoundDialog)
        dialog.date_to.setDate(dialog.date_to.date().addDays(120))
        dialog.village.setCurrentIndex(dialog.village.findText("西村"))
        dialog.accept()

    QTimer.singleShot(0, answer)
    handle = P.print_round(parent, ws, tasks)
    assert handle.done and handle.error is None
    [preview] = parent.findChildren(P.PrintPreviewDialog)
    assert preview.job.form == "round" and len(preview.job.subjects) == 3
    assert len(preview.doc.pages) == 4


def test_opening_with_the_system_viewer_writes_into_the_data_folders_private_folder(ws, tasks, family_child, parent,
                                                                                     qtbot, monkeypatch, tmp_path):
    import stat
    import tempfile

    from PySide6.QtGui import QDesktopServices

    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url.toLocalFile()) or True))
    dialog = P.print_file_card(parent, ws, tasks, family_child.uuid)
    qtbot.mouseClick(dialog.open_btn, P.Qt.LeftButton)
    [path] = opened
    private = ws.store.path.parent / "tmp"
    assert path.startswith(str(private)) and not path.startswith(tempfile.gettempdir() + "/weibao-print")
    assert stat.S_IMODE(private.stat().st_mode) == 0o700
    assert family_child.name in pdftotext(path)
