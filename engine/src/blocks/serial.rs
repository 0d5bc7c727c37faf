//! Serialization of the whole engine: compact and structural.
//!
//! Extents are stored once (fills as a seed, writes as their per-block canonical contents, never
//! bytes). Each snapshot is stored as its delta, each volume as the diff against its chain's last
//! snapshot; loading replays them, which also restores the structural sharing of the maps. Holder
//! counts and content refcounts are not stored: they are recounted on load and the result is
//! checked with [`BlockEngine::check_invariants`].

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::ranges::RangeMap;
use super::tree::BlockMap;
use super::*;

const FORMAT: u32 = 1;

type Run = (u64, u64, Option<ExtentId>);

#[derive(Serialize, Deserialize)]
struct EngineState {
    format: u32,
    block_size: u32,
    /// Absent in worlds saved before BLAKE3: SHA-256.
    #[serde(default)]
    hash: HashAlgo,
    next_id: u64,
    /// Slots are a storage matter: a whole-engine document (an export) carries none, and
    /// whoever stores its blocks gives them slots ([`BlockEngine::assign_slots`]).
    #[serde(skip)]
    next_slot: u64,
    extents: Vec<ExtentState>,
    chains: Vec<ChainState>,
    volumes: Vec<VolumeState>,
}

#[derive(Serialize, Deserialize)]
struct ExtentState {
    id: ExtentId,
    lba: u64,
    len: u64,
    kind: ExtentKind,
    /// Per block of a write, the slot of its `Data` content (records only; see `next_slot`).
    #[serde(skip)]
    slots: Vec<Option<u64>>,
}

#[derive(Serialize, Deserialize)]
struct ChainState {
    key: ChainKey,
    snaps: Vec<SnapState>,
}

#[derive(Serialize, Deserialize)]
struct SnapState {
    id: SnapId,
    size: u64,
    /// Runs `(start, end, extent | null)` where the map differs from the predecessor's.
    delta: Vec<Run>,
}

#[derive(Serialize, Deserialize)]
struct VolumeState {
    id: VolumeId,
    size: u64,
    /// The snapshot whose map this volume's map is stored against.
    base: Option<SnapId>,
    /// Runs `(start, end, extent | null)` where the volume differs from `base`.
    runs: Vec<Run>,
}

fn corrupt(why: impl Into<String>) -> BlockError {
    BlockError::CorruptState(why.into())
}

impl BlockEngine {
    fn extent_state(&self, id: ExtentId) -> Option<ExtentState> {
        let e = self.extents.get(&id)?;
        let slots = match &e.kind {
            ExtentKind::Fill { .. } => Vec::new(),
            ExtentKind::Blocks(list) => list
                .iter()
                .map(|c| match c {
                    Content::Data(h) => self.contents.get(h).and_then(|c| c.slot),
                    _ => None,
                })
                .collect(),
        };
        Some(ExtentState {
            id,
            lba: e.lba,
            len: e.len,
            kind: e.kind.clone(),
            slots,
        })
    }

    fn snap_state(&self, id: SnapId) -> Option<SnapState> {
        let s = self.snaps.get(&id)?;
        Some(SnapState {
            id,
            size: s.size,
            delta: s.delta.iter().map(|(a, b, x)| (a, b, *x)).collect(),
        })
    }

    fn volume_state(&self, id: VolumeId) -> Option<VolumeState> {
        let v = self.volumes.get(&id)?;
        let base = self.chains.get(&ChainKey::Volume(id)).and_then(|c| c.last());
        let base_map = base
            .and_then(|b| self.snaps.get(&b))
            .map(|s| s.map.clone())
            .unwrap_or_else(|| BlockMap::empty(0));
        let runs = base_map
            .diff(&v.map)
            .into_iter()
            .map(|(a, b, _, new)| (a, b, new))
            .collect();
        Some(VolumeState {
            id,
            size: v.size,
            base,
            runs,
        })
    }

    fn to_state(&self) -> EngineState {
        let extents = self.extents.keys().filter_map(|id| self.extent_state(*id)).collect();
        let chains = self
            .chains
            .iter()
            .map(|(key, c)| ChainState {
                key: key.clone(),
                snaps: c.snaps.iter().filter_map(|id| self.snap_state(*id)).collect(),
            })
            .collect();
        let volumes = self.volumes.keys().filter_map(|id| self.volume_state(*id)).collect();
        EngineState {
            format: FORMAT,
            block_size: self.block_size,
            hash: self.hash,
            next_id: self.next_id,
            next_slot: self.next_slot,
            extents,
            chains,
            volumes,
        }
    }

