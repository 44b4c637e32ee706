#!/usr/bin/env bash
# Builds the one-folder program (dist/weibao/: weibao opens the window, weibao-cli runs commands)
# with PyInstaller, in the project's .venv. Run on the system you build for: PyInstaller does not
# cross-compile, so the Windows folder is built on Windows (same spec, `pyinstaller installer\weibao.spec`).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${WEIBAO_VENV:-.venv}
[ -x "$VENV/bin/python" ] || { echo "请先运行 ./dev.sh test 或 ./dev.sh run 建立 .venv" >&2; exit 2; }
"$VENV/bin/python" -m pip install -q "pyinstaller>=6"
"$VENV/bin/python" -m PyInstaller --noconfirm --clean installer/weibao.spec
echo "完成：dist/weibao/weibao（图形界面）、dist/weibao/weibao-cli（命令行）"
