"""Build the program's own Qt translation catalogue (.qm) from its .ts with pyside6-lrelease.

The .qm is committed beside the .ts (src/weibao_desktop/resources/i18n/) so a wheel or an installer built
anywhere carries it; run this after editing the .ts (tests/ui/test_chinese_dialogs.py checks they agree).

    python tools/build_translations.py
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

I18N = Path(__file__).resolve().parents[1] / "src" / "weibao_desktop" / "resources" / "i18n"


def lrelease() -> str:
    """pyside6-lrelease beside this Python (a venv's bin or Scripts folder), or on PATH."""
    here = Path(sys.executable).parent
    for name in ("pyside6-lrelease", "pyside6-lrelease.exe"):
        if (here / name).exists():
            return str(here / name)
    found = shutil.which("pyside6-lrelease")
    if found is None:
        raise SystemExit("pyside6-lrelease not found: install PySide6 in this environment")
    return found


def build(ts: Path, qm: Path) -> None:
    subprocess.run([lrelease(), "-silent", str(ts), "-qm", str(qm)], check=True)


def main() -> int:
    for ts in sorted(I18N.glob("*.ts")):
        build(ts, ts.with_suffix(".qm"))
        print(ts.with_suffix(".qm"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
