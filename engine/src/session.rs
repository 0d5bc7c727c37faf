//! A world bound to a [`Store`]: the one place where the sans-I/O world meets storage.
//!
//! [`Session::exec_line`] runs one command line end to end: parse, prefetch the stored block
//! bytes the command will read, run it on the in-memory world, and commit its effects as
//! **one** [`WriteBatch`]. When the command is refused, or the commit fails, the world returns
//! to the state it had before the line.
//!
//! # What is stored where
//! - [`Table::Blocks`]: block bytes under their slot (a number given in storing order; blocks
//!   stored before slots: under their content hash), in pieces without their zeros ([`pieces`]);
//! - [`Table::Maps`]: the block engine's records — one per extent (written once), per
//!   snapshot (its delta) and per volume (its diff against its chain's last snapshot) — of which
//!   a command writes only those it changed ([`BlockEngine::take_changes`]);
//! - [`Table::Meta`]: the world's own state (resources, clock, counters) under [`WORLD_KEY`] and
//!   the engine's header under [`ENGINE_KEY`].
//!
//! So a command costs what it changed plus the world's resource metadata, never the size of
//! the disks or the number of blocks stored.

use crate::blocks::{whole_block_contents, BlockEngine, BlockSource, ContentHash, Effects, Need, StoredBlock};
use crate::cli::{self, Command, OutputSpec};
use crate::error::{DenyReason, EcsError};
use crate::request::{Emulator, Target};
use crate::store::{pieces, Store, StoreError, Table, WriteBatch};
use crate::world::{Applied, Failure, World, DEFAULT_BLOCK_SIZE, DEFAULT_SEED};
use base64::Engine as _;
use serde_json::Value;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::future::Future as _;
use std::ops::Range;

/// The key of the world's state in [`Table::Meta`].
pub const WORLD_KEY: &str = "world";
/// The key of the block engine's header in [`Table::Meta`].
pub const ENGINE_KEY: &str = "engine";
/// The largest write committed as one operation by [`Session::write_disk`]; larger writes go
/// in batches of this size, so memory does not grow with what is written.
pub const WRITE_BATCH_BYTES: usize = 16 << 20;

/// The outcome of one line.
#[derive(Clone, Debug, PartialEq)]
pub struct LineReply {
    /// The API reply, or the API error object (SPEC §17).
    pub body: Value,
    /// Whether `body` is an error object.
    pub is_error: bool,
    /// The `--output` table the line asked for, if any (already rendered).
    pub table: Option<String>,
    /// Whether the line committed a change to the stored world. Not for a refusal, a dry run,
    /// an export or a read that changed nothing (a read's `--waiter` moves the clock between
    /// polls: what its polls changed is committed once, when the waiter is satisfied, and not
    /// at all when it times out); yes for a change
    /// whose reply is an error all the same (its `--output` table failed after the commit).
    pub changed: bool,
    /// Set when the line replaced the world whole: `snaplab world reset` or `world import`.
    pub replaced: Option<Replaced>,
}

/// How a line replaced the world whole ([`LineReply::replaced`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Replaced {
    /// `snaplab world reset`: a new world.
    Reset,
    /// `snaplab world import`: an exported world.
    Import,
}

/// What a line did to the stored world, gathered while it runs.
#[derive(Default)]
struct Done {
    changed: bool,
    replaced: Option<Replaced>,
}

/// The most [`Session::read`] reads ahead: the bytes after a read, which a sequential reader
/// (a restore, an export) asks for next.
pub const READ_AHEAD_BYTES: u64 = 16 << 20;

/// A world and the store it persists to.
pub struct Session<S: Store> {
    world: World,
    store: S,
    /// The stored blocks the bytes after the last read need, being read (see [`Session::read`]).
    ahead: Option<BlockRead<S::Pending>>,
    /// Set when a failed write could not put the committed world back (the store could not be
    /// read either): every later call fails with it, nothing is committed; reopen the store.
    broken: Option<EcsError>,
}

/// A read of stored blocks, started and not yet finished.
struct BlockRead<P> {
    blocks: Vec<StoredBlock>,
    block_size: u32,
    pending: P,
}

