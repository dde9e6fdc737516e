//! Recent collection totals (`X-Total-Count`), kept for a minute in this process.
//!
//! Counting what a product may see means checking every candidate row (a million students: about two seconds on
//! SQLite), while a page itself is an index walk of a few milliseconds. A client syncing a roster pages through the
//! same query a thousand times in a few minutes; each server remembers the total for a minute, keyed by everything
//! that decides it (the product's scope, the record type, the nesting and the filter). A total may thus lag a change
//! by up to a minute; the records themselves never do.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};
use std::time::{Duration, Instant};
use steward_store::{RosterQuery, RosterScope};

const KEEP: Duration = Duration::from_secs(60);
/// Past this many remembered totals, all are forgotten (a bound on memory, not an eviction policy).
const MOST: usize = 10_000;

static TOTALS: LazyLock<Mutex<HashMap<String, (i64, Instant)>>> = LazyLock::new(Default::default);

/// What decides a total, in which database.
pub fn key(database: &str, scope: &RosterScope, q: &RosterQuery<'_>) -> String {
    format!("{database}|{scope:?}|{:?}|{:?}|{:?}|{:?}", q.entity, q.version, q.within, q.filter)
}

pub fn get(key: &str) -> Option<i64> {
    let map = TOTALS.lock().ok()?;
    map.get(key).filter(|(_, at)| at.elapsed() < KEEP).map(|(n, _)| *n)
}

pub fn put(key: String, total: i64) {
    if let Ok(mut map) = TOTALS.lock() {
        if map.len() >= MOST {
            map.clear();
        }
        // A fresh total keeps its time, so that it is counted again a minute after it was counted.
        if map.get(&key).is_none_or(|(_, at)| at.elapsed() >= KEEP) {
            map.insert(key, (total, Instant::now()));
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_total_is_remembered_under_its_key_only() {
        super::put("db-a|q".into(), 41);
        super::put("db-a|q".into(), 99);
        assert_eq!(super::get("db-a|q"), Some(41), "a fresh total is not replaced");
        assert_eq!(super::get("db-b|q"), None);
    }
}
