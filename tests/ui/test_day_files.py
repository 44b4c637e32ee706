"""Where files go and what the window says after writing one; the print preview that fits the screen; the
exchange page's three steps; the look (icons, titles, readable finished rows) and the station name."""
from __future__ import annotations

import re
import time
import tomllib
from fnmatch import fnmatch
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QWheelEvent
from PySide6.QtWidgets import QLabel
from ui_typing import retype, show_active

from weibao_desktop.ui import files, saved
from weibao_desktop.ui.looks import FINISHED_TEXT, icon

SRC = Path(__file__).resolve().parents[2] / "src" / "weibao_desktop"


@pytest.fixture
def home(tmp_path, monkeypatch):
    folder = tmp_path / "home"
    folder.mkdir()
    monkeypatch.setenv("HOME", str(folder))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(folder / ".config"))
    return folder


def test_each_kind_of_file_remembers_its_own_folder(qtbot, home, answers, tmp_path):
    work = home / "Documents" / files.FOLDER_NAME
    assert files.suggested("a.xlsx", "ledger") == str(work / "a.xlsx")
    usb = tmp_path / "U盘"
    usb.mkdir()
    answers.save_as(usb / "儿童信息台账.xlsx")
    assert files.ask_save(None, "ledger", "导出", "儿童信息台账.xlsx") == usb / "儿童信息台账.xlsx"
    files.ask_save(None, "ledger", "导出", "走访台账.xlsx")
    files.ask_save(None, "pdf", "保存为PDF", "走访记录表.pdf", files.PDF_FILTER)
    starts = [directory for kind, _title, directory in answers.asked if kind == "save"]
    assert starts[1] == str(usb / "走访台账.xlsx")  # the ledger folder chosen last time
    assert starts[2] == str(work / "走访记录表.pdf")  # PDFs keep their own folder
    answers.save_as(usb / "没有后缀")
    assert files.ask_save(None, "pdf", "保存为PDF", "表.pdf", files.PDF_FILTER) == usb / "没有后缀.pdf"


def test_the_saved_message_opens_the_file_and_its_folder(qtbot, tmp_path, monkeypatch):
    opened = []
    monkeypatch.setattr(saved, "open_path", lambda path: opened.append(path) or True)
    target = tmp_path / "台账.xlsx"
    target.write_bytes(b"x")
    box = saved.SavedBox(None, "导出台账", "已导出。", target)
    qtbot.addWidget(box)
    box.show()
    assert [b.text() for b in box.buttons()] == ["打开文件", "打开所在文件夹", "关闭"] or {
        b.text() for b in box.buttons()} == {"打开文件", "打开所在文件夹", "关闭"}
    qtbot.mouseClick(box.open_file, Qt.LeftButton)
    assert box.isVisible()  # still there for the other button
    qtbot.mouseClick(box.open_folder, Qt.LeftButton)
    assert opened == [target, tmp_path] and str(target) in box.text()


def test_save_as_pdf_asks_where_and_says_where_it_went(qtbot, ws, tasks, make_child, answers, tmp_path, home):
    from weibao_desktop.ui.print_actions import PrintPreviewDialog

    child = make_child(name="冯打印")
    dialog = PrintPreviewDialog(ws, tasks, ws.printing.visit_sheet(child=child.uuid, blank=True))
    show_active(qtbot, dialog)
    target = tmp_path / "走访记录表.pdf"
    answers.save_as(target)
    qtbot.mouseClick(dialog.save_btn, Qt.LeftButton)
    assert answers.titles("save") == ["保存为PDF"]
    assert answers.asked[0][2].startswith(str(home / "Documents" / files.FOLDER_NAME))
    assert target.exists() and target.read_bytes().startswith(b"%PDF")
    [(kind, title, text)] = [a for a in answers.asked if a[0] == "box"]
    assert title == "保存为PDF" and str(target) in text


