//! A world bound to a [`Store`]: the one place where the sans-I/O world meets storage.
//!
//! [`Session::exec_line`] runs one command line end to end: parse, prefetch the stored block
//! bytes the command will read, run it on the in-memory world, and commit its effects — block
//! bytes put and freed, and the world's new state — as **one** [`WriteBatch`]. When the command
//! is refused, or the commit fails, the world returns to the state it had before the line.

use crate::blocks::{BlockSource, ContentHash, Need};
use crate::cli::{self, Command, OutputSpec, Target};
use crate::error::EcsError;
use crate::store::{Store, StoreError, Table, WriteBatch};
use crate::world::{Applied, Failure, World, DEFAULT_BLOCK_SIZE, DEFAULT_SEED};
use base64::Engine as _;
use serde_json::Value;
use std::collections::HashMap;

/// The key of the world's state in [`Table::Meta`].
pub const WORLD_KEY: &str = "world";

/// The outcome of one line.
#[derive(Clone, Debug, PartialEq)]
pub struct LineReply {
    /// The API reply, or the API error object (SPEC §17).
    pub body: Value,
    /// Whether `body` is an error object.
    pub is_error: bool,
    /// The `--output` table the line asked for, if any (already rendered).
    pub table: Option<String>,
}

/// A world and the store it persists to.
pub struct Session<S: Store> {
    world: World,
    store: S,
}

impl<S: Store> Session<S> {
    /// Opens the world saved in `store`, or a new one (default seed and block size).
    pub async fn open(store: S) -> Result<Self, EcsError> {
        let saved = store.get(Table::Meta, &[WORLD_KEY.to_string()]).await?;
        let world = match saved.into_iter().next().flatten() {
            Some(bytes) => serde_json::from_slice(&bytes)
                .map_err(|e| EcsError::Storage(StoreError::Backend(format!("the saved world is unreadable: {e}"))))?,
            None => World::new(DEFAULT_SEED, DEFAULT_BLOCK_SIZE).map_err(|f| match f {
                Failure::Api(e) => e,
                Failure::Cli(_) => EcsError::InternalError,
            })?,
        };
        Ok(Session { world, store })
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
            Err(e) => Some(self.failure(Failure::Cli(e))),
        }
    }

    fn failure(&mut self, f: Failure) -> LineReply {
        let id = self.world.request_id();
        LineReply {
            body: f.to_json(&id),
            is_error: true,
            table: None,
        }
    }

    /// Runs one parsed command (with its `--waiter` and `--output`). On failure the world
    /// returns to its last committed state.
    pub async fn exec(&mut self, cmd: &Command) -> LineReply {
        let mut committed = self.world.clone();
        match self.run(cmd, &mut committed).await {
            Ok((body, table)) => LineReply {
                body,
                is_error: false,
                table,
            },
            Err(f) => {
                self.world = committed;
                self.failure(f)
            }
        }
    }

    async fn run(&mut self, cmd: &Command, committed: &mut World) -> Result<(Value, Option<String>), Failure> {
        if let Target::Snaplab { words } = &cmd.target {
            // The two commands that need the whole store, not just the world.
            match words.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
                ["world", "export"] => return Ok((self.export().await?, None)),
                ["world", "import"] => {
                    let reply = self.import(cmd.params.require("Json")?).await?;
                    *committed = self.world.clone();
                    return Ok((reply, None));
                }
                _ => {}
            }
        }
        if cmd.waiter.is_some() && !is_read_only(cmd) {
            // The CLI's waiter repeats the call: repeating a change would change again.
            return Err(EcsError::invalid("waiter", "--waiter polls Describe…/List… actions only").into());
        }
        let mut applied = self.exec_once(cmd).await?;
        *committed = self.world.clone();
        if let Some(waiter) = &cmd.waiter {
            // Poll, advancing the simulated clock by the waiter's interval (SPEC §18).
            let mut waited = 0u32;
            while !waiter.is_satisfied(&applied.reply)? {
                if waited >= waiter.timeout {
                    let last = waiter.evaluate(&applied.reply).unwrap_or_default();
                    return Err(Failure::Cli(waiter.timeout_error(&last)));
                }
                let next = self.world.now().add_seconds(i64::from(waiter.interval));
                self.world.advance_to(next)?;
                waited += waiter.interval;
                applied = self.exec_once(cmd).await?;
                *committed = self.world.clone();
            }
        }
        let table = match &cmd.output {
            Some(spec) => Some(render(&applied.reply, spec)?),
            None => None,
        };
        Ok((applied.reply, table))
    }

    /// Runs the command once and commits what it did.
    async fn exec_once(&mut self, cmd: &Command) -> Result<Applied, Failure> {
        let source = self.prefetch(cmd).await?;
        let applied = self.world.exec(cmd, &source)?;
        let mut batch = WriteBatch::new();
        for (hash, bytes) in &applied.effects.put {
            batch.put(Table::Blocks, hash.to_hex(), bytes.clone());
        }
        for hash in &applied.effects.delete {
            batch.delete(Table::Blocks, hash.to_hex());
        }
        let state = serde_json::to_vec(&self.world).map_err(|_| EcsError::InternalError)?;
        batch.put(Table::Meta, WORLD_KEY, state);
        self.store.commit(batch).await.map_err(EcsError::from)?;
        Ok(applied)
    }

    /// Reads the stored block bytes `cmd` will need into memory.
    async fn prefetch(&self, cmd: &Command) -> Result<Prefetched, Failure> {
        let needs: Vec<Need> = match &cmd.target {
            Target::Snaplab { words } => {
                let words: Vec<&str> = words.iter().map(String::as_str).collect();
                self.world.needs(&words, &cmd.params)
            }
            Target::Api { .. } => Vec::new(),
        };
        let mut hashes: Vec<ContentHash> = Vec::new();
        for need in needs {
            // A need the engine cannot plan (e.g. out of range) is refused by the command itself.
            hashes.extend(self.world.blocks.needed_contents(need).unwrap_or_default());
        }
        hashes.sort();
        hashes.dedup();
        let keys: Vec<String> = hashes.iter().map(ContentHash::to_hex).collect();
        let values = self.store.get(Table::Blocks, &keys).await.map_err(EcsError::from)?;
        Ok(Prefetched(
            hashes
                .into_iter()
                .zip(values)
                .filter_map(|(h, v)| v.map(|v| (h, v)))
                .collect(),
        ))
    }
}

