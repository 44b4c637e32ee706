"""帮助 → 用户手册 (F1): the Chinese manual shipped in the package opens in its own window, every chapter
with its pictures, and the chapters link to each other."""
from __future__ import annotations

import re

from PySide6.QtCore import Qt
from ui_typing import show_active

from weibao_desktop.ui.main_window import MainWindow
from weibao_desktop.ui.manual import CHAPTERS, ManualWindow, manual_folder

PAGES = ("开始使用", "工作台", "儿童档案", "走访", "风险评估", "线索与热线", "台账导入导出", "与县级交换", "打印",
         "设置与备份")


def test_every_chapter_is_there_with_its_pictures_and_links():
    folder = manual_folder()
    assert [title for _f, title in CHAPTERS[1:]] == list(PAGES)
    pictures = set()
    for file, title in CHAPTERS:
        text = (folder / file).read_text(encoding="utf-8")
        if file != "index.md":
            assert text.startswith(f"# {title}\n"), file
        for target in re.findall(r"\]\(([^)]+)\)", text):
            assert (folder / target).is_file(), f"{file} links to missing {target}"
            if target.startswith("images/"):
                pictures.add(target)
    made = {f"images/{p.name}" for p in (folder / "images").glob("*.png")}
    assert pictures <= made and len(pictures) >= 12  # a picture of every page the manual describes


def test_f1_opens_the_manual_and_the_chapters_can_be_read(qtbot, ws, tasks):
    window = show_active(qtbot, MainWindow(ws, tasks))
    qtbot.keyClick(window, Qt.Key_F1)
    manual = window.manual
    assert isinstance(manual, ManualWindow) and manual.isVisible()
    assert manual.current_file() == "index.md"
    assert "未保工作站 用户手册" in manual.browser.toPlainText()
    manual.chapters.setCurrentRow(3)  # 儿童档案
    assert manual.current_file() == "03-children.md"
    text = manual.browser.toPlainText()
    assert text.startswith("儿童档案") and "身份证号" in text and "后 4 位" in text
    images = manual.browser.document().allFormats()
    assert any(f.isImageFormat() and f.toImageFormat().name().endswith("children.png") for f in images)
    manual.browser.setSource(manual.browser.source().resolved("04-visits.md"))  # a link between chapters
    assert manual.chapters.currentItem().text() == "走访" and "用户手册：走访" in manual.windowTitle()
    qtbot.keyClick(window, Qt.Key_F1)  # F1 again: the same window, not a second one
    assert window.manual is manual
    manual.close()


def test_the_manual_window_shows_its_pictures(qtbot):
    manual = ManualWindow()
    qtbot.addWidget(manual)
    manual.show_chapter("02-dashboard.md")
    from PySide6.QtGui import QImage

    data = manual.browser.loadResource(2, manual.browser.source().resolved("images/dashboard.png"))
    image = QImage.fromData(data)
    assert not image.isNull() and image.width() <= 800  # fits the window without scrolling sideways
