#!/usr/bin/env bash
# Build the frozen app and run its --self-test headless: what CI runs after the tests.
#
#   packaging/ci_smoke.sh [PYTHON]        (or PYTHON=/path/to/venv/python packaging/ci_smoke.sh)
#
# Linux: installs the system libraries that the build (so PyInstaller can resolve the xcb
# plugin's dependencies) and the frozen binary need, when apt-get is
# there and we are root; already-installed packages are fine. Fails on a non-zero self-test exit.
# Prints build time, size and self-test time. Budget: well under 5 minutes (build ~30 s here).
set -euo pipefail

PYTHON="${1:-${PYTHON:-python}}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

now() { "$PYTHON" -c 'import time; print(time.monotonic())'; }
elapsed() { "$PYTHON" -c "print(f'{$(now) - $1:.1f}')"; }

case "$(uname -s)" in
  Linux)
    EXE="dist/nfctagify-desktop/nfctagify-desktop"
    PKGS=(libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libxcb-shape0 libxcb-randr0
          libxcb-render-util0 libxcb-image0 libxcb-xkb1 libxkbcommon-x11-0 libxkbcommon0
          libegl1 libgl1 libfontconfig1 libfreetype6 libglib2.0-0 libdbus-1-3 binutils)
    missing=()
    for p in "${PKGS[@]}"; do
      # Debian 13 and Ubuntu 24.04 renamed some libraries (libglib2.0-0t64): either name will do.
      { dpkg-query -W -f='${Status}\n' "$p" "${p}t64" 2>/dev/null || true; } |
        grep -q "install ok installed" || missing+=("$p")
    done
    if ((${#missing[@]})); then
      SUDO="none"
      if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO="sudo"; fi
      if command -v apt-get >/dev/null && [ "$SUDO" != "none" ]; then
        echo "ci_smoke: installing ${missing[*]}"
        $SUDO apt-get update -qq || true
        # Package names differ between releases (libgl1 vs libgl1-mesa-glx...): try all, then
        # one by one, so one unknown name does not stop the rest.
        $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" \
          || for p in "${missing[@]}"; do
               $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$p" \
                 || echo "ci_smoke: could not install $p (continuing)"
             done
      else
        echo "ci_smoke: missing ${missing[*]} and cannot apt-get them (continuing)"
      fi
    fi
    ;;
  Darwin) EXE="dist/nfctagify-desktop/nfctagify-desktop" ;;
  MINGW*|MSYS*|CYGWIN*|Windows_NT) EXE="dist/nfctagify-desktop/nfctagify-desktop.exe" ;;
  *) EXE="dist/nfctagify-desktop/nfctagify-desktop" ;;
esac

echo "ci_smoke: building with $("$PYTHON" -c 'import sys; print(sys.executable, sys.version.split()[0])')"
t0=$(now)
# shellcheck disable=SC2086  # NFCTAGIFY_BUILD_ARGS is a word list, e.g. "--clean"
"$PYTHON" packaging/build.py ${NFCTAGIFY_BUILD_ARGS:-} || { echo "ci_smoke: build failed"; exit 1; }
echo "ci_smoke: build took $(elapsed "$t0") s"
[ -x "$EXE" ] || { echo "ci_smoke: $EXE missing"; exit 1; }

# Isolate the self-test from any user data and real keyring.
SMOKE_HOME="$(mktemp -d)"
trap 'rm -rf "$SMOKE_HOME"' EXIT
NFCTAGIFY_HOME="$SMOKE_HOME"
command -v cygpath >/dev/null && NFCTAGIFY_HOME="$(cygpath -w "$SMOKE_HOME")"  # Git Bash
export NFCTAGIFY_HOME QT_QPA_PLATFORM=offscreen
export PYTHON_KEYRING_BACKEND="${PYTHON_KEYRING_BACKEND:-keyring.backends.null.Keyring}"

t0=$(now)
set +e
# Only GNU timeout: on Windows, timeout.exe may shadow it and means something else.
if [ "$(uname -s)" = Linux ] && command -v timeout >/dev/null; then
  timeout 120 "$EXE" --self-test
else
  "$EXE" --self-test
fi
rc=$?
set -e
echo "ci_smoke: self-test exit $rc after $(elapsed "$t0") s"
echo "ci_smoke: version: $("$EXE" --version 2>/dev/null || echo '?')"
du -sh dist/nfctagify-desktop 2>/dev/null | sed 's/^/ci_smoke: size /' || true
exit "$rc"
