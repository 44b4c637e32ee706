"""`weibao`'s subcommand modules share what they need with cli.py through cli_support, never by importing
cli.py (which imports them): a cycle that worked only because the imports were inside functions."""
from __future__ import annotations

import ast
from pathlib import Path

import weibao_desktop

PACKAGE = Path(weibao_desktop.__file__).parent


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            found.add("." * node.level + (node.module or ""))
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_no_subcommand_module_imports_the_cli():
    for path in sorted((PACKAGE / "commands").glob("*.py")):
        assert not {"..cli", "weibao_desktop.cli"} & _imports(path), path.name


def test_cli_support_imports_neither_cli_nor_commands():
    assert not {".cli", ".commands", "weibao_desktop.cli", "weibao_desktop.commands"} & _imports(
        PACKAGE / "cli_support.py")
