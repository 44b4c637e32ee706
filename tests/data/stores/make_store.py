"""Makes the store that every later version must open: tests/data/stores/<version>.sqlite3 with a
manifest of what it holds (rows per table and a sample of fields), written by the version named in it.

Run from the repository root with the version being released checked out, then commit both files:

    python tests/data/stores/make_store.py

Every person in it is synthetic (the demo generator). tests/test_upgrade_stores.py opens each committed store
with the current program (migrations run after a backup) and compares what it holds with the manifest.
"""
from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
# Fields a user would miss if a migration lost them; the manifest keeps them for a few rows of each table.
SAMPLE = {
    "child": ("uuid", "name", "id_number", "birth_date", "sex", "village_id", "risk_colour", "next_visit_due",
              "status", "contact_phone"),
    "person": ("uuid", "relation", "name", "phone", "status", "is_guardian"),
    "category_membership": ("uuid", "category", "start_on", "end_on"),
    "visit": ("uuid", "visited_on", "mode", "visitors", "living"),
    "assessment": ("uuid", "kind", "assessed_on", "result", "reason"),
    "help_measure": ("uuid", "kind", "started_on", "state"),
    "report_clue": ("uuid", "received_at", "state", "content"),
    "hotline_call": ("uuid", "call_at", "caller", "state"),
}


def main() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    from weibao_desktop import __version__

    work = Path(tempfile.mkdtemp(prefix="weibao-store-"))
    cli = [sys.executable, "-m", "weibao_desktop", "--data-dir", str(work), "--user", "陈站长"]
    env = {"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"}
    subprocess.run([*cli, "init", "--station", "示范镇", "--code", "430104001000", "--county", "岳麓区"], check=True,
                   env=env)
    subprocess.run([*cli, "demo", "--children", "40", "--visits-per-child", "3"], check=True, env=env)
    target = HERE / f"v{__version__}.sqlite3"
    with sqlite3.connect(work / "weibao.sqlite3") as src, sqlite3.connect(target) as dst:
        src.backup(dst)  # one file, no -wal beside it
    with sqlite3.connect(target) as db:
        db.execute("PRAGMA journal_mode=DELETE")
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
        counts = {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
        sample = {}
        for table, fields in SAMPLE.items():
            have = {r[1] for r in db.execute(f'PRAGMA table_info("{table}")')}
            cols = [f for f in fields if f in have]
            rows = db.execute(f'SELECT {", ".join(cols)} FROM "{table}" ORDER BY id LIMIT 5').fetchall()
            sample[table] = [dict(zip(cols, (str(v) if v is not None else None for v in row), strict=True)) for row in rows]
        revision = db.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    manifest = {"version": __version__, "alembic_revision": revision, "counts": counts, "sample": sample}
    (HERE / f"v{__version__}.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    shutil.rmtree(work, ignore_errors=True)
    print(f"{target.name}: {sum(counts.values())} rows in {len(counts)} tables, revision {revision}")


if __name__ == "__main__":
    main()
