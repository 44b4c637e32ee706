"""Temporary files that hold personal data stay inside the data folder, in a folder only this user can open.

Exports (openpyxl's write-only mode spools each sheet to a temporary file, full id numbers and all)
and print previews would otherwise land in the system temp folder, shared by every local user and
kept after a crash. Here they go to `<data folder>/tmp` (0700, owned by this user, checked each time),
are removed after use, and whatever a crash left behind is swept when the program starts. Each process
works in a sub-folder of its own (`p<pid>`), so a second window or a command run beside the first never
sweeps away a file the first is still writing; the sweep removes the folders of processes that are gone.

A finished file reaches its final name in one step (`place`): written in the private folder, then
renamed into place; on another filesystem it is copied to a temporary name beside the target and
renamed, and that copy is removed if anything fails. Nothing ever lies under the final name half
written, nor beside it after a crash of this process (except for the copy step across filesystems,
which is removed on any Python-level failure).
"""
from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from ..domain.errors import WeibaoError

FOLDER = "tmp"
STALE_SECONDS = 12 * 3600  # where a process cannot be asked whether it still runs (Windows): by age


def _alive(pid: int) -> bool | None:
    """Whether process `pid` still runs; None where that cannot be asked safely."""
    if os.name != "posix":
        return None  # os.kill(pid, 0) would send Ctrl+C to a process group on Windows
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class PrivateTemp:
    """The private temporary folder of one data folder."""

    def __init__(self, data_dir: str | os.PathLike):
        self.root = Path(data_dir) / FOLDER

    def folder(self, purpose: str = "") -> Path:
        """This process's folder (or a sub-folder for one purpose), created 0700 and checked to be this user's."""
        self._make(self.root)
        own = self.root / f"p{os.getpid()}"
        self._make(own)
        if not purpose:
            return own
        sub = own / purpose
        self._make(sub)
        return sub

    @staticmethod
    def _make(path: Path) -> None:
        try:
            path.mkdir(mode=0o700, parents=True, exist_ok=True)
            st = path.lstat()
        except OSError as e:
            raise WeibaoError(f"无法创建临时文件夹“{path}”（{e.strerror or e}）") from None
        if stat.S_ISLNK(st.st_mode) or not stat.S_ISDIR(st.st_mode):
            raise WeibaoError(f"临时文件夹“{path}”不是普通文件夹（可能是链接），为保护个人信息已停止。请删除它后重试")
        if hasattr(os, "getuid") and st.st_uid != os.getuid():
            raise WeibaoError(f"临时文件夹“{path}”属于其他用户，为保护个人信息已停止。请删除它后重试")
        if st.st_mode & 0o077:
            os.chmod(path, 0o700)

    def sweep(self) -> int:
        """Remove what processes that no longer run left behind (called at start); returns how many entries went."""
        if not self.root.exists():
            return 0
        removed = 0
        now = time.time()
        for entry in self.root.iterdir():
            if entry.name.startswith("p") and entry.name[1:].isdigit():
                pid = int(entry.name[1:])
                alive = _alive(pid)
                if pid == os.getpid() or alive:
                    continue
                if alive is None:
                    with contextlib.suppress(OSError):
                        if now - entry.stat().st_mtime < STALE_SECONDS:
                            continue
            try:
                if entry.is_dir() and not entry.is_symlink():
                    shutil.rmtree(entry)
                else:
                    entry.unlink()
                removed += 1
            except OSError:
                pass  # held open by a viewer on another system: the next start tries again
        return removed

    @contextlib.contextmanager
    def scratch(self, suffix: str = "", purpose: str = "") -> Iterator[Path]:
        """A temporary file name in the private folder, removed when the block ends."""
        fd, name = tempfile.mkstemp(prefix="weibao.", suffix=suffix, dir=self.folder(purpose))
        os.close(fd)
        path = Path(name)
        try:
            yield path
        finally:
            # A viewer may still hold it open (Windows refuses the delete): the work is done; `sweep` at the
            # next start removes it.
            with contextlib.suppress(OSError):
                path.unlink(missing_ok=True)

    @contextlib.contextmanager
    def writing(self, target: str | os.PathLike) -> Iterator[Path]:
        """A temporary file to write `target` into; it is placed at `target` only when the block succeeds."""
        target = Path(target)
        with self.scratch(suffix=target.suffix) as tmp:
            yield tmp
            place(tmp, target)

    def route_openpyxl(self) -> None:
        """openpyxl's write-only sheets spool to temporary files: put them in the private folder."""
        from openpyxl.worksheet import _writer

        folder = self.folder("export")

        def create_temporary_file(suffix: str = "") -> str:
            fd, name = tempfile.mkstemp(prefix="openpyxl.", suffix=suffix, dir=folder)
            os.close(fd)
            _writer.ALL_TEMP_FILES.append(name)
            return name

        _writer.create_temporary_file = create_temporary_file


def place(source: Path, target: Path) -> Path:
    """Move a finished file to its final name in one step, across filesystems too."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.replace(source, target)
        return target
    except OSError as e:
        if e.errno != errno.EXDEV:
            raise
    fd, name = tempfile.mkstemp(prefix=".~weibao.", suffix=".part", dir=target.parent)
    staged = Path(name)
    try:
        with os.fdopen(fd, "wb") as out, source.open("rb") as src:
            shutil.copyfileobj(src, out, 1024 * 1024)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(staged, 0o600)
        os.replace(staged, target)
    except BaseException:
        staged.unlink(missing_ok=True)
        raise
    with contextlib.suppress(OSError):  # the file reached its place; a scan still reading the copy keeps it
        source.unlink(missing_ok=True)  # until the next start's sweep
    return target
