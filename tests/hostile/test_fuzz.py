"""Mutated valid ledgers and packages: the reader either reads them or refuses them with a WeibaoError,
never another exception. A few examples in CI (the "ci" profile); `python -m bench --only fuzz` runs many."""
from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from weibao_desktop.domain.errors import WeibaoError
from weibao_desktop.sync.package import read_package
from weibao_desktop.sync.safe_read import read_workbook

sys.path.insert(0, str(Path(__file__).parent))
import make_hostile  # noqa: E402

settings.register_profile("ci", max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
settings.register_profile("bench", max_examples=2000, deadline=None, suppress_health_check=list(HealthCheck))
settings.load_profile("ci")


def mutations(base: bytes):
    """Bytes flipped, cut or inserted in the file, or inside one of its inflated parts (then re-zipped)."""
    members = make_hostile.parts(base)
    names = sorted(members)
    raw = st.tuples(st.just("raw"), st.integers(0, len(base) - 1), st.binary(min_size=0, max_size=8),
                    st.integers(0, 8))
    part = st.tuples(st.sampled_from(names), st.integers(0, 1 << 20), st.binary(min_size=0, max_size=12),
                     st.integers(0, 12))
    return st.lists(st.one_of(raw, part), min_size=1, max_size=4).map(lambda steps: _apply(base, members, steps))


def _apply(base: bytes, members: dict[str, bytes], steps) -> bytes:
    data = base
    changed = dict(members)
    zipped = False
    for where, at, insert, cut in steps:
        if where == "raw":
            continue
        body = changed[where]
        at %= max(len(body), 1)
        changed[where] = body[:at] + insert + body[at + cut:]
        zipped = True
    if zipped:
        data = make_hostile.build(changed)
    for where, at, insert, cut in steps:
        if where == "raw":
            at %= max(len(data), 1)
            data = data[:at] + insert + data[at + cut:]
    return data


def read_or_refuse(read, data: bytes, path: Path) -> None:
    path.write_bytes(data)
    try:
        read(path)
    except WeibaoError as e:
        assert e.message.strip()


def _valid_ledger() -> bytes:
    return make_hostile.ledger()


def _valid_package(tmp: Path) -> bytes:
    from factories import OPERATOR
    from pairing_helpers import pair_store, unlock
    from weibao_desktop.cli import main

    town = tmp / "town"
    main(["--data-dir", str(town), "init", "--station", "城关镇", "--code", "430104001000", "--county", "岳麓区",
          "--villages", "东村"])
    ledger = tmp / "ledger.xlsx"
    ledger.write_bytes(_valid_ledger())
    main(["--data-dir", str(town), "ledger", "import", str(ledger)])
    password = pair_store(town, tmp, user=OPERATOR)  # init made the test account (WEIBAO_USER) the admin
    package = tmp / "package.xlsx"
    main(["--data-dir", str(town), "sync", "export", "-o", str(package)])
    return unlock(package, passwords=[password]).read_bytes()  # fuzz the workbook, not the encryption


def fuzz_ledger(path: Path) -> None:
    from hypothesis import given

    @given(mutations(_valid_ledger()))
    def run(data: bytes) -> None:
        read_or_refuse(read_workbook, data, path)

    run()


def fuzz_package(path: Path, tmp: Path) -> None:
    from hypothesis import given

    @given(mutations(_valid_package(tmp)))
    def run(data: bytes) -> None:
        read_or_refuse(read_package, data, path)

    run()


def test_mutated_ledgers_are_read_or_refused(tmp_path):
    fuzz_ledger(tmp_path / "fuzz.xlsx")


def test_mutated_packages_are_read_or_refused(tmp_path):
    fuzz_package(tmp_path / "fuzz.xlsx", tmp_path)


def test_the_mutations_do_reach_inside_the_parts():
    base = _valid_ledger()
    members = make_hostile.parts(base)
    out = _apply(base, members, [("xl/workbook.xml", 0, b"<!DOCTYPE", 0)])
    assert zipfile.ZipFile(io.BytesIO(out)).read("xl/workbook.xml").startswith(b"<!DOCTYPE")
