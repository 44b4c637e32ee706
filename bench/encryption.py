"""Issue 12: what encryption at rest costs. The same work on an encrypted store (SQLCipher) and on a plain SQLite
store, side by side in one run (goal ≤ 1.2 each): demo data, the children list and overdue list, the import of a
20,000-child 儿童信息台账, and the county's apply of a township's package.

`python -m bench --only encryption --children N` (N children for the demo and the lists; the ledger and the
package carry min(N, 20000) children)."""
from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

from weibao_desktop.models.store import open_store
from weibao_desktop.services import Workstation
from weibao_desktop.services.base import Actor
from weibao_desktop.services.demo import build_demo
from weibao_desktop.services.dto import ChildQuery

from .common import OUT, Result, best_of
from .exchange import _pair

MODES = {"plain": True, "encrypted": False}  # name -> open_store(plain=…)


def _fresh(work: Path, name: str, plain: bool, villages: list[str], mode: str = "station") -> Workstation:
    ws = Workstation(open_store(work / name, plain=plain), Actor("基准测试", "county_admin" if mode == "county" else "head"))
    code = "430104000000" if mode == "county" else "430104001000"
    ws.stations.init("岳麓区" if mode == "county" else "示范镇", code, "岳麓区", villages, mode=mode)
    return ws


def _timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def bench_encryption(children: int, visits: int) -> list[Result]:
    results: list[Result] = []
    try:
        _bench_encryption(children, visits, results)
    finally:
        for r in results:
            print(r.line(), flush=True)
    return []


def _bench_encryption(children: int, visits: int, results: list[Result]) -> None:
    work = Path(tempfile.mkdtemp(dir=OUT.mkdir(parents=True, exist_ok=True) or OUT))
    try:
        demo = {}
        took = {}
        for name, plain in MODES.items():
            ws = _fresh(work, f"demo-{name}", plain, [])
            took[name] = _timed(lambda ws=ws: build_demo(ws.ctx, children, visits, seed=7))
            demo[name] = ws
        results.append(Result(f"demo {children} x {visits}: encrypted / plain", took["encrypted"], took["plain"], 1.2))

        page = {n: best_of(lambda ws=ws: ws.children.page(ChildQuery(), 0, 100), 5) for n, ws in demo.items()}
        results.append(Result("children list, first page", page["encrypted"], page["plain"], 1.2))
        found = {n: best_of(lambda ws=ws: ws.children.page(ChildQuery(text="李"), 0, 100), 5) for n, ws in demo.items()}
        results.append(Result("children list, search 李", found["encrypted"], found["plain"], 1.2))
        overdue = {n: best_of(lambda ws=ws: ws.stats.overdue(), 3) for n, ws in demo.items()}
        results.append(Result("overdue list (all rows)", overdue["encrypted"], overdue["plain"], 1.2,
                              note=f"{len(demo['plain'].stats.overdue())} rows"))

        n = min(children, 20_000)
        source = demo["plain"]
        if n < children:
            source = _fresh(work, "source", True, [])
            build_demo(source.ctx, n, visits, seed=9)
        villages = [v.name for v in source.stations.info().villages]
        ledger = source.ledger.export("children", work / "children.xlsx").path
        imported = {}
        for name, plain in MODES.items():
            ws = _fresh(work, f"ledger-{name}", plain, villages)
            imported[name] = _timed(lambda ws=ws: ws.ledger.apply(ledger))
            ws.store.dispose()
        results.append(Result(f"ledger import {n} children", imported["encrypted"], imported["plain"], 1.2))

        applied = {}
        for name, plain in MODES.items():
            ws = _fresh(work, f"county-{name}", plain, [], mode="county")
            _pair(ws, source, work / name)  # packages travel only between paired stations
            package = source.exchange.export(work / f"package-{name}.xlsx", full=True).path
            applied[name] = _timed(lambda ws=ws, package=package: ws.exchange.apply(package))
            ws.store.dispose()
        results.append(Result(f"exchange apply ({n} children)", applied["encrypted"], applied["plain"], 1.2))
        for ws in (*demo.values(), source):
            ws.store.dispose()
    finally:
        shutil.rmtree(work, ignore_errors=True)


BENCHES = {"encryption": lambda a: bench_encryption(a.children, a.visits)}
