"""Real `weibao` processes on real store files, for the concurrency and crash tests: the command line,
a small town with a ledger and a package made by the program itself, and a dump of every table."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import rawdb

SRC = Path(__file__).resolve().parents[1] / "src"
TOWN = ("城关镇", "430104001000")
COUNTY = ("岳麓区", "430104000000")


def cli_env() -> dict:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]),
               PYTHONUTF8="1")
    env.pop("WEIBAO_DATA_DIR", None)
    return env


def cli_command(data_dir: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "weibao_desktop", *args, "--data-dir", str(data_dir)]


def cli(data_dir: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run(cli_command(data_dir, *args), env=cli_env(), capture_output=True, text=True,
                          encoding="utf-8", timeout=300)
    if check and done.returncode != 0:
        raise AssertionError(f"weibao {' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done


def start(data_dir: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(cli_command(data_dir, *args), env=cli_env(), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, encoding="utf-8")


def store_file(data_dir: Path) -> Path:
    return data_dir / "weibao.sqlite3"


def dump(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table, sorted: two stores with equal dumps hold the same data."""
    con = rawdb.connect(path)
    try:
        tables = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        return {t: sorted(con.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables}
    finally:
        con.close()


def indexes(path: Path) -> set[str]:
    con = rawdb.connect(path)
    try:
        return {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'")}
    finally:
        con.close()


def copy_store(source_dir: Path, target_dir: Path) -> Path:
    target_dir.mkdir(parents=True, exist_ok=True)
    rawdb.copy_store(store_file(source_dir), store_file(target_dir))
    return target_dir


def village_names(data_dir: Path) -> list[str]:
    con = rawdb.connect(store_file(data_dir))
    try:
        return [r[0] for r in con.execute("SELECT name FROM village ORDER BY name")]
    finally:
        con.close()


def build_world(root: Path, children: int, visits: int = 2) -> dict[str, Path]:
    """A town with demo data, its children ledger and a full package for the county; an empty town with
    the same villages (for the ledger) and an empty county office (for the package). Every store closed."""
    town, fresh, county = root / "town", root / "fresh", root / "county"
    cli(town, "init", "--station", TOWN[0], "--code", TOWN[1])
    cli(town, "demo", "--children", str(children), "--visits-per-child", str(visits))
    ledger, package = root / "儿童台账.xlsx", root / "数据包.xlsx"
    cli(town, "ledger", "export", "children", "-o", str(ledger))
    cli(county, "init", "--station", COUNTY[0], "--code", COUNTY[1], "--county-mode")
    cli(county, "pair", "add", "--township", TOWN[0], "--code", TOWN[1], "-o", str(root / "开通文件.xlsx"))
    cli(town, "pair", "accept", str(root / "开通文件.xlsx"), "-o", str(root / "回执.xlsx"))
    cli(county, "pair", "confirm", str(root / "回执.xlsx"))
    cli(town, "sync", "export", "--full", "-o", str(package))
    cli(fresh, "init", "--station", TOWN[0], "--code", TOWN[1], "--villages", ",".join(village_names(town)))
    for directory in (town, fresh, county):
        for leftover in directory.glob("*.bak.*"):
            leftover.unlink()
    return {"town": town, "fresh": fresh, "county": county, "ledger": ledger, "package": package}
