"""The .deb a UOS/麒麟 desktop installs: built from this tree without the developer's .venv, installed with
apt-get (so its Depends resolve), run as a clerk would, then removed, leaving the clerk's data in place.

Needs root on a Debian-family system (CI runs as root on Debian); elsewhere it is skipped, except in CI,
where a missing prerequisite fails. The PyInstaller bundle is cached per hash of the sources
(installer/build-deb.sh), so only the first run after a change of src/ pays for the build."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from weibao_desktop import __version__

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "weibao-desktop"
DEB_VERSION = subprocess.run([sys.executable, str(ROOT / "installer" / "version.py"), "--deb"], capture_output=True,
                             text=True, check=True).stdout.strip()


def _clean_env() -> dict[str, str]:
    """The environment of a desktop session: no virtual environment, no project sources on the path."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "/usr/bin:/bin").split(os.pathsep) if ".venv" not in p)
    env["DEBIAN_FRONTEND"] = "noninteractive"
    return env


def _need(condition: bool, why: str) -> None:
    if not condition:
        if os.environ.get("CI"):
            pytest.fail(f"the .deb test must run in CI: {why}")
        pytest.skip(why)


@pytest.fixture(scope="module")
def deb() -> Path:
    _need(Path("/etc/debian_version").exists(), "not a Debian-family system")
    _need(hasattr(os, "geteuid") and os.geteuid() == 0, "installing a .deb needs root")
    _need(all(shutil.which(t) for t in ("dpkg-deb", "apt-get", "ldd")), "dpkg-deb, apt-get or ldd missing")
    result = subprocess.run([str(ROOT / "installer" / "build-deb.sh")], cwd=ROOT, env=_clean_env(),
                            capture_output=True, text=True, encoding="utf-8", timeout=1800)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    arch = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True).stdout.strip()
    path = ROOT / "dist" / f"{PACKAGE}_{DEB_VERSION}_{arch}.deb"
    assert path.exists(), result.stdout[-2000:]
    return path


def _run(*args: str, env: dict | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run(list(args), capture_output=True, text=True, encoding="utf-8", env=env or _clean_env(),
                          timeout=timeout)


def test_the_package_says_what_it_is_and_needs(deb):
    info = _run("dpkg-deb", "-f", str(deb), "Package", "Version", "Depends").stdout
    assert f"Package: {PACKAGE}" in info and f"Version: {DEB_VERSION}" in info
    assert "libxcb-cursor0" in info and "libc6" in info  # found by ldd on the bundle, plus the runtime plugin's
    listing = _run("dpkg-deb", "-c", str(deb)).stdout
    assert any(line.endswith("./opt/weibao-desktop/weibao") for line in listing.splitlines())
    assert any(line.endswith("./opt/weibao-desktop/weibao-cli") for line in listing.splitlines())
    assert "./usr/bin/weibao -> ../../opt/weibao-desktop/weibao" in listing
    assert "./usr/share/icons/hicolor/48x48/apps/weibao-desktop.png" in listing
    from weibao_desktop.ui.manual import CHAPTERS

    manual = "./opt/weibao-desktop/_internal/weibao_desktop/resources/manual/"
    for chapter, _title in CHAPTERS:  # 用户手册 (F1) is inside the program, with its pictures
        assert manual + chapter in listing, chapter
    assert f"{manual}images/dashboard.png" in listing
    control = _run("dpkg-deb", "-I", str(deb)).stdout
    for script in ("preinst", "postinst", "prerm", "postrm"):
        assert f" {script} " not in control, "no maintainer script: installing never touches a data folder"


def test_installed_program_runs_and_removing_it_keeps_the_data(deb, tmp_path):
    env = _clean_env()
    installed = _run("apt-get", "install", "-y", "-qq", "--no-install-recommends", str(deb), env=env, timeout=900)
    assert installed.returncode == 0, installed.stdout[-2000:] + installed.stderr[-2000:]
    data = tmp_path / "station"
    try:
        assert os.path.islink("/usr/bin/weibao") and not os.readlink("/usr/bin/weibao").startswith("/")
        desktop = Path("/usr/share/applications/weibao-desktop.desktop").read_text(encoding="utf-8")
        assert "Name[zh_CN]=未保工作站" in desktop and "Categories=Office;" in desktop
        version = _run("weibao", "--version", env=env)
        assert version.returncode == 0 and __version__ in version.stdout
        # First start, as a clerk double-clicks it: no password given, an empty data folder: the setup window.
        clerk = {k: v for k, v in env.items() if k not in ("WEIBAO_PASSWORD", "WEIBAO_USER")}
        clerk["QT_QPA_PLATFORM"] = "offscreen"
        setup = tmp_path / "setup.png"
        first = _run("weibao", "--data-dir", str(data), "gui", "--screenshot", str(setup), env=clerk, timeout=120)
        assert first.returncode == 0, first.stderr
        _assert_picture(setup, "首次使用设置")
        assert not data.exists() or not any(data.iterdir())  # cancelled: nothing made
        base = ["weibao", "--data-dir", str(data), "--user", "测试站长"]
        init = _run(*base, "init", "--station", "测试镇", "--code", "430104001000", "--county", "岳麓区", env=env)
        assert init.returncode == 0, init.stderr
        demo = _run(*base, "demo", "--children", "30", "--visits-per-child", "2", env=env)
        assert demo.returncode == 0, demo.stderr
        login = tmp_path / "login.png"  # then every start asks for the password
        asked = _run("weibao", "--data-dir", str(data), "gui", "--screenshot", str(login), env=clerk, timeout=120)
        assert asked.returncode == 0, asked.stderr
        _assert_picture(login, "登录")
        stats = _run("weibao-cli", "--data-dir", str(data), "--user", "测试站长", "stats", env=env)
        assert stats.returncode == 0 and "\n在册 30 人，" in stats.stdout, stats.stdout + stats.stderr
        shot = tmp_path / "first-page.png"
        window = _run(*base, "gui", "--screenshot", str(shot), env={**env, "QT_QPA_PLATFORM": "offscreen"}, timeout=120)
        assert window.returncode == 0, window.stderr
        _assert_picture(shot, "主窗口", width=600, height=400)  # with its first page drawn
        store_files = sorted(p.name for p in data.iterdir())
    finally:
        removed = _run("dpkg", "-r", PACKAGE, env=env)
    assert removed.returncode == 0, removed.stderr
    assert not Path("/opt/weibao-desktop").exists() and not Path("/usr/bin/weibao").exists()
    assert (data / "weibao.sqlite3").exists() and sorted(p.name for p in data.iterdir()) == store_files


def _assert_picture(path: Path, what: str, width: int = 250, height: int = 100) -> None:
    """A window was drawn: a PNG of a window's size with more than a few colours (text, fields, buttons)."""
    from PySide6.QtGui import QImage

    image = QImage(str(path))
    assert image.width() > width and image.height() > height, (what, image.width(), image.height())
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
    assert len(colours) > 8, (what, len(colours))
