//! The block-level snapshot engine: block maps of volumes (disks) and snapshots, chains,
//! ownership, capacity, deletion merges and physical garbage collection.
//!
//! Pure, synchronous and in memory: no I/O, no clocks. The world layer maps ECS IDs to the small
//! handles used here ([`VolumeId`], [`SnapId`]), checks ECS preconditions and persists the
//! [`Effects`] every mutating call returns (block bytes to put / delete) together with the engine
//! state (which is `serde`-serializable).
//!
//! # Model
//!
//! * **Content.** A block's bytes have a canonical form ([`Content`]): `Zero`, `Pattern {seed, lba}`
//!   (synthetic fills: a few bytes of metadata for any size) or `Data(content hash)` (BLAKE3;
//!   SHA-256 in worlds saved before it). Only `Data` bytes are stored physically: deduplicated
//!   by hash, refcounted, and kept under a *slot* given in storing order ([`StoredBlock`]), so
//!   that storage keys follow the order blocks were written in.
//! * **Versions.** Every guest write or fill creates an *extent*: `len` new block versions starting
//!   at an LBA (a fill is one descriptor, a write a list of per-block contents). A version is
//!   `(extent, offset)` and never moves to another LBA, so "same version" implies "same LBA". A
//!   rewrite of identical bytes is still a new version (R-INC-4).
//! * **Maps.** A volume's live map and every snapshot's map are persistent radix trees
//!   LBA → extent (module `tree`). Taking a snapshot clones the volume's map in O(1); later writes
//!   copy only the paths they touch (R-INC-5, redirect-on-write). Diffing two maps skips shared
//!   subtrees, so it costs O(what differs).
//! * **Chains.** One chain per volume (R-CHN-1), snapshots in creation order; copies of a volume's
//!   snapshots to a region form a chain keyed by (source volume, region) (R-CPY-1).
//! * **Deltas.** Each snapshot stores its *delta*: where its map differs from its predecessor's
//!   (the first snapshot: from an empty map), including tombstones where an LBA became empty
//!   (re-init, rollback). Invariant: *a version is in a chain ⇔ some snapshot's delta contains it*,
//!   and the *owner* of a version is the earliest snapshot whose delta contains it — which is the
//!   earliest snapshot whose map contains it. A chain keeps, per version range, the set of
//!   snapshots whose deltas contain it ("holders"); capacity (R-CHN-1) is the running count of
//!   versions with at least one holder.
//! * **Why costs follow change, not disk size.** The delta of a new snapshot is the diff between the
//!   volume's map and the previous snapshot's map: the LBAs written since then (the volume's
//!   implicit *dirty set*, see [`BlockEngine::dirty_runs`]). Deleting `Sk` touches only
//!   `delta(Sk)` and `delta(Sk+1)`: the successor's delta is recomputed against `Sk`'s predecessor
//!   (a diff of two structurally shared maps), the versions of `Sk` the successor still maps move
//!   into it (it becomes their owner, R-DEL-3) and the versions no delta holds any more leave the
//!   chain. Nothing iterates the chain or the disk.
//! * **Physical GC.** Every version counts its holders: volumes whose live map contains it plus
//!   chains that contain it. When that reaches zero the version dies and its `Data` content's
//!   refcount drops; at zero the bytes are listed in [`Effects::delete`].
//! * **Bytes.** The engine forgets `Data` bytes once it returns them in [`Effects::put`]. Calls that
//!   need existing bytes take a [`BlockSource`]; [`BlockEngine::needed_contents`] lists exactly what
//!   such a call will read, so an async caller can prefetch.
//!
//! # Files
//!
//! This file: the types, the engine's state and its basic operations (lookups, reference
//! counting, volumes, writes, snapshots). Beside it: `read.rs` (block bytes, exports, what a call
//! will read, checksums), `delete.rs` (deletion planning and merges, R-DEL-3), `report.rs` (runs,
//! chain views and deletion reports), `view.rs` (the live disk's row of the block view),
//! `invariants.rs` (the invariant checks), `tree.rs` (persistent maps), `ranges.rs` (interval
//! maps), `content.rs` (canonical content and hashes), `stored.rs` (the stored contents' table),
//! `serial.rs` (serialization, whole and per record), `tests.rs` (rule tests).

mod content;
mod delete;
mod invariants;
mod ranges;
mod read;
mod report;
mod serial;
mod stored;
mod tree;
pub mod view;

#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

pub use content::{canonicalize, pattern_bytes, BlockSource, Content, ContentHash, HashAlgo, NoSource, PATTERN_MAGIC};
pub use read::Export;
pub use report::{ChainView, DeleteReport, MovedRun, RunInfo, SnapshotView};
pub use serial::{EngineHeader, RecordChanges};

use ranges::RangeMap;
use stored::{ContentMap, Stored};
use tree::{BlockMap, Slot};

/// Smallest accepted block size (bytes).
pub const MIN_BLOCK_SIZE: u32 = 512;
/// Largest accepted block size (bytes).
pub const MAX_BLOCK_SIZE: u32 = 4 << 20;
/// Largest volume, in blocks.
pub const MAX_SIZE_BLOCKS: u64 = 1 << 40;
/// Largest single read ([`BlockEngine::read_blocks`], one export chunk), in bytes.
pub const MAX_READ_BYTES: u64 = 256 << 20;

