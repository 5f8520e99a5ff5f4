#!/usr/bin/env bash
# Installs everything the build and the tests need, idempotently: every step checks first and
# skips when its tool is already there, so a second run costs seconds.
#
# Made for this project's machines (Debian 12, root, apt + crates.io + npm reachable) and works
# on an ordinary rustup machine too. What it does:
#   1. wasm toolchain: rustup's wasm32-unknown-unknown target if present (or if `rustup target
#      add` works within MMRACE_RUSTUP_TIMEOUT seconds); otherwise the Debian route: apt
#      rustc-web cargo-web rust-web-src lld-22 (std is then built from source for wasm32; see
#      scripts/wasm-env.sh). MMRACE_WASM_ROUTE=rustup|debian forces a route.
#   2. apt: chromium, chromium-driver (browser tests); nodejs/npm and python3 only if missing.
#   3. cargo install: wasm-bindgen-cli at exactly Cargo.lock's wasm-bindgen version,
#      trunk $MMRACE_TRUNK_VERSION --locked.
#   4. npm ci (package-lock.json): playwright-core, axe-core, binaryen (wasm-opt).
set -euo pipefail

# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
MMRACE_LOG_TAG=setup
cd "$MMRACE_ROOT"

setup_start=$SECONDS
export DEBIAN_FRONTEND=noninteractive

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if mmrace_have sudo; then SUDO="sudo"; fi
fi

apt_updated=0
apt_missing() {
  local pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || echo "$pkg"
  done
}
apt_install() {
  local missing
  missing="$(apt_missing "$@" | tr '\n' ' ')"
  if [ -z "${missing// /}" ]; then
    mmrace_log "apt: already installed: $*"
    return 0
  fi
  mmrace_have apt-get || mmrace_die "apt-get not found; install by hand: $missing"
  if [ "$apt_updated" = 0 ]; then
    mmrace_log "apt-get update"
    $SUDO apt-get update -qq
    apt_updated=1
  fi
  mmrace_log "apt-get install $missing"
  # shellcheck disable=SC2086
  $SUDO apt-get install -y -qq $missing >/dev/null
}

# --- 1. wasm toolchain ------------------------------------------------------------------------
step_start=$SECONDS
route=""
case "${MMRACE_WASM_ROUTE:-}" in
  debian) route=debian ;;
  rustup)
    mmrace_rustup_has_wasm || rustup target add wasm32-unknown-unknown ||
      mmrace_die "MMRACE_WASM_ROUTE=rustup but 'rustup target add wasm32-unknown-unknown' failed"
    route=rustup
    ;;
  "")
    if mmrace_rustup_has_wasm; then
      route=rustup
    elif mmrace_debian_wasm_ok; then
      route=debian
    elif mmrace_have rustup; then
      mmrace_log "trying the ordinary route: rustup target add wasm32-unknown-unknown" \
        "(gives up after ${MMRACE_RUSTUP_TIMEOUT:-120}s)"
      if (cd "$MMRACE_ROOT" && timeout "${MMRACE_RUSTUP_TIMEOUT:-120}" \
        rustup target add wasm32-unknown-unknown) && mmrace_rustup_has_wasm; then
        route=rustup
      else
        mmrace_log "rustup could not add the wasm32 target; using the Debian route"
        route=debian
      fi
    else
      route=debian
    fi
    ;;
  *) mmrace_die "MMRACE_WASM_ROUTE must be rustup or debian" ;;
esac
if [ "$route" = debian ]; then
  apt_install rustc-web cargo-web rust-web-src lld-22
  mmrace_debian_wasm_ok || mmrace_die "Debian wasm route incomplete after install (see scripts/common.sh)"
fi
mmrace_log "wasm route: $route ($((SECONDS - step_start))s)"

# --- 2. system packages -----------------------------------------------------------------------
step_start=$SECONDS
pkgs=(chromium chromium-driver)
mmrace_have node || pkgs+=(nodejs)
mmrace_have npm || pkgs+=(npm)
mmrace_have python3 || pkgs+=(python3)
apt_install "${pkgs[@]}"
[ -x /usr/bin/chromium ] || mmrace_die "/usr/bin/chromium missing after install"
mmrace_log "system packages ok ($((SECONDS - step_start))s)"

# --- 3. native Rust tools and cargo-installed build tools -------------------------------------
step_start=$SECONDS
mmrace_have cargo || mmrace_die "cargo not found (the machine's rustup toolchain is expected)"
for component in rustfmt clippy; do
  sub=fmt
  [ "$component" = clippy ] && sub=clippy
  if ! cargo "$sub" --version >/dev/null 2>&1; then
    if mmrace_have rustup; then
      mmrace_log "rustup component add $component"
      rustup component add "$component" || mmrace_die "could not install $component"
    else
      mmrace_die "cargo $sub is missing"
    fi
  fi
done

mmrace_tool_path
wbg_version="$(mmrace_wasm_bindgen_version)"
[ -n "$wbg_version" ] || mmrace_die "no wasm-bindgen package in Cargo.lock"
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" = "$wbg_version" ]; then
  mmrace_log "wasm-bindgen-cli $wbg_version already installed"
else
  mmrace_log "cargo install wasm-bindgen-cli $wbg_version (a few minutes)"
  # --locked first; a lock entry the registry no longer serves makes it fail early, then
  # install without it.
  cargo install --quiet --locked wasm-bindgen-cli --version "=$wbg_version" ||
    cargo install --quiet wasm-bindgen-cli --version "=$wbg_version"
fi

if [ "$(trunk --version 2>/dev/null | awk '{print $2}')" = "$MMRACE_TRUNK_VERSION" ]; then
  mmrace_log "trunk $MMRACE_TRUNK_VERSION already installed"
else
  mmrace_log "cargo install trunk $MMRACE_TRUNK_VERSION --locked (about 8 minutes on 2 cores)"
  cargo install --quiet --locked trunk --version "=$MMRACE_TRUNK_VERSION"
fi
mmrace_log "cargo tools ok ($((SECONDS - step_start))s)"

# --- 4. node packages -------------------------------------------------------------------------
step_start=$SECONDS
stamp="node_modules/.mmrace-npm-stamp"
want="$(cat package-lock.json package.json | sha256sum | cut -d' ' -f1) node-$(node --version)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  mmrace_log "node_modules up to date"
else
  mmrace_log "npm ci"
  npm ci --no-audit --no-fund --loglevel=error >/dev/null
  echo "$want" >"$stamp"
fi
[ "$(wasm-opt --version 2>/dev/null | awk '{print $3}')" = "132" ] ||
  mmrace_die "node_modules/.bin/wasm-opt is not version 132 (Trunk.toml pins version_132)"
mmrace_log "node packages ok ($((SECONDS - step_start))s)"

mmrace_log "done in $((SECONDS - setup_start))s (wasm route: $route)"
