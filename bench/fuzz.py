"""`python -m bench --only fuzz`: many more mutated ledgers and packages than CI runs (hypothesis "bench"
profile). A crash fails loudly with hypothesis's smallest failing example; the line reports the time taken."""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from .common import Result


def run(args) -> list[Result]:
    from hypothesis import settings

    sys.path.insert(0, str(Path(__file__).parents[1] / "tests" / "hostile"))
    import test_fuzz

    settings.load_profile("bench")
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, fn in (("fuzz: ledger reader", lambda: test_fuzz.fuzz_ledger(Path(tmp) / "l.xlsx")),
                         ("fuzz: package reader", lambda: test_fuzz.fuzz_package(Path(tmp) / "p.xlsx", Path(tmp)))):
            started = time.perf_counter()
            fn()
            took = time.perf_counter() - started
            examples = settings.default.max_examples
            results.append(Result(name, took / examples, took / examples, 1.0, note=f"{examples} examples, no crash"))
    return results


BENCHES = {"fuzz": run}
