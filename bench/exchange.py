"""Issue 5 benchmarks: the county exchange.

1. County import of 20 township packages (each township --children/20 children with --visits visits
   each) into one county store, against the ledger import of the same children through the 儿童信息台账
   (goal ≤ 1.5). A package carries far more rows than the children ledger (family, categories,
   assessments, visits …), so the ratio compared with the goal is per row: seconds per row of
   package import over seconds per row of ledger import; the whole-import times are printed beside it.
2. A return package merged into a township store of 20,000 children where 10% of the children
   changed on both sides (some the same field: conflicts), against the plain import of the same
   package into a copy of that store taken before the township's own changes, where every row is
   simply taken (goal ≤ 2).
"""
from __future__ import annotations

import random
import shutil
import tempfile
import time
from pathlib import Path

from weibao_desktop.models.store import open_store
from weibao_desktop.services import Workstation
from weibao_desktop.services.demo import build_demo

from .common import OUT, Result

COUNTY = "430104000000"


def _town_code(i: int) -> str:
    return f"430104{i + 1:03d}000"


def _store(directory: Path, name: str, code: str, mode: str = "station") -> Workstation:
    ws = Workstation(open_store(directory), "基准测试")
    ws.stations.init(name, code, "岳麓区", [], mode=mode)
    return ws


def _pair(county: Workstation, town: Workstation, work: Path) -> None:
    """Packages travel only between paired stations: 开通文件, 回执, confirmed."""
    info = town.stations.info()
    county.pairing.add(info.name, info.code, work / f"{info.code}-invite.xlsx")
    town.pairing.accept(work / f"{info.code}-invite.xlsx", work / f"{info.code}-receipt.xlsx")
    county.pairing.confirm(work / f"{info.code}-receipt.xlsx")


def _packages(children_per_town: int, visits: int, towns: int, work: Path) -> list[tuple[Path, Path, int, int]]:
    """Per township: (package, children ledger, package rows, ledger rows), built once and cached, with the
    county store the townships are paired with (`cache/county`, copied for each run)."""
    cache = OUT / f"exchange-{towns}x{children_per_town}x{visits}"
    if not (cache / "county").exists():
        shutil.rmtree(cache, ignore_errors=True)
        _store(cache / "county", "岳麓区", COUNTY, mode="county").store.dispose()
    county = Workstation(open_store(cache / "county"), "基准测试")
    out = []
    for i in range(towns):
        pkg, ledger = cache / f"town{i}.xlsx", cache / f"town{i}-children.xlsx"
        meta = cache / f"town{i}.rows"
        if not meta.exists():
            cache.mkdir(parents=True, exist_ok=True)
            d = Path(tempfile.mkdtemp(dir=work))
            ws = _store(d, f"示范{i + 1}镇", _town_code(i))
            _pair(county, ws, d)
            build_demo(ws.ctx, children_per_town, visits, seed=100 + i)
            r = ws.exchange.export(pkg)
            e = ws.ledger.export("children", ledger)
            meta.write_text(f"{sum(r.counts.values())} {e.rows}")
            ws.store.dispose()
            shutil.rmtree(d, ignore_errors=True)
        rows, ledger_rows = (int(x) for x in meta.read_text().split())
        out.append((pkg, ledger, rows, ledger_rows))
    county.store.dispose()
    return out


def bench_county_import(children: int, visits: int) -> list[Result]:
    towns = 20
    per_town = max(1, children // towns)
    work = Path(tempfile.mkdtemp(dir=OUT.mkdir(parents=True, exist_ok=True) or OUT))
    packages = _packages(per_town, visits, towns, work)
    shutil.copytree(OUT / f"exchange-{towns}x{per_town}x{visits}" / "county", work / "county")
    county = Workstation(open_store(work / "county"), "基准测试")
    t = time.perf_counter()
    for pkg, _, _, _ in packages:
        county.exchange.apply(pkg)
    ours = time.perf_counter() - t
    county.store.dispose()
    ledger_time = 0.0
    for i, (_, ledger, _, _) in enumerate(packages):
        ws = _store(work / f"ledger{i}", f"示范{i + 1}镇", _town_code(i))
        t = time.perf_counter()
        ws.ledger.apply(ledger)
        ledger_time += time.perf_counter() - t
        ws.store.dispose()
    rows = sum(p[2] for p in packages)
    ledger_rows = sum(p[3] for p in packages)
    shutil.rmtree(work, ignore_errors=True)
    return [Result(
        f"county import {towns} packages (per row)", ours / rows * 1e6, ledger_time / ledger_rows * 1e6, 1.5,
        unit="µs/row",
        note=f"packages: {rows} rows in {ours:.1f}s; children ledgers: {ledger_rows} rows in {ledger_time:.1f}s")]


def bench_return_merge(children: int, visits: int) -> list[Result]:
    n = min(children, 20_000)
    work = Path(tempfile.mkdtemp(dir=OUT.mkdir(parents=True, exist_ok=True) or OUT))
    town = _store(work / "town", "示范镇", _town_code(0))
    build_demo(town.ctx, n, visits, seed=5)
    county = _store(work / "county", "岳麓区", COUNTY, mode="county")
    _pair(county, town, work)
    county.exchange.apply(town.exchange.export(work / "up1.xlsx").path)
    town.exchange.apply(county.exchange.export(work / "down1.xlsx", peer_code=_town_code(0)).path)
    town.store.dispose()
    shutil.copytree(work / "town", work / "plain")  # the township before its own changes
    town = Workstation(open_store(work / "town"), "基准测试")
    plain = Workstation(open_store(work / "plain"), "基准测试")
    uuids = [r.uuid for r in town.children.page(limit=n).rows]
    rng = random.Random(3)
    changed = rng.sample(uuids, n // 10)
    for k, uuid in enumerate(changed):
        county.children.update(uuid, {"notes": f"县级意见{k}"})
        if k % 4 == 0:
            town.children.update(uuid, {"notes": f"乡镇意见{k}"})  # the same field: a conflict
        else:
            town.children.update(uuid, {"residence_address": f"新址{k}"})
    down = county.exchange.export(work / "down2.xlsx", peer_code=_town_code(0)).path
    shutil.copyfile(down, work / "down2-plain.xlsx")
    t = time.perf_counter()
    result = town.exchange.apply(down)
    ours = time.perf_counter() - t
    t = time.perf_counter()
    plain.exchange.apply(work / "down2-plain.xlsx")
    base = time.perf_counter() - t
    for ws in (town, county, plain):
        ws.store.dispose()
    shutil.rmtree(work, ignore_errors=True)
    return [Result(f"return package merge ({n} children, 10% both sides)", ours, base, 2.0,
                   note=f"{result.changed} changed, {result.conflicts} conflicts")]


BENCHES = {
    "exchange-county": lambda a: bench_county_import(a.children, a.visits),
    "exchange-merge": lambda a: bench_return_merge(a.children, a.visits),
}
