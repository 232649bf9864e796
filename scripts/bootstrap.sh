#!/usr/bin/env bash
# Idempotent prerequisites for FedLayers. Quiet when there is nothing to do.
#  1. TorchSharp 0.107's native wrapper needs libstdc++ with GLIBCXX_3.4.32 (GCC 13+).
#     Debian 12 ships GCC 12, so there we take libstdc++6 from Debian 13 (trixie),
#     pinned at priority 100 so nothing else moves to trixie by accident.
#  2. Fashion-MNIST comes from the Debian package dataset-fashion-mnist.
set -euo pipefail

log() { printf 'bootstrap: %s\n' "$*" >&2; }
die() { printf 'bootstrap: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else die "need root (or sudo) to run: $*"
  fi
}

# apt output is shown only when a step fails, so a successful set-up stays quiet.
quietly() {
  local log
  log=$(mktemp)
  if ! "$@" >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    die "failed: $*"
  fi
  rm -f "$log"
}

apt_updated=0
apt_update_once() {
  if [ "$apt_updated" -eq 0 ]; then
    quietly as_root apt-get update
    apt_updated=1
  fi
}

libstdcxx_path() {
  local p
  for p in /usr/lib/x86_64-linux-gnu/libstdc++.so.6 /usr/lib/aarch64-linux-gnu/libstdc++.so.6 /usr/lib64/libstdc++.so.6 /usr/lib/libstdc++.so.6; do
    [ -e "$p" ] && { echo "$p"; return; }
  done
}

has_glibcxx_3_4_32() {
  local lib
  lib=$(libstdcxx_path)
  [ -n "$lib" ] && grep -qa 'GLIBCXX_3\.4\.32' "$lib"
}

is_debian_12() {
  [ -r /etc/os-release ] || return 1
  # shellcheck disable=SC1091
  . /etc/os-release
  [ "${ID:-}" = debian ] && [ "${VERSION_ID:-}" = 12 ]
}

ensure_libstdcxx() {
  has_glibcxx_3_4_32 && return 0
  if ! is_debian_12; then
    die "TorchSharp 0.107 needs libstdc++ with GLIBCXX_3.4.32 (GCC 13 or newer); $(libstdcxx_path || echo 'no libstdc++.so.6') lacks it. Install a newer libstdc++6 for this system and run again."
  fi
  log "installing libstdc++6 from Debian 13 (trixie) for TorchSharp (GLIBCXX_3.4.32)"
  as_root tee /etc/apt/sources.list.d/fedlayers-trixie.sources >/dev/null <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  as_root tee /etc/apt/preferences.d/fedlayers-trixie >/dev/null <<'PIN'
Package: *
Pin: release n=trixie
Pin-Priority: 100
PIN
  apt_updated=0
  apt_update_once
  quietly as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -t trixie libstdc++6
  has_glibcxx_3_4_32 || die "libstdc++6 from trixie was installed but GLIBCXX_3.4.32 is still missing in $(libstdcxx_path)"
}

ensure_fashion_mnist() {
  [ -r /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ] && return 0
  log "installing the Debian package dataset-fashion-mnist"
  apt_update_once
  quietly as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y dataset-fashion-mnist
}

ensure_libstdcxx
ensure_fashion_mnist
