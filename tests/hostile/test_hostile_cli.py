"""Every hostile file through the real command line (`python -m weibao_desktop … import F`) under a 1 GB
address-space limit: refused files exit 1 with a Chinese message and change no record; none prints a
traceback or takes the process down."""
from __future__ import annotations

import json
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pairing_helpers import unlock
from weibao_desktop.cli import main
from weibao_desktop.models.store import open_store
from weibao_desktop.services import Actor, Workstation

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))
import make_hostile  # noqa: E402

LIMIT = 1 << 30
SRC = str(Path(__import__("weibao_desktop").__file__).parents[1])


def _limit() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT, LIMIT))


def _env() -> dict:
    import os

    return {**os.environ, "PYTHONPATH": SRC, "QT_QPA_PLATFORM": "offscreen", "RUST_BACKTRACE": "0"}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """A township store with one child, a county store, a real package between them, and the hostile files."""
    root = tmp_path_factory.mktemp("hostile")
    town, county = root / "town", root / "county"
    assert main(["--data-dir", str(town), "init", "--station", "城关镇", "--code", "430104001000",
                 "--county", "岳麓区", "--villages", "东村"]) == 0
    assert main(["--data-dir", str(county), "init", "--station", "岳麓区", "--code", "430104000000",
                 "--county", "岳麓区", "--county-mode"]) == 0
    ledger = root / "ledger.xlsx"
    ledger.write_bytes(make_hostile.ledger())
    assert main(["--data-dir", str(town), "ledger", "import", str(ledger)]) == 0
    invite, receipt = root / "开通文件.xlsx", root / "回执.xlsx"
    assert main(["--data-dir", str(county), "pair", "add", "--township", "城关镇", "--code", "430104001000",
                 "-o", str(invite)]) == 0
    assert main(["--data-dir", str(town), "pair", "accept", str(invite), "-o", str(receipt)]) == 0
    assert main(["--data-dir", str(county), "pair", "confirm", str(receipt)]) == 0
    package = root / "package.xlsx"
    assert main(["--data-dir", str(town), "sync", "export", "-o", str(package)]) == 0
    store = open_store(town)
    password = Workstation(store, Actor("测试", "head")).pairing.partners()[0].password
    store.dispose()
    opened = unlock(package, root / "package-opened.xlsx", [password])  # what a forger edits: opened by hand
    files = root / "files"
    expected = make_hostile.make(files, opened)
    return root, town, county, package, files, expected


def _run(data_dir: Path, kind: str, paths: list[Path], password_file: Path | None = None) -> dict[str, dict]:
    extra = ["--password-file", str(password_file)] if password_file else []
    done = subprocess.run([sys.executable, str(HERE / "run_cli.py"), str(data_dir), kind, *extra, *map(str, paths)],
                          capture_output=True, text=True, encoding="utf-8", errors="replace", preexec_fn=_limit, timeout=900, env=_env())
    results = {}
    for line in done.stdout.splitlines():
        row = json.loads(line)
        results[row["file"]] = row
    assert done.returncode == 0, done.stderr[-3000:]
    return results


def _check(results: dict[str, dict], expected: dict[str, str], allowed: set[str] = frozenset()) -> None:
    for name, expect in expected.items():
        row = results[name]
        assert "Traceback" not in row["output"], (name, row["output"])
        assert row["code"] in (0, 1), (name, row)
        if expect == "refused":
            assert row["code"] == 1, (name, row["output"])
            assert "：" in row["output"], (name, row["output"])  # a message, in Chinese
        if row["code"] != 0:
            assert set(row["changed"]) <= allowed, (name, row["changed"])


def test_the_corpus_has_every_kind_of_file(corpus):
    *_, expected = corpus
    assert len(expected) >= 40
    names = " ".join(expected)
    for kind in ("xxe_utf16", "billion_laughs", "zipslip", "rels_traversal", "sub_path", "xl_ws", "ods_row_repeat",
                 "huge_shared_strings", "cell_100mb", "nul_controls", "impossible_dates", "pkg_seq_text",
                 "pkg_rev_cell_text", "pkg_foreign", "a_folder"):
        assert kind in names, kind


