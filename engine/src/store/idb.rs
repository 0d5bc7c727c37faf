//! The IndexedDB store (wasm only). This is the only module of the engine that touches
//! browser APIs.
//!
//! - One database per world, named by the caller; object stores are the [`Table`]s.
//! - Schema versions upgrade one step at a time ([`SCHEMA_VERSION`], [`upgrade_step`]).
//! - [`Store::commit`] is exactly one read-write transaction: every put and delete is issued
//!   without awaiting, then the transaction's completion is awaited. Nothing else is awaited
//!   inside it, so it cannot auto-commit half-way.
//! - Values cross as `Uint8Array`, never as arrays of numbers. Block piece keys are stored as
//!   numbers ([`pieces::number_key`]: a slot's pieces, in the order blocks were stored, so a
//!   restore reads neighbouring keys) or, for blocks stored before slots, in their binary form
//!   ([`pieces::binary_key`], 32 or 34 bytes; as strings IndexedDB would keep them as 128–140
//!   bytes of UTF-16, and writing and reading them is measurably slower).
//! - Read-write transactions set their durability explicitly ([`Durability`]; Chromium's
//!   default became `relaxed` in version 121): `strict` unless the caller chooses otherwise.

use super::{pieces, FaultInjection, Store, StoreError, Table, WriteBatch, WriteOp};
use idb::{Database, Event, Factory, ObjectStoreParams, Request, TransactionMode};
use js_sys::Uint8Array;
use std::cell::Cell;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

// Loops that issue a batch's requests from JavaScript, so that one call crosses from wasm to
// JavaScript per batch instead of three or four per block (key, value, request). Key `i` is the
// number `numbers[i]`, or where that is NaN the binary key ending at `ends[i]` in `binary`
// (binary keys back to back), which crosses as an `ArrayBuffer`: the keys IndexedDB takes with
// the least work.
#[wasm_bindgen(inline_js = r#"
function keyAt(numbers, buffer, base, from, i, ends) {
  const n = numbers[i];
  return Number.isNaN(n) ? buffer.slice(base + from, base + ends[i]) : n;
}
export function put_many(store, memory, numbers, binary, ends, ptrs, lens) {
  const bytes = new Uint8Array(memory.buffer);
  const buffer = binary.buffer, base = binary.byteOffset;
  let at = 0;
  for (let i = 0; i < ends.length; i++) {
    store.put(bytes.slice(ptrs[i], ptrs[i] + lens[i]), keyAt(numbers, buffer, base, at, i, ends));
    at = ends[i];
  }
}
export function sizes_many(requests) {
  const sizes = new Uint32Array(requests.length);
  for (let i = 0; i < requests.length; i++) {
    const value = requests[i].result;
    sizes[i] = value === undefined ? 0xFFFFFFFF : value instanceof Uint8Array ? value.byteLength : 0xFFFFFFFE;
  }
  return sizes;
}
export function copy_many(requests, memory, ptrs) {
  const bytes = new Uint8Array(memory.buffer);
  for (let i = 0; i < requests.length; i++) {
    const value = requests[i].result;
    if (value instanceof Uint8Array) bytes.set(value, ptrs[i]);
  }
}
export function hold_lock(name, wait_ms) {
  const locks = globalThis.navigator && navigator.locks;
  if (!locks) return Promise.resolve(() => {});
  return new Promise((granted, failed) => {
    const signal = AbortSignal.timeout(wait_ms);
    locks.request(name, { signal }, () => new Promise((release) => granted(release)))
      .catch((e) => (signal.aborted ? granted(null) : failed(e)));
  });
}
export function get_many(store, numbers, binary, ends) {
  const requests = new Array(ends.length);
  const buffer = binary.buffer, base = binary.byteOffset;
  let at = 0;
  for (let i = 0; i < ends.length; i++) {
    requests[i] = store.get(keyAt(numbers, buffer, base, at, i, ends));
    at = ends[i];
  }
  return requests;
}
"#)]
extern "C" {
    /// Issues `store.put` for every value: value `i` is the `lens[i]` bytes at `ptrs[i]` of the
    /// wasm `memory` (copied into its own `Uint8Array`), its key key `i` of [`BlockKeys`].
    #[wasm_bindgen(catch)]
    fn put_many(
        store: &web_sys::IdbObjectStore,
        memory: &JsValue,
        numbers: &[f64],
        binary: &[u8],
        ends: &[u32],
        ptrs: &[u32],
        lens: &[u32],
    ) -> Result<(), JsValue>;
    /// The size of every finished get request's value: `u32::MAX` for none, `u32::MAX - 1` for
    /// a value that is not a `Uint8Array`.
    #[wasm_bindgen(catch)]
    fn sizes_many(requests: &js_sys::Array) -> Result<Vec<u32>, JsValue>;
    /// Copies every finished get request's `Uint8Array` value into the wasm `memory` at
    /// `ptrs[i]` (sized by [`sizes_many`]).
    #[wasm_bindgen(catch)]
    fn copy_many(requests: &js_sys::Array, memory: &JsValue, ptrs: &[u32]) -> Result<(), JsValue>;
    /// Takes the Web Lock `name`, waiting up to `wait_ms` for whoever holds it: resolves to the
    /// function that releases it, or to `null` when it stayed held (a browser without Web
    /// Locks: a no-op release).
    fn hold_lock(name: &str, wait_ms: u32) -> js_sys::Promise;
    /// Issues `store.get` for every key of [`BlockKeys`]. Returns the requests, in order.
    #[wasm_bindgen(catch)]
    fn get_many(
        store: &web_sys::IdbObjectStore,
        numbers: &[f64],
        binary: &[u8],
        ends: &[u32],
    ) -> Result<js_sys::Array, JsValue>;
}