def test_the_preview_opens_at_fit_to_width_and_zooms_with_ctrl_wheel(qtbot, ws, tasks, make_child):
    from weibao_desktop.ui.print_actions import PrintPreviewDialog

    child = make_child(name="冯预览")
    dialog = PrintPreviewDialog(ws, tasks, ws.printing.visit_sheet(child=child.uuid, blank=True))
    show_active(qtbot, dialog)
    assert dialog.isSizeGripEnabled() and dialog.maximumWidth() > 5000  # resizable
    assert dialog.zoom.currentText() == "适合宽度"
    viewport = dialog.scroll.viewport()
    assert dialog.image.pixmap().width() <= viewport.width()
    assert dialog.image.pixmap().width() >= viewport.width() * 0.8  # the page fills the width
    before = dialog.zoom_factor
    pos = QPointF(viewport.width() / 2, viewport.height() / 2)
    wheel = QWheelEvent(pos, viewport.mapToGlobal(pos), QPoint(), QPoint(0, 120), Qt.NoButton, Qt.ControlModifier,
                        Qt.NoScrollPhase, False)
    qtbot.wait(1)
    from PySide6.QtWidgets import QApplication

    QApplication.sendEvent(viewport, wheel)
    assert dialog.zoom_factor == pytest.approx(before * 1.1)
    assert dialog.image.pixmap().width() > viewport.width()
    dialog.resize(dialog.width() // 2, dialog.height())  # a zoom the user chose stays when the window changes
    assert dialog.zoom_factor == pytest.approx(before * 1.1)


def test_the_wait_box_closes_before_the_result_message(qtbot, ws, answers, monkeypatch):
    from weibao_desktop.ui import tasks as tasks_module
    from weibao_desktop.ui.tasks import TaskProgressDialog, Tasks

    original = TaskProgressDialog.__init__
    monkeypatch.setattr(TaskProgressDialog, "__init__", lambda self, handle, label, parent=None, **_k: original(
        self, handle, label, parent, delay_ms=0))
    real = Tasks()
    seen = []

    def done(_result):
        boxes = [w for w in qtbot_widgets() if isinstance(w, tasks_module.TaskProgressDialog) and w.isVisible()]
        seen.append(len(boxes))

    def qtbot_widgets():
        from PySide6.QtWidgets import QApplication

        return QApplication.topLevelWidgets()

    handle = real.run(lambda progress, cancelled: time.sleep(0.5) or "ok", on_done=done, label="正在备份数据库…")
    qtbot.waitUntil(lambda: any(isinstance(w, TaskProgressDialog) and w.isVisible() for w in qtbot_widgets()),
                    timeout=3000)
    with qtbot.waitSignal(handle.ended, timeout=5000):
        pass
    real.shutdown()
    assert seen == [0]  # 请稍候 was gone when the result was shown


def test_the_exchange_page_is_three_numbered_steps(qtbot, ws, tasks, answers, tmp_path, monkeypatch,
                                                    _migrated_template, clock):
    from pairing_helpers import pair
    from sites import make_county
    from weibao_desktop.ui import exchange_view
    from weibao_desktop.ui.exchange_view import ExchangeView

    pair(make_county(tmp_path / "county", _migrated_template, clock), ws)  # packages go only to a paired county

    view = ExchangeView(ws, tasks)
    show_active(qtbot, view)
    texts = [label.text() for label in view.findChildren(QLabel)]
    for number, title in (("1", "生成数据包"), ("2", "用U盘或工作群发给县里"), ("3", "导入县里发回的文件")):
        assert number in texts and any(title in t for t in texts), title
    assert view.export_button.text() == "1　生成数据包…" and view.import_button.text() == "3　导入县里发回的文件…"
    assert not any(jargon in t for t in texts for jargon in ("完整数据包", "校验值", "冲突处理"))
    opened = []
    monkeypatch.setattr(exchange_view, "open_path", lambda path: opened.append(path) or True)
    package = tmp_path / "上报.xlsx"
    answers.save_as(package)
    qtbot.mouseClick(view.export_button, Qt.LeftButton)
    assert package.exists() and str(package) in view.sent_label.text()
    assert any(kind == "box" and title == "生成数据包" for kind, title, _ in answers.asked)
    qtbot.mouseClick(view.sent_folder_button, Qt.LeftButton)
    assert opened == [tmp_path]
    qtbot.mouseClick(view.import_button, Qt.LeftButton)
    assert answers.titles("open") == ["选择县里发回的文件"]


def test_the_station_name_is_changed_in_settings(qtbot, ws, tasks):
    from weibao_desktop.ui.settings_view import SettingsView

    view = SettingsView(ws, tasks)
    show_active(qtbot, view)
    retype(view.station_name, "城关镇未保工作站")
    qtbot.mouseClick(view.station_name_save, Qt.LeftButton)
    assert ws.stations.info().name == "城关镇未保工作站"
    assert "已改为" in view.station_name_note.text()
    retype(view.station_name, " ")
    qtbot.mouseClick(view.station_name_save, Qt.LeftButton)
    assert ws.stations.info().name == "城关镇未保工作站" and "工作站名称" in view.station_name_note.text()


def test_toolbar_icons_page_titles_and_opening_on_the_dashboard(qtbot, demo_ws, tasks):
    from weibao_desktop.ui.main_window import PAGES, MainWindow

    win = MainWindow(demo_ws, tasks, start_page=None)
    show_active(qtbot, win)
    assert win.current_key() == "dashboard"
    for action in win.toolbar.actions():
        assert not action.icon().pixmap(24, 24).isNull(), action.text()
    for spec in PAGES:
        page = win.show_page(spec.key)
        if spec.key == "dashboard":
            assert spec.title in page.heading.text() or page.heading.text() == ""
            continue
        titles = [label.text() for label in page.findChildren(QLabel, "page_title")]
        assert titles == [spec.title], spec.key


def test_icons_are_packaged():
    config = tomllib.loads((SRC.parents[1] / "pyproject.toml").read_text(encoding="utf-8"))
    globs = config["tool"]["setuptools"]["package-data"]["weibao_desktop"]
    svgs = sorted((SRC / "resources" / "icons").glob("*.svg"))
    assert len(svgs) >= 5
    for svg in svgs:
        relative = svg.relative_to(SRC).as_posix()
        assert any(fnmatch(relative, g) and "/" not in relative[len(g.rsplit("/", 1)[0]) + 1:] for g in globs)
        assert not icon(svg.stem).isNull()
    spec = (SRC.parents[1] / "installer" / "weibao.spec").read_text(encoding="utf-8")
    assert '"resources"' in spec  # the one-folder build copies the whole resources folder, icons included


def _contrast(colour: QColor) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    luminance = 0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * channel(colour.blueF())
    return 1.05 / (luminance + 0.05)


def test_finished_rows_are_readable(qtbot, ws, tasks):
    from weibao_desktop.ui.hotline_view import HotlineView

    call = ws.hotline.log({"caller": "来电人", "content": "咨询", "state": "done"})
    view = HotlineView(ws, tasks)
    qtbot.addWidget(view)
    assert view.model.rows[0].uuid == call.uuid
    colour = view.model.data(view.model.index(0, 0), Qt.ForegroundRole)
    assert colour == QColor(FINISHED_TEXT) and _contrast(colour) >= 4.5  # WCAG AA on white


def test_the_gui_shows_no_command_line_hints():
    pattern = re.compile(r"[\"“]weibao [a-z]|命令行|--[a-z]+[）)]")
    hits = [f"{path.name}: {line.strip()}" for path in (SRC / "ui").glob("*.py")
            for line in path.read_text(encoding="utf-8").splitlines()
            if pattern.search(line) and not line.strip().startswith(("#", '"""'))]
    assert hits == []
