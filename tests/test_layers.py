"""The layers hold: only ui/ imports Qt, ui/ never imports SQLAlchemy, and ui/ has no import cycles.

Imports are read with `ast` from the sources (nothing is imported), including imports inside functions."""
from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "weibao_desktop"


def imported_modules(path: Path, root: Path = SRC) -> set[str]:
    """Absolute names of every module a file imports (relative imports resolved against its package); for
    `from x import y` both x and x.y, since y may be a module."""
    package = ".".join(("weibao_desktop", *path.relative_to(root).with_suffix("").parts[:-1]))
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def sources(under: str = "") -> list[Path]:
    return sorted((SRC / under).rglob("*.py"))


def top(name: str) -> str:
    return name.split(".")[0]


def test_only_the_gui_imports_qt():
    outside = [path for path in sources() if path.relative_to(SRC).parts[0] != "ui"]
    offenders = [f"{path.relative_to(SRC)} imports {name}" for path in outside
                 for name in imported_modules(path) if top(name) in ("PySide6", "shiboken6")]
    assert offenders == []


def test_the_gui_never_imports_sqlalchemy():
    offenders = [f"{path.relative_to(SRC)} imports {name}" for path in sources("ui")
                 for name in imported_modules(path) if top(name) in ("sqlalchemy", "alembic")]
    assert offenders == []


def test_the_checker_sees_what_it_looks_for(tmp_path):
    # A fake module in ui/ importing sqlalchemy inside a function, and one elsewhere importing Qt lazily.
    assert "sqlalchemy.orm" in imported_modules_of(tmp_path, "ui/fake.py", "def f():\n    import sqlalchemy.orm\n")
    assert "PySide6.QtCore" in imported_modules_of(tmp_path, "services/fake.py",
                                                   "def f():\n    from PySide6.QtCore import Qt\n")
    assert "weibao_desktop.ui.tasks" in imported_modules_of(tmp_path, "ui/fake.py", "from .tasks import Tasks\n")
    assert "weibao_desktop.domain.codes" in imported_modules_of(tmp_path, "ui/fake.py", "from ..domain import codes\n")


def imported_modules_of(tmp_path: Path, relative: str, text: str) -> set[str]:
    path = tmp_path / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return imported_modules(path, tmp_path)


def test_no_import_cycles_in_the_gui():
    modules = {f"weibao_desktop.ui.{path.stem}": path for path in sources("ui") if path.stem != "__init__"}
    graph = {name: {m for m in imported_modules(path) if m in modules and m != name} for name, path in modules.items()}
    cycles = []
    state: dict[str, int] = {}  # 1 on the path, 2 done

    def visit(name: str, path: list[str]) -> None:
        state[name] = 1
        for nxt in sorted(graph[name]):
            if state.get(nxt) == 1:
                cycles.append(path[path.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert cycles == []


def test_no_gui_file_is_over_600_lines():
    long = {str(path.relative_to(SRC)): n for path in sources("ui")
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > 600}
    assert long == {}
