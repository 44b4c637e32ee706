"""Reading PDFs back with the real poppler tools (pdftotext, pdfinfo, pdffonts)."""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

# The PDF checks read the files back with poppler's tools; where they are missing (a Windows machine)
# the printing tests skip, except in CI, where dev.sh installs poppler-utils.
if shutil.which("pdftotext") is None:
    import os

    if os.environ.get("CI"):
        raise RuntimeError("poppler-utils (pdftotext, pdfinfo, pdffonts) is required in CI")
    pytest.skip("poppler-utils is not installed", allow_module_level=True)

LONG_SENTENCES = [f"第{i}条：孩子反映放学后无人照看，饮食不规律，祖父年老体弱需要帮助。" for i in range(1, 141)]


def pdftotext(path: Path, page: int | None = None, crop: tuple[int, int, int, int] | None = None) -> str:
    """The text of the PDF, or of one page; `crop` (x, y, w, h in points from the top left) reads one area."""
    args = ["pdftotext", "-enc", "UTF-8"]
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    if crop is not None:
        args += ["-r", "72", "-x", str(crop[0]), "-y", str(crop[1]), "-W", str(crop[2]), "-H", str(crop[3])]
    return subprocess.run(args + [str(path), "-"], check=True, capture_output=True, text=True, encoding="utf-8").stdout


def pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True, encoding="utf-8").stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def pdffonts(path: Path) -> list[dict]:
    """Each font of the PDF: name, type, embedded (the columns pdffonts prints)."""
    out = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True, encoding="utf-8").stdout
    rows = []
    for line in out.splitlines()[2:]:
        parts = line.split()
        # name type... encoding emb sub uni object ID: read the flags from the right
        rows.append({"name": parts[0], "type": " ".join(parts[1:-6]), "emb": parts[-5] == "yes",
                     "uni": parts[-3] == "yes"})
    return rows


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)
