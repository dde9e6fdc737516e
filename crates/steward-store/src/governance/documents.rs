//! JSON documents kept whole: the infrastructure profile, a product's needs and named governance settings, each
//! change audited with its before and after.

use crate::audit::{record, Change};
use crate::{now, Actor, Result, Store};
use serde::de::DeserializeOwned;
use serde::Serialize;
use steward_core::governance::infra::{InfraProfile, ProductNeeds};

impl Store {
    pub async fn infra_profile(&self) -> Result<InfraProfile> {
        let body: Option<String> =
            sqlx::query_scalar("SELECT body FROM infra_profile WHERE id = 1").fetch_optional(&self.pool).await?;
        decode(body)
    }

    pub async fn save_infra_profile(&self, actor: &Actor, profile: &InfraProfile) -> Result<()> {
        let before = self.infra_profile().await?;
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO infra_profile (id, body, updated_at) VALUES (1, $1, $2) \
             ON CONFLICT (id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
        )
        .bind(serde_json::to_string(profile)?)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        let change = changed("infrastructure", 1, "updated the infrastructure profile".into(), &before, profile);
        record(&mut tx, actor, change).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn product_needs(&self, product_id: i64) -> Result<ProductNeeds> {
        let body: Option<String> = sqlx::query_scalar("SELECT body FROM product_needs WHERE product_id = $1")
            .bind(product_id)
            .fetch_optional(&self.pool)
            .await?;
        decode(body)
    }

    pub async fn save_product_needs(&self, actor: &Actor, product_id: i64, needs: &ProductNeeds) -> Result<()> {
        let product = self.product(product_id).await?;
        let before = self.product_needs(product_id).await?;
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO product_needs (product_id, body) VALUES ($1, $2) \
             ON CONFLICT (product_id) DO UPDATE SET body = excluded.body",
        )
        .bind(product_id)
        .bind(serde_json::to_string(needs)?)
        .execute(&mut *tx)
        .await?;
        let summary = format!("updated the technical needs of {}", product.product.name);
        record(&mut tx, actor, changed("product", product_id, summary, &before, needs)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A named governance setting, or its default when never saved.
    pub async fn governance_setting<T: DeserializeOwned + Default>(&self, name: &str) -> Result<T> {
        let body: Option<String> = sqlx::query_scalar("SELECT body FROM governance_settings WHERE name = $1")
            .bind(name)
            .fetch_optional(&self.pool)
            .await?;
        decode(body)
    }

    pub async fn save_governance_setting<T: Serialize + DeserializeOwned + Default>(
        &self,
        actor: &Actor,
        name: &str,
        value: &T,
    ) -> Result<()> {
        let before: T = self.governance_setting(name).await?;
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO governance_settings (name, body, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (name) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
        )
        .bind(name)
        .bind(serde_json::to_string(value)?)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        record(&mut tx, actor, changed("setting", 0, format!("updated the setting {name}"), &before, value)).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// A stored document, or the default when there is none.
pub(crate) fn decode<T: DeserializeOwned + Default>(body: Option<String>) -> Result<T> {
    match body {
        None => Ok(T::default()),
        Some(b) => Ok(serde_json::from_str(&b)?),
    }
}

fn changed<'a, T: Serialize>(entity: &'a str, id: i64, summary: String, before: &T, after: &T) -> Change<'a> {
    Change {
        action: "update",
        entity,
        entity_id: id,
        summary,
        before: crate::audit::json(before),
        after: crate::audit::json(after),
    }
}
