# shellcheck shell=bash
# Helpers shared by the mmrace scripts. Source it; it changes nothing by itself.

MMRACE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export MMRACE_ROOT

# Pinned tool versions. wasm-bindgen-cli is NOT pinned here: it must equal the wasm-bindgen
# crate in Cargo.lock, so it is read from there (mmrace_wasm_bindgen_version).
MMRACE_TRUNK_VERSION="0.21.14"
# wasm-opt comes from the npm package binaryen (version in package.json / package-lock.json).

mmrace_log() { printf '[%s] %s\n' "${MMRACE_LOG_TAG:-mmrace}" "$*" >&2; }
mmrace_die() { mmrace_log "ERROR: $*"; exit 1; }
mmrace_have() { command -v "$1" >/dev/null 2>&1; }

# Version of the wasm-bindgen crate in Cargo.lock (e.g. 0.2.130).
mmrace_wasm_bindgen_version() {
  awk '
    $0 == "[[package]]" { name = "" }
    $1 == "name" && $3 == "\"wasm-bindgen\"" { name = "wasm-bindgen" }
    name == "wasm-bindgen" && $1 == "version" { gsub(/"/, "", $3); print $3; exit }
  ' "$MMRACE_ROOT/Cargo.lock"
}

# The ordinary route: rustup's active toolchain has the wasm32 standard library.
mmrace_rustup_has_wasm() {
  mmrace_have rustup &&
    (cd "$MMRACE_ROOT" && rustup target list --installed 2>/dev/null) | grep -qx 'wasm32-unknown-unknown'
}

# The Debian route (README, "The two commands"): Debian's rustc/cargo (rustc-web, cargo-web)
# with std sources (rust-web-src) to build std for wasm32, and rust-lld (lld-22) to link.
mmrace_debian_wasm_ok() {
  [ -x /usr/bin/rustc ] && [ -x /usr/bin/cargo ] && [ -e /usr/bin/rust-lld ] &&
    [ -d /usr/lib/rustlib/src/rust/library/std ] &&
    [ "$(/usr/bin/rustc --print sysroot 2>/dev/null)" = "/usr" ]
}

# Which route builds wasm here: "rustup", "debian" or "" (none ready; run scripts/setup.sh).
# MMRACE_WASM_ROUTE=rustup|debian forces one.
mmrace_wasm_route() {
  case "${MMRACE_WASM_ROUTE:-}" in
    rustup | debian)
      echo "$MMRACE_WASM_ROUTE"
      return
      ;;
    "") ;;
    *) mmrace_die "MMRACE_WASM_ROUTE must be rustup or debian, not '$MMRACE_WASM_ROUTE'" ;;
  esac
  if mmrace_rustup_has_wasm; then
    echo rustup
  elif mmrace_debian_wasm_ok; then
    echo debian
  else
    echo ""
  fi
}

mmrace_cargo_bin() { echo "${CARGO_HOME:-$HOME/.cargo}/bin"; }

# Puts cargo-installed tools (trunk, wasm-bindgen) and node_modules/.bin on PATH, keeping order.
mmrace_tool_path() {
  local cargo_bin
  cargo_bin="$(mmrace_cargo_bin)"
  case ":$PATH:" in *":$cargo_bin:"*) ;; *) PATH="$PATH:$cargo_bin" ;; esac
  PATH="$MMRACE_ROOT/node_modules/.bin:$PATH"
  export PATH
}
