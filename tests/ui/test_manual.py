"""帮助 → 用户手册 (F1): the Chinese manual shipped in the package opens in its own window, every chapter
with its pictures, and the chapters link to each other."""
from __future__ import annotations

import re

from PySide6.QtCore import Qt
from ui_typing import show_active

from weibao_desktop.ui.main_window import MainWindow
from weibao_desktop.ui.manual import CHAPTERS, ManualWindow, manual_folder

# Every chapter in reading order, as index.md lists it.
MANUAL = (
    ("01-start.md", "开始使用"), ("02-dashboard.md", "工作台"), ("03-children.md", "儿童档案"), ("04-visits.md", "走访"),
    ("05-assessments.md", "风险评估"), ("06-clues-hotline.md", "线索与热线"), ("07-ledgers.md", "台账导入导出"),
    ("08-exchange.md", "与县级交换"), ("09-printing.md", "打印"), ("10-settings-backup.md", "设置与备份"),
    ("11-households-care.md", "家庭档案与监护照护"), ("12-eligibility-checks.md", "资格核查"),
    ("13-activities-roster.md", "活动、名册与走访任务表"), ("14-accounts-roles-audit.md", "账号、角色与审计日志"),
)


def test_every_chapter_is_there_with_its_pictures_and_links():
    folder = manual_folder()
    index = (folder / "index.md").read_text(encoding="utf-8")
    assert re.findall(r"^\d+\. \[([^\]]+)\]\(([^)]+)\)", index, re.M) == [(t, f) for f, t in MANUAL]
    assert CHAPTERS[1:] == MANUAL[:len(CHAPTERS) - 1]  # the window's list follows the same order
    pictures = set()
    for file, title in (("index.md", "目录"), *MANUAL):
        text = (folder / file).read_text(encoding="utf-8")
        if file != "index.md":
            assert text.startswith(f"# {title}\n"), file
        for target in re.findall(r"\]\(([^)]+)\)", text):
            assert (folder / target).is_file(), f"{file} links to missing {target}"
            if target.startswith("images/"):
                pictures.add(target)
    made = {f"images/{p.name}" for p in (folder / "images").glob("*.png")}
    assert pictures <= made and len(pictures) >= 24  # a picture of every page the manual describes
    for page in ("households", "checks", "incidents", "activities", "staff", "audit", "pairing", "exchange-county"):
        assert f"images/{page}.png" in pictures, page


def test_the_manual_window_lists_every_chapter():
    assert CHAPTERS[1:] == MANUAL


def test_the_new_chapters_say_what_the_program_does(qtbot):
    manual = ManualWindow()
    qtbot.addWidget(manual)
    manual.show_chapter("index.md")
    manual.browser.setSource(manual.browser.source().resolved("08-exchange.md"))
    exchange = manual.browser.toPlainText()
    assert "安全码" in exchange and "设置 → 配对" in exchange and "手工修改" in exchange
    assert "1　生成数据包" in exchange and "确认导入" in exchange
    for file, words in (("02-dashboard.md", ("今日待办", "监护与照护提醒", "还没有儿童主任的村(社区)")),
                        ("11-households-care.md", ("家庭走访", "待核对", "委托照护协议")),
                        ("12-eligibility-checks.md", ("认定", "整改", "说明", "核查整改台账")),
                        ("13-activities-roster.md", ("导出走访任务表", "重大事项", "导出月报", "儿童主任名册")),
                        ("14-accounts-roles-audit.md", ("恢复密钥", "儿童主任", "查看", "审计日志", "登录窗口"))):
        manual.browser.setSource(manual.browser.source().resolved(file))
        assert manual.current_file() == file
        text = manual.browser.toPlainText()
        assert all(word in text for word in words), file


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
