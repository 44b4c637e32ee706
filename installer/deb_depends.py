"""Prints the Depends line of the .deb: the Debian packages of the shared libraries that the bundle's ELF
files load from outside the bundle (ldd on the bundle, with the bundle's own folders searched first, as the
program itself searches them), plus what Qt loads at run time without ldd seeing it.

    python installer/deb_depends.py /path/to/stage/opt/weibao-desktop
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

# Loaded by name at run time (dlopen), so ldd cannot see them: the xcb platform plugin's cursor library
# (Qt 6.5+ refuses to start without it) and a CJK font, without which Chinese shows as boxes.
RUNTIME = {"libxcb-cursor0", "fonts-wqy-microhei"}


def elf_files(root: Path) -> list[Path]:
    out = []
    for path in root.rglob("*"):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as f:
                if f.read(4) == b"\x7fELF":
                    out.append(path)
    return out


def outside_libraries(root: Path) -> tuple[set[str], set[str]]:
    internal = root / "_internal"
    search = [internal, internal / "PySide6" / "Qt" / "lib", internal / "PySide6", internal / "shiboken6"]
    env = {**os.environ, "LD_LIBRARY_PATH": ":".join(str(p) for p in search)}
    found, missing = set(), set()
    files = elf_files(root)
    for i in range(0, len(files), 200):
        result = subprocess.run(["ldd", *map(str, files[i:i + 200])], capture_output=True, text=True, env=env)
        for line in result.stdout.splitlines():
            if "=>" not in line:
                continue
            name, _, target = line.strip().partition("=>")
            target = target.strip()
            if target.startswith("not found"):
                missing.add(name.strip())
            elif target.startswith("/"):
                path = target.split(" (")[0]
                if not Path(path).resolve().is_relative_to(root.resolve()):
                    found.add(path)
    # a library the bundle carries itself is not missing
    carried = {p.name for p in files}
    return found, {m for m in missing if m not in carried}


def package_of(path: str) -> str | None:
    for candidate in (str(Path(path).resolve()), path):
        result = subprocess.run(["dpkg-query", "-S", candidate], capture_output=True, text=True)
        if result.returncode == 0:
            return result.stdout.split(":", 1)[0].split(",")[0].strip()
    return None


def main() -> None:
    root = Path(sys.argv[1])
    paths, missing = outside_libraries(root)
    packages = {p for p in map(package_of, sorted(paths)) if p} | RUNTIME
    if missing:
        print("注意：构建机上找不到这些库，安装包没有为它们声明依赖：" + "、".join(sorted(missing)), file=sys.stderr)
    print(", ".join(sorted(packages)))


if __name__ == "__main__":
    main()
