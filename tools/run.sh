#!/usr/bin/env bash
# The README's run command: sets up what is missing, builds the release app and serves it.
#   PORT (default 8080) and ADDRESS (default 127.0.0.1) choose where.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=tools/setup.sh
source "$here/setup.sh"
cd "$SNAPLAB_ROOT"

PORT="${PORT:-8080}"
ADDRESS="${ADDRESS:-127.0.0.1}"
trunk build --release
echo "[run] Snaplab is served at http://$ADDRESS:$PORT/ (Ctrl-C stops it)"
exec trunk serve --release --address "$ADDRESS" --port "$PORT"
