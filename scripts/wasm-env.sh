# shellcheck shell=bash
# The environment for building the wasm front end. SOURCE it, in the process that builds wasm
# only (scripts/build.sh does). Native builds (cargo test, clippy) must not see it: on the Debian
# route it sets RUSTC_BOOTSTRAP and build-std, which would rebuild std for the host.
#
# Routes (chosen by mmrace_wasm_route in common.sh, forced with MMRACE_WASM_ROUTE=rustup|debian):
#   rustup - rustup's toolchain has the wasm32-unknown-unknown target: nothing extra needed.
#   debian - Debian's rustc-web/cargo-web 1.96 in /usr/bin, std built from rust-web-src
#            (RUSTC_BOOTSTRAP=1 + CARGO_UNSTABLE_BUILD_STD=std,panic_abort), /usr/bin first in
#            PATH so the `cargo` that build.sh runs for wasm32 is Debian's.
# Both: trunk and wasm-bindgen from ~/.cargo/bin, wasm-opt from node_modules/.bin (npm binaryen),
# and a separate target dir (target/wasm-build) so native and wasm builds never invalidate
# each other's artifacts.

# shellcheck source=scripts/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

MMRACE_WASM_ROUTE="$(mmrace_wasm_route)"
[ -n "$MMRACE_WASM_ROUTE" ] ||
  mmrace_die "no wasm toolchain: run 'bash scripts/setup.sh' first"
export MMRACE_WASM_ROUTE

mmrace_tool_path
if [ "$MMRACE_WASM_ROUTE" = rustup ]; then
  # rustup's proxies first, so `cargo` is never Debian's /usr/bin/cargo on this route.
  export PATH="$MMRACE_ROOT/node_modules/.bin:$(dirname "$(command -v rustup)"):$PATH"
else
  export PATH="$MMRACE_ROOT/node_modules/.bin:/usr/bin:$PATH"
  export RUSTC_BOOTSTRAP=1
  export CARGO_UNSTABLE_BUILD_STD=std,panic_abort
  # rustup proxies must not redirect to another toolchain.
  unset RUSTUP_TOOLCHAIN
fi
export CARGO_TARGET_DIR="$MMRACE_ROOT/target/wasm-build"