impl<S: Store> Session<S> {
    /// `snaplab world export`: the whole world — its state and every stored block — as one
    /// JSON object that `snaplab world import --Json …` takes back.
    pub async fn export(&mut self) -> Result<Value, Failure> {
        let hashes = self.world.blocks.stored_contents();
        let keys: Vec<String> = hashes.iter().map(ContentHash::to_hex).collect();
        let values = self.store.get(Table::Blocks, &keys).await.map_err(EcsError::from)?;
        let mut blocks = serde_json::Map::new();
        for (key, value) in keys.into_iter().zip(values) {
            let bytes = value.ok_or(EcsError::InternalError)?;
            blocks.insert(key, Value::String(b64().encode(bytes)));
        }
        Ok(serde_json::json!({
            "Format": EXPORT_FORMAT,
            "Version": EXPORT_VERSION,
            "World": serde_json::to_value(&self.world).map_err(|_| EcsError::InternalError)?,
            "Blocks": blocks,
        }))
    }

    /// `snaplab world import --Json …`: replaces the world with an exported one. The file is
    /// checked whole before anything changes: its format and version, the world's state (the
    /// block engine refuses an inconsistent one), every block the world needs present, and
    /// every block's bytes matching its content hash.
    pub async fn import(&mut self, json: &str) -> Result<Value, Failure> {
        let bad = |why: &str| Failure::Api(EcsError::invalid("Json", format!("not a Snaplab world export: {why}")));
        let file: Value = serde_json::from_str(json).map_err(|e| bad(&e.to_string()))?;
        if file["Format"] != EXPORT_FORMAT {
            return Err(bad("Format is not \"snaplab-world\""));
        }
        if file["Version"] != EXPORT_VERSION {
            return Err(bad("unsupported Version"));
        }
        let world: World = serde_json::from_value(file["World"].clone()).map_err(|e| bad(&e.to_string()))?;
        let blocks = file["Blocks"]
            .as_object()
            .ok_or_else(|| bad("Blocks is not an object"))?;
        let needed = world.blocks.stored_contents();
        let mut batch = WriteBatch::new();
        for hash in &needed {
            let key = hash.to_hex();
            let text = blocks
                .get(&key)
                .and_then(Value::as_str)
                .ok_or_else(|| bad(&format!("block {key} is missing")))?;
            let bytes = b64()
                .decode(text)
                .map_err(|_| bad(&format!("block {key} is not base64")))?;
            if ContentHash::of(&bytes) != *hash {
                return Err(bad(&format!("block {key} does not match its hash")));
            }
            batch.put(Table::Blocks, key, bytes);
        }
        if blocks.len() != needed.len() {
            return Err(bad("it holds blocks the world does not use"));
        }
        // Everything checked: replace the old blocks and the world in one commit.
        let keep: std::collections::HashSet<String> = needed.iter().map(ContentHash::to_hex).collect();
        for old in self.store.keys(Table::Blocks).await.map_err(EcsError::from)? {
            if !keep.contains(&old) {
                batch.delete(Table::Blocks, old);
            }
        }
        let state = serde_json::to_vec(&world).map_err(|_| EcsError::InternalError)?;
        batch.put(Table::Meta, WORLD_KEY, state);
        self.store.commit(batch).await.map_err(EcsError::from)?;
        self.world = world;
        Ok(self.world.show())
    }
}

/// The `Format` of a world export.
pub const EXPORT_FORMAT: &str = "snaplab-world";
/// The `Version` of a world export this build writes and reads.
pub const EXPORT_VERSION: u64 = 1;

fn b64() -> base64::engine::GeneralPurpose {
    base64::engine::general_purpose::STANDARD
}

/// Whether a command only reads (so that a waiter may repeat it).
fn is_read_only(cmd: &Command) -> bool {
    match &cmd.target {
        Target::Api { action, .. } => action.starts_with("Describe") || action.starts_with("List"),
        Target::Snaplab { words } => matches!(
            words.iter().map(String::as_str).collect::<Vec<_>>().as_slice(),
            ["guest", "read" | "checksum"]
                | ["snapshot", "checksum" | "delete-preview" | "copy-info"]
                | ["disk", "reset-preview"]
                | ["billing", "estimate"]
                | ["chain", "blocks"]
                | ["clock", "show"]
                | ["world", "show"]
        ),
    }
}

fn render(reply: &Value, spec: &OutputSpec) -> Result<String, Failure> {
    cli::render_table(reply, spec).map_err(Failure::Cli)
}

/// Block bytes read ahead of a command.
struct Prefetched(HashMap<ContentHash, Vec<u8>>);

impl BlockSource for Prefetched {
    fn get(&self, hash: &ContentHash) -> Option<Vec<u8>> {
        self.0.get(hash).cloned()
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