def test_hostile_ledgers_are_refused_cleanly_under_1_gb(corpus, tmp_path):
    _, town, _, _, files, expected = corpus
    ledgers = {n: e for n, e in expected.items() if not n.startswith("pkg_")}
    data = tmp_path / "town"
    shutil.copytree(town, data)
    _check(_run(data, "ledger", [files / n for n in sorted(ledgers)]), ledgers)


def test_hostile_encrypted_ledgers_opened_with_their_password_are_refused_cleanly_under_1_gb(corpus, tmp_path):
    """With the right password the reader gets past the encryption: what lies inside (a 1 GB zip bomb, a DOCTYPE)
    and encryption headers that lie are refused all the same, and the one sound file imports."""
    _, town, _, _, files, expected = corpus
    encrypted = {n: e for n, e in expected.items() if n.startswith("enc_")}
    assert len(encrypted) >= 12
    data = tmp_path / "town"
    shutil.copytree(town, data)
    password = tmp_path / "pw.txt"
    password.write_text(make_hostile.HOSTILE_PASSWORD + "\n", encoding="utf-8")
    results = _run(data, "ledger", [files / n for n in sorted(encrypted)], password)
    _check(results, encrypted)
    assert results[make_hostile.ENCRYPTED_CONTROL]["code"] == 0, results[make_hostile.ENCRYPTED_CONTROL]
    assert "压缩炸弹" in results["enc_zip_bomb_1gb.xlsx"]["output"]
    assert "文档类型声明" in results["enc_xxe_sheet.xlsx"]["output"]
    assert "加密参数异常" in results["enc_info_spin_count_huge.xlsx"]["output"]
    for name in ("enc_info_truncated.xlsx", "enc_package_tampered.xlsx", "enc_directory_size_huge.xlsx"):
        assert "已损坏" in results[name]["output"], (name, results[name]["output"])


def test_hostile_encrypted_ledgers_without_a_password_ask_for_one(corpus, tmp_path):
    _, town, _, _, files, expected = corpus
    data = tmp_path / "town"
    shutil.copytree(town, data)
    names = [make_hostile.ENCRYPTED_CONTROL, "enc_zip_bomb_1gb.xlsx", "enc_xxe_sheet.xlsx"]
    results = _run(data, "ledger", [files / n for n in names])
    _check(results, {n: "refused" for n in names})
    assert all("文件已加密：请提供密码" in results[n]["output"] for n in names)


def test_hostile_packages_are_refused_cleanly_and_a_replay_changes_nothing(corpus, tmp_path):
    _, _, county, package, files, expected = corpus
    packages = {n: e for n, e in expected.items() if n.startswith("pkg_") or n == "a_folder.xlsx"}
    data = tmp_path / "county"
    shutil.copytree(county, data)
    shutil.copy(package, files / "valid.xlsx")
    shutil.copy(package, files / "replayed.xlsx")
    order = [files / n for n in sorted(packages)] + [files / "valid.xlsx", files / "replayed.xlsx"]
    results = _run(data, "sync", order)
    _check(results, packages)
    assert results["valid.xlsx"]["code"] == 0 and "child" in results["valid.xlsx"]["changed"]
    replay = results["replayed.xlsx"]
    assert replay["code"] == 0 and not {"child", "guardian", "visit"} & set(replay["changed"]), replay


@pytest.mark.parametrize("command", [["ledger", "import"], ["sync", "import"]])
def test_a_folder_given_as_the_file_is_a_message_from_the_real_entry_point(corpus, tmp_path, command):
    _, town, *_ = corpus
    folder = tmp_path / "台账.xlsx"
    folder.mkdir()
    done = subprocess.run([sys.executable, "-m", "weibao_desktop", "--data-dir", str(town), *command, str(folder)],
                          capture_output=True, text=True, encoding="utf-8", errors="replace", preexec_fn=_limit, timeout=300, env=_env())
    assert done.returncode == 1
    assert "文件夹" in done.stderr and "Traceback" not in done.stderr + done.stdout
