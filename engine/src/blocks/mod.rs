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

mod content;
mod ranges;
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
use sha2::{Digest, Sha256};

pub use content::{canonicalize, pattern_bytes, BlockSource, Content, ContentHash, HashAlgo, NoSource, PATTERN_MAGIC};
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

/// A run of consecutive block versions (of one extent) with their owner.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunInfo {
    /// First LBA.
    pub lba: u64,
    /// Number of blocks.
    pub len: u64,
    /// Version at `lba` (the next LBAs hold the next offsets of the same extent).
    pub version: VersionId,
    /// The snapshot owning these versions in the relevant chain (`None`: in no snapshot).
    pub owner: Option<SnapId>,
}

/// One snapshot in a [`ChainView`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotView {
    /// The snapshot.
    pub id: SnapId,
    /// Its size in blocks.
    pub size_blocks: u64,
    /// Runs it owns (`owner` = itself).
    pub owned: Vec<RunInfo>,
    /// Runs it references, owned by an earlier snapshot.
    pub referenced: Vec<RunInfo>,
    /// Blocks owned.
    pub owned_blocks: u64,
    /// Blocks referenced.
    pub referenced_blocks: u64,
}

/// A chain, snapshot by snapshot: the data behind the console's chain visualization.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChainView {
    /// The chain.
    pub key: ChainKey,
    /// Its snapshots in order.
    pub snapshots: Vec<SnapshotView>,
    /// Distinct versions referenced by its snapshots (R-CHN-1).
    pub capacity_blocks: u64,
    /// `capacity_blocks × block size`.
    pub capacity_bytes: u64,
}

/// Versions moving to a new owner when a snapshot is deleted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MovedRun {
    /// First LBA.
    pub lba: u64,
    /// Number of blocks.
    pub len: u64,
    /// Version at `lba`.
    pub version: VersionId,
    /// The new owner (normally the successor).
    pub new_owner: SnapId,
}

/// What deleting a snapshot does (or would do: [`BlockEngine::preview_delete`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeleteReport {
    /// The snapshot.
    pub snapshot: SnapId,
    /// Its chain.
    pub chain: ChainKey,
    /// Its successor in the chain, if any.
    pub successor: Option<SnapId>,
    /// Versions leaving the chain (owner = the deleted snapshot).
    pub freed: Vec<RunInfo>,
    /// Versions the deleted snapshot owned that stay, with their new owner (R-DEL-3).
    pub moved: Vec<MovedRun>,
    /// Chain capacity before, in blocks.
    pub capacity_before_blocks: u64,
    /// Chain capacity after, in blocks.
    pub capacity_after_blocks: u64,
    /// Chain capacity before, in bytes.
    pub capacity_before_bytes: u64,
    /// Chain capacity after, in bytes.
    pub capacity_after_bytes: u64,
    /// Stored bytes freed (contents nothing needs any more).
    pub physical_freed_bytes: u64,
}

