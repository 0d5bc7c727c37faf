//! The shared storage suite against the in-memory store (native).
#![cfg(not(target_arch = "wasm32"))]

use snaplab_engine::session::block_on;
use snaplab_engine::store::{memory::MemoryStore, suite};

#[test]
fn blocks_round_trip() {
    block_on(suite::blocks_round_trip(&MemoryStore::new()));
}

#[test]
fn batch_applies_in_order() {
    block_on(suite::batch_applies_in_order(&MemoryStore::new()));
}

#[test]
fn keys_sorted_and_deletes() {
    block_on(suite::keys_sorted_and_deletes(&MemoryStore::new()));
}

#[test]
fn started_reads_see_their_start() {
    block_on(suite::started_reads_see_their_start(&MemoryStore::new()));
}

/// Interrupted operations leave no trace (fault injection at every write position).
#[test]
fn interrupted_operations_leave_no_trace() {
    block_on(suite::interrupted(MemoryStore::new()));
}

/// A world stored before slots (blocks under their hashes) keeps working.
#[test]
fn worlds_stored_before_slots_keep_working() {
    block_on(suite::worlds_stored_before_slots_keep_working(MemoryStore::new()));
}
