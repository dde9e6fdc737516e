//! The waste finder's dismissals: a finding set aside with its reason, in the same transaction as its audit entry.

use crate::audit::{record, Change};
use crate::{now, Actor, Result, Store, StoreError};
use std::collections::HashMap;

/// A dismissed finding: why, when and by whom.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Dismissal {
    pub reason: String,
    pub at: String,
    pub actor: String,
}

impl Store {
    /// Every dismissal, by finding key.
    pub async fn waste_dismissals(&self) -> Result<HashMap<String, Dismissal>> {
        let rows: Vec<(String, String, String, String)> =
            sqlx::query_as("SELECT finding_key, reason, dismissed_at, actor FROM waste_dismissals")
                .fetch_all(&self.pool)
                .await?;
        Ok(rows.into_iter().map(|(k, reason, at, actor)| (k, Dismissal { reason, at, actor })).collect())
    }

    /// Sets finding `key` (described by `summary`) aside for `reason`, which is required.
    pub async fn dismiss_finding(&self, actor: &Actor, key: &str, summary: &str, reason: &str) -> Result<()> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(StoreError::invalid("reason", "say why this finding is dismissed"));
        }
        if reason.chars().count() > 500 {
            return Err(StoreError::invalid("reason", "at most 500 characters"));
        }
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO waste_dismissals (finding_key, reason, dismissed_at, actor) VALUES ($1, $2, $3, $4) \
             RETURNING id",
        )
        .bind(key)
        .bind(reason)
        .bind(now())
        .bind(&actor.label)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| StoreError::unique(e, "key", "this finding is already dismissed"))?;
        let after = Some(serde_json::json!({ "key": key, "reason": reason }));
        let summary = format!("dismissed a waste finding ({summary}): {reason}");
        let change = Change { action: "dismiss", entity: "waste_finding", entity_id: id, summary, before: None, after };
        record(&mut tx, actor, change).await?;
        tx.commit().await?;
        Ok(())
    }
}
