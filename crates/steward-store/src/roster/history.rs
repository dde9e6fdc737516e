//! The history of roster imports: who imported what, when, what it changed, and the problems it had.

use serde::Serialize;
use sqlx::any::AnyRow;

use super::apply::FileOutcome;
use crate::row::{int, opt_int, opt_text, text};
use crate::{Page, Result, Store, StoreError};

/// One import attempt, applied or rejected.
#[derive(Debug, Clone, Serialize)]
pub struct RosterImportEntry {
    pub id: i64,
    pub started_at: String,
    pub finished_at: String,
    pub user_id: Option<i64>,
    pub actor: String,
    pub source: String,
    pub version: Option<String>,
    /// `strict` or `lenient`.
    pub strictness: String,
    /// `applied` or `rejected`.
    pub outcome: String,
    pub error_count: i64,
    pub warning_count: i64,
    pub files: Vec<FileOutcome>,
}

impl RosterImportEntry {
    pub fn applied(&self) -> bool {
        self.outcome == "applied"
    }

    /// The time as people read it: `2026-11-23 14:05:09 UTC`.
    pub fn when(&self) -> String {
        format!("{} UTC", self.started_at.get(..19).unwrap_or(&self.started_at).replace('T', " "))
    }

    pub fn total(&self, f: fn(&FileOutcome) -> u64) -> u64 {
        self.files.iter().map(f).sum()
    }

    pub fn inserted(&self) -> u64 {
        self.total(|f| f.inserted)
    }

    pub fn updated(&self) -> u64 {
        self.total(|f| f.updated)
    }

    pub fn deleted(&self) -> u64 {
        self.total(|f| f.deleted)
    }
}

/// One listed problem of an import.
#[derive(Debug, Clone, Serialize)]
pub struct ImportProblem {
    pub file: String,
    pub line: Option<i64>,
    pub column: Option<String>,
    pub value: Option<String>,
    pub rule: String,
    /// `error` or `warning`.
    pub severity: String,
}

fn entry(r: &AnyRow) -> Result<RosterImportEntry> {
    Ok(RosterImportEntry {
        id: int(r, "id")?,
        started_at: text(r, "started_at")?,
        finished_at: text(r, "finished_at")?,
        user_id: opt_int(r, "user_id")?,
        actor: text(r, "actor")?,
        source: text(r, "source")?,
        version: opt_text(r, "oneroster_version")?,
        strictness: text(r, "strictness")?,
        outcome: text(r, "outcome")?,
        error_count: int(r, "error_count")?,
        warning_count: int(r, "warning_count")?,
        files: serde_json::from_str(&text(r, "files")?).unwrap_or_default(),
    })
}

impl Store {
    /// Imports, newest first.
    pub async fn roster_imports(&self, page: i64, per_page: i64) -> Result<Page<RosterImportEntry>> {
        let per_page = per_page.clamp(1, 200);
        let page = page.max(1);
        let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM roster_imports").fetch_one(&self.pool).await?;
        let rows = sqlx::query("SELECT * FROM roster_imports ORDER BY id DESC LIMIT $1 OFFSET $2")
            .bind(per_page)
            .bind((page - 1) * per_page)
            .fetch_all(&self.pool)
            .await?;
        let items = rows.iter().map(entry).collect::<Result<_>>()?;
        Ok(Page { items, total, page, per_page })
    }

    /// The roster's generation: the id of the latest applied import (0 before any). An import changes the roster
    /// and writes its history row in one transaction, so equal generations mean the same roster (fixtures written
    /// with `put_roster_records` aside).
    pub async fn roster_generation(&self) -> Result<i64> {
        let id: Option<i64> =
            sqlx::query_scalar("SELECT id FROM roster_imports WHERE outcome = 'applied' ORDER BY id DESC LIMIT 1")
                .fetch_optional(&self.pool)
                .await?;
        Ok(id.unwrap_or(0))
    }

    pub async fn roster_import(&self, id: i64) -> Result<RosterImportEntry> {
        let row = sqlx::query("SELECT * FROM roster_imports WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        entry(&row)
    }

    /// The listed problems of an import, in the order found; at most `limit`.
    pub async fn roster_import_problems(&self, id: i64, limit: i64) -> Result<Vec<ImportProblem>> {
        let rows = sqlx::query(
            "SELECT file, line, column_name, value, rule, severity FROM roster_import_problems \
             WHERE import_id = $1 ORDER BY seq LIMIT $2",
        )
        .bind(id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ImportProblem {
                    file: text(r, "file")?,
                    line: opt_int(r, "line")?,
                    column: opt_text(r, "column_name")?,
                    value: opt_text(r, "value")?,
                    rule: text(r, "rule")?,
                    severity: text(r, "severity")?,
                })
            })
            .collect()
    }
}