impl<S: Store> Session<S> {
    /// Opens the world saved in `store`, or a new one (default seed and block size).
    pub async fn open(store: S) -> Result<Self, EcsError> {
        Ok(Session {
            world: Self::load(&store).await?,
            store,
            ahead: None,
            broken: None,
        })
    }

    /// The world saved in `store` (a new one if there is none).
    async fn load(store: &S) -> Result<World, EcsError> {
        let saved = store
            .get(Table::Meta, &[WORLD_KEY.to_string(), ENGINE_KEY.to_string()])
            .await?;
        let unreadable =
            |why: String| EcsError::Storage(StoreError::Backend(format!("the saved world is unreadable: {why}")));
        let mut saved = saved.into_iter();
        let world = match (saved.next().flatten(), saved.next().flatten()) {
            (None, _) => World::new(DEFAULT_SEED, DEFAULT_BLOCK_SIZE).map_err(|f| match f {
                Failure::Api(e) => e,
                Failure::Cli(_) => EcsError::InternalError,
            })?,
            (Some(world), Some(header)) => {
                let mut world: World = serde_json::from_slice(&world).map_err(|e| unreadable(e.to_string()))?;
                let header = serde_json::from_slice(&header).map_err(|e| unreadable(e.to_string()))?;
                let keys = store.keys(Table::Maps).await?;
                let values = store.get(Table::Maps, &keys).await?;
                let records = keys
                    .into_iter()
                    .zip(values)
                    .filter_map(|(k, v)| Some((k, v?)))
                    .collect();
                world.blocks = BlockEngine::from_records(header, records).map_err(|e| unreadable(e.to_string()))?;
                world
            }
            // Saved whole by an earlier version: the next command rewrites it as records.
            (Some(world), None) => serde_json::from_slice(&world)
                .and_then(World::from_full_json)
                .map_err(|e| unreadable(e.to_string()))?,
        };
        // Issue 12: a stored world that is not one the actions could have built is refused
        // whole (a storage error), never run into a panic or a corruption later.
        world.validate().map_err(|e| unreadable(e.to_string()))?;
        Ok(world)
    }

    /// Puts the last committed world back after a failed write by reading it again from the
    /// store, which holds exactly what was committed. (A write does not copy the world before
    /// each batch: the copy would cost as much as the world's block index, every 16 MiB.)
    /// Request IDs go on counting. If the store cannot be read either, the session is broken.
    async fn recover(&mut self) {
        self.ahead = None;
        match Self::load(&self.store).await {
            Ok(mut world) => {
                world.continue_request_ids(&self.world);
                self.world = world;
            }
            Err(e) => self.broken = Some(e),
        }
    }

    /// The error every call fails with once the session is broken (see [`Session::recover`]).
    fn check_broken(&self) -> Result<(), Failure> {
        match &self.broken {
            Some(e) => Err(Failure::Api(e.clone())),
            None => Ok(()),
        }
    }

    /// The world as committed.
    pub fn world(&self) -> &World {
        &self.world
    }

    /// The store.
    pub fn store(&self) -> &S {
        &self.store
    }

    /// Ends the session, giving the store back (e.g. to close it).
    pub fn into_store(self) -> S {
        self.store
    }

    /// Runs one line. `None` for a blank or comment line.
    pub async fn exec_line(&mut self, line: &str) -> Option<LineReply> {
        match cli::parse_line(line) {
            Ok(None) => None,
            Ok(Some(cmd)) => Some(self.exec(&cmd).await),
            Err(e) => Some(self.refusal(Failure::Cli(e))),
        }
    }

    /// The reply of a refusal that changed nothing (it draws a `RequestId`): a line that does
    /// not parse, a call the JS API could not make into a command.
    pub fn refusal(&mut self, f: Failure) -> LineReply {
        let id = self.world.request_id();
        LineReply {
            body: f.to_json(&id),
            is_error: true,
            table: None,
            changed: false,
            replaced: None,
        }
    }