    fn apply_runs(&self, map: &mut BlockMap, runs: &[Run], size: u64) -> BlockResult<()> {
        for &(a, b, x) in runs {
            if a >= b || b > size {
                return Err(corrupt(format!("run {a}..{b} outside size {size}")));
            }
            if let Some(x) = x {
                let e = self
                    .extents
                    .get(&x)
                    .ok_or_else(|| corrupt(format!("unknown extent {}", x.0)))?;
                if a < e.lba || b > e.lba + e.len {
                    return Err(corrupt(format!("run {a}..{b} outside extent {}", x.0)));
                }
            }
            map.set(a, b, x);
        }
        Ok(())
    }

    fn from_state(st: EngineState) -> BlockResult<BlockEngine> {
        if st.format != FORMAT {
            return Err(corrupt(format!("unknown format {}", st.format)));
        }
        let mut eng = BlockEngine::new(st.block_size)?;
        // Issue 12: counters the engine could never have reached are refused, so that the
        // next ID or slot it gives cannot run off the end of `u64`.
        if st.next_id > MAX_NEXT_ID {
            return Err(corrupt(format!(
                "next_id {} is beyond any ID the engine gives",
                st.next_id
            )));
        }
        if st.next_slot > MAX_SLOT + 1 {
            return Err(corrupt(format!(
                "next_slot {} is beyond the largest slot",
                st.next_slot
            )));
        }
        eng.hash = st.hash;
        eng.next_id = st.next_id;
        let check_id = |id: u64| {
            if id >= st.next_id {
                Err(corrupt(format!("id {id} ≥ next id")))
            } else {
                Ok(())
            }
        };
        let mut extent_slots: HashMap<ExtentId, Vec<Option<u64>>> = HashMap::new();
        for e in st.extents {
            check_id(e.id.0)?;
            let ok_len = match &e.kind {
                ExtentKind::Fill { .. } => true,
                ExtentKind::Blocks(v) => v.len() as u64 == e.len,
            };
            if e.len == 0 || !ok_len || e.lba.checked_add(e.len).is_none_or(|end| end > MAX_SIZE_BLOCKS) {
                return Err(corrupt(format!("bad extent {}", e.id.0)));
            }
            if !e.slots.is_empty() {
                extent_slots.insert(e.id, e.slots);
            }
            eng.extents.insert(
                e.id,
                Arc::new(Extent {
                    lba: e.lba,
                    len: e.len,
                    kind: e.kind,
                    live: RangeMap::new(),
                }),
            );
        }
        for c in st.chains {
            let mut map = BlockMap::empty(0);
            let mut chain = Chain::default();
            // A delta is a diff against the predecessor's map, so it reaches the larger of the
            // two sizes: a copy chain can hold a smaller snapshot after a larger one (copies
            // go in copy order), whose delta then clears the predecessor's tail.
            let mut prev_size = 0;
            for s in c.snaps {
                check_id(s.id.0)?;
                Self::check_size(s.size).map_err(|e| corrupt(e.to_string()))?;
                if eng.snaps.contains_key(&s.id) || chain.last().is_some_and(|l| l >= s.id) {
                    return Err(corrupt(format!("snapshot {} duplicated or out of order", s.id.0)));
                }
                map.grow_to(s.size);
                if let Some(&(a, b, _)) = s.delta.iter().find(|&&(_, b, x)| x.is_some() && b > s.size) {
                    return Err(corrupt(format!(
                        "block versions {a}..{b} outside snapshot size {}",
                        s.size
                    )));
                }
                eng.apply_runs(&mut map, &s.delta, prev_size.max(s.size))?;
                prev_size = s.size;
                let mut delta = RangeMap::new();
                for (a, b, x) in s.delta {
                    delta.update(a, b, |_, _, _| Some(x));
                    if let Some(x) = x {
                        chain.add(s.id, x, a, b);
                    }
                }
                chain.snaps.insert(s.id);
                eng.snaps.insert(
                    s.id,
                    Snapshot {
                        chain: c.key.clone(),
                        size: s.size,
                        map: map.clone(),
                        delta,
                    },
                );
            }
            if eng.chains.insert(c.key, chain).is_some() {
                return Err(corrupt("duplicate chain"));
            }
        }
        for v in st.volumes {
            check_id(v.id.0)?;
            Self::check_size(v.size).map_err(|e| corrupt(e.to_string()))?;
            let mut map = match v.base {
                Some(b) => eng
                    .snaps
                    .get(&b)
                    .ok_or_else(|| corrupt(format!("unknown base {}", b.0)))?
                    .map
                    .clone(),
                None => BlockMap::empty(0),
            };
            map.grow_to(v.size);
            eng.apply_runs(&mut map, &v.runs, v.size)?;
            if eng.volumes.insert(v.id, Volume { size: v.size, map }).is_some() {
                return Err(corrupt(format!("duplicate volume {}", v.id.0)));
            }
            eng.chains.entry(ChainKey::Volume(v.id)).or_default();
        }
        let (live, contents) = eng.recount();
        let mut extents = BTreeMap::new();
        let mut slots: HashMap<ContentHash, Option<u64>> = HashMap::new();
        for (id, mut shared) in std::mem::take(&mut eng.extents) {
            if let Some(l) = live.get(&id) {
                let e = Arc::make_mut(&mut shared);
                e.live = l.clone();
                // Contents of dead versions read as zero, as after the deaths themselves (an
                // extent record is written once, not on every death).
                if let ExtentKind::Blocks(list) = &mut e.kind {
                    let mut kept = vec![Content::Zero; list.len()];
                    let of_blocks = extent_slots.get(&id);
                    for (a, b, _) in e.live.iter() {
                        // Provably in bounds: every run was checked to lie inside its extent
                        // (`apply_runs`), and a `Blocks` extent lists exactly `len` contents.
                        let (a, b) = ((a - e.lba) as usize, (b - e.lba) as usize);
                        kept[a..b].copy_from_slice(&list[a..b]);
                        // Every live use of a content names the same slot (or none).
                        for (i, c) in list.iter().enumerate().take(b).skip(a) {
                            let Content::Data(h) = c else { continue };
                            let slot = of_blocks.and_then(|s| s.get(i).copied().flatten());
                            if slot.is_some_and(|s| s > MAX_SLOT) {
                                return Err(corrupt(format!("extent {}: slot out of range", id.0)));
                            }
                            if *slots.entry(*h).or_insert(slot) != slot {
                                return Err(corrupt(format!("extent {}: content {h} has two slots", id.0)));
                            }
                        }
                    }
                    *list = kept;
                }
                extents.insert(id, shared);
            }
        }
        eng.extents = extents;
        eng.contents = contents
            .into_iter()
            .map(|(h, refs)| {
                let slot = slots.get(&h).copied().flatten();
                (h, Stored { refs, slot })
            })
            .collect();
        let past_last = eng.contents.values().filter_map(|c| c.slot).max().map_or(0, |s| s + 1);
        eng.next_slot = st.next_slot.max(past_last);
        eng.check_invariants().map_err(corrupt)?;
        Ok(eng)
    }
}