/// A volume (disk) handle.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct VolumeId(pub u64);

/// A snapshot handle. Ids grow with creation time, so chain order is id order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SnapId(pub u64);

/// An extent: the block versions one write or fill created.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ExtentId(pub u64);

/// One block version: block `offset` of an extent (at LBA `extent start + offset`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct VersionId {
    /// The extent that created it.
    pub extent: ExtentId,
    /// Its index inside that extent.
    pub offset: u64,
}

/// An opaque region name given by the caller (e.g. `"cn-hangzhou"`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RegionKey(pub String);

/// Identifies a chain: a volume's own chain, or the copies of a volume's snapshots in a region.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ChainKey {
    /// The chain of the volume's own snapshots (R-CHN-1).
    Volume(VolumeId),
    /// Copies of the snapshots of volume `source` in `region` (R-CPY-1/2).
    Copy {
        /// The volume the copied snapshots were taken from.
        source: VolumeId,
        /// The destination region.
        region: RegionKey,
    },
}

/// Something that has block content: a volume's live data or a snapshot.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    /// A volume's current content.
    Volume(VolumeId),
    /// A snapshot's content.
    Snapshot(SnapId),
}

/// The canonical contents of the whole blocks that `bytes` written at byte `offset` covers,
/// in order (what [`BlockEngine::write_canonical`] takes), in a world whose blocks `algo` names.
pub fn whole_block_contents(offset: u64, bytes: &[u8], block_size: u32, algo: HashAlgo) -> Vec<Content> {
    let bs = block_size as u64;
    let skip = ((bs - offset % bs) % bs).min(bytes.len() as u64) as usize;
    bytes[skip..]
        .chunks_exact(block_size as usize)
        .map(|block| canonicalize(block, algo))
        .collect()
}

/// A stored content and where its bytes are kept: its *slot*, a number the engine gives a
/// content when it first stores it (in storing order, never reused), or — for contents stored
/// before slots existed — under its hash alone (`slot: None`). Storage keys follow the slot, so
/// blocks written together are stored, and read back, together; the hash still names the
/// content (deduplication, verification). Ordered by slot, as a store keeps them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StoredBlock {
    /// Where the bytes are kept (`None`: under the hash).
    pub slot: Option<u64>,
    /// The content.
    pub hash: ContentHash,
}

/// The largest slot number (storage keys are `slot × 128 + piece`, exact as JavaScript numbers).
pub const MAX_SLOT: u64 = (1 << 46) - 1;
/// The largest `next_id` a loaded engine may have (issue 12: a larger one is refused, so the
/// counter never reaches the end of `u64`). IDs stay exact in JSON numbers below it.
pub const MAX_NEXT_ID: u64 = 1 << 53;

/// Physical effects of a mutating call: bytes to store and contents to free, to be committed in
/// the same transaction as the engine's metadata.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Effects {
    /// New contents to store (with their new slot, full block bytes). Never already stored.
    pub put: Vec<(StoredBlock, Vec<u8>)>,
    /// Contents no longer needed by anything (where their bytes were kept).
    pub delete: Vec<StoredBlock>,
}

impl Effects {
    /// True when nothing is to be stored or freed.
    pub fn is_empty(&self) -> bool {
        self.put.is_empty() && self.delete.is_empty()
    }
}

/// A refusal. Every error leaves the engine unchanged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BlockError {
    /// Block size not a power of two in 512 B ..= 4 MiB.
    BadBlockSize {
        /// The rejected size.
        size: u64,
    },
    /// No such volume.
    VolumeNotFound(VolumeId),
    /// No such snapshot.
    SnapshotNotFound(SnapId),
    /// An access beyond the end of a volume or snapshot (`unit` is "byte" or "block").
    OutOfRange {
        /// Start of the access.
        start: u64,
        /// Length of the access.
        len: u64,
        /// Size of the target.
        size: u64,
        /// "byte" or "block".
        unit: &'static str,
    },
    /// A labelled text does not fit in one block.
    TextTooLong {
        /// Text length in bytes.
        len: usize,
        /// The block size.
        block_size: u32,
    },
    /// The snapshot is not in the volume's own chain (R-RB-4, R-CPY-1).
    NotInChain {
        /// The snapshot.
        snapshot: SnapId,
        /// The volume.
        volume: VolumeId,
    },
    /// Volumes only grow.
    ShrinkNotAllowed {
        /// Current size in blocks.
        current: u64,
        /// Requested size in blocks.
        requested: u64,
    },
    /// A volume from (or re-initialised to) a snapshot must be at least the snapshot's size (R-DSK-1).
    SizeTooSmall {
        /// Requested or current volume size in blocks.
        requested: u64,
        /// The snapshot's size in blocks.
        snapshot_size: u64,
    },
    /// Size above [`MAX_SIZE_BLOCKS`].
    TooLarge {
        /// Requested size in blocks.
        size_blocks: u64,
    },
    /// A single read larger than [`MAX_READ_BYTES`] (read in chunks: [`BlockEngine::export`]).
    ReadTooLarge {
        /// Requested bytes.
        bytes: u64,
    },
    /// The block source lacks (or has a wrong-sized) stored block.
    MissingContent(ContentHash),
    /// Serialized state is inconsistent.
    CorruptState(String),
}