    /// Runs one parsed command (with its `--waiter` and `--output`). On failure the world
    /// returns to its last committed state.
    pub async fn exec(&mut self, cmd: &Command) -> LineReply {
        self.ahead = None;
        if let Err(f) = self.check_broken() {
            return self.refusal(f);
        }
        let mut committed = self.world.clone();
        let mut done = Done::default();
        let result = self.run(cmd, &mut committed, &mut done).await;
        let mut reply = match result {
            Ok((body, table)) => LineReply {
                body,
                is_error: false,
                table,
                changed: false,
                replaced: None,
            },
            Err(f) => {
                self.world = committed;
                self.refusal(f)
            }
        };
        reply.changed = done.changed;
        reply.replaced = done.replaced;
        reply
    }

    async fn run(
        &mut self,
        cmd: &Command,
        committed: &mut World,
        done: &mut Done,
    ) -> Result<(Value, Option<String>), Failure> {
        let target = &cmd.request.target;
        // Issue 12: unknown parameters are refused before anything runs, the two commands the
        // session runs itself included (`World::exec` checks again for every other).
        crate::world::params::check(&cmd.request)?;
        // The two commands that need the whole store, not just the world.
        match target {
            Target::Snaplab(Emulator::WorldExport) => return Ok((self.export().await?, None)),
            Target::Snaplab(Emulator::WorldImport) => {
                let reply = self.import(cmd.request.params.require("Json")?).await?;
                *committed = self.world.clone();
                done.changed = true;
                done.replaced = Some(Replaced::Import);
                return Ok((reply, None));
            }
            _ => {}
        }
        if cmd.waiter.is_some() && !target.is_read_only() {
            // The CLI's waiter repeats the call: repeating a change would change again.
            return Err(EcsError::invalid("waiter", "--waiter polls Describe…/List… actions only").into());
        }
        let applied = match &cmd.waiter {
            None => {
                let applied = self.exec_once(cmd, done).await?;
                *committed = self.world.clone();
                if *target == Target::Snaplab(Emulator::WorldReset) {
                    done.replaced = Some(Replaced::Reset);
                }
                applied
            }
            Some(waiter) => {
                // Issue 12: poll, advancing the simulated clock by the waiter's interval
                // (SPEC §18), and commit what the polls did (the clock, what settled) as one
                // batch once the waiter is satisfied. A waiter that times out, or whose
                // expression fails, is an error reply, and an error reply changes nothing:
                // nothing was committed, and `exec` puts the world of before the line back.
                let mut batch = WriteBatch::new();
                let mut applied = self.apply_once(cmd, &mut batch).await?;
                let mut waited = 0u32;
                while !waiter.is_satisfied(&applied.reply)? {
                    if waited >= waiter.timeout {
                        let last = waiter.evaluate(&applied.reply).unwrap_or_default();
                        return Err(Failure::Cli(waiter.timeout_error(&last)));
                    }
                    let next = self.world.now().add_seconds(i64::from(waiter.interval));
                    self.world.advance_to(next)?;
                    waited = waited.saturating_add(waiter.interval);
                    applied = self.apply_once(cmd, &mut batch).await?;
                }
                if !batch.is_empty() {
                    self.store.commit(batch).await.map_err(EcsError::from)?;
                    done.changed = true;
                    *committed = self.world.clone();
                }
                applied
            }
        };
        let table = match &cmd.output {
            Some(spec) => Some(render(&applied.reply, spec)?),
            None => None,
        };
        Ok((applied.reply, table))
    }

    /// Runs the command once and commits what it did (noted in `done`).
    async fn exec_once(&mut self, cmd: &Command, done: &mut Done) -> Result<Applied, Failure> {
        let mut batch = WriteBatch::new();
        let applied = self.apply_once(cmd, &mut batch).await?;
        if !batch.is_empty() {
            self.store.commit(batch).await.map_err(EcsError::from)?;
            done.changed = true;
        }
        Ok(applied)
    }

