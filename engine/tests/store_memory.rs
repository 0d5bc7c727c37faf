//! The shared storage suite (the store contract and the session's fault suite) against the
//! in-memory store (native).
#![cfg(not(target_arch = "wasm32"))]

use snaplab_engine::store::memory::MemoryStore;

snaplab_engine::store_suite!(MemoryStore::new());
