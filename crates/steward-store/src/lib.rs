//! The Store seam: every read and write Steward makes, over SQLite or PostgreSQL, chosen once from the URL.
//!
//! Both backends share one set of queries (sqlx's `Any` driver, `$n` parameters, portable column shapes);
//! what differs between them — migrations, connection setup, full-text search — lives in [`backend`].

mod api_clients;
mod audit;
mod auth;
mod backend;
mod catalog;
mod contracts;
mod error;
mod governance;
mod lti;
mod lti_grades;
mod lti_services;
mod orgs;
mod products;
mod roster;
mod roster_read;
mod row;
mod sql;
pub mod testing;
mod usage;

pub use api_clients::{AccessLogEntry, ApiAccess, ApiCaller, ApiClient, NewApiClient, ACCESS_LOG_PAGE};
pub use audit::{AuditEntry, AuditFilter, FieldChange};
pub use auth::{ApiToken, SessionInfo, User};
pub use backend::{redact_url, Backend};
pub use catalog::{Category, Owner, Vendor};
pub use contracts::{Contract, ContractFilter};
pub use error::StoreError;
pub use governance::*;
pub use lti::{SigningKey, Tool};
pub use lti_grades::{LineItem, LtiResult};
pub use lti_services::{ClassContext, ClassMemberDetail, LtiResource};
pub use orgs::Org;
pub use products::{Product, ProductFilter, ProductSort, ProductSummary};
pub use roster::{
    files as roster_files, ClassMember, FileOutcome, ImportProblem, PersonRole, RosterClass, RosterFilter,
    RosterImport, RosterImportEntry, RosterPerson, RosterSchool, RosterTable, RosterWriter,
};
pub use roster_read::{RosterIds, RosterPage, RosterQuery, RosterReceipt, RosterScope, Within};
pub use usage::{Discovery, Dismissal, IngestOutcome, SchoolCut, StrangerRow, UsageFilter, UsageTotals};

use sqlx::any::AnyPoolOptions;
use sqlx::AnyPool;
use std::time::Duration;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Who is making a change, recorded with it in the audit log.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Option<i64>,
    /// A readable name: the user's e-mail, or `system` / `cli` for changes made outside a session.
    pub label: String,
}

impl Actor {
    pub fn system(label: &str) -> Self {
        Self { user_id: None, label: label.to_owned() }
    }
}

/// One page of a list, with the total for pagination.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

impl<T> Page<T> {
    pub fn pages(&self) -> i64 {
        ((self.total + self.per_page - 1) / self.per_page).max(1)
    }
}

/// The database: a pool of connections to one SQLite file or one PostgreSQL database.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("backend", &self.backend).finish_non_exhaustive()
    }
}

impl Store {
    /// Connects to `sqlite:PATH` (created if missing) or `postgres://…`; does not migrate.
    pub async fn connect(url: &str) -> Result<Self> {
        let backend = Backend::from_url(url)?;
        sqlx::any::install_default_drivers();
        let url = backend.connect_url(url);
        let unreachable = |e: sqlx::Error| {
            StoreError::Unavailable(format!("cannot reach the {} database: {}", backend.name(), short(&e)))
        };
        // One direct attempt first, so that a database that refuses connections is reported at once rather than
        // after the pool has retried until its timeout.
        use sqlx::Connection;
        let mut first = sqlx::AnyConnection::connect(&url).await.map_err(unreachable)?;
        for stmt in backend.database_setup() {
            sqlx::query(stmt).execute(&mut first).await.map_err(unreachable)?;
        }
        first.close().await.map_err(unreachable)?;
        // An in-memory SQLite database lives only as long as its one connection: keep exactly one, forever.
        let in_memory = url.contains(":memory:");
        let pool = AnyPoolOptions::new()
            .max_connections(if in_memory { 1 } else { backend.max_connections() })
            .min_connections(u32::from(in_memory))
            .idle_timeout((!in_memory).then_some(Duration::from_secs(600)))
            .max_lifetime((!in_memory).then_some(Duration::from_secs(1800)))
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    for stmt in backend.session_setup() {
                        sqlx::query(stmt).execute(&mut *conn).await?;
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await
            .map_err(unreachable)?;
        Ok(Self { pool, backend })
    }

    /// A transaction for a change: it holds the write lock from its start (see [`Backend::begin_write`]).
    pub(crate) async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Any>> {
        Ok(self.pool.begin_with(self.backend.begin_write()).await?)
    }

    /// Applies any migrations not yet applied; safe to call from several processes at once.
    pub async fn migrate(&self) -> Result<usize> {
        let migrator = self.backend.migrator();
        let before = self.applied_migrations().await.unwrap_or(0);
        migrator.run(&self.pool).await.map_err(|e| StoreError::Unavailable(format!("migration failed: {e}")))?;
        Ok(self.applied_migrations().await?.saturating_sub(before))
    }

    async fn applied_migrations(&self) -> Result<usize> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations").fetch_one(&self.pool).await?;
        Ok(n as usize)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Whether the database holds no organizations yet (a fresh install).
    pub async fn is_empty(&self) -> Result<bool> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM orgs").fetch_one(&self.pool).await?;
        Ok(n == 0)
    }

    /// Answers when the database does; for health checks.
    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// The first line of a driver error, without connection strings.
fn short(e: &sqlx::Error) -> String {
    e.to_string().lines().next().unwrap_or_default().to_owned()
}

/// A time as the store keeps it: fixed-width UTC RFC 3339 text, which sorts as time does.
pub fn timestamp(at: chrono::DateTime<chrono::Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

pub(crate) fn now() -> String {
    timestamp(chrono::Utc::now())
}