    /// Runs the command once and adds what it did to `batch` (nothing for a read that changed
    /// nothing); the caller commits the batch.
    async fn apply_once(&mut self, cmd: &Command, batch: &mut WriteBatch) -> Result<Applied, Failure> {
        let request = &cmd.request;
        let needs: Vec<Need> = match &request.target {
            Target::Snaplab(command) => self.world.needs(command, &request.params),
            Target::Api { .. } => Vec::new(),
        };
        let source = self.prefetch(needs).await?;
        let block_size = self.world.block_size() as u32;
        let before = self.world.now();
        let mut applied = self.world.exec(request, &source)?;
        // A read that changed nothing (no bytes, no records, the clock where it was) commits
        // nothing: only its RequestId was drawn, and RequestIds are not world state.
        let unchanged = applied.effects.is_empty() && !self.world.blocks.has_changes() && self.world.now() == before;
        if request.target.is_read_only() && unchanged {
            return Ok(applied);
        }
        let pending = std::mem::take(batch);
        *batch = self
            .prepare(pending, std::mem::take(&mut applied.effects), block_size)
            .await?;
        Ok(applied)
    }

    /// Commits what the world did since the last commit, as one batch (after the writes already
    /// in `batch`): the block bytes of
    /// `effects` (those it frees laid out for `freed_block_size`, the block size they were
    /// written with), the engine's changed records, and the world's own state.
    async fn save(&mut self, batch: WriteBatch, effects: Effects, freed_block_size: u32) -> Result<(), EcsError> {
        let batch = self.prepare(batch, effects, freed_block_size).await?;
        self.store.commit(batch).await.map_err(EcsError::from)?;
        Ok(())
    }

    /// The batch [`Session::save`] commits (it takes the engine's changes: commit it).
    async fn prepare(
        &mut self,
        mut batch: WriteBatch,
        effects: Effects,
        freed_block_size: u32,
    ) -> Result<WriteBatch, EcsError> {
        for (block, bytes) in effects.put {
            for (key, value) in pieces::encode(&block, bytes) {
                batch.put(Table::Blocks, key, value);
            }
        }
        for block in &effects.delete {
            for key in pieces::keys(block, freed_block_size) {
                batch.delete(Table::Blocks, key);
            }
        }
        let changes = self.world.blocks.take_changes();
        if changes.replace_all {
            let kept: HashSet<&str> = changes.records.iter().map(|(k, _)| k.as_str()).collect();
            for old in self.store.keys(Table::Maps).await? {
                if !kept.contains(old.as_str()) {
                    batch.delete(Table::Maps, old);
                }
            }
        }
        for (key, value) in changes.records {
            match value {
                Some(value) => batch.put(Table::Maps, key, value),
                None => batch.delete(Table::Maps, key),
            };
        }
        let state = serde_json::to_vec(&self.world).map_err(|_| EcsError::InternalError)?;
        let header = serde_json::to_vec(&self.world.blocks.header()).map_err(|_| EcsError::InternalError)?;
        batch.put(Table::Meta, WORLD_KEY, state);
        batch.put(Table::Meta, ENGINE_KEY, header);
        Ok(batch)
    }

    /// Reads the stored block bytes the needs name into memory.
    async fn prefetch(&self, needs: Vec<Need>) -> Result<Prefetched, Failure> {
        let blocks = self.needed_blocks(needs);
        Ok(Prefetched(self.read_stored(&blocks).await?))
    }

    /// The stored blocks the needs name, each once, in the order of their storage keys (so
    /// that a store reads neighbouring keys one after the other).
    fn needed_blocks(&self, needs: Vec<Need>) -> Vec<StoredBlock> {
        let mut blocks: Vec<StoredBlock> = Vec::new();
        for need in needs {
            // A need the engine cannot plan (e.g. out of range) is refused by the command itself.
            let hashes = self.world.blocks.needed_contents(need).unwrap_or_default();
            blocks.extend(hashes.into_iter().map(|h| self.world.blocks.stored_block(h)));
        }
        blocks.sort_unstable();
        blocks.dedup();
        blocks
    }

    /// Reads stored blocks (put together from their pieces); absent ones are left out.
    async fn read_stored(&self, blocks: &[StoredBlock]) -> Result<HashMap<ContentHash, Vec<u8>>, EcsError> {
        let read = self.start_block_read(blocks.to_vec())?;
        self.finish_block_read(read).await
    }

    /// Starts reading stored blocks ([`Session::finish_block_read`] gives them).
    fn start_block_read(&self, blocks: Vec<StoredBlock>) -> Result<BlockRead<S::Pending>, EcsError> {
        let block_size = self.world.block_size() as u32;
        let keys: Vec<String> = blocks.iter().flat_map(|b| pieces::keys(b, block_size)).collect();
        let pending = self.store.start_get(Table::Blocks, &keys)?;
        Ok(BlockRead {
            blocks,
            block_size,
            pending,
        })
    }

