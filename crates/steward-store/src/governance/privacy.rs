//! A product's privacy facts and its DPA file, and what the public product list reads: approved products with
//! their facts and the conditions of their latest approval.

use crate::audit::{json, record, Change};
use crate::products::ProductFilter;
use crate::{now, Actor, Product, Result, Store, StoreError};
use steward_core::governance::privacy::PrivacyFacts;
use steward_core::governance::request::FinalDecision;

/// An approved product as the public list shows it.
#[derive(Debug, Clone)]
pub struct PublicProduct {
    pub product: Product,
    pub privacy: PrivacyFacts,
    pub has_dpa_file: bool,
    /// The conditions of its latest approval, if any.
    pub decision: Option<FinalDecision>,
}

impl Store {
    pub async fn product_privacy(&self, product_id: i64) -> Result<(PrivacyFacts, Option<String>)> {
        let row: Option<(String, Option<String>)> =
            sqlx::query_as("SELECT body, dpa_file_name FROM product_privacy WHERE product_id = $1")
                .bind(product_id)
                .fetch_optional(&self.pool)
                .await?;
        match row {
            Some((body, name)) => Ok((serde_json::from_str(&body)?, name)),
            None => Ok((PrivacyFacts::default(), None)),
        }
    }

    /// Saves a product's privacy facts and, when given, its DPA file (name and PDF bytes, checked by the caller).
    pub async fn save_product_privacy(
        &self,
        actor: &Actor,
        product_id: i64,
        facts: &PrivacyFacts,
        file: Option<(&str, &[u8])>,
    ) -> Result<()> {
        let product = self.product(product_id).await?;
        let (before, _) = self.product_privacy(product_id).await?;
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO product_privacy (product_id, body, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (product_id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
        )
        .bind(product_id)
        .bind(serde_json::to_string(facts)?)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        let mut after = json(facts);
        if let Some((name, bytes)) = file {
            sqlx::query("UPDATE product_privacy SET dpa_file = $1, dpa_file_name = $2 WHERE product_id = $3")
                .bind(bytes.to_vec())
                .bind(name)
                .bind(product_id)
                .execute(&mut *tx)
                .await?;
            if let Some(serde_json::Value::Object(m)) = after.as_mut() {
                m.insert("dpa_file".into(), serde_json::json!(format!("{name} ({} bytes)", bytes.len())));
            }
        }
        let summary = format!("updated the privacy facts of {}", product.product.name);
        let change = Change {
            action: "update",
            entity: "product",
            entity_id: product_id,
            summary,
            before: json(&before),
            after,
        };
        record(&mut tx, actor, change).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The DPA file's name and bytes.
    pub async fn dpa_file(&self, product_id: i64) -> Result<(String, Vec<u8>)> {
        let row: Option<(Option<String>, Option<Vec<u8>>)> =
            sqlx::query_as("SELECT dpa_file_name, dpa_file FROM product_privacy WHERE product_id = $1")
                .bind(product_id)
                .fetch_optional(&self.pool)
                .await?;
        match row {
            Some((Some(name), Some(bytes))) => Ok((name, bytes)),
            _ => Err(StoreError::NotFound),
        }
    }

    /// Approved products (with or without conditions) matching `q`, with their privacy facts and latest approval.
    pub async fn public_products(&self, q: Option<String>) -> Result<Vec<PublicProduct>> {
        let f = ProductFilter { q, approved_only: true, per_page: 10_000, ..Default::default() };
        let products = self.products(&f).await?.items;
        let privacy: Vec<(i64, String, Option<String>)> =
            sqlx::query_as("SELECT product_id, body, dpa_file_name FROM product_privacy").fetch_all(&self.pool).await?;
        let decisions: Vec<(i64, String)> = sqlx::query_as(
            "SELECT product_id, decision FROM requests WHERE decision IS NOT NULL AND status IN ('approved', 'approved_with_conditions') \
             ORDER BY decided_at",
        )
        .fetch_all(&self.pool)
        .await?;
        products
            .into_iter()
            .map(|p| {
                let facts = privacy.iter().find(|(id, _, _)| *id == p.id);
                let decision = decisions.iter().rev().find(|(id, _)| *id == p.id);
                Ok(PublicProduct {
                    privacy: facts.map(|(_, b, _)| serde_json::from_str(b)).transpose()?.unwrap_or_default(),
                    has_dpa_file: facts.is_some_and(|(_, _, n)| n.is_some()),
                    decision: decision.map(|(_, d)| serde_json::from_str(d)).transpose()?,
                    product: p,
                })
            })
            .collect()
    }
}