impl fmt::Display for BlockError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BlockError::BadBlockSize { size } => {
                write!(f, "block size {size} is not a power of two between 512 B and 4 MiB")
            }
            BlockError::VolumeNotFound(v) => write!(f, "volume {} not found", v.0),
            BlockError::SnapshotNotFound(s) => write!(f, "snapshot {} not found", s.0),
            BlockError::OutOfRange { start, len, size, unit } => {
                write!(f, "{unit} range {start}+{len} is outside the size of {size} {unit}s")
            }
            BlockError::TextTooLong { len, block_size } => {
                write!(f, "text of {len} bytes does not fit in a {block_size}-byte block")
            }
            BlockError::NotInChain { snapshot, volume } => {
                write!(f, "snapshot {} is not in the chain of volume {}", snapshot.0, volume.0)
            }
            BlockError::ShrinkNotAllowed { current, requested } => {
                write!(f, "volumes cannot shrink ({current} → {requested} blocks)")
            }
            BlockError::SizeTooSmall {
                requested,
                snapshot_size,
            } => {
                write!(
                    f,
                    "size {requested} blocks is smaller than the snapshot's {snapshot_size} blocks"
                )
            }
            BlockError::TooLarge { size_blocks } => {
                write!(f, "size {size_blocks} blocks exceeds the maximum of {MAX_SIZE_BLOCKS}")
            }
            BlockError::ReadTooLarge { bytes } => {
                write!(
                    f,
                    "a single read of {bytes} bytes exceeds {MAX_READ_BYTES} bytes; read in chunks"
                )
            }
            BlockError::MissingContent(h) => write!(f, "stored block {h} is missing"),
            BlockError::CorruptState(why) => write!(f, "corrupt block engine state: {why}"),
        }
    }
}

impl std::error::Error for BlockError {}

/// Result alias of this module.
pub type BlockResult<T> = Result<T, BlockError>;

/// What a call will read from the [`BlockSource`] (see [`BlockEngine::needed_contents`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Need {
    /// [`BlockEngine::write`] of `len` bytes at byte `offset` (partial edge blocks are read).
    Write {
        /// The volume.
        volume: VolumeId,
        /// Byte offset.
        offset: u64,
        /// Byte length.
        len: u64,
    },
    /// Reading `count` blocks from `from_lba` ([`BlockEngine::read_blocks`], export).
    Read {
        /// Volume or snapshot.
        target: Target,
        /// First block.
        from_lba: u64,
        /// Number of blocks.
        count: u64,
    },
}

// ------------------------------------------------------------------------------------------------
// Internal state

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
enum ExtentKind {
    /// A synthetic fill: block at LBA `l` is `Pattern { seed, lba: l }`.
    Fill { seed: u64 },
    /// A write: one content per block.
    Blocks(Vec<Content>),
}

#[derive(Clone, Debug)]
struct Extent {
    lba: u64,
    len: u64,
    kind: ExtentKind,
    /// Holders of each live version (by LBA): volumes whose map has it + chains containing it.
    live: RangeMap<u32>,
}

impl Extent {
    fn content_at(&self, lba: u64) -> Content {
        match &self.kind {
            ExtentKind::Fill { seed } => Content::Pattern { seed: *seed, lba },
            ExtentKind::Blocks(v) => v.get((lba - self.lba) as usize).copied().unwrap_or(Content::Zero),
        }
    }
}

#[derive(Clone, Debug)]
struct Volume {
    size: u64,
    map: BlockMap,
}

#[derive(Clone, Debug)]
struct Snapshot {
    chain: ChainKey,
    size: u64,
    map: BlockMap,
    /// Where `map` differs from the predecessor's map (value `None` = tombstone).
    delta: RangeMap<Slot>,
}

#[derive(Clone, Debug, Default)]
struct Chain {
    snaps: BTreeSet<SnapId>,
    /// Per extent, per LBA range: the snapshots (sorted) whose delta contains the version.
    holders: BTreeMap<ExtentId, RangeMap<Vec<SnapId>>>,
    /// Versions with at least one holder.
    capacity: u64,
}

impl Chain {
    /// Adds `snap` as holder of versions `[s, e)` of `ext`; returns ranges newly in the chain.
    fn add(&mut self, snap: SnapId, ext: ExtentId, s: u64, e: u64) -> Vec<(u64, u64)> {
        let mut newly = Vec::new();
        let map = self.holders.entry(ext).or_default();
        map.update(s, e, |ps, pe, old| {
            let mut v = old.cloned().unwrap_or_default();
            if v.is_empty() {
                newly.push((ps, pe));
            }
            if let Err(i) = v.binary_search(&snap) {
                v.insert(i, snap);
            }
            Some(v)
        });
        self.capacity += newly.iter().map(|(a, b)| b - a).sum::<u64>();
        newly
    }

    /// Removes `snap` as holder of versions `[s, e)` of `ext`; returns ranges that left the chain.
    fn remove(&mut self, snap: SnapId, ext: ExtentId, s: u64, e: u64) -> Vec<(u64, u64)> {
        let mut gone = Vec::new();
        if let Some(map) = self.holders.get_mut(&ext) {
            map.update(s, e, |ps, pe, old| {
                let mut v = old.cloned()?;
                if let Ok(i) = v.binary_search(&snap) {
                    v.remove(i);
                }
                if v.is_empty() {
                    gone.push((ps, pe));
                    None
                } else {
                    Some(v)
                }
            });
            if map.is_empty() {
                self.holders.remove(&ext);
            }
        }
        self.capacity -= gone.iter().map(|(a, b)| b - a).sum::<u64>();
        gone
    }