impl Serialize for BlockEngine {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.to_state().serialize(s)
    }
}

impl<'de> Deserialize<'de> for BlockEngine {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let st = EngineState::deserialize(d)?;
        BlockEngine::from_state(st).map_err(serde::de::Error::custom)
    }
}

// ------------------------------------------------------------------------------------------------
// Incremental persistence: the same state as records, one per extent, snapshot and volume.

/// The engine's scalar state, saved with the world's metadata.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EngineHeader {
    format: u32,
    block_size: u32,
    /// Absent in worlds saved before BLAKE3: SHA-256.
    #[serde(default)]
    hash: HashAlgo,
    next_id: u64,
    /// Absent in worlds saved before slots: past the largest slot the records name.
    #[serde(default)]
    next_slot: u64,
}

/// The persisted records that changed since the last [`BlockEngine::take_changes`].
#[derive(Debug, Default)]
pub struct RecordChanges {
    /// The engine was never saved (new, reset or imported): every record of the store goes
    /// first, then `records` holds every record of the engine.
    pub replace_all: bool,
    /// `(key, Some(bytes))` to put, `(key, None)` to delete.
    pub records: Vec<(String, Option<Vec<u8>>)>,
}

/// A snapshot's record: its state and its chain.
#[derive(Serialize, Deserialize)]
struct SnapRecord {
    chain: ChainKey,
    #[serde(flatten)]
    snap: SnapState,
}

const EXTENT_RECORD: u8 = 1;

fn extent_key(id: ExtentId) -> String {
    format!("e{:016x}", id.0)
}
fn snap_key(id: SnapId) -> String {
    format!("s{:016x}", id.0)
}
fn volume_key(id: VolumeId) -> String {
    format!("v{:016x}", id.0)
}

