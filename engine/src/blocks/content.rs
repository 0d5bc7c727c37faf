//! Block content in canonical form: zeros, synthetic patterns and content-addressed data.
//!
//! Equal bytes ⇔ equal canonical form: an all-zero block is always [`Content::Zero`], a block whose
//! bytes are exactly those of a pattern block is always [`Content::Pattern`], and anything else is
//! [`Content::Data`] named by its content hash ([`HashAlgo`]: BLAKE3, or SHA-256 in worlds made
//! before BLAKE3).

use std::collections::HashMap;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::{Digest, Sha256};

/// The hash of a stored block's bytes: the key of physical storage (content-addressed,
/// deduplicated). Which hash it is is the world's [`HashAlgo`].
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ContentHash(pub [u8; 32]);

/// The hash function that names a world's stored blocks, fixed when its block engine is made.
///
/// New engines use BLAKE3: in wasm it hashes about 4× faster than SHA-256, and hashing is most
/// of a write's work in the page. Worlds saved before BLAKE3 carry no algorithm in their header
/// and keep SHA-256 ([`HashAlgo::default`]): their stored blocks stay where they are.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HashAlgo {
    /// SHA-256: worlds saved before BLAKE3.
    #[default]
    Sha256,
    /// BLAKE3 (256-bit output): every new engine.
    Blake3,
}

impl HashAlgo {
    /// The algorithm of a new block engine.
    pub const NEW: HashAlgo = HashAlgo::Blake3;

    /// The hash of `bytes`.
    pub fn hash(self, bytes: &[u8]) -> ContentHash {
        match self {
            HashAlgo::Sha256 => {
                let digest = Sha256::digest(bytes);
                let mut out = [0u8; 32];
                out.copy_from_slice(digest.as_slice());
                ContentHash(out)
            }
            HashAlgo::Blake3 => ContentHash(*blake3::hash(bytes).as_bytes()),
        }
    }
}

impl ContentHash {
    /// Lower-case hex, 64 characters (also the serialized form).
    pub fn to_hex(&self) -> String {
        hex(&self.0)
    }

    /// Parses 64 hex characters.
    pub fn from_hex(text: &str) -> Option<ContentHash> {
        let bytes = text.as_bytes();
        if bytes.len() != 64 {
            return None;
        }
        let mut out = [0u8; 32];
        for (i, pair) in bytes.chunks(2).enumerate() {
            let hi = (pair[0] as char).to_digit(16)?;
            let lo = (pair[1] as char).to_digit(16)?;
            out[i] = (hi * 16 + lo) as u8;
        }
        Some(ContentHash(out))
    }
}

/// Lower-case hex of some bytes.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

impl fmt::Display for ContentHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for ContentHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ContentHash({})", &self.to_hex()[..12])
    }
}

impl Serialize for ContentHash {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_hex())
    }
}

impl<'de> Deserialize<'de> for ContentHash {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        ContentHash::from_hex(&text).ok_or_else(|| serde::de::Error::custom("bad content hash"))
    }
}

/// The canonical content of one block.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Content {
    /// All-zero bytes (never stored, never billed as physical bytes).
    #[serde(rename = "z")]
    Zero,
    /// Synthetic fill content, fully determined by `(seed, lba, block size)`.
    #[serde(rename = "p")]
    Pattern {
        /// The fill's seed.
        seed: u64,
        /// The LBA recorded in the pattern header (where the fill put it).
        lba: u64,
    },
    /// Any other bytes, stored physically under their SHA-256.
    #[serde(rename = "d")]
    Data(ContentHash),
}

/// Magic bytes that open every pattern block.
pub const PATTERN_MAGIC: [u8; 8] = *b"SNAPLAB\x01";
const HEADER_LEN: usize = 24;

/// The bytes of pattern block `(seed, lba)` for a block size (≥ 512, a multiple of 8).
pub fn pattern_bytes(seed: u64, lba: u64, block_size: usize) -> Vec<u8> {
    let mut out = vec![0u8; block_size];
    fill_pattern(seed, lba, &mut out);
    out
}

/// Writes the pattern block `(seed, lba)` into `out` (its whole length).
pub(crate) fn fill_pattern(seed: u64, lba: u64, out: &mut [u8]) {
    let mut header = [0u8; HEADER_LEN];
    header[..8].copy_from_slice(&PATTERN_MAGIC);
    header[8..16].copy_from_slice(&seed.to_le_bytes());
    header[16..24].copy_from_slice(&lba.to_le_bytes());
    let n = HEADER_LEN.min(out.len());
    out[..n].copy_from_slice(&header[..n]);
    // splitmix64, seeded by (seed, lba).
    let mut state = seed ^ lba.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03;
    for chunk in out[n..].chunks_mut(8) {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        let bytes = z.to_le_bytes();
        chunk.copy_from_slice(&bytes[..chunk.len()]);
    }
}

/// The canonical form of a full block's bytes, in a world whose blocks `algo` names.
pub fn canonicalize(bytes: &[u8], algo: HashAlgo) -> Content {
    if bytes.iter().all(|&b| b == 0) {
        return Content::Zero;
    }
    if bytes.len() >= HEADER_LEN && bytes[..8] == PATTERN_MAGIC {
        let mut word = [0u8; 8];
        word.copy_from_slice(&bytes[8..16]);
        let seed = u64::from_le_bytes(word);
        word.copy_from_slice(&bytes[16..24]);
        let lba = u64::from_le_bytes(word);
        if pattern_bytes(seed, lba, bytes.len()) == bytes {
            return Content::Pattern { seed, lba };
        }
    }
    Content::Data(algo.hash(bytes))
}

/// Where the engine gets the bytes of stored (`Data`) blocks it no longer holds.
pub trait BlockSource {
    /// The bytes stored under `hash`, if present.
    fn get(&self, hash: &ContentHash) -> Option<&[u8]>;
}

impl BlockSource for HashMap<ContentHash, Vec<u8>> {
    fn get(&self, hash: &ContentHash) -> Option<&[u8]> {
        HashMap::get(self, hash).map(Vec::as_slice)
    }
}

/// A [`BlockSource`] that has nothing (for operations that need no stored bytes).
#[derive(Clone, Copy, Debug, Default)]
pub struct NoSource;

impl BlockSource for NoSource {
    fn get(&self, _hash: &ContentHash) -> Option<&[u8]> {
        None
    }
}
