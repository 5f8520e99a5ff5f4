#!/usr/bin/env bash
# Prints raw and gzip sizes of the wasm, JS and CSS in dist/ (see scripts/bundle-report.mjs).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec node scripts/bundle-report.mjs "${1:-dist}"
