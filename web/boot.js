// Starts the console: imports wasm-bindgen's glue and instantiates the wasm. Trunk would inline
// this as a <script type="module"> in index.html; the Content-Security-Policy allows no inline
// script, so Trunk.toml's pattern_script loads this file instead and passes the hashed file
// names in data attributes (a module script has no document.currentScript).
const boot = document.querySelector('script[data-snaplab-boot]');
const { default: init } = await import(boot.dataset.js);
await init({ module_or_path: boot.dataset.wasm });
