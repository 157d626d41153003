#!/usr/bin/env bash
# Install the one-folder Linux build for the current user (or system-wide with --system, as root).
#
#   packaging/install-linux.sh [--system] [--uninstall] [DIST_DIR]
#
# DIST_DIR defaults to dist/nfctagify-desktop (the output of packaging/build.py) and must hold
# nfctagify-desktop and _internal/. Per user it lays out, following the XDG base directories:
#   ~/.local/opt/nfctagify-desktop/                    the bundle
#   ~/.local/bin/nfctagify-desktop                     symlink (Exec= in the .desktop file)
#   ~/.local/share/applications/nfctagify-desktop.desktop
#   ~/.local/share/icons/hicolor/<N>x<N>/apps/nfctagify-desktop.png
# --system uses /opt, /usr/local/bin and /usr/local/share instead.
set -euo pipefail

APP=nfctagify-desktop
SYSTEM=0
UNINSTALL=0
SRC=""
for arg in "$@"; do
  case "$arg" in
    --system) SYSTEM=1 ;;
    --uninstall) UNINSTALL=1 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) SRC="$arg" ;;
  esac
done
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SRC="${SRC:-$ROOT/dist/$APP}"

if [ "$SYSTEM" -eq 1 ]; then
  OPT=/opt/$APP; BIN=/usr/local/bin; SHARE=/usr/local/share
else
  OPT="${XDG_DATA_HOME:-$HOME/.local/share}/../opt/$APP"
  OPT="$(mkdir -p "$(dirname "$OPT")" && cd "$(dirname "$OPT")" && pwd)/$APP"
  BIN="$HOME/.local/bin"; SHARE="${XDG_DATA_HOME:-$HOME/.local/share}"
fi
SIZES=(16 24 32 48 64 128 256 512)

refresh() {
  command -v update-desktop-database >/dev/null && update-desktop-database -q "$SHARE/applications" || true
  command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$SHARE/icons/hicolor" || true
}

if [ "$UNINSTALL" -eq 1 ]; then
  rm -rf "$OPT"
  rm -f "$BIN/$APP" "$SHARE/applications/$APP.desktop"
  for n in "${SIZES[@]}"; do rm -f "$SHARE/icons/hicolor/${n}x${n}/apps/$APP.png"; done
  refresh
  echo "removed $APP"
  exit 0
fi

[ -x "$SRC/$APP" ] || { echo "no build at $SRC: run python packaging/build.py first" >&2; exit 1; }
RES="$SRC/_internal/resources"
[ -d "$RES" ] || RES="$ROOT/resources"

rm -rf "$OPT"
mkdir -p "$OPT" "$BIN" "$SHARE/applications"
cp -a "$SRC/." "$OPT/"
ln -sfn "$OPT/$APP" "$BIN/$APP"
install -m 644 "$RES/$APP.desktop" "$SHARE/applications/$APP.desktop"
for n in "${SIZES[@]}"; do
  install -D -m 644 "$RES/icons/nfctagify-$n.png" "$SHARE/icons/hicolor/${n}x${n}/apps/$APP.png"
done
refresh
echo "installed $APP to $OPT (launcher: $BIN/$APP)"
case ":$PATH:" in *":$BIN:"*) ;; *) echo "note: $BIN is not on PATH; the menu entry needs it there" ;; esac
