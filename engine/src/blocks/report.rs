//! What the engine reports: runs of versions with their owners, a chain snapshot by snapshot
//! (the console's chain and block views), and what deleting a snapshot does. The types, and the
//! views computed from the maps and the chains' holder sets.

use serde::{Deserialize, Serialize};

use super::tree::BlockMap;
use super::{version_of, BlockEngine, BlockResult, ChainKey, SnapId, VersionId, VolumeId};

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

impl BlockEngine {
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
}