    /// The blocks of a started read (put together from their pieces); absent ones are left out.
    async fn finish_block_read(&self, read: BlockRead<S::Pending>) -> Result<HashMap<ContentHash, Vec<u8>>, EcsError> {
        let per_block = pieces::piece_count(read.block_size);
        let mut values = self.store.finish_get(read.pending).await?;
        Ok(read
            .blocks
            .iter()
            .zip(values.chunks_mut(per_block))
            .filter_map(|(b, v)| Some((b.hash, pieces::decode(v, read.block_size)?)))
            .collect())
    }
}

/// Raw bytes in and out: the JS API's binary calls.
impl<S: Store> Session<S> {
    /// Writes `bytes` at byte `offset` of a disk attached to a running instance, as its guest
    /// would. Writes larger than [`WRITE_BATCH_BYTES`] go in batches (block-aligned), each
    /// committed as one operation: on an error, the batches before it stay written (like a
    /// disk after a failed large write). Returns the last batch's reply.
    pub async fn write_disk(&mut self, disk_id: &str, offset: u64, bytes: &[u8]) -> Result<Value, Value> {
        self.write_disk_parts(disk_id, offset, bytes.len(), |r| Cow::Borrowed(&bytes[r]))
            .await
    }

    /// [`Session::write_disk`] of `len` bytes the caller hands over one batch at a time:
    /// `part(range)` gives the bytes of `range` of the write (the JS API copies them out of a
    /// `Uint8Array` there). At most two batches are held at once: the one being committed and
    /// the next, fetched and hashed while the previous transaction runs.
    pub async fn write_disk_parts<'a>(
        &mut self,
        disk_id: &str,
        offset: u64,
        len: usize,
        part: impl Fn(Range<usize>) -> Cow<'a, [u8]>,
    ) -> Result<Value, Value> {
        self.ahead = None;
        if let Err(f) = self.check_broken() {
            return Err(self.refusal(f).body);
        }
        let block_size = self.world.block_size();
        let algo = self.world.blocks.hash_algo();
        let batch = (WRITE_BATCH_BYTES as u64 / block_size).max(1) * block_size;
        // The batches: the first ends on a batch boundary of the disk, later ones are whole.
        let mut ranges: Vec<(u64, Range<usize>)> = Vec::new();
        let mut at = 0usize;
        while at < len || ranges.is_empty() {
            let pos = offset + at as u64;
            let n = ((batch - pos % batch) as usize).min(len - at);
            ranges.push((pos, at..at + n));
            at += n;
        }
        let fetch = |(pos, range): &(u64, Range<usize>)| {
            let bytes = part(range.clone());
            let whole = whole_block_contents(*pos, &bytes, block_size as u32, algo);
            (*pos, bytes, whole)
        };
        let mut next = ranges.first().map(fetch);
        let mut reply = Value::Null;
        for i in 0..ranges.len() {
            let Some((pos, bytes, whole)) = next.take() else { break };
            let applied = async {
                let needs = self.world.write_needs(disk_id, pos, bytes.len() as u64);
                let source = self.prefetch(needs).await?;
                self.world.write_bytes_canonical(disk_id, pos, &bytes, &source, &whole)
            }
            .await;
            // A refused write changed nothing (the world checks before it changes anything).
            let applied = applied.map_err(|f| self.refusal(f).body)?;
            let (last, batch) = match self
                .prepare(WriteBatch::new(), applied.effects, block_size as u32)
                .await
            {
                Ok(batch) => (applied.reply, batch),
                Err(e) => {
                    self.recover().await;
                    return Err(self.refusal(Failure::Api(e)).body);
                }
            };
            // Issue the transaction, fetch and hash the next batch while it runs, then await it.
            let done = {
                let mut commit = std::pin::pin!(self.store.commit(batch));
                let started = commit
                    .as_mut()
                    .poll(&mut std::task::Context::from_waker(std::task::Waker::noop()));
                next = ranges.get(i + 1).map(fetch);
                match started {
                    std::task::Poll::Ready(r) => r,
                    std::task::Poll::Pending => commit.await,
                }
            };
            if let Err(e) = done {
                self.recover().await;
                return Err(self.refusal(Failure::Api(e.into())).body);
            }
            reply = last;
        }
        Ok(reply)
    }

    /// Reads `len` bytes at byte `offset` of a disk (`d-…`) or a snapshot (`s-…`), at most
    /// 256 MiB at a time (read larger contents in chunks, see [`Session::content_bytes`]).
    ///
    /// Reads ahead: once this read's blocks are in, the blocks of the next
    /// [`READ_AHEAD_BYTES`] of the same content start being read, so that IndexedDB reads them
    /// while this read's bytes are put together and handed over. The next read takes what it
    /// needs from there. Any other operation drops what was read ahead (a world reset, for one,
    /// gives slots from 0 again); between two reads nothing else runs on the session.
    pub async fn read(&mut self, id: &str, offset: u64, len: u64) -> Result<Vec<u8>, Value> {
        let ahead = self.ahead.take();
        let result = async {
            self.check_broken()?;
            let needs = self.world.read_needs(id, offset, len);
            let blocks = self.needed_blocks(needs);
            let mut found = HashMap::new();
            if let Some(ahead) = ahead.filter(|a| a.block_size == self.world.block_size() as u32) {
                let wanted: HashSet<&ContentHash> = blocks.iter().map(|b| &b.hash).collect();
                if ahead.blocks.iter().any(|b| wanted.contains(&b.hash)) {
                    found = self.finish_block_read(ahead).await?;
                    found.retain(|h, _| wanted.contains(h));
                }
            }
            let missing: Vec<StoredBlock> = blocks.into_iter().filter(|b| !found.contains_key(&b.hash)).collect();
            found.extend(self.read_stored(&missing).await?);
            self.ahead = self.read_ahead(id, offset.saturating_add(len));
            self.world.read_bytes(id, offset, len, &Prefetched(found))
        }
        .await;
        result.map_err(|f| self.refusal(f).body)
    }

    /// Starts reading the blocks of the [`READ_AHEAD_BYTES`] of `id` from byte `from` (none
    /// at the content's end, or when the read cannot start).
    fn read_ahead(&self, id: &str, from: u64) -> Option<BlockRead<S::Pending>> {
        let size = self.world.content_bytes(id).ok()?;
        let len = size.checked_sub(from).filter(|&n| n > 0)?.min(READ_AHEAD_BYTES);
        let blocks = self.needed_blocks(self.world.read_needs(id, from, len));
        self.start_block_read(blocks).ok()
    }

    /// The size in bytes of a disk's or a snapshot's content.
    pub fn content_bytes(&mut self, id: &str) -> Result<u64, Value> {
        let size = self.check_broken().and_then(|()| self.world.content_bytes(id));
        size.map_err(|f| self.refusal(f).body)
    }
}

