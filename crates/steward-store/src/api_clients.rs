//! OneRoster API clients: each belongs to one product; their OAuth 2.0 access tokens; and the log of what they
//! asked for, for the page that shows what a vendor receives.

use crate::audit::{record, Change};
use crate::row::{int, opt_text, text};
use crate::{now, Actor, Page, Result, Store, StoreError};
use serde::Serialize;
use sqlx::any::AnyRow;

/// A registered client, without its secret.
#[derive(Debug, Clone, Serialize)]
pub struct ApiClient {
    pub id: i64,
    /// The public OAuth `client_id`.
    pub client_id: String,
    pub name: String,
    pub product_id: i64,
    /// The scopes it may be granted.
    pub scopes: Vec<String>,
    pub created_at: String,
    pub revoked_at: Option<String>,
}

/// The client behind a live access token, with the scopes that token was granted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiCaller {
    /// The client's row id (what the access log names).
    pub client: i64,
    pub product_id: i64,
    pub scopes: Vec<String>,
}

/// One request a client made.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct AccessLogEntry {
    pub at: String,
    pub method: String,
    pub path: String,
    pub status: i64,
    pub rows_returned: i64,
}

/// Access log entries per page.
pub const ACCESS_LOG_PAGE: i64 = 50;

fn split(scopes: &str) -> Vec<String> {
    scopes.split_whitespace().map(str::to_owned).collect()
}

fn client(r: &AnyRow) -> Result<ApiClient> {
    Ok(ApiClient {
        id: int(r, "id")?,
        client_id: text(r, "client_id")?,
        name: text(r, "name")?,
        product_id: int(r, "product_id")?,
        scopes: split(&text(r, "scopes")?),
        created_at: text(r, "created_at")?,
        revoked_at: opt_text(r, "revoked_at")?,
    })
}

/// A new client: who it is for, and the (already hashed) secret.
#[derive(Debug, Clone)]
pub struct NewApiClient<'a> {
    pub product_id: i64,
    pub name: &'a str,
    pub client_id: &'a str,
    pub secret_hash: &'a str,
    pub scopes: &'a [String],
}

/// One request of an API client, as its access log keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiAccess {
    pub client: i64,
    /// When it was answered (RFC 3339, UTC).
    pub at: String,
    pub method: String,
    pub path: String,
    pub status: u16,
    /// The records it returned.
    pub rows: i64,
}

impl ApiAccess {
    /// A request answered now.
    pub fn now(client: i64, method: &str, path: &str, status: u16, rows: i64) -> Self {
        Self { client, at: now(), method: method.to_owned(), path: path.to_owned(), status, rows }
    }
}

