//! Usage ingestion shared by every channel and the command line: the directory events are matched against, kept
//! until the roster or the inventory changes, NDJSON read in batches with every bad line reported, and the hourly
//! pruning of raw events past their retention.

pub mod ndjson;

use std::sync::Arc;
use steward_core::usage::Directory;
use steward_store::{Store, StoreError};
use tokio::sync::Mutex;

/// The directory of the current roster and inventory, built once per change: at a million students it takes a
/// few seconds to read, and every batch of events needs it.
#[derive(Clone, Default)]
pub struct Directories {
    current: Arc<Mutex<Option<Kept>>>,
}

/// A directory with the (roster generation, change generation) it was built at.
type Kept = ((i64, i64), Arc<Directory>);

impl Directories {
    /// The directory for the store as it is now: kept while the latest applied import and the latest audited
    /// change (a product added or changed, an alias named) stay the same.
    pub async fn get(&self, store: &Store) -> Result<Arc<Directory>, StoreError> {
        let key = (store.roster_generation().await?, store.change_generation().await?);
        let mut current = self.current.lock().await;
        if let Some((k, d)) = current.as_ref() {
            if *k == key {
                return Ok(d.clone());
            }
        }
        let d = Arc::new(store.usage_directory().await?);
        *current = Some((key, d.clone()));
        Ok(d)
    }
}

/// Deletes raw events older than the retention period now and then once an hour, for as long as the server runs;
/// several servers doing so at once delete the same rows. Failures are logged and tried again the next hour.
pub async fn keep_pruning(store: Store, retention_days: u32) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        every.tick().await;
        let before = chrono::Utc::now().date_naive() - chrono::Duration::days(i64::from(retention_days));
        match store.prune_usage_events(before).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(events = n, %before, "pruned raw usage events past their retention"),
            Err(e) => tracing::warn!(error = %e, "pruning raw usage events failed"),
        }
    }
}
