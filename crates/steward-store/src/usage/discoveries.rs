//! Acting on the discovery queue: adopting an unknown product's events into a product of the inventory (its
//! raw events counted in that product's rollups, its host kept as an alias), or dismissing it with a reason.

use super::ingest::merge_rollups;
use crate::audit::{record, Change};
use crate::{Actor, Result, Store, StoreError};
use futures_util::TryStreamExt;
use sqlx::Row;
use steward_core::usage::{EventKind, Resolved, Tally};

impl Store {
    /// Counts the raw events kept under discovery `id` as use of `product`, names its host (when it is one) as an
    /// alias of the product so that later events match, and closes the entry; returns how many events moved.
    /// Events already pruned by the retention period cannot move: only their queue entry's totals remain.
    pub async fn adopt_discovery(&self, actor: &Actor, id: i64, product: i64) -> Result<u64> {
        let found = self.usage_discovery(id).await?;
        if found.state != "open" {
            return Err(StoreError::invalid("id", "this entry of the discovery queue is already closed"));
        }
        let name = match self.product(product).await {
            Ok(p) => p.product.name,
            Err(StoreError::NotFound) => {
                return Err(StoreError::invalid("product_id", format!("no product has id {product}")))
            }
            Err(e) => return Err(e),
        };
        let mut tx = self.begin_write().await?;
        if let Some(lock) = self.backend.usage_lock() {
            sqlx::query(lock).execute(&mut *tx).await?;
        }
        let mut tally = Tally::default();
        let mut moved = 0u64;
        {
            let mut rows = sqlx::query(
                "UPDATE usage_events SET product_id = $1, product_key = NULL WHERE product_key = $2 \
                 RETURNING day, at, person_id, user_key, school_id, kind, seconds",
            )
            .bind(product)
            .bind(&found.key)
            .fetch(&mut *tx);
            while let Some(r) = rows.try_next().await? {
                let day: String = r.try_get("day")?;
                let at: String = r.try_get("at")?;
                let bad = |col: &str, e: String| crate::row::decode_error(col, e);
                let person: Option<i64> = r.try_get("person_id")?;
                let kind: String = r.try_get("kind")?;
                let seconds: i64 = r.try_get("seconds")?;
                tally.add(&Resolved {
                    fingerprint: [0; 16],
                    day: chrono::NaiveDate::parse_from_str(&day, "%Y-%m-%d").map_err(|e| bad("day", e.to_string()))?,
                    at: chrono::DateTime::parse_from_rfc3339(&at).map_err(|e| bad("at", e.to_string()))?.to_utc(),
                    product: Ok(product),
                    person: match person {
                        Some(p) => Ok(u32::try_from(p).map_err(|e| bad("person_id", e.to_string()))?),
                        None => Err(r.try_get::<Option<String>, _>("user_key")?.unwrap_or_default()),
                    },
                    school: r.try_get("school_id")?,
                    kind: EventKind::parse(&kind).ok_or_else(|| bad("kind", kind.clone()))?,
                    seconds: u32::try_from(seconds).map_err(|e| bad("seconds", e.to_string()))?,
                });
                moved += 1;
            }
        }
        merge_rollups(&mut tx, self.backend, &tally.rollups).await?;
        let alias = match found.key.split_once(':') {
            Some(("domain", host)) => Some(("domain", host)),
            Some(("lti", client)) => Some(("lti_client", client)),
            _ => None,
        };
        if let Some((kind, value)) = alias {
            sqlx::query(
                "INSERT INTO product_aliases (kind, value, product_id, created_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (kind, value) DO UPDATE SET product_id = excluded.product_id",
            )
            .bind(kind)
            .bind(value)
            .bind(product)
            .bind(crate::now())
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query("UPDATE usage_discoveries SET state = 'added', product_id = $1 WHERE id = $2")
            .bind(product)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let summary = format!("counted {moved} events of {} as use of {name}", found.key);
        let after = Some(serde_json::json!({ "key": found.key, "product_id": product, "events_moved": moved }));
        let change = Change { action: "adopt", entity: "usage_discovery", entity_id: id, summary, before: None, after };
        record(&mut tx, actor, change).await?;
        tx.commit().await?;
        Ok(moved)
    }

    /// Closes discovery `id` without adding anything, for the reason given (required, kept in the audit log).
    pub async fn dismiss_discovery(&self, actor: &Actor, id: i64, reason: &str) -> Result<()> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(StoreError::invalid("reason", "say why this product is dismissed"));
        }
        if reason.chars().count() > 500 {
            return Err(StoreError::invalid("reason", "at most 500 characters"));
        }
        let found = self.usage_discovery(id).await?;
        if found.state != "open" {
            return Err(StoreError::invalid("id", "this entry of the discovery queue is already closed"));
        }
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE usage_discoveries SET state = 'dismissed' WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let summary = format!("dismissed {} from the discovery queue: {reason}", found.key);
        let after = Some(serde_json::json!({ "key": found.key, "reason": reason }));
        let change =
            Change { action: "dismiss", entity: "usage_discovery", entity_id: id, summary, before: None, after };
        record(&mut tx, actor, change).await?;
        tx.commit().await?;
        Ok(())
    }
}