/// The schema version this build writes.
///
/// 1. The [`Table`]s as object stores, string keys.
/// 2. Block piece keys in their binary form ([`pieces::binary_key`]).
/// 3. Blocks under slots: piece keys as numbers ([`pieces::number_key`]) and extent records
///    that name slots. Nothing is moved (blocks stored before keep their keys); the version
///    makes builds older than slots refuse the database at open instead of misreading it.
pub const SCHEMA_VERSION: u32 = 3;

/// The keys [`Store::get`] reads in one read-only transaction (a 16 MiB read of 4 KiB blocks
/// is 8 transactions, all issued at once).
const GET_GROUP: usize = 512;

/// How durable a committed transaction is (IndexedDB's `durability` option).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Durability {
    /// Committed means flushed to disk: nothing is lost in a crash or power failure.
    #[default]
    Strict,
    /// Committed means handed to the operating system (faster; a power failure may lose the
    /// last commits, never part of one).
    Relaxed,
}

impl Durability {
    /// The option's value in IndexedDB.
    pub fn as_str(self) -> &'static str {
        match self {
            Durability::Strict => "strict",
            Durability::Relaxed => "relaxed",
        }
    }
}

/// A Snaplab world's IndexedDB database.
#[derive(Debug)]
pub struct IdbStore {
    db: Database,
    /// The same connection, for the calls `idb` does not offer (transaction options).
    raw: web_sys::IdbDatabase,
    durability: Durability,
    name: String,
    /// [`FaultInjection`]: the write of the next commit that fails (the transaction is aborted
    /// there, after the earlier requests were issued).
    fail_at: Cell<Option<usize>>,
    /// Releases this store's Web Lock on its database (see [`IdbStore::open_with`]).
    release: js_sys::Function,
}

