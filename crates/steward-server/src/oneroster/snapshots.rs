//! Paging snapshots: for a collection request, the ordered sourcedIds it matches, kept for five minutes in this
//! process, so that each of its pages is a slice of that list whose records are read by primary key.
//!
//! Paging in SQL means skipping `offset` rows and deciding, for each one skipped, whether the product may see it: on
//! a million students, half a second a page, and two seconds more to count the total. A client syncing a roster asks
//! for the same collection page after page, so the first request lists every matching id once (about as long as one
//! count) and each later page reads `limit` records by id, in milliseconds.
//!
//! The trade-off: a page is a slice of a list taken at most five minutes ago in the same roster generation (the
//! latest applied import). The records are read fresh; which records the collection holds, their order and
//! `X-Total-Count` (the list's length) are the snapshot's, so the pages of one sync are of one list, with no record
//! skipped or served twice. An import changes the generation, and the first request after it takes a new snapshot;
//! so does a change of what the product may see, which is part of the key too.
//!
//! Memory is bounded. Ids are held compactly ([`RosterIds`]); all snapshots together take at most [`BUDGET`] bytes,
//! the oldest going first when a new one needs room, and none is kept past [`KEEP`]. A collection whose ids alone
//! would pass the budget is not listed: its pages are read in SQL with `LIMIT`/`OFFSET` and a count, and its key
//! remembers that for as long as a snapshot would be kept. Requests for a snapshot being taken wait for it instead of
//! taking their own.

use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};
use steward_store::{RosterIds, RosterQuery, RosterScope};
use tokio::sync::OnceCell;

/// How long a snapshot serves pages.
pub const KEEP: Duration = Duration::from_secs(300);
/// The bytes all snapshots of a process may take: about nine million ten-character ids.
pub const BUDGET: usize = 128 << 20;
/// What a kept snapshot costs besides its ids and its key (map entry, cell, counts), counted against the budget.
const SLOT: usize = 128;

/// What a collection request's snapshot holds.
#[derive(Debug, Clone)]
pub enum Snapshot {
    /// The matching sourcedIds, in the request's order.
    Ids(Arc<RosterIds>),
    /// More ids than the budget holds: the collection is paged in SQL.
    TooLarge,
}

/// What decides a snapshot: the database, the roster's generation, what the product may see, and the request but
/// for its page (record type, version, nesting, filter, sort and direction). The scope lists every visible school,
/// tens of kilobytes for a large district, so it is in the key as its SHA-256.
pub fn key(database: &str, generation: i64, scope: &RosterScope, q: &RosterQuery<'_>) -> String {
    let scope = hex::encode(Sha256::digest(format!("{scope:?}").as_bytes()));
    format!(
        "{database}|{generation}|{scope}|{:?}|{:?}|{:?}|{:?}|{:?}|{}",
        q.entity, q.version, q.within, q.filter, q.sort, q.descending
    )
}

struct Slot {
    made: Instant,
    cell: Arc<OnceCell<Snapshot>>,
    /// The bytes counted against the budget; 0 until the snapshot is taken.
    weight: usize,
}

#[derive(Default)]
struct Inner {
    slots: HashMap<String, Slot>,
    held: usize,
}

/// The snapshots of this process, shared by its request handlers.
#[derive(Clone)]
pub struct Snapshots {
    inner: Arc<Mutex<Inner>>,
    budget: usize,
    keep: Duration,
}

impl Default for Snapshots {
    fn default() -> Self {
        Self::new(BUDGET, KEEP)
    }
}

impl Snapshots {
    pub fn new(budget: usize, keep: Duration) -> Self {
        Self { inner: Default::default(), budget, keep }
    }

    /// The most bytes of ids a snapshot under `key` may hold (so that it fits the budget on its own).
    pub fn most(&self, key: &str) -> usize {
        self.budget.saturating_sub(SLOT + key.len())
    }

