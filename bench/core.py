"""Issue 2 benchmarks: demo creation vs bare executemany; overdue list and stats vs their bare SQL."""
from __future__ import annotations

import tempfile
import time
from pathlib import Path

from sqlalchemy.dialects import sqlite as sqlite_dialect

from weibao_desktop.models.bulk import _date  # noqa: F401  (registers the date adapters the baseline uses too)
from weibao_desktop.models.store import open_store
from weibao_desktop.services import Workstation
from weibao_desktop.services.demo import prepare, write

from .common import Result, best_of, demo_store, raw_connect


def bench_demo(children: int, visits: int) -> list[Result]:
    """`weibao demo` (build rows + write) against sqlite3.executemany of the very same rows."""
    ours_dir = Path(tempfile.mkdtemp())
    base_dir = Path(tempfile.mkdtemp())
    ws = Workstation(open_store(ours_dir), "基准测试")
    base_ws = Workstation(open_store(base_dir), "基准测试")
    base_ws.stations.init("示范镇", "430104001000", "岳麓区", [])
    t = time.perf_counter()
    builder = prepare(ws.ctx, children, visits)
    write(ws.ctx, builder)
    ours = time.perf_counter() - t
    ws.store.dispose()
    base_ws.store.dispose()
    # Baseline: the same rows (including villages) into a fresh store of the same schema.
    con = raw_connect(base_dir / "weibao.sqlite3")
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    prepared = []
    for v in builder.villages:
        if v.id != 0:
            prepared.append(("village", ["id", "station_id", "name", "code"], [(v.id, 1, v.name, v.code)]))
    for table, rows in builder.rows.items():
        if rows:
            cols = list(rows[0])
            prepared.append((table, cols, [tuple(r[c] for c in cols) for r in rows]))
    t = time.perf_counter()
    with con:
        for table, cols, rows in prepared:
            con.executemany(f'INSERT OR IGNORE INTO "{table}" ({",".join(cols)}) VALUES ({",".join("?" * len(cols))})', rows)
    baseline = time.perf_counter() - t
    con.close()
    n = sum(len(r) for _, _, r in prepared)
    return [Result(f"demo {children} children x {visits} visits", ours, baseline, 2.0, note=f"{n} rows")]


def _raw(con, stmt) -> list:
    compiled = stmt.compile(dialect=sqlite_dialect.dialect(), compile_kwargs={"literal_binds": True})
    return con.execute(str(compiled)).fetchall()


def bench_queries(children: int, visits: int) -> list[Result]:
    data = demo_store(children, visits)
    store = open_store(data)
    ws = Workstation(store, "基准测试")
    today = ws.ctx.today()
    con = raw_connect(data / "weibao.sqlite3")
    with ws.ctx.read() as s:
        overdue_stmt = ws.stats.overdue_statement(s, today)
        stat_stmts = ws.stats.statements(s, today)
    # The bare form of what the overdue list runs: its two statements (rows in order, their categories).
    bare_overdue = ws.children.row_statements(overdue_stmt)
    n_overdue = len(ws.stats.overdue())
    ours = best_of(lambda: ws.stats.overdue())
    base = best_of(lambda: [_raw(con, st) for st in bare_overdue])
    results = [Result("overdue list (all rows)", ours, base, 1.5, note=f"{n_overdue} children overdue")]
    ours = best_of(lambda: ws.stats.stats())
    base = best_of(lambda: [_raw(con, st) for st in stat_stmts.values()])
    results.append(Result("weibao stats", ours, base, 1.5, note=f"{children} children"))
    con.close()
    store.dispose()
    return results


BENCHES = {
    "demo": lambda a: bench_demo(a.children, a.visits),
    "queries": lambda a: bench_queries(a.children, a.visits),
}
