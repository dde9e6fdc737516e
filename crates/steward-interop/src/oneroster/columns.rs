//! A file's header names and their positions, looked up for every value of every row.

use std::cell::Cell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Slots of the look-up cache: far more than a file's columns, so that names seldom share one.
const CACHE: usize = 256;

/// Header names to positions. The readers ask by the spec's column names, which are string literals: each name's
/// answer is cached by the address of the literal, so the usual look-up is one comparison rather than hashing the
/// name (hashing was a seventh of the reading time). A miss, or a name at another address, asks the map.
pub(crate) struct ColumnIndex {
    names: HashMap<String, usize, BuildHasherDefault<NameHasher>>,
    /// (address, length, position + 1 or 0 for absent) per slot; address 0 is an empty slot.
    cache: Vec<Cell<(usize, usize, usize)>>,
}

impl Default for ColumnIndex {
    fn default() -> ColumnIndex {
        ColumnIndex { names: HashMap::default(), cache: vec![Cell::new((0, 0, 0)); CACHE] }
    }
}

impl ColumnIndex {
    pub fn insert(&mut self, name: String, position: usize) {
        self.names.insert(name, position);
        self.cache.iter().for_each(|slot| slot.set((0, 0, 0)));
    }

    pub fn contains_key(&self, name: &str) -> bool {
        self.names.contains_key(name)
    }

    /// The position of column `name`, if the header has it.
    pub fn get(&self, name: &str) -> Option<usize> {
        let address = name.as_ptr() as usize;
        // Literals lie a few bytes apart: spread their addresses over the slots.
        let slot = &self.cache[(address.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 56) % CACHE];
        let (cached, length, position) = slot.get();
        if cached == address && length == name.len() {
            return position.checked_sub(1);
        }
        let found = self.names.get(name).copied();
        slot.set((address, name.len(), found.map_or(0, |p| p + 1)));
        found
    }
}

/// Hashes short names eight bytes at a time.
#[derive(Default)]
pub(crate) struct NameHasher(u64);

impl Hasher for NameHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            let mixed = (self.0.rotate_left(23) ^ u64::from_le_bytes(word)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
            self.0 = mixed ^ (mixed >> 29);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ColumnIndex;

    #[test]
    fn names_are_found_by_content_whatever_their_address() {
        let mut index = ColumnIndex::default();
        index.insert("sourcedId".into(), 0);
        index.insert("title".into(), 4);
        let owned = String::from("title");
        for _ in 0..2 {
            assert_eq!(index.get("title"), Some(4));
            assert_eq!(index.get(&owned), Some(4));
            assert_eq!(index.get("sourcedId"), Some(0));
            assert_eq!(index.get("weight"), None);
            assert_eq!(index.get(&owned[..3]), None, "a prefix at the same address is another name");
        }
    }
}
