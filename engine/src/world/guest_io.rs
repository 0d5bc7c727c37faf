//! Raw bytes in and out of disks and snapshots, without a command line: what `snaplab guest
//! write --Base64` does, for callers that hold bytes (the JS API's `writeDisk`, imports), and
//! reads of any disk or snapshot (`readDisk` / `readSnapshot`, exports and restores).
//!
//! Both come with their [`Need`]s so that an async caller prefetches exactly the stored blocks
//! they touch, one bounded batch at a time.

use super::{Applied, Outcome, World};
use crate::blocks::{BlockSource, Content, Effects, Need, Target, VolumeId, MAX_READ_BYTES};
use crate::error::{EcsError, Refusal, Resource};
use crate::world::model::InstanceStatus;
use crate::world::Failure;
use serde_json::json;

/// The volume of a disk its guest can write: attached to a `Running` instance.
pub(super) fn running_volume(w: &World, disk_id: &str) -> Outcome<VolumeId> {
    let disk = w.disk(disk_id)?;
    let running = disk
        .instance_id
        .as_deref()
        .and_then(|i| w.instances.get(i))
        .is_some_and(|i| i.status == InstanceStatus::Running);
    if !running {
        return Err(EcsError::IncorrectInstanceStatus(Refusal::BadRequest).into());
    }
    Ok(disk.volume)
}

/// Writes `bytes` at byte `offset` of a volume (range checked first).
pub(super) fn write_at(
    w: &mut World,
    volume: VolumeId,
    offset: u64,
    bytes: &[u8],
    source: &dyn BlockSource,
    whole: &[Content],
) -> Outcome<Effects> {
    let size_bytes = w.blocks.volume_size(volume).map_err(Failure::from)? * w.block_size();
    if offset
        .checked_add(bytes.len() as u64)
        .is_none_or(|end| end > size_bytes)
    {
        return Err(EcsError::invalid("Offset", "the write ends beyond the disk").into());
    }
    w.blocks
        .write_canonical(volume, offset, bytes, source, whole)
        .map_err(Failure::from)
}

/// The blocks `[first, end)` covering `len` bytes at `offset`.
fn covering(offset: u64, len: u64, block_size: u64) -> (u64, u64) {
    let first = offset / block_size;
    let end = offset.saturating_add(len).div_ceil(block_size);
    (first, end.max(first))
}

impl World {
    /// A guest's write of raw bytes to a disk attached to a running instance (as `snaplab guest
    /// write --Offset … --Base64 …`). One operation: commit its effects in one transaction.
    pub fn write_bytes(
        &mut self,
        disk_id: &str,
        offset: u64,
        bytes: &[u8],
        source: &dyn BlockSource,
    ) -> Outcome<Applied> {
        self.write_bytes_canonical(disk_id, offset, bytes, source, &[])
    }

    /// [`World::write_bytes`] with the whole blocks' canonical contents computed beforehand
    /// ([`crate::blocks::whole_block_contents`]).
    pub fn write_bytes_canonical(
        &mut self,
        disk_id: &str,
        offset: u64,
        bytes: &[u8],
        source: &dyn BlockSource,
        whole: &[Content],
    ) -> Outcome<Applied> {
        let volume = running_volume(self, disk_id)?;
        let effects = write_at(self, volume, offset, bytes, source, whole)?;
        Ok(self.finish(Applied {
            reply: json!({}),
            effects,
        }))
    }

    /// The stored blocks [`World::write_bytes`] reads (partial edge blocks).
    pub fn write_needs(&self, disk_id: &str, offset: u64, len: u64) -> Vec<Need> {
        match self.disks.get(disk_id) {
            Some(d) => vec![Need::Write {
                volume: d.volume,
                offset,
                len,
            }],
            None => Vec::new(),
        }
    }

    /// What a disk (`d-…`) or snapshot (`s-…`) ID names, for reads.
    fn read_target(&self, id: &str) -> Outcome<Target> {
        if let Some(d) = self.disks.get(id) {
            return Ok(Target::Volume(d.volume));
        }
        if let Some(s) = self.snapshots.get(id) {
            return Ok(Target::Snapshot(s.snap));
        }
        let resource = if id.starts_with("s-") {
            Resource::Snapshot
        } else {
            Resource::Disk
        };
        Err(EcsError::not_found(resource, id).into())
    }

    /// The size in bytes of a disk or snapshot's content.
    pub fn content_bytes(&self, id: &str) -> Outcome<u64> {
        let blocks = match self.read_target(id)? {
            Target::Volume(v) => self.blocks.volume_size(v),
            Target::Snapshot(s) => self.blocks.snapshot_size(s),
        }
        .map_err(Failure::from)?;
        Ok(blocks * self.block_size())
    }

    /// The stored blocks [`World::read_bytes`] reads.
    pub fn read_needs(&self, id: &str, offset: u64, len: u64) -> Vec<Need> {
        match self.read_target(id) {
            Ok(target) => {
                let (first, end) = covering(offset, len, self.block_size());
                vec![Need::Read {
                    target,
                    from_lba: first,
                    count: end - first,
                }]
            }
            Err(_) => Vec::new(),
        }
    }

    /// Reads `len` bytes at byte `offset` of a disk or a snapshot's content (at most 256 MiB
    /// at a time: read larger contents in chunks).
    pub fn read_bytes(&self, id: &str, offset: u64, len: u64, source: &dyn BlockSource) -> Outcome<Vec<u8>> {
        let target = self.read_target(id)?;
        if len > MAX_READ_BYTES {
            return Err(EcsError::invalid("Length", format!("read at most {MAX_READ_BYTES} bytes at a time")).into());
        }
        let size = self.content_bytes(id)?;
        if offset.checked_add(len).is_none_or(|end| end > size) {
            return Err(EcsError::invalid("Offset", "the read ends beyond the content").into());
        }
        let bs = self.block_size();
        let (first, end) = covering(offset, len, bs);
        let mut bytes = self
            .blocks
            .read_blocks(target, first, end - first, source)
            .map_err(Failure::from)?;
        // Keep only the bytes asked for (in place: a read can be hundreds of MiB).
        bytes.truncate((offset - first * bs + len) as usize);
        bytes.drain(..(offset - first * bs) as usize);
        Ok(bytes)
    }
}
