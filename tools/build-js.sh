#!/usr/bin/env bash
# Builds the JS API package (SPEC §19): the engine compiled to wasm, wasm-bindgen's ES module
# (snaplab.js) with its TypeScript types (snaplab.d.ts), and the pages that use it
# (engine/js/: the benchmark page, a blank page for tests) — into $1, or into Trunk's staging
# folder as js/ when Trunk runs it as its post-build hook (Trunk.toml), or into dist/js.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-}"
if [ -z "$out" ]; then
  if [ -n "${TRUNK_STAGING_DIR:-}" ]; then out="$TRUNK_STAGING_DIR/js"; else out="$root/dist/js"; fi
fi
target_dir="${CARGO_TARGET_DIR:-$root/target}"

cd "$root"
cargo build -p snaplab-engine --lib --release --locked --target wasm32-unknown-unknown
mkdir -p "$out"
wasm-bindgen --target web --out-dir "$out" --out-name snaplab \
  "$target_dir/wasm32-unknown-unknown/release/snaplab_engine.wasm"
cp engine/js/*.html engine/js/*.js "$out/"
echo "[build-js] JS API in $out"
