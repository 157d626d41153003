#!/usr/bin/env bash
# The newcomer's check: the README's two set-up commands on stock OS roots.
#
#   sudo nice -n 10 packaging/fresh-os-check.sh [--bases-only] [OS ...]
#                                      (OS: bookworm trixie noble, the default; jammy works too)
#
# For each OS: a debootstrap (minbase) root with python3 and sudo only (no venv module, no Qt
# libraries, no pyenv), an ordinary user `dev` with password-less sudo, and a git clone of the
# current commit in ~dev. As that user it runs `./dev test -q` and then `./dev app --self-test`
# (offscreen), then revokes the user's sudo and runs `./dev test -q` again: that second run must
# pass without apt-get and without sudo (counted from apt's history and sudo's log).
# Prints per OS the pytest summary, the self-test's exit code and the times; logs are kept.
#
# Needs root (debootstrap, chroot, mounts), debootstrap, and the Debian and Ubuntu mirrors.
# Slow (minutes per OS; pip downloads Qt into each root): not part of CI.
# Environment: FRESH_OS_DIR (default /var/tmp/nfctagify-fresh-os) holds the cached pristine roots
# (base-OS/), the last run's roots and logs (run-OS/, OS.log) and each run's summary-*.txt;
# REBUILD_BASE=1 rebuilds the pristine roots.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="${FRESH_OS_DIR:-/var/tmp/nfctagify-fresh-os}"
COMMIT="$(git -C "$REPO" rev-parse HEAD)"
DEBIAN_MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
UBUNTU_MIRROR="${UBUNTU_MIRROR:-http://archive.ubuntu.com/ubuntu}"
USER_NAME=dev
# What a newcomer's desktop has anyway: a Python, sudo, certificates. Everything else is ./dev's job.
INCLUDE=python3,sudo,ca-certificates

[ "$(id -u)" -eq 0 ] || { echo "error: run as root (debootstrap, chroot and mounts need it)" >&2; exit 2; }
command -v debootstrap >/dev/null || { echo "error: apt-get install debootstrap" >&2; exit 2; }
if ! git -C "$REPO" diff --quiet HEAD; then
  echo "note: uncommitted changes are not checked: the roots get a clone of $COMMIT" >&2
fi
mkdir -p "$DIR"

reachable() { # mirror: fails fast with a clear message instead of a debootstrap timeout
  if ! (exec 3<>"/dev/tcp/$(echo "$1" | sed -E 's#^[a-z]+://([^/:]+).*#\1#')/80") 2>/dev/null; then
    echo "error: mirror $1 is not reachable" >&2; return 1
  fi
}

build_base() { # os -> $DIR/base-os, a pristine root kept between runs
  local os=$1 base="$DIR/base-$1" mirror script="" extra=()
  [ -f "$base/.complete" ] && [ -z "${REBUILD_BASE:-}" ] && return 0
  rm -rf "$base"
  case "$os" in
    noble|jammy)
      mirror=$UBUNTU_MIRROR; extra=("--components=main,universe")
      # Older debootstraps lack the newer Ubuntu names; every Ubuntu script is gutsy's.
      [ -e "/usr/share/debootstrap/scripts/$os" ] || script=/usr/share/debootstrap/scripts/gutsy
      # Debian does not ship Ubuntu's archive key: without it the first download is unverified;
      # apt inside the root then verifies against the key the root installed.
      [ -f /usr/share/keyrings/ubuntu-archive-keyring.gpg ] &&
        extra+=(--keyring=/usr/share/keyrings/ubuntu-archive-keyring.gpg) || extra+=(--no-check-gpg)
      ;;
    *) mirror=$DEBIAN_MIRROR ;;
  esac
  reachable "$mirror"
  echo "[$os] debootstrap (minbase) from $mirror"
  debootstrap --variant=minbase --include="$INCLUDE" "${extra[@]}" "$os" "$base" "$mirror" \
    ${script:+"$script"} >"$DIR/base-$os.log" 2>&1 || {
    echo "[$os] debootstrap failed: see $DIR/base-$os.log" >&2; tail -5 "$DIR/base-$os.log" >&2; return 1; }
  touch "$base/.complete"
}

