//! How block bytes are laid out in [`Table::Blocks`](super::Table::Blocks): in pieces, without
//! their zeros.
//!
//! A block of `block_size` bytes is cut into pieces of at most [`PIECE_BYTES`] (Chromium keeps
//! IndexedDB values of 64 KiB and more as separate blob files, an extra file per value: pieces
//! stay under that). A block with a slot ([`StoredBlock`]) keeps piece `i` under the number
//! `slot × 128 + i`, written in decimal ([`number_key`]; a store may keep it as a number), so
//! keys follow the order blocks were stored in and a restore reads neighbouring keys. A block
//! stored before slots keeps piece 0 under its content hash and piece `i ≥ 1` under
//! `"{hash}.{i}"`. Trailing zeros of a piece are not stored, and a piece of zeros (other than
//! piece 0, which marks the block as present) is not stored at all: a block that is mostly
//! zeros costs only its non-zero pieces. Reads fetch every possible piece key of the block in
//! one batch; an absent piece reads as zeros, an absent piece 0 as an absent block.

use crate::blocks::{ContentHash, StoredBlock, MAX_SLOT};

/// The largest piece stored as one value.
pub const PIECE_BYTES: usize = 32 << 10;

/// The number of pieces of a block of `block_size` bytes.
pub fn piece_count(block_size: u32) -> usize {
    (block_size as usize).div_ceil(PIECE_BYTES).max(1)
}

/// The keys a slot spans: the most pieces a block can have (4 MiB / 32 KiB).
pub const SLOT_KEYS: u64 = 128;

/// The key of piece `i` of a block stored before slots (under its content hash).
pub fn hash_piece_key(hash: &ContentHash, i: usize) -> String {
    if i == 0 {
        hash.to_hex()
    } else {
        format!("{}.{i}", hash.to_hex())
    }
}

/// The key of piece `i` of a stored block.
pub fn piece_key(block: &StoredBlock, i: usize) -> String {
    match block.slot {
        Some(slot) => (slot * SLOT_KEYS + i as u64).to_string(),
        None => hash_piece_key(&block.hash, i),
    }
}

/// Every key a block of `block_size` bytes may occupy (to read or to delete it).
pub fn keys(block: &StoredBlock, block_size: u32) -> impl Iterator<Item = String> + '_ {
    (0..piece_count(block_size)).map(move |i| piece_key(block, i))
}

/// What a stored key belongs to: a slot, or (stored before slots) a content hash.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum KeyOwner {
    Slot(u64),
    Hash(ContentHash),
}

impl KeyOwner {
    /// Whose keys a stored block's are.
    pub fn of(block: &StoredBlock) -> KeyOwner {
        match block.slot {
            Some(slot) => KeyOwner::Slot(slot),
            None => KeyOwner::Hash(block.hash),
        }
    }

    /// Whose a stored key is (`None`: not a block piece key).
    pub fn of_key(key: &str) -> Option<KeyOwner> {
        match number_key(key) {
            Some(n) => Some(KeyOwner::Slot(n / SLOT_KEYS)),
            None => ContentHash::from_hex(key.split('.').next().unwrap_or(key)).map(KeyOwner::Hash),
        }
    }
}

/// The number a slot piece key stands for: canonical decimal (no sign, no leading zero) up to
/// `MAX_SLOT × 128 + 127` = 2^53 − 1, exact as a JavaScript number. `None` for any other key
/// (hash keys are 64 characters), so the string and number forms map one to one.
pub fn number_key(key: &str) -> Option<u64> {
    let ok = !key.is_empty()
        && key.len() <= 16
        && key.bytes().all(|b| b.is_ascii_digit())
        && (key == "0" || !key.starts_with('0'));
    key.parse::<u64>()
        .ok()
        .filter(|&n| ok && n <= MAX_SLOT * SLOT_KEYS + (SLOT_KEYS - 1))
}

