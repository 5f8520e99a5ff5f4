#!/usr/bin/env bash
# Prints raw and gzip sizes of the wasm, JS and CSS in dist/; with --budget also checks the first-load
# byte budget and that no test-only code ships (see scripts/bundle-report.mjs). Args: [dist-dir] [--budget]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec node scripts/bundle-report.mjs "$@"