impl DeleteReport {
    /// Blocks leaving the chain.
    pub fn freed_blocks(&self) -> u64 {
        self.freed.iter().map(|r| r.len).sum()
    }
    /// Blocks changing owner.
    pub fn moved_blocks(&self) -> u64 {
        self.moved.iter().map(|r| r.len).sum()
    }
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
        self.next_id += 1;
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
                        self.next_slot += 1;
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
        match start.checked_add(len) {
            Some(end) if end <= size => Ok(()),
            _ => Err(BlockError::OutOfRange {
                start,
                len,
                size,
                unit: "block",
            }),
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
        let size_bytes = vol.size * bs;
        let len = bytes.len() as u64;
        match offset.checked_add(len) {
            Some(end) if end <= size_bytes => {}
            _ => {
                return Err(BlockError::OutOfRange {
                    start: offset,
                    len,
                    size: size_bytes,
                    unit: "byte",
                })
            }
        }
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
                            self.next_slot += 1;
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

    /// The effect of deleting a snapshot, without deleting it.
    pub fn preview_delete(&self, snap: SnapId) -> BlockResult<DeleteReport> {
        Ok(self.plan_delete(snap)?.report)
    }

    /// Deletes a snapshot (R-DEL-3): versions later snapshots still use move to the successor,
    /// the others leave the chain; stored bytes nothing needs any more are freed.
    pub fn delete_snapshot(&mut self, snap: SnapId) -> BlockResult<(DeleteReport, Effects)> {
        let plan = self.plan_delete(snap)?;
        let key = plan.report.chain.clone();
        let Some(removed) = self.snaps.remove(&snap) else {
            return Err(BlockError::SnapshotNotFound(snap));
        };
        self.dirty.snaps.insert(snap);
        self.dirty.snaps.extend(plan.report.successor);
        self.dirty.chain(&key);
        let old_succ_delta = match plan.report.successor.and_then(|n| self.snaps.get(&n)) {
            Some(n) => n.delta.clone(),
            None => RangeMap::new(),
        };
        if let Some(chain) = self.chains.get_mut(&key) {
            chain.snaps.remove(&snap);
            // Holder sets; chain membership changes net out to `plan.freed` (the capacity is
            // tracked by the same transitions).
            if let Some(n) = plan.report.successor {
                for (s, e, x) in old_succ_delta.iter() {
                    if let Some(x) = *x {
                        chain.remove(n, x, s, e);
                    }
                }
            }
            for (s, e, x) in removed.delta.iter() {
                if let Some(x) = *x {
                    chain.remove(snap, x, s, e);
                }
            }
            if let (Some(n), Some(new_delta)) = (plan.report.successor, &plan.new_succ_delta) {
                for (s, e, x) in new_delta.iter() {
                    if let Some(x) = *x {
                        chain.add(n, x, s, e);
                    }
                }
            }
        }
        if let (Some(n), Some(new_delta)) = (plan.report.successor, plan.new_succ_delta) {
            if let Some(sn) = self.snaps.get_mut(&n) {
                sn.delta = new_delta;
            }
        }
        let mut fx = Effects::default();
        for r in &plan.report.freed {
            self.refs_dec(r.version.extent, r.lba, r.lba + r.len, &mut fx);
        }
        let drop_chain = match (&key, self.chains.get(&key)) {
            (ChainKey::Volume(v), Some(c)) => c.snaps.is_empty() && !self.volumes.contains_key(v),
            (ChainKey::Copy { .. }, Some(c)) => c.snaps.is_empty(),
            _ => false,
        };
        if drop_chain {
            self.chains.remove(&key);
        }
        Ok((plan.report, fx))
    }

    fn plan_delete(&self, snap: SnapId) -> BlockResult<DeletePlan> {
        let s = self.snap(snap)?;
        let chain = self.chains.get(&s.chain).ok_or(BlockError::SnapshotNotFound(snap))?;
        let pred = chain.snaps.range(..snap).next_back().copied();
        let succ = chain.snaps.range(SnapId(snap.0 + 1)..).next().copied();
        let new_succ_delta = match succ.and_then(|n| self.snaps.get(&n)) {
            Some(n) => {
                let pred_map = match pred.and_then(|p| self.snaps.get(&p)) {
                    Some(p) => p.map.clone(),
                    None => BlockMap::empty(0),
                };
                let mut d = RangeMap::new();
                for (a, b, _, new) in pred_map.diff(&n.map) {
                    d.push_back(a, b, new);
                }
                Some(d)
            }
            None => None,
        };
        let mut freed = Vec::new();
        let mut moved = Vec::new();
        for (a, b, x) in s.delta.iter() {
            let Some(x) = *x else { continue };
            let Some(ext) = self.extents.get(&x) else { continue };
            let holders = chain.holders.get(&x);
            for (ps, pe, hs) in holders.map(|h| h.pieces(a, b)).unwrap_or_default() {
                // Sub-pieces by whether the successor's new delta keeps the version.
                let mut cuts: Vec<(u64, u64, bool)> = Vec::new();
                let mut pos = ps;
                if let (Some(nd), Some(_)) = (&new_succ_delta, succ) {
                    for (qs, qe, v) in nd.pieces(ps, pe) {
                        if v == Some(x) {
                            if qs > pos {
                                cuts.push((pos, qs, false));
                            }
                            cuts.push((qs, qe, true));
                            pos = qe;
                        }
                    }
                }
                if pos < pe {
                    cuts.push((pos, pe, false));
                }
                let was_owner = hs.first() == Some(&snap);
                for (cs, ce, kept_by_succ) in cuts {
                    let mut after: Vec<SnapId> = hs.iter().copied().filter(|h| *h != snap).collect();
                    if kept_by_succ {
                        if let Some(n) = succ {
                            if let Err(i) = after.binary_search(&n) {
                                after.insert(i, n);
                            }
                        }
                    }
                    let version = version_of(x, ext.lba, cs);
                    if after.is_empty() {
                        freed.push(RunInfo {
                            lba: cs,
                            len: ce - cs,
                            version,
                            owner: Some(snap),
                        });
                    } else if was_owner {
                        moved.push(MovedRun {
                            lba: cs,
                            len: ce - cs,
                            version,
                            new_owner: after[0],
                        });
                    }
                }
            }
        }
        // Physical effect: freed versions held by nothing else die; their contents go when no
        // other live version uses them.
        let mut dying: HashMap<ContentHash, u64> = HashMap::new();
        for r in &freed {
            let Some(ext) = self.extents.get(&r.version.extent) else {
                continue;
            };
            let ExtentKind::Blocks(list) = &ext.kind else { continue };
            for (ls, le, n) in ext.live.pieces(r.lba, r.lba + r.len) {
                if n != 1 {
                    continue;
                }
                for lba in ls..le {
                    if let Some(Content::Data(h)) = list.get((lba - ext.lba) as usize) {
                        *dying.entry(*h).or_insert(0) += 1;
                    }
                }
            }
        }
        let freed_contents = dying
            .iter()
            .filter(|(h, n)| self.contents.get(h).map(|c| c.refs) == Some(**n))
            .count() as u64;
        let before = chain.capacity;
        let after = before - freed.iter().map(|r| r.len).sum::<u64>();
        Ok(DeletePlan {
            new_succ_delta,
            report: DeleteReport {
                snapshot: snap,
                chain: s.chain.clone(),
                successor: succ,
                freed,
                moved,
                capacity_before_blocks: before,
                capacity_after_blocks: after,
                capacity_before_bytes: before * self.bs(),
                capacity_after_bytes: after * self.bs(),
                physical_freed_bytes: freed_contents * self.bs(),
            },
        })
    }

    // --------------------------------------------------------------------------------------------
    // Reading

    fn block_bytes(&self, c: Content, source: &dyn BlockSource) -> BlockResult<Vec<u8>> {
        let bs = self.block_size as usize;
        match c {
            Content::Zero => Ok(vec![0u8; bs]),
            Content::Pattern { seed, lba } => Ok(pattern_bytes(seed, lba, bs)),
            Content::Data(h) => match source.get(&h) {
                Some(b) if b.len() == bs => Ok(b.to_vec()),
                _ => Err(BlockError::MissingContent(h)),
            },
        }
    }

    /// The bytes of one block of a volume or snapshot.
    pub fn read_block(&self, t: Target, lba: u64, source: &dyn BlockSource) -> BlockResult<Vec<u8>> {
        let c = self.content_at(t, lba)?;
        self.block_bytes(c, source)
    }

    /// The bytes of `count` blocks from `from_lba` (at most [`MAX_READ_BYTES`] in one call).
    pub fn read_blocks(&self, t: Target, from_lba: u64, count: u64, source: &dyn BlockSource) -> BlockResult<Vec<u8>> {
        let (map, size) = self.target_map(t)?;
        Self::check_blocks(from_lba, count, size)?;
        let bytes = count * self.bs();
        if bytes > MAX_READ_BYTES {
            return Err(BlockError::ReadTooLarge { bytes });
        }
        let bs = self.block_size as usize;
        let mut out = vec![0u8; bytes as usize];
        for (s, e, slot) in map.runs(from_lba, from_lba + count) {
            let Some(ext) = slot.and_then(|x| self.extents.get(&x)) else {
                continue;
            };
            for lba in s..e {
                let at = (lba - from_lba) as usize * bs;
                let dst = &mut out[at..at + bs];
                match ext.content_at(lba) {
                    Content::Zero => {}
                    Content::Pattern { seed, lba: p } => content::fill_pattern(seed, p, dst),
                    Content::Data(h) => match source.get(&h) {
                        Some(b) if b.len() == bs => dst.copy_from_slice(b),
                        _ => return Err(BlockError::MissingContent(h)),
                    },
                }
            }
        }
        Ok(out)
    }

    /// Exports a volume or snapshot as `(byte offset, bytes)` chunks of at most `chunk_blocks`
    /// blocks (capped at [`MAX_READ_BYTES`]), never materializing the whole disk.
    pub fn export<'a>(&'a self, t: Target, chunk_blocks: u64, source: &'a dyn BlockSource) -> BlockResult<Export<'a>> {
        let (_, size) = self.target_map(t)?;
        let chunk = chunk_blocks.clamp(1, MAX_READ_BYTES / self.bs());
        Ok(Export {
            engine: self,
            target: t,
            source,
            next: 0,
            size,
            chunk,
        })
    }

    /// The stored contents a call will read from its [`BlockSource`] (to prefetch them).
    pub fn needed_contents(&self, need: Need) -> BlockResult<Vec<ContentHash>> {
        let mut out = BTreeSet::new();
        match need {
            Need::Write { volume, offset, len } => {
                let vol = self.volume(volume)?;
                let bs = self.bs();
                let size_bytes = vol.size * bs;
                match offset.checked_add(len) {
                    Some(end) if end <= size_bytes => {}
                    _ => {
                        return Err(BlockError::OutOfRange {
                            start: offset,
                            len,
                            size: size_bytes,
                            unit: "byte",
                        })
                    }
                }
                if len > 0 {
                    let end = offset + len;
                    let mut edges = vec![];
                    if offset % bs != 0 || len < bs {
                        edges.push(offset / bs);
                    }
                    if end % bs != 0 {
                        edges.push((end - 1) / bs);
                    }
                    for lba in edges {
                        let first_full = offset <= lba * bs && end >= (lba + 1) * bs;
                        if first_full {
                            continue;
                        }
                        if let Content::Data(h) = self.slot_content(vol.map.get(lba), lba) {
                            out.insert(h);
                        }
                    }
                }
            }
            Need::Read {
                target,
                from_lba,
                count,
            } => {
                let (map, size) = self.target_map(target)?;
                Self::check_blocks(from_lba, count, size)?;
                for (s, e, slot) in map.runs(from_lba, from_lba + count) {
                    let Some(ext) = slot.and_then(|x| self.extents.get(&x)) else {
                        continue;
                    };
                    if let ExtentKind::Blocks(_) = ext.kind {
                        for lba in s..e {
                            if let Content::Data(h) = ext.content_at(lba) {
                                out.insert(h);
                            }
                        }
                    }
                }
            }
        }
        Ok(out.into_iter().collect())
    }

    /// Hex SHA-256 over the canonical content: size in bytes, then every non-zero block's LBA and
    /// canonical content in LBA order, pattern runs merged. Equal exactly when the bytes are
    /// equal; costs O(runs + data blocks), not O(blocks) for fills.
    pub fn checksum(&self, t: Target) -> BlockResult<String> {
        let (map, size) = self.target_map(t)?;
        let mut h = Sha256::new();
        h.update(b"snaplab-blocks-v1");
        h.update((size * self.bs()).to_le_bytes());
        // Pending pattern run: (lba, len, seed, pattern lba).
        let mut pending: Option<(u64, u64, u64, u64)> = None;
        fn flush(h: &mut Sha256, p: &mut Option<(u64, u64, u64, u64)>) {
            if let Some((l, n, seed, pl)) = p.take() {
                h.update(b"P");
                for w in [l, n, seed, pl] {
                    h.update(w.to_le_bytes());
                }
            }
        }
        fn add(h: &mut Sha256, p: &mut Option<(u64, u64, u64, u64)>, l: u64, n: u64, seed: u64, pl: u64) {
            if let Some((pl0, pn, ps, pp)) = p {
                if *pl0 + *pn == l && *ps == seed && *pp + *pn == pl {
                    *pn += n;
                    return;
                }
            }
            flush(h, p);
            *p = Some((l, n, seed, pl));
        }
        for (s, e, x) in map.used_runs() {
            let Some(ext) = self.extents.get(&x) else { continue };
            match &ext.kind {
                ExtentKind::Fill { seed } => add(&mut h, &mut pending, s, e - s, *seed, s),
                ExtentKind::Blocks(_) => {
                    for lba in s..e {
                        match ext.content_at(lba) {
                            Content::Zero => {}
                            Content::Pattern { seed, lba: pl } => add(&mut h, &mut pending, lba, 1, seed, pl),
                            Content::Data(d) => {
                                flush(&mut h, &mut pending);
                                h.update(b"D");
                                h.update(lba.to_le_bytes());
                                h.update(d.0);
                            }
                        }
                    }
                }
            }
        }
        flush(&mut h, &mut pending);
        Ok(content::hex(h.finalize().as_slice()))
    }

    // --------------------------------------------------------------------------------------------
    // Views

    fn owner_runs(&self, key: &ChainKey, map: &BlockMap, out: &mut Vec<RunInfo>) {
        let chain = self.chains.get(key);
        for (s, e, x) in map.used_runs() {
            let Some(ext) = self.extents.get(&x) else { continue };
            let mut pos = s;
            let pieces = chain
                .and_then(|c| c.holders.get(&x))
                .map(|h| h.pieces(s, e))
                .unwrap_or_default();
            for (ps, pe, hs) in pieces {
                if ps > pos {
                    out.push(RunInfo {
                        lba: pos,
                        len: ps - pos,
                        version: version_of(x, ext.lba, pos),
                        owner: None,
                    });
                }
                out.push(RunInfo {
                    lba: ps,
                    len: pe - ps,
                    version: version_of(x, ext.lba, ps),
                    owner: hs.first().copied(),
                });
                pos = pe;
            }
            if pos < e {
                out.push(RunInfo {
                    lba: pos,
                    len: e - pos,
                    version: version_of(x, ext.lba, pos),
                    owner: None,
                });
            }
        }
    }

    /// A chain, snapshot by snapshot: owned runs and referenced runs with their owners.
    pub fn chain_view(&self, key: &ChainKey) -> ChainView {
        let mut snapshots = Vec::new();
        for id in self.chain_snapshots(key) {
            let Some(s) = self.snaps.get(&id) else { continue };
            let mut runs = Vec::new();
            self.owner_runs(key, &s.map, &mut runs);
            let (owned, referenced): (Vec<RunInfo>, Vec<RunInfo>) = runs.into_iter().partition(|r| r.owner == Some(id));
            snapshots.push(SnapshotView {
                id,
                size_blocks: s.size,
                owned_blocks: owned.iter().map(|r| r.len).sum(),
                referenced_blocks: referenced.iter().map(|r| r.len).sum(),
                owned,
                referenced,
            });
        }
        let capacity_blocks = self.chain_capacity_blocks(key);
        ChainView {
            key: key.clone(),
            snapshots,
            capacity_blocks,
            capacity_bytes: capacity_blocks * self.bs(),
        }
    }

    /// A volume's live map as runs; `owner` is the snapshot of its own chain owning the version.
    pub fn volume_view(&self, v: VolumeId) -> BlockResult<Vec<RunInfo>> {
        let vol = self.volume(v)?;
        let mut out = Vec::new();
        self.owner_runs(&ChainKey::Volume(v), &vol.map, &mut out);
        Ok(out)
    }

    /// The owner of the version a snapshot maps at `lba`, in the snapshot's chain.
    pub fn owner_at(&self, snap: SnapId, lba: u64) -> BlockResult<Option<SnapId>> {
        let s = self.snap(snap)?;
        let Some(x) = s.map.get(lba) else { return Ok(None) };
        Ok(self
            .chains
            .get(&s.chain)
            .and_then(|c| c.holders.get(&x))
            .and_then(|h| h.get(lba))
            .and_then(|hs| hs.first().copied()))
    }

    // --------------------------------------------------------------------------------------------
    // Invariants

    /// Recomputes holder counts and content refcounts from the maps alone.
    fn recount(&self) -> (BTreeMap<ExtentId, RangeMap<u32>>, BTreeMap<ContentHash, u64>) {
        let mut live: BTreeMap<ExtentId, RangeMap<u32>> = BTreeMap::new();
        let mut bump = |x: ExtentId, s: u64, e: u64| {
            live.entry(x)
                .or_default()
                .update(s, e, |_, _, o| Some(o.copied().unwrap_or(0) + 1));
        };
        for vol in self.volumes.values() {
            for (s, e, x) in vol.map.used_runs() {
                bump(x, s, e);
            }
        }
        for chain in self.chains.values() {
            for (x, hm) in &chain.holders {
                for (s, e, hs) in hm.iter() {
                    if !hs.is_empty() {
                        bump(*x, s, e);
                    }
                }
            }
        }
        let mut contents: BTreeMap<ContentHash, u64> = BTreeMap::new();
        for (x, lm) in &live {
            let Some(ext) = self.extents.get(x) else { continue };
            if let ExtentKind::Blocks(list) = &ext.kind {
                for (s, e, _) in lm.iter() {
                    for lba in s..e {
                        if let Some(Content::Data(h)) = list.get((lba.saturating_sub(ext.lba)) as usize) {
                            *contents.entry(*h).or_insert(0) += 1;
                        }
                    }
                }
            }
        }
        (live, contents)
    }

    /// Checks every internal invariant against a recount from the maps: deltas equal the diffs
    /// between consecutive snapshots, holder sets and capacities match the deltas, version holder
    /// counts and content refcounts match, no orphan extent or content, nothing mapped beyond a
    /// size. Meant for tests; O(everything).
    pub fn check_invariants(&self) -> Result<(), String> {
        for (id, vol) in &self.volumes {
            if vol.map.runs(vol.size, vol.map.capacity()).iter().any(|r| r.2.is_some()) {
                return Err(format!("volume {} maps blocks beyond its size", id.0));
            }
            if !self.chains.contains_key(&ChainKey::Volume(*id)) {
                return Err(format!("volume {} has no chain", id.0));
            }
        }
        for (key, chain) in &self.chains {
            let mut prev = BlockMap::empty(0);
            let mut holders: BTreeMap<ExtentId, RangeMap<Vec<SnapId>>> = BTreeMap::new();
            for id in &chain.snaps {
                let s = self
                    .snaps
                    .get(id)
                    .ok_or_else(|| format!("chain lists missing snapshot {}", id.0))?;
                if &s.chain != key {
                    return Err(format!("snapshot {} in the wrong chain", id.0));
                }
                if s.map.runs(s.size, s.map.capacity()).iter().any(|r| r.2.is_some()) {
                    return Err(format!("snapshot {} maps blocks beyond its size", id.0));
                }
                let mut expect = RangeMap::new();
                for (a, b, _, new) in prev.diff(&s.map) {
                    expect.push_back(a, b, new);
                }
                if expect != s.delta {
                    return Err(format!("snapshot {} has a stale delta", id.0));
                }
                for (a, b, x) in s.delta.iter() {
                    if let Some(x) = *x {
                        holders.entry(x).or_default().update(a, b, |_, _, o| {
                            let mut v = o.cloned().unwrap_or_default();
                            v.push(*id);
                            Some(v)
                        });
                    }
                }
                prev = s.map.clone();
            }
            if holders != chain.holders {
                return Err(format!("chain {key:?}: holder sets differ from the deltas"));
            }
            let cap: u64 = holders.values().flat_map(|h| h.iter().map(|(a, b, _)| b - a)).sum();
            if cap != chain.capacity {
                return Err(format!(
                    "chain {key:?}: capacity {} but recount {}",
                    chain.capacity, cap
                ));
            }
            if let ChainKey::Volume(v) = key {
                if chain.snaps.is_empty() && !self.volumes.contains_key(v) {
                    return Err(format!("empty chain of deleted volume {}", v.0));
                }
            } else if chain.snaps.is_empty() {
                return Err(format!("empty copy chain {key:?}"));
            }
        }
        for (id, s) in &self.snaps {
            if !self.chains.get(&s.chain).is_some_and(|c| c.snaps.contains(id)) {
                return Err(format!("snapshot {} missing from its chain", id.0));
            }
        }
        let (live, contents) = self.recount();
        for (x, ext) in &self.extents {
            let expect = live.get(x).cloned().unwrap_or_default();
            if expect != ext.live {
                return Err(format!("extent {}: holder counts differ from recount", x.0));
            }
            if ext.live.is_empty() {
                return Err(format!("extent {} is orphaned", x.0));
            }
            if ext.live.iter().any(|(a, b, _)| a < ext.lba || b > ext.lba + ext.len) {
                return Err(format!("extent {} live outside its range", x.0));
            }
        }
        for x in live.keys() {
            if !self.extents.contains_key(x) {
                return Err(format!("maps reference missing extent {}", x.0));
            }
        }
        if !contents
            .iter()
            .map(|(h, n)| (h, *n))
            .eq(self.contents.iter().map(|(h, c)| (h, c.refs)))
        {
            return Err("content refcounts differ from recount (leak or orphan)".into());
        }
        let mut taken = std::collections::HashSet::new();
        for slot in self.contents.values().filter_map(|c| c.slot) {
            if slot >= self.next_slot || !taken.insert(slot) {
                return Err(format!("slot {slot} given twice"));
            }
        }
        Ok(())
    }
}

struct DeletePlan {
    new_succ_delta: Option<RangeMap<Slot>>,
    report: DeleteReport,
}

/// Iterator over an export: `(byte offset, bytes)` chunks in order.
pub struct Export<'a> {
    engine: &'a BlockEngine,
    target: Target,
    source: &'a dyn BlockSource,
    next: u64,
    size: u64,
    chunk: u64,
}

impl Iterator for Export<'_> {
    type Item = BlockResult<(u64, Vec<u8>)>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.next >= self.size {
            return None;
        }
        let count = self.chunk.min(self.size - self.next);
        let at = self.next;
        self.next += count;
        let r = self.engine.read_blocks(self.target, at, count, self.source);
        if r.is_err() {
            self.next = self.size;
        }
        Some(r.map(|b| (at * self.engine.block_size as u64, b)))
    }
}