/// Extents are the big records (a content per block written), so they are binary:
/// `[1][lba u64][len u64]` then `[0][seed u64]` for a fill or `[1]` and per block `[0]` (zero),
/// `[1][seed u64][lba u64]` (pattern), `[3][content hash][slot u64]` (data) or
/// `[2][content hash]` (data stored before slots). Little-endian.
fn encode_extent(e: &ExtentState) -> Vec<u8> {
    let mut out = Vec::with_capacity(18 + 33 * e.len.min(1 << 20) as usize);
    out.push(EXTENT_RECORD);
    out.extend_from_slice(&e.lba.to_le_bytes());
    out.extend_from_slice(&e.len.to_le_bytes());
    match &e.kind {
        ExtentKind::Fill { seed } => {
            out.push(0);
            out.extend_from_slice(&seed.to_le_bytes());
        }
        ExtentKind::Blocks(list) => {
            out.push(1);
            for (i, c) in list.iter().enumerate() {
                match c {
                    Content::Zero => out.push(0),
                    Content::Pattern { seed, lba } => {
                        out.push(1);
                        out.extend_from_slice(&seed.to_le_bytes());
                        out.extend_from_slice(&lba.to_le_bytes());
                    }
                    Content::Data(h) => match e.slots.get(i).copied().flatten() {
                        Some(slot) => {
                            out.push(3);
                            out.extend_from_slice(&h.0);
                            out.extend_from_slice(&slot.to_le_bytes());
                        }
                        None => {
                            out.push(2);
                            out.extend_from_slice(&h.0);
                        }
                    },
                }
            }
        }
    }
    out
}

struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    fn take(&mut self, n: usize) -> BlockResult<&[u8]> {
        if self.0.len() < n {
            return Err(corrupt("extent record cut short"));
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }
    fn u8(&mut self) -> BlockResult<u8> {
        Ok(self.take(1)?[0])
    }
    fn u64(&mut self) -> BlockResult<u64> {
        let mut b = [0u8; 8];
        b.copy_from_slice(self.take(8)?);
        Ok(u64::from_le_bytes(b))
    }
}

fn decode_extent(id: ExtentId, bytes: &[u8]) -> BlockResult<ExtentState> {
    let mut r = Reader(bytes);
    if r.u8()? != EXTENT_RECORD {
        return Err(corrupt(format!("extent {} has an unknown record version", id.0)));
    }
    let lba = r.u64()?;
    let len = r.u64()?;
    let mut slots = Vec::new();
    let kind = match r.u8()? {
        0 => ExtentKind::Fill { seed: r.u64()? },
        1 => {
            // Every block takes at least one byte: a lying `len` cannot make us allocate.
            if len > r.0.len() as u64 {
                return Err(corrupt(format!("extent {} is cut short", id.0)));
            }
            // `len` is at most the record's byte length (checked above), so `as usize` is exact.
            let mut list = Vec::with_capacity(len as usize);
            for i in 0..len as usize {
                list.push(match r.u8()? {
                    0 => Content::Zero,
                    1 => Content::Pattern {
                        seed: r.u64()?,
                        lba: r.u64()?,
                    },
                    tag @ (2 | 3) => {
                        let mut h = [0u8; 32];
                        h.copy_from_slice(r.take(32)?);
                        if tag == 3 {
                            slots.resize(i, None);
                            slots.push(Some(r.u64()?));
                        }
                        Content::Data(ContentHash(h))
                    }
                    t => return Err(corrupt(format!("extent {}: unknown content tag {t}", id.0))),
                });
            }
            ExtentKind::Blocks(list)
        }
        t => return Err(corrupt(format!("extent {}: unknown kind {t}", id.0))),
    };
    if !r.0.is_empty() {
        return Err(corrupt(format!("extent {} has trailing bytes", id.0)));
    }
    Ok(ExtentState {
        id,
        lba,
        len,
        kind,
        slots,
    })
}

fn json<T: Serialize>(value: &T) -> Vec<u8> {
    // Plain structs of numbers, strings and sequences: serializing them cannot fail.
    serde_json::to_vec(value).unwrap_or_default()
}

impl BlockEngine {
    /// The scalar state saved beside the records.
    pub fn header(&self) -> EngineHeader {
        EngineHeader {
            format: FORMAT,
            block_size: self.block_size,
            hash: self.hash,
            next_id: self.next_id,
            next_slot: self.next_slot,
        }
    }

    /// The records changed since the last call (all of them for an engine never saved), and
    /// forgets them: the caller commits them with the operation that made them.
    pub fn take_changes(&mut self) -> RecordChanges {
        let dirty = std::mem::take(&mut self.dirty);
        if dirty.all {
            let mut records = Vec::new();
            records.extend(self.extents.keys().map(|id| (extent_key(*id), self.extent_record(*id))));
            records.extend(self.snaps.keys().map(|id| (snap_key(*id), self.snap_record(*id))));
            records.extend(self.volumes.keys().map(|id| (volume_key(*id), self.volume_record(*id))));
            return RecordChanges {
                replace_all: true,
                records,
            };
        }
        let mut records = Vec::new();
        records.extend(
            dirty
                .extents
                .iter()
                .map(|id| (extent_key(*id), self.extent_record(*id))),
        );
        records.extend(dirty.snaps.iter().map(|id| (snap_key(*id), self.snap_record(*id))));
        records.extend(
            dirty
                .volumes
                .iter()
                .map(|id| (volume_key(*id), self.volume_record(*id))),
        );
        RecordChanges {
            replace_all: false,
            records,
        }
    }