    /// The snapshot under `key`: the one kept, or the one another request is taking, or else `take`'s (`None` from
    /// it: too large to keep). A failure is returned and not kept.
    pub async fn get_or_take<E, F, Fut>(&self, key: &str, take: F) -> Result<Snapshot, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Option<RosterIds>, E>>,
    {
        let cell = self.slot(key);
        let taken = cell
            .get_or_try_init(|| async {
                Ok(take().await?.map_or(Snapshot::TooLarge, |ids| Snapshot::Ids(Arc::new(ids))))
            })
            .await
            .cloned();
        match taken {
            Ok(_) => self.settle(key, &cell),
            Err(_) => self.forget(key, &cell),
        }
        taken
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // The map stays consistent at every step, so a panic elsewhere while holding it leaves nothing half done.
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The cell under `key`, made empty if there is none; expired snapshots are dropped first.
    fn slot(&self, key: &str) -> Arc<OnceCell<Snapshot>> {
        let mut inner = self.lock();
        let Inner { slots, held } = &mut *inner;
        slots.retain(|_, s| {
            let live = s.made.elapsed() < self.keep;
            if !live {
                *held -= s.weight;
            }
            live
        });
        let slot = slots.entry(key.to_owned()).or_insert_with(|| Slot {
            made: Instant::now(),
            cell: Default::default(),
            weight: 0,
        });
        slot.cell.clone()
    }

    /// Counts a snapshot just taken against the budget, dropping the oldest others until all fit.
    fn settle(&self, key: &str, cell: &Arc<OnceCell<Snapshot>>) {
        let mut inner = self.lock();
        let Inner { slots, held } = &mut *inner;
        let Some(slot) = slots.get_mut(key).filter(|s| Arc::ptr_eq(&s.cell, cell) && s.weight == 0) else { return };
        let ids = match slot.cell.get() {
            Some(Snapshot::Ids(ids)) => ids.bytes(),
            Some(Snapshot::TooLarge) => 0,
            None => return,
        };
        slot.weight = SLOT + key.len() + ids;
        *held += slot.weight;
        while *held > self.budget {
            let oldest = slots
                .iter()
                .filter(|(k, s)| s.weight > 0 && k.as_str() != key)
                .min_by_key(|(_, s)| s.made)
                .map(|(k, _)| k.clone());
            let Some(k) = oldest else { break };
            if let Some(gone) = slots.remove(&k) {
                *held -= gone.weight;
            }
        }
    }

    /// Drops the empty cell a failed take leaves, so that failures take no room.
    fn forget(&self, key: &str, cell: &Arc<OnceCell<Snapshot>>) {
        let mut inner = self.lock();
        if inner.slots.get(key).is_some_and(|s| Arc::ptr_eq(&s.cell, cell) && !s.cell.initialized()) {
            inner.slots.remove(key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn ids(n: usize) -> RosterIds {
        let mut out = RosterIds::default();
        for i in 0..n {
            assert!(out.push(&format!("id-{i:05}")));
        }
        out
    }

    /// The snapshot under `key`, counting in `takes` each time one is taken (of `n` ids).
    async fn get(s: &Snapshots, key: &str, n: usize, takes: &AtomicUsize) -> Snapshot {
        let take = move || async move {
            takes.fetch_add(1, Ordering::SeqCst);
            Ok::<_, ()>(Some(ids(n)))
        };
        s.get_or_take(key, take).await.unwrap()
    }

    fn len(s: &Snapshot) -> Option<usize> {
        match s {
            Snapshot::Ids(ids) => Some(ids.len()),
            Snapshot::TooLarge => None,
        }
    }

    fn count(takes: &AtomicUsize) -> usize {
        takes.load(Ordering::SeqCst)
    }

    #[tokio::test]
    async fn a_snapshot_is_taken_once_per_key_until_it_expires() {
        let takes = &AtomicUsize::new(0);
        let s = Snapshots::default();
        assert_eq!(len(&get(&s, "a", 3, takes).await), Some(3));
        assert_eq!(len(&get(&s, "a", 99, takes).await), Some(3), "the kept list, not a new one");
        assert_eq!(count(takes), 1);
        assert_eq!(len(&get(&s, "b", 5, takes).await), Some(5));
        assert_eq!(count(takes), 2);
        let expired = Snapshots::new(BUDGET, Duration::ZERO);
        get(&expired, "a", 3, takes).await;
        get(&expired, "a", 3, takes).await;
        assert_eq!(count(takes), 4, "an expired snapshot is taken again");
        assert_eq!(expired.lock().slots.len(), 1);
    }

    #[tokio::test]
    async fn the_oldest_snapshots_make_room_and_the_budget_is_never_passed() {
        let takes = &AtomicUsize::new(0);
        let weight = SLOT + 1 + ids(100).bytes();
        let s = Snapshots::new(2 * weight + weight / 2, KEEP);
        for key in ["a", "b", "c"] {
            get(&s, key, 100, takes).await;
            assert!(s.lock().held <= s.budget);
        }
        let mut kept: Vec<String> = s.lock().slots.keys().cloned().collect();
        kept.sort();
        assert_eq!(kept, vec!["b", "c"], "the oldest went first");
        assert_eq!(s.lock().held, 2 * weight);
        get(&s, "b", 100, takes).await;
        assert_eq!(count(takes), 3, "b was still kept");
        get(&s, "a", 100, takes).await;
        assert_eq!(count(takes), 4, "a had gone");
    }

    #[tokio::test]
    async fn a_list_too_large_is_remembered_as_such_and_a_failure_is_not_kept() {
        let s = Snapshots::default();
        let takes = &AtomicUsize::new(0);
        let too_large = move || async move {
            takes.fetch_add(1, Ordering::SeqCst);
            Ok::<_, ()>(None)
        };
        assert!(matches!(s.get_or_take("big", too_large).await, Ok(Snapshot::TooLarge)));
        assert_eq!(len(&get(&s, "big", 1, takes).await), None, "remembered");
        assert_eq!(count(takes), 1);
        assert!(s.get_or_take("bad", || async { Err::<Option<RosterIds>, _>("no database") }).await.is_err());
        assert!(!s.lock().slots.contains_key("bad"));
        assert_eq!(len(&get(&s, "bad", 2, takes).await), Some(2), "taken again after a failure");
    }

    #[tokio::test]
    async fn requests_arriving_while_a_snapshot_is_taken_wait_for_it() {
        let s = Snapshots::default();
        let takes = &AtomicUsize::new(0);
        let gate = &tokio::sync::Semaphore::new(0);
        let take = move || async move {
            takes.fetch_add(1, Ordering::SeqCst);
            gate.acquire().await.unwrap().forget();
            Ok::<_, ()>(Some(ids(7)))
        };
        // Both requests start (one taking, held at the gate; one waiting) before the gate opens for two takes.
        let open = async {
            tokio::task::yield_now().await;
            gate.add_permits(2);
        };
        let (a, b, ()) = tokio::join!(s.get_or_take("k", take), s.get_or_take("k", take), open);
        assert_eq!((len(&a.unwrap()), len(&b.unwrap())), (Some(7), Some(7)));
        assert_eq!(count(takes), 1);
    }

    #[test]
    fn the_key_holds_everything_but_the_page() {
        use steward_interop::oneroster::rest::Entity;
        use steward_interop::oneroster::Version;
        let scope =
            RosterScope { product_id: 1, view: Default::default(), schools: vec!["sch-a".into()], grade_codes: None };
        let q = RosterQuery::new(Entity::User, Version::V1_2);
        let k = key("sqlite:a.db", 2, &scope, &q);
        assert_eq!(k, key("sqlite:a.db", 2, &scope, &RosterQuery { limit: 5, offset: 500, ..q.clone() }));
        let filter = steward_interop::oneroster::rest::parse_filter("givenName='Ann'").unwrap();
        for other in [
            key("sqlite:b.db", 2, &scope, &q),
            key("sqlite:a.db", 3, &scope, &q),
            key("sqlite:a.db", 2, &RosterScope { schools: vec![], ..scope.clone() }, &q),
            key("sqlite:a.db", 2, &RosterScope { product_id: 2, ..scope.clone() }, &q),
            key("sqlite:a.db", 2, &RosterScope { grade_codes: Some(vec!["03".into()]), ..scope.clone() }, &q),
            key("sqlite:a.db", 2, &scope, &RosterQuery { filter: Some(&filter), ..q.clone() }),
            key("sqlite:a.db", 2, &scope, &RosterQuery { sort: Some("familyName"), ..q.clone() }),
            key("sqlite:a.db", 2, &scope, &RosterQuery { descending: true, ..q.clone() }),
            key("sqlite:a.db", 2, &scope, &RosterQuery { entity: Entity::Class, ..q.clone() }),
        ] {
            assert_ne!(k, other);
        }
    }
}