/// The binary form of a piece key, as a store may keep it: the hash's 32 bytes, then for
/// piece `i ≥ 1` the index as two big-endian bytes (34 bytes instead of 64–70 characters,
/// which IndexedDB keeps as UTF-16). `None` for a key that is not exactly what
/// [`hash_piece_key`] makes (a store keeps such keys as they are), so the two forms map one to one.
pub fn binary_key(key: &str) -> Option<Vec<u8>> {
    let (hex, index) = match key.split_once('.') {
        None => (key, 0),
        // Canonical decimal only: digits, no leading zero (nor '+', which `parse` takes).
        Some((hex, i)) if i.bytes().all(|b| b.is_ascii_digit()) && !i.starts_with('0') => {
            (hex, i.parse::<u16>().ok().filter(|&i| i >= 1)?)
        }
        Some(_) => return None,
    };
    // Lower-case hex only, as `piece_key` writes it.
    if hex.bytes().any(|b| b.is_ascii_uppercase()) {
        return None;
    }
    let hash = ContentHash::from_hex(hex)?;
    let mut out = hash.0.to_vec();
    if index >= 1 {
        out.extend_from_slice(&index.to_be_bytes());
    }
    Some(out)
}

/// The piece key a [`binary_key`] stands for.
pub fn key_of_binary(bytes: &[u8]) -> Option<String> {
    let hash = ContentHash(bytes.get(..32)?.try_into().ok()?);
    match bytes.len() {
        32 => Some(hash_piece_key(&hash, 0)),
        34 => {
            let index = u16::from_be_bytes([bytes[32], bytes[33]]);
            (index >= 1).then(|| hash_piece_key(&hash, index as usize))
        }
        _ => None,
    }
}

fn trimmed(piece: &[u8]) -> &[u8] {
    let end = piece.iter().rposition(|&b| b != 0).map_or(0, |i| i + 1);
    &piece[..end]
}

/// The values to store for a block: `(key, value)`, zeros left out. A block of one piece is
/// moved, not copied.
pub fn encode(block: &StoredBlock, mut bytes: Vec<u8>) -> Vec<(String, Vec<u8>)> {
    if bytes.len() <= PIECE_BYTES {
        bytes.truncate(trimmed(&bytes).len());
        return vec![(piece_key(block, 0), bytes)];
    }
    bytes
        .chunks(PIECE_BYTES)
        .enumerate()
        .filter_map(|(i, piece)| {
            let kept = trimmed(piece);
            (i == 0 || !kept.is_empty()).then(|| (piece_key(block, i), kept.to_vec()))
        })
        .collect()
}

