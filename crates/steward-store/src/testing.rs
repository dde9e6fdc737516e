//! Fresh, migrated databases for tests: a temporary SQLite file, or a new PostgreSQL database.
//!
//! PostgreSQL is found at `STEWARD_TEST_POSTGRES` (default `postgres://postgres@127.0.0.1:5432/test`). When it
//! cannot be reached, tests fail under `CI=true` and are skipped with a message elsewhere.

use crate::Store;
use std::collections::BTreeMap;
use std::path::PathBuf;
use steward_interop::oneroster::{data_columns, Record};

pub const DEFAULT_ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

/// A database that exists for one test and is removed when dropped.
pub struct TestDb {
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    File(PathBuf),
    Database { admin_url: String, name: String },
}

fn unique_name() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    format!("steward_test_{}_{}_{}", std::process::id(), N.fetch_add(1, Ordering::Relaxed), nanos)
}

impl TestDb {
    pub fn sqlite() -> Self {
        let path = std::env::temp_dir().join(format!("{}.db", unique_name()));
        Self { url: format!("sqlite:{}", path.display()), cleanup: Cleanup::File(path) }
    }

    /// A new empty PostgreSQL database, or `None` (outside CI) when the server cannot be reached.
    pub async fn postgres() -> Option<Self> {
        let admin_url = std::env::var("STEWARD_TEST_POSTGRES").unwrap_or_else(|_| DEFAULT_ADMIN_URL.to_owned());
        let admin = match Store::connect(&admin_url).await {
            Ok(s) => s,
            Err(e) => {
                if std::env::var("CI").is_ok_and(|v| v == "true") {
                    panic!("PostgreSQL is required under CI=true and is unreachable at {admin_url}: {e}");
                }
                eprintln!("skipping a PostgreSQL test: {e}");
                return None;
            }
        };
        let name = unique_name();
        admin.execute_admin(&format!("CREATE DATABASE {name}")).await.expect("create the test database");
        admin.close().await;
        let base = admin_url.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin_url);
        Some(Self { url: format!("{base}/{name}"), cleanup: Cleanup::Database { admin_url, name } })
    }

    /// Connects and migrates.
    pub async fn store(&self) -> Store {
        let s = Store::connect(&self.url).await.expect("connect to the test database");
        s.migrate().await.expect("migrate the test database");
        s
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::File(p) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", p.display()));
                }
            }
            Cleanup::Database { admin_url, name } => {
                // Drop runs outside any runtime; a small one is enough for one statement.
                let (admin_url, name) = (admin_url.clone(), name.clone());
                let _ = std::thread::spawn(move || {
                    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build();
                    if let Ok(rt) = rt {
                        rt.block_on(async {
                            if let Ok(admin) = Store::connect(&admin_url).await {
                                let _ =
                                    admin.execute_admin(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await;
                            }
                        });
                    }
                })
                .join();
            }
        }
    }
}

impl Store {
    /// Runs one administrative statement made of trusted text (test database names only).
    async fn execute_admin(&self, sql: &str) -> crate::Result<()> {
        sqlx::query(sql).execute(&self.pool).await?;
        Ok(())
    }
}

impl Store {
    /// Tries to change and to delete an audit entry; true when the database refused both.
    pub async fn audit_tamper_is_refused(&self) -> bool {
        let update = sqlx::query("UPDATE audit_log SET summary = 'tampered'").execute(&self.pool).await;
        let delete = sqlx::query("DELETE FROM audit_log").execute(&self.pool).await;
        update.is_err() && delete.is_err()
    }
}

/// A live OneRoster record of `file` with the named columns set, for fixtures.
pub fn record(file: &str, id: &str, values: &[(&str, &str)]) -> Record {
    let cols = data_columns(file);
    let mut v = vec![None; cols.len()];
    for (name, value) in values {
        let at = cols.iter().position(|c| c == name).unwrap_or_else(|| panic!("{file} has no column {name}"));
        v[at] = Some((*value).to_owned());
    }
    Record { sourced_id: id.into(), status: None, date_last_modified: None, values: v, extensions: BTreeMap::new() }
}

/// Generates one test per backend for each named contract test.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test] async fn $name() {
                let db = steward_store::testing::TestDb::sqlite();
                super::$name(&db.store().await).await;
            })*
        }
        mod postgres {
            $(#[tokio::test] async fn $name() {
                let Some(db) = steward_store::testing::TestDb::postgres().await else { return };
                super::$name(&db.store().await).await;
            })*
        }
    };
}

impl Store {
    /// Moves a request's times `days` into the past, as if it had been submitted then: for tests of overdue
    /// stages and durations.
    pub async fn backdate_request(&self, request_id: i64, days: i64) -> crate::Result<()> {
        #[allow(clippy::type_complexity)]
        let rows: Vec<(i64, Option<String>, Option<String>, Option<String>)> = sqlx::query_as(
            "SELECT position, started_at, due_at, finished_at FROM request_stages WHERE request_id = $1",
        )
        .bind(request_id)
        .fetch_all(&self.pool)
        .await?;
        let shift = |t: &Option<String>| {
            t.as_deref()
                .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
                .map(|t| crate::timestamp(t.with_timezone(&chrono::Utc) - chrono::Duration::days(days)))
        };
        for (position, started, due, finished) in &rows {
            sqlx::query(
                "UPDATE request_stages SET started_at = $1, due_at = $2, finished_at = $3 WHERE request_id = $4 AND position = $5",
            )
            .bind(shift(started))
            .bind(shift(due))
            .bind(shift(finished))
            .bind(request_id)
            .bind(position)
            .execute(&self.pool)
            .await?;
        }
        let created: String = sqlx::query_scalar("SELECT created_at FROM requests WHERE id = $1")
            .bind(request_id)
            .fetch_one(&self.pool)
            .await?;
        sqlx::query("UPDATE requests SET created_at = $1 WHERE id = $2")
            .bind(shift(&Some(created)))
            .bind(request_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
