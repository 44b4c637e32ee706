"""Benchmark runner: `python -m bench [--children N] [--visits K] [--only NAME]`.

Each line prints one ratio, ours against its baseline measured side by side in the same run,
with the absolute times beside it.
"""
from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from pathlib import Path


def discover() -> dict:
    """Every bench module's BENCHES: {name: function(args) -> list[Result]}."""
    found = {}
    for info in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if info.name in ("run", "common", "__main__"):
            continue
        module = importlib.import_module(f"{__package__}.{info.name}")
        found.update(getattr(module, "BENCHES", {}))
    return found


BENCHES = discover()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench")
    p.add_argument("--children", type=int, default=100_000)
    p.add_argument("--visits", type=int, default=10)
    p.add_argument("--only", action="append", choices=sorted(BENCHES))
    args = p.parse_args(argv)
    for name in args.only or list(BENCHES):
        for result in BENCHES[name](args):
            print(result.line(), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
