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
    next_id: u64,
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
    fn to_state(&self) -> EngineState {
        let extents = self
            .extents
            .iter()
            .map(|(id, e)| ExtentState {
                id: *id,
                lba: e.lba,
                len: e.len,
                kind: e.kind.clone(),
            })
            .collect();
        let chains = self
            .chains
            .iter()
            .map(|(key, c)| ChainState {
                key: key.clone(),
                snaps: c
                    .snaps
                    .iter()
                    .filter_map(|id| self.snaps.get(id).map(|s| (id, s)))
                    .map(|(id, s)| SnapState {
                        id: *id,
                        size: s.size,
                        delta: s.delta.iter().map(|(a, b, x)| (a, b, *x)).collect(),
                    })
                    .collect(),
            })
            .collect();
        let volumes = self
            .volumes
            .iter()
            .map(|(id, v)| {
                let base = self.chains.get(&ChainKey::Volume(*id)).and_then(|c| c.last());
                let base_map = base
                    .and_then(|b| self.snaps.get(&b))
                    .map(|s| s.map.clone())
                    .unwrap_or_else(|| BlockMap::empty(0));
                let runs = base_map
                    .diff(&v.map)
                    .into_iter()
                    .map(|(a, b, _, new)| (a, b, new))
                    .collect();
                VolumeState {
                    id: *id,
                    size: v.size,
                    base,
                    runs,
                }
            })
            .collect();
        EngineState {
            format: FORMAT,
            block_size: self.block_size,
            next_id: self.next_id,
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
        eng.next_id = st.next_id;
        let check_id = |id: u64| {
            if id >= st.next_id {
                Err(corrupt(format!("id {id} ≥ next id")))
            } else {
                Ok(())
            }
        };
        for e in st.extents {
            check_id(e.id.0)?;
            let ok_len = match &e.kind {
                ExtentKind::Fill { .. } => true,
                ExtentKind::Blocks(v) => v.len() as u64 == e.len,
            };
            if e.len == 0 || !ok_len || e.lba.checked_add(e.len).is_none_or(|end| end > MAX_SIZE_BLOCKS) {
                return Err(corrupt(format!("bad extent {}", e.id.0)));
            }
            eng.extents.insert(
                e.id,
                Extent {
                    lba: e.lba,
                    len: e.len,
                    kind: e.kind,
                    live: RangeMap::new(),
                },
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
        for (id, mut e) in std::mem::take(&mut eng.extents) {
            if let Some(l) = live.get(&id) {
                e.live = l.clone();
                extents.insert(id, e);
            }
        }
        eng.extents = extents;
        eng.contents = contents;
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
