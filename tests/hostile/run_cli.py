"""Runs `python -m weibao_desktop` on many files in one process:
`run_cli.py DATA_DIR ledger|sync [--password-file F] FILE…` (the password file is passed to every ledger import).

For each file one JSON line: the exit code, everything printed, and whether the store's tables changed.
The parent test sets the address-space limit before this starts, so every file is read under it.
"""
from __future__ import annotations

import contextlib
import io
import json
import runpy
import sys
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for rawdb
import rawdb  # noqa: E402


def dump(store: Path) -> dict[str, list]:
    con = rawdb.connect(store)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        return {t: con.execute(f'SELECT * FROM "{t}" ORDER BY rowid').fetchall() for t in tables}
    finally:
        con.close()


def run(data_dir: str, command: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    sys.argv = ["weibao", "--data-dir", data_dir, *command]
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        try:
            runpy.run_module("weibao_desktop", run_name="__main__", alter_sys=True)
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else 1
        except BaseException:  # what a user would see as a crash: recorded, not hidden
            out.write(traceback.format_exc())
            code = 99
    return code, out.getvalue()


def main() -> None:
    data_dir, kind, *files = sys.argv[1:]
    extra = []
    if files[:1] == ["--password-file"]:
        extra, files = ["--ledger-password-file", files[1]], files[2:]
    store = Path(data_dir) / "weibao.sqlite3"
    for name in files:
        before = dump(store)
        command = ["ledger", "import", name, *extra] if kind == "ledger" else ["sync", "import", name]
        code, output = run(data_dir, command)
        changed = sorted(t for t, rows in dump(store).items() if rows != before.get(t))
        print(json.dumps({"file": Path(name).name, "code": code, "output": output[-3000:], "changed": changed},
                         ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
