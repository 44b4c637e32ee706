"""Constants shared by the ledger tests (a module of its own: several test folders have a conftest)."""
from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"
RARE_NAME = "王\U00020BB7"  # 𠮷 outside the BMP
