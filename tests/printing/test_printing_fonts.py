"""Finding a Chinese font, choosing one, and knowing which characters cannot be printed."""
from __future__ import annotations

from pathlib import Path

import pytest
from pdftools import pdffonts, pdftotext

from factories import RARE_1, RARE_2
from weibao_desktop.printing.data import PrintedBy
from weibao_desktop.printing.fonts import FontError, FontSet, find_fonts, load_face
from weibao_desktop.printing.layout import Document, Flow

WQY = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
# CJK Extension G (Unicode 13): no font this program looks for has it.
NOWHERE = "\U0003134A"


def one_line_pdf(fonts: FontSet, text: str, path: Path) -> Document:
    doc = Document(fonts, "城关镇", "测试表", "操作人", PrintedBy("操作人").at)
    flow = Flow(doc, "测试")
    flow.paragraph(text)
    doc.write_pdf(path)
    return doc


def test_a_chinese_font_is_found_on_this_machine_and_embedded(tmp_path):
    fonts = find_fonts()
    assert all(fonts.body.has(c) for c in "未成年人走访记录表")
    assert "正文字体" in fonts.describe() and str(fonts.body.path) in fonts.describe()
    one_line_pdf(fonts, "城关镇未成年人走访记录表", tmp_path / "a.pdf")
    rows = pdffonts(tmp_path / "a.pdf")
    assert rows and all(r["emb"] for r in rows), rows
    assert "城关镇未成年人走访记录表" in pdftotext(tmp_path / "a.pdf")


def test_no_chinese_font_is_said_plainly(tmp_path):
    (tmp_path / "fonts").mkdir()
    with pytest.raises(FontError) as e:
        find_fonts(dirs=[tmp_path / "fonts"])
    assert "没有找到可用于打印的中文字体" in e.value.message and "设置 → 打印" in e.value.message


def test_the_users_font_wins(tmp_path):
    fonts = find_fonts(WQY)
    assert fonts.body.path == WQY.resolve() and fonts.heading is fonts.body and fonts.chosen_by_user


@pytest.mark.parametrize("make, words", [
    (lambda d: DEJAVU, "缺少常用汉字"),
    (lambda d: d / "missing.ttf", "不存在"),
    (lambda d: (d / "NotoSansCJK-Regular.otf").write_bytes(b"OTTO") and d / "NotoSansCJK-Regular.otf", "TrueType"),
    (lambda d: (d / "broken.ttf").write_bytes(b"\0\1\0\0garbage") and d / "broken.ttf", "无法读取字体文件"),
])
def test_an_unusable_chosen_font_is_refused_with_the_reason(tmp_path, make, words):
    with pytest.raises(FontError) as e:
        find_fonts(make(tmp_path))
    assert words in e.value.message and e.value.field == "font"


def test_a_rare_character_outside_the_bmp_prints_from_an_extension_font_and_copies_back(tmp_path):
    fonts = find_fonts()
    name = f"王{RARE_1}{RARE_2}宁"
    assert fonts.missing(name) == "", "dev.sh installs fonts-hanazono, which has CJK Extension B"
    doc = one_line_pdf(fonts, f"姓名：{name}", tmp_path / "rare.pdf")
    assert doc.missing == {}
    # The ToUnicode map must carry surrogate pairs, or the text reads back as "₻" (reportlab 5.1 bug).
    assert name in pdftotext(tmp_path / "rare.pdf")
    assert {r["name"].split("+", 1)[1] for r in pdffonts(tmp_path / "rare.pdf")} >= {"HanaMinB"}


def test_a_character_no_font_has_is_reported_and_left_blank_not_boxed(tmp_path):
    only = FontSet(load_face(WQY))  # no extension faces at all
    assert only.missing(f"王{RARE_1}宁") == RARE_1
    doc = one_line_pdf(only, f"姓名：王{RARE_1}宁", tmp_path / "lack.pdf")
    assert list(doc.missing) == [RARE_1]
    report = doc.missing_report()
    assert RARE_1 in report and "U+20BB7" in report and "手工补写" in report
    text = pdftotext(tmp_path / "lack.pdf")
    assert "姓名：王" in text and "宁" in text and RARE_1 not in text and "\u20bb" not in text


def test_the_default_fonts_still_report_what_nothing_has(tmp_path):
    doc = one_line_pdf(find_fonts(), f"张{NOWHERE}", tmp_path / "g.pdf")
    assert list(doc.missing) == [NOWHERE] and "U+3134A" in doc.missing_report()
