"""Is a folder on a network filesystem? SQLite's WAL needs shared memory between the programs using
the file, which SMB/NFS shares do not give: on such a folder the store uses the rollback journal."""
from __future__ import annotations

import os
import sys
from pathlib import Path

NETWORK_FS_TYPES = frozenset({
    "cifs", "smb3", "smbfs", "smb2", "nfs", "nfs4", "afs", "ncpfs", "9p", "ceph", "glusterfs", "lustre", "gpfs",
    "davfs", "fuse.sshfs", "fuse.davfs2", "fuse.rclone", "fuse.glusterfs", "fuse.cephfs", "fuse.s3fs",
})

NETWORK_WARNING = ("数据目录 {folder} 在网络共享盘上（{kind}）。共享盘不支持数据库的 WAL 模式，已改用较慢但安全的日志模式。"
                   "请不要让两台电脑同时打开这个数据目录；最好把数据目录放在本机硬盘上，用“备份”复制到共享盘或U盘。"
                   " (The data folder is on a network share: WAL is off, the rollback journal is used instead.)")


def network_filesystem(folder: Path) -> str | None:
    """The network filesystem type the folder is on ("cifs", "UNC", "remote drive"...), or None if local."""
    folder = Path(folder)
    if sys.platform == "win32":
        return _windows_remote(folder)
    return _linux_fs_type(folder)


def _linux_fs_type(folder: Path, mountinfo: str = "/proc/self/mountinfo") -> str | None:
    try:
        lines = Path(mountinfo).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    target = os.path.realpath(folder)
    best, best_type = "", None
    for line in lines:
        # "36 35 98:0 /mnt1 /mnt/parent rw,noatime master:1 - ext3 /dev/root rw,errors=continue"
        left, sep, right = line.partition(" - ")
        fields = left.split()
        if not sep or len(fields) < 5:
            continue
        mount_point = _unescape(fields[4])
        fs_type = right.split()[0] if right.split() else ""
        inside = target == mount_point or target.startswith(mount_point.rstrip("/") + "/")
        if inside and len(mount_point) >= len(best):
            best, best_type = mount_point, fs_type
    if best_type and (best_type in NETWORK_FS_TYPES or best_type.startswith(("nfs", "cifs", "smb"))):
        return best_type
    return None


def _unescape(path: str) -> str:
    # mountinfo writes space, tab, newline and backslash as octal escapes
    return path.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\")


def _windows_remote(folder: Path) -> str | None:
    text = str(folder)
    if text.startswith(("\\\\", "//")):
        return "UNC"
    import ctypes

    drive = os.path.splitdrive(os.path.abspath(text))[0]
    if not drive:
        return None
    drive_remote = 4  # DRIVE_REMOTE
    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    if kernel32.GetDriveTypeW(drive + "\\") == drive_remote:
        return "网络驱动器"
    return None
