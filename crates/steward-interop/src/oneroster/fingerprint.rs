//! 128-bit fingerprints of sourcedIds: what the streaming reader keeps instead of the ids themselves.
//!
//! A fingerprint is two SipHash-1-3 hashes (std's `RandomState`, so no new dependency) under two independent random
//! keys, drawn once per read. Keys unknown to the package's author mean ids cannot be crafted to collide. With n ids
//! the chance that any two distinct ones share a fingerprint is about n²/2¹²⁹: for 10 million ids about 1.5·10⁻²⁵,
//! and for 50 million reference look-ups against them about 1.5·10⁻²⁴ that one matches an id it is not. A match
//! either way would hide one duplicate or one dangling reference; it cannot corrupt a record.

use std::collections::hash_map::RandomState;
use std::collections::HashMap;
use std::hash::{BuildHasher, BuildHasherDefault, Hash, Hasher};

/// A sourcedId (or a pair of them) reduced to 128 bits. Two `u64`s rather than a `u128`: a map entry of a
/// fingerprint and a line is then 24 bytes, not 32.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Fingerprint(u64, u64);

impl Hash for Fingerprint {
    fn hash<H: Hasher>(&self, state: &mut H) {
        // Already uniformly random: the map needs no further hashing.
        state.write_u64(self.0);
    }
}

/// Makes fingerprints with the keys of one read.
#[derive(Debug, Clone, Default)]
pub(crate) struct Fingerprinter {
    first: RandomState,
    second: RandomState,
}

impl Fingerprinter {
    pub fn of(&self, id: &str) -> Fingerprint {
        Fingerprint(self.first.hash_one(id), self.second.hash_one(id))
    }

    /// A pair of ids (e.g. user and org); `(a, b)` and `(b, a)` differ.
    pub fn of_pair(&self, a: &str, b: &str) -> Fingerprint {
        Fingerprint(self.first.hash_one((a, b)), self.second.hash_one((a, b)))
    }
}

/// Passes a fingerprint's own bits through as its hash.
#[derive(Debug, Default)]
pub(crate) struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only `write_u64` is used by `Fingerprint`; fold anything else in rather than lose it.
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// Fingerprints mapped to a value, hashed by their own bits.
pub(crate) type FingerprintMap<V> = HashMap<Fingerprint, V, BuildHasherDefault<PassThrough>>;

#[cfg(test)]
mod tests {
    use super::{FingerprintMap, Fingerprinter};

    #[test]
    fn equal_ids_share_a_fingerprint_and_pairs_keep_their_order() {
        let f = Fingerprinter::default();
        assert_eq!(f.of("u-1"), f.of("u-1"));
        assert_ne!(f.of("u-1"), f.of("u-2"));
        assert_ne!(f.of_pair("a", "b"), f.of_pair("b", "a"));
        assert_ne!(f.of_pair("ab", ""), f.of_pair("a", "b"));
        let mut map = FingerprintMap::default();
        map.insert(f.of("u-1"), 2u64);
        assert_eq!(map.get(&f.of("u-1")), Some(&2));
        assert_eq!(map.get(&f.of("u-2")), None);
        assert_eq!(std::mem::size_of::<(super::Fingerprint, u64)>(), 24);
    }
}
