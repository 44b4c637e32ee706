"""Pinyin order of the children list (issue 14): sorting 100,000 children by the indexed `name_key` against
the character-code sort by `name` it replaced, the same query otherwise; and filling the key for an existing
store (migration 0012) against reading the names alone.

    python -m bench --only name_order
"""
from __future__ import annotations

import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

from sqlalchemy.dialects import sqlite as sqlite_dialect

from .common import Result, best_of, demo_store


def _sql(stmt) -> str:
    return str(stmt.compile(dialect=sqlite_dialect.dialect(), compile_kwargs={"literal_binds": True}))


def bench_sort(data: Path, children: int) -> list[Result]:
    from weibao_desktop.models.entities import Child
    from weibao_desktop.models.store import open_store
    from weibao_desktop.services import Workstation
    from weibao_desktop.services.dto import ChildQuery

    store = open_store(data)
    ws = Workstation(store, "基准测试")
    with ws.ctx.read() as s:
        after = ws.children.search_statement(s, ChildQuery(sort="name"))
    # Before: the same statement ordered as it was, by the name's character codes.
    before = after.order_by(None).order_by(Child.name, Child.id)
    con = sqlite3.connect(data / "weibao.sqlite3")
    results = []
    for label, limit in (("first screenful", 100), ("whole id list", None)):
        new, old = (_sql(st.limit(limit)) if limit else _sql(st) for st in (after, before))
        ours = best_of(lambda sql=new: con.execute(sql).fetchall())
        base = best_of(lambda sql=old: con.execute(sql).fetchall())
        results.append(Result(f"children sorted by name, {label}", ours, base, 1.5,
                              note=f"pinyin name_key vs character-code name, {children} children"))
    plan = " / ".join(row[3] for row in con.execute("EXPLAIN QUERY PLAN " + _sql(after.limit(100))))
    results[0].note += f"; plan: {plan}"
    ids = [r[0] for r in con.execute(_sql(after.limit(5)))]
    names = [con.execute("SELECT name FROM child WHERE id = ?", (i,)).fetchone()[0] for i in ids]
    results[1].note += f"; first names: {'、'.join(names)}"
    con.close()
    store.dispose()
    return results


def fill_timing(data: Path, children: int) -> Result:
    from weibao_desktop.domain.name_order import name_key

    work = Path(tempfile.mkdtemp())
    shutil.copyfile(data / "weibao.sqlite3", work / "weibao.sqlite3")
    con = sqlite3.connect(work / "weibao.sqlite3")

    def fill(key) -> None:
        last = 0
        while True:
            batch = con.execute("SELECT id, name FROM child WHERE id > ? ORDER BY id LIMIT 5000", (last,)).fetchall()
            if not batch:
                break
            con.executemany("UPDATE child SET name_key = ? WHERE id = ?", [(key(n), i) for i, n in batch])
            last = batch[-1][0]
        con.commit()

    name_key.cache_clear()
    t = time.perf_counter()
    fill(name_key)
    ours = time.perf_counter() - t
    t = time.perf_counter()
    fill(lambda _n: "")
    base = time.perf_counter() - t
    con.close()
    shutil.rmtree(work)
    return Result("migration 0012 key fill", ours, base, 20.0,
                  note=f"{children} children; baseline writes an empty key in the same batches")


def bench_name_order(args) -> list[Result]:
    data = demo_store(args.children, args.visits)
    return [*bench_sort(data, args.children), fill_timing(data, args.children)]


BENCHES = {"name_order": bench_name_order}
