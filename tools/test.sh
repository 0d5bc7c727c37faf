#!/usr/bin/env bash
# The README's test command: sets up what is missing, then runs every suite.
#   0. format:      cargo fmt --all --check (rustfmt.toml)
#   1. lint:        cargo clippy -D warnings, natively (every target) and for wasm32
#   2. native:      cargo test --workspace (engine unit, property and storage tests; web unit tests)
#   3. browser:     the engine's tests inside headless Chromium (wasm-bindgen-test, IndexedDB)
#   4. build:       the release app with Trunk (offline, pinned tools)
#   5. end-to-end:  node --test tests/e2e/ drives the release build in headless Chromium
# Every suite runs even when an earlier one fails (the e2e suite needs the build); the exit
# status is non-zero when any failed. Works without a terminal and with CI=true.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=tools/setup.sh
source "$here/setup.sh" || exit 1
cd "$SNAPLAB_ROOT" || exit 1

failed=()
started=$SECONDS
suite() {
  local name="$1"; shift
  printf '\n[test] === %s: %s\n' "$name" "$*"
  local t0=$SECONDS
  if "$@"; then
    printf '[test] --- %s passed (%ss)\n' "$name" "$((SECONDS - t0))"
  else
    printf '[test] --- %s FAILED (%ss)\n' "$name" "$((SECONDS - t0))"
    failed+=("$name")
    return 1
  fi
}

suite format cargo fmt --all --check
lint() {
  cargo clippy --workspace --all-targets --locked -- -D warnings &&
    cargo clippy -p snaplab-engine --all-targets --target wasm32-unknown-unknown --locked -- -D warnings &&
    cargo clippy -p snaplab-web --target wasm32-unknown-unknown --locked -- -D warnings
}
suite lint lint
suite native cargo test --workspace --locked
suite browser cargo test -p snaplab-engine --locked --target wasm32-unknown-unknown
if suite build trunk build --release; then
  suite e2e node --test --test-concurrency=1 tests/e2e/
else
  failed+=("e2e (not run: no build)")
fi

printf '\n[test] %d suites in %ss; ' 6 "$((SECONDS - started))"
if [ ${#failed[@]} -eq 0 ]; then
  echo "all passed"
else
  echo "FAILED: ${failed[*]}"
  exit 1
fi
