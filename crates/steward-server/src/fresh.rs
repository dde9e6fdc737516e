//! Values computed from usage and kept for a short while: what several pages and their repeated views share, so that
//! usage that arrived since shows within that while, and a change that has its own key (a dismissal, an import)
//! shows at once.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

/// At most this many values per cache; the oldest goes first.
const MAX_ENTRIES: usize = 64;

/// Values by key, each kept for `ttl`.
#[derive(Clone)]
pub struct Fresh<K, V> {
    ttl: Duration,
    kept: Arc<Mutex<HashMap<K, (Instant, V)>>>,
}

impl<K, V> Fresh<K, V> {
    pub fn new(ttl: Duration) -> Self {
        Self { ttl, kept: Arc::default() }
    }
}

impl<K: Eq + Hash + Clone, V: Clone> Fresh<K, V> {
    /// The value kept under `key` while it is fresh, else `make`'s, kept. Callers for the same key wait for one
    /// another rather than computing it twice.
    pub async fn get_or<E, F>(&self, key: K, make: F) -> Result<V, E>
    where
        F: std::future::Future<Output = Result<V, E>>,
    {
        let mut kept = self.kept.lock().await;
        if let Some((at, v)) = kept.get(&key) {
            if at.elapsed() < self.ttl {
                return Ok(v.clone());
            }
        }
        let v = make.await?;
        if kept.len() >= MAX_ENTRIES {
            if let Some(oldest) = kept.iter().min_by_key(|(_, (at, _))| *at).map(|(k, _)| k.clone()) {
                kept.remove(&oldest);
            }
        }
        kept.insert(key, (Instant::now(), v.clone()));
        Ok(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn values_are_kept_while_fresh() {
        let cache: Fresh<u8, u32> = Fresh::new(Duration::from_millis(200));
        assert_eq!(cache.get_or::<(), _>(1, async { Ok(10) }).await, Ok(10));
        assert_eq!(cache.get_or::<(), _>(1, async { Ok(11) }).await, Ok(10), "kept");
        assert_eq!(cache.get_or::<(), _>(2, async { Ok(20) }).await, Ok(20), "another key");
        tokio::time::sleep(Duration::from_millis(250)).await;
        assert_eq!(cache.get_or::<(), _>(1, async { Ok(12) }).await, Ok(12), "computed again when stale");
        assert_eq!(cache.get_or(3, async { Err("failed") }).await, Err("failed"), "a failure is not kept");
        assert_eq!(cache.get_or::<&str, _>(3, async { Ok(30) }).await, Ok(30));
    }
}
