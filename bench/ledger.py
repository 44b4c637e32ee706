"""Issue 4 benchmarks: the 儿童信息台账 export and import on 20,000 children (and 200,000 visits).

- export with all formatting vs openpyxl write-only dumping the same values (goal ≤ 1.5) and vs
  pandas DataFrame.to_excel of the same table (goal ≤ 1.0);
- import into an empty store (parse, validate, match, write) vs python-calamine reading the file into
  lists (goal ≤ 3) and vs pandas.read_excel + DataFrame.to_sql (goal ≤ 1.0);
- peak memory of the import, in a process of its own (goal ≤ 300 MB).
"""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from weibao_desktop.models.store import open_store
from weibao_desktop.services import Workstation

from .common import Result, best_of, demo_store, raw_connect

CHILDREN = 20_000
VISITS = 10


def _values(ws, path: Path) -> tuple[list[str], list[list]]:
    """The header and the cell values of the exported ledger, as the baselines write them."""
    import python_calamine as pc

    rows = pc.CalamineWorkbook.from_path(path).get_sheet_by_index(0).to_python(skip_empty_area=False)
    top = next(i for i, r in enumerate(rows) if "姓名" in r)
    header = [f"{a}{b}" for a, b in zip(rows[top], rows[top + 1], strict=False)]
    data = [r for r in rows[top + 2:] if r and isinstance(r[0], (int, float)) and r[0] != ""]
    return header, data


def bench_export(children: int, visits: int, work: Path) -> tuple[list[Result], Path]:
    import openpyxl
    import pandas as pd

    data = demo_store(children, visits)
    ws = Workstation(open_store(data), "基准测试")
    out = work / "children.xlsx"
    ours = best_of(lambda: ws.ledger.export("children", out), 3)
    header, rows = _values(ws, out)

    def dump():
        wb = openpyxl.Workbook(write_only=True)
        sheet = wb.create_sheet()
        sheet.append(header)
        for r in rows:
            sheet.append(r)
        wb.save(work / "plain.xlsx")

    plain = best_of(dump, 3)
    frame = pd.DataFrame(rows, columns=header)
    pandas = best_of(lambda: frame.to_excel(work / "pandas.xlsx", index=False), 1)
    visit_time = best_of(lambda: ws.ledger.export("visits", work / "visits.xlsx"), 1)
    ws.store.dispose()
    n = len(rows)
    note = f"{n} rows x {len(header)} columns"
    return [
        Result("export 儿童信息台账 vs openpyxl write-only", ours, plain, 1.5, note=note),
        Result("export 儿童信息台账 vs pandas.to_excel", ours, pandas, 1.0, note=note),
        Result("export 走访记录台账 (200k visits) vs children", visit_time, ours, 15.0,
               note="for scale: the visit ledger is 10x the rows"),
    ], out


def _empty_store(work: Path, source: Path) -> Path:
    """A fresh store with the demo station's villages (so no row is refused for an unknown village)."""
    con = raw_connect(source / "weibao.sqlite3")
    villages = [r[0] for r in con.execute("SELECT name FROM village ORDER BY code")]
    con.close()
    target = Path(tempfile.mkdtemp(dir=work))
    store = open_store(target)
    Workstation(store, "基准测试").stations.init("示范镇", "430104001000", "岳麓区", villages)
    store.dispose()
    return target


_PEAK = "int(next(l for l in open('/proc/self/status') if l.startswith('VmHWM')).split()[1]) / 1024"
_IMPORT = """
import json, sys, time
from weibao_desktop.models.store import open_store
from weibao_desktop.services import Workstation
ws = Workstation(open_store(sys.argv[1]), "基准测试")
t = time.perf_counter()
result = ws.ledger.apply(sys.argv[2])
elapsed = time.perf_counter() - t
print(json.dumps({"seconds": elapsed, "counts": result.preview.counts,
                  "peak_mb": PEAK}))
""".replace("PEAK", _PEAK)


def bench_import(children: int, visits: int, work: Path, ledger: Path) -> list[Result]:
    import pandas as pd
    import python_calamine as pc

    source = demo_store(children, visits)
    runs = []
    for _ in range(2):
        target = _empty_store(work, source)
        done = subprocess.run([sys.executable, "-c", _IMPORT, str(target), str(ledger)], check=True,
                              capture_output=True, text=True)
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    best = min(runs, key=lambda r: r["seconds"])
    counts = best["counts"]
    calamine = best_of(lambda: pc.CalamineWorkbook.from_path(ledger).get_sheet_by_index(0).to_python(), 3)

    def pandas_way():
        frame = pd.read_excel(ledger, sheet_name=0, header=[3, 4], dtype=str)
        frame.columns = [f"{a}{b}" for a, b in frame.columns]
        con = sqlite3.connect(work / "pandas.sqlite3")
        frame.to_sql("child", con, if_exists="replace", index=False)
        con.close()

    pandas = best_of(pandas_way, 1)
    # The import's own process: its peak includes the interpreter and the libraries it loads.
    # (VmHWM, not ru_maxrss: the latter survives exec and would count the parent's peak.)
    base = subprocess.run([sys.executable, "-c", "import weibao_desktop.services, python_calamine, openpyxl;"
                           f"print({_PEAK})"],
                          check=True, capture_output=True, text=True)
    idle = float(base.stdout.strip())
    note = f"{counts['new']} new, {counts['rejected']} rejected"
    # The floor: what any import of this file pays before it touches the store (the bounded, checked read
    # and the cell-by-cell reading of the rows); the rest is matching and inserting.
    import datetime as dt

    from weibao_desktop.sync.ledger_import import parse_children
    from weibao_desktop.sync.safe_read import read_workbook

    checked = best_of(lambda: read_workbook(ledger), 2)
    parsed = best_of(lambda: parse_children(read_workbook(ledger), dt.date.today()), 2)
    return [
        Result("import 儿童信息台账 vs calamine to lists", best["seconds"], calamine, 3.0, note=note),
        Result("import floor: checked read + parse (no store) vs calamine", parsed, calamine, 3.0,
               note=f"checked read alone {checked:.2f} s; the import's remaining "
                    f"{best['seconds'] - parsed:.2f} s is matching and inserts"),
        Result("import 儿童信息台账 vs pandas read+to_sql", best["seconds"], pandas, 1.0, note=note),
        Result("import peak memory (RSS) vs 300 MB goal", best["peak_mb"], 300.0, 1.0, unit="MB",
               note=f"process peak; {idle:.0f} MB of it is Python and the libraries before any work"),
    ]


def bench_ledger(args) -> list[Result]:
    children = min(getattr(args, "children", CHILDREN), CHILDREN)
    work = Path(tempfile.mkdtemp())
    started = time.perf_counter()
    results, ledger = bench_export(children, VISITS, work)
    results += bench_import(children, VISITS, work, ledger)
    print(f"(ledger benchmarks on {children} children took {time.perf_counter() - started:.0f} s)", file=sys.stderr)
    return results


BENCHES = {"ledger": bench_ledger}
