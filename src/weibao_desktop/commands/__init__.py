"""Subcommand groups of `weibao` beyond the core ones in cli.py.

Each module here has `register(sub, common)` adding its subparsers; cli.py discovers them, so a
feature's commands live beside the feature and not in one ever-growing file.
"""
import importlib
import pkgutil


def register_all(sub, common) -> None:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        importlib.import_module(f"{__name__}.{info.name}").register(sub, common)
