//! The live disk as the last row of its chain's block picture (the data behind the console's
//! block-reference view, `snaplab chain blocks`, SPEC §18).

use super::{BlockEngine, BlockResult, BlockSource, Content, RunInfo, Target, VolumeId};

/// Blocks from LBA 0 that the view labels with their text (A–Z, as in R-INC-3).
pub const LABELLED_LBAS: u64 = 26;
/// Longest label, in characters.
const LABEL_CHARS: usize = 8;

/// A volume's live map seen against its own chain: the blocks it shares with a snapshot of the
/// chain (with the snapshot owning that version) and the blocks written since the last snapshot
/// (in no snapshot of the chain yet).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VolumeRow {
    /// The volume's size in blocks.
    pub size_blocks: u64,
    /// Runs of versions no snapshot of the chain holds (`owner` is `None`).
    pub written: Vec<RunInfo>,
    /// Runs of versions a snapshot of the chain holds (`owner` is that snapshot).
    pub referenced: Vec<RunInfo>,
    /// Blocks in `written`.
    pub written_blocks: u64,
    /// Blocks in `referenced`.
    pub referenced_blocks: u64,
}

impl BlockEngine {
    /// The live row of volume `v` under its chain, in LBA order. Costs O(runs of the live map).
    pub fn volume_row(&self, v: VolumeId) -> BlockResult<VolumeRow> {
        let size_blocks = self.volume(v)?.size;
        let (written, referenced): (Vec<RunInfo>, Vec<RunInfo>) =
            self.volume_view(v)?.into_iter().partition(|r| r.owner.is_none());
        Ok(VolumeRow {
            size_blocks,
            written_blocks: written.iter().map(|r| r.len).sum(),
            referenced_blocks: referenced.iter().map(|r| r.len).sum(),
            written,
            referenced,
        })
    }

    /// A short label written into block `lba` of `t` (stored bytes that are UTF-8 text of at
    /// most 8 characters followed only by zeros, like `snaplab guest write --Text B1`), read
    /// through `source`; `None` for anything else. Synthetic fills are never read.
    pub fn block_label(&self, t: Target, lba: u64, source: &dyn BlockSource) -> Option<String> {
        if !matches!(self.content_at(t, lba).ok()?, Content::Data(_)) {
            return None;
        }
        let bytes = self.read_block(t, lba, source).ok()?;
        let end = bytes.iter().rposition(|b| *b != 0).map_or(0, |i| i + 1);
        let text = std::str::from_utf8(&bytes[..end]).ok()?;
        (!text.is_empty() && !text.contains('\0') && text.chars().count() <= LABEL_CHARS).then(|| text.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::super::{BlockEngine, ContentHash, SnapId, Target};
    use std::collections::HashMap;

    #[test]
    fn labels_are_short_texts_of_stored_blocks() {
        let mut e = BlockEngine::new(4096).unwrap();
        let v = e.create_volume(8).unwrap();
        let mut store: HashMap<ContentHash, Vec<u8>> = HashMap::new();
        for (lba, text) in [(0, "B1"), (1, "a much longer text")] {
            store.extend(
                e.write_text(v, lba, text)
                    .unwrap()
                    .put
                    .into_iter()
                    .map(|(at, b)| (at.hash, b)),
            );
        }
        e.fill(v, 2, 1, 9).unwrap();
        let s = e.snapshot(v).unwrap();
        store.extend(
            e.write_text(v, 0, "B2")
                .unwrap()
                .put
                .into_iter()
                .map(|(at, b)| (at.hash, b)),
        );
        let label = |t: Target, lba: u64| e.block_label(t, lba, &store);
        assert_eq!(label(Target::Snapshot(s), 0).as_deref(), Some("B1"));
        assert_eq!(label(Target::Volume(v), 0).as_deref(), Some("B2"));
        assert_eq!(label(Target::Volume(v), 1), None, "too long for a label");
        assert_eq!(label(Target::Volume(v), 2), None, "a synthetic fill");
        assert_eq!(label(Target::Volume(v), 3), None, "never written");
        assert_eq!(label(Target::Volume(v), 99), None, "beyond the disk");
    }

    fn owners(runs: &[super::RunInfo]) -> Vec<(u64, u64, Option<SnapId>)> {
        runs.iter().map(|r| (r.lba, r.len, r.owner)).collect()
    }

    // R-INC-3: after S3, the disk references A, D (S1), C1 (S2), B2 (S3); a new write of B3 is
    // the disk's own until the next snapshot; deleting S2 (R-DEL-4) moves C1's owner to S3.
    #[test]
    fn the_live_row_references_the_chain_and_keeps_new_writes_apart() {
        let mut e = BlockEngine::new(4096).unwrap();
        let v = e.create_volume(8).unwrap();
        let empty = e.volume_row(v).unwrap();
        assert_eq!(
            (empty.size_blocks, empty.written_blocks, empty.referenced_blocks),
            (8, 0, 0)
        );
        for (l, t) in ["A", "B", "C", "D"].iter().enumerate() {
            e.write_text(v, l as u64, t).unwrap();
        }
        let before = e.volume_row(v).unwrap();
        assert_eq!(before.written_blocks, 4, "nothing is in a snapshot yet");
        assert!(before.referenced.is_empty());
        let s1 = e.snapshot(v).unwrap();
        e.write_text(v, 1, "B1").unwrap();
        e.write_text(v, 2, "C1").unwrap();
        let s2 = e.snapshot(v).unwrap();
        e.write_text(v, 1, "B2").unwrap();
        let s3 = e.snapshot(v).unwrap();
        let row = e.volume_row(v).unwrap();
        assert_eq!(row.written_blocks, 0);
        assert_eq!(
            owners(&row.referenced),
            vec![(0, 1, Some(s1)), (1, 1, Some(s3)), (2, 1, Some(s2)), (3, 1, Some(s1))]
        );
        e.write_text(v, 1, "B3").unwrap();
        let row = e.volume_row(v).unwrap();
        assert_eq!(owners(&row.written), vec![(1, 1, None)]);
        assert_eq!(row.referenced_blocks, 3);
        e.delete_snapshot(s2).unwrap();
        let row = e.volume_row(v).unwrap();
        assert_eq!(
            owners(&row.referenced),
            vec![(0, 1, Some(s1)), (2, 1, Some(s3)), (3, 1, Some(s1))]
        );
        assert!(e.volume_row(super::super::VolumeId(999)).is_err());
    }
}
