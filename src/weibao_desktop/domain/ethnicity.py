"""民族: the 56 ethnic groups of GB/T 3304 (中国各民族名称的罗马字母拼写法和代码), stored by their full names.

Registers and spreadsheets write 汉 as often as 汉族, and sometimes the two-digit code; every path stores the
full name (汉族), so lists, ledgers and counts agree. The standard's two extra codes (97, 98) are kept too.
"""
from __future__ import annotations

from .errors import WeibaoError

# In the standard's code order (01 汉族 … 56 基诺族).
ETHNIC_GROUPS: tuple[str, ...] = (
    "汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族",
    "满族", "侗族", "瑶族", "白族", "土家族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族",
    "佤族", "畲族", "高山族", "拉祜族", "水族", "东乡族", "纳西族", "景颇族", "柯尔克孜族", "土族",
    "达斡尔族", "仫佬族", "羌族", "布朗族", "撒拉族", "毛南族", "仡佬族", "锡伯族", "阿昌族", "普米族",
    "塔吉克族", "怒族", "乌孜别克族", "俄罗斯族", "鄂温克族", "德昂族", "保安族", "裕固族", "京族", "塔塔尔族",
    "独龙族", "鄂伦春族", "赫哲族", "门巴族", "珞巴族", "基诺族",
)
OTHER_GROUPS: dict[str, str] = {"97": "其他未识别民族", "98": "外国血统中国籍人士"}
# Older names still seen on paper.
_ALIASES = {"崩龙族": "德昂族", "毛难族": "毛南族", "僮族": "壮族", "汉": "汉族", "其他": "其他未识别民族"}

CHOICES: tuple[str, ...] = (*ETHNIC_GROUPS, *OTHER_GROUPS.values())


def _lookup() -> dict[str, str]:
    table = {name: name for name in CHOICES}
    table.update({name[:-1]: name for name in ETHNIC_GROUPS})  # 汉 → 汉族, 蒙古 → 蒙古族
    table.update({f"{i:02d}": name for i, name in enumerate(ETHNIC_GROUPS, 1)})
    table.update({str(i): name for i, name in enumerate(ETHNIC_GROUPS, 1)})
    table.update(OTHER_GROUPS)
    table.update(_ALIASES)
    return table


_BY_TEXT = _lookup()


def normalize_ethnicity(text: str | None, field: str = "ethnicity") -> str | None:
    """The full name of the group typed (汉, 汉族, 01), None when empty; anything else is refused."""
    if text is None or not text.strip():
        return None
    key = "".join(text.split())
    found = _BY_TEXT.get(key) or _BY_TEXT.get(key.removesuffix("民族"))
    if found is None:
        raise WeibaoError(f"民族“{text.strip()}”不在56个民族名称中，请从列表中选择（如：汉族、土家族）", field)
    return found
