"""Prints the program's version (from src/weibao_desktop/__init__.py) for the installer builds.

`--deb`: as Debian writes it, a development or pre-release before its release ("0.2.0.dev0" → "0.2.0~dev0"),
so dpkg upgrades it to 0.2.0 and not the other way round."""
import re
import sys
from pathlib import Path


def deb_version(version: str) -> str:
    return re.sub(r"\.?(dev|a|b|rc)(\d+)", r"~\1\2", version)


if __name__ == "__main__":
    text = (Path(__file__).resolve().parents[1] / "src" / "weibao_desktop" / "__init__.py").read_text(encoding="utf-8")
    version = re.search(r'^__version__ = "([^"]+)"$', text, re.MULTILINE).group(1)
    print(deb_version(version) if "--deb" in sys.argv[1:] else version)
