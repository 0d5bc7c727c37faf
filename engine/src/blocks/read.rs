//! Reading: block bytes of a volume or snapshot (one block, bounded ranges, a streamed export),
//! the stored contents a call will need (to prefetch them) and the canonical checksum.

use std::collections::BTreeSet;

use sha2::{Digest, Sha256};

use super::{
    content, pattern_bytes, BlockEngine, BlockError, BlockResult, BlockSource, Content, ContentHash, ExtentKind, Need,
    Target, MAX_READ_BYTES,
};

impl BlockEngine {
    pub(super) fn block_bytes(&self, c: Content, source: &dyn BlockSource) -> BlockResult<Vec<u8>> {
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
                self.check_bytes(vol, offset, len)?;
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
