#!/usr/bin/env bash
# Builds dist/weibao-desktop_<version>_<arch>.deb for UOS / 银河麒麟 / Debian / Ubuntu:
#   /opt/weibao-desktop/            the one-folder program (weibao opens the window, weibao-cli runs commands)
#   /usr/bin/weibao, weibao-cli     relative symlinks into it
#   /usr/share/applications/…       the 开始菜单 entry (Name[zh_CN]=未保工作站), icons in hicolor sizes
# Depends lists the system libraries the bundle does not carry, found with ldd on the bundle itself.
# No maintainer scripts: installing or removing the package never touches anyone's data folder.
#
# Needs nothing from a developer's .venv: the program is built in a virtual environment of its own under
# the build cache (WEIBAO_BUILD_CACHE, default ~/.cache/weibao-desktop-build), and the PyInstaller bundle is
# kept there per hash of the sources, so a second build of unchanged sources only packs the .deb.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PY=${PYTHON:-python3}
VERSION=$("$PY" installer/version.py --deb)
ARCH=$(dpkg --print-architecture)
CACHE=${WEIBAO_BUILD_CACHE:-$HOME/.cache/weibao-desktop-build}
PKG=weibao-desktop
OUT="$ROOT/dist/${PKG}_${VERSION}_${ARCH}.deb"

for tool in dpkg-deb dpkg-query ldd gzip "$PY"; do
  command -v "$tool" >/dev/null || { echo "缺少 $tool：请在 Debian/UOS/麒麟 系统上构建" >&2; exit 2; }
done

key=$( (cd "$ROOT" && find src installer pyproject.toml -type f ! -name '*.pyc' ! -path '*/__pycache__/*' -print0 \
        | sort -z | xargs -0 sha1sum; "$PY" --version) | sha1sum | cut -c1-16)
BUNDLE="$CACHE/bundle-$key"
mkdir -p "$CACHE"

if [ ! -x "$BUNDLE/weibao/weibao" ]; then
  echo "构建程序文件夹（PyInstaller）…"
  VENV="$CACHE/venv"
  [ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q --upgrade pip
  "$VENV/bin/python" -m pip install -q "pyinstaller>=6" ".[postgres]"
  "$VENV/bin/python" -m pip install -q --no-deps --force-reinstall .  # this tree's code, not a cached wheel
  rm -rf "$BUNDLE.tmp" "$CACHE/work"
  "$VENV/bin/python" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath "$BUNDLE.tmp" --workpath "$CACHE/work" installer/weibao.spec
  rm -rf "$BUNDLE" && mv "$BUNDLE.tmp" "$BUNDLE"
  # older bundles of other sources
  find "$CACHE" -maxdepth 1 -name 'bundle-*' ! -name "bundle-$key" -exec rm -rf {} +
fi

# the same sources packed before: nothing to do
if [ -f "$OUT" ] && [ "$(cat "$ROOT/dist/.deb-$ARCH.key" 2>/dev/null)" = "$key" ]; then
  echo "完成（未改动，沿用）：$OUT"
  exit 0
fi

STAGE="$CACHE/stage"
rm -rf "$STAGE"
mkdir -p "$STAGE/DEBIAN" "$STAGE/opt" "$STAGE/usr/bin" "$STAGE/usr/share/applications" "$STAGE/usr/share/doc/$PKG"
cp -a "$BUNDLE/weibao" "$STAGE/opt/$PKG"
ln -s "../../opt/$PKG/weibao" "$STAGE/usr/bin/weibao"
ln -s "../../opt/$PKG/weibao-cli" "$STAGE/usr/bin/weibao-cli"

ICON=src/weibao_desktop/resources/weibao.svg
for size in 16 32 48 64 128 256; do
  mkdir -p "$STAGE/usr/share/icons/hicolor/${size}x${size}/apps"
done
mkdir -p "$STAGE/usr/share/icons/hicolor/scalable/apps"
cp "$ICON" "$STAGE/usr/share/icons/hicolor/scalable/apps/$PKG.svg"
QT_QPA_PLATFORM=offscreen "$CACHE/venv/bin/python" installer/render_icons.py "$ICON" "$STAGE/usr/share/icons/hicolor" "$PKG"

cat > "$STAGE/usr/share/applications/$PKG.desktop" <<EOF
[Desktop Entry]
Type=Application
Name=Weibao Workstation
Name[zh_CN]=未保工作站
GenericName=Minor protection workstation
GenericName[zh_CN]=未成年人保护工作站
Comment=Child files, visits and ledgers for township minor-protection workstations
Comment[zh_CN]=儿童档案、走访与台账：乡镇未成年人保护工作站
Exec=/opt/$PKG/weibao
Icon=$PKG
Terminal=false
Categories=Office;
StartupWMClass=weibao
EOF

# Shared libraries are not programs (the wheels ship them executable): lintian's shared-library-is-executable.
find "$STAGE/opt/$PKG" -type f -name '*.so*' -exec chmod a-x {} +
mkdir -p "$STAGE/usr/share/man/man1"
gzip -9n -c installer/debian/weibao.1 > "$STAGE/usr/share/man/man1/weibao.1.gz"
ln -s weibao.1.gz "$STAGE/usr/share/man/man1/weibao-cli.1.gz"
cp installer/debian/copyright "$STAGE/usr/share/doc/$PKG/copyright"
gzip -9n -c installer/debian/changelog > "$STAGE/usr/share/doc/$PKG/changelog.gz"

# Depends: the packages of every shared library an ELF file of the bundle loads from outside the bundle.
depends=$("$PY" installer/deb_depends.py "$STAGE/opt/$PKG")

size_kb=$(du -sk "$STAGE" | cut -f1)
cat > "$STAGE/DEBIAN/control" <<EOF
Package: $PKG
Version: $VERSION
Architecture: $ARCH
Maintainer: weibao-desktop developers <weibao-desktop@users.noreply.invalid>
Installed-Size: $size_kb
Depends: $depends
Section: misc
Priority: optional
Description: offline workstation program for township minor-protection stations
 未保工作站: child files (一人一档), risk colours and visits, mandatory-report
 clues, hotline calls, help and referrals, Excel ledgers exchanged with the
 county office, and printed forms. Data stays on the computer in the user's
 data folder; removing this package never removes it.
EOF

mkdir -p "$ROOT/dist"
rm -f "$OUT"
dpkg-deb --root-owner-group -Zgzip --build "$STAGE" "$OUT.tmp" >/dev/null
mv "$OUT.tmp" "$OUT"
echo "$key" > "$ROOT/dist/.deb-$ARCH.key"
rm -rf "$STAGE"
echo "完成：$OUT"
