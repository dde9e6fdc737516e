//! xAPI statements as the statements resource keeps them: by id, per product, as sent.

use crate::{now, Result, Store};
use std::collections::HashMap;

impl Store {
    /// The statements already stored under these ids, as (id → JSON text).
    pub async fn xapi_statements_by_id(&self, ids: &[String]) -> Result<HashMap<String, String>> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let list = serde_json::to_string(ids).expect("ids serialize");
        let sql = format!(
            "SELECT id, statement FROM xapi_statements WHERE {}",
            self.backend.in_json_list("id").replace('?', "$1")
        );
        let rows: Vec<(String, String)> = sqlx::query_as(&sql).bind(list).fetch_all(&self.pool).await?;
        Ok(rows.into_iter().collect())
    }

    /// Stores statements of `product` (id, JSON text); an id stored already is left as it is.
    pub async fn store_xapi_statements(&self, product: i64, statements: &[(String, String)]) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let stored = now();
        for (id, json) in statements {
            sqlx::query(
                "INSERT INTO xapi_statements (id, product_id, statement, stored) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (id) DO NOTHING",
            )
            .bind(id)
            .bind(product)
            .bind(json)
            .bind(&stored)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// One of `product`'s statements.
    pub async fn xapi_statement(&self, product: i64, id: &str) -> Result<Option<String>> {
        Ok(sqlx::query_scalar("SELECT statement FROM xapi_statements WHERE id = $1 AND product_id = $2")
            .bind(id)
            .bind(product)
            .fetch_optional(&self.pool)
            .await?)
    }

    /// `product`'s latest statements, newest first.
    pub async fn xapi_recent(&self, product: i64, limit: i64) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar(
            "SELECT statement FROM xapi_statements WHERE product_id = $1 ORDER BY stored DESC, id LIMIT $2",
        )
        .bind(product)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }
}