/// Puts a block back together from the values read under [`keys`] (in that order). `None`
/// when piece 0 is absent (the block is not stored) or a piece is longer than a piece can be.
pub fn decode(pieces: &mut [Option<Vec<u8>>], block_size: u32) -> Option<Vec<u8>> {
    let size = block_size as usize;
    let count = pieces.len();
    let first = pieces.first_mut()?.as_mut()?;
    if first.len() == size {
        // A whole block (one piece, or a block stored whole before pieces existed): moved.
        return Some(std::mem::take(first));
    }
    if count == 1 {
        // One piece without its trailing zeros: they come back.
        let mut block = std::mem::take(first);
        if block.len() > size {
            return None;
        }
        block.resize(size, 0);
        return Some(block);
    }
    let mut block = vec![0u8; size];
    for (i, piece) in pieces.iter().enumerate() {
        let Some(piece) = piece else { continue };
        let start = i * PIECE_BYTES;
        let end = (start + PIECE_BYTES).min(size);
        if start >= size || piece.len() > end - start {
            return None;
        }
        block[start..start + piece.len()].copy_from_slice(piece);
    }
    Some(block)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blocks::HashAlgo;

    /// Stores `bytes` under a slot and under its hash alone; returns the bytes stored.
    fn round_trip(bytes: Vec<u8>) -> usize {
        let hash = HashAlgo::NEW.hash(&bytes);
        let bs = bytes.len() as u32;
        let mut sizes = Vec::new();
        for block in [StoredBlock { slot: Some(77), hash }, StoredBlock { slot: None, hash }] {
            let stored: std::collections::BTreeMap<String, Vec<u8>> =
                encode(&block, bytes.clone()).into_iter().collect();
            let mut read: Vec<Option<Vec<u8>>> = keys(&block, bs).map(|k| stored.get(&k).cloned()).collect();
            assert_eq!(decode(&mut read, bs).as_deref(), Some(&bytes[..]));
            assert!(stored.keys().all(|k| KeyOwner::of_key(k) == Some(KeyOwner::of(&block))));
            sizes.push(stored.values().map(Vec::len).sum::<usize>());
        }
        assert_eq!(sizes[0], sizes[1]);
        sizes[0]
    }

    #[test]
    fn slot_keys_are_numbers_in_storing_order() {
        let hash = HashAlgo::NEW.hash(b"slot");
        let at = |slot, i| piece_key(&StoredBlock { slot: Some(slot), hash }, i);
        assert_eq!(at(0, 0), "0");
        assert_eq!(at(3, 5), "389");
        assert_eq!(number_key(&at(3, 5)), Some(3 * 128 + 5));
        assert_eq!(KeyOwner::of_key(&at(3, 127)), Some(KeyOwner::Slot(3)));
        let last = at(MAX_SLOT, 127);
        assert_eq!(number_key(&last), Some((1 << 53) - 1), "exact as a JavaScript number");
        // Only the canonical decimal form is a number key.
        for other in [
            "",
            "00",
            "01",
            "+1",
            "-1",
            "1.0",
            "9007199254740992",
            "12345678901234567",
            "1e3",
        ] {
            assert_eq!(number_key(other), None, "{other}");
        }
        // Hash keys never read as numbers, even all digits.
        let digits = "1".repeat(64);
        assert_eq!(number_key(&digits), None);
        assert_eq!(
            KeyOwner::of_key(&digits),
            ContentHash::from_hex(&digits).map(KeyOwner::Hash)
        );
    }

    #[test]
    fn small_blocks_are_one_value_without_trailing_zeros() {
        let mut b = vec![0u8; 4096];
        b[..3].copy_from_slice(b"B1\n");
        assert_eq!(round_trip(b), 3);
        assert_eq!(round_trip(vec![7u8; 4096]), 4096);
    }

    #[test]
    fn large_blocks_store_only_their_nonzero_pieces() {
        let mut b = vec![0u8; 1 << 20];
        b[5] = 1;
        b[(1 << 20) - 1] = 2;
        // Piece 0 (6 bytes) and the last piece (full length: its last byte is non-zero).
        assert_eq!(round_trip(b), 6 + PIECE_BYTES);
        assert_eq!(round_trip(vec![9u8; 4 << 20]), 4 << 20);
        let mut tail = vec![0u8; 1 << 20];
        tail[PIECE_BYTES * 3 + 10] = 3;
        assert_eq!(round_trip(tail), 11);
    }

    #[test]
    fn an_absent_or_oversized_piece_is_no_block() {
        assert_eq!(decode(&mut [None, Some(vec![1])], 2 * PIECE_BYTES as u32), None);
        assert_eq!(
            decode(&mut [Some(vec![1; PIECE_BYTES + 1]), None], 2 * PIECE_BYTES as u32),
            None
        );
        // A whole block under piece 0 (as written before pieces existed) is read as it is.
        assert_eq!(decode(&mut [Some(vec![4; 4096])], 4096), Some(vec![4; 4096]));
        let whole = vec![5; 2 * PIECE_BYTES];
        assert_eq!(
            decode(&mut [Some(whole.clone()), None], whole.len() as u32),
            Some(whole)
        );
    }

    #[test]
    fn binary_keys_map_one_to_one_to_piece_keys() {
        let hash = HashAlgo::NEW.hash(b"piece");
        for i in [0usize, 1, 9, 10, 31, 65535] {
            let key = hash_piece_key(&hash, i);
            let bin = binary_key(&key).expect("a piece key has a binary form");
            assert_eq!(bin.len(), if i == 0 { 32 } else { 34 });
            assert_eq!(key_of_binary(&bin).as_deref(), Some(key.as_str()));
        }
        // Anything piece_key would not make keeps its string form.
        let hex = hash.to_hex();
        for other in [
            "world".to_string(),
            hex.to_uppercase(),
            format!("{hex}.0"),
            format!("{hex}.01"),
            format!("{hex}.+1"),
            format!("{hex}.65536"),
            format!("{hex}."),
            hex[..62].to_string(),
        ] {
            assert_eq!(binary_key(&other), None, "{other}");
        }
        assert_eq!(key_of_binary(&[0; 33]), None);
        assert_eq!(key_of_binary(&[0; 34]), None, "piece 0 has no index");
        assert_eq!(key_of_binary(&[0; 31]), None);
    }
}
