"""Every setting the GUI remembers, declared once: key, default, type and what it is (Picard's options).

Code reads and writes QSettings only through these declarations, so a key is never spelled twice and a
value read back from an INI file ("true", "3") always comes out as the declared type.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QByteArray, QSettings


@dataclass(frozen=True)
class Option:
    key: str
    default: Any
    type: type
    title: str

    def get(self) -> Any:
        value = QSettings().value(self.key, self.default)
        if value is None or self.type is QByteArray:
            return value
        if self.type is bool and isinstance(value, str):
            return value.lower() in ("true", "1")
        try:
            return self.type(value)
        except (TypeError, ValueError):  # a hand-edited settings file: fall back to the default
            return self.default

    def set(self, value: Any) -> None:
        QSettings().setValue(self.key, value)


MAIN_GEOMETRY = Option("main/geometry", None, QByteArray, "主窗口位置和大小")
MAIN_STATE = Option("main/state", None, QByteArray, "主窗口工具栏布局")
CHILD_FILE_GEOMETRY = Option("child_file/geometry", None, QByteArray, "儿童档案窗口位置和大小")
CHILDREN_HEADER = Option("children/header", None, QByteArray, "儿童档案列表的列宽和顺序")
CHILDREN_SORT = Option("children/sort", "name", str, "儿童档案列表排序")
CHILDREN_DESCENDING = Option("children/descending", False, bool, "儿童档案列表倒序")
PRINT_FONT = Option("print/font", "", str, "打印用的中文字体文件（空为自动）")
PRINT_FULL_ID = Option("print/full_id", False, bool, "打印完整身份证号")
IDLE_MINUTES = Option("security/idle_minutes", 10, int, "无操作自动锁定的分钟数（0为从不）")

# Column widths of the list pages, one per list.
LIST_HEADERS = {
    key: Option(f"{key}/header", None, QByteArray, f"{title}列表的列宽")
    for key, title in (
        ("visits_view", "走访记录"), ("assessments_view", "风险评估"), ("help_view/help", "帮扶措施"),
        ("help_view/referrals", "转介"), ("clues_view/list", "强制报告线索"), ("hotline_view", "热线记录"), ("checks_view", "资格核查"),
    )
}

OPTIONS = (MAIN_GEOMETRY, MAIN_STATE, CHILD_FILE_GEOMETRY, CHILDREN_HEADER, CHILDREN_SORT,
           CHILDREN_DESCENDING, PRINT_FONT, PRINT_FULL_ID, IDLE_MINUTES, *LIST_HEADERS.values())


def sync() -> None:
    """Write remembered settings to disk now (on closing the window)."""
    QSettings().sync()