    fn last(&self) -> Option<SnapId> {
        self.snaps.iter().next_back().copied()
    }
}

/// The block engine. See the [module documentation](self).
#[derive(Clone, Debug)]
pub struct BlockEngine {
    block_size: u32,
    /// How stored blocks are named (fixed for the engine's life).
    hash: HashAlgo,
    next_id: u64,
    /// Behind `Arc`s, like [`ContentMap`]'s shards: a clone of the engine shares them, and a
    /// change copies only the extent it touches.
    extents: BTreeMap<ExtentId, Arc<Extent>>,
    /// Stored `Data` contents: how many live versions use each, and its slot.
    contents: ContentMap,
    /// The slot the next newly stored content gets.
    next_slot: u64,
    volumes: BTreeMap<VolumeId, Volume>,
    snaps: BTreeMap<SnapId, Snapshot>,
    chains: BTreeMap<ChainKey, Chain>,
    /// What changed since the last [`BlockEngine::take_changes`] (incremental persistence).
    dirty: Dirty,
}

/// The persisted records a mutation touched (see `serial`): extents are written once and
/// removed when dead, snapshots when created or their delta changes, volumes on every change
/// of their map, size or base (their chain's last snapshot). `all` marks an engine that was
/// never persisted: its first save replaces every record.
#[derive(Clone, Debug, Default)]
struct Dirty {
    all: bool,
    extents: BTreeSet<ExtentId>,
    snaps: BTreeSet<SnapId>,
    volumes: BTreeSet<VolumeId>,
}

impl Dirty {
    /// Marks the volume whose chain `key` is (a copy chain has no volume).
    fn chain(&mut self, key: &ChainKey) {
        if let ChainKey::Volume(v) = key {
            self.volumes.insert(*v);
        }
    }
}

fn version_of(ext: ExtentId, extent_lba: u64, lba: u64) -> VersionId {
    VersionId {
        extent: ext,
        offset: lba - extent_lba,
    }
}

impl BlockEngine {
    /// A new, empty engine. `block_size` must be a power of two in 512 B ..= 4 MiB.
    pub fn new(block_size: u32) -> BlockResult<BlockEngine> {
        if !(MIN_BLOCK_SIZE..=MAX_BLOCK_SIZE).contains(&block_size) || !block_size.is_power_of_two() {
            return Err(BlockError::BadBlockSize {
                size: block_size as u64,
            });
        }
        Ok(BlockEngine {
            block_size,
            hash: HashAlgo::NEW,
            next_id: 1,
            extents: BTreeMap::new(),
            contents: ContentMap::default(),
            next_slot: 0,
            volumes: BTreeMap::new(),
            snaps: BTreeMap::new(),
            chains: BTreeMap::new(),
            dirty: Dirty {
                all: true,
                ..Dirty::default()
            },
        })
    }

    /// The block size in bytes.
    pub fn block_size(&self) -> u32 {
        self.block_size
    }

    /// The hash function that names this engine's stored blocks.
    pub fn hash_algo(&self) -> HashAlgo {
        self.hash
    }

    fn bs(&self) -> u64 {
        self.block_size as u64
    }

    fn fresh(&mut self) -> u64 {
        let id = self.next_id;
        // Saturating, never wrapping: a loaded engine's `next_id` is at most `MAX_NEXT_ID`
        // (`serial.rs` refuses more; issue 12), and 2^64 − 2^53 more IDs cannot be drawn.
        self.next_id = self.next_id.saturating_add(1);
        id
    }

    // --------------------------------------------------------------------------------------------
    // Lookups

    fn volume(&self, id: VolumeId) -> BlockResult<&Volume> {
        self.volumes.get(&id).ok_or(BlockError::VolumeNotFound(id))
    }

    fn snap(&self, id: SnapId) -> BlockResult<&Snapshot> {
        self.snaps.get(&id).ok_or(BlockError::SnapshotNotFound(id))
    }

    fn target_map(&self, t: Target) -> BlockResult<(&BlockMap, u64)> {
        match t {
            Target::Volume(v) => self.volume(v).map(|v| (&v.map, v.size)),
            Target::Snapshot(s) => self.snap(s).map(|s| (&s.map, s.size)),
        }
    }

    /// All volumes.
    pub fn volumes(&self) -> Vec<VolumeId> {
        self.volumes.keys().copied().collect()
    }

    /// All snapshots (every chain), in creation order.
    pub fn snapshots(&self) -> Vec<SnapId> {
        self.snaps.keys().copied().collect()
    }

    /// All chains.
    pub fn chains(&self) -> Vec<ChainKey> {
        self.chains.keys().cloned().collect()
    }

    /// A volume's size in blocks.
    pub fn volume_size(&self, v: VolumeId) -> BlockResult<u64> {
        Ok(self.volume(v)?.size)
    }

    /// A snapshot's size in blocks (its volume's size when it was taken).
    pub fn snapshot_size(&self, s: SnapId) -> BlockResult<u64> {
        Ok(self.snap(s)?.size)
    }

