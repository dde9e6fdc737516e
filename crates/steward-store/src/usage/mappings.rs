//! Each vendor's saved mapping of its usage report columns, changed with an audit entry.

use crate::audit::{record, Change};
use crate::{now, Actor, Result, Store};
use steward_core::usage::csv::Mapping;

impl Store {
    /// The mapping saved for `vendor`, if any.
    pub async fn vendor_usage_mapping(&self, vendor: i64) -> Result<Option<Mapping>> {
        let text: Option<String> = sqlx::query_scalar("SELECT mapping FROM vendor_usage_mappings WHERE vendor_id = $1")
            .bind(vendor)
            .fetch_optional(&self.pool)
            .await?;
        Ok(text.and_then(|t| serde_json::from_str(&t).ok()))
    }

    /// Saves `vendor`'s mapping, recorded in the audit log when it changes.
    pub async fn save_vendor_usage_mapping(&self, actor: &Actor, vendor: i64, mapping: &Mapping) -> Result<()> {
        let before = self.vendor_usage_mapping(vendor).await?;
        if before.as_ref() == Some(mapping) {
            return Ok(());
        }
        let text = serde_json::to_string(mapping).expect("a mapping serializes");
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO vendor_usage_mappings (vendor_id, mapping, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (vendor_id) DO UPDATE SET mapping = excluded.mapping, updated_at = excluded.updated_at",
        )
        .bind(vendor)
        .bind(&text)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        let change = Change {
            action: "update",
            entity: "vendor_usage_mapping",
            entity_id: vendor,
            summary: "saved the columns of the vendor's usage reports".into(),
            before: before.map(|b| serde_json::to_value(b).expect("a mapping serializes")),
            after: Some(serde_json::to_value(mapping).expect("a mapping serializes")),
        };
        record(&mut tx, actor, change).await?;
        tx.commit().await?;
        Ok(())
    }
}
