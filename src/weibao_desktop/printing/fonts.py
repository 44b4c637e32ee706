"""Chinese fonts for the printed forms: find one on the machine, embed it, and know what it lacks.

reportlab embeds TrueType outlines only (.ttf, and .ttc collections by subfont index); OpenType fonts
with PostScript (CFF) outlines, such as most Noto/Source Han CJK files, are refused by it, so they are
skipped here with a reason. A form uses a body face (宋体 where there is one), a heading face (黑体)
and, for the rare characters outside the Basic Multilingual Plane that real registers hold (𠮷, 𡒄),
extension faces such as Windows' SimSun-ExtB or HanaMinB, loaded only when a text needs them.
A character no face has is reported, never printed as a box.
"""
from __future__ import annotations

import functools
import os
import sys
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from ..domain.errors import WeibaoError

# A font that cannot show these cannot print a form.
SAMPLE = "未成年人保护工作站走访记录表姓名性别监护情况签字日期"

# File names by preference. Body text of an official form is set in a Song (Ming) face, headings
# in a Hei face; either does for both when only one is installed.
BODY_FILES = (
    "simsun.ttc", "simsun.ttf", "nsimsun.ttf",             # Windows 宋体
    "uming.ttc",                                            # AR PL UMing (UOS / 麒麟 / Debian)
    "cesi_ss_gb18030.ttf", "cesi_ss_gb2312.ttf",            # 中易宋体 on 统信 UOS
    "msyh.ttc", "msyh.ttf",                                 # Windows 微软雅黑
    "wqy-microhei.ttc", "wqy-zenhei.ttc",                   # 文泉驿 (UOS / 麒麟 / Debian)
    "simhei.ttf", "simkai.ttf", "simfang.ttf", "droidsansfallbackfull.ttf", "droidsansfallback.ttf",
)
HEADING_FILES = (
    "simhei.ttf", "msyhbd.ttc", "msyhbd.ttf", "msyh.ttc", "cesi_ht_gb18030.ttf", "cesi_ht_gb2312.ttf",
    "wqy-zenhei.ttc", "wqy-microhei.ttc",
)
# Faces with CJK Extension B and later, for characters outside the BMP.
EXTENSION_FILES = (
    "simsunb.ttf",                # Windows SimSun-ExtB
    "mingliub.ttc",               # Windows MingLiU-ExtB
    "hanaminb.ttf", "hanamina.ttf",  # 花園明朝 (fonts-hanazono)
    "babelstonehan.ttf",
    "tw-sung-ext-b-98_1.ttf", "tw-kai-ext-b-98_1.ttf",
    "wqy-zenhei.ttc",             # a few hundred supplementary-plane characters
)
# Names that suggest a CJK face, for the last-resort scan of unknown font files.
_CJK_HINTS = ("cjk", "hei", "song", "sun", "kai", "fang", "ming", "wqy", "han", "gb", "cn", "sc", "yahei", "cesi")


