"""What text may be stored: the one rule every write path applies to every text value.

Characters that a person cannot see or type on purpose defeat search (`find 张三` must find 张三 however the
name arrived): NUL and other C0/C1 controls, zero-width characters, bidi overrides, lone surrogates, and
Office's `_xHHHH_` escapes of them. Tab and newline are kept in long texts (visit notes), and become a
space in one-line fields. Characters outside the BMP (rare name characters such as 𠮷) are kept.
"""
from __future__ import annotations

import re
import unicodedata

# Office writes a character it cannot put in XML as _xHHHH_ (ECMA-376 ST_Xstring); such escapes of controls
# reach us from spreadsheets that were saved by one program and read by another.
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
# C0 and C1 controls, DEL, zero-width and joiner characters, bidi embeddings/overrides/isolates, the BOM,
# interlinear annotation marks, and surrogates (only lone ones can be in a Python str).
_INVISIBLE = "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\ud800-\udfff"
_NOISE = re.compile(f"[\x00-\x1f\x7f-\x9f{_INVISIBLE}]|_x[0-9A-Fa-f]{{4}}_")
_NOISE_MULTILINE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_INVISIBLE}]|_x[0-9A-Fa-f]{{4}}_")
_LINE_BREAKS = re.compile(r"\r\n?|[\t\n]")


def has_noise(text: str, *, multiline: bool = False) -> bool:
    """True when `clean_text` would remove something; a single regex search, cheap on clean text."""
    return (_NOISE_MULTILINE if multiline else _NOISE).search(text) is not None


def strip_noise(text: str, *, multiline: bool = False) -> str:
    """`text` without the characters above; tab and newline kept (CR LF as LF) only when `multiline`."""
    if "_x" in text:
        text = _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not multiline:
        text = _LINE_BREAKS.sub(" ", text)
    pattern = _NOISE_MULTILINE if multiline else _NOISE
    return pattern.sub("", text)


def clean_text(value: object, *, multiline: bool = False) -> str | None:
    """Trimmed, noise-free text; None for empty. The ideographic space counts as a space."""
    if value is None:
        return None
    text = str(value)
    if has_noise(text, multiline=multiline):
        text = strip_noise(text, multiline=multiline)
    text = text.replace("\u3000", " ").strip()
    return text or None


def fold(text: str | None) -> str:
    """A name or search text in the form two spellings of it are compared in: noise-free, NFKC (full-width
    Ｌｉ and half-width Li, compatibility forms), no spaces. Never stored: it is for comparing."""
    if not text:
        return ""
    return unicodedata.normalize("NFKC", strip_noise(text)).replace(" ", "").replace("\u3000", "")
