"""The parts of a zipped spreadsheet: names that stay inside the package, and which parts the workbook uses.

The workbook's relationships (xl/_rels/workbook.xml.rels) say where each worksheet is stored; the
part can be at any path and have any name. Those paths are what the reader must bound, so they are
resolved here the way a reader would resolve them, and a relationship that points outside the
package (an absolute URI, "../" past the root, a backslash) is refused rather than guessed at.
"""
from __future__ import annotations

import posixpath
import xml.parsers.expat
import zipfile

from .limits import RESAVE, LedgerFileError

_SHARED_STRINGS = "/sharedStrings"


def check_names(infos: list[zipfile.ZipInfo], file_name: str) -> None:
    """Part names that climb out of the package, are absolute or appear twice: no spreadsheet program writes them."""
    seen: set[str] = set()
    for info in infos:
        name = info.filename
        parts = name.replace("\\", "/").split("/")
        if (name.startswith(("/", "\\")) or "\\" in name or ".." in parts or "\x00" in name
                or (len(name) > 1 and name[1] == ":")):
            raise LedgerFileError(
                f"“{file_name}”中有一个部件的名称异常（“{_shown(name)}”，指向文件之外的位置），"
                "正常的表格文件不会这样，为安全起见不予读取。" + RESAVE)
        if name in seen:
            raise LedgerFileError(
                f"“{file_name}”中有两个同名的部件（“{_shown(name)}”），无法确定该读哪一个，为安全起见不予读取。" + RESAVE)
        seen.add(name)


def _shown(name: str) -> str:
    return name.replace("\x00", "\\0")[:80]


def sheet_parts(zf: zipfile.ZipFile, file_name: str, read) -> tuple[set[str], set[str]]:
    """(parts the workbook's relationships name, of which shared-string tables); `read(info)` inflates a part."""
    try:
        info = zf.getinfo("xl/_rels/workbook.xml.rels")
    except KeyError:
        return set(), set()
    targets: list[tuple[str, str, str]] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        if name.rsplit("}", 1)[-1] == "Relationship":
            targets.append((attrs.get("Target", ""), attrs.get("Type", ""), attrs.get("TargetMode", "")))

    parser = xml.parsers.expat.ParserCreate(namespace_separator="}")
    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    try:
        parser.Parse(read(info), True)
    except xml.parsers.expat.ExpatError:
        raise LedgerFileError(f"“{file_name}”的工作簿关系表（xl/_rels/workbook.xml.rels）已损坏。" + RESAVE) from None
    named: set[str] = set()
    strings: set[str] = set()
    for target, kind, mode in targets:
        if mode.lower() == "external":
            continue  # a link to another workbook: never opened by the reader
        path = resolve(target, file_name)
        named.add(path)
        if kind.endswith(_SHARED_STRINGS):
            strings.add(path)
    return named, strings


def resolve(target: str, file_name: str) -> str:
    """The part a relationship of xl/workbook.xml points at; refused when it leaves the package."""
    if "\\" in target or "\x00" in target or ":" in target.split("/")[0]:
        raise _outside(target, file_name)
    joined = target.lstrip("/") if target.startswith("/") else "xl/" + target
    path = posixpath.normpath(joined)
    if path.startswith("../") or path == "..":  # "../customXml/item1.xml" stays inside; "../../x" does not
        raise _outside(target, file_name)
    return path


def _outside(target: str, file_name: str) -> LedgerFileError:
    return LedgerFileError(
        f"“{file_name}”的工作簿关系表指向文件之外的位置（“{_shown(target)}”），正常的表格文件不会这样，"
        "为安全起见不予读取。" + RESAVE)


def _refuse(*_args) -> None:
    raise LedgerFileError("工作簿关系表含有 XML 文档类型声明，为安全起见不予读取。" + RESAVE)