    /// The header and every record as a build before slots saved them: every content under
    /// its hash alone, no slot counter. Only for tests of worlds stored then.
    #[doc(hidden)]
    pub fn records_before_slots(&self) -> (EngineHeader, Vec<(String, Vec<u8>)>) {
        let mut records = Vec::new();
        for id in self.extents.keys() {
            if let Some(mut e) = self.extent_state(*id) {
                e.slots.clear();
                records.push((extent_key(*id), encode_extent(&e)));
            }
        }
        records.extend(
            self.snaps
                .keys()
                .filter_map(|id| Some((snap_key(*id), self.snap_record(*id)?))),
        );
        records.extend(
            self.volumes
                .keys()
                .filter_map(|id| Some((volume_key(*id), self.volume_record(*id)?))),
        );
        let header = EngineHeader {
            next_slot: 0,
            ..self.header()
        };
        (header, records)
    }

    /// The number of records the engine is saved as (one per extent, snapshot and volume).
    pub fn record_count(&self) -> usize {
        self.extents.len() + self.snaps.len() + self.volumes.len()
    }

    /// Whether [`BlockEngine::take_changes`] has something to save.
    pub fn has_changes(&self) -> bool {
        let d = &self.dirty;
        d.all || !d.extents.is_empty() || !d.snaps.is_empty() || !d.volumes.is_empty()
    }

    fn extent_record(&self, id: ExtentId) -> Option<Vec<u8>> {
        self.extent_state(id).map(|e| encode_extent(&e))
    }

    fn snap_record(&self, id: SnapId) -> Option<Vec<u8>> {
        let chain = self.snaps.get(&id)?.chain.clone();
        let snap = self.snap_state(id)?;
        Some(json(&SnapRecord { chain, snap }))
    }

    fn volume_record(&self, id: VolumeId) -> Option<Vec<u8>> {
        self.volume_state(id).map(|v| json(&v))
    }

    /// Rebuilds an engine from its header and records (as saved through
    /// [`BlockEngine::take_changes`]), with every check of a full load.
    pub fn from_records(header: EngineHeader, records: Vec<(String, Vec<u8>)>) -> BlockResult<BlockEngine> {
        let mut extents = Vec::new();
        let mut chains: BTreeMap<ChainKey, Vec<SnapState>> = BTreeMap::new();
        let mut volumes = Vec::new();
        for (key, bytes) in records {
            let id = key
                .get(1..)
                .and_then(|h| u64::from_str_radix(h, 16).ok())
                .ok_or_else(|| corrupt(format!("unknown record {key}")))?;
            let bad = |e: serde_json::Error| corrupt(format!("record {key}: {e}"));
            // `get(1..)` above found a first character, so the key is not empty.
            match key.as_bytes().first().copied().unwrap_or_default() {
                b'e' => extents.push(decode_extent(ExtentId(id), &bytes)?),
                b's' => {
                    let r: SnapRecord = serde_json::from_slice(&bytes).map_err(bad)?;
                    if r.snap.id.0 != id {
                        return Err(corrupt(format!("record {key} holds snapshot {}", r.snap.id.0)));
                    }
                    chains.entry(r.chain).or_default().push(r.snap);
                }
                b'v' => {
                    let v: VolumeState = serde_json::from_slice(&bytes).map_err(bad)?;
                    if v.id.0 != id {
                        return Err(corrupt(format!("record {key} holds volume {}", v.id.0)));
                    }
                    volumes.push(v);
                }
                _ => return Err(corrupt(format!("unknown record {key}"))),
            }
        }
        let chains = chains
            .into_iter()
            .map(|(key, mut snaps)| {
                snaps.sort_by_key(|s| s.id);
                ChainState { key, snaps }
            })
            .collect();
        let mut eng = BlockEngine::from_state(EngineState {
            format: header.format,
            block_size: header.block_size,
            hash: header.hash,
            next_id: header.next_id,
            next_slot: header.next_slot,
            extents,
            chains,
            volumes,
        })?;
        eng.dirty = Dirty::default();
        Ok(eng)
    }
}