    /// The chain a snapshot belongs to.
    pub fn chain_of(&self, s: SnapId) -> BlockResult<ChainKey> {
        Ok(self.snap(s)?.chain.clone())
    }

    /// A chain's snapshots in order (empty if the chain does not exist).
    pub fn chain_snapshots(&self, key: &ChainKey) -> Vec<SnapId> {
        self.chains
            .get(key)
            .map(|c| c.snaps.iter().copied().collect())
            .unwrap_or_default()
    }

    /// A chain's capacity in blocks (R-CHN-1); 0 for an unknown chain.
    pub fn chain_capacity_blocks(&self, key: &ChainKey) -> u64 {
        self.chains.get(key).map(|c| c.capacity).unwrap_or(0)
    }

    /// A chain's capacity in bytes (billed, R-CHN-1 / R-BIL-1).
    pub fn chain_capacity_bytes(&self, key: &ChainKey) -> u64 {
        self.chain_capacity_blocks(key) * self.bs()
    }

    /// Bytes physically stored: distinct `Data` contents × block size.
    pub fn stored_bytes(&self) -> u64 {
        self.contents.len() as u64 * self.bs()
    }

    /// The `Data` contents currently stored.
    pub fn stored_contents(&self) -> Vec<ContentHash> {
        self.contents.keys().copied().collect()
    }

    /// Where a content's bytes are kept (its slot; `None` for a content stored before slots,
    /// or not stored).
    pub fn stored_block(&self, hash: ContentHash) -> StoredBlock {
        StoredBlock {
            slot: self.contents.get(&hash).and_then(|c| c.slot),
            hash,
        }
    }

    /// Gives every stored content without a slot the next free one, in the order the extents
    /// use them (an engine read from a whole-engine document, whose blocks are all about to be
    /// stored anew), and marks every record changed.
    pub fn assign_slots(&mut self) {
        for ext in self.extents.values() {
            let ExtentKind::Blocks(list) = &ext.kind else { continue };
            for c in list {
                if let Content::Data(h) = c {
                    if let Some(stored @ Stored { slot: None, .. }) = self.contents.get_mut(h) {
                        stored.slot = Some(self.next_slot);
                        // Loads refuse `next_slot` past `MAX_SLOT + 1` (issue 12): saturating
                        // is only a guard, the bound is never reached.
                        self.next_slot = self.next_slot.saturating_add(1);
                    }
                }
            }
        }
        self.dirty.all = true;
    }

    /// Every stored content with where its bytes are kept, in slot order.
    pub fn stored_blocks(&self) -> Vec<StoredBlock> {
        let mut all: Vec<StoredBlock> = self
            .contents
            .iter()
            .map(|(h, c)| StoredBlock { slot: c.slot, hash: *h })
            .collect();
        all.sort_unstable();
        all
    }

    /// The version a volume or snapshot maps at `lba` (`None`: never written).
    pub fn version_at(&self, t: Target, lba: u64) -> BlockResult<Option<VersionId>> {
        let (map, size) = self.target_map(t)?;
        if lba >= size {
            return Err(BlockError::OutOfRange {
                start: lba,
                len: 1,
                size,
                unit: "block",
            });
        }
        Ok(map
            .get(lba)
            .and_then(|x| self.extents.get(&x).map(|e| version_of(x, e.lba, lba))))
    }

    /// Blocks ever written (non-empty LBAs) of a volume or snapshot: its used capacity (R-INC-1).
    /// O(runs).
    pub fn used_blocks(&self, t: Target) -> BlockResult<u64> {
        let (map, _) = self.target_map(t)?;
        Ok(map.used_runs().iter().map(|(s, e, _)| e - s).sum())
    }

    /// The canonical content of one block.
    pub fn content_at(&self, t: Target, lba: u64) -> BlockResult<Content> {
        let (map, size) = self.target_map(t)?;
        if lba >= size {
            return Err(BlockError::OutOfRange {
                start: lba,
                len: 1,
                size,
                unit: "block",
            });
        }
        Ok(self.slot_content(map.get(lba), lba))
    }

    fn slot_content(&self, slot: Slot, lba: u64) -> Content {
        match slot.and_then(|x| self.extents.get(&x)) {
            Some(e) => e.content_at(lba),
            None => Content::Zero,
        }
    }

    /// LBAs of the volume written since its chain's last snapshot (its dirty set), as
    /// `(start, end)` runs. Computed by diffing structurally shared maps: O(changed).
    pub fn dirty_runs(&self, v: VolumeId) -> BlockResult<Vec<(u64, u64)>> {
        let vol = self.volume(v)?;
        let base = self.last_map(&ChainKey::Volume(v));
        let mut out: Vec<(u64, u64)> = Vec::new();
        for (s, e, _, _) in base.diff(&vol.map) {
            match out.last_mut() {
                Some(last) if last.1 == s => last.1 = e,
                _ => out.push((s, e)),
            }
        }
        Ok(out)
    }

    fn last_map(&self, key: &ChainKey) -> BlockMap {
        self.chains
            .get(key)
            .and_then(|c| c.last())
            .and_then(|s| self.snaps.get(&s))
            .map(|s| s.map.clone())
            .unwrap_or_else(|| BlockMap::empty(0))
    }

    // --------------------------------------------------------------------------------------------
    // Reference counting

