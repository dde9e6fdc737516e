//! LTI 1.3 in the store (migration 0007): the platform's signing keys and the tools registered with it, each
//! change audited.

use crate::audit::{json, record, Change};
use crate::row::{int, text};
use crate::sql::{bind_all, Arg};
use crate::{now, Actor, Result, Store, StoreError};
use steward_core::lti::ToolInput;

/// A registered tool.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Tool {
    pub id: i64,
    pub tool: ToolInput,
    pub product_name: String,
}

/// A platform signing key.
#[derive(Debug, Clone)]
pub struct SigningKey {
    pub kid: String,
    pub private_der: Vec<u8>,
    pub public_jwk: String,
    pub created_at: String,
    pub retired_at: Option<String>,
}

/// kid, private key, public JWK, made, retired.
type KeyRow = (String, Vec<u8>, String, String, Option<String>);

impl Store {
    pub async fn lti_tools(&self) -> Result<Vec<Tool>> {
        self.tools_where("", None).await
    }

    pub async fn lti_tool(&self, id: i64) -> Result<Tool> {
        self.tools_where(" WHERE t.id = $1", Some(Arg::Int(id))).await?.pop().ok_or(StoreError::NotFound)
    }

    /// The tool registered under an OAuth client id.
    pub async fn lti_tool_by_client(&self, client_id: &str) -> Result<Option<Tool>> {
        Ok(self.tools_where(" WHERE t.client_id = $1", Some(Arg::Text(client_id.to_owned()))).await?.pop())
    }

    async fn tools_where(&self, condition: &str, arg: Option<Arg>) -> Result<Vec<Tool>> {
        let sql = format!(
            "SELECT t.id, t.body, p.name FROM lti_tools t JOIN products p ON p.id = t.product_id{condition} \
             ORDER BY LOWER(p.name), t.id"
        );
        let rows = bind_all(sqlx::query(&sql), arg.as_slice()).fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                Ok(Tool {
                    id: int(r, "id")?,
                    tool: serde_json::from_str(&text(r, "body")?)?,
                    product_name: text(r, "name")?,
                })
            })
            .collect()
    }

    /// Registers a tool (`id` `None`) or changes one; a client id is registered once.
    pub async fn save_lti_tool(&self, actor: &Actor, id: Option<i64>, input: &ToolInput) -> Result<i64> {
        let product = match self.product(input.product_id).await {
            Ok(p) => p,
            Err(StoreError::NotFound) => {
                return Err(StoreError::invalid("product_id", format!("no product has id {}", input.product_id)))
            }
            Err(e) => return Err(e),
        };
        let before = match id {
            Some(id) => Some(self.lti_tool(id).await?.tool),
            None => None,
        };
        let mut tx = self.begin_write().await?;
        let at = now();
        let body = serde_json::to_string(input)?;
        let saved: i64 = match id {
            None => sqlx::query_scalar(
                "INSERT INTO lti_tools (product_id, client_id, body, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) RETURNING id",
            )
            .bind(input.product_id)
            .bind(&input.client_id)
            .bind(body)
            .bind(&at)
            .fetch_one(&mut *tx)
            .await,
            Some(id) => sqlx::query_scalar(
                "UPDATE lti_tools SET product_id = $1, client_id = $2, body = $3, updated_at = $4 WHERE id = $5 RETURNING id",
            )
            .bind(input.product_id)
            .bind(&input.client_id)
            .bind(body)
            .bind(&at)
            .bind(id)
            .fetch_one(&mut *tx)
            .await,
        }
        .map_err(|e| StoreError::unique(e, "client_id", "a tool with this client id is already registered"))?;
        let action = if id.is_some() { "update" } else { "create" };
        let summary = format!("{action}d LTI tool {} for {}", input.name, product.product.name);
        let change = Change {
            action,
            entity: "lti_tool",
            entity_id: saved,
            summary,
            before: before.as_ref().and_then(json),
            after: json(input),
        };
        record(&mut tx, actor, change).await?;
        tx.commit().await?;
        Ok(saved)
    }

    /// Every signing key, newest first.
    pub async fn lti_keys(&self) -> Result<Vec<SigningKey>> {
        let rows: Vec<KeyRow> = sqlx::query_as(
            "SELECT kid, private_der, public_jwk, created_at, retired_at FROM lti_keys ORDER BY created_at DESC, kid",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(kid, private_der, public_jwk, created_at, retired_at)| SigningKey {
                kid,
                private_der,
                public_jwk,
                created_at,
                retired_at,
            })
            .collect())
    }

    /// Makes `key` the one that signs, retiring the others now (they stay published for the grace period the
    /// JWKS endpoint keeps).
    pub async fn add_lti_key(&self, actor: &Actor, kid: &str, private_der: &[u8], public_jwk: &str) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let at = now();
        sqlx::query("UPDATE lti_keys SET retired_at = $1 WHERE retired_at IS NULL").bind(&at).execute(&mut *tx).await?;
        sqlx::query("INSERT INTO lti_keys (kid, private_der, public_jwk, created_at) VALUES ($1, $2, $3, $4)")
            .bind(kid.to_owned())
            .bind(private_der.to_vec())
            .bind(public_jwk.to_owned())
            .bind(&at)
            .execute(&mut *tx)
            .await?;
        let summary = format!("made LTI signing key {kid} current");
        let change = Change {
            action: "create",
            entity: "lti_key",
            entity_id: 0,
            summary,
            before: None,
            after: Some(serde_json::json!({ "kid": kid })),
        };
        record(&mut tx, actor, change).await?;
        tx.commit().await?;
        Ok(())
    }
}

impl Store {
    /// The `kid` of the key that signs now.
    pub async fn current_lti_kid(&self) -> Result<Option<String>> {
        Ok(sqlx::query_scalar(
            "SELECT kid FROM lti_keys WHERE retired_at IS NULL ORDER BY created_at DESC, kid LIMIT 1",
        )
        .fetch_optional(&self.pool)
        .await?)
    }
}
