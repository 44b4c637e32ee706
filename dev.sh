#!/usr/bin/env bash
# Sets everything up on a fresh Debian/Ubuntu machine, then:
#   ./dev.sh run    opens the program on a demo database (./demo-data)
#   ./dev.sh test   runs the whole test suite
# Safe to run again: each step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
VENV=${WEIBAO_VENV:-$ROOT/.venv}

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

# Qt's runtime libraries and a CJK font (without one, Chinese shows as boxes); for printed forms a Song
# face (AR PL UMing) and 花園明朝 for rare characters outside the BMP such as 𠮷.
RUN_DEBS="python3-venv libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libglib2.0-0
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-randr0 libxcb-render-util0 libxcb-xinerama0
  libxcb-image0 fonts-wqy-microhei fonts-wqy-zenhei fonts-arphic-uming fonts-hanazono"
# What the tests drive as a user would: a real office program, PDF tools, a PostgreSQL server.
TEST_DEBS="libreoffice-calc python3-uno poppler-utils postgresql xvfb"

apt_install() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "安装系统软件包：${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

python_env() {
  local py=${PYTHON:-python3}
  if [ ! -x "$VENV/bin/python" ]; then
    "$py" -m venv "$VENV"
  fi
  local stamp="$VENV/.installed-$(sha1sum pyproject.toml | cut -c1-12)"
  if [ ! -f "$stamp" ]; then
    "$VENV/bin/python" -m pip install -q --upgrade pip
    "$VENV/bin/python" -m pip install -q --only-binary sqlcipher3,sqlcipher3-wheels -e ".[test,postgres,bench]"
    touch "$stamp"
  fi
}

case "${1:-}" in
  run)
    apt_install $RUN_DEBS
    python_env
    DATA=${WEIBAO_DATA_DIR:-$ROOT/demo-data}
    # The demo store is encrypted like any other; its account is fixed and printed in README.md.
    export WEIBAO_USER=${WEIBAO_USER:-演示管理员} WEIBAO_PASSWORD=${WEIBAO_PASSWORD:-demo1234}
    if [ -z "${WEIBAO_DATA_DIR:-}" ] && [ -f "$DATA/weibao.sqlite3" ] && [ ! -f "$DATA/weibao.sqlite3.keys" ]; then
      rm -rf "$DATA"  # a plain demo store from before encryption (its admin was 陈站长): made again
    fi
    if [ ! -f "$DATA/weibao.sqlite3" ]; then
      "$VENV/bin/weibao" --data-dir "$DATA" init --station 示范镇 --code 430104001000 --county 岳麓区 >/dev/null
      "$VENV/bin/weibao" --data-dir "$DATA" demo --children 3000 --visits-per-child 10
      echo "演示数据库已加密；演示账号：$WEIBAO_USER，密码：$WEIBAO_PASSWORD"
    fi
    shift
    exec "$VENV/bin/weibao" --data-dir "$DATA" "$@"
    ;;
  test)
    apt_install $RUN_DEBS $TEST_DEBS
    python_env
    shift
    # Style and types first: a lint or type error fails the run before the tests start (config in pyproject.toml).
    echo "ruff…" && "$VENV/bin/ruff" check src tests bench installer
    echo "mypy…" && "$VENV/bin/mypy"
    export QT_QPA_PLATFORM=offscreen
    exec "$VENV/bin/python" -m pytest "$@"
    ;;
  *)
    echo "用法：./dev.sh run | ./dev.sh test" >&2
    exit 2
    ;;
esac