def font_dirs() -> list[Path]:
    """Where fonts live on Windows, UOS/麒麟/Debian and macOS."""
    dirs: list[Path] = []
    if sys.platform.startswith("win"):
        dirs.append(Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts")
        local = os.environ.get("LOCALAPPDATA")
        if local:
            dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    elif sys.platform == "darwin":
        dirs += [Path("/System/Library/Fonts"), Path("/Library/Fonts"), Path.home() / "Library" / "Fonts"]
    else:
        data_dirs = os.environ.get("XDG_DATA_DIRS", "/usr/local/share:/usr/share").split(":")
        dirs += [Path(d) / "fonts" for d in data_dirs if d]
        dirs += [Path.home() / ".local" / "share" / "fonts", Path.home() / ".fonts"]
    seen: list[Path] = []
    for d in dirs:
        if d not in seen:
            seen.append(d)
    return seen


class FontError(WeibaoError):
    def __init__(self, message: str):
        super().__init__(message, "font")


NO_FONT_MESSAGE = (
    "本机没有找到可用于打印的中文字体（TrueType 格式的 .ttf 或 .ttc 文件），无法生成打印稿。"
    "Windows 一般自带宋体（simsun.ttc）；统信UOS、麒麟请安装文泉驿字体（fonts-wqy-microhei）。"
    "也可以在“设置 → 打印”中选择一个中文字体文件。"
)


@dataclass(eq=False)
class FontFace:
    """One face of a font file, registered with reportlab under `name`."""

    path: Path
    index: int
    name: str
    family: str
    ttf: TTFont = field(repr=False)
    chars: frozenset[int] = field(repr=False)
    widths: dict[int, float] = field(repr=False)  # per code point, in 1/1000 em
    default_width: float = 1000.0

    def has(self, ch: str) -> bool:
        return ord(ch) in self.chars

    def width(self, text: str, size: float) -> float:
        w = self.widths
        d = self.default_width
        return sum(w.get(ord(c), d) for c in text) * size / 1000.0


@dataclass(frozen=True)
class Run:
    """A stretch of text in one face; `face` None means no available face has these characters."""

    face: FontFace | None
    text: str


class FontSet:
    """The faces a document is printed with, and which face prints each character."""

    def __init__(self, body: FontFace, heading: FontFace | None = None,
                 extensions: list[Path] | tuple[Path, ...] = (), *, chosen_by_user: bool = False):
        self.body = body
        self.heading = heading or body
        self.chosen_by_user = chosen_by_user
        self._extension_paths = [p for p in extensions if p != body.path]
        self._extensions: list[FontFace] | None = None
        self._runs: dict[tuple[str, bool], tuple[Run, ...]] = {}

    @property
    def extensions(self) -> list[FontFace]:
        """Extension faces, loaded on first need (a large one takes a tenth of a second to read)."""
        if self._extensions is None:
            faces = []
            for p in self._extension_paths:
                try:
                    faces.append(load_face(p))
                except FontError:
                    continue
            self._extensions = faces
        return self._extensions

    def faces(self) -> list[FontFace]:
        """Every face loaded so far (for the GUI, which paints with the same files)."""
        out = [self.body]
        if self.heading is not self.body:
            out.append(self.heading)
        return out + (self._extensions or [])

    def face_for(self, ch: str, heading: bool = False) -> FontFace | None:
        first = self.heading if heading else self.body
        if first.has(ch):
            return first
        if heading and self.body.has(ch):
            return self.body
        for face in self.extensions:
            if face.has(ch):
                return face
        return None

    def runs(self, text: str, heading: bool = False) -> tuple[Run, ...]:
        """The text cut into runs of one face each; cached, since forms repeat their labels."""
        key = (text, heading)
        found = self._runs.get(key)
        if found is not None:
            return found
        first = self.heading if heading else self.body
        chars = first.chars
        if all(ord(c) in chars for c in text):
            out: tuple[Run, ...] = (Run(first, text),)
        else:
            parts: list[Run] = []
            for ch in text:
                face = first if ord(ch) in chars else self.face_for(ch, heading)
                if parts and parts[-1].face is face:
                    parts[-1] = Run(face, parts[-1].text + ch)
                else:
                    parts.append(Run(face, ch))
            out = tuple(parts)
        if len(self._runs) < 50_000:
            self._runs[key] = out
        return out

    def missing(self, text: str) -> str:
        """Characters of `text` that no available face can print, each once, in order."""
        out: list[str] = []
        for run in self.runs(text):
            if run.face is None:
                out.extend(c for c in run.text if c not in out)
        return "".join(out)

    def describe(self) -> str:
        """Which files are used, in Chinese, for the settings page and `weibao print fonts`."""
        lines = [f"正文字体：{self.body.family}（{self.body.path}）"]
        if self.heading is not self.body:
            lines.append(f"标题字体：{self.heading.family}（{self.heading.path}）")
        if self._extension_paths:
            lines.append("生僻字补充字体：" + "；".join(str(p) for p in self._extension_paths))
        else:
            lines.append("生僻字补充字体：未找到（Unicode 扩展区的生僻字将无法打印，会逐个提示）")
        return "\n".join(lines)


def _install_tounicode_fix() -> None:
    """reportlab 5.1 writes a supplementary-plane character into the ToUnicode map as five hex digits
    (<20BB7>), so the PDF shows 𠮷 but copying or searching it yields "₻". Write such characters as
    UTF-16 surrogate pairs, as the PDF reference requires; only when the library still gets it wrong."""
    original = ttfonts.makeToUnicodeCMap
    if getattr(original, "_weibao_fixed", False) or "<D842DFB7>" in original("probe", [0x20BB7]):
        return

    def make_cmap(fontname, subset):
        text = original(fontname, [v if v <= 0xFFFF else 0 for v in subset])
        for i, v in enumerate(subset):
            if v > 0xFFFF:
                u = v - 0x10000
                pair = f"{0xD800 + (u >> 10):04X}{0xDC00 + (u & 0x3FF):04X}"
                text = text.replace(f"<{i:02X}> <0000>", f"<{i:02X}> <{pair}>", 1)
        return text

    make_cmap._weibao_fixed = True  # type: ignore[attr-defined]  # a marker on reportlab's function: patched once
    ttfonts.makeToUnicodeCMap = make_cmap


@functools.lru_cache(maxsize=64)
def _load_face_cached(path: str, index: int, mtime: float) -> FontFace:
    _install_tounicode_fix()
    p = Path(path)
    name = f"WB{abs(hash((path, index, mtime))) % 10**10}"
    try:
        ttf = TTFont(name, path, subfontIndex=index)
    except TTFError as e:
        text = str(e)
        if "postscript" in text.lower() or "cff" in text.lower():
            raise FontError(
                f"字体“{p.name}”是 PostScript（CFF）轮廓的 OpenType 字体，打印组件不支持；"
                "请选择 TrueType 字体（.ttf 或 .ttc），如宋体 simsun.ttc、黑体 simhei.ttf 或文泉驿微米黑"
            ) from None
        if "embedding" in text.lower() or "subsetting" in text.lower():
            raise FontError(f"字体“{p.name}”的授权不允许嵌入 PDF，请换一个字体") from None
        raise FontError(f"无法读取字体文件“{p.name}”：{text}") from None
    except (OSError, ValueError, IndexError, KeyError, AssertionError) as e:
        raise FontError(f"无法读取字体文件“{p.name}”（{type(e).__name__}），文件可能已损坏") from None
    pdfmetrics.registerFont(ttf)
    glyphs = ttf.face.charToGlyph
    chars = frozenset(c for c, g in glyphs.items() if g)
    family = ttf.face.familyName
    if isinstance(family, bytes):
        family = family.decode("utf-8", "replace")
    widths = dict(ttf.face.charWidths)
    return FontFace(p, index, name, str(family or p.stem), ttf, chars, widths, float(ttf.face.defaultWidth))


def load_face(path: str | Path, index: int = 0) -> FontFace:
    p = Path(path)
    if not p.is_file():
        raise FontError(f"字体文件“{p}”不存在")
    if p.suffix.lower() == ".otf":
        raise FontError(
            f"字体“{p.name}”是 OpenType（.otf）字体，打印组件只支持 TrueType 字体（.ttf 或 .ttc），"
            "如宋体 simsun.ttc、黑体 simhei.ttf 或文泉驿微米黑"
        )
    return _load_face_cached(str(p.resolve()), index, p.stat().st_mtime)


def _usable(face: FontFace) -> bool:
    return all(face.has(c) for c in SAMPLE)


@functools.lru_cache(maxsize=4)
def _index_fonts(dirs: tuple[Path, ...]) -> dict[str, Path]:
    """file name (lower case) → path, for every TrueType file under the font directories."""
    found: dict[str, Path] = {}
    for d in dirs:
        if not d.is_dir():
            continue
        for root, _subdirs, files in os.walk(d):
            for f in files:
                low = f.lower()
                if low.endswith((".ttf", ".ttc")) and low not in found:
                    found[low] = Path(root) / f
    return found


def _first(index: dict[str, Path], names, avoid: AbstractSet[Path] = frozenset()) -> FontFace | None:
    for n in names:
        p = index.get(n)
        if p is None or p in avoid:
            continue
        try:
            face = load_face(p)
        except FontError:
            continue
        if _usable(face):
            return face
    return None


def find_fonts(user_font: str | Path | None = None, dirs: list[Path] | None = None) -> FontSet:
    """The fonts to print with: the user's chosen file if given (and usable), else the best found."""
    index = _index_fonts(tuple(dirs if dirs is not None else font_dirs()))
    extensions = [index[n] for n in EXTENSION_FILES if n in index]
    if user_font:
        face = load_face(user_font)
        if not _usable(face):
            lacking = "".join(c for c in SAMPLE if not face.has(c))
            raise FontError(f"所选字体“{face.path.name}”缺少常用汉字（如“{lacking[:6]}”），不能用于打印，请选择中文字体")
        return FontSet(face, face, extensions, chosen_by_user=True)
    body = _first(index, BODY_FILES)
    if body is None:
        hinted = [p for n, p in sorted(index.items()) if any(h in n for h in _CJK_HINTS)]
        for p in hinted[:40]:
            try:
                face = load_face(p)
            except FontError:
                continue
            if _usable(face):
                body = face
                break
    if body is None:
        raise FontError(NO_FONT_MESSAGE)
    heading = _first(index, HEADING_FILES, avoid={body.path}) or body
    return FontSet(body, heading, extensions)


@functools.lru_cache(maxsize=8)
def _cached_fonts(user_font: str | None) -> FontSet:
    return find_fonts(user_font)


def default_fonts(user_font: str | Path | None = None) -> FontSet:
    """find_fonts, remembered for the life of the program (the search reads the font directories)."""
    return _cached_fonts(str(user_font) if user_font else None)