    /// One more holder for versions `[s, e)` of `ext` (they must already be live).
    fn refs_inc(&mut self, ext: ExtentId, s: u64, e: u64) {
        if let Some(x) = self.extents.get_mut(&ext).map(Arc::make_mut) {
            x.live.update(s, e, |_, _, old| {
                debug_assert!(old.is_some(), "version revived from zero holders");
                Some(old.copied().unwrap_or(0) + 1)
            });
        }
    }

    /// One holder fewer for versions `[s, e)` of `ext`; dead versions release their content.
    fn refs_dec(&mut self, ext: ExtentId, s: u64, e: u64, fx: &mut Effects) {
        let Some(x) = self.extents.get_mut(&ext).map(Arc::make_mut) else {
            return;
        };
        let mut dead: Vec<(u64, u64)> = Vec::new();
        x.live.update(s, e, |ps, pe, old| match old.copied() {
            Some(n) if n > 1 => Some(n - 1),
            Some(_) => {
                dead.push((ps, pe));
                None
            }
            None => None,
        });
        if let ExtentKind::Blocks(v) = &mut x.kind {
            for (ps, pe) in dead {
                for lba in ps..pe {
                    let i = (lba - x.lba) as usize;
                    if let Some(Content::Data(h)) = v.get(i).copied() {
                        v[i] = Content::Zero;
                        if let Some(stored) = self.contents.get_mut(&h) {
                            stored.refs -= 1;
                            if stored.refs == 0 {
                                let slot = stored.slot;
                                self.contents.remove(&h);
                                fx.delete.push(StoredBlock { slot, hash: h });
                            }
                        }
                    }
                }
            }
        }
        if x.live.is_empty() {
            self.extents.remove(&ext);
            self.dirty.extents.insert(ext);
        }
    }

    /// Replaces a volume's map, moving holder counts (increments first, so nothing shared dies).
    fn replace_volume_map(&mut self, v: VolumeId, new_map: BlockMap) -> BlockResult<Effects> {
        let old_map = self.volume(v)?.map.clone();
        let diff = old_map.diff(&new_map);
        for (s, e, _, new) in &diff {
            if let Some(x) = new {
                self.refs_inc(*x, *s, *e);
            }
        }
        let mut fx = Effects::default();
        for (s, e, old, _) in &diff {
            if let Some(x) = old {
                self.refs_dec(*x, *s, *e, &mut fx);
            }
        }
        if let Some(vol) = self.volumes.get_mut(&v) {
            vol.map = new_map;
        }
        self.dirty.volumes.insert(v);
        Ok(fx)
    }

    // --------------------------------------------------------------------------------------------
    // Volumes

    fn check_size(size: u64) -> BlockResult<()> {
        if size > MAX_SIZE_BLOCKS {
            return Err(BlockError::TooLarge { size_blocks: size });
        }
        Ok(())
    }

    /// Creates an empty volume of `size_blocks` blocks.
    pub fn create_volume(&mut self, size_blocks: u64) -> BlockResult<VolumeId> {
        Self::check_size(size_blocks)?;
        let id = VolumeId(self.fresh());
        self.dirty.volumes.insert(id);
        self.volumes.insert(
            id,
            Volume {
                size: size_blocks,
                map: BlockMap::empty(size_blocks),
            },
        );
        self.chains.entry(ChainKey::Volume(id)).or_default();
        Ok(id)
    }

    /// Creates a volume whose content is the snapshot's (R-DSK-1); `size_blocks` ≥ the snapshot's.
    /// The volume starts its own chain: its first snapshot will own all its blocks again.
    pub fn create_volume_from_snapshot(&mut self, snap: SnapId, size_blocks: u64) -> BlockResult<VolumeId> {
        Self::check_size(size_blocks)?;
        let s = self.snap(snap)?;
        if size_blocks < s.size {
            return Err(BlockError::SizeTooSmall {
                requested: size_blocks,
                snapshot_size: s.size,
            });
        }
        let mut map = s.map.clone();
        map.grow_to(size_blocks);
        for (a, b, x) in map.used_runs() {
            self.refs_inc(x, a, b);
        }
        let id = VolumeId(self.fresh());
        self.dirty.volumes.insert(id);
        self.volumes.insert(id, Volume { size: size_blocks, map });
        self.chains.entry(ChainKey::Volume(id)).or_default();
        Ok(id)
    }

    /// Grows a volume (shrinking is refused). New blocks are empty.
    pub fn resize_volume(&mut self, v: VolumeId, size_blocks: u64) -> BlockResult<()> {
        Self::check_size(size_blocks)?;
        let vol = self.volumes.get_mut(&v).ok_or(BlockError::VolumeNotFound(v))?;
        if size_blocks < vol.size {
            return Err(BlockError::ShrinkNotAllowed {
                current: vol.size,
                requested: size_blocks,
            });
        }
        vol.size = size_blocks;
        vol.map.grow_to(size_blocks);
        self.dirty.volumes.insert(v);
        Ok(())
    }

    /// Deletes a volume. Its snapshots stay (R-DSK-3 is the world's business).
    pub fn delete_volume(&mut self, v: VolumeId) -> BlockResult<Effects> {
        let vol = self.volumes.remove(&v).ok_or(BlockError::VolumeNotFound(v))?;
        self.dirty.volumes.insert(v);
        let mut fx = Effects::default();
        for (a, b, x) in vol.map.used_runs() {
            self.refs_dec(x, a, b, &mut fx);
        }
        let key = ChainKey::Volume(v);
        if self.chains.get(&key).is_some_and(|c| c.snaps.is_empty()) {
            self.chains.remove(&key);
        }
        Ok(fx)
    }

