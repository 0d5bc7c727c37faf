#!/usr/bin/env bash
# Snaplab's one set-up step. Both README commands (tools/run.sh, tools/test.sh) source it first.
# It installs only what is missing and takes seconds when everything is present:
#   - the wasm32-unknown-unknown Rust target
#   - wasm-bindgen-cli at exactly the version of the wasm-bindgen crate in Cargo.lock
#   - trunk (pinned)
#   - wasm-opt from binaryen (npm, pinned in tools/package-lock.json; Debian's is too old)
#   - playwright-core, the end-to-end driver (npm, same lockfile; it never downloads a browser)
#   - Debian's chromium and chromium-driver, and fonts-noto-cjk (the Chinese console)
# Every step prints one line; any failure stops with a message and a non-zero exit.
# Nothing is downloaded except from the package registries (crates.io, npm, Debian).

set -euo pipefail

SNAPLAB_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export SNAPLAB_ROOT
TRUNK_VERSION="0.21.14"

say() { printf '[setup] %s\n' "$*"; }
fail() { printf '[setup] FAILED: %s\n' "$*" >&2; exit 1; }

export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$SNAPLAB_ROOT/tools/node_modules/.bin:$PATH"

command -v cargo >/dev/null || fail "cargo is not installed (install Rust with rustup first)"
command -v rustup >/dev/null || fail "rustup is not installed (it adds the wasm32 target)"

# 1. The wasm32 target.
if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "wasm32-unknown-unknown target: present"
else
  say "wasm32-unknown-unknown target: installing"
  rustup target add wasm32-unknown-unknown || fail "rustup target add wasm32-unknown-unknown"
fi

# 2. wasm-bindgen-cli, equal to the crate in Cargo.lock.
WB_VERSION="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' \
  "$SNAPLAB_ROOT/Cargo.lock")"
[ -n "$WB_VERSION" ] || fail "could not read the wasm-bindgen version from Cargo.lock"
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" = "$WB_VERSION" ] &&
   [ "$(wasm-bindgen-test-runner --version 2>/dev/null | awk '{print $2}')" = "$WB_VERSION" ]; then
  say "wasm-bindgen-cli $WB_VERSION: present"
else
  say "wasm-bindgen-cli $WB_VERSION: installing (about 2 minutes)"
  # No --locked: the registry mirror lacks a crate version its own lockfile pins (TOOLCHAIN.md).
  cargo install --quiet wasm-bindgen-cli --version "$WB_VERSION" --force ||
    fail "cargo install wasm-bindgen-cli --version $WB_VERSION"
fi

# 3. trunk.
if [ "$(trunk --version 2>/dev/null | awk '{print $2}')" = "$TRUNK_VERSION" ]; then
  say "trunk $TRUNK_VERSION: present"
else
  say "trunk $TRUNK_VERSION: installing (about 5 minutes)"
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install --quiet trunk --version "$TRUNK_VERSION" --locked --force ||
    fail "cargo install trunk --version $TRUNK_VERSION"
fi

# 4. npm tools: wasm-opt (binaryen) and playwright-core, pinned by tools/package-lock.json.
command -v npm >/dev/null || fail "npm is not installed (Node.js 18 or newer is needed)"
npm_ok() {
  [ -x "$SNAPLAB_ROOT/tools/node_modules/.bin/wasm-opt" ] &&
  [ -f "$SNAPLAB_ROOT/tools/node_modules/playwright-core/package.json" ] &&
  cmp -s "$SNAPLAB_ROOT/tools/package-lock.json" "$SNAPLAB_ROOT/tools/node_modules/.package-lock.json.snaplab"
}
if npm_ok; then
  say "npm tools (binaryen wasm-opt, playwright-core): present"
else
  say "npm tools (binaryen wasm-opt, playwright-core): installing"
  (cd "$SNAPLAB_ROOT/tools" && npm ci --no-audit --no-fund --loglevel=error) || fail "npm ci in tools/"
  cp "$SNAPLAB_ROOT/tools/package-lock.json" "$SNAPLAB_ROOT/tools/node_modules/.package-lock.json.snaplab"
fi
wasm-opt --version >/dev/null 2>&1 || fail "wasm-opt from tools/node_modules does not run"

# 5. Debian's chromium and chromium-driver, and a CJK font so that the Chinese console renders.
installed() { [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = installed ]; }
if command -v chromium >/dev/null && command -v chromedriver >/dev/null && installed fonts-noto-cjk; then
  say "chromium, chromium-driver and fonts-noto-cjk: present"
else
  say "chromium, chromium-driver and fonts-noto-cjk: installing from Debian"
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  apt_log="$(mktemp)"
  $SUDO apt-get update -qq </dev/null >"$apt_log" 2>&1 || { cat "$apt_log" >&2; fail "apt-get update"; }
  $SUDO apt-get install -y -qq chromium chromium-driver fonts-noto-cjk </dev/null >"$apt_log" 2>&1 ||
    { cat "$apt_log" >&2; fail "apt-get install chromium chromium-driver fonts-noto-cjk"; }
  rm -f "$apt_log"
fi

# 6. Crates, fetched once so that Trunk and the builds can run offline.
if cargo fetch --locked --quiet 2>/dev/null; then
  say "crates for Cargo.lock: present"
else
  fail "cargo fetch --locked (is Cargo.lock up to date with the Cargo.toml files?)"
fi

export CHROMEDRIVER="${CHROMEDRIVER:-$(command -v chromedriver)}"
export SNAPLAB_CHROMIUM="${SNAPLAB_CHROMIUM:-$(command -v chromium)}"
export TRUNK_SKIP_VERSION_CHECK=true
say "ready: wasm-bindgen $WB_VERSION, trunk $TRUNK_VERSION, $(wasm-opt --version), $("$SNAPLAB_CHROMIUM" --version 2>/dev/null | head -n1)"
