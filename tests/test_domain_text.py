"""The text rule: what may be stored of a text value, whatever path it arrives by."""
from __future__ import annotations

import pytest

from weibao_desktop.domain.text import clean_text, fold, has_noise


@pytest.mark.parametrize("raw", [
    "张\x00三", "张\u200b三", "\u202e张三", "张三\u2066", "张_x0000_三", "张\x85三", "\ufeff张三", "张\ud800三",
    "张\x1b三", "张\u2060三",
])
def test_invisible_characters_are_never_kept(raw):
    assert clean_text(raw) == "张三"
    assert not has_noise(clean_text(raw))


def test_line_breaks_stay_in_long_texts_only():
    assert clean_text("生活正常\r\n\t学习良好", multiline=True) == "生活正常\n\t学习良好"
    assert clean_text("东村\n3组") == "东村 3组"
    assert clean_text("东村_x000D__x000A_3组", multiline=True) == "东村\n3组"


def test_rare_characters_and_plain_text_are_kept():
    assert clean_text("𠮷宁") == "𠮷宁"
    assert clean_text("  王小明\u3000") == "王小明"
    assert clean_text(" \u200b ") is None


def test_names_compare_after_nfkc():
    assert fold("Ｌｉ　Ｍｉｎｇ") == fold("Li Ming") == "LiMing"
    assert fold("张\u200b三") == "张三"