    /// Rolls a volume back to a snapshot of its own chain (R-RB-3/4/5): the whole disk returns to
    /// the snapshot's content; the volume keeps its current size.
    pub fn reset_volume(&mut self, v: VolumeId, snap: SnapId) -> BlockResult<Effects> {
        let vol = self.volume(v)?;
        let s = self.snap(snap)?;
        if s.chain != ChainKey::Volume(v) {
            return Err(BlockError::NotInChain {
                snapshot: snap,
                volume: v,
            });
        }
        let mut map = s.map.clone();
        let size = vol.size.max(s.size);
        map.grow_to(size);
        let fx = self.replace_volume_map(v, map)?;
        if let Some(vol) = self.volumes.get_mut(&v) {
            vol.size = size;
        }
        Ok(fx)
    }

    /// Re-initialises a volume (R-DSK-2): to empty (`None`) or to a snapshot's content (any chain:
    /// the snapshot the disk was created from). Size is kept.
    pub fn reinit_volume(&mut self, v: VolumeId, snap: Option<SnapId>) -> BlockResult<Effects> {
        let size = self.volume(v)?.size;
        let map = match snap {
            None => BlockMap::empty(size),
            Some(s) => {
                let s = self.snap(s)?;
                if size < s.size {
                    return Err(BlockError::SizeTooSmall {
                        requested: size,
                        snapshot_size: s.size,
                    });
                }
                let mut m = s.map.clone();
                m.grow_to(size);
                m
            }
        };
        self.replace_volume_map(v, map)
    }

    // --------------------------------------------------------------------------------------------
    // Writes

    fn check_blocks(start: u64, len: u64, size: u64) -> BlockResult<()> {
        Self::check_range(start, len, size, "block")
    }

    /// Refuses `len` bytes at byte `offset` unless they fit in `vol`.
    fn check_bytes(&self, vol: &Volume, offset: u64, len: u64) -> BlockResult<()> {
        // At most MAX_SIZE_BLOCKS (2^40) × 4 MiB (2^22) = 2^62: sizes are checked on create and
        // on load (`check_size`), so this cannot overflow; offsets past it are refused.
        Self::check_range(offset, len, vol.size * self.bs(), "byte")
    }

    /// Refuses `len` units at `start` unless they end within `size`.
    fn check_range(start: u64, len: u64, size: u64, unit: &'static str) -> BlockResult<()> {
        match start.checked_add(len) {
            Some(end) if end <= size => Ok(()),
            _ => Err(BlockError::OutOfRange { start, len, size, unit }),
        }
    }

    /// Writes raw bytes at byte `offset` (may span blocks; partial edge blocks are read from
    /// `source` and merged). Every touched block becomes a new version (R-INC-4).
    pub fn write(&mut self, v: VolumeId, offset: u64, bytes: &[u8], source: &dyn BlockSource) -> BlockResult<Effects> {
        self.write_canonical(v, offset, bytes, source, &[])
    }

    /// [`BlockEngine::write`] with the canonical contents of the whole blocks of `bytes`
    /// already computed by [`whole_block_contents`] (hashing is most of a write's work: a
    /// caller may do it while something else waits). An empty list computes them here.
    pub fn write_canonical(
        &mut self,
        v: VolumeId,
        offset: u64,
        bytes: &[u8],
        source: &dyn BlockSource,
        whole: &[Content],
    ) -> BlockResult<Effects> {
        let vol = self.volume(v)?;
        let bs = self.bs();
        let len = bytes.len() as u64;
        self.check_bytes(vol, offset, len)?;
        if bytes.is_empty() {
            return Ok(Effects::default());
        }
        let first = offset / bs;
        let last = (offset + len - 1) / bs;
        let mut contents = Vec::with_capacity((last - first + 1) as usize);
        let mut new_bytes: HashMap<ContentHash, Vec<u8>> = HashMap::new();
        let mut whole_seen = 0usize;
        for lba in first..=last {
            let block_start = lba * bs;
            let lo = offset.max(block_start);
            let hi = (offset + len).min(block_start + bs);
            let src = &bytes[(lo - offset) as usize..(hi - offset) as usize];
            let content = if hi - lo == bs {
                let c = match whole.get(whole_seen) {
                    Some(c) => *c,
                    None => canonicalize(src, self.hash),
                };
                debug_assert_eq!(
                    c,
                    canonicalize(src, self.hash),
                    "a precomputed content matches its block"
                );
                whole_seen += 1;
                if let Content::Data(h) = c {
                    new_bytes.entry(h).or_insert_with(|| src.to_vec());
                }
                c
            } else {
                let mut block = self.block_bytes(self.slot_content(vol.map.get(lba), lba), source)?;
                block[(lo - block_start) as usize..(hi - block_start) as usize].copy_from_slice(src);
                let c = canonicalize(&block, self.hash);
                if let Content::Data(h) = c {
                    new_bytes.entry(h).or_insert(block);
                }
                c
            };
            contents.push(content);
        }
        Ok(self.commit_extent(v, first, last - first + 1, ExtentKind::Blocks(contents), new_bytes))
    }