impl<S: Store> Session<S> {
    /// `snaplab world export`: the whole world — its state and every stored block — as one
    /// JSON object that `snaplab world import --Json …` takes back.
    pub async fn export(&mut self) -> Result<Value, Failure> {
        if self.world.blocks.stored_bytes() > EXPORT_MAX_BYTES {
            return Err(EcsError::OperationDenied(DenyReason::WorldTooLargeToExport).into());
        }
        let stored_blocks = self.world.blocks.stored_blocks();
        let mut stored = self.read_stored(&stored_blocks).await?;
        let mut blocks = serde_json::Map::new();
        for StoredBlock { hash, .. } in &stored_blocks {
            let bytes = stored.remove(hash).ok_or(EcsError::InternalError)?;
            blocks.insert(hash.to_hex(), Value::String(b64().encode(bytes)));
        }
        Ok(serde_json::json!({
            "Format": EXPORT_FORMAT,
            "Version": EXPORT_VERSION,
            "World": self.world.to_full_json().map_err(|_| EcsError::InternalError)?,
            "Blocks": blocks,
        }))
    }

    /// `snaplab world import --Json …`: replaces the world with an exported one. The file is
    /// checked whole before anything changes: its format and version, the world's state (the
    /// block engine refuses an inconsistent one), every block the world needs present, and
    /// every block's bytes matching its content hash.
    pub async fn import(&mut self, json: &str) -> Result<Value, Failure> {
        self.ahead = None;
        let bad = |why: &str| Failure::Api(EcsError::invalid("Json", format!("not a Snaplab world export: {why}")));
        let file: Value = serde_json::from_str(json).map_err(|e| bad(&e.to_string()))?;
        if file["Format"] != EXPORT_FORMAT {
            return Err(bad("Format is not \"snaplab-world\""));
        }
        if file["Version"] != EXPORT_VERSION {
            return Err(bad("unsupported Version"));
        }
        let mut world = World::from_full_json(file["World"].clone()).map_err(|e| bad(&e.to_string()))?;
        // Issue 12: the world is checked whole (references, owners, counters, ranges) before
        // it can replace this one.
        world.validate().map_err(|e| bad(&e.to_string()))?;
        let blocks = file["Blocks"]
            .as_object()
            .ok_or_else(|| bad("Blocks is not an object"))?;
        // Every block is stored anew, under slots in the order the world uses them.
        world.blocks.assign_slots();
        let needed = world.blocks.stored_blocks();
        let mut effects = Effects::default();
        for block in &needed {
            let hash = &block.hash;
            let key = hash.to_hex();
            let text = blocks
                .get(&key)
                .and_then(Value::as_str)
                .ok_or_else(|| bad(&format!("block {key} is missing")))?;
            let bytes = b64()
                .decode(text)
                .map_err(|_| bad(&format!("block {key} is not base64")))?;
            if world.blocks.hash_algo().hash(&bytes) != *hash || bytes.len() as u64 != world.block_size() {
                return Err(bad(&format!("block {key} does not match its hash")));
            }
            effects.put.push((*block, bytes));
        }
        if blocks.len() != needed.len() {
            return Err(bad("it holds blocks the world does not use"));
        }
        // Everything checked: replace the old blocks, records and world in one commit. The old
        // pieces go by key (they may be laid out for another block size), before the new ones
        // are put (a later write to the same key wins).
        let old_blocks: Vec<String> = self.store.keys(Table::Blocks).await.map_err(EcsError::from)?;
        let previous = std::mem::replace(&mut self.world, world);
        let mut batch = WriteBatch::new();
        for key in old_blocks {
            batch.delete(Table::Blocks, key);
        }
        let block_size = self.world.block_size() as u32;
        if let Err(e) = self.save(batch, effects, block_size).await {
            self.world = previous;
            return Err(e.into());
        }
        Ok(self.world.show())
    }
}