/// Applies the upgrade from schema `to - 1` to schema `to` inside the version-change
/// transaction `tx`. Every step from the database's version to [`SCHEMA_VERSION`] runs in order.
fn upgrade_step(db: &Database, tx: &idb::Transaction, to: u32) -> Result<(), idb::Error> {
    match to {
        1 => {
            for table in Table::ALL {
                db.create_object_store(table.name(), ObjectStoreParams::new())?;
            }
            Ok(())
        }
        2 => {
            rekey_blocks(tx.object_store(Table::Blocks.name())?);
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Schema 2: every block piece stored under its string key moves to its binary key. Runs
/// inside the version-change transaction, issuing only IndexedDB requests (reads in batches
/// of [`REKEY_BATCH`]); a failure aborts the transaction, so the database stays at schema 1
/// and opening it fails.
fn rekey_blocks(store: idb::ObjectStore) {
    const REKEY_BATCH: usize = 256;
    let tx = store.transaction();
    wasm_bindgen_futures::spawn_local(async move {
        let moved = async {
            let keys = store.get_all_keys(None, None)?.await?;
            let todo: Vec<(JsValue, Vec<u8>)> = keys
                .into_iter()
                .filter_map(|k| {
                    let binary = pieces::binary_key(&k.as_string()?)?;
                    Some((k, binary))
                })
                .collect();
            for batch in todo.chunks(REKEY_BATCH) {
                // Every get is issued (and its callback registered) before the first is awaited.
                let gets = batch
                    .iter()
                    .map(|(k, _)| store.get(k.clone()).map(std::future::IntoFuture::into_future))
                    .collect::<Result<Vec<_>, _>>()?;
                for ((old, binary), get) in batch.iter().zip(gets) {
                    if let Some(value) = get.await? {
                        store.put(&value, Some(&Uint8Array::from(binary.as_slice()).into()))?;
                    }
                    store.delete(old.clone())?;
                }
            }
            Ok::<(), idb::Error>(())
        };
        if moved.await.is_err() {
            let _ = tx.abort();
        }
    });
}

fn backend(context: &str, err: impl std::fmt::Debug) -> StoreError {
    let text = format!("{err:?}");
    if text.contains("QuotaExceededError") {
        StoreError::QuotaExceeded
    } else {
        StoreError::Backend(format!("{context}: {text}"))
    }
}

impl IdbStore {
    /// Opens (creating or upgrading as needed) the database `name`, with strict durability.
    pub async fn open(name: &str) -> Result<Self, StoreError> {
        Self::open_with(name, Durability::Strict).await
    }

    /// Opens the database `name`; its read-write transactions use `durability`.
    ///
    /// One store per database at a time, across the browser's tabs and pages: the store holds
    /// the Web Lock `snaplab-db:{name}` until it is closed (or its page goes), and opening a
    /// database another page has open fails with [`StoreError::InUse`]. Two sessions on one
    /// world would give the same slots to different blocks.
    pub async fn open_with(name: &str, durability: Durability) -> Result<Self, StoreError> {
        // A lock is released a moment after its holder lets go (a store just closed, a page
        // reloading): waiting a little tells that apart from a page that keeps it.
        const LOCK_WAIT_MS: u32 = 2000;
        let lock = wasm_bindgen_futures::JsFuture::from(hold_lock(&format!("snaplab-db:{name}"), LOCK_WAIT_MS))
            .await
            .map_err(|e| backend("lock", e))?;
        let release: js_sys::Function = lock.dyn_into().map_err(|_| StoreError::InUse)?;
        let opened = Self::open_locked(name, durability, release.clone()).await;
        if opened.is_err() {
            let _ = release.call0(&JsValue::NULL);
        }
        opened
    }

    async fn open_locked(name: &str, durability: Durability, release: js_sys::Function) -> Result<Self, StoreError> {
        let factory = Factory::new().map_err(|e| backend("IndexedDB is not available", e))?;
        let mut request = factory
            .open(name, Some(SCHEMA_VERSION))
            .map_err(|e| backend("open", e))?;
        request.on_upgrade_needed(|event| {
            let from = event.old_version().unwrap_or(0);
            let Ok(request) = event.target() else { return };
            let (Ok(db), Some(tx)) = (request.database(), request.transaction()) else {
                return;
            };
            for to in (from + 1)..=SCHEMA_VERSION {
                // A failing step aborts the version-change transaction, so `open` fails.
                if upgrade_step(&db, &tx, to).is_err() {
                    let _ = tx.abort();
                    break;
                }
            }
        });
        let db = request.await.map_err(|e| backend("open", e))?;
        let missing: Vec<_> = Table::ALL
            .iter()
            .filter(|t| !db.store_names().iter().any(|n| n == t.name()))
            .collect();
        if !missing.is_empty() {
            db.close();
            return Err(StoreError::Backend(format!(
                "schema upgrade failed: missing {missing:?}"
            )));
        }
        let raw = web_sys::IdbDatabase::from(db);
        Ok(Self {
            db: Database::from(raw.clone()),
            raw,
            durability,
            name: name.to_string(),
            fail_at: Cell::new(None),
            release,
        })
    }

    /// The database name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The durability of this store's commits.
    pub fn durability(&self) -> Durability {
        self.durability
    }

    /// A read-write transaction over every table with this store's durability
    /// (`IDBDatabase.transaction(names, "readwrite", {durability})`).
    fn write_transaction(&self) -> Result<idb::Transaction, StoreError> {
        use js_sys::{Array, Function, Object, Reflect};
        let names: Array = Table::ALL.iter().map(|t| JsValue::from_str(t.name())).collect();
        let options = Object::new();
        Reflect::set(&options, &"durability".into(), &self.durability.as_str().into())
            .map_err(|e| backend("transaction options", e))?;
        let open: Function = Reflect::get(&self.raw, &"transaction".into())
            .and_then(|f| f.dyn_into::<Function>())
            .map_err(|e| backend("write transaction", e))?;
        let tx = open
            .call3(&self.raw, &names, &"readwrite".into(), &options)
            .map_err(|e| backend("write transaction", e))?;
        let tx: web_sys::IdbTransaction = tx.dyn_into().map_err(|e| backend("write transaction", e))?;
        Ok(tx.into())
    }

    /// Closes the connection (after running transactions finish) and releases the database,
    /// as dropping the store does.
    pub fn close(self) {}

    /// Deletes the database `name` (close open connections first).
    pub async fn delete(name: &str) -> Result<(), StoreError> {
        let factory = Factory::new().map_err(|e| backend("IndexedDB is not available", e))?;
        factory
            .delete(name)
            .map_err(|e| backend("delete", e))?
            .await
            .map_err(|e| backend("delete", e))
    }
}

impl Drop for IdbStore {
    fn drop(&mut self) {
        self.db.close();
        let _ = self.release.call0(&JsValue::NULL);
    }
}

impl FaultInjection for IdbStore {
    fn fail_at_write(&self, n: usize) {
        self.fail_at.set(Some(n));
    }
}

/// A block piece key as IndexedDB keeps it.
enum BlockKey {
    /// A slot's piece ([`pieces::number_key`]).
    Number(u64),
    /// A piece of a block stored before slots ([`pieces::binary_key`]).
    Binary(Vec<u8>),
}

impl BlockKey {
    /// The form IndexedDB keeps the key `k` of `table` in (`None`: a plain string).
    fn of(table: Table, k: &str) -> Option<BlockKey> {
        if table != Table::Blocks {
            return None;
        }
        match pieces::number_key(k) {
            Some(n) => Some(BlockKey::Number(n)),
            None => pieces::binary_key(k).map(BlockKey::Binary),
        }
    }
}

/// Block piece keys as [`put_many`] and [`get_many`] take them.
#[derive(Default)]
struct BlockKeys {
    numbers: Vec<f64>,
    binary: Vec<u8>,
    ends: Vec<u32>,
}

impl BlockKeys {
    fn push(&mut self, key: &BlockKey) {
        match key {
            // Exact: number keys are below 2^53.
            BlockKey::Number(n) => self.numbers.push(*n as f64),
            BlockKey::Binary(bytes) => {
                self.numbers.push(f64::NAN);
                self.binary.extend_from_slice(bytes);
            }
        }
        self.ends.push(self.binary.len() as u32);
    }
}

/// A key as IndexedDB keeps it: block piece keys as numbers or binary, others as strings.
fn key(table: Table, k: &str) -> JsValue {
    match BlockKey::of(table, k) {
        Some(BlockKey::Number(n)) => JsValue::from_f64(n as f64),
        Some(BlockKey::Binary(binary)) => Uint8Array::from(binary.as_slice()).into(),
        None => JsValue::from_str(k),
    }
}

/// Every key of `keys` as [`BlockKeys`] — when all of them are block piece keys (see [`key`]).
fn block_keys(table: Table, keys: &[String]) -> Option<BlockKeys> {
    let mut out = BlockKeys::default();
    for k in keys {
        out.push(&BlockKey::of(table, k)?);
    }
    Some(out)
}

/// A put of a block piece: its key and its bytes.
fn block_put(op: &WriteOp) -> Option<(BlockKey, &[u8])> {
    match op {
        WriteOp::Put {
            table: Table::Blocks,
            key,
            value,
        } => Some((BlockKey::of(Table::Blocks, key)?, value)),
        _ => None,
    }
}

/// Issues the puts of block pieces (see [`block_put`]) in one call to [`put_many`].
fn put_blocks(store: &web_sys::IdbObjectStore, puts: &[(BlockKey, &[u8])]) -> Result<(), StoreError> {
    let mut keys = BlockKeys::default();
    let (mut ptrs, mut lens) = (Vec::with_capacity(puts.len()), Vec::with_capacity(puts.len()));
    for (key, value) in puts {
        keys.push(key);
        // wasm32: addresses and lengths are 32-bit.
        ptrs.push(value.as_ptr() as usize as u32);
        lens.push(value.len() as u32);
    }
    let memory = wasm_bindgen::memory();
    put_many(store, &memory, &keys.numbers, &keys.binary, &keys.ends, &ptrs, &lens).map_err(|e| backend("put", e))
}

/// The key [`key`] stored as `stored`.
fn key_back(stored: JsValue) -> Result<String, StoreError> {
    if let Some(text) = stored.as_string() {
        return Ok(text);
    }
    if let Some(n) = stored.as_f64() {
        // Only number_key's numbers are stored as numbers.
        let text = format!("{}", n as u64);
        return match pieces::number_key(&text) {
            Some(back) if back as f64 == n => Ok(text),
            _ => Err(StoreError::Backend(format!(
                "a number key {n} is not a block piece key"
            ))),
        };
    }
    let bytes = stored
        .dyn_into::<js_sys::ArrayBuffer>()
        .map(|buffer| Uint8Array::new(&buffer).to_vec())
        .map_err(|_| StoreError::Backend("a key is neither a string nor binary".into()))?;
    pieces::key_of_binary(&bytes).ok_or_else(|| StoreError::Backend("a binary key is not a block piece key".into()))
}

impl Store for IdbStore {
    /// The read-only transactions of the read, each with its requests.
    type Pending = Vec<(js_sys::Array, idb::TransactionFuture)>;

    fn start_get(&self, table: Table, keys: &[String]) -> Result<Self::Pending, StoreError> {
        // Every request is issued at once, in read-only transactions of GET_GROUP keys, and only
        // the transactions' completions are awaited (one callback per group, not one per
        // request). While the first group's values are copied out, IndexedDB is still reading
        // the next groups. Read-only transactions see the state of when they were created, so
        // together they read one state, also if a commit is issued before they finish.
        keys.chunks(GET_GROUP)
            .map(|group| {
                let tx = self
                    .raw
                    .transaction_with_str(table.name())
                    .map_err(|e| backend("read transaction", e))?;
                let store = tx.object_store(table.name()).map_err(|e| backend("object store", e))?;
                let requests = match block_keys(table, group) {
                    Some(keys) => {
                        get_many(&store, &keys.numbers, &keys.binary, &keys.ends).map_err(|e| backend("get", e))?
                    }
                    None => group
                        .iter()
                        .map(|k| store.get(&key(table, k)).map(JsValue::from))
                        .collect::<Result<js_sys::Array, _>>()
                        .map_err(|e| backend("get", e))?,
                };
                // The completion callback is registered now, before the transaction can finish.
                let done = std::future::IntoFuture::into_future(idb::Transaction::from(tx));
                Ok((requests, done))
            })
            .collect()
    }

    async fn finish_get(&self, pending: Self::Pending) -> Result<Vec<Option<Vec<u8>>>, StoreError> {
        let mut values = Vec::with_capacity(pending.iter().map(|(r, _)| r.length() as usize).sum());
        for (requests, done) in pending {
            let done = done.await.map_err(|e| backend("read transaction", e))?;
            if !done.is_committed() {
                return Err(StoreError::Backend("the read transaction was aborted".into()));
            }
            // Two calls per group, not three per value: the sizes, then every value copied
            // straight into the vectors that hold it.
            let sizes = sizes_many(&requests).map_err(|e| backend("get", e))?;
            let first = values.len();
            for size in sizes {
                values.push(match size {
                    u32::MAX => None,
                    n if n == u32::MAX - 1 => {
                        return Err(StoreError::Backend("a stored value is not a Uint8Array".into()))
                    }
                    n => Some(vec![0u8; n as usize]),
                });
            }
            // wasm32: addresses are 32-bit. An absent value's address is never used.
            let ptrs: Vec<u32> = values[first..]
                .iter_mut()
                .map(|v| v.as_mut().map_or(0, |v| v.as_mut_ptr() as usize as u32))
                .collect();
            copy_many(&requests, &wasm_bindgen::memory(), &ptrs).map_err(|e| backend("get", e))?;
        }
        Ok(values)
    }

    async fn keys(&self, table: Table) -> Result<Vec<String>, StoreError> {
        let tx = self
            .db
            .transaction(&[table.name()], TransactionMode::ReadOnly)
            .map_err(|e| backend("read transaction", e))?;
        let store = tx.object_store(table.name()).map_err(|e| backend("object store", e))?;
        let keys = store.get_all_keys(None, None).map_err(|e| backend("keys", e))?.await;
        let keys = keys.map_err(|e| backend("keys", e))?;
        // String keys compare by code unit, which for Snaplab's ASCII keys equals Rust's byte
        // order; numbers sort before strings and binary keys after them, and piece indexes as
        // numbers, so sort again.
        let mut keys = keys.into_iter().map(key_back).collect::<Result<Vec<_>, _>>()?;
        keys.sort_unstable();
        Ok(keys)
    }

    async fn commit(&self, batch: WriteBatch) -> Result<(), StoreError> {
        if batch.is_empty() {
            return Ok(());
        }
        let tx = self.write_transaction()?;
        let stores = Table::ALL
            .iter()
            .map(|t| tx.object_store(t.name()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| backend("object store", e))?;
        let store_of = |t: Table| &stores[t as usize];
        let fail_at = self.fail_at.take();
        let blocks = web_sys::IdbObjectStore::from(store_of(Table::Blocks).clone());
        let injected = |n: usize| StoreError::Backend(format!("injected failure at write {n}"));
        let issue = || -> Result<(), StoreError> {
            // Requests complete with the transaction; their futures are not awaited.
            let ops = &batch.ops;
            let mut i = 0;
            while i < ops.len() {
                // A run of block pieces goes to IndexedDB in one call (stopped short of the
                // injected failure, if it falls inside).
                let run: Vec<_> = ops[i..].iter().map_while(block_put).collect();
                if !run.is_empty() {
                    let n = run.len();
                    let stop = fail_at.filter(|&f| f > i && f <= i + n).map_or(n, |f| f - 1 - i);
                    put_blocks(&blocks, &run[..stop])?;
                    if stop < n {
                        return Err(injected(i + stop + 1));
                    }
                    i += n;
                    continue;
                }
                if fail_at == Some(i + 1) {
                    return Err(injected(i + 1));
                }
                match &ops[i] {
                    WriteOp::Put { table, key: k, value } => {
                        let bytes = Uint8Array::from(value.as_slice());
                        store_of(*table)
                            .put(&bytes, Some(&key(*table, k)))
                            .map_err(|e| backend("put", e))?;
                    }
                    WriteOp::Delete { table, key: k } => {
                        store_of(*table)
                            .delete(key(*table, k))
                            .map_err(|e| backend("delete", e))?;
                    }
                }
                i += 1;
            }
            Ok(())
        };
        if let Err(e) = issue() {
            let _ = tx.abort();
            return Err(e);
        }
        let result = tx
            .commit()
            .map_err(|e| backend("commit", e))?
            .await
            .map_err(|e| backend("commit", e))?;
        if result.is_committed() {
            Ok(())
        } else {
            Err(StoreError::Backend("the write transaction was aborted".into()))
        }
    }
}