    /// Writes a labelled block (tutorials): `text` at the start of block `lba`, the rest zeros.
    pub fn write_text(&mut self, v: VolumeId, lba: u64, text: &str) -> BlockResult<Effects> {
        let size = self.volume(v)?.size;
        Self::check_blocks(lba, 1, size)?;
        if text.len() > self.block_size as usize {
            return Err(BlockError::TextTooLong {
                len: text.len(),
                block_size: self.block_size,
            });
        }
        let mut block = vec![0u8; self.block_size as usize];
        block[..text.len()].copy_from_slice(text.as_bytes());
        let c = canonicalize(&block, self.hash);
        let mut new_bytes = HashMap::new();
        if let Content::Data(h) = c {
            new_bytes.insert(h, block);
        }
        Ok(self.commit_extent(v, lba, 1, ExtentKind::Blocks(vec![c]), new_bytes))
    }

    /// Fills `count` blocks from `from_lba` with synthetic pattern content (one descriptor,
    /// whatever the size).
    pub fn fill(&mut self, v: VolumeId, from_lba: u64, count: u64, seed: u64) -> BlockResult<Effects> {
        let size = self.volume(v)?.size;
        Self::check_blocks(from_lba, count, size)?;
        if count == 0 {
            return Ok(Effects::default());
        }
        Ok(self.commit_extent(v, from_lba, count, ExtentKind::Fill { seed }, HashMap::new()))
    }

    fn commit_extent(
        &mut self,
        v: VolumeId,
        lba: u64,
        len: u64,
        kind: ExtentKind,
        mut new_bytes: HashMap<ContentHash, Vec<u8>>,
    ) -> Effects {
        let mut fx = Effects::default();
        let id = ExtentId(self.fresh());
        if let ExtentKind::Blocks(list) = &kind {
            for c in list {
                if let Content::Data(h) = c {
                    let stored = self.contents.get_or_insert(*h, Stored { refs: 0, slot: None });
                    stored.refs += 1;
                    if stored.refs == 1 {
                        if let Some(b) = new_bytes.remove(h) {
                            let slot = self.next_slot;
                            // Bounded on load (issue 12), see `assign_slots`.
                            self.next_slot = self.next_slot.saturating_add(1);
                            stored.slot = Some(slot);
                            fx.put.push((
                                StoredBlock {
                                    slot: Some(slot),
                                    hash: *h,
                                },
                                b,
                            ));
                        }
                    }
                }
            }
        }
        let mut live = RangeMap::new();
        live.update(lba, lba + len, |_, _, _| Some(1));
        self.extents.insert(id, Arc::new(Extent { lba, len, kind, live }));
        self.dirty.extents.insert(id);
        self.dirty.volumes.insert(v);
        let old = match self.volumes.get_mut(&v) {
            Some(vol) => vol.map.set(lba, lba + len, Some(id)),
            None => Vec::new(),
        };
        for (s, e, x) in old {
            if let Some(x) = x {
                self.refs_dec(x, s, e, &mut fx);
            }
        }
        fx
    }

    // --------------------------------------------------------------------------------------------
    // Snapshots

    /// Appends `map` as a new snapshot of chain `key`; returns it and the blocks newly in the chain.
    fn append_snapshot(&mut self, key: ChainKey, size: u64, map: BlockMap) -> (SnapId, u64) {
        let prev = self.last_map(&key);
        let id = SnapId(self.fresh());
        self.dirty.snaps.insert(id);
        self.dirty.chain(&key);
        let mut delta = RangeMap::new();
        for (s, e, _, new) in prev.diff(&map) {
            delta.push_back(s, e, new);
        }
        let mut newly_all = Vec::new();
        let chain = self.chains.entry(key.clone()).or_default();
        chain.snaps.insert(id);
        for (s, e, x) in delta.iter() {
            if let Some(x) = *x {
                for (a, b) in chain.add(id, x, s, e) {
                    newly_all.push((x, a, b));
                }
            }
        }
        let mut transferred = 0;
        for (x, a, b) in newly_all {
            transferred += b - a;
            self.refs_inc(x, a, b);
        }
        self.snaps.insert(
            id,
            Snapshot {
                chain: key,
                size,
                map,
                delta,
            },
        );
        (id, transferred)
    }

    /// Takes a snapshot of a volume: a point-in-time (R-INC-5) O(1) clone of its map; its delta is
    /// what changed since the chain's last snapshot (R-INC-1/2). No physical effects.
    pub fn snapshot(&mut self, v: VolumeId) -> BlockResult<SnapId> {
        let vol = self.volume(v)?;
        let (size, map) = (vol.size, vol.map.clone());
        Ok(self.append_snapshot(ChainKey::Volume(v), size, map).0)
    }

    /// Copies a snapshot to a region (R-CPY-1/2): a new snapshot in the chain (source volume,
    /// region). Returns it and the number of blocks transferred: versions not already in that chain.
    pub fn copy_snapshot(&mut self, snap: SnapId, region: RegionKey) -> BlockResult<(SnapId, u64)> {
        let s = self.snap(snap)?;
        let source = match &s.chain {
            ChainKey::Volume(v) => *v,
            ChainKey::Copy { source, .. } => *source,
        };
        let (size, map) = (s.size, s.map.clone());
        Ok(self.append_snapshot(ChainKey::Copy { source, region }, size, map))
    }
}