impl Store {
    /// Registers a client for a product, recorded in the audit log (never with its secret).
    pub async fn create_api_client(&self, actor: &Actor, new: &NewApiClient<'_>) -> Result<i64> {
        let product = match self.product(new.product_id).await {
            Ok(p) => p,
            Err(StoreError::NotFound) => {
                return Err(StoreError::invalid("product_id", format!("no product has id {}", new.product_id)))
            }
            Err(e) => return Err(e),
        };
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO api_clients (client_id, secret_hash, product_id, name, scopes, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(new.client_id)
        .bind(new.secret_hash)
        .bind(new.product_id)
        .bind(new.name)
        .bind(new.scopes.join(" "))
        .bind(now())
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| StoreError::unique(e, "client_id", "a client with this id already exists"))?;
        let after = Some(serde_json::json!({
            "client_id": new.client_id, "name": new.name, "product_id": new.product_id, "scopes": new.scopes,
        }));
        let summary = format!("created OneRoster API client '{}' for {}", new.name, product.product.name);
        record(
            &mut tx,
            actor,
            Change { action: "create", entity: "api_client", entity_id: id, summary, before: None, after },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// An unrevoked client by its public id, with its secret's hash, for the token endpoint.
    pub async fn api_client_for_token(&self, client_id: &str) -> Result<Option<(ApiClient, String)>> {
        let r = sqlx::query("SELECT * FROM api_clients WHERE client_id = $1 AND revoked_at IS NULL")
            .bind(client_id)
            .fetch_optional(&self.pool)
            .await?;
        r.map(|r| Ok((client(&r)?, text(&r, "secret_hash")?))).transpose()
    }

    pub async fn api_clients_for_product(&self, product_id: i64) -> Result<Vec<ApiClient>> {
        let rows = sqlx::query("SELECT * FROM api_clients WHERE product_id = $1 ORDER BY id")
            .bind(product_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(client).collect()
    }

    /// Keeps an access token (by its SHA-256) granting `scopes` until `expires_at`.
    pub async fn create_api_client_token(
        &self,
        client: i64,
        token_hash: &str,
        scopes: &[String],
        expires_at: &str,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO api_client_tokens (token_hash, client, scopes, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token_hash)
        .bind(client)
        .bind(scopes.join(" "))
        .bind(now())
        .bind(expires_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The caller behind an unexpired token of an unrevoked client.
    pub async fn api_caller(&self, token_hash: &str) -> Result<Option<ApiCaller>> {
        let r = sqlx::query(
            "SELECT c.id, c.product_id, t.scopes FROM api_client_tokens t JOIN api_clients c ON c.id = t.client \
             WHERE t.token_hash = $1 AND t.expires_at > $2 AND c.revoked_at IS NULL",
        )
        .bind(token_hash)
        .bind(now())
        .fetch_optional(&self.pool)
        .await?;
        r.map(|r| {
            Ok(ApiCaller {
                client: int(&r, "id")?,
                product_id: int(&r, "product_id")?,
                scopes: split(&text(&r, "scopes")?),
            })
        })
        .transpose()
    }

    /// Removes expired access tokens.
    pub async fn purge_expired_api_client_tokens(&self) -> Result<u64> {
        let done =
            sqlx::query("DELETE FROM api_client_tokens WHERE expires_at <= $1").bind(now()).execute(&self.pool).await?;
        Ok(done.rows_affected())
    }

    /// Records requests of clients, in one statement per thousand.
    pub async fn log_api_access(&self, entries: &[ApiAccess]) -> Result<()> {
        for chunk in entries.chunks(1000) {
            let rows: Vec<String> = (0..chunk.len())
                .map(|i| {
                    let n = i * 6;
                    format!("(${}, ${}, ${}, ${}, ${}, ${})", n + 1, n + 2, n + 3, n + 4, n + 5, n + 6)
                })
                .collect();
            let sql = format!(
                "INSERT INTO api_access_log (client, at, method, path, status, rows_returned) VALUES {}",
                rows.join(", ")
            );
            let mut q = sqlx::query(&sql);
            for e in chunk {
                q = q.bind(e.client).bind(&e.at).bind(&e.method).bind(&e.path).bind(i64::from(e.status)).bind(e.rows);
            }
            q.execute(&self.pool).await?;
        }
        Ok(())
    }

    /// A client's requests, newest first, `ACCESS_LOG_PAGE` to a page (pages from 1).
    pub async fn api_access_log(&self, client: i64, page: i64) -> Result<Page<AccessLogEntry>> {
        let page = page.max(1);
        let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM api_access_log WHERE client = $1")
            .bind(client)
            .fetch_one(&self.pool)
            .await?;
        let rows = sqlx::query(
            "SELECT at, method, path, status, rows_returned FROM api_access_log WHERE client = $1 \
             ORDER BY id DESC LIMIT $2 OFFSET $3",
        )
        .bind(client)
        .bind(ACCESS_LOG_PAGE)
        .bind((page - 1) * ACCESS_LOG_PAGE)
        .fetch_all(&self.pool)
        .await?;
        let items = rows
            .iter()
            .map(|r| {
                Ok(AccessLogEntry {
                    at: text(r, "at")?,
                    method: text(r, "method")?,
                    path: text(r, "path")?,
                    status: int(r, "status")?,
                    rows_returned: int(r, "rows_returned")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Page { items, total, page, per_page: ACCESS_LOG_PAGE })
    }
}