/// The most stored block bytes `snaplab world export` puts in one document (it is built in
/// memory, base64 and all; the message of [`DenyReason::WorldTooLargeToExport`] names it).
pub const EXPORT_MAX_BYTES: u64 = 64 << 20;

/// The `Format` of a world export.
pub const EXPORT_FORMAT: &str = "snaplab-world";
/// The `Version` of a world export this build writes and reads.
pub const EXPORT_VERSION: u64 = 1;

fn b64() -> base64::engine::GeneralPurpose {
    base64::engine::general_purpose::STANDARD
}

fn render(reply: &Value, spec: &OutputSpec) -> Result<String, Failure> {
    cli::render_table(reply, spec).map_err(Failure::Cli)
}

/// Block bytes read ahead of a command.
struct Prefetched(HashMap<ContentHash, Vec<u8>>);

impl BlockSource for Prefetched {
    fn get(&self, hash: &ContentHash) -> Option<&[u8]> {
        self.0.get(hash).map(Vec::as_slice)
    }
}

/// Runs a future to completion on this thread (native callers: the `snaplab` runner, tests).
#[cfg(not(target_arch = "wasm32"))]
pub fn block_on<F: std::future::Future>(f: F) -> F::Output {
    use std::sync::Arc;
    use std::task::{Context, Poll, Wake, Waker};
    struct Unpark(std::thread::Thread);
    impl Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
    let mut cx = Context::from_waker(&waker);
    let mut f = std::pin::pin!(f);
    loop {
        match f.as_mut().poll(&mut cx) {
            Poll::Ready(v) => return v,
            Poll::Pending => std::thread::park(),
        }
    }
}