write_sources() { # os root: the suites an installed system has (updates, security), not only the release
  case "$1" in
    noble|jammy)
      printf 'deb %s %s main universe\n' "$UBUNTU_MIRROR" "$1" "$UBUNTU_MIRROR" "$1-updates" \
        "$UBUNTU_MIRROR" "$1-security" >"$2/etc/apt/sources.list" ;;
    *)
      printf 'deb %s %s main\n' "$DEBIAN_MIRROR" "$1" "$DEBIAN_MIRROR" "$1-updates" \
        "${DEBIAN_MIRROR%/debian}/debian-security" "$1-security" >"$2/etc/apt/sources.list" ;;
  esac
}

mounts() { # up|down root
  local root=$1 m
  if [ "$2" = up ]; then
    MOUNTED+=("$root")
    mount -t proc proc "$root/proc"
    mount -t sysfs sys "$root/sys"
    mount --bind /dev "$root/dev"
    mount --bind /dev/pts "$root/dev/pts"
    mount -t tmpfs shm "$root/dev/shm"
  else
    for m in dev/shm dev/pts dev sys proc; do
      mountpoint -q "$root/$m" && umount -l "$root/$m"
    done
  fi
  return 0
}

as_user() { # root command : a login-like environment for the ordinary user
  # Ctrl+C back to its default: started in the background, this script inherits SIGINT ignored,
  # which a shell cannot undo and which the CLI's Ctrl+C test would then wait on forever.
  chroot "$1" runuser -u "$USER_NAME" -- env -i HOME="/home/$USER_NAME" USER="$USER_NAME" \
    LOGNAME="$USER_NAME" LANG=C.UTF-8 PATH=/usr/local/bin:/usr/bin:/bin TERM=dumb \
    python3 -c 'import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.execvp("bash", ["bash", "-c", "cd ~/nfctagify-desktop && " + sys.argv[1]])' "$2"
}

pytest_summary() { # log -> pytest's last "N passed ... in Ns" line, or nothing
  { grep -E '(passed|failed|error|no tests ran).* in [0-9.]+s' "$1" || true; } | tail -1 | tr -d '=' | xargs
}

count_lines() { if [ -f "$1" ]; then grep -c "$2" "$1" || true; else echo 0; fi; }

