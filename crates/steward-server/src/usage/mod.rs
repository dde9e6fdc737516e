//! Usage ingestion shared by every channel and the command line: the directory events are matched against, kept
//! until the roster or the inventory changes, NDJSON read in batches with every bad line reported, and the hourly
//! pruning of raw events past their retention.

pub mod caliper;
pub mod ndjson;
pub mod xapi;

pub use ndjson::Report;

use std::sync::Arc;
use steward_core::usage::Directory;
use steward_store::{Store, StoreError};
use tokio::sync::Mutex;

/// The directory of the current roster and inventory, built once per change: at a million students it takes a
/// few seconds to read, and every batch of events needs it.
#[derive(Clone, Default)]
pub struct Directories {
    current: Arc<Mutex<Option<Kept>>>,
    groups: Arc<Mutex<Option<(i64, Groups)>>>,
}

/// Student groups with their members' dense ids.
pub type Groups = Arc<Vec<(String, roaring::RoaringBitmap)>>;

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

    /// The student groups of the current roster, kept until the next import.
    pub async fn groups(&self, store: &Store) -> Result<Groups, StoreError> {
        self.get(store).await?;
        let generation = store.roster_generation().await?;
        let mut kept = self.groups.lock().await;
        if let Some((g, groups)) = kept.as_ref() {
            if *g == generation {
                return Ok(groups.clone());
            }
        }
        let groups: Groups = Arc::new(store.usage_groups().await?);
        *kept = Some((generation, groups.clone()));
        Ok(groups)
    }
}

/// Stores events a channel has already read, each with where it was (a line, or a position from 1), matched against
/// the current directory, within the retention window; rows the channel could not read are reported with them.
pub async fn ingest_events(
    state: &crate::state::AppState,
    channel: &'static str,
    events: Vec<steward_core::usage::csv::Row>,
) -> Result<Report, StoreError> {
    ingest_with(&state.store, &state.directories, state.settings.usage_retention_days, channel, events).await
}

/// [`ingest_events`] with its parts named, for writers that hold no [`AppState`](crate::state::AppState).
pub async fn ingest_with(
    store: &Store,
    directories: &Directories,
    retention_days: u32,
    channel: &'static str,
    events: Vec<steward_core::usage::csv::Row>,
) -> Result<Report, StoreError> {
    let directory = directories.get(store).await?;
    let window = ndjson::Window::new(chrono::Utc::now(), retention_days);
    let mut report = Report { received: events.len() as u64, ..Report::default() };
    let mut resolved = Vec::with_capacity(events.len());
    for (at, e) in events {
        match e.and_then(|e| window.check(&e, at).map(|()| e)) {
            Ok(e) => resolved.push(directory.resolve(&e)),
            Err(refused) => report.refuse(refused),
        }
    }
    if !resolved.is_empty() {
        let done = store.ingest_usage(channel, &resolved).await?;
        report.stored = done.stored;
        report.duplicates = done.duplicates;
    }
    Ok(report)
}

/// Launches from the launchpad and over LTI, stored as usage events behind the answers, in batches.
pub type Launches = crate::behind::Behind<(&'static str, steward_core::usage::UsageEvent)>;

/// Starts the writer of launches' usage events.
pub fn launches(store: Store, directories: Directories, retention_days: u32) -> Launches {
    crate::behind::Behind::start(
        store,
        "launch usage event",
        std::sync::Arc::new(move |store: Store, events: Vec<(&'static str, steward_core::usage::UsageEvent)>| {
            let directories = directories.clone();
            Box::pin(async move {
                for channel in ["launchpad", "lti"] {
                    let batch: Vec<_> = events
                        .iter()
                        .filter(|(c, _)| *c == channel)
                        .enumerate()
                        .map(|(i, (_, e))| (i as u64 + 1, Ok(e.clone())))
                        .collect();
                    if batch.is_empty() {
                        continue;
                    }
                    let n = batch.len();
                    match ingest_with(&store, &directories, retention_days, channel, batch).await {
                        Ok(r) if r.stored as usize == n => {}
                        Ok(r) => tracing::warn!(
                            channel,
                            stored = r.stored,
                            of = n,
                            "some launches were not stored as usage events"
                        ),
                        Err(e) => {
                            tracing::error!(error = %e, channel, launches = n, "storing launches as usage events failed")
                        }
                    }
                }
            })
        }),
    )
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
