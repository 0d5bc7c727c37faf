//! The shared storage suite against the in-memory store (native).

use snaplab_engine::store::{memory::MemoryStore, suite};

/// Runs a future whose store never waits (the memory store is always ready).
fn block_on<F: std::future::Future>(f: F) -> F::Output {
    use std::task::{Context, Poll, Waker};
    let mut f = std::pin::pin!(f);
    let mut cx = Context::from_waker(Waker::noop());
    match f.as_mut().poll(&mut cx) {
        Poll::Ready(v) => v,
        Poll::Pending => panic!("the memory store never waits"),
    }
}

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