check_os() { # os -> prints one summary line, logs to $DIR/os.log
  local os=$1 root="$DIR/run-$1" log="$DIR/$1.log" t0 t1 t2 t3 rc_test rc_self rc_again
  build_base "$os" || { echo "$os: no root (debootstrap failed)" >>"$SUMMARY"; return 0; }
  if mountpoint -q "$root/proc" 2>/dev/null; then
    echo "[$os] $root is in use by another run: skipped" | tee -a "$SUMMARY"; return 0
  fi
  rm -rf "$root"
  cp -a "$DIR/base-$os" "$root"
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  write_sources "$os" "$root"
  # This machine's own network trust (an intercepting proxy's CA, say) goes into the root too:
  # the check is about the OS, not about this network.
  if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
    cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
    chroot "$root" update-ca-certificates >/dev/null 2>&1
    # Debian 12's bundled pip (23.0) trusts only its own certificates unless told.
    printf '[global]\ncert = /etc/ssl/certs/ca-certificates.crt\n' >"$root/etc/pip.conf"
  fi
  # What an installer writes and debootstrap does not (the tests reach their servers by "localhost").
  printf '127.0.0.1 localhost\n::1 localhost ip6-localhost ip6-loopback\n127.0.1.1 %s\n' \
    "$(cat "$root/etc/hostname" 2>/dev/null || hostname)" >"$root/etc/hosts"
  chroot "$root" useradd -m -s /bin/bash "$USER_NAME"
  printf 'Defaults logfile=/var/log/sudo.log\n%s ALL=(ALL) NOPASSWD: ALL\n' "$USER_NAME" \
    >"$root/etc/sudoers.d/$USER_NAME"
  chmod 440 "$root/etc/sudoers.d/$USER_NAME"
  git clone -q "$REPO" "$root/home/$USER_NAME/nfctagify-desktop"
  git -C "$root/home/$USER_NAME/nfctagify-desktop" checkout -q "$COMMIT"
  chroot "$root" chown -R "$USER_NAME:$USER_NAME" "/home/$USER_NAME"
  mounts "$root" up

  : >"$log"
  echo "[$os] ./dev test (first run, python3: $(chroot "$root" python3 -V 2>&1))" | tee -a "$log"
  t0=$(date +%s)
  rc_test=0; as_user "$root" './dev test -q -p no:cacheprovider' >>"$log" 2>&1 || rc_test=$?
  # An OS whose python3 is too old (Ubuntu 22.04): do what ./dev printed, as a newcomer would.
  local advice=""
  if [ "$rc_test" -ne 0 ] && grep -q "Python 3.11 or newer is needed" "$log"; then
    advice=$({ grep -m1 -E '^  sudo apt-get ' "$log" || true; } | sed -E 's/^ +//; s/ +#.*//')
    if [ -n "$advice" ]; then
      echo "[$os] ./dev said: $advice; doing it, then ./dev test again" | tee -a "$log"
      # Exactly as printed; "yes" answers apt's question (no terminal here).
      as_user "$root" "yes | { $advice; }" >>"$log" 2>&1 || true
      rc_test=0; as_user "$root" './dev test -q -p no:cacheprovider' >>"$log" 2>&1 || rc_test=$?
    fi
  fi
  t1=$(date +%s)
  echo "[$os] ./dev app --self-test" | tee -a "$log"
  rc_self=0; as_user "$root" 'QT_QPA_PLATFORM=offscreen ./dev app --self-test' >>"$log" 2>&1 || rc_self=$?
  t2=$(date +%s)

  # Second run on a machine with everything installed: no sudo rights at all, nothing may ask.
  local apt_before sudo_before apt_after sudo_after
  apt_before=$(count_lines "$root/var/log/apt/history.log" '^Start-Date')
  sudo_before=$(count_lines "$root/var/log/sudo.log" 'COMMAND=')
  rm "$root/etc/sudoers.d/$USER_NAME"
  echo "[$os] ./dev test (second run, sudo revoked)" | tee -a "$log"
  rc_again=0; as_user "$root" './dev test -q -p no:cacheprovider' >"$log.second" 2>&1 || rc_again=$?
  t3=$(date +%s)
  apt_after=$(count_lines "$root/var/log/apt/history.log" '^Start-Date')
  sudo_after=$(count_lines "$root/var/log/sudo.log" 'COMMAND=')

  local venv_py summary1 summary2
  venv_py=$(chroot "$root" "/home/$USER_NAME/nfctagify-desktop/.venv/bin/python" -V 2>&1 || echo "no venv")
  summary1=$(pytest_summary "$log"); summary2=$(pytest_summary "$log.second")
  cat "$log.second" >>"$log"; rm "$log.second"
  mounts "$root" down
  {
    echo "$os: venv $venv_py${advice:+ (after doing what ./dev printed: $advice)}"
    echo "  first ./dev test: exit $rc_test, ${summary1:-no pytest summary}, $((t1 - t0)) s (set-up included)"
    echo "  ./dev app --self-test: exit $rc_self, $((t2 - t1)) s"
    echo "  second ./dev test (sudo revoked): exit $rc_again, ${summary2:-no pytest summary}," \
      "$((t3 - t2)) s; apt-get runs $((apt_after - apt_before)), sudo calls $((sudo_after - sudo_before))"
    echo "  total $((t3 - t0)) s; log $log"
  } | tee -a "$SUMMARY"
}

MOUNTED=() # only this run's roots: another run may be using the same folder
cleanup() { local r; for r in "${MOUNTED[@]}"; do mounts "$r" down; done; return 0; }
trap cleanup EXIT

BASES_ONLY=""; [ "${1:-}" = --bases-only ] && { BASES_ONLY=1; shift; }
OSES=("$@"); [ ${#OSES[@]} -gt 0 ] || OSES=(bookworm trixie noble)
echo "commit $COMMIT; roots in $DIR"
for os in "${OSES[@]}"; do build_base "$os" || true; done
[ -z "$BASES_ONLY" ] || exit 0
SUMMARY="$DIR/summary-$(date +%Y%m%d-%H%M%S)-$$.txt"
: >"$SUMMARY"
for os in "${OSES[@]}"; do check_os "$os"; done
echo; echo "== fresh-OS check of $COMMIT =="; cat "$SUMMARY"
