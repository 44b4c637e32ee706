"""Names in pinyin order (丁 before 万 before 严), as a station worker looks a name up in a paper ledger.

`name_key(name)` is a plain ASCII text that sorts the way the names should, byte by byte, so SQL can sort
100,000 children on an indexed column (SQLite's binary collation and PostgreSQL's "C" order agree on ASCII).
The key is kept on the write path (`services.records`) and filled for older stores by migration 0012.

How it is built, syllable by syllable: the toneless letters then the tone digit (1-4, 5 for the neutral tone),
so 李 li3 comes before 林 lin2 and 李明 li3ming2 before 林; after the whole reading a space and each character's
code point (six hex digits) break ties between names read alike (李 and 理), with the shorter name first.
A character without a reading (a rare one outside the dictionary) sorts after every letter (`~` and its
code point). Latin letters and digits are kept, lower-cased.

The first character (or two) of a name is the surname and is read as a surname: pypinyin reads 曾 as céng,
单 as dān, 解 as jiě; a surname is zēng, shàn, xiè. `SURNAME_READINGS` is the table, kept small and sourced
from the common lists of surnames with a reading of their own (《百家姓》 readings, 现代汉语词典 entries).
"""
from __future__ import annotations

import functools
import unicodedata

from pypinyin import Style, lazy_pinyin

# Surnames whose reading differs from the character's everyday reading (TONE3: letters, then the tone).
# Two-character surnames first: they are matched before one character.
SURNAME_READINGS: dict[str, tuple[str, ...]] = {
    "尉迟": ("yu4", "chi2"),
    "万俟": ("mo4", "qi2"),
    "长孙": ("zhang3", "sun1"),
    "单于": ("chan2", "yu2"),
    "澹台": ("tan2", "tai2"),
    "曾": ("zeng1",),
    "单": ("shan4",),
    "解": ("xie4",),
    "区": ("ou1",),
    "仇": ("qiu2",),
    "朴": ("piao2",),
    "查": ("zha1",),
    "盖": ("ge3",),
    "种": ("chong2",),
    "尉": ("wei4",),
    "乐": ("yue4",),
    "召": ("shao4",),
    "缪": ("miao4",),
    "覃": ("qin2",),
    "翟": ("zhai2",),
    "冼": ("xian3",),
    "繁": ("po2",),
    "员": ("yun4",),
    "秘": ("bi4",),
    "句": ("gou1",),
    "令狐": ("ling2", "hu2"),
    "莘": ("shen1",),
    "谌": ("chen2",),
    "厍": ("she4",),
    "折": ("she2",),
    "教": ("jiao4",),
    "华": ("hua4",),
    "任": ("ren2",),
    "纪": ("ji3",),
    "燕": ("yan1",),
    "过": ("guo1",),
    "宿": ("su4",),
    "黑": ("he4",),
    "能": ("nai4",),
    "褚": ("chu3",),
    "隗": ("wei3",),
    "眭": ("sui1",),
    "阚": ("kan4",),
    "逄": ("pang2",),
    "柏": ("bai3",),
    "贲": ("ben1",),
    "郇": ("xun2",),
}

KEY_LENGTH = 255  # the column's width; a longer key keeps its first part (only ties of 30-character names differ)
_LONGEST_SURNAME = max(map(len, SURNAME_READINGS))


def surname_reading(name: str) -> tuple[int, tuple[str, ...]]:
    """(characters read as the surname, their readings): the table's longest match at the start, or none."""
    for length in range(_LONGEST_SURNAME, 0, -1):
        reading = SURNAME_READINGS.get(name[:length])
        if reading is not None:
            return length, reading
    return 0, ()


def _unread(chars: str) -> str:
    """What pypinyin cannot read: Latin letters and digits kept (lower-cased), anything else after every letter."""
    return "".join(c.lower() if c.isascii() else f"~{ord(c):06x}" for c in chars if not c.isascii() or c.isalnum())


@functools.lru_cache(maxsize=65536)
def name_key(name: str | None) -> str:
    """The sort key of a name: ASCII, compared byte by byte (see the module's docstring)."""
    text = unicodedata.normalize("NFKC", (name or "").strip())
    if not text:
        return ""
    length, reading = surname_reading(text)
    rest = lazy_pinyin(text[length:], style=Style.TONE3, neutral_tone_with_five=True, errors=_unread)
    spelled = "".join((*reading, *rest))
    ties = "".join(f"{ord(c):06x}" for c in text)
    return f"{spelled} {ties}"[:KEY_LENGTH]


def sorted_by_name(items, name=lambda item: item):
    """Items in pinyin order of their names (for the few lists sorted in Python, not SQL)."""
    return sorted(items, key=lambda item: name_key(name(item)))
