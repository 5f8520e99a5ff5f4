#!/usr/bin/env bash
# Sets up, builds dist/ and serves it on http://127.0.0.1:8080/ (PORT=... to change) until ^C.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/setup.sh
MMRACE_SETUP_DONE=1 bash scripts/build.sh

port="${PORT:-8080}"
echo
echo "mmrace is served at http://127.0.0.1:${port}/  (Ctrl+C to stop)"
echo
exec python3 -m http.server "$port" --bind 127.0.0.1 --directory dist
