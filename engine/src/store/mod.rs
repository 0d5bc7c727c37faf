//! Storage behind the engine: a small key-value trait with written contracts.
//!
//! The engine keeps its world in memory and persists through [`Store`]: block bytes, block
//! maps and the world's metadata live in named tables. Every engine operation ends in exactly
//! one [`Store::commit`] of a [`WriteBatch`], which is atomic: all of it or none of it.
//!
//! Implementations: [`memory::MemoryStore`] (every target) and, on wasm, `idb::IdbStore`
//! (IndexedDB; the only module of the engine that touches browser APIs). One test suite,
//! `suite` (the contract) with the session's fault suite beside the session
//! (`session_faults`), runs against both: test support, compiled only with the `testing`
//! feature (on for the crate's own tests) and instantiated per store by `store_suite!`.
//!
//! A store is below the session and the world: nothing here imports them. The key layout
//! ([`pieces`]) names block contents with the block engine's types (`blocks::ContentHash`,
//! `blocks::StoredBlock`, `blocks::MAX_SLOT`); `blocks` imports nothing of the crate.

use std::fmt;

#[cfg(target_arch = "wasm32")]
pub mod idb;
pub mod memory;
pub mod pieces;
#[cfg(any(test, feature = "testing"))]
pub mod suite;

/// The tables (IndexedDB object stores) of a Snaplab database.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Table {
    /// Block bytes, keyed by slot (see [`pieces`]).
    Blocks,
    /// Block maps of disks and snapshots.
    Maps,
    /// The world's metadata (resources, clock, counters).
    Meta,
}

impl Table {
    /// Every table, in discriminant order (`Table::ALL[t as usize] == t`).
    pub const ALL: [Table; 3] = [Table::Blocks, Table::Maps, Table::Meta];

    /// The object-store name.
    pub fn name(self) -> &'static str {
        match self {
            Table::Blocks => "blocks",
            Table::Maps => "maps",
            Table::Meta => "meta",
        }
    }
}

/// One change inside a [`WriteBatch`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WriteOp {
    Put { table: Table, key: String, value: Vec<u8> },
    Delete { table: Table, key: String },
}

/// The changes of one engine operation, committed atomically. Later operations on the same
/// key win over earlier ones.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WriteBatch {
    pub ops: Vec<WriteOp>,
}

impl WriteBatch {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn put(&mut self, table: Table, key: impl Into<String>, value: Vec<u8>) -> &mut Self {
        self.ops.push(WriteOp::Put {
            table,
            key: key.into(),
            value,
        });
        self
    }
    pub fn delete(&mut self, table: Table, key: impl Into<String>) -> &mut Self {
        self.ops.push(WriteOp::Delete { table, key: key.into() });
        self
    }
    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }
}

/// Why a store operation failed. The world maps these to ECS-style errors.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoreError {
    /// The browser refused to store more (`QuotaExceededError`).
    QuotaExceeded,
    /// The store is closed or was deleted.
    Closed,
    /// Another page or tab has the store open. One session at a time: two would give the same
    /// slots to different blocks.
    InUse,
    /// Any other failure of the backend, with its own words.
    Backend(String),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::QuotaExceeded => write!(f, "the browser's storage quota is exhausted"),
            StoreError::Closed => write!(f, "the store is closed"),
            StoreError::InUse => write!(f, "this world is open in another tab or page; close it there first"),
            StoreError::Backend(m) => write!(f, "storage failure: {m}"),
        }
    }
}

impl std::error::Error for StoreError {}

/// A test hook every store offers: make the next commit fail part-way.
///
/// `fail_at_write(n)` arms a one-shot failure: the `n`-th write (put or delete, counted from 1)
/// of the next commit fails after the writes before it were issued inside the transaction. The
/// commit must then leave no trace — which is what the fault suite
/// (`session_faults::interrupted`) checks for every `n` over an operation. A commit with fewer
/// than `n` writes succeeds and disarms the hook.
pub trait FaultInjection {
    fn fail_at_write(&self, n: usize);
}

/// The storage contract. Implementations are single-threaded (wasm) and may be async.
///
/// Contracts (checked by `suite` for every implementation):
/// - `get` returns one entry per key, in order, `None` for an absent key;
/// - a read started with `start_get` returns the values as they were when it started, even if
///   commits came between it and `finish_get` (the session reads ahead with it);
/// - `commit` applies every op of the batch in order, or none of them on error;
/// - `keys` lists a table's keys in ascending order;
/// - what was committed is returned by later reads, also after the store is reopened.
#[allow(async_fn_in_trait)]
pub trait Store {
    /// A read started by [`Store::start_get`] (requests issued, nothing awaited yet).
    type Pending;
    /// Starts reading `keys` of `table` without waiting for the values.
    fn start_get(&self, table: Table, keys: &[String]) -> Result<Self::Pending, StoreError>;
    /// The values of a started read: one entry per key, in order, `None` for an absent key.
    async fn finish_get(&self, pending: Self::Pending) -> Result<Vec<Option<Vec<u8>>>, StoreError>;
    async fn get(&self, table: Table, keys: &[String]) -> Result<Vec<Option<Vec<u8>>>, StoreError> {
        let pending = self.start_get(table, keys)?;
        self.finish_get(pending).await
    }
    async fn keys(&self, table: Table) -> Result<Vec<String>, StoreError>;
    async fn commit(&self, batch: WriteBatch) -> Result<(), StoreError>;
}
