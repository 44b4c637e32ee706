"""Shared benchmark helpers: timing, result lines, and a cached demo store."""
from __future__ import annotations

import os
import shutil
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

OUT = Path(__file__).with_name("out")
# The benchmark stores are encrypted like any other; their account (made with the first store):
os.environ.setdefault("WEIBAO_USER", "基准测试")
os.environ.setdefault("WEIBAO_PASSWORD", "bench-password-2026")


def raw_connect(path: Path):
    """The store file through the driver, as the bare-SQL baselines read it: SQLCipher with its key, or
    sqlite3 for a plain file."""
    import sqlite3

    from weibao_desktop.models import cipher
    from weibao_desktop.models.encryption import prepare

    path = Path(path)
    if not path.exists() or cipher.is_plain(path):
        return sqlite3.connect(path)
    return cipher.connect(path, prepare(path, None).key)


@dataclass
class Result:
    name: str
    ours: float
    baseline: float
    goal: float
    unit: str = "s"
    note: str = ""

    @property
    def ratio(self) -> float:
        return self.ours / self.baseline if self.baseline else float("inf")

    def line(self) -> str:
        ok = "达标" if self.ratio <= self.goal else "未达标"
        return (f"{self.name:<34} ratio {self.ratio:6.2f}  (goal ≤ {self.goal:g}, {ok})  "
                f"ours {self.ours:.4f}{self.unit}  baseline {self.baseline:.4f}{self.unit}  {self.note}")


def best_of(fn, repeat: int = 5) -> float:
    """Minimum wall time of several runs (the least disturbed by the rest of the machine)."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def median_p95(samples: list[float]) -> tuple[float, float]:
    s = sorted(samples)
    return statistics.median(s), s[min(len(s) - 1, int(round(0.95 * (len(s) - 1))))]


def demo_store(children: int, visits: int) -> Path:
    """A data directory holding the demo store of this size, built once and reused across runs."""
    from weibao_desktop.models.store import open_store
    from weibao_desktop.services import Workstation
    from weibao_desktop.services.demo import build_demo

    target = OUT / f"demo-{children}-{visits}"
    if (target / "weibao.sqlite3").exists():
        return target
    tmp = Path(tempfile.mkdtemp(dir=OUT.mkdir(parents=True, exist_ok=True) or OUT))
    store = open_store(tmp)
    ws = Workstation(store, "基准测试")
    build_demo(ws.ctx, children, visits)
    store.engine.dispose()
    shutil.move(str(tmp), str(target))
    return target
