"""The files that build installers elsewhere (Windows, GitHub) cannot run here: check what can be checked."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from weibao_desktop import __version__

ROOT = Path(__file__).resolve().parents[2]


def test_release_workflow_is_valid_yaml_by_yamllint():
    result = subprocess.run([sys.executable, "-m", "yamllint", "-c", str(ROOT / ".yamllint.yml"), "-f", "parsable",
                             str(ROOT / ".github" / "workflows" / "release.yml")], capture_output=True, text=True,
                            encoding="utf-8")
    assert result.returncode == 0, result.stdout + result.stderr


def test_release_workflow_builds_every_installer_after_the_tests():
    import yaml  # yamllint's own parser

    flow = yaml.safe_load((ROOT / ".github" / "workflows" / "release.yml").read_text(encoding="utf-8"))
    jobs = flow["jobs"]
    assert {"test-linux", "test-windows", "windows-installer", "deb", "publish"} <= set(jobs)
    assert jobs["windows-installer"]["needs"] == ["test-windows"] and jobs["deb"]["needs"] == ["test-linux"]
    assert jobs["test-windows"]["runs-on"] == "windows-latest"
    assert "ubuntu-22.04-arm" in jobs["deb"]["strategy"]["matrix"]["runner"]  # 飞腾/鲲鹏
    steps = " ".join(str(s.get("run", "")) for s in jobs["windows-installer"]["steps"])
    assert "weibao.iss" in steps and "MyAppVersion" in steps


def test_inno_setup_script_is_per_user_chinese_and_keeps_data():
    iss = (ROOT / "installer" / "windows" / "weibao.iss").read_text(encoding="utf-8")
    settings = dict(re.findall(r"^(\w+)=(.*)$", iss, re.MULTILINE))
    assert settings["PrivilegesRequired"] == "lowest"
    assert settings["AppVersion"] == "{#MyAppVersion}" and "{#MyAppVersion}" in settings["OutputBaseFilename"]
    assert settings["MinVersion"] == "10.0.17763"  # Windows 10 1809, the oldest Qt 6 runs on
    assert "ChineseSimplified.isl" in iss and "{autodesktop}" in iss and "{autoprograms}" in iss
    assert "[UninstallDelete]" not in iss.replace("; No [UninstallDelete]", "")
    isl = (ROOT / "installer" / "windows" / "ChineseSimplified.isl").read_text(encoding="utf-8")
    assert "ButtonNext=下一步" in isl and "LanguageID=$0804" in isl


def test_one_version_everywhere():
    assert subprocess.run([sys.executable, str(ROOT / "installer" / "version.py")], capture_output=True,
                          text=True).stdout.strip() == __version__
    deb = subprocess.run([sys.executable, str(ROOT / "installer" / "version.py"), "--deb"], capture_output=True,
                         text=True).stdout.strip()
    assert deb == __version__.replace(".dev", "~dev")  # dpkg puts 0.2.0~dev0 before 0.2.0, as pip does
    debian = (ROOT / "installer" / "debian" / "changelog").read_text(encoding="utf-8")
    assert debian.startswith(f"weibao-desktop ({deb})")
    assert f"## {__version__}" in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'dynamic = ["version"]' in pyproject and "weibao_desktop.__version__" in pyproject
