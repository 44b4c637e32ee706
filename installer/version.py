"""Prints the program's version (from src/weibao_desktop/__init__.py) for the installer builds."""
import re
from pathlib import Path

text = (Path(__file__).resolve().parents[1] / "src" / "weibao_desktop" / "__init__.py").read_text(encoding="utf-8")
print(re.search(r'^__version__ = "([^"]+)"$', text, re.MULTILINE).group(1))
