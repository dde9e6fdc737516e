//! What each product's API clients may see, worked out once and kept until anything changes: the product, its
//! contracts and the schools are only changed with an audit entry, so the latest entry's id says whether a kept
//! scope still holds. A new day starts afresh, as contracts start and end by date.

use chrono::NaiveDate;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use steward_store::{RosterScope, Store, StoreError};

/// The kept scopes, by product: shared by the server's handlers.
#[derive(Clone, Default)]
pub struct Scopes {
    kept: Arc<Mutex<HashMap<i64, Kept>>>,
}

struct Kept {
    day: NaiveDate,
    generation: i64,
    scope: Arc<RosterScope>,
}

impl Scopes {
    /// `product_id`'s scope on `today`, kept or worked out now.
    pub async fn get(&self, store: &Store, product_id: i64, today: NaiveDate) -> Result<Arc<RosterScope>, StoreError> {
        // Read before the scope is worked out: a change landing in between is seen by the next request.
        let generation = store.change_generation().await?;
        self.get_at(store, product_id, today, generation).await
    }

    /// The same, for a caller that has read the audit generation already (read before anything it depends on).
    pub async fn get_at(
        &self,
        store: &Store,
        product_id: i64,
        today: NaiveDate,
        generation: i64,
    ) -> Result<Arc<RosterScope>, StoreError> {
        let kept = |k: &Kept| (k.day == today && k.generation == generation).then(|| Arc::clone(&k.scope));
        if let Some(scope) = self.lock().get(&product_id).and_then(kept) {
            return Ok(scope);
        }
        let scope = Arc::new(store.roster_scope(product_id, today).await?);
        self.lock().insert(product_id, Kept { day: today, generation, scope: Arc::clone(&scope) });
        Ok(scope)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<i64, Kept>> {
        // A panic elsewhere while holding the lock leaves the map whole: each entry is replaced in one step.
        self.kept.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
